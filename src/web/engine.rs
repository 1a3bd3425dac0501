//! The retry loop (ARCHITECTURE.md, "The path of a call"): attempt, normalize, decide through
//! the core's policy, wait with a cancellable timer, and finally throw one typed error.

use crate::prelude::*;

use super::abort::sleep;
use super::attempt::{aborted, run_attempt, AttemptError};
use super::budget;
use super::error::{delay_source, to_js_error, AttemptRecord, CallContext};
use super::gate::{circuit_error, gate_error, CallGate, Permit};
use crate::core::gate::Verdict;
use super::js::{math_random, perf_now, set, type_error};
use super::options::{describe, read_options, Options};
use crate::core::kind::ErrorKind;
use crate::core::policy::{decide, Attempt, Decision, Failure};
use crate::core::redact::redact_url;
use js_sys::Object;
use wasm_bindgen::{JsCast, JsValue};

/// One `makeRequestWithRetry` call.
struct Call {
    /// The resolved URL as a JS string, handed to fetch without a copy through wasm memory.
    href: JsValue,
    origin: String,
    options: Options,
    started: f64,
    history: Vec<AttemptRecord>,
    spent_tokens: f64,
    /// The origin's gate, `maxConcurrent` and circuit breaker, when any is on.
    gate: Option<CallGate>,
}

/// Validates the arguments and runs the call to its end.
pub async fn make_request(url: JsValue, options: JsValue, max_retries: JsValue) -> Result<JsValue, JsValue> {
    let (href, origin) = resolve_url(&url)?;
    let options = read_options(&options, &max_retries)?;
    let href = if options.call.is_object() { super::js::with_search_params(&href, &options.call) } else { href };
    let gate = CallGate::new(&options.polite, &origin, &href)?;
    let last_hooks = (options.before_error.clone(), options.on_error.clone());
    let call = Call { href, origin, options, started: perf_now(), history: Vec::new(), spent_tokens: 0.0, gate };
    match call.run().await {
        // beforeError, then onError (js/glue.js finalError): both see the built error.
        Err(error) if last_hooks.0.is_some() || last_hooks.1.is_some() => {
            let last = super::js::final_error(&error, &last_hooks.0.into(), &last_hooks.1.into());
            Err(wasm_bindgen_futures::JsFuture::from(last).await.unwrap_or_else(|e| e))
        }
        result => result,
    }
}

/// `[href, origin]` from a string or `URL`, resolved against the page's location like fetch does.
fn resolve_url(url: &JsValue) -> Result<(JsValue, String), JsValue> {
    let resolved = super::js::resolve_url(url);
    if let Some(pair) = resolved.dyn_ref::<js_sys::Array>() {
        return Ok((pair.get(0), pair.get(1).as_string().unwrap_or_default()));
    }
    let shown = || redact_url(&url.as_string().unwrap_or_default().chars().take(200).collect::<String>());
    let message = match resolved.as_string().as_deref() {
        Some("type") => format!("url must be a string or a URL, got {}", describe(url)),
        Some("invalid") => format!("url \"{}\" is not a valid URL", shown()),
        Some("credentials") => "url must not contain credentials (user:password@); send them in a header".to_string(),
        Some(protocol) => format!("url must be http: or https:, got {protocol}"),
        None => "url could not be resolved".to_string(),
    };
    Err(type_error(&message))
}

impl Call {
    async fn run(mut self) -> Result<JsValue, JsValue> {
        loop {
            if let Some(signal) = self.options.signal.as_ref().filter(|s| s.aborted()) {
                return Err(self.fail(aborted(signal.reason())));
            }
            let permit = match self.admit().await {
                Ok(permit) => permit,
                Err(Ok(failure)) => return Err(self.fail(failure)),
                Err(Err(thrown)) => return Err(thrown),
            };
            let remaining = self.remaining_ms();
            let number = self.history.len() as u32 + 1;
            let started = perf_now();
            let outcome = run_attempt(&self.href, &self.origin, &self.options, remaining).await;
            let duration_ms = perf_now() - started;
            if let Some(gate) = &self.gate {
                let probe = permit.as_ref().is_some_and(|p| p.probe);
                gate.observe(outcome.as_ref().err().map(|f| &f.error), probe, self.options.retry.max_retry_after_ms);
            }
            drop(permit);
            let failure = match outcome {
                Ok(value) => {
                    self.on_success();
                    return Ok(value);
                }
                Err(failure) => failure,
            };
            if let Some(fatal) = failure.fatal.clone() {
                // A hook threw: the call ends with its TypeError, whatever the retry rules say.
                return Err(fatal);
            }
            self.history.push(record(number, &failure, duration_ms));
            match self.next_step(&failure, number).await? {
                Some(delay_ms) => self.wait(delay_ms, &failure, false).await?,
                None => return Err(self.fail(failure)),
            }
        }
    }

