//! The error kinds (the README's error class table): which class a failure becomes, its default
//! code and its hint.

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

    /// What the user should do, after the seeds' "Solution" lines.
    pub fn hint(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "Check that the request body and parameters match the API's schema.",
            ErrorKind::Authentication => "Verify the API key or token: correct, not expired or revoked, and sent in the header the API expects.",
            ErrorKind::PaymentRequired => "Retrying will not help: the account's billing state must change (upgrade the plan or update the payment method).",
            ErrorKind::PermissionDenied => "The credentials are valid but lack permission: use a key with the required scope or role, or check IP allowlists.",
            ErrorKind::NotFound => "Verify the resource ID and the endpoint path; the resource may have been deleted.",
            ErrorKind::Conflict => "The request conflicts with the resource's current state or an earlier idempotency key: fetch the latest state before trying again.",
            ErrorKind::Validation => "Fix the fields listed in fieldErrors and send the request again.",
            ErrorKind::RateLimited => "Slow down: wait retryAfterMs (or until rateLimit.resetAt) before sending more requests.",
            ErrorKind::Server => "A server-side error: retry after a delay; if it persists, contact support with the requestId.",
            ErrorKind::Unavailable => "The service is temporarily unavailable: retry after a delay.",
            ErrorKind::RequestTimeout => "The server gave up on the request: retry with backoff; if it keeps happening, contact support with the requestId.",
            ErrorKind::Timeout => "No response in time: raise timeoutMs or deadlineMs, or check whether the server is overloaded.",
            ErrorKind::Network => "No response at all: check the connection, the URL, and that the server allows this origin (CORS).",
            ErrorKind::Aborted => "The request was cancelled by its AbortSignal; nothing to fix unless that was unexpected.",
            ErrorKind::Parse => "The response body did not match responseType: check the Content-Type, or ask for responseType 'text'.",
            ErrorKind::Unknown => "Unexpected response: check status and bodyText.",
        }
    }

    /// The code used when the API gave none.
    pub fn default_code(self, status: Option<u16>) -> &'static str {
        status.and_then(status_code_name).unwrap_or(self.as_str())
    }
}

/// The snake_case reason phrase of common error statuses, used as a default `code`.
fn status_code_name(status: u16) -> Option<&'static str> {
    Some(match status {
        400 => "bad_request",
        401 => "unauthorized",
        402 => "payment_required",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        406 => "not_acceptable",
        408 => "request_timeout",
        409 => "conflict",
        410 => "gone",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        422 => "unprocessable_entity",
        425 => "too_early",
        429 => "too_many_requests",
        500 => "internal_server_error",
        501 => "not_implemented",
        502 => "bad_gateway",
        503 => "service_unavailable",
        504 => "gateway_timeout",
        _ => return None,
    })
}

/// The standard reason phrase, for a message when the body says nothing.
// The ranges after the named statuses are their fallbacks, on purpose.
#[allow(clippy::match_overlapping_arm)]
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        413 => "Payload Too Large",
        422 => "Unprocessable Entity",
        425 => "Too Early",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        200..=299 => "OK",
        400..=499 => "Client Error",
        500..=599 => "Server Error",
        _ => "Unexpected Status",
    }
}
