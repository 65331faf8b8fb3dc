//! Behaviour of the hand-written runtime (`iot_rest::runtime`) against a tiny local HTTP
//! server: retries, paging, long-running operations, read-only fields, credentials and
//! ETags. Operations are hand-written `Operation` impls, so these tests do not depend on
//! any generated API module. Time is faked: the injected `Sleep` records and returns at once.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::TryStreamExt;
use iot_rest::runtime::*;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

// ---------------------------------------------------------------- mock server

/// One request as the server saw it.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    /// Path and query.
    target: String,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }
}

/// A canned answer.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

fn reply(status: u16, body: Value) -> Reply {
    let body = if body.is_null() { String::new() } else { body.to_string() };
    Reply { status, headers: Vec::new(), body }
}

impl Reply {
    fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }
}

type Handler = dyn Fn(&str, &Seen) -> Reply + Send + Sync;

/// A local HTTP/1.1 server answering each request with `handler(base_url, request)`.
struct Server {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    async fn start(handler: impl Fn(&str, &Seen) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let (task_base, task_seen) = (base.clone(), seen.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (base, seen, handler) = (task_base.clone(), task_seen.clone(), handler.clone());
                tokio::spawn(async move { serve(stream, &base, &seen, &*handler).await });
            }
        });
        Server { base, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

async fn serve(mut stream: TcpStream, base: &str, seen: &Mutex<Vec<Seen>>, handler: &Handler) {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_string();
    let target = request_line.next().unwrap_or_default().to_string();
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    let request = Seen { method, target, headers, body };
    seen.lock().unwrap().push(request.clone());
    let answer = handler(base, &request);
    let mut response =
        format!("HTTP/1.1 {} X\r\ncontent-length: {}\r\nconnection: close\r\n", answer.status, answer.body.len());
    if !answer.body.is_empty() {
        response.push_str("content-type: application/json\r\n");
    }
    for (name, value) in &answer.headers {
        response.push_str(&format!("{name}: {value}\r\n"));
    }
    response.push_str("\r\n");
    response.push_str(&answer.body);
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// Counts calls per request target, so handlers can answer differently the n-th time.
#[derive(Default)]
struct Counter(Mutex<HashMap<String, usize>>);

impl Counter {
    fn next(&self, key: &str) -> usize {
        let mut map = self.0.lock().unwrap();
        let n = map.entry(key.to_string()).or_default();
        *n += 1;
        *n
    }
}

// ---------------------------------------------------------------- fake time

#[derive(Debug, Default, Clone)]
struct FakeSleep(Arc<Mutex<Vec<Duration>>>);

impl Sleep for FakeSleep {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        self.0.lock().unwrap().push(duration);
        Box::pin(async {})
    }
}

impl FakeSleep {
    fn slept(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }
}

fn pipeline(server: &Server, credential: Credential, sleep: &FakeSleep) -> Pipeline {
    pipeline_with(server, credential, sleep, ClientOptions::default())
}

fn pipeline_with(server: &Server, credential: Credential, sleep: &FakeSleep, options: ClientOptions) -> Pipeline {
    let options = options.endpoint(server.base.clone()).sleep(sleep.clone()).poll_interval(Duration::from_secs(1));
    Pipeline::new("https://unused.example", "/api", credential, options).unwrap()
}

// ---------------------------------------------------------------- hand-written operations

#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
struct Thing {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    /// Read-only: decoded, never sent.
    #[serde(default, skip_serializing_if = "iot_rest::runtime::skip_read_only")]
    etag: Option<String>,
}

impl HasEtag for Thing {
    fn etag(&self) -> Option<&str> {
        self.etag.as_deref()
    }
}

#[derive(Debug, Deserialize)]
struct Page {
    value: Vec<Thing>,
    #[serde(rename = "nextLink")]
    next_link: Option<String>,
}

enum GetThing {}
impl Operation for GetThing {
    type Output = Thing;
    type ErrorModel = Value;
    const SUCCESS: &'static [u16] = &[200];
    type Request = ();
    type Body = Json<Thing>;
}

enum PutThing {}
impl Operation for PutThing {
    type Output = Thing;
    type ErrorModel = Value;
    const SUCCESS: &'static [u16] = &[200, 201, 202];
    const LRO: Option<FinalStateVia> = Some(FinalStateVia::Default);
    type Request = ();
    type Body = Json<Thing>;
}

enum UpsertThing {}
impl Operation for UpsertThing {
    type Output = Thing;
    type ErrorModel = Value;
    const SUCCESS: &'static [u16] = &[200, 201];
    type Request = ();
    type Body = Json<Thing>;
}

enum DeleteThing {}
impl Operation for DeleteThing {
    type Output = ();
    type ErrorModel = Value;
    const SUCCESS: &'static [u16] = &[200, 204];
    type Request = ();
    type Body = Empty;
}

enum ListThings {}
impl Operation for ListThings {
    type Output = Page;
    type ErrorModel = Value;
    const SUCCESS: &'static [u16] = &[200];
    type Request = ();
    type Body = Json<Page>;
}
impl Paged for ListThings {
    type Item = Thing;
    fn split(page: Page) -> (Vec<Thing>, Option<String>) {
        (page.value, page.next_link)
    }
}

fn get_thing(p: &Pipeline, id: &str) -> Call<GetThing> {
    Call::new(p.request(Method::GET).path("/things/").path_param(id))
}

fn list_things(p: &Pipeline) -> Call<ListThings> {
    Call::new(p.request(Method::GET).path("/things"))
}

fn put_thing(p: &Pipeline, id: &str, thing: &Thing) -> Call<PutThing> {
    Call::new(p.request(Method::PUT).path("/things/").path_param(id).json_body("application/json", thing))
}

fn names(things: &[Thing]) -> Vec<&str> {
    things.iter().filter_map(|t| t.name.as_deref()).collect()
}

// ---------------------------------------------------------------- retries

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
    assert!(seen[0].header("user-agent").unwrap().starts_with("iot-rest/"));
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

#[tokio::test]
async fn connection_refused_is_not_sent() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    drop(listener);
    let options = ClientOptions::default().endpoint(format!("http://{addr}")).retry(RetryOptions::none());
    let p = Pipeline::new("https://unused.example", "", Credential::none(), options).unwrap();

    let err = get_thing(&p, "a").await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::NotSent, "{err}");
    assert!(!err.was_sent());
}

#[tokio::test]
async fn a_response_slower_than_the_timeout_is_an_io_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream); // never answer
        }
    });
    let options = ClientOptions::default()
        .endpoint(format!("http://{addr}"))
        .timeout(Duration::from_millis(200))
        .retry(RetryOptions::none());
    let p = Pipeline::new("https://unused.example", "", Credential::none(), options).unwrap();

    let err = get_thing(&p, "a").await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Io, "{err}");
    assert!(err.was_sent());
}

// ---------------------------------------------------------------- paging

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
    assert_eq!(server.seen().iter().filter(|s| s.method == "PUT").count(), 1, "resuming does not resend the PUT");
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
    assert!(sleep.slept().iter().sum::<Duration>() <= Duration::from_secs(10));
}

// ---------------------------------------------------------------- bodies and ETags

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