    /// Before each request: the origin's gate (wait, or fail at once when the wait is too long,
    /// also when the wait comes up for a retry), a `maxConcurrent` slot, then the circuit breaker.
    /// `Err(Ok(failure))` to fail the call; `Err(Err(value))` to reject with `value` as it is.
    async fn admit(&mut self) -> Result<Option<Permit>, Result<AttemptError, JsValue>> {
        let (mut permit, mut ticket) = (None, 0);
        loop {
            let Some(gate) = &self.gate else { return Ok(None) };
            let failure = match gate.check(self.options.retry.max_retry_after_ms, self.remaining_ms()) {
                (Verdict::Fail(ms), status) => gate_error(ms, status),
                (Verdict::Wait(ms), status) => {
                    self.wait(ms, &gate_error(ms, status), true).await.map_err(Err)?;
                    continue;
                }
                (Verdict::Go, _) if permit.is_some() => break,
                (Verdict::Go, _) => {
                    if ticket == 0 {
                        ticket = super::gate::ticket();
                    }
                    match gate.enter(ticket, self.options.signal.as_ref(), self.remaining_ms()) {
                        Ok(p) => permit = Some(p),
                        Err(parked) => {
                            let woken = wasm_bindgen_futures::JsFuture::from(parked).await.unwrap_or(JsValue::UNDEFINED);
                            if let Some(failure) = gate.woken(ticket, &woken, self.options.signal.as_ref()) {
                                return Err(Ok(failure));
                            }
                        }
                    }
                    continue;
                }
            };
            return Err(Ok(failure));
        }
        match (self.gate.as_ref().map(CallGate::admit), &mut permit) {
            (Some(Err(ms)), _) => return Err(Ok(circuit_error(ms))),
            (Some(Ok(probe)), Some(p)) => p.probe = probe,
            _ => {}
        }
        Ok(permit)
    }

    /// The URL with credentials removed; built only when an error or hook needs it.
    fn safe_url(&self) -> String {
        redact_url(&self.href.as_string().unwrap_or_default())
    }

    fn remaining_ms(&self) -> Option<f64> {
        self.options.deadline_ms.map(|d| (d - (perf_now() - self.started)).max(0.0))
    }

    /// A success refills the origin's budget; `history` is only ever read from errors, so the
    /// success path records nothing.
    fn on_success(&self) {
        if let Some(config) = &self.options.budget {
            budget::on_success(&self.origin, config, self.spent_tokens);
            if self.options.polite.share && self.spent_tokens > 0.0 {
                super::tabs::post("b", &self.origin, self.spent_tokens, 0.0, 0.0);
            }
        }
    }

    /// The delay before the next attempt, or `None` to stop. Errors only when a hook throws.
    async fn next_step(&mut self, failure: &AttemptError, number: u32) -> Result<Option<u64>, JsValue> {
        if failure.error.kind == ErrorKind::Aborted || failure.scope == Some("signal") {
            return Ok(None);
        }
        let verdict = self.ask_should_retry(failure, number).await?;
        let mut policy_failure = self.policy_failure(failure);
        if verdict.is_some() {
            policy_failure.should_retry = verdict;
        }
        let attempt = Attempt {
            number,
            method: &self.options.method,
            // The caller's explicit `true` vouches that retrying is safe for this request.
            has_idempotency_key: self.options.has_idempotency_key || verdict == Some(true),
            remaining_ms: self.remaining_ms(),
            random: math_random(),
        };
        let Decision::Retry { delay_ms, from_server } = decide(&self.options.retry, &policy_failure, &attempt) else {
            return Ok(None);
        };
        if let Some(hook) = &self.options.before_retry {
            if !super::hooks::before_retry(hook, self.js_error(failure), number, delay_ms).await? {
                return Ok(None);
            }
        }
        if let Some(config) = &self.options.budget {
            let Some(cost) = budget::acquire(&self.origin, config, failure.error.kind) else { return Ok(None) };
            self.spent_tokens += cost;
            if self.options.polite.share {
                super::tabs::post("b", &self.origin, -cost, 0.0, 0.0);
            }
        }
        if let Some(last) = self.history.last_mut() {
            last.delay_ms = Some(delay_ms);
            last.delay_from_server = from_server;
        }
        Ok(Some(delay_ms))
    }

