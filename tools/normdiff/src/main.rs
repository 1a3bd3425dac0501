//! `scripts/normdiff.sh [base-ref] [cases]`: runs the working tree's normalizer and a base
//! revision's on the same inputs and reports every difference in what they return. The inputs are
//! the corpus (tests/fixtures) as given, then seeded mutations of it: keys dropped, renamed or
//! retyped, values moved into envelopes and lists, bodies cut short, statuses and headers swapped,
//! and bodies built from the keys the rules look for. A refactor of the normalizer should report
//! 0 mismatches; a behaviour change names the cases it changed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::{json, Map, Value};
use std::fs;

#[path = "../../../tests/common/rng.rs"]
mod rng;
use rng::Rng;

/// One input to the normalizer.
#[derive(Clone)]
struct Case {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
    now: f64,
}

/// Keys the rules read (and a few they do not), for renaming and for synthetic bodies.
const KEYS: &[&str] = &[
    "error", "errors", "message", "detail", "code", "status", "type", "title", "description", "error_description",
    "errorMessage", "error_message", "msg", "loc", "field", "fields", "fieldErrors", "field_errors", "details",
    "invalid-params", "invalid_params", "violations", "source", "pointer", "parameter", "reason", "name", "id",
    "request_id", "requestId", "traceId", "debug_id", "retry_after", "retryAfter", "retryDelay", "rate_limit",
    "limit", "remaining", "reset", "extensions", "path", "fieldViolations", "@type", "metadata", "__type", "fault",
    "Fault", "Error", "innererror", "target", "value", "error_code", "errorCode", "issue", "non_field_errors",
    "__all__", "base", "_errors", "meta", "data", "ok", "success", "is_transient", "retryable", "sys", "error_summary",
    "statusCode", "status_code", "http", "category", "explanation", "faultstring", "info", "err", "messages",
];

const STRINGS: &[&str] = &[
    "", " ", "Not Found", "not_found", "RESOURCE_NOT_FOUND", "rate_limit_exceeded", "Too many requests, slow down.",
    "INVALID_ARGUMENT", "RESOURCE_EXHAUSTED", "insufficient_quota", "value_error.missing", "field required",
    "The request is invalid.", "must be a positive integer", "/data/attributes/name", "#/age", "body.email",
    "type.googleapis.com/google.rpc.RetryInfo", "type.googleapis.com/google.rpc.BadRequest", "30s", "1.5s", "12",
    "https://example.com/probs/out-of-credit", "about:blank", "ThrottlingException", "com.amazon#AccessDenied",
    "EMAIL_EXISTS : The email address is already in use.", "req_123", "3e2f0a7c-8b1d-4c5e-9f00-1234567890ab",
    "<html><title>502 Bad Gateway</title></html>", "Unauthorized", "invalid_auth", "ok", "false", "😀 ünïcode",
    "a\nmulti\nline\nmessage", "UNAUTHENTICATED", "permission denied", "quota exceeded", "1700000060",
    // Unicode whitespace and letters: trims, case folds and caps must treat them as the base does.
    "\u{a0}Nicht gefunden\u{a0}", "\u{3000}見つかりません\u{3000}", "\u{2003}Em\u{2003}spaced\u{2009}words", "\u{feff}bom",
    "İSTANBUL ǅ ß ﬁ", "tab\tseparated\tvalue", "zero\u{200b}width", "   ", "ÉCHEC_DE_VALIDATION", "Ωmega error.",
    "&lt;b&gt;escaped&lt;/b&gt; &amp;amp; &#39;q&#39; &#x41; &nbsp;&unknown; &#99999999;",
];

/// Pieces of HTML, XML and plain-text error pages, joined at random.
const TEXT_PIECES: &[&str] = &[
    "<!DOCTYPE html>", "<html>", "<head>", "<title>", "</title>", "<h1>", "</h1>", "<h2 class=\"x\">", "</h2>", "<pre>",
    "</pre>", "<body>", "</body>", "</html>", "<center>", "nginx", "502 Bad Gateway", "Service Unavailable", "<br/>",
    "&apos;", "&quot;", "&gt;", "&#39;", "&#x27;", "&nbsp;", "&#0;", "&#xD800;", "<script>var a = '<h1>no</h1>';</script>", "<style>h1{}</style>", "<!-- comment -->", "&amp;", "&lt;", "&#8212;",
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<Error>", "</Error>", "<Code>", "</Code>", "<Message>",
    "</Message>", "NoSuchKey", "SlowDown", "The specified key does not exist.", "<RequestId>", "</RequestId>",
    "4442587FB7D0A2F9", "<error code=\"42\">", "</error>", "<ErrorResponse>", "<faultstring>", "</faultstring>",
    "\n", "  ", "\t", "upstream connect error or disconnect/reset before headers", "invalid_payload", "{", "\"code\":",
    "\"message\": \"broken json", "Error: ", "🙂", "\u{a0}", "ü",
];

