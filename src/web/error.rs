//! Turning a normalized error and the call's history into an instance of the JS error classes.

use crate::prelude::*;

use super::js::{api_error, history_entry, opt_number, opt_str, set};
use crate::core::body::FieldError;
use super::response::Normalized;
use crate::core::headers::RateLimit;
use crate::core::kind::ErrorKind;
use js_sys::{Array, Object};
use wasm_bindgen::JsValue;

/// One attempt, for `history` and `onRetry`.
#[derive(Debug, Clone)]
pub struct AttemptRecord {
    /// 1-based attempt number.
    pub attempt: u32,
    /// HTTP status, if a response arrived.
    pub status: Option<u16>,
    /// The failure kind.
    pub kind: ErrorKind,
    /// The error code, if it failed.
    pub code: Option<String>,
    /// The server's request id.
    pub request_id: Option<String>,
    /// How long the attempt took.
    pub duration_ms: f64,
    /// The wait planned after it, if it was retried.
    pub delay_ms: Option<u64>,
    /// Whether that wait was the server's hint.
    pub delay_from_server: bool,
    /// Whether the origin's gate (another call's server wait) held it longer.
    pub delay_from_gate: bool,
}

/// What the call knows beyond the normalized error.
pub struct CallContext<'a> {
    /// Upper-case method.
    pub method: &'a str,
    /// The resolved URL (js/errors.js `apiError` redacts it).
    pub url: &'a JsValue,
    /// Every attempt so far.
    pub history: &'a [AttemptRecord],
    /// Whether the failure itself could succeed on retry.
    pub retryable: bool,
    /// For timeouts: "attempt" or "deadline".
    pub scope: Option<&'static str>,
    /// Build an ErrorDraft (for the final rejection nobody inspects first) instead of the error.
    pub draft: bool,
}

/// The error (the subclass for the kind) with every field the README lists, built by
/// js/errors.js `apiError` (one call) into one fields object for `createApiError`; with
/// `context.draft`, an ErrorDraft.
#[inline(never)]
pub fn to_js_error(error: &Normalized, context: &CallContext, cause: &JsValue, response: &Option<(JsValue, JsValue)>) -> JsValue {
    let (response, data) = match response {
        Some((response, data)) => (response, data),
        None => (&JsValue::UNDEFINED, &JsValue::UNDEFINED),
    };
    api_error(
        context.draft,
        &error.message,
        &cached_kind_text(error.kind),
        error.status.map_or(f64::NAN, f64::from),
        &error.code,
        // The API's own object (a value of `data`), untouched.
        &error.details.clone().unwrap_or(JsValue::NULL),
        // None: undefined, which the error reads as [] (one crossing fewer).
        &if error.field_errors.is_empty() { JsValue::UNDEFINED } else { field_errors_to_js(&error.field_errors).into() },
        error.request_id.as_deref(),
        error.retry_after_ms.map_or(f64::NAN, |ms| ms as f64),
        &error.rate_limit.as_ref().map(rate_limit_to_js).unwrap_or(JsValue::NULL),
        context.retryable,
        context.history.len() as u32,
        &history_to_js(context.history),
        context.method,
        context.url,
        error.body_text.as_deref(),
        context.scope,
        cause,
        response,
        data,
    )
}

/// The kind's name as a JS string, decoded once per page rather than once per error.
fn cached_kind_text(kind: ErrorKind) -> JsValue {
    static CACHE: super::page::PageCell<Vec<(ErrorKind, JsValue)>> = super::page::PageCell::empty();
    CACHE.with(|cache| {
        if let Some((_, value)) = cache.iter().find(|(k, _)| *k == kind) {
            return value.clone();
        }
        let value = JsValue::from_str(kind.as_str());
        cache.push((kind, value.clone()));
        value
    })
}

/// `history` as an array of plain objects.
pub fn history_to_js(history: &[AttemptRecord]) -> Array {
    history.iter().map(record_to_js).collect()
}

/// One attempt as a plain object.
pub fn record_to_js(record: &AttemptRecord) -> JsValue {
    let kind = cached_kind_text(record.kind);
    let source = delay_source(record);
    history_entry(
        record.attempt,
        opt_number(record.status.map(f64::from)),
        kind,
        opt_str(record.code.as_deref()),
        opt_str(record.request_id.as_deref()),
        record.duration_ms,
        opt_number(record.delay_ms.map(|d| d as f64)),
        source,
    )
}

/// `"gate"`, `"server"` or `"backoff"` for an attempt that was followed by a wait, else `null`.
pub fn delay_source(record: &AttemptRecord) -> JsValue {
    match (record.delay_ms, record.delay_from_server) {
        (None, _) => JsValue::NULL,
        (Some(_), _) if record.delay_from_gate => crate::key!("gate"),
        (Some(_), true) => crate::key!("server"),
        (Some(_), false) => crate::key!("backoff"),
    }
}

fn field_errors_to_js(errors: &[FieldError]) -> Array {
    errors
        .iter()
        .map(|e| {
            let obj = Object::new();
            set(&obj, crate::key!("field"), e.field.as_str());
            set(&obj, crate::key!("message"), e.message.as_str());
            set(&obj, crate::key!("code"), opt_str(e.code.as_deref()));
            JsValue::from(obj)
        })
        .collect()
}

fn rate_limit_to_js(rate_limit: &RateLimit) -> JsValue {
    let obj = Object::new();
    set(&obj, crate::key!("limit"), opt_number(rate_limit.limit));
    set(&obj, crate::key!("remaining"), opt_number(rate_limit.remaining));
    set(&obj, crate::key!("resetAt"), opt_number(rate_limit.reset_at_ms));
    obj.into()
}
