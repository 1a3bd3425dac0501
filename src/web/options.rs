//! Reading the caller's options: a fetch `RequestInit` plus steadfetch's retry options, each
//! validated with a `TypeError` that says what to fix.

use crate::prelude::*;

use super::js::{get, type_error};
use super::gate::Politeness;
use crate::core::breaker::BreakerConfig;
use crate::core::budget::BudgetConfig;
use crate::core::headers::{default_request_id_headers, MAX_DELAY_MS};
use crate::core::policy::{Jitter, RetryConfig};
use js_sys::{Array, Function, Object};
use wasm_bindgen::{JsCast, JsValue};

use web_sys::{AbortSignal, Headers};

/// Option names that steadfetch consumes, in the order `splitOptions` (js/glue.js) returns them;
/// everything else goes to `fetch` untouched.
const OWN_KEYS: [&str; 31] = [
    "maxRetries", "backoff", "retryOn", "retryNetworkErrors", "retryOnTimeout", "timeoutMs",
    "deadlineMs", "maxRetryAfterMs", "idempotencyKey", "idempotencyHeader", "signal", "onRetry",
    "onError", "shouldRetry", "responseType", "json", "requestIdHeaders", "retryBudget", "headers",
    "method", "body", "defaultRetryAfterMs", "parseError", "isError", "originGate", "gateKey",
    "maxConcurrent", "circuitBreaker", "shareAcrossTabs", "beforeRetry", "beforeError",
];
// `Own::given` is a u32 bit set, one bit per key.
const _: () = assert!(OWN_KEYS.len() <= 32);
const MAX_RETRIES_LIMIT: f64 = 100.0;
/// 30 s per attempt: long enough for slow APIs, short enough that a hung connection is retried.
const DEFAULT_TIMEOUT_MS: f64 = 30_000.0;

/// How the success body is returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseType {
    /// JSON when the Content-Type says so, else text.
    Auto,
    /// Always `JSON.parse`.
    Json,
    /// Always text.
    Text,
    /// The `Response` itself, body unread.
    Response,
}

/// Everything one call needs, validated.
pub struct Options {
    /// Retry policy settings.
    pub retry: RetryConfig,
    /// Retry budget settings; `None` disables the budget.
    pub budget: Option<BudgetConfig>,
    /// Per-attempt timeout in ms.
    pub timeout_ms: Option<f64>,
    /// Whole-call deadline in ms, waits included.
    pub deadline_ms: Option<f64>,
    /// The caller's signal.
    pub signal: Option<AbortSignal>,
    /// Called before each wait.
    pub on_retry: Option<Function>,
    /// Called with the final error.
    pub on_error: Option<Function>,
    /// Overrides the retry rule.
    pub should_retry: Option<Function>,
    /// Teaches the normalizer an API: a partial error merged over the generic one.
    pub parse_error: Option<Function>,
    /// Declares a 2xx body an error.
    pub is_error: Option<Function>,
    /// Before each wait: `false` stops retrying.
    pub before_retry: Option<Function>,
    /// The error to throw instead of the final one.
    pub before_error: Option<Function>,
    /// js/glue.js's call context (fetch, beforeRequest, afterResponse, onDownloadProgress,
    /// searchParams, the streamed body's signal and deadline), or undefined.
    pub call: JsValue,
    /// How to return the success body.
    pub response_type: ResponseType,
    /// Request-id headers, lowercase.
    pub request_id_headers: Vec<String>,
    /// Upper-case method.
    pub method: String,
    /// Whether an idempotency key header is sent.
    pub has_idempotency_key: bool,
    /// The `RequestInit` handed to `fetch` (a fresh object: the caller's is never mutated).
    pub init: Object,
    /// Gate, `maxConcurrent`, circuit breaker, sharing (web::gate).
    pub polite: Politeness,
}

/// Something options are read from by name: the top-level options (split in one JS call) or a
/// nested object such as `backoff`. `None` when the option is absent or `undefined`.
trait Source {
    fn value(&self, key: &str) -> Option<JsValue>;
}

/// The top-level steadfetch options, by index, as `splitOptions` returned them, and the bit set
/// of those given: an absent option costs no call into JavaScript (most calls give none).
struct Own {
    values: Array,
    given: u32,
}

