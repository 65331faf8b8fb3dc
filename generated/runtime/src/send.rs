//! The send loop: one prepared request through a [`Pipeline`] with `User-Agent`,
//! `x-ms-client-request-id`, `Authorization` (on the endpoint's origin only), a `tracing` span,
//! redirects (by the policy of `redirect`), bodies read within their limits (`body`), timeouts
//! within `RetryOptions::max_total`, and retries as `retry` decides (never a streamed body once it
//! was read: see `upload`); and the status check against the success statuses.

use std::future::Future;
use std::pin::{pin, Pin};
use std::time::{Duration, Instant};

use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, LOCATION, USER_AGENT};
use tracing::Instrument;

use crate::body::{self, Limit};
use crate::endpoint::same_origin;
use crate::error::{ErrorDecoder, MAX_ERROR_BODY, TIMED_OUT};
use crate::exchange::received;
use crate::redact::{redact, Redacted};
use crate::redirect::{is_redirect, next_hop, Hop};
use crate::request::Prepared;
use crate::retry::{classify, is_transient, jitter, parse_retry_after, should_retry, Outcome, Verdict};
use crate::{Error, ErrorKind, Pipeline, RawResponse, Result, ShouldRetry};

const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("x-ms-client-request-id");

impl Pipeline {
    /// Sends `request`, following redirects and retrying transient failures; returns the last
    /// response whatever its status. Bodies of `success` statuses (empty: any 2xx) are read up to
    /// the response body limit, others up to the error body limit.
    ///
    /// Not an `async fn` itself, nor are the layers above it: every layer of `async fn` is a copy
    /// of the whole future below it when it starts, and these futures are kilobytes.
    pub(crate) fn execute<'a>(
        &'a self,
        request: &'a Prepared,
        client_request_id: &'a str,
        success: &'a [u16],
    ) -> impl Future<Output = Result<RawResponse>> + 'a {
        self.execute_with(request, client_request_id, success, false)
    }

    /// [`execute`](Pipeline::execute), or with `stream` the body of a success response left
    /// unread (see [`RawResponse::take_unread`]).
    pub(crate) fn execute_with<'a>(
        &'a self,
        request: &'a Prepared,
        client_request_id: &'a str,
        success: &'a [u16],
        stream: bool,
    ) -> impl Future<Output = Result<RawResponse>> + 'a {
        // The path is redacted only if a subscriber records the span; without one, entering the
        // span on each poll is a check of an empty option.
        let span = self.inner.info.request_span(&request.method, &Redacted(request.url.path()));
        self.execute_in(request, client_request_id, success, stream, span.clone()).instrument(span)
    }

    async fn execute_in(
        &self,
        request: &Prepared,
        client_request_id: &str,
        success: &[u16],
        stream: bool,
        span: tracing::Span,
    ) -> Result<RawResponse> {
        // An empty id: the client sends none (`ClientOptions::send_client_request_id(false)`).
        let sent_id = (!client_request_id.is_empty()).then_some(client_request_id);
        let fail = |e: Error| {
            let context = format!("{} {}", request.method, redact(request.url.path()));
            e.request(context).request_id_opt(sent_id.map(str::to_string))
        };
        let id = match sent_id.map(HeaderValue::from_str) {
            None => None,
            Some(Ok(id)) => Some(id),
            Some(Err(_)) => return Err(fail(Error::not_built("the client request id is not a valid header value"))),
        };
        let id_header = request.request_id_header.clone().unwrap_or(CLIENT_REQUEST_ID);
        // Credentials only ever go to the endpoint's own origin.
        let auth = match same_origin(&self.inner.endpoint, &request.url) {
            true => match self.inner.credential.authorization().await {
                Ok(auth) => auth,
                Err(e) => return Err(fail(e)),
            },
            false => None,
        };
        let exchange = Attempt { request, id: id.as_ref().map(|id| (&id_header, id)), auth: auth.as_ref(), success, stream };
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
            let result = self.attempt(&exchange, started + timeout, &mut delivered).await;
            let outcome = match &result {
                Ok(raw) => {
                    span.record("status", raw.status());
                    // Only a status worth retrying needs its delay.
                    let retry_after = is_transient(raw.status())
                        .then(|| parse_retry_after(raw.headers(), time::OffsetDateTime::now_utc()))
                        .flatten();
                    Outcome::Status { status: raw.status(), retry_after }
                }
                Err(e) => Outcome::Failed(e.kind()),
            };
            let decision = match classify(&request.method, outcome) {
                // The time spent (a clock read) matters only to an outcome worth retrying.
                Verdict::Final => ShouldRetry::No,
                transient => {
                    spent += started.elapsed();
                    should_retry(transient, attempts, spent, retry, jitter())
                }
            };
            let decision = match decision {
                ShouldRetry::After(_) if !request.resendable() => {
                    tracing::debug!(attempts, "not retried: the streamed request body was sent");
                    ShouldRetry::No
                }
                decision => decision,
            };
            match decision {
                ShouldRetry::No => return result.map_err(|e| fail(e.sent_if(delivered))),
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

    /// One attempt, redirects and the body included, ended at `deadline` (a streamed body, read
    /// after this returns, by `reqwest`'s timeout). `delivered` becomes true once a response head
    /// arrived (so the request was written).
    async fn attempt(&self, attempt: &Attempt<'_>, deadline: Instant, delivered: &mut bool) -> Result<RawResponse> {
        let request = attempt.request;
        let mut waiting = self.inner.deadlines.waiting(deadline);
        let timed_out = || Error::new(ErrorKind::Io, TIMED_OUT);
        // Only what must outlive an `.await` is a local here, and only in the scope it is needed
        // in: the rest is in blocks and the functions they call, so it takes no room in this future.
        let (status, headers, response, limit) = {
            // The request a redirect made; `None` for the first (which is `request` itself: no copy).
            let mut redirected: Option<Hop> = None;
            let mut followed = 0;
            loop {
                let stream_deadline = attempt.stream.then_some(deadline);
                let to_send = self.request_to_send(attempt, redirected.as_ref(), stream_deadline)?;
                let mut sending = self.inner.client.execute(to_send);
                let sent = waiting.run(Pin::new(&mut sending)).await.ok_or_else(timed_out)?;
                let mut response = sent.map_err(Error::from_reqwest)?;
                *delivered = true;
                let status = response.status().as_u16();
                if is_redirect(status) {
                    let from = redirected.take().unwrap_or_else(|| Hop {
                        method: request.method.clone(),
                        url: request.url.clone(),
                        body: request.body.is_some(),
                        auth: attempt.auth.is_some(),
                    });
                    match next_hop(status, response.headers().get(LOCATION), &from, followed) {
                        Some(Ok(next)) if next.body && !request.resendable() => {
                            let why = "the redirect needs the request body again, and a streamed body is sent once";
                            return Err(Error::new(ErrorKind::Redirect, why).with_status(status));
                        }
                        Some(Ok(next)) => {
                            tracing::debug!(status, to = %redact(next.url.as_str()), "following a redirect");
                            redirected = Some(next);
                            followed += 1;
                            continue;
                        }
                        Some(Err(why)) => return Err(Error::new(ErrorKind::Redirect, why).with_status(status)),
                        None => {}
                    }
                }
                let success = is_success(status, attempt.success);
                let headers = std::mem::take(response.headers_mut());
                if attempt.stream && success {
                    return Ok(RawResponse::unread(status, headers, response));
                }
                let limit =
                    if success { Limit::Fail(self.inner.max_response_body) } else { Limit::Cut(MAX_ERROR_BODY) };
                break (status, headers, response, limit);
            }
        };
        let body = waiting.run(pin!(body::read(response, limit))).await.ok_or_else(timed_out)??;
        Ok(RawResponse::from_bytes(status, headers, body.bytes).truncated(body.truncated))
    }

    /// The request one hop of `attempt` sends: the prepared request, or what a redirect made of it.
    fn request_to_send(
        &self,
        attempt: &Attempt<'_>,
        redirected: Option<&Hop>,
        deadline: Option<Instant>,
    ) -> Result<reqwest::Request> {
        let request = attempt.request;
        let (method, url, body, auth) = match redirected {
            Some(hop) => (&hop.method, &hop.url, hop.body, hop.auth),
            None => (&request.method, &request.url, request.body.is_some(), attempt.auth.is_some()),
        };
        // Finished in place: `reqwest`'s header methods would parse and convert every name and
        // value again. Only a URL with userinfo goes through its builder, which turns that into
        // basic auth.
        let mut sent = if url.username().is_empty() && url.password().is_none() {
            reqwest::Request::new(method.clone(), url.clone())
        } else {
            self.inner.client.request(method.clone(), url.clone()).build().map_err(Error::from_reqwest)?
        };
        if let Some(deadline) = deadline {
            *sent.timeout_mut() = Some(deadline.saturating_duration_since(Instant::now()));
        }
        let mut headers = request.headers.clone();
        match (&request.body, body) {
            (Some(body), true) => *sent.body_mut() = Some(body.to_reqwest()),
            // A redirect dropped the body, and with it its type.
            (Some(_), false) => {
                headers.remove(CONTENT_TYPE);
            }
            (None, _) => {}
        }
        let target = sent.headers_mut();
        // The request's headers replace any of the same name; the runtime's own are appended.
        target.extend(headers);
        target.append(USER_AGENT, self.inner.user_agent.clone());
        if let Some((name, id)) = attempt.id {
            target.append(name.clone(), id.clone());
        }
        if let (true, Some(auth)) = (auth, attempt.auth) {
            target.append(AUTHORIZATION, auth.clone());
        }
        Ok(sent)
    }
}

/// What every attempt of one request sends.
struct Attempt<'a> {
    request: &'a Prepared,
    /// The client request id and the header it goes in (`x-ms-client-request-id`), if one is sent.
    id: Option<(&'a HeaderName, &'a HeaderValue)>,
    /// `Authorization` for the request's own origin, if any.
    auth: Option<&'a HeaderValue>,
    success: &'a [u16],
    /// A success body is left unread, for a stream.
    stream: bool,
}

