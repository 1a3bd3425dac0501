//! `parseError(body, response)`: what the caller knows about an API that no generic rule can,
//! returned as a partial error and merged over the normalized one. Each field is checked: a value
//! of the wrong type is a TypeError naming the hook and the field, never a garbled error.

use crate::prelude::*;

use super::hooks::bad_return;
use super::js::get;
use super::options::describe;
use crate::core::body::FieldError;
use super::response::Normalized;
use crate::core::headers::clamp_delay;
use crate::core::kind::ErrorKind;
use crate::core::text::{tidy, MAX_MESSAGE_CHARS};
use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};

const HOOK: &str = "parseError";

/// Merges the fields `partial` gives (`undefined`/`null` changes nothing).
pub fn apply_partial(error: &mut Normalized, partial: &JsValue) -> Result<(), JsValue> {
    if partial.is_undefined() || partial.is_null() {
        return Ok(());
    }
    if !partial.is_object() || Array::is_array(partial) {
        return Err(bad_return(HOOK, &super::js::cat(&[&describe(partial), "; return an object such as { code, message } or nothing"])));
    }
    if let Some(kind) = field(partial, "kind") {
        let name = kind.as_string().unwrap_or_default();
        error.kind = ErrorKind::parse(&name).ok_or_else(|| wrong("kind", "one of the error kinds such as 'rate_limited'", &kind))?;
    }
    if let Some(code) = field(partial, "code") {
        error.code = tidy(&text(&code, "code")?, 100);
    }
    if let Some(message) = field(partial, "message") {
        error.message = tidy(&text(&message, "message")?, MAX_MESSAGE_CHARS);
    }
    if let Some(id) = field(partial, "requestId") {
        error.request_id = Some(tidy(&text(&id, "requestId")?, 200));
    }
    if let Some(retryable) = field(partial, "retryable") {
        error.should_retry = Some(retryable.as_bool().ok_or_else(|| wrong("retryable", "true or false", &retryable))?);
    }
    if let Some(ms) = field(partial, "retryAfterMs") {
        let ms = ms.as_f64().filter(|n| *n >= 0.0 && !n.is_nan()).ok_or_else(|| wrong("retryAfterMs", "a number of milliseconds ≥ 0", &ms))?;
        error.retry_after_ms = Some(clamp_delay(ms));
    }
    if let Some(list) = field(partial, "fieldErrors") {
        error.field_errors = field_errors(&list)?;
    }
    Ok(())
}

/// A property that is present and not `undefined`.
fn field(partial: &JsValue, key: &str) -> Option<JsValue> {
    Some(get(partial, key)).filter(|v| !v.is_undefined())
}

fn text(value: &JsValue, key: &str) -> Result<String, JsValue> {
    value.as_string().filter(|s| !s.trim().is_empty()).ok_or_else(|| wrong(key, "a non-empty string", value))
}

fn wrong(key: &str, what: &str, value: &JsValue) -> JsValue {
    bad_return(HOOK, &super::js::cat(&[key, ": ", &describe(value), "; it must be ", what]))
}

fn field_errors(list: &JsValue) -> Result<Vec<FieldError>, JsValue> {
    let what = "an array of { field, message, code? }";
    let array = list.dyn_ref::<Array>().ok_or_else(|| wrong("fieldErrors", what, list))?;
    // A loop, not a collect into Result: the shunting iterator costs more wasm.
    let mut errors = Vec::new();
    for item in array.iter() {
        let field = get(&item, "field").as_string().ok_or_else(|| wrong("fieldErrors", what, &item))?;
        let message = get(&item, "message").as_string().ok_or_else(|| wrong("fieldErrors", what, &item))?;
        let code = get(&item, "code").as_string();
        errors.push(FieldError { field, message: tidy(&message, MAX_MESSAGE_CHARS), code });
    }
    Ok(errors)
}
