//! Header values: Retry-After, HTTP-dates, rate-limit headers, numbers.
#![no_main]

use libfuzzer_sys::fuzz_target;
use steadfetch::core::headers::{parse_http_date_ms, parse_retry_after, rate_limit, MAX_DELAY_MS};
use steadfetch::core::num::{format_number, parse_decimal};

fuzz_target!(|data: &[u8]| {
    let value = String::from_utf8_lossy(data);
    let now = 1.7e12;
    assert!(parse_retry_after(&value, now).map_or(true, |d| d <= MAX_DELAY_MS));
    if let Some(ms) = parse_http_date_ms(&value) {
        assert!(ms.is_finite());
    }
    if let Some(n) = parse_decimal(&value) {
        let _ = format_number(n);
    }
    let names = ["ratelimit", "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset", "x-ratelimit-reset", "x-ratelimit-remaining"];
    let headers: Vec<(String, String)> = names.iter().map(|n| (n.to_string(), value.to_string())).collect();
    let rl = rate_limit(headers.as_slice(), now);
    for v in [rl.limit, rl.remaining, rl.reset_at_ms].into_iter().flatten() {
        assert!(v.is_finite() && v >= 0.0);
    }
});
