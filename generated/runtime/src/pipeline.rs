//! The request pipeline: endpoint and base-path joining, request building
//! ([`RequestBuilder`]), and sending with credentials, retries, timeouts,
//! `x-ms-client-request-id`, `User-Agent` and a `tracing` span per request.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use reqwest::{Method, Url};
use tracing::Instrument;

use crate::runtime::error::ErrorDecoder;
use crate::runtime::options::{DEFAULT_MAX_POLL_WAIT, DEFAULT_POLL_INTERVAL, DEFAULT_TIMEOUT};
use crate::runtime::params::{encode_query_name, encode_query_value, encode_segment};
use crate::runtime::retry::{jitter, parse_retry_after, random_u64, should_retry, Outcome};
use crate::runtime::serde_support::with_request_body;
use crate::runtime::{
    ClientOptions, CollectionFormat, Credential, Error, ErrorKind, IfMatch, ParamValue, RawResponse, Result,
    RetryOptions, ShouldRetry, Sleep, TokioSleep,
};

const USER_AGENT_VALUE: &str = concat!("iot-rest/", env!("CARGO_PKG_VERSION"));
const CLIENT_REQUEST_ID: &str = "x-ms-client-request-id";

/// Everything a client needs to send requests: HTTP client, endpoint, credential, options.
/// Cheap to clone (one `Arc`).
#[derive(Clone, Debug)]
pub struct Pipeline {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    client: reqwest::Client,
    /// The service origin (plus any path prefix the endpoint had).
    endpoint: Url,
    /// `endpoint` + base path, without a trailing `/`; request URLs start with it.
    base: String,
    credential: Credential,
    retry: RetryOptions,
    timeout: Duration,
    poll_interval: Duration,
    max_poll_wait: Duration,
    sleep: Arc<dyn Sleep>,
    client_request_id: Option<String>,
}

