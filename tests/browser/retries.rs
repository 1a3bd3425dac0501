//! Retry behaviour end to end: backoff, server hints, caps, idempotency, budget, hooks.

use super::support::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
async fn two_503s_then_success_on_attempt_three() {
    let key = unique("flaky");
    let log = log_array();
    let o = with(&opts(r#"{"backoff":{"baseMs":40,"factor":2,"jitter":"none"}}"#), "onRetry", pusher(&log));
    let start = now();
    let v = call_ok(&mock(&format!("/s/flaky?fail=2&key={key}")), o).await;
    let elapsed = now() - start;
    assert_eq!(num(&v, "attempt"), 3.0);
    assert_eq!(log.length(), 2);
    let delays: Vec<f64> = log.iter().map(|i| num(&i, "delayMs")).collect();
    assert_eq!(delays, vec![40.0, 80.0]);
    let first = log.get(0);
    assert_eq!(num(&first, "attempt"), 1.0);
    assert_eq!(num(&first, "nextAttempt"), 2.0);
    assert_eq!(text(&first, "delaySource"), "backoff");
    assert_eq!(text(&field(&first, "error"), "name"), "ServiceUnavailableError");
    assert!(elapsed >= 120.0, "no wait ended early: {elapsed} ms for 120 ms of waits");
}

async fn retry_after_case(query: &str, expect_min: f64, expect_max: f64, source: &str) {
    let key = unique("ra");
    let log = log_array();
    let o = with(&opts(r#"{"backoff":{"baseMs":5000}}"#), "onRetry", pusher(&log));
    let start = now();
    let v = call_ok(&mock(&format!("/s/flaky?fail=1&status=429&key={key}&{query}")), o).await;
    let elapsed = now() - start;
    assert_eq!(num(&v, "attempt"), 2.0);
    let delay = num(&log.get(0), "delayMs");
    assert!(delay >= expect_min && delay <= expect_max, "{query}: delay {delay}");
    assert_eq!(text(&log.get(0), "delaySource"), source, "{query}");
    assert!(elapsed >= delay, "{query}: waited {elapsed} < {delay}");
}

#[wasm_bindgen_test]
async fn rate_limit_with_each_retry_after_form() {
    retry_after_case("retryAfter=1", 1000.0, 1000.0, "server").await;
    retry_after_case("retryAfterMs=150", 150.0, 150.0, "server").await;
    // An HTTP-date has 1 s resolution: 1.5 s ahead gives a wait of 0.5–1.5 s.
    retry_after_case("retryAfterDate=1500", 0.0, 1600.0, "server").await;
}

#[wasm_bindgen_test]
async fn hint_over_the_cap_or_deadline_fails_at_once() {
    let key = unique("cap");
    let start = now();
    let e = call_err(&mock(&format!("/s/flaky?fail=5&status=429&retryAfter=120&key={key}")), opts("{}")).await;
    assert_error(&e, "RateLimitError", "rate_limited", "failure_429", 1.0);
    assert_eq!(num(&e, "retryAfterMs"), 120_000.0);
    assert!(now() - start < 2000.0);

    let e = call_err(&mock(&format!("/s/flaky?fail=5&status=503&retryAfter=2&key={key}b")), opts(r#"{"deadlineMs":1500}"#)).await;
    assert_error(&e, "ServiceUnavailableError", "unavailable", "failure_503", 1.0);
    assert_eq!(num(&e, "retryAfterMs"), 2000.0);
    assert!(now() - start < 3000.0);
}

#[wasm_bindgen_test]
async fn client_errors_are_never_retried() {
    for (code, name) in [(400, "BadRequestError"), (401, "AuthenticationError"), (402, "PaymentRequiredError"), (403, "PermissionDeniedError"), (404, "NotFoundError"), (409, "ConflictError"), (422, "ValidationError")] {
        let key = unique("4xx");
        let e = call_err(&mock(&format!("/s/flaky?fail=5&status={code}&key={key}")), opts(r#"{"backoff":{"baseMs":1}}"#)).await;
        assert_error(&e, name, "", "", 1.0);
        assert_eq!(field(&e, "retryable"), JsValue::FALSE);
        assert_eq!(num(&field(&stats(&key).await, "counts"), "flaky"), 1.0, "{code}: the server saw one request");
    }
}

#[wasm_bindgen_test]
async fn post_without_key_is_not_retried_with_key_is_and_applies_once() {
    let key = unique("nokey");
    let e = call_err(&mock(&format!("/s/charge?fail=1&key={key}")), opts(r#"{"method":"POST","json":{"amount":5},"backoff":{"baseMs":5}}"#)).await;
    assert_error(&e, "ServiceUnavailableError", "unavailable", "unavailable", 1.0);
    assert_eq!(field(&e, "retryable"), JsValue::FALSE);
    assert_eq!(num(&stats(&key).await, "calls"), 1.0);

    let key = unique("keyed");
    let o = opts(r#"{"method":"POST","json":{"amount":5},"idempotencyKey":true,"backoff":{"baseMs":5}}"#);
    let v = call_ok(&mock(&format!("/s/charge?fail=2&key={key}")), o).await;
    assert_eq!(num(&v, "applied"), 1.0);
    let s = stats(&key).await;
    assert_eq!(num(&s, "calls"), 3.0, "retried twice");
    assert_eq!(num(&field(&s, "uniqueKeys"), "length"), 1.0, "one key on every attempt");
    assert_eq!(num(&s, "applied"), 1.0, "one side effect");

    let key = unique("custom");
    let o = opts(r#"{"method":"PATCH","json":{},"idempotencyKey":"order-42","idempotencyHeader":"X-Idem","backoff":{"baseMs":5}}"#);
    call_ok(&mock(&format!("/s/charge?fail=1&header=X-Idem&key={key}")), o).await;
    let s = stats(&key).await;
    assert_eq!(js_sys::JSON::stringify(&field(&s, "uniqueKeys")).unwrap().as_string().unwrap(), r#"["order-42"]"#);
}

#[wasm_bindgen_test]
async fn post_429_is_retried_without_key() {
    let key = unique("post429");
    let v = call_ok(&mock(&format!("/s/flaky?fail=1&status=429&retryAfterMs=10&key={key}")), opts(r#"{"method":"POST","body":"x"}"#)).await;
    assert_eq!(num(&v, "attempt"), 2.0);
}

#[wasm_bindgen_test]
async fn x_should_retry_overrides_status() {
    let key = unique("xsr");
    let v = call_ok(&mock(&format!("/s/flaky?fail=1&status=400&shouldRetry=true&key={key}")), opts(r#"{"backoff":{"baseMs":5}}"#)).await;
    assert_eq!(num(&v, "attempt"), 2.0);
    let e = call_err(&mock(&format!("/s/flaky?fail=1&status=503&shouldRetry=false&key={key}b")), opts("{}")).await;
    assert_error(&e, "ServiceUnavailableError", "unavailable", "", 1.0);
}

#[wasm_bindgen_test]
async fn should_retry_hook_decides_and_on_error_sees_the_final_error() {
    let key = unique("hook");
    let seen = log_array();
    let o = opts(r#"{"backoff":{"baseMs":5}}"#);
    with(&o, "shouldRetry", js_fn("e, n", "return e.status === 404 && n < 3"));
    with(&o, "onError", pusher(&seen));
    let e = call_err(&mock(&format!("/s/flaky?fail=9&status=404&key={key}")), o).await;
    assert_error(&e, "NotFoundError", "not_found", "", 3.0);
    assert_eq!(seen.length(), 1);
    assert!(seen.get(0).loose_eq(&e) || js_sys::Object::is(&seen.get(0), &e));
}

#[wasm_bindgen_test]
async fn retry_budget_stops_retries_while_an_origin_fails() {
    // localhost is its own origin here, so this budget is not shared with the other tests.
    let base = mock("").replace("127.0.0.1", "localhost");
    steadfetch::web::budget::reset(None);
    let o = || opts(r#"{"maxRetries":5,"backoff":{"baseMs":2},"retryBudget":{"capacity":10,"retryCost":5}}"#);
    let e = call_err(&format!("{base}/s/flaky?fail=99&key={}", unique("budget")), o()).await;
    assert_eq!(num(&e, "attempts"), 3.0, "two retries drained the bucket");
    let e = call_err(&format!("{base}/s/flaky?fail=99&key={}", unique("budget")), o()).await;
    assert_eq!(num(&e, "attempts"), 1.0, "no retries while the budget is empty");
    call_ok(&format!("{base}/s/flaky?fail=0&key={}", unique("budget")), o()).await;
    let e = call_err(&format!("{base}/s/flaky?fail=99&key={}", unique("budget")), o()).await;
    assert_eq!(num(&e, "attempts"), 1.0, "one success refills one token, not a retry's worth");
    steadfetch::web::budget::reset(None);
    let e = call_err(&format!("{base}/s/flaky?fail=99&key={}", unique("budget")), o()).await;
    assert_eq!(num(&e, "attempts"), 3.0, "a reset bucket allows retries again");
    steadfetch::web::budget::reset(None);
}

#[wasm_bindgen_test]
async fn history_records_every_attempt() {
    let key = unique("hist");
    let e = call_err(&mock(&format!("/s/flaky?fail=9&status=500&key={key}")), opts(r#"{"maxRetries":2,"backoff":{"baseMs":5,"jitter":"none"}}"#)).await;
    let history: js_sys::Array = field(&e, "history").dyn_into().unwrap();
    assert_eq!(history.length(), 3);
    for (i, h) in history.iter().enumerate() {
        assert_eq!(num(&h, "attempt"), i as f64 + 1.0);
        assert_eq!(num(&h, "status"), 500.0);
        assert!(text(&h, "requestId").starts_with("req_"));
        assert!(num(&h, "durationMs") >= 0.0);
    }
    assert_eq!(field(&history.get(2), "delayMs"), JsValue::NULL, "no wait after the last attempt");
}
