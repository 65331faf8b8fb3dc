//! Long-running operations: [`Poller`] follows `Azure-AsyncOperation`,
//! `Operation-Location`, `Location` or the resource's `provisioningState` to a terminal
//! state, honours `final-state-via` and `Retry-After`, and can be resumed from a token.
//!
//! The rules follow the Azure guidelines (as implemented by the Azure SDKs):
//! - a status monitor header means "poll it"; its body's `status` is the state;
//! - a `Location` alone means "GET it until it stops answering 202";
//! - a PUT/PATCH without headers whose body is not yet terminal polls the original URI;
//! - after a status monitor succeeds, the result is fetched from `final-state-via`'s URL,
//!   else a body `resourceLocation`, else the original URI for PUT/PATCH, else `Location`
//!   for POST, else the monitor's last response is the result.

use std::time::{Duration, Instant};

use reqwest::header::HeaderMap;
use reqwest::{Method, Url};

use crate::runtime::error::ErrorDecoder;
use crate::runtime::pipeline::{check_status, resolve_against, Prepared};
use crate::runtime::retry::parse_retry_after;
use crate::runtime::{BoxFuture, Error, ErrorKind, Pipeline, RawResponse, RequestBuilder, Result};

/// Where the final result of a long-running operation is read (`x-ms-long-running-operation-options`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FinalStateVia {
    /// The body of the `Azure-AsyncOperation` status monitor (for POST).
    AzureAsyncOperation,
    /// A GET of the initial response's `Location`.
    Location,
    /// A GET of the original request URI.
    OriginalUri,
    /// The `Operation-Location` status monitor (or its `resourceLocation`).
    OperationLocation,
    /// No option given: the Azure defaults.
    Default,
}

/// The state of a long-running operation after a poll.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PollStatus {
    /// Still running; poll again after [`Poller::next_poll_delay`].
    InProgress,
    /// Done; [`Poller::wait`] returns the result without further waiting.
    Succeeded,
    /// Failed; [`Poller::wait`] returns the error with the service's error body.
    Failed,
    /// Canceled; [`Poller::wait`] returns an error.
    Canceled,
}

impl PollStatus {
    /// Case-insensitive `Succeeded` / `Failed` / `Canceled`; anything else is in progress.
    pub(crate) fn from_service(text: &str) -> PollStatus {
        if text.eq_ignore_ascii_case("succeeded") {
            PollStatus::Succeeded
        } else if text.eq_ignore_ascii_case("failed") {
            PollStatus::Failed
        } else if text.eq_ignore_ascii_case("canceled") || text.eq_ignore_ascii_case("cancelled") {
            PollStatus::Canceled
        } else {
            PollStatus::InProgress
        }
    }
}

/// A long-running operation, driven step by step with [`poll`](Poller::poll) or to its end
/// with [`wait`](Poller::wait) / `.await`. The initial request is sent on the first poll.
#[must_use = "a Poller does nothing until it is polled or awaited"]
pub struct Poller<T> {
    core: LroCore,
    decode: fn(RawResponse) -> Result<T>,
}

impl<T> Poller<T> {
    pub(crate) fn from_core(core: LroCore, decode: fn(RawResponse) -> Result<T>) -> Self {
        Poller { core, decode }
    }

    /// Sends the initial request, or checks the operation's status once; does not sleep.
    ///
    /// Request failures are returned as errors (the poller may be polled again);
    /// `Failed`/`Canceled` are returned as statuses and their error by [`wait`](Poller::wait).
    pub async fn poll(&mut self) -> Result<PollStatus> {
        self.core.poll().await
    }

    /// How long to wait before the next poll: the last `Retry-After`, else the poll interval.
    pub fn next_poll_delay(&self) -> Duration {
        self.core.next_poll_delay()
    }

    /// The last status text the service reported (e.g. `Running`), if any.
    pub fn last_status(&self) -> Option<&str> {
        self.core.last_status.as_deref()
    }

