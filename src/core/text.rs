//! Turning server text (plain or HTML) into one short human sentence.

use crate::prelude::*;

/// Messages are capped so a hostile body cannot flood logs or the UI.
pub const MAX_MESSAGE_CHARS: usize = 300;
/// `bodyText` keeps at most this many bytes of the raw body.
pub const MAX_BODY_EXCERPT_BYTES: usize = 8 * 1024;
/// No body is read past this many bytes (an HTML title, a salvaged message): the browser shell
/// copies no more than this into wasm memory.
pub const MAX_TEXT_READ_BYTES: usize = 64 * 1024;

/// A message as errors carry it: tidied and capped at [`MAX_MESSAGE_CHARS`].
pub fn short(text: &str) -> String {
    tidy(text, MAX_MESSAGE_CHARS)
}

/// Collapses runs of whitespace and control characters into single spaces, trims, and caps the
/// result at `max_chars`, ending with "…" when cut.
pub fn tidy(text: &str, max_chars: usize) -> String {
    if is_tidy(text.as_bytes(), max_chars) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len().min(max_chars * 4));
    let mut count = 0;
    let mut pending_space = false;
    for ch in text.chars() {
        if ch.is_whitespace() || ch.is_control() || ch == '\u{FEFF}' {
            pending_space = !out.is_empty();
            continue;
        }
        if count + usize::from(pending_space) >= max_chars {
            out.push('…');
            return out;
        }
        if pending_space {
            out.push(' ');
            count += 1;
            pending_space = false;
        }
        out.push(ch);
        count += 1;
    }
    out
}

/// Whether [`tidy`] would return `text` as it is: most messages are short printable ASCII with
/// single spaces, and one pass over the bytes costs a third of the char-by-char copy.
fn is_tidy(text: &[u8], max_chars: usize) -> bool {
    let mut after_space = true;
    for &b in text {
        match b {
            b' ' if !after_space => after_space = true,
            0x21..=0x7e => after_space = false,
            _ => return false,
        }
    }
    (text.is_empty() || !after_space) && text.len() <= max_chars
}

/// The longest prefix of `text` of at most `max_bytes` bytes that ends on a character boundary.
pub fn excerpt(text: &str, max_bytes: usize) -> &str {
    if text.len() <= max_bytes {
        return text;
    }
    let mut end = max_bytes;
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or("")
}

/// Whether a body looks like an HTML page (proxies and gateways send these for 502/504).
pub fn looks_like_html(text: &str, content_type: &str) -> bool {
    if contains_ci(content_type, "html") {
        return true;
    }
    let head = trim_start(text).as_bytes();
    pieces("<!doctype html|<html|<head|<body|<title|<h1", b'|').any(|p| head.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes())))
}

/// The page's `<title>`, else its first `<h1>`/`<h2>`/`<pre>`, tags stripped and entities
/// decoded. A bare "Error" title says nothing (Express's pages put the message in `<pre>`).
pub fn html_summary(html: &str) -> Option<String> {
    let html = excerpt(html, MAX_TEXT_READ_BYTES);
    pieces("title h1 h2 pre", b' ').find_map(|tag| {
        let inner = element_text(html, tag)?;
        let text = tidy(&decode_entities(&strip_tags(inner)), MAX_MESSAGE_CHARS);
        (!text.is_empty() && !text.eq_ignore_ascii_case("error")).then_some(text)
    })
}

/// The raw inner HTML of the first `<tag ...>...</tag>`, the tag (lowercase) matched without case.
pub(crate) fn element_text<'a>(html: &'a str, tag: &str) -> Option<&'a str> {
    let mut open = String::from("<");
    open.push_str(tag);
    let mut close = String::from("</");
    close.push_str(tag);
    let bytes = html.as_bytes();
    let mut from = 0;
    loop {
        let start = search(bytes.get(from..)?, open.as_bytes(), true)? + from;
        let after_name = start + open.len();
        if matches!(bytes.get(after_name), Some(b'>' | b' ' | b'\t' | b'\n' | b'\r')) {
            let body_start = byte_position(bytes.get(start..)?, b'>')? + start + 1;
            let body_end = search(bytes.get(body_start..)?, close.as_bytes(), true)? + body_start;
            return html.get(body_start..body_end);
        }
        from = after_name;
    }
}

/// Each tag (`<` to the next `>`) becomes a space; an unclosed one drops the rest.
pub(crate) fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some((text, tag)) = split_at_byte(rest, b'<') {
        out.push_str(text);
        let Some((_, next)) = split_at_byte(tag, b'>') else { return out };
        out.push(' ');
        rest = next;
    }
    out.push_str(rest);
    out
}

