//! The JavaScript the crate imports: the error classes module and a few globals.

use crate::prelude::*;

use js_sys::{Array, Object, Promise};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/errors.js")]
extern "C" {
    /// Builds the subclass of `ApiError` for `fields.kind` from one fields object, or with `draft`
    /// an ErrorDraft that `finishApiError` turns into the error (see js/errors.js).
    #[wasm_bindgen(js_name = createApiError)]
    pub fn create_api_error(fields: &Object, draft: bool) -> JsValue;

    /// [`create_api_error`] from the fields given one by one (js/errors.js `apiError`): `NaN`
    /// for a null number, `scope` "circuit" for `circuitOpen`, `cause`/`response` undefined when absent.
    #[wasm_bindgen(js_name = apiError)]
    pub fn api_error(
        draft: bool, message: &str, kind: &JsValue, status: f64, code: &str, details: &JsValue, field_errors: &JsValue,
        request_id: Option<&str>, retry_after_ms: f64, rate_limit: &JsValue, retryable: bool, attempts: u32, history: &JsValue,
        method: &str, url: &JsValue, body_text: Option<&str>, scope: Option<&str>, cause: &JsValue,
        response: &JsValue, data: &JsValue,
    ) -> JsValue;

    /// The error for an ErrorDraft the module rejected with (any other value is returned as is).
    #[wasm_bindgen(reexport, js_name = finishApiError)]
    pub fn finish_api_error(value: &JsValue) -> JsValue;

    /// The URL without credentials (userinfo, secret query and fragment parameters).
    #[wasm_bindgen(js_name = redactUrl)]
    pub fn redact_url(url: &JsValue) -> JsValue;

    /// One `history` entry as a plain object.
    #[wasm_bindgen(js_name = historyEntry)]
    pub fn history_entry(
        attempt: u32, status: JsValue, kind: JsValue, code: JsValue, request_id: JsValue, duration_ms: f64,
        delay_ms: JsValue, delay_source: JsValue,
    ) -> JsValue;
}

