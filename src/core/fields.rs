//! Field errors in every shape APIs use: pydantic `loc`, Tiptree `field`, Google
//! `fieldViolations`, JSON:API and RFC 9457 pointers, `{field: [messages]}` maps.

use super::body::FieldError;
use super::json::{format_number, Json};
use super::text::{tidy, MAX_MESSAGE_CHARS};

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

/// Field errors inside `details`: Tiptree `errors[]`, Google `fieldViolations`, or `details[]` entries.
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
            for key in ["errors", "fieldViolations", "field_errors", "fields"] {
                if let Some(list) = details.get(key) {
                    collect_field_list(list, out);
                }
            }
        }
        _ => {}
    }
}

/// A list of field errors in any of the usual item shapes, or a `{field: [messages]}` map.
pub(crate) fn collect_field_list(list: &Json, out: &mut Vec<FieldError>) {
    match list {
        Json::Arr(items) => out.extend(items.iter().filter_map(field_item)),
        Json::Obj(pairs) => {
            for (field, value) in pairs {
                let messages: Vec<&str> = match value {
                    Json::Arr(ms) => ms.iter().filter_map(Json::as_text).collect(),
                    other => other.as_text().into_iter().collect(),
                };
                for message in messages {
                    out.push(FieldError { field: field.clone(), message: short(message), code: None });
                }
            }
        }
        _ => {}
    }
}

fn field_item(item: &Json) -> Option<FieldError> {
    if item.get("loc").is_some() {
        return pydantic_item(item);
    }
    let source = item.get("source");
    let pointer = item
        .get("pointer")
        .or_else(|| source.and_then(|s| s.get("pointer")))
        .and_then(Json::as_text)
        .map(pointer_to_dotted);
    let field = item
        .str_of(&["field", "name", "param", "parameter", "propertyPath", "property"])
        .map(str::to_string)
        .or(pointer)
        .or_else(|| source.and_then(|s| s.str_of(&["parameter", "header"])).map(str::to_string))
        .or_else(|| match item.get("path") {
            Some(Json::Arr(parts)) => Some(dotted(parts.iter().filter_map(path_part))),
            _ => None,
        })?;
    let message = item.str_of(&["message", "description", "reason", "detail", "msg", "title"])?;
    let code = item.get("code").and_then(Json::to_code);
    Some(FieldError { field, message: short(message), code })
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
    let text = match fields.len() {
        1 => head,
        n => format!("{head} (and {} more)", n - 1),
    };
    Some(tidy(&text, MAX_MESSAGE_CHARS))
}

fn short(text: &str) -> String {
    tidy(text, MAX_MESSAGE_CHARS)
}
