//! Reading a JSON error body with a few named rules instead of one parser per API. Each rule lists,
//! in order, the places real APIs put one fact; the first place that holds it wins. The corpus in
//! tests/fixtures/realworld/ (its README states the promises) has cases for every rule.

use crate::prelude::*;

use super::body::{is_graphql_error, BodyFacts, FieldError};
use super::fields::{collect_detail_fields, collect_field_list, is_field_map, pydantic_item};
use super::message::{other_message, own_message};
use super::hints::{rate_limit_block, request_id_of, retry_delay_ms};
use super::view::{JsonView, Kind, J};
use super::signals::{envelope_codes, is_exhausted_code, is_throttling_code, short_type_name};
use super::text::{contains, short, text_summary};

/// Lists that hold field errors, on the envelope or the body.
const FIELD_LISTS: [&str; 10] = [
    "errors", "invalid-params", "invalid_params", "invalid_parameters", "violations", "fieldErrors", "field_errors",
    "validationErrors", "fields", "invalidFields",
];
/// Keys that make a body an envelope rather than a bare `{field: [messages]}` map.
const ENVELOPE_KEYS: [&str; 6] = ["errors", "errorMessages", "message", "detail", "error", "meta"];

/// Reads a parsed JSON error body. `type_header` is AWS's `x-amzn-ErrorType`, the code of
/// REST-JSON services whose body may not name it.
pub(crate) fn read_json<V: JsonView>(root: J<V>, status: u16, type_header: Option<&str>) -> BodyFacts<V::Node> {
    match root.kind() {
        // Some APIs answer with a bare list of errors: the first one speaks for all.
        Kind::Arr => return root.array().and_then(|items| items.first()).map(|item| read_json(item, status, type_header)).unwrap_or_default(),
        Kind::Str => return BodyFacts { message: root.as_str().and_then(text_summary), ..BodyFacts::default() },
        Kind::Obj => {}
        _ => return BodyFacts::default(),
    }
    let env = envelope(root);
    // DRF and Rails answer with nothing but `{field: [messages]}`: no key of it is a message.
    let bare_map = is_field_map(root) && !ENVELOPE_KEYS.iter().any(|k| root.has(k));
    let own = if bare_map { None } else { own_message(root, env) };
    let field_errors = field_errors(root, env, bare_map, own.as_deref());
    let code = code_of(root, env, status, type_header, own.is_some());
    let codes = envelope_codes(env);
    // A shape no rule knows keeps the whole body as `details`.
    let unknown_shape = code.is_none() && own.is_none() && field_errors.is_empty();
    BodyFacts {
        details: details_of(root, env).or_else(|| unknown_shape.then_some(root)).map(|d| d.node),
        message: own.or_else(|| other_message(root, env, &field_errors, code.as_ref().filter(|c| c.bare).map(|c| c.text.as_str()))),
        code: code.map(|c| c.text),
        field_errors,
        rate_limit: env.get("details").and_then(|d| d.get("rate_limit")).map(rate_limit_block),
        retry_after_ms: retry_delay_ms(root, env),
        request_id: request_id_of(root, env),
        throttled: codes.iter().any(|c| is_throttling_code(c)),
        exhausted: codes.iter().any(|c| is_exhausted_code(c)),
        status_hint: extension_status(root),
        kind_hint: codes.iter().find_map(|c| super::error::code_kind(Some(c))),
        retryable: ["is_transient", "isTransient", "retryable", "isRetryable"].iter().find_map(|k| env.get(k).or_else(|| root.get(k))?.as_bool()),
    }
}

/// GraphQL servers answer 200 and may name the status in the first error's `extensions`
/// (`status_code` on monday.com, `http.status` on Apollo).
fn extension_status<V: JsonView>(root: J<V>) -> Option<u16> {
    let ext = root.first("errors")?.get("extensions")?;
    let status = ["status_code", "statusCode", "status"].iter().find_map(|k| ext.get(k)).or_else(|| ext.get("http")?.get("status"))?;
    status.as_number().filter(|n| (400.0..600.0).contains(n)).map(|n| n as u16)
}