#[wasm_bindgen(module = "/js/glue.js")]
extern "C" {
    /// The caller's arguments checked and made ready (js/glue.js `prepare`, read by
    /// web::options::read), or the TypeError saying what is wrong with them.
    pub fn prepare(url: &JsValue, options: &JsValue, max_retries: &JsValue) -> JsValue;

    /// A value as error messages show it: `"3" (a string)`, `-1`, `NaN`, `an object`.
    pub fn describe(value: &JsValue) -> String;

    /// Every response header as `name: value` lines, read in one call.
    #[wasm_bindgen(js_name = headerLines)]
    pub fn header_lines(headers: &web_sys::Headers) -> String;

    /// `[promise, wake]`: a wait that resolves 0 when woken (a `maxConcurrent` slot), 1 when
    /// `signal` aborts, 2 once `ms` have passed (never early).
    pub fn park(signal: Option<&web_sys::AbortSignal>, ms: Option<f64>) -> Array;

    /// One attempt: `fetch(url, init)` under a fresh AbortController cut after `ms` (the deadline
    /// when `deadline`) and by `signal`, then its body text. Resolves to `[response, text |
    /// undefined]` or a hook's TypeError; rejects with `[cut, thrown]` (0 none, 1 timeout,
    /// 2 deadline, 3 the caller's signal).
    pub fn attempt(url: &JsValue, init: &Object, keep_body: bool, call: &JsValue, ms: Option<u32>, deadline: bool, signal: Option<&web_sys::AbortSignal>) -> Promise;

    /// `new TypeError("steadfetch: " + message)`.
    #[wasm_bindgen(js_name = typeError)]
    fn new_type_error(message: &str) -> JsValue;

    /// The hook `hooks[name]` called now with `(a, b)` and awaited; rejects with a TypeError
    /// naming the hook if it throws.
    pub fn hook(hooks: &JsValue, name: &str, a: &JsValue, b: &JsValue) -> Promise;

    /// The call's last rejection through `hooks.beforeError` then `hooks.onError`: resolves with
    /// what to reject with.
    #[wasm_bindgen(js_name = finalError)]
    pub fn final_error(rejection: &JsValue, hooks: &JsValue) -> Promise;
}

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` on a JS string, without copying it through wasm memory.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub fn json_parse(text: &JsValue) -> Result<JsValue, JsValue>;

    /// `Math.random()`.
    #[wasm_bindgen(js_namespace = Math, js_name = random)]
    pub fn math_random() -> f64;

    /// `Date.now()`.
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    pub fn date_now() -> f64;

    /// `performance.now()`: monotonic, for durations and deadlines.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    pub fn perf_now() -> f64;
}

/// The pieces of a message joined: one small loop where `[..].concat()` links std's general
/// `join_generic_copy` (~0.9 KB of wasm).
pub fn cat(pieces: &[&str]) -> String {
    let mut out = String::new();
    for piece in pieces {
        out.push_str(piece);
    }
    out
}

/// A `TypeError` whose message starts with "steadfetch: " and says what to fix.
pub fn type_error(message: &str) -> JsValue {
    new_type_error(message)
}

/// Property names and values the crate sets on every call. Each becomes a JS string once per page:
/// decoding the same short strings on every call is a measurable part of a call's cost.
pub const NAMES: [&str; 20] = ["GET", "attempt", "backoff", "body", "cause", "code", "delayMs", "delaySource", "error", "field", "gate", "headers", "limit", "message", "method", "nextAttempt", "remaining", "resetAt", "server", "url"];

/// The index of `name` in [`NAMES`], evaluated at compile time by [`key!`].
// Const evaluation only: an index out of range fails the build, never the module.
#[allow(clippy::indexing_slicing)]
pub const fn name_index(name: &str) -> usize {
    let mut i = 0;
    while i < NAMES.len() {
        // Const evaluation only (the index is checked against the length above).
        if const_eq(NAMES[i].as_bytes(), name.as_bytes()) {
            return i;
        }
        i += 1;
    }
    usize::MAX
}

#[allow(clippy::indexing_slicing)] // const evaluation only, as name_index
const fn const_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

static NAME_VALUES: super::page::PageCell<Vec<JsValue>> = super::page::PageCell::empty();

/// The cached JS string for `NAMES[index]`.
pub fn name_at(index: usize) -> JsValue {
    NAME_VALUES.with(|v| {
        if v.is_empty() {
            v.extend(NAMES.iter().map(|n| JsValue::from_str(n)));
        }
        v.get(index).cloned().unwrap_or(JsValue::UNDEFINED)
    })
}

/// A cached JS string for a name in [`NAMES`]; a name missing from the list fails the build.
#[macro_export]
#[doc(hidden)]
macro_rules! key {
    ($name:literal) => {{
        const INDEX: usize = $crate::web::js::name_index($name);
        // A name missing from NAMES fails the build here, never at run time.
        const _: () = assert!(INDEX < $crate::web::js::NAMES.len());
        $crate::web::js::name_at(INDEX)
    }};
}

/// Sets `obj[key] = value`; setting a property on a fresh plain object cannot fail.
#[inline(always)]
pub fn set(obj: &Object, key: JsValue, value: impl Into<JsValue>) {
    set_value(obj, key, value.into());
}

/// The one body behind [`set`], whatever the value's Rust type.
#[inline(never)]
fn set_value(obj: &Object, key: JsValue, value: JsValue) {
    let _ = js_sys::Reflect::set(obj, &key, &value);
}

/// `obj[key]`, or `undefined` when `obj` is not an object or the getter throws.
pub fn get(obj: &JsValue, key: &str) -> JsValue {
    if !obj.is_object() && !obj.is_function() {
        return JsValue::UNDEFINED;
    }
    js_sys::Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// A number or `null`.
pub fn opt_number(value: Option<f64>) -> JsValue {
    value.map(JsValue::from_f64).unwrap_or(JsValue::NULL)
}

/// A string or `null`.
pub fn opt_str(value: Option<&str>) -> JsValue {
    value.map(JsValue::from_str).unwrap_or(JsValue::NULL)
}
