//! Azure special parameters of the AutoRest test server (`azure-special-properties.json`,
//! `subscriptionId-apiVersion.json`): subscription ids held by the client or passed per call,
//! `api-version` as the document's constant or as an ordinary parameter (`x-ms-api-version: false`),
//! `x-ms-skip-url-encoding` in paths and queries, OData query options, and the client request id
//! (`x-ms-client-request-id`, a custom-named one, and none at all). One test per coverage key.

#[macro_use]
mod support;

use autorest_azure_special::runtime::{ClientOptions, Credential, ErrorKind};
use autorest_azure_special::Client;
use support::CUSTOM_REQUEST_ID;

/// The subscription the scenarios expect, in the client and in calls.
const SUBSCRIPTION: &str = "1234-5678-9012-3456";

fn client_with(options: ClientOptions) -> Client {
    Client::with_options(SUBSCRIPTION, Credential::none(), options).expect("client")
}

fn client() -> Client {
    client_with(options!(autorest_azure_special))
}

/// A scenario that must succeed: the server answers 400 to a request it does not expect.
macro_rules! succeeds {
    ($name:ident, |$client:ident| $call:expr) => {
        #[tokio::test]
        async fn $name() {
            let $client = client();
            if let Err(e) = $call.await {
                panic!("{} failed: {e}", stringify!($name));
            }
        }
    };
}

succeeds!(azure_subscription_method_local_valid, |c| c.subscription_in_method().post_method_local_valid(SUBSCRIPTION));
succeeds!(azure_subscription_method_global_valid, |c| c.subscription_in_credentials().post_method_global_valid());
succeeds!(azure_subscription_method_global_not_provided_valid, |c| c
    .subscription_in_credentials()
    .post_method_global_not_provided_valid());
succeeds!(azure_subscription_path_local_valid, |c| c.subscription_in_method().post_path_local_valid(SUBSCRIPTION));
succeeds!(azure_subscription_path_global_valid, |c| c.subscription_in_credentials().post_path_global_valid());
succeeds!(azure_subscription_swagger_local_valid, |c| c.subscription_in_method().post_swagger_local_valid(SUBSCRIPTION));
succeeds!(azure_subscription_swagger_global_valid, |c| c.subscription_in_credentials().post_swagger_global_valid());

// The document's api-version (2015-07-01-preview) is a constant; `x-ms-api-version: false` makes a
// local `api-version` an ordinary parameter: a single-value enum is still sent, an optional one only
// when given.
succeeds!(azure_api_version_method_global_valid, |c| c.api_version_default().get_method_global_valid());
succeeds!(azure_api_version_method_global_not_provided_valid, |c| c.api_version_default().get_method_global_not_provided_valid());
succeeds!(azure_api_version_path_global_valid, |c| c.api_version_default().get_path_global_valid());
succeeds!(azure_api_version_swagger_global_valid, |c| c.api_version_default().get_swagger_global_valid());
succeeds!(azure_api_version_method_local_valid, |c| c.api_version_local().get_method_local_valid());
succeeds!(azure_api_version_method_local_null, |c| c.api_version_local().get_method_local_null());
succeeds!(azure_api_version_path_local_valid, |c| c.api_version_local().get_path_local_valid());
succeeds!(azure_api_version_swagger_local_valid, |c| c.api_version_local().get_swagger_local_valid());

// `x-ms-skip-url-encoding`: `path1/path2/path3` stays three segments; `value1&q2=value2&q3=value3`
// adds two query parameters, as the document intends.
succeeds!(azure_method_path_url_encoding, |c| c.skip_url_encoding().get_method_path_valid("path1/path2/path3"));
succeeds!(azure_path_path_url_encoding, |c| c.skip_url_encoding().get_path_path_valid("path1/path2/path3"));
succeeds!(azure_swagger_path_url_encoding, |c| c.skip_url_encoding().get_swagger_path_valid());
succeeds!(azure_method_query_url_encoding, |c| c.skip_url_encoding().get_method_query_valid("value1&q2=value2&q3=value3"));
succeeds!(azure_path_query_url_encoding, |c| c.skip_url_encoding().get_path_query_valid("value1&q2=value2&q3=value3"));
succeeds!(azure_swagger_query_url_encoding, |c| c.skip_url_encoding().get_swagger_query_valid());
succeeds!(azure_method_query_url_encoding_null, |c| c.skip_url_encoding().get_method_query_null());

succeeds!(azure_o_data_filter, |c| c.odata().get_with_filter().filter("id gt 5 and name eq 'foo'").top(10).orderby("id"));

#[tokio::test]
async fn azure_xms_request_client_overwrite() {
    let response = client().x_ms_client_request_id().get().client_request_id(CUSTOM_REQUEST_ID).send().await.expect("200");
    assert_eq!(response.request_id(), Some("123"), "x-ms-request-id of the response");
}

#[tokio::test]
async fn azure_xms_request_client_overwrite_via_parameter() {
    // The document's `x-ms-client-request-id` header parameter is the call's client request id.
    client().x_ms_client_request_id().param_get().client_request_id(CUSTOM_REQUEST_ID).await.expect("200");
}

#[tokio::test]
async fn azure_xms_request_client_id_null() {
    // Opted out: no `x-ms-client-request-id` at all.
    let client = client_with(options!(autorest_azure_special).send_client_request_id(false));
    client.x_ms_client_request_id().get().await.expect("200 without a client request id");
}

#[tokio::test]
async fn azure_request_client_id_in_error() {
    // A random id is not the one the scenario wants: the 400 it answers carries the request id.
    let err = client().x_ms_client_request_id().get().await.expect_err("400");
    assert_eq!((err.kind(), err.status(), err.request_id()), (ErrorKind::Service, Some(400), Some("123")));
}

#[tokio::test]
async fn azure_xms_custom_named_request_id() {
    // `foo-client-request-id` is marked `x-ms-client-request-id: true`: the id goes there.
    let response = client().header().custom_named_request_id().client_request_id(CUSTOM_REQUEST_ID).send().await;
    assert_eq!(response.expect("200").status(), 200);
    let head = client().header().custom_named_request_id_head().client_request_id(CUSTOM_REQUEST_ID).send().await;
    assert_eq!(head.expect("200").status(), 200);
}

#[tokio::test]
async fn azure_xms_custom_named_request_id_parameter_group() {
    let call = client().header().custom_named_request_id_param_grouping().client_request_id(CUSTOM_REQUEST_ID);
    call.await.expect("200");
}

#[tokio::test]
async fn subscription_id_and_api_version() {
    use autorest_subscription_api_version::runtime::Credential;
    let options = options!(autorest_subscription_api_version);
    let client = autorest_subscription_api_version::Client::with_options("sub", Credential::none(), options).expect("client");
    let group = client.group().get_sample_resource_group("testgroup101").await.expect("the resource group");
    assert_eq!((group.name.as_deref(), group.location.as_deref()), (Some("testgroup101"), Some("West US")));
}
