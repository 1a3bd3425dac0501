//! One attempt, as sync steps around the promises the engine awaits (web::engine): js/glue.js
//! `attempt` runs `fetch` under its own AbortController, cut by the attempt timeout, the deadline
//! and the caller's signal, and reads the body; this file turns what it settled with into the
//! value to resolve with or a failed attempt.

use crate::prelude::*;

use super::js::get;
use super::describe::error_text;
use super::options::{hooks, Options, ResponseType};
use super::response::{read_error, read_success, SuccessBody};
use super::response::Normalized;
use crate::core::kind::ErrorKind;
use crate::core::num::push_int;
use crate::core::text::{excerpt, MAX_BODY_EXCERPT_BYTES};
use js_sys::{Array, Promise};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Response;

/// A failed attempt.
pub struct AttemptError {
    /// The normalized failure.
    pub error: Normalized,
    /// The JS value behind it (fetch's TypeError, the abort reason, the parse error), or undefined.
    pub cause: JsValue,
    /// For timeouts: "attempt" or "deadline".
    pub scope: Option<&'static str>,
    /// A hook threw while reading the response: the call ends with this TypeError.
    pub fatal: Option<JsValue>,
    /// The `Response` (body read) and its whole parsed body (JSON value, else text).
    pub response: Option<(JsValue, JsValue)>,
}

impl AttemptError {
    pub(crate) fn new(error: Normalized, cause: JsValue, scope: Option<&'static str>) -> AttemptError {
        AttemptError { error, cause, scope, fatal: None, response: None }
    }

    fn with_response(mut self, response: &Response, data: JsValue) -> AttemptError {
        self.response = Some((response.into(), data));
        self
    }

    /// A hook threw (or returned what it may not): the call ends with `thrown`.
    pub fn hook(thrown: JsValue) -> AttemptError {
        let error = Normalized::without_response(ErrorKind::Unknown, "a hook threw");
        AttemptError { error, cause: JsValue::UNDEFINED, scope: None, fatal: Some(thrown), response: None }
    }
}

/// Where an attempt stands after a step: done, or waiting for a hook's promise.
pub enum Read {
    /// The value to resolve the call with.
    Value(JsValue),
    /// The attempt failed.
    Failed(AttemptError),
    /// `isError(body, response)` was called: hand what it settles with to [`declared`].
    IsError(Promise, Response, JsValue, JsValue),
    /// `parseError(body, response)` was called: hand what it settles with to [`parsed`].
    ParseError(Promise, Normalized, Response, JsValue),
}

/// Starts one attempt; `remaining_ms` is what is left of the deadline, if any.
pub fn start(options: &Options, remaining_ms: Option<f64>) -> Promise {
    let limit = attempt_limit(options.timeout_ms, remaining_ms);
    super::js::attempt(
        &options.href,
        &options.init,
        options.response_type == ResponseType::Response,
        &options.call,
        limit.map(|l| l.0),
        limit.is_some_and(|l| l.1),
        options.signal.as_ref(),
    )
}

/// The tighter of the attempt timeout and the deadline in whole ms, and whether it is the deadline.
fn attempt_limit(timeout_ms: Option<f64>, remaining_ms: Option<f64>) -> Option<(u32, bool)> {
    let limit = match (timeout_ms, remaining_ms) {
        (Some(t), Some(r)) if r <= t => (r, true),
        (Some(t), _) => (t, false),
        (None, Some(r)) => (r, true),
        (None, None) => return None,
    };
    Some((crate::core::num::ceil(limit.0).clamp(0.0, u32::MAX as f64) as u32, limit.1))
}

/// What js/glue.js `attempt` settled with: the success value, a failure, or a hook to await.
/// `elapsed` is the attempt's time so far (for a timeout's message).
#[inline(never)]
pub fn fetched(settled: Result<JsValue, JsValue>, options: &Options, elapsed: f64) -> Read {
    let origin = options.origin.as_str();
    let fetched = match settled {
        Ok(fetched) => fetched,
        Err(rejected) => {
            // js/glue.js `attempt` rejects with `[cut, thrown]`, always.
            let cut: &Array = rejected.unchecked_ref();
            return Read::Failed(classify_rejection(cut.get(1), cut.get(0).as_f64().unwrap_or(0.0), options, elapsed, origin));
        }
    };
    let Some(pair) = fetched.dyn_ref::<Array>() else {
        // js/glue.js resolves with a TypeError when a hook (beforeRequest, afterResponse, …) threw.
        return Read::Failed(AttemptError::hook(fetched));
    };
    let response: Response = match pair.get(0).dyn_into() {
        Ok(response) => response,
        Err(other) => return Read::Failed(network_failure(other, origin)),
    };
    let text = pair.get(1);
    let status = response.status();
    if status >= 400 {
        return failed_response(response, &text, None, options);
    }
    // `Response::clone` is the JS method (it tees the body); this clones only the handle.
    let handle: Response = JsValue::clone(response.as_ref()).unchecked_into();
    match read_success(handle, text.clone(), options.response_type, options.request_ids()) {
        // The caller's `isError(body, response)` declares a 2xx body an error (Slack's `ok: false`).
        SuccessBody::Value(value) if options.has(hooks::IS_ERROR) && options.response_type != ResponseType::Response => {
            Read::IsError(super::js::hook(&options.hooks, "isError", &value, response.as_ref()), response, value, text)
        }
        SuccessBody::Value(value) => Read::Value(value),
        SuccessBody::Error(error, body) => with_parse_error(error, response, body, options),
        SuccessBody::ParseFailed(head, cause) => Read::Failed(AttemptError::new(parse_failure(status, &head, &cause), cause, None).with_response(&response, text)),
    }
}

