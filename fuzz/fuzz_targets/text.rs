//! Text helpers on arbitrary input: HTML summaries, tidy/excerpt, URL redaction.
#![no_main]

use libfuzzer_sys::fuzz_target;
use steadfetch::core::redact::redact_url;
use steadfetch::core::text::{excerpt, html_summary, text_summary, tidy};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Some(s) = html_summary(&text) {
        assert!(!s.is_empty() && s.chars().count() <= 301);
    }
    if let Some(s) = text_summary(&text) {
        assert!(s.chars().count() <= 301);
    }
    assert!(tidy(&text, 50).chars().count() <= 51);
    assert!(excerpt(&text, 100).len() <= 100);
    let _ = redact_url(&text);
    // Whatever precedes it, a trailing credential parameter and the userinfo never survive.
    let query: String = text.chars().filter(|c| *c != '#').collect();
    let url = format!("https://user:pw@api.example.com/v1?{query}&api_key=TOPSECRET");
    let redacted = redact_url(&url);
    assert!(redacted.ends_with("&api_key=REDACTED"), "{redacted}");
    assert!(redacted.starts_with("https://api.example.com/v1?"), "{redacted}");
});
