//! Rule "code": the API's most specific machine code, as data (CODE_RULES), and the shapes of
//! code-like text (tokens, UPPER_SNAKE, identifiers) that the other rules ask about too.

use crate::prelude::*;
use alloc::borrow::Cow;

use super::view::{JsonView, Kind, Words, J};
use super::signals::short_type_name;
use crate::words;

/// A machine code, and whether it was a bare string `error` (Slack, OAuth) that no sentence
/// explains: such a code also makes the message when there is nothing better.
pub(crate) struct Code {
    pub(crate) text: String,
    pub(crate) bare: bool,
}

/// What one rule found, untrimmed (borrowed from the body where it can be), and whether it is bare.
type Found<'v> = (Cow<'v, str>, bool);

/// Rule "code": the API's most specific machine-readable identifier, as data: rules tried in
/// order; the first that yields a code wins. A rule is an op letter, a base and a key path (one
/// string of words, which the wasm holds in fewer bytes than a table of slices). Ops on the string found
/// (tested as given, kept trimmed): `s` a token (no inner space, not the status echoed, AWS
/// namespace dropped), `n` a number other than the status, `k` either (`n` for a number, else
/// `s`), `c` a string or number, `a` any, `u` UPPER_SNAKE, `N` upper snake or a code token, `S`
/// a status name (upper snake, or a joined code token), `i` an identifier, `t` an identifier but
/// `error`, `w` a snake word, `E` a code token once trimmed. An upper-case op
/// makes a bare code (also the message when there is none). Ops without a path: `M` Firebase's
/// code in the message, `X` Microsoft's innermost `innererror` code, `G` AIP-193's
/// `ErrorInfo.reason`, `Y` Contentful's `sys.id`, `T` Dropbox's tag path, `H` the
/// `x-amzn-ErrorType` header, `P` RFC 9457's `type` URI.
///
/// Why the order: Google's legacy `errors[].reason` (BigQuery's `rateLimitExceeded`) is more
/// specific than the `status` beside it; a body that is only a Google status (Maps'
/// OVER_QUERY_LIMIT) is also its own message; Checkout.com's `error_codes[0]` is the only word it
/// gives; Viber answers 200 with its own numeric `status`; PayPal's first detail's `issue` is
/// more specific than the error's `name` (PayPal's `INVALID_REQUEST`, Resend's
/// `missing_required_field`); Kubernetes' and APNs' `reason` (`PayloadEmpty`) with no sentence
/// beside it is the message. A list's first item (JSON:API, GraphQL `extensions.code`, Fitbit's
/// `errorType`, eBay's `errorId`, Coinbase's snake `id`, GitHub GraphQL's `NOT_FOUND` `type`; a
/// title is text, not a code) names the error only when the body has no message of its own
/// (GitHub's and Spring's items carry per-field codes beside a top-level message). Then Heroku's
/// and DigitalOcean's snake `id`, Slack's and OAuth's string `error` (NestJS's `"Forbidden"` is a
/// message), FastAPI's `detail[0].type`.
/// Where a place starts: the envelope, the body, the first item of the body's `errors` when the
/// body has no message of its own, or nowhere (the op finds its own).
pub(crate) const ENV: u8 = b'e';
const ROOT: u8 = b'r';
const LIST: u8 = b'l';

/// One rule a word: its op, then its place as `base:path` (`"0"` is an array's first item), or
/// the op alone.
const CODE_RULES: Words = words!("se:code M X G ae:errors.0.reason Se:status ne:code ke:error_code ke:errorCode ke:error_name \
    ke:errorName ke:ecode ke:serviceErrorCode ke:status_code ke:errorType Be:error_codes.0 ne:status Y T \
    ue:details.0.issue Ne:name sr:__type H Ie:reason cl:code cl:errorType cl:errorId al:extensions.code \
    al:extensions.error_code wl:id ul:type te:type ue:category wr:id Er:error cr:detail.0.type P");

