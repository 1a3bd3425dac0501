//! A circuit breaker per key (opt-in `circuitBreaker`): after `failure_threshold` consecutive
//! network/timeout/5xx failures within `window_ms` the key is open and calls fail at once; after
//! `cooldown_ms` one half-open probe decides. Pure: time (epoch ms) comes in as an argument.

use super::kind::ErrorKind;

/// Breaker settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BreakerConfig {
    /// Consecutive failures that open the circuit.
    pub failure_threshold: u32,
    /// A streak older than this starts again (failures far apart are not an outage).
    pub window_ms: f64,
    /// How long the circuit stays open before a probe.
    pub cooldown_ms: f64,
}

impl Default for BreakerConfig {
    /// 5 failures in 60 s open it for 30 s (opossum's `resetTimeout`, Polly's order of magnitude).
    fn default() -> Self {
        BreakerConfig { failure_threshold: 5, window_ms: 60_000.0, cooldown_ms: 30_000.0 }
    }
}

/// How an attempt ended, as the breaker counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The server answered with a status below 500.
    Success,
    /// No response, a timeout, or a 5xx.
    Failure,
    /// The caller aborted: says nothing about the server.
    Neutral,
}

/// The breaker's view of an attempt's result.
pub fn outcome(kind: Option<ErrorKind>, status: Option<u16>) -> Outcome {
    match kind {
        None => Outcome::Success,
        Some(ErrorKind::Aborted) => Outcome::Neutral,
        Some(ErrorKind::Network | ErrorKind::Timeout) => Outcome::Failure,
        Some(_) if status.is_some_and(|s| s >= 500) => Outcome::Failure,
        Some(_) => Outcome::Success,
    }
}

/// Whether a call may send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admit {
    /// Closed: send.
    Go,
    /// Half-open and this call is the probe: send, and report the outcome with `probe: true`.
    Probe,
    /// Open (or a probe is under way): fail at once; the ms until the next probe may go.
    Reject(u64),
}

/// What changed, for other tabs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Change {
    /// Opened until this epoch ms.
    Opened(f64),
    /// Closed again.
    Closed,
}

/// One key's state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Breaker {
    /// Sending; `failures` in a row since `since_ms`.
    Closed {
        /// Consecutive failures.
        failures: u32,
        /// When the streak started.
        since_ms: f64,
    },
    /// Failing at once until `until_ms`.
    Open {
        /// When a probe may go.
        until_ms: f64,
    },
    /// One probe is under way; everyone else fails at once.
    HalfOpen,
}

impl Default for Breaker {
    fn default() -> Self {
        Breaker::Closed { failures: 0, since_ms: 0.0 }
    }
}

impl Breaker {
    /// May a call send now?
    pub fn admit(&mut self, now_ms: f64) -> Admit {
        match *self {
            Breaker::Closed { .. } => Admit::Go,
            Breaker::Open { until_ms } if now_ms < until_ms => Admit::Reject(super::gate::ms_until(until_ms, now_ms)),
            Breaker::Open { .. } => {
                *self = Breaker::HalfOpen;
                Admit::Probe
            }
            Breaker::HalfOpen => Admit::Reject(0),
        }
    }

    /// Counts an attempt's outcome; `probe` when the attempt was admitted with [`Admit::Probe`].
    pub fn record(&mut self, outcome: Outcome, probe: bool, config: &BreakerConfig, now_ms: f64) -> Option<Change> {
        if probe {
            let (next, change) = match outcome {
                Outcome::Success => (Breaker::default(), Some(Change::Closed)),
                Outcome::Failure => {
                    let until_ms = now_ms + config.cooldown_ms;
                    (Breaker::Open { until_ms }, Some(Change::Opened(until_ms)))
                }
                // The probe was cancelled: the next call probes instead.
                Outcome::Neutral => (Breaker::Open { until_ms: now_ms }, None),
            };
            *self = next;
            return change;
        }
        // Attempts admitted before the circuit opened say nothing the probe will not.
        let Breaker::Closed { failures, since_ms } = *self else { return None };
        match outcome {
            Outcome::Neutral => None,
            Outcome::Success => {
                *self = Breaker::default();
                None
            }
            Outcome::Failure => {
                let (failures, since_ms) =
                    if failures == 0 || now_ms - since_ms > config.window_ms { (1, now_ms) } else { (failures + 1, since_ms) };
                if failures >= config.failure_threshold.max(1) {
                    let until_ms = now_ms + config.cooldown_ms;
                    *self = Breaker::Open { until_ms };
                    return Some(Change::Opened(until_ms));
                }
                *self = Breaker::Closed { failures, since_ms };
                None
            }
        }
    }

    /// Another tab opened this key until `until_ms` (a later time wins) or closed it.
    pub fn apply(&mut self, change: Change) {
        match (change, *self) {
            (Change::Opened(until), Breaker::Open { until_ms }) if until_ms >= until => {}
            (Change::Opened(until_ms), Breaker::Closed { .. } | Breaker::Open { .. }) => *self = Breaker::Open { until_ms },
            (Change::Closed, _) => *self = Breaker::default(),
            // A probe of our own is under way: its outcome decides.
            (Change::Opened(_), Breaker::HalfOpen) => {}
        }
    }
}