impl Pipeline {
    /// A pipeline for `default_endpoint` (overridden by [`ClientOptions::endpoint`]) with
    /// `base_path` (like `"/api"` or `""`) appended to every request path.
    #[doc(hidden)]
    pub fn new(
        default_endpoint: &str,
        base_path: &str,
        credential: Credential,
        options: ClientOptions,
    ) -> Result<Pipeline> {
        let endpoint = parse_endpoint(options.endpoint.as_deref().unwrap_or(default_endpoint))?;
        let base = join_base(&endpoint, base_path);
        Url::parse(&base).map_err(|e| Error::not_built(format!("invalid base path {base_path:?}: {e}")))?;
        let client = match options.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .build()
                .map_err(|e| Error::not_built("could not create the HTTP client").with_source(e))?,
        };
        Ok(Pipeline {
            inner: Arc::new(Inner {
                client,
                endpoint,
                base,
                credential,
                retry: options.retry,
                timeout: options.timeout.unwrap_or(DEFAULT_TIMEOUT),
                poll_interval: options.poll_interval.unwrap_or(DEFAULT_POLL_INTERVAL),
                max_poll_wait: options.max_poll_wait.unwrap_or(DEFAULT_MAX_POLL_WAIT),
                sleep: options.sleep.unwrap_or_else(|| Arc::new(TokioSleep)),
                client_request_id: options.client_request_id,
            }),
        })
    }

    /// A request whose URL starts at endpoint + base path.
    #[doc(hidden)]
    pub fn request(&self, method: Method) -> RequestBuilder {
        RequestBuilder {
            pipeline: self.clone(),
            method,
            url: self.inner.base.clone(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            error: None,
        }
    }

    /// The endpoint + base path every request URL starts with.
    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    pub(crate) fn poll_interval(&self) -> Duration {
        self.inner.poll_interval
    }

    pub(crate) fn max_poll_wait(&self) -> Duration {
        self.inner.max_poll_wait
    }

    pub(crate) async fn sleep(&self, duration: Duration) {
        self.inner.sleep.sleep(duration).await;
    }

    /// The configured fixed client request id, else a fresh random one.
    pub(crate) fn client_request_id(&self) -> String {
        self.inner.client_request_id.clone().unwrap_or_else(random_request_id)
    }

    /// Resolves a `nextLink`: absolute, or relative to endpoint + base path.
    pub(crate) fn resolve_link(&self, link: &str) -> Result<Url> {
        let base = Url::parse(&format!("{}/", self.inner.base))
            .map_err(|e| Error::not_built(format!("invalid base URL: {e}")))?;
        resolve_against(&base, link)
    }

    /// A plain GET of `url` (next pages, polling).
    pub(crate) fn get(&self, url: Url) -> Prepared {
        Prepared { method: Method::GET, url, headers: HeaderMap::new(), body: None }
    }

    /// Sends (with retries) and checks the status against `success` (empty: any 2xx).
    pub(crate) async fn send_checked(
        &self,
        request: &Prepared,
        client_request_id: &str,
        success: &[u16],
        decode_error: ErrorDecoder,
    ) -> Result<RawResponse> {
        let raw = self.execute(request, client_request_id).await?;
        check_status(raw, success, decode_error)
    }

    /// Sends `request`, retrying transient failures; returns the last response whatever its status.
    pub(crate) async fn execute(&self, request: &Prepared, client_request_id: &str) -> Result<RawResponse> {
        let span = tracing::info_span!(
            "iot_rest.request",
            method = %request.method,
            path = %request.url.path(),
            status = tracing::field::Empty,
            attempt = tracing::field::Empty,
        );
        self.execute_in(request, client_request_id, &span).instrument(span.clone()).await
    }

    async fn execute_in(
        &self,
        request: &Prepared,
        client_request_id: &str,
        span: &tracing::Span,
    ) -> Result<RawResponse> {
        let context = format!("{} {}", request.method, request.url.path());
        let fail = |e: Error| e.request(context.clone()).request_id_opt(Some(client_request_id.to_string()));
        let mut headers = request.headers.clone();
        headers.insert(USER_AGENT, HeaderValue::from_static(USER_AGENT_VALUE));
        let id = HeaderValue::from_str(client_request_id)
            .map_err(|_| fail(Error::not_built("the client request id is not a valid header value")))?;
        headers.insert(CLIENT_REQUEST_ID, id);
        // Credentials only ever go to the endpoint's own origin.
        if same_origin(&self.inner.endpoint, &request.url) {
            if let Some(auth) = self.inner.credential.authorization().await.map_err(fail)? {
                headers.insert(AUTHORIZATION, auth);
            }
        }
        let mut attempts = 0;
        let mut spent = Duration::ZERO;
        loop {
            attempts += 1;
            span.record("attempt", attempts);
            let started = Instant::now();
            let result = self.attempt(request, headers.clone()).await;
            spent += started.elapsed();
            let (outcome, result) = match result {
                Ok(raw) => {
                    span.record("status", raw.status());
                    let retry_after = parse_retry_after(raw.headers(), time::OffsetDateTime::now_utc());
                    (Outcome::Status { status: raw.status(), retry_after }, Ok(raw))
                }
                Err(e) => {
                    let e = Error::from_reqwest(e);
                    let transport = matches!(e.kind(), ErrorKind::NotSent | ErrorKind::Io);
                    let outcome =
                        if transport { Outcome::Transport } else { Outcome::Status { status: 0, retry_after: None } };
                    (outcome, Err(e))
                }
            };
            match should_retry(outcome, attempts, spent, &self.inner.retry, jitter()) {
                ShouldRetry::No => {
                    return result.map(|raw| raw.with_request(context.clone(), client_request_id)).map_err(fail)
                }
                ShouldRetry::After(delay) => {
                    match &result {
                        Ok(raw) => tracing::debug!(status = raw.status(), ?delay, attempts, "retrying"),
                        Err(e) => tracing::debug!(error = %e, ?delay, attempts, "retrying"),
                    }
                    self.sleep(delay).await;
                    spent += delay;
                }
            }
        }
    }

    async fn attempt(
        &self,
        request: &Prepared,
        headers: HeaderMap,
    ) -> std::result::Result<RawResponse, reqwest::Error> {
        let mut builder = self
            .inner
            .client
            .request(request.method.clone(), request.url.clone())
            .headers(headers)
            .timeout(self.inner.timeout);
        if let Some(body) = &request.body {
            builder = builder.body(body.clone());
        }
        let mut response = builder.send().await?;
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await?;
        Ok(RawResponse::new(status, headers, Vec::from(body)))
    }
}

