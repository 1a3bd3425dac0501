//! Number parsing and printing without core's float machinery (dec2flt/flt2dec cost ~30 KB of
//! wasm). Header and body numbers need no more than 15 significant digits.

/// Parses `[-]digits[.digits][e[+-]digits]` (surrounding whitespace allowed). Anything else,
/// including `NaN`, `Infinity` and hex, gives `None`. Results may be infinite (`1e309`).
pub fn parse_decimal(text: &str) -> Option<f64> {
    let s = text.trim().as_bytes();
    let (negative, s) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, s),
    };
    let (mantissa, scale, digits, rest) = read_mantissa(s);
    if digits == 0 {
        return None;
    }
    let exponent = match rest.split_first() {
        None => 0,
        Some((b'e' | b'E', exp)) => read_exponent(exp)?,
        Some(_) => return None,
    };
    let value = scale_by_ten(mantissa, exponent.saturating_add(scale));
    Some(if negative { -value } else { value })
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

fn read_exponent(s: &[u8]) -> Option<i32> {
    let (negative, digits) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let value = digits.iter().fold(0i32, |acc, d| acc.saturating_mul(10).saturating_add(i32::from(d - b'0')).min(100_000));
    Some(if negative { -value } else { value })
}

fn scale_by_ten(mantissa: f64, exponent: i32) -> f64 {
    if mantissa == 0.0 {
        return 0.0;
    }
    let exponent = exponent.clamp(-400, 400);
    if exponent >= 0 {
        mantissa * 10f64.powi(exponent)
    } else if exponent >= -300 {
        mantissa / 10f64.powi(-exponent)
    } else {
        mantissa / 1e300 / 10f64.powi(-exponent - 300)
    }
}

/// A non-negative integer of ASCII digits only (no sign, no fraction), saturating at `u64::MAX`.
pub fn parse_unsigned(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u64, |acc, d| acc.saturating_mul(10).saturating_add(u64::from(d - b'0'))))
}

/// Integers print without a fraction; others with up to six decimals, trailing zeros trimmed.
pub fn format_number(n: f64) -> String {
    if !n.is_finite() {
        return String::from(if n.is_nan() { "NaN" } else if n > 0.0 { "Infinity" } else { "-Infinity" });
    }
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        return (n as i64).to_string();
    }
    let negative = n < 0.0;
    let abs = n.abs();
    if abs >= 9.0e15 {
        return String::from(if negative { "-9e15+" } else { "9e15+" });
    }
    let whole = abs.trunc() as u64;
    let micros = ((abs - abs.trunc()) * 1e6).round() as u64;
    let (whole, micros) = if micros >= 1_000_000 { (whole + 1, 0) } else { (whole, micros) };
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&whole.to_string());
    if micros > 0 {
        let frac = (1_000_000 + micros).to_string();
        out.push('.');
        out.push_str(frac.get(1..).unwrap_or("").trim_end_matches('0'));
    }
    out
}
