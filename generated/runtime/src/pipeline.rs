//! [`Pipeline`]: what one client sends with (HTTP client, endpoint, credential, options and the
//! client's identity), where its requests start, and `x-ms-client-request-id` values; and
//! [`http_client_builder`], the HTTP client settings the send loop relies on. Sending itself is
//! the send loop's (`send`).

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;
use reqwest::{Method, Url};

use crate::deadline::Deadlines;
use crate::endpoint::{join_base, parse_endpoint, resolve_against};
use crate::options::{
    DEFAULT_MAX_POLL_WAIT, DEFAULT_MAX_RESPONSE_BODY, DEFAULT_MIN_POLL_DELAY, DEFAULT_POLL_INTERVAL, DEFAULT_TIMEOUT,
};
use crate::redact::redact;
use crate::retry::random_u64;
use crate::{ClientInfo, ClientOptions, Credential, Error, RequestBuilder, Result, RetryOptions, Sleep, TokioSleep};

/// A `reqwest::ClientBuilder` with the settings the runtime's send loop relies on: `reqwest`'s own
/// redirect handling off (the send loop follows redirects by its own, safer policy) and no
/// `Referer`. Extend it (proxies, root certificates, cookies) and pass the client to
/// [`ClientOptions::http_client`]; clients the runtime builds itself are built from it too.
pub fn http_client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).referer(false)
}

/// Everything a client needs to send requests: HTTP client, endpoint, credential, options.
/// Cheap to clone (one `Arc`). `Debug` shows no secrets: URLs are redacted, credentials hidden.
#[derive(Clone, Debug)]
pub struct Pipeline {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) client: reqwest::Client,
    pub(crate) info: ClientInfo,
    pub(crate) user_agent: HeaderValue,
    /// The service origin (plus any path prefix the endpoint had).
    pub(crate) endpoint: Url,
    /// `endpoint` + base path, without a trailing `/`; request URLs start with it.
    base: String,
    pub(crate) credential: Credential,
    pub(crate) retry: RetryOptions,
    pub(crate) timeout: Duration,
    /// Where attempts wait for their timeout.
    pub(crate) deadlines: Deadlines,
    pub(crate) max_response_body: usize,
    poll_interval: Duration,
    min_poll_delay: Duration,
    max_poll_wait: Duration,
    cross_origin_polling: bool,
    sleep: Arc<dyn Sleep>,
    client_request_id: Option<String>,
    /// No client request id unless one is given (`ClientOptions::send_client_request_id(false)`).
    no_client_request_id: bool,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("client", &self.info.name())
            .field("base_url", &redact(&self.base))
            .field("credential", &self.credential)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("max_response_body", &self.max_response_body)
            .field("poll_interval", &self.poll_interval)
            .field("min_poll_delay", &self.min_poll_delay)
            .field("max_poll_wait", &self.max_poll_wait)
            .field("cross_origin_polling", &self.cross_origin_polling)
            .finish_non_exhaustive()
    }
}

impl Pipeline {
    /// A pipeline of the client `info` names (see [`client_info!`](crate::client_info)) for
    /// `default_endpoint` (overridden by [`ClientOptions::endpoint`]) with `base_path` (like `"/api"`
    /// or `""`) appended to every request path.
    #[doc(hidden)]
    pub fn new(
        info: ClientInfo,
        default_endpoint: &str,
        base_path: &str,
        credential: Credential,
        options: ClientOptions,
    ) -> Result<Pipeline> {
        let endpoint = parse_endpoint(options.endpoint.as_deref().unwrap_or(default_endpoint))?;
        let base = join_base(&endpoint, base_path);
        let timeout = options.timeout.unwrap_or(DEFAULT_TIMEOUT);
        Url::parse(&base).map_err(|e| Error::not_built(format!("invalid base path {}: {e}", redact(base_path))))?;
        let credential = credential.with_scope(options.scope.as_deref().or(options.default_scope.as_deref()))?;
        let user_agent = HeaderValue::from_str(&info.user_agent())
            .map_err(|_| Error::not_built("the client name is not a valid User-Agent"))?;
        let client = match options.http_client {
            Some(client) => client,
            None => http_client_builder()
                .build()
                .map_err(|e| Error::not_built("could not create the HTTP client").with_source(e))?,
        };
        Ok(Pipeline {
            inner: Arc::new(Inner {
                client,
                info,
                user_agent,
                endpoint,
                base,
                credential,
                retry: options.retry,
                timeout,
                // Attempt deadlines are at most one timeout ahead.
                deadlines: Deadlines::new(timeout),
                max_response_body: options.max_response_body.unwrap_or(DEFAULT_MAX_RESPONSE_BODY),
                poll_interval: options.poll_interval.unwrap_or(DEFAULT_POLL_INTERVAL),
                min_poll_delay: options.min_poll_delay.unwrap_or(DEFAULT_MIN_POLL_DELAY),
                max_poll_wait: options.max_poll_wait.unwrap_or(DEFAULT_MAX_POLL_WAIT),
                cross_origin_polling: options.cross_origin_polling,
                sleep: options.sleep.unwrap_or_else(|| Arc::new(TokioSleep)),
                client_request_id: options.client_request_id,
                no_client_request_id: options.no_client_request_id,
            }),
        })
    }

