//! The one error type of the runtime: what happened on the wire, and what the service said.

use std::any::Any;
use std::error::Error as StdError;
use std::fmt;

use reqwest::header::HeaderMap;

/// What kind of failure an [`Error`] is; see [`Error::kind`].
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The request could not be built (invalid URL, body serialisation, If-Match without an ETag); nothing was sent.
    NotBuilt,
    /// The credential could not produce an `Authorization` value; nothing was sent.
    Credential,
    /// The connection could not be made. Nothing was sent by this attempt; [`Error::was_sent`] says
    /// whether an earlier one (or the request before a redirect) was delivered.
    NotSent,
    /// The request may have been delivered but no complete response arrived (timeout, connection reset).
    Io,
    /// The service answered with a status the operation does not declare as success.
    Service,
    /// The service answered `412 Precondition Failed` (an `If-Match` / `If-None-Match` did not hold).
    PreconditionFailed,
    /// A success response's body did not match the expected model.
    Decode,
    /// A long-running operation ended `Failed` or `Canceled`, or did not finish in time.
    Lro,
    /// Paging stopped because the service sent a `nextLink` it had already sent.
    Paging,
    /// The response body exceeded [`ClientOptions::max_response_body`](crate::ClientOptions::max_response_body);
    /// not retried.
    BodyTooLarge,
    /// A redirect the runtime does not follow: from https to http, one that would carry a request
    /// body to another origin, one that would send a streamed body again, or more than 10 in a
    /// row (a loop); not retried.
    Redirect,
    /// The response was not valid HTTP, or its head (status line and headers) was too large; not retried.
    InvalidResponse,
    /// A long-running operation's status monitor or result is on another origin than the endpoint's,
    /// which [`ClientOptions::cross_origin_polling`](crate::ClientOptions::cross_origin_polling) does
    /// not allow; nothing was requested from it.
    CrossOrigin,
}

/// A service error model decoded from an error response, stored type-erased in [`Error`].
///
/// Implemented for every [`ServiceErrorModel`](crate::ServiceErrorModel).
pub trait ServiceErrorModelDyn: fmt::Debug + Send + Sync + 'static {
    /// The model as `Any`, for [`Error::service_error`].
    fn as_any(&self) -> &dyn Any;
}

impl<T: crate::ServiceErrorModel> ServiceErrorModelDyn for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The message of an attempt that ran out of time, whichever timer ended it.
pub(crate) const TIMED_OUT: &str = "timed out";

/// Decodes an error body sent with a status into the operation's error model (`None` when it does
/// not fit).
pub(crate) type ErrorDecoder = fn(u16, &[u8]) -> Option<Box<dyn ServiceErrorModelDyn>>;

pub(crate) fn decode_error_model<M: crate::ServiceErrorModel>(status: u16, body: &[u8]) -> Option<Box<dyn ServiceErrorModelDyn>> {
    let model = crate::call::with_response_status(status, || serde_json::from_slice::<M>(body));
    model.ok().map(|m| Box::new(m) as Box<dyn ServiceErrorModelDyn>)
}

/// The parts of a response an [`Error`] keeps (borrowed from the response that caused it).
pub(crate) struct Received<'a> {
    pub(crate) status: u16,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: &'a [u8],
    /// Whether the body was cut at [`MAX_ERROR_BODY`].
    pub(crate) truncated: bool,
    /// `x-ms-request-id`, else the client request id that was sent.
    pub(crate) request_id: Option<&'a str>,
    /// `METHOD /path` of the request.
    pub(crate) request: Option<String>,
}

/// Error bodies are read up to this many bytes, the rest is never read; an [`Error`] keeps what was read.
pub(crate) const MAX_ERROR_BODY: usize = 64 * 1024;
/// Decode errors show this many bytes of the body.
const EXCERPT: usize = 512;

