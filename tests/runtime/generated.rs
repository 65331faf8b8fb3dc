//! The generated IoT Central and DPS clients end to end.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use iot_rest::runtime::*;
use serde_json::{json, Value};

use crate::ops::*;
use crate::server::*;

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
    let mut patch = DevicePatch::default().with_enabled(false);
    // Read-only fields set on purpose: they must not be sent.
    (patch.id, patch.provisioned) = (Some("other".into()), Some(false));

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
    use iot_rest::dps::v2017_11_15::models::{
        IotDpsPropertiesDescription, IotDpsSku, IotDpsSkuInfo, ProvisioningServiceDescription, State,
    };
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
    let sku = IotDpsSkuInfo::default().with_name(IotDpsSku::S1).with_capacity(1);
    let mut description = ProvisioningServiceDescription::new("westus", IotDpsPropertiesDescription::default(), sku)
        .with_tags([("env".to_string(), "test".to_string())]);
    description.name = Some("read-only, not sent".into());

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
    let tags = TagsResource::default().with_tags([("env".to_string(), "prod".to_string())]);

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
    use iot_rest::dps::v2017_11_15::models::{
        ErrorDetails, IotDpsPropertiesDescription, IotDpsSkuInfo, ProvisioningServiceDescription,
    };
    let server = Server::start(|base, req| match req.method.as_str() {
        "PUT" => reply(201, json!({"location": "westus", "properties": {}, "sku": {}}))
            .header("Azure-AsyncOperation", format!("{base}{DPS}/operationresults/op5{DPS_QUERY}")),
        _ => reply(200, json!({"status": "Failed", "error": {"code": "X", "message": "boom"}})),
    })
    .await;
    let sleep = FakeSleep::default();
    let (properties, sku) = (IotDpsPropertiesDescription::default(), IotDpsSkuInfo::default());
    let description = ProvisioningServiceDescription::new("westus", properties, sku);

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
