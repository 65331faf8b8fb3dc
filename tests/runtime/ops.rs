//! What the tests share besides the server: fake time, pipelines on a test server, and
//! hand-written operations (so most tests do not depend on any generated API module).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use iot_rest::runtime::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::server::Server;

#[derive(Debug, Default, Clone)]
pub struct FakeSleep(Arc<Mutex<Vec<Duration>>>);

impl Sleep for FakeSleep {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        self.0.lock().unwrap().push(duration);
        Box::pin(async {})
    }
}

impl FakeSleep {
    pub fn slept(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }
}

pub fn pipeline(server: &Server, credential: Credential, sleep: &FakeSleep) -> Pipeline {
    pipeline_with(server, credential, sleep, ClientOptions::default())
}

pub fn pipeline_with(server: &Server, credential: Credential, sleep: &FakeSleep, options: ClientOptions) -> Pipeline {
    pipeline_at(&server.base, credential, sleep, options)
}

/// A pipeline on `base` + `/api`, with fake time and a 1 s poll interval.
pub fn pipeline_at(base: &str, credential: Credential, sleep: &FakeSleep, options: ClientOptions) -> Pipeline {
    let options = options.endpoint(base).sleep(sleep.clone()).poll_interval(Duration::from_secs(1));
    Pipeline::new(client_info!(), "https://unused.example", "/api", credential, options).unwrap()
}

/// `future`'s output, or a failed test after `seconds`: a bound that does not hold fails instead of hanging.
pub async fn within<F: std::future::IntoFuture>(seconds: u64, future: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(seconds), future.into_future()).await.expect("no result within the bound")
}

// ---------------------------------------------------------------- hand-written operations

#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thing {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Read-only: decoded, never sent.
    #[serde(default, skip_serializing_if = "iot_rest::runtime::skip_read_only")]
    pub etag: Option<String>,
}

impl HasEtag for Thing {
    fn etag(&self) -> Option<&str> {
        self.etag.as_deref()
    }
}

#[derive(Debug, Deserialize)]
pub struct Page {
    pub value: Vec<Thing>,
    #[serde(rename = "nextLink")]
    pub next_link: Option<String>,
}

pub enum GetThing {}
impl Operation for GetThing {
    type Output = Thing;
    type ErrorModel = Value;
    const SUCCESS: &'static [u16] = &[200];
    type Request = ();
    type Body = Json<Thing>;
}

pub enum PutThing {}
impl Operation for PutThing {
    type Output = Thing;
    type ErrorModel = Value;
    const SUCCESS: &'static [u16] = &[200, 201, 202];
    const LRO: Option<FinalStateVia> = Some(FinalStateVia::Default);
    type Request = ();
    type Body = Json<Thing>;
}

pub enum UpsertThing {}
impl Operation for UpsertThing {
    type Output = Thing;
    type ErrorModel = Value;
    const SUCCESS: &'static [u16] = &[200, 201];
    type Request = ();
    type Body = Json<Thing>;
}

pub enum DeleteThing {}
impl Operation for DeleteThing {
    type Output = ();
    type ErrorModel = Value;
    const SUCCESS: &'static [u16] = &[200, 204];
    type Request = ();
    type Body = Empty;
}

pub enum ListThings {}
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

pub fn get_thing(p: &Pipeline, id: &str) -> Call<GetThing> {
    Call::new(p.request(Method::GET).path("/things/").path_param(id))
}

pub fn list_things(p: &Pipeline) -> Call<ListThings> {
    Call::new(p.request(Method::GET).path("/things"))
}

pub fn put_thing(p: &Pipeline, id: &str, thing: &Thing) -> Call<PutThing> {
    Call::new(p.request(Method::PUT).path("/things/").path_param(id).json_body("application/json", thing))
}

pub fn upsert_thing(p: &Pipeline, id: &str, thing: &Thing) -> Call<UpsertThing> {
    Call::new(p.request(Method::PUT).path("/things/").path_param(id).json_body("application/json", thing))
}

pub enum PostThing {}
impl Operation for PostThing {
    type Output = Thing;
    type ErrorModel = Value;
    const SUCCESS: &'static [u16] = &[200];
    type Request = ();
    type Body = Json<Thing>;
}

pub fn post_thing(p: &Pipeline, thing: &Thing) -> Call<PostThing> {
    Call::new(p.request(Method::POST).path("/things").json_body("application/json", thing))
}

pub fn names(things: &[Thing]) -> Vec<&str> {
    things.iter().filter_map(|t| t.name.as_deref()).collect()
}

/// `METHOD target` of every request the server saw, in order.
pub fn requests(server: &Server) -> Vec<String> {
    server.seen().iter().map(|s| format!("{} {}", s.method, s.target)).collect()
}

pub enum DeleteThingLro {}
impl Operation for DeleteThingLro {
    type Output = ();
    type ErrorModel = Value;
    const SUCCESS: &'static [u16] = &[200, 202, 204];
    const LRO: Option<FinalStateVia> = Some(FinalStateVia::Default);
    type Request = ();
    type Body = Empty;
}

pub fn delete_thing_lro(p: &Pipeline, id: &str) -> Call<DeleteThingLro> {
    Call::new(p.request(Method::DELETE).path("/things/").path_param(id))
}

/// `when` as an HTTP date (RFC 1123, always GMT), e.g. `Thu, 12 Oct 2017 19:23:50 GMT`.
pub fn http_date(when: time::OffsetDateTime) -> String {
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