/// The object that holds the error: `{"error": {...}}` in every casing, FastAPI's
/// `{"detail": {...}}` (an `HTTPException` raised with a dict), else the body itself.
fn envelope<V: JsonView>(root: J<'_, V>) -> J<'_, V> {
    // Customer.io answers `{"meta": {"error": "…"}}`.
    let meta = root.get("meta").filter(|m| m.has("error") || m.has("errors"));
    let error = root.get("error").or_else(|| root.get("fault")).or(meta);
    let outer = match (error, root.get("detail")) {
        (Some(error), _) if error.is_object() => error,
        (_, Some(detail)) if detail.is_object() => detail,
        _ => root,
    };
    // QuickBooks: `{"Fault": {"Error": [{"Message", "code"}]}}`: the first error speaks.
    match outer.first("error") {
        Some(first) if first.is_object() && outer != root => first,
        _ => outer,
    }
}

/// A machine code, and whether it was a bare string `error` (Slack, OAuth) that no sentence
/// explains: such a code also makes the message when there is nothing better.
struct Code {
    text: String,
    bare: bool,
}

impl Code {
    fn of(text: &str) -> Option<Code> {
        let text = text.trim();
        (!text.is_empty()).then(|| Code { text: text.to_string(), bare: false })
    }

    fn bare(self) -> Code {
        Code { bare: true, ..self }
    }
}

/// Rule "code": the API's most specific machine-readable identifier. A list's first item names
/// the error only when the body has no message of its own (GitHub's and Spring's items carry
/// per-field codes beside a top-level message).
fn code_of<V: JsonView>(root: J<V>, env: J<V>, status: u16, type_header: Option<&str>, has_own_message: bool) -> Option<Code> {
    let status_text = super::num::int_text(u64::from(status));
    let echo = |c: &str| c.trim() == status_text;
    // A phrase ("Client specified an invalid argument") is a message, not a code.
    let string = |json: J<V>, key: &str| {
        json.get(key).and_then(J::as_text).filter(|c| !echo(c) && !c.trim().contains(char::is_whitespace)).and_then(|c| Code::of(short_type_name(c)))
    };
    let number = |json: J<V>, key: &str| {
        let value = json.get(key)?;
        // A number equal to the HTTP status is an echo of it, not the API's code.
        value.num().filter(|n| *n != f64::from(status)).and_then(|_| value.to_code()).and_then(|c| Code::of(&c))
    };
    string(env, "code")
        .or_else(|| message_code(env))
        .or_else(|| innermost_code(env).filter(|c| !echo(&c.text)))
        .or_else(|| error_info_reason(env).and_then(Code::of))
        // Google's legacy `errors[].reason` (BigQuery's `rateLimitExceeded`) is more specific than
        // the `status` beside it.
        .or_else(|| code_at(env.first("errors"), "reason", |_| true))
        // Google's `status` names; a body that is only a status (Google Maps' OVER_QUERY_LIMIT) is
        // also its own message.
        .or_else(|| code_at(Some(env), "status", |s| is_upper_snake(s) || (s.contains(['_', '-']) && is_code_token(s))).map(Code::bare))
        .or_else(|| number(env, "code"))
        .or_else(|| {
            ["error_code", "errorCode", "error_name", "errorName", "ecode", "serviceErrorCode", "status_code", "errorType"]
                .iter()
                .find_map(|k| string(env, k).or_else(|| number(env, k)))
        })
        // Checkout.com: `error_codes: ["payment_source_required"]`, the only words it gives.
        .or_else(|| env.first("error_codes").and_then(J::as_text).and_then(Code::of).map(Code::bare))
        // Viber answers 200 with its own numeric `status`.
        .or_else(|| number(env, "status"))
        // Contentful: `{"sys": {"type": "Error", "id": "NotFound"}}`.
        .or_else(|| root.get("sys").filter(|s| s.str_of(&["type"]).is_some_and(|t| t == "Error")).and_then(|s| s.str_of(&["id"])).and_then(Code::of))
        .or_else(|| tag_path(env, 0).and_then(|t| Code::of(&t)))
        // PayPal: the first detail's `issue` is more specific than the error's `name`.
        .or_else(|| code_at(env.first("details"), "issue", is_upper_snake))
        // PayPal's `INVALID_REQUEST`, Resend's `missing_required_field`.
        .or_else(|| code_at(Some(env), "name", |n| is_upper_snake(n) || is_code_token(n)))
        .or_else(|| string(root, "__type"))
        .or_else(|| type_header.map(short_type_name).and_then(Code::of))
        // Kubernetes' and APNs' `reason` (`PayloadEmpty`); with no sentence beside it, it is the message.
        .or_else(|| code_at(Some(env), "reason", is_identifier).map(Code::bare))
        .or_else(|| (!has_own_message).then(|| list_code(root)).flatten())
        .or_else(|| code_at(Some(env), "type", |t| is_identifier(t) && t != "error"))
        .or_else(|| code_at(Some(env), "category", is_upper_snake))
        .or_else(|| code_at(Some(root), "id", is_snake_word))
        .or_else(|| string_error(root))
        .or_else(|| root.first("detail").and_then(|d| d.get("type")).and_then(J::to_code).and_then(|c| Code::of(&c)))
        .or_else(|| problem_type_code(root))
}

/// The non-blank string under `key` in `json` that `accept` takes, as a code: one function for the
/// rules that differ only in where they look and what they accept (smaller than a chain each).
#[inline(never)]
fn code_at<V: JsonView>(json: Option<J<V>>, key: &str, accept: fn(&str) -> bool) -> Option<Code> {
    json?.get(key)?.as_text().filter(|t| accept(t)).and_then(Code::of)
}

/// Dropbox's tagged unions: `{".tag": "path", "path": {".tag": "not_found"}}` is `path/not_found`;
/// a rate limit's tag sits under `reason`.
fn tag_path<V: JsonView>(json: J<V>, depth: usize) -> Option<String> {
    if depth > 4 {
        return None;
    }
    let Some(tag) = json.get(".tag").and_then(J::as_text) else {
        return (depth == 0).then(|| json.get("reason").and_then(|r| tag_path(r, depth + 1))).flatten();
    };
    let mut path = tag.to_string();
    if let Some(rest) = json.get(tag).and_then(|inner| tag_path(inner, depth + 1)) {
        path.push('/');
        path.push_str(&rest);
    }
    Some(path)
}

/// Firebase puts its code in the message: `"EMAIL_EXISTS"`, or `"TOO_MANY_ATTEMPTS_TRY_LATER : …"`.
fn message_code<V: JsonView>(env: J<V>) -> Option<Code> {
    let message = env.get("message")?.as_text()?;
    let message = message.trim();
    let token = super::text::before(message, " : ").trim();
    is_upper_snake(token).then(|| Code { text: token.to_string(), bare: token.len() == message.len() })
}

/// Microsoft's `innererror` chain (used when the error itself names no code): each level is "more specific than the current object".
fn innermost_code<V: JsonView>(env: J<V>) -> Option<Code> {
    let mut inner = env.get("innererror").or_else(|| env.get("innerError"))?;
    let mut code = None;
    for _ in 0..8 {
        code = inner.get("code").and_then(J::as_text).and_then(Code::of).or(code);
        match inner.get("innererror").or_else(|| inner.get("innerError")) {
            Some(next) => inner = next,
            None => break,
        }
    }
    code
}

/// Google AIP-193: `details[]` holds an `ErrorInfo` whose `reason` names the cause.
fn error_info_reason<'v, V: JsonView>(env: J<'v, V>) -> Option<&'v str> {
    let details = env.get("details")?.array()?;
    details
        .clone()
        .find(|d| type_is(*d, "ErrorInfo"))
        .and_then(|d| d.get("reason"))
        // Firebase Cloud Messaging's `FcmError.errorCode` (`UNREGISTERED`).
        .or_else(|| details.clone().find(|d| type_is(*d, "FcmError")).and_then(|d| d.get("errorCode")))?
        .as_text()
}

