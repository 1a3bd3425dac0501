//! The normalized error: one shape for every failure, whatever the API's dialect.

use crate::prelude::*;

use super::body::{is_graphql_error, read_body, BodyFacts, FieldError};
use super::headers::{self, clamp_delay, delay_until, reset_to_epoch_ms, HeaderSource, RateLimit};
use super::policy::{is_retryable, Failure, RetryConfig};
use super::signals::{is_exhausted_code, is_throttling_code, short_type_name};
use super::kind::{reason_phrase, ErrorKind};
use super::text::{after_byte, trim_start, before, contains, contains_ci, excerpt, find, pieces, search, tidy, MAX_BODY_EXCERPT_BYTES, MAX_MESSAGE_CHARS};
use super::view::{JsonView, J};

/// Everything known about one failure, ready to become a JS error object. `D` is how the
/// platform holds `details`: a node of the body's JSON view, the browser's own JS object.
#[derive(Debug, Clone, PartialEq)]
pub struct Normalized<D> {
    /// Which class the error becomes.
    pub kind: ErrorKind,
    /// HTTP status, when there was a response.
    pub status: Option<u16>,
    /// The API's machine code, else a default per kind/status.
    pub code: String,
    /// A short human sentence.
    pub message: String,
    /// The API's extra information, untouched: a value of the body itself.
    pub details: Option<D>,
    /// Invalid fields with dotted paths.
    pub field_errors: Vec<FieldError>,
    /// The request id the server gave.
    pub request_id: Option<String>,
    /// How long the server asked us to wait, in ms.
    pub retry_after_ms: Option<u64>,
    /// Rate-limit state from headers or body.
    pub rate_limit: Option<RateLimit>,
    /// `x-should-retry` from the server.
    pub should_retry: Option<bool>,
    /// The body's first bytes, for logs.
    pub body_text: Option<String>,
}

impl<D> Normalized<D> {
    /// The failure as the retry policy sees it.
    pub fn failure(&self) -> Failure {
        Failure { kind: self.kind, status: self.status, should_retry: self.should_retry, hint_ms: self.retry_after_ms }
    }

    /// Whether steadfetch would retry this failure for a GET under `config` (ignoring attempt
    /// counts, waits and deadlines): the `retryable` field of the error.
    pub fn retryable(&self, config: &RetryConfig, method: &str, has_idempotency_key: bool) -> bool {
        is_retryable(config, &self.failure(), method, has_idempotency_key)
    }

    /// A failure without a usable response (network, timeout, abort, parse).
    pub fn without_response(kind: ErrorKind, message: &str) -> Normalized<D> {
        Normalized {
            kind,
            status: None,
            code: kind.default_code(None),
            message: tidy(message, MAX_MESSAGE_CHARS),
            details: None,
            field_errors: Vec::new(),
            request_id: None,
            retry_after_ms: None,
            rate_limit: None,
            should_retry: None,
            body_text: None,
        }
    }

    /// The same error with its `details` turned into another platform's value.
    pub fn map_details<E>(self, f: impl FnOnce(D) -> E) -> Normalized<E> {
        Normalized {
            kind: self.kind,
            status: self.status,
            code: self.code,
            message: self.message,
            details: self.details.map(f),
            field_errors: self.field_errors,
            request_id: self.request_id,
            retry_after_ms: self.retry_after_ms,
            rate_limit: self.rate_limit,
            should_retry: self.should_retry,
            body_text: self.body_text,
        }
    }
}

