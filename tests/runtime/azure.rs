//! What the Azure extensions make a generated client send, end to end against a local server: the
//! `azure_extensions` golden (from the YAML fixture) and the IoT Central client's host parameters.

use std::collections::BTreeMap;

use iot_rest_tests::goldens::azure_extensions::parameter_groups::ListOptions;
use iot_rest_tests::goldens::azure_extensions::models::RecoveryJob;
use iot_rest_tests::goldens::azure_extensions::secrets::{RecoverResponse, UpdateErrors};
use iot_rest_tests::goldens::azure_extensions::Client;
use iot_rest_tests::runtime::{ClientOptions, Credential, ErrorKind};
use serde_json::{json, Value};

use crate::server::*;

async fn ok_server() -> Server {
    Server::start(|_, _| reply(200, json!([]))).await
}

#[tokio::test]
async fn a_host_parameter_that_is_a_whole_url_with_a_defaulted_path_is_the_endpoint() {
    // `{vaultBaseUrl}{apiPath}` (no scheme prefix): the URL's scheme is the value's.
    let server = ok_server().await;
    let client = Client::new(&server.base, Credential::none()).expect("a whole URL");
    client.secrets().list().await.expect("200");
    let other = Client::builder(&server.base, Credential::none()).api_path("/v2").build().expect("client");
    other.secrets().list().await.expect("200");
    let targets: Vec<String> = server.seen().into_iter().map(|s| s.target).collect();
    assert_eq!(targets, ["/v1/secrets?include=versions", "/v2/secrets?include=versions"]);
    // A value that makes no URL is refused before anything is sent.
    let err = Client::new("not a url", Credential::none()).expect_err("no URL");
    assert_eq!(err.kind(), ErrorKind::NotBuilt);
    // The endpoint option wins, and the host parameters are then not checked at all.
    let options = ClientOptions::default().endpoint(server.base.clone());
    Client::with_options("not a url", Credential::none(), options).expect("the endpoint option replaces them");
}

#[tokio::test]
async fn a_parameter_group_sends_what_is_set_and_unencoded_values_as_written() {
    let server = ok_server().await;
    let client = Client::new(&server.base, Credential::none()).expect("client");
    let options = ListOptions { filter: Some("kind eq 1&x=2".into()), maxresults: Some(3) };
    client.secrets().list().list_options(&options).include("none").await.expect("200");
    let none_set = ListOptions::default();
    client.secrets().list().list_options(&none_set).await.expect("200");
    let targets: Vec<String> = server.seen().into_iter().map(|s| s.target).collect();
    assert_eq!(
        targets,
        // `include` has a client default (`x-ms-client-default`), replaced when set.
        ["/v1/secrets?filter=kind%20eq%201&x=2&maxresults=3&include=none", "/v1/secrets?include=versions"]
    );
}

#[tokio::test]
async fn a_flattened_body_is_built_from_the_arguments_and_the_request_id_goes_in_its_own_header() {
    let server = Server::start(|_, _| reply(200, json!({ "id": "s1", "value": "v", "contentType": "text/plain" }))).await;
    let client = Client::new(&server.base, Credential::none()).expect("client");
    let tags = BTreeMap::from([("env".to_string(), "test".to_string())]);
    let secret = client.secrets().update("s 1", "v".into()).tags(tags).client_request_id("id-1").await.expect("200");
    // `contentType` is `media_type` to the caller (`x-ms-client-name`).
    assert_eq!(secret.media_type.as_deref(), Some("text/plain"));
    let sent = &server.seen()[0];
    assert_eq!(sent.target, "/v1/secrets/s%201?api-version=2024-05-01");
    assert_eq!(sent.json(), json!({ "value": "v", "tags": { "env": "test" } }));
    assert_eq!((sent.header("x-request-id"), sent.header("x-ms-client-request-id")), (Some("id-1"), None));
}

