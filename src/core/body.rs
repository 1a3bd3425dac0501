//! Recognising the many shapes APIs give their error bodies (DESIGN §3 "Body dialects").

use super::fields::{collect_detail_fields, collect_field_list, pydantic_item, summarize_fields};
use super::json::Json;
use super::text::{html_summary, looks_like_html, text_summary, tidy, MAX_MESSAGE_CHARS};

/// A response body as the normalizer sees it.
#[derive(Debug, Clone, Copy)]
pub enum Body<'a> {
    /// No bytes.
    Empty,
    /// A body that parsed as JSON.
    Json(&'a Json),
    /// A body that is not JSON (or did not parse): HTML, plain text, garbage.
    Text(&'a str),
}

pub use super::fields::pointer_to_dotted;

impl<'a> Body<'a> {
    /// The body as the normalizer sees it: empty, the parsed JSON if there is one, else the text.
    pub fn of(text: &'a str, parsed: Option<&'a Json>) -> Body<'a> {
        match parsed {
            _ if text.is_empty() => Body::Empty,
            Some(json) => Body::Json(json),
            None => Body::Text(text),
        }
    }
}

/// One invalid field, with a dotted path such as `body.priority`.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    /// Dotted path of the field.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
    /// The API's code for this field error, if any.
    pub code: Option<String>,
}

/// What a body says about the error, whatever its dialect.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BodyFacts {
    /// The API's machine code.
    pub code: Option<String>,
    /// A short human sentence.
    pub message: Option<String>,
    /// The API's extra information, untouched.
    pub details: Option<Json>,
    /// Invalid fields.
    pub field_errors: Vec<FieldError>,
    /// A rate-limit block in the body (Tiptree's `details.rate_limit`): limit, remaining, reset.
    pub rate_limit: Option<(Option<f64>, Option<f64>, Option<f64>)>,
    /// GraphQL `errors[]` (the body is an error even inside a 200).
    pub graphql: bool,
}

/// Reads an error body in any known dialect.
pub fn read_body(body: Body, content_type: &str) -> BodyFacts {
    match body {
        Body::Empty => BodyFacts::default(),
        Body::Json(json) => read_json(json),
        Body::Text(text) if looks_like_html(text, content_type) => {
            BodyFacts { message: html_summary(text), ..BodyFacts::default() }
        }
        Body::Text(text) if looks_like_json(text) => salvage_broken_json(text),
        Body::Text(text) => BodyFacts { message: text_summary(text), ..BodyFacts::default() },
    }
}

/// Whether an error body should go through the JSON parser: a JSON content type, or text that
/// starts like an object or array. Shared by the browser and the host so both parse the same bodies.
pub fn should_parse_json(text: &str, content_type: &str) -> bool {
    is_json_content_type(content_type) || looks_like_json(text)
}

/// `application/json`, `application/problem+json`, `application/vnd.api+json`, …
pub fn is_json_content_type(content_type: &str) -> bool {
    let ct = content_type.to_ascii_lowercase();
    ct.contains("/json") || ct.contains("+json")
}

fn looks_like_json(text: &str) -> bool {
    matches!(text.trim_start().bytes().next(), Some(b'{') | Some(b'['))
}

/// A body that starts like JSON but does not parse (a comment, a truncation): pick out its
/// `"code"` and `"message"` strings rather than echo the broken text as the message.
fn salvage_broken_json(text: &str) -> BodyFacts {
    let text = super::text::excerpt(text, 16 * 1024);
    BodyFacts {
        code: quoted_value(text, "code").filter(|c| !c.contains(' ')),
        message: quoted_value(text, "message").or_else(|| quoted_value(text, "detail")).map(|m| short(&m)),
        ..BodyFacts::default()
    }
}

/// The string after the first `"key":` in `text`, without unescaping beyond `\"`.
fn quoted_value(text: &str, key: &str) -> Option<String> {
    let needle = format!("\"{key}\"");
    let after_key = text.get(text.find(&needle)? + needle.len()..)?;
    let after_colon = after_key.trim_start().strip_prefix(':')?.trim_start().strip_prefix('"')?;
    let mut out = String::new();
    let mut escaped = false;
    for ch in after_colon.chars() {
        match (escaped, ch) {
            (false, '\\') => escaped = true,
            (false, '"') => return (!out.trim().is_empty()).then_some(out),
            (_, c) => {
                out.push(c);
                escaped = false;
            }
        }
    }
    None
}

