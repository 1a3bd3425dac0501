//! Status + headers + body → normalized error, through the same parse rule as the browser.
//! Input: 2 bytes of status, then `name: value` header lines, a NUL, and the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use steadfetch::core::error::normalize_text;
use steadfetch::core::headers::{default_request_id_headers, MAX_DELAY_MS};
use steadfetch::core::json::Json;

fuzz_target!(|data: &[u8]| {
    let Some((status, rest)) = data.split_first_chunk::<2>() else { return };
    let status = u16::from_be_bytes(*status) % 1000;
    let text = String::from_utf8_lossy(rest);
    let (head, body) = text.split_once('\0').unwrap_or(("", &text));
    let headers: Vec<(String, String)> = head
        .lines()
        .filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_string(), v.trim().to_string())))
        .collect();
    let parse = |text: &str| Json::read(&mut serde_json::Deserializer::from_str(text)).ok();
    let n = normalize_text(status, &headers, body, &parse, 1.7e12, &default_request_id_headers());
    assert!(!n.message.trim().is_empty());
    assert!(n.message.chars().count() <= 301);
    assert!(!n.code.is_empty());
    assert!(n.retry_after_ms.map_or(true, |d| d <= MAX_DELAY_MS));
    assert!(n.body_text.as_ref().map_or(true, |b| b.len() <= 8192));
});
