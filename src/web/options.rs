//! Reading the caller's options: a fetch `RequestInit` plus steadfetch's retry options, read by
//! name in one pass into one [`Options`], each validated with a `TypeError` that says what to fix.

use crate::prelude::*;

use super::gate::Politeness;
use super::js::{get, set, type_error};
use crate::core::breaker::BreakerConfig;
use crate::core::budget::BudgetConfig;
use crate::core::headers::{default_request_id_headers, MAX_DELAY_MS};
use crate::core::num::fract;
use crate::core::policy::{Jitter, RetryConfig};
use js_sys::{Array, Function, Object};
use wasm_bindgen::{JsCast, JsValue};

use web_sys::{AbortSignal, Headers};

const MAX_RETRIES_LIMIT: f64 = 100.0;
/// 30 s per attempt: long enough for slow APIs, short enough that a hung connection is retried.
const DEFAULT_TIMEOUT_MS: f64 = 30_000.0;
const MAX_MS: f64 = MAX_DELAY_MS as f64;

/// What a numeric option accepts: `min..=max`, only whole numbers when `whole` (Infinity counts
/// as whole), and how the error message says it.
struct Accepts {
    min: f64,
    max: f64,
    whole: bool,
    what: &'static str,
}

/// The least number above 0: `min: ABOVE_ZERO` accepts exactly the positive numbers.
const ABOVE_ZERO: f64 = f64::from_bits(1);
const MS: Accepts = Accepts { min: 0.0, max: MAX_MS, whole: false, what: "a number of milliseconds ≥ 0" };
const RETRIES: Accepts = Accepts { min: 0.0, max: MAX_RETRIES_LIMIT, whole: true, what: "an integer from 0 to 100" };
const TOKENS: Accepts = Accepts { min: 0.0, max: 1e9, whole: false, what: "a number of tokens ≥ 0" };

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

/// The options that depend on each other, kept as given until every option has been seen.
#[derive(Default)]
struct Request {
    method: Option<JsValue>,
    headers: Option<JsValue>,
    json: Option<JsValue>,
    body: Option<JsValue>,
    idempotency_key: Option<JsValue>,
    idempotency_header: Option<JsValue>,
}

/// Reads `options` (and the seed-001 style third argument `max_retries`).
pub fn read_options(raw: &JsValue, max_retries: &JsValue) -> Result<Options, JsValue> {
    let given = !raw.is_undefined() && !raw.is_null();
    if given && (!raw.is_object() || Array::is_array(raw)) {
        return Err(invalid("options", "an object (a fetch RequestInit plus retry options)", raw));
    }
    let mut o = Options {
        retry: RetryConfig::default(),
        budget: Some(BudgetConfig::default()),
        timeout_ms: Some(DEFAULT_TIMEOUT_MS),
        deadline_ms: None,
        signal: None,
        on_retry: None,
        on_error: None,
        should_retry: None,
        parse_error: None,
        is_error: None,
        before_retry: None,
        before_error: None,
        call: JsValue::UNDEFINED,
        response_type: ResponseType::Auto,
        request_id_headers: default_request_id_headers(),
        method: String::new(),
        has_idempotency_key: false,
        init: Object::from(JsValue::UNDEFINED),
        polite: Politeness { scope: Some(String::new()), ..Politeness::default() },
    };
    let mut request = Request::default();
    // The fresh RequestInit, made when an option goes to it.
    let mut init: Option<Object> = None;
    if given {
        // `[call, key, value, key, value, …]`: every option given (not undefined), those only
        // js/glue.js uses already in the call context (or a string saying which one is wrong).
        let entries = super::js::option_entries(raw);
        o.call = entries.get(0);
        if let Some(problem) = o.call.as_string() {
            return Err(type_error(&problem));
        }
        let mut i = 1;
        while i + 1 < entries.length() {
            let (key, mut value) = (entries.get(i), entries.get(i + 1));
            i += 2;
            let name = key.as_string().unwrap_or_default();
            if !read_one(&mut o, &mut request, &name, &mut value)? {
                // Not steadfetch's: it goes to fetch untouched.
                set(init.get_or_insert_with(Object::new), key, value);
            }
        }
    }
    if let Some(n) = checked_number(max_retries, "maxRetries (third argument)", &RETRIES)? {
        o.retry.max_retries = n as u32;
    }
    let r = &request;
    if r.method.is_none() && r.headers.is_none() && r.json.is_none() && r.body.is_none() && r.idempotency_key.is_none() && r.idempotency_header.is_none() {
        // A plain GET (as most calls are): its RequestInit in one call.
        o.init = super::js::get_init(init.as_ref());
        o.method = "GET".into();
        return Ok(o);
    }
    o.init = init.unwrap_or_else(Object::new);
    let method = match request.method {
        Some(value) => match value.as_string() {
            Some(m) if !m.is_empty() && m.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-') => m.to_ascii_uppercase(),
            _ => return Err(invalid("method", "an HTTP method name such as 'GET' or 'POST'", &value)),
        },
        None => "GET".into(),
    };
    let headers = read_headers(request.headers)?;
    let body_is_stream = set_body(request.json, request.body, &o.init, &headers, &method)?;
    o.has_idempotency_key = set_idempotency_key(request.idempotency_key, request.idempotency_header, &headers)?;
    let method_value = if method == "GET" { crate::key!("GET") } else { JsValue::from_str(&method) };
    set(&o.init, crate::key!("method"), method_value);
    set(&o.init, crate::key!("headers"), headers);
    o.method = method;
    if body_is_stream {
        // A stream body is consumed by the first attempt and cannot be sent again.
        o.retry.max_retries = 0;
    }
    Ok(o)
}

