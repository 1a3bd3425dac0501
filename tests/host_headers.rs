#![cfg(not(target_arch = "wasm32"))]
//! Header parsing at its edges (redaction is js/errors.js's: tests/js/redact.test.mjs).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

use steadfetch::core::headers::*;
use steadfetch::core::text::{excerpt, html_summary, tidy};

const NOW: f64 = 1_700_000_000_000.0;

#[test]
fn retry_after_forms() {
    assert_eq!(parse_retry_after("0", NOW), Some(0));
    assert_eq!(parse_retry_after("  120 ", NOW), Some(120_000));
    assert_eq!(parse_retry_after("Tue, 14 Nov 2023 22:13:30 GMT", NOW), Some(10_000));
    assert_eq!(parse_retry_after("Tuesday, 14-Nov-23 22:13:30 GMT", NOW), Some(10_000));
    assert_eq!(parse_retry_after("Tue Nov 14 22:13:30 2023", NOW), Some(10_000));
    for bad in ["", "-1", "+5", "1e3", "1e309", "soon", "NaN", "Infinity", "0x10", "1..2", ".5", "5 s"] {
        assert_eq!(parse_retry_after(bad, NOW), None, "{bad:?}");
    }
    assert_eq!(parse_retry_after("99999999999999999999999999", NOW), Some(MAX_DELAY_MS));
    assert_eq!(parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", NOW), Some(0));
}

#[test]
fn clamp_delay_edges() {
    assert_eq!(clamp_delay(f64::NAN), 0);
    assert_eq!(clamp_delay(-1.0), 0);
    assert_eq!(clamp_delay(0.2), 1);
    assert_eq!(clamp_delay(f64::INFINITY), MAX_DELAY_MS);
    assert_eq!(clamp_delay(MAX_DELAY_MS as f64 + 1.0), MAX_DELAY_MS);
}

#[test]
fn reset_values_of_every_form() {
    assert_eq!(reset_to_epoch_ms(30.0, NOW), NOW + 30_000.0);
    assert_eq!(reset_to_epoch_ms(1_700_000_100.0, NOW), 1_700_000_100_000.0);
    assert_eq!(reset_to_epoch_ms(1_700_000_100_000.0, NOW), 1_700_000_100_000.0);
    assert_eq!(delay_until(NOW - 1.0, NOW), None);
    assert_eq!(delay_until(NOW + 1.0, NOW), Some(1));
}

#[test]
fn request_id_lookup_is_ordered_and_configurable() {
    let headers = vec![("CF-Ray".to_string(), "ray".to_string()), ("x-trace".to_string(), "t1".to_string())];
    assert_eq!(request_id(headers.as_slice(), DEFAULT_REQUEST_ID_HEADERS), Some("ray".into()));
    assert_eq!(request_id(headers.as_slice(), "x-trace cf-ray"), Some("t1".into()));
    let blank = vec![("X-Request-Id".to_string(), "   ".to_string())];
    assert_eq!(request_id(blank.as_slice(), DEFAULT_REQUEST_ID_HEADERS), None);
}

#[test]
fn text_helpers() {
    assert_eq!(tidy("  a \n\n b\t", 10), "a b");
    assert_eq!(tidy("abcdef", 3), "abc…");
    assert_eq!(tidy("ab cd", 3), "ab…");
    assert_eq!(excerpt("héllo", 2), "h");
    assert_eq!(html_summary("<TITLE>Hi &lt;there&gt; &#x41;&#66;</TITLE>"), Some("Hi <there> AB".into()));
    assert_eq!(html_summary("<titlex>no</titlex><h2>Second</h2>"), Some("Second".into()));
    assert_eq!(html_summary("<title>unclosed"), None);
}
