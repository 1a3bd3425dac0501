//! The retry loop (ARCHITECTURE.md, "The path of a call"): attempt, normalize, decide through
//! the core's policy, wait with a cancellable timer, and finally throw one typed error.
//!
//! The loop is a small state machine: every wait is one JS promise (an attempt, a hook, a timer, a
//! parked slot); what it settles with goes to [`Call::step`], sync code that decides and returns
//! the next promise to await, or the result. js/index.js `run` awaits each promise and hands it
//! back through [`step`]: no Rust executor (future_to_promise, JsFuture, their task queue and
//! closures) is linked, and an await costs one crossing each way.

use crate::prelude::*;
use alloc::boxed::Box;

use super::attempt::{aborted_by, AttemptError, Read};
use super::budget;
use super::error::{delay_source, to_js_error, AttemptRecord, CallContext};
use super::gate::{circuit_error, gate_error, CallGate, Permit};
use super::js::{hook, math_random, perf_now, set, type_error};
use super::options::{hooks, read, Options};
use super::page::PageCell;
use crate::core::gate::Verdict;
use crate::core::kind::ErrorKind;
use crate::core::policy::{decide, Attempt, Decision};
use js_sys::{Array, Object, Promise};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Response;

/// The calls under way, by id (js/index.js `run` picks the ids: the lowest free one): a call
/// lives here between the promises it awaits. Its slot is empty while a step runs.
static CALLS: PageCell<Vec<Option<Box<Call>>>> = PageCell::empty();

/// Starts a `makeRequestWithRetry` call under `id` (not in use by another call): validates the
/// arguments and takes the first step (see [`step`]). js/index.js `run` awaits each promise the
/// call asks for and hands what it settled with back to [`step`]; every decision stays here.
pub fn start(id: u32, url: JsValue, options: JsValue, max_retries: JsValue) -> Result<JsValue, JsValue> {
    // js/glue.js checks the arguments and words what is wrong with them.
    let prepared = super::js::prepare(&url, &options, &max_retries);
    let Some(prepared) = prepared.dyn_ref::<Array>() else { return Err(prepared) };
    let mut call = Box::new(Call::new(read(prepared)));
    let next = call.begin();
    keep(id, call, next)
}

/// Hands call `id` what the promise it awaited settled with (`ok`: fulfilled). Returns the next
/// promise to await, or the value the call resolves with (never a promise: parsed JSON, text,
/// null or a Response); an `Err` is what it rejects with.
pub fn step(id: u32, ok: bool, value: JsValue) -> Result<JsValue, JsValue> {
    let taken = CALLS.with(|calls| calls.get_mut(id as usize).and_then(Option::take));
    let Some(mut call) = taken else { return Err(type_error("no such call")) };
    let next = call.step(if ok { Ok(value) } else { Err(value) });
    keep(id, call, next)
}

/// Keeps the call under `id` while it awaits `next`'s promise; a call that is done goes.
fn keep(id: u32, call: Box<Call>, next: Next) -> Result<JsValue, JsValue> {
    match next {
        Next::Await(promise) => {
            CALLS.with(|calls| {
                let index = id as usize;
                // Ids are small (js/index.js reuses freed ones); one may come before a lower one
                // reaches here (a call started from a hook of a call that is starting).
                while calls.len() <= index {
                    calls.push(None);
                }
                if let Some(slot) = calls.get_mut(index) {
                    *slot = Some(call);
                }
            });
            Ok(promise.into())
        }
        Next::Done(result) => result,
    }
}

/// The whole call, for the wasm test suites (which call the engine from Rust): the loop of
/// js/index.js `run` over [`start`] and [`step`]. Not in the shipped wasm (the std builds only).
#[cfg(feature = "std")]
pub async fn make_request(url: JsValue, options: JsValue, max_retries: JsValue) -> Result<JsValue, JsValue> {
    // The lowest id not in use, as js/index.js picks them (the suites never mix the two).
    static USED: PageCell<Vec<u32>> = PageCell::empty();
    let id = USED.with(|used| {
        let id = (0..).find(|i| !used.contains(i)).unwrap_or(0);
        used.push(id);
        id
    });
    let result = async {
        let mut next = start(id, url, options, max_retries)?;
        while let Some(promise) = next.dyn_ref::<Promise>() {
            next = match wasm_bindgen_futures::JsFuture::from(promise.clone()).await {
                Ok(value) => step(id, true, value),
                Err(thrown) => step(id, false, thrown),
            }?;
        }
        Ok(next)
    }
    .await;
    USED.with(|used| used.retain(|i| *i != id));
    result
}