/// Checks `raw`'s status against `success` (empty: any 2xx); anything else is a service error.
pub(crate) fn check_status(raw: RawResponse, success: &[u16], decode_error: ErrorDecoder) -> Result<RawResponse> {
    let status = raw.status();
    let ok = if success.is_empty() { (200..300).contains(&status) } else { success.contains(&status) };
    if ok {
        Ok(raw)
    } else {
        Err(Error::from_response(&raw, decode_error))
    }
}

fn parse_endpoint(text: &str) -> Result<Url> {
    let text = text.trim();
    let with_scheme = if text.contains("://") { text.to_string() } else { format!("https://{text}") };
    let url = Url::parse(&with_scheme).map_err(|e| Error::not_built(format!("invalid endpoint {text:?}: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(Error::not_built(format!("invalid endpoint {text:?}: expected http(s)://host[:port]")));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::not_built(format!("invalid endpoint {text:?}: no query or fragment allowed")));
    }
    Ok(url)
}

/// Checks a host parameter (`{subdomain}` of `https://{subdomain}.azureiotcentral.com`) before it
/// becomes part of the endpoint: one or more DNS labels (letters, digits, `-`, `.`), so a value like
/// `evil.example/` or `user@host` cannot move requests, and the credential, to another host.
#[doc(hidden)]
pub fn host_param<'a>(name: &str, value: &'a str) -> Result<&'a str> {
    let valid = !value.is_empty()
        && value.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
    if valid {
        Ok(value)
    } else {
        Err(Error::not_built(format!(
            "invalid host parameter {name} = {value:?}: expected DNS labels (letters, digits, '-', '.')"
        )))
    }
}

/// `endpoint` + `base_path` with exactly one `/` between them and none at the end.
fn join_base(endpoint: &Url, base_path: &str) -> String {
    let mut base = endpoint.as_str().trim_end_matches('/').to_string();
    let path = base_path.trim_matches('/');
    if !path.is_empty() {
        base.push('/');
        base.push_str(path);
    }
    base
}

/// Resolves `link` (absolute, or relative to `base`); only http(s) URLs are followed.
pub(crate) fn resolve_against(base: &Url, link: &str) -> Result<Url> {
    let url = base
        .join(link.trim())
        .map_err(|e| Error::new(ErrorKind::Decode, format!("the service sent an invalid link: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::new(ErrorKind::Decode, format!("the service sent a non-HTTP link ({})", url.scheme())));
    }
    Ok(url)
}

/// Same scheme, host and port: the only URLs that get `Authorization`.
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme() && a.host_str() == b.host_str() && a.port_or_known_default() == b.port_or_known_default()
}

/// A random id shaped like a UUID v4.
fn random_request_id() -> String {
    let (a, b) = (random_u64(), random_u64());
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        ((b >> 48) & 0x3fff) | 0x8000,
        b & 0xffff_ffff_ffff
    )
}

/// A request under construction by generated code. Mistakes (invalid header values,
/// body serialisation errors, an [`IfMatch`] without an ETag) are kept and reported as
/// [`ErrorKind::NotBuilt`] when the request is sent; nothing is sent then.
#[doc(hidden)]
#[derive(Debug)]
pub struct RequestBuilder {
    pipeline: Pipeline,
    method: Method,
    url: String,
    /// Names with already percent-encoded values.
    query: Vec<(&'static str, String)>,
    headers: HeaderMap,
    body: Option<Vec<u8>>,
    error: Option<Error>,
}

/// A request ready to send (and to re-send on retries).
#[derive(Clone, Debug)]
pub(crate) struct Prepared {
    pub(crate) method: Method,
    pub(crate) url: Url,
    headers: HeaderMap,
    body: Option<Vec<u8>>,
}

impl RequestBuilder {
    /// The pipeline this request will be sent through.
    pub(crate) fn pipeline(&self) -> &Pipeline {
        &self.pipeline
    }

