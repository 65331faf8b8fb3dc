//! Behaviour of the hand-written runtime (`iot_rest::runtime`) against a tiny local HTTP
//! server: retries, timeouts, paging, long-running operations, read-only fields, credentials,
//! redaction and ETags. Most operations are hand-written `Operation` impls, so those tests do not
//! depend on any generated API module; the last sections drive the generated IoT Central and DPS
//! clients end to end. Time is faked: the injected `Sleep` records and returns at once.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::TryStreamExt;
use iot_rest::runtime::*;
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
    Pipeline::new(client_info!(), "https://unused.example", "/api", credential, options).unwrap()
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

/// `METHOD target` of every request the server saw, in order.
fn requests(server: &Server) -> Vec<String> {
    server.seen().iter().map(|s| format!("{} {}", s.method, s.target)).collect()
}

enum DeleteThingLro {}
impl Operation for DeleteThingLro {
    type Output = ();
    type ErrorModel = Value;
    const SUCCESS: &'static [u16] = &[200, 202, 204];
    const LRO: Option<FinalStateVia> = Some(FinalStateVia::Default);
    type Request = ();
    type Body = Empty;
}

fn delete_thing_lro(p: &Pipeline, id: &str) -> Call<DeleteThingLro> {
    Call::new(p.request(Method::DELETE).path("/things/").path_param(id))
}

