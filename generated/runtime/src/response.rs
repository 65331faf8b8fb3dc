//! Responses: [`RawResponse`] (status, headers, buffered body) as decoders see it, and
//! [`Response`], a decoded body with the metadata callers may need.

use std::fmt;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName};
use reqwest::{Method, Url};

use crate::redact::{redact, REDACTED};
use crate::stream::Unread;
use crate::{ETag, HasEtag};

/// A complete, buffered HTTP response (an error response's body at most 64 KiB of it).
#[derive(Clone)]
pub struct RawResponse {
    status: u16,
    headers: HeaderMap,
    /// As read: cloning a response shares it.
    body: Bytes,
    /// Whether `body` was cut at the error body limit.
    truncated: bool,
    /// The client request id that was sent, for a response without `x-ms-request-id`.
    client_request_id: Option<String>,
    /// The request's method and (unredacted) URL, for error messages: redacted only if one is made.
    request: Option<(Method, Url)>,
    /// A streamed success body, not read yet (`body` is then empty).
    unread: Option<Unread>,
}

impl RawResponse {
    /// A response from its parts (for tests of decoders).
    pub fn new(status: u16, headers: HeaderMap, body: impl Into<Vec<u8>>) -> Self {
        RawResponse::from_bytes(status, headers, Bytes::from(body.into()))
    }

    pub(crate) fn from_bytes(status: u16, headers: HeaderMap, body: Bytes) -> Self {
        RawResponse { status, headers, body, truncated: false, client_request_id: None, request: None, unread: None }
    }

    /// A success response whose body is left on the connection for a [`ByteStream`](crate::ByteStream).
    pub(crate) fn unread(status: u16, headers: HeaderMap, response: reqwest::Response) -> Self {
        RawResponse { unread: Some(Unread::new(response)), ..RawResponse::from_bytes(status, headers, Bytes::new()) }
    }

    /// The unread body of a streamed response, once.
    pub(crate) fn take_unread(&self) -> Option<reqwest::Response> {
        self.unread.as_ref()?.take()
    }

    pub(crate) fn truncated(mut self, truncated: bool) -> Self {
        self.truncated = truncated;
        self
    }

    /// Whether the body was cut at the error body limit (64 KiB).
    pub(crate) fn is_truncated(&self) -> bool {
        self.truncated
    }

    /// Keeps the request this response answers (for error messages) and the client request id
    /// that was sent (empty: none), both moved in: a call that is done with them copies nothing.
    pub(crate) fn set_request(&mut self, method: Method, url: Url, client_request_id: String) {
        self.request = Some((method, url));
        self.client_request_id = Some(client_request_id).filter(|id| !id.is_empty());
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body bytes.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body bytes, without a copy.
    pub(crate) fn into_body(self) -> Bytes {
        self.body
    }

    /// The `ETag` header.
    pub fn etag(&self) -> Option<ETag> {
        ETag::from_headers(&self.headers)
    }

    /// `x-ms-request-id`, else the `x-ms-client-request-id` that was sent.
    pub fn request_id(&self) -> Option<&str> {
        let header = self.headers.get(REQUEST_ID).and_then(|v| v.to_str().ok());
        header.or(self.client_request_id.as_deref())
    }

    /// `METHOD /path` of the request, redacted.
    pub(crate) fn request_context(&self) -> Option<String> {
        self.request.as_ref().map(|(method, url)| format!("{method} {}", redact(url.path())))
    }

    /// Status, headers, ETag and request id, to pair with a decoded body.
    pub(crate) fn head<T>(&self, body: T) -> Response<T> {
        Response {
            status: self.status,
            headers: self.headers.clone(),
            etag: self.etag(),
            request_id: self.request_id().map(str::to_string),
            body,
        }
    }
}

/// Headers whose values may hold secrets or URLs with secrets.
const REDACTED_HEADERS: &[&str] = &["set-cookie", "authorization", "www-authenticate"];

/// Header values as `Debug` shows them: URLs redacted, secrets hidden.
struct ShownHeaders<'a>(&'a HeaderMap);

impl fmt::Debug for ShownHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = self.0.iter().map(|(name, value)| {
            let value = match value.to_str() {
                _ if REDACTED_HEADERS.contains(&name.as_str()) => REDACTED.to_string(),
                Ok(text) => redact(text),
                Err(_) => "<binary>".to_string(),
            };
            (name.as_str(), value)
        });
        f.debug_map().entries(shown).finish()
    }
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("headers", &ShownHeaders(&self.headers))
            .field("body_len", &self.body.len())
            .field("truncated", &self.truncated)
            .field("request_id", &self.request_id())
            .field("request", &self.request_context())
            .finish()
    }
}

/// The service's id of a request.
const REQUEST_ID: HeaderName = HeaderName::from_static("x-ms-request-id");

/// A decoded response body with its status, headers, ETag and request id.
#[derive(Clone, Debug)]
pub struct Response<T> {
    status: u16,
    headers: HeaderMap,
    etag: Option<ETag>,
    request_id: Option<String>,
    body: T,
}

impl<T> Response<T> {
    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `ETag` header.
    pub fn etag(&self) -> Option<&ETag> {
        self.etag.as_ref()
    }

    /// `x-ms-request-id`, else the `x-ms-client-request-id` that was sent.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, by value.
    pub fn into_body(self) -> T {
        self.body
    }

    pub(crate) fn with_body<U>(self, body: U) -> Response<U> {
        Response { status: self.status, headers: self.headers, etag: self.etag, request_id: self.request_id, body }
    }
}

/// `IfMatch::from(&response)` uses the response's `ETag` header.
impl<T> HasEtag for Response<T> {
    fn etag(&self) -> Option<&str> {
        self.etag.as_ref().map(ETag::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_exposes_etag_and_request_id() {
        let mut headers = HeaderMap::new();
        headers.insert("etag", "\"v1\"".parse().unwrap());
        headers.insert("x-ms-request-id", "r1".parse().unwrap());
        let raw = RawResponse::new(200, headers, Vec::new());
        let response = raw.head(5);
        assert_eq!(response.etag().map(ETag::as_str), Some("\"v1\""));
        assert_eq!(HasEtag::etag(&response), Some("\"v1\""));
        assert_eq!(response.request_id(), Some("r1"));
        assert_eq!(response.into_body(), 5);
    }

    #[test]
    fn debug_output_redacts_urls_and_secrets_in_headers() {
        let mut headers = HeaderMap::new();
        headers.insert("location", "https://h.example/op?sig=s3cret".parse().unwrap());
        headers.insert("set-cookie", "session=s3cret".parse().unwrap());
        let shown = format!("{:?}", RawResponse::new(302, headers, b"s3cret".to_vec()));
        assert!(!shown.contains("s3cret") && shown.contains("https://h.example/op?sig=<redacted>"), "{shown}");
    }
}