pub(crate) fn code_of<'v, V: JsonView>(root: J<'v, V>, env: J<'v, V>, status: u16, type_header: Option<&'v str>, has_own_message: bool) -> Option<Code> {
    // The first item of `errors`, looked up once, when a rule first asks for it.
    let mut list = None;
    for rule in CODE_RULES.iter() {
        let base = match rule.as_bytes().get(1) {
            Some(&ENV) => Some(env),
            Some(&ROOT) => Some(root),
            Some(&LIST) => *list.get_or_insert_with(|| root.path("errors.0").filter(|_| !has_own_message)),
            _ => None,
        };
        let op = rule.as_bytes().first().copied().unwrap_or(0);
        if let Some((text, bare)) = code_rule(op, base, rule.get(3..).unwrap_or(""), root, env, status, type_header) {
            // A code is kept trimmed; a blank one is none.
            let text = text.trim();
            if !text.is_empty() {
                return Some(Code { text: text.to_string(), bare });
            }
        }
    }
    None
}

/// One rule of [`CODE_RULES`].
fn code_rule<'v, V: JsonView>(
    op: u8,
    base: Option<J<'v, V>>,
    path: &str,
    root: J<'v, V>,
    env: J<'v, V>,
    status: u16,
    type_header: Option<&'v str>,
) -> Option<Found<'v>> {
    let found = match op {
        b'M' => return message_code(env).map(|(token, bare)| (Cow::Borrowed(token), bare)),
        b'X' => innermost_code(env).filter(|c| !echoes(c, status)),
        b'T' => return tag_path(env).map(|t| (Cow::Owned(t), false)),
        b'P' => problem_type_code(root),
        b'G' => error_info_reason(env),
        b'Y' => root.get("sys").filter(|s| s.str_of(words!("type")) == Some("Error"))?.str_of(words!("id")),
        b'H' => type_header.map(short_type_name),
        _ => {
            let value = base?.path(path)?;
            // `k`: a number is read as `n`, anything else as `s` (one lookup for both).
            let op = match op {
                b'k' if value.kind() == Kind::Num => b'n',
                b'k' => b's',
                op => op,
            };
            if matches!(op, b'n' | b'c') {
                // A number equal to the HTTP status is an echo of it, not the API's code.
                if op == b'n' && value.num()? == f64::from(status) {
                    return None;
                }
                return value.to_code().map(|text| (Cow::Owned(text), false));
            }
            let text = value.as_text()?;
            let accepted = match op {
                // A phrase ("Client specified an invalid argument") is a message, not a code.
                b's' => !echoes(text, status) && !text.trim().chars().any(char::is_whitespace),
                b'u' => is_upper_snake(text),
                b'N' => is_upper_snake(text) || is_code_token(text),
                b'S' => is_upper_snake(text) || (has_joiner(text) && is_code_token(text)),
                b'i' | b'I' => is_identifier(text),
                b't' => is_identifier(text) && text != "error",
                b'w' => is_snake_word(text),
                b'E' => is_code_token(text.trim()),
                _ => true,
            };
            if !accepted {
                return None;
            }
            Some(if op == b's' { short_type_name(text) } else { text })
        }
    };
    Some((Cow::Borrowed(found?), matches!(op, b'B' | b'S' | b'I' | b'E')))
}

/// Whether `text` is only the HTTP status echoed (`"404"`), not the API's code.
fn echoes(text: &str, status: u16) -> bool {
    let digits = text.trim();
    let plain = matches!(digits.as_bytes(), [b'1'..=b'9', ..] | [b'0']);
    plain && digits.len() <= 5 && super::num::parse_unsigned(digits) == Some(u64::from(status))
}

/// Dropbox's tagged unions: `{".tag": "path", "path": {".tag": "not_found"}}` is `path/not_found`;
/// a rate limit's tag sits under `reason`.
fn tag_path<V: JsonView>(env: J<V>) -> Option<String> {
    let (mut json, mut depth) = match env.str_of(words!(".tag")) {
        Some(_) => (env, 0),
        None => (env.get("reason")?, 1),
    };
    let mut path = String::new();
    // Tags nest at most five deep.
    while depth <= 4 {
        let Some(tag) = json.str_of(words!(".tag")) else { break };
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str(tag);
        let Some(inner) = json.get(tag) else { break };
        json = inner;
        depth += 1;
    }
    (!path.is_empty()).then_some(path)
}

