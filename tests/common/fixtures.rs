//! The fixture table shared by the host tests (serde_json, the core's `Json` view) and the
//! headless-Chrome tests (`JSON.parse`, read in place by the shell's view): each fixture is
//! status + headers + body → expected error.

use steadfetch::core::error::Normalized;
use steadfetch::core::json::Json;
use steadfetch::core::policy::RetryConfig;

/// How a platform runs the normalizer: its JSON parser (for the tables themselves), and the
/// normalizer over its own JSON view, with `details` read back as `Json` for comparison.
pub struct Platform<'a> {
    /// Parses a table (or a body) into the test's `Json`.
    pub parse: &'a dyn Fn(&str) -> Option<Json>,
    /// status, headers, body text, now → the normalized error.
    pub normalize: &'a dyn Fn(u16, &[(String, String)], &str, f64) -> Normalized<Json>,
    /// Whether a 2xx body reports an error (GraphQL), through the platform's view.
    pub success_is_error: &'a dyn Fn(&str) -> bool,
}

/// The fixture file, compiled in so the browser test needs no file access.
pub const FIXTURES: &str = include_str!("../fixtures/errors.json");

/// The real-world corpus (tests/fixtures/realworld/README.md): public APIs' documented errors.
pub const REALWORLD: [(&str, &str); 13] = [
    ("ai_devtools", include_str!("../fixtures/realworld/ai_devtools.json")),
    ("cloud", include_str!("../fixtures/realworld/cloud.json")),
    ("frameworks", include_str!("../fixtures/realworld/frameworks.json")),
    ("heldout2_a", include_str!("../fixtures/realworld/heldout2_a.json")),
    ("heldout2_b", include_str!("../fixtures/realworld/heldout2_b.json")),
    ("heldout2_c", include_str!("../fixtures/realworld/heldout2_c.json")),
    ("heldout_ai_data", include_str!("../fixtures/realworld/heldout_ai_data.json")),
    ("heldout_consumer", include_str!("../fixtures/realworld/heldout_consumer.json")),
    ("heldout_payments_infra", include_str!("../fixtures/realworld/heldout_payments_infra.json")),
    ("heldout_saas", include_str!("../fixtures/realworld/heldout_saas.json")),
    ("more_apis", include_str!("../fixtures/realworld/more_apis.json")),
    ("payments_comms", include_str!("../fixtures/realworld/payments_comms.json")),
    ("protocols_proxies", include_str!("../fixtures/realworld/protocols_proxies.json")),
];

/// What every real-world case must pin.
#[allow(dead_code)] // read by the host test, which checks every case pins these
pub const PINNED: [&str; 7] = ["kind", "code", "message", "fieldErrors", "requestId", "retryAfterMs", "retryable"];

/// Fixtures in a file, counted from the text so a truncated parse cannot pass silently.
pub fn count_in(text: &str) -> usize {
    text.matches("\"name\":").count()
}

/// Fixtures in the main table.
pub fn fixture_count() -> usize {
    count_in(FIXTURES)
}

/// Checks every case of every corpus file with `parse`: the mismatches, and the number of cases.
pub fn check_realworld(platform: &Platform) -> (Vec<String>, usize) {
    let mut problems = Vec::new();
    let mut cases = 0;
    for (file, text) in REALWORLD {
        let Some(table) = (platform.parse)(text) else {
            problems.push(format!("{file}: does not parse"));
            continue;
        };
        let items = table.as_array().unwrap_or(&[]);
        if items.len() != count_in(text) {
            problems.push(format!("{file}: read {} of {} cases", items.len(), count_in(text)));
        }
        cases += items.len();
        for case in items {
            problems.extend(check_fixture(case, platform));
        }
    }
    (problems, cases)
}

/// Normalizes one fixture with `parse` (the platform's JSON parser) and compares every expected
/// field. Returns a description of each mismatch.
pub fn check_fixture(fixture: &Json, platform: &Platform) -> Vec<String> {
    let name = fixture.get("name").and_then(Json::as_text).unwrap_or("?").to_string();
    let actual = normalize_fixture(fixture, platform);
    let Some(expect) = fixture.get("expect") else { return vec![format!("{name}: no expect")] };
    let mut problems = Vec::new();
    if !reaches_the_normalizer(fixture, platform) {
        problems.push(format!("{name}: a 2xx the shell would return as success"));
    }
    let Json::Obj(pairs) = expect else { return vec![format!("{name}: expect is not an object")] };
    for (key, want) in pairs {
        if let Err(why) = compare(key, want, &actual) {
            problems.push(format!("{name}: {key}: {why}"));
        }
    }
    problems
}

/// Whether the shell treats the response as a failure: any status from 400, a 2xx body that
/// reports an error (GraphQL), or one the case's `options.isError` declares an error.
fn reaches_the_normalizer(fixture: &Json, platform: &Platform) -> bool {
    let status = fixture.get("status").and_then(Json::as_number).unwrap_or(0.0);
    let declared = fixture.get("options").and_then(|o| o.get("isError")).is_some();
    let body = fixture.get("body").and_then(Json::as_text);
    status >= 400.0 || declared || body.is_some_and(|b| (platform.success_is_error)(b))
}

