//! One attempt: `fetch` under its own AbortController, cut by the attempt timeout, the deadline
//! and the caller's signal, then the body read under the same guards.

use crate::prelude::*;

use super::abort::AbortListener;
use super::js::{fetch_text, perf_now};
use super::options::{Options, ResponseType};
use super::response::{read_error, read_success, SuccessBody};
use super::response::Normalized;
use crate::core::kind::ErrorKind;
use crate::core::text::{excerpt, MAX_BODY_EXCERPT_BYTES};
use core::cell::Cell;
use alloc::rc::Rc;
use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Response};

/// Why the attempt's controller aborted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cut {
    None,
    Timeout,
    Deadline,
    Caller,
}

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

    fn hook(thrown: JsValue) -> AttemptError {
        let error = Normalized::without_response(ErrorKind::Unknown, "a hook threw");
        AttemptError { error, cause: JsValue::UNDEFINED, scope: None, fatal: Some(thrown), response: None }
    }
}

/// Runs one attempt. `remaining_ms` is what is left of the deadline, if any.
pub async fn run_attempt(url: &JsValue, origin: &str, options: &Options, remaining_ms: Option<f64>) -> Result<JsValue, AttemptError> {
    let controller = AbortController::new().map_err(|e| network_failure(e, origin))?;
    let cut = Rc::new(Cell::new(Cut::None));
    let _link = options.signal.as_ref().map(|signal| {
        let (controller, cut, signal2) = (controller.clone(), cut.clone(), signal.clone());
        AbortListener::new(signal, move || {
            cut.set(Cut::Caller);
            controller.abort_with_reason(&signal2.reason());
        })
    });
    let _timer = attempt_limit(options.timeout_ms, remaining_ms).map(|(ms, why)| {
        let (controller, cut) = (controller.clone(), cut.clone());
        super::page::Timeout::new(ms, move || {
            cut.set(why);
            controller.abort();
        })
    });
    super::js::set(&options.init, crate::key!("signal"), controller.signal());
    let started = perf_now();
    let outcome = fetch_and_read(url, options).await;
    match outcome {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(error),
        Err(thrown) => Err(classify_rejection(thrown, cut.get(), options, perf_now() - started, origin)),
    }
}

/// The tighter of the attempt timeout and the deadline, and which one it is.
fn attempt_limit(timeout_ms: Option<f64>, remaining_ms: Option<f64>) -> Option<(u32, Cut)> {
    let limit = match (timeout_ms, remaining_ms) {
        (Some(t), Some(r)) if r <= t => (r, Cut::Deadline),
        (Some(t), _) => (t, Cut::Timeout),
        (None, Some(r)) => (r, Cut::Deadline),
        (None, None) => return None,
    };
    Some((crate::core::num::ceil(limit.0).clamp(0.0, u32::MAX as f64) as u32, limit.1))
}

/// `Ok(Ok(value))` on success, `Ok(Err(..))` for an HTTP-level failure, `Err(js)` when fetch or the
/// body read rejected (network, abort, timeout).
async fn fetch_and_read(url: &JsValue, options: &Options) -> Result<Result<JsValue, AttemptError>, JsValue> {
    let keep_body = options.response_type == ResponseType::Response;
    let fetched = JsFuture::from(fetch_text(url, &options.init, keep_body, &options.call)?).await?;
    let Some(pair) = fetched.dyn_ref::<Array>() else {
        // js/glue.js resolves with a TypeError when a hook (beforeRequest, afterResponse, …) threw.
        return Ok(Err(AttemptError::hook(fetched)));
    };
    let response: Response = pair.get(0).dyn_into()?;
    let text = pair.get(1);
    let status = response.status();
    if status >= 400 {
        return Ok(Err(failed_response(&response, &text, None, options).await));
    }
    // `Response::clone` is the JS method (it tees the body); this clones only the handle.
    let handle: Response = JsValue::clone(response.as_ref()).unchecked_into();
    Ok(match read_success(handle, text.clone(), options.response_type, &options.request_id_headers) {
        SuccessBody::Value(value) => match declared_error(&response, &value, options).await {
            Ok(false) => Ok(value),
            Ok(true) => Err(failed_response(&response, &text, Some(value), options).await),
            Err(thrown) => Err(AttemptError::hook(thrown)),
        },
        SuccessBody::Error(error, body) => Err(with_parse_error(error, &response, &text, Some(body), options).await),
        SuccessBody::ParseFailed(head, cause) => Err(AttemptError::new(parse_failure(status, &head, &cause), cause, None).with_response(&response, text)),
    })
}

