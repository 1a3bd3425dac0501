//! Reading what the server says in its headers: when to retry, rate-limit state, request ids.

use crate::prelude::*;

use super::num::{parse_decimal, parse_plain};
use super::text::{before, pieces, split_at_byte, unquote};

/// The longest delay any hint may produce: the largest value `setTimeout` accepts (about 24.8 days).
pub const MAX_DELAY_MS: u64 = 2_147_483_647;

/// Request-id headers looked up by default, in order: the common names, then each big API's own,
/// then the CDN's ray id last (many APIs sit behind Cloudflare and also send their own id). One
/// string of words: read once per call's options, and no table of pointers in the wasm.
pub const DEFAULT_REQUEST_ID_HEADERS: &str = "x-request-id request-id x-amzn-requestid x-amz-request-id x-ms-request-id apim-request-id x-github-request-id x-correlation-id twilio-request-id x-okta-request-id x-slack-req-id x-arequestid x-vercel-id x-nf-request-id paypal-debug-id x-dropbox-request-id x-contentful-request-id xero-correlation-id intuit_tid pspreference cko-request-id x-line-request-id x-sfdc-request-id audit-id x-fb-trace-id apns-id sib-request-id x-amz-cf-id cf-ray";

/// [`DEFAULT_REQUEST_ID_HEADERS`] as owned names, as the hosts' `normalize_text` takes them.
#[cfg(any(feature = "std", not(target_arch = "wasm32")))]
pub fn default_request_id_headers() -> Vec<String> {
    let mut names = Vec::new();
    for name in pieces(DEFAULT_REQUEST_ID_HEADERS, b' ') {
        names.push(name.to_string());
    }
    names
}

/// Read access to response headers by case-insensitive name. Repeated headers come back joined
/// with ", ", as the Fetch `Headers.get` gives them.
pub trait HeaderSource {
    /// The value of the header `name` (lowercase), if present.
    fn header(&self, name: &str) -> Option<String>;

    /// The value of the first header whose name ends with `suffix` (lowercase), for the headers
    /// APIs name after themselves; sources that cannot list their names find none.
    fn header_ending(&self, _suffix: &str) -> Option<String> {
        None
    }
}

/// Headers as a list of pairs, for the host and for tests.
impl HeaderSource for [(String, String)] {
    fn header(&self, name: &str) -> Option<String> {
        // The length first: the normalizer asks for some forty names, and most are absent.
        let mut matches = self.iter().filter(|(k, _)| k.len() == name.len() && k.eq_ignore_ascii_case(name));
        let (_, first) = matches.next()?;
        let mut joined = first.clone();
        for (_, value) in matches {
            joined.push_str(", ");
            joined.push_str(value);
        }
        Some(joined)
    }

