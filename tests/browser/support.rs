//! Helpers for the browser tests: the mock's URL, options from JSON, field access, timing.

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// The mock API, started by `npm test` (see scripts/test.sh) before the browser suite.
pub fn mock(path: &str) -> String {
    let base = option_env!("STEADFETCH_MOCK_URL").unwrap_or("http://127.0.0.1:8787");
    format!("{base}{path}")
}

/// A unique key per test run so server-side counters never collide.
pub fn unique(name: &str) -> String {
    format!("{name}-{}", (js_sys::Math::random() * 1e12) as u64)
}

/// Options from a JSON literal.
pub fn opts(json: &str) -> JsValue {
    js_sys::JSON::parse(json).expect("test options are valid JSON")
}

/// Sets `obj[key] = value`.
pub fn with(obj: &JsValue, key: &str, value: impl Into<JsValue>) -> JsValue {
    Reflect::set(obj, &key.into(), &value.into()).unwrap();
    obj.clone()
}

/// `obj[key]`.
pub fn field(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// `obj[key]` as a string ("" when absent).
pub fn text(obj: &JsValue, key: &str) -> String {
    field(obj, key).as_string().unwrap_or_default()
}

/// `obj[key]` as a number (NaN when absent).
pub fn num(obj: &JsValue, key: &str) -> f64 {
    field(obj, key).as_f64().unwrap_or(f64::NAN)
}

/// The suite's calls all go to one origin (the mock): unless a test chooses `originGate`, each call
/// gets a gate scope of its own, so a server wait seen by one test never holds back the next.
fn own_scope(options: JsValue) -> JsValue {
    if options.is_object() && !js_sys::Array::is_array(&options) && field(&options, "originGate").is_undefined() {
        return with(&options, "originGate", unique("call"));
    }
    options
}

/// Runs the call and returns its rejection, failing the test if it resolved.
pub async fn call_err(url: &str, options: JsValue) -> JsValue {
    let options = own_scope(options);
    match steadfetch::web::engine::make_request(url.into(), options, JsValue::UNDEFINED).await {
        Ok(v) => panic!("expected an error from {url}, got {v:?}"),
        // As the package entry does: the module may reject with a draft of the error.
        Err(e) => steadfetch::web::js::finish_api_error(&e),
    }
}

/// Runs the call and returns its value, failing the test if it rejected.
pub async fn call_ok(url: &str, options: JsValue) -> JsValue {
    let options = own_scope(options);
    match steadfetch::web::engine::make_request(url.into(), options, JsValue::UNDEFINED).await {
        Ok(v) => v,
        Err(e) => panic!("expected success from {url}, got {}", describe(&steadfetch::web::js::finish_api_error(&e))),
    }
}

/// A readable dump of an error for assertion messages.
pub fn describe(e: &JsValue) -> String {
    js_sys::JSON::stringify(e).ok().and_then(|s| s.as_string()).unwrap_or_else(|| format!("{e:?}"))
}

/// Checks class name, kind, code and attempts in one go.
pub fn assert_error(e: &JsValue, name: &str, kind: &str, code: &str, attempts: f64) {
    let dump = describe(e);
    assert_eq!(text(e, "name"), name, "{dump}");
    if !kind.is_empty() {
        assert_eq!(text(e, "kind"), kind, "{dump}");
    }
    if !code.is_empty() {
        assert_eq!(text(e, "code"), code, "{dump}");
    }
    assert_eq!(num(e, "attempts"), attempts, "{dump}");
    assert!(e.is_instance_of::<js_sys::Error>(), "an Error: {dump}");
    assert!(is_class(e, "ApiError"), "an ApiError: {dump}");
    assert!(!text(e, "message").is_empty() && !text(e, "hint").is_empty(), "{dump}");
}

/// Whether `e` is an instance of steadfetch's class `name`: a prototype on its chain is that class's
/// (its constructor's prototype, with its own `name`), under ApiError's brand. The classes have one
/// home, js/errors.js; the crate never names them (the Node suites check identity with the
/// package's exports).
pub fn is_class(e: &JsValue, name: &str) -> bool {
    let brand = js_sys::Symbol::for_("steadfetch.ApiError");
    if !e.is_object() || Reflect::get(e, &brand).ok() != Some(JsValue::TRUE) {
        return false;
    }
    let mut proto: JsValue = Object::get_prototype_of(e).into();
    while proto.is_object() {
        let own_name = Object::get_own_property_descriptor(proto.unchecked_ref::<Object>(), &JsValue::from_str("name"));
        let constructor = Reflect::get(&proto, &"constructor".into()).unwrap_or_default();
        if text(&own_name, "value") == name && Reflect::get(&constructor, &"prototype".into()).ok().as_ref() == Some(&proto) {
            return true;
        }
        proto = Object::get_prototype_of(&proto).into();
    }
    false
}

/// The `delayMs` of each history entry that was followed by a wait.
pub fn planned_delays(e: &JsValue) -> Vec<f64> {
    let history: js_sys::Array = field(e, "history").dyn_into().expect("history is an array");
    history.iter().filter_map(|h| field(&h, "delayMs").as_f64()).collect()
}

/// `performance.now()`.
pub fn now() -> f64 {
    steadfetch::web::js::perf_now()
}

/// A JS function from source, for hooks (tests only).
pub fn js_fn(args: &str, body: &str) -> Function {
    Function::new_with_args(args, body)
}

/// A fresh array the hooks can push into.
pub fn log_array() -> js_sys::Array {
    js_sys::Array::new()
}

/// An object with a `push`-ing hook bound to `log`.
pub fn pusher(log: &js_sys::Array) -> Function {
    let f = js_fn("log", "return (x) => { log.push(x); }");
    f.call1(&JsValue::UNDEFINED, log).unwrap().dyn_into().unwrap()
}

/// Server-side counters for a scenario key.
pub async fn stats(key: &str) -> JsValue {
    call_ok(&mock(&format!("/s/stats?key={key}")), Object::new().into()).await
}

/// After any failure the module must still answer.
pub async fn assert_module_alive() {
    let v = call_ok(&mock("/s/flaky?fail=0&key=alive"), Object::new().into()).await;
    assert_eq!(field(&v, "ok"), JsValue::TRUE);
}
