//! Number parsing and printing without core's float machinery (dec2flt/flt2dec cost ~30 KB of
//! wasm). Header and body numbers need no more than 15 significant digits.

use crate::prelude::*;

/// Parses `[-]digits[.digits][e[+-]digits]` (surrounding whitespace allowed). Anything else,
/// including `NaN`, `Infinity` and hex, gives `None`. Results may be infinite (`1e309`).
pub fn parse_decimal(text: &str) -> Option<f64> {
    let (negative, s) = sign(text.trim().as_bytes());
    let (mantissa, scale, digits, rest) = read_mantissa(s);
    if digits == 0 {
        return None;
    }
    let exponent = match rest.split_first() {
        None => 0,
        Some((b'e' | b'E', exp)) => {
            let (negative, digits) = sign(exp);
            let value = read_digits(digits, 10, 100_000)? as i32;
            if negative { -value } else { value }
        }
        Some(_) => return None,
    };
    let value = scale_by_ten(mantissa, exponent.saturating_add(scale));
    Some(if negative { -value } else { value })
}

/// Digits with an optional fraction (surrounding whitespace allowed): no sign, no exponent,
/// nothing else.
pub(crate) fn parse_plain(text: &str) -> Option<f64> {
    let s = text.trim().as_bytes();
    let (mantissa, scale, _, rest) = read_mantissa(s);
    (rest.is_empty() && s.first().is_some_and(u8::is_ascii_digit)).then(|| scale_by_ten(mantissa, scale))
}

/// An optional leading `-` or `+`: whether it was `-`, and the rest.
fn sign(s: &[u8]) -> (bool, &[u8]) {
    match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, s),
    }
}

/// Reads digits with an optional fraction: (mantissa, decimal scale, digit count, rest).
fn read_mantissa(s: &[u8]) -> (f64, i32, usize, &[u8]) {
    let mut mantissa = 0.0f64;
    let mut scale = 0i32;
    let mut digits = 0usize;
    let mut seen_dot = false;
    let mut i = 0;
    while let Some(&b) = s.get(i) {
        match b {
            b'0'..=b'9' => {
                digits += 1;
                if mantissa < 1e17 {
                    mantissa = mantissa * 10.0 + f64::from(b - b'0');
                    if seen_dot {
                        scale -= 1;
                    }
                } else if !seen_dot {
                    scale += 1;
                }
            }
            b'.' if !seen_dot => seen_dot = true,
            _ => break,
        }
        i += 1;
    }
    (mantissa, scale, digits, s.get(i..).unwrap_or(&[]))
}

/// A non-empty run of ASCII digits of `radix` (10 or 16) and nothing else, its value saturating
/// at `cap`.
pub(crate) fn read_digits(s: &[u8], radix: u32, cap: u64) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let mut value = 0u64;
    for &b in s {
        let digit = char::from(b).to_digit(radix)?;
        value = value.saturating_mul(u64::from(radix)).saturating_add(u64::from(digit)).min(cap);
    }
    Some(value)
}

fn scale_by_ten(mantissa: f64, exponent: i32) -> f64 {
    if mantissa == 0.0 {
        return 0.0;
    }
    let exponent = exponent.clamp(-400, 400);
    if exponent >= 0 {
        mantissa * powi(10.0, exponent)
    } else if exponent >= -300 {
        mantissa / powi(10.0, -exponent)
    } else {
        mantissa / 1e300 / powi(10.0, -exponent - 300)
    }
}

/// A non-negative integer of ASCII digits only (no sign, no fraction), saturating at `u64::MAX`.
pub fn parse_unsigned(text: &str) -> Option<u64> {
    read_digits(text.as_bytes(), 10, u64::MAX)
}

/// Integers print without a fraction; others with up to six decimals, trailing zeros trimmed.
pub fn format_number(n: f64) -> String {
    let magnitude = abs(n);
    let mut out = String::new();
    if n < 0.0 {
        out.push('-');
    }
    let special = if n.is_nan() {
        "NaN"
    } else if magnitude == f64::INFINITY {
        "Infinity"
    } else if magnitude >= 9.0e15 {
        "9e15+"
    } else {
        ""
    };
    if !special.is_empty() {
        out.push_str(special);
        return out;
    }
    let whole = trunc(magnitude) as u64;
    let micros = round((magnitude - trunc(magnitude)) * 1e6) as u64;
    let (whole, mut micros) = if micros >= 1_000_000 { (whole + 1, 0) } else { (whole, micros) };
    push_int(&mut out, whole);
    if micros > 0 {
        out.push('.');
        // Six places, leading zeros kept, stopping once the rest is zeros.
        let mut place = 100_000;
        while micros > 0 && place > 0 {
            push_digit(&mut out, micros / place);
            micros %= place;
            place /= 10;
        }
    }
    out
}

/// Appends `n` in decimal: `to_string()` would link `core::fmt`, which the wasm build leaves out.
pub fn push_int(out: &mut String, n: u64) {
    if n >= 10 {
        push_int(out, n / 10);
    }
    push_digit(out, n % 10);
}

fn push_digit(out: &mut String, digit: u64) {
    out.push(char::from(b'0' + digit as u8));
}

/// `x.trunc()`. The float methods live in std, which the wasm build leaves out (and
/// `core::arch::wasm32`'s are unstable); these are exact: a double of magnitude ≥ 2^52 (or NaN,
/// or infinite) is already whole.
pub fn trunc(x: f64) -> f64 {
    if abs(x) < 4_503_599_627_370_496.0 {
        x as i64 as f64
    } else {
        x
    }
}

/// `x.ceil()`.
pub fn ceil(x: f64) -> f64 {
    let t = trunc(x);
    if t < x {
        t + 1.0
    } else {
        t
    }
}

/// `x.abs()`: the sign bit cleared.
pub fn abs(x: f64) -> f64 {
    f64::from_bits(x.to_bits() & !(1 << 63))
}

/// `x.round()`: halves away from zero.
pub fn round(x: f64) -> f64 {
    let t = trunc(x);
    if abs(x - t) >= 0.5 {
        t + if x < 0.0 { -1.0 } else { 1.0 }
    } else {
        t
    }
}

/// `x.powi(n)`, by squaring as compiler-rt's `__powidf2` (which `powi` compiles to).
pub fn powi(mut x: f64, n: i32) -> f64 {
    let mut e = n.unsigned_abs();
    let mut r = 1.0;
    loop {
        if e & 1 == 1 {
            r *= x;
        }
        e /= 2;
        if e == 0 {
            break;
        }
        x *= x;
    }
    if n < 0 {
        1.0 / r
    } else {
        r
    }
}
