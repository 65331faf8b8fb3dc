//! A Device Provisioning Service through Azure Resource Manager: create it (a long-running
//! operation, polled step by step), upload a CA certificate, read it for its ETag, delete it with
//! `If-Match` so that a certificate someone changed meanwhile is not deleted, then delete the service
//! (awaited to the end).
//!
//! ```sh
//! cargo run -p iot-rest --example dps_lifecycle
//! ```
//!
//! Environment:
//! - `AZURE_SUBSCRIPTION_ID`: the subscription;
//! - `AZURE_BEARER_TOKEN`: an Entra ID access token for `https://management.azure.com`;
//! - `ARM_ENDPOINT` (optional): another endpoint, such as a mock server;
//! - `DPS_RESOURCE_GROUP`: an existing resource group; `DPS_NAME`: the service's name (new);
//! - `DPS_LOCATION` (optional): its region, default `westus`;
//! - `CA_CERTIFICATE_FILE`: a CA certificate, PEM.

mod common;

use dps::models::{
    CertificateBodyDescription, IotDpsPropertiesDescription, IotDpsSku, IotDpsSkuInfo, ProvisioningServiceDescription,
};
use iot_rest::dps::v2017_11_15 as dps;
use iot_rest::runtime::PollStatus;
use iot_rest::IfMatch;

const CERTIFICATE_NAME: &str = "example-root-ca";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (subscription, credential, options) = common::azure_resource_manager()?;
    let arm = dps::Client::with_options(&subscription, credential, options)?;
    let (group, name) = (common::var("DPS_RESOURCE_GROUP")?, common::var("DPS_NAME")?);
    let services = arm.iot_dps_resource();

    // Creating takes a while: poll until the service is provisioned, printing each status.
    let location = std::env::var("DPS_LOCATION").unwrap_or_else(|_| "westus".into());
    let sku = IotDpsSkuInfo::default().with_name(IotDpsSku::S1).with_capacity(1);
    let description = ProvisioningServiceDescription::new(location, IotDpsPropertiesDescription::default(), sku);
    let mut poller = services.create_or_update(&group, &name, &description).into_poller();
    while poller.poll().await? == PollStatus::InProgress {
        println!("creating {name}: {}", poller.last_status().unwrap_or("accepted"));
        // `poller.resume_token()` would let another process continue from here.
        tokio::time::sleep(poller.next_poll_delay()).await;
    }
    let service = poller.wait().await?;
    println!("created {:?}, ID scope {:?}", service.name, service.properties.id_scope);

    let certificates = arm.dps_certificate();
    let ca = std::fs::read_to_string(common::var("CA_CERTIFICATE_FILE")?)?;
    let body = CertificateBodyDescription::default().with_certificate(ca);
    certificates.create_or_update(&group, &name, CERTIFICATE_NAME, &body).await?;

    // The ETag read here guards the delete: if the certificate changed since, the service answers
    // 412 (see the conflicts_and_throttling example) instead of deleting a certificate we never saw.
    let certificate = certificates.get(&group, &name, CERTIFICATE_NAME).await?;
    println!("certificate {:?}, etag {:?}", certificate.name, certificate.etag);
    certificates.delete(&group, &name, CERTIFICATE_NAME, IfMatch::from(&certificate)).await?;
    println!("deleted certificate {CERTIFICATE_NAME}");

    // Awaiting a long-running operation polls it to the end.
    services.delete(&group, &name).await?;
    println!("deleted {name}");
    Ok(())
}