impl Source for Own {
    fn value(&self, key: &str) -> Option<JsValue> {
        let i = OWN_KEYS.iter().position(|k| *k == key)?;
        (self.given >> i & 1 == 1).then(|| self.values.get(i as u32))
    }
}

impl Source for JsValue {
    fn value(&self, key: &str) -> Option<JsValue> {
        Some(get(self, key)).filter(|v| !v.is_undefined())
    }
}

/// An option that is absent, `undefined` or `null`.
fn given_non_null(options: &impl Source, key: &str) -> Option<JsValue> {
    options.value(key).filter(|v| !v.is_null())
}

/// Reads `options` (and the seed-001 style third argument `max_retries`).
pub fn read_options(raw: &JsValue, max_retries: &JsValue) -> Result<Options, JsValue> {
    if !raw.is_undefined() && !raw.is_null() && (!raw.is_object() || Array::is_array(raw)) {
        return Err(type_error(&format!(
            "options must be an object (a fetch RequestInit plus retry options), got {}",
            describe(raw)
        )));
    }
    let split = super::js::split_options(raw);
    let init: Object = split.get(0).unchecked_into();
    let options = &Own { values: split.get(1).unchecked_into(), given: split.get(2).as_f64().unwrap_or(0.0) as u32 };
    let call = split.get(3);
    if let Some(problem) = call.as_string() {
        return Err(type_error(&problem));
    }
    let method = read_method(options)?;
    let headers = read_headers(options)?;
    let body_is_stream = set_body(options, &init, &headers, &method)?;
    let has_idempotency_key = set_idempotency_key(options, &headers)?;
    let method_value = if method == "GET" { crate::key!("GET") } else { JsValue::from_str(&method) };
    super::js::set(&init, crate::key!("method"), method_value);
    super::js::set(&init, crate::key!("headers"), headers);
    let mut retry = read_retry_config(options, max_retries)?;
    if body_is_stream {
        // A stream body is consumed by the first attempt and cannot be sent again.
        retry.max_retries = 0;
    }
    Ok(Options {
        retry,
        budget: read_budget(options)?,
        timeout_ms: read_timeout(options)?,
        deadline_ms: number(options, "deadlineMs", |n| n > 0.0 && n <= MAX_DELAY_MS as f64, "a positive number of milliseconds")?,
        signal: read_signal(options)?,
        on_retry: function(options, "onRetry")?,
        on_error: function(options, "onError")?,
        should_retry: function(options, "shouldRetry")?,
        parse_error: function(options, "parseError")?,
        is_error: function(options, "isError")?,
        before_retry: function(options, "beforeRetry")?,
        before_error: function(options, "beforeError")?,
        call,
        response_type: read_response_type(options)?,
        request_id_headers: read_request_id_headers(options)?,
        method,
        has_idempotency_key,
        init,
        polite: read_politeness(options)?,
    })
}

/// `originGate` (true, false or a scope name), `gateKey`, `maxConcurrent`, `circuitBreaker`,
/// `shareAcrossTabs`: see web::gate.
fn read_politeness(options: &Own) -> Result<Politeness, JsValue> {
    let scope = match options.value("originGate") {
        None => Some(String::new()),
        Some(v) if v == JsValue::TRUE => Some(String::new()),
        Some(v) if v == JsValue::FALSE => None,
        Some(v) => match v.as_string() {
            Some(s) if !s.is_empty() => Some(s),
            _ => return Err(type_error(&format!("originGate must be true, false or a scope name, got {}", describe(&v)))),
        },
    };
    let breaker = match options.value("circuitBreaker") {
        None => None,
        Some(v) if v == JsValue::FALSE => None,
        Some(v) if v == JsValue::TRUE => Some(BreakerConfig::default()),
        Some(v) if v.is_object() => {
            let mut config = BreakerConfig::default();
            if let Some(n) = number(&v, "failureThreshold", |n| crate::core::num::fract(n) == 0.0 && (1.0..=1e6).contains(&n), "an integer ≥ 1")? {
                config.failure_threshold = n as u32;
            }
            let ms = |n: f64| (0.0..=MAX_DELAY_MS as f64).contains(&n);
            if let Some(n) = number(&v, "windowMs", ms, "a number of milliseconds ≥ 0")? {
                config.window_ms = n;
            }
            if let Some(n) = number(&v, "cooldownMs", ms, "a number of milliseconds ≥ 0")? {
                config.cooldown_ms = n;
            }
            Some(config)
        }
        Some(v) => return Err(type_error(&format!("circuitBreaker must be true, false or {{ failureThreshold, windowMs, cooldownMs }}, got {}", describe(&v)))),
    };
    let max_concurrent = number(options, "maxConcurrent", |n| n == f64::INFINITY || (crate::core::num::fract(n) == 0.0 && n >= 1.0), "an integer ≥ 1 (or Infinity)")?;
    Ok(Politeness {
        scope,
        gate_key: function(options, "gateKey")?,
        max_concurrent: max_concurrent.filter(|n| n.is_finite()).map(|n| n.min(u32::MAX as f64) as u32),
        breaker,
        share: boolean(options, "shareAcrossTabs", false)?,
    })
}

