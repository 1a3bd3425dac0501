//! The caller's options as one [`Options`]. js/glue.js `prepare` checks them (a wrong one is a
//! `TypeError` that says what to fix, worded there) and builds the `RequestInit`; what the crate
//! needs crosses as `[href, origin, init, method, signal, call, hooks, has, index, value, …]`,
//! each setting given by its index in [`Opt`]. Defaults are the core's (`RetryConfig`,
//! `BudgetConfig`, `BreakerConfig`) and this file's.

use crate::prelude::*;

use super::gate::Politeness;
use crate::core::breaker::BreakerConfig;
use crate::core::budget::BudgetConfig;
use crate::core::headers::{DEFAULT_REQUEST_ID_HEADERS, MAX_DELAY_MS};
use crate::core::policy::{Jitter, RetryConfig};
use js_sys::{Array, Object};
use wasm_bindgen::{JsCast, JsValue};

use web_sys::AbortSignal;

/// 30 s per attempt: long enough for slow APIs, short enough that a hung connection is retried.
const DEFAULT_TIMEOUT_MS: f64 = 30_000.0;

/// The settings js/glue.js hands over, by their index in its `OPT` (the same names in the same
/// order: tests/js/boundary.test.mjs). Nested options come flat: `Capacity` is `retryBudget.capacity`.
#[derive(Clone, Copy)]
#[repr(u8)]
enum Opt {
    MaxRetries,
    BaseMs,
    Factor,
    MaxMs,
    /// 0 full, 1 equal, 2 none.
    Jitter,
    RetryOn,
    RetryNetworkErrors,
    RetryOnTimeout,
    /// null: no per-attempt timeout.
    TimeoutMs,
    DeadlineMs,
    MaxRetryAfterMs,
    DefaultRetryAfterMs,
    /// 0 auto, 1 json, 2 text, 3 response.
    ResponseType,
    RequestIdHeaders,
    /// true or false; its fields follow.
    RetryBudget,
    Capacity,
    RetryCost,
    TimeoutCost,
    /// false, true, or a scope name.
    OriginGate,
    /// What the caller's `gateKey(url)` returned.
    Bucket,
    MaxConcurrent,
    /// true or false; its fields follow.
    CircuitBreaker,
    FailureThreshold,
    WindowMs,
    CooldownMs,
    ShareAcrossTabs,
    /// An idempotency key is sent.
    IdempotencyKey,
}

/// The settings in index order, to turn an index back into an [`Opt`].
const OPTS: [Opt; 27] = [
    Opt::MaxRetries, Opt::BaseMs, Opt::Factor, Opt::MaxMs, Opt::Jitter, Opt::RetryOn, Opt::RetryNetworkErrors,
    Opt::RetryOnTimeout, Opt::TimeoutMs, Opt::DeadlineMs, Opt::MaxRetryAfterMs, Opt::DefaultRetryAfterMs,
    Opt::ResponseType, Opt::RequestIdHeaders, Opt::RetryBudget, Opt::Capacity, Opt::RetryCost, Opt::TimeoutCost,
    Opt::OriginGate, Opt::Bucket, Opt::MaxConcurrent, Opt::CircuitBreaker, Opt::FailureThreshold, Opt::WindowMs,
    Opt::CooldownMs, Opt::ShareAcrossTabs, Opt::IdempotencyKey,
];
// Each setting at its own index, checked when the crate compiles.
const _: () = {
    let mut i = 0;
    while i < OPTS.len() {
        // Const evaluation only: `i` is below the length.
        #[allow(clippy::indexing_slicing)]
        let at = OPTS[i] as usize;
        assert!(at == i, "OPTS must list Opt in order");
        i += 1;
    }
};

/// The hooks the engine awaits, as bits of [`Options::has`] (js/glue.js `HOOKS`, same order).
pub mod hooks {
    /// `onRetry(info)`.
    pub const ON_RETRY: u32 = 1;
    /// `onError(error)`.
    pub const ON_ERROR: u32 = 1 << 1;
    /// `shouldRetry(error, attempt)`.
    pub const SHOULD_RETRY: u32 = 1 << 2;
    /// `parseError(body, response)`.
    pub const PARSE_ERROR: u32 = 1 << 3;
    /// `isError(body, response)`.
    pub const IS_ERROR: u32 = 1 << 4;
    /// `beforeRetry({ error, attempt, delayMs })`.
    pub const BEFORE_RETRY: u32 = 1 << 5;
    /// `beforeError(error)`.
    pub const BEFORE_ERROR: u32 = 1 << 6;
}

/// How the success body is returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseType {
    /// JSON when the Content-Type says so, else text.
    Auto,
    /// Always `JSON.parse`.
    Json,
    /// Always text.
    Text,
    /// The `Response` itself, body unread.
    Response,
}

/// Everything one call needs.
pub struct Options {
    /// The resolved URL as a JS string, handed to fetch without a copy through wasm memory.
    pub href: JsValue,
    /// The URL's origin: the unit of the retry budget and of politeness.
    pub origin: String,
    /// Retry policy settings.
    pub retry: RetryConfig,
    /// Retry budget settings; `None` disables the budget.
    pub budget: Option<BudgetConfig>,
    /// Per-attempt timeout in ms.
    pub timeout_ms: Option<f64>,
    /// Whole-call deadline in ms, waits included.
    pub deadline_ms: Option<f64>,
    /// The caller's signal.
    pub signal: Option<AbortSignal>,
    /// The caller's hooks that the engine awaits (js/glue.js `hook` calls them by name).
    pub hooks: JsValue,
    /// Which of them are given: bits of [`hooks`].
    pub has: u32,
    /// js/glue.js's call context (fetch, beforeRequest, afterResponse, onDownloadProgress,
    /// searchParams, the streamed body's signal and deadline), or undefined.
    pub call: JsValue,
    /// How to return the success body.
    pub response_type: ResponseType,
    /// The caller's request-id headers, lowercase and separated by spaces (see [`Options::request_ids`]).
    pub request_id_headers: Option<String>,
    /// Upper-case method.
    pub method: String,
    /// Whether an idempotency key header is sent.
    pub has_idempotency_key: bool,
    /// The `RequestInit` handed to `fetch` (a fresh object: the caller's is never mutated).
    pub init: Object,
    /// Gate, `maxConcurrent`, circuit breaker, sharing (web::gate).
    pub polite: Politeness,
}

