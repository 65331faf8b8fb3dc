//! The Azure rules of long-running operations, as the Azure SDKs implement them; the poller
//! (`poller`) is the state machine that applies them, this module decides what each response means:
//! - a status monitor header means "poll it"; its body's `status` is the state;
//! - a `Location` alone means "GET it until it stops answering 202";
//! - a PUT/PATCH without headers whose body is not yet terminal polls the original URI;
//! - after a status monitor succeeds, the result is fetched from `final-state-via`'s URL,
//!   else a body `resourceLocation`, else the original URI for PUT/PATCH, else `Location`
//!   for POST, else the monitor's last response is the result.

use reqwest::header::HeaderMap;
use reqwest::{Method, Url};

use crate::endpoint::resolve_against;
use crate::error::ErrorDecoder;
use crate::exchange::received;
use crate::{Error, ErrorKind, PollStatus, RawResponse, Result};

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

/// Case-insensitive `Succeeded` / `Failed` / `Canceled`; anything else is in progress.
pub(crate) fn status_from_service(text: &str) -> PollStatus {
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

/// How a running operation is polled, learnt from its initial response (and kept in resume tokens).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Polling {
    /// The initial request's method and URL.
    pub(crate) method: Method,
    pub(crate) original: Url,
    pub(crate) monitor: Monitor,
    /// The initial response's `Location`, for `final-state-via: location` and POST results.
    pub(crate) location: Option<Url>,
}

/// What a poll GETs.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Monitor {
    /// `Azure-AsyncOperation` or `Operation-Location`: a status resource.
    Status { url: Url, operation_location: bool },
    /// `Location`: 202 while running.
    Location(Url),
    /// The resource itself (original URI) and its `provisioningState`.
    Resource,
}

/// What one response means for the operation.
#[derive(Debug)]
pub(crate) enum Transition {
    /// Still running: poll as described.
    Continue(Polling),
    /// Succeeded; the result is a GET of this URL.
    Fetch(Url),
    /// Succeeded; this response is the result.
    Done(RawResponse),
    Failed(PollStatus, Error),
}

impl Polling {
    /// The URL the next poll GETs.
    pub(crate) fn poll_url(&self) -> &Url {
        match &self.monitor {
            Monitor::Status { url, .. } | Monitor::Location(url) => url,
            Monitor::Resource => &self.original,
        }
    }
}

/// Interprets the response to a poll of [`Polling::poll_url`]; with the status text it reported, if any.
pub(crate) fn poll_transition(
    polling: &Polling,
    raw: RawResponse,
    via: FinalStateVia,
    decode_error: ErrorDecoder,
) -> Result<(Transition, Option<String>)> {
    match &polling.monitor {
        Monitor::Status { .. } => {
            let Some((status, text)) = monitor_status(raw.body()) else {
                let message = "the operation status response has no status".to_string();
                let error = Error::lro(received(&raw), "unknown", message, decode_error);
                return Ok((Transition::Failed(PollStatus::Failed, error), None));
            };
            let transition = match status {
                PollStatus::InProgress => Transition::Continue(polling.clone()),
                PollStatus::Succeeded => match final_url(polling, &raw, via) {
                    Some(url) => Transition::Fetch(url),
                    None => Transition::Done(raw),
                },
                failed => failure(&raw, failed, &text, decode_error),
            };
            Ok((transition, Some(text)))
        }
        Monitor::Location(url) => {
            if raw.status() != 202 {
                // Done, unless the body's provisioning state says otherwise.
                return Ok(by_provisioning_state(raw, polling, decode_error));
            }
            let mut next = polling.clone();
            if let Some(location) = header_url(raw.headers(), "location", url)? {
                next.monitor = Monitor::Location(location);
            }
            Ok((Transition::Continue(next), Some("Accepted".to_string())))
        }
        Monitor::Resource => Ok(by_provisioning_state(raw, polling, decode_error)),
    }
}

/// What a resource response says through its `provisioningState` (none: succeeded).
fn by_provisioning_state(
    raw: RawResponse,
    polling: &Polling,
    decode_error: ErrorDecoder,
) -> (Transition, Option<String>) {
    let (status, text) = resource_status(raw.body()).unwrap_or((PollStatus::Succeeded, "Succeeded".into()));
    let transition = match status {
        PollStatus::InProgress => Transition::Continue(polling.clone()),
        PollStatus::Succeeded => Transition::Done(raw),
        failed => failure(&raw, failed, &text, decode_error),
    };
    (transition, Some(text))
}

fn failure(raw: &RawResponse, status: PollStatus, text: &str, decode_error: ErrorDecoder) -> Transition {
    let error = Error::lro(received(raw), text, format!("ended {text}"), decode_error);
    Transition::Failed(status, error)
}

/// Interprets the initial response: done already, failed, or how to poll.
pub(crate) fn initial_transition(
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
    Some((status_from_service(text), text.to_string()))
}

/// A resource's `properties.provisioningState` or `provisioningState`.
fn resource_status(body: &[u8]) -> Option<(PollStatus, String)> {
    let value = json(body)?;
    let text =
        state_at(&value, &["properties", "provisioningState"]).or_else(|| state_at(&value, &["provisioningState"]))?;
    Some((status_from_service(text), text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::decode_error_model;
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
        assert_eq!(status_from_service("succeeded"), PollStatus::Succeeded);
        assert_eq!(status_from_service("SUCCEEDED"), PollStatus::Succeeded);
        assert_eq!(status_from_service("Failed"), PollStatus::Failed);
        assert_eq!(status_from_service("canceled"), PollStatus::Canceled);
        assert_eq!(status_from_service("Cancelled"), PollStatus::Canceled);
        assert_eq!(status_from_service("Running"), PollStatus::InProgress);
        assert_eq!(status_from_service(""), PollStatus::InProgress);
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
    fn polls_follow_monitors_until_a_terminal_state() {
        let decode = decode_error_model::<serde_json::Value>;
        let monitor =
            Monitor::Status { url: Url::parse("https://h.example/ops/1").unwrap(), operation_location: false };
        let put = polling(Method::PUT, monitor, None);
        let poll = |p: &Polling, r: RawResponse| poll_transition(p, r, FinalStateVia::Default, decode).unwrap();
        let (t, text) = poll(&put, raw(200, &[], r#"{"status":"Running"}"#));
        assert!(matches!(t, Transition::Continue(_)) && text.as_deref() == Some("Running"), "{t:?}");
        let (t, _) = poll(&put, raw(200, &[], r#"{"status":"Succeeded"}"#));
        assert!(matches!(t, Transition::Fetch(ref url) if *url == original()), "{t:?}");
        let (t, text) = poll(&put, raw(200, &[], "{}"));
        assert!(matches!(t, Transition::Failed(PollStatus::Failed, _)) && text.is_none(), "{t:?}");

        let location = polling(Method::DELETE, Monitor::Location(Url::parse("https://h.example/l").unwrap()), None);
        let (t, _) = poll(&location, raw(202, &[("location", "/l2")], ""));
        let Transition::Continue(next) = t else { panic!("{t:?}") };
        assert_eq!(next.poll_url().as_str(), "https://h.example/l2");
        assert!(matches!(poll(&location, raw(204, &[], "")).0, Transition::Done(_)));
        let resource = polling(Method::PUT, Monitor::Resource, None);
        assert_eq!(resource.poll_url(), &original());
        let (t, text) = poll(&resource, raw(200, &[], r#"{"provisioningState":"Canceled"}"#));
        assert!(matches!(t, Transition::Failed(PollStatus::Canceled, _)) && text.as_deref() == Some("Canceled"));
    }
}
