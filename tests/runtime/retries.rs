//! Retries: which outcomes are retried, when, how often and for how long.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use iot_rest::runtime::*;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::ops::*;
use crate::server::*;

#[tokio::test]
async fn retries_503_after_the_retry_after_delay() {
    let counter = Counter::default();
    let server = Server::start(move |_, req| match counter.next(&req.target) {
        1 => reply(503, json!({"error": {"code": "Busy"}})).header("Retry-After", "7"),
        _ => reply(200, json!({"name": "a"})),
    })
    .await;
    let sleep = FakeSleep::default();
    let p = pipeline(&server, Credential::none(), &sleep);

    let thing = get_thing(&p, "a").await.unwrap();

    assert_eq!(thing.name.as_deref(), Some("a"));
    assert_eq!(sleep.slept(), [Duration::from_secs(7)]);
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].target, "/api/things/a");
    let id = seen[0].header("x-ms-client-request-id").unwrap();
    assert_eq!(id.len(), 36, "a UUID-shaped id: {id}");
    assert_eq!(seen[1].header("x-ms-client-request-id"), Some(id), "one id for all attempts of a call");
    let agent = concat!("iot-rest-tests/", env!("CARGO_PKG_VERSION"), " iot-rest-runtime/0.1.0");
    assert_eq!(seen[0].header("user-agent"), Some(agent), "the crate that made the pipeline, then the runtime");
}

#[tokio::test]
async fn gives_up_after_max_attempts_with_the_service_error() {
    let server = Server::start(|_, _| reply(503, json!({"error": {"code": "Busy", "message": "later"}}))).await;
    let sleep = FakeSleep::default();
    let options = ClientOptions::default().retry(RetryOptions::default().max_attempts(3));
    let p = pipeline_with(&server, Credential::none(), &sleep, options);

    let err = get_thing(&p, "a").await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Service);
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.error_code(), Some("Busy"));
    assert!(err.was_sent());
    assert_eq!(server.seen().len(), 3);
    assert_eq!(sleep.slept().len(), 2, "backoff between attempts, without a Retry-After");
}

/// Answers the first request with `status` and `headers`, every later one with 200.
async fn fail_once(status: u16, headers: &[(&str, String)]) -> Server {
    let headers: Vec<(String, String)> = headers.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
    let counter = Counter::default();
    Server::start(move |_, _| match counter.next("any") {
        1 => {
            let mut answer = reply(status, json!({"error": {"code": "Later"}}));
            answer.headers.clone_from(&headers);
            answer
        }
        _ => reply(200, json!({"name": "ok"})),
    })
    .await
}

#[tokio::test]
async fn every_retry_after_form_sets_the_delay_before_the_single_retry() {
    let in_30s = http_date(time::OffsetDateTime::now_utc() + time::Duration::seconds(30));
    let ms = Duration::from_millis;
    // (status, headers, shortest and longest acceptable recorded sleep)
    let cases = [
        (503, vec![("Retry-After", "7".to_string())], ms(7000), ms(7000)),
        (429, vec![("Retry-After", "2".to_string())], ms(2000), ms(2000)),
        // The date has whole seconds and the clock moves on: anything from 25 s to 30 s.
        (503, vec![("Retry-After", in_30s.clone())], ms(25_000), ms(30_000)),
        (429, vec![("Retry-After", in_30s)], ms(25_000), ms(30_000)),
        (429, vec![("retry-after-ms", "250".to_string())], ms(250), ms(250)),
        (503, vec![("retry-after-ms", "250".to_string())], ms(250), ms(250)),
        (429, vec![("x-ms-retry-after-ms", "250".to_string())], ms(250), ms(250)),
        (503, vec![("x-ms-retry-after-ms", "250".to_string())], ms(250), ms(250)),
        // The millisecond headers are more precise and win over Retry-After.
        (429, vec![("Retry-After", "9".to_string()), ("retry-after-ms", "250".to_string())], ms(250), ms(250)),
        (503, vec![("Retry-After", "9".to_string()), ("x-ms-retry-after-ms", "1250".to_string())], ms(1250), ms(1250)),
    ];
    for (status, headers, shortest, longest) in cases {
        let case = format!("{status} {headers:?}");
        let server = fail_once(status, &headers).await;
        let sleep = FakeSleep::default();
        let p = pipeline(&server, Credential::none(), &sleep);

        let thing = get_thing(&p, "a").await.unwrap_or_else(|e| panic!("{case}: {e}"));

        assert_eq!(thing.name.as_deref(), Some("ok"), "{case}");
        assert_eq!(server.seen().len(), 2, "{case}: one retry");
        let slept = sleep.slept();
        assert_eq!(slept.len(), 1, "{case}: {slept:?}");
        assert!(shortest <= slept[0] && slept[0] <= longest, "{case}: slept {:?}", slept[0]);
    }
}

