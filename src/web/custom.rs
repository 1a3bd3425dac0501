//! `parseError(body, response)`: what the caller knows about an API that no generic rule can,
//! returned as a partial error and merged over the normalized one. js/glue.js `partial` checks its
//! fields (a value of the wrong type is a TypeError naming the hook and the field, never a garbled
//! error); the kind's name is checked here, against the crate's kinds.


use super::response::Normalized;
use crate::core::body::FieldError;
use crate::core::headers::clamp_delay;
use crate::core::kind::ErrorKind;
use crate::core::text::{tidy, MAX_MESSAGE_CHARS};
use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};

/// Merges what js/glue.js `partial` made of the hook's result: nothing (undefined), or
/// `[kind, code, message, requestId, retryable, retryAfterMs, fieldErrors]`.
pub fn apply_partial(error: &mut Normalized, partial: &JsValue) -> Result<(), JsValue> {
    let Some(p) = partial.dyn_ref::<Array>() else { return Ok(()) };
    let text = |i: u32| p.get(i).as_string();
    if let Some(name) = text(0) {
        error.kind = ErrorKind::parse(&name).ok_or_else(|| {
            let what = super::js::cat(&["kind: ", &super::js::describe(&p.get(0)), "; it must be one of the error kinds such as 'rate_limited'"]);
            super::hooks::bad_return("parseError", &what)
        })?;
    }
    if let Some(code) = text(1) {
        error.code = tidy(&code, 100);
    }
    if let Some(message) = text(2) {
        error.message = tidy(&message, MAX_MESSAGE_CHARS);
    }
    if let Some(id) = text(3) {
        error.request_id = Some(tidy(&id, 200));
    }
    if let Some(retryable) = p.get(4).as_bool() {
        error.should_retry = Some(retryable);
    }
    if let Some(ms) = p.get(5).as_f64() {
        error.retry_after_ms = Some(clamp_delay(ms));
    }
    if let Some(list) = p.get(6).dyn_ref::<Array>() {
        // Flat: field, message, code (a string or undefined), field, …
        error.field_errors.clear();
        let mut i = 0;
        while i + 2 < list.length() {
            let (field, message) = (list.get(i).as_string().unwrap_or_default(), list.get(i + 1).as_string().unwrap_or_default());
            error.field_errors.push(FieldError { field, message: tidy(&message, MAX_MESSAGE_CHARS), code: list.get(i + 2).as_string() });
            i += 3;
        }
    }
    Ok(())
}