    /// A token to resume polling later with `Call::resume_poller`; `None` before the
    /// initial response and after the end.
    pub fn resume_token(&self) -> Option<String> {
        match &self.core.state {
            State::Polling(polling) => Some(polling.token()),
            _ => None,
        }
    }

    /// Polls to a terminal state, sleeping between polls (bounded by `max_poll_wait`), and
    /// returns the final result.
    pub async fn wait(mut self) -> Result<T> {
        let raw = self.core.finish().await?;
        (self.decode)(raw)
    }

    /// Like [`wait`](Poller::wait), keeping the final response's status, headers and ETag.
    pub async fn wait_response(mut self) -> Result<crate::runtime::Response<T>> {
        let raw = self.core.finish().await?;
        let head = raw.head(());
        let body = (self.decode)(raw)?;
        Ok(head.with_body(body))
    }
}

impl<T: Send + 'static> std::future::IntoFuture for Poller<T> {
    type Output = Result<T>;
    type IntoFuture = BoxFuture<'static, Result<T>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.wait())
    }
}

impl<T> std::fmt::Debug for Poller<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Poller").field("last_status", &self.core.last_status).finish_non_exhaustive()
    }
}

/// The non-generic state machine behind [`Poller`].
pub(crate) struct LroCore {
    pipeline: Pipeline,
    client_request_id: String,
    success: &'static [u16],
    decode_error: ErrorDecoder,
    /// `None`: not a long-running operation, the first response is the result.
    via: Option<FinalStateVia>,
    state: State,
    /// Time spent in requests and sleeps, for `max_poll_wait` (fake sleeps count too).
    spent: Duration,
    retry_after: Option<Duration>,
    last_status: Option<String>,
    last_http_status: Option<u16>,
}

enum State {
    Start(Prepared),
    Polling(Polling),
    Succeeded(RawResponse),
    Failed(PollStatus, Error),
    /// The request could not be built, or the result was taken.
    Broken(Option<Error>),
}

#[derive(Clone, Debug, PartialEq)]
struct Polling {
    method: Method,
    original: Url,
    monitor: Monitor,
    location: Option<Url>,
}

#[derive(Clone, Debug, PartialEq)]
enum Monitor {
    /// `Azure-AsyncOperation` or `Operation-Location`: a status resource.
    Status { url: Url, operation_location: bool },
    /// `Location`: 202 while running.
    Location(Url),
    /// The resource itself (original URI) and its `provisioningState`.
    Resource,
}

/// What one response means for the operation.
#[derive(Debug)]
enum Transition {
    Continue(Polling),
    Done(RawResponse),
    Failed(PollStatus, Error),
}

impl LroCore {
    pub(crate) fn new(
        pipeline: Pipeline,
        request: RequestBuilder,
        client_request_id: String,
        success: &'static [u16],
        decode_error: ErrorDecoder,
        via: Option<FinalStateVia>,
    ) -> Self {
        let state = match request.prepare() {
            Ok(prepared) => State::Start(prepared),
            Err(error) => State::Broken(Some(error)),
        };
        LroCore::with_state(pipeline, state, client_request_id, success, decode_error, via)
    }

    fn with_state(
        pipeline: Pipeline,
        state: State,
        client_request_id: String,
        success: &'static [u16],
        decode_error: ErrorDecoder,
        via: Option<FinalStateVia>,
    ) -> Self {
        LroCore {
            pipeline,
            client_request_id,
            success,
            decode_error,
            via,
            state,
            spent: Duration::ZERO,
            retry_after: None,
            last_status: None,
            last_http_status: None,
        }
    }

    pub(crate) fn resume(
        pipeline: Pipeline,
        token: &str,
        client_request_id: String,
        success: &'static [u16],
        decode_error: ErrorDecoder,
        via: Option<FinalStateVia>,
    ) -> Result<Self> {
        let state = State::Polling(Polling::from_token(token)?);
        Ok(LroCore::with_state(pipeline, state, client_request_id, success, decode_error, via))
    }