/// Whether a 2xx JSON body is really a GraphQL error response.
pub fn is_graphql_error(json: &Json) -> bool {
    let Some(errors) = json.get("errors").and_then(Json::as_array) else { return false };
    let has = |e: &Json, keys: &[&str]| keys.iter().any(|k| e.get(k).is_some());
    !errors.is_empty()
        && errors.iter().all(|e| e.get("message").is_some() && !has(e, &["field", "source", "pointer"]))
        && (json.get("data").is_some() || errors.iter().any(|e| has(e, &["locations", "path", "extensions"])))
}

fn read_json(json: &Json) -> BodyFacts {
    if let Json::Arr(items) = json {
        // Some APIs answer with a bare list of errors.
        return items.first().map(read_json).unwrap_or_default();
    }
    if let Json::Str(s) = json {
        return BodyFacts { message: text_summary(s), ..BodyFacts::default() };
    }
    let mut facts = match json.get("error") {
        Some(error @ Json::Obj(_)) => error_envelope(error),
        Some(Json::Str(s)) if !s.trim().is_empty() => string_error(json, s),
        _ => BodyFacts::default(),
    };
    if facts.message.is_none() && facts.code.is_none() {
        facts = other_dialects(json);
    }
    fill_generic(json, &mut facts);
    facts
}

