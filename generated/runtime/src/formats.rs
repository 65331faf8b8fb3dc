//! Values of string and integer formats beyond date-times: [`Base64`] and [`Base64Url`] bytes
//! (`format: byte`, `base64url`), [`Date`] (`date`), [`Duration`] (ISO 8601 `duration`) and
//! [`UnixTime`] (`unixtime`, seconds since 1970). Decoding is tolerant and encoding exact: a
//! decoded value encodes back to the text it came from when that text was canonical.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::str::FromStr;

use crate::ParamValue;

/// Text that is not a value of the format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatError {
    format: &'static str,
    text: String,
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a valid {}: {:?}", self.format, self.text)
    }
}

impl std::error::Error for FormatError {}

fn invalid(format: &'static str, text: &str) -> FormatError {
    FormatError { format, text: text.chars().take(64).collect() }
}

/// Serialises through `Display` and deserialises through `FromStr`, as a JSON string; and is a
/// parameter value as its text.
macro_rules! as_string {
    ($ty:ty, $expecting:expr) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl serde::de::Visitor<'_> for Visitor {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$ty, E> {
                        v.parse().map_err(E::custom)
                    }
                }
                deserializer.deserialize_str(Visitor)
            }
        }

        impl ParamValue for $ty {
            fn to_param(&self) -> String {
                self.to_string()
            }
        }
    };
}

const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn encode(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(alphabet[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
        if pad {
            out.extend(std::iter::repeat_n('=', 3 - chunk.len()));
        }
    }
    out
}

/// Decodes either alphabet, with or without padding (services mix them).
fn decode(text: &str, format: &'static str) -> Result<Vec<u8>, FormatError> {
    let trimmed = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(trimmed.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for c in trimmed.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return Err(invalid(format, text)),
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // A lone sixth of a byte cannot come from any encoding.
    if bits >= 6 {
        return Err(invalid(format, text));
    }
    Ok(out)
}

macro_rules! bytes_type {
    ($(#[$doc:meta])* $name:ident, $alphabet:expr, $pad:expr, $format:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub Vec<u8>);

        impl $name {
            /// The bytes.
            pub fn into_inner(self) -> Vec<u8> {
                self.0
            }
        }

        impl Deref for $name {
            type Target = Vec<u8>;
            fn deref(&self) -> &Vec<u8> {
                &self.0
            }
        }

        impl DerefMut for $name {
            fn deref_mut(&mut self) -> &mut Vec<u8> {
                &mut self.0
            }
        }

        impl From<Vec<u8>> for $name {
            fn from(bytes: Vec<u8>) -> Self {
                $name(bytes)
            }
        }

        impl From<&[u8]> for $name {
            fn from(bytes: &[u8]) -> Self {
                $name(bytes.to_vec())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&encode(&self.0, $alphabet, $pad))
            }
        }

        impl FromStr for $name {
            type Err = FormatError;
            fn from_str(s: &str) -> Result<Self, FormatError> {
                decode(s, $format).map($name)
            }
        }

        as_string!($name, concat!("a ", $format, " string"));
    };
}

bytes_type!(
    /// Bytes sent as base64 (`format: byte`); decoding also accepts the URL-safe alphabet and
    /// missing padding.
    Base64,
    STANDARD,
    true,
    "base64"
);

bytes_type!(
    /// Bytes sent as unpadded URL-safe base64 (`format: base64url`); decoding also accepts the
    /// standard alphabet and padding.
    Base64Url,
    URL_SAFE,
    false,
    "base64url"
);

/// A calendar date (`format: date`, `2024-02-29`); decoding also accepts a date-time, whose
/// date it keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date(pub time::Date);

impl Date {
    /// The date `year-month-day`, if it exists.
    pub fn from_ymd(year: i32, month: u8, day: u8) -> Option<Date> {
        let month = time::Month::try_from(month).ok()?;
        time::Date::from_calendar_date(year, month, day).ok().map(Date)
    }
}

impl Deref for Date {
    type Target = time::Date;
    fn deref(&self) -> &time::Date {
        &self.0
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.0.year(), u8::from(self.0.month()), self.0.day())
    }
}

impl FromStr for Date {
    type Err = FormatError;
    fn from_str(s: &str) -> Result<Self, FormatError> {
        let text = s.trim();
        let date = text.get(..10).filter(|_| text.len() == 10 || text[10..].starts_with(['T', 't', ' ']));
        let parts: Option<Vec<&str>> = date.map(|d| d.split('-').collect());
        let parsed = match parts.as_deref() {
            Some([y, m, d]) if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
                y.parse().ok().zip(m.parse().ok()).zip(d.parse().ok()).and_then(|((y, m), d)| Date::from_ymd(y, m, d))
            }
            _ => None,
        };
        parsed.ok_or_else(|| invalid("date", s))
    }
}

