//! A device's life in IoT Central: create it, read it, change it with a JSON merge patch, find it
//! with an OData filter over pages of the device list, read its connection credentials, delete it.
//! The filter and page size need API version 2022-10-31-preview.
//!
//! ```sh
//! cargo run -p iot-rest --features iot-central-2022-10-31-preview --example device_lifecycle
//! ```
//!
//! Environment:
//! - `IOT_CENTRAL_APP`: the application's subdomain (`myapp` for `myapp.azureiotcentral.com`);
//! - `IOT_CENTRAL_API_TOKEN`: an API token, or `IOT_CENTRAL_BEARER_TOKEN`: an Entra ID access token;
//! - `IOT_CENTRAL_ENDPOINT` (optional): another endpoint, such as a mock server.

mod common;

use futures_util::TryStreamExt;
use iot_rest::iot_central::v2022_10_31_preview as iotc;
use iot_rest::runtime::odata::Filter;
use iotc::models::{Device, DevicePatch};

const DEVICE_ID: &str = "example-thermostat-1";
const TEMPLATE: &str = "dtmi:contoso:Thermostat;1";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (app, credential, options) = common::iot_central()?;
    let client = iotc::Client::with_options(&app, credential, options)?;
    let devices = client.devices();

    // Create: the fields we set; the service fills in the rest (etag, provisioned, …).
    let device = Device::default().with_display_name("Checkout thermostat").with_template(TEMPLATE).with_enabled(true);
    let created = devices.create(DEVICE_ID, &device).await?;
    println!("created {:?}, etag {:?}", created.id, created.etag);

    let read = devices.get(DEVICE_ID).await?;
    println!("read {:?}: {:?}", read.id, read.display_name);

    // Update: only the fields that are `Some` are sent (application/merge-patch+json).
    let patch = DevicePatch::default().with_display_name("Checkout thermostat, aisle 4");
    let updated = devices.update(DEVICE_ID, &patch).await?;
    println!("renamed to {:?}", updated.display_name);

    // Find devices by name, 25 per page; `items()` fetches the next page when the stream reaches it.
    // The filter quotes its text (an apostrophe is doubled), so any search term is safe to pass.
    let filter = Filter::contains("displayName", "thermostat").and(Filter::eq("enabled", true));
    let mut found = devices.list().filter(&filter).maxpagesize(25).items();
    let mut count = 0;
    while let Some(device) = found.try_next().await? {
        count += 1;
        println!("found {:?}: {:?}", device.id, device.display_name);
    }
    println!("{count} devices match {filter}");

    // What the device connects with (its keys are secrets: do not log them).
    let credentials = devices.get_credentials(DEVICE_ID).await?;
    println!("device provisioning ID scope: {}", credentials.id_scope);

    devices.remove(DEVICE_ID).await?;
    println!("deleted {DEVICE_ID}");
    Ok(())
}