    fn policy_failure(&self, failure: &AttemptError) -> Failure {
        failure.error.failure()
    }

    /// The caller's `shouldRetry(error, attempt)`: `true`/`false` decides, anything else defers.
    async fn ask_should_retry(&self, failure: &AttemptError, number: u32) -> Result<Option<bool>, JsValue> {
        let Some(hook) = &self.options.should_retry else { return Ok(None) };
        let error = self.js_error(failure);
        let verdict = super::hooks::call2("shouldRetry", hook, &error, &JsValue::from(number)).await?;
        Ok(verdict.as_bool())
    }

    /// Waits `delay_ms` before the next attempt; `gate` for a wait on the origin's gate, which
    /// adds to the last attempt's planned delay (or precedes the first request).
    async fn wait(&mut self, delay_ms: u64, failure: &AttemptError, gate: bool) -> Result<(), JsValue> {
        if let Some(g) = &mut self.gate {
            g.waiting(delay_ms);
        }
        if gate {
            if let Some(last) = self.history.last_mut() {
                last.delay_ms = Some(last.delay_ms.unwrap_or(0) + delay_ms);
                last.delay_from_gate = true;
            }
        }
        if let Some(hook) = &self.options.on_retry {
            let source = if gate { crate::key!("gate") } else { self.history.last().map(delay_source).unwrap_or(JsValue::NULL) };
            let info = self.retry_info(delay_ms, failure, source);
            super::hooks::call2("onRetry", hook, &info, &JsValue::UNDEFINED).await?;
        }
        let start = perf_now();
        let target = delay_ms as f64;
        // Browsers may fire a timer a fraction of a millisecond early; never retry before the delay.
        while perf_now() - start < target {
            let left = crate::core::num::ceil(target - (perf_now() - start)).max(1.0) as u32;
            if sleep(left, self.options.signal.as_ref()).await.is_err() {
                let reason = self.options.signal.as_ref().map(|s| s.reason()).unwrap_or(JsValue::UNDEFINED);
                return Err(self.fail(aborted(reason)));
            }
        }
        Ok(())
    }

    fn retry_info(&self, delay_ms: u64, failure: &AttemptError, source: JsValue) -> JsValue {
        let info = Object::new();
        let number = self.history.len() as f64;
        set(&info, crate::key!("attempt"), number);
        set(&info, crate::key!("nextAttempt"), number + 1.0);
        set(&info, crate::key!("delayMs"), delay_ms as f64);
        set(&info, crate::key!("delaySource"), source);
        set(&info, crate::key!("error"), self.js_error(failure));
        set(&info, crate::key!("method"), self.options.method.as_str());
        set(&info, crate::key!("url"), self.safe_url().as_str());
        info.into()
    }

    /// The error object for a hook, built now.
    fn js_error(&self, failure: &AttemptError) -> JsValue {
        self.error_value(failure, false)
    }

    fn error_value(&self, failure: &AttemptError, draft: bool) -> JsValue {
        let retryable = failure.error.retryable(&self.options.retry, &self.options.method, self.options.has_idempotency_key);
        let safe_url = self.safe_url();
        let context = CallContext {
            method: &self.options.method,
            url: &safe_url,
            history: &self.history,
            retryable,
            scope: failure.scope,
            draft,
        };
        to_js_error(&failure.error, &context, &failure.cause, &failure.response)
    }

    /// The final error, as a draft that the package entry (js/index.js) builds into the error
    /// outside wasm; `beforeError` and `onError` (js/glue.js finalError) build it first.
    /// `history` holds the requests actually sent, so an abort during a wait (or before the first
    /// request) adds none and `attempts` stays the number of requests made.
    #[inline(never)]
    fn fail(&mut self, failure: AttemptError) -> JsValue {
        self.error_value(&failure, true)
    }
}

fn record(number: u32, failure: &AttemptError, duration_ms: f64) -> AttemptRecord {
    AttemptRecord {
        attempt: number,
        status: failure.error.status,
        kind: failure.error.kind.as_str(),
        code: Some(failure.error.code.clone()),
        request_id: failure.error.request_id.clone(),
        duration_ms,
        delay_ms: None,
        delay_from_server: false,
        delay_from_gate: false,
    }
}