    fn fail(&mut self, message: String) {
        if self.error.is_none() {
            self.error = Some(Error::not_built(message));
        }
    }

    /// Appends literal path text from the template, as-is (e.g. `"/devices/"`).
    #[doc(hidden)]
    pub fn path(mut self, literal: &'static str) -> Self {
        self.url.push_str(literal);
        self
    }

    /// Appends `value` percent-encoded as one path segment (`/` included).
    #[doc(hidden)]
    pub fn path_param(mut self, value: &str) -> Self {
        if value.is_empty() || value == "." || value == ".." {
            // Would address a different resource after URL normalisation.
            self.fail(format!("path parameter {value:?} is not a valid path segment"));
        }
        self.url.push_str(&encode_segment(value));
        self
    }

    /// Appends `value` unencoded (`x-ms-skip-url-encoding`).
    #[doc(hidden)]
    pub fn path_param_raw(mut self, value: &str) -> Self {
        if value.is_empty() {
            self.fail("path parameter is empty".to_string());
        }
        self.url.push_str(value);
        self
    }

    /// Sets query parameter `name` (replacing an earlier value).
    #[doc(hidden)]
    pub fn query(self, name: &'static str, value: impl ParamValue) -> Self {
        self.query_text(name, value.param_error(), value.to_param())
    }

    fn query_text(mut self, name: &'static str, error: Option<&'static str>, value: String) -> Self {
        if let Some(error) = error {
            self.fail(format!("query parameter {name}: {error}"));
        }
        self.query.retain(|(n, _)| *n != name);
        self.query.push((name, encode_query_value(&value)));
        self
    }

    /// Sets array query parameter `name` joined per `format` (replacing earlier values).
    #[doc(hidden)]
    pub fn query_list<T: ParamValue>(self, name: &'static str, values: &[T], format: CollectionFormat) -> Self {
        let values = values.iter().map(ParamValue::to_param).collect();
        self.query_list_text(name, values, format)
    }

    fn query_list_text(mut self, name: &'static str, values: Vec<String>, format: CollectionFormat) -> Self {
        self.query.retain(|(n, _)| *n != name);
        if format == CollectionFormat::Multi {
            self.query.extend(values.iter().map(|v| (name, encode_query_value(v))));
        } else if !values.is_empty() {
            let separator = encode_query_value(format.separator());
            let separator = if format == CollectionFormat::Csv { "," } else { separator.as_str() };
            let joined = values.iter().map(|v| encode_query_value(v)).collect::<Vec<_>>().join(separator);
            self.query.push((name, joined));
        }
        self
    }

    /// Sets header `name` (replacing an earlier value).
    #[doc(hidden)]
    pub fn header(self, name: &'static str, value: impl ParamValue) -> Self {
        self.header_text(name, value.param_error(), value.to_param())
    }

    fn header_text(mut self, name: &'static str, error: Option<&'static str>, value: String) -> Self {
        if let Some(error) = error {
            self.fail(format!("header {name}: {error}"));
        }
        match (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&value)) {
            (Ok(name), Ok(value)) => {
                self.headers.insert(name, value);
            }
            _ => self.fail(format!("header {name}: not a valid header name or value")),
        }
        self
    }

    /// Sets `If-Match`.
    #[doc(hidden)]
    pub fn if_match(self, condition: IfMatch) -> Self {
        self.header("If-Match", condition)
    }

    /// Sets `If-None-Match`.
    #[doc(hidden)]
    pub fn if_none_match(self, condition: IfMatch) -> Self {
        self.header("If-None-Match", condition)
    }

    /// Serialises `value` as the JSON body now, with read-only fields left out.
    #[doc(hidden)]
    pub fn json_body<T: serde::Serialize + ?Sized>(self, content_type: &'static str, value: &T) -> Self {
        let body = with_request_body(|| serde_json::to_vec(value));
        self.body_bytes(content_type, body.map_err(|e| format!("request body: {e}")))
    }

    /// Sets a text body.
    #[doc(hidden)]
    pub fn text_body(self, content_type: &'static str, text: impl Into<String>) -> Self {
        self.body_bytes(content_type, Ok(text.into().into_bytes()))
    }

