//! Field errors in every shape APIs use: pydantic `loc`, item lists with a field-ish key (Tiptree,
//! JSON:API and RFC 9457 pointers, Google `fieldViolations`, Microsoft `target`, GitHub, Spring,
//! PayPal, Square, SendGrid), and `{field: messages}` maps (DRF, Rails, Laravel, ASP.NET, Jira,
//! GitLab), nested ones included (Discord's `errors.a.0.b._errors`, DRF nested serializers).

use crate::prelude::*;

use super::body::FieldError;
use super::json::{format_number, Json};
use super::text::{short, tidy, MAX_MESSAGE_CHARS};

/// Map keys that hold form-level messages, not a field's: their text is the error's message
/// (Phoenix answers `{"errors": {"detail": "Not Found"}}`).
pub(crate) const FORM_KEYS: [&str; 4] = ["non_field_errors", "__all__", "base", "detail"];
/// Maps nest at most this deep (Discord nests a few levels; hostile bodies nest thousands).
const MAX_MAP_DEPTH: usize = 8;
/// Field errors kept per error: enough for any form, bounded for hostile bodies.
const MAX_FIELD_ERRORS: usize = 100;

pub(crate) fn pydantic_item(item: &Json) -> Option<FieldError> {
    let message = item.get("msg").or_else(|| item.get("message")).and_then(Json::as_text)?;
    let field = match item.get("loc") {
        Some(Json::Arr(parts)) => dotted(parts.iter().filter_map(path_part)),
        Some(Json::Str(s)) => s.clone(),
        _ => String::new(),
    };
    let code = item.get("type").and_then(Json::to_code);
    Some(FieldError { field, message: short(message), code })
}

/// Field errors inside `details`: Tiptree `errors[]`, Google `BadRequest.fieldViolations`, or
/// `details[]` entries that name their field (Microsoft `target`, PayPal `field`).
pub(crate) fn collect_detail_fields(details: &Json, out: &mut Vec<FieldError>) {
    match details {
        Json::Arr(items) => {
            for item in items {
                if let Some(violations) = item.get("fieldViolations").or_else(|| item.get("field_violations")) {
                    collect_field_list(violations, out);
                }
            }
            if out.is_empty() {
                collect_field_list(details, out);
            }
        }
        Json::Obj(_) => {
            // Kubernetes: `details.causes[{field, message, reason}]`.
            for key in ["errors", "fieldViolations", "field_errors", "fields", "causes"] {
                if let Some(list) = details.get(key) {
                    collect_field_list(list, out);
                }
            }
            // Zendesk: `details` is itself `{field: [{description}]}`.
            if out.is_empty() && is_field_map(details) {
                collect_map(details, "", 0, out);
            }
        }
        _ => {}
    }
}

/// A list of field errors in any of the usual item shapes, or a `{field: messages}` map.
pub(crate) fn collect_field_list(list: &Json, out: &mut Vec<FieldError>) {
    match list {
        Json::Arr(items) => {
            for item in items {
                push(out, field_item(item));
            }
        }
        Json::Obj(_) => collect_map(list, "", 0, out),
        _ => {}
    }
}

fn push(out: &mut Vec<FieldError>, error: Option<FieldError>) {
    if let Some(error) = error.filter(|_| out.len() < MAX_FIELD_ERRORS) {
        out.push(error);
    }
}

/// `{field: ["msg"]}`, `{field: "msg"}`, `{field: [{message, code}]}` and nested maps, whose
/// paths are joined with dots; a nested `_errors` list belongs to the path that holds it.
fn collect_map(map: &Json, prefix: &str, depth: usize, out: &mut Vec<FieldError>) {
    let Json::Obj(pairs) = map else { return };
    if depth > MAX_MAP_DEPTH {
        return;
    }
    for (key, value) in pairs {
        if depth == 0 && FORM_KEYS.contains(&key.as_str()) {
            continue;
        }
        // Discord's top-level `_errors` is about the whole request: no field to name.
        if key == "_errors" && prefix.is_empty() {
            continue;
        }
        let path = if key == "_errors" { prefix.to_string() } else { join(prefix, key) };
        match value {
            Json::Str(message) if !message.trim().is_empty() => {
                push(out, Some(FieldError { field: path, message: short(message), code: None }));
            }
            Json::Arr(items) => {
                for item in items {
                    let error = match item {
                        Json::Str(m) if !m.trim().is_empty() => Some(FieldError { field: path.clone(), message: short(m), code: None }),
                        Json::Obj(_) => map_item(item, &path),
                        _ => None,
                    };
                    push(out, error);
                }
            }
            Json::Obj(_) => collect_map(value, &path, depth + 1, out),
            _ => {}
        }
    }
}

