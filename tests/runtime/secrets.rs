//! Secrets and redaction: no credential, query value or userinfo in any output.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use iot_rest::runtime::tracing::field::{Field, Visit};
use iot_rest::runtime::tracing::span::{Attributes, Id, Record};
use iot_rest::runtime::tracing::{Event, Metadata, Subscriber};
use iot_rest::runtime::*;
use serde_json::json;

use crate::ops::*;
use crate::server::*;

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

/// Every span and event, with its fields, as text.
#[derive(Clone, Default)]
struct Traces(Arc<Mutex<Vec<String>>>);

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}

impl Subscriber for Traces {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut text = span.metadata().name().to_string();
        span.record(&mut Fields(&mut text));
        let mut all = self.0.lock().unwrap();
        all.push(text);
        Id::from_u64(all.len() as u64)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut text = String::from("record");
        values.record(&mut Fields(&mut text));
        self.0.lock().unwrap().push(text);
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut text = String::from("event");
        event.record(&mut Fields(&mut text));
        self.0.lock().unwrap().push(text);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn userinfo_in_the_endpoint_is_sent_as_basic_auth_and_not_in_the_target() {
    let server = Server::start(|_, _| reply(200, json!({"id": "a"}))).await;
    let endpoint = server.base.replace("http://", "http://user:pass@");
    let p = pipeline_at(&endpoint, Credential::none(), &FakeSleep::default(), ClientOptions::default());

    get_thing(&p, "a").await.unwrap();

    let seen = server.seen();
    // `user:pass` in Base64.
    assert_eq!(seen[0].header("authorization"), Some("Basic dXNlcjpwYXNz"));
    assert_eq!(seen[0].target, "/api/things/a");
}

#[tokio::test]
async fn query_values_and_userinfo_never_reach_errors_debug_output_or_traces() {
    let traces = Traces::default();
    let _default = tracing::subscriber::set_default(traces.clone());
    let endpoint = format!("http://user:PASSWORD@127.0.0.1:{}", closed_port());
    let options = ClientOptions::default().retry(RetryOptions::default().max_attempts(2));
    let p = pipeline_at(&endpoint, Credential::none(), &FakeSleep::default(), options);
    let call: Call<GetThing> = Call::new(
        p.request(Method::GET).path("/things/a").query("sig", "SIG-SECRET").query("api-version", "2022-07-31"),
    );

    let err = call.await.unwrap_err();

    let client_options = ClientOptions::default().endpoint("https://user:PASSWORD@h.example/?");
    let client_err = iot_rest::iot_central::v2022_07_31::Client::with_options("a", ApiToken::new("t"), client_options);
    let client_options = ClientOptions::default().endpoint("https://user:PASSWORD@h.example");
    let client = iot_rest::iot_central::v2022_07_31::Client::with_options("a", ApiToken::new("t"), client_options);
    let traces = traces.0.lock().unwrap().clone();
    assert!(traces.iter().any(|t| t.contains("retrying")), "the retry was traced: {traces:?}");
    let outputs =
        [format!("{err}"), format!("{err:?}"), format!("{p:?}"), format!("{client:?}"), format!("{client_err:?}")];
    for output in outputs.iter().chain(&traces) {
        assert!(!output.contains("SIG-SECRET") && !output.contains("PASSWORD"), "leaked: {output}");
    }
    assert!(outputs[3].contains("<redacted>@h.example"), "{}", outputs[3]);
}

#[tokio::test]
async fn long_path_parameters_make_short_messages() {
    let server = Server::start(|_, _| reply(404, json!({"error": {"code": "NotFound"}}))).await;
    let p = pipeline(&server, Credential::none(), &FakeSleep::default());

    // 60 KB reach the service; 1 MB is more than a URI may hold and is refused before sending.
    let sent = get_thing(&p, &"x".repeat(60_000)).await.unwrap_err();
    let refused = get_thing(&p, &"x".repeat(1 << 20)).await.unwrap_err();

    assert_eq!((sent.status(), refused.kind()), (Some(404), ErrorKind::NotBuilt), "{sent:.300} / {refused:.300}");
    assert!(!refused.was_sent());
    for err in [sent, refused] {
        let message = err.to_string();
        assert!(
            message.len() < 1024 && message.contains("GET /api/things/xxx"),
            "{} bytes: {message:.300}",
            message.len()
        );
        assert!(format!("{err:?}").len() < 4096);
    }
}