/// What `isError` settled with.
#[inline(never)]
pub fn declared(settled: Result<JsValue, JsValue>, response: Response, value: JsValue, text: JsValue, options: &Options) -> Read {
    match settled {
        Ok(verdict) if verdict.is_truthy() => failed_response(response, &text, Some(value), options),
        Ok(_) => Read::Value(value),
        Err(thrown) => Read::Failed(AttemptError::hook(thrown)),
    }
}

/// An error response (or a 2xx declared one), normalized and then taught by `parseError`.
fn failed_response(response: Response, text: &JsValue, parsed: Option<JsValue>, options: &Options) -> Read {
    let (error, body) = read_error(&response, text, options.request_ids());
    with_parse_error(error, response, parsed.or(body).unwrap_or_else(|| text.clone()), options)
}

/// Calls the caller's `parseError(body, response)`, if any, for a normalized error.
fn with_parse_error(error: Normalized, response: Response, body: JsValue, options: &Options) -> Read {
    if options.has(hooks::PARSE_ERROR) {
        return Read::ParseError(super::js::hook(&options.hooks, "parseError", &body, response.as_ref()), error, response, body);
    }
    Read::Failed(AttemptError::new(error, JsValue::UNDEFINED, None).with_response(&response, body))
}

/// What `parseError` settled with, merged over the normalized error.
#[inline(never)]
pub fn parsed(settled: Result<JsValue, JsValue>, mut error: Normalized, response: Response, body: JsValue) -> Read {
    match settled.and_then(|partial| super::custom::apply_partial(&mut error, &partial)) {
        Ok(()) => Read::Failed(AttemptError::new(error, JsValue::UNDEFINED, None).with_response(&response, body)),
        Err(thrown) => Read::Failed(AttemptError::hook(thrown)),
    }
}

fn parse_failure(status: u16, text: &str, cause: &JsValue) -> Normalized {
    let mut message = String::from("The ");
    push_int(&mut message, u64::from(status));
    message.push_str(" response is not valid JSON: ");
    message.push_str(&error_text(cause));
    let mut error = Normalized::without_response(ErrorKind::Parse, &message);
    error.status = Some(status);
    error.body_text = Some(excerpt(text, MAX_BODY_EXCERPT_BYTES).to_string());
    error
}

/// A rejected attempt; `cut` says which limit aborted it (js/glue.js `attempt`).
fn classify_rejection(thrown: JsValue, cut: f64, options: &Options, elapsed: f64, origin: &str) -> AttemptError {
    if cut == 3.0 {
        let reason = options.signal.as_ref().map(|s| s.reason()).unwrap_or(thrown);
        return aborted(reason);
    }
    if cut == 0.0 {
        return network_failure(thrown, origin);
    }
    let (scope, what) = if cut == 1.0 { ("attempt", " ms (timeoutMs)") } else { ("deadline", " ms (deadlineMs)") };
    let mut message = String::from("No response within ");
    push_int(&mut message, crate::core::num::round(elapsed).max(0.0) as u64);
    message.push_str(what);
    AttemptError::new(Normalized::without_response(ErrorKind::Timeout, &message), thrown, Some(scope))
}

/// The caller's `signal` fired (one body for the engine's and the gate's waits).
pub fn aborted_by(signal: Option<&web_sys::AbortSignal>) -> AttemptError {
    aborted(signal.map(|s| s.reason()).unwrap_or(JsValue::UNDEFINED))
}

/// The caller's signal fired; `reason` is the signal's reason. A `TimeoutError` reason
/// (`AbortSignal.timeout(ms)`) is a timeout of scope "signal", as native fetch names it.
pub fn aborted(reason: JsValue) -> AttemptError {
    if get(&reason, "name").as_string().as_deref() == Some("TimeoutError") {
        let mut error = Normalized::without_response(ErrorKind::Timeout, "The request timed out: its AbortSignal was aborted with a TimeoutError");
        // The caller's own limit: never retried.
        error.should_retry = Some(false);
        return AttemptError::new(error, reason, Some("signal"));
    }
    let error = Normalized::without_response(ErrorKind::Aborted, "The request was aborted by its AbortSignal");
    AttemptError::new(error, reason, None)
}

fn network_failure(thrown: JsValue, origin: &str) -> AttemptError {
    let message = super::js::cat(&["Network error: no response from ", origin, " (", &error_text(&thrown), ")"]);
    AttemptError::new(Normalized::without_response(ErrorKind::Network, &message), thrown, None)
}