/// `index_of!(name; "a" => 0, "b" => 1, …)`: the number of `name`, looked up in one table in one
/// loop (a string `match` compiles to a compare chain per name); the numbers are the names'
/// places in the table, checked when the crate compiles.
macro_rules! index_of {
    ($name:expr; $($key:literal => $index:literal,)*) => {{
        const NAMES: &[&str] = &[$($key),*];
        const _: () = {
            let mut i = 0;
            $(
                assert!($index == i, "index_of!: the numbers must count up from 0");
                i += 1;
            )*
            let _ = i;
        };
        NAMES.iter().position(|n| *n == $name)
    }};
}

/// Reads one option into `o` by its name; `false` (the value left in `given`) when the name is
/// not steadfetch's.
#[inline(never)]
fn read_one(o: &mut Options, request: &mut Request, name: &str, given: &mut JsValue) -> Result<bool, JsValue> {
    let Some(index) = index_of!(name;
        "onRetry" => 0,
        "onError" => 1,
        "shouldRetry" => 2,
        "parseError" => 3,
        "isError" => 4,
        "beforeRetry" => 5,
        "beforeError" => 6,
        "gateKey" => 7,
        "maxRetries" => 8,
        "backoff" => 9,
        "retryOn" => 10,
        "retryNetworkErrors" => 11,
        "retryOnTimeout" => 12,
        "timeoutMs" => 13,
        "deadlineMs" => 14,
        "maxRetryAfterMs" => 15,
        "defaultRetryAfterMs" => 16,
        "idempotencyKey" => 17,
        "idempotencyHeader" => 18,
        "method" => 19,
        "headers" => 20,
        "json" => 21,
        "body" => 22,
        "signal" => 23,
        "responseType" => 24,
        "requestIdHeaders" => 25,
        "retryBudget" => 26,
        "originGate" => 27,
        "maxConcurrent" => 28,
        "circuitBreaker" => 29,
        "shareAcrossTabs" => 30,
    ) else {
        return Ok(false);
    };
    let value = core::mem::take(given);
    if index < 8 {
        let slot = match index {
            0 => &mut o.on_retry,
            1 => &mut o.on_error,
            2 => &mut o.should_retry,
            3 => &mut o.parse_error,
            4 => &mut o.is_error,
            5 => &mut o.before_retry,
            6 => &mut o.before_error,
            _ => &mut o.polite.gate_key,
        };
        *slot = function(value, name)?;
        return Ok(true);
    }
    match index {
        8 => {
            if let Some(n) = checked_number(&value, name, &RETRIES)? {
                o.retry.max_retries = n as u32;
            }
        }
        9 => read_backoff(&value, &mut o.retry)?,
        10 => {
            let mut statuses = Vec::new();
            let (array, n) = array_items(&value);
            for i in 0..n {
                match item(array, i).as_f64() {
                    Some(n) if fract(n) == 0.0 && (100.0..=599.0).contains(&n) => statuses.push(n as u16),
                    _ => return Err(invalid(name, "an array of HTTP statuses (100-599)", &value)),
                }
            }
            o.retry.retry_on = statuses;
        }
        11 | 12 | 30 => {
            let slot = match index {
                11 => &mut o.retry.retry_network_errors,
                12 => &mut o.retry.retry_on_timeout,
                _ => &mut o.polite.share,
            };
            *slot = boolean(&value, name)?;
        }
        13 => {
            if value.as_bool() != Some(false) && value.as_f64() != Some(f64::INFINITY) {
                const ACCEPTS: Accepts = Accepts { min: ABOVE_ZERO, max: MAX_MS, whole: false, what: "a positive number of milliseconds (or false for none)" };
                o.timeout_ms = Some(checked_number(&value, name, &ACCEPTS)?.unwrap_or(DEFAULT_TIMEOUT_MS));
            } else {
                o.timeout_ms = None;
            }
        }
        14 => {
            const ACCEPTS: Accepts = Accepts { min: ABOVE_ZERO, max: MAX_MS, whole: false, what: "a positive number of milliseconds" };
            o.deadline_ms = checked_number(&value, name, &ACCEPTS)?;
        }
        15 => {
            const ACCEPTS: Accepts = Accepts { max: f64::MAX, ..MS };
            if let Some(n) = checked_number(&value, name, &ACCEPTS)? {
                o.retry.max_retry_after_ms = n.min(MAX_MS) as u64;
            }
        }
        16 => {
            if let Some(n) = checked_number(&value, name, &MS)? {
                o.retry.default_retry_after_ms = Some(n as u64);
            }
        }
        17..=22 => {
            let slot = match index {
                17 => &mut request.idempotency_key,
                18 => &mut request.idempotency_header,
                19 => &mut request.method,
                20 => &mut request.headers,
                21 => &mut request.json,
                _ => &mut request.body,
            };
            // null means "not given", but for json (null is its data) and idempotencyHeader (wrong).
            *slot = if index == 18 || index == 21 { Some(value) } else { non_null(value) };
        }
        23 => {
            if let Some(value) = non_null(value) {
                o.signal = Some(value.dyn_into::<AbortSignal>().map_err(|v| invalid(name, "an AbortSignal", &v))?);
            }
        }
        24 => {
            o.response_type = match value.as_string().as_deref() {
                Some("auto") => ResponseType::Auto,
                Some("json") => ResponseType::Json,
                Some("text") => ResponseType::Text,
                Some("response") => ResponseType::Response,
                _ => return Err(invalid(name, "'auto', 'json', 'text' or 'response'", &value)),
            }
        }
        25 => {
            let mut names = Vec::new();
            let (array, n) = array_items(&value);
            for i in 0..n {
                match item(array, i).as_string() {
                    Some(s) => names.push(s.trim().to_ascii_lowercase()),
                    None => return Err(invalid(name, "an array of header names", &value)),
                }
            }
            o.request_id_headers = names;
        }
        26 => o.budget = read_budget(&value)?,
        27 => {
            o.polite.scope = match value.as_bool() {
                Some(on) => on.then(String::new),
                None => match value.as_string() {
                    Some(s) if !s.is_empty() => Some(s),
                    _ => return Err(invalid(name, "true, false or a scope name", &value)),
                },
            }
        }
        28 => {
            const ACCEPTS: Accepts = Accepts { min: 1.0, max: f64::INFINITY, whole: true, what: "an integer ≥ 1 (or Infinity)" };
            let n = checked_number(&value, name, &ACCEPTS)?;
            // `as` saturates: a finite count above u32::MAX reads as u32::MAX.
            o.polite.max_concurrent = n.filter(|n| n.is_finite()).map(|n| n as u32);
        }
        29 => o.polite.breaker = read_breaker(&value)?,
        _ => return Ok(false),
    }
    Ok(true)
}