/// `{"error": {"code", "message", "details"}}` in all its casings, and Google AIP-193.
fn error_envelope(error: &Json) -> BodyFacts {
    let status = error.get("status").and_then(Json::as_text).map(str::to_string);
    let code = match error.get("code") {
        Some(Json::Str(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(Json::Num(_)) => status.clone().or_else(|| error.get("code").and_then(Json::to_code)),
        _ => status.or_else(|| error.get("type").and_then(Json::to_code)),
    };
    let message = error.str_of(&["message", "description", "detail", "title"]).map(short);
    let details = error.get("details").filter(|d| !matches!(d, Json::Null)).cloned();
    let mut field_errors = Vec::new();
    if let Some(details) = &details {
        collect_detail_fields(details, &mut field_errors);
    }
    if let Some(errors) = error.get("errors") {
        collect_field_list(errors, &mut field_errors);
    }
    let rate_limit = details.as_ref().and_then(|d| d.get("rate_limit")).map(rate_limit_block);
    let message = message.or_else(|| error.get("errors").and_then(first_list_message));
    BodyFacts { code, message, details, field_errors, rate_limit, graphql: false }
}

/// OAuth-style `{"error": "invalid_grant", "error_description": "..."}` or `{"error": "Not Found"}`.
fn string_error(json: &Json, error: &str) -> BodyFacts {
    let described = json.str_of(&["error_description", "message", "detail"]).map(short);
    let is_code = !error.trim().contains(' ') && error.len() <= 64;
    match (is_code, described) {
        (true, Some(msg)) => BodyFacts { code: Some(error.trim().to_string()), message: Some(msg), ..Default::default() },
        (true, None) => BodyFacts { code: Some(error.trim().to_string()), message: Some(humanize_code(error)), ..Default::default() },
        (false, msg) => BodyFacts { message: msg.or_else(|| Some(short(error))), ..Default::default() },
    }
}

/// Dialects without an `error` envelope: FastAPI, RFC 9457, JSON:API, GraphQL.
fn other_dialects(json: &Json) -> BodyFacts {
    if is_problem(json) {
        return problem_details(json);
    }
    if let Some(detail) = json.get("detail") {
        if let Some(facts) = fastapi_detail(detail) {
            return facts;
        }
    }
    if let Some(errors) = json.get("errors").and_then(Json::as_array) {
        if let Some(facts) = errors_list(json, errors) {
            return facts;
        }
    }
    BodyFacts::default()
}

/// FastAPI / pydantic: `detail` as a list of `{loc, msg, type}`, a string, or an object.
fn fastapi_detail(detail: &Json) -> Option<BodyFacts> {
    match detail {
        Json::Str(s) if !s.trim().is_empty() => Some(BodyFacts { message: Some(short(s)), ..Default::default() }),
        Json::Arr(items) if items.iter().any(|i| i.get("msg").is_some() || i.get("loc").is_some()) => {
            let field_errors: Vec<FieldError> = items.iter().filter_map(pydantic_item).collect();
            let message = summarize_fields(&field_errors)
                .or_else(|| items.iter().find_map(|i| i.get("msg").and_then(Json::as_text)).map(short));
            let code = items.iter().find_map(|i| i.get("type").and_then(Json::as_text)).map(str::to_string);
            Some(BodyFacts { code, message, details: Some(detail.clone()), field_errors, ..Default::default() })
        }
        Json::Obj(_) => {
            let message = detail.str_of(&["message", "msg", "detail", "error"]).map(short);
            let code = detail.get("code").and_then(Json::to_code);
            (message.is_some() || code.is_some()).then(|| BodyFacts {
                code,
                message,
                details: Some(detail.clone()),
                ..Default::default()
            })
        }
        _ => None,
    }
}

/// JSON:API (`detail`, `title`, `source.pointer`) and GraphQL (`message`, `path`, `extensions.code`).
fn errors_list(json: &Json, errors: &[Json]) -> Option<BodyFacts> {
    let first = errors.first()?;
    if let Json::Str(s) = first {
        return Some(BodyFacts { message: Some(short(s)), ..Default::default() });
    }
    let graphql = is_graphql_error(json) && !is_problem(json);
    let message = first.str_of(&["detail", "message", "title", "msg"]).map(short);
    let code = first
        .get("code")
        .and_then(Json::to_code)
        .or_else(|| first.get("extensions").and_then(|x| x.get("code")).and_then(Json::to_code))
        .or_else(|| (!graphql).then(|| first.get("title").and_then(Json::to_code)).flatten().map(|t| snake(&t)));
    let mut field_errors = Vec::new();
    if !graphql {
        // A GraphQL `path` names a response field, not an invalid input.
        collect_field_list(&Json::Arr(errors.to_vec()), &mut field_errors);
    }
    if message.is_none() && code.is_none() && field_errors.is_empty() {
        return None;
    }
    let message = message.or_else(|| summarize_fields(&field_errors));
    Some(BodyFacts { code, message, details: Some(Json::Arr(errors.to_vec())), field_errors, graphql, ..Default::default() })
}

fn is_problem(json: &Json) -> bool {
    json.get("title").is_some_and(|t| t.as_text().is_some())
        && (json.get("type").is_some() || json.get("status").is_some() || json.get("detail").is_some())
}

/// RFC 9457 problem details, with `errors` and `invalid-params` extensions.
fn problem_details(json: &Json) -> BodyFacts {
    let message = json.str_of(&["detail", "title"]).map(short);
    let code = json.get("code").and_then(Json::to_code).or_else(|| {
        let ty = json.get("type").and_then(Json::as_text)?;
        let last = ty.trim_end_matches('/').rsplit(['/', '#', ':']).next()?;
        (ty != "about:blank" && !last.is_empty()).then(|| last.to_string())
    });
    let mut field_errors = Vec::new();
    for key in ["errors", "invalid-params", "invalid_params", "violations"] {
        if let Some(list) = json.get(key) {
            collect_field_list(list, &mut field_errors);
        }
    }
    BodyFacts { code, message, details: Some(json.clone()), field_errors, ..Default::default() }
}

/// Top-level `message`/`code` of ad-hoc bodies, and `{"errors": {"field": ["msg"]}}`.
fn fill_generic(json: &Json, facts: &mut BodyFacts) {
    if facts.message.is_none() {
        facts.message = json.str_of(&["message", "msg", "error_message", "errorMessage", "description", "title"]).map(short);
    }
    if facts.code.is_none() {
        facts.code = ["code", "error_code", "errorCode", "type"].iter().find_map(|k| match json.get(k) {
            // A `type` URI (problem details) is not a code.
            Some(Json::Str(s)) if !s.contains([' ', ':', '/']) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
            Some(n @ Json::Num(_)) if *k != "type" => n.to_code(),
            _ => None,
        });
    }
    if facts.field_errors.is_empty() {
        if let Some(errors @ Json::Obj(_)) = json.get("errors") {
            collect_field_list(errors, &mut facts.field_errors);
        }
    }
    if facts.message.is_none() {
        facts.message = summarize_fields(&facts.field_errors);
    }
    if facts.details.is_none() && !facts.field_errors.is_empty() {
        facts.details = json.get("errors").cloned();
    }
}

fn first_list_message(errors: &Json) -> Option<String> {
    errors.as_array()?.iter().find_map(|e| e.str_of(&["message", "detail", "reason"])).map(short)
}

/// Tiptree's `details.rate_limit{limit, remaining, reset}`.
fn rate_limit_block(block: &Json) -> (Option<f64>, Option<f64>, Option<f64>) {
    let number = |k: &str| block.get(k).and_then(Json::as_number).filter(|n| *n >= 0.0);
    (number("limit"), number("remaining"), number("reset").or_else(|| number("reset_at")))
}

fn short(text: &str) -> String {
    tidy(text, MAX_MESSAGE_CHARS)
}

/// `rate_limit_exceeded` → "Rate limit exceeded".
fn humanize_code(code: &str) -> String {
    let mut words = code.trim().replace(['_', '-'], " ").to_ascii_lowercase();
    if let Some(first) = words.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    tidy(&words, MAX_MESSAGE_CHARS)
}

fn snake(text: &str) -> String {
    text.trim().to_ascii_lowercase().split_whitespace().collect::<Vec<_>>().join("_")
}
