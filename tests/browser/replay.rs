//! The real-world corpus end to end: every case served by the mock (`/replay/<file>/<index>`,
//! mock/replay.mjs) and fetched through makeRequestWithRetry, so headers cross CORS and
//! `Headers`, and bodies fetch's decoding, as in an app. Each error must match the case's pins.

use super::fixtures::{count_in, REALWORLD};
use super::support::*;
use steadfetch::core::json::Json;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

/// Times in headers are replayed against the real clock; a second of rounding either way is fine.
const CLOCK_SLACK_MS: f64 = 2000.0;

use super::fixture_table::parse;

fn pinned_str(want: &Json, got: &JsValue) -> bool {
    match want {
        Json::Null => got.is_null() || got.is_undefined(),
        Json::Str(s) => got.as_string().as_deref() == Some(s.as_str()),
        _ => false,
    }
}

fn compare(name: &str, expect: &Json, e: &JsValue) -> Vec<String> {
    let mut problems = Vec::new();
    let mut check = |key: &str, ok: bool, got: &JsValue| {
        if !ok {
            problems.push(format!("{name}: {key}: want {:?}, got {}", expect.get(key), describe(got)));
        }
    };
    for key in ["kind", "code", "message", "requestId"] {
        let got = field(e, key);
        check(key, expect.get(key).is_some_and(|w| pinned_str(w, &got)), &got);
    }
    let retryable = field(e, "retryable");
    check("retryable", expect.get("retryable") == Some(&Json::Bool(retryable.as_bool().unwrap_or(false))), &retryable);
    let wait = field(e, "retryAfterMs");
    let wait_ok = match (expect.get("retryAfterMs"), wait.as_f64()) {
        (Some(Json::Null), None) => true,
        (Some(Json::Num(w)), Some(g)) => (w - g).abs() <= CLOCK_SLACK_MS,
        _ => false,
    };
    check("retryAfterMs", wait_ok, &wait);
    let fields: js_sys::Array = field(e, "fieldErrors").dyn_into().unwrap_or_default();
    let want = expect.get("fieldErrors").and_then(Json::as_array).unwrap_or(&[]);
    let same = fields.length() as usize == want.len()
        && want.iter().zip(fields.iter()).all(|(w, g)| {
            ["field", "message", "code"].iter().all(|k| pinned_str(w.get(k).unwrap_or(&Json::Null), &field(&g, k)))
        });
    check("fieldErrors", same, &fields.into());
    problems
}

#[wasm_bindgen_test]
async fn every_real_world_case_replayed_over_http_matches() {
    let mut problems = Vec::new();
    let mut cases = 0;
    for (file, text) in REALWORLD {
        let table = parse(text).expect("corpus parses");
        let items = table.as_array().expect("a list");
        assert_eq!(items.len(), count_in(text), "{file}");
        for (index, case) in items.iter().enumerate() {
            let name = case.get("name").and_then(Json::as_text).unwrap_or("?");
            let mut options = opts(r#"{"maxRetries":0,"retryBudget":false}"#);
            // A case's `options.isError` is the body of the isError function its API needs.
            if let Some(body) = case.get("options").and_then(|o| o.get("isError")).and_then(Json::as_text) {
                options = with(&options, "isError", js_fn("body", body));
            }
            let e = call_err(&mock(&format!("/replay/{file}/{index}")), options).await;
            problems.extend(compare(name, case.get("expect").unwrap_or(&Json::Null), &e));
            cases += 1;
        }
    }
    assert!(cases >= 150, "{cases} cases");
    assert!(problems.is_empty(), "{} mismatches in {cases} replayed cases:\n{}", problems.len(), problems.join("\n"));
    web_sys::console::log_1(&format!("browser real-world replay: {cases} cases over HTTP matched").into());
}
