//! One retry budget per origin for the page (or worker), shared by every call. A page talks to a
//! handful of origins, so a short list beats a hash map (and its wasm size).

use crate::prelude::*;

use crate::core::budget::{BudgetConfig, RetryBudget};
use crate::core::kind::ErrorKind;
use super::page::PageCell;

static BUDGETS: PageCell<Vec<(String, RetryBudget)>> = PageCell::empty();

fn with_bucket<T>(origin: &str, config: &BudgetConfig, f: impl FnOnce(&mut RetryBudget) -> T) -> T {
    BUDGETS.with(|list| match bucket(list, origin, config) {
        Some(bucket) => f(bucket),
        None => f(&mut RetryBudget::new(config)),
    })
}

/// `origin`'s bucket, added full first if missing (`None` cannot happen): one body for every
/// caller of `with_bucket`.
#[inline(never)]
fn bucket<'a>(list: &'a mut Vec<(String, RetryBudget)>, origin: &str, config: &BudgetConfig) -> Option<&'a mut RetryBudget> {
    let i = match list.iter().position(|(o, _)| o == origin) {
        Some(i) => i,
        None => {
            list.push((origin.into(), RetryBudget::new(config)));
            list.len() - 1
        }
    };
    list.get_mut(i).map(|(_, bucket)| bucket)
}

/// Takes a retry's cost from `origin`'s bucket; `None` when the budget is exhausted.
pub fn acquire(origin: &str, config: &BudgetConfig, kind: ErrorKind) -> Option<f64> {
    with_bucket(origin, config, |bucket| bucket.try_acquire(config, kind))
}

/// Refills `origin`'s bucket after a success.
pub fn on_success(origin: &str, config: &BudgetConfig, spent: f64) {
    with_bucket(origin, config, |bucket| bucket.on_success(config, spent))
}

/// Another tab's retries spent (negative) or refunded `delta` tokens of `origin`'s bucket.
pub fn apply(origin: &str, delta: f64) {
    let config = BudgetConfig::default();
    with_bucket(origin, &config, |bucket| bucket.adjust(delta, config.capacity))
}

/// Forgets every bucket (all origins start full again), or only `origin`'s.
pub fn reset(origin: Option<&str>) {
    BUDGETS.with(|list| match origin {
        // Origins are unique in the list and its order is not kept.
        Some(o) => {
            if let Some(i) = list.iter().position(|(k, _)| k == o) {
                list.swap_remove(i);
            }
        }
        None => list.clear(),
    })
}
