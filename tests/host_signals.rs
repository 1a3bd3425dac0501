#![cfg(not(target_arch = "wasm32"))]
//! The rate-limit and retry signals of real APIs at their boundaries: epoch vs delta resets under
//! every header name, rate limits answered with 400/403/503, body delays, quota exhaustion,
//! the IETF RateLimit fields, 529 and 52x.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

use steadfetch::core::error::{normalize_text, Normalized};
use steadfetch::core::headers::*;
use steadfetch::core::json::Json;
use steadfetch::core::kind::ErrorKind;
use steadfetch::core::policy::RetryConfig;
use steadfetch::core::signals::{is_exhausted_code, is_throttling_code, short_type_name};

const NOW: f64 = 1_700_000_000_000.0;

fn normalize(status: u16, headers: &[(&str, &str)], body: &str) -> Normalized<Json> {
    let headers: Vec<(String, String)> = headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let parse = |text: &str| Json::read(&mut serde_json::Deserializer::from_str(text)).ok();
    normalize_text(status, &headers, body, &parse, NOW, &default_request_id_headers())
}

fn retryable(n: &Normalized<Json>) -> bool {
    n.retryable(&RetryConfig::default(), "GET", false)
}

#[test]
fn a_reset_is_delta_seconds_below_1e9_epoch_seconds_below_1e12_else_epoch_ms() {
    for name in ["ratelimit-reset", "x-ratelimit-reset", "x-rate-limit-reset"] {
        let at = |value: &str| normalize(429, &[(name, value), ("x-ratelimit-remaining", "0")], "").retry_after_ms;
        assert_eq!(at("30"), Some(30_000), "{name} delta");
        assert_eq!(at("999999999"), Some(MAX_DELAY_MS), "{name}: the largest delta, clamped");
        assert_eq!(at("1700000030"), Some(30_000), "{name} epoch seconds");
        assert_eq!(at("1700000030000"), Some(30_000), "{name} epoch ms");
        assert_eq!(at("1699999990"), None, "{name}: a reset in the past names no wait");
    }
    // GitLab sends an epoch under the IETF name: a delay is never read as 54 years.
    assert_eq!(normalize(429, &[("ratelimit-reset", "1700000060")], "").retry_after_ms, Some(60_000));
}

#[test]
fn retry_after_of_1e9_seconds_or_more_is_an_epoch() {
    assert_eq!(parse_retry_after("999999999", NOW), Some(MAX_DELAY_MS));
    assert_eq!(parse_retry_after("1700000045", NOW), Some(45_000));
    assert_eq!(parse_retry_after("1600000000", NOW), Some(0));
}

#[test]
fn millisecond_headers_win_in_order() {
    let n = normalize(429, &[("retry-after", "9"), ("x-ms-retry-after-ms", "250")], "");
    assert_eq!(n.retry_after_ms, Some(250));
    let n = normalize(429, &[("retry-after-ms", "100"), ("x-ms-retry-after-ms", "250")], "");
    assert_eq!(n.retry_after_ms, Some(100));
}

#[test]
fn ietf_ratelimit_fields_pick_the_most_exhausted_policy() {
    let headers = [("ratelimit", "\"burst\";r=5;t=3, \"daily\";r=0;t=4000"), ("ratelimit-policy", "\"burst\";q=100;w=60, \"daily\";q=1000;w=86400")];
    let n = normalize(429, &headers, "");
    let rl = n.rate_limit.expect("rate limit");
    assert_eq!((rl.limit, rl.remaining), (Some(1000.0), Some(0.0)));
    assert_eq!(n.retry_after_ms, Some(4_000_000));
    // The early draft's flat form still reads.
    let n = normalize(429, &[("ratelimit", "limit=100, remaining=0, reset=30")], "");
    assert_eq!(n.retry_after_ms, Some(30_000));
}