    fn body_bytes(mut self, content_type: &'static str, body: std::result::Result<Vec<u8>, String>) -> Self {
        match (body, HeaderValue::from_str(content_type)) {
            (Ok(body), Ok(content_type)) => {
                self.headers.insert(CONTENT_TYPE, content_type);
                self.body = Some(body);
            }
            (Err(message), _) => self.fail(message),
            (_, Err(_)) => self.fail(format!("invalid content type {content_type:?}")),
        }
        self
    }

    /// The (encoded) value of query parameter `name`, if set.
    pub(crate) fn query_value(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    /// The final URL and headers, or the first mistake made while building.
    pub(crate) fn prepare(self) -> Result<Prepared> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let mut url = self.url;
        let mut separator = if url.contains('?') { '&' } else { '?' };
        for (name, value) in &self.query {
            url.push(separator);
            separator = '&';
            url.push_str(&encode_query_name(name));
            url.push('=');
            url.push_str(value);
        }
        let url = Url::parse(&url).map_err(|e| Error::not_built(format!("invalid request URL: {e}")))?;
        Ok(Prepared { method: self.method, url, headers: self.headers, body: self.body })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pipeline(endpoint: &str, base_path: &str) -> Pipeline {
        Pipeline::new(endpoint, base_path, Credential::none(), ClientOptions::default()).unwrap()
    }

    #[test]
    fn endpoint_and_base_path_are_joined_with_one_slash() {
        assert_eq!(
            pipeline("https://app.azureiotcentral.com", "/api").base_url(),
            "https://app.azureiotcentral.com/api"
        );
        assert_eq!(
            pipeline("https://app.azureiotcentral.com/", "api/").base_url(),
            "https://app.azureiotcentral.com/api"
        );
        assert_eq!(pipeline("app.azureiotcentral.com", "").base_url(), "https://app.azureiotcentral.com");
        assert_eq!(pipeline("http://127.0.0.1:3000/prefix/", "/api").base_url(), "http://127.0.0.1:3000/prefix/api");
    }

    #[test]
    fn endpoint_option_overrides_the_default() {
        let options = ClientOptions::default().endpoint("http://127.0.0.1:3000");
        let p = Pipeline::new("https://x.example", "/api", Credential::none(), options).unwrap();
        assert_eq!(p.base_url(), "http://127.0.0.1:3000/api");
    }

    #[test]
    fn host_parameters_must_be_dns_labels() {
        assert_eq!(host_param("subdomain", "myapp").unwrap(), "myapp");
        assert_eq!(host_param("subdomain", "my-app.eu").unwrap(), "my-app.eu");
        for bad in ["", "evil.example/", "user@host", "a..b", "-x", "x:80", "a b", "a/b?c"] {
            let err = host_param("subdomain", bad).unwrap_err();
            assert!(!err.was_sent(), "{bad:?}");
            assert!(err.to_string().contains("subdomain"), "{err}");
        }
    }

    #[test]
    fn invalid_endpoints_are_not_built_errors() {
        for endpoint in ["", "ftp://x", "http://", "https://x?y=1", "https://exa mple.com"] {
            let err = Pipeline::new(endpoint, "/api", Credential::none(), ClientOptions::default()).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::NotBuilt, "{endpoint:?}");
        }
    }

    #[test]
    fn path_params_are_encoded_as_one_segment() {
        let p = pipeline("https://h", "/api");
        let req = p.request(Method::GET).path("/devices/").path_param("a/b c").path("/x").prepare().unwrap();
        assert_eq!(req.url.as_str(), "https://h/api/devices/a%2Fb%20c/x");
        let raw = p.request(Method::GET).path("/r/").path_param_raw("a/b").prepare().unwrap();
        assert_eq!(raw.url.as_str(), "https://h/api/r/a/b");
    }

    #[test]
    fn dot_and_empty_path_params_are_rejected() {
        let p = pipeline("https://h", "/api");
        for bad in ["", ".", ".."] {
            let err = p.request(Method::GET).path("/devices/").path_param(bad).prepare().unwrap_err();
            assert_eq!(err.kind(), ErrorKind::NotBuilt);
        }
    }