/// `when` as an HTTP date (RFC 1123, always GMT), e.g. `Thu, 12 Oct 2017 19:23:50 GMT`.
fn http_date(when: time::OffsetDateTime) -> String {
    let when = when.to_offset(time::UtcOffset::UTC);
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        &when.weekday().to_string()[..3],
        when.day(),
        &when.month().to_string()[..3],
        when.year(),
        when.hour(),
        when.minute(),
        when.second()
    )
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
async fn lro_status_monitors_on_another_origin_are_polled_without_authorization() {
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
    let p = pipeline(&home, Credential::from(BearerToken::new("home-only")), &sleep);

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

#[tokio::test]
async fn secrets_never_appear_in_debug_output_or_errors() {
    const SECRET: &str = "SharedAccessSignature sr=app&sig=TOP-SECRET-SIG&skn=admin";
    const BEARER: &str = "TOP-SECRET-BEARER";
    let server = Server::start(|_, _| {
        reply(401, json!({"error": {"code": "Unauthorized", "message": "token rejected"}}))
            .header("x-ms-request-id", "r401")
    })
    .await;
    let sleep = FakeSleep::default();
    let p = pipeline(&server, Credential::from(ApiToken::new(SECRET)), &sleep);
    let iotc = iot_rest::iot_central::v2022_07_31::Client::with_options(
        "myapp",
        ApiToken::new(SECRET),
        ClientOptions::default().endpoint(server.base.clone()).sleep(sleep.clone()),
    )
    .unwrap();
    let dps = iot_rest::dps::v2017_11_15::Client::with_options(
        "sub1",
        BearerToken::new(BEARER),
        ClientOptions::default().endpoint(server.base.clone()).sleep(sleep.clone()),
    )
    .unwrap();

    let pipeline_err = get_thing(&p, "a").await.unwrap_err();
    let client_err = iotc.devices().get("dev1").await.unwrap_err();
    let dps_err = dps.iot_dps_resource().get("rg1", "dps1").await.unwrap_err();

    let seen = server.seen();
    assert_eq!(seen.len(), 3, "401 is not retried");
    assert_eq!(seen[0].header("authorization"), Some(SECRET), "the token was really sent");
    assert_eq!(seen[1].header("authorization"), Some(SECRET));
    assert_eq!(seen[2].header("authorization"), Some(format!("Bearer {BEARER}").as_str()));
    for err in [&pipeline_err, &client_err, &dps_err] {
        assert_eq!(err.kind(), ErrorKind::Service);
        assert_eq!(err.status(), Some(401));
        assert_eq!(err.error_code(), Some("Unauthorized"));
    }
    let outputs = [
        format!("{:?}", ApiToken::new(SECRET)),
        format!("{:?}", BearerToken::new(BEARER)),
        format!("{:?}", Credential::from(ApiToken::new(SECRET))),
        format!("{:#?}", Credential::from(BearerToken::new(BEARER))),
        format!("{:?}", AccessToken { token: BEARER.into(), expires_on: time::OffsetDateTime::now_utc() }),
        format!("{p:?}"),
        format!("{p:#?}"),
        format!("{iotc:?}"),
        format!("{dps:#?}"),
        format!("{:?}", put_thing(&p, "x", &Thing::default()).into_poller()),
        format!("{pipeline_err:?}"),
        format!("{pipeline_err:#?}"),
        format!("{pipeline_err}"),
        format!("{client_err:?}"),
        format!("{client_err}"),
        format!("{dps_err:?}"),
        format!("{dps_err}"),
    ];
    for output in &outputs {
        for secret in ["TOP-SECRET", "sig="] {
            assert!(!output.contains(secret), "{secret} leaked: {output}");
        }
    }
    assert!(outputs[..4].iter().all(|o| o.contains("<redacted>")), "{outputs:?}");
    assert!(outputs[5].contains("<redacted>"), "the pipeline shows that there is a credential: {}", outputs[5]);
    assert!(outputs[12].contains("token rejected") && outputs[12].contains("r401"), "{}", outputs[12]);
}

// ---------------------------------------------------------------- IoT Central (generated client)

#[tokio::test]
async fn iot_central_update_sends_a_merge_patch_with_only_the_set_fields() {
    use iot_rest::iot_central::v2022_07_31::{models::DevicePatch, Client};
    const TOKEN: &str = "SharedAccessSignature sr=0123&sig=abc%3D&skn=operator&se=1700000000000";
    let server = Server::start(|_, _| {
        reply(
            200,
            json!({
                "id": "dev1", "etag": "\"e2\"", "displayName": "Thermostat", "template": "dtmi:contoso:T;1",
                "enabled": false, "provisioned": true, "simulated": false, "organizations": ["org1"]
            }),
        )
        .header("ETag", "\"e2\"")
    })
    .await;
    let options = ClientOptions::default().endpoint(server.base.clone()).sleep(FakeSleep::default());
    let client = Client::with_options("myapp", ApiToken::new(TOKEN), options).unwrap();
    // Read-only fields set on purpose: they must not be sent.
    let patch =
        DevicePatch { enabled: Some(false), id: Some("other".into()), provisioned: Some(false), ..Default::default() };

    let device = client.devices().update("dev1", &patch).await.unwrap();

    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    let sent = &seen[0];
    assert_eq!(sent.method, "PATCH");
    let (path, query) = sent.target.split_once('?').unwrap();
    assert_eq!(path, "/api/devices/dev1");
    assert_eq!(query, "api-version=2022-07-31");
    assert_eq!(sent.header("content-type"), Some("application/merge-patch+json"));
    assert_eq!(String::from_utf8_lossy(&sent.body), r#"{"enabled":false}"#);
    assert_eq!(sent.header("authorization"), Some(TOKEN), "IoT Central API tokens are sent verbatim");
    assert_eq!(device.id.as_deref(), Some("dev1"));
    assert_eq!(device.enabled, Some(false));
    assert_eq!(device.provisioned, Some(true));
    assert_eq!(device.etag.as_deref(), Some("\"e2\""));
    assert_eq!(device.organizations, Some(vec!["org1".to_string()]));
}

/// Records the name and target of every span created while it is the thread's default subscriber.
#[derive(Clone, Default)]
struct SpanNames(Arc<Mutex<Vec<(String, String)>>>);

impl tracing::Subscriber for SpanNames {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut names = self.0.lock().unwrap();
        names.push((span.metadata().name().to_string(), span.metadata().target().to_string()));
        tracing::span::Id::from_u64(names.len() as u64)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, _: &tracing::Event<'_>) {}
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn a_generated_client_names_itself_in_user_agent_and_request_spans() {
    use iot_rest::iot_central::v2022_07_31::Client;
    let server = Server::start(|_, _| reply(200, json!({"id": "dev1"}))).await;
    let options = ClientOptions::default().endpoint(server.base.clone());
    let client = Client::with_options("myapp", ApiToken::new("t"), options).unwrap();
    let spans = SpanNames::default();
    let _default = tracing::subscriber::set_default(spans.clone());

    client.devices().get("dev1").await.unwrap();

    let seen = server.seen();
    assert_eq!(seen[0].header("user-agent"), Some("iot-rest/0.1.0 iot-rest-runtime/0.1.0"));
    let names = spans.0.lock().unwrap().clone();
    let request = ("iot_rest.request".to_string(), "iot_rest::iot_central::v2022_07_31".to_string());
    assert!(names.contains(&request), "{names:?}");
}

// ---------------------------------------------------------------- DPS (generated client, ARM LROs)

const DPS: &str = "/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Devices/provisioningServices/dps1";
const DPS_QUERY: &str = "?api-version=2017-11-15";

fn dps_client(server: &Server, sleep: &FakeSleep) -> iot_rest::dps::v2017_11_15::Client {
    let options = ClientOptions::default().endpoint(server.base.clone()).sleep(sleep.clone());
    iot_rest::dps::v2017_11_15::Client::with_options("sub1", BearerToken::new("arm-token"), options).unwrap()
}

/// The provisioning service as the resource GET returns it.
fn dps_resource(state: &str, tags: Value) -> Value {
    json!({
        "id": DPS, "name": "dps1", "type": "Microsoft.Devices/provisioningServices", "location": "westus",
        "etag": "AAAAAAFD6M4=", "tags": tags,
        "properties": {
            "provisioningState": state, "state": "Active", "idScope": "0ne00000A0A",
            "serviceOperationsHostName": "dps1.azure-devices-provisioning.net"
        },
        "sku": {"name": "S1", "tier": "Standard", "capacity": 1}
    })
}

fn assert_all_authorized(server: &Server) {
    for s in server.seen() {
        assert_eq!(s.header("authorization"), Some("Bearer arm-token"), "{} {}", s.method, s.target);
    }
}

#[tokio::test]
async fn dps_create_or_update_polls_azure_async_operation_then_gets_the_resource() {
    use iot_rest::dps::v2017_11_15::models::{IotDpsSku, IotDpsSkuInfo, ProvisioningServiceDescription, State};
    let counter = Counter::default();
    let server = Server::start(move |base, req| {
        let monitor = format!("{DPS}/operationresults/op1{DPS_QUERY}&asyncinfo");
        match (req.method.as_str(), req.target.as_str()) {
            ("PUT", t) if t == format!("{DPS}{DPS_QUERY}") => {
                let mut body = dps_resource("Accepted", json!({"env": "test"}));
                body["properties"] = json!({"provisioningState": "Accepted"});
                reply(201, body).header("Azure-AsyncOperation", format!("{base}{monitor}")).header("Retry-After", "2")
            }
            ("GET", t) if t == monitor => match counter.next(t) {
                1 => reply(200, json!({"status": "Running"})).header("Retry-After", "3"),
                _ => reply(200, json!({"status": "Succeeded"})),
            },
            ("GET", t) if t == format!("{DPS}{DPS_QUERY}") => {
                reply(200, dps_resource("Succeeded", json!({"env": "test"})))
            }
            _ => reply(404, Value::Null),
        }
    })
    .await;
    let sleep = FakeSleep::default();
    let client = dps_client(&server, &sleep);
    let description = ProvisioningServiceDescription {
        location: "westus".into(),
        name: Some("read-only, not sent".into()),
        tags: Some([("env".to_string(), "test".to_string())].into()),
        sku: IotDpsSkuInfo { name: Some(IotDpsSku::S1), capacity: Some(1), ..Default::default() },
        ..Default::default()
    };

    let created = client.iot_dps_resource().create_or_update("rg1", "dps1", &description).await.unwrap();

    assert_eq!(created.name.as_deref(), Some("dps1"));
    assert_eq!(created.id.as_deref(), Some(DPS));
    assert_eq!(created.properties.provisioning_state.as_deref(), Some("Succeeded"));
    assert_eq!(created.properties.state, Some(State::Active));
    assert_eq!(created.properties.id_scope.as_deref(), Some("0ne00000A0A"));
    assert_eq!(created.sku.name, Some(IotDpsSku::S1));
    assert_eq!(
        requests(&server),
        [
            format!("PUT {DPS}{DPS_QUERY}"),
            format!("GET {DPS}/operationresults/op1{DPS_QUERY}&asyncinfo"),
            format!("GET {DPS}/operationresults/op1{DPS_QUERY}&asyncinfo"),
            format!("GET {DPS}{DPS_QUERY}"),
        ]
    );
    let put = &server.seen()[0];
    assert_eq!(put.header("content-type"), Some("application/json"));
    assert_eq!(
        put.json(),
        json!({"location": "westus", "tags": {"env": "test"}, "properties": {}, "sku": {"name": "S1", "capacity": 1}})
    );
    assert_eq!(sleep.slept(), [Duration::from_secs(2), Duration::from_secs(3)], "the Retry-After of each response");
    assert_all_authorized(&server);
}

#[tokio::test]
async fn dps_update_patches_tags_and_polls_to_the_updated_resource() {
    use iot_rest::dps::v2017_11_15::models::TagsResource;
    let counter = Counter::default();
    let server = Server::start(move |base, req| {
        let monitor = format!("{DPS}/operationresults/op2{DPS_QUERY}&asyncinfo");
        match (req.method.as_str(), req.target.as_str()) {
            ("PATCH", t) if t == format!("{DPS}{DPS_QUERY}") => {
                reply(200, dps_resource("Updating", json!({"env": "prod"})))
                    .header("Azure-AsyncOperation", format!("{base}{monitor}"))
                    .header("Retry-After", "5")
            }
            ("GET", t) if t == monitor => match counter.next(t) {
                1 => reply(200, json!({"status": "Running"})).header("Retry-After", "1"),
                _ => reply(200, json!({"status": "Succeeded"})),
            },
            ("GET", t) if t == format!("{DPS}{DPS_QUERY}") => {
                reply(200, dps_resource("Succeeded", json!({"env": "prod"})))
            }
            _ => reply(404, Value::Null),
        }
    })
    .await;
    let sleep = FakeSleep::default();
    let client = dps_client(&server, &sleep);
    let tags = TagsResource { tags: Some([("env".to_string(), "prod".to_string())].into()), ..Default::default() };

    let updated = client.iot_dps_resource().update("rg1", "dps1", &tags).await.unwrap();

    assert_eq!(updated.properties.provisioning_state.as_deref(), Some("Succeeded"));
    assert_eq!(updated.tags, tags.tags);
    assert_eq!(
        requests(&server),
        [
            format!("PATCH {DPS}{DPS_QUERY}"),
            format!("GET {DPS}/operationresults/op2{DPS_QUERY}&asyncinfo"),
            format!("GET {DPS}/operationresults/op2{DPS_QUERY}&asyncinfo"),
            format!("GET {DPS}{DPS_QUERY}"),
        ]
    );
    assert_eq!(server.seen()[0].json(), json!({"tags": {"env": "prod"}}));
    assert_eq!(sleep.slept(), [Duration::from_secs(5), Duration::from_secs(1)]);
    assert_all_authorized(&server);
}

#[tokio::test]
async fn dps_delete_follows_location_until_it_stops_answering_202() {
    let counter = Counter::default();
    let server = Server::start(move |base, req| {
        let location = format!("{DPS}/operationresults/op3{DPS_QUERY}");
        match (req.method.as_str(), req.target.as_str()) {
            ("DELETE", t) if t == format!("{DPS}{DPS_QUERY}") => {
                reply(202, Value::Null).header("Location", format!("{base}{location}")).header("Retry-After", "4")
            }
            ("GET", t) if t == location => match counter.next(t) {
                1 => reply(202, Value::Null).header("Retry-After", "6"),
                _ => reply(204, Value::Null),
            },
            _ => reply(404, Value::Null),
        }
    })
    .await;
    let sleep = FakeSleep::default();
    let client = dps_client(&server, &sleep);

    client.iot_dps_resource().delete("rg1", "dps1").await.unwrap();

    assert_eq!(
        requests(&server),
        [
            format!("DELETE {DPS}{DPS_QUERY}"),
            format!("GET {DPS}/operationresults/op3{DPS_QUERY}"),
            format!("GET {DPS}/operationresults/op3{DPS_QUERY}"),
        ]
    );
    assert!(server.seen()[0].body.is_empty());
    assert_eq!(sleep.slept(), [Duration::from_secs(4), Duration::from_secs(6)]);
    assert_all_authorized(&server);
}

#[tokio::test]
async fn dps_delete_driven_step_by_step_reports_the_delay_to_wait() {
    let counter = Counter::default();
    let server = Server::start(move |base, req| match req.method.as_str() {
        "DELETE" => reply(202, Value::Null).header("Location", format!("{base}{DPS}/operationresults/op4")),
        _ => match counter.next("op4") {
            1 => reply(202, Value::Null).header("Retry-After", "9"),
            _ => reply(200, Value::Null),
        },
    })
    .await;
    let sleep = FakeSleep::default();
    let client = dps_client(&server, &sleep);
    let mut poller = client.iot_dps_resource().delete("rg1", "dps1").into_poller();

    assert_eq!(poller.poll().await.unwrap(), PollStatus::InProgress);
    assert_eq!(poller.next_poll_delay(), Duration::from_secs(5), "no Retry-After: the default poll interval");
    assert!(poller.resume_token().is_some());
    assert_eq!(poller.poll().await.unwrap(), PollStatus::InProgress);
    assert_eq!(poller.last_status(), Some("Accepted"));
    assert_eq!(poller.next_poll_delay(), Duration::from_secs(9));
    assert_eq!(poller.poll().await.unwrap(), PollStatus::Succeeded);
    assert!(poller.resume_token().is_none(), "nothing to resume after the end");
    poller.wait().await.unwrap();

    let op = format!("GET {DPS}/operationresults/op4");
    assert_eq!(requests(&server), [format!("DELETE {DPS}{DPS_QUERY}"), op.clone(), op]);
    assert!(sleep.slept().is_empty(), "poll() never sleeps");
}

#[tokio::test]
async fn dps_operation_that_fails_is_an_lro_error_with_the_service_error() {
    use iot_rest::dps::v2017_11_15::models::{ErrorDetails, ProvisioningServiceDescription};
    let server = Server::start(|base, req| match req.method.as_str() {
        "PUT" => reply(201, json!({"location": "westus", "properties": {}, "sku": {}}))
            .header("Azure-AsyncOperation", format!("{base}{DPS}/operationresults/op5{DPS_QUERY}")),
        _ => reply(200, json!({"status": "Failed", "error": {"code": "X", "message": "boom"}})),
    })
    .await;
    let sleep = FakeSleep::default();
    let description = ProvisioningServiceDescription { location: "westus".into(), ..Default::default() };

    let err =
        dps_client(&server, &sleep).iot_dps_resource().create_or_update("rg1", "dps1", &description).await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Lro, "{err}");
    assert_eq!(err.lro_status(), Some("Failed"));
    assert_eq!(err.status(), Some(200), "the status monitor's response");
    assert_eq!(err.error_code(), Some("X"));
    assert!(err.to_string().contains("boom"), "{err}");
    assert!(err.body().unwrap().contains("boom"));
    let model = err.service_error::<ErrorDetails>().expect("the nested error decoded as the operation's model");
    // The spec's ErrorDetails spells its members `Code`/`Message`; ARM monitors send `code`/`message`.
    let code = model.code.as_deref().or(model.additional_properties.get("code").and_then(Value::as_str));
    let message = model.message.as_deref().or(model.additional_properties.get("message").and_then(Value::as_str));
    assert_eq!((code, message), (Some("X"), Some("boom")), "{model:?}");
    assert_eq!(
        requests(&server),
        [format!("PUT {DPS}{DPS_QUERY}"), format!("GET {DPS}/operationresults/op5{DPS_QUERY}")]
    );
}
