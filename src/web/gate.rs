//! The page's politeness per origin (README, "Politeness per origin"): the rate-limit gate,
//! `maxConcurrent` slots and the circuit breaker, keyed by scope + origin + `gateKey` bucket. The
//! decisions are the core's (core::gate, core::slots, core::breaker); this file keeps the page's
//! state, parks and wakes waiting calls, and tells the other tabs (web::tabs).

use crate::prelude::*;

use super::attempt::{aborted_by, AttemptError};
use super::js::date_now;
use crate::core::breaker::{outcome, Admit, Breaker, BreakerConfig, Change};
use super::response::Normalized;
use crate::core::gate::{ms_until, server_wait, verdict, Gates, Verdict};
use crate::core::kind::ErrorKind;
use crate::core::slots::Slots;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

/// The options behind it, as read by web::options.
#[derive(Default)]
pub struct Politeness {
    /// `originGate`: `None` off; `Some("")` the page-wide scope; `Some(scope)` a named one.
    pub scope: Option<String>,
    /// What the caller's `gateKey(url)` returned: the origin's bucket.
    pub bucket: Option<String>,
    /// `maxConcurrent`.
    pub max_concurrent: Option<u32>,
    /// `circuitBreaker`.
    pub breaker: Option<BreakerConfig>,
    /// `shareAcrossTabs`.
    pub share: bool,
}

#[derive(Default)]
struct State {
    /// The last ticket handed out (FIFO order of the `maxConcurrent` queue).
    tickets: u64,
    gates: Gates,
    slots: Vec<(String, Slots)>,
    breakers: Vec<(String, Breaker)>,
    /// The `wake` functions of parked calls (js/glue.js `park`), by ticket.
    parked: Vec<(u64, js_sys::Function)>,
}

static STATE: super::page::PageCell<State> = super::page::PageCell::empty();

fn with<T>(f: impl FnOnce(&mut State) -> T) -> T {
    STATE.with(f)
}

/// `key`'s entry of a per-key list, added first if missing (`None` cannot happen).
fn entry<'a, T: Default>(list: &'a mut Vec<(String, T)>, key: &str) -> Option<&'a mut T> {
    let i = match list.iter().position(|(k, _)| k == key) {
        Some(i) => i,
        None => {
            list.push((key.into(), T::default()));
            list.len() - 1
        }
    };
    list.get_mut(i).map(|(_, value)| value)
}

fn wake(state: &mut State, ticket: Option<u64>) {
    if let Some(wake) = ticket.and_then(|t| unpark(state, t)) {
        let _ = wake.call0(&JsValue::UNDEFINED);
    }
}

/// Drops `key`'s slots once nobody is in flight or queued there (the only places a key's slots
/// can become idle call it), so the list holds the keys in use.
fn prune(state: &mut State, key: &str) {
    if let Some(i) = state.slots.iter().position(|(k, slot)| k == key && slot.is_idle()) {
        state.slots.swap_remove(i);
    }
}

/// Takes `ticket`'s `wake` out of the parked list (tickets are unique; the order is not kept).
fn unpark(state: &mut State, ticket: u64) -> Option<js_sys::Function> {
    let i = state.parked.iter().position(|(p, _)| *p == ticket)?;
    Some(state.parked.swap_remove(i).1)
}

/// A new ticket for the `maxConcurrent` queue.
pub fn ticket() -> u64 {
    with(|s| {
        s.tickets += 1;
        s.tickets
    })
}

/// One call's part in it.
pub struct CallGate {
    key: String,
    gate: bool,
    share: bool,
    max_concurrent: Option<u32>,
    breaker: Option<BreakerConfig>,
    /// The latest until-time this call already waited for (its own hint included): a call never
    /// waits twice for the same gate.
    waited_until: f64,
}

/// A request's slot (and whether it is the breaker's probe); frees the slot when dropped.
pub struct Permit {
    key: Option<String>,
    /// Admitted as the half-open probe.
    pub probe: bool,
}

