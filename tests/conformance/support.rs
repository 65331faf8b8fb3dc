//! Shared by the scenario tests: where the test server is and how clients talk to it.
//!
//! Every test builds its own client, so each has its own cookie jar: the server keeps a
//! multi-step scenario's state in a `scenario` cookie.

use std::time::Duration;

/// The client request id the `CustomHeader*` scenarios require on every request, polls included.
#[allow(dead_code)] // used by the LRO tests only
pub const CUSTOM_REQUEST_ID: &str = "9C4D50EE-2D56-4CD3-8152-34347DC9F2B0";

/// The test server's base URL, set by `cargo xtask conformance`.
pub fn server_url() -> String {
    std::env::var("AUTOREST_TESTSERVER_URL")
        .expect("AUTOREST_TESTSERVER_URL is not set: these tests run through `cargo xtask conformance`")
}

/// The runtime's HTTP client settings plus a cookie store, as the server's multi-step scenarios need.
macro_rules! http_client {
    ($krate:ident) => {
        $krate::runtime::http_client_builder().cookie_store(true).build().expect("an HTTP client")
    };
}

/// No wait between polls (the server sends `Retry-After: 0` or nothing, and the minimum delay is
/// turned off) and quick retries, but a bound on every operation so a scenario that never ends
/// fails instead of hanging.
pub const POLL_INTERVAL: Duration = Duration::ZERO;
pub const RETRY_DELAY: Duration = Duration::from_millis(5);
pub const MAX_POLL_WAIT: Duration = Duration::from_secs(20);

/// Client options for one generated crate (each has its own runtime types).
macro_rules! options {
    ($krate:ident) => {
        $krate::runtime::ClientOptions::default()
            .endpoint(crate::support::server_url())
            .http_client(http_client!($krate))
            .poll_interval(crate::support::POLL_INTERVAL)
            .min_poll_delay(crate::support::POLL_INTERVAL)
            .max_poll_wait(crate::support::MAX_POLL_WAIT)
            .retry(
                $krate::runtime::RetryOptions::default()
                    .initial_delay(crate::support::RETRY_DELAY)
                    .max_delay(crate::support::RETRY_DELAY),
            )
    };
}