/// Firebase puts its code in the message: `"EMAIL_EXISTS"`, or `"TOO_MANY_ATTEMPTS_TRY_LATER : …"`.
/// The code, and whether it is the whole message.
fn message_code<'v, V: JsonView>(env: J<'v, V>) -> Option<(&'v str, bool)> {
    let message = env.str_of(words!("message"))?;
    let message = message.trim();
    let token = super::text::before(message, " : ").trim();
    is_upper_snake(token).then_some((token, token.len() == message.len()))
}

/// Microsoft's `innererror` chain (used when the error itself names no code): each level is "more specific than the current object".
fn innermost_code<'v, V: JsonView>(env: J<'v, V>) -> Option<&'v str> {
    // Keys match ignoring ASCII case: this is `innerError` too.
    let mut inner = env.get("innererror")?;
    let mut code = None;
    for _ in 0..8 {
        code = inner.str_of(words!("code")).or(code);
        match inner.get("innererror") {
            Some(next) => inner = next,
            None => break,
        }
    }
    code
}

/// Google AIP-193: `details[]` holds an `ErrorInfo` whose `reason` names the cause; Firebase
/// Cloud Messaging's `FcmError.errorCode` (`UNREGISTERED`).
fn error_info_reason<'v, V: JsonView>(env: J<'v, V>) -> Option<&'v str> {
    typed_detail(env, "ErrorInfo").and_then(|d| d.get("reason")).or_else(|| typed_detail(env, "FcmError")?.get("errorCode"))?.as_text()
}

/// The first item of the envelope's `details[]` whose `@type` ends with `name`.
#[inline(always)]
pub(crate) fn typed_detail<'v, V: JsonView>(env: J<'v, V>, name: &str) -> Option<J<'v, V>> {
    env.found(typed_node(env, name))
}

/// [`typed_detail`] as a plain handle (absent when none).
fn typed_node<V: JsonView>(env: J<'_, V>, name: &str) -> V::Node {
    if let Some(details) = env.get("details") {
        // The items of anything but an array are none.
        for detail in details.items() {
            if detail.str_of(words!("@type")).is_some_and(|t| t.ends_with(name)) {
                return detail.node;
            }
        }
    }
    env.view.absent()
}

/// Bits of [`byte_classes`]: upper-case hex letters, other upper-case letters, an upper-case letter
/// after the first byte, lower-case hex and other letters, digits, `_`, `-`, a space, `/` or `:`,
/// anything else.
const UP_HEX: u32 = 1;
const UP_REST: u32 = 2;
const LATER_UP: u32 = 4;
const LOW_HEX: u32 = 8;
const LOW_REST: u32 = 16;
const DIGIT: u32 = 32;
const UNDER: u32 = 64;
const DASH: u32 = 128;
const SPACE: u32 = 256;
const SLASH: u32 = 512;
const UPPER: u32 = UP_HEX | UP_REST | LATER_UP;
const LOWER: u32 = LOW_HEX | LOW_REST;
const JOINER: u32 = UNDER | DASH;

/// Which kinds of bytes `text` has, as bits: one pass serves every token test below.
fn byte_classes(text: &str) -> u32 {
    let (bytes, mut bits, mut i) = (text.as_bytes(), 0, 0);
    // An index loop: the iterator adapters cost more in the wasm.
    while let Some(&b) = bytes.get(i) {
        // A letter's class by its lower-case form; upper-case classes are the lower-case ones / 8.
        let folded = b | 0x20;
        bits |= if folded.is_ascii_lowercase() {
            let class = if folded <= b'f' { LOW_HEX } else { LOW_REST };
            match (b.is_ascii_uppercase(), i > 0) {
                (false, _) => class,
                (true, false) => class / 8,
                (true, true) => (class / 8) | LATER_UP,
            }
        } else if b.is_ascii_digit() {
            DIGIT
        } else if b == b'_' {
            UNDER
        } else if b == b'-' {
            DASH
        } else if b == b' ' {
            SPACE
        } else if b == b'/' || b == b':' {
            SLASH
        } else {
            1024
        };
        i += 1;
    }
    bits
}

/// Whether `text` is made only of the bytes of `allowed` (a union of [`byte_classes`] bits).
fn only(text: &str, allowed: u32) -> bool {
    byte_classes(text) & !allowed == 0
}

