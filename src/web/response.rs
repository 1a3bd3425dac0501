//! Reading a `Response`: the success body per `responseType`, and the error body into the core's
//! normalizer (parsed by the browser's `JSON.parse`, read through serde-wasm-bindgen).

use super::js::get;
use super::options::ResponseType;
use crate::core::body::Body;
use crate::core::error::{normalize_response, success_body_is_error, Normalized, ResponseParts};
use crate::core::headers::HeaderSource;
use crate::core::json::Json;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Response};

/// Error bodies longer than this are not parsed (a 10 MB HTML page is not an error message).
const MAX_PARSED_ERROR_BODY: usize = 1024 * 1024;

/// The Fetch `Headers` as the core's header source.
pub struct FetchHeaders(pub Headers);

impl HeaderSource for FetchHeaders {
    fn header(&self, name: &str) -> Option<String> {
        self.0.get(name).ok().flatten()
    }
}

/// What reading a success body gave.
pub enum SuccessBody {
    /// The value to resolve with.
    Value(JsValue),
    /// The 2xx body is really an error (GraphQL `errors[]`).
    Error(Normalized),
    /// The body did not match `responseType`.
    ParseFailed(String, JsValue),
}

/// Reads a 2xx body as the caller asked. Rejections of the body read (abort, timeout, reset)
/// come back as `Err` for the caller to classify.
pub async fn read_success(
    response: Response,
    response_type: ResponseType,
    request_id_headers: &[String],
) -> Result<SuccessBody, JsValue> {
    if response_type == ResponseType::Response {
        return Ok(SuccessBody::Value(response.into()));
    }
    let status = response.status();
    let text = read_text(&response).await?;
    if status == 204 || status == 205 || text.is_empty() {
        return Ok(SuccessBody::Value(JsValue::NULL));
    }
    let headers = FetchHeaders(response.headers());
    let wants_json = match response_type {
        ResponseType::Json => true,
        ResponseType::Text | ResponseType::Response => false,
        ResponseType::Auto => is_json_type(&headers.header("content-type").unwrap_or_default()),
    };
    if !wants_json {
        return Ok(SuccessBody::Value(JsValue::from_str(&text)));
    }
    let value = match js_sys::JSON::parse(&text) {
        Ok(v) => v,
        Err(e) => return Ok(SuccessBody::ParseFailed(text, e)),
    };
    if looks_like_graphql_error(&value) {
        let json = to_json(&value);
        if success_body_is_error(&json) {
            let parts = ResponseParts {
                status,
                headers: &headers,
                body: Body::Json(&json),
                raw_text: &text,
                now_ms: super::js::date_now(),
                request_id_headers,
            };
            return Ok(SuccessBody::Error(normalize_response(&parts)));
        }
    }
    Ok(SuccessBody::Value(value))
}

/// Reads an error response's body and normalizes it.
pub async fn read_error(response: &Response, request_id_headers: &[String]) -> Result<Normalized, JsValue> {
    let text = read_text(response).await?;
    let headers = FetchHeaders(response.headers());
    let content_type = headers.header("content-type").unwrap_or_default().to_ascii_lowercase();
    let json = parse_error_json(&text, &content_type);
    let body = match (&json, text.is_empty()) {
        (_, true) => Body::Empty,
        (Some(json), _) => Body::Json(json),
        (None, _) => Body::Text(&text),
    };
    let parts = ResponseParts {
        status: response.status(),
        headers: &headers,
        body,
        raw_text: &text,
        now_ms: super::js::date_now(),
        request_id_headers,
    };
    Ok(normalize_response(&parts))
}

/// The body as text (invalid UTF-8 becomes U+FFFD, as the Fetch spec decodes it).
async fn read_text(response: &Response) -> Result<String, JsValue> {
    let promise = response.text()?;
    Ok(JsFuture::from(promise).await?.as_string().unwrap_or_default())
}

/// `JSON.parse` when the body claims or looks like JSON; `None` for text, HTML and invalid JSON.
pub fn parse_error_json(text: &str, content_type: &str) -> Option<Json> {
    if text.len() > MAX_PARSED_ERROR_BODY {
        return None;
    }
    if !crate::core::body::should_parse_json(text, content_type) {
        return None;
    }
    js_sys::JSON::parse(text).ok().map(|v| to_json(&v))
}

/// A parsed JS value as the core's `Json`, depth- and size-limited.
pub fn to_json(value: &JsValue) -> Json {
    Json::read(serde_wasm_bindgen::Deserializer::from(value.clone())).unwrap_or(Json::Null)
}

fn is_json_type(content_type: &str) -> bool {
    let ct = content_type.to_ascii_lowercase();
    ct.contains("/json") || ct.contains("+json")
}

/// A cheap check before converting a success body: an object with a non-empty `errors` array.
fn looks_like_graphql_error(value: &JsValue) -> bool {
    js_sys::Array::is_array(&get(value, "errors")) && get(&get(value, "errors"), "length").as_f64().unwrap_or(0.0) > 0.0
}
