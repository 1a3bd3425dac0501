//! Politeness per origin end to end against the mock's /g/ routes, which count arrivals: the
//! shared rate-limit gate, `maxConcurrent`, the circuit breaker, `gateKey`. Each test uses its own
//! gate scope (`originGate: "<scope>"`), so the suite's other calls to the mock never share a gate.

use super::support::*;
use js_sys::{Array, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use wasm_bindgen_test::*;

/// Starts every call at once (as a page firing requests does) and waits for all of them to settle:
/// `(values, errors)`. Each URL gets `&i=<n>`: Chromium's HTTP cache runs concurrent GETs of one
/// URL one after the other.
async fn parallel(url: &str, n: usize, options: impl Fn() -> JsValue) -> (Vec<JsValue>, Vec<JsValue>) {
    let calls: Array = (0..n)
        .map(|i| {
            let (url, options) = (JsValue::from_str(&format!("{url}&i={i}")), options());
            let call = future_to_promise(async move {
                Ok(match steadfetch::web::engine::make_request(url, options, JsValue::UNDEFINED).await {
                    Ok(v) => Array::of2(&JsValue::TRUE, &v).into(),
                    Err(e) => Array::of2(&JsValue::FALSE, &steadfetch::web::js::finish_api_error(&e)).into(),
                })
            });
            JsValue::from(call)
        })
        .collect();
    let settled: Array = JsFuture::from(Promise::all(&calls)).await.expect("all settle").dyn_into().unwrap();
    let (ok, err): (Vec<JsValue>, Vec<JsValue>) = settled.iter().partition(|p| Array::from(p).get(0) == JsValue::TRUE);
    (ok.iter().map(|p| Array::from(p).get(1)).collect(), err.iter().map(|p| Array::from(p).get(1)).collect())
}

async fn gate_stats(key: &str) -> JsValue {
    call_ok(&mock(&format!("/g/stats?key={key}")), opts(r#"{"originGate":false}"#)).await
}

fn numbers(v: &JsValue) -> Vec<f64> {
    Array::from(v).iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect()
}

async fn sleep_ms(ms: i32) {
    let p = Promise::new(&mut |resolve, _| {
        web_sys_timeout(&resolve, ms);
    });
    JsFuture::from(p).await.unwrap();
}

fn web_sys_timeout(f: &js_sys::Function, ms: i32) {
    let set_timeout: js_sys::Function = js_sys::Reflect::get(&js_sys::global(), &"setTimeout".into()).unwrap().dyn_into().unwrap();
    set_timeout.call2(&JsValue::UNDEFINED, f, &ms.into()).unwrap();
}

/// One 429 (`Retry-After: 1`), then 20 parallel calls to the origin: returns the requests the
/// server saw for the 20, and checks they all succeed.
async fn twenty_after_a_429(gate: &str) -> (JsValue, f64) {
    let key = unique("rl");
    let url = mock(&format!("/g/rl?key={key}&block=1000"));
    let first = call_err(&url, with(&opts(r#"{"maxRetries":0}"#), "originGate", parse_gate(gate))).await;
    assert_error(&first, "RateLimitError", "rate_limited", "rate_limited", 1.0);
    assert_eq!(num(&first, "retryAfterMs"), 1000.0);
    let log = log_array();
    let (ok, err) = parallel(&url, 20, || with(&with(&opts("{}"), "originGate", parse_gate(gate)), "onRetry", pusher(&log))).await;
    assert_eq!((ok.len(), err.len()), (20, 0), "all 20 succeed: {:?}", err.iter().map(describe).collect::<Vec<_>>());
    let stats = gate_stats(&key).await;
    let requests = num(&stats, "count") - 1.0;
    // Every wait the 20 announced: the gate's when it is on, each call's own otherwise.
    let sources: Vec<String> = log.iter().map(|i| text(&i, "delaySource")).collect();
    assert!(sources.iter().all(|s| s == if gate == "off" { "server" } else { "gate" }), "{sources:?}");
    (stats, requests)
}

fn parse_gate(gate: &str) -> JsValue {
    if gate == "off" { JsValue::FALSE } else { JsValue::from_str(gate) }
}

#[wasm_bindgen_test]
async fn twenty_calls_after_a_429_wait_for_the_gate_and_none_reaches_the_server_early() {
    let scope = unique("gate");
    let (stats, on) = twenty_after_a_429(&scope).await;
    let until = num(&stats, "blockedUntil");
    let arrivals = numbers(&field(&stats, "arrivals"));
    assert_eq!(on, 20.0, "one request per call: {arrivals:?}");
    assert!(arrivals[1..].iter().all(|&t| t >= until - 2.0), "no request before the Retry-After ended: {arrivals:?} vs {until}");
    assert_eq!(numbers(&field(&stats, "statuses")).iter().filter(|&&s| s == 429.0).count(), 1);

    // The same with the gate off: each call gets its own 429 and retries after its own wait.
    let (_, off) = twenty_after_a_429("off").await;
    assert_eq!(off, 40.0);
    web_sys::console::log_1(&format!("browser gate figures: 20 calls after a 429, server requests: gate off {off}, gate on {on}").into());
}

#[wasm_bindgen_test]
async fn a_gate_longer_than_the_cap_or_deadline_fails_at_once_with_no_request_sent() {
    let scope = unique("cap");
    let key = unique("rl");
    let url = mock(&format!("/g/rl?key={key}&block=5000"));
    let o = || with(&opts(r#"{"maxRetries":0}"#), "originGate", scope.as_str());
    call_err(&url, o()).await;
    let start = now();
    let e = call_err(&url, with(&o(), "maxRetryAfterMs", 1000)).await;
    assert!(now() - start < 300.0, "at once");
    assert_error(&e, "RateLimitError", "rate_limited", "rate_limited", 0.0);
    let wait = num(&e, "retryAfterMs");
    assert!(wait > 3000.0 && wait <= 5000.0, "retryAfterMs is the gate's wait: {wait}");
    let e = call_err(&url, with(&o(), "deadlineMs", 2000)).await;
    assert_error(&e, "RateLimitError", "rate_limited", "rate_limited", 0.0);
    assert_eq!(num(&gate_stats(&key).await, "count"), 1.0, "no request sent");
    // A call in another scope (or with the gate off) is not held back.
    let e = call_err(&url, opts(r#"{"maxRetries":0,"originGate":false}"#)).await;
    assert_error(&e, "RateLimitError", "rate_limited", "rate_limited", 1.0);
}

#[wasm_bindgen_test]
async fn max_concurrent_two_never_has_three_in_flight() {
    let scope = unique("conc");
    let key = unique("slow");
    let url = mock(&format!("/g/slow?key={key}&ms=80"));
    let (ok, err) = parallel(&url, 8, || with(&opts(r#"{"maxConcurrent":2}"#), "originGate", scope.as_str())).await;
    assert_eq!((ok.len(), err.len()), (8, 0));
    let stats = gate_stats(&key).await;
    assert_eq!(num(&stats, "count"), 8.0);
    assert_eq!(num(&stats, "maxInFlight"), 2.0);

    // A queued call gives up at its deadline without sending, and the queue moves on.
    let slow = mock(&format!("/g/slow?key={key}b&ms=300"));
    let first = future_to_promise({
        let (url, o) = (JsValue::from_str(&slow), with(&opts(r#"{"maxConcurrent":1}"#), "originGate", scope.as_str()));
        async move { steadfetch::web::engine::make_request(url, o, JsValue::UNDEFINED).await }
    });
    sleep_ms(30).await;
    let e = call_err(&format!("{slow}&i=1"), with(&opts(r#"{"maxConcurrent":1,"deadlineMs":100}"#), "originGate", scope.as_str())).await;
    assert_error(&e, "TimeoutError", "timeout", "timeout", 0.0);
    assert_eq!(text(&e, "scope"), "deadline");
    JsFuture::from(first).await.expect("the first call succeeds");
    call_ok(&format!("{slow}&i=2"), with(&opts(r#"{"maxConcurrent":1}"#), "originGate", scope.as_str())).await;
    assert_eq!(num(&gate_stats(&format!("{key}b")).await, "count"), 2.0);
}

#[wasm_bindgen_test]
async fn the_breaker_opens_fails_fast_probes_and_closes() {
    let scope = unique("cb");
    let key = unique("down");
    let url = mock(&format!("/g/down?key={key}&fail=3"));
    let o = || with(&opts(r#"{"maxRetries":0,"circuitBreaker":{"failureThreshold":3,"windowMs":10000,"cooldownMs":300}}"#), "originGate", scope.as_str());
    for _ in 0..3 {
        let e = call_err(&url, o()).await;
        assert_error(&e, "ServiceUnavailableError", "unavailable", "unavailable", 1.0);
        assert!(field(&e, "circuitOpen").is_undefined(), "only on an open circuit's error");
    }
    let start = now();
    let e = call_err(&url, o()).await;
    assert!(now() - start < 100.0, "fails at once");
    assert_error(&e, "ServiceUnavailableError", "unavailable", "unavailable", 0.0);
    assert_eq!(field(&e, "circuitOpen"), JsValue::TRUE);
    let wait = num(&e, "retryAfterMs");
    assert!(wait > 0.0 && wait <= 300.0, "time to the probe: {wait}");
    assert_eq!(num(&gate_stats(&key).await, "count"), 3.0, "nothing sent while open");
    sleep_ms(320).await;
    let v = call_ok(&url, o()).await;
    assert_eq!(num(&v, "n"), 4.0, "the probe reached the server and succeeded");
    call_ok(&url, o()).await;
    assert_eq!(num(&gate_stats(&key).await, "count"), 5.0);
}

#[wasm_bindgen_test]
async fn gate_key_splits_an_origin_into_buckets() {
    let scope = unique("bucket");
    let key = unique("rl");
    let bucket = js_fn("", "return (url) => url.includes('/g/rl') ? 'search' : 'core'").call0(&JsValue::UNDEFINED).unwrap();
    let o = || with(&with(&opts(r#"{"maxRetries":0}"#), "originGate", scope.as_str()), "gateKey", bucket.clone());
    call_err(&mock(&format!("/g/rl?key={key}&block=3000")), o()).await;
    let start = now();
    call_ok(&mock(&format!("/g/slow?key={key}c&ms=1")), o()).await;
    assert!(now() - start < 500.0, "the core bucket is not held back by search's 429");
    let e = call_err(&mock(&format!("/g/rl?key={key}")), with(&o(), "maxRetryAfterMs", 500)).await;
    assert_error(&e, "RateLimitError", "rate_limited", "rate_limited", 0.0);
}