#[tokio::test]
async fn transient_statuses_are_retried_with_backoff() {
    for status in [408, 429, 500, 502, 503, 504] {
        let server = fail_once(status, &[]).await;
        let sleep = FakeSleep::default();
        let p = pipeline(&server, Credential::none(), &sleep);

        let thing = get_thing(&p, "a").await.unwrap_or_else(|e| panic!("{status}: {e}"));

        assert_eq!(thing.name.as_deref(), Some("ok"), "{status}");
        assert_eq!(server.seen().len(), 2, "{status}: one retry");
        let slept = sleep.slept();
        assert_eq!(slept.len(), 1, "{status}: {slept:?}");
        // No Retry-After: the default first backoff, 800 ms with ±20 % jitter.
        let (low, high) = (Duration::from_millis(640), Duration::from_millis(960));
        assert!(low <= slept[0] && slept[0] <= high, "{status}: slept {:?}", slept[0]);
    }
}

#[tokio::test]
async fn client_errors_are_not_retried_even_with_retry_after() {
    for status in [400, 401, 404, 409, 501] {
        let server = fail_once(status, &[("Retry-After", "1".into())]).await;
        let sleep = FakeSleep::default();
        let p = pipeline(&server, Credential::none(), &sleep);

        let err = get_thing(&p, "a").await.unwrap_err();

        assert_eq!(err.kind(), ErrorKind::Service, "{status}");
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.error_code(), Some("Later"), "{status}");
        assert_eq!(server.seen().len(), 1, "{status}: not retried");
        assert!(sleep.slept().is_empty(), "{status}: {:?}", sleep.slept());
    }
}

#[tokio::test]
async fn connection_refused_is_not_sent() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    drop(listener);
    let options = ClientOptions::default().endpoint(format!("http://{addr}")).retry(RetryOptions::none());
    let p = Pipeline::new(client_info!(), "https://unused.example", "", Credential::none(), options).unwrap();

    let err = get_thing(&p, "a").await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::NotSent, "{err}");
    assert!(!err.was_sent());
}

#[tokio::test]
async fn a_response_slower_than_the_timeout_is_an_io_error_and_is_retried() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let task_requests = requests.clone();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((mut stream, _)) = listener.accept().await {
            // Read the request, never answer.
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await.unwrap_or(0);
            task_requests.lock().unwrap().push(String::from_utf8_lossy(&chunk[..n]).into_owned());
            held.push(stream);
        }
    });
    let sleep = FakeSleep::default();
    let options = ClientOptions::default()
        .endpoint(format!("http://{addr}"))
        .timeout(Duration::from_millis(100))
        .sleep(sleep.clone())
        .retry(RetryOptions::default().max_attempts(2));
    let p = Pipeline::new(client_info!(), "https://unused.example", "", Credential::none(), options).unwrap();

    // A guard so that a missing timeout fails the test instead of hanging it.
    let err = tokio::time::timeout(Duration::from_secs(20), get_thing(&p, "a"))
        .await
        .expect("the request timeout did not fire")
        .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Io, "{err}");
    assert!(err.was_sent());
    assert_eq!(err.message(), "timed out", "{err}");
    assert!(err.to_string().contains("GET /things/a"), "{err}");
    let requests = requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 2, "a timeout is transient: retried once, {requests:?}");
    assert!(requests.iter().all(|r| r.starts_with("GET /things/a HTTP/1.1")), "{requests:?}");
    assert_eq!(sleep.slept().len(), 1, "one backoff between the attempts");
}

