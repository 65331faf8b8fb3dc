//! Where the examples find their service and credential: environment variables, read here once.
//! Each example uses the IoT Central or the Azure Resource Manager half.
#![allow(dead_code)]

use iot_rest::{ApiToken, BearerToken, ClientOptions, Credential};

/// The value of environment variable `name`, or an error that names it.
pub fn var(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("{name} is not set (the top of the example lists what it needs)"))
}

/// An IoT Central application: its subdomain (`IOT_CENTRAL_APP`), a credential and the client options.
///
/// The credential is `IOT_CENTRAL_API_TOKEN` (an API token, `SharedAccessSignature sr=…`) or else
/// `IOT_CENTRAL_BEARER_TOKEN` (an Entra ID access token, e.g. from
/// `az account get-access-token --resource https://apps.azureiotcentral.com`).
/// `IOT_CENTRAL_ENDPOINT`, when set, replaces `https://<app>.azureiotcentral.com` (a proxy, a mock).
pub fn iot_central() -> Result<(String, Credential, ClientOptions), String> {
    let app = var("IOT_CENTRAL_APP")?;
    let credential = match var("IOT_CENTRAL_API_TOKEN") {
        Ok(token) => ApiToken::new(token).into(),
        Err(_) => BearerToken::new(var("IOT_CENTRAL_BEARER_TOKEN")?).into(),
    };
    Ok((app, credential, options("IOT_CENTRAL_ENDPOINT")))
}

/// Azure Resource Manager, for the Device Provisioning Service: the subscription
/// (`AZURE_SUBSCRIPTION_ID`), a credential (`AZURE_BEARER_TOKEN`, e.g. from
/// `az account get-access-token --resource https://management.azure.com`) and the client options
/// (`ARM_ENDPOINT`, when set, replaces `https://management.azure.com`).
pub fn azure_resource_manager() -> Result<(String, Credential, ClientOptions), String> {
    let subscription = var("AZURE_SUBSCRIPTION_ID")?;
    let credential = BearerToken::new(var("AZURE_BEARER_TOKEN")?).into();
    Ok((subscription, credential, options("ARM_ENDPOINT")))
}

/// Default options, with the endpoint from environment variable `endpoint` if it is set.
fn options(endpoint: &str) -> ClientOptions {
    match std::env::var(endpoint) {
        Ok(url) if !url.is_empty() => ClientOptions::default().endpoint(url),
        _ => ClientOptions::default(),
    }
}