pub(crate) fn type_is<V: JsonView>(detail: J<V>, name: &str) -> bool {
    detail.get("@type").and_then(J::as_text).is_some_and(|t| t.ends_with(name))
}

/// Slack's `{"ok": false, "error": "invalid_auth"}` and OAuth's `{"error": "invalid_grant"}`;
/// a reason phrase such as NestJS's `"error": "Forbidden"` is a message, not a code.
fn string_error<V: JsonView>(root: J<V>) -> Option<Code> {
    let error = root.get("error")?.as_text()?;
    let error = error.trim();
    is_code_token(error).then(|| Code { text: error.to_string(), bare: true })
}

/// `invalid_auth`, `ratelimited`, `unsupported-grant-type`, `RecordNotFound`: lower case, joined
/// words or CamelCase, but not a capitalized word such as "Forbidden".
pub(crate) fn is_code_token(text: &str) -> bool {
    let camel = text.bytes().skip(1).any(|b| b.is_ascii_uppercase()) && text.bytes().any(|b| b.is_ascii_lowercase());
    is_identifier(text) && text.len() <= 64 && (text.contains(['_', '-']) || camel || !text.bytes().any(|b| b.is_ascii_uppercase()))
}

/// JSON:API, GraphQL, Cloudflare and Square lists: the first error's `code`, its
/// `extensions.code`, or GitHub GraphQL's `type` (`NOT_FOUND`). A title is text, not a code.
fn list_code<V: JsonView>(root: J<V>) -> Option<Code> {
    let first = root.first("errors")?;
    // Fitbit's `errorType`, eBay's `errorId`.
    ["code", "errorType", "errorId"]
        .iter()
        .find_map(|k| first.get(k).and_then(J::to_code))
        .or_else(|| first.get("extensions").and_then(|x| x.str_of(&["code", "error_code"])).map(|c| c.to_string()))
        // Coinbase: `errors[{id: "invalid_token", message}]`.
        .or_else(|| first.get("id").and_then(J::as_text).filter(|id| is_snake_word(id)).map(|id| id.to_string()))
        .or_else(|| first.get("type").and_then(J::as_text).filter(|t| is_upper_snake(t)).map(|t| t.to_string()))
        .and_then(|c| Code::of(&c))
}

