//! Reading a `Response`: the success body per `responseType`, and the error body into the core's
//! normalizer (parsed by the browser's `JSON.parse`, walked into the core's `Json`).

use crate::prelude::*;

use super::js::get;
use super::options::ResponseType;
use crate::core::body::{is_json_content_type, Body};
use crate::core::error::{normalize_response, success_body_is_error, Normalized, ResponseParts};
use crate::core::headers::HeaderSource;
use crate::core::json::{Json, MAX_DEPTH, MAX_ENTRIES};
use crate::core::text::MAX_TEXT_READ_BYTES;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Headers, Response};

/// Error bodies longer than this (UTF-16 units) are not parsed; js/glue.js reads no more anyway.
const MAX_PARSED_ERROR_BODY: u32 = 256 * 1024;

/// The start of a body as a Rust string, and the whole body's length in UTF-16 units. The core
/// reads no further than MAX_TEXT_READ_BYTES, and wasm memory never shrinks: copying a whole
/// 10 MB body in would keep the module that big.
pub fn text_head(text: &JsValue) -> (String, u32) {
    let Some(text) = text.dyn_ref::<js_sys::JsString>() else { return (String::new(), 0) };
    let cap = MAX_TEXT_READ_BYTES as u32;
    let length = text.length();
    let head = if length > cap { text.slice(0, cap) } else { text.clone() };
    (head.as_string().unwrap_or_default(), length)
}

/// The Fetch `Headers` as the core's header source: a successful response asks for one header,
/// an error for a dozen, so errors read them all in one call.
pub struct FetchHeaders(pub Headers);

impl HeaderSource for FetchHeaders {
    fn header(&self, name: &str) -> Option<String> {
        self.0.get(name).ok().flatten()
    }
}

/// All of a response's headers, copied into wasm memory once.
pub fn all_headers(headers: &Headers) -> Vec<(String, String)> {
    super::js::header_lines(headers)
        .lines()
        .filter_map(|line| line.split_once(": ").map(|(k, v)| (k.to_string(), v.to_string())))
        .collect()
}

/// What reading a success body gave.
pub enum SuccessBody {
    /// The value to resolve with.
    Value(JsValue),
    /// The 2xx body is really an error (GraphQL `errors[]`), and the parsed body.
    Error(Normalized, JsValue),
    /// The body did not match `responseType`.
    ParseFailed(String, JsValue),
}

/// Turns a 2xx response and its body text (a JS string, never copied through wasm memory) into
/// what the caller asked for.
pub fn read_success(
    response: Response,
    text: JsValue,
    response_type: ResponseType,
    request_id_headers: &[String],
) -> SuccessBody {
    if response_type == ResponseType::Response {
        return SuccessBody::Value(response.into());
    }
    let status = response.status();
    let length = text.dyn_ref::<js_sys::JsString>().map(|t| t.length()).unwrap_or(0);
    if status == 204 || status == 205 || length == 0 {
        return SuccessBody::Value(JsValue::NULL);
    }
    let headers = FetchHeaders(response.headers());
    let wants_json = match response_type {
        ResponseType::Json => true,
        ResponseType::Text | ResponseType::Response => false,
        ResponseType::Auto => is_json_content_type(&headers.header("content-type").unwrap_or_default()),
    };
    if !wants_json {
        return SuccessBody::Value(text);
    }
    let value = match super::js::json_parse(&text) {
        Ok(v) => v,
        Err(e) => return SuccessBody::ParseFailed(text_head(&text).0, e),
    };
    if looks_like_graphql_error(&value) {
        let json = to_json(&value);
        if success_body_is_error(&json) {
            let raw_text = text_head(&text).0;
            // The same header list type as read_error: one normalizer in the binary, not two.
            let headers = all_headers(&response.headers());
            let parts = ResponseParts {
                status,
                headers: headers.as_slice(),
                body: Body::Json(&json),
                raw_text: &raw_text,
                now_ms: super::js::date_now(),
                request_id_headers,
            };
            return SuccessBody::Error(normalize_response(&parts), value);
        }
    }
    SuccessBody::Value(value)
}

/// Normalizes an error response from its status, headers and body text (a JS string: the browser
/// parses it, and only its head is copied into wasm memory). Also gives the parsed body, if any.
pub fn read_error(response: &Response, text: &JsValue, request_id_headers: &[String]) -> (Normalized, Option<JsValue>) {
    let headers = all_headers(&response.headers());
    let headers = headers.as_slice();
    let content_type = headers.header("content-type").unwrap_or_default().to_ascii_lowercase();
    let (head, length) = text_head(text);
    let parsed = parse_error_json(text, length, &head, &content_type);
    let json = parsed.as_ref().map(to_json);
    let body = Body::of(&head, json.as_ref());
    let parts = ResponseParts {
        status: response.status(),
        headers,
        body,
        raw_text: &head,
        now_ms: super::js::date_now(),
        request_id_headers,
    };
    (normalize_response(&parts), parsed)
}

/// `JSON.parse` when the body claims or looks like JSON (judged from its `head`); `None` for text,
/// HTML, invalid JSON and bodies too long to be an error document.
fn parse_error_json(text: &JsValue, length: u32, head: &str, content_type: &str) -> Option<JsValue> {
    if length > MAX_PARSED_ERROR_BODY || !crate::core::body::should_parse_json(head, content_type) {
        return None;
    }
    super::js::json_parse(text).ok()
}

/// A parsed JS value as the core's `Json`, depth- and size-limited like `Json::read`. A direct
/// walk: serde-wasm-bindgen's deserializer did the same but linked float printing through its
/// error path (~13 KiB gzip of wasm).
pub fn to_json(value: &JsValue) -> Json {
    walk(value, 0)
}

fn walk(value: &JsValue, depth: u32) -> Json {
    if depth >= MAX_DEPTH {
        return Json::Null;
    }
    match super::js::json_type(value) {
        1 => Json::Bool(value.as_bool().unwrap_or(false)),
        2 => Json::Num(value.as_f64().unwrap_or(f64::NAN)),
        3 => Json::Str(value.as_string().unwrap_or_default()),
        4 => {
            let items: &js_sys::Array = value.unchecked_ref();
            let len = items.length().min(MAX_ENTRIES as u32);
            Json::Arr((0..len).map(|i| walk(&items.get(i), depth + 1)).collect())
        }
        5 => {
            let keys = js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>());
            let len = keys.length().min(MAX_ENTRIES as u32);
            let pairs = (0..len)
                .filter_map(|i| {
                    let key = keys.get(i);
                    let child = js_sys::Reflect::get(value, &key).ok()?;
                    Some((key.as_string()?, walk(&child, depth + 1)))
                })
                .collect();
            Json::Obj(pairs)
        }
        _ => Json::Null,
    }
}

/// A cheap check before converting a success body: an object with a non-empty `errors` array.
fn looks_like_graphql_error(value: &JsValue) -> bool {
    js_sys::Array::is_array(&get(value, "errors")) && get(&get(value, "errors"), "length").as_f64().unwrap_or(0.0) > 0.0
}
