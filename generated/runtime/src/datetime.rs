//! [`DateTime`]: a point in time that tolerates what services send and serialises back
//! exactly what it was given.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::str::FromStr;

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use crate::ParamValue;

/// A date-time from or for the service.
///
/// Parsing accepts RFC 3339 with any number of fraction digits, lowercase `t`/`z`, a space
/// instead of `T`, a missing offset (UTC is assumed) or a date alone, and RFC 1123
/// (`Thu, 12 Oct 2017 19:23:50 GMT`). A parsed value serialises back to its original text;
/// one made from an [`OffsetDateTime`] serialises as RFC 3339. Equality, ordering and
/// hashing compare instants.
#[derive(Clone)]
pub struct DateTime {
    value: OffsetDateTime,
    original: Option<Box<str>>,
}

/// Text that is not a date-time [`DateTime`] understands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeParseError {
    text: String,
}

impl fmt::Display for DateTimeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not an RFC 3339 or RFC 1123 date-time: {:?}", self.text)
    }
}

impl std::error::Error for DateTimeParseError {}

impl DateTime {
    /// Parses `text` tolerantly, remembering it for lossless serialisation.
    pub fn parse(text: &str) -> Result<DateTime, DateTimeParseError> {
        match parse_any(text.trim()) {
            Some(value) => Ok(DateTime { value, original: Some(text.into()) }),
            None => Err(DateTimeParseError { text: text.chars().take(64).collect() }),
        }
    }

    /// The current time (UTC).
    pub fn now() -> DateTime {
        OffsetDateTime::now_utc().into()
    }

    /// The instant with the offset it was given in.
    pub fn as_offset_date_time(&self) -> &OffsetDateTime {
        &self.value
    }

    /// The text this value was parsed from, if it was parsed.
    pub fn original_text(&self) -> Option<&str> {
        self.original.as_deref()
    }

    /// RFC 3339 text of the instant in its own offset (ignores the original text), with as many
    /// fraction digits as needed: `2022-07-31T10:20:30.5Z`, `2022-07-31T12:20:30+02:00`.
    pub fn to_rfc3339(&self) -> String {
        // Written out instead of `time`'s formatter, whose generic machinery is several times larger.
        use std::fmt::Write as _;
        let v = &self.value;
        let mut out = String::with_capacity(32);
        let _ = write!(
            out,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            v.year(),
            u8::from(v.month()),
            v.day(),
            v.hour(),
            v.minute(),
            v.second()
        );
        let nanos = v.nanosecond();
        if nanos != 0 {
            let fraction = format!("{nanos:09}");
            out.push('.');
            out.push_str(fraction.trim_end_matches('0'));
        }
        let offset = v.offset();
        if offset.is_utc() {
            out.push('Z');
        } else {
            let (h, m, _) = offset.as_hms();
            let sign = if offset.is_negative() { '-' } else { '+' };
            let _ = write!(out, "{sign}{:02}:{:02}", h.unsigned_abs(), m.unsigned_abs());
        }
        out
    }
}

impl DateTime {
    /// RFC 1123 text of the instant in UTC (`Fri, 01 Jan 2010 12:34:56 GMT`), as parameters of
    /// `format: date-time-rfc1123` are sent.
    pub fn to_rfc1123(&self) -> String {
        const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        // An instant whose UTC date is beyond year 9999 has no RFC 1123 text; RFC 3339 keeps it.
        let Some(v) = self.value.checked_to_offset(UtcOffset::UTC) else { return self.to_rfc3339() };
        format!(
            "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
            DAYS[usize::from(v.weekday().number_days_from_monday())],
            v.day(),
            MONTHS[usize::from(u8::from(v.month()) - 1)],
            v.year(),
            v.hour(),
            v.minute(),
            v.second()
        )
    }
}

impl From<OffsetDateTime> for DateTime {
    fn from(value: OffsetDateTime) -> Self {
        DateTime { value, original: None }
    }
}

impl From<DateTime> for OffsetDateTime {
    fn from(value: DateTime) -> Self {
        value.value
    }
}

impl Deref for DateTime {
    type Target = OffsetDateTime;
    fn deref(&self) -> &OffsetDateTime {
        &self.value
    }
}

impl FromStr for DateTime {
    type Err = DateTimeParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DateTime::parse(s)
    }
}

impl PartialEq for DateTime {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl Eq for DateTime {}

impl PartialOrd for DateTime {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for DateTime {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value.cmp(&other.value)
    }
}

impl Hash for DateTime {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.unix_timestamp_nanos().hash(state);
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.original {
            Some(text) => f.write_str(text),
            None => f.write_str(&self.to_rfc3339()),
        }
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DateTime({self})")
    }
}

impl ParamValue for DateTime {
    fn to_param(&self) -> String {
        self.to_rfc3339()
    }
}

impl serde::Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.original {
            Some(text) => serializer.serialize_str(text),
            None => serializer.serialize_str(&self.to_rfc3339()),
        }
    }
}