/// An array and its length, read with [`item`] in place (no `Vec` of the items); a non-array
/// reads as one bad item (null), so it fails with the same message as an array holding a wrong
/// item, from the same loop. `Array::to_vec` would need wasm-bindgen runtime the slimmed glue
/// does not ship.
fn array_items(value: &JsValue) -> (Option<&Array>, u32) {
    let array = value.dyn_ref::<Array>();
    (array, array.map_or(1, Array::length))
}

/// Item `i` of [`array_items`]' array, null for a non-array.
fn item(array: Option<&Array>, i: u32) -> JsValue {
    array.map_or(JsValue::NULL, |a| a.get(i))
}

fn non_null(value: JsValue) -> Option<JsValue> {
    Some(value).filter(|v| !v.is_null())
}

/// `backoff: { baseMs, factor, maxMs, jitter }`.
fn read_backoff(backoff: &JsValue, config: &mut RetryConfig) -> Result<(), JsValue> {
    if !backoff.is_object() {
        return Err(invalid("backoff", "an object like { baseMs, factor, maxMs, jitter }", backoff));
    }
    if let Some(n) = nested_number(backoff, "baseMs", &MS)? {
        config.base_ms = n;
    }
    if let Some(n) = nested_number(backoff, "factor", &Accepts { min: 1.0, max: 100.0, whole: false, what: "a number from 1 to 100" })? {
        config.factor = n;
    }
    if let Some(n) = nested_number(backoff, "maxMs", &MS)? {
        config.max_ms = n;
    }
    let jitter = get(backoff, "jitter");
    config.jitter = match jitter.as_string().as_deref() {
        _ if jitter.is_undefined() => Jitter::Full,
        Some("full") => Jitter::Full,
        Some("equal") => Jitter::Equal,
        Some("none") => Jitter::None,
        _ => return Err(invalid("backoff.jitter", "'full', 'equal' or 'none'", &jitter)),
    };
    Ok(())
}

