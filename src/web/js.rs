//! The JavaScript the crate imports: the error classes module and a few globals.

use js_sys::{Object, Promise};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/errors.js")]
extern "C" {
    /// Builds the subclass of `ApiError` for `fields.kind`.
    #[wasm_bindgen(js_name = createApiError)]
    pub fn create_api_error(message: &str, fields: &Object, cause: &JsValue) -> JsValue;

    /// Type guard `isApiError`, re-exported from the package root (works across realms).
    #[wasm_bindgen(reexport, js_name = isApiError)]
    pub fn is_api_error(value: &JsValue) -> bool;
    /// Type guard `isBadRequestError`, re-exported from the package root (works across realms).
    #[wasm_bindgen(reexport, js_name = isBadRequestError)]
    pub fn is_bad_request_error(value: &JsValue) -> bool;
    /// Type guard `isAuthenticationError`, re-exported from the package root (works across realms).
    #[wasm_bindgen(reexport, js_name = isAuthenticationError)]
    pub fn is_authentication_error(value: &JsValue) -> bool;
    /// Type guard `isPaymentRequiredError`, re-exported from the package root (works across realms).
    #[wasm_bindgen(reexport, js_name = isPaymentRequiredError)]
    pub fn is_payment_required_error(value: &JsValue) -> bool;
    /// Type guard `isPermissionDeniedError`, re-exported from the package root (works across realms).
    #[wasm_bindgen(reexport, js_name = isPermissionDeniedError)]
    pub fn is_permission_denied_error(value: &JsValue) -> bool;
    /// Type guard `isNotFoundError`, re-exported from the package root (works across realms).
    #[wasm_bindgen(reexport, js_name = isNotFoundError)]
    pub fn is_not_found_error(value: &JsValue) -> bool;
    /// Type guard `isConflictError`, re-exported from the package root (works across realms).
    #[wasm_bindgen(reexport, js_name = isConflictError)]
    pub fn is_conflict_error(value: &JsValue) -> bool;
    /// Type guard `isValidationError`, re-exported from the package root (works across realms).
    #[wasm_bindgen(reexport, js_name = isValidationError)]
    pub fn is_validation_error(value: &JsValue) -> bool;
    /// Type guard `isRateLimitError`, re-exported from the package root (works across realms).
    #[wasm_bindgen(reexport, js_name = isRateLimitError)]
    pub fn is_rate_limit_error(value: &JsValue) -> bool;
    /// Type guard `isServerError`, re-exported from the package root (works across realms).
    #[wasm_bindgen(reexport, js_name = isServerError)]
    pub fn is_server_error(value: &JsValue) -> bool;
    /// Type guard `isServiceUnavailableError`, re-exported from the package root (works across realms).
    #[wasm_bindgen(reexport, js_name = isServiceUnavailableError)]
    pub fn is_service_unavailable_error(value: &JsValue) -> bool;
    /// Type guard `isRequestTimeoutError`, re-exported from the package root (works across realms).
    #[wasm_bindgen(reexport, js_name = isRequestTimeoutError)]
    pub fn is_request_timeout_error(value: &JsValue) -> bool;
    /// Type guard `isTimeoutError`, re-exported from the package root (works across realms).
    #[wasm_bindgen(reexport, js_name = isTimeoutError)]
    pub fn is_timeout_error(value: &JsValue) -> bool;
    /// Type guard `isNetworkError`, re-exported from the package root (works across realms).
    #[wasm_bindgen(reexport, js_name = isNetworkError)]
    pub fn is_network_error(value: &JsValue) -> bool;
    /// Type guard `isAbortError`, re-exported from the package root (works across realms).
    #[wasm_bindgen(reexport, js_name = isAbortError)]
    pub fn is_abort_error(value: &JsValue) -> bool;
    /// Type guard `isResponseParseError`, re-exported from the package root (works across realms).
    #[wasm_bindgen(reexport, js_name = isResponseParseError)]
    pub fn is_response_parse_error(value: &JsValue) -> bool;

    /// The base class, re-exported from the package root.
    #[wasm_bindgen(reexport)]
    pub type ApiError;
    /// 400.
    #[wasm_bindgen(reexport)]
    pub type BadRequestError;
    /// 401.
    #[wasm_bindgen(reexport)]
    pub type AuthenticationError;
    /// 402.
    #[wasm_bindgen(reexport)]
    pub type PaymentRequiredError;
    /// 403.
    #[wasm_bindgen(reexport)]
    pub type PermissionDeniedError;
    /// 404, 410.
    #[wasm_bindgen(reexport)]
    pub type NotFoundError;
    /// 409.
    #[wasm_bindgen(reexport)]
    pub type ConflictError;
    /// 422 and field errors.
    #[wasm_bindgen(reexport)]
    pub type ValidationError;
    /// 429.
    #[wasm_bindgen(reexport)]
    pub type RateLimitError;
    /// 5xx.
    #[wasm_bindgen(reexport)]
    pub type ServerError;
    /// 503.
    #[wasm_bindgen(reexport)]
    pub type ServiceUnavailableError;
    /// 408.
    #[wasm_bindgen(reexport)]
    pub type RequestTimeoutError;
    /// Client-side timeout or deadline.
    #[wasm_bindgen(reexport)]
    pub type TimeoutError;
    /// No response.
    #[wasm_bindgen(reexport)]
    pub type NetworkError;
    /// Cancelled by the caller.
    #[wasm_bindgen(reexport)]
    pub type AbortError;
    /// 2xx body that does not parse.
    #[wasm_bindgen(reexport)]
    pub type ResponseParseError;
}

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`, looked up at call time so windows, workers and stubs all work.
    #[wasm_bindgen(js_name = fetch, catch)]
    pub fn global_fetch(input: &str, init: &Object) -> Result<Promise, JsValue>;

    /// `Math.random()`.
    #[wasm_bindgen(js_namespace = Math, js_name = random)]
    pub fn math_random() -> f64;

    /// `Date.now()`.
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    pub fn date_now() -> f64;

    /// `performance.now()`: monotonic, for durations and deadlines.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    pub fn perf_now() -> f64;

    /// `crypto.randomUUID()`, for generated idempotency keys.
    #[wasm_bindgen(js_namespace = crypto, js_name = randomUUID, catch)]
    pub fn random_uuid() -> Result<String, JsValue>;
}

/// A `TypeError` whose message starts with "steadfetch: " and says what to fix.
pub fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(&format!("steadfetch: {message}")).into()
}

/// Sets `obj[key] = value`; setting a property on a fresh plain object cannot fail.
pub fn set(obj: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = js_sys::Reflect::set(obj, &JsValue::from_str(key), &value.into());
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
