//! One retry budget per origin for the page (or worker), shared by every call.

use crate::core::budget::{BudgetConfig, RetryBudget};
use crate::core::kind::ErrorKind;
use std::cell::RefCell;
use std::collections::HashMap;

thread_local! {
    static BUDGETS: RefCell<HashMap<String, RetryBudget>> = RefCell::new(HashMap::new());
}

/// Takes a retry's cost from `origin`'s bucket; `None` when the budget is exhausted.
pub fn acquire(origin: &str, config: &BudgetConfig, kind: ErrorKind) -> Option<f64> {
    BUDGETS.with(|b| {
        let mut map = b.borrow_mut();
        let bucket = map.entry(origin.to_string()).or_insert_with(|| RetryBudget::new(config));
        bucket.try_acquire(config, kind)
    })
}

/// Refills `origin`'s bucket after a success.
pub fn on_success(origin: &str, config: &BudgetConfig, spent: f64) {
    BUDGETS.with(|b| {
        if let Some(bucket) = b.borrow_mut().get_mut(origin) {
            bucket.on_success(config, spent);
        }
    })
}

/// Tokens left for `origin` (a full bucket if it was never used).
pub fn tokens(origin: &str, config: &BudgetConfig) -> f64 {
    BUDGETS.with(|b| b.borrow().get(origin).map(RetryBudget::tokens).unwrap_or(config.capacity))
}

/// Forgets every bucket (all origins start full again), or only `origin`'s.
pub fn reset(origin: Option<&str>) {
    BUDGETS.with(|b| match origin {
        Some(o) => {
            b.borrow_mut().remove(o);
        }
        None => b.borrow_mut().clear(),
    })
}