/// Every failure of a runtime or operation call.
///
/// It says whether the request was sent ([`was_sent`](Error::was_sent)), and for
/// responses carries the status, the service's error body (raw and decoded), the
/// `x-ms-error-code` and the request id.
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Debug)]
struct Inner {
    kind: ErrorKind,
    sent: bool,
    message: String,
    request: Option<String>,
    status: Option<u16>,
    request_id: Option<String>,
    error_code: Option<String>,
    body: Option<String>,
    service_error: Option<Box<dyn ServiceErrorModelDyn>>,
    lro_status: Option<String>,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

impl Error {
    /// A new error of `kind`; for [`TokenCredential`](crate::TokenCredential) implementations and tests.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            inner: Box::new(Inner {
                kind,
                sent: !matches!(kind, ErrorKind::NotBuilt | ErrorKind::Credential | ErrorKind::NotSent),
                message: message.into(),
                request: None,
                status: None,
                request_id: None,
                error_code: None,
                body: None,
                service_error: None,
                lro_status: None,
                source: None,
            }),
        }
    }

    /// Attaches the underlying cause, reported by [`std::error::Error::source`].
    pub fn with_source(mut self, source: impl Into<Box<dyn StdError + Send + Sync>>) -> Error {
        self.inner.source = Some(source.into());
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }

    /// `x-ms-request-id` of the response, else the `x-ms-client-request-id` that was sent.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// `x-ms-error-code` of the response, else `error.code` / `code` from its body.
    pub fn error_code(&self) -> Option<&str> {
        self.inner.error_code.as_deref()
    }

    /// Whether a request of the call may have reached the service (it may or may not have acted on
    /// it): true once any request was written, by an earlier attempt or before a redirect too.
    pub fn was_sent(&self) -> bool {
        self.inner.sent
    }

    /// The response body as text (at most 64 KiB were read; `…` marks a cut), when there was one.
    pub fn body(&self) -> Option<&str> {
        self.inner.body.as_deref()
    }

    /// The service's error body decoded as the operation's error model `M`.
    pub fn service_error<M: 'static>(&self) -> Option<&M> {
        self.inner.service_error.as_ref()?.as_any().downcast_ref::<M>()
    }

    /// For [`ErrorKind::Lro`]: the last status the service reported (e.g. `Failed`, `Canceled`, `Running`).
    pub fn lro_status(&self) -> Option<&str> {
        self.inner.lro_status.as_deref()
    }

    /// The human-readable message, without the request context.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    pub(crate) fn not_built(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::NotBuilt, message)
    }

    /// Marks the error as sent when `delivered` (a request of the call was written earlier).
    pub(crate) fn sent_if(mut self, delivered: bool) -> Error {
        self.inner.sent |= delivered;
        self
    }

    pub(crate) fn request(mut self, request: impl Into<String>) -> Error {
        self.inner.request = Some(request.into());
        self
    }

    pub(crate) fn with_status(mut self, status: u16) -> Error {
        self.inner.status = Some(status);
        self
    }

    pub(crate) fn with_lro_status(mut self, status: String) -> Error {
        self.inner.lro_status = Some(status);
        self
    }

    pub(crate) fn request_id_opt(mut self, id: Option<String>) -> Error {
        if self.inner.request_id.is_none() {
            self.inner.request_id = id;
        }
        self
    }

    /// An error for an HTTP failure of `reqwest`: connection errors were not sent; a response that
    /// is not valid HTTP (or whose head is too large) and a redirect `reqwest` refused (a caller's own
    /// client) are their own kinds, as retrying cannot help; anything else may have been delivered.
    /// The URL is left out of the message and the source: it may hold secrets.
    pub(crate) fn from_reqwest(err: reqwest::Error) -> Error {
        let kind = if err.is_builder() {
            ErrorKind::NotBuilt
        } else if err.is_connect() {
            ErrorKind::NotSent
        } else if err.is_redirect() {
            ErrorKind::Redirect
        } else if is_invalid_response(&err) {
            ErrorKind::InvalidResponse
        } else {
            ErrorKind::Io
        };
        let err = err.without_url();
        let message = if err.is_timeout() { TIMED_OUT.to_string() } else { source_chain(&err) };
        Error::new(kind, message).with_source(err)
    }

    /// The error for a response whose status is not a declared success.
    pub(crate) fn from_response(raw: Received<'_>, decode: ErrorDecoder) -> Error {
        let kind = if raw.status == 412 { ErrorKind::PreconditionFailed } else { ErrorKind::Service };
        let body_json: Option<serde_json::Value> = serde_json::from_slice(raw.body).ok();
        let header_code = raw.headers.get("x-ms-error-code").and_then(|v| v.to_str().ok()).map(str::to_string);
        let error_code = header_code.or_else(|| body_json.as_ref().and_then(body_code));
        let message = body_json.as_ref().and_then(body_message).unwrap_or_else(|| reason(raw.status).to_string());
        let mut err = Error::new(kind, message).with_response(&raw);
        err.inner.error_code = error_code;
        err.inner.service_error = decode(raw.status, raw.body);
        err
    }

    /// A success response whose body did not decode.
    pub(crate) fn decode<E: std::error::Error + Send + Sync + 'static>(raw: Received<'_>, cause: E) -> Error {
        let excerpt = body_text(raw.body, EXCERPT).unwrap_or_default();
        Error::new(ErrorKind::Decode, format!("{cause}; body: {excerpt}")).with_source(cause).with_response(&raw)
    }

    /// A long-running operation that ended `lro_status`; `raw` is the response that said so.
    pub(crate) fn lro(raw: Received<'_>, lro_status: &str, message: String, decode: ErrorDecoder) -> Error {
        let body_json: Option<serde_json::Value> = serde_json::from_slice(raw.body).ok();
        let detail = body_json.as_ref().and_then(body_message);
        let message = match detail {
            Some(detail) => format!("{message}: {detail}"),
            None => message,
        };
        let mut err = Error::new(ErrorKind::Lro, message).with_response(&raw);
        err.inner.lro_status = Some(lro_status.to_string());
        err.inner.error_code = body_json.as_ref().and_then(body_code);
        // A status monitor nests the service error under `error`; a resource body is the error itself.
        let nested = body_json
            .as_ref()
            .and_then(|v| v.get("error"))
            .filter(|e| e.is_object())
            .and_then(|e| serde_json::to_vec(e).ok());
        err.inner.service_error = nested.and_then(|b| decode(raw.status, &b)).or_else(|| decode(raw.status, raw.body));
        err
    }

    /// Keeps the status, request id, request and body of `raw`.
    fn with_response(mut self, raw: &Received<'_>) -> Error {
        self.inner.status = Some(raw.status);
        self.inner.request_id = raw.request_id.map(str::to_string);
        self.inner.request = raw.request.clone();
        self.inner.body = body_text(raw.body, MAX_ERROR_BODY);
        if raw.truncated {
            if let Some(body) = &mut self.inner.body {
                body.push('…');
            }
        }
        self
    }
}

