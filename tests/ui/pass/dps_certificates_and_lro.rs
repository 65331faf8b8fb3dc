//! DPS: a long-running create awaited or driven by a poller; ETag-guarded certificate deletes;
//! `send()` for status and ETag.

#![deny(warnings)]

use std::sync::Arc;

use iot_rest::dps::v2017_11_15 as dps;
use iot_rest::runtime::{PollStatus, TokenCredential};
use iot_rest::{BearerToken, Credential, ETag, IfMatch};

#[allow(dead_code)]
async fn create_awaited(token: &str) -> iot_rest::Result<()> {
    let client = dps::Client::new("00000000-0000-0000-0000-000000000000", BearerToken::new(token))?;
    let description = westus();
    let service: dps::models::ProvisioningServiceDescription =
        client.iot_dps_resource().create_or_update("rg", "my-dps", &description).await?;
    let _ = service.properties;
    Ok(())
}

#[allow(dead_code)]
async fn create_polled(credential: Arc<dyn TokenCredential>) -> iot_rest::Result<()> {
    let credential = Credential::token_credential(credential, ["https://management.azure.com/.default"]);
    let client = dps::Client::new("00000000-0000-0000-0000-000000000000", credential)?;
    let description = westus();
    let mut poller = client.iot_dps_resource().create_or_update("rg", "my-dps", &description).into_poller();
    loop {
        match poller.poll().await? {
            PollStatus::InProgress => {
                let _resume_later: Option<String> = poller.resume_token();
                tokio::time::sleep(poller.next_poll_delay()).await;
            }
            _ => break,
        }
    }
    let service: dps::models::ProvisioningServiceDescription = poller.await?;
    let _ = service;
    Ok(())
}

#[allow(dead_code)]
async fn delete_certificate(token: &str) -> iot_rest::Result<()> {
    let client = dps::Client::new("00000000-0000-0000-0000-000000000000", BearerToken::new(token))?;
    let certificates = client.dps_certificate();

    let cert: dps::models::CertificateResponse = certificates.get("rg", "my-dps", "root").await?;
    certificates.delete("rg", "my-dps", "root", IfMatch::from(&cert)).await?;
    certificates.delete("rg", "my-dps", "root", IfMatch::Any).await?;

    let response = certificates.get("rg", "my-dps", "root").send().await?;
    let status: u16 = response.status();
    let etag: Option<&ETag> = response.etag();
    assert_eq!(status, 200);
    if let Some(etag) = etag {
        certificates.delete("rg", "my-dps", "root", IfMatch::from(etag.clone())).await?;
    }
    certificates.delete("rg", "my-dps", "root", IfMatch::from(&response)).await?;
    Ok(())
}

/// A provisioning service in West US with the default properties and SKU.
fn westus() -> dps::models::ProvisioningServiceDescription {
    let (properties, sku) = (dps::models::IotDpsPropertiesDescription::default(), dps::models::IotDpsSkuInfo::default());
    dps::models::ProvisioningServiceDescription::new("westus", properties, sku)
}

fn main() {}
