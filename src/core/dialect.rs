//! Reading a JSON error body with a few named rules instead of one parser per API. Each rule lists,
//! in order, the places real APIs put one fact; the first place that holds it wins. The corpus in
//! tests/fixtures/realworld/ (its README states the promises) has cases for every rule.

use crate::prelude::*;

use super::body::{is_graphql_error, BodyFacts, FieldError};
use super::fields::{collect_detail_fields, collect_field_list, is_field_map, pydantic_item};
use super::message::{other_message, own_message};
use super::hints::{rate_limit_block, request_id_of, retry_delay_ms};
use crate::words;
use super::view::{Words, JsonView, Kind, J};
use super::signals::CodeSignals;
use super::code::{code_of, is_problem, ENV};
use super::text::{short, text_summary};

/// Lists that hold field errors, on the envelope or the body.
const FIELD_LISTS: Words = words!("errors invalid-params invalid_params invalid_parameters violations fieldErrors field_errors validationErrors fields invalidFields");
/// Keys that make a body an envelope rather than a bare `{field: [messages]}` map.
const ENVELOPE_KEYS: Words = words!("errors errorMessages message detail error meta");

/// Reads a parsed JSON error body. `type_header` is AWS's `x-amzn-ErrorType`, the code of
/// REST-JSON services whose body may not name it.
pub(crate) fn read_json<'v, V: JsonView>(root: J<'v, V>, status: u16, type_header: Option<&'v str>) -> BodyFacts<V::Node> {
    let mut facts = BodyFacts::default();
    match root.kind() {
        // Some APIs answer with a bare list of errors: the first one speaks for all.
        Kind::Arr => {
            if let Some(item) = root.items().next() {
                return read_json(item, status, type_header);
            }
        }
        Kind::Str => facts.message = root.as_str().and_then(text_summary),
        Kind::Obj => read_object(root, status, type_header, &mut facts),
        _ => {}
    }
    facts
}

/// [`read_json`] for an object, the usual shape.
fn read_object<'v, V: JsonView>(root: J<'v, V>, status: u16, type_header: Option<&'v str>, facts: &mut BodyFacts<V::Node>) {
    let env = root.with(envelope(root));
    // DRF and Rails answer with nothing but `{field: [messages]}`: no key of it is a message.
    let bare_map = is_field_map(root) && !ENVELOPE_KEYS.iter().any(|k| root.has(k));
    let own = if bare_map { None } else { own_message(root, env) };
    let field_errors = field_errors(root, env, bare_map, own.as_deref());
    let code = code_of(root, env, status, type_header, own.is_some());
    let signals = CodeSignals::of(env);
    // A shape no rule knows keeps the whole body as `details`.
    let unknown_shape = code.is_none() && own.is_none() && field_errors.is_empty();
    // One write of the whole: field by field, each old value would be dropped on its own.
    *facts = BodyFacts {
        details: details_of(root, env).or_else(|| unknown_shape.then_some(root)).map(|d| d.node),
        message: own.or_else(|| other_message(root, env, &field_errors, code.as_ref().filter(|c| c.bare).map(|c| c.text.as_str()))),
        code: code.map(|c| c.text),
        field_errors,
        rate_limit: env.path("details.rate_limit").map(rate_limit_block),
        retry_after_ms: retry_delay_ms(root, env),
        request_id: request_id_of(root, env),
        throttled: signals.throttled,
        exhausted: signals.exhausted,
        status_hint: extension_status(root),
        kind_hint: signals.kind,
        retryable: retryable(root, env),
    };
}

/// The body's own word on retrying: Facebook's `is_transient`, Cloudflare's `retryable`.
fn retryable<V: JsonView>(root: J<V>, env: J<V>) -> Option<bool> {
    for key in words!("is_transient isTransient retryable isRetryable").iter() {
        if let Some(word) = env.get(key).or_else(|| root.get(key)).and_then(J::as_bool) {
            return Some(word);
        }
    }
    None
}

/// The first value present at one of `places`, a [`Words`] list of `base:path`: a base (`e` the
/// envelope, else the body) and a key path as [`J::path`] reads it (`r:parameters.retry_after`).
#[inline(always)]
pub(crate) fn first_at<'v, V: JsonView>(root: J<'v, V>, env: J<'v, V>, places: Words) -> Option<J<'v, V>> {
    root.found(first_node(root, env, places))
}

/// [`first_at`] as a plain handle (absent when none): it crosses in a register.
fn first_node<V: JsonView>(root: J<'_, V>, env: J<'_, V>, places: Words) -> V::Node {
    for place in places.iter() {
        let node = place_node(root, env, place);
        if node != root.view.absent() {
            return node;
        }
    }
    root.view.absent()
}

/// The value at one `base:path` place (see [`first_at`]).
#[inline(always)]
pub(crate) fn at_place<'v, V: JsonView>(root: J<'v, V>, env: J<'v, V>, place: &str) -> Option<J<'v, V>> {
    root.found(place_node(root, env, place))
}

