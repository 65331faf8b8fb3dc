//! Long-running operations: polling, results, failures, resume tokens, bounds.

use std::time::Duration;

use iot_rest::runtime::*;
use serde_json::{json, Value};

use crate::ops::*;
use crate::server::*;

#[tokio::test]
async fn lro_polls_azure_async_operation_to_succeeded_and_gets_the_resource() {
    let counter = Counter::default();
    let server = Server::start(move |base, req| match (req.method.as_str(), req.target.as_str()) {
        ("PUT", "/api/things/x") => {
            reply(201, json!({"name": "x"})).header("Azure-AsyncOperation", format!("{base}/ops/1"))
        }
        ("GET", "/ops/1") => match counter.next("/ops/1") {
            1 => reply(200, json!({"status": "InProgress"})).header("Retry-After", "3"),
            _ => reply(200, json!({"status": "succeeded"})),
        },
        ("GET", "/api/things/x") => reply(200, json!({"name": "x-final", "etag": "\"v2\""})),
        _ => reply(404, Value::Null),
    })
    .await;
    let sleep = FakeSleep::default();
    let p = pipeline(&server, Credential::from(BearerToken::new("t")), &sleep);

    let thing = put_thing(&p, "x", &Thing { name: Some("x".into()), etag: None }).await.unwrap();

    assert_eq!(thing, Thing { name: Some("x-final".into()), etag: Some("\"v2\"".into()) });
    let seen: Vec<String> = server.seen().iter().map(|s| format!("{} {}", s.method, s.target)).collect();
    assert_eq!(seen, ["PUT /api/things/x", "GET /ops/1", "GET /ops/1", "GET /api/things/x"]);
    assert_eq!(sleep.slept(), [Duration::from_secs(1), Duration::from_secs(3)], "poll interval, then Retry-After");
    assert!(server.seen().iter().all(|s| s.header("authorization") == Some("Bearer t")));
}

#[tokio::test]
async fn lro_failed_is_an_error_with_the_service_error() {
    let server = Server::start(|base, req| match req.method.as_str() {
        "PUT" => reply(202, Value::Null).header("Azure-AsyncOperation", format!("{base}/ops/2")),
        _ => reply(200, json!({"status": "Failed", "error": {"code": "Boom", "message": "it broke"}})),
    })
    .await;
    let p = pipeline(&server, Credential::none(), &FakeSleep::default());

    let err = put_thing(&p, "x", &Thing::default()).await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Lro);
    assert_eq!(err.lro_status(), Some("Failed"));
    assert_eq!(err.error_code(), Some("Boom"));
    assert_eq!(err.service_error::<Value>().unwrap()["message"], "it broke");
    assert!(err.to_string().contains("it broke"), "{err}");
}

#[tokio::test]
async fn poller_can_be_driven_step_by_step_and_resumed_from_a_token() {
    let counter = Counter::default();
    let server = Server::start(move |base, req| match (req.method.as_str(), req.target.as_str()) {
        ("PUT", _) => reply(202, Value::Null).header("Location", format!("{base}/api/results/7")),
        _ => match counter.next("/results/7") {
            1 => reply(202, Value::Null),
            _ => reply(200, json!({"name": "done"})),
        },
    })
    .await;
    let p = pipeline(&server, Credential::none(), &FakeSleep::default());
    let mut poller = put_thing(&p, "x", &Thing::default()).into_poller();
    assert!(poller.resume_token().is_none(), "nothing sent yet");

    assert_eq!(poller.poll().await.unwrap(), PollStatus::InProgress);
    let token = poller.resume_token().unwrap();
    drop(poller);
    let mut resumed = put_thing(&p, "x", &Thing::default()).resume_poller(&token).unwrap();
    assert_eq!(resumed.poll().await.unwrap(), PollStatus::InProgress);
    assert_eq!(resumed.poll().await.unwrap(), PollStatus::Succeeded);
    let thing = resumed.wait().await.unwrap();

    assert_eq!(thing.name.as_deref(), Some("done"));
    assert_eq!(
        requests(&server),
        ["PUT /api/things/x", "GET /api/results/7", "GET /api/results/7"],
        "resuming does not resend the PUT"
    );
}

