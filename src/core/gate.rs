//! The origin is the unit of politeness: a server wait seen by one call gates every
//! call to the same key (the origin, or a `gateKey` bucket of it) until that time. Pure: time comes
//! in as an argument (epoch ms, so until-times mean the same in every tab).

use crate::prelude::*;

/// The wait a failed response imposes on its whole key, in ms: a 429 or 503 with `Retry-After` (or
/// `retry-after-ms`, or a rate-limit reset), or any error response whose rate-limit headers say
/// `remaining: 0` until a reset. `retry_after_ms` is the normalized hint (which already folds in
/// the reset of an exhausted window). A wait longer than `cap_ms` (the `maxRetryAfterMs` of the
/// call that saw it) closes nothing: that call fails at once, as every call refusing such a wait
/// would, and one absurd header (`Retry-After: 9007199254740993`) cannot shut an origin for the
/// page's lifetime.
pub fn server_wait(status: Option<u16>, retry_after_ms: Option<u64>, remaining: Option<f64>, cap_ms: u64) -> Option<u64> {
    let status = status?;
    let ms = retry_after_ms.filter(|&ms| ms > 0 && ms <= cap_ms)?;
    (status == 429 || status == 503 || remaining == Some(0.0)).then_some(ms)
}

/// What a call does about a pending gate before it sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing pending: send now.
    Go,
    /// Wait this many ms, then look again.
    Wait(u64),
    /// The wait is longer than `maxRetryAfterMs` or ends after the deadline: fail at once.
    Fail(u64),
}

/// The same rule as a server hint on the call's own retry (policy::decide): over the cap, or at or
/// past the deadline, fails at once.
pub fn verdict(wait_ms: Option<u64>, max_wait_ms: u64, remaining_ms: Option<f64>) -> Verdict {
    match wait_ms {
        None | Some(0) => Verdict::Go,
        Some(ms) if ms > max_wait_ms || remaining_ms.is_some_and(|left| ms as f64 >= left) => Verdict::Fail(ms),
        Some(ms) => Verdict::Wait(ms),
    }
}

/// One closed gate.
#[derive(Debug, Clone, PartialEq)]
pub struct Gate {
    /// The key it closes.
    pub key: String,
    /// When the server said to come back (epoch ms).
    pub until_ms: f64,
    /// The status that closed it: 503 makes a call that cannot wait a ServiceUnavailableError.
    pub status: u16,
}

/// The closed gates. A page talks to a handful of keys: a list, pruned as entries expire.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Gates {
    entries: Vec<Gate>,
}

impl Gates {
    /// Closes `key` until `until_ms` (never shortens a later until-time). Returns whether the gate
    /// moved, i.e. whether other tabs need to hear about it.
    pub fn close(&mut self, key: &str, until_ms: f64, status: u16, now_ms: f64) -> bool {
        self.entries.retain(|e| e.until_ms > now_ms);
        if !until_ms.is_finite() || until_ms <= now_ms {
            return false;
        }
        match self.entries.iter_mut().find(|e| e.key == key) {
            Some(e) if e.until_ms >= until_ms => false,
            Some(e) => {
                e.until_ms = until_ms;
                e.status = status;
                true
            }
            None => {
                self.entries.push(Gate { key: key.to_string(), until_ms, status });
                true
            }
        }
    }

    /// The gate holding `key` back now, if any.
    pub fn pending(&self, key: &str, now_ms: f64) -> Option<&Gate> {
        self.entries.iter().find(|e| e.key == key && e.until_ms > now_ms)
    }

    /// Opens every gate (the host tests' reset; the page never resets its gates).
    #[cfg(any(feature = "std", not(target_arch = "wasm32")))]
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

/// The ms from `now_ms` to `until_ms`, rounded up; 0 when past.
pub fn ms_until(until_ms: f64, now_ms: f64) -> u64 {
    super::headers::clamp_delay(until_ms - now_ms)
}

/// The key of a call: its scope (none for the global one), its origin and the `gateKey` bucket.
pub fn key(scope: &str, origin: &str, bucket: Option<&str>) -> String {
    let mut key = String::with_capacity(scope.len() + origin.len() + 2 + bucket.map_or(0, str::len));
    if !scope.is_empty() {
        key.push_str(scope);
        key.push('\n');
    }
    key.push_str(origin);
    if let Some(b) = bucket.filter(|b| !b.is_empty()) {
        key.push(' ');
        key.push_str(b);
    }
    key
}