    /// A request whose URL starts at endpoint + base path.
    #[doc(hidden)]
    pub fn request(&self, method: Method) -> RequestBuilder {
        RequestBuilder::new(self.clone(), method, &self.inner.base)
    }

    /// The endpoint + base path every request URL starts with.
    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    pub(crate) fn poll_interval(&self) -> Duration {
        self.inner.poll_interval
    }

    pub(crate) fn min_poll_delay(&self) -> Duration {
        self.inner.min_poll_delay
    }

    pub(crate) fn max_poll_wait(&self) -> Duration {
        self.inner.max_poll_wait
    }

    /// Whether the poller may request `url` (status monitor, result): on the endpoint's origin, or
    /// anywhere when [`ClientOptions::cross_origin_polling`] allows it.
    pub(crate) fn may_poll(&self, url: &Url) -> bool {
        self.inner.cross_origin_polling || crate::endpoint::same_origin(&self.inner.endpoint, url)
    }

    pub(crate) async fn sleep(&self, duration: Duration) {
        self.inner.sleep.sleep(duration).await;
    }

    /// The configured fixed client request id, else a fresh random one; empty when the client
    /// sends none.
    pub(crate) fn client_request_id(&self) -> String {
        match (&self.inner.client_request_id, self.inner.no_client_request_id) {
            (Some(id), _) => id.clone(),
            (None, true) => String::new(),
            (None, false) => random_request_id(),
        }
    }

    /// Parses a request URL built by [`request`](Pipeline::request) (endpoint + base path + the
    /// operation's path and query). After the endpoint's origin it is parsed against the endpoint,
    /// which skips parsing the host again (half the time of a request's URL); only when what follows
    /// the origin could name another host (`//` or `/\\` at its start) is it parsed whole.
    pub(crate) fn parse_request_url(&self, url: &str) -> Result<Url> {
        let endpoint = self.inner.endpoint.as_str();
        let origin = &endpoint[..endpoint.len() - self.inner.endpoint.path().len()];
        let parsed = match url.strip_prefix(origin) {
            Some(rest) if rest.starts_with('/') && !matches!(rest.as_bytes().get(1), Some(b'/' | b'\\')) => {
                Url::options().base_url(Some(&self.inner.endpoint)).parse(rest)
            }
            _ => Url::parse(url),
        };
        parsed.map_err(|e| Error::not_built(format!("invalid request URL: {e}")))
    }

    /// Resolves a `nextLink`: absolute, or relative to endpoint + base path.
    pub(crate) fn resolve_link(&self, link: &str) -> Result<Url> {
        let base = Url::parse(&format!("{}/", self.inner.base))
            .map_err(|e| Error::not_built(format!("invalid base URL: {e}")))?;
        resolve_against(&base, link)
    }
}