/// An object inside a map's list: Discord's `{code, message}`, or a nested serializer's errors.
fn map_item(item: &Json, path: &str) -> Option<FieldError> {
    let message = item.str_of(&["message", "msg", "detail", "description"])?;
    let code = item.get("code").and_then(Json::to_code);
    Some(FieldError { field: path.to_string(), message: short(message), code })
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// Whether `json` is nothing but a `{field: [messages]}` map, like DRF's and Rails' bodies:
/// every value a non-empty list of messages (or `{message}` objects), or such a map nested.
pub(crate) fn is_field_map(json: &Json) -> bool {
    let Json::Obj(pairs) = json else { return false };
    !pairs.is_empty()
        && pairs.iter().all(|(_, v)| match v {
            Json::Arr(items) => !items.is_empty() && items.iter().all(|i| i.as_text().is_some() || i.str_of(&["message", "description"]).is_some()),
            Json::Obj(_) => is_field_map(v),
            _ => false,
        })
}

/// Keys that name the field in an error item, in order of preference.
const FIELD_KEYS: [&str; 8] = ["field", "propertyPath", "param", "parameter", "property", "target", "attribute", "fieldName"];
/// Field keys that also mean other things, read after a `path`: RFC 9457's `name` (Contentful's
/// `name` is the error's, beside a `path`) and Google's legacy `location`.
const WEAK_FIELD_KEYS: [&str; 2] = ["name", "location"];
/// Keys that hold the human message of an error item, in order of preference.
const ITEM_MESSAGE_KEYS: [&str; 9] = ["message", "description", "defaultMessage", "detail", "msg", "reason", "title", "issue", "error"];

fn field_item(item: &Json) -> Option<FieldError> {
    if item.get("loc").is_some() {
        return pydantic_item(item);
    }
    let source = item.get("source");
    let pointer = item
        .get("pointer")
        .or_else(|| source.and_then(|s| s.get("pointer")))
        .and_then(Json::as_text)
        .map(pointer_to_dotted)
        // The root pointer "" names the whole document, not a field.
        .filter(|f| !f.is_empty());
    let path = match item.get("path") {
        Some(Json::Arr(parts)) => Some(dotted(parts.iter().filter_map(path_part))),
        Some(Json::Str(p)) if !p.trim().is_empty() => Some(field_path(p)),
        _ => None,
    };
    // Google's legacy `location` names a parameter, or the header a credential was missing from.
    let weak: &[&str] = if item.str_of(&["locationType"]) == Some("header") { &["name"] } else { &WEAK_FIELD_KEYS };
    let from_path = path.is_some() && item.str_of(&FIELD_KEYS).is_none() && pointer.is_none();
    // A not-found names the missing thing, not an invalid field (YouTube's `videoNotFound`).
    let not_found = item.str_of(&["reason", "code"]).is_some_and(|r| r.to_ascii_lowercase().ends_with("notfound"));
    let weak: &[&str] = if not_found { &["name"] } else { weak };
    let field = item
        .str_of(&FIELD_KEYS)
        .filter(|f| !f.bytes().all(|b| b.is_ascii_digit()))
        .map(field_path)
        .or(pointer)
        .or_else(|| source.and_then(|s| s.str_of(&["parameter", "header"])).map(str::to_string))
        .or(path)
        .or_else(|| item.str_of(weak).map(field_path))?;
    let message_key = ITEM_MESSAGE_KEYS.iter().find(|k| item.get(k).and_then(Json::as_text).is_some());
    // `reason` is Google's code beside a `description`, but RFC 9457's message when alone.
    let code_keys: &[&str] = if message_key == Some(&"reason") { &["code", "issue", "errorType"] } else { &["code", "issue", "reason", "errorType"] };
    // Beside a `path`, Contentful's `name` ("taken") is the code.
    let code = code_keys
        .iter()
        .find_map(|k| item.get(k).and_then(Json::to_code))
        .or_else(|| from_path.then(|| item.str_of(&["name"]).map(str::to_string)).flatten());
    // GitHub's `{resource, field, code: "missing_field"}` has no message: the code says it.
    let message = match message_key {
        Some(key) => item.get(key).and_then(Json::as_text).map(short),
        None => code.as_deref().map(humanize_code),
    }?;
    Some(FieldError { field, message, code })
}

/// A field name as given, or a JSON pointer (`/purchase_units/0/amount`) as a dotted path.
fn field_path(name: &str) -> String {
    if name.starts_with('/') {
        pointer_to_dotted(name)
    } else {
        name.to_string()
    }
}

fn path_part(part: &Json) -> Option<String> {
    match part {
        Json::Str(s) => Some(s.clone()),
        Json::Num(n) => Some(format_number(*n)),
        _ => None,
    }
}

fn dotted(parts: impl Iterator<Item = String>) -> String {
    parts.collect::<Vec<_>>().join(".")
}

/// `/data/attributes/title` → `data.attributes.title` (with `~1` and `~0` unescaped).
pub fn pointer_to_dotted(pointer: &str) -> String {
    let pointer = pointer.strip_prefix('#').unwrap_or(pointer);
    dotted(pointer.split('/').filter(|p| !p.is_empty()).map(|p| p.replace("~1", "/").replace("~0", "~")))
}

/// One sentence naming the invalid fields: "body.email: field required (and 1 more)".
pub(crate) fn summarize_fields(fields: &[FieldError]) -> Option<String> {
    let first = fields.first()?;
    let head = if first.field.is_empty() { first.message.clone() } else { format!("{}: {}", first.field, first.message) };
    Some(with_more(head, fields.len()))
}

/// `text`, followed by " (and N more)" when it stands for `count` items.
pub(crate) fn with_more(text: String, count: usize) -> String {
    let text = match count {
        0 | 1 => text,
        n => format!("{text} (and {} more)", n - 1),
    };
    tidy(&text, MAX_MESSAGE_CHARS)
}

/// `rate_limit_exceeded` → "Rate limit exceeded".
pub(crate) fn humanize_code(code: &str) -> String {
    let mut words = code.trim().replace(['_', '-'], " ").to_ascii_lowercase();
    if let Some(first) = words.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    tidy(&words, MAX_MESSAGE_CHARS)
}