impl Drop for Permit {
    fn drop(&mut self) {
        if let Some(key) = &self.key {
            with(|s| {
                let next = entry(&mut s.slots, key).and_then(Slots::leave);
                wake(s, next);
                prune(s, key);
            });
        }
    }
}

impl CallGate {
    /// `None` when the call uses none of it.
    pub fn new(p: &Politeness, origin: &str) -> Option<CallGate> {
        if p.scope.is_none() && p.max_concurrent.is_none() && p.breaker.is_none() {
            return None;
        }
        if p.share {
            super::tabs::join();
            super::tabs::take();
        }
        let scope = p.scope.as_deref().unwrap_or("");
        Some(CallGate {
            key: crate::core::gate::key(scope, origin, p.bucket.as_deref()),
            gate: p.scope.is_some(),
            share: p.share,
            max_concurrent: p.max_concurrent,
            breaker: p.breaker,
            waited_until: 0.0,
        })
    }

    /// The gate's verdict now, and the status that closed it.
    pub fn check(&self, max_wait_ms: u64, remaining_ms: Option<f64>) -> (Verdict, u16) {
        if !self.gate {
            return (Verdict::Go, 0);
        }
        if self.share {
            super::tabs::take();
        }
        // No gate closed for the key at all (the common case): no clock read.
        if with(|s| s.gates.pending(&self.key, f64::NEG_INFINITY).is_none()) {
            return (Verdict::Go, 0);
        }
        let now = date_now();
        with(|s| match s.gates.pending(&self.key, now) {
            Some(g) if g.until_ms > self.waited_until => (verdict(Some(ms_until(g.until_ms, now)), max_wait_ms, remaining_ms), g.status),
            _ => (Verdict::Go, 0),
        })
    }

    /// This call is about to wait `ms` (its own retry delay or the gate's).
    pub fn waiting(&mut self, ms: u64) {
        self.waited_until = self.waited_until.max(date_now() + ms as f64);
    }

    /// Takes a `maxConcurrent` slot for `ticket` (first come, first served), or queues it and
    /// returns the promise to await (js/glue.js `park`: 0 woken, 1 aborted, 2 the deadline), then
    /// call [`CallGate::woken`].
    pub fn enter(&self, ticket: u64, signal: Option<&AbortSignal>, remaining_ms: Option<f64>) -> Result<Permit, js_sys::Promise> {
        let Some(max) = self.max_concurrent else { return Ok(Permit { key: None, probe: false }) };
        let key = self.key.as_str();
        let entered = with(|s| {
            let next = entry(&mut s.slots, key).and_then(|slots| slots.try_enter(ticket, max).then(|| slots.next()));
            // Another slot may be free too: let the next in line look.
            next.map(|next| wake(s, next)).is_some()
        });
        if entered {
            return Ok(Permit { key: Some(self.key.clone()), probe: false });
        }
        let parked = super::js::park(signal, remaining_ms.map(crate::core::num::ceil));
        if let Ok(wake) = parked.get(1).dyn_into::<js_sys::Function>() {
            with(|s| s.parked.push((ticket, wake)));
        }
        Err(js_sys::Promise::from(parked.get(0)))
    }

    /// A queued call's promise settled with `value`: `None` to try [`CallGate::enter`] again, or
    /// why it gives up (and it has left the queue).
    pub fn woken(&self, ticket: u64, value: &JsValue, signal: Option<&AbortSignal>) -> Option<AttemptError> {
        let why = value.as_f64().filter(|&v| v != 0.0)?;
        with(|s| {
            unpark(s, ticket);
            let next = entry(&mut s.slots, &self.key).and_then(|slots| slots.cancel(ticket));
            wake(s, next);
            prune(s, &self.key);
        });
        Some(if why == 1.0 { aborted_by(signal) } else { no_slot() })
    }

