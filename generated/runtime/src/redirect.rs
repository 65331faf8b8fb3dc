//! The redirect policy of the send loop, which follows redirects itself (the HTTP client the
//! runtime builds has its own redirect handling off, see [`http_client_builder`](crate::http_client_builder)):
//!
//! - `301`, `302`, `303`, `307` and `308` with a `Location` are followed, at most [`MAX_REDIRECTS`]
//!   in a row; one more is an [`ErrorKind::Redirect`](crate::ErrorKind::Redirect) (a loop), not retried;
//! - `303` turns the request into a `GET` without body (`HEAD` stays `HEAD`), as do `301` and `302`
//!   for a `POST` (what browsers and HTTP clients do); otherwise method and body are kept;
//! - `301` and `302` answering a `PUT`, `PATCH`, `DELETE` or another method are not followed: they
//!   are the response (as the Azure SDKs do; the request is not repeated elsewhere unasked);
//! - never from https to http, whatever the host;
//! - `Authorization` is kept only while every hop stays on the origin it was sent to: once a
//!   redirect leaves it, no later hop gets it back;
//! - a redirect to another origin is followed only when the request no longer has a body: a body
//!   is never sent to another origin (that redirect is refused);
//! - no `Referer` is ever sent.

use reqwest::header::HeaderValue;
use reqwest::{Method, Url};

use crate::endpoint::{resolve_against, same_origin};

/// Redirects followed in a row; one more is an error.
pub(crate) const MAX_REDIRECTS: u32 = 10;

/// One request of a redirect chain, as far as the policy is concerned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Hop {
    pub(crate) method: Method,
    pub(crate) url: Url,
    /// Whether the request carries its body.
    pub(crate) body: bool,
    /// Whether the request carries `Authorization`.
    pub(crate) auth: bool,
}

/// Whether `status` is one the policy may follow (given a `Location`).
pub(crate) fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// What the response to `from` (`status`, `Location`) means after `followed` redirects: `None`, it
/// is the response; `Some(Ok(next))`, send `next`; `Some(Err(why))`, the redirect is refused.
pub(crate) fn next_hop(
    status: u16,
    location: Option<&HeaderValue>,
    from: &Hop,
    followed: u32,
) -> Option<Result<Hop, String>> {
    let kept = matches!(from.method, Method::GET | Method::HEAD | Method::POST);
    if !is_redirect(status) || (matches!(status, 301 | 302) && !kept) {
        return None;
    }
    let location = location?;
    Some(follow(status, location, from, followed))
}

