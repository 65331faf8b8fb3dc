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

/// Client options for one generated crate (each has its own runtime types), at the test server.
macro_rules! options {
    ($krate:ident) => {
        local_options!($krate).endpoint(crate::support::server_url())
    };
}

/// Like [`options!`], without the endpoint: for clients that reach the server through their host
/// parameters.
macro_rules! local_options {
    ($krate:ident) => {
        $krate::runtime::ClientOptions::default()
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

/// A one-request HTTP server on 127.0.0.1 for documents the test server has no route for: its URL,
/// and the request it reads (head and body as text) once it has sent `answer`.
#[allow(dead_code)] // used by some test files only
pub async fn capture_one_request(answer: &'static str) -> (String, tokio::task::JoinHandle<String>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a local port");
    let url = format!("http://{}", listener.local_addr().expect("its address"));
    let read = async move {
        let (mut socket, _) = listener.accept().await.expect("a connection");
        let mut request = Vec::new();
        let mut buffer = [0u8; 4096];
        loop {
            let n = socket.read(&mut buffer).await.expect("the request");
            request.extend_from_slice(&buffer[..n]);
            let text = String::from_utf8_lossy(&request).to_string();
            if let Some(head_end) = text.find("\r\n\r\n") {
                let length = text[..head_end]
                    .lines()
                    .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0)))
                    .unwrap_or(0usize);
                if n == 0 || request.len() >= head_end + 4 + length {
                    break;
                }
            } else if n == 0 {
                break;
            }
        }
        socket.write_all(answer.as_bytes()).await.expect("the answer");
        String::from_utf8_lossy(&request).to_string()
    };
    let bounded = async move { tokio::time::timeout(Duration::from_secs(10), read).await.expect("a request within 10 s") };
    (url, tokio::spawn(bounded))
}
