//! The body as the normalizer sees it, and which reader takes it: JSON (src/core/dialect.rs),
//! HTML pages, XML documents (src/core/xml.rs), text that only looks like JSON, plain text.

use crate::prelude::*;

use super::view::{JsonView, J};
use super::text::{after_byte, trim_start, contains, contains_ci, html_summary, looks_like_html, position, short, text_summary};

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

/// What a body says about the error, whatever its dialect. `N` is the JSON view's node type.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyFacts<N> {
    /// The API's machine code.
    pub code: Option<String>,
    /// A short human sentence.
    pub message: Option<String>,
    /// The API's extra information, untouched: a value of the body.
    pub details: Option<N>,
    /// Invalid fields.
    pub field_errors: Vec<FieldError>,
    /// A rate-limit block in the body (Tiptree's `details.rate_limit`): limit, remaining, reset.
    pub rate_limit: Option<(Option<f64>, Option<f64>, Option<f64>)>,
    /// A wait the body asks for, in ms (Google `RetryInfo`, Discord `retry_after`).
    pub retry_after_ms: Option<f64>,
    /// A request id the body carries.
    pub request_id: Option<String>,
    /// A code says the request was throttled.
    pub throttled: bool,
    /// A code says a quota or the billing is exhausted.
    pub exhausted: bool,
    /// The HTTP status a GraphQL error names in its `extensions` (the response itself is a 200).
    pub status_hint: Option<u16>,
    /// The kind one of the envelope's other code-like strings names (`type`, `reason`, …).
    pub kind_hint: Option<super::kind::ErrorKind>,
    /// The body's own word on retrying (Facebook's `is_transient`, Cloudflare's `retryable`).
    pub retryable: Option<bool>,
}

impl<N> Default for BodyFacts<N> {
    fn default() -> Self {
        BodyFacts {
            code: None,
            message: None,
            details: None,
            field_errors: Vec::new(),
            rate_limit: None,
            retry_after_ms: None,
            request_id: None,
            throttled: false,
            exhausted: false,
            status_hint: None,
            kind_hint: None,
            retryable: None,
        }
    }
}

/// Reads an error body in any known dialect. `type_header` is AWS's `x-amzn-ErrorType`.
/// `text` is the body (its head), `parsed` the JSON it parsed as, if any: an empty body says
/// nothing, a parsed one goes to the JSON reader, any other text to the reader it looks like.
pub fn read_body<V: JsonView>(text: &str, parsed: Option<&V>, content_type: &str, status: u16, type_header: Option<&str>) -> BodyFacts<V::Node> {
    // The text readers fill in one `BodyFacts`: no struct built per reader.
    let mut facts = BodyFacts::default();
    if text.is_empty() {
        // Nothing to read.
    } else if let Some(view) = parsed {
        return super::dialect::read_json(J::root(view), status, type_header);
    } else if looks_like_html(text, content_type) && position(text, b'<').is_some() {
        // A text/html body without a single tag is plain text (Slack's webhooks answer so).
        facts.message = html_summary(text);
    } else if super::xml::looks_like_xml(text, content_type) {
        super::xml::read_xml(text, &mut facts);
    } else if looks_like_json(text) {
        salvage_broken_json(text, &mut facts);
    } else {
        plain_text(text, &mut facts);
    }
    facts
}

/// A plain-text body: its first line, or a bare code such as Slack's `invalid_payload`, which
/// also makes the message readable.
fn plain_text<N>(text: &str, facts: &mut BodyFacts<N>) {
    let trimmed = text.trim();
    if super::code::is_code_token(trimmed) && super::code::has_joiner(trimmed) {
        facts.code = Some(trimmed.to_string());
        facts.message = Some(super::fields::humanize_code(trimmed));
    } else {
        facts.message = text_summary(text);
    }
}

/// Whether an error body should go through the JSON parser: a JSON content type, or text that
/// starts like an object or array. Shared by the browser and the host so both parse the same bodies.
pub fn should_parse_json(text: &str, content_type: &str) -> bool {
    is_json_content_type(content_type) || looks_like_json(text)
}

/// `application/json`, `application/problem+json`, `application/vnd.api+json`, …
pub fn is_json_content_type(content_type: &str) -> bool {
    contains_ci(content_type, "/json") || contains_ci(content_type, "+json")
}

fn looks_like_json(text: &str) -> bool {
    matches!(trim_start(text).bytes().next(), Some(b'{') | Some(b'['))
}

/// A body that starts like JSON but does not parse (a comment, a truncation): pick out its
/// `"code"` and `"message"` strings rather than echo the broken text as the message.
fn salvage_broken_json<N>(text: &str, facts: &mut BodyFacts<N>) {
    let text = super::text::excerpt(text, 16 * 1024);
    facts.code = quoted_value(text, "\"code\"").filter(|c| !contains(c, " "));
    facts.message = quoted_value(text, "\"message\"").or_else(|| quoted_value(text, "\"detail\"")).map(|m| short(&m));
}

/// The string after the first `key` (quoted) and a colon in `text`, without unescaping beyond
/// dropping each backslash.
fn quoted_value(text: &str, key: &str) -> Option<String> {
    let after_key = super::text::after(text, key)?;
    let after_colon = after_byte(trim_start(after_byte(trim_start(after_key), b':')?), b'"')?;
    let mut out = Vec::new();
    let mut escaped = false;
    for &b in after_colon.as_bytes() {
        match (escaped, b) {
            (false, b'\\') => escaped = true,
            (false, b'"') => {
                // SAFETY: `out` is UTF-8 text less some ASCII backslashes, which leaves it UTF-8.
                let out = unsafe { String::from_utf8_unchecked(out) };
                return (!out.trim().is_empty()).then_some(out);
            }
            _ => {
                out.push(b);
                escaped = false;
            }
        }
    }
    None
}

/// Whether a 2xx JSON body is really a GraphQL error response.
pub fn is_graphql_error<V: JsonView>(json: J<V>) -> bool {
    let Some(errors) = json.get("errors").and_then(J::array) else { return false };
    let has = |e: J<V>, keys: &[&str]| keys.iter().any(|k| e.has(k));
    // A GraphQL `path` is a list (`["me", 0]`); Wise's string `path` names an input field.
    let graphql_path = |e: J<V>| e.get("path").is_some_and(J::is_array);
    !errors.is_empty()
        && errors.clone().all(|e| e.has("message") && !has(e, &["field", "source", "pointer"]))
        // GitHub's GraphQL API answers a rate limit with only `errors[{type, message}]`.
        && (json.has("data") || errors.clone().any(|e| graphql_path(e) || has(e, &["locations", "extensions", "type"])))
}


