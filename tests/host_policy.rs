#![cfg(not(target_arch = "wasm32"))]
//! Each retry rule of DESIGN §4 at its boundaries, and the retry budget.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

use steadfetch::core::budget::{BudgetConfig, RetryBudget};
use steadfetch::core::kind::ErrorKind;
use steadfetch::core::policy::*;

fn failure(status: u16) -> Failure {
    Failure { kind: ErrorKind::from_status(status), status: Some(status), should_retry: None, hint_ms: None }
}

fn attempt(number: u32, method: &str) -> Attempt<'_> {
    Attempt { number, method, has_idempotency_key: false, remaining_ms: None, random: 0.5 }
}

fn no_jitter() -> RetryConfig {
    RetryConfig { jitter: Jitter::None, ..RetryConfig::default() }
}

#[test]
fn default_statuses_are_retried_and_others_are_not() {
    let config = no_jitter();
    for status in [408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524, 525, 526, 527, 529] {
        assert!(matches!(decide(&config, &failure(status), &attempt(1, "GET")), Decision::Retry { .. }), "{status}");
    }
    for status in [400, 401, 402, 403, 404, 405, 409, 410, 422, 501, 505, 519, 528, 530] {
        assert_eq!(decide(&config, &failure(status), &attempt(1, "GET")), Decision::Stop(Stop::NotRetryable), "{status}");
    }
}

#[test]
fn payment_required_is_never_retried_even_by_post_with_key() {
    let a = Attempt { has_idempotency_key: true, ..attempt(1, "POST") };
    assert_eq!(decide(&RetryConfig::default(), &failure(402), &a), Decision::Stop(Stop::NotRetryable));
}

#[test]
fn max_retries_boundary() {
    let config = RetryConfig { max_retries: 2, ..no_jitter() };
    assert!(matches!(decide(&config, &failure(503), &attempt(2, "GET")), Decision::Retry { .. }));
    assert_eq!(decide(&config, &failure(503), &attempt(3, "GET")), Decision::Stop(Stop::MaxRetries));
    let zero = RetryConfig { max_retries: 0, ..no_jitter() };
    assert_eq!(decide(&zero, &failure(503), &attempt(1, "GET")), Decision::Stop(Stop::MaxRetries));
}

#[test]
fn post_and_patch_need_a_key_unless_429() {
    let config = no_jitter();
    for method in ["POST", "patch"] {
        assert_eq!(decide(&config, &failure(503), &attempt(1, method)), Decision::Stop(Stop::UnsafeMethod));
        let keyed = Attempt { has_idempotency_key: true, ..attempt(1, method) };
        assert!(matches!(decide(&config, &failure(503), &keyed), Decision::Retry { .. }));
        assert!(matches!(decide(&config, &failure(429), &attempt(1, method)), Decision::Retry { .. }));
        let net = Failure { kind: ErrorKind::Network, status: None, should_retry: None, hint_ms: None };
        assert_eq!(decide(&config, &net, &attempt(1, method)), Decision::Stop(Stop::UnsafeMethod));
    }
    for method in ["PUT", "DELETE", "GET", "HEAD", "OPTIONS"] {
        assert!(matches!(decide(&config, &failure(503), &attempt(1, method)), Decision::Retry { .. }), "{method}");
    }
}

#[test]
fn network_and_timeout_follow_their_switches() {
    let net = Failure { kind: ErrorKind::Network, status: None, should_retry: None, hint_ms: None };
    let timeout = Failure { kind: ErrorKind::Timeout, ..net };
    let on = no_jitter();
    assert!(matches!(decide(&on, &net, &attempt(1, "GET")), Decision::Retry { .. }));
    assert!(matches!(decide(&on, &timeout, &attempt(1, "GET")), Decision::Retry { .. }));
    let off = RetryConfig { retry_network_errors: false, retry_on_timeout: false, ..on };
    assert_eq!(decide(&off, &net, &attempt(1, "GET")), Decision::Stop(Stop::NotRetryable));
    assert_eq!(decide(&off, &timeout, &attempt(1, "GET")), Decision::Stop(Stop::NotRetryable));
}

#[test]
fn abort_and_parse_are_never_retried() {
    for kind in [ErrorKind::Aborted, ErrorKind::Parse] {
        let f = Failure { kind, status: None, should_retry: Some(true), hint_ms: None };
        assert_eq!(decide(&no_jitter(), &f, &attempt(1, "GET")), Decision::Stop(Stop::NotRetryable));
    }
}

#[test]
fn x_should_retry_overrides_the_status_rule() {
    let yes = Failure { should_retry: Some(true), ..failure(400) };
    assert!(matches!(decide(&no_jitter(), &yes, &attempt(1, "GET")), Decision::Retry { .. }));
    let no = Failure { should_retry: Some(false), ..failure(503) };
    assert_eq!(decide(&no_jitter(), &no, &attempt(1, "GET")), Decision::Stop(Stop::NotRetryable));
    // It does not make an unkeyed POST safe.
    assert_eq!(decide(&no_jitter(), &Failure { should_retry: Some(true), ..failure(500) }, &attempt(1, "POST")), Decision::Stop(Stop::UnsafeMethod));
}

#[test]
fn server_hint_is_used_as_given_up_to_the_cap() {
    let config = RetryConfig { max_retry_after_ms: 60_000, ..RetryConfig::default() };
    let at_cap = Failure { hint_ms: Some(60_000), ..failure(429) };
    assert_eq!(decide(&config, &at_cap, &attempt(1, "GET")), Decision::Retry { delay_ms: 60_000, from_server: true });
    let over = Failure { hint_ms: Some(60_001), ..failure(429) };
    assert_eq!(decide(&config, &over, &attempt(1, "GET")), Decision::Stop(Stop::HintTooLong));
    let zero = Failure { hint_ms: Some(0), ..failure(503) };
    assert_eq!(decide(&config, &zero, &attempt(1, "GET")), Decision::Retry { delay_ms: 0, from_server: true });
}