/// A random id shaped like a UUID v4, written two digits per byte from a table at fixed places
/// (`format!` cost more than the request).
fn random_request_id() -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    /// Where each byte's two digits go: the dashes are at 8, 13, 18 and 23.
    const AT: [usize; 16] = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
    let mut random = [0u8; 16];
    random[..8].copy_from_slice(&random_u64().to_le_bytes());
    random[8..].copy_from_slice(&random_u64().to_le_bytes());
    // Version 4 and the RFC 4122 variant.
    random[6] = (random[6] & 0x0f) | 0x40;
    random[8] = (random[8] & 0x3f) | 0x80;
    let mut id = [b'-'; 36];
    for (byte, at) in random.iter().zip(AT) {
        id[at] = HEX[usize::from(byte >> 4)];
        id[at + 1] = HEX[usize::from(byte & 0xf)];
    }
    // Hex digits and dashes only: always UTF-8.
    String::from_utf8(id.to_vec()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn pipeline(endpoint: &str, base_path: &str, options: ClientOptions) -> Result<Pipeline> {
        Pipeline::new(crate::client_info!(), endpoint, base_path, Credential::none(), options)
    }

    #[test]
    fn requests_start_at_endpoint_and_base_path() {
        let p = pipeline("https://app.azureiotcentral.com/", "api/", ClientOptions::default()).unwrap();
        assert_eq!(p.base_url(), "https://app.azureiotcentral.com/api");
        assert_eq!(
            p.request(Method::GET).path("/x").prepare().unwrap().url.as_str(),
            "https://app.azureiotcentral.com/api/x"
        );
    }

    #[test]
    fn endpoint_option_overrides_the_default() {
        let options = ClientOptions::default().endpoint("http://127.0.0.1:3000");
        let p = pipeline("https://x.example", "/api", options).unwrap();
        assert_eq!(p.base_url(), "http://127.0.0.1:3000/api");
    }

    #[test]
    fn invalid_endpoints_are_not_built_errors() {
        let err = pipeline("ftp://x", "/api", ClientOptions::default()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotBuilt);
    }

    #[test]
    fn request_urls_parse_after_the_origin_as_they_parse_whole() {
        let endpoints = ["https://h.example", "http://127.0.0.1:3000/prefix/", "https://user:pw@h.example:8443", "https://[::1]"];
        let tails = [
            "/api/devices/a%2Fb?api-version=1&x=%20",
            "/api/a/../b/./c",
            "/api/%2e%2e/x",
            "/api/x?y=z#f",
            "/api/x?next=//evil.example/",
            "/api/\u{e9}t\u{e9}?q=\u{e9}",
            "/api/\\x",
            "/",
            "//evil.example/x",
            "/\\evil.example/x",
            "/\\\\evil.example/x",
        ];
        for endpoint in endpoints {
            let p = pipeline(endpoint, "", ClientOptions::default()).unwrap();
            let origin = p.base_url().trim_end_matches('/').to_string();
            let origin = origin.strip_suffix("/prefix").unwrap_or(&origin).to_string();
            for tail in tails {
                let text = format!("{origin}{tail}");
                let parsed = p.parse_request_url(&text).unwrap();
                assert_eq!(parsed, Url::parse(&text).unwrap(), "{text}");
                assert_eq!(parsed.host_str(), p.inner.endpoint.host_str(), "{text} changed host");
            }
        }
    }

    #[test]
    fn next_links_resolve_against_endpoint_and_base_path() {
        let p = pipeline("https://h.example/", "/api", ClientOptions::default()).unwrap();
        assert_eq!(p.resolve_link("devices?skip=2").unwrap().as_str(), "https://h.example/api/devices?skip=2");
        assert_eq!(p.resolve_link("/other").unwrap().as_str(), "https://h.example/other");
    }

    #[test]
    fn debug_output_redacts_the_endpoint() {
        let options = ClientOptions::default().endpoint("https://user:hunter2@h.example");
        let p = pipeline("https://x.example", "/api", options).unwrap();
        let shown = format!("{p:?}");
        assert!(!shown.contains("hunter2") && shown.contains("<redacted>@h.example/api"), "{shown}");
    }

    #[test]
    fn request_ids_look_like_uuid_v4_and_differ() {
        let ids: Vec<String> = (0..64).map(|_| random_request_id()).collect();
        assert!(ids.windows(2).all(|w| w[0] != w[1]));
        for a in &ids {
            assert_eq!(a.len(), 36);
            assert_eq!(a.matches('-').count(), 4);
            assert_eq!([&a[8..9], &a[13..14], &a[18..19], &a[23..24]], ["-"; 4], "{a}");
            assert_eq!(&a[14..15], "4");
            assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
            assert!(a.bytes().all(|b| b == b'-' || b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{a}");
        }
        let fixed = ClientOptions::default().client_request_id("fixed");
        assert_eq!(pipeline("https://h", "", fixed).unwrap().client_request_id(), "fixed");
        let none = ClientOptions::default().send_client_request_id(false);
        assert_eq!(pipeline("https://h", "", none.clone()).unwrap().client_request_id(), "", "none is sent");
        let given = none.client_request_id("given");
        assert_eq!(pipeline("https://h", "", given).unwrap().client_request_id(), "given", "a given id is sent anyway");
    }
}