/// Runs the normalizer on a fixture.
pub fn normalize_fixture(fixture: &Json, platform: &Platform) -> Normalized<Json> {
    let status = fixture.get("status").and_then(Json::as_number).unwrap_or(0.0) as u16;
    let headers: Vec<(String, String)> = match fixture.get("headers") {
        Some(Json::Obj(pairs)) => pairs.iter().filter_map(|(k, v)| v.as_text().map(|v| (k.clone(), v.to_string()))).collect(),
        _ => Vec::new(),
    };
    let body_text = match fixture.get("body") {
        Some(Json::Str(s)) => s.clone(),
        _ => String::new(),
    };
    let now = fixture.get("now").and_then(Json::as_number).unwrap_or(0.0);
    (platform.normalize)(status, &headers, &body_text, now)
}

fn compare(key: &str, want: &Json, actual: &Normalized<Json>) -> Result<(), String> {
    match key {
        "kind" => same_str(want, Some(actual.kind.as_str())),
        "code" => same_str(want, Some(&actual.code)),
        "message" => same_str(want, Some(&actual.message)),
        "requestId" => same_str(want, actual.request_id.as_deref()),
        "bodyText" => same_str(want, actual.body_text.as_deref()),
        "retryAfterMs" => same_num(want, actual.retry_after_ms.map(|v| v as f64)),
        "shouldRetry" => match (want, actual.should_retry) {
            (Json::Null, None) => Ok(()),
            (Json::Bool(w), Some(a)) if *w == a => Ok(()),
            (w, a) => Err(format!("want {w:?}, got {a:?}")),
        },
        "details" => match (want, &actual.details) {
            (Json::Null, None) => Ok(()),
            (w, Some(a)) if w == a => Ok(()),
            (w, a) => Err(format!("want {w:?}, got {a:?}")),
        },
        "detailsKeys" => {
            let want_keys: Vec<&str> = want.as_array().unwrap_or(&[]).iter().filter_map(Json::as_text).collect();
            let got: Vec<&str> = match &actual.details {
                Some(Json::Obj(pairs)) => pairs.iter().map(|(k, _)| k.as_str()).collect(),
                _ => Vec::new(),
            };
            if want_keys == got { Ok(()) } else { Err(format!("want {want_keys:?}, got {got:?}")) }
        }
        "fieldErrors" => compare_fields(want, actual),
        "retryable" => {
            let got = actual.retryable(&RetryConfig::default(), "GET", false);
            if *want == Json::Bool(got) { Ok(()) } else { Err(format!("want {want:?}, got {got}")) }
        }
        "rateLimit" => compare_rate_limit(want, actual),
        "messageMaxChars" => max_chars(want, &actual.message),
        "requestIdMaxChars" => max_chars(want, actual.request_id.as_deref().unwrap_or("")),
        "bodyTextMaxBytes" => {
            let len = actual.body_text.as_ref().map(|b| b.len()).unwrap_or(0) as f64;
            if len <= want.as_number().unwrap_or(0.0) { Ok(()) } else { Err(format!("{len} bytes")) }
        }
        other => Err(format!("unknown expectation {other}")),
    }
}

fn same_str(want: &Json, got: Option<&str>) -> Result<(), String> {
    match (want, got) {
        (Json::Null, None) => Ok(()),
        (Json::Str(w), Some(g)) if w == g => Ok(()),
        (w, g) => Err(format!("want {w:?}, got {g:?}")),
    }
}

fn same_num(want: &Json, got: Option<f64>) -> Result<(), String> {
    match (want, got) {
        (Json::Null, None) => Ok(()),
        (Json::Num(w), Some(g)) if *w == g => Ok(()),
        (w, g) => Err(format!("want {w:?}, got {g:?}")),
    }
}

fn max_chars(want: &Json, text: &str) -> Result<(), String> {
    let n = text.chars().count() as f64;
    if n <= want.as_number().unwrap_or(0.0) && n > 0.0 { Ok(()) } else { Err(format!("{n} chars")) }
}

fn compare_fields(want: &Json, actual: &Normalized<Json>) -> Result<(), String> {
    let want = want.as_array().unwrap_or(&[]);
    if want.len() != actual.field_errors.len() {
        return Err(format!("want {} field errors, got {:?}", want.len(), actual.field_errors));
    }
    for (w, a) in want.iter().zip(&actual.field_errors) {
        same_str(w.get("field").unwrap_or(&Json::Null), Some(&a.field))?;
        same_str(w.get("message").unwrap_or(&Json::Null), Some(&a.message))?;
        same_str(w.get("code").unwrap_or(&Json::Null), a.code.as_deref())?;
    }
    Ok(())
}

fn compare_rate_limit(want: &Json, actual: &Normalized<Json>) -> Result<(), String> {
    match (want, &actual.rate_limit) {
        (Json::Null, None) => Ok(()),
        (Json::Obj(_), Some(rl)) => {
            same_num(want.get("limit").unwrap_or(&Json::Null), rl.limit)?;
            same_num(want.get("remaining").unwrap_or(&Json::Null), rl.remaining)?;
            same_num(want.get("resetAt").unwrap_or(&Json::Null), rl.reset_at_ms)
        }
        (w, a) => Err(format!("want {w:?}, got {a:?}")),
    }
}