fn random_text(rng: &mut Rng) -> String {
    (0..1 + rng.below(14)).map(|_| *rng.pick(TEXT_PIECES)).collect()
}

fn random_scalar(rng: &mut Rng) -> Value {
    match rng.below(6) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(50)),
        2 => json!(*rng.pick(&[0.0, 1.0, 3.0, 42.0, 400.0, 404.0, 429.0, 503.0, -1.0, 1.5, 1e12, 1700000060.0])),
        _ => Value::String(rng.pick(STRINGS).to_string()),
    }
}

fn random_value(rng: &mut Rng, depth: usize) -> Value {
    if depth > 3 || rng.chance(45) {
        return random_scalar(rng);
    }
    if rng.chance(40) {
        Value::Array((0..rng.below(4)).map(|_| random_value(rng, depth + 1)).collect())
    } else {
        let mut map = Map::new();
        for _ in 0..1 + rng.below(4) {
            map.insert(rng.pick(KEYS).to_string(), random_value(rng, depth + 1));
        }
        Value::Object(map)
    }
}

/// Every value of a tree, by a path of steps, so one can be picked and changed.
fn paths(value: &Value, here: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(here.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                here.push(k.clone());
                paths(v, here, out);
                here.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                here.push(i.to_string());
                paths(v, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn at<'a>(value: &'a mut Value, path: &[String]) -> &'a mut Value {
    path.iter().fold(value, |v, step| match v {
        Value::Object(map) => map.get_mut(step).unwrap(),
        Value::Array(items) => &mut items[step.parse::<usize>().unwrap()],
        _ => unreachable!(),
    })
}

fn mutate_json(rng: &mut Rng, mut value: Value) -> Value {
    for _ in 0..1 + rng.below(3) {
        let mut all = Vec::new();
        paths(&value, &mut Vec::new(), &mut all);
        let path = rng.pick(&all).clone();
        let target = at(&mut value, &path);
        match rng.below(8) {
            0 => *target = random_scalar(rng),
            1 => *target = random_value(rng, 1),
            2 => *target = Value::Array(vec![target.clone()]),
            3 => *target = json!({ *rng.pick(&["error", "detail", "errors", "fault", "meta"]): target.clone() }),
            4 => {
                if let Value::Object(map) = target {
                    if let Some(k) = map.keys().nth(rng.below(map.len())).cloned() {
                        map.remove(&k);
                    }
                }
            }
            5 => {
                if let Value::Object(map) = target {
                    if let Some(k) = map.keys().nth(rng.below(map.len())).cloned() {
                        let v = map.remove(&k).unwrap();
                        map.insert(rng.pick(KEYS).to_string(), v);
                    }
                }
            }
            6 => {
                if let Value::Object(map) = target {
                    map.insert(rng.pick(KEYS).to_string(), random_value(rng, 2));
                }
            }
            _ => {
                if let Value::String(s) = target {
                    let cut = rng.below(s.len() + 1);
                    *s = s.chars().take(cut).collect::<String>().to_uppercase();
                }
            }
        }
    }
    value
}

const STATUSES: &[u16] = &[200, 400, 401, 402, 403, 404, 408, 409, 410, 418, 420, 422, 425, 429, 451, 499, 500, 501, 502, 503, 504, 520, 529, 599];

const HEADER_POOL: &[(&str, &[&str])] = &[
    ("content-type", &["application/json", "application/problem+json", "text/html; charset=utf-8", "text/plain", "application/xml", "application/vnd.api+json", ""]),
    ("retry-after", &["3", "0", "-1", "120", "1.5", "Wed, 21 Oct 2015 07:28:00 GMT", "Tue, 14 Nov 2023 22:14:00 GMT", "soon", "99999999999"]),
    ("retry-after-ms", &["250", "abc", "1e3"]),
    ("x-ratelimit-remaining", &["0", "10", "-"]),
    ("x-ratelimit-limit", &["100", "5000"]),
    ("x-ratelimit-reset", &["1700000060", "60", "1700000060000", "0"]),
    ("ratelimit", &["limit=100, remaining=0, reset=30", "\"default\";r=0;t=12"]),
    ("ratelimit-policy", &["100;w=60", "\"default\";q=100;w=60"]),
    ("x-should-retry", &["true", "false", "maybe"]),
    ("x-request-id", &["req_abc", ""]),
    ("x-amzn-errortype", &["ThrottlingException:http://internal.amazon.com/", "AccessDeniedException"]),
    ("www-authenticate", &["Bearer error=\"invalid_token\", error_description=\"The access token expired\"", "Basic realm=\"x\""]),
    ("cf-ray", &["8a1b2c3d4e5f-SJC"]),
];

fn mutate_headers(rng: &mut Rng, headers: &mut Vec<(String, String)>) {
    for _ in 0..rng.below(3) {
        if !headers.is_empty() && rng.chance(30) {
            headers.remove(rng.below(headers.len()));
        } else {
            let (name, values) = rng.pick(HEADER_POOL);
            headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
            headers.push((name.to_string(), rng.pick(values).to_string()));
        }
    }
}

fn corpus() -> Vec<Case> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures");
    let mut files = vec![format!("{root}/errors.json")];
    for entry in fs::read_dir(format!("{root}/realworld")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            files.push(path.to_string_lossy().into_owned());
        }
    }
    files.sort();
    let mut cases = Vec::new();
    for file in files {
        let table: Value = serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
        for fixture in table.as_array().unwrap() {
            let headers = fixture["headers"].as_object().map(|h| h.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))).collect()).unwrap_or_default();
            cases.push(Case {
                status: fixture["status"].as_u64().unwrap_or(500) as u16,
                headers,
                body: fixture["body"].as_str().unwrap_or("").to_string(),
                now: fixture["now"].as_f64().unwrap_or(1.7e12),
            });
        }
    }
    cases
}

