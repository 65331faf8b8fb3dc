//! The send loop: one prepared request through a [`Pipeline`] with `User-Agent`,
//! `x-ms-client-request-id`, `Authorization` (on the endpoint's origin only), a `tracing` span,
//! redirects (by the policy of `redirect`), bodies read within their limits (`body`), timeouts
//! within `RetryOptions::max_total`, and retries as `retry` decides; and the status check
//! against the success statuses.

use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE, LOCATION, USER_AGENT};
use reqwest::{Method, Url};
use tracing::Instrument;

use crate::body::{self, Limit};
use crate::endpoint::same_origin;
use crate::error::{ErrorDecoder, MAX_ERROR_BODY};
use crate::exchange::received;
use crate::redact::redact;
use crate::redirect::{next_hop, Hop};
use crate::request::Prepared;
use crate::retry::{classify, jitter, parse_retry_after, should_retry, Outcome};
use crate::{Error, ErrorKind, Pipeline, RawResponse, Result, ShouldRetry};

const CLIENT_REQUEST_ID: &str = "x-ms-client-request-id";

/// `METHOD /path` of a request, as messages show it.
fn request_context(method: &Method, url: &Url) -> String {
    format!("{method} {}", redact(url.path()))
}

impl Pipeline {
    /// Sends `request`, following redirects and retrying transient failures; returns the last
    /// response whatever its status. Bodies of `success` statuses (empty: any 2xx) are read up to
    /// the response body limit, others up to the error body limit.
    pub(crate) async fn execute(
        &self,
        request: &Prepared,
        client_request_id: &str,
        success: &[u16],
    ) -> Result<RawResponse> {
        let span = self.inner.info.request_span(&request.method, &redact(request.url.path()));
        let context = request_context(&request.method, &request.url);
        self.execute_in(request, client_request_id, success, context, &span).instrument(span.clone()).await
    }

    async fn execute_in(
        &self,
        request: &Prepared,
        client_request_id: &str,
        success: &[u16],
        context: String,
        span: &tracing::Span,
    ) -> Result<RawResponse> {
        let fail = |e: Error| e.request(context.clone()).request_id_opt(Some(client_request_id.to_string()));
        let mut headers = request.headers.clone();
        headers.insert(USER_AGENT, self.inner.user_agent.clone());
        let id = HeaderValue::from_str(client_request_id)
            .map_err(|_| fail(Error::not_built("the client request id is not a valid header value")))?;
        headers.insert(CLIENT_REQUEST_ID, id);
        // Credentials only ever go to the endpoint's own origin.
        let auth = match same_origin(&self.inner.endpoint, &request.url) {
            true => self.inner.credential.authorization().await.map_err(fail)?,
            false => None,
        };
        let exchange = Attempt { request, headers: &headers, auth: auth.as_ref(), success };
        let retry = &self.inner.retry;
        let mut attempts = 0;
        let mut spent = Duration::ZERO;
        let mut delivered = false;
        loop {
            attempts += 1;
            span.record("attempt", attempts);
            // The last attempt ends with `max_total` too.
            let timeout = self.inner.timeout.min(retry.max_total.saturating_sub(spent));
            let started = Instant::now();
            let result = self.attempt(&exchange, timeout, &mut delivered).await;
            spent += started.elapsed();
            let outcome = match &result {
                Ok(raw) => {
                    span.record("status", raw.status());
                    let retry_after = parse_retry_after(raw.headers(), time::OffsetDateTime::now_utc());
                    Outcome::Status { status: raw.status(), retry_after }
                }
                Err(e) => Outcome::Failed(e.kind()),
            };
            match should_retry(classify(&request.method, outcome), attempts, spent, retry, jitter()) {
                ShouldRetry::No => {
                    return result
                        .map(|raw| raw.with_request(context.clone(), client_request_id))
                        .map_err(|e| fail(e.sent_if(delivered)))
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

    /// One attempt within `timeout`, redirects included; `delivered` becomes true once a response
    /// head arrived (so the request was written).
    async fn attempt(&self, attempt: &Attempt<'_>, timeout: Duration, delivered: &mut bool) -> Result<RawResponse> {
        let deadline = Instant::now() + timeout;
        let request = attempt.request;
        let mut hop = Hop {
            method: request.method.clone(),
            url: request.url.clone(),
            body: request.body.is_some(),
            auth: attempt.auth.is_some(),
        };
        let mut followed = 0;
        loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            let mut builder = self.inner.client.request(hop.method.clone(), hop.url.clone()).timeout(remaining);
            builder = match (&request.body, hop.body) {
                (Some(body), true) => builder.headers(attempt.headers.clone()).body(body.clone()),
                (Some(_), false) => {
                    // A redirect dropped the body, and with it its type.
                    let mut headers = attempt.headers.clone();
                    headers.remove(CONTENT_TYPE);
                    builder.headers(headers)
                }
                (None, _) => builder.headers(attempt.headers.clone()),
            };
            if let (true, Some(auth)) = (hop.auth, attempt.auth) {
                builder = builder.header(AUTHORIZATION, auth.clone());
            }
            let mut response = builder.send().await.map_err(Error::from_reqwest)?;
            *delivered = true;
            let status = response.status().as_u16();
            match next_hop(status, response.headers().get(LOCATION), &hop, followed) {
                Some(Ok(next)) => {
                    tracing::debug!(status, to = %redact(next.url.as_str()), "following a redirect");
                    hop = next;
                    followed += 1;
                    continue;
                }
                Some(Err(why)) => return Err(Error::new(ErrorKind::Redirect, why).with_status(status)),
                None => {}
            }
            let limit = if is_success(status, attempt.success) {
                Limit::Fail(self.inner.max_response_body)
            } else {
                Limit::Cut(MAX_ERROR_BODY)
            };
            let headers = std::mem::take(response.headers_mut());
            let body = body::read(response, limit).await?;
            return Ok(RawResponse::new(status, headers, body.bytes).truncated(body.truncated));
        }
    }
}

/// What every attempt of one request sends.
struct Attempt<'a> {
    request: &'a Prepared,
    /// The request's headers plus `User-Agent` and the client request id.
    headers: &'a HeaderMap,
    /// `Authorization` for the request's own origin, if any.
    auth: Option<&'a HeaderValue>,
    success: &'a [u16],
}

fn is_success(status: u16, success: &[u16]) -> bool {
    if success.is_empty() {
        (200..300).contains(&status)
    } else {
        success.contains(&status)
    }
}

/// Checks `raw`'s status against `success` (empty: any 2xx); anything else is a service error.
pub(crate) fn check_status(raw: RawResponse, success: &[u16], decode_error: ErrorDecoder) -> Result<RawResponse> {
    if is_success(raw.status(), success) {
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

    #[test]
    fn request_context_is_redacted_and_short() {
        let url = Url::parse(&format!("https://u:p@h.example/d/{}?sig=s", "x".repeat(10_000))).unwrap();
        let context = request_context(&Method::GET, &url);
        assert!(context.starts_with("GET /d/xxx") && context.ends_with('…') && context.len() < 300, "{context}");
    }
}
