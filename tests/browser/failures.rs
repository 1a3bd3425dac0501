//! Failures without a usable response, odd bodies, and invalid arguments.

use super::support::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::AbortController;

#[wasm_bindgen_test]
async fn closed_port_is_a_network_error_and_retried() {
    let e = call_err("http://127.0.0.1:65535/nothing", opts(r#"{"maxRetries":2,"backoff":{"baseMs":5,"jitter":"none"}}"#)).await;
    assert_error(&e, "NetworkError", "network", "network", 3.0);
    assert_eq!(field(&e, "status"), JsValue::NULL);
    assert_eq!(planned_delays(&e), vec![5.0, 10.0]);
    assert!(field(&e, "cause").is_object(), "the fetch TypeError is the cause");
    assert_module_alive().await;
}

#[wasm_bindgen_test]
async fn destroyed_connection_is_a_network_error() {
    let key = unique("destroy");
    let e = call_err(&mock(&format!("/s/destroy?key={key}")), opts(r#"{"maxRetries":1,"backoff":{"baseMs":5}}"#)).await;
    assert_error(&e, "NetworkError", "network", "network", 2.0);
    assert_module_alive().await;
}

#[wasm_bindgen_test]
async fn attempt_timeout_is_a_timeout_error_and_retried() {
    let start = now();
    let e = call_err(&mock("/s/slow-headers?ms=3000"), opts(r#"{"timeoutMs":150,"maxRetries":1,"backoff":{"baseMs":5}}"#)).await;
    assert_error(&e, "TimeoutError", "timeout", "timeout", 2.0);
    assert_eq!(text(&e, "scope"), "attempt");
    let elapsed = now() - start;
    assert!((300.0..2500.0).contains(&elapsed), "{elapsed}");
}

#[wasm_bindgen_test]
async fn slow_body_is_cut_by_the_timeout() {
    let e = call_err(&mock("/s/slow-body?ms=3000"), opts(r#"{"timeoutMs":200,"maxRetries":0}"#)).await;
    assert_error(&e, "TimeoutError", "timeout", "timeout", 1.0);
}

#[wasm_bindgen_test]
async fn deadline_is_a_timeout_error_with_scope_deadline() {
    let start = now();
    let e = call_err(&mock("/s/slow-headers?ms=3000"), opts(r#"{"timeoutMs":5000,"deadlineMs":300}"#)).await;
    assert_error(&e, "TimeoutError", "timeout", "timeout", 1.0);
    assert_eq!(text(&e, "scope"), "deadline");
    assert!(now() - start < 2000.0);
}

#[wasm_bindgen_test]
async fn abort_during_the_request() {
    let controller = AbortController::new().unwrap();
    let o = with(&opts("{}"), "signal", controller.signal());
    let c2 = controller.clone();
    let _t = gloo_timers::callback::Timeout::new(100, move || c2.abort_with_reason(&"user left".into()));
    let start = now();
    let e = call_err(&mock("/s/slow-headers?ms=3000"), o).await;
    assert_error(&e, "AbortError", "aborted", "aborted", 1.0);
    assert_eq!(field(&e, "cause"), JsValue::from("user left"));
    assert!(now() - start < 1500.0);
    assert_module_alive().await;
}

#[wasm_bindgen_test]
async fn abort_during_a_five_second_wait() {
    let controller = AbortController::new().unwrap();
    let key = unique("abortwait");
    let o = with(&opts(r#"{"backoff":{"baseMs":5000,"jitter":"none"}}"#), "signal", controller.signal());
    let c2 = controller.clone();
    let _t = gloo_timers::callback::Timeout::new(200, move || c2.abort());
    let start = now();
    let e = call_err(&mock(&format!("/s/flaky?fail=5&key={key}")), o).await;
    let elapsed = now() - start;
    assert_error(&e, "AbortError", "aborted", "aborted", 1.0);
    assert!(elapsed < 1500.0, "aborted long before the 5 s wait ended: {elapsed}");
    assert_eq!(planned_delays(&e), vec![5000.0]);
    assert_eq!(text(&field(&e, "cause"), "name"), "AbortError", "the signal's default reason");
}

#[wasm_bindgen_test]
async fn already_aborted_signal_never_fetches() {
    let controller = AbortController::new().unwrap();
    controller.abort();
    let key = unique("pre");
    let e = call_err(&mock(&format!("/s/flaky?fail=0&key={key}")), with(&opts("{}"), "signal", controller.signal())).await;
    assert_error(&e, "AbortError", "aborted", "aborted", 0.0);
    assert_eq!(field(&field(&stats(&key).await, "counts"), "flaky"), JsValue::UNDEFINED);
}

#[wasm_bindgen_test]
async fn success_bodies_by_response_type() {
    assert_eq!(call_ok(&mock("/s/204"), opts("{}")).await, JsValue::NULL);
    assert_eq!(call_ok(&mock("/s/text"), opts("{}")).await, JsValue::from("plain text body"));
    let r = call_ok(&mock("/s/text"), opts(r#"{"responseType":"response"}"#)).await;
    assert!(r.is_instance_of::<web_sys::Response>());
    let e = call_err(&mock("/s/text"), opts(r#"{"responseType":"json"}"#)).await;
    assert_error(&e, "ResponseParseError", "parse", "parse", 1.0);
}

#[wasm_bindgen_test]
async fn invalid_json_on_200_is_a_parse_error() {
    let e = call_err(&mock("/s/invalid-json"), opts("{}")).await;
    assert_error(&e, "ResponseParseError", "parse", "parse", 1.0);
    assert_eq!(num(&e, "status"), 200.0);
    assert_eq!(text(&e, "bodyText"), r#"{"ok": tru"#);
    assert!(field(&e, "cause").is_instance_of::<js_sys::SyntaxError>());
}

#[wasm_bindgen_test]
async fn graphql_errors_inside_a_200() {
    let e = call_err(&mock("/s/graphql"), opts(r#"{"method":"POST","body":"{}"}"#)).await;
    assert_error(&e, "AuthenticationError", "authentication", "UNAUTHENTICATED", 1.0);
    assert_eq!(num(&e, "status"), 200.0);
}

#[wasm_bindgen_test]
async fn html_502_from_a_proxy() {
    let e = call_err(&mock("/s/html502"), opts(r#"{"maxRetries":0}"#)).await;
    assert_error(&e, "ServerError", "server", "bad_gateway", 1.0);
    assert_eq!(text(&e, "message"), "502 Bad Gateway");
    assert!(text(&e, "bodyText").len() <= 8192);
}

#[wasm_bindgen_test]
async fn no_header_is_added_that_the_caller_did_not_ask_for() {
    let v = call_ok(&mock("/s/echo"), opts(r#"{"headers":{"X-Trace":"t1"}}"#)).await;
    let headers = field(&v, "headers");
    assert_eq!(text(&headers, "x-trace"), "t1");
    assert_eq!(field(&headers, "idempotency-key"), JsValue::UNDEFINED);
    assert_eq!(field(&headers, "content-type"), JsValue::UNDEFINED);
    let v = call_ok(&mock("/s/echo"), opts(r#"{"method":"PUT","json":{"a":1}}"#)).await;
    assert_eq!(text(&field(&v, "headers"), "content-type"), "application/json");
    assert_eq!(text(&v, "body"), r#"{"a":1}"#);
}

async fn type_error_for(url: JsValue, options: JsValue, max_retries: JsValue, needle: &str) {
    let e = match steadfetch::web::engine::make_request(url, options, max_retries).await {
        Err(e) => e,
        Ok(v) => panic!("expected a TypeError mentioning {needle}, got {v:?}"),
    };
    assert!(e.is_instance_of::<js_sys::TypeError>(), "{needle}: {e:?}");
    let message = text(&e, "message");
    assert!(message.starts_with("steadfetch: ") && message.contains(needle), "{message}");
}

#[wasm_bindgen_test]
async fn invalid_arguments_are_type_errors_that_say_what_to_fix() {
    let u = || JsValue::from(mock("/s/flaky?fail=0&key=args"));
    let none = JsValue::UNDEFINED;
    type_error_for(JsValue::from(42), none.clone(), none.clone(), "url must be a string or a URL").await;
    type_error_for(JsValue::from("http://[::1"), none.clone(), none.clone(), "is not a valid URL").await;
    type_error_for(JsValue::from("ftp://example.com/x"), none.clone(), none.clone(), "http: or https:").await;
    type_error_for(JsValue::from("http://user:pw@127.0.0.1/"), none.clone(), none.clone(), "credentials").await;
    type_error_for(u(), JsValue::from("GET"), none.clone(), "options must be an object").await;
    type_error_for(u(), opts(r#"{"maxRetries":-1}"#), none.clone(), "maxRetries must be an integer from 0 to 100, got -1").await;
    type_error_for(u(), opts(r#"{"maxRetries":"3"}"#), none.clone(), r#"got "3" (a string)"#).await;
    type_error_for(u(), opts("{}"), JsValue::from(f64::NAN), "got NaN").await;
    type_error_for(u(), opts(r#"{"maxRetries":1e9}"#), none.clone(), "maxRetries").await;
    type_error_for(u(), opts(r#"{"timeoutMs":0}"#), none.clone(), "timeoutMs must be a positive number").await;
    type_error_for(u(), opts(r#"{"timeoutMs":-5}"#), none.clone(), "timeoutMs").await;
    type_error_for(u(), opts(r#"{"backoff":{"jitter":"lots"}}"#), none.clone(), "backoff.jitter").await;
    type_error_for(u(), opts(r#"{"retryOn":[503,"x"]}"#), none.clone(), "retryOn").await;
    type_error_for(u(), opts(r#"{"signal":{}}"#), none.clone(), "signal must be an AbortSignal").await;
    type_error_for(u(), opts(r#"{"onRetry":5}"#), none.clone(), "onRetry must be a function").await;
    type_error_for(u(), opts(r#"{"json":{},"method":"GET"}"#), none.clone(), "cannot have a body").await;
    type_error_for(u(), opts(r#"{"json":{},"body":"x","method":"POST"}"#), none.clone(), "either json or body").await;
    let cyclic = js_sys::Object::new();
    with(&cyclic, "self", cyclic.clone());
    type_error_for(u(), with(&opts(r#"{"method":"POST"}"#), "json", cyclic), none.clone(), "json could not be serialized").await;
    assert_module_alive().await;
}

#[wasm_bindgen_test]
async fn a_throwing_hook_rejects_with_a_type_error_naming_it() {
    let key = unique("throwing");
    let o = with(&opts(r#"{"backoff":{"baseMs":5}}"#), "onRetry", js_fn("", "throw new Error('hook bug')"));
    let e = call_err(&mock(&format!("/s/flaky?fail=1&key={key}")), o).await;
    assert!(e.is_instance_of::<js_sys::TypeError>());
    assert!(text(&e, "message").contains("onRetry hook threw (hook bug)"));
    assert_eq!(text(&field(&e, "cause"), "message"), "hook bug");
    assert_module_alive().await;
}
