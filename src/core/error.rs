//! The normalized error: one shape for every failure, whatever the API's dialect.

use super::body::{is_graphql_error, read_body, Body, BodyFacts, FieldError};
use super::headers::{self, clamp_delay, delay_until, reset_to_epoch_ms, HeaderSource, RateLimit};
use super::policy::{is_retryable, Failure, RetryConfig};
use super::signals::short_type_name;
use super::json::Json;
use super::kind::{reason_phrase, ErrorKind};
use super::text::{excerpt, tidy, MAX_BODY_EXCERPT_BYTES, MAX_MESSAGE_CHARS};

/// Everything known about one failure, ready to become a JS error object.
#[derive(Debug, Clone, PartialEq)]
pub struct Normalized {
    /// Which class the error becomes.
    pub kind: ErrorKind,
    /// HTTP status, when there was a response.
    pub status: Option<u16>,
    /// The API's machine code, else a default per kind/status.
    pub code: String,
    /// A short human sentence.
    pub message: String,
    /// The API's extra information, untouched.
    pub details: Option<Json>,
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

/// A response as the normalizer needs it.
pub struct ResponseParts<'a, H: HeaderSource + ?Sized> {
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: &'a H,
    /// The body, parsed or not.
    pub body: Body<'a>,
    /// The raw body text, for `bodyText`.
    pub raw_text: &'a str,
    /// Current time in epoch ms (HTTP-dates and resets are relative to it).
    pub now_ms: f64,
    /// Request-id header names to look up, lowercase.
    pub request_id_headers: &'a [String],
}

impl Normalized {
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
    pub fn without_response(kind: ErrorKind, message: &str) -> Normalized {
        Normalized {
            kind,
            status: None,
            code: kind.default_code(None).to_string(),
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
}

/// Normalizes an error response (or a 2xx body that reports an error).
pub fn normalize_response<H: HeaderSource + ?Sized>(parts: &ResponseParts<H>) -> Normalized {
    let headers = parts.headers;
    let content_type = headers.header("content-type").unwrap_or_default().to_ascii_lowercase();
    let mut facts = read_body(parts.body, &content_type, parts.status);
    if facts.code.is_none() {
        // AWS REST-JSON services may name the error only in this header.
        facts.code = headers.header("x-amzn-errortype").map(|t| short_type_name(&t).to_string()).filter(|t| !t.is_empty());
    }
    let rate_limit = merge_rate_limit(headers::rate_limit(headers, parts.now_ms), facts.rate_limit, parts.now_ms);
    let kind = kind_of(parts.status, &facts, rate_limit.as_ref(), headers);
    let retry_after_ms = headers::retry_after_ms(headers, parts.now_ms)
        .or_else(|| reset_hint(kind, rate_limit.as_ref(), parts.now_ms))
        .or_else(|| facts.retry_after_ms.map(clamp_delay));
    let message = facts.message.filter(|m| !m.trim().is_empty()).unwrap_or_else(|| fallback_message(parts.status));
    let body_text = (!parts.raw_text.is_empty()).then(|| excerpt(parts.raw_text, MAX_BODY_EXCERPT_BYTES).to_string());
    // The server's explicit word wins; an exhausted quota is final even on a 429.
    let should_retry = headers::should_retry(headers).or_else(|| facts.exhausted.then_some(false));
    Normalized {
        kind,
        status: Some(parts.status),
        code: facts.code.map(|c| tidy(&c, 100)).filter(|c| !c.is_empty()).unwrap_or_else(|| kind.default_code(Some(parts.status)).to_string()),
        message,
        details: facts.details,
        field_errors: facts.field_errors,
        request_id: headers::request_id(headers, parts.request_id_headers).or(facts.request_id),
        retry_after_ms,
        rate_limit,
        should_retry,
        body_text,
    }
}

/// The kind by status, corrected by what the response says: a throttled 400/403 is a rate limit
/// (AWS and Google answer throttling with 400 and 403, GitHub with 403 and remaining 0), a 2xx
/// GraphQL error takes its `extensions.code`, and an unknown status with field errors is a
/// validation error.
fn kind_of<H: HeaderSource + ?Sized>(status: u16, facts: &BodyFacts, rate_limit: Option<&RateLimit>, headers: &H) -> ErrorKind {
    let kind = ErrorKind::from_status(status);
    let says_rate_limit = facts.message.as_deref().is_some_and(|m| m.to_ascii_lowercase().contains("rate limit"));
    let throttled = facts.throttled
        || (status == 403
            && (rate_limit.is_some_and(|rl| rl.remaining == Some(0.0)) || headers.header("retry-after").is_some() || says_rate_limit));
    match kind {
        ErrorKind::BadRequest | ErrorKind::PermissionDenied if throttled && !facts.exhausted => ErrorKind::RateLimited,
        ErrorKind::Unknown if facts.throttled => ErrorKind::RateLimited,
        ErrorKind::Unknown => graphql_kind(facts.code.as_deref())
            .unwrap_or(if facts.field_errors.is_empty() { ErrorKind::Unknown } else { ErrorKind::Validation }),
        other => other,
    }
}

/// Whether a successful (2xx) JSON body still reports an error (GraphQL `errors[]`).
pub fn success_body_is_error(json: &Json) -> bool {
    is_graphql_error(json)
}

fn fallback_message(status: u16) -> String {
    format!("HTTP {status} {}", reason_phrase(status))
}

/// GraphQL servers put the class in `extensions.code` and answer 200.
fn graphql_kind(code: Option<&str>) -> Option<ErrorKind> {
    // Apollo writes UPPER_SNAKE, Hasura kebab-case: compare both the same way.
    Some(match code?.to_ascii_uppercase().replace('-', "_").as_str() {
        "UNAUTHENTICATED" | "UNAUTHORIZED" | "INVALID_JWT" | "JWT_EXPIRED" | "INVALID_HEADERS" => ErrorKind::Authentication,
        "FORBIDDEN" | "ACCESS_DENIED" | "PERMISSION_DENIED" | "PERMISSION_ERROR" => ErrorKind::PermissionDenied,
        "BAD_USER_INPUT" | "GRAPHQL_VALIDATION_FAILED" | "VALIDATION_FAILED" | "VALIDATION_ERROR" => ErrorKind::Validation,
        "GRAPHQL_PARSE_FAILED" | "BAD_REQUEST" | "PARSE_FAILED" | "INVALID_REQUEST" => ErrorKind::BadRequest,
        "NOT_FOUND" => ErrorKind::NotFound,
        "CONSTRAINT_VIOLATION" | "CONFLICT" => ErrorKind::Conflict,
        "INTERNAL_SERVER_ERROR" | "INTERNAL_ERROR" | "UNEXPECTED" => ErrorKind::Server,
        "RATE_LIMITED" | "TOO_MANY_REQUESTS" | "THROTTLED" => ErrorKind::RateLimited,
        _ => return None,
    })
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