as_string!(Date, "an ISO 8601 date string");

/// An ISO 8601 duration (`format: duration`, `P1DT2H30M0.5S`), kept as its parts so that it
/// encodes back exactly: years and months have no fixed length.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Duration {
    pub negative: bool,
    pub years: u64,
    pub months: u64,
    pub weeks: u64,
    pub days: u64,
    pub hours: u64,
    pub minutes: u64,
    pub seconds: u64,
    pub nanos: u32,
}

impl Duration {
    /// The duration as a [`std::time::Duration`]: `None` when it is negative or counts years or
    /// months (whose length depends on the calendar).
    pub fn to_std(&self) -> Option<std::time::Duration> {
        if self.negative || self.years != 0 || self.months != 0 {
            return None;
        }
        let days = self.weeks.checked_mul(7)?.checked_add(self.days)?;
        let seconds = days
            .checked_mul(86_400)?
            .checked_add(self.hours.checked_mul(3600)?)?
            .checked_add(self.minutes.checked_mul(60)?)?;
        Some(std::time::Duration::new(seconds.checked_add(self.seconds)?, self.nanos))
    }
}

impl From<std::time::Duration> for Duration {
    fn from(d: std::time::Duration) -> Self {
        let s = d.as_secs();
        Duration {
            days: s / 86_400,
            hours: s / 3600 % 24,
            minutes: s / 60 % 60,
            seconds: s % 60,
            nanos: d.subsec_nanos(),
            ..Default::default()
        }
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.negative {
            f.write_str("-")?;
        }
        f.write_str("P")?;
        for (n, unit) in [(self.years, 'Y'), (self.months, 'M'), (self.weeks, 'W'), (self.days, 'D')] {
            if n != 0 {
                write!(f, "{n}{unit}")?;
            }
        }
        let time = self.hours != 0 || self.minutes != 0 || self.seconds != 0 || self.nanos != 0;
        let empty = [self.years, self.months, self.weeks, self.days].iter().all(|n| *n == 0) && !time;
        if time || empty {
            f.write_str("T")?;
        }
        for (n, unit) in [(self.hours, 'H'), (self.minutes, 'M')] {
            if n != 0 {
                write!(f, "{n}{unit}")?;
            }
        }
        if self.seconds != 0 || self.nanos != 0 || empty {
            write!(f, "{}", self.seconds)?;
            if self.nanos != 0 {
                write!(f, ".{}", format!("{:09}", self.nanos).trim_end_matches('0'))?;
            }
            f.write_str("S")?;
        }
        Ok(())
    }
}

impl FromStr for Duration {
    type Err = FormatError;
    fn from_str(s: &str) -> Result<Self, FormatError> {
        parse_duration(s.trim()).ok_or_else(|| invalid("duration", s))
    }
}