#[tokio::test]
async fn each_error_status_decodes_as_its_own_type() {
    let server = Server::start(|_, seen| match seen.target.contains("missing") {
        true => reply(404, json!({ "missing": "missing" })),
        false => reply(500, json!({ "code": "Broken", "message": "no" })),
    })
    .await;
    let client = Client::new(&server.base, Credential::none()).expect("client");
    let options = || ClientOptions::default().retry(iot_rest_tests::runtime::RetryOptions::none());
    let client_once = Client::builder(&server.base, Credential::none()).options(options()).build().expect("client");
    let not_found = client.secrets().update("missing", "v".into()).await.expect_err("404");
    match not_found.service_error::<UpdateErrors>() {
        Some(UpdateErrors::Status404(body)) => assert_eq!(body.missing.as_deref(), Some("missing")),
        other => panic!("{other:?}"),
    }
    let broken = client_once.secrets().update("s1", "v".into()).await.expect_err("500");
    match broken.service_error::<UpdateErrors>() {
        Some(UpdateErrors::Default(problem)) => assert_eq!(problem.code.as_deref(), Some("Broken")),
        other => panic!("{other:?}"),
    }
    assert_eq!(broken.error_code(), Some("Broken"));
}

#[tokio::test]
async fn each_success_status_decodes_as_its_own_type() {
    let server = Server::start(|_, seen| match seen.target.as_str() {
        "/v1/secrets/now/recover" => reply(200, json!({ "id": "s1", "value": "v" })),
        "/v1/secrets/later/recover" => reply(202, json!({ "jobId": "j1" })),
        "/v1/secrets/202-as-200/recover" => reply(200, json!({ "jobId": "j1" })),
        _ => reply(204, Value::Null),
    })
    .await;
    let client = Client::new(&server.base, Credential::none()).expect("client");
    match client.secrets().recover("now").await.expect("200") {
        RecoverResponse::Status200(secret) => assert_eq!((secret.id.as_deref(), secret.value.as_deref()), (Some("s1"), Some("v"))),
        other => panic!("{other:?}"),
    }
    let later = client.secrets().recover("later").await.expect("202");
    assert_eq!(later, RecoverResponse::Status202(RecoveryJob::default().with_job_id("j1")));
    assert_eq!(client.secrets().recover("none").await.expect("204"), RecoverResponse::Status204);
    // The status decides the type: a 202's body sent with 200 is read as a secret (unknown members
    // kept), not as the job.
    match client.secrets().recover("202-as-200").await.expect("200") {
        RecoverResponse::Status200(secret) => assert_eq!(secret.additional_properties.get("jobId"), Some(&json!("j1"))),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn without_client_request_ids_none_is_sent() {
    let server = ok_server().await;
    let options = ClientOptions::default().send_client_request_id(false);
    let client = Client::builder(&server.base, Credential::none()).options(options).build().expect("client");
    client.secrets().list().await.expect("200");
    let response = client.secrets().list().send().await.expect("200");
    assert_eq!(response.request_id(), None, "no id was sent, none came back");
    assert!(server.seen().iter().all(|s| s.header("x-ms-client-request-id").is_none()));
}

#[tokio::test]
async fn iot_central_base_domain_is_settable_and_checked() {
    use iot_rest::iot_central::v2022_07_31::Client as Iotc;
    use iot_rest::runtime::{ApiToken, ErrorKind};
    // The same constructor as ever; another cloud through the builder; a port on the last part.
    Iotc::new("myapp", ApiToken::new("t")).expect("azureiotcentral.com");
    Iotc::builder("myapp", ApiToken::new("t")).base_domain("azureiotcentral.us").build().expect("another cloud");
    Iotc::builder("myapp", ApiToken::new("t")).base_domain("localhost:8443").build().expect("host:port");
    let err = Iotc::builder("myapp", ApiToken::new("t")).base_domain("evil.example/x?").build().expect_err("not a host");
    assert_eq!(err.kind(), ErrorKind::NotBuilt);
    let err = Iotc::new("my app", ApiToken::new("t")).expect_err("not a DNS label");
    assert_eq!(err.kind(), ErrorKind::NotBuilt);
}

#[tokio::test]
async fn an_array_path_parameter_is_one_comma_joined_segment_and_a_tsv_query_is_tab_separated() {
    let server = ok_server().await;
    let client = Client::new(&server.base, Credential::none()).expect("client");
    client.secrets().list_versions(&["a", "b c/d"], &["id", "value"]).await.expect("200");
    // The joined text is one segment, encoded as a whole (its commas too, as the Azure SDKs do).
    assert_eq!(server.seen()[0].target, "/v1/secrets/a%2Cb%20c%2Fd/versions?fields=id%09value");
}