/// A long token of hex digits and dashes (a UUID), not words.
pub(crate) fn looks_like_id(text: &str) -> bool {
    let text = text.trim();
    text.len() >= 16 && only(text, UP_HEX | LATER_UP | LOW_HEX | DIGIT | DASH) && byte_classes(text) & DIGIT != 0
}

/// `invalid_auth`, `ratelimited`, `unsupported-grant-type`, `RecordNotFound`: lower case, joined
/// words or CamelCase, but not a capitalized word such as "Forbidden".
pub(crate) fn is_code_token(text: &str) -> bool {
    let bits = byte_classes(text);
    is_identifier(text) && text.len() <= 64 && (bits & JOINER != 0 || (bits & LATER_UP != 0 && bits & LOWER != 0) || bits & UPPER == 0)
}

/// RFC 9457: the last segment of the `type` URI, unless it only points at the HTTP spec.
fn problem_type_code<'v, V: JsonView>(root: J<'v, V>) -> Option<&'v str> {
    if !is_problem(root) {
        return None;
    }
    let ty = root.str_of(words!("type"))?;
    if ty == "about:blank" || has_ignoring_case(ty, "rfc") || has_ignoring_case(ty, "ietf.org") {
        return None;
    }
    // Trailing `/`s dropped, the part after the last `/`, `#` or `:`: one index loop, where a
    // reverse search costs more in the wasm. A `/` ends the part only if more than `/`s follow.
    let (bytes, mut after_separator, mut start, mut end, mut i) = (ty.as_bytes(), 0, 0, 0, 0);
    while let Some(&b) = bytes.get(i) {
        i += 1;
        if b == b'/' {
            after_separator = i;
            continue;
        }
        if b == b'#' || b == b':' {
            after_separator = i;
        }
        (start, end) = (after_separator, i);
    }
    let last = ty.get(start..end).unwrap_or(ty);
    // A link to an API's error docs page (`…/docs/errors/`) names no particular problem.
    if words!("errors error problems problem docs").iter().any(|word| last.eq_ignore_ascii_case(word)) {
        return None;
    }
    Some(last)
}

/// Whether `text` has an ASCII letter.
pub(crate) fn has_letter(text: &str) -> bool {
    byte_classes(text) & (UPPER | LOWER) != 0
}

/// Whether `text` is ASCII digits only.
pub(crate) fn all_digits(text: &str) -> bool {
    only(text, DIGIT)
}

/// Whether `text` has an ASCII space.
pub(crate) fn has_space(text: &str) -> bool {
    byte_classes(text) & SPACE != 0
}

/// Whether `text` has a `_` or a `-` (joined words).
pub(crate) fn has_joiner(text: &str) -> bool {
    byte_classes(text) & JOINER != 0
}

/// Whether `hay` contains `needle` (lower-case ASCII, not empty), ignoring ASCII case.
pub(crate) fn has_ignoring_case(hay: &str, needle: &str) -> bool {
    let hay = hay.as_bytes();
    for at in 0..hay.len() {
        if hay.get(at..at + needle.len()).is_some_and(|w| w.eq_ignore_ascii_case(needle.as_bytes())) {
            return true;
        }
    }
    false
}

pub(crate) fn is_problem<V: JsonView>(json: J<V>) -> bool {
    json.get("title").is_some_and(|t| t.as_text().is_some()) && (json.has("type") || json.has("status") || json.has("detail"))
}

/// `INVALID_ARGUMENT`: Google's status names (and not a word like "Failure" or "error").
pub(crate) fn is_upper_snake(text: &str) -> bool {
    text.len() >= 3 && only(text, UPPER | UNDER) && !matches!(text, "ERROR" | "FAIL" | "FAILURE")
}

/// A code-like token: no spaces, not a URI.
pub(crate) fn is_identifier(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty() && text.len() <= 100 && byte_classes(text) & (SPACE | SLASH) == 0
}

/// `not_found`: Heroku's and DigitalOcean's `id` (an `id` with digits is a resource id).
fn is_snake_word(text: &str) -> bool {
    only(text, LOWER | UNDER) && text.len() <= 64 && !text.is_empty()
}
