//! HTTP-date parsing (RFC 9110 §5.6.7: IMF-fixdate, RFC 850 and asctime). Hand-written instead of
//! the `httpdate` crate: that crate goes through `SystemTime` and its formatting, which cost ~6 KB
//! of wasm for three small grammars.

/// Month names, three letters each (one string: no table of pointers in the wasm).
const MONTHS: &str = "janfebmaraprmayjunjulaugsepoctnovdec";

/// Epoch milliseconds of an HTTP-date, or `None` when it is not one.
pub fn parse_http_date_ms(value: &str) -> Option<f64> {
    let (count, parts) = words(value)?;
    let (day, month, year, time) = match (count, parts) {
        // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT  /  RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
        (6, [_, day, month, year, time, zone]) if zone.eq_ignore_ascii_case("GMT") => (day, month, year, time),
        // asctime: Sun Nov  6 08:49:37 1994
        (5, [_, month, day, time, year, _]) => (day, month, year, time),
        _ => return None,
    };
    let day = small_number(day, 1, 31)?;
    // No month's name occurs in the string but at its own place, a multiple of three.
    let at = super::text::search(MONTHS.as_bytes(), month.as_bytes(), true).filter(|at| at % 3 == 0 && month.len() == 3)?;
    let month = at as i64 / 3 + 1;
    let year = match year.len() {
        // RFC 850's two-digit year: within 50 years of now, which is 19xx for >= 70 here.
        2 => small_number(year, 0, 99).map(|y| if y >= 70 { 1900 + y } else { 2000 + y })?,
        4 => small_number(year, 1000, 9999)?,
        _ => return None,
    };
    let seconds = time_of_day(time)?;
    let days = days_from_civil(year, month, day);
    Some((days * 86_400 + seconds) as f64 * 1000.0)
}

/// The non-empty words of `value` between spaces, commas and dashes (at most six): their count.
fn words(value: &str) -> Option<(usize, [&str; 6])> {
    let mut parts = [""; 6];
    let mut count = 0;
    let mut start = 0;
    let bytes = value.as_bytes();
    for i in 0..=bytes.len() {
        if bytes.get(i).is_none_or(|b| matches!(b, b' ' | b',' | b'-')) {
            if i > start {
                *parts.get_mut(count)? = value.get(start..i)?;
                count += 1;
            }
            start = i + 1;
        }
    }
    Some((count, parts))
}

fn small_number(text: &str, min: i64, max: i64) -> Option<i64> {
    let n = super::num::parse_unsigned(text)? as i64;
    (text.len() <= 4 && (min..=max).contains(&n)).then_some(n)
}

fn time_of_day(text: &str) -> Option<i64> {
    let (h, rest) = super::text::split_at_byte(text, b':')?;
    // A third colon stays in the seconds, which then are not a number.
    let (m, s) = super::text::split_at_byte(rest, b':')?;
    Some(small_number(h, 0, 23)? * 3600 + small_number(m, 0, 59)? * 60 + small_number(s, 0, 60)?)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}
