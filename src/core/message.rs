//! Rule "message": one human sentence from a JSON error body, never the raw JSON. The envelope's
//! own sentence first, then the error list's, form-level messages, the field errors summarized, a
//! bare code made readable, and for a shape no rule knows the most informative sentence in it.

use crate::prelude::*;

use super::body::FieldError;
use super::code::{has_ignoring_case, has_letter, has_space, is_code_token, is_upper_snake, looks_like_id};
use super::text::{after, before, contains, short};
use super::fields::{humanize_code, is_field_map, summarize_fields, with_more, FORM_KEYS};
use crate::words;
use super::view::{Words, JsonView, Kind, J};

/// Keys whose string value is the error's human message, in order of preference. `error` counts
/// only when it reads as a sentence ("Not Found"), not as a code (`invalid_auth`); Reddit's
/// `explanation` comes first because its `message` only repeats the status line.
const MESSAGE_KEYS: Words = words!("explanation message detail error_description description errorMessage error_message \
    status_message errorMessages messages errorSummary faultstring msg err info error title reason error_summary");

/// Rule "message", first part: the envelope's own sentence (then the body's).
pub(crate) fn own_message<V: JsonView>(root: J<V>, env: J<V>) -> Option<String> {
    let own = |json: J<V>| MESSAGE_KEYS.iter().find_map(|k| json.get(k).and_then(|v| message_value(k, v)));
    own(env).or_else(|| if env == root { None } else { own(root) })
}

/// Rule "message", the rest: the error list's sentence, form-level messages, the field errors
/// summarized, a bare code made readable, the most informative sentence anywhere in the body.
pub(crate) fn other_message<V: JsonView>(root: J<V>, env: J<V>, fields: &[FieldError], bare_code: Option<&str>) -> Option<String> {
    errors_message(env, fields)
        .or_else(|| errors_message(root, fields))
        .or_else(|| form_message(root).or_else(|| root.get("errors").and_then(form_message)))
        .or_else(|| summarize_fields(fields))
        .or_else(|| bare_code.map(humanize_code))
        .or_else(|| deep_message(root, 0))
}

/// A message from one value: a string, a list of strings (the first, and how many more), or an
/// object holding one (`{"message": {"en": "…"}}`; a field map is read as field errors instead).
fn message_value<V: JsonView>(key: &str, value: J<V>) -> Option<String> {
    match value.kind() {
        Kind::Str => {
            let s = value.as_str()?;
            if key == "error" && is_code_token(s) {
                return None;
            }
            // Firebase's `"message": "EMAIL_EXISTS"` is a code (made readable later); after " : " a sentence.
            if key == "message" && is_upper_snake(before(s, " : ").trim()) {
                return after(s, " : ").map(short).filter(|m| !m.is_empty());
            }
            // Wise puts the token's id in `error_description`: an id is not a sentence.
            // Elasticsearch's `reason` is a sentence; Google's and Kubernetes' are codes.
            if looks_like_id(s) || (key == "reason" && !has_space(s.trim())) {
                return None;
            }
            value.as_text().map(short)
        }
        Kind::Arr => {
            let (first, count) = texts_of(value);
            Some(with_more(short(first?), count))
        }
        // Only a `message` object is a wrapped sentence (`error` and `detail` objects are
        // envelopes, read as such; a `reason` object is a tagged union), and not a field map.
        // SAP OData: `{"lang": "en", "value": "…"}`.
        Kind::Obj if key == "message" && !(is_field_map(value) || value.has("detail")) => value
            .str_of(words!("value message text"))
            .or_else(|| any_text(value))
            .map(short),
        _ => None,
    }
}

/// The first non-blank string of an object's values but its `code` and `lang`.
fn any_text<V: JsonView>(object: J<'_, V>) -> Option<&str> {
    for (key, value) in object.pairs() {
        if let Some(text) = value.as_text().filter(|_| key != "code" && key != "lang") {
            return Some(text);
        }
    }
    None
}