    fn next_poll_delay(&self) -> Duration {
        self.retry_after.unwrap_or_else(|| self.pipeline.poll_interval())
    }

    /// One step; the state only changes once a step has completed, so a dropped
    /// (cancelled) poll leaves the poller where it was.
    pub(crate) async fn poll(&mut self) -> Result<PollStatus> {
        let started = Instant::now();
        let step = match &self.state {
            State::Succeeded(_) => return Ok(PollStatus::Succeeded),
            State::Failed(status, _) => return Ok(*status),
            State::Broken(_) => return Err(ended(std::mem::replace(&mut self.state, State::Broken(None)))),
            State::Start(request) => {
                let request = request.clone();
                self.start(&request).await
            }
            State::Polling(polling) => {
                let polling = polling.clone();
                self.step(&polling).await
            }
        };
        self.spent += started.elapsed();
        // A failed request leaves the operation where it was; polling may be retried.
        let (state, status) = match step? {
            Transition::Continue(polling) => (State::Polling(polling), PollStatus::InProgress),
            Transition::Done(raw) => (State::Succeeded(raw), PollStatus::Succeeded),
            Transition::Failed(status, error) => (State::Failed(status, error), status),
        };
        self.state = state;
        Ok(status)
    }

    /// Polls to the end; the final response, or the operation's error.
    pub(crate) async fn finish(&mut self) -> Result<RawResponse> {
        loop {
            if self.poll().await? != PollStatus::InProgress {
                break;
            }
            let delay = self.next_poll_delay();
            let limit = self.pipeline.max_poll_wait();
            if self.spent.saturating_add(delay) > limit {
                let status = self.last_status.clone().unwrap_or_else(|| "InProgress".to_string());
                let mut error =
                    Error::new(ErrorKind::Lro, format!("did not finish within {limit:?}; last status {status}"))
                        .with_lro_status(status);
                if let Some(http) = self.last_http_status {
                    error = error.with_status(http);
                }
                return Err(error);
            }
            self.pipeline.sleep(delay).await;
            self.spent += delay;
        }
        match std::mem::replace(&mut self.state, State::Broken(None)) {
            State::Succeeded(raw) => Ok(raw),
            State::Failed(_, error) => Err(error),
            other => Err(ended(other)),
        }
    }

    /// Sends a request; remembers `Retry-After` and the status code.
    async fn send(&mut self, request: &Prepared) -> Result<RawResponse> {
        let raw = self.pipeline.execute(request, &self.client_request_id).await?;
        self.retry_after = parse_retry_after(raw.headers(), time::OffsetDateTime::now_utc());
        self.last_http_status = Some(raw.status());
        Ok(raw)
    }

    async fn get(&mut self, url: &Url) -> Result<RawResponse> {
        let raw = self.send(&self.pipeline.get(url.clone())).await?;
        check_status(raw, &[], self.decode_error)
    }

    async fn start(&mut self, request: &Prepared) -> Result<Transition> {
        let raw = self.send(request).await?;
        let raw = check_status(raw, self.success, self.decode_error)?;
        if self.via.is_none() {
            return Ok(Transition::Done(raw));
        }
        let (transition, status_text) = initial_transition(&request.method, &request.url, raw, self.decode_error)?;
        self.last_status = status_text;
        Ok(transition)
    }

