//! Field errors in every shape APIs use: pydantic `loc`, item lists with a field-ish key (Tiptree,
//! JSON:API and RFC 9457 pointers, Google `fieldViolations`, Microsoft `target`, GitHub, Spring,
//! PayPal, Square, SendGrid), and `{field: messages}` maps (DRF, Rails, Laravel, ASP.NET, Jira,
//! GitLab), nested ones included (Discord's `errors.a.0.b._errors`, DRF nested serializers).

use crate::prelude::*;

use super::body::FieldError;
use super::code::all_digits;
use super::dialect::first_at;
use super::num::format_number;
use crate::words;
use super::view::{Words, JsonView, Kind, J};
use super::text::{short, tidy, MAX_MESSAGE_CHARS};

/// Map keys that hold form-level messages, not a field's: their text is the error's message
/// (Phoenix answers `{"errors": {"detail": "Not Found"}}`).
pub(crate) const FORM_KEYS: Words = words!("non_field_errors __all__ base detail");
/// Maps nest at most this deep (Discord nests a few levels; hostile bodies nest thousands).
const MAX_MAP_DEPTH: usize = 8;
/// Field errors kept per error: enough for any form, bounded for hostile bodies.
const MAX_FIELD_ERRORS: usize = 100;

pub(crate) fn pydantic_item<V: JsonView>(item: J<V>) -> Option<FieldError> {
    let message = item.any_of(words!("msg message")).and_then(J::as_text)?;
    let field = item.get("loc").and_then(path_of).unwrap_or_default();
    let code = item.code_of(words!("type"));
    Some(FieldError { field, message: short(message), code })
}

/// A path given as a list of parts (`["body", "items", 0]`) or as one string.
fn path_of<V: JsonView>(path: J<V>) -> Option<String> {
    match path.kind() {
        Kind::Arr => {
            let mut out = String::new();
            let mut parts = 0;
            for part in path.items() {
                // Parts other than strings and numbers are left out.
                // Only a number has a number.
                let number = part.num().map(format_number);
                let Some(text) = number.as_deref().or_else(|| part.as_str()) else { continue };
                if parts > 0 {
                    out.push('.');
                }
                parts += 1;
                out.push_str(text);
            }
            Some(out)
        }
        Kind::Str => path.as_str().map(|s| s.to_string()),
        _ => None,
    }
}

