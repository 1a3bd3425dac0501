//! Describing JS values in error messages: what the caller passed, what a hook threw.

use crate::prelude::*;

use super::js::get;
use wasm_bindgen::JsValue;

/// A short description of a value for error messages: `"3" (a string)`, `-1`, `NaN`, `an object`
/// (js/glue.js `describe`, which formats numbers so the wasm need not).
pub use super::js::describe;

/// The `message` of a thrown value, or its string form.
pub fn error_text(error: &JsValue) -> String {
    get(error, "message").as_string().or_else(|| error.as_string()).unwrap_or_else(|| "unknown error".into())
}