impl Options {
    /// The header names that may carry a request id: the caller's, else the core's default list
    /// (borrowed: a call allocates no list).
    pub fn request_ids(&self) -> &str {
        self.request_id_headers.as_deref().unwrap_or(DEFAULT_REQUEST_ID_HEADERS)
    }

    /// Whether the caller gave the hook `bit` (one of [`hooks`]).
    pub fn has(&self, bit: u32) -> bool {
        self.has & bit != 0
    }
}

/// Reads what js/glue.js `prepare` made of the caller's arguments (see the module's comment).
pub fn read(prepared: &Array) -> Options {
    let text = |i: u32| prepared.get(i).as_string().unwrap_or_default();
    let mut o = Options {
        href: prepared.get(0),
        origin: text(1),
        retry: RetryConfig::default(),
        budget: Some(BudgetConfig::default()),
        timeout_ms: Some(DEFAULT_TIMEOUT_MS),
        deadline_ms: None,
        signal: prepared.get(4).dyn_into().ok(),
        hooks: prepared.get(6),
        has: prepared.get(7).as_f64().unwrap_or(0.0) as u32,
        call: prepared.get(5),
        response_type: ResponseType::Auto,
        request_id_headers: None,
        method: text(3),
        has_idempotency_key: false,
        init: prepared.get(2).unchecked_into(),
        polite: Politeness { scope: Some(String::new()), ..Politeness::default() },
    };
    let mut i = 8;
    while i + 1 < prepared.length() {
        if let Some(&opt) = prepared.get(i).as_f64().and_then(|at| OPTS.get(at as usize)) {
            set(&mut o, opt, prepared.get(i + 1));
        }
        i += 2;
    }
    o
}

/// One setting, already checked by js/glue.js.
#[inline(never)]
fn set(o: &mut Options, opt: Opt, value: JsValue) {
    let n = value.as_f64().unwrap_or(f64::NAN);
    let on = value.is_truthy();
    let retry = &mut o.retry;
    match opt {
        Opt::MaxRetries => retry.max_retries = n as u32,
        Opt::BaseMs => retry.base_ms = n,
        Opt::Factor => retry.factor = n,
        Opt::MaxMs => retry.max_ms = n,
        Opt::Jitter => retry.jitter = [Jitter::Full, Jitter::Equal, Jitter::None].get(n as usize).copied().unwrap_or(Jitter::Full),
        Opt::RetryOn => retry.retry_on = Some(numbers(&value).map(|s| s as u16).collect()),
        Opt::RetryNetworkErrors => retry.retry_network_errors = on,
        Opt::RetryOnTimeout => retry.retry_on_timeout = on,
        Opt::TimeoutMs => o.timeout_ms = value.as_f64(),
        Opt::DeadlineMs => o.deadline_ms = Some(n),
        Opt::MaxRetryAfterMs => retry.max_retry_after_ms = n.min(MAX_DELAY_MS as f64) as u64,
        Opt::DefaultRetryAfterMs => retry.default_retry_after_ms = Some(n as u64),
        Opt::ResponseType => {
            o.response_type = [ResponseType::Auto, ResponseType::Json, ResponseType::Text, ResponseType::Response]
                .get(n as usize)
                .copied()
                .unwrap_or(ResponseType::Auto)
        }
        Opt::RequestIdHeaders => o.request_id_headers = value.as_string(),
        Opt::RetryBudget => o.budget = on.then(BudgetConfig::default),
        Opt::Capacity | Opt::RetryCost | Opt::TimeoutCost => {
            if let Some(config) = &mut o.budget {
                *match opt {
                    Opt::Capacity => &mut config.capacity,
                    Opt::RetryCost => &mut config.retry_cost,
                    _ => &mut config.timeout_cost,
                } = n;
            }
        }
        Opt::OriginGate => o.polite.scope = value.as_string().or_else(|| on.then(String::new)),
        Opt::Bucket => o.polite.bucket = value.as_string(),
        // Infinity: no limit; `as` saturates a finite count above u32::MAX.
        Opt::MaxConcurrent => o.polite.max_concurrent = n.is_finite().then_some(n as u32),
        Opt::CircuitBreaker => o.polite.breaker = on.then(BreakerConfig::default),
        Opt::FailureThreshold | Opt::WindowMs | Opt::CooldownMs => {
            if let Some(config) = &mut o.polite.breaker {
                match opt {
                    Opt::FailureThreshold => config.failure_threshold = n as u32,
                    Opt::WindowMs => config.window_ms = n,
                    _ => config.cooldown_ms = n,
                }
            }
        }
        Opt::ShareAcrossTabs => o.polite.share = on,
        Opt::IdempotencyKey => o.has_idempotency_key = on,
    }
}

/// The numbers of a JS array.
fn numbers(value: &JsValue) -> impl Iterator<Item = f64> + '_ {
    let list: &Array = value.unchecked_ref();
    (0..list.length()).map(|i| list.get(i).as_f64().unwrap_or(0.0))
}