/// Field errors inside `details`: Tiptree `errors[]`, Google `BadRequest.fieldViolations`, or
/// `details[]` entries that name their field (Microsoft `target`, PayPal `field`).
pub(crate) fn collect_detail_fields<V: JsonView>(details: J<V>, out: &mut Vec<FieldError>) {
    match details.kind() {
        Kind::Arr => {
            for item in details.items() {
                if let Some(violations) = item.any_of(words!("fieldViolations field_violations")) {
                    collect_field_list(violations, out);
                }
            }
            if out.is_empty() {
                collect_field_list(details, out);
            }
        }
        Kind::Obj => {
            // Kubernetes: `details.causes[{field, message, reason}]`.
            for key in words!("errors fieldViolations field_errors fields causes").iter() {
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
pub(crate) fn collect_field_list<V: JsonView>(list: J<V>, out: &mut Vec<FieldError>) {
    match list.kind() {
        Kind::Arr => {
            for item in list.items() {
                push(out, field_item(item));
            }
        }
        Kind::Obj => collect_map(list, "", 0, out),
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
fn collect_map<V: JsonView>(map: J<V>, prefix: &str, depth: usize, out: &mut Vec<FieldError>) {
    if !map.is_object() || depth > MAX_MAP_DEPTH {
        return;
    }
    for (key, value) in map.pairs() {
        if depth == 0 && FORM_KEYS.iter().any(|k| k == key) {
            continue;
        }
        // Discord's top-level `_errors` is about the whole request: no field to name.
        if key == "_errors" && prefix.is_empty() {
            continue;
        }
        let path = if key == "_errors" { prefix.to_string() } else { join(prefix, key) };
        match value.kind() {
            Kind::Obj => collect_map(value, &path, depth + 1, out),
            Kind::Arr => {
                for item in value.items() {
                    push(out, map_entry(item, &path));
                }
            }
            _ => push(out, map_entry(value, &path)),
        }
    }
}

/// A message in a map, for the field at `path`: a string, or in a list an object (Discord's
/// `{code, message}`, a nested serializer's errors). Anything else has no key and no text.
fn map_entry<V: JsonView>(item: J<V>, path: &str) -> Option<FieldError> {
    let message = item.as_text().or_else(|| item.str_of(words!("message msg detail description")))?;
    Some(FieldError { field: path.to_string(), message: short(message), code: item.code_of(words!("code")) })
}

fn join(prefix: &str, key: &str) -> String {
    let mut path = String::with_capacity(prefix.len() + 1 + key.len());
    if !prefix.is_empty() {
        path.push_str(prefix);
        path.push('.');
    }
    path.push_str(key);
    path
}

/// Whether `json` is nothing but a `{field: [messages]}` map, like DRF's and Rails' bodies:
/// every value a non-empty list of messages (or `{message}` objects), or such a map nested.
pub(crate) fn is_field_map<V: JsonView>(json: J<V>) -> bool {
    // Anything but an object shows no pairs.
    let mut any = false;
    for (_, v) in json.pairs() {
        let mut items = v.items();
        let messages = match v.kind() {
            Kind::Arr => !items.is_empty() && items.all(is_message_item),
            Kind::Obj => is_field_map(v),
            _ => false,
        };
        if !messages {
            return false;
        }
        any = true;
    }
    any
}

/// A message in a field map's list: a string, or an object with a `message` or `description`.
fn is_message_item<V: JsonView>(item: J<V>) -> bool {
    item.as_text().is_some() || item.str_of(words!("message description")).is_some()
}

/// Keys that name the field in an error item, in order of preference.
const FIELD_KEYS: Words = words!("field propertyPath param parameter property target attribute fieldName");
/// Field keys that also mean other things, read after a `path`: RFC 9457's `name` (Contentful's
/// `name` is the error's, beside a `path`) and Google's legacy `location`.
const WEAK_FIELD_KEYS: Words = words!("name location");
/// Keys that hold the human message of an error item, in order of preference.
const ITEM_MESSAGE_KEYS: Words = words!("message description defaultMessage detail msg reason title issue error");

fn field_item<V: JsonView>(item: J<V>) -> Option<FieldError> {
    if item.has("loc") {
        return pydantic_item(item);
    }
    let pointer = first_at(item, item, words!("r:pointer r:source.pointer"))
        .and_then(J::as_text)
        .map(pointer_to_dotted)
        // The root pointer "" names the whole document, not a field.
        .filter(|f| !f.is_empty());
    // A list of parts or a non-blank string; read only when it names the field.
    let path = item.get("path").filter(|p| p.is_array() || p.as_text().is_some());
    let named = item.str_of(FIELD_KEYS);
    let from_path = path.is_some() && named.is_none() && pointer.is_none();
    // Google's legacy `location` names a parameter, or the header a credential was missing from;
    // a not-found names the missing thing, not an invalid field (YouTube's `videoNotFound`).
    let header = item.str_of(words!("locationType")).is_some_and(|t| t == "header");
    let not_found = item.str_of(words!("reason code")).is_some_and(|r| ends_with_ignoring_case(r, "notfound"));
    let weak = if header || not_found { words!("name") } else { WEAK_FIELD_KEYS };
    let field = match (named.filter(|f| !all_digits(f)), pointer) {
        (Some(name), _) => field_path(name),
        (None, Some(pointer)) => pointer,
        (None, None) => match (item.get("source").and_then(|s| s.str_of(words!("parameter header"))), path) {
            (Some(parameter), _) => parameter.to_string(),
            (None, Some(path)) => path.as_text().map_or_else(|| path_of(path).unwrap_or_default(), field_path),
            (None, None) => field_path(item.str_of(weak)?),
        },
    };
    let message_text = ITEM_MESSAGE_KEYS.iter().find_map(|k| item.get(k).and_then(J::as_text).map(|t| (k, t)));
    // `reason` is Google's code beside a `description`, but RFC 9457's message when alone.
    let code_keys = if message_text.as_ref().is_some_and(|(k, _)| *k == "reason") { words!("code issue errorType") } else { words!("code issue reason errorType") };
    // Beside a `path`, Contentful's `name` ("taken") is the code.
    let code = item
        .code_of(code_keys)
        .or_else(|| from_path.then(|| item.str_of(words!("name")).map(|n| n.to_string())).flatten());
    // GitHub's `{resource, field, code: "missing_field"}` has no message: the code says it.
    let message = match message_text {
        Some((_, text)) => short(text),
        None => humanize_code(code.as_deref()?),
    };
    Some(FieldError { field, message, code })
}

/// Whether `text` ends with `suffix` (lower-case ASCII), ignoring ASCII case.
fn ends_with_ignoring_case(text: &str, suffix: &str) -> bool {
    text.len().checked_sub(suffix.len()).and_then(|at| text.as_bytes().get(at..)).is_some_and(|end| end.eq_ignore_ascii_case(suffix.as_bytes()))
}

/// A field name as given, or a JSON pointer (`/purchase_units/0/amount`) as a dotted path.
fn field_path(name: &str) -> String {
    if name.starts_with('/') {
        pointer_to_dotted(name)
    } else {
        name.to_string()
    }
}

/// `/data/attributes/title` → `data.attributes.title`, with `~1` → `/` and `~0` → `~` (one pass
/// gives RFC 6901's order: no `~1` turns into a `~0`).
pub fn pointer_to_dotted(pointer: &str) -> String {
    let pointer = pointer.strip_prefix('#').unwrap_or(pointer);
    let mut out = String::with_capacity(pointer.len());
    let mut segment_empty = true;
    let mut chars = pointer.chars();
    while let Some(c) = chars.next() {
        if c == '/' {
            segment_empty = true;
            continue;
        }
        // Empty segments are left out; a segment's first character brings its dot.
        if segment_empty && !out.is_empty() {
            out.push('.');
        }
        segment_empty = false;
        let unescaped = match (c, chars.clone().next()) {
            ('~', Some('1')) => '/',
            ('~', Some('0')) => '~',
            _ => {
                out.push(c);
                continue;
            }
        };
        chars.next();
        out.push(unescaped);
    }
    out
}

/// One sentence naming the invalid fields: "body.email: field required (and 1 more)".
pub(crate) fn summarize_fields(fields: &[FieldError]) -> Option<String> {
    let first = fields.first()?;
    let mut head = String::new();
    if !first.field.is_empty() {
        head.push_str(&first.field);
        head.push_str(": ");
    }
    head.push_str(&first.message);
    Some(with_more(head, fields.len()))
}

/// `text`, followed by " (and N more)" when it stands for `count` items.
pub(crate) fn with_more(mut text: String, count: usize) -> String {
    if count > 1 {
        text.push_str(" (and ");
        super::num::push_int(&mut text, (count - 1) as u64);
        text.push_str(" more)");
    }
    tidy(&text, MAX_MESSAGE_CHARS)
}

/// `rate_limit_exceeded` → "Rate limit exceeded".
pub(crate) fn humanize_code(code: &str) -> String {
    let mut words = String::new();
    for c in code.trim().chars() {
        words.push(if c == '_' || c == '-' { ' ' } else { c.to_ascii_lowercase() });
    }
    if let Some(first) = words.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    tidy(&words, MAX_MESSAGE_CHARS)
}

