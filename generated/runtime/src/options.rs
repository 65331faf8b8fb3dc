//! Client configuration: endpoint override, HTTP client, retries, timeouts,
//! long-running-operation polling, and the injectable [`Sleep`].

use std::fmt::Debug;
use std::sync::Arc;
use std::time::Duration;

use crate::BoxFuture;

/// How long to wait: the runtime's only way to pass time, so tests can inject a fake.
pub trait Sleep: Send + Sync + Debug {
    /// A future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
}

/// The default [`Sleep`]: `tokio::time::sleep`.
#[derive(Clone, Copy, Debug, Default)]
pub struct TokioSleep;

impl Sleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// Retry policy for transient failures (HTTP 408, 429, 500, 502, 503, 504 and connection errors).
///
/// Delays grow exponentially from `initial_delay` up to `max_delay`, with jitter; a
/// `Retry-After`, `retry-after-ms` or `x-ms-retry-after-ms` header from the service wins.
/// No retry is attempted once it would end after `max_total` since the first attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryOptions {
    pub(crate) max_attempts: u32,
    pub(crate) initial_delay: Duration,
    pub(crate) max_delay: Duration,
    pub(crate) max_total: Duration,
}

impl Default for RetryOptions {
    fn default() -> Self {
        RetryOptions {
            max_attempts: 4,
            initial_delay: Duration::from_millis(800),
            max_delay: Duration::from_secs(30),
            max_total: Duration::from_secs(120),
        }
    }
}

impl RetryOptions {
    /// No retries: every request is attempted exactly once.
    pub fn none() -> Self {
        RetryOptions { max_attempts: 1, ..RetryOptions::default() }
    }

    /// Total number of attempts, including the first (minimum 1). Default 4.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Delay before the first retry; doubled for each further retry. Default 800 ms.
    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// Upper bound of a computed backoff delay. Default 30 s.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Upper bound of the time spent on one request, all attempts and delays included. Default 120 s.
    pub fn max_total(mut self, total: Duration) -> Self {
        self.max_total = total;
        self
    }
}

/// Options every generated client accepts; builder style, e.g.
/// `ClientOptions::default().endpoint("http://127.0.0.1:3000").timeout(Duration::from_secs(10))`.
#[derive(Clone, Debug, Default)]
pub struct ClientOptions {
    pub(crate) endpoint: Option<String>,
    pub(crate) http_client: Option<reqwest::Client>,
    pub(crate) retry: RetryOptions,
    pub(crate) timeout: Option<Duration>,
    pub(crate) poll_interval: Option<Duration>,
    pub(crate) max_poll_wait: Option<Duration>,
    pub(crate) sleep: Option<Arc<dyn Sleep>>,
    pub(crate) client_request_id: Option<String>,
    pub(crate) scope: Option<String>,
    pub(crate) default_scope: Option<String>,
}

pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
pub(crate) const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(5);
pub(crate) const DEFAULT_MAX_POLL_WAIT: Duration = Duration::from_secs(30 * 60);

impl ClientOptions {
    /// Overrides the scheme, host and port of the service, e.g. `"http://127.0.0.1:3000"`.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Sends requests through the caller's own `reqwest::Client` (proxies, cookies, TLS settings).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The retry policy; see [`RetryOptions`].
    pub fn retry(mut self, retry: RetryOptions) -> Self {
        self.retry = retry;
        self
    }

    /// Timeout of one attempt (connect + response). Default 60 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Delay between long-running-operation polls when the service sends no `Retry-After`. Default 5 s.
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = Some(interval);
        self
    }

    /// Longest time a long-running operation is polled before giving up. Default 30 min.
    pub fn max_poll_wait(mut self, wait: Duration) -> Self {
        self.max_poll_wait = Some(wait);
        self
    }

    /// Replaces how the runtime waits (retry backoff, polling); tests inject a fake.
    pub fn sleep(mut self, sleep: impl Sleep + 'static) -> Self {
        self.sleep = Some(Arc::new(sleep));
        self
    }

    /// Sends this fixed `x-ms-client-request-id` instead of a fresh random id per call.
    pub fn client_request_id(mut self, id: impl Into<String>) -> Self {
        self.client_request_id = Some(id.into());
        self
    }

    /// The OAuth scope a token credential is asked for, instead of the API's default (each client's
    /// `new` names it), e.g. `"https://apps.azureiotcentral.com/.default"`. A credential made with
    /// [`Credential::token_credential`](crate::Credential::token_credential) keeps its own scopes.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// The API's default scope; generated clients set it, [`ClientOptions::scope`] overrides it.
    #[doc(hidden)]
    pub fn default_scope(mut self, scope: &str) -> Self {
        self.default_scope = Some(scope.to_string());
        self
    }
}