fn place_node<V: JsonView>(root: J<'_, V>, env: J<'_, V>, place: &str) -> V::Node {
    let base = if place.as_bytes().first() == Some(&ENV) { env } else { root };
    base.path_node(place.get(2..).unwrap_or(""))
}

/// GraphQL servers answer 200 and may name the status in the first error's `extensions`
/// (`status_code` on monday.com, `http.status` on Apollo).
fn extension_status<V: JsonView>(root: J<V>) -> Option<u16> {
    let ext = root.path("errors.0.extensions")?;
    let status = first_at(ext, ext, words!("r:status_code r:statusCode r:status r:http.status"))?;
    status.as_number().filter(|n| (400.0..600.0).contains(n)).map(|n| n as u16)
}

/// The object that holds the error: `{"error": {...}}` in every casing, FastAPI's
/// `{"detail": {...}}` (an `HTTPException` raised with a dict), else the body itself.
/// A plain handle: it crosses in a register.
fn envelope<V: JsonView>(root: J<'_, V>) -> V::Node {
    // Customer.io answers `{"meta": {"error": "…"}}`.
    let error = root.any_of(words!("error fault")).or_else(|| root.get("meta").filter(|m| m.any_of(words!("error errors")).is_some()));
    let outer = error.filter(|e| e.is_object()).or_else(|| root.get("detail").filter(|d| d.is_object())).unwrap_or(root);
    // QuickBooks: `{"Fault": {"Error": [{"Message", "code"}]}}`: the first error speaks.
    if outer != root {
        if let Some(first) = outer.path("error.0").filter(|f| f.is_object()) {
            return first.node;
        }
    }
    outer.node
}

/// Rule "field errors": pydantic's `detail[]` (also inside a `message` object, as Mistral nests
/// it), then the field lists and maps of the envelope and the body, Google/Microsoft `details`, a
/// map that is the whole `message` (GitLab), envelope (DRF's `detail`) or body (DRF, Rails), and
/// last a lone `param` (Stripe, OpenAI) or `target` (Microsoft).
fn field_errors<V: JsonView>(root: J<V>, env: J<V>, bare_map: bool, own: Option<&str>) -> Vec<FieldError> {
    let mut out = Vec::new();
    if let Some(list) = first_at(root, env, words!("r:detail e:message.detail")) {
        // The items of anything but an array are none.
        for item in list.items() {
            if let Some(error) = pydantic_item(item) {
                out.push(error);
            }
        }
    }
    // The envelope's lists, then the body's (when the body is the envelope, the second pass finds
    // what the first found: nothing).
    if out.is_empty() && !is_graphql_error(root) {
        field_lists(env, &mut out);
        field_lists(root, &mut out);
    }
    if out.is_empty() {
        if let Some(details) = env.get("details") {
            collect_detail_fields(details, &mut out);
        }
    }
    if out.is_empty() {
        // `bare_map` says the body is a field map.
        let map = env.get("message").filter(|m| is_field_map(*m)).or_else(|| (env != root && is_field_map(env)).then_some(env)).or_else(|| bare_map.then_some(root));
        if let Some(map) = map {
            collect_field_list(map, &mut out);
        }
    }
    if out.is_empty() {
        if let Some(error) = lone_field(env) {
            out.push(error);
        }
    }
    if let Some(message) = own.filter(|_| out.is_empty()) {
        named_fields(env, message, &mut out);
    }
    out
}

/// The first of [`FIELD_LISTS`] in `holder` that holds field errors, unless `out` has some.
fn field_lists<V: JsonView>(holder: J<V>, out: &mut Vec<FieldError>) {
    for key in FIELD_LISTS.iter() {
        if !out.is_empty() {
            return;
        }
        if let Some(list) = holder.get(key) {
            collect_field_list(list, out);
        }
    }
}

/// Reddit's and Salesforce's `fields: ["title"]`: the error's own message, on each field named.
fn named_fields<V: JsonView>(env: J<V>, message: &str, out: &mut Vec<FieldError>) {
    let Some(names) = env.get("fields").filter(|f| f.is_array()) else { return };
    let code = env.code_of(words!("reason code errorCode"));
    for name in names.items() {
        if out.len() == 100 {
            break;
        }
        if let Some(name) = name.as_text() {
            out.push(FieldError { field: name.to_string(), message: message.to_string(), code: code.clone() });
        }
    }
}

/// Stripe's and OpenAI's `param`, Microsoft's `target`: the one field the whole error is about.
fn lone_field<V: JsonView>(env: J<V>) -> Option<FieldError> {
    let field = env.str_of(words!("param target field"))?;
    let message = env.str_of(words!("message description detail")).map(short)?;
    let code = env.code_of(words!("code"));
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

