//! Parameter values as text ([`ParamValue`]), collection formats, and percent-encoding
//! of path segments and query components.

use std::borrow::Cow;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but RFC 3986 unreserved characters: safe for one path segment or a query value.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
/// Query names additionally keep `$` (OData's `$filter`, `$top`) readable.
const QUERY_NAME: &AsciiSet = &COMPONENT.remove(b'$');

/// A value that can be sent as a path, query or header parameter.
#[doc(hidden)]
pub trait ParamValue {
    /// The value as text, before any percent-encoding.
    fn to_param(&self) -> String;

    /// Why this value must not be sent (e.g. an [`IfMatch`](crate::IfMatch) without an ETag).
    fn param_error(&self) -> Option<&'static str> {
        None
    }

    /// `f` of the value as text: text values are lent as they are, without a copy.
    fn with_param<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        f(&self.to_param())
    }
}

impl ParamValue for str {
    fn to_param(&self) -> String {
        self.to_string()
    }

    fn with_param<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        f(self)
    }
}

impl ParamValue for String {
    fn to_param(&self) -> String {
        self.clone()
    }

    fn with_param<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        f(self)
    }
}

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn to_param(&self) -> String {
        (**self).to_param()
    }

    fn param_error(&self) -> Option<&'static str> {
        (**self).param_error()
    }

    fn with_param<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        (**self).with_param(f)
    }
}

macro_rules! display_param {
    ($($t:ty),*) => {$(
        impl ParamValue for $t {
            fn to_param(&self) -> String {
                self.to_string()
            }
        }
    )*};
}

display_param!(bool, i8, i16, i32, i64, u8, u16, u32, u64, usize, f32, f64);

/// How an array parameter is joined (`collectionFormat` in Swagger 2.0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CollectionFormat {
    /// Comma separated: `a,b`.
    Csv,
    /// Space separated: `a b`.
    Ssv,
    /// Tab separated.
    Tsv,
    /// Pipe separated: `a|b`.
    Pipes,
    /// Repeated parameter: `x=a&x=b` (query only; headers fall back to comma separated).
    Multi,
}

impl CollectionFormat {
    /// The separator as text (`Multi` joins with a comma where a single value is needed).
    pub(crate) fn separator(self) -> &'static str {
        match self {
            CollectionFormat::Csv | CollectionFormat::Multi => ",",
            CollectionFormat::Ssv => " ",
            CollectionFormat::Tsv => "\t",
            CollectionFormat::Pipes => "|",
        }
    }
}

/// Joins values with commas, for array header parameters.
#[doc(hidden)]
pub fn join_csv<T: ParamValue>(values: &[T]) -> String {
    let texts: Vec<String> = values.iter().map(ParamValue::to_param).collect();
    texts.join(",")
}

/// Text that is none of a closed enum's values (the `FromStr` error of generated enums).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownEnumValue {
    value: String,
}

impl UnknownEnumValue {
    /// The error for `value`.
    #[doc(hidden)]
    pub fn new(value: &str) -> Self {
        UnknownEnumValue { value: value.to_string() }
    }

    /// The text that was not recognised.
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl std::fmt::Display for UnknownEnumValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown enum value {:?}", self.value)
    }
}

impl std::error::Error for UnknownEnumValue {}

/// Appends `value` percent-encoded as one URL component to `out`: a path segment (`/` included)
/// or a query value.
pub(crate) fn push_component(out: &mut String, value: &str) {
    out.extend(utf8_percent_encode(value, COMPONENT));
}

/// Percent-encodes a query value (or one element of a list).
pub(crate) fn encode_query_value(value: &str) -> String {
    utf8_percent_encode(value, COMPONENT).to_string()
}

/// Query parameter name `name` percent-encoded (borrowed when nothing needs encoding).
pub(crate) fn encode_query_name(name: &str) -> Cow<'_, str> {
    Cow::from(utf8_percent_encode(name, QUERY_NAME))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segment_encodes_slash_and_reserved() {
        let segment = |value| {
            let mut out = String::from("/");
            push_component(&mut out, value);
            out
        };
        assert_eq!(segment("a/b c?d#e%f"), "/a%2Fb%20c%3Fd%23e%25f");
        assert_eq!(segment("thermo-1.A_b~"), "/thermo-1.A_b~");
        assert_eq!(segment("é"), "/%C3%A9");
    }

    #[test]
    fn query_value_encodes_delimiters() {
        assert_eq!(encode_query_value("a&b=c+d e"), "a%26b%3Dc%2Bd%20e");
        let pushed = |value| {
            let mut out = String::from("?a=");
            push_component(&mut out, value);
            out
        };
        assert_eq!((pushed("a b"), pushed("2022-07-31")), ("?a=a%20b".to_string(), "?a=2022-07-31".to_string()));
        assert_eq!(encode_query_name("$filter x"), "$filter%20x");
        assert_eq!(encode_query_name("$filter"), "$filter");
        assert_eq!(encode_query_name("api-version"), "api-version");
    }

    #[test]
    fn scalars_format_plainly() {
        assert_eq!(true.to_param(), "true");
        assert_eq!(25i32.to_param(), "25");
        assert_eq!(1.5f64.to_param(), "1.5");
        assert_eq!("x".to_param(), "x");
        assert_eq!((&&String::from("y")).to_param(), "y");
    }

    #[test]
    fn csv_join_and_unknown_enum_value() {
        assert_eq!(join_csv(&["a", "b"]), "a,b");
        assert_eq!(join_csv::<i32>(&[]), "");
        let err = UnknownEnumValue::new("purple");
        assert_eq!(err.value(), "purple");
        assert_eq!(err.to_string(), "unknown enum value \"purple\"");
    }
}