/// The whole pipeline for hosts that hold the body as text (tests, fuzz targets, benchmarks): the
/// browser shell's rule for which bodies are JSON, `parse` as the platform's JSON parser, then
/// [`normalize`] over the parsed tree. The shell itself parses with the page's `JSON.parse`.
#[cfg(any(feature = "std", not(target_arch = "wasm32")))]
pub fn normalize_text(
    status: u16,
    headers: &[(String, String)],
    text: &str,
    parse: &dyn Fn(&str) -> Option<super::json::Json>,
    now_ms: f64,
    request_id_headers: &[String],
) -> Normalized<super::json::Json> {
    let content_type = headers.header("content-type").unwrap_or_default();
    // fetch's text() drops a UTF-8 byte-order mark (Authorize.net sends one): so do hosts.
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let parsed = if super::body::should_parse_json(text, &content_type) { parse(text) } else { None };
    let doc = parsed.as_ref().map(super::json::JsonDoc);
    let names = request_id_headers.join(" ");
    normalize(status, headers, doc.as_ref(), text, now_ms, &names).map_details(|node| node.0.clone())
}

/// The one entry to the normalizer: an error response (or a 2xx body that reports an error) as
/// one normalized error. `body` is the parsed JSON body, read through a view (`None` when the
/// body is not JSON or did not parse); `text` is the body text (its head is enough: readers stop
/// at 64 KiB, `bodyText` keeps 8 KiB); `now_ms` is the clock HTTP-dates and resets are read
/// against; `request_id_headers` the lowercase header names that may carry a request id, separated
/// by spaces (as [`headers::DEFAULT_REQUEST_ID_HEADERS`]: a call that keeps the default allocates no list).
pub fn normalize<V: JsonView, H: HeaderSource + ?Sized>(
    status: u16,
    headers: &H,
    body: Option<&V>,
    text: &str,
    now_ms: f64,
    request_id_headers: &str,
) -> Normalized<V::Node> {
    // Read without case (src/core/text.rs `contains_ci`).
    let content_type = headers.header("content-type").unwrap_or_default();
    // AWS REST-JSON services may name the error only in this header.
    let type_header = headers.header("x-amzn-errortype");
    let mut facts = read_body(text, body, &content_type, status, type_header.as_deref());
    if facts.code.is_none() {
        facts.code = type_header.as_deref().map(short_type_name).filter(|t| !t.is_empty()).map(str::to_string);
    }
    if facts.code.is_none() || facts.message.is_none() {
        read_www_authenticate(headers, &mut facts);
    }
    if let Some(code) = facts.code.as_deref() {
        facts.throttled |= is_throttling_code(code);
        facts.exhausted |= is_exhausted_code(code);
    }
    let rate_limit = merge_rate_limit(headers::rate_limit(headers, now_ms), facts.rate_limit, now_ms);
    let kind = kind_of(status, &facts, rate_limit.as_ref(), headers);
    if kind == ErrorKind::RateLimited {
        // A rate limit is about the caller's pace, not about fields (Azure lists throttled
        // operation groups as `details[].target`).
        facts.field_errors.clear();
    }
    let retry_after_ms = headers::retry_after_ms(headers, now_ms)
        .or_else(|| reset_hint(kind, rate_limit.as_ref(), now_ms))
        .or_else(|| facts.retry_after_ms.map(clamp_delay));
    let message = facts.message.filter(|m| !m.trim().is_empty()).unwrap_or_else(|| fallback_message(status));
    let body_text = (!text.is_empty()).then(|| excerpt(text, MAX_BODY_EXCERPT_BYTES).to_string());
    // The server's explicit word wins; an exhausted quota is final even on a 429.
    let should_retry = headers::should_retry(headers).or_else(|| facts.exhausted.then_some(false)).or(facts.retryable);
    Normalized {
        kind,
        status: Some(status),
        code: facts.code.map(|c| tidy(&c, 100)).filter(|c| !c.is_empty()).unwrap_or_else(|| kind.default_code(Some(status))),
        message,
        details: facts.details,
        field_errors: facts.field_errors,
        request_id: headers::request_id(headers, request_id_headers).or(facts.request_id),
        retry_after_ms,
        rate_limit,
        should_retry,
        body_text,
    }
}