    /// The circuit breaker's word: `Ok(probe)` to send, `Err(ms)` until the next probe.
    pub fn admit(&self) -> Result<bool, u64> {
        if self.breaker.is_none() {
            return Ok(false);
        }
        match with(|s| entry(&mut s.breakers, &self.key).map(|b: &mut Breaker| b.admit(date_now()))).unwrap_or(Admit::Go) {
            Admit::Go => Ok(false),
            Admit::Probe => Ok(true),
            Admit::Reject(ms) => Err(ms),
        }
    }

    /// After an attempt (`error` is `None` on success): a server wait closes the gate for the
    /// key, and the breaker counts the outcome. `cap_ms` is this call's `maxRetryAfterMs`.
    pub fn observe(&self, error: Option<&Normalized>, probe: bool, cap_ms: u64) {
        if error.is_none() && self.breaker.is_none() {
            // A success with no breaker: nothing to learn.
            return;
        }
        let now = date_now();
        if let Some(e) = error.filter(|_| self.gate) {
            let remaining = e.rate_limit.as_ref().and_then(|r| r.remaining);
            if let (Some(ms), Some(status)) = (server_wait(e.status, e.retry_after_ms, remaining, cap_ms), e.status) {
                let until = now + ms as f64;
                if with(|s| s.gates.close(&self.key, until, status, now)) && self.share {
                    super::tabs::post("g", &self.key, until, status as f64, 0.0);
                }
            }
        }
        if let Some(config) = &self.breaker {
            let result = outcome(error.map(|e| e.kind), error.and_then(|e| e.status));
            let change = with(|s| entry(&mut s.breakers, &self.key).and_then(|b: &mut Breaker| b.record(result, probe, config, now)));
            if self.share {
                match change {
                    Some(Change::Opened(until)) => super::tabs::post("o", &self.key, until, 0.0, 0.0),
                    Some(Change::Closed) => super::tabs::post("c", &self.key, 0.0, 0.0, 0.0),
                    None => {}
                }
            }
        }
    }
}

fn no_slot() -> AttemptError {
    let error = Normalized::without_response(ErrorKind::Timeout, "No request slot (maxConcurrent) freed up before deadlineMs");
    AttemptError::new(error, JsValue::UNDEFINED, Some("deadline"))
}

/// The error of a call that cannot wait for the gate: no request sent, `retryAfterMs` the wait.
pub fn gate_error(ms: u64, status: u16) -> AttemptError {
    let (kind, message) = if status == 503 {
        (ErrorKind::Unavailable, "Service unavailable: an earlier response from this origin asked to wait longer than maxRetryAfterMs or the deadline allows; no request was sent")
    } else {
        (ErrorKind::RateLimited, "Rate limited: an earlier response from this origin asked to wait longer than maxRetryAfterMs or the deadline allows; no request was sent")
    };
    let mut error = Normalized::without_response(kind, message);
    error.retry_after_ms = Some(ms);
    AttemptError::new(error, JsValue::UNDEFINED, None)
}

/// The error of a call refused by an open circuit: `retryAfterMs` is the time to the next probe.
pub fn circuit_error(ms: u64) -> AttemptError {
    let mut error = Normalized::without_response(ErrorKind::Unavailable, "Circuit open: recent requests to this origin failed; no request was sent");
    error.retry_after_ms = Some(ms);
    AttemptError::new(error, JsValue::UNDEFINED, Some("circuit"))
}

/// Another tab's update (`kind`: the letter of web::tabs::post).
pub fn apply_remote(kind: u8, key: &str, a: f64, b: f64) {
    let now = date_now();
    with(|s| match kind {
        b'g' => {
            s.gates.close(key, a, b as u16, now);
        }
        b'o' => entry(&mut s.breakers, key).into_iter().for_each(|b: &mut Breaker| b.apply(Change::Opened(a))),
        b'c' => entry(&mut s.breakers, key).into_iter().for_each(|b: &mut Breaker| b.apply(Change::Closed)),
        _ => {}
    });
}