/// What the call does next.
enum Next {
    /// Awaits the promise, then hands what it settled with to [`Call::step`].
    Await(Promise),
    /// Resolves or rejects the call.
    Done(Result<JsValue, JsValue>),
}

/// What the awaited promise is.
enum Phase {
    /// Nothing is awaited (between steps).
    Idle,
    /// A queued call waits for a `maxConcurrent` slot (js/glue.js `park`).
    Parked,
    /// The attempt (js/glue.js `attempt`).
    Fetch,
    /// The caller's `isError`: the response, its value and its text.
    IsError(Response, JsValue, JsValue),
    /// The caller's `parseError`: the normalized error, the response and its body.
    ParseError(super::response::Normalized, Response, JsValue),
    /// The caller's `shouldRetry`.
    ShouldRetry(AttemptError),
    /// The caller's `beforeRetry`, for a retry after `delay_ms` (`from_server`: the server's hint).
    BeforeRetry(AttemptError, u64, bool),
    /// The caller's `onRetry`, before a wait of `ms`.
    OnRetry(u64),
    /// The wait before the next attempt or the gate's wait (js/glue.js `park`).
    Sleep,
    /// `beforeError` and `onError` (js/glue.js `finalError`).
    Final,
}

/// One `makeRequestWithRetry` call.
struct Call {
    options: Options,
    started: f64,
    history: Vec<AttemptRecord>,
    spent_tokens: f64,
    /// The origin's gate, `maxConcurrent` and circuit breaker, when any is on.
    gate: Option<CallGate>,
    phase: Phase,
    /// The current attempt's slot, its `maxConcurrent` ticket and when it was sent.
    permit: Option<Permit>,
    ticket: u64,
    sent: f64,
}

impl Call {
    #[inline(never)]
    fn new(options: Options) -> Call {
        let gate = CallGate::new(&options.polite, &options.origin);
        // Only a deadline reads it (remaining_ms).
        let started = if options.deadline_ms.is_some() { perf_now() } else { 0.0 };
        Call {
            options,
            started,
            history: Vec::new(),
            spent_tokens: 0.0,
            gate,
            phase: Phase::Idle,
            permit: None,
            ticket: 0,
            sent: 0.0,
        }
    }

    /// Takes what the awaited promise settled with, according to the phase.
    #[inline(never)]
    fn step(&mut self, settled: Result<JsValue, JsValue>) -> Next {
        match core::mem::replace(&mut self.phase, Phase::Idle) {
            Phase::Idle => self.begin(),
            Phase::Parked => {
                let woken = settled.unwrap_or(JsValue::UNDEFINED);
                let signal = self.options.signal.as_ref();
                match self.gate.as_ref().and_then(|gate| gate.woken(self.ticket, &woken, signal)) {
                    Some(failure) => self.fail(failure),
                    None => self.admit(),
                }
            }
            Phase::Fetch => {
                // The attempt's time so far only names a timeout, which rejects.
                let elapsed = if settled.is_err() { perf_now() - self.sent } else { 0.0 };
                let read = super::attempt::fetched(settled, &self.options, elapsed);
                self.read(read)
            }
            Phase::IsError(response, value, text) => {
                let read = super::attempt::declared(settled, response, value, text, &self.options);
                self.read(read)
            }
            Phase::ParseError(error, response, body) => self.read(super::attempt::parsed(settled, error, response, body)),
            Phase::ShouldRetry(failure) => match settled {
                Ok(verdict) => self.decide(failure, verdict.as_bool()),
                Err(thrown) => Next::Done(Err(thrown)),
            },
            Phase::BeforeRetry(failure, delay_ms, from_server) => match settled {
                Ok(go) if go == JsValue::FALSE => self.fail(failure),
                Ok(_) => self.retry(failure, delay_ms, from_server),
                Err(thrown) => Next::Done(Err(thrown)),
            },
            Phase::OnRetry(ms) => match settled {
                Ok(_) => self.sleep(ms),
                Err(thrown) => Next::Done(Err(thrown)),
            },
            Phase::Sleep => match settled.ok().and_then(|v| v.as_f64()) {
                Some(1.0) => self.fail(aborted_by(self.options.signal.as_ref())),
                _ => self.begin(),
            },
            Phase::Final => Next::Done(Err(settled.unwrap_or_else(|e| e))),
        }
    }

    fn wait_for(&mut self, phase: Phase, promise: Promise) -> Next {
        self.phase = phase;
        Next::Await(promise)
    }

