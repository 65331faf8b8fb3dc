//! Paging: following next links, repeats, other origins.

use futures::TryStreamExt;
use iot_rest::runtime::*;
use serde_json::{json, Value};

use crate::ops::*;
use crate::server::*;

#[tokio::test]
async fn pager_follows_next_link_across_two_pages() {
    let server = Server::start(|base, req| match req.target.as_str() {
        "/api/things" => reply(
            200,
            json!({"value": [{"name": "a"}, {"name": "b"}], "nextLink": format!("{base}/api/things?page=2")}),
        ),
        "/api/things?page=2" => reply(200, json!({"value": [{"name": "c"}]})),
        _ => reply(404, Value::Null),
    })
    .await;
    let p = pipeline(&server, Credential::none(), &FakeSleep::default());

    let things: Vec<Thing> = list_things(&p).items().try_collect().await.unwrap();

    assert_eq!(names(&things), ["a", "b", "c"]);
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn pages_resolve_relative_next_links_and_keep_metadata() {
    let server = Server::start(|_, req| match req.target.as_str() {
        "/api/things" => {
            reply(200, json!({"value": [{"name": "a"}], "nextLink": "things?page=2"})).header("x-ms-request-id", "r1")
        }
        "/api/things?page=2" => reply(200, json!({"value": [{"name": "b"}], "nextLink": ""})),
        _ => reply(404, Value::Null),
    })
    .await;
    let p = pipeline(&server, Credential::none(), &FakeSleep::default());

    let pages: Vec<Response<Page>> = list_things(&p).pages().try_collect().await.unwrap();

    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].request_id(), Some("r1"));
    assert_eq!(names(&pages[1].body().value), ["b"]);
}

#[tokio::test]
async fn pager_stops_on_repeated_next_link() {
    let server = Server::start(|base, req| match req.target.as_str() {
        "/api/things" => reply(200, json!({"value": [{"name": "a"}], "nextLink": format!("{base}/api/things?page=2")})),
        _ => reply(200, json!({"value": [{"name": "b"}], "nextLink": format!("{base}/api/things?page=2")})),
    })
    .await;
    let p = pipeline(&server, Credential::none(), &FakeSleep::default());
    let mut items = list_things(&p).items();

    assert_eq!(items.try_next().await.unwrap().unwrap().name.as_deref(), Some("a"));
    assert_eq!(items.try_next().await.unwrap().unwrap().name.as_deref(), Some("b"));
    let err = items.try_next().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Paging);
    assert!(items.try_next().await.unwrap().is_none(), "the stream ends after the error");
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn pager_stops_when_a_next_link_leads_back_to_the_first_page() {
    let server = Server::start(|base, req| match req.target.as_str() {
        "/api/things" => reply(200, json!({"value": [{"name": "a"}], "nextLink": format!("{base}/api/things?page=2")})),
        "/api/things?page=2" => reply(200, json!({"value": [{"name": "b"}], "nextLink": "/api/things"})),
        _ => reply(404, Value::Null),
    })
    .await;
    let p = pipeline(&server, Credential::none(), &FakeSleep::default());

    let mut items = list_things(&p).items();
    let mut names = Vec::new();
    let err = loop {
        match items.try_next().await {
            Ok(Some(thing)) => names.push(thing.name.unwrap()),
            Ok(None) => panic!("the cycle was not detected: {names:?}"),
            Err(err) => break err,
        }
    };

    assert_eq!(names, ["a", "b"]);
    assert_eq!(err.kind(), ErrorKind::Paging, "{err}");
    assert!(items.try_next().await.unwrap().is_none());
    assert_eq!(requests(&server), ["GET /api/things", "GET /api/things?page=2"]);
}

#[tokio::test]
async fn authorization_is_not_sent_to_another_origin() {
    let other = Server::start(|_, _| reply(200, json!({"value": [{"name": "elsewhere"}]}))).await;
    let other_page = format!("{}/page2", other.base);
    let home =
        Server::start(move |_, _| reply(200, json!({"value": [{"name": "home"}], "nextLink": other_page}))).await;
    let credential = Credential::from(ApiToken::new("SharedAccessSignature sr=app&sig=secret"));
    let p = pipeline(&home, credential, &FakeSleep::default());

    let things: Vec<Thing> = list_things(&p).items().try_collect().await.unwrap();

    assert_eq!(names(&things), ["home", "elsewhere"]);
    assert_eq!(home.seen()[0].header("authorization"), Some("SharedAccessSignature sr=app&sig=secret"));
    let foreign = &other.seen()[0];
    assert_eq!(foreign.target, "/page2");
    assert_eq!(foreign.header("authorization"), None);
    assert!(foreign.header("x-ms-client-request-id").is_some());
}

// ---------------------------------------------------------------- long-running operations