    #[test]
    fn query_parameters_are_encoded_replaced_and_listed() {
        let p = pipeline("https://h", "");
        let req = p
            .request(Method::GET)
            .path("/d")
            .query("api-version", "2022-07-31")
            .query("$filter", "a eq 'b&c'")
            .query("maxpagesize", 10)
            .query("maxpagesize", 25)
            .query_list("csv", &["a,b", "c"], CollectionFormat::Csv)
            .query_list("ssv", &["a", "b"], CollectionFormat::Ssv)
            .query_list("pipes", &["a", "b"], CollectionFormat::Pipes)
            .query_list("multi", &[1, 2], CollectionFormat::Multi)
            .query_list("none", &[] as &[i32], CollectionFormat::Csv)
            .prepare()
            .unwrap();
        assert_eq!(
            req.url.as_str(),
            "https://h/d?api-version=2022-07-31&$filter=a%20eq%20%27b%26c%27&maxpagesize=25\
             &csv=a%2Cb,c&ssv=a%20b&pipes=a%7Cb&multi=1&multi=2"
        );
    }

    #[test]
    fn headers_and_bodies() {
        let p = pipeline("https://h", "");
        let req = p
            .request(Method::PUT)
            .header("X-Custom", 5)
            .if_match(IfMatch::Any)
            .json_body("application/merge-patch+json", &serde_json::json!({"a": 1}))
            .prepare()
            .unwrap();
        assert_eq!(req.headers["x-custom"], "5");
        assert_eq!(req.headers["if-match"], "*");
        assert_eq!(req.headers["content-type"], "application/merge-patch+json");
        assert_eq!(req.body.as_deref(), Some(&b"{\"a\":1}"[..]));
        let bad = p.request(Method::GET).header("X", "line\nbreak").prepare().unwrap_err();
        assert_eq!(bad.kind(), ErrorKind::NotBuilt);
    }

    #[test]
    fn if_match_without_etag_is_not_built() {
        let p = pipeline("https://h", "");
        let err = p.request(Method::DELETE).if_match(IfMatch::Missing).prepare().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotBuilt);
        assert!(err.to_string().contains("without an ETag"), "{err}");
    }

    #[test]
    fn body_serialisation_errors_are_kept_until_send() {
        struct Bad;
        impl serde::Serialize for Bad {
            fn serialize<S: serde::Serializer>(&self, _: S) -> std::result::Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("nope"))
            }
        }
        let p = pipeline("https://h", "");
        let err = p.request(Method::POST).json_body("application/json", &Bad).prepare().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotBuilt);
        assert!(err.to_string().contains("nope"));
    }

    #[test]
    fn links_resolve_against_the_base_and_origin_is_checked() {
        let p = pipeline("https://h.example/", "/api");
        assert_eq!(p.resolve_link("https://other.example/x?a=1").unwrap().as_str(), "https://other.example/x?a=1");
        assert_eq!(p.resolve_link("/api/devices?skip=2").unwrap().as_str(), "https://h.example/api/devices?skip=2");
        assert_eq!(p.resolve_link("devices?skip=2").unwrap().as_str(), "https://h.example/api/devices?skip=2");
        assert!(p.resolve_link("file:///etc/passwd").is_err());
        let base = Url::parse("https://h.example/api").unwrap();
        let same = |s: &str| same_origin(&base, &Url::parse(s).unwrap());
        assert!(same("https://h.example:443/other"));
        assert!(same("https://H.EXAMPLE/x"));
        assert!(!same("http://h.example/api"));
        assert!(!same("https://h.example:8443/api"));
        assert!(!same("https://h.example.evil.com/api"));
    }

    #[test]
    fn request_ids_look_like_uuid_v4_and_differ() {
        let a = random_request_id();
        let b = random_request_id();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
        let fixed = ClientOptions::default().client_request_id("fixed");
        let p = Pipeline::new("https://h", "", Credential::none(), fixed).unwrap();
        assert_eq!(p.client_request_id(), "fixed");
    }
}