    async fn step(&mut self, polling: &Polling) -> Result<Transition> {
        match &polling.monitor {
            Monitor::Status { url, .. } => {
                let raw = self.get(url).await?;
                let Some((status, text)) = monitor_status(raw.body()) else {
                    let message = "the operation status response has no status".to_string();
                    return Ok(Transition::Failed(
                        PollStatus::Failed,
                        Error::lro(&raw, "unknown", message, self.decode_error),
                    ));
                };
                self.last_status = Some(text.clone());
                match status {
                    PollStatus::InProgress => Ok(Transition::Continue(polling.clone())),
                    PollStatus::Succeeded => match final_url(polling, &raw, self.via.unwrap_or(FinalStateVia::Default))
                    {
                        Some(url) => Ok(Transition::Done(self.get(&url).await?)),
                        None => Ok(Transition::Done(raw)),
                    },
                    failed => Ok(failure(&raw, failed, &text, self.decode_error)),
                }
            }
            Monitor::Location(url) => {
                let raw = self.get(url).await?;
                if raw.status() != 202 {
                    // Done, unless the body's provisioning state says otherwise.
                    return Ok(self.by_provisioning_state(raw, polling));
                }
                self.last_status = Some("Accepted".to_string());
                let mut next = polling.clone();
                if let Some(location) = header_url(raw.headers(), "location", url)? {
                    next.monitor = Monitor::Location(location);
                }
                Ok(Transition::Continue(next))
            }
            Monitor::Resource => {
                let raw = self.get(&polling.original).await?;
                Ok(self.by_provisioning_state(raw, polling))
            }
        }
    }

    /// What a resource response says through its `provisioningState` (none: succeeded).
    fn by_provisioning_state(&mut self, raw: RawResponse, polling: &Polling) -> Transition {
        let (status, text) = resource_status(raw.body()).unwrap_or((PollStatus::Succeeded, "Succeeded".into()));
        self.last_status = Some(text.clone());
        match status {
            PollStatus::InProgress => Transition::Continue(polling.clone()),
            PollStatus::Succeeded => Transition::Done(raw),
            failed => failure(&raw, failed, &text, self.decode_error),
        }
    }
}

/// The error of a poller that cannot go on: why it could not start, or that it has ended.
fn ended(state: State) -> Error {
    match state {
        State::Broken(Some(error)) => error,
        _ => Error::not_built("the long-running operation has already ended"),
    }
}

fn failure(raw: &RawResponse, status: PollStatus, text: &str, decode_error: ErrorDecoder) -> Transition {
    let error = Error::lro(raw, text, format!("ended {text}"), decode_error);
    Transition::Failed(status, error)
}

/// Interprets the initial response: done already, failed, or how to poll.
fn initial_transition(
    method: &Method,
    original: &Url,
    raw: RawResponse,
    decode_error: ErrorDecoder,
) -> Result<(Transition, Option<String>)> {
    let resource_polling = *method == Method::PUT || *method == Method::PATCH;
    // A PUT/PATCH answered 200 with a terminal provisioning state is done, whatever headers came with it.
    if resource_polling && raw.status() == 200 {
        if let Some((status, text)) = resource_status(raw.body()).filter(|(s, _)| *s != PollStatus::InProgress) {
            let transition = match status {
                PollStatus::Succeeded => Transition::Done(raw),
                failed => failure(&raw, failed, &text, decode_error),
            };
            return Ok((transition, Some(text)));
        }
    }
    let headers = raw.headers();
    let location = header_url(headers, "location", original)?;
    let monitor = if let Some(url) = header_url(headers, "azure-asyncoperation", original)? {
        Some(Monitor::Status { url, operation_location: false })
    } else if let Some(url) = header_url(headers, "operation-location", original)? {
        Some(Monitor::Status { url, operation_location: true })
    } else {
        location.clone().map(Monitor::Location)
    };
    if let Some(monitor) = monitor {
        let polling = Polling { method: method.clone(), original: original.clone(), monitor, location };
        return Ok((Transition::Continue(polling), None));
    }
    let body_state = resource_status(raw.body());
    let (status, text) = match (raw.status(), body_state) {
        (202, _) if resource_polling => (PollStatus::InProgress, "Accepted".to_string()),
        (204, _) => (PollStatus::Succeeded, "Succeeded".to_string()),
        (_, Some(state)) => state,
        (201, None) if resource_polling => (PollStatus::InProgress, "Created".to_string()),
        _ => (PollStatus::Succeeded, "Succeeded".to_string()),
    };
    let transition = match status {
        PollStatus::InProgress if resource_polling => Transition::Continue(Polling {
            method: method.clone(),
            original: original.clone(),
            monitor: Monitor::Resource,
            location: None,
        }),
        // Nothing to poll for POST/DELETE without headers: the response is the result.
        PollStatus::InProgress | PollStatus::Succeeded => Transition::Done(raw),
        failed => failure(&raw, failed, &text, decode_error),
    };
    Ok((transition, Some(text)))
}

