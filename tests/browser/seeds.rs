//! Every seed API's dialect end to end against the mock.

use super::support::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

fn field_errors(e: &JsValue) -> Vec<(String, String)> {
    let list: js_sys::Array = field(e, "fieldErrors").dyn_into().unwrap();
    list.iter().map(|f| (text(&f, "field"), text(&f, "message"))).collect()
}

#[wasm_bindgen_test]
async fn toptickets_fastapi_validation_and_auth() {
    let o = opts(r#"{"method":"POST","headers":{"Authorization":"Bearer tt_live_1"},"json":{"customer_name":"John Doe","customer_email":"john@example.com","subject":"Help needed","description":"Issue description","priority":"critical"}}"#);
    let e = call_err(&mock("/toptickets/v1/tickets"), o).await;
    assert_error(&e, "ValidationError", "validation", "type_error.enum", 1.0);
    assert!(is_class(&e, "ValidationError"));
    assert_eq!(field_errors(&e), vec![("body.priority".to_string(), "value is not a valid enumeration member; permitted: 'low', 'medium', 'high', 'urgent'".to_string())]);
    assert!(text(&e, "message").starts_with("body.priority: value is not a valid enumeration member"));
    assert!(text(&e, "requestId").starts_with("req_"));

    let e = call_err(&mock("/toptickets/v1/tickets"), opts(r#"{"method":"POST","json":{}}"#)).await;
    assert_error(&e, "AuthenticationError", "authentication", "unauthorized", 1.0);
    assert_eq!(text(&e, "message"), "Invalid or expired API key");

    let o = opts(r#"{"method":"POST","headers":{"Authorization":"Bearer tt_ro_readonly_key"},"json":{}}"#);
    let e = call_err(&mock("/toptickets/v1/tickets"), o).await;
    assert_error(&e, "PermissionDeniedError", "permission_denied", "forbidden", 1.0);

    let e = call_err(&mock("/toptickets/v1/tickets/999"), opts(r#"{"headers":{"Authorization":"Bearer k"}}"#)).await;
    assert_error(&e, "NotFoundError", "not_found", "not_found", 1.0);
    assert_eq!(text(&e, "message"), "Ticket not found");

    let o = opts(r#"{"method":"POST","headers":{"Authorization":"Bearer k"},"json":{"customer_name":"a","customer_email":"b","subject":"","priority":"low"}}"#);
    let e = call_err(&mock("/toptickets/v1/tickets"), o).await;
    assert_eq!(field_errors(&e), vec![("body.subject".to_string(), "ensure this value has at least 1 characters".to_string())]);

    let ok = call_ok(&mock("/toptickets/v1/tickets/1"), opts(r#"{"headers":{"Authorization":"Bearer k"}}"#)).await;
    assert_eq!(text(&ok, "priority"), "urgent");
}

#[wasm_bindgen_test]
async fn toptickets_rate_limit_and_server_error() {
    // Retry-After given: used as is.
    let e = call_err(&mock("/toptickets/v1/status/429?retryAfter=0"), opts(r#"{"maxRetries":1}"#)).await;
    assert_error(&e, "RateLimitError", "rate_limited", "too_many_requests", 2.0);
    assert_eq!(text(&e, "message"), "Rate limit exceeded");
    // Absent: the documented default applies when the caller sets it (here scaled down to 30 ms).
    let log = log_array();
    let o = with(&opts(r#"{"maxRetries":1,"defaultRetryAfterMs":30}"#), "onRetry", pusher(&log));
    let e = call_err(&mock("/toptickets/v1/status/429"), o).await;
    assert_error(&e, "RateLimitError", "rate_limited", "too_many_requests", 2.0);
    assert_eq!(num(&log.get(0), "delayMs"), 30.0);
    assert_eq!(text(&log.get(0), "delaySource"), "server");
    let e = call_err(&mock("/toptickets/v1/status/500"), opts(r#"{"maxRetries":2,"backoff":{"baseMs":5}}"#)).await;
    assert_error(&e, "ServerError", "server", "internal_server_error", 3.0);
    assert_eq!(text(&e, "message"), "Internal server error");
}

#[wasm_bindgen_test]
async fn jobs_api_upper_snake_codes() {
    let e = call_err(&mock("/jobs/v1/jobs/job_9"), opts(r#"{"headers":{"Authorization":"Bearer good"}}"#)).await;
    assert_error(&e, "NotFoundError", "not_found", "JOB_NOT_FOUND", 1.0);
    assert_eq!(text(&e, "message"), "The specified job was not found");
    for (key, name, kind, code) in [
        ("", "AuthenticationError", "authentication", "AUTHENTICATION_FAILED"),
        ("expired", "AuthenticationError", "authentication", "EXPIRED_API_KEY"),
        ("suspended", "PermissionDeniedError", "permission_denied", "SUSPENDED_ACCOUNT"),
    ] {
        let o = if key.is_empty() { opts("{}") } else { opts(&format!(r#"{{"headers":{{"Authorization":"Bearer {key}"}}}}"#)) };
        let e = call_err(&mock("/jobs/v1/jobs/job_1"), o).await;
        assert_error(&e, name, kind, code, 1.0);
    }
    let o = opts(r#"{"method":"POST","headers":{"Authorization":"Bearer good"},"json":{"client_id":"broke"}}"#);
    let e = call_err(&mock("/jobs/v1/jobs"), o).await;
    assert_error(&e, "BadRequestError", "bad_request", "INSUFFICIENT_BALANCE", 1.0);
    let o = opts(r#"{"backoff":{"baseMs":10,"jitter":"none"},"maxRetries":2}"#);
    let e = call_err(&mock("/jobs/v1/status/500"), o).await;
    assert_error(&e, "ServerError", "server", "INTERNAL_ERROR", 3.0);
    assert_eq!(planned_delays(&e), vec![10.0, 20.0]);
}

#[wasm_bindgen_test]
async fn jobs_api_drop_in_third_argument() {
    let e = match steadfetch::web::engine::make_request(mock("/jobs/v1/status/503").into(), opts(r#"{"backoff":{"baseMs":5}}"#), JsValue::from(1)).await {
        Err(e) => steadfetch::web::js::finish_api_error(&e),
        Ok(_) => panic!("503 must fail"),
    };
    assert_error(&e, "ServiceUnavailableError", "unavailable", "SERVICE_UNAVAILABLE", 2.0);
    assert!(is_class(&e, "ServerError") && !is_class(&e, "RateLimitError"), "503 is also a ServerError");
}

#[wasm_bindgen_test]
async fn operations1_plain_statuses() {
    let o = opts(r#"{"backoff":{"baseMs":5,"jitter":"none"},"maxRetries":1}"#);
    let e = call_err(&mock("/operations1/tenants/acme/users/7?status=502"), o).await;
    assert_error(&e, "ServerError", "server", "bad_gateway", 2.0);
    assert_eq!(text(&e, "message"), "HTTP 502 Bad Gateway");
    assert_eq!(field(&e, "bodyText"), JsValue::NULL);
    let e = call_err(&mock("/operations1/tenants/acme/users/7?status=401"), opts("{}")).await;
    assert_error(&e, "AuthenticationError", "authentication", "unauthorized", 1.0);
    let ok = call_ok(&mock("/operations1/tenants/acme/users/7"), opts("{}")).await;
    assert_eq!(text(&ok, "name"), "Ada");
}

#[wasm_bindgen_test]
async fn tiptree_details_and_rate_limit_reset() {
    let o = opts(r#"{"method":"POST","headers":{"Authorization":"Bearer k"},"json":{"name":"","model":"gpt-5"}}"#);
    let e = call_err(&mock("/tiptree/v1/agents"), o).await;
    assert_error(&e, "BadRequestError", "bad_request", "invalid_parameter", 1.0);
    assert_eq!(field_errors(&e).len(), 2);
    assert_eq!(field_errors(&e)[1].0, "model");
    assert!(field(&field(&e, "details"), "errors").is_object(), "details kept untouched");

    let e = call_err(&mock("/tiptree/v1/agents/agent_123"), opts("{}")).await;
    assert_error(&e, "NotFoundError", "not_found", "resource_not_found", 1.0);
    assert_eq!(text(&e, "message"), "The agent with ID 'agent_123' was not found");

    let o = opts(r#"{"method":"POST","headers":{"Authorization":"Bearer k"},"json":{"name":"taken","model":"gpt-4"}}"#);
    let e = call_err(&mock("/tiptree/v1/agents"), o).await;
    assert_error(&e, "ConflictError", "conflict", "resource_already_exists", 1.0);

    // The body's details.rate_limit.reset (epoch seconds, ~1-2 s ahead) drives the wait.
    let start = now();
    let e = call_err(&mock("/tiptree/v1/limited?resetIn=1"), opts(r#"{"maxRetries":1}"#)).await;
    assert_error(&e, "RateLimitError", "rate_limited", "rate_limit_exceeded", 2.0);
    let rl = field(&e, "rateLimit");
    assert_eq!(num(&rl, "limit"), 100.0);
    assert_eq!(num(&rl, "remaining"), 0.0);
    assert!(num(&rl, "resetAt") > js_sys::Date::now() - 5000.0);
    let delays = planned_delays(&e);
    assert_eq!(delays.len(), 1);
    assert!(delays[0] > 0.0 && delays[0] <= 2000.0, "{delays:?}");
    assert!(now() - start >= delays[0], "waited at least the planned delay");
}

#[wasm_bindgen_test]
async fn ticksupply_codes_request_ids_and_success_statuses() {
    let auth = r#"{"headers":{"X-Api-Key":"ts_key"}}"#;
    let e = call_err(&mock("/ticksupply/v1/subscriptions/sub_550e8400e29b41d4a716446655440000"), opts(auth)).await;
    assert_error(&e, "NotFoundError", "not_found", "not_found", 1.0);
    assert_eq!(text(&e, "message"), "Subscription sub_550e8400e29b41d4a716446655440000 not found");
    assert!(text(&e, "requestId").starts_with("req_"));

    let e = call_err(&mock("/ticksupply/v1/subscriptions/sub_1"), opts("{}")).await;
    assert_error(&e, "AuthenticationError", "authentication", "unauthenticated", 1.0);

    let o = opts(r#"{"method":"POST","headers":{"X-Api-Key":"k"},"json":{},"idempotencyKey":"exp-1"}"#);
    let e = call_err(&mock("/ticksupply/v1/exports"), o).await;
    assert_error(&e, "PaymentRequiredError", "payment_required", "payment_required", 1.0);
    assert_eq!(field(&e, "retryable"), JsValue::FALSE);

    let o = opts(r#"{"method":"POST","headers":{"X-Api-Key":"k"},"json":{"datastream_id":7,"columns":142}}"#);
    let e = call_err(&mock("/ticksupply/v1/datastreams"), o).await;
    assert_error(&e, "BadRequestError", "bad_request", "invalid_argument", 1.0);
    assert_eq!(num(&field(&e, "details"), "provided"), 142.0);

    let o = opts(r#"{"backoff":{"baseMs":5},"maxRetries":1}"#);
    let e = call_err(&mock("/ticksupply/v1/status/408"), o).await;
    assert_error(&e, "RequestTimeoutError", "request_timeout", "request_timeout", 2.0);

    let e = call_err(&mock("/ticksupply/v1/text-error"), opts(r#"{"maxRetries":0}"#)).await;
    assert_error(&e, "ServerError", "server", "bad_gateway", 1.0);
    assert_eq!(text(&e, "message"), "upstream connect error or disconnect/reset before headers");

    let o = opts(r#"{"method":"POST","headers":{"X-Api-Key":"k"},"json":{"datastream_id":7}}"#);
    assert_eq!(text(&call_ok(&mock("/ticksupply/v1/datastreams"), o).await, "status"), "pending", "202 Accepted is success");
    let deleted = call_ok(&mock("/ticksupply/v1/subscriptions/sub_1"), opts(r#"{"method":"DELETE"}"#)).await;
    assert_eq!(deleted, JsValue::NULL, "204 resolves to null");
}