fn variant(rng: &mut Rng, seed: &Case) -> Case {
    let mut case = seed.clone();
    if rng.chance(25) {
        case.status = *rng.pick(STATUSES);
    }
    if rng.chance(40) {
        mutate_headers(rng, &mut case.headers);
    }
    match serde_json::from_str::<Value>(&case.body) {
        Ok(value) if rng.chance(80) => case.body = mutate_json(rng, value).to_string(),
        _ if rng.chance(40) && !case.body.is_empty() => {
            let cut = rng.below(case.body.len());
            case.body = String::from_utf8_lossy(&case.body.as_bytes()[..cut]).into_owned();
        }
        _ if rng.chance(50) => {
            case.body = random_text(rng);
            if rng.chance(50) {
                let (name, values) = HEADER_POOL[0];
                case.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
                case.headers.push((name.to_string(), rng.pick(values).to_string()));
            }
        }
        _ => case.body = random_value(rng, 0).to_string(),
    }
    case
}

/// The same run with either crate (`head` or `base`): the normalized error and whether a 2xx
/// body would count as an error, as text to compare.
macro_rules! run {
    ($krate:ident, $case:expr) => {{
        use $krate::core::json::{Json, JsonDoc};
        let case: &Case = $case;
        let parse = |t: &str| Json::read(&mut serde_json::Deserializer::from_str(t)).ok();
        let ids = $krate::core::headers::default_request_id_headers();
        let n = $krate::core::error::normalize_text(case.status, &case.headers, &case.body, &parse, case.now, &ids);
        let graphql = parse(&case.body).is_some_and(|j| $krate::core::error::success_body_is_error(&JsonDoc(&j)));
        format!("{n:?} {graphql}")
    }};
}

fn main() {
    let count: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(200_000);
    let seeds = corpus();
    let mut rng = Rng(0x5EED_F00D_D00D_CAFE);
    let (mut checked, mut mismatches) = (0usize, 0usize);
    let mut check = |case: &Case| {
        checked += 1;
        let (h, b) = (run!(head, case), run!(base, case));
        if h != b {
            mismatches += 1;
            if mismatches <= 5 {
                eprintln!("MISMATCH status {} headers {:?}\nbody {}\n head {h}\n base {b}\n", case.status, case.headers, case.body);
            }
        }
    };
    for case in &seeds {
        check(case);
    }
    for _ in 0..count {
        let seed = rng.pick(&seeds).clone();
        let case = variant(&mut rng, &seed);
        check(&case);
    }
    println!("normdiff: {checked} cases ({} from the corpus), {mismatches} mismatches", seeds.len());
    if mismatches > 0 {
        std::process::exit(1);
    }
}