impl<'de> serde::Deserialize<'de> for DateTime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = DateTime;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 or RFC 1123 date-time string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DateTime, E> {
                DateTime::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

fn parse_any(text: &str) -> Option<OffsetDateTime> {
    if text.as_bytes().first()?.is_ascii_digit() {
        parse_rfc3339ish(text)
    } else {
        parse_rfc1123(text)
    }
}

/// A tiny cursor over ASCII text.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, options: &[u8]) -> bool {
        match self.peek() {
            Some(b) if options.contains(&b) => {
                self.pos += 1;
                true
            }
            _ => false,
        }
    }

    /// Exactly `n` ASCII digits as a number.
    fn digits(&mut self, n: usize) -> Option<u32> {
        let slice = self.bytes.get(self.pos..self.pos + n)?;
        let mut value = 0u32;
        for &b in slice {
            if !b.is_ascii_digit() {
                return None;
            }
            value = value * 10 + u32::from(b - b'0');
        }
        self.pos += n;
        Some(value)
    }

    fn at_end(&self) -> bool {
        self.pos == self.bytes.len()
    }
}

fn date(year: u32, month: u32, day: u32) -> Option<Date> {
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(i32::try_from(year).ok()?, month, u8::try_from(day).ok()?).ok()
}

fn parse_rfc3339ish(text: &str) -> Option<OffsetDateTime> {
    let mut c = Cursor { bytes: text.as_bytes(), pos: 0 };
    let year = c.digits(4)?;
    c.eat(b"-").then_some(())?;
    let month = c.digits(2)?;
    c.eat(b"-").then_some(())?;
    let day = c.digits(2)?;
    let date = date(year, month, day)?;
    if c.at_end() {
        return Some(date.midnight().assume_utc());
    }
    c.eat(b"Tt ").then_some(())?;
    let hour = c.digits(2)?;
    c.eat(b":").then_some(())?;
    let minute = c.digits(2)?;
    let second = if c.eat(b":") { c.digits(2)? } else { 0 };
    let mut nanos = 0u32;
    if c.eat(b".,") {
        let mut digits = 0;
        while let Some(b) = c.peek().filter(u8::is_ascii_digit) {
            if digits < 9 {
                nanos = nanos * 10 + u32::from(b - b'0');
            }
            digits += 1;
            c.pos += 1;
        }
        if digits == 0 {
            return None;
        }
        for _ in digits..9 {
            nanos *= 10;
        }
    }
    let offset = if c.at_end() || c.eat(b"Zz") {
        UtcOffset::UTC
    } else {
        let sign: i8 = match c.peek()? {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        c.pos += 1;
        let hours = c.digits(2)?;
        c.eat(b":");
        let minutes = if c.at_end() { 0 } else { c.digits(2)? };
        let hours = i8::try_from(hours).ok()?;
        let minutes = i8::try_from(minutes).ok()?;
        UtcOffset::from_hms(sign * hours, sign * minutes, 0).ok()?
    };
    if !c.at_end() {
        return None;
    }
    let time =
        Time::from_hms_nano(u8::try_from(hour).ok()?, u8::try_from(minute).ok()?, u8::try_from(second).ok()?, nanos)
            .ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_offset(offset))
}