#[tokio::test]
async fn a_resume_token_works_in_a_new_client_and_bad_tokens_are_refused() {
    let counter = Counter::default();
    let server = Server::start(move |base, req| match (req.method.as_str(), req.target.as_str()) {
        ("PUT", "/api/things/x") => reply(201, Value::Null).header("Azure-AsyncOperation", format!("{base}/ops/9")),
        ("GET", "/ops/9") => match counter.next("/ops/9") {
            1 => reply(200, json!({"status": "Running"})).header("Retry-After", "4"),
            _ => reply(200, json!({"status": "Succeeded"})),
        },
        ("GET", "/api/things/x") => reply(200, json!({"name": "resumed"})),
        _ => reply(404, Value::Null),
    })
    .await;
    let first = pipeline(&server, Credential::from(BearerToken::new("tok-secret")), &FakeSleep::default());
    let mut poller = put_thing(&first, "x", &Thing::default()).into_poller();
    assert_eq!(poller.poll().await.unwrap(), PollStatus::InProgress);
    let token = poller.resume_token().unwrap();
    drop((poller, first));
    assert!(!token.contains("tok-secret"), "tokens may be stored: no credentials in them: {token}");

    let sleep = FakeSleep::default();
    let second = pipeline(&server, Credential::from(BearerToken::new("tok-secret")), &sleep);
    let thing = put_thing(&second, "x", &Thing::default()).resume_poller(&token).unwrap().await.unwrap();

    assert_eq!(thing.name.as_deref(), Some("resumed"));
    assert_eq!(requests(&server), ["PUT /api/things/x", "GET /ops/9", "GET /ops/9", "GET /api/things/x"]);
    assert_eq!(sleep.slept(), [Duration::from_secs(4)], "the resumed poller honours the Retry-After it sees");
    for bad in ["", "not json", "{}", r#"{"version":1}"#] {
        let err = put_thing(&second, "x", &Thing::default()).resume_poller(bad).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotBuilt, "{bad:?}");
    }
    assert_eq!(server.seen().len(), 4, "bad tokens send nothing");
}

#[tokio::test]
async fn lro_that_never_finishes_stops_at_max_poll_wait() {
    let server = Server::start(|base, req| match req.method.as_str() {
        "PUT" => reply(201, Value::Null).header("Operation-Location", format!("{base}/ops/3")),
        _ => reply(200, json!({"status": "Running"})),
    })
    .await;
    let sleep = FakeSleep::default();
    let options = ClientOptions::default().max_poll_wait(Duration::from_secs(10));
    let p = pipeline_with(&server, Credential::none(), &sleep, options);

    let err = put_thing(&p, "x", &Thing::default()).await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Lro);
    assert_eq!(err.lro_status(), Some("Running"));
    assert_eq!(err.status(), Some(200), "the status of the last poll");
    let slept = sleep.slept();
    // Poll interval 1 s: it waits until the next wait would pass 10 s (request time counts too), then stops.
    assert!(slept.iter().all(|d| *d == Duration::from_secs(1)), "{slept:?}");
    // Normally 9 waits; slow machines spend more of the budget in requests.
    assert!((5..=10).contains(&slept.len()), "{slept:?}");
    let polls = server.seen().iter().filter(|s| s.method == "GET" && s.target == "/ops/3").count();
    assert_eq!(polls, slept.len(), "one poll after each wait, none after giving up");
}

#[tokio::test]
async fn lro_status_monitors_on_another_origin_are_polled_without_authorization_when_allowed() {
    let other_counter = Counter::default();
    let other = Server::start(move |_, req| match req.target.as_str() {
        "/ops/1" => reply(200, json!({"status": "Succeeded"})),
        "/results/y" => match other_counter.next("/results/y") {
            1 => reply(202, Value::Null),
            _ => reply(204, Value::Null),
        },
        _ => reply(404, Value::Null),
    })
    .await;
    let other_base = other.base.clone();
    let home = Server::start(move |_, req| match (req.method.as_str(), req.target.as_str()) {
        ("PUT", "/api/things/x") => {
            reply(201, json!({"name": "x"})).header("Azure-AsyncOperation", format!("{other_base}/ops/1"))
        }
        ("GET", "/api/things/x") => reply(200, json!({"name": "x-final"})),
        ("DELETE", "/api/things/y") => reply(202, Value::Null).header("Location", format!("{other_base}/results/y")),
        _ => reply(404, Value::Null),
    })
    .await;
    let sleep = FakeSleep::default();
    let options = ClientOptions::default().cross_origin_polling(true);
    let p = pipeline_with(&home, Credential::from(BearerToken::new("home-only")), &sleep, options);

    let thing = put_thing(&p, "x", &Thing { name: Some("x".into()), etag: None }).await.unwrap();
    delete_thing_lro(&p, "y").await.unwrap();

    assert_eq!(thing.name.as_deref(), Some("x-final"), "the final GET went to the original URI");
    assert_eq!(requests(&home), ["PUT /api/things/x", "GET /api/things/x", "DELETE /api/things/y"]);
    assert!(home.seen().iter().all(|s| s.header("authorization") == Some("Bearer home-only")));
    assert_eq!(requests(&other), ["GET /ops/1", "GET /results/y", "GET /results/y"]);
    for foreign in other.seen() {
        assert_eq!(foreign.header("authorization"), None, "{} {}", foreign.method, foreign.target);
        assert!(foreign.header("x-ms-client-request-id").is_some());
    }
}