    fn header_ending(&self, suffix: &str) -> Option<String> {
        let ends = |k: &str| k.len() >= suffix.len() && k.get(k.len() - suffix.len()..).is_some_and(|end| end.eq_ignore_ascii_case(suffix));
        self.iter().find(|(k, _)| ends(k)).map(|(_, v)| v.clone())
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

/// The server's requested delay in ms: `retry-after-ms` (OpenAI, Anthropic), `x-ms-retry-after-ms`
/// (Azure), then `Retry-After` (delta-seconds or an HTTP-date). Garbage gives `None`; a past date
/// gives 0; values are clamped to [`MAX_DELAY_MS`].
pub fn retry_after_ms(headers: &(impl HeaderSource + ?Sized), now_ms: f64) -> Option<u64> {
    for (i, name) in pieces("retry-after-ms|x-ms-retry-after-ms|retry-after", b'|').enumerate() {
        let Some(value) = headers.header(name) else { continue };
        let ms = if i < 2 { parse_plain(&value).map(clamp_delay) } else { parse_retry_after(&value, now_ms) };
        if ms.is_some() {
            return ms;
        }
    }
    None
}

/// Parses one `Retry-After` value: delta-seconds or any of the three HTTP-date forms.
pub fn parse_retry_after(value: &str, now_ms: f64) -> Option<u64> {
    let value = value.trim();
    if let Some(seconds) = parse_plain(value) {
        // A "delay" of 31 years or more is an epoch time sent under the wrong name.
        return Some(if seconds >= 1.0e9 { epoch_delay(seconds, now_ms) } else { clamp_delay(seconds * 1000.0) });
    }
    if let Some(at) = parse_http_date_ms(value) {
        return Some(clamp_delay(at - now_ms));
    }
    // A repeated header arrives joined ("120, 120"); use its first number.
    let first = before(value, ",");
    (first.len() < value.len()).then(|| parse_plain(first).map(|seconds| clamp_delay(seconds * 1000.0))).flatten()
}

/// Clamps a millisecond delay into `0..=MAX_DELAY_MS`, rounded up; NaN becomes 0.
pub fn clamp_delay(ms: f64) -> u64 {
    if ms.is_nan() || ms <= 0.0 {
        0
    } else if ms >= MAX_DELAY_MS as f64 {
        MAX_DELAY_MS
    } else {
        super::num::ceil(ms) as u64
    }
}

pub use super::httpdate::parse_http_date_ms;

/// `x-should-retry: true|false` (OpenAI, Anthropic) or `stripe-should-retry`, the server's
/// explicit word on retrying.
pub fn should_retry(headers: &(impl HeaderSource + ?Sized)) -> Option<bool> {
    let value = headers.header("x-should-retry").or_else(|| headers.header("stripe-should-retry"))?;
    let value = value.trim().as_bytes();
    let at = pieces("false|0|true|1", b'|').position(|word| value.eq_ignore_ascii_case(word.as_bytes()))?;
    Some(at >= 2)
}

/// The first non-blank request id among `names` (lowercase header names), capped at 200 chars.
pub fn request_id(headers: &(impl HeaderSource + ?Sized), names: &str) -> Option<String> {
    pieces(names, b' ').filter(|name| !name.is_empty()).find_map(|name| {
        let value = headers.header(name)?;
        let id = crate::core::text::tidy(&value, 200);
        (!id.is_empty()).then_some(id)
    })
}

/// The rate-limit headers of each field (limit, remaining, reset), three spellings each: the
/// IETF draft's, the common `X-` one and Okta's `X-Rate-Limit-*`. One string: no table of pointers.
const RATE_LIMIT_HEADERS: &str = "ratelimit-limit x-ratelimit-limit x-rate-limit-limit \
    ratelimit-remaining x-ratelimit-remaining x-rate-limit-remaining ratelimit-reset x-ratelimit-reset x-rate-limit-reset";

/// Rate-limit state from `RateLimit-*`, `X-RateLimit-*` and the IETF `RateLimit` /
/// `RateLimit-Policy` fields. A reset may be delta seconds, epoch seconds or epoch ms, under any
/// of the names (GitLab sends an epoch as `RateLimit-Reset`): a delay is never read as absurd.
/// Inside, an absent number is NaN (no valid one is): an `Option<f64>` is twice the wasm to move.
pub fn rate_limit(headers: &(impl HeaderSource + ?Sized), now_ms: f64) -> RateLimit {
    let mut fields = [f64::NAN; 3];
    for (i, name) in pieces(RATE_LIMIT_HEADERS, b' ').enumerate() {
        if let Some(field) = fields.get_mut(i / 3).filter(|f| f.is_nan()) {
            *field = headers.header(name).map_or(f64::NAN, |v| first_number(&v));
        }
    }
    // Then the structured field, the policy's quota, and any `…-ratelimit-reset` an API names
    // after itself (`X-Contentful-RateLimit-Reset`).
    let structured = headers.header("ratelimit");
    let policy = structured.as_deref().and_then(|v| structured_rate_limit(v, &mut fields));
    if fields[0].is_nan() {
        if let Some(policies) = headers.header("ratelimit-policy") {
            param_numbers(policy_item(&policies, policy), true, &mut fields);
        }
    }
    let [limit, remaining, mut reset] = fields;
    if reset.is_nan() {
        reset = headers.header_ending("ratelimit-reset").map_or(f64::NAN, |v| first_number(&v));
    }
    let reset_at_ms = reset_to_epoch_ms(reset, now_ms);
    RateLimit { limit: known(limit), remaining: known(remaining), reset_at_ms: reset_at_ms.is_finite().then_some(reset_at_ms) }
}

/// A number that is there.
fn known(n: f64) -> Option<f64> {
    (!n.is_nan()).then_some(n)
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

fn epoch_delay(value: f64, now_ms: f64) -> u64 {
    clamp_delay(reset_to_epoch_ms(value, now_ms) - now_ms)
}

/// The delay until a rate-limit reset, when it is in the future.
pub fn delay_until(reset_at_ms: f64, now_ms: f64) -> Option<u64> {
    (reset_at_ms > now_ms).then(|| clamp_delay(reset_at_ms - now_ms))
}

/// `limit=100, remaining=0, reset=30` (early drafts), or the current draft's list of named
/// policies, `"burst";r=0;t=30, "daily";r=900;t=4000`, of which the most exhausted one counts:
/// fills the absent (limit, remaining, reset) of `fields`, and gives the policy's name.
fn structured_rate_limit<'a>(value: &'a str, fields: &mut [f64; 3]) -> Option<&'a str> {
    let mut best = None;
    let mut least = f64::NAN;
    for item in pieces(value, b',') {
        if item_name(item).as_bytes().first() == Some(&b'"') {
            let mut found = [f64::NAN; 3];
            param_numbers(item, false, &mut found);
            if least.is_nan() || found[1] < least {
                best = Some(item);
                least = found[1];
            }
        }
    }
    let Some(item) = best else {
        // No named policy: every item is a flat list of parameters.
        for item in pieces(value, b',') {
            param_numbers(item, false, fields);
        }
        return None;
    };
    param_numbers(item, false, fields);
    Some(unquote(item_name(item)))
}

/// The name an item starts with, before its parameters.
fn item_name(item: &str) -> &str {
    before(item, ";").trim()
}

/// Fills the absent numbers of an item's `limit`/`q`, `remaining`/`r` and `reset`/`t`
/// parameters: per field, the first that parses. Of a policy, only the quota `q` is read.
fn param_numbers(item: &str, policy: bool, numbers: &mut [f64; 3]) {
    for part in pieces(item, b';') {
        let Some((key, value)) = split_at_byte(part, b'=') else { continue };
        let field = match key.trim() {
            "q" => 0,
            _ if policy => continue,
            "limit" => 0,
            "remaining" | "r" => 1,
            "reset" | "t" => 2,
            _ => continue,
        };
        if let Some(number) = numbers.get_mut(field).filter(|n| n.is_nan()) {
            *number = first_number(value);
        }
    }
}

/// The policy named `name` in `RateLimit-Policy`, else its first policy.
fn policy_item<'a>(value: &'a str, name: Option<&str>) -> &'a str {
    let named = |item: &&str| name.is_some_and(|n| unquote(item_name(item)) == n);
    pieces(value, b',').find(named).unwrap_or_else(|| before(value, ","))
}

/// The first comma-separated item as a finite, non-negative number, else NaN.
fn first_number(value: &str) -> f64 {
    parse_decimal(unquote(before(value, ",").trim())).filter(|n| n.is_finite() && *n >= 0.0).unwrap_or(f64::NAN)
}
