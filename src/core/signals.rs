//! What an error's codes say about retrying, whatever status carried them: throttling that an API
//! answers with a 400 or 403 (AWS, Google, Stripe), and exhausted quotas or billing that a 429
//! carries but no retry can fix (OpenAI `insufficient_quota`).

use crate::words;
use super::view::{Words, JsonView, J};

/// Codes that mean "slow down and try again", compared without case, `_` or `-`.
/// AWS: the throttling codes its SDKs retry; Google: legacy `reason`s and AIP-193 reasons;
/// Stripe and Anthropic: `rate_limit`, `rate_limit_error`; GraphQL servers: `THROTTLED`.
const THROTTLING: Words = words!("throttling throttlingexception throttled throttlederror requestthrottled \
    requestthrottledexception toomanyrequests toomanyrequestsexception ratelimit ratelimited \
    ratelimiterror ratelimitexceeded userratelimitexceeded requestlimitexceeded \
    provisionedthroughputexceededexception slowdown bandwidthlimitexceeded overquerylimit \
    toomanyattemptstrylater serverbusy");

/// Codes that mean a quota or the billing is exhausted: waiting a few seconds will not help.
const EXHAUSTED: Words = words!("insufficientquota quotaexceeded dailylimitexceeded billinghardlimitreached \
    billingnotactive overdailylimit dailyquotaexceeded");

/// Whether `code`, without its AWS namespace, case, `_` or `-`, is one of the words of `list` (no allocation:
/// the rules ask this of every code-like string a body carries).
fn folded_in(code: &str, list: Words) -> bool {
    // Folded once into a small buffer; no code in the lists is longer.
    let mut buf = [0u8; 48];
    let mut len = 0;
    for &b in short_type_name(code).as_bytes() {
        if b == b'_' || b == b'-' {
            continue;
        }
        let Some(slot) = buf.get_mut(len) else { return false };
        *slot = b.to_ascii_lowercase();
        len += 1;
    }
    let folded = buf.get(..len).unwrap_or(&[]);
    list.iter().any(|word| word.as_bytes() == folded)
}

/// Whether a code says the request was throttled.
pub fn is_throttling_code(code: &str) -> bool {
    folded_in(code, THROTTLING)
}

/// Whether a code says a quota or billing limit is exhausted.
pub fn is_exhausted_code(code: &str) -> bool {
    folded_in(code, EXHAUSTED)
}

/// What the code-like strings of an error envelope say (`code`, `type`, `reason`, `status`,
/// `__type`, legacy Google `errors[].reason`, AIP-193 `details[].reason`): a signal may hide in
/// any of them. Read in one pass, without collecting them.
#[derive(Default)]
pub(crate) struct CodeSignals {
    /// One says the request was throttled.
    pub throttled: bool,
    /// One says a quota or the billing is exhausted.
    pub exhausted: bool,
    /// The kind the first one that names a kind names.
    pub kind: Option<super::kind::ErrorKind>,
}

impl CodeSignals {
    pub(crate) fn of<V: JsonView>(env: J<V>) -> CodeSignals {
        let mut signals = CodeSignals::default();
        for key in words!("code type reason status __type").iter() {
            signals.note(env.get(key).and_then(J::as_text));
        }
        for list in words!("errors details").iter() {
            let Some(list) = env.get(list) else { continue };
            let mut items = list.items();
            for _ in 0..8 {
                let Some(item) = items.next() else { break };
                signals.note(item.str_of(words!("reason code")));
            }
        }
        signals
    }

    fn note(&mut self, code: Option<&str>) {
        let Some(code) = code else { return };
        self.throttled |= is_throttling_code(code);
        self.exhausted |= is_exhausted_code(code);
        if self.kind.is_none() {
            self.kind = super::error::code_kind(Some(code));
        }
    }
}

/// An AWS error type without its namespace or trailing URI:
/// `com.amazonaws.dynamodb.v20120810#ResourceNotFoundException` and
/// `ValidationException:http://internal.amazon.com/...` both name the part in between.
pub fn short_type_name(code: &str) -> &str {
    // Byte positions: `#` and `:` are ASCII, and a char searcher costs more than the loop.
    let (mut start, mut end) = (0, code.len());
    let mut at = 0;
    while let Some(&b) = code.as_bytes().get(at) {
        if b == b'#' {
            (start, end) = (at + 1, code.len());
        } else if b == b':' && end == code.len() {
            end = at;
        }
        at += 1;
    }
    code.get(start..end).unwrap_or(code).trim()
}
