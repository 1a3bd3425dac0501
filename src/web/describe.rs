//! Describing JS values in error messages: what a fetch or a hook threw.

use crate::prelude::*;

use super::js::get;
use wasm_bindgen::JsValue;

/// The `message` of a thrown value, or its string form.
pub fn error_text(error: &JsValue) -> String {
    get(error, "message").as_string().or_else(|| error.as_string()).unwrap_or_else(|| "unknown error".into())
}
