//! Bodies and ETags: read-only fields, preconditions, and response body limits against servers
//! that send endless or oversized bodies.

use std::time::Duration;

use futures::TryStreamExt;
use iot_rest::runtime::*;
use serde_json::{json, Value};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use crate::ops::*;
use crate::server::*;

const LIMIT: usize = 1 << 20;

fn limited(base: &str) -> Pipeline {
    let options = ClientOptions::default().max_response_body(LIMIT);
    pipeline_at(base, Credential::none(), &FakeSleep::default(), options)
}

/// Answers `status` with a chunked body that never ends, until the client goes away.
async fn endless_body(mut stream: TcpStream, status: u16) {
    if read_request(&mut stream).await.is_none() {
        return;
    }
    let head = format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n");
    if stream.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, " ".repeat(64 * 1024));
    while stream.write_all(chunk.as_bytes()).await.is_ok() {}
}

#[tokio::test]
async fn an_endless_body_is_body_too_large_once_the_limit_is_read_and_is_not_retried() {
    let server = RawServer::start(|stream| endless_body(stream, 200)).await;
    let p = limited(&server.base);

    let err = within(20, get_thing(&p, "a")).await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::BodyTooLarge, "{err}");
    assert!(err.was_sent());
    assert!(err.to_string().contains(&format!("limit of {LIMIT} bytes")), "{err}");
    assert_eq!(server.connections(), 1, "retrying cannot help");
}

#[tokio::test]
async fn a_content_length_over_the_limit_is_refused_before_reading() {
    // The head announces 10 GB, then nothing comes: waiting for it would take the whole timeout.
    let server = RawServer::start(|mut stream| async move {
        read_request(&mut stream).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 10000000000\r\n\r\n";
        let _ = stream.write_all(head.as_bytes()).await;
        tokio::time::sleep(Duration::from_secs(60)).await;
    })
    .await;
    let p = limited(&server.base);

    let err = within(5, get_thing(&p, "a")).await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::BodyTooLarge, "{err}");
    assert!(err.to_string().contains("Content-Length 10000000000"), "{err}");
}

#[tokio::test]
async fn an_error_body_is_read_up_to_64_kib_only() {
    let server = RawServer::start(|stream| endless_body(stream, 400)).await;
    let p = limited(&server.base);

    let err = within(20, get_thing(&p, "a")).await.unwrap_err();

    assert_eq!((err.kind(), err.status()), (ErrorKind::Service, Some(400)), "{err}");
    let body = err.body().expect("the start of the body");
    assert_eq!(body.trim_end_matches('…').len(), 64 * 1024);
    assert!(body.ends_with('…'), "the cut is marked");
}

#[tokio::test]
async fn next_pages_and_status_monitors_are_limited_too() {
    let big = || json!({"value": [], "status": "Running", "padding": " ".repeat(LIMIT)});
    let server = Server::start(move |base, req| match (req.method.as_str(), req.target.as_str()) {
        ("GET", "/api/things") => reply(200, json!({"value": [{"name": "a"}], "nextLink": format!("{base}/api/next")})),
        ("GET", "/api/next") | ("GET", "/api/ops/1") => reply(200, big()),
        ("PUT", _) => reply(201, json!({})).header("Azure-AsyncOperation", format!("{base}/api/ops/1")),
        _ => reply(404, Value::Null),
    })
    .await;
    let p = limited(&server.base);

    let mut items = list_things(&p).items();
    assert_eq!(items.try_next().await.unwrap().unwrap().name.as_deref(), Some("a"));
    let page_err = items.try_next().await.unwrap_err();
    let lro_err = put_thing(&p, "x", &Thing::default()).await.unwrap_err();

    assert_eq!(page_err.kind(), ErrorKind::BodyTooLarge, "{page_err}");
    assert_eq!(lro_err.kind(), ErrorKind::BodyTooLarge, "{lro_err}");
}

#[tokio::test]
async fn read_only_fields_are_decoded_but_not_sent() {
    let server =
        Server::start(|_, _| reply(200, json!({"name": "n", "etag": "\"v1\""})).header("ETag", "\"v1\"")).await;
    let p = pipeline(&server, Credential::none(), &FakeSleep::default());
    let thing = Thing { name: Some("n".into()), etag: Some("\"v0\"".into()) };

    let call: Call<UpsertThing> =
        Call::new(p.request(Method::PUT).path("/things/n").json_body("application/json", &thing));
    let response = call.client_request_id("my-id").send().await.unwrap();

    let sent = &server.seen()[0];
    assert_eq!(sent.json(), json!({"name": "n"}));
    assert_eq!(sent.header("content-type"), Some("application/json"));
    assert_eq!(sent.header("x-ms-client-request-id"), Some("my-id"));
    assert_eq!(response.status(), 200);
    assert_eq!(response.etag().map(ETag::as_str), Some("\"v1\""));
    assert_eq!(response.request_id(), Some("my-id"), "no x-ms-request-id: the client id");
    assert_eq!(response.body().etag.as_deref(), Some("\"v1\""));
    assert_eq!(serde_json::to_value(response.body()).unwrap(), json!({"name": "n", "etag": "\"v1\""}));
}

#[tokio::test]
async fn precondition_failed_is_its_own_error_kind() {
    let server = Server::start(|_, _| {
        reply(412, json!({"error": {"code": "PreconditionFailed", "message": "etag mismatch"}}))
            .header("x-ms-request-id", "r412")
    })
    .await;
    let p = pipeline(&server, Credential::none(), &FakeSleep::default());
    let thing = Thing { name: Some("n".into()), etag: Some("\"v1\"".into()) };

    let call: Call<DeleteThing> =
        Call::new(p.request(Method::DELETE).path("/things/n").if_match(IfMatch::from(&thing)));
    let err = call.await.unwrap_err();

    assert_eq!(server.seen()[0].header("if-match"), Some("\"v1\""));
    assert_eq!(err.kind(), ErrorKind::PreconditionFailed);
    assert_eq!(err.status(), Some(412));
    assert_eq!(err.request_id(), Some("r412"));
    assert_eq!(err.error_code(), Some("PreconditionFailed"));
    assert!(err.was_sent());
    assert_eq!(server.seen().len(), 1, "412 is not retried");
}

#[tokio::test]
async fn if_match_from_a_model_without_etag_fails_before_sending() {
    let server = Server::start(|_, _| reply(204, Value::Null)).await;
    let p = pipeline(&server, Credential::none(), &FakeSleep::default());
    let without = Thing { name: Some("n".into()), etag: None };

    let call: Call<DeleteThing> =
        Call::new(p.request(Method::DELETE).path("/things/n").if_match(IfMatch::from(&without)));
    let err = call.await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::NotBuilt);
    assert!(!err.was_sent());
    assert!(server.seen().is_empty());
}

// ---------------------------------------------------------------- secrets