    /// Before each attempt: the caller's signal, then the origin's gate, slots and breaker.
    fn begin(&mut self) -> Next {
        if let Some(signal) = self.options.signal.as_ref().filter(|s| s.aborted()) {
            return self.fail(aborted_by(Some(signal)));
        }
        self.admit()
    }

    /// The origin's gate (wait, or fail at once when the wait is too long, also when the wait
    /// comes up for a retry), a `maxConcurrent` slot, then the circuit breaker; then the attempt.
    #[inline(never)]
    fn admit(&mut self) -> Next {
        while let Some(gate) = &self.gate {
            match gate.check(self.options.retry.max_retry_after_ms, self.remaining_ms()) {
                (Verdict::Fail(ms), status) => return self.fail(gate_error(ms, status)),
                (Verdict::Wait(ms), status) => return self.wait(ms, &gate_error(ms, status), true),
                (Verdict::Go, _) if self.permit.is_some() => break,
                (Verdict::Go, _) => {
                    if self.ticket == 0 {
                        self.ticket = super::gate::ticket();
                    }
                    match gate.enter(self.ticket, self.options.signal.as_ref(), self.remaining_ms()) {
                        Ok(p) => self.permit = Some(p),
                        Err(parked) => return self.wait_for(Phase::Parked, parked),
                    }
                }
            }
        }
        match self.gate.as_ref().map(CallGate::admit) {
            Some(Err(ms)) => return self.fail(circuit_error(ms)),
            Some(Ok(probe)) => {
                if let Some(p) = &mut self.permit {
                    p.probe = probe;
                }
            }
            None => {}
        }
        self.sent = perf_now();
        let promise = super::attempt::start(&self.options, self.remaining_ms());
        self.wait_for(Phase::Fetch, promise)
    }

    /// Where the attempt stands: a hook to await, or its end.
    fn read(&mut self, read: Read) -> Next {
        match read {
            Read::IsError(promise, response, value, text) => self.wait_for(Phase::IsError(response, value, text), promise),
            Read::ParseError(promise, error, response, body) => self.wait_for(Phase::ParseError(error, response, body), promise),
            Read::Value(value) => self.attempt_done(Ok(value)),
            Read::Failed(failure) => self.attempt_done(Err(failure)),
        }
    }

    /// After an attempt: the gate and breaker learn its outcome; a success ends the call, a
    /// failure is recorded and goes to `shouldRetry` and the policy.
    #[inline(never)]
    fn attempt_done(&mut self, outcome: Result<JsValue, AttemptError>) -> Next {
        let permit = self.permit.take();
        self.ticket = 0;
        if let Some(gate) = &self.gate {
            let probe = permit.as_ref().is_some_and(|p| p.probe);
            gate.observe(outcome.as_ref().err().map(|f| &f.error), probe, self.options.retry.max_retry_after_ms);
        }
        drop(permit);
        let failure = match outcome {
            Ok(value) => {
                self.on_success();
                return Next::Done(Ok(value));
            }
            Err(failure) => failure,
        };
        if let Some(fatal) = failure.fatal {
            // A hook threw: the call ends with its TypeError, whatever the retry rules say.
            return Next::Done(Err(fatal));
        }
        let number = self.history.len() as u32 + 1;
        self.history.push(record(number, &failure, perf_now() - self.sent));
        if failure.error.kind == ErrorKind::Aborted || failure.scope == Some("signal") {
            return self.fail(failure);
        }
        if self.options.has(hooks::SHOULD_RETRY) {
            // The caller's `shouldRetry(error, attempt)`: `true`/`false` decides, anything else defers.
            let promise = hook(&self.options.hooks, "shouldRetry", &self.js_error(&failure), &JsValue::from(number));
            return self.wait_for(Phase::ShouldRetry(failure), promise);
        }
        self.decide(failure, None)
    }

