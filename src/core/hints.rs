//! What a JSON error body says beyond the error itself: how long to wait (Google's `RetryInfo`,
//! Discord's and Telegram's `retry_after`, Hugging Face's `estimated_time`), which request it was,
//! and Tiptree's rate-limit block.

use crate::prelude::*;

use super::code::typed_detail;
use super::dialect::{at_place, first_at};
use crate::words;
use super::view::{Words, JsonView, Kind, J};
use super::text::tidy;

/// Where bodies put a request id.
const REQUEST_ID_KEYS: Words = words!("request_id requestId request-id debug_id traceId trace_id errorId correlationId correlation_id fbtrace_id transactionid");

/// Where bodies put the keys above: the body, the envelope, Microsoft's `innerError`, Paddle's
/// `meta`.
const REQUEST_ID_PLACES: Words = words!("r: e: e:innerError r:meta");

/// Rule "retry hint in the body": Google's `RetryInfo.retryDelay` ("53s"), Discord's and
/// Telegram's `retry_after` (seconds).
pub(crate) fn retry_delay_ms<V: JsonView>(root: J<V>, env: J<V>) -> Option<f64> {
    if let Some(delay) = typed_detail(env, "RetryInfo").and_then(|info| info.get("retryDelay")) {
        return duration_ms(delay);
    }
    // Hugging Face's `estimated_time` is how long the model takes to load.
    let seconds = first_at(root, env, words!("r:retry_after e:retry_after r:retryAfter r:parameters.retry_after r:estimated_time"))?.as_number()?;
    (seconds >= 0.0).then_some(seconds * 1000.0)
}

/// A protobuf `Duration` as JSON: `"53s"`, `"0.5s"`, or `{ "seconds": 53, "nanos": 0 }`.
fn duration_ms<V: JsonView>(value: J<V>) -> Option<f64> {
    let seconds = match value.kind() {
        Kind::Str => super::num::parse_decimal(value.as_str()?.trim().strip_suffix('s')?)?,
        Kind::Obj => {
            value.number_of("seconds").unwrap_or(0.0) + value.number_of("nanos").unwrap_or(0.0) / 1e9
        }
        _ => return None,
    };
    (seconds.is_finite() && seconds >= 0.0).then_some(seconds * 1000.0)
}

/// Rule "request id in the body", for APIs that send none in a header.
pub(crate) fn request_id_of<V: JsonView>(root: J<V>, env: J<V>) -> Option<String> {
    // Paddle: `meta.request_id`; keys match ignoring ASCII case (`innererror` too).
    for place in REQUEST_ID_PLACES.iter() {
        let Some(json) = at_place(root, env, place) else { continue };
        if let Some(id) = json.code_of(REQUEST_ID_KEYS) {
            return Some(tidy(&id, 200));
        }
    }
    None
}

/// Tiptree's `details.rate_limit{limit, remaining, reset}`.
pub(crate) fn rate_limit_block<V: JsonView>(block: J<V>) -> (Option<f64>, Option<f64>, Option<f64>) {
    (count_at(block, "limit"), count_at(block, "remaining"), count_at(block, "reset").or_else(|| count_at(block, "reset_at")))
}

/// A number not below zero under `key`.
fn count_at<V: JsonView>(block: J<V>, key: &str) -> Option<f64> {
    block.number_of(key).filter(|n| *n >= 0.0)
}