fn parse_duration(text: &str) -> Option<Duration> {
    let mut d = Duration::default();
    let rest = match text.strip_prefix('-') {
        Some(rest) => {
            d.negative = true;
            rest
        }
        None => text.strip_prefix('+').unwrap_or(text),
    };
    let rest = rest.strip_prefix(['P', 'p'])?;
    let (date, time) = match rest.find(['T', 't']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let mut any = false;
    for (number, unit) in units(date)? {
        let n: u64 = number.parse().ok()?;
        let slot = match unit.to_ascii_uppercase() {
            'Y' => &mut d.years,
            'M' => &mut d.months,
            'W' => &mut d.weeks,
            'D' => &mut d.days,
            _ => return None,
        };
        *slot = n;
        any = true;
    }
    for (number, unit) in units(time.unwrap_or(""))? {
        match unit.to_ascii_uppercase() {
            'H' => d.hours = number.parse().ok()?,
            'M' => d.minutes = number.parse().ok()?,
            'S' => {
                let (whole, fraction) = number.split_once(['.', ',']).unwrap_or((number, ""));
                d.seconds = whole.parse().ok()?;
                if !fraction.is_empty() {
                    let digits: String = fraction.chars().chain(std::iter::repeat('0')).take(9).collect();
                    d.nanos = digits.parse().ok()?;
                }
            }
            _ => return None,
        }
        any = true;
    }
    (any && time != Some("")).then_some(d)
}

/// `12D3H` → `[("12", 'D'), ("3", 'H')]`.
fn units(text: &str) -> Option<Vec<(&str, char)>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c.is_ascii_alphabetic() {
            if i == start {
                return None;
            }
            out.push((&text[start..i], c));
            start = i + 1;
        }
    }
    (start == text.len()).then_some(out)
}

as_string!(Duration, "an ISO 8601 duration string");

/// A point in time as whole seconds since 1970-01-01T00:00:00Z (`format: unixtime`), sent as a
/// JSON number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct UnixTime(pub i64);

impl UnixTime {
    /// The instant in UTC, if `time` can represent it.
    pub fn to_offset_date_time(self) -> Option<time::OffsetDateTime> {
        time::OffsetDateTime::from_unix_timestamp(self.0).ok()
    }
}

impl From<time::OffsetDateTime> for UnixTime {
    fn from(t: time::OffsetDateTime) -> Self {
        UnixTime(t.unix_timestamp())
    }
}

impl ParamValue for UnixTime {
    fn to_param(&self) -> String {
        self.0.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_and_decodes_either_alphabet() {
        let bytes: Vec<u8> = vec![0xFF, 0xFE, 0xFD, 0xFC, 0xFB, 0xFA, 0xF9, 0xF8, 0xF7, 0xF6];
        let text = Base64(bytes.clone()).to_string();
        assert_eq!(text, "//79/Pv6+fj39g==");
        assert_eq!(text.parse::<Base64>().unwrap().0, bytes);
        assert_eq!(
            Base64Url(b"a string that gets encoded with base64url".to_vec()).to_string(),
            "YSBzdHJpbmcgdGhhdCBnZXRzIGVuY29kZWQgd2l0aCBiYXNlNjR1cmw"
        );
        assert_eq!("__79_Pv6-fj39g".parse::<Base64>().unwrap().0, bytes);
        assert!("::::".parse::<Base64>().is_err());
        assert!("A".parse::<Base64>().is_err());
    }

    #[test]
    fn dates_parse_tolerantly_and_print_as_iso() {
        assert_eq!("0001-01-01".parse::<Date>().unwrap().to_string(), "0001-01-01");
        assert_eq!("9999-12-31T23:59:59Z".parse::<Date>().unwrap().to_string(), "9999-12-31");
        for bad in ["2012-02-30", "10000000000-12-31", "0000-00-00", "201O-18-90", ""] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

    #[test]
    fn durations_round_trip_exactly() {
        for text in ["P123DT22H14M12.011S", "PT0S", "P1Y2M3W4DT5H6M7S", "-PT1.5S", "P1D"] {
            assert_eq!(text.parse::<Duration>().unwrap().to_string(), text);
        }
        let d: Duration = "P1DT1H".parse().unwrap();
        assert_eq!(d.to_std(), Some(std::time::Duration::from_secs(90_000)));
        for bad in ["P", "PT", "1D", "P1X", "PT1H2", "P-1D"] {
            assert!(bad.parse::<Duration>().is_err(), "{bad}");
        }
    }

    #[test]
    fn unix_time_is_a_number() {
        let t: UnixTime = serde_json::from_str("1460505600").unwrap();
        assert_eq!(t.to_offset_date_time().unwrap().year(), 2016);
        assert_eq!(serde_json::to_string(&t).unwrap(), "1460505600");
    }
}