/// Where to GET the result after a status monitor reports success; `None`: the monitor's response is the result.
fn final_url(polling: &Polling, monitor_response: &RawResponse, via: FinalStateVia) -> Option<Url> {
    let is_post = polling.method == Method::POST;
    match via {
        FinalStateVia::Location if polling.location.is_some() => return polling.location.clone(),
        FinalStateVia::OriginalUri => return Some(polling.original.clone()),
        FinalStateVia::AzureAsyncOperation | FinalStateVia::OperationLocation if is_post => return None,
        _ => {}
    }
    let monitor_url = match &polling.monitor {
        Monitor::Status { url, .. } => url,
        _ => &polling.original,
    };
    let resource_location = serde_json::from_slice::<serde_json::Value>(monitor_response.body())
        .ok()
        .and_then(|v| v.get("resourceLocation")?.as_str().map(str::to_string))
        .and_then(|link| resolve_against(monitor_url, &link).ok());
    if resource_location.is_some() {
        return resource_location;
    }
    if polling.method == Method::PUT || polling.method == Method::PATCH {
        return Some(polling.original.clone());
    }
    if is_post {
        return polling.location.clone();
    }
    None
}

fn header_url(headers: &HeaderMap, name: &str, base: &Url) -> Result<Option<Url>> {
    let Some(value) = headers.get(name) else {
        return Ok(None);
    };
    let text = value.to_str().map_err(|_| Error::new(ErrorKind::Decode, format!("the {name} header is not text")))?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    resolve_against(base, text).map(Some)
}

fn json(body: &[u8]) -> Option<serde_json::Value> {
    serde_json::from_slice(body).ok()
}

fn state_at<'a>(value: &'a serde_json::Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(value, |v, key| v.get(key))?.as_str()
}

/// A status monitor's state: `status`, else a provisioning state.
fn monitor_status(body: &[u8]) -> Option<(PollStatus, String)> {
    let value = json(body)?;
    let text = state_at(&value, &["status"])
        .or_else(|| state_at(&value, &["properties", "provisioningState"]))
        .or_else(|| state_at(&value, &["provisioningState"]))?;
    Some((PollStatus::from_service(text), text.to_string()))
}

/// A resource's `properties.provisioningState` or `provisioningState`.
fn resource_status(body: &[u8]) -> Option<(PollStatus, String)> {
    let value = json(body)?;
    let text =
        state_at(&value, &["properties", "provisioningState"]).or_else(|| state_at(&value, &["provisioningState"]))?;
    Some((PollStatus::from_service(text), text.to_string()))
}

impl Polling {
    fn token(&self) -> String {
        let (kind, url) = match &self.monitor {
            Monitor::Status { url, operation_location: false } => ("azure-asyncoperation", Some(url.as_str())),
            Monitor::Status { url, operation_location: true } => ("operation-location", Some(url.as_str())),
            Monitor::Location(url) => ("location", Some(url.as_str())),
            Monitor::Resource => ("resource", None),
        };
        serde_json::json!({
            "version": 1,
            "method": self.method.as_str(),
            "original": self.original.as_str(),
            "monitor": kind,
            "monitor_url": url,
            "location": self.location.as_ref().map(Url::as_str),
        })
        .to_string()
    }

