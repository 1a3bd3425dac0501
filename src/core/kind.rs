//! The error kinds (the README's error class table): which class a failure becomes and its default
//! code. Each kind's hint (what the user should do) is its class's, in js/errors.js.

use crate::prelude::*;

/// What went wrong, as one word a program can switch on. Each kind maps to one JS class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// 400.
    BadRequest,
    /// 401.
    Authentication,
    /// 402: never retried, the billing state must change.
    PaymentRequired,
    /// 403.
    PermissionDenied,
    /// 404 and 410.
    NotFound,
    /// 409.
    Conflict,
    /// 422, or any error carrying field errors with no better kind.
    Validation,
    /// 429.
    RateLimited,
    /// 500, 501, 502, 504 and other 5xx.
    Server,
    /// 503 and 529.
    Unavailable,
    /// 408 sent by the server.
    RequestTimeout,
    /// The client's own attempt timeout or whole-call deadline.
    Timeout,
    /// No response at all: offline, DNS, CORS, connection reset.
    Network,
    /// The caller's signal aborted.
    Aborted,
    /// A 2xx whose body does not match the requested response type.
    Parse,
    /// Any other status.
    Unknown,
}

impl ErrorKind {
    /// Every kind, for tables and tests.
    pub const ALL: [ErrorKind; 16] = [
        ErrorKind::BadRequest,
        ErrorKind::Authentication,
        ErrorKind::PaymentRequired,
        ErrorKind::PermissionDenied,
        ErrorKind::NotFound,
        ErrorKind::Conflict,
        ErrorKind::Validation,
        ErrorKind::RateLimited,
        ErrorKind::Server,
        ErrorKind::Unavailable,
        ErrorKind::RequestTimeout,
        ErrorKind::Timeout,
        ErrorKind::Network,
        ErrorKind::Aborted,
        ErrorKind::Parse,
        ErrorKind::Unknown,
    ];

    /// The kind for an HTTP error status.
    pub fn from_status(status: u16) -> ErrorKind {
        match status {
            400 => ErrorKind::BadRequest,
            401 => ErrorKind::Authentication,
            402 => ErrorKind::PaymentRequired,
            403 => ErrorKind::PermissionDenied,
            404 | 410 => ErrorKind::NotFound,
            408 => ErrorKind::RequestTimeout,
            409 => ErrorKind::Conflict,
            422 => ErrorKind::Validation,
            429 => ErrorKind::RateLimited,
            // 529: "overloaded" (Anthropic, and Salesforce's "site overloaded").
            503 | 529 => ErrorKind::Unavailable,
            500..=599 => ErrorKind::Server,
            _ => ErrorKind::Unknown,
        }
    }

    /// The `kind` string exposed to JavaScript.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "bad_request",
            ErrorKind::Authentication => "authentication",
            ErrorKind::PaymentRequired => "payment_required",
            ErrorKind::PermissionDenied => "permission_denied",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Validation => "validation",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Server => "server",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::RequestTimeout => "request_timeout",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Network => "network",
            ErrorKind::Aborted => "aborted",
            ErrorKind::Parse => "parse",
            ErrorKind::Unknown => "unknown",
        }
    }

    /// The kind a `kind` string names, for the hosts' tests and fixtures.
    pub fn parse(name: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The code used when the API gave none: the status's reason phrase in snake_case
    /// (`too_many_requests`), else the kind's name.
    pub fn default_code(self, status: Option<u16>) -> String {
        let Some((phrase, _)) = status.and_then(status_entry) else { return self.as_str().to_string() };
        let mut code = phrase.to_string();
        // SAFETY: only ASCII bytes change, into ASCII bytes: the text stays UTF-8.
        for b in unsafe { code.as_bytes_mut() } {
            *b = if *b == b' ' { b'_' } else { b.to_ascii_lowercase() };
        }
        code
    }
}

/// The reason phrases of the common error statuses, each after its status; a `!` marks one
/// that names a default code only (its message keeps the class's phrase). One string for both
/// the codes and the messages: no table of pointers, no phrase stored twice.
const STATUSES: &str = "400Bad Request|401Unauthorized|402Payment Required|403Forbidden|404Not Found|405Method Not Allowed|\
406!Not Acceptable|408Request Timeout|409Conflict|410Gone|413Payload Too Large|415!Unsupported Media Type|\
422Unprocessable Entity|425Too Early|429Too Many Requests|500Internal Server Error|501Not Implemented|502Bad Gateway|\
503Service Unavailable|504Gateway Timeout";

/// The reason phrase of `status` in [`STATUSES`], and whether messages may use it.
fn status_entry(status: u16) -> Option<(&'static str, bool)> {
    let entry = super::text::pieces(STATUSES, b'|').find(|e| e.get(..3).and_then(super::num::parse_unsigned) == Some(u64::from(status)))?;
    let phrase = entry.get(3..)?;
    Some(super::text::after_byte(phrase, b'!').map_or((phrase, true), |p| (p, false)))
}

/// The standard reason phrase, for a message when the body says nothing.
pub fn reason_phrase(status: u16) -> &'static str {
    match (status_entry(status), status) {
        (Some((phrase, true)), _) => phrase,
        (_, 200..=299) => "OK",
        (_, 400..=499) => "Client Error",
        (_, 500..=599) => "Server Error",
        _ => "Unexpected Status",
    }
}

