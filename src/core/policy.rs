//! The retry decision and backoff, as pure functions: randomness and time come in as
//! arguments so every rule is tested without timers.

use crate::prelude::*;

use super::headers::MAX_DELAY_MS;
use super::kind::ErrorKind;

/// How backoff delays are randomised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jitter {
    /// Uniform in `[0, d]` (AWS "full jitter"): spreads a burst of clients the most.
    Full,
    /// Uniform in `[d/2, d]`: never much shorter than planned.
    Equal,
    /// Exactly `d`.
    None,
}

/// The caller's retry settings, with the defaults the README's options table justifies.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryConfig {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// First backoff delay in ms.
    pub base_ms: f64,
    /// Growth per retry.
    pub factor: f64,
    /// Largest backoff delay in ms.
    pub max_ms: f64,
    /// Randomisation.
    pub jitter: Jitter,
    /// Statuses worth retrying, when not [`DEFAULT_RETRY_ON`] (kept apart so that a call with
    /// the defaults allocates no list).
    pub retry_on: Option<Vec<u16>>,
    /// Retry when there was no response at all.
    pub retry_network_errors: bool,
    /// Retry when an attempt timed out.
    pub retry_on_timeout: bool,
    /// The longest server-requested wait we accept; beyond it we fail at once.
    pub max_retry_after_ms: u64,
    /// The wait assumed for a 429 or 503 that names none (TopTickets documents 60 s); `None` backs off.
    pub default_retry_after_ms: Option<u64>,
}

/// The statuses retried by default. Cloudflare's 520–527 (origin unreachable, timed out, …) and
/// 529 "overloaded" (Anthropic) are transient too.
pub const DEFAULT_RETRY_ON: [u16; 16] = [408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524, 525, 526, 527, 529];

impl RetryConfig {
    /// Whether `status` is one of the statuses worth retrying.
    pub fn retries(&self, status: u16) -> bool {
        self.retry_on.as_deref().unwrap_or(&DEFAULT_RETRY_ON).contains(&status)
    }
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_retries: 3,
            base_ms: 1000.0,
            factor: 2.0,
            max_ms: 30_000.0,
            jitter: Jitter::Full,
            retry_on: None,
            retry_network_errors: true,
            retry_on_timeout: true,
            max_retry_after_ms: 60_000,
            default_retry_after_ms: None,
        }
    }
}

/// One failed attempt, as the policy sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Failure {
    /// What went wrong.
    pub kind: ErrorKind,
    /// HTTP status, when there was a response.
    pub status: Option<u16>,
    /// `x-should-retry` from the server.
    pub should_retry: Option<bool>,
    /// The server's requested delay (Retry-After and friends), in ms.
    pub hint_ms: Option<u64>,
}

/// The request being retried.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Attempt<'a> {
    /// Attempts made so far, including the one that just failed (1 after the first).
    pub number: u32,
    /// The HTTP method, any case.
    pub method: &'a str,
    /// Whether an idempotency key is sent (the same on every attempt).
    pub has_idempotency_key: bool,
    /// Milliseconds left before the caller's deadline, if one was set.
    pub remaining_ms: Option<f64>,
    /// A uniform random number in `[0, 1)` for jitter.
    pub random: f64,
}

/// Why no retry will happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The failure cannot succeed on a retry (or the server said so).
    NotRetryable,
    /// POST/PATCH without an idempotency key could apply twice.
    UnsafeMethod,
    /// `maxRetries` reached.
    MaxRetries,
    /// The server asked for a wait longer than `maxRetryAfterMs`.
    HintTooLong,
    /// The wait would end after the caller's deadline.
    Deadline,
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Wait `delay_ms`, then try again. `from_server` when the delay is the server's hint.
    Retry {
        /// Milliseconds to wait.
        delay_ms: u64,
        /// Whether the server chose it.
        from_server: bool,
    },
    /// Give up and report the failure.
    Stop(Stop),
}

/// Whether this failure could succeed if retried, ignoring attempt counts and deadlines.
pub fn is_retryable(config: &RetryConfig, failure: &Failure, method: &str, has_key: bool) -> bool {
    let by_kind = match failure.kind {
        ErrorKind::Aborted | ErrorKind::Parse => return false,
        ErrorKind::Network => config.retry_network_errors,
        ErrorKind::Timeout => config.retry_on_timeout,
        // A rate limit answered with another status (GitHub's 403, AWS's throttling 400) is
        // retried exactly when a 429 would be.
        ErrorKind::RateLimited => config.retries(429) || failure.status.is_some_and(|s| config.retries(s)),
        _ => failure.status.is_some_and(|s| config.retries(s)),
    };
    let wanted = failure.should_retry.unwrap_or(by_kind);
    wanted && method_allows_retry(method, has_key, failure.kind)
}

/// POST and PATCH may have been applied: retry them only with an idempotency key, or after a rate
/// limit (the server refused before doing anything). Other methods are idempotent by definition.
pub fn method_allows_retry(method: &str, has_key: bool, kind: ErrorKind) -> bool {
    let unsafe_method = method.eq_ignore_ascii_case("POST") || method.eq_ignore_ascii_case("PATCH");
    !unsafe_method || has_key || kind == ErrorKind::RateLimited
}

/// The full retry decision for a failed attempt.
pub fn decide(config: &RetryConfig, failure: &Failure, attempt: &Attempt) -> Decision {
    if !is_retryable(config, failure, "GET", true) {
        return Decision::Stop(Stop::NotRetryable);
    }
    if !method_allows_retry(attempt.method, attempt.has_idempotency_key, failure.kind) {
        return Decision::Stop(Stop::UnsafeMethod);
    }
    if attempt.number > config.max_retries {
        return Decision::Stop(Stop::MaxRetries);
    }
    let hint = failure.hint_ms.or_else(|| {
        matches!(failure.status, Some(429) | Some(503)).then_some(config.default_retry_after_ms).flatten()
    });
    let (delay_ms, from_server) = match hint {
        Some(hint) if hint > config.max_retry_after_ms => return Decision::Stop(Stop::HintTooLong),
        Some(hint) => (hint, true),
        None => (backoff_ms(config, attempt.number.saturating_sub(1), attempt.random), false),
    };
    if attempt.remaining_ms.is_some_and(|left| delay_ms as f64 >= left) {
        return Decision::Stop(Stop::Deadline);
    }
    Decision::Retry { delay_ms, from_server }
}

/// The backoff delay before retry number `retry_index + 1`: `base * factor^retry_index`, capped at
/// `max_ms`, jittered, and clamped to what a timer can take.
pub fn backoff_ms(config: &RetryConfig, retry_index: u32, random: f64) -> u64 {
    let exponent = retry_index.min(1024) as i32;
    let raw = config.base_ms.max(0.0) * super::num::powi(config.factor.max(1.0), exponent);
    let capped = if raw.is_finite() { raw.min(config.max_ms.max(0.0)) } else { config.max_ms.max(0.0) };
    let r = if random.is_finite() { random.clamp(0.0, 1.0) } else { 0.0 };
    let jittered = match config.jitter {
        Jitter::Full => capped * r,
        Jitter::Equal => capped / 2.0 + capped / 2.0 * r,
        Jitter::None => capped,
    };
    if jittered.is_nan() {
        0
    } else {
        super::num::round(jittered).max(0.0).min(MAX_DELAY_MS as f64) as u64
    }
}