fn read_method(options: &Own) -> Result<String, JsValue> {
    let Some(value) = given_non_null(options, "method") else { return Ok("GET".to_string()) };
    match value.as_string() {
        Some(m) if !m.trim().is_empty() && m.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-') => Ok(m.to_ascii_uppercase()),
        _ => Err(type_error(&format!("method must be an HTTP method name such as 'GET' or 'POST', got {}", describe(&value)))),
    }
}

fn read_headers(options: &Own) -> Result<Headers, JsValue> {
    let invalid = |e: JsValue| type_error(&format!("headers are invalid: {}", error_text(&e)));
    let Some(value) = given_non_null(options, "headers") else { return Headers::new().map_err(invalid) };
    let Some(obj) = value.dyn_ref::<Object>() else {
        return Err(type_error(&format!("headers must be an object, an array of pairs or a Headers, got {}", describe(&value))));
    };
    Headers::new_with_record_from_str_to_str(obj).map_err(invalid)
}

/// Sets `body` (or the `json` shortcut) on the init. Returns whether the body is a one-shot stream.
fn set_body(options: &Own, init: &Object, headers: &Headers, method: &str) -> Result<bool, JsValue> {
    let json = options.value("json");
    let body = given_non_null(options, "body");
    if json.is_some() && body.is_some() {
        return Err(type_error("pass either json or body, not both"));
    }
    if (json.is_some() || body.is_some()) && (method == "GET" || method == "HEAD") {
        return Err(type_error(&format!("a {method} request cannot have a body; set method to 'POST', 'PUT' or 'PATCH'")));
    }
    if let Some(json) = json {
        let text = js_sys::JSON::stringify(&json)
            .map_err(|e| type_error(&format!("json could not be serialized ({}); pass plain data without cycles or BigInt", error_text(&e))))?;
        super::js::set(init, crate::key!("body"), text);
        if !headers.has("content-type").unwrap_or(true) {
            let _ = headers.set("content-type", "application/json");
        }
        return Ok(false);
    }
    if let Some(body) = body {
        let is_stream = get(&body, "getReader").is_function();
        super::js::set(init, crate::key!("body"), body);
        return Ok(is_stream);
    }
    Ok(false)
}

fn set_idempotency_key(options: &Own, headers: &Headers) -> Result<bool, JsValue> {
    let header = match options.value("idempotencyHeader") {
        None => "Idempotency-Key".to_string(),
        Some(value) => match value.as_string() {
            Some(h) if !h.trim().is_empty() => h,
            _ => return Err(type_error(&format!("idempotencyHeader must be a header name, got {}", describe(&value)))),
        },
    };
    let key = match given_non_null(options, "idempotencyKey") {
        Some(key) if key != JsValue::FALSE => key,
        _ => return Ok(headers.has(&header).unwrap_or(false)),
    };
    let value = if key == JsValue::TRUE {
        super::js::random_uuid().unwrap_or_else(|_| fallback_uuid())
    } else {
        match key.as_string() {
            Some(k) if !k.trim().is_empty() => k,
            _ => return Err(type_error(&format!("idempotencyKey must be a non-empty string or true, got {}", describe(&key)))),
        }
    };
    headers.set(&header, &value).map_err(|e| type_error(&format!("idempotency key is not a valid header value: {}", error_text(&e))))?;
    Ok(true)
}