/// RFC 9457: the last segment of the `type` URI, unless it only points at the HTTP spec.
fn problem_type_code<V: JsonView>(root: J<V>) -> Option<Code> {
    if !is_problem(root) {
        return None;
    }
    let ty = root.get("type").and_then(J::as_text)?;
    let lower = ty.to_ascii_lowercase();
    if ty == "about:blank" || contains(&lower, "rfc") || contains(&lower, "ietf.org") {
        return None;
    }
    let last = ty.trim_end_matches('/').rsplit(['/', '#', ':']).next()?;
    // A link to an API's error docs page (`…/docs/errors/`) names no particular problem.
    (!matches!(last.to_ascii_lowercase().as_str(), "errors" | "error" | "problems" | "problem" | "docs")).then(|| Code::of(last)).flatten()
}

pub(crate) fn is_problem<V: JsonView>(json: J<V>) -> bool {
    json.get("title").is_some_and(|t| t.as_text().is_some()) && (json.has("type") || json.has("status") || json.has("detail"))
}

/// `INVALID_ARGUMENT`: Google's status names (and not a word like "Failure" or "error").
pub(crate) fn is_upper_snake(text: &str) -> bool {
    text.len() >= 3 && text.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') && !matches!(text, "ERROR" | "FAIL" | "FAILURE")
}