#[tokio::test]
async fn the_timeout_covers_a_body_that_trickles_forever() {
    // A head at once, then a byte of body every 20 ms, without end: each read succeeds, so only a
    // bound on the whole attempt (body included) ends it.
    let server = RawServer::start(|mut stream| async move {
        read_request(&mut stream).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        if stream.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        loop {
            if stream.write_all(b"1\r\n \r\n").await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    let options = ClientOptions::default().timeout(Duration::from_millis(300)).retry(no_backoff(1));
    let p = pipeline_at(&server.base, Credential::none(), &FakeSleep::default(), options);

    let started = Instant::now();
    let err = within(20, get_thing(&p, "a")).await.unwrap_err();

    assert_eq!((err.kind(), err.message()), (ErrorKind::Io, "timed out"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(3), "ended after {:?}", started.elapsed());
}

/// A server that reads each request and never answers.
async fn silent() -> RawServer {
    RawServer::start(|mut stream| async move {
        read_request(&mut stream).await;
        tokio::time::sleep(Duration::from_secs(60)).await;
    })
    .await
}

fn no_backoff(attempts: u32) -> RetryOptions {
    RetryOptions::default()
        .max_attempts(attempts)
        .initial_delay(Duration::from_millis(10))
        .max_delay(Duration::from_millis(10))
}

#[tokio::test]
async fn a_post_that_timed_out_after_delivery_is_not_sent_again_but_a_put_is() {
    let server = silent().await;
    let options = || ClientOptions::default().timeout(Duration::from_millis(100)).retry(no_backoff(4));
    let p = pipeline_at(&server.base, Credential::none(), &FakeSleep::default(), options());

    let post = within(20, post_thing(&p, &Thing::default())).await.unwrap_err();
    let posts = server.connections();
    let put = within(20, upsert_thing(&p, "x", &Thing::default())).await.unwrap_err();

    assert_eq!((post.kind(), post.was_sent()), (ErrorKind::Io, true), "{post}");
    assert_eq!(posts, 1, "the service may have applied the POST: it is sent once");
    assert_eq!(put.kind(), ErrorKind::Io, "{put}");
    assert_eq!(server.connections() - posts, 4, "a PUT is idempotent: sent again");
}

#[tokio::test]
async fn a_post_is_retried_on_statuses_the_policy_retries() {
    let server = fail_once(503, &[]).await;
    let p = pipeline(&server, Credential::none(), &FakeSleep::default());

    let thing = post_thing(&p, &Thing { name: Some("p".into()), etag: None }).await.unwrap();

    assert_eq!(thing.name.as_deref(), Some("ok"));
    assert_eq!(requests(&server), ["POST /api/things", "POST /api/things"], "a 503 says it was not acted on");
}

#[tokio::test]
async fn max_total_bounds_the_last_attempt_too() {
    // 1 s per attempt, 2.5 s in all: the third attempt gets what remains, not another second.
    let server = silent().await;
    let retry = no_backoff(4).max_total(Duration::from_millis(2500));
    let options = ClientOptions::default().timeout(Duration::from_secs(1)).retry(retry);
    let p = pipeline_at(&server.base, Credential::none(), &FakeSleep::default(), options);

    let started = Instant::now();
    let err = within(20, get_thing(&p, "a")).await.unwrap_err();
    let took = started.elapsed();

    assert_eq!(err.kind(), ErrorKind::Io, "{err}");
    assert_eq!(server.connections(), 3);
    assert!(took < Duration::from_millis(2900), "the bound held: {took:?}");
    assert!(took >= Duration::from_millis(2400), "the last attempt used what remained: {took:?}");
}

/// Answers every request with a response whose head no client should accept.
async fn oversized_head(headers: String) -> RawServer {
    let headers = Arc::new(headers);
    RawServer::start(move |mut stream| {
        let headers = headers.clone();
        async move {
            read_request(&mut stream).await;
            let head = format!("HTTP/1.1 200 OK\r\n{headers}content-length: 2\r\n\r\n{{}}");
            let _ = stream.write_all(head.as_bytes()).await;
        }
    })
    .await
}

#[tokio::test]
async fn an_invalid_or_oversized_response_head_is_not_retried() {
    let many: String = (0..1000).map(|i| format!("x-h{i}: v\r\n")).collect();
    let huge = format!("x-big: {}\r\n", "a".repeat(1 << 20));
    for (case, headers) in
        [("1,000 headers", many), ("a 1 MB header", huge), ("a broken header", "no colon\r\n".into())]
    {
        let server = oversized_head(headers).await;
        let p = pipeline_at(&server.base, Credential::none(), &FakeSleep::default(), ClientOptions::default());

        let err = within(20, get_thing(&p, "a")).await.unwrap_err();

        assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{case}: {err}");
        assert!(err.was_sent(), "{case}");
        assert_eq!(server.connections(), 1, "{case}: retrying cannot help");
    }
}

#[tokio::test]
async fn a_request_delivered_before_a_redirect_to_a_closed_port_was_sent() {
    let port = closed_port();
    let server =
        Server::start(move |_, _| reply(302, Value::Null).header("Location", format!("http://127.0.0.1:{port}/x")))
            .await;
    let p = pipeline_with(
        &server,
        Credential::none(),
        &FakeSleep::default(),
        ClientOptions::default().retry(RetryOptions::none()),
    );

    let err = get_thing(&p, "a").await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::NotSent, "the redirect's target could not be reached: {err}");
    assert!(err.was_sent(), "the request itself was delivered");
    assert_eq!(server.seen().len(), 1);
}
