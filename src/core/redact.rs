//! Keeping credentials out of errors and logs.

use crate::prelude::*;

use super::text::{before, pieces, position, split_at_byte};

/// Query parameters whose values are credentials.
const SECRET_PARAMS: [&str; 14] = [
    "api_key", "apikey", "api-key", "key", "token", "access_token", "refresh_token", "id_token",
    "auth", "password", "secret", "client_secret", "signature", "sig",
];

/// Request headers that carry credentials and never appear in errors, logs or hook payloads (the
/// package's JavaScript drops them: js/errors.js; kept here for the host's tests and tools).
#[cfg(any(feature = "std", not(target_arch = "wasm32")))]
pub const SECRET_HEADERS: [&str; 5] = ["authorization", "x-api-key", "cookie", "proxy-authorization", "set-cookie"];

/// Whether a header name carries a credential.
#[cfg(any(feature = "std", not(target_arch = "wasm32")))]
pub fn is_secret_header(name: &str) -> bool {
    SECRET_HEADERS.iter().any(|h| h.eq_ignore_ascii_case(name.trim()))
}

/// The URL with any `user:password@` removed and secret query values replaced by `REDACTED`.
pub fn redact_url(url: &str) -> String {
    let (before_fragment, fragment) = split_at_byte(url, b'#').map_or((url, None), |(a, f)| (a, Some(f)));
    let (base, query) = split_at_byte(before_fragment, b'?').map_or((before_fragment, None), |(b, q)| (b, Some(q)));
    let mut out = String::with_capacity(url.len());
    push_without_userinfo(&mut out, base);
    for (mark, part) in [('?', query), ('#', fragment)] {
        if let Some(part) = part {
            out.push(mark);
            push_redacted(&mut out, part);
        }
    }
    out
}

/// Appends `base` without the `user:password@` of its authority.
fn push_without_userinfo(out: &mut String, base: &str) {
    let Some(scheme_end) = super::text::find(base, "://") else { return out.push_str(base) };
    let authority_start = scheme_end + 3;
    let rest = base.get(authority_start..).unwrap_or("");
    match before(rest, "/").bytes().rposition(|b| b == b'@') {
        Some(at) => {
            out.push_str(base.get(..authority_start).unwrap_or(""));
            out.push_str(rest.get(at + 1..).unwrap_or(""));
        }
        None => out.push_str(base),
    }
}

/// Appends a query (or fragment) with the values of secret parameters replaced.
fn push_redacted(out: &mut String, query: &str) {
    for (i, pair) in pieces(query, b'&').enumerate() {
        if i > 0 {
            out.push('&');
        }
        match split_at_byte(pair, b'=') {
            Some((name, _)) if is_secret_param(name) => {
                out.push_str(name);
                out.push_str("=REDACTED");
            }
            _ => out.push_str(pair),
        }
    }
}

/// Whether a parameter name (with `%5F` read as `_`) is a credential's.
fn is_secret_param(name: &str) -> bool {
    let mut decoded = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(at) = position(rest, b'%') {
        decoded.push_str(rest.get(..at).unwrap_or(""));
        let tail = rest.get(at..).unwrap_or("");
        let underscore = tail.get(..3).is_some_and(|t| t.eq_ignore_ascii_case("%5f"));
        decoded.push(if underscore { '_' } else { '%' });
        rest = tail.get(if underscore { 3 } else { 1 }..).unwrap_or("");
    }
    decoded.push_str(rest);
    SECRET_PARAMS.iter().any(|p| p.eq_ignore_ascii_case(&decoded))
}