/// `retryBudget: false | true | { capacity, retryCost, timeoutCost }`.
fn read_budget(value: &JsValue) -> Result<Option<BudgetConfig>, JsValue> {
    let mut config = BudgetConfig::default();
    match value.as_bool() {
        Some(on) => return Ok(on.then_some(config)),
        None if !value.is_object() => return Err(invalid("retryBudget", "false or { capacity, retryCost, timeoutCost }", value)),
        None => {}
    }
    if let Some(n) = nested_number(value, "capacity", &TOKENS)? {
        config.capacity = n;
    }
    if let Some(n) = nested_number(value, "retryCost", &TOKENS)? {
        config.retry_cost = n;
    }
    if let Some(n) = nested_number(value, "timeoutCost", &TOKENS)? {
        config.timeout_cost = n;
    }
    Ok(Some(config))
}

/// `circuitBreaker: false | true | { failureThreshold, windowMs, cooldownMs }`.
fn read_breaker(value: &JsValue) -> Result<Option<BreakerConfig>, JsValue> {
    let mut config = BreakerConfig::default();
    match value.as_bool() {
        Some(on) => return Ok(on.then_some(config)),
        None if !value.is_object() => return Err(invalid("circuitBreaker", "true, false or { failureThreshold, windowMs, cooldownMs }", value)),
        None => {}
    }
    if let Some(n) = nested_number(value, "failureThreshold", &Accepts { min: 1.0, max: 1e6, whole: true, what: "an integer ≥ 1" })? {
        config.failure_threshold = n as u32;
    }
    if let Some(n) = nested_number(value, "windowMs", &MS)? {
        config.window_ms = n;
    }
    if let Some(n) = nested_number(value, "cooldownMs", &MS)? {
        config.cooldown_ms = n;
    }
    Ok(Some(config))
}

fn read_headers(value: Option<JsValue>) -> Result<Headers, JsValue> {
    let headers = match value {
        None => Headers::new(),
        Some(value) if value.is_object() => Headers::new_with_record_from_str_to_str(value.unchecked_ref()),
        Some(value) => return Err(invalid("headers", "an object, an array of pairs or a Headers", &value)),
    };
    headers.map_err(|e| failed("headers are invalid: ", &e, ""))
}

