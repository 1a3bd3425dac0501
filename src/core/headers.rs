//! Reading what the server says in its headers: when to retry, rate-limit state, request ids.

use super::num::parse_decimal;

/// The longest delay any hint may produce: the largest value `setTimeout` accepts (about 24.8 days).
pub const MAX_DELAY_MS: u64 = 2_147_483_647;

/// Request-id headers looked up by default, in order.
pub const DEFAULT_REQUEST_ID_HEADERS: [&str; 4] = ["x-request-id", "request-id", "x-amzn-requestid", "cf-ray"];

/// Read access to response headers by case-insensitive name. Repeated headers come back joined
/// with ", ", as the Fetch `Headers.get` gives them.
pub trait HeaderSource {
    /// The value of the header `name` (lowercase), if present.
    fn header(&self, name: &str) -> Option<String>;
}

/// Headers as a list of pairs, for the host and for tests.
impl HeaderSource for [(String, String)] {
    fn header(&self, name: &str) -> Option<String> {
        let values: Vec<&str> =
            self.iter().filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()).collect();
        (!values.is_empty()).then(|| values.join(", "))
    }
}

/// Rate-limit state announced by the server.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RateLimit {
    /// Requests allowed in the window.
    pub limit: Option<f64>,
    /// Requests left in the window.
    pub remaining: Option<f64>,
    /// When the window resets, in epoch milliseconds.
    pub reset_at_ms: Option<f64>,
}

impl RateLimit {
    /// Whether anything was announced.
    pub fn is_empty(&self) -> bool {
        self.limit.is_none() && self.remaining.is_none() && self.reset_at_ms.is_none()
    }
}

/// The server's requested delay in ms: `retry-after-ms`, then `Retry-After` (delta-seconds or an
/// HTTP-date). Garbage gives `None`; a past date gives 0; values are clamped to [`MAX_DELAY_MS`].
pub fn retry_after_ms(headers: &(impl HeaderSource + ?Sized), now_ms: f64) -> Option<u64> {
    if let Some(ms) = headers.header("retry-after-ms").and_then(|v| parse_delay_number(&v, 1.0)) {
        return Some(ms);
    }
    headers.header("retry-after").and_then(|v| parse_retry_after(&v, now_ms))
}

/// Parses one `Retry-After` value: delta-seconds or any of the three HTTP-date forms.
pub fn parse_retry_after(value: &str, now_ms: f64) -> Option<u64> {
    let value = value.trim();
    if let Some(ms) = parse_delay_number(value, 1000.0) {
        return Some(ms);
    }
    if let Some(at) = parse_http_date_ms(value) {
        return Some(clamp_delay(at - now_ms));
    }
    // A repeated header arrives joined ("120, 120"); use its first number.
    let first = value.split(',').next().unwrap_or("");
    (first.len() < value.len()).then(|| parse_delay_number(first, 1000.0)).flatten()
}

/// A non-negative decimal number of `unit` ms (digits with an optional fraction; no sign, no
/// exponent), rounded up and clamped.
fn parse_delay_number(value: &str, unit: f64) -> Option<u64> {
    let value = value.trim();
    let plain = !value.is_empty()
        && value.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && value.bytes().filter(|&b| b == b'.').count() <= 1
        && value.bytes().next().is_some_and(|b| b.is_ascii_digit());
    if !plain {
        return None;
    }
    let n = parse_decimal(value)?;
    Some(clamp_delay((n * unit).ceil()))
}

/// Clamps a millisecond delay into `0..=MAX_DELAY_MS`; NaN becomes 0.
pub fn clamp_delay(ms: f64) -> u64 {
    if ms.is_nan() || ms <= 0.0 {
        0
    } else if ms >= MAX_DELAY_MS as f64 {
        MAX_DELAY_MS
    } else {
        ms.ceil() as u64
    }
}

pub use super::httpdate::parse_http_date_ms;

/// `x-should-retry: true|false`, the server's explicit word on retrying.
pub fn should_retry(headers: &(impl HeaderSource + ?Sized)) -> Option<bool> {
    let value = headers.header("x-should-retry")?;
    let value = value.trim();
    if value.eq_ignore_ascii_case("true") || value == "1" {
        Some(true)
    } else if value.eq_ignore_ascii_case("false") || value == "0" {
        Some(false)
    } else {
        None
    }
}

/// The first non-blank request id among `names` (lowercase header names), capped at 200 chars.
pub fn request_id(headers: &(impl HeaderSource + ?Sized), names: &[impl AsRef<str>]) -> Option<String> {
    names.iter().find_map(|name| {
        let value = headers.header(name.as_ref())?;
        let id = crate::core::text::tidy(&value, 200);
        (!id.is_empty()).then_some(id)
    })
}

/// Rate-limit state from `RateLimit-*`, `X-RateLimit-*` and the structured `RateLimit` header.
pub fn rate_limit(headers: &(impl HeaderSource + ?Sized), now_ms: f64) -> RateLimit {
    let structured = headers.header("ratelimit").map(|v| structured_rate_limit(&v)).unwrap_or_default();
    let pick = |names: [&str; 2], fallback: Option<f64>| {
        names.iter().find_map(|n| headers.header(n).and_then(|v| first_number(&v))).or(fallback)
    };
    let limit = pick(["ratelimit-limit", "x-ratelimit-limit"], structured.0);
    let remaining = pick(["ratelimit-remaining", "x-ratelimit-remaining"], structured.1);
    let reset_delta = headers.header("ratelimit-reset").and_then(|v| first_number(&v)).or(structured.2);
    let reset_at_ms = match reset_delta {
        Some(delta) => Some(now_ms + delta * 1000.0),
        None => headers.header("x-ratelimit-reset").and_then(|v| first_number(&v)).map(|v| reset_to_epoch_ms(v, now_ms)),
    };
    RateLimit { limit, remaining, reset_at_ms: reset_at_ms.filter(|t| t.is_finite()) }
}

/// A reset value that is either delta seconds, epoch seconds or epoch milliseconds, as epoch ms.
pub fn reset_to_epoch_ms(value: f64, now_ms: f64) -> f64 {
    if value >= 1.0e12 {
        value
    } else if value >= 1.0e9 {
        value * 1000.0
    } else {
        now_ms + value * 1000.0
    }
}

/// The delay until a rate-limit reset, when it is in the future.
pub fn delay_until(reset_at_ms: f64, now_ms: f64) -> Option<u64> {
    (reset_at_ms > now_ms).then(|| clamp_delay(reset_at_ms - now_ms))
}

/// `limit=100, remaining=0, reset=30` or the newer `"default";r=0;t=30` form.
fn structured_rate_limit(value: &str) -> (Option<f64>, Option<f64>, Option<f64>) {
    let mut out = (None, None, None);
    for part in value.split([',', ';']) {
        let Some((key, val)) = part.split_once('=') else { continue };
        let number = first_number(val);
        match key.trim() {
            "limit" | "q" => out.0 = out.0.or(number),
            "remaining" | "r" => out.1 = out.1.or(number),
            "reset" | "t" => out.2 = out.2.or(number),
            _ => {}
        }
    }
    out
}

/// The first comma-separated item as a finite, non-negative number.
fn first_number(value: &str) -> Option<f64> {
    let first = value.split(',').next()?.trim().trim_matches('"');
    parse_decimal(first).filter(|n| n.is_finite() && *n >= 0.0)
}
