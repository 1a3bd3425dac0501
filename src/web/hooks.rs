//! The caller's hooks that go wrong: the TypeError that ends the call names the hook. Hooks the
//! engine awaits are called by js/glue.js `hook` (sync or async; a throw or rejection becomes
//! the same TypeError there, never an unhandled rejection, never a trapped module).

use super::js::{set, type_error};
use wasm_bindgen::{JsCast, JsValue};

/// A hook threw: a TypeError naming the hook, its error as `cause`.
pub fn hook_failed(hook: &str, thrown: JsValue) -> JsValue {
    let error = type_error(&super::js::cat(&["the ", hook, " hook threw (", &super::options::error_text(&thrown), "); fix the hook, its error is the cause"]));
    set(error.unchecked_ref(), crate::key!("cause"), thrown);
    error
}

/// A hook returned something it may not: a TypeError naming the hook and what was wrong.
pub fn bad_return(hook: &str, what: &str) -> JsValue {
    type_error(&super::js::cat(&["the ", hook, " hook returned ", what]))
}
