//! Turning a normalized error and the call's history into an instance of the JS error classes.

use super::js::{create_api_error, opt_number, opt_str, set};
use crate::core::body::FieldError;
use crate::core::error::Normalized;
use crate::core::headers::RateLimit;
use crate::core::json::Json;
use js_sys::{Array, Object};
use wasm_bindgen::JsValue;

/// One attempt, for `history` and `onRetry`.
#[derive(Debug, Clone)]
pub struct AttemptRecord {
    /// 1-based attempt number.
    pub attempt: u32,
    /// HTTP status, if a response arrived.
    pub status: Option<u16>,
    /// The failure kind, or "success".
    pub kind: &'static str,
    /// The error code, if it failed.
    pub code: Option<String>,
    /// The server's request id.
    pub request_id: Option<String>,
    /// How long the attempt took.
    pub duration_ms: f64,
    /// The wait planned after it, if it was retried.
    pub delay_ms: Option<u64>,
    /// Whether that wait was the server's hint.
    pub delay_from_server: bool,
}

/// What the call knows beyond the normalized error.
pub struct CallContext<'a> {
    /// Upper-case method.
    pub method: &'a str,
    /// The URL with credentials removed.
    pub url: &'a str,
    /// Every attempt so far.
    pub history: &'a [AttemptRecord],
    /// Whether the failure itself could succeed on retry.
    pub retryable: bool,
    /// For timeouts: "attempt" or "deadline".
    pub scope: Option<&'static str>,
}

/// Builds the JS error (the subclass for the kind) with every DESIGN §3 field.
pub fn to_js_error(error: &Normalized, context: &CallContext, cause: &JsValue) -> JsValue {
    let fields = Object::new();
    set(&fields, "kind", error.kind.as_str());
    set(&fields, "status", opt_number(error.status.map(f64::from)));
    set(&fields, "code", error.code.as_str());
    set(&fields, "details", error.details.as_ref().map(json_to_js).unwrap_or(JsValue::NULL));
    set(&fields, "fieldErrors", field_errors_to_js(&error.field_errors));
    set(&fields, "requestId", opt_str(error.request_id.as_deref()));
    set(&fields, "retryAfterMs", opt_number(error.retry_after_ms.map(|ms| ms as f64)));
    set(&fields, "rateLimit", error.rate_limit.as_ref().map(rate_limit_to_js).unwrap_or(JsValue::NULL));
    set(&fields, "retryable", context.retryable);
    set(&fields, "attempts", context.history.len().max(1) as f64);
    set(&fields, "history", history_to_js(context.history));
    set(&fields, "method", context.method);
    set(&fields, "url", context.url);
    set(&fields, "hint", error.hint());
    set(&fields, "bodyText", opt_str(error.body_text.as_deref()));
    if let Some(scope) = context.scope {
        set(&fields, "scope", scope);
    }
    create_api_error(&error.message, &fields, cause)
}

/// `history` as an array of plain objects.
pub fn history_to_js(history: &[AttemptRecord]) -> Array {
    history.iter().map(record_to_js).collect()
}

/// One attempt as a plain object.
pub fn record_to_js(record: &AttemptRecord) -> JsValue {
    let obj = Object::new();
    set(&obj, "attempt", record.attempt as f64);
    set(&obj, "status", opt_number(record.status.map(f64::from)));
    set(&obj, "kind", record.kind);
    set(&obj, "code", opt_str(record.code.as_deref()));
    set(&obj, "requestId", opt_str(record.request_id.as_deref()));
    set(&obj, "durationMs", record.duration_ms);
    set(&obj, "delayMs", opt_number(record.delay_ms.map(|d| d as f64)));
    set(&obj, "delaySource", if record.delay_ms.is_none() { JsValue::NULL } else if record.delay_from_server { "server".into() } else { "backoff".into() });
    obj.into()
}

fn field_errors_to_js(errors: &[FieldError]) -> Array {
    errors
        .iter()
        .map(|e| {
            let obj = Object::new();
            set(&obj, "field", e.field.as_str());
            set(&obj, "message", e.message.as_str());
            set(&obj, "code", opt_str(e.code.as_deref()));
            JsValue::from(obj)
        })
        .collect()
}

fn rate_limit_to_js(rate_limit: &RateLimit) -> JsValue {
    let obj = Object::new();
    set(&obj, "limit", opt_number(rate_limit.limit));
    set(&obj, "remaining", opt_number(rate_limit.remaining));
    set(&obj, "resetAt", opt_number(rate_limit.reset_at_ms));
    obj.into()
}

/// The core's JSON back as plain JS values (depth is already bounded by the parser).
pub fn json_to_js(json: &Json) -> JsValue {
    match json {
        Json::Null => JsValue::NULL,
        Json::Bool(b) => JsValue::from_bool(*b),
        Json::Num(n) => JsValue::from_f64(*n),
        Json::Str(s) => JsValue::from_str(s),
        Json::Arr(items) => items.iter().map(json_to_js).collect::<Array>().into(),
        Json::Obj(pairs) => {
            let obj = Object::new();
            for (key, value) in pairs {
                define(&obj, key, json_to_js(value));
            }
            obj.into()
        }
    }
}

/// Sets an own data property even for the key `__proto__`, which plain assignment would treat as
/// the prototype (a hostile body must not reshape our objects).
fn define(obj: &Object, key: &str, value: JsValue) {
    if key != "__proto__" {
        set(obj, key, value);
        return;
    }
    let descriptor = Object::new();
    set(&descriptor, "value", value);
    set(&descriptor, "enumerable", true);
    set(&descriptor, "writable", true);
    set(&descriptor, "configurable", true);
    let _ = js_sys::Reflect::define_property(obj, &JsValue::from_str(key), &descriptor);
}