/// A code-like token: no spaces, not a URI.
pub(crate) fn is_identifier(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty() && text.len() <= 100 && !text.contains([' ', '/', ':'])
}

/// `not_found`: Heroku's and DigitalOcean's `id` (an `id` with digits is a resource id).
fn is_snake_word(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') && text.len() <= 64 && !text.is_empty()
}

/// Rule "field errors": pydantic's `detail[]` (also inside a `message` object, as Mistral nests
/// it), then the field lists and maps of the envelope and the body, Google/Microsoft `details`, a
/// map that is the whole `message` (GitLab), envelope (DRF's `detail`) or body (DRF, Rails), and
/// last a lone `param` (Stripe, OpenAI) or `target` (Microsoft).
fn field_errors<V: JsonView>(root: J<V>, env: J<V>, bare_map: bool, own: Option<&str>) -> Vec<FieldError> {
    let mut out = Vec::new();
    let pydantic = root.get("detail").or_else(|| env.get("message").and_then(|m| m.get("detail")));
    if let Some(items) = pydantic.and_then(J::array) {
        out.extend(items.filter_map(pydantic_item));
    }
    let holders = if env == root { [Some(root), None] } else { [Some(env), Some(root)] };
    for holder in holders.into_iter().flatten() {
        for key in FIELD_LISTS {
            match holder.get(key) {
                Some(list) if out.is_empty() && !is_graphql_error(root) => collect_field_list(list, &mut out),
                _ => {}
            }
        }
    }
    if out.is_empty() {
        if let Some(details) = env.get("details") {
            collect_detail_fields(details, &mut out);
        }
    }
    if out.is_empty() {
        let map = [env.get("message"), (env != root).then_some(env), bare_map.then_some(root)].into_iter().flatten().find(|m| is_field_map(*m));
        if let Some(map) = map {
            collect_field_list(map, &mut out);
        }
    }
    if out.is_empty() {
        out.extend(lone_field(env));
    }
    if out.is_empty() {
        out.extend(own.map(|message| named_fields(env, message)).unwrap_or_default());
    }
    out
}

/// Reddit's and Salesforce's `fields: ["title"]`: the error's own message, on each field named.
fn named_fields<V: JsonView>(env: J<V>, message: &str) -> Vec<FieldError> {
    let Some(names) = env.get("fields").and_then(J::array) else { return Vec::new() };
    let code = ["reason", "code", "errorCode"].iter().find_map(|k| env.get(k).and_then(J::to_code));
    names
        .filter_map(J::as_text)
        .take(100)
        .map(|name| FieldError { field: name.to_string(), message: message.to_string(), code: code.clone() })
        .collect()
}

/// Stripe's and OpenAI's `param`, Microsoft's `target`: the one field the whole error is about.
fn lone_field<V: JsonView>(env: J<V>) -> Option<FieldError> {
    let field = env.str_of(&["param", "target", "field"])?;
    let message = env.str_of(&["message", "description", "detail"]).map(short)?;
    let code = env.get("code").and_then(J::to_code);
    Some(FieldError { field: field.to_string(), message, code })
}

/// The API's extra object: the envelope's `details`, a problem's whole body, the list of errors;
/// for a shape no rule knows, the whole body.
fn details_of<'v, V: JsonView>(root: J<'v, V>, env: J<'v, V>) -> Option<J<'v, V>> {
    if let Some(details) = env.get("details").filter(|d| !d.is_null()) {
        return Some(details);
    }
    if is_problem(root) {
        return Some(root);
    }
    if let Some(detail) = root.get("detail").filter(|d| d.is_array()) {
        return Some(detail);
    }
    root.get("errors").filter(|e| !e.is_null())
}

