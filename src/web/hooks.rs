//! Calling the caller's hooks: sync or async (a returned promise or thenable is awaited), and a
//! hook that throws or rejects ends the call with a `TypeError` naming it, its error as `cause`
//! (never an unhandled rejection, never a trapped module).

use crate::prelude::*;

use super::js::{get, set, type_error};
use js_sys::{Function, Object, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Calls `hook(a, b)` and awaits what it returns.
pub async fn call2(name: &str, hook: &Function, a: &JsValue, b: &JsValue) -> Result<JsValue, JsValue> {
    let returned = hook.call2(&JsValue::UNDEFINED, a, b).map_err(|e| hook_failed(name, e))?;
    if !get(&returned, "then").is_function() {
        return Ok(returned);
    }
    JsFuture::from(Promise::resolve(&returned)).await.map_err(|e| hook_failed(name, e))
}

/// `beforeRetry({ error, attempt, delayMs })`: whether to go on with the retry (`false` stops).
pub async fn before_retry(hook: &Function, error: JsValue, attempt: u32, delay_ms: u64) -> Result<bool, JsValue> {
    let info = Object::new();
    set(&info, crate::key!("error"), error);
    set(&info, crate::key!("attempt"), attempt);
    set(&info, crate::key!("delayMs"), delay_ms as f64);
    Ok(call2("beforeRetry", hook, &info, &JsValue::UNDEFINED).await? != JsValue::FALSE)
}

/// A hook threw: a TypeError naming the hook, its error as `cause`.
pub fn hook_failed(hook: &str, thrown: JsValue) -> JsValue {
    let error = type_error(&format!("the {hook} hook threw ({}); fix the hook, its error is the cause", super::options::error_text(&thrown)));
    set(error.unchecked_ref(), crate::key!("cause"), thrown);
    error
}

/// A hook returned something it may not: a TypeError naming the hook and what was wrong.
pub fn bad_return(hook: &str, what: &str) -> JsValue {
    type_error(&format!("the {hook} hook returned {what}"))
}