fn is_success(status: u16, success: &[u16]) -> bool {
    if success.is_empty() {
        (200..300).contains(&status)
    } else {
        success.contains(&status)
    }
}

/// Checks `raw`'s status against `success` (empty: any 2xx); anything else is a service error.
pub(crate) fn check_status(raw: &RawResponse, success: &[u16], decode_error: ErrorDecoder) -> Result<()> {
    if is_success(raw.status(), success) {
        Ok(())
    } else {
        Err(Error::from_response(received(raw), decode_error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::decode_error_model;
    use reqwest::header::HeaderMap;

    fn response(status: u16) -> RawResponse {
        RawResponse::new(status, HeaderMap::new(), b"{\"code\":\"Nope\"}".to_vec())
    }

    #[test]
    fn declared_statuses_or_any_2xx_are_success() {
        let decode = decode_error_model::<serde_json::Value>;
        assert!(check_status(&response(204), &[], decode).is_ok());
        assert!(check_status(&response(202), &[200, 202], decode).is_ok());
        let err = check_status(&response(201), &[200], decode).unwrap_err();
        assert_eq!((err.kind(), err.status(), err.error_code()), (ErrorKind::Service, Some(201), Some("Nope")));
        assert_eq!(check_status(&response(412), &[], decode).unwrap_err().kind(), ErrorKind::PreconditionFailed);
    }
}
