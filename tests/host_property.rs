#![cfg(not(target_arch = "wasm32"))]
//! Randomized: 120,000 generated bodies and header values never panic, and every result keeps the
//! invariants (non-empty short message and code, delays within timer range, capped excerpts).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

use steadfetch::core::error::{normalize, normalize_text};
use steadfetch::core::headers::{default_request_id_headers, parse_retry_after, MAX_DELAY_MS};
use steadfetch::core::json::{Json, JsonDoc};
use steadfetch::core::policy::{backoff_ms, decide, Attempt, Failure, Jitter, RetryConfig};

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

const FRAGMENTS: &[&str] = &[
    "{", "}", "[", "]", ",", ":", "\"error\"", "\"detail\"", "\"errors\"", "\"message\"", "\"code\"", "\"details\"",
    "\"loc\"", "\"msg\"", "\"type\"", "\"title\"", "\"status\"", "\"field\"", "\"source\"", "\"pointer\"",
    "\"/data/x\"", "\"rate_limit\"", "\"reset\"", "\"fieldViolations\"", "\"extensions\"", "\"data\"", "null",
    "true", "false", "0", "-1", "1e309", "123456789012345678901234567890", "\"\"", "\"x\"", "\"\\u0000\"",
    "\"\\ud800\"", "<html>", "<title>", "</title>", "<h1>", "&amp;", "&#xFFFFFFFF;", "&#0;", "\u{FFFD}", "é", " ",
    "\n", "\t", "\"__proto__\"", "9999999999999", "[[[[[[[[", "]]]]]]]]",
];
const HEADER_VALUES: &[&str] = &[
    "", "0", "-1", "1e309", "soon", "9007199254740993", "120", "1.5", "Wed, 21 Oct 2015 07:28:00 GMT",
    "Fri, 31 Dec 9999 23:59:59 GMT", "Tue Nov 14 22:13:35 2023", "NaN", "true", "false", "r=0;t=5",
    "limit=1, remaining=0, reset=99999999999999999999", "\u{0}\u{7f}", "1700000000", "1700000000000", "  7 , 9 ",
];
const HEADER_NAMES: &[&str] = &[
    "retry-after", "retry-after-ms", "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset", "ratelimit",
    "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "x-should-retry", "x-request-id",
    "content-type", "cf-ray",
];

fn random_body(rng: &mut Rng) -> String {
    let mut body = String::new();
    let parts = rng.below(60);
    for _ in 0..parts {
        if rng.below(10) == 0 {
            body.push(char::from_u32(rng.next() as u32 % 0x11_0000).unwrap_or('?'));
        } else {
            let fragment = *rng.pick(FRAGMENTS);
            body.push_str(fragment);
        }
    }
    body
}

fn random_valid_json(rng: &mut Rng, depth: u32) -> String {
    match if depth > 6 { rng.below(4) } else { rng.below(7) } {
        0 => rng.pick(&["null", "true", "1", "-0.5", "1e300"]).to_string(),
        1 | 2 => format!("{:?}", rng.pick(FRAGMENTS)),
        3 => format!("{}", rng.next() % 100_000),
        4 | 5 => {
            let keys = ["error", "detail", "errors", "message", "code", "details", "loc", "msg", "field", "rate_limit", "reset", "title", "type", "status", "data", "extensions", "source", "pointer"];
            let n = rng.below(5);
            let pairs: Vec<String> = (0..n).map(|_| format!("\"{}\":{}", keys[rng.below(keys.len())], random_valid_json(rng, depth + 1))).collect();
            format!("{{{}}}", pairs.join(","))
        }
        _ => {
            let n = rng.below(4);
            let items: Vec<String> = (0..n).map(|_| random_valid_json(rng, depth + 1)).collect();
            format!("[{}]", items.join(","))
        }
    }
}

#[test]
fn hundred_thousand_random_inputs_never_panic() {
    let mut rng = Rng(0x5eed_cafe_f00d_0001);
    let ids = default_request_id_headers();
    let parsed_count = std::cell::Cell::new(0usize);
    for i in 0..120_000u32 {
        let body = if i % 2 == 0 { random_body(&mut rng) } else { random_valid_json(&mut rng, 0) };
        let headers: Vec<(String, String)> = (0..rng.below(6))
            .map(|_| (rng.pick(HEADER_NAMES).to_string(), rng.pick(HEADER_VALUES).to_string()))
            .collect();
        let content_type = if rng.below(2) == 0 { "application/json" } else { "text/html" };
        let mut headers = headers;
        headers.push(("content-type".to_string(), content_type.to_string()));
        let parse = |text: &str| {
            let parsed = Json::read(&mut serde_json::Deserializer::from_str(text)).ok();
            parsed_count.set(parsed_count.get() + usize::from(parsed.is_some()));
            parsed
        };
        let status = [0u16, 200, 400, 401, 402, 404, 418, 422, 429, 500, 503, 599, 999][rng.below(13)];
        let n = normalize_text(status, &headers, &body, &parse, rng.unit() * 4e12, &ids);
        assert!(!n.message.trim().is_empty(), "seed step {i}: empty message for {body:?}");
        assert!(n.message.chars().count() <= 301, "step {i}: long message");
        assert!(!n.code.is_empty() && n.code.chars().count() <= 101, "step {i}: code {:?}", n.code);
        assert!(n.retry_after_ms.is_none_or(|d| d <= MAX_DELAY_MS), "step {i}");
        assert!(n.body_text.as_ref().is_none_or(|b| b.len() <= 8192));
        if let Some(rl) = n.rate_limit {
            for v in [rl.limit, rl.remaining, rl.reset_at_ms].into_iter().flatten() {
                assert!(v.is_finite() && v >= 0.0, "step {i}: rate limit {rl:?}");
            }
        }
        let value = rng.pick(HEADER_VALUES);
        assert!(parse_retry_after(value, rng.unit() * 1e13).is_none_or(|d| d <= MAX_DELAY_MS));
    }
    let parsed_count = parsed_count.get();
    assert!(parsed_count > 50_000, "the generator must produce real JSON too ({parsed_count})");
}

