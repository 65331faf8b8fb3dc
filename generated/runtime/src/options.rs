//! Client configuration: endpoint override, HTTP client, retries, timeouts, the response body
//! limit, long-running-operation polling, and the injectable [`Sleep`].

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

/// Retry policy for transient failures.
///
/// What is retried: HTTP 408, 429, 500, 502, 503 and 504 for every method; connection failures
/// (nothing was sent) for every method; failures after the request may have been delivered
/// (timeouts, resets, incomplete responses) only for idempotent methods (`GET`, `HEAD`, `PUT`,
/// `DELETE`, `OPTIONS`, `TRACE`), never for `POST` or `PATCH`, which the service may have applied.
/// Never retried: other statuses, and failures retrying cannot fix (an invalid or oversized
/// response, a body over [`ClientOptions::max_response_body`], a refused redirect or a redirect loop).
///
/// Delays grow exponentially from `initial_delay` up to `max_delay`, with jitter; a
/// `Retry-After`, `retry-after-ms` or `x-ms-retry-after-ms` header from the service wins.
/// `max_total` bounds everything: no retry starts that would begin after it, and the timeout of
/// the last attempt is cut to what remains of it.
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

    /// Upper bound of the time spent on one request, all attempts and delays included (an attempt's
    /// timeout is cut to what remains). Default 120 s.
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
    pub(crate) max_response_body: Option<usize>,
    pub(crate) poll_interval: Option<Duration>,
    pub(crate) min_poll_delay: Option<Duration>,
    pub(crate) max_poll_wait: Option<Duration>,
    pub(crate) cross_origin_polling: bool,
    pub(crate) sleep: Option<Arc<dyn Sleep>>,
    pub(crate) client_request_id: Option<String>,
    pub(crate) no_client_request_id: bool,
    pub(crate) scope: Option<String>,
    pub(crate) default_scope: Option<String>,
}

pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// 16 MiB: far above any JSON document these APIs send (a page of IoT Central devices is tens of
/// KiB), low enough that a broken or hostile server cannot exhaust memory.
pub(crate) const DEFAULT_MAX_RESPONSE_BODY: usize = 16 * 1024 * 1024;
pub(crate) const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(5);
/// The Azure SDKs' minimum: azure_core refuses a polling frequency under one second.
pub(crate) const DEFAULT_MIN_POLL_DELAY: Duration = Duration::from_secs(1);
pub(crate) const DEFAULT_MAX_POLL_WAIT: Duration = Duration::from_secs(30 * 60);

impl ClientOptions {
    /// Overrides the scheme, host and port of the service, e.g. `"http://127.0.0.1:3000"`.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Sends requests through the caller's own `reqwest::Client` (proxies, cookies, TLS settings).
    ///
    /// The runtime cannot change a client once built, so build it from
    /// [`http_client_builder`](crate::http_client_builder), which turns off `reqwest`'s own redirect
    /// handling and `Referer`, so that the runtime's redirect policy applies (never https to http,
    /// no credentials or body to another origin). A client built otherwise follows redirects by
    /// its own policy, before the runtime sees them.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The retry policy; see [`RetryOptions`].
    pub fn retry(mut self, retry: RetryOptions) -> Self {
        self.retry = retry;
        self
    }

    /// Timeout of one attempt: connecting, redirects, the response and reading its body (a
    /// streamed body, read after the call returns, too). Default 60 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Largest response body read into memory, in bytes; a larger success body is an
    /// [`ErrorKind::BodyTooLarge`](crate::ErrorKind::BodyTooLarge) error, found while reading (or
    /// at once from its `Content-Length`), never after buffering it. Applies to every response the
    /// runtime decodes: results, pages, status monitors. Error bodies are read up to 64 KiB only.
    /// Default 16 MiB.
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.max_response_body = Some(bytes);
        self
    }

    /// Delay between long-running-operation polls when the service sends no `Retry-After`. Default 5 s.
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = Some(interval);
        self
    }

    /// Shortest delay between two polls, whatever `Retry-After` says (`0` or a date in the past
    /// would otherwise mean polling as fast as the service answers). Default 1 s, as in the Azure
    /// SDKs; `Duration::ZERO` turns it off (test servers).
    pub fn min_poll_delay(mut self, delay: Duration) -> Self {
        self.min_poll_delay = Some(delay);
        self
    }

    /// Longest time a long-running operation is polled before giving up; delays between polls
    /// (`Retry-After` included) never reach past it. Default 30 min.
    pub fn max_poll_wait(mut self, wait: Duration) -> Self {
        self.max_poll_wait = Some(wait);
        self
    }

    /// Whether a long-running operation may be polled, and its result read, on another origin
    /// than the endpoint's when the service names one (`Azure-AsyncOperation`, `Operation-Location`,
    /// `Location`, `resourceLocation`). Such requests never carry credentials. Default `false`: they
    /// are refused with [`ErrorKind::CrossOrigin`](crate::ErrorKind::CrossOrigin), so a response
    /// cannot make the client fetch, and return as the operation's result, another server's body.
    pub fn cross_origin_polling(mut self, allow: bool) -> Self {
        self.cross_origin_polling = allow;
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

    /// Whether every request carries an `x-ms-client-request-id` (default `true`). With `false` none
    /// is sent, unless one is set for the client ([`ClientOptions::client_request_id`]) or a call
    /// (`Call::client_request_id`); for services that refuse the header.
    pub fn send_client_request_id(mut self, send: bool) -> Self {
        self.no_client_request_id = !send;
        self
    }

    /// The OAuth scope a token credential is asked for, instead of the API's default (each client's
    /// `new` names it), e.g. `"https://apps.azureiotcentral.com/.default"`. A credential made with
    /// [`Credential::token_credential`](crate::Credential::token_credential) keeps its own scopes.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// Whether [`ClientOptions::endpoint`] was set: generated clients then build no endpoint from
    /// host parameters (which are not checked either).
    #[doc(hidden)]
    pub fn has_endpoint(&self) -> bool {
        self.endpoint.is_some()
    }

    /// The API's default scope; generated clients set it, [`ClientOptions::scope`] overrides it.
    #[doc(hidden)]
    pub fn default_scope(mut self, scope: &str) -> Self {
        self.default_scope = Some(scope.to_string());
        self
    }
}
