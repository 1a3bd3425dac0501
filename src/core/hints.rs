//! What a JSON error body says beyond the error itself: how long to wait (Google's `RetryInfo`,
//! Discord's and Telegram's `retry_after`, Hugging Face's `estimated_time`), which request it was,
//! and Tiptree's rate-limit block.

use crate::prelude::*;

use super::dialect::type_is;
use super::view::{JsonView, Kind, J};
use super::text::tidy;

/// Where bodies put a request id.
const REQUEST_ID_KEYS: [&str; 11] = [
    "request_id", "requestId", "request-id", "debug_id", "traceId", "trace_id", "errorId", "correlationId", "correlation_id",
    "fbtrace_id", "transactionid",
];

/// Rule "retry hint in the body": Google's `RetryInfo.retryDelay` ("53s"), Discord's and
/// Telegram's `retry_after` (seconds).
pub(crate) fn retry_delay_ms<V: JsonView>(root: J<V>, env: J<V>) -> Option<f64> {
    let retry_info = env.get("details").and_then(J::array).and_then(|mut d| d.find(|i| type_is(*i, "RetryInfo")));
    if let Some(delay) = retry_info.and_then(|info| info.get("retryDelay")) {
        return duration_ms(delay);
    }
    // Hugging Face's `estimated_time` is how long the model takes to load.
    let seconds = root
        .get("retry_after")
        .or_else(|| env.get("retry_after"))
        .or_else(|| root.get("retryAfter"))
        .or_else(|| root.get("parameters").and_then(|p| p.get("retry_after")))
        .or_else(|| root.get("estimated_time"))?
        .as_number()?;
    (seconds >= 0.0).then_some(seconds * 1000.0)
}

/// A protobuf `Duration` as JSON: `"53s"`, `"0.5s"`, or `{ "seconds": 53, "nanos": 0 }`.
fn duration_ms<V: JsonView>(value: J<V>) -> Option<f64> {
    let seconds = match value.kind() {
        Kind::Str => super::num::parse_decimal(value.as_str()?.trim().strip_suffix('s')?)?,
        Kind::Obj => {
            let whole = value.get("seconds").and_then(J::as_number).unwrap_or(0.0);
            whole + value.get("nanos").and_then(J::as_number).unwrap_or(0.0) / 1e9
        }
        _ => return None,
    };
    (seconds.is_finite() && seconds >= 0.0).then_some(seconds * 1000.0)
}

/// Rule "request id in the body", for APIs that send none in a header.
pub(crate) fn request_id_of<V: JsonView>(root: J<V>, env: J<V>) -> Option<String> {
    let inner = env.get("innerError").or_else(|| env.get("innererror"));
    // Paddle: `meta.request_id`.
    [Some(root), Some(env), inner, root.get("meta")]
        .into_iter()
        .flatten()
        .find_map(|json| REQUEST_ID_KEYS.iter().find_map(|k| json.get(k).and_then(J::to_code)))
        .map(|id| tidy(&id, 200))
}

/// Tiptree's `details.rate_limit{limit, remaining, reset}`.
pub(crate) fn rate_limit_block<V: JsonView>(block: J<V>) -> (Option<f64>, Option<f64>, Option<f64>) {
    let number = |k: &str| block.get(k).and_then(J::as_number).filter(|n| *n >= 0.0);
    (number("limit"), number("remaining"), number("reset").or_else(|| number("reset_at")))
}