/// The kind by status, corrected by what the response says: a throttled 400/403/503 is a rate
/// limit (AWS and Google answer throttling with 400 and 403, GitHub with 403 and remaining 0, S3
/// with a 503 `SlowDown`); a 400, the generic client error of AWS's and GraphQL's protocols, or a
/// status without a kind takes the kind its code names; an unknown status with field errors is
/// a validation error.
fn kind_of<N, H: HeaderSource + ?Sized>(status: u16, facts: &BodyFacts<N>, rate_limit: Option<&RateLimit>, headers: &H) -> ErrorKind {
    let kind = ErrorKind::from_status(status);
    let says_rate_limit = || {
        let message = facts.message.as_deref().unwrap_or("");
        pieces("rate limit|request limit|too many requests", b'|').any(|p| contains_ci(message, p))
    };
    // The chosen code first, then any other code-like string of the envelope (Facebook's
    // `type: OAuthException` beside a numeric `code`).
    let by_code = || code_kind(facts.code.as_deref()).or(facts.kind_hint);
    let throttled = facts.throttled
        || facts.exhausted
        || (status == 403 && (rate_limit.is_some_and(|rl| rl.remaining == Some(0.0)) || headers.header("retry-after").is_some()))
        // WhatsApp's 400 "(#130429) Rate limit hit", GitHub's 403 "API rate limit exceeded".
        || (matches!(status, 400 | 403) && says_rate_limit());
    match kind {
        ErrorKind::BadRequest | ErrorKind::PermissionDenied | ErrorKind::Unavailable if throttled => ErrorKind::RateLimited,
        // ElevenLabs answers spent credits with a 401 `quota_exceeded`.
        ErrorKind::Authentication if facts.exhausted => ErrorKind::RateLimited,
        // Dropbox answers every endpoint error with 409: `path/not_found` is still a 404.
        ErrorKind::BadRequest | ErrorKind::Conflict => by_code().unwrap_or(kind),
        // Twitter's 420 and Binance's 418 ban are rate limits that name a wait.
        ErrorKind::Unknown if facts.throttled || (status >= 400 && headers.header("retry-after").is_some()) => ErrorKind::RateLimited,
        ErrorKind::Unknown => by_code()
            .or_else(|| facts.status_hint.map(ErrorKind::from_status))
            .unwrap_or(if facts.field_errors.is_empty() { ErrorKind::Unknown } else { ErrorKind::Validation }),
        other => other,
    }
}

/// RFC 6750: a bearer-token error may come only as `WWW-Authenticate: Bearer error="…",
/// error_description="…"`, with an empty body.
fn read_www_authenticate<N, H: HeaderSource + ?Sized>(headers: &H, facts: &mut BodyFacts<N>) {
    let Some(value) = headers.header("www-authenticate") else { return };
    if facts.code.is_none() {
        facts.code = auth_param(&value, "error").filter(|c| !contains(c, " ")).map(str::to_string);
    }
    if facts.message.is_none() {
        facts.message = auth_param(&value, "error_description").map(|m| tidy(m, MAX_MESSAGE_CHARS));
    }
}

/// The value of `name="…"` (or `name=token`) in a challenge's parameters.
fn auth_param<'a>(value: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = value;
    loop {
        let at = find(rest, name)?;
        // The last byte of the character before: a wider character matches none of these.
        let previous = at.checked_sub(1).and_then(|i| rest.as_bytes().get(i));
        rest = rest.get(at + name.len()..)?;
        let Some(after) = after_byte(trim_start(rest), b'=').filter(|_| matches!(previous, None | Some(b' ' | b',' | b'\t'))) else { continue };
        let after = trim_start(after);
        let text = match after_byte(after, b'"') {
            Some(quoted) => before(quoted, "\""),
            // A token ends at the first comma or space.
            None => before(before(after, ","), " "),
        };
        let text = text.trim();
        return (!text.is_empty()).then_some(text);
    }
}

/// Whether a successful (2xx) JSON body still reports an error (GraphQL `errors[]`).
pub fn success_body_is_error<V: JsonView>(body: &V) -> bool {
    is_graphql_error(J::root(body))
}

