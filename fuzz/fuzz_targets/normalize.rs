//! Status + headers + body → normalized error, through the same parse rule as the browser.
//! Input: 2 bytes of status, then `name: value` header lines, a NUL, and the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use steadfetch::core::body::should_parse_json;
use steadfetch::core::headers::{default_request_id_headers, HeaderSource, MAX_DELAY_MS};
use steadfetch::core::json::{Json, JsonDoc};
use steadfetch::core::normalize;

fuzz_target!(|data: &[u8]| {
    let Some((status, rest)) = data.split_first_chunk::<2>() else { return };
    let status = u16::from_be_bytes(*status) % 1000;
    let text = String::from_utf8_lossy(rest);
    let (head, body) = text.split_once('\0').unwrap_or(("", &text));
    let headers: Vec<(String, String)> = head
        .lines()
        .filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_string(), v.trim().to_string())))
        .collect();
    // As the shell does: parse what claims or looks like JSON, then the one entry over a view.
    let content_type = headers.as_slice().header("content-type").unwrap_or_default();
    let parsed = if should_parse_json(body, &content_type) { Json::read(&mut serde_json::Deserializer::from_str(body)).ok() } else { None };
    let doc = parsed.as_ref().map(JsonDoc);
    let n = normalize(status, headers.as_slice(), doc.as_ref(), body, 1.7e12, &default_request_id_headers());
    assert!(!n.message.trim().is_empty());
    assert!(n.message.chars().count() <= 301);
    assert!(!n.code.is_empty());
    assert!(n.retry_after_ms.map_or(true, |d| d <= MAX_DELAY_MS));
    assert!(n.body_text.as_ref().map_or(true, |b| b.len() <= 8192));
});