/// Whether hyper found the response not to be valid HTTP (a parse error, a head over its size limit).
fn is_invalid_response(err: &reqwest::Error) -> bool {
    let mut source = StdError::source(err);
    while let Some(s) = source {
        if let Some(hyper) = s.downcast_ref::<hyper::Error>() {
            return hyper.is_parse();
        }
        source = s.source();
    }
    false
}

fn source_chain(err: &dyn StdError) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    text
}

fn body_text(body: &[u8], max: usize) -> Option<String> {
    if body.is_empty() {
        return None;
    }
    let cut = &body[..body.len().min(max)];
    let mut text = String::from_utf8_lossy(cut).into_owned();
    if body.len() > max {
        text.push('…');
    }
    Some(text)
}

fn body_code(v: &serde_json::Value) -> Option<String> {
    let code = v.get("error").and_then(|e| e.get("code")).or_else(|| v.get("code"))?;
    match code {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn body_message(v: &serde_json::Value) -> Option<String> {
    let message =
        v.get("error").and_then(|e| e.get("message")).or_else(|| v.get("message")).or_else(|| v.get("Message"))?;
    message.as_str().map(str::to_string)
}

fn reason(status: u16) -> &'static str {
    reqwest::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("unexpected status")
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        let request = i.request.as_deref().unwrap_or("request");
        match i.kind {
            ErrorKind::NotBuilt => write!(f, "{request} not built: {}", i.message)?,
            ErrorKind::Credential => write!(f, "no credential for {request}: {}", i.message)?,
            ErrorKind::NotSent => write!(f, "{request} not sent: {}", i.message)?,
            ErrorKind::Io => write!(f, "no response to {request}: {}", i.message)?,
            ErrorKind::Service | ErrorKind::PreconditionFailed => {
                write!(f, "{request} failed with HTTP {}", i.status.unwrap_or_default())?;
                if let Some(code) = &i.error_code {
                    write!(f, " {code}")?;
                }
                write!(f, ": {}", i.message)?;
            }
            ErrorKind::Decode => write!(
                f,
                "could not decode the HTTP {} response to {request}: {}",
                i.status.unwrap_or_default(),
                i.message
            )?,
            ErrorKind::Lro => {
                write!(f, "long-running operation {request}: {}", i.message)?;
                if let Some(code) = &i.error_code {
                    write!(f, " ({code})")?;
                }
            }
            ErrorKind::Paging => write!(f, "paging {request} stopped: {}", i.message)?,
            ErrorKind::BodyTooLarge => write!(f, "response to {request} too large: {}", i.message)?,
            ErrorKind::Redirect => write!(f, "redirect of {request} not followed: {}", i.message)?,
            ErrorKind::InvalidResponse => write!(f, "invalid response to {request}: {}", i.message)?,
            ErrorKind::CrossOrigin => write!(f, "long-running operation {request} refused: {}", i.message)?,
        }
        if let Some(id) = &i.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.inner.source.as_deref().map(|s| s as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    /// A response as an error sees it; `x-ms-request-id` is its request id.
    struct Response {
        status: u16,
        headers: HeaderMap,
        body: Vec<u8>,
    }

    impl Response {
        fn received(&self) -> Received<'_> {
            let request_id = self.headers.get("x-ms-request-id").and_then(|v| v.to_str().ok());
            Received {
                status: self.status,
                headers: &self.headers,
                body: &self.body,
                truncated: false,
                request_id,
                request: None,
            }
        }
    }

    fn response(status: u16, headers: &[(&'static str, &str)], body: &str) -> Response {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        Response { status, headers: map, body: body.as_bytes().to_vec() }
    }

    #[test]
    fn service_error_carries_status_code_message_and_model() {
        let raw = response(
            404,
            &[("x-ms-request-id", "req-1")],
            r#"{"error":{"code":"NotFound","message":"no such device"}}"#,
        );
        let err = Error::from_response(raw.received(), decode_error_model::<serde_json::Value>);
        assert_eq!(err.kind(), ErrorKind::Service);
        assert_eq!(err.status(), Some(404));
        assert_eq!(err.error_code(), Some("NotFound"));
        assert_eq!(err.request_id(), Some("req-1"));
        assert!(err.was_sent());
        let model = err.service_error::<serde_json::Value>().unwrap();
        assert_eq!(model["error"]["code"], "NotFound");
        assert!(err.service_error::<String>().is_none());
        assert_eq!(err.to_string(), "request failed with HTTP 404 NotFound: no such device [request id req-1]");
    }

    #[test]
    fn error_code_header_wins_over_body() {
        let raw = response(400, &[("x-ms-error-code", "Header")], r#"{"code":"Body"}"#);
        let err = Error::from_response(raw.received(), decode_error_model::<serde_json::Value>);
        assert_eq!(err.error_code(), Some("Header"));
    }

    #[test]
    fn status_412_is_precondition_failed() {
        let raw = response(412, &[], "");
        let err = Error::from_response(raw.received(), decode_error_model::<serde_json::Value>);
        assert_eq!(err.kind(), ErrorKind::PreconditionFailed);
        assert_eq!(err.body(), None);
        assert!(err.to_string().contains("Precondition Failed"));
    }

    #[test]
    fn not_built_was_not_sent() {
        assert!(!Error::not_built("x").was_sent());
        assert!(!Error::new(ErrorKind::NotSent, "x").was_sent());
        assert!(Error::new(ErrorKind::Io, "x").was_sent());
    }

    #[test]
    fn error_models_see_the_status_they_were_sent_with() {
        /// What a generated enum of error bodies by status does.
        #[derive(Debug, PartialEq)]
        enum ByStatus {
            NotFound(String),
            Other(u32),
        }
        impl<'de> serde::Deserialize<'de> for ByStatus {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                match crate::response_status() {
                    Some(404) => String::deserialize(d).map(ByStatus::NotFound),
                    _ => u32::deserialize(d).map(ByStatus::Other),
                }
            }
        }
        let decode = decode_error_model::<ByStatus>;
        let model = |status: u16, body: &[u8]| decode(status, body).and_then(|m| m.as_any().downcast_ref::<ByStatus>().map(|m| format!("{m:?}")));
        assert_eq!(model(404, b"\"gone\"").as_deref(), Some("NotFound(\"gone\")"));
        assert_eq!(model(500, b"7").as_deref(), Some("Other(7)"));
        assert_eq!(model(404, b"7"), None, "a body that does not fit its status's type");
        assert_eq!(crate::response_status(), None, "only while decoding");
    }

    #[test]
    fn decode_error_shows_a_body_excerpt() {
        let body = format!("{{\"a\": \"{}\"", "x".repeat(2000));
        let raw = response(200, &[], &body);
        let cause = serde_json::from_slice::<u32>(&raw.body).unwrap_err();
        let err = Error::decode(raw.received(), cause);
        assert_eq!(err.kind(), ErrorKind::Decode);
        assert!(err.message().contains("{\"a\": \"xxx"));
        assert!(err.message().len() < 700);
    }

    #[test]
    fn lro_error_decodes_the_nested_error_object() {
        let raw = response(200, &[], r#"{"status":"Failed","error":{"code":"Boom","message":"it broke"}}"#);
        let err = Error::lro(raw.received(), "Failed", "ended Failed".into(), decode_error_model::<serde_json::Value>);
        assert_eq!(err.kind(), ErrorKind::Lro);
        assert_eq!(err.lro_status(), Some("Failed"));
        assert_eq!(err.error_code(), Some("Boom"));
        assert_eq!(err.service_error::<serde_json::Value>().unwrap()["code"], "Boom");
        assert!(err.to_string().contains("it broke"));
    }
}
