//! Responses: [`RawResponse`] (status, headers, buffered body) as generated decoders see
//! it, and [`Response`], a decoded body with the metadata callers may need.

use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::runtime::{ETag, Error, HasEtag, Result};

/// A complete, buffered HTTP response.
#[derive(Clone, Debug)]
pub struct RawResponse {
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
    /// `x-ms-request-id`, else the client request id that was sent.
    request_id: Option<String>,
    /// `METHOD /path` of the request, for error messages.
    request: Option<String>,
}

impl RawResponse {
    /// A response from its parts (for tests of decoders).
    pub fn new(status: u16, headers: HeaderMap, body: impl Into<Vec<u8>>) -> Self {
        let request_id = header_string(&headers, "x-ms-request-id");
        RawResponse { status, headers, body: body.into(), request_id, request: None }
    }

    pub(crate) fn with_request(mut self, request: String, client_request_id: &str) -> Self {
        self.request = Some(request);
        if self.request_id.is_none() {
            self.request_id = Some(client_request_id.to_string());
        }
        self
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

    /// The `ETag` header.
    pub fn etag(&self) -> Option<ETag> {
        ETag::from_headers(&self.headers)
    }

    /// `x-ms-request-id`, else the `x-ms-client-request-id` that was sent.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    pub(crate) fn request_context(&self) -> Option<&str> {
        self.request.as_deref()
    }

    /// Decodes the JSON body.
    #[doc(hidden)]
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|e| Error::decode(self, e))
    }

    /// Decodes the JSON body; an empty body (e.g. 204) is `None`.
    #[doc(hidden)]
    pub fn json_opt<T: DeserializeOwned>(&self) -> Result<Option<T>> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        self.json().map(Some)
    }

    /// For operations without a response body: whatever was sent is ignored.
    #[doc(hidden)]
    pub fn empty(&self) -> Result<()> {
        Ok(())
    }

    /// The body as text (lossy UTF-8), for `text/plain` responses.
    #[doc(hidden)]
    pub fn text(&self) -> Result<String> {
        Ok(String::from_utf8_lossy(&self.body).into_owned())
    }

    /// Status, headers, ETag and request id, to pair with a decoded body.
    pub(crate) fn head<T>(&self, body: T) -> Response<T> {
        Response {
            status: self.status,
            headers: self.headers.clone(),
            etag: self.etag(),
            request_id: self.request_id.clone(),
            body,
        }
    }
}

fn header_string(headers: &HeaderMap, name: &str) -> Option<String> {
    Some(headers.get(name)?.to_str().ok()?.to_string())
}

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
    use crate::runtime::ErrorKind;

    #[test]
    fn json_opt_treats_empty_body_as_none() {
        let empty = RawResponse::new(204, HeaderMap::new(), Vec::new());
        assert_eq!(empty.json_opt::<serde_json::Value>().unwrap(), None);
        let blank = RawResponse::new(200, HeaderMap::new(), b" \n".to_vec());
        assert_eq!(blank.json_opt::<u32>().unwrap(), None);
        let full = RawResponse::new(200, HeaderMap::new(), b"3".to_vec());
        assert_eq!(full.json_opt::<u32>().unwrap(), Some(3));
    }

    #[test]
    fn json_failure_is_a_decode_error_with_status() {
        let raw =
            RawResponse::new(200, HeaderMap::new(), b"{\"x\":".to_vec()).with_request("GET /api/x".into(), "crid");
        let err = raw.json::<serde_json::Value>().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode);
        assert_eq!(err.status(), Some(200));
        assert_eq!(err.request_id(), Some("crid"));
        assert!(err.to_string().contains("GET /api/x"), "{err}");
    }

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
}