pub(crate) fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((text, tail)) = split_at_byte(rest, b'&') {
        out.push_str(text);
        let (ch, next) = decode_one_entity(tail).unwrap_or(('&', tail));
        out.push(ch);
        rest = next;
    }
    out.push_str(rest);
    out
}

/// The named entities, each name then its character: one string rather than a match per name.
const ENTITIES: &str = "amp&|lt<|gt>|quot\"|apos'|#39'|nbsp |";

/// Decodes the entity whose name starts `s` (just after its '&'): the character and the rest.
fn decode_one_entity(s: &str) -> Option<(char, &str)> {
    // The `;` within the 12 bytes from the '&', and only when they end on a character boundary
    // (as the slice `s[..12]` this once searched).
    let window = s.len() < 11 || s.is_char_boundary(11);
    let (name, rest) = split_at_byte(s, b';').filter(|(name, _)| name.len() < 11 && window)?;
    let named = pieces(ENTITIES, b'|').find_map(|entry| {
        let (ch, entity) = entry.as_bytes().split_last()?;
        (entity == name.as_bytes()).then_some(char::from(*ch))
    });
    Some((named.or_else(|| numeric_entity(name.as_bytes()))?, rest))
}

/// `#65` or `#x41` (`u32::from_str_radix`'s grammar for hex, with its optional `+`).
fn numeric_entity(name: &[u8]) -> Option<char> {
    let (radix, digits) = match name {
        [b'#', b'x' | b'X', b'+', hex @ ..] | [b'#', b'x' | b'X', hex @ ..] => (16, hex),
        [b'#', decimal @ ..] => (10, decimal),
        _ => return None,
    };
    // Capped just past the last character, which `from_u32` refuses.
    char::from_u32(super::num::read_digits(digits, radix, 0x11_0000)? as u32)
}

/// A message from a plain-text body: its first non-blank line, tidied.
pub fn text_summary(text: &str) -> Option<String> {
    // `lines()` would also drop a `\r`, which `trim` drops anyway.
    for line in pieces(excerpt(text, 4096), b'\n') {
        let line = line.trim();
        if !line.is_empty() {
            let tidy = tidy(line, MAX_MESSAGE_CHARS);
            return (!tidy.is_empty()).then_some(tidy);
        }
    }
    None
}

/// [`text_summary`] of markup with its tags stripped and entities decoded.
pub(crate) fn markup_summary(markup: &str) -> Option<String> {
    text_summary(&decode_entities(&strip_tags(markup)))
}

/// The byte offset of the first `needle` in `hay`. A plain byte search: core's `str::find(&str)`
/// links the two-way searcher and its panic path, several KB of wasm for a few short needles.
pub fn find(hay: &str, needle: &str) -> Option<usize> {
    search(hay.as_bytes(), needle.as_bytes(), false)
}

/// Whether `needle` occurs in `hay` (see [`find`]).
pub fn contains(hay: &str, needle: &str) -> bool {
    find(hay, needle).is_some()
}

/// The offset of the first `needle` (lowercase) in `hay`, `hay`'s ASCII letters in any case: no
/// lowercased copy of `hay`.
pub fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    search(hay.as_bytes(), needle.as_bytes(), true)
}

/// Whether `needle` (lowercase) occurs in `hay` in any ASCII case (see [`find_ci`]).
pub fn contains_ci(hay: &str, needle: &str) -> bool {
    find_ci(hay, needle).is_some()
}

/// The offset of the first `needle` (non-empty; lowercase when `fold`) in `hay`, with `hay`'s
/// ASCII letters compared without case when `fold`: the one search every helper here runs.
#[inline(never)]
pub(crate) fn search(hay: &[u8], needle: &[u8], fold: bool) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    let first = needle.first().map_or(0, |b| if fold { b.to_ascii_lowercase() } else { *b });
    let mut at = 0;
    loop {
        let window = hay.get(at..)?.get(..needle.len())?;
        // The first byte alone rules most places out, without a call.
        let head = window.first().map_or(0, |b| if fold { b.to_ascii_lowercase() } else { *b });
        if head == first && if fold { window.eq_ignore_ascii_case(needle) } else { window == needle } {
            return Some(at);
        }
        at += 1;
    }
}

/// The part of `hay` before the first `separator`, or all of it.
pub fn before<'a>(hay: &'a str, separator: &str) -> &'a str {
    find(hay, separator).and_then(|at| hay.get(..at)).unwrap_or(hay)
}

/// The part of `hay` after the first `separator`.
pub fn after<'a>(hay: &'a str, separator: &str) -> Option<&'a str> {
    hay.get(find(hay, separator)? + separator.len()..)
}