fn follow(status: u16, location: &HeaderValue, from: &Hop, followed: u32) -> Result<Hop, String> {
    if followed >= MAX_REDIRECTS {
        return Err(format!("more than {MAX_REDIRECTS} redirects in a row"));
    }
    let location = location.to_str().map_err(|_| "the Location header is not text".to_string())?;
    let url = resolve_against(&from.url, location).map_err(|e| e.message().to_string())?;
    if from.url.scheme() == "https" && url.scheme() == "http" {
        return Err("a redirect from https to http is never followed".into());
    }
    let to_get = status == 303 || (matches!(status, 301 | 302) && from.method == Method::POST);
    let (method, body) = match to_get {
        true if from.method == Method::HEAD => (Method::HEAD, false),
        true => (Method::GET, false),
        false => (from.method.clone(), from.body),
    };
    let same = same_origin(&from.url, &url);
    if body && !same {
        return Err("a request body is never sent to another origin".into());
    }
    Ok(Hop { method, url, body, auth: from.auth && same })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hop(method: Method, url: &str, body: bool, auth: bool) -> Hop {
        Hop { method, url: Url::parse(url).unwrap(), body, auth }
    }

    fn next(status: u16, location: &str, from: &Hop) -> Option<Result<Hop, String>> {
        next_hop(status, Some(&HeaderValue::from_str(location).unwrap()), from, 0)
    }

    #[test]
    fn redirect_rules() {
        let home = "https://h.example/api/x";
        let get = hop(Method::GET, home, false, true);
        let post = hop(Method::POST, home, true, true);
        let put = hop(Method::PUT, home, true, true);
        let head = hop(Method::HEAD, home, false, true);
        // (status, location, from, expected next hop or refusal text)
        let cases: Vec<(u16, &str, &Hop, Result<Hop, &str>)> = vec![
            (302, "/api/y", &get, Ok(hop(Method::GET, "https://h.example/api/y", false, true))),
            (301, "https://h.example:443/z", &get, Ok(hop(Method::GET, "https://h.example/z", false, true))),
            (307, "y", &put, Ok(hop(Method::PUT, "https://h.example/api/y", true, true))),
            (308, "/y", &post, Ok(hop(Method::POST, "https://h.example/y", true, true))),
            (303, "/op", &put, Ok(hop(Method::GET, "https://h.example/op", false, true))),
            (303, "/op", &head, Ok(hop(Method::HEAD, "https://h.example/op", false, true))),
            (302, "/done", &post, Ok(hop(Method::GET, "https://h.example/done", false, true))),
            (301, "/done", &post, Ok(hop(Method::GET, "https://h.example/done", false, true))),
            // Another origin: no Authorization; with a body, refused.
            (302, "https://other.example/y", &get, Ok(hop(Method::GET, "https://other.example/y", false, false))),
            (302, "https://h.example:8443/y", &get, Ok(hop(Method::GET, "https://h.example:8443/y", false, false))),
            (303, "https://other.example/op", &post, Ok(hop(Method::GET, "https://other.example/op", false, false))),
            (307, "https://other.example/y", &put, Err("a request body is never sent to another origin")),
            (308, "https://other.example/y", &post, Err("a request body is never sent to another origin")),
            // Never to plain http, not even on the same host and port.
            (302, "http://h.example:443/api/x", &get, Err("a redirect from https to http is never followed")),
            (302, "http://h.example/api/x", &get, Err("a redirect from https to http is never followed")),
        ];
        for (status, location, from, expected) in cases {
            let got = next(status, location, from).expect("a redirect");
            assert_eq!(got, expected.map_err(str::to_string), "{status} {location} from {from:?}");
        }
    }

    #[test]
    fn authorization_once_dropped_stays_dropped() {
        let foreign = hop(Method::GET, "https://other.example/y", false, false);
        let back = next(302, "https://h.example/api/x", &foreign).unwrap().unwrap();
        assert!(!back.auth, "a foreign server cannot send the request back with credentials");
        let plain = hop(Method::GET, "http://127.0.0.1:1/x", false, true);
        assert!(!next(302, "https://127.0.0.1:1/x", &plain).unwrap().unwrap().auth, "http to https");
    }

    #[test]
    fn other_statuses_and_missing_locations_are_responses_and_loops_end() {
        let get = hop(Method::GET, "https://h.example/x", false, true);
        for status in [200, 204, 300, 304, 305, 400] {
            assert_eq!(next(status, "/y", &get), None, "{status}");
        }
        assert_eq!(next_hop(302, None, &get, 0), None);
        // A 301 or 302 answering a PUT, PATCH or DELETE is the response: not repeated elsewhere.
        for method in [Method::PUT, Method::PATCH, Method::DELETE] {
            for status in [301, 302] {
                assert_eq!(next(status, "/y", &hop(method.clone(), "https://h.example/x", true, true)), None, "{status} {method}");
            }
        }
        let refused = next_hop(302, Some(&HeaderValue::from_static("/x")), &get, MAX_REDIRECTS).unwrap();
        assert_eq!(refused.unwrap_err(), "more than 10 redirects in a row");
        assert!(next(302, "file:///etc/passwd", &get).unwrap().is_err());
        let bytes = HeaderValue::from_bytes(b"/\xff").unwrap();
        assert!(next_hop(302, Some(&bytes), &get, 0).unwrap().is_err());
    }
}
