//! A retry budget per origin: the token bucket of the AWS SDK's standard retry mode. While an origin
//! keeps failing, retries drain the bucket and stop; successes refill it.

use super::kind::ErrorKind;

/// Bucket settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BudgetConfig {
    /// Tokens in a full bucket.
    pub capacity: f64,
    /// Tokens a retry costs.
    pub retry_cost: f64,
    /// Tokens a retry after a timeout costs (timeouts hint at an overloaded server).
    pub timeout_cost: f64,
    /// Tokens a first-try success gives back.
    pub success_refill: f64,
}

impl Default for BudgetConfig {
    fn default() -> Self {
        BudgetConfig { capacity: 500.0, retry_cost: 5.0, timeout_cost: 10.0, success_refill: 1.0 }
    }
}

/// One origin's bucket.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryBudget {
    tokens: f64,
}

impl RetryBudget {
    /// A full bucket.
    pub fn new(config: &BudgetConfig) -> RetryBudget {
        RetryBudget { tokens: config.capacity }
    }

    /// Tokens left (the host's tests read it; the shell does not).
        #[cfg(any(feature = "std", not(target_arch = "wasm32")))]
    pub fn tokens(&self) -> f64 {
        self.tokens
    }

    /// Takes the cost of retrying after `kind`; `None` (and nothing taken) when the bucket is too low.
    pub fn try_acquire(&mut self, config: &BudgetConfig, kind: ErrorKind) -> Option<f64> {
        let cost = if kind == ErrorKind::Timeout { config.timeout_cost } else { config.retry_cost };
        if self.tokens < cost {
            return None;
        }
        self.tokens -= cost;
        Some(cost)
    }

    /// Another tab spent (negative `delta`) or got back tokens: kept within `[0, capacity]`.
    pub fn adjust(&mut self, delta: f64, capacity: f64) {
        let next = self.tokens + delta;
        if next.is_finite() {
            self.tokens = next.max(0.0).min(capacity.max(self.tokens));
        }
    }

    /// A call succeeded: give back what its retries cost, or the small refill for a first-try success.
    pub fn on_success(&mut self, config: &BudgetConfig, spent: f64) {
        let refund = if spent > 0.0 { spent } else { config.success_refill };
        self.tokens = (self.tokens + refund).min(config.capacity);
    }
}
