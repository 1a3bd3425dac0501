//! Describing JS values in error messages: what the caller passed, what a hook threw.

use crate::prelude::*;

use super::js::get;
use js_sys::Array;
use wasm_bindgen::JsValue;

/// A short description of a value for error messages: `"3" (a string)`, `-1`, `NaN`, `an object`.
pub fn describe(value: &JsValue) -> String {
    if let Some(s) = value.as_string() {
        let shown: String = s.chars().take(40).collect();
        return ["\"", &shown, "\" (a string)"].concat();
    }
    if let Some(n) = value.as_f64() {
        return js_sys::Number::from(n).to_string_with_radix(10).map(String::from).unwrap_or_else(|_| "a number".into());
    }
    if value.is_null() {
        return "null".into();
    }
    if value.is_function() {
        return "a function".into();
    }
    if Array::is_array(value) {
        return "an array".into();
    }
    if value.is_object() {
        return "an object".into();
    }
    value.js_typeof().as_string().unwrap_or_else(|| "a value".into())
}

/// The `message` of a thrown value, or its string form.
pub fn error_text(error: &JsValue) -> String {
    get(error, "message").as_string().or_else(|| error.as_string()).unwrap_or_else(|| "unknown error".into())
}