#[tokio::test]
async fn status_monitors_and_results_on_another_origin_are_refused_by_default() {
    let other = Server::start(|_, _| reply(200, json!({"status": "Succeeded", "name": "foreign"}))).await;
    let other_base = other.base.clone();
    let home = Server::start(move |base, req| match (req.method.as_str(), req.target.as_str()) {
        ("PUT", "/api/things/monitor") => {
            reply(201, json!({})).header("Azure-AsyncOperation", format!("{other_base}/ops/1?sig=SECRET"))
        }
        ("PUT", "/api/things/location") => reply(202, Value::Null).header("Location", format!("{other_base}/result")),
        // The monitor is at home; its result is named elsewhere.
        ("POST", "/api/things/result") => reply(202, Value::Null)
            .header("Operation-Location", format!("{base}/api/ops/2"))
            .header("Location", format!("{other_base}/result")),
        ("GET", "/api/ops/2") => reply(200, json!({"status": "Succeeded"})),
        _ => reply(404, Value::Null),
    })
    .await;
    let p = pipeline(&home, Credential::from(BearerToken::new("home-only")), &FakeSleep::default());

    for id in ["monitor", "location"] {
        let err = put_thing(&p, id, &Thing::default()).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::CrossOrigin, "{id}: {err}");
        assert!(err.was_sent(), "{id}: the operation was started");
        assert!(!err.to_string().contains("SECRET"), "{err}");
    }
    let via_location: Call<PostLocation> = Call::new(p.request(Method::POST).path("/things/result"));
    let err = via_location.await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::CrossOrigin, "the foreign result never becomes the operation's: {err}");
    assert!(other.seen().is_empty(), "nothing was requested from the other origin");
}

/// A long-running POST whose result is read from `Location`.
enum PostLocation {}
impl Operation for PostLocation {
    type Output = Thing;
    type ErrorModel = Value;
    const SUCCESS: &'static [u16] = &[200, 202];
    const LRO: Option<FinalStateVia> = Some(FinalStateVia::Location);
    type Request = ();
    type Body = Json<Thing>;
}

/// Starts an operation whose status monitor answers `Running` with `retry_after` `polls` times, then `Succeeded`.
async fn running(polls: usize, retry_after: String) -> Server {
    let counter = Counter::default();
    Server::start(move |base, req| match req.method.as_str() {
        "PUT" => reply(201, json!({})).header("Azure-AsyncOperation", format!("{base}/api/ops/1")),
        _ if req.target == "/api/ops/1" && counter.next("ops") <= polls => {
            reply(200, json!({"status": "Running"})).header("Retry-After", retry_after.clone())
        }
        _ if req.target == "/api/ops/1" => reply(200, json!({"status": "Succeeded"})),
        _ => reply(200, json!({"name": "done"})),
    })
    .await
}

#[tokio::test]
async fn a_retry_after_of_zero_or_in_the_past_polls_no_faster_than_the_minimum_delay() {
    let past = http_date(time::OffsetDateTime::now_utc() - time::Duration::hours(1));
    for retry_after in ["0".to_string(), past] {
        let server = running(3, retry_after.clone()).await;
        let sleep = FakeSleep::default();
        let p = pipeline(&server, Credential::none(), &sleep);

        put_thing(&p, "x", &Thing::default()).await.unwrap();

        assert_eq!(sleep.slept(), [Duration::from_secs(1); 4], "{retry_after}: the default minimum, 1 s");
    }
    let server = running(2, "0".into()).await;
    let sleep = FakeSleep::default();
    let p = pipeline_with(&server, Credential::none(), &sleep, ClientOptions::default().min_poll_delay(Duration::ZERO));
    put_thing(&p, "x", &Thing::default()).await.unwrap();
    assert_eq!(
        sleep.slept(),
        [Duration::from_secs(1), Duration::ZERO, Duration::ZERO],
        "the minimum can be turned off"
    );
}

#[tokio::test]
async fn next_poll_delay_never_reaches_past_the_maximum_wait() {
    let server = running(5, "86400".into()).await;
    let options = ClientOptions::default().max_poll_wait(Duration::from_secs(600));
    let p = pipeline_with(&server, Credential::none(), &FakeSleep::default(), options);
    let mut poller = put_thing(&p, "x", &Thing::default()).into_poller();

    assert_eq!(poller.poll().await.unwrap(), PollStatus::InProgress);
    assert_eq!(poller.poll().await.unwrap(), PollStatus::InProgress);

    let delay = poller.next_poll_delay();
    assert!(delay <= Duration::from_secs(600) && delay > Duration::from_secs(590), "{delay:?}");
    let err = poller.wait().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Lro, "a day is not waited out: {err}");
}

#[tokio::test]
async fn a_poller_driven_by_hand_stops_at_the_maximum_wait() {
    let server = running(usize::MAX, "0".into()).await;
    let options = ClientOptions::default().max_poll_wait(Duration::from_millis(300));
    let p = pipeline_with(&server, Credential::none(), &FakeSleep::default(), options);
    let mut poller = put_thing(&p, "x", &Thing::default()).into_poller();

    assert_eq!(poller.poll().await.unwrap(), PollStatus::InProgress);
    tokio::time::sleep(poller.next_poll_delay()).await;
    let err = poller.poll().await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Lro, "{err}");
    assert!(err.to_string().contains("did not finish within"), "{err}");
    assert_eq!(requests(&server), ["PUT /api/things/x"], "nothing is sent past the bound");
}