/// A version-4 UUID from `Math.random`, for insecure contexts that lack `crypto.randomUUID`.
fn fallback_uuid() -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
        .chars()
        .map(|c| {
            let r = (super::js::math_random() * 16.0) as usize & 15;
            match c {
                'x' => HEX.get(r).copied().unwrap_or(b'0') as char,
                'y' => HEX.get((r & 3) | 8).copied().unwrap_or(b'8') as char,
                other => other,
            }
        })
        .collect()
}

fn read_retry_config(options: &Own, max_retries: &JsValue) -> Result<RetryConfig, JsValue> {
    let mut config = RetryConfig::default();
    let integer_in_range = |n: f64| crate::core::num::fract(n) == 0.0 && (0.0..=MAX_RETRIES_LIMIT).contains(&n);
    let what = "an integer from 0 to 100";
    let from_arg = number_value(max_retries, "maxRetries (third argument)", integer_in_range, what)?;
    if let Some(n) = from_arg.or(number(options, "maxRetries", integer_in_range, what)?) {
        config.max_retries = n as u32;
    }
    if let Some(backoff) = options.value("backoff") {
        if !backoff.is_object() {
            return Err(type_error(&format!("backoff must be an object like {{ baseMs, factor, maxMs, jitter }}, got {}", describe(&backoff))));
        }
        let ms = |n: f64| (0.0..=MAX_DELAY_MS as f64).contains(&n);
        if let Some(n) = number(&backoff, "baseMs", ms, "a number of milliseconds ≥ 0")? {
            config.base_ms = n;
        }
        if let Some(n) = number(&backoff, "factor", |n| (1.0..=100.0).contains(&n), "a number from 1 to 100")? {
            config.factor = n;
        }
        if let Some(n) = number(&backoff, "maxMs", ms, "a number of milliseconds ≥ 0")? {
            config.max_ms = n;
        }
        config.jitter = read_jitter(&backoff)?;
    }
    if let Some(list) = read_status_list(options)? {
        config.retry_on = list;
    }
    config.retry_network_errors = boolean(options, "retryNetworkErrors", true)?;
    config.retry_on_timeout = boolean(options, "retryOnTimeout", true)?;
    if let Some(n) = number(options, "maxRetryAfterMs", |n| n >= 0.0 && n.is_finite(), "a number of milliseconds ≥ 0")? {
        config.max_retry_after_ms = n.min(MAX_DELAY_MS as f64) as u64;
    }
    if let Some(n) = number(options, "defaultRetryAfterMs", |n| n >= 0.0 && n <= MAX_DELAY_MS as f64, "a number of milliseconds ≥ 0")? {
        config.default_retry_after_ms = Some(n as u64);
    }
    Ok(config)
}

fn read_jitter(backoff: &JsValue) -> Result<Jitter, JsValue> {
    let Some(value) = backoff.value("jitter") else { return Ok(Jitter::Full) };
    match value.as_string().as_deref() {
        Some("full") => Ok(Jitter::Full),
        Some("equal") => Ok(Jitter::Equal),
        Some("none") => Ok(Jitter::None),
        _ => Err(type_error(&format!("backoff.jitter must be 'full', 'equal' or 'none', got {}", describe(&value)))),
    }
}

fn read_status_list(options: &Own) -> Result<Option<Vec<u16>>, JsValue> {
    let Some(value) = options.value("retryOn") else { return Ok(None) };
    let bad = || type_error(&format!("retryOn must be an array of HTTP statuses (100-599), got {}", describe(&value)));
    let array = value.dyn_ref::<Array>().ok_or_else(bad)?;
    array
        .iter()
        .map(|v| v.as_f64().filter(|n| crate::core::num::fract(*n) == 0.0 && (100.0..=599.0).contains(n)).map(|n| n as u16).ok_or_else(bad))
        .collect::<Result<Vec<u16>, JsValue>>()
        .map(Some)
}