/// `errors` as a sentence (`{"errors": "Not Found"}`) or a list: its first error's own message,
/// when that error names no field or its message is a whole sentence ("The to email parameter is
/// required."); a fragment ("must be a positive integer") is summarized with its field instead.
fn errors_message<V: JsonView>(json: J<V>, fields: &[FieldError]) -> Option<String> {
    let errors = json.get("errors")?;
    match errors.kind() {
        Kind::Str => errors.as_text().map(short),
        Kind::Arr => {
            let first = errors.items().next()?;
            let message = list_item_message(first)?;
            // JSON:API's and Square's `detail` is written to stand alone.
            if !(fields.is_empty() || is_whole_sentence(&message) || first.has("detail")) {
                return None;
            }
            let (_, strings) = texts_of(errors);
            Some(if strings > 1 { with_more(message, strings) } else { message })
        }
        _ => None,
    }
}

/// The first non-blank string of a list, and how many it holds.
fn texts_of<V: JsonView>(list: J<'_, V>) -> (Option<&str>, usize) {
    let (mut first, mut count) = (None, 0);
    for item in list.items() {
        if let Some(text) = item.as_text() {
            first = first.or(Some(text));
            count += 1;
        }
    }
    (first, count)
}

/// Starts with a capital letter, and ends like a sentence or runs to eight words or more.
fn is_whole_sentence(text: &str) -> bool {
    // The end by its last byte: `.`, `!` and `?` are ASCII.
    text.chars().next().is_some_and(char::is_uppercase)
        && (matches!(text.as_bytes().last(), Some(b'.' | b'!' | b'?')) || text.split_whitespace().count() >= 8)
}

fn list_item_message<V: JsonView>(item: J<V>) -> Option<String> {
    // A string item is its own message (and names no keys).
    item.as_text().or_else(|| item.str_of(words!("detail message title msg description reason"))).map(short)
}

/// DRF's `non_field_errors`, Django's `__all__`, Rails' `base`.
fn form_message<V: JsonView>(map: J<V>) -> Option<String> {
    FORM_KEYS.iter().find_map(|k| map.get(k).and_then(|v| message_value(k, v)))
}

/// For a shape no rule knows: the first string under a message-like key at any depth, else the
/// longest sentence-like string. Never the raw JSON.
fn deep_message<V: JsonView>(json: J<V>, depth: usize) -> Option<String> {
    let mut best: Option<&str> = None;
    find_sentence(json, depth, &mut best).or_else(|| best.map(short))
}

fn find_sentence<'v, V: JsonView>(json: J<'v, V>, depth: usize, best: &mut Option<&'v str>) -> Option<String> {
    if depth > 6 {
        return None;
    }
    match json.kind() {
        Kind::Obj => {
            for (key, value) in json.pairs() {
                let Some(text) = value.as_text() else { continue };
                if is_message_key(key) {
                    return Some(short(text));
                }
                if is_sentence(text) && best.as_ref().is_none_or(|b| text.len() > b.len()) {
                    *best = Some(text);
                }
            }
            for (_, value) in json.pairs() {
                if let Some(found) = find_sentence(value, depth + 1, best) {
                    return Some(found);
                }
            }
            None
        }
        Kind::Arr => {
            let mut items = json.items();
            for _ in 0..16 {
                let Some(item) = items.next() else { break };
                if let Some(found) = find_sentence(item, depth + 1, best) {
                    return Some(found);
                }
            }
            None
        }
        _ => None,
    }
}

fn is_message_key(key: &str) -> bool {
    has_ignoring_case(key, "message")
        || has_ignoring_case(key, "description")
        || words!("detail msg faultstring text").iter().any(|word| key.eq_ignore_ascii_case(word))
}

/// Three words or more, with letters, and not a URL.
fn is_sentence(text: &str) -> bool {
    text.split_whitespace().count() >= 3 && has_letter(text) && !contains(text, "://")
}
