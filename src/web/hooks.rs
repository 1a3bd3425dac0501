//! The caller's hooks that go wrong: the TypeError that ends the call names the hook. Hooks the
//! engine awaits are called by js/glue.js `hook` (sync or async; a throw or rejection becomes
//! the TypeError naming the hook there, never an unhandled rejection, never a trapped module).

use wasm_bindgen::JsValue;

/// A hook returned something it may not: a TypeError naming the hook and what was wrong.
pub fn bad_return(hook: &str, what: &str) -> JsValue {
    super::js::type_error(&super::js::cat(&["the ", hook, " hook returned ", what]))
}
