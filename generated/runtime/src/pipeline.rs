//! [`Pipeline`]: what one client sends with (HTTP client, endpoint, credential, options and the
//! client's identity), where its requests start, and `x-ms-client-request-id` values. Sending
//! itself is the send loop's (`send`).

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;
use reqwest::{Method, Url};

use crate::endpoint::{join_base, parse_endpoint, resolve_against};
use crate::options::{DEFAULT_MAX_POLL_WAIT, DEFAULT_POLL_INTERVAL, DEFAULT_TIMEOUT};
use crate::retry::random_u64;
use crate::{ClientInfo, ClientOptions, Credential, Error, RequestBuilder, Result, RetryOptions, Sleep, TokioSleep};

/// Everything a client needs to send requests: HTTP client, endpoint, credential, options.
/// Cheap to clone (one `Arc`).
#[derive(Clone, Debug)]
pub struct Pipeline {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Debug)]
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
    poll_interval: Duration,
    max_poll_wait: Duration,
    sleep: Arc<dyn Sleep>,
    client_request_id: Option<String>,
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
        Url::parse(&base).map_err(|e| Error::not_built(format!("invalid base path {base_path:?}: {e}")))?;
        let credential = credential.with_scope(options.scope.as_deref().or(options.default_scope.as_deref()))?;
        let user_agent = HeaderValue::from_str(&info.user_agent())
            .map_err(|_| Error::not_built("the client name is not a valid User-Agent"))?;
        let client = match options.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
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
        RequestBuilder::new(self.clone(), method, &self.inner.base)
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
    fn next_links_resolve_against_endpoint_and_base_path() {
        let p = pipeline("https://h.example/", "/api", ClientOptions::default()).unwrap();
        assert_eq!(p.resolve_link("devices?skip=2").unwrap().as_str(), "https://h.example/api/devices?skip=2");
        assert_eq!(p.resolve_link("/other").unwrap().as_str(), "https://h.example/other");
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
        assert_eq!(pipeline("https://h", "", fixed).unwrap().client_request_id(), "fixed");
    }
}
