//! Binary request bodies: a streamed body arrives whole (with `Content-Length` when its length is
//! known, chunked otherwise) and is sent once — no retry after it was read, no redirect that needs
//! it again — while a bytes body is re-sent on retries as before.

use futures::stream;
use iot_rest::runtime::*;
use serde_json::{json, Value};

use crate::ops::*;
use crate::server::*;

pub enum UploadBlob {}
impl Operation for UploadBlob {
    type Output = ();
    type ErrorModel = Value;
    const SUCCESS: &'static [u16] = &[200, 201];
    type Request = ();
    type Body = Empty;
}

fn upload(p: &Pipeline, body: impl Into<BinaryBody>) -> Call<UploadBlob> {
    Call::new(p.request(Method::PUT).path("/blobs/b").bytes_body("application/octet-stream", body))
}

/// The body `chunks()` streams, whole.
fn content() -> Vec<u8> {
    (0..3u8).flat_map(|i| vec![b'a' + i; 10_000]).collect()
}

fn chunks() -> impl futures::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static {
    stream::iter((0..3u8).map(|i| Ok(Bytes::from(vec![b'a' + i; 10_000]))))
}

#[tokio::test]
async fn a_streamed_body_of_known_length_arrives_whole_with_its_content_length() {
    let server = Server::start(|_, _| reply(201, Value::Null)).await;
    let p = pipeline(&server, Credential::none(), &FakeSleep::default());

    within(10, upload(&p, BinaryBody::from_stream_with_length(chunks(), 30_000))).await.unwrap();

    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].header("content-length"), Some("30000"));
    assert_eq!(seen[0].header("transfer-encoding"), None);
    assert_eq!(seen[0].header("content-type"), Some("application/octet-stream"));
    assert!(seen[0].body == content(), "the body as streamed");
}

#[tokio::test]
async fn a_streamed_body_of_unknown_length_is_sent_chunked() {
    let server = Server::start(|_, _| reply(201, Value::Null)).await;
    let p = pipeline(&server, Credential::none(), &FakeSleep::default());

    within(10, upload(&p, BinaryBody::from_stream(chunks()))).await.unwrap();

    let seen = server.seen();
    assert_eq!(seen[0].header("transfer-encoding"), Some("chunked"));
    assert_eq!(seen[0].header("content-length"), None);
    assert!(seen[0].body == content(), "the body as streamed");
}

#[tokio::test]
async fn a_streamed_body_is_not_retried_once_sent() {
    let server = Server::start(|_, _| reply(503, json!({"error": {"code": "Busy"}}))).await;
    let sleep = FakeSleep::default();
    let p = pipeline(&server, Credential::none(), &sleep);

    let err = within(10, upload(&p, BinaryBody::from_stream(chunks()))).await.unwrap_err();

    assert_eq!((err.kind(), err.status(), err.error_code()), (ErrorKind::Service, Some(503), Some("Busy")));
    assert!(err.was_sent());
    assert_eq!(server.seen().len(), 1, "one request: the stream is spent");
    assert!(sleep.slept().is_empty(), "no retry was even planned");
}

#[tokio::test]
async fn a_bytes_body_is_still_retried() {
    let counter = Counter::default();
    let server = Server::start(move |_, req| match counter.next(&req.target) {
        1 => reply(503, Value::Null),
        _ => reply(201, Value::Null),
    })
    .await;
    let p = pipeline(&server, Credential::none(), &FakeSleep::default());

    within(10, upload(&p, content())).await.unwrap();

    let seen = server.seen();
    assert_eq!(seen.len(), 2, "retried after the 503");
    assert!(seen.iter().all(|s| s.body == content()), "the same bytes both times");
}

#[tokio::test]
async fn a_redirect_that_needs_a_sent_stream_again_is_an_error() {
    let server = Server::start(|_, req| match req.target.as_str() {
        "/api/blobs/b" => reply(307, Value::Null).header("Location", "/api/blobs/c"),
        _ => reply(201, Value::Null),
    })
    .await;
    let p = pipeline(&server, Credential::none(), &FakeSleep::default());

    let err = within(10, upload(&p, BinaryBody::from_stream(chunks()))).await.unwrap_err();

    assert_eq!((err.kind(), err.status()), (ErrorKind::Redirect, Some(307)), "{err}");
    assert_eq!(requests(&server), vec!["PUT /api/blobs/b"], "never an empty body to the new location");
}

#[tokio::test]
async fn a_stream_shorter_than_its_length_fails_and_is_not_retried() {
    let server = Server::start(|_, _| reply(201, Value::Null)).await;
    let sleep = FakeSleep::default();
    let p = pipeline(&server, Credential::none(), &sleep);

    let err = within(10, upload(&p, BinaryBody::from_stream_with_length(chunks(), 40_000))).await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Io, "{err}");
    assert!(server.seen().is_empty(), "the server never got a whole request");
    assert!(sleep.slept().is_empty());
}