#[test]
fn random_policy_inputs_stay_in_range() {
    let mut rng = Rng(42);
    for _ in 0..100_000 {
        let config = RetryConfig {
            base_ms: rng.unit() * 1e7 - 10.0,
            factor: rng.unit() * 50.0,
            max_ms: rng.unit() * 1e12,
            jitter: [Jitter::Full, Jitter::Equal, Jitter::None][rng.below(3)],
            max_retries: rng.below(20) as u32,
            ..RetryConfig::default()
        };
        let d = backoff_ms(&config, rng.next() as u32, rng.unit() * 3.0 - 1.0);
        assert!(d <= MAX_DELAY_MS);
        let failure = Failure {
            kind: steadfetch::core::kind::ErrorKind::ALL[rng.below(16)],
            status: Some(400 + rng.below(200) as u16),
            should_retry: None,
            hint_ms: (rng.below(2) == 0).then(|| rng.next() % (MAX_DELAY_MS + 1)),
        };
        let attempt = Attempt { number: 1 + rng.below(30) as u32, method: "GET", has_idempotency_key: false, remaining_ms: None, random: rng.unit() };
        let _ = decide(&config, &failure, &attempt);
    }
}

#[test]
fn nesting_ten_thousand_deep_is_cut_not_crashed() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let mut de = serde_json::Deserializer::from_str(&deep);
    // serde_json refuses past its own recursion limit; the browser's JSON.parse accepts and our
    // reader cuts at MAX_DEPTH. Either way the normalizer gets something it can handle.
    let parsed = Json::read(&mut de).ok();
    let object = format!("{}1{}", "{\"error\":".repeat(10_000), "}".repeat(10_000));
    let parsed_obj = Json::read(&mut serde_json::Deserializer::from_str(&object)).ok();
    for (text, json) in [(&deep, parsed), (&object, parsed_obj)] {
        let doc = json.as_ref().map(JsonDoc);
        let n = normalize(400, &[][..], doc.as_ref(), text, 0.0, "");
        assert_eq!(n.kind.as_str(), "bad_request");
        assert!(!n.message.is_empty());
    }
}

#[test]
fn byte_scans_and_pieces_agree_with_std_on_random_text() {
    // src/core/text.rs scans eight bytes at a time: it must find what `str::find` finds.
    let mut rng = Rng(0xB17E_5CA2);
    let alphabet = ["a", " ", "|", ".", "é", "😀", "\u{a0}", ":", "\n", "Z"];
    for _ in 0..20_000 {
        let len = rng.below(40);
        let text: String = (0..len).map(|_| *rng.pick(&alphabet)).collect();
        for sep in [b' ', b'|', b'.', b':', b'\n'] {
            assert_eq!(steadfetch::core::text::position(&text, sep), text.find(sep as char), "{text:?} {sep}");
            let ours: Vec<&str> = steadfetch::core::text::pieces(&text, sep).collect();
            assert_eq!(ours, text.split(sep as char).collect::<Vec<_>>(), "{text:?} {sep}");
        }
    }
}

#[test]
fn compiled_word_lists_split_as_std_does() {
    // words! compiles a list at build time (each word after its length byte): walking it must give
    // what `split(' ')` gives, empty words, non-ASCII and a 255-byte word included.
    macro_rules! same {
        ($list:expr) => {{
            let ours: Vec<&str> = steadfetch::words!($list).iter().collect();
            assert_eq!(ours, $list.split(' ').collect::<Vec<_>>(), "{:?}", $list);
        }};
    }
    same!("");
    same!("one");
    same!("message detail msg");
    same!(" lead  double trail ");
    same!("é 😀 a\u{a0}b r:source.pointer");
    same!("x yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy z");
    // Outside words!, a list compile cannot write (a wrong length, a word over 255 bytes) comes
    // out as empty words, never a panic or a cut character.
    use steadfetch::core::view::{compile, longest_word};
    assert_eq!(compile::<4>("a b"), [1, b'a', 1, b'b']);
    assert_eq!(compile::<3>("a b"), [0; 3]);
    let long = "é".repeat(128);
    assert_eq!(longest_word(&long), 256);
    assert_eq!(compile::<257>(&long), [0; 257]);
    assert_eq!(longest_word("ab  cde f"), 3);
}

#[test]
fn tidy_matches_its_definition_on_random_text() {
    // tidy returns clean ASCII as it is without the char loop: both ways must agree with the
    // definition (words joined by one space, cut at `max` chars with no space before the "…").
    let mut rng = Rng(0x71D7);
    let alphabet = ["a", " ", "  ", "\t", "\n", "~", "é", "\u{feff}", "\u{7f}", "!", "Z"];
    for _ in 0..20_000 {
        let len = rng.below(12);
        let text: String = (0..len).map(|_| *rng.pick(&alphabet)).collect();
        let max = rng.below(12);
        let words: Vec<&str> = text.split(|c: char| c.is_whitespace() || c.is_control() || c == '\u{feff}').filter(|w| !w.is_empty()).collect();
        let joined = words.join(" ");
        let expected = if joined.chars().count() <= max { joined } else { joined.chars().take(max).collect::<String>().trim_end_matches(' ').to_owned() + "…" };
        assert_eq!(steadfetch::core::text::tidy(&text, max), expected, "{text:?} {max}");
    }
}