#[test]
fn github_403_with_remaining_0_is_a_rate_limit_and_retryable() {
    let headers = [("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "1700000120"), ("x-ratelimit-limit", "60")];
    let n = normalize(403, &headers, r#"{"message":"API rate limit exceeded for 1.2.3.4."}"#);
    assert_eq!((n.kind, n.retry_after_ms, retryable(&n)), (ErrorKind::RateLimited, Some(120_000), true));
    // Remaining 1 is an ordinary 403.
    let n = normalize(403, &[("x-ratelimit-remaining", "1")], r#"{"message":"Resource not accessible by integration"}"#);
    assert_eq!((n.kind, retryable(&n)), (ErrorKind::PermissionDenied, false));
    // The secondary limit: a 403 with Retry-After.
    let n = normalize(403, &[("retry-after", "60")], r#"{"message":"You have exceeded a secondary rate limit."}"#);
    assert_eq!((n.kind, n.retry_after_ms), (ErrorKind::RateLimited, Some(60_000)));
}

#[test]
fn throttling_codes_on_400_and_503_are_rate_limits() {
    for (status, body) in [
        (400, r#"{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"x"}"#),
        (400, r#"{"error":{"code":"rate_limit","message":"slow down"}}"#),
        (503, r#"{"code":"SlowDown","message":"Please reduce your request rate."}"#),
    ] {
        let n = normalize(status, &[], body);
        assert_eq!((n.kind, retryable(&n)), (ErrorKind::RateLimited, true), "{body}");
    }
    assert!(is_throttling_code("TooManyRequestsException") && is_throttling_code("rate-limited"));
    assert!(!is_throttling_code("ValidationException") && !is_throttling_code("rate"));
}

#[test]
fn exhausted_quotas_are_never_retried() {
    let n = normalize(429, &[("retry-after", "1")], r#"{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}"#);
    assert_eq!((n.kind, retryable(&n)), (ErrorKind::RateLimited, false));
    let n = normalize(403, &[], r#"{"error":{"errors":[{"domain":"usageLimits","reason":"dailyLimitExceeded","message":"Daily Limit Exceeded"}],"code":403,"message":"Daily Limit Exceeded"}}"#);
    assert_eq!((n.kind, n.code.as_str(), retryable(&n)), (ErrorKind::RateLimited, "dailyLimitExceeded", false));
    // The server's explicit word still wins.
    let n = normalize(429, &[("x-should-retry", "true")], r#"{"error":{"code":"insufficient_quota","message":"q"}}"#);
    assert!(retryable(&n));
    assert!(is_exhausted_code("billing_hard_limit_reached") && !is_exhausted_code("rate_limit_exceeded"));
}

#[test]
fn google_retry_info_and_discord_retry_after_are_body_delays() {
    let google = r#"{"error":{"code":429,"status":"RESOURCE_EXHAUSTED","message":"m","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"53s"}]}}"#;
    assert_eq!(normalize(429, &[], google).retry_after_ms, Some(53_000));
    let fractional = google.replace("53s", "0.25s");
    assert_eq!(normalize(429, &[], &fractional).retry_after_ms, Some(250));
    assert_eq!(normalize(429, &[], &google.replace("\"53s\"", "\"soon\"")).retry_after_ms, None);
    assert_eq!(normalize(429, &[], r#"{"message":"You are being rate limited.","retry_after":64.57,"global":false}"#).retry_after_ms, Some(64_570));
    // A header beats the body.
    assert_eq!(normalize(429, &[("retry-after", "2")], google).retry_after_ms, Some(2_000));
}

#[test]
fn overloaded_and_cloudflare_origin_errors_are_transient() {
    assert_eq!(normalize(529, &[], r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#).kind, ErrorKind::Unavailable);
    for status in 520..=527 {
        let n = normalize(status, &[], "");
        assert_eq!((n.kind, retryable(&n)), (ErrorKind::Server, true), "{status}");
    }
    assert!(!retryable(&normalize(528, &[], "")));
}

#[test]
fn aws_error_types_lose_namespace_and_uri() {
    assert_eq!(short_type_name("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"), "ResourceNotFoundException");
    assert_eq!(short_type_name("ValidationException:http://internal.amazon.com/coral/"), "ValidationException");
    let n = normalize(400, &[("x-amzn-errortype", "ResourceNotFoundException:http://internal.amazon.com/")], r#"{"message":"Function not found"}"#);
    assert_eq!((n.kind, n.code.as_str()), (ErrorKind::NotFound, "ResourceNotFoundException"));
}

#[test]
fn a_shape_no_rule_knows_still_gives_its_best_sentence() {
    let n = normalize(400, &[], r#"{"fault":{"faultstring":"Invalid ApiKey","detail":{"errorcode":"oauth.v2.InvalidApiKey"}}}"#);
    assert_eq!(n.message, "Invalid ApiKey");
    let n = normalize(500, &[], r#"{"meta":{"ok":false},"payload":{"info":"The upstream ledger did not answer in time"}}"#);
    assert_eq!(n.message, "The upstream ledger did not answer in time");
    let n = normalize(500, &[], r#"{"a":{"b":1},"c":[true,null]}"#);
    assert_eq!(n.message, "HTTP 500 Internal Server Error");
    assert!(n.details.is_some(), "the whole body is kept as details");
}

#[test]
fn www_authenticate_names_a_bearer_error() {
    let n = normalize(401, &[("www-authenticate", "Bearer realm=\"example\", error=\"invalid_token\", error_description=\"The access token expired\"")], "");
    assert_eq!((n.code.as_str(), n.message.as_str()), ("invalid_token", "The access token expired"));
}
