//! Rule "message": one human sentence from a JSON error body, never the raw JSON. The envelope's
//! own sentence first, then the error list's, form-level messages, the field errors summarized, a
//! bare code made readable, and for a shape no rule knows the most informative sentence in it.

use crate::prelude::*;

use super::body::FieldError;
use super::dialect::{is_code_token, is_upper_snake};
use super::text::short;
use super::fields::{humanize_code, is_field_map, summarize_fields, with_more, FORM_KEYS};
use super::json::Json;

/// Keys whose string value is the error's human message, in order of preference. `error` counts
/// only when it reads as a sentence ("Not Found"), not as a code (`invalid_auth`); Reddit's
/// `explanation` comes first because its `message` only repeats the status line.
const MESSAGE_KEYS: [&str; 19] = [
    "explanation", "message", "detail", "error_description", "description", "errorMessage", "error_message",
    "status_message", "errorMessages", "messages", "errorSummary", "faultstring", "msg", "err", "info", "error",
    "title", "reason", "error_summary",
];

/// Rule "message", first part: the envelope's own sentence (then the body's).
pub(crate) fn own_message(root: &Json, env: &Json) -> Option<String> {
    let own = |json: &Json| MESSAGE_KEYS.iter().find_map(|k| json.get(k).and_then(|v| message_value(k, v)));
    own(env).or_else(|| if core::ptr::eq(env, root) { None } else { own(root) })
}

/// Rule "message", the rest: the error list's sentence, form-level messages, the field errors
/// summarized, a bare code made readable, the most informative sentence anywhere in the body.
pub(crate) fn other_message(root: &Json, env: &Json, fields: &[FieldError], bare_code: Option<&str>) -> Option<String> {
    errors_message(env, fields)
        .or_else(|| errors_message(root, fields))
        .or_else(|| form_message(root).or_else(|| root.get("errors").and_then(form_message)))
        .or_else(|| summarize_fields(fields))
        .or_else(|| bare_code.map(humanize_code))
        .or_else(|| deep_message(root, 0))
}

/// A message from one value: a string, a list of strings (the first, and how many more), or an
/// object holding one (`{"message": {"en": "…"}}`; a field map is read as field errors instead).
fn message_value(key: &str, value: &Json) -> Option<String> {
    match value {
        Json::Str(s) if key == "error" && is_code_token(s) => None,
        // Firebase's `"message": "EMAIL_EXISTS"` is a code (made readable later); after " : " a sentence.
        Json::Str(s) if key == "message" && is_upper_snake(s.split(" : ").next().unwrap_or("").trim()) => {
            s.split_once(" : ").map(|(_, rest)| short(rest)).filter(|m| !m.is_empty())
        }
        // Wise puts the token's id in `error_description`: an id is not a sentence.
        Json::Str(s) if looks_like_id(s) => None,
        // Elasticsearch's `reason` is a sentence; Google's and Kubernetes' are codes.
        Json::Str(s) if key == "reason" && !s.trim().contains(' ') => None,
        Json::Str(s) => (!s.trim().is_empty()).then(|| short(s)),
        Json::Arr(items) => {
            let texts: Vec<&str> = items.iter().filter_map(Json::as_text).collect();
            texts.first().map(|first| with_more(short(first), texts.len()))
        }
        // `error` and `detail` objects are envelopes, read as such.
        Json::Obj(_) if key == "error" || key == "detail" || is_field_map(value) || value.get("detail").is_some() => None,
        // Only a `message` object is a wrapped sentence; a `reason` object is a tagged union.
        // SAP OData: `{"lang": "en", "value": "…"}`.
        Json::Obj(pairs) if key == "message" => value
            .str_of(&["value", "message", "text"])
            .map(short)
            .or_else(|| pairs.iter().find_map(|(k, v)| v.as_text().filter(|_| k != "code" && k != "lang").map(short))),
        _ => None,
    }
}

/// `errors` as a sentence (`{"errors": "Not Found"}`) or a list: its first error's own message,
/// when that error names no field or its message is a whole sentence ("The to email parameter is
/// required."); a fragment ("must be a positive integer") is summarized with its field instead.
fn errors_message(json: &Json, fields: &[FieldError]) -> Option<String> {
    match json.get("errors")? {
        Json::Str(s) => (!s.trim().is_empty()).then(|| short(s)),
        Json::Arr(items) => {
            let strings = items.iter().filter(|i| i.as_text().is_some()).count();
            // JSON:API's and Square's `detail` is written to stand alone.
            let stands_alone = |m: &String| fields.is_empty() || is_whole_sentence(m) || items.first().is_some_and(|i| i.get("detail").is_some());
            let first = items.first().and_then(list_item_message).filter(stands_alone)?;
            Some(if strings > 1 { with_more(first, strings) } else { first })
        }
        _ => None,
    }
}

/// A long token of hex digits and dashes (a UUID), not words.
fn looks_like_id(text: &str) -> bool {
    let text = text.trim();
    text.len() >= 16 && text.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') && text.bytes().any(|b| b.is_ascii_digit())
}

/// Starts with a capital letter, and ends like a sentence or runs to eight words or more.
fn is_whole_sentence(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_uppercase) && (text.ends_with(['.', '!', '?']) || text.split_whitespace().count() >= 8)
}

fn list_item_message(item: &Json) -> Option<String> {
    match item {
        Json::Str(s) => (!s.trim().is_empty()).then(|| short(s)),
        _ => item.str_of(&["detail", "message", "title", "msg", "description", "reason"]).map(short),
    }
}

/// DRF's `non_field_errors`, Django's `__all__`, Rails' `base`.
fn form_message(map: &Json) -> Option<String> {
    FORM_KEYS.iter().find_map(|k| map.get(k).and_then(|v| message_value(k, v)))
}

/// For a shape no rule knows: the first string under a message-like key at any depth, else the
/// longest sentence-like string. Never the raw JSON.
fn deep_message(json: &Json, depth: usize) -> Option<String> {
    let mut best: Option<&str> = None;
    find_sentence(json, depth, &mut best).or_else(|| best.map(short))
}

fn find_sentence<'a>(json: &'a Json, depth: usize, best: &mut Option<&'a str>) -> Option<String> {
    if depth > 6 {
        return None;
    }
    match json {
        Json::Obj(pairs) => {
            for (key, value) in pairs {
                if let Some(text) = value.as_text().filter(|_| is_message_key(key)) {
                    return Some(short(text));
                }
                if let Some(text) = value.as_text().filter(|t| is_sentence(t)) {
                    if best.is_none_or(|b| text.len() > b.len()) {
                        *best = Some(text);
                    }
                }
            }
            pairs.iter().find_map(|(_, v)| find_sentence(v, depth + 1, best))
        }
        Json::Arr(items) => items.iter().take(16).find_map(|v| find_sentence(v, depth + 1, best)),
        _ => None,
    }
}

fn is_message_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.contains("message") || key.contains("description") || matches!(key.as_str(), "detail" | "msg" | "faultstring" | "text")
}

/// Three words or more, with letters, and not a URL.
fn is_sentence(text: &str) -> bool {
    text.split_whitespace().count() >= 3 && text.bytes().any(|b| b.is_ascii_alphabetic()) && !text.contains("://")
}
