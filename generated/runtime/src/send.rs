//! The send loop: one prepared request through a [`Pipeline`] with `User-Agent`,
//! `x-ms-client-request-id`, `Authorization` (on the endpoint's origin only), a `tracing` span,
//! timeouts and retries of transient failures; and the status check against the success statuses.

use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, USER_AGENT};
use tracing::Instrument;

use crate::endpoint::same_origin;
use crate::error::ErrorDecoder;
use crate::exchange::received;
use crate::request::Prepared;
use crate::retry::{jitter, parse_retry_after, should_retry, Outcome};
use crate::{Error, ErrorKind, Pipeline, RawResponse, Result, ShouldRetry};

const CLIENT_REQUEST_ID: &str = "x-ms-client-request-id";

impl Pipeline {
    /// Sends `request`, retrying transient failures; returns the last response whatever its status.
    pub(crate) async fn execute(&self, request: &Prepared, client_request_id: &str) -> Result<RawResponse> {
        let span = self.inner.info.request_span(&request.method, request.url.path());
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
        headers.insert(USER_AGENT, self.inner.user_agent.clone());
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
        Err(Error::from_response(received(&raw), decode_error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::decode_error_model;

    fn response(status: u16) -> RawResponse {
        RawResponse::new(status, HeaderMap::new(), b"{\"code\":\"Nope\"}".to_vec())
    }

    #[test]
    fn declared_statuses_or_any_2xx_are_success() {
        let decode = decode_error_model::<serde_json::Value>;
        assert!(check_status(response(204), &[], decode).is_ok());
        assert!(check_status(response(202), &[200, 202], decode).is_ok());
        let err = check_status(response(201), &[200], decode).unwrap_err();
        assert_eq!((err.kind(), err.status(), err.error_code()), (ErrorKind::Service, Some(201), Some("Nope")));
        assert_eq!(check_status(response(412), &[], decode).unwrap_err().kind(), ErrorKind::PreconditionFailed);
    }
}
