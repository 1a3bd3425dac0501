//! The same fixture tables as the host, each body parsed by the page's `JSON.parse` and read in
//! place by the shell's JSON view (src/web/response.rs `JsDoc`), exactly as an error response is:
//! identical results prove the wasm build needs neither serde_json nor a copy of the body.

use super::fixtures::{self, Platform};
use steadfetch::core::error::{success_body_is_error, Normalized};
use steadfetch::core::headers::DEFAULT_REQUEST_ID_HEADERS;
use steadfetch::core::json::Json;
use steadfetch::web::response::{normalize_body, JsDoc};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

/// A JS value as the test's `Json`, to read the tables and compare `details` (test code only).
pub fn to_json(value: &JsValue) -> Json {
    if value.is_null() || value.is_undefined() {
        Json::Null
    } else if let Some(b) = value.as_bool() {
        Json::Bool(b)
    } else if let Some(n) = value.as_f64() {
        Json::Num(n)
    } else if let Some(s) = value.as_string() {
        Json::Str(s)
    } else if js_sys::Array::is_array(value) {
        Json::Arr(value.unchecked_ref::<js_sys::Array>().iter().map(|v| to_json(&v)).collect())
    } else {
        let keys = js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>());
        Json::Obj(
            keys.iter()
                .map(|k| (k.as_string().unwrap(), to_json(&js_sys::Reflect::get(value, &k).unwrap())))
                .collect(),
        )
    }
}

/// `JSON.parse`, as the test's `Json`.
pub fn parse(text: &str) -> Option<Json> {
    js_sys::JSON::parse(text).ok().map(|v| to_json(&v))
}

fn normalize_in_browser(status: u16, headers: &[(String, String)], body: &str, now: f64) -> Normalized<Json> {
    // fetch's text() drops a byte-order mark: so does this stand-in for it.
    let body = JsValue::from_str(body.strip_prefix('\u{FEFF}').unwrap_or(body));
    let (error, _) = normalize_body(status, headers, &body, None, now, DEFAULT_REQUEST_ID_HEADERS);
    error.map_details(|d| to_json(&d))
}

fn success_is_error_in_browser(body: &str) -> bool {
    js_sys::JSON::parse(body).is_ok_and(|v| success_body_is_error(&JsDoc::new(&v)))
}

const BROWSER: Platform = Platform { parse: &parse, normalize: &normalize_in_browser, success_is_error: &success_is_error_in_browser };

#[wasm_bindgen_test]
fn fixture_table_matches_in_the_browser() {
    let table = parse(fixtures::FIXTURES).expect("fixtures parse");
    let items = table.as_array().expect("a list");
    assert_eq!(items.len(), fixtures::fixture_count());
    let problems: Vec<String> = items.iter().flat_map(|f| fixtures::check_fixture(f, &BROWSER)).collect();
    assert!(problems.is_empty(), "{} mismatches:\n{}", problems.len(), problems.join("\n"));
    web_sys::console::log_1(&format!("browser fixture table: {} fixtures matched", items.len()).into());
}

#[wasm_bindgen_test]
fn real_world_corpus_matches_in_the_browser() {
    let (problems, cases) = fixtures::check_realworld(&BROWSER);
    assert!(cases >= 150, "{cases} cases");
    assert!(problems.is_empty(), "{} mismatches in {cases} cases:\n{}", problems.len(), problems.join("\n"));
    web_sys::console::log_1(&format!("browser real-world corpus: {cases} cases matched").into());
}

/// `details` is the body's own object: the same identity as inside the parsed body.
#[wasm_bindgen_test]
fn details_are_the_bodys_own_object() {
    let text = JsValue::from_str(r#"{"error":{"code":"x","message":"m","details":{"a":[1,2]}}}"#);
    let headers = vec![("content-type".to_string(), "application/json".to_string())];
    let (error, parsed) = normalize_body(400, headers.as_slice(), &text, None, 0.0, "");
    let parsed = parsed.expect("parsed");
    let inner = js_sys::Reflect::get(&js_sys::Reflect::get(&parsed, &"error".into()).unwrap(), &"details".into()).unwrap();
    let details = error.details.expect("details");
    assert!(js_sys::Object::is(&details, &inner), "details is the parsed object itself");
    assert_eq!(error.code, "x");
}

/// The view's limits hold on the JS side as on the host: the first MAX_ENTRIES entries, strings
/// capped before they cross, nesting past MAX_DEPTH read as null, any key, and a key found
/// again ignoring case.
#[wasm_bindgen_test]
fn the_js_view_keeps_the_cores_limits() {
    use steadfetch::core::view::{MAX_DEPTH, MAX_ENTRIES};
    use steadfetch::core::{JsonView, Kind};
    let keys: Vec<String> = (0..300).map(|i| format!("\"k{i}\":{i}")).collect();
    let wide = js_sys::JSON::parse(&format!("{{{}}}", keys.join(","))).unwrap();
    let doc = JsDoc::new(&wide);
    assert_eq!(doc.len(doc.root()), MAX_ENTRIES);
    let k7 = doc.get(doc.root(), "K7").expect("found ignoring case");
    assert_eq!(doc.number(k7), Some(7.0));
    assert!(doc.get(doc.root(), "k299").is_none(), "past the entry cap");

    let long = js_sys::JSON::parse(&format!("{{\"m\":\"{}\",\"a\\u0000b\":\"x\"}}", "é".repeat(20_000))).unwrap();
    let doc = JsDoc::new(&long);
    let m = doc.get(doc.root(), "m").unwrap();
    assert_eq!(doc.text(m).unwrap().chars().count(), 16_384, "capped at 16 Ki UTF-16 units");
    assert_eq!(doc.key(doc.root(), 1), Some("a\u{0}b"), "keys cross with their length: any character");
    assert_eq!(doc.text(doc.at(doc.root(), 1).unwrap()), Some("x"));

    let deep = js_sys::JSON::parse(&format!("{}1{}", "[".repeat(60), "]".repeat(60))).unwrap();
    let doc = JsDoc::new(&deep);
    let mut node = doc.root();
    let mut depth = 0;
    while doc.kind(node) == Kind::Arr {
        node = doc.at(node, 0).unwrap();
        depth += 1;
    }
    assert_eq!(depth, MAX_DEPTH, "the value at depth {MAX_DEPTH} reads as null");
    assert_eq!(doc.kind(node), Kind::Null);
}