/// "HTTP 404 Not Found".
fn fallback_message(status: u16) -> String {
    let mut message = String::from("HTTP ");
    super::num::push_int(&mut message, u64::from(status));
    message.push(' ');
    message.push_str(reason_phrase(status));
    message
}

/// The kind a code names, for responses whose status does not say (a 2xx GraphQL error, a 400
/// from AWS's JSON and query protocols, Slack's `ok: false`). Compared without case, `_` or `-`
/// (Apollo writes UPPER_SNAKE, Hasura kebab-case, AWS CamelCase).
pub(crate) fn code_kind(code: Option<&str>) -> Option<ErrorKind> {
    let mut folded = Vec::new();
    for b in code?.bytes() {
        if !matches!(b, b'_' | b'-' | b' ') {
            folded.push(b.to_ascii_lowercase());
        }
    }
    let folded = if folded.ends_with(b"exception") { folded.get(..folded.len() - 9).unwrap_or(&[]) } else { &folded };
    if folded.ends_with(b"notfound") || folded.starts_with(b"nosuch") {
        return Some(ErrorKind::NotFound);
    }
    // `EMAIL_EXISTS`, `AlreadyExists`, AWS's `ResourceAlreadyExistsException`.
    if folded.ends_with(b"exists") && search(folded, b"not", false).is_none() {
        return Some(ErrorKind::Conflict);
    }
    // One string of words, a group per kind (in `KINDS`' order): smaller in the wasm than a match
    // over each string or a table of pointers.
    const KINDS: [ErrorKind; 6] = [
        ErrorKind::Authentication,
        ErrorKind::PermissionDenied,
        ErrorKind::Validation,
        ErrorKind::BadRequest,
        ErrorKind::Conflict,
        ErrorKind::Server,
    ];
    // A query that fails the schema is a bad request; bad argument values are validation.
    const WORDS: &str = "unauthenticated unauthorized authenticationerror invalidjwt jwtexpired invalidheaders apikeyinvalid \
        invalidapikey unrecognizedclient invalidsignature expiredtoken invalidtoken invalidclienttokenid authfailure invalidauth \
        notauthed tokenexpired|forbidden accessdenied permissiondenied permissionerror requestdenied|baduserinput validationfailed|\
        graphqlparsefailed graphqlvalidationfailed badrequest parsefailed invalidrequest|constraintviolation conflict|\
        internalservererror internalerror unexpected remoteschemaerror";
    // Split by a byte scan (`pieces`), where `str::split(' ')` runs a char searcher per word.
    for (i, group) in pieces(WORDS, b'|').enumerate() {
        for word in pieces(group, b' ') {
            if word.as_bytes() == folded {
                return KINDS.get(i).copied();
            }
        }
    }
    None
}

/// Header values win; the body's `rate_limit` block fills what headers left out.
fn merge_rate_limit(
    from_headers: RateLimit,
    from_body: Option<(Option<f64>, Option<f64>, Option<f64>)>,
    now_ms: f64,
) -> Option<RateLimit> {
    let (limit, remaining, reset) = from_body.unwrap_or((None, None, None));
    let merged = RateLimit {
        limit: from_headers.limit.or(limit),
        remaining: from_headers.remaining.or(remaining),
        reset_at_ms: from_headers.reset_at_ms.or_else(|| reset.map(|r| reset_to_epoch_ms(r, now_ms))),
    };
    (!merged.is_empty()).then_some(merged)
}

/// When a 429 (or an exhausted window) names a future reset but no Retry-After, wait until then.
fn reset_hint(kind: ErrorKind, rate_limit: Option<&RateLimit>, now_ms: f64) -> Option<u64> {
    let rl = rate_limit?;
    let exhausted = kind == ErrorKind::RateLimited || rl.remaining == Some(0.0);
    if !exhausted {
        return None;
    }
    delay_until(rl.reset_at_ms?, now_ms)
}