    fn from_token(token: &str) -> Result<Polling> {
        let bad = || Error::not_built("not a resume token of this library");
        let value: serde_json::Value = serde_json::from_str(token).map_err(|_| bad())?;
        if value.get("version").and_then(serde_json::Value::as_u64) != Some(1) {
            return Err(bad());
        }
        let text = |key: &str| value.get(key).and_then(serde_json::Value::as_str);
        let url = |key: &str| text(key).map(Url::parse).transpose().map_err(|_| bad());
        let method = Method::from_bytes(text("method").ok_or_else(bad)?.as_bytes()).map_err(|_| bad())?;
        let original = url("original")?.ok_or_else(bad)?;
        let monitor_url = url("monitor_url")?;
        let monitor = match (text("monitor"), monitor_url) {
            (Some("azure-asyncoperation"), Some(url)) => Monitor::Status { url, operation_location: false },
            (Some("operation-location"), Some(url)) => Monitor::Status { url, operation_location: true },
            (Some("location"), Some(url)) => Monitor::Location(url),
            (Some("resource"), _) => Monitor::Resource,
            _ => return Err(bad()),
        };
        Ok(Polling { method, original, monitor, location: url("location")? })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::error::decode_error_model;
    use reqwest::header::HeaderValue;

    fn raw(status: u16, headers: &[(&'static str, &'static str)], body: &str) -> RawResponse {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(*k, HeaderValue::from_static(v));
        }
        RawResponse::new(status, map, body.as_bytes().to_vec())
    }

    fn original() -> Url {
        Url::parse("https://h.example/things/1?api-version=1").unwrap()
    }

    fn initial(method: Method, response: RawResponse) -> Transition {
        initial_transition(&method, &original(), response, decode_error_model::<serde_json::Value>).unwrap().0
    }

    fn polling(method: Method, monitor: Monitor, location: Option<&str>) -> Polling {
        Polling { method, original: original(), monitor, location: location.map(|l| Url::parse(l).unwrap()) }
    }

    #[test]
    fn status_values_are_case_insensitive() {
        assert_eq!(PollStatus::from_service("succeeded"), PollStatus::Succeeded);
        assert_eq!(PollStatus::from_service("SUCCEEDED"), PollStatus::Succeeded);
        assert_eq!(PollStatus::from_service("Failed"), PollStatus::Failed);
        assert_eq!(PollStatus::from_service("canceled"), PollStatus::Canceled);
        assert_eq!(PollStatus::from_service("Cancelled"), PollStatus::Canceled);
        assert_eq!(PollStatus::from_service("Running"), PollStatus::InProgress);
        assert_eq!(PollStatus::from_service(""), PollStatus::InProgress);
    }

