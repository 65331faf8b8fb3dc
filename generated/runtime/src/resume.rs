//! Resume tokens: a running long-running operation's [`Polling`] as text (JSON, versioned), so
//! polling can go on later, in another client or process.

use reqwest::{Method, Url};

use crate::lro_rules::{Monitor, Polling};
use crate::{Error, Result};

/// The token of `polling`.
pub(crate) fn token(polling: &Polling) -> String {
    let (kind, url) = match &polling.monitor {
        Monitor::Status { url, operation_location: false } => ("azure-asyncoperation", Some(url.as_str())),
        Monitor::Status { url, operation_location: true } => ("operation-location", Some(url.as_str())),
        Monitor::Location(url) => ("location", Some(url.as_str())),
        Monitor::Resource => ("resource", None),
    };
    serde_json::json!({
        "version": 1,
        "method": polling.method.as_str(),
        "original": polling.original.as_str(),
        "monitor": kind,
        "monitor_url": url,
        "location": polling.location.as_ref().map(Url::as_str),
    })
    .to_string()
}

/// The [`Polling`] a [`token`] describes; anything else is a [`NotBuilt`](crate::ErrorKind::NotBuilt) error.
pub(crate) fn parse(token: &str) -> Result<Polling> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn polling(method: Method, monitor: Monitor, location: Option<&str>) -> Polling {
        let original = Url::parse("https://h.example/things/1?api-version=1").unwrap();
        Polling { method, original, monitor, location: location.map(|l| Url::parse(l).unwrap()) }
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
            assert_eq!(parse(&token(&p)).unwrap(), p);
        }
        for bad in
            ["", "{}", "[1]", r#"{"version":2}"#, r#"{"version":1,"method":"PUT","original":"x","monitor":"resource"}"#]
        {
            assert_eq!(parse(bad).unwrap_err().kind(), ErrorKind::NotBuilt, "{bad}");
        }
    }
}
