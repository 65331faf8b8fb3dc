//! Redirects, against real TLS servers on loopback: never https to http, no credentials, body or
//! `Referer` to another origin, `303` becomes `GET`, loops end in a typed error.

use iot_rest::runtime::*;
use serde_json::{json, Value};

use crate::ops::*;
use crate::server::*;

const TOKEN: &str = "SharedAccessSignature sr=app&sig=SECRET";

/// A pipeline on `server` (https) that trusts the test certificate and sends `TOKEN`.
fn tls_pipeline(server: &Server) -> Pipeline {
    let options = ClientOptions::default().http_client(crate::tls::trusting_client());
    pipeline_with(server, Credential::from(ApiToken::new(TOKEN)), &FakeSleep::default(), options)
}

#[tokio::test]
async fn a_redirect_from_https_to_http_on_the_same_host_and_port_is_refused() {
    // The downgrade keeps host and port: the credential check of reqwest's own policy lets it pass.
    let server = Server::start_tls(|base, req| match req.target.as_str() {
        "/api/things/a" => reply(302, Value::Null).header("Location", base.replace("https://", "http://") + "/x"),
        _ => reply(200, json!({"name": "plain"})),
    })
    .await;
    let p = tls_pipeline(&server);

    let err = get_thing(&p, "a").await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Redirect, "{err}");
    assert_eq!(err.status(), Some(302));
    assert!(err.was_sent());
    assert!(err.to_string().contains("https to http"), "{err}");
    assert_eq!(requests(&server), ["GET /api/things/a"], "nothing was sent over plain http");
}

#[tokio::test]
async fn redirects_on_the_endpoints_origin_keep_credentials_and_bodies() {
    let server = Server::start_tls(|_, req| match (req.method.as_str(), req.target.as_str()) {
        ("GET", "/api/things/a") => reply(301, Value::Null).header("Location", "/api/things/b"),
        ("PUT", "/api/things/x") => reply(307, Value::Null).header("Location", "/api/things/y"),
        (_, "/api/things/b" | "/api/things/y") => reply(200, json!({"name": "moved"})),
        _ => reply(404, Value::Null),
    })
    .await;
    let p = tls_pipeline(&server);

    let got = get_thing(&p, "a").await.unwrap();
    let put = upsert_thing(&p, "x", &Thing { name: Some("x".into()), etag: None }).await.unwrap();

    assert_eq!((got.name.as_deref(), put.name.as_deref()), (Some("moved"), Some("moved")));
    let seen = server.seen();
    assert_eq!(requests(&server), ["GET /api/things/a", "GET /api/things/b", "PUT /api/things/x", "PUT /api/things/y"]);
    assert!(seen.iter().all(|s| s.header("authorization") == Some(TOKEN)), "{seen:?}");
    assert_eq!(seen[3].json(), json!({"name": "x"}), "a 307 keeps the body");
    assert!(seen.iter().all(|s| s.header("referer").is_none()));
}

#[tokio::test]
async fn redirects_to_another_origin_drop_credentials_and_never_carry_a_body() {
    let other = Server::start_tls(|_, _| reply(200, json!({"name": "elsewhere"}))).await;
    let other_base = other.base.clone();
    let home = Server::start_tls(move |_, req| {
        let to = |path: &str| format!("{other_base}{path}?sig=FOREIGN");
        match (req.method.as_str(), req.target.as_str()) {
            ("GET", _) => reply(302, Value::Null).header("Location", to("/get")),
            ("POST", _) => reply(303, Value::Null).header("Location", to("/see-other")),
            ("PUT", _) => reply(307, Value::Null).header("Location", to("/put")),
            _ => reply(404, Value::Null),
        }
    })
    .await;
    let p = tls_pipeline(&home);

    let got = get_thing(&p, "a").await.unwrap();
    let posted = post_thing(&p, &Thing { name: Some("p".into()), etag: None }).await.unwrap();
    let refused = upsert_thing(&p, "x", &Thing { name: Some("x".into()), etag: None }).await.unwrap_err();

    assert_eq!((got.name.as_deref(), posted.name.as_deref()), (Some("elsewhere"), Some("elsewhere")));
    assert_eq!(refused.kind(), ErrorKind::Redirect, "{refused}");
    assert!(refused.to_string().contains("body"), "{refused}");
    assert!(!refused.to_string().contains("FOREIGN"), "{refused}");
    assert_eq!(
        requests(&other),
        ["GET /get?sig=FOREIGN", "GET /see-other?sig=FOREIGN"],
        "the 303 turned the POST into a GET; the PUT's body was not sent"
    );
    for foreign in other.seen() {
        assert_eq!(foreign.header("authorization"), None, "{foreign:?}");
        assert_eq!(foreign.header("referer"), None, "{foreign:?}");
        assert_eq!(foreign.header("content-type"), None, "{foreign:?}");
        assert!(foreign.body.is_empty(), "{foreign:?}");
    }
    assert!(home.seen().iter().all(|s| s.header("authorization") == Some(TOKEN)));
}

#[tokio::test]
async fn a_redirect_loop_is_a_redirect_error_and_is_not_retried() {
    let server = Server::start_tls(|_, req| {
        let next = if req.target.ends_with("/a") { "/api/things/b" } else { "/api/things/a" };
        reply(302, Value::Null).header("Location", next)
    })
    .await;
    let p = tls_pipeline(&server);

    let err = get_thing(&p, "a").await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Redirect, "{err}");
    assert!(err.to_string().contains("more than 10 redirects"), "{err}");
    assert_eq!(server.seen().len(), 11, "the request and 10 redirects, once: a loop is not retried");
}
