//! Teaching steadfetch an API in one line: `isError` declares a 2xx body an error, `parseError`
//! merges what the caller knows over the generic normalization. Against the mock API.

use super::support::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

/// `/s/status/<code>` answering `body` as JSON.
fn json_status(code: u16, body: &str) -> String {
    let body = js_sys::encode_uri_component(body).as_string().unwrap();
    mock(&format!("/s/status/{code}?h-Content-Type=application/json&body={body}"))
}

#[wasm_bindgen_test]
async fn is_error_turns_slacks_ok_false_into_an_error() {
    let url = json_status(200, r#"{"ok":false,"error":"invalid_auth"}"#);
    // Without the hook a 200 is a success, whatever it says.
    let value = call_ok(&url, opts("{}")).await;
    assert_eq!(field(&value, "ok"), JsValue::FALSE);
    let o = with(&opts("{}"), "isError", js_fn("body", "return body.ok === false"));
    let e = call_err(&url, o).await;
    // A 200 says nothing of the kind; the code does.
    assert_error(&e, "AuthenticationError", "authentication", "invalid_auth", 1.0);
    assert_eq!(text(&e, "message"), "Invalid auth");
    assert_eq!(num(&e, "status"), 200.0);
    assert_eq!(field(&e, "retryable"), JsValue::FALSE);
}

#[wasm_bindgen_test]
async fn parse_error_fields_are_merged_over_the_generic_result() {
    let url = json_status(400, r#"{"err":{"id":"E42","text":"Quota is gone"}}"#);
    let hook = js_fn(
        "body, response",
        "return { code: body.err.id, message: body.err.text + ' (' + response.status + ')', kind: 'rate_limited', \
         retryable: false, retryAfterMs: 1234, requestId: 'rq_1', fieldErrors: [{ field: 'plan', message: 'exhausted' }] }",
    );
    let e = call_err(&url, with(&opts("{}"), "parseError", hook)).await;
    assert_error(&e, "RateLimitError", "rate_limited", "E42", 1.0);
    assert_eq!(text(&e, "message"), "Quota is gone (400)");
    assert_eq!(num(&e, "retryAfterMs"), 1234.0);
    assert_eq!(text(&e, "requestId"), "rq_1");
    assert_eq!(field(&e, "retryable"), JsValue::FALSE);
    let fields: js_sys::Array = field(&e, "fieldErrors").dyn_into().unwrap();
    assert_eq!(fields.length(), 1);
    assert_eq!(text(&fields.get(0), "field"), "plan");
    assert_eq!(field(&fields.get(0), "code"), JsValue::NULL);
}

#[wasm_bindgen_test]
async fn an_async_parse_error_is_awaited_and_its_retryable_is_obeyed() {
    let key = unique("parse-retry");
    let url = mock(&format!("/s/flaky?fail=1&status=400&key={key}"));
    let hook = js_fn("body", "return Promise.resolve({ retryable: true, code: 'transient_' + body.error.code })");
    let o = with(&opts(r#"{"maxRetries":1,"backoff":{"baseMs":1,"jitter":"none"}}"#), "parseError", hook);
    let value = call_ok(&url, o).await;
    assert_eq!(num(&value, "attempt"), 2.0, "the 400 was retried because parseError said so");
}

#[wasm_bindgen_test]
async fn is_error_and_parse_error_together() {
    let url = json_status(200, r#"{"ok":false,"error":"ratelimited","retry_after":3}"#);
    let o = with(&opts(r#"{"maxRetries":0}"#), "isError", js_fn("b", "return !b.ok"));
    let o = with(&o, "parseError", js_fn("b", "return b.error === 'ratelimited' ? { kind: 'rate_limited' } : undefined"));
    let e = call_err(&url, o).await;
    assert_error(&e, "RateLimitError", "rate_limited", "ratelimited", 1.0);
    assert_eq!(num(&e, "retryAfterMs"), 3000.0, "Slack's retry_after read from the body");
}

#[wasm_bindgen_test]
async fn a_throwing_or_misbehaving_parse_error_is_a_type_error_naming_it() {
    let url = json_status(404, r#"{"message":"nope"}"#);
    let e = call_err(&url, with(&opts("{}"), "parseError", js_fn("", "throw new Error('parser bug')"))).await;
    assert!(e.is_instance_of::<js_sys::TypeError>());
    assert!(text(&e, "message").contains("parseError hook threw (parser bug)"), "{}", text(&e, "message"));
    assert_eq!(text(&field(&e, "cause"), "message"), "parser bug");
    let e = call_err(&url, with(&opts("{}"), "parseError", js_fn("", "return Promise.reject(new Error('late bug'))"))).await;
    assert!(text(&e, "message").contains("parseError hook threw (late bug)"), "{}", text(&e, "message"));
    let e = call_err(&url, with(&opts("{}"), "parseError", js_fn("", "return { kind: 'nope' }"))).await;
    assert!(e.is_instance_of::<js_sys::TypeError>());
    assert!(text(&e, "message").contains("parseError hook returned kind"), "{}", text(&e, "message"));
    let e = call_err(&url, with(&opts("{}"), "parseError", js_fn("", "return 42"))).await;
    assert!(text(&e, "message").contains("parseError hook returned 42"), "{}", text(&e, "message"));
    let e = call_err(&json_status(200, "{}"), with(&opts("{}"), "isError", js_fn("", "throw new Error('x')"))).await;
    assert!(text(&e, "message").contains("isError hook threw"), "{}", text(&e, "message"));
    assert_module_alive().await;
}

// Issue 12: the engine's own hooks (beforeRetry, beforeError, async shouldRetry/onRetry), the
// response on the error, and a TimeoutError reason. The glue-level hooks (beforeRequest,
// afterResponse, fetch, onDownloadProgress, searchParams) are covered through the package in
// tests/js/api.test.mjs.

#[wasm_bindgen_test]
async fn before_retry_false_and_async_should_retry_false_stop_at_one_request() {
    let key = unique("before-retry");
    let url = mock(&format!("/s/flaky?fail=9&status=503&key={key}"));
    let log = log_array();
    let o = with(&opts(r#"{"backoff":{"baseMs":1,"jitter":"none"}}"#), "beforeRetry", js_fn("log", "return async (info) => { log.push([info.error.kind, info.attempt, info.delayMs]); return false; }").call1(&JsValue::UNDEFINED, &log).unwrap());
    let e = call_err(&url, o).await;
    assert_error(&e, "ServiceUnavailableError", "unavailable", "", 1.0);
    assert_eq!(describe(&log), r#"[["unavailable",1,1]]"#);
    let key = unique("should-retry-async");
    let url = mock(&format!("/s/flaky?fail=9&status=503&key={key}"));
    let e = call_err(&url, with(&opts(r#"{"backoff":{"baseMs":1}}"#), "shouldRetry", js_fn("", "return Promise.resolve(false)"))).await;
    assert_eq!(num(&e, "attempts"), 1.0);
    assert_eq!(num(&field(&stats(&key).await, "counts"), "flaky"), 1.0);
}

#[wasm_bindgen_test]
async fn an_async_on_retry_that_rejects_is_a_type_error_naming_it() {
    let url = mock(&format!("/s/flaky?fail=9&status=503&key={}", unique("on-retry")));
    let e = call_err(&url, with(&opts(r#"{"backoff":{"baseMs":1}}"#), "onRetry", js_fn("", "return Promise.reject(new Error('logger down'))"))).await;
    assert!(e.is_instance_of::<js_sys::TypeError>());
    assert!(text(&e, "message").contains("onRetry hook threw (logger down)"), "{}", text(&e, "message"));
    assert_eq!(text(&field(&e, "cause"), "message"), "logger down");
    assert_module_alive().await;
}

#[wasm_bindgen_test]
async fn before_error_replaces_the_error_and_on_error_sees_the_replacement() {
    let log = log_array();
    let o = with(&opts("{}"), "beforeError", js_fn("e", "return Promise.resolve(Object.assign(e, { message: 'replaced ' + e.status }))"));
    let o = with(&o, "onError", pusher(&log));
    let e = call_err(&mock("/s/status/404"), o).await;
    assert_error(&e, "NotFoundError", "not_found", "", 1.0);
    assert_eq!(text(&e, "message"), "replaced 404");
    assert_eq!(text(&log.get(0), "message"), "replaced 404");
    let e = call_err(&mock("/s/status/404"), with(&opts("{}"), "beforeError", js_fn("", "return 'nope'"))).await;
    assert!(text(&e, "message").contains("beforeError hook returned"), "{}", text(&e, "message"));
}

#[wasm_bindgen_test]
async fn an_error_carries_headers_response_and_the_whole_body() {
    let e = call_err(&json_status(400, r#"{"foo":1,"message":"Bad","extra":{"a":[1,2]}}"#), opts("{}")).await;
    assert_eq!(describe(&field(&e, "data")), r#"{"foo":1,"message":"Bad","extra":{"a":[1,2]}}"#);
    assert!(field(&e, "response").is_instance_of::<web_sys::Response>());
    let headers: web_sys::Headers = field(&e, "headers").dyn_into().unwrap();
    assert_eq!(headers.get("content-type").unwrap().as_deref(), Some("application/json"));
    let e = call_err(&mock("/s/html502"), opts(r#"{"maxRetries":0}"#)).await;
    assert!(field(&e, "data").as_string().unwrap().starts_with("<!DOCTYPE html>"));
}

#[wasm_bindgen_test]
async fn a_timeout_error_reason_is_a_timeout_error_with_scope_signal() {
    let signal = js_fn("", "return AbortSignal.timeout(150)").call0(&JsValue::UNDEFINED).unwrap();
    let started = now();
    let e = call_err(&mock("/s/slow-headers?ms=3000"), with(&opts("{}"), "signal", signal)).await;
    assert_error(&e, "TimeoutError", "timeout", "", 1.0);
    assert_eq!(text(&e, "scope"), "signal");
    assert_eq!(text(&field(&e, "cause"), "name"), "TimeoutError");
    assert_eq!(field(&e, "retryable"), JsValue::FALSE);
    assert!(now() - started < 1500.0);
}