#[test]
fn hint_or_backoff_past_the_deadline_stops_at_once() {
    let config = no_jitter();
    let hinted = Failure { hint_ms: Some(5_000), ..failure(503) };
    let tight = Attempt { remaining_ms: Some(5_000.0), ..attempt(1, "GET") };
    assert_eq!(decide(&config, &hinted, &tight), Decision::Stop(Stop::Deadline));
    let roomy = Attempt { remaining_ms: Some(5_001.0), ..attempt(1, "GET") };
    assert!(matches!(decide(&config, &hinted, &roomy), Decision::Retry { delay_ms: 5_000, .. }));
    let backoff_tight = Attempt { remaining_ms: Some(999.0), ..attempt(1, "GET") };
    assert_eq!(decide(&config, &failure(503), &backoff_tight), Decision::Stop(Stop::Deadline));
}

#[test]
fn default_retry_after_applies_only_without_a_hint() {
    let config = RetryConfig { default_retry_after_ms: Some(60_000), ..no_jitter() };
    assert_eq!(decide(&config, &failure(429), &attempt(1, "GET")), Decision::Retry { delay_ms: 60_000, from_server: true });
    let hinted = Failure { hint_ms: Some(2_000), ..failure(429) };
    assert_eq!(decide(&config, &hinted, &attempt(1, "GET")), Decision::Retry { delay_ms: 2_000, from_server: true });
    assert_eq!(decide(&config, &failure(500), &attempt(1, "GET")), Decision::Retry { delay_ms: 1_000, from_server: false });
}

#[test]
fn exponential_backoff_doubles_and_caps() {
    let config = no_jitter();
    let delays: Vec<u64> = (0..8).map(|i| backoff_ms(&config, i, 0.3)).collect();
    assert_eq!(delays, vec![1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    assert_eq!(backoff_ms(&config, u32::MAX, 0.5), 30_000);
}

#[test]
fn jitter_bounds() {
    let full = RetryConfig::default();
    assert_eq!(backoff_ms(&full, 2, 0.0), 0);
    assert_eq!(backoff_ms(&full, 2, 0.999_999), 4000);
    assert_eq!(backoff_ms(&full, 2, 0.5), 2000);
    let equal = RetryConfig { jitter: Jitter::Equal, ..RetryConfig::default() };
    assert_eq!(backoff_ms(&equal, 2, 0.0), 2000);
    assert_eq!(backoff_ms(&equal, 2, 1.0), 4000);
    for r in [f64::NAN, -1.0, 2.0, f64::INFINITY] {
        let d = backoff_ms(&full, 1, r);
        assert!(d <= 2000, "{r} gave {d}");
    }
}

#[test]
fn backoff_is_clamped_to_timer_range() {
    let huge = RetryConfig { base_ms: 1e300, factor: 1e10, max_ms: f64::INFINITY, jitter: Jitter::None, ..RetryConfig::default() };
    assert_eq!(backoff_ms(&huge, 50, 0.5), 2_147_483_647);
    let negative = RetryConfig { base_ms: -5.0, factor: 0.1, jitter: Jitter::None, ..RetryConfig::default() };
    assert_eq!(backoff_ms(&negative, 3, 0.5), 0);
}

#[test]
fn retryable_flag_matches_decision_rules() {
    let config = RetryConfig::default();
    assert!(is_retryable(&config, &failure(503), "GET", false));
    assert!(!is_retryable(&config, &failure(503), "POST", false));
    assert!(is_retryable(&config, &failure(503), "POST", true));
    assert!(!is_retryable(&config, &failure(404), "GET", false));
}

#[test]
fn budget_drains_refuses_and_refills() {
    let config = BudgetConfig { capacity: 12.0, retry_cost: 5.0, timeout_cost: 10.0, success_refill: 1.0 };
    let mut bucket = RetryBudget::new(&config);
    assert_eq!(bucket.try_acquire(&config, ErrorKind::Server), Some(5.0));
    assert_eq!(bucket.try_acquire(&config, ErrorKind::Server), Some(5.0));
    assert_eq!(bucket.try_acquire(&config, ErrorKind::Server), None, "2 tokens left");
    assert_eq!(bucket.tokens(), 2.0);
    assert_eq!(bucket.try_acquire(&config, ErrorKind::Timeout), None);
    bucket.on_success(&config, 5.0);
    assert_eq!(bucket.tokens(), 7.0);
    bucket.on_success(&config, 0.0);
    assert_eq!(bucket.tokens(), 8.0);
    for _ in 0..100 {
        bucket.on_success(&config, 5.0);
    }
    assert_eq!(bucket.tokens(), 12.0, "never above capacity");
}

#[test]
fn kinds_round_trip_and_have_default_codes() {
    // Their hints are their classes' (js/errors.js; tests/js/boundary.test.mjs checks each).
    for kind in ErrorKind::ALL {
        assert_eq!(ErrorKind::parse(kind.as_str()), Some(kind));
        assert!(!kind.default_code(None).is_empty());
    }
    assert_eq!(ErrorKind::from_status(410), ErrorKind::NotFound);
    assert_eq!(ErrorKind::from_status(599), ErrorKind::Server);
    assert_eq!(ErrorKind::from_status(302), ErrorKind::Unknown);
}