/// Sets `body` (or the `json` shortcut) on the init. Returns whether the body is a one-shot stream.
fn set_body(json: Option<JsValue>, body: Option<JsValue>, init: &Object, headers: &Headers, method: &str) -> Result<bool, JsValue> {
    if json.is_some() && body.is_some() {
        return Err(type_error("pass either json or body, not both"));
    }
    if (json.is_some() || body.is_some()) && (method == "GET" || method == "HEAD") {
        return Err(type_error(&super::js::cat(&["a ", method, " request cannot have a body; set method to 'POST', 'PUT' or 'PATCH'"])));
    }
    if let Some(json) = json {
        let text = js_sys::JSON::stringify(&json)
            .map_err(|e| failed("json could not be serialized (", &e, "); pass plain data without cycles or BigInt"))?;
        set(init, crate::key!("body"), text);
        if !headers.has("content-type").unwrap_or(true) {
            let _ = headers.set("content-type", "application/json");
        }
        return Ok(false);
    }
    if let Some(body) = body {
        let is_stream = get(&body, "getReader").is_function();
        set(init, crate::key!("body"), body);
        return Ok(is_stream);
    }
    Ok(false)
}

fn set_idempotency_key(key: Option<JsValue>, header: Option<JsValue>, headers: &Headers) -> Result<bool, JsValue> {
    let header = match header {
        None => "Idempotency-Key".into(),
        Some(value) => match value.as_string() {
            Some(h) if !h.trim().is_empty() => h,
            _ => return Err(invalid("idempotencyHeader", "a header name", &value)),
        },
    };
    let key = key.unwrap_or(JsValue::FALSE);
    let value = match key.as_bool() {
        Some(false) => return Ok(headers.has(&header).unwrap_or(false)),
        Some(true) => super::js::uuid(),
        None => match key.as_string() {
            Some(k) if !k.trim().is_empty() => k,
            _ => return Err(invalid("idempotencyKey", "a non-empty string or true", &key)),
        },
    };
    headers.set(&header, &value).map_err(|e| failed("idempotency key is not a valid header value: ", &e, ""))?;
    Ok(true)
}

fn function(value: JsValue, key: &str) -> Result<Option<Function>, JsValue> {
    let Some(value) = non_null(value) else { return Ok(None) };
    value.dyn_into::<Function>().map(Some).map_err(|v| invalid(key, "a function", &v))
}

fn boolean(value: &JsValue, key: &str) -> Result<bool, JsValue> {
    value.as_bool().ok_or_else(|| invalid(key, "true or false", value))
}

/// `object[key]` as a number it `accepts`; `None` when absent.
fn nested_number(object: &JsValue, key: &str, accepts: &Accepts) -> Result<Option<f64>, JsValue> {
    checked_number(&get(object, key), key, accepts)
}

/// `value` as a number it `accepts` (NaN never); `None` when undefined or null. One body for
/// every numeric option: each option's rule is data, not a closure of its own.
#[inline(never)]
fn checked_number(value: &JsValue, key: &str, accepts: &Accepts) -> Result<Option<f64>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    match value.as_f64() {
        Some(n) if n >= accepts.min && n <= accepts.max && (!accepts.whole || fract(n) == 0.0 || n.is_infinite()) => Ok(Some(n)),
        _ => Err(invalid(key, accepts.what, value)),
    }
}

/// `"{before}{what error says}{after}"`: the TypeError of an option JS refused.
#[inline(never)]
fn failed(before: &str, error: &JsValue, after: &str) -> JsValue {
    type_error(&super::js::cat(&[before, &error_text(error), after]))
}

/// `"{key} must be {what}, got {value}"`: the TypeError of an option that is wrong.
#[inline(never)]
fn invalid(key: &str, what: &str, value: &JsValue) -> JsValue {
    type_error(&super::js::cat(&[key, " must be ", what, ", got ", &describe(value)]))
}

pub use super::describe::{describe, error_text};