/// `Thu, 12 Oct 2017 19:23:50 GMT` (the weekday is optional and not checked).
pub(crate) fn parse_rfc1123(text: &str) -> Option<OffsetDateTime> {
    let rest = match text.split_once(',') {
        Some((_weekday, rest)) => rest,
        None => text,
    };
    let mut parts = rest.split_ascii_whitespace();
    let day: u32 = parts.next()?.parse().ok()?;
    let month = match parts.next()?.to_ascii_lowercase().as_str() {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    let year_text = parts.next()?;
    if year_text.len() != 4 {
        return None;
    }
    let year: u32 = year_text.parse().ok()?;
    let mut clock = Cursor { bytes: parts.next()?.as_bytes(), pos: 0 };
    let hour = clock.digits(2)?;
    clock.eat(b":").then_some(())?;
    let minute = clock.digits(2)?;
    clock.eat(b":").then_some(())?;
    let second = clock.digits(2)?;
    if !clock.at_end() {
        return None;
    }
    // Any case: services send `gmt` too.
    let utc = ["GMT", "UTC", "UT", "Z", "+0000", "-0000"];
    match parts.next() {
        None => {}
        Some(zone) if utc.iter().any(|u| zone.eq_ignore_ascii_case(u)) => {}
        Some(_) => return None,
    }
    if parts.next().is_some() {
        return None;
    }
    let time = Time::from_hms(u8::try_from(hour).ok()?, u8::try_from(minute).ok()?, u8::try_from(second).ok()?).ok()?;
    Some(PrimitiveDateTime::new(date(year, month, day)?, time).assume_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn rfc1123_text_is_utc_with_english_names() {
        let value = DateTime::parse("2010-01-01T14:34:56+02:00").unwrap();
        assert_eq!(value.to_rfc1123(), "Fri, 01 Jan 2010 12:34:56 GMT");
        assert_eq!(DateTime::from(datetime!(0001-01-01 00:00:00 UTC)).to_rfc1123(), "Mon, 01 Jan 0001 00:00:00 GMT");
    }

    #[test]
    fn rfc1123_is_read_in_any_case() {
        let upper = DateTime::parse("FRI, 31 DEC 9999 23:59:59 GMT").unwrap();
        assert_eq!(DateTime::parse("fri, 31 dec 9999 23:59:59 gmt").unwrap(), upper);
        assert_eq!(*upper, datetime!(9999-12-31 23:59:59 UTC));
    }

    #[test]
    fn parses_rfc3339_variants() {
        let cases = [
            ("2017-10-12T19:23:50Z", datetime!(2017-10-12 19:23:50 UTC)),
            ("2017-10-12t19:23:50z", datetime!(2017-10-12 19:23:50 UTC)),
            ("2017-10-12 19:23:50", datetime!(2017-10-12 19:23:50 UTC)),
            ("2017-10-12T19:23:50", datetime!(2017-10-12 19:23:50 UTC)),
            ("2017-10-12T19:23", datetime!(2017-10-12 19:23:00 UTC)),
            ("2017-10-12", datetime!(2017-10-12 0:00 UTC)),
            ("2017-10-12T19:23:50.1Z", datetime!(2017-10-12 19:23:50.1 UTC)),
            ("2017-10-12T19:23:50.1234567Z", datetime!(2017-10-12 19:23:50.1234567 UTC)),
            ("2017-10-12T19:23:50.123456789123Z", datetime!(2017-10-12 19:23:50.123456789 UTC)),
            ("2017-10-12T21:23:50+02:00", datetime!(2017-10-12 19:23:50 UTC)),
            ("2017-10-12T17:23:50-0200", datetime!(2017-10-12 19:23:50 UTC)),
            ("2017-10-12T20:23:50+01", datetime!(2017-10-12 19:23:50 UTC)),
            (" 2017-10-12T19:23:50Z ", datetime!(2017-10-12 19:23:50 UTC)),
        ];
        for (text, expected) in cases {
            let parsed = DateTime::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(*parsed.as_offset_date_time(), expected, "{text}");
        }
    }

    #[test]
    fn parses_rfc1123() {
        let parsed = DateTime::parse("Thu, 12 Oct 2017 19:23:50 GMT").unwrap();
        assert_eq!(*parsed, datetime!(2017-10-12 19:23:50 UTC));
        assert_eq!(parse_rfc1123("12 Oct 2017 19:23:50 UTC"), Some(datetime!(2017-10-12 19:23:50 UTC)));
    }

    #[test]
    fn rejects_garbage_without_panicking() {
        for text in [
            "",
            "x",
            "2017",
            "2017-13-01",
            "2017-02-30T00:00:00Z",
            "2017-10-12T25:00:00Z",
            "2017-10-12T19:23:50.Z",
            "2017-10-12T19:23:50+99:00",
            "2017-10-12T19:23:50Zjunk",
            "Thu, 12 Foo 2017 19:23:50 GMT",
            "Thu, 12 Oct 17 19:23:50 GMT",
            "Thu, 12 Oct 2017 19:23 GMT",
            "Thu, 12 Oct 2017 19:23:50 PST",
            "２０１７-10-12",
            "2017-10-12T19:23:60Z",
        ] {
            assert!(DateTime::parse(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn serialisation_is_lossless_and_equality_by_instant() {
        for text in ["2017-10-12T19:23:50.1230000Z", "Thu, 12 Oct 2017 19:23:50 GMT", "2017-10-12t21:23:50.123+02:00"] {
            let json = serde_json::to_string(text).unwrap();
            let parsed: DateTime = serde_json::from_str(&json).unwrap();
            assert_eq!(serde_json::to_string(&parsed).unwrap(), json);
            assert_eq!(parsed.to_string(), text);
        }
        let a = DateTime::parse("2017-10-12T19:23:50.123Z").unwrap();
        let b = DateTime::parse("2017-10-12T21:23:50.1230+02:00").unwrap();
        assert_eq!(a, b);
        assert!(serde_json::from_str::<DateTime>("\"yesterday\"").is_err());
        assert!(serde_json::from_str::<DateTime>("12").is_err());
    }

    #[test]
    fn constructed_values_serialise_as_rfc3339() {
        let value = DateTime::from(datetime!(2017-10-12 19:23:50.5 UTC));
        assert_eq!(serde_json::to_string(&value).unwrap(), "\"2017-10-12T19:23:50.5Z\"");
        assert_eq!(value.to_param(), "2017-10-12T19:23:50.5Z");
        let offset = DateTime::from(datetime!(2017-10-12 19:23:50.000000123 -05:30));
        assert_eq!(offset.to_rfc3339(), "2017-10-12T19:23:50.000000123-05:30");
        assert_eq!(DateTime::from(datetime!(0999-01-02 03:04:05 +01:00)).to_rfc3339(), "0999-01-02T03:04:05+01:00");
        let parsed = DateTime::parse("Thu, 12 Oct 2017 19:23:50 GMT").unwrap();
        assert_eq!(parsed.to_param(), "2017-10-12T19:23:50Z");
    }
}
