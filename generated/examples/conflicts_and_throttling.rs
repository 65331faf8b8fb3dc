//! Two answers a careful client handles: `412 Precondition Failed`, when a resource changed since it
//! was read (optimistic concurrency with `If-Match`), and `429 Too Many Requests`, when the service
//! throttles. Shown on the Device Provisioning Service through Azure Resource Manager.
//!
//! ```sh
//! cargo run -p iot-rest --example conflicts_and_throttling
//! ```
//!
//! Environment:
//! - `AZURE_SUBSCRIPTION_ID`: the subscription;
//! - `AZURE_BEARER_TOKEN`: an Entra ID access token for `https://management.azure.com`;
//! - `ARM_ENDPOINT` (optional): another endpoint, such as a mock server;
//! - `DPS_RESOURCE_GROUP`, `DPS_NAME`: an existing provisioning service;
//! - `CA_CERTIFICATE_FILE`: a CA certificate, PEM.

mod common;

use std::time::Duration;

use dps::models::CertificateBodyDescription;
use iot_rest::dps::v2017_11_15 as dps;
use iot_rest::runtime::{ErrorKind, RetryOptions};
use iot_rest::{ClientOptions, IfMatch};

const CERTIFICATE_NAME: &str = "example-conflict-ca";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (subscription, credential, options) = common::azure_resource_manager()?;
    let (group, name) = (common::var("DPS_RESOURCE_GROUP")?, common::var("DPS_NAME")?);
    let ca = std::fs::read_to_string(common::var("CA_CERTIFICATE_FILE")?)?;
    let body = CertificateBodyDescription::default().with_certificate(ca);

    // --- 412: a write conditioned on a version that is no longer current.
    let arm = dps::Client::with_options(&subscription, credential.clone(), options.clone())?;
    let certificates = arm.dps_certificate();
    certificates.create_or_update(&group, &name, CERTIFICATE_NAME, &body).await?;
    let ours = certificates.get(&group, &name, CERTIFICATE_NAME).await?;
    // Someone else writes the certificate after we read it (here: we do, unconditionally).
    certificates.create_or_update(&group, &name, CERTIFICATE_NAME, &body).await?;
    let stale = certificates.create_or_update(&group, &name, CERTIFICATE_NAME, &body).if_match(IfMatch::from(&ours));
    match stale.await {
        Err(e) if e.kind() == ErrorKind::PreconditionFailed => {
            println!("412: the certificate changed since etag {:?}; reading it again", ours.etag);
            // Re-read, decide again with what is there now, and write against the fresh ETag.
            let current = certificates.get(&group, &name, CERTIFICATE_NAME).await?;
            let write = certificates.create_or_update(&group, &name, CERTIFICATE_NAME, &body);
            let written = write.if_match(IfMatch::from(&current)).await?;
            println!("written against etag {:?}, now {:?}", current.etag, written.etag);
        }
        Err(e) => return Err(e.into()),
        Ok(_) => println!("nobody wrote in between: the conditional write went through"),
    }

    // --- 429: by default the client waits as long as `Retry-After` says and tries again (up to
    // 4 attempts), so a throttled call usually just takes longer.
    let services = arm.iot_dps_resource();
    let listed = services.list_by_resource_group(&group).send().await?;
    println!("listed provisioning services (status {})", listed.status());

    // With retries off, the 429 reaches the caller, who decides when to try again.
    let impatient = ClientOptions::clone(&options).retry(RetryOptions::none());
    let arm = dps::Client::with_options(&subscription, credential, impatient)?;
    let mut attempt = 1;
    let listed = loop {
        match arm.iot_dps_resource().list_by_resource_group(&group).send().await {
            Err(e) if e.status() == Some(429) && attempt < 3 => {
                println!("429 on attempt {attempt} (request id {:?}); waiting", e.request_id());
                tokio::time::sleep(Duration::from_secs(1)).await;
                attempt += 1;
            }
            other => break other?,
        }
    };
    println!("listed on attempt {attempt} (status {})", listed.status());
    Ok(())
}