/// The pieces of `s` between `separator` bytes (ASCII), as `str::split` gives them: a plain byte
/// scan, where a char pattern runs core's char searcher (memchr and its panic paths).
pub fn pieces(s: &str, separator: u8) -> Pieces<'_> {
    Pieces { rest: Some(s), separator }
}

/// The iterator of [`pieces`].
pub struct Pieces<'a> {
    rest: Option<&'a str>,
    separator: u8,
}

impl<'a> Iterator for Pieces<'a> {
    type Item = &'a str;

    // One scan and a split, no chain of calls per piece: the rules walk their word lists for
    // every body, and that walk was most of a body's normalization (callgrind).
    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        let Some(at) = byte_position(rest.as_bytes(), self.separator) else {
            self.rest = None;
            return Some(rest);
        };
        // A byte of 0x80 or above can sit inside a character: only then check the boundaries.
        if !self.separator.is_ascii() {
            self.rest = rest.get(at + 1..);
            return rest.get(..at);
        }
        // `str::get`'s boundary checks cost 6-8% of a body's normalization (callgrind).
        let (piece, next) = (rest.as_bytes().get(..at)?, rest.as_bytes().get(at + 1..)?);
        // SAFETY: the byte at `at` is the ASCII separator, never inside a UTF-8 sequence, so both
        // sides of it are whole UTF-8.
        self.rest = Some(unsafe { core::str::from_utf8_unchecked(next) });
        // SAFETY: as above.
        Some(unsafe { core::str::from_utf8_unchecked(piece) })
    }
}

/// `s` around its first `separator` byte (ASCII), as `str::split_once` with a char.
pub fn split_at_byte(s: &str, separator: u8) -> Option<(&str, &str)> {
    let at = position(s, separator)?;
    let (before, after) = s.as_bytes().split_at_checked(at)?;
    let after = after.get(1..)?;
    // SAFETY: `at` is the index of an ASCII byte, so both sides end and start on a character
    // boundary: they are UTF-8 (`str::get` would check that again, with its panic path).
    Some(unsafe { (core::str::from_utf8_unchecked(before), core::str::from_utf8_unchecked(after)) })
}

/// The index of the first `byte` (ASCII) in `s`: `str::find` with a char runs the char searcher.
pub fn position(s: &str, byte: u8) -> Option<usize> {
    byte_position(s.as_bytes(), byte)
}

/// Eight bytes at a time (a zero byte of `word ^ pattern` is a match): the rules scan their word
/// lists and the headers for separators on every body, and a byte loop was most of that time.
fn byte_position(bytes: &[u8], byte: u8) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let pattern = u64::from(byte) * ONES;
    let mut at = 0;
    while let Some(chunk) = bytes.get(at..at + 8).and_then(|c| <[u8; 8]>::try_from(c).ok()) {
        let x = u64::from_le_bytes(chunk) ^ pattern;
        // The lowest byte flagged is the first match (a flag above it may be false, never below).
        let found = x.wrapping_sub(ONES) & !x & (ONES << 7);
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    bytes.get(at..)?.iter().position(|b| *b == byte).map(|i| at + i)
}

/// `s` after its first byte when that is `byte` (ASCII): `strip_prefix` with a char runs the char
/// machinery.
pub fn after_byte(s: &str, byte: u8) -> Option<&str> {
    match s.as_bytes() {
        // SAFETY: an ASCII byte is a whole character: the rest is UTF-8.
        [first, rest @ ..] if *first == byte => Some(unsafe { core::str::from_utf8_unchecked(rest) }),
        _ => None,
    }
}

/// `s` without the double quotes around it (`trim_matches('"')`).
pub fn unquote(s: &str) -> &str {
    let mut bytes = s.as_bytes();
    while let [b'"', rest @ ..] = bytes {
        bytes = rest;
    }
    while let [rest @ .., b'"'] = bytes {
        bytes = rest;
    }
    // SAFETY: only ASCII bytes were taken off the ends, which leaves whole characters.
    unsafe { core::str::from_utf8_unchecked(bytes) }
}

/// `s.trim_start()` by way of `trim`: core's whitespace searcher is linked once, not twice.
pub fn trim_start(s: &str) -> &str {
    let trimmed = s.trim();
    // What `trim` keeps starts where the leading whitespace ends; all whitespace leaves nothing.
    let start = if trimmed.is_empty() { s.len() } else { (trimmed.as_ptr() as usize).wrapping_sub(s.as_ptr() as usize) };
    s.get(start..).unwrap_or("")
}
