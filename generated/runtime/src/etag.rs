//! Optimistic concurrency: [`ETag`], the [`IfMatch`] condition and [`HasEtag`] models.

use std::fmt;

use reqwest::header::HeaderMap;

use crate::ParamValue;

/// An entity tag, kept exactly as the service sent it (quotes and `W/` included).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct ETag(String);

impl ETag {
    /// Wraps an entity tag.
    pub fn new(value: impl Into<String>) -> Self {
        ETag(value.into())
    }

    /// The tag as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The `ETag` header of a response, if present and readable.
    pub fn from_headers(headers: &HeaderMap) -> Option<ETag> {
        let value = headers.get(reqwest::header::ETAG)?.to_str().ok()?;
        Some(ETag(value.to_string()))
    }
}

impl fmt::Display for ETag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for ETag {
    fn from(value: String) -> Self {
        ETag(value)
    }
}

impl From<&str> for ETag {
    fn from(value: &str) -> Self {
        ETag(value.to_string())
    }
}

/// A model that carries the entity tag it was read with (generated for models with an `etag` field).
pub trait HasEtag {
    /// The entity tag, if the service sent one.
    fn etag(&self) -> Option<&str>;
}

/// The condition of an `If-Match` / `If-None-Match` header.
///
/// Built from a model or response with `IfMatch::from(&model)`; a value without an
/// ETag becomes [`IfMatch::Missing`], which fails the request before it is sent rather
/// than silently sending it unconditionally.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum IfMatch {
    /// `*`: any current version.
    Any,
    /// Exactly this version.
    Etag(ETag),
    /// The source had no ETag; a request with this condition fails with
    /// [`ErrorKind::NotBuilt`](crate::ErrorKind::NotBuilt).
    Missing,
}

/// The condition of an `If-None-Match` header: [`IfMatch::Any`] (`*`, "only if it does not exist
/// yet") or [`IfMatch::Etag`] ("only if it changed"). The same type as [`IfMatch`], named for the header.
pub type IfNoneMatch = IfMatch;

impl From<ETag> for IfMatch {
    fn from(etag: ETag) -> Self {
        IfMatch::Etag(etag)
    }
}

impl<T: HasEtag + ?Sized> From<&T> for IfMatch {
    fn from(value: &T) -> Self {
        match value.etag() {
            Some(etag) if !etag.is_empty() => IfMatch::Etag(ETag::new(etag)),
            _ => IfMatch::Missing,
        }
    }
}

impl ParamValue for IfMatch {
    fn to_param(&self) -> String {
        match self {
            IfMatch::Any => "*".to_string(),
            IfMatch::Etag(etag) => etag.0.clone(),
            IfMatch::Missing => String::new(),
        }
    }

    fn param_error(&self) -> Option<&'static str> {
        match self {
            IfMatch::Missing => Some("an If-Match/If-None-Match condition was built from a value without an ETag"),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Model {
        etag: Option<String>,
    }

    impl HasEtag for Model {
        fn etag(&self) -> Option<&str> {
            self.etag.as_deref()
        }
    }

    #[test]
    fn if_match_from_model_with_and_without_etag() {
        let with = Model { etag: Some("\"abc\"".into()) };
        let without = Model { etag: None };
        assert_eq!(IfMatch::from(&with), IfMatch::Etag(ETag::new("\"abc\"")));
        assert_eq!(IfMatch::from(&with).to_param(), "\"abc\"");
        assert_eq!(IfMatch::from(&without), IfMatch::Missing);
        assert!(IfMatch::from(&without).param_error().is_some());
        assert_eq!(IfMatch::Any.to_param(), "*");
        assert!(IfMatch::Any.param_error().is_none());
    }

    #[test]
    fn etag_from_headers_is_verbatim() {
        let mut headers = HeaderMap::new();
        assert_eq!(ETag::from_headers(&headers), None);
        headers.insert("etag", "W/\"x\"".parse().unwrap());
        assert_eq!(ETag::from_headers(&headers).unwrap().to_string(), "W/\"x\"");
    }
}