/// The caller's `isError(body, response)` declares a 2xx body an error (Slack's `ok: false`).
async fn declared_error(response: &Response, body: &JsValue, options: &Options) -> Result<bool, JsValue> {
    let Some(hook) = options.is_error.as_ref().filter(|_| options.response_type != ResponseType::Response) else { return Ok(false) };
    Ok(super::hooks::call2("isError", hook, body, response.as_ref()).await?.is_truthy())
}

/// An error response (or a 2xx declared one), normalized and then taught by `parseError`.
async fn failed_response(response: &Response, text: &JsValue, parsed: Option<JsValue>, options: &Options) -> AttemptError {
    let (error, body) = read_error(response, text, &options.request_id_headers);
    with_parse_error(error, response, text, parsed.or(body), options).await
}

/// Applies the caller's `parseError(body, response)` to a normalized error.
async fn with_parse_error(mut error: Normalized, response: &Response, text: &JsValue, body: Option<JsValue>, options: &Options) -> AttemptError {
    let body = body.unwrap_or_else(|| text.clone());
    let Some(hook) = &options.parse_error else { return AttemptError::new(error, JsValue::UNDEFINED, None).with_response(response, body) };
    let applied = match super::hooks::call2("parseError", hook, &body, response.as_ref()).await {
        Ok(partial) => super::custom::apply_partial(&mut error, &partial),
        Err(thrown) => Err(thrown),
    };
    match applied {
        Ok(()) => AttemptError::new(error, JsValue::UNDEFINED, None).with_response(response, body),
        Err(thrown) => AttemptError::hook(thrown),
    }
}

fn parse_failure(status: u16, text: &str, cause: &JsValue) -> Normalized {
    let reason = super::options::error_text(cause);
    let mut error = Normalized::without_response(ErrorKind::Parse, &format!("The {status} response is not valid JSON: {reason}"));
    error.status = Some(status);
    error.body_text = Some(excerpt(text, MAX_BODY_EXCERPT_BYTES).to_string());
    error
}

fn classify_rejection(thrown: JsValue, cut: Cut, options: &Options, elapsed: f64, origin: &str) -> AttemptError {
    match cut {
        Cut::Caller => {
            let reason = options.signal.as_ref().map(|s| s.reason()).unwrap_or(thrown);
            aborted(reason)
        }
        Cut::Timeout | Cut::Deadline => {
            let (scope, what) = if cut == Cut::Timeout { ("attempt", "timeoutMs") } else { ("deadline", "deadlineMs") };
            let message = format!("No response within {} ms ({what})", crate::core::num::round(elapsed).max(0.0) as u64);
            AttemptError::new(Normalized::without_response(ErrorKind::Timeout, &message), thrown, Some(scope))
        }
        Cut::None => network_failure(thrown, origin),
    }
}

/// The caller's signal fired; `reason` is the signal's reason. A `TimeoutError` reason
/// (`AbortSignal.timeout(ms)`) is a timeout of scope "signal", as native fetch names it.
pub fn aborted(reason: JsValue) -> AttemptError {
    if super::js::get(&reason, "name").as_string().as_deref() == Some("TimeoutError") {
        let mut error = Normalized::without_response(ErrorKind::Timeout, "The request timed out: its AbortSignal was aborted with a TimeoutError");
        // The caller's own limit: never retried.
        error.should_retry = Some(false);
        return AttemptError::new(error, reason, Some("signal"));
    }
    let error = Normalized::without_response(ErrorKind::Aborted, "The request was aborted by its AbortSignal");
    AttemptError::new(error, reason, None)
}

fn network_failure(thrown: JsValue, origin: &str) -> AttemptError {
    let detail = super::options::error_text(&thrown);
    let message = format!("Network error: no response from {origin} ({detail})");
    AttemptError::new(Normalized::without_response(ErrorKind::Network, &message), thrown, None)
}