    /// The core's policy (with the caller's `shouldRetry` verdict), then `beforeRetry`.
    #[inline(never)]
    fn decide(&mut self, failure: AttemptError, verdict: Option<bool>) -> Next {
        let number = self.history.len() as u32;
        let mut policy_failure = failure.error.failure();
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
            return self.fail(failure);
        };
        if self.options.has(hooks::BEFORE_RETRY) {
            // `beforeRetry({ error, attempt, delayMs })`: `false` stops.
            let info = Object::new();
            set(&info, crate::key!("error"), self.js_error(&failure));
            set(&info, crate::key!("attempt"), number);
            set(&info, crate::key!("delayMs"), delay_ms as f64);
            let promise = hook(&self.options.hooks, "beforeRetry", &info, &JsValue::UNDEFINED);
            return self.wait_for(Phase::BeforeRetry(failure, delay_ms, from_server), promise);
        }
        self.retry(failure, delay_ms, from_server)
    }

    /// A retry decided: the origin's budget may still refuse it; then the wait.
    fn retry(&mut self, failure: AttemptError, delay_ms: u64, from_server: bool) -> Next {
        if let Some(config) = &self.options.budget {
            let Some(cost) = budget::acquire(&self.options.origin, config, failure.error.kind) else { return self.fail(failure) };
            self.spent_tokens += cost;
            if self.options.polite.share {
                super::tabs::post("b", &self.options.origin, -cost, 0.0, 0.0);
            }
        }
        if let Some(last) = self.history.last_mut() {
            last.delay_ms = Some(delay_ms);
            last.delay_from_server = from_server;
        }
        self.wait(delay_ms, &failure, false)
    }

    /// Waits `delay_ms` before the next attempt (`onRetry` first); `gate` for a wait on the
    /// origin's gate, which adds to the last attempt's planned delay (or precedes the first request).
    #[inline(never)]
    fn wait(&mut self, delay_ms: u64, failure: &AttemptError, gate: bool) -> Next {
        if let Some(g) = &mut self.gate {
            g.waiting(delay_ms);
        }
        if gate {
            if let Some(last) = self.history.last_mut() {
                last.delay_ms = Some(last.delay_ms.unwrap_or(0) + delay_ms);
                last.delay_from_gate = true;
            }
        }
        if !self.options.has(hooks::ON_RETRY) {
            return self.sleep(delay_ms);
        }
        let source = if gate { crate::key!("gate") } else { self.history.last().map(delay_source).unwrap_or(JsValue::NULL) };
        let info = Object::new();
        let number = self.history.len() as f64;
        set(&info, crate::key!("attempt"), number);
        set(&info, crate::key!("nextAttempt"), number + 1.0);
        set(&info, crate::key!("delayMs"), delay_ms as f64);
        set(&info, crate::key!("delaySource"), source);
        set(&info, crate::key!("error"), self.js_error(failure));
        set(&info, crate::key!("method"), self.options.method.as_str());
        set(&info, crate::key!("url"), super::js::redact_url(&self.options.href));
        let promise = hook(&self.options.hooks, "onRetry", &info, &JsValue::UNDEFINED);
        self.wait_for(Phase::OnRetry(delay_ms), promise)
    }

    /// The timer, cut short by the caller's signal (js/glue.js `park`, which never fires early).
    fn sleep(&mut self, ms: u64) -> Next {
        let parked = super::js::park(self.options.signal.as_ref(), Some(ms as f64));
        self.wait_for(Phase::Sleep, Promise::from(parked.get(0)))
    }

    fn remaining_ms(&self) -> Option<f64> {
        self.options.deadline_ms.map(|d| (d - (perf_now() - self.started)).max(0.0))
    }

    /// A success refills the origin's budget; `history` is only ever read from errors, so the
    /// success path records nothing.
    fn on_success(&self) {
        if let Some(config) = &self.options.budget {
            budget::on_success(&self.options.origin, config, self.spent_tokens);
            if self.options.polite.share && self.spent_tokens > 0.0 {
                super::tabs::post("b", &self.options.origin, self.spent_tokens, 0.0, 0.0);
            }
        }
    }

    /// The error object for a hook, built now.
    fn js_error(&self, failure: &AttemptError) -> JsValue {
        self.error_value(failure, false)
    }

    #[inline(never)]
    fn error_value(&self, failure: &AttemptError, draft: bool) -> JsValue {
        let retryable = failure.error.retryable(&self.options.retry, &self.options.method, self.options.has_idempotency_key);
        let context = CallContext {
            method: &self.options.method,
            url: &self.options.href,
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
    fn fail(&mut self, failure: AttemptError) -> Next {
        self.permit = None;
        let draft = self.error_value(&failure, true);
        if !self.options.has(hooks::BEFORE_ERROR | hooks::ON_ERROR) {
            return Next::Done(Err(draft));
        }
        let promise = super::js::final_error(&draft, &self.options.hooks);
        self.wait_for(Phase::Final, promise)
    }
}

fn record(number: u32, failure: &AttemptError, duration_ms: f64) -> AttemptRecord {
    AttemptRecord {
        attempt: number,
        status: failure.error.status,
        kind: failure.error.kind,
        code: Some(failure.error.code.clone()),
        request_id: failure.error.request_id.clone(),
        duration_ms,
        delay_ms: None,
        delay_from_server: false,
        delay_from_gate: false,
    }
}