    #[test]
    fn status_is_read_from_status_or_provisioning_state() {
        assert_eq!(monitor_status(br#"{"status":"Running"}"#).unwrap().0, PollStatus::InProgress);
        assert_eq!(
            monitor_status(br#"{"properties":{"provisioningState":"Succeeded"}}"#).unwrap().0,
            PollStatus::Succeeded
        );
        assert_eq!(resource_status(br#"{"provisioningState":"failed"}"#).unwrap().0, PollStatus::Failed);
        assert_eq!(resource_status(br#"{"status":"Failed"}"#), None);
        assert_eq!(monitor_status(b"not json"), None);
        assert_eq!(monitor_status(br#"{"status":3}"#), None);
    }

    #[test]
    fn async_operation_header_is_preferred_and_resolved() {
        let t = initial(
            Method::PUT,
            raw(
                201,
                &[
                    ("azure-asyncoperation", "/ops/1"),
                    ("location", "https://h.example/loc"),
                    ("operation-location", "https://h.example/ol"),
                ],
                "{}",
            ),
        );
        let Transition::Continue(p) = t else { panic!("{t:?}") };
        assert_eq!(
            p.monitor,
            Monitor::Status { url: Url::parse("https://h.example/ops/1").unwrap(), operation_location: false }
        );
        assert_eq!(p.location.unwrap().as_str(), "https://h.example/loc");
    }

    #[test]
    fn operation_location_then_location_are_monitors() {
        let Transition::Continue(p) =
            initial(Method::POST, raw(202, &[("operation-location", "https://o.example/s")], ""))
        else {
            panic!()
        };
        assert!(matches!(p.monitor, Monitor::Status { operation_location: true, .. }));
        let Transition::Continue(p) = initial(Method::DELETE, raw(202, &[("location", "https://h.example/l")], ""))
        else {
            panic!()
        };
        assert_eq!(p.monitor, Monitor::Location(Url::parse("https://h.example/l").unwrap()));
    }

    #[test]
    fn put_without_headers_polls_the_resource_until_terminal() {
        let running = initial(Method::PUT, raw(201, &[], r#"{"properties":{"provisioningState":"Creating"}}"#));
        assert!(matches!(running, Transition::Continue(Polling { monitor: Monitor::Resource, .. })));
        let created = initial(Method::PUT, raw(201, &[], "{}"));
        assert!(matches!(created, Transition::Continue(Polling { monitor: Monitor::Resource, .. })));
        assert!(matches!(initial(Method::PUT, raw(200, &[], "{}")), Transition::Done(_)));
        assert!(matches!(
            initial(Method::PUT, raw(200, &[], r#"{"provisioningState":"Succeeded"}"#)),
            Transition::Done(_)
        ));
        let failed = initial(Method::PUT, raw(200, &[], r#"{"provisioningState":"Failed"}"#));
        let Transition::Failed(PollStatus::Failed, e) = failed else { panic!("{failed:?}") };
        assert_eq!(e.kind(), ErrorKind::Lro);
        assert!(matches!(initial(Method::DELETE, raw(204, &[], "")), Transition::Done(_)));
        assert!(matches!(initial(Method::POST, raw(202, &[], "")), Transition::Done(_)));
    }

    #[test]
    fn final_url_follows_azure_defaults_and_final_state_via() {
        let status = Monitor::Status { url: Url::parse("https://h.example/ops/1").unwrap(), operation_location: false };
        let done = raw(200, &[], r#"{"status":"Succeeded"}"#);
        let loc = Some("https://h.example/loc");
        let put = polling(Method::PUT, status.clone(), loc);
        assert_eq!(final_url(&put, &done, FinalStateVia::Default), Some(original()));
        assert_eq!(final_url(&put, &done, FinalStateVia::Location).unwrap().as_str(), "https://h.example/loc");
        let post = polling(Method::POST, status.clone(), loc);
        assert_eq!(final_url(&post, &done, FinalStateVia::Default).unwrap().as_str(), "https://h.example/loc");
        assert_eq!(final_url(&post, &done, FinalStateVia::AzureAsyncOperation), None);
        assert_eq!(final_url(&post, &done, FinalStateVia::OriginalUri), Some(original()));
        let delete = polling(Method::DELETE, status.clone(), loc);
        assert_eq!(final_url(&delete, &done, FinalStateVia::Default), None);
        let with_resource = raw(200, &[], r#"{"status":"Succeeded","resourceLocation":"/things/9"}"#);
        let post_ol = polling(Method::POST, status, None);
        assert_eq!(
            final_url(&post_ol, &with_resource, FinalStateVia::Default).unwrap().as_str(),
            "https://h.example/things/9"
        );
    }

    #[test]
    fn resume_tokens_round_trip() {
        let cases = [
            polling(
                Method::PUT,
                Monitor::Status { url: Url::parse("https://h.example/ops/1").unwrap(), operation_location: false },
                Some("https://h.example/l"),
            ),
            polling(
                Method::POST,
                Monitor::Status { url: Url::parse("https://h.example/ops/2").unwrap(), operation_location: true },
                None,
            ),
            polling(Method::DELETE, Monitor::Location(Url::parse("https://h.example/l").unwrap()), None),
            polling(Method::PATCH, Monitor::Resource, None),
        ];
        for p in cases {
            assert_eq!(Polling::from_token(&p.token()).unwrap(), p);
        }
        for bad in
            ["", "{}", "[1]", r#"{"version":2}"#, r#"{"version":1,"method":"PUT","original":"x","monitor":"resource"}"#]
        {
            assert_eq!(Polling::from_token(bad).unwrap_err().kind(), ErrorKind::NotBuilt, "{bad}");
        }
    }
}
