//! Text helpers on arbitrary input: HTML summaries, tidy/excerpt (URL redaction is js/errors.js's:
//! tests/js/redact.test.mjs).
#![no_main]

use libfuzzer_sys::fuzz_target;
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
});