fn read_budget(options: &Own) -> Result<Option<BudgetConfig>, JsValue> {
    let mut config = BudgetConfig::default();
    let Some(value) = options.value("retryBudget") else { return Ok(Some(config)) };
    if value == JsValue::FALSE {
        return Ok(None);
    }
    if value == JsValue::TRUE {
        return Ok(Some(config));
    }
    if !value.is_object() {
        return Err(type_error(&format!("retryBudget must be false or {{ capacity, retryCost, timeoutCost }}, got {}", describe(&value))));
    }
    let tokens = |n: f64| (0.0..=1e9).contains(&n);
    if let Some(n) = number(&value, "capacity", tokens, "a number of tokens ≥ 0")? {
        config.capacity = n;
    }
    if let Some(n) = number(&value, "retryCost", tokens, "a number of tokens ≥ 0")? {
        config.retry_cost = n;
    }
    if let Some(n) = number(&value, "timeoutCost", tokens, "a number of tokens ≥ 0")? {
        config.timeout_cost = n;
    }
    Ok(Some(config))
}

fn read_timeout(options: &Own) -> Result<Option<f64>, JsValue> {
    let Some(value) = options.value("timeoutMs") else { return Ok(Some(DEFAULT_TIMEOUT_MS)) };
    if value == JsValue::FALSE || value.as_f64() == Some(f64::INFINITY) {
        return Ok(None);
    }
    let timeout = number(options, "timeoutMs", |n| n > 0.0 && n <= MAX_DELAY_MS as f64, "a positive number of milliseconds (or false for none)")?;
    Ok(Some(timeout.unwrap_or(DEFAULT_TIMEOUT_MS)))
}

fn read_signal(options: &Own) -> Result<Option<AbortSignal>, JsValue> {
    let Some(value) = given_non_null(options, "signal") else { return Ok(None) };
    value.dyn_into::<AbortSignal>().map(Some).map_err(|v| type_error(&format!("signal must be an AbortSignal, got {}", describe(&v))))
}

fn read_response_type(options: &Own) -> Result<ResponseType, JsValue> {
    let Some(value) = options.value("responseType") else { return Ok(ResponseType::Auto) };
    match value.as_string().as_deref() {
        Some("auto") => Ok(ResponseType::Auto),
        Some("json") => Ok(ResponseType::Json),
        Some("text") => Ok(ResponseType::Text),
        Some("response") => Ok(ResponseType::Response),
        _ => Err(type_error(&format!("responseType must be 'auto', 'json', 'text' or 'response', got {}", describe(&value)))),
    }
}

fn read_request_id_headers(options: &Own) -> Result<Vec<String>, JsValue> {
    let Some(value) = options.value("requestIdHeaders") else {
        return Ok(default_request_id_headers());
    };
    let bad = || type_error(&format!("requestIdHeaders must be an array of header names, got {}", describe(&value)));
    let array = value.dyn_ref::<Array>().ok_or_else(bad)?;
    array.iter().map(|v| v.as_string().map(|s| s.trim().to_ascii_lowercase()).ok_or_else(bad)).collect()
}

fn function(options: &Own, key: &str) -> Result<Option<Function>, JsValue> {
    let Some(value) = given_non_null(options, key) else { return Ok(None) };
    value.dyn_into::<Function>().map(Some).map_err(|v| type_error(&format!("{key} must be a function, got {}", describe(&v))))
}

fn boolean(options: &Own, key: &str, default: bool) -> Result<bool, JsValue> {
    let Some(value) = options.value(key) else { return Ok(default) };
    match value.as_bool() {
        Some(b) => Ok(b),
        None => Err(type_error(&format!("{key} must be true or false, got {}", describe(&value)))),
    }
}

/// `options[key]` as a number passing `valid`; `None` when absent.
fn number(options: &impl Source, key: &str, valid: impl Fn(f64) -> bool, what: &str) -> Result<Option<f64>, JsValue> {
    match options.value(key) {
        Some(value) => checked_number(&value, key, &valid, what),
        None => Ok(None),
    }
}

fn number_value(value: &JsValue, key: &str, valid: impl Fn(f64) -> bool, what: &str) -> Result<Option<f64>, JsValue> {
    checked_number(value, key, &valid, what)
}

/// One non-generic body for every numeric option (each validator is a closure; `dyn` keeps the
/// wasm from carrying a copy of this function, and its message formatting, per option).
fn checked_number(value: &JsValue, key: &str, valid: &dyn Fn(f64) -> bool, what: &str) -> Result<Option<f64>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    match value.as_f64() {
        Some(n) if !n.is_nan() && valid(n) => Ok(Some(n)),
        _ => Err(type_error(&format!("{key} must be {what}, got {}", describe(value)))),
    }
}

pub use super::describe::{describe, error_text};
