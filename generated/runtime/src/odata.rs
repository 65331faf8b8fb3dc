//! Typed OData `$filter` expressions, for list operations that take a filter (such as the IoT
//! Central preview's device list): `contains(displayName, 'thermo')`, `enabled eq true`, joined with
//! `and` / `or`. String literals are quoted with their single quotes doubled, so a value such as
//! `O'Brien` stays one literal instead of ending it early. A raw string works everywhere a
//! [`Filter`] does; this is only the safe way to build the common ones.
//!
//! ```rust,ignore
//! use iot_rest::runtime::odata::Filter;
//!
//! let filter = Filter::contains("displayName", "O'Brien").and(Filter::eq("enabled", true));
//! assert_eq!(filter.as_str(), "contains(displayName, 'O''Brien') and enabled eq true");
//! ```

use std::fmt;
use std::ops::Deref;

/// A filter expression; derefs to `&str`, so `.filter(&filter)` passes it to an operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    text: String,
    /// The expression's top level is an `or`, which binds looser than `and`.
    is_or: bool,
}

/// A literal value of a comparison: a string (quoted), a boolean or a number.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    String(String),
    Bool(bool),
    Int(i64),
    Float(f64),
}

impl Filter {
    /// `contains(property, 'text')`: the property's string value contains `text`.
    pub fn contains(property: &str, text: &str) -> Filter {
        Filter::simple(format!("contains({property}, {})", quote(text)))
    }

    /// `property eq value`: the property equals a string, boolean or number.
    pub fn eq(property: &str, value: impl Into<Literal>) -> Filter {
        Filter::simple(format!("{property} eq {}", value.into()))
    }

    /// `property ne value`: the property differs from a string, boolean or number.
    pub fn ne(property: &str, value: impl Into<Literal>) -> Filter {
        Filter::simple(format!("{property} ne {}", value.into()))
    }

    /// Both filters hold.
    pub fn and(self, other: Filter) -> Filter {
        Filter::simple(format!("{} and {}", self.grouped(), other.grouped()))
    }

    /// Either filter holds.
    pub fn or(self, other: Filter) -> Filter {
        Filter { text: format!("{} or {}", self.text, other.text), is_or: true }
    }

    /// The expression as sent.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    fn simple(text: String) -> Filter {
        Filter { text, is_or: false }
    }

    /// The expression as an operand of `and`: an `or` in parentheses.
    fn grouped(&self) -> String {
        if self.is_or {
            format!("({})", self.text)
        } else {
            self.text.clone()
        }
    }
}

/// `'text'` with every `'` doubled, as OData writes a quote inside a string literal.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::String(s) => f.write_str(&quote(s)),
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Int(n) => write!(f, "{n}"),
            Literal::Float(x) => write!(f, "{x:?}"),
        }
    }
}

impl From<&str> for Literal {
    fn from(s: &str) -> Self {
        Literal::String(s.to_string())
    }
}

impl From<String> for Literal {
    fn from(s: String) -> Self {
        Literal::String(s)
    }
}

impl From<bool> for Literal {
    fn from(b: bool) -> Self {
        Literal::Bool(b)
    }
}

impl From<i32> for Literal {
    fn from(n: i32) -> Self {
        Literal::Int(n.into())
    }
}

impl From<i64> for Literal {
    fn from(n: i64) -> Self {
        Literal::Int(n)
    }
}

impl From<f64> for Literal {
    fn from(x: f64) -> Self {
        Literal::Float(x)
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Deref for Filter {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl AsRef<str> for Filter {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl From<Filter> for String {
    fn from(filter: Filter) -> String {
        filter.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_quotes_the_text_and_doubles_single_quotes() {
        assert_eq!(Filter::contains("displayName", "thermo").as_str(), "contains(displayName, 'thermo')");
        assert_eq!(Filter::contains("displayName", "O'Brien's").as_str(), "contains(displayName, 'O''Brien''s')");
        assert_eq!(Filter::contains("displayName", "'").as_str(), "contains(displayName, '''')");
    }

    #[test]
    fn comparisons_write_strings_quoted_and_other_literals_bare() {
        assert_eq!(Filter::eq("template", "dtmi:a:b;1").as_str(), "template eq 'dtmi:a:b;1'");
        assert_eq!(Filter::eq("enabled", true).as_str(), "enabled eq true");
        assert_eq!(Filter::ne("count", 3).as_str(), "count ne 3");
        assert_eq!(Filter::eq("ratio", 0.5).as_str(), "ratio eq 0.5");
        assert_eq!(Filter::eq("ratio", 2.0).as_str(), "ratio eq 2.0");
        assert_eq!(Filter::eq("name", String::from("it's")).as_str(), "name eq 'it''s'");
    }

    #[test]
    fn or_is_parenthesised_inside_and() {
        let either = Filter::eq("enabled", true).or(Filter::eq("simulated", true));
        let both = Filter::contains("displayName", "x").and(either.clone());
        assert_eq!(both.as_str(), "contains(displayName, 'x') and (enabled eq true or simulated eq true)");
        let three = either.or(Filter::eq("provisioned", false));
        assert_eq!(three.as_str(), "enabled eq true or simulated eq true or provisioned eq false");
    }

    #[test]
    fn a_filter_is_a_str_where_operations_take_one() {
        let filter = Filter::contains("displayName", "a");
        let take = |s: &str| s.len();
        assert_eq!(take(&filter), filter.as_str().len());
        assert_eq!(filter.to_string(), String::from(filter.clone()));
    }
}
