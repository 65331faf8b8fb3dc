//! IoT Central: build a client with an API token, create, update (merge patch), get and list devices.

#![deny(warnings)]

use futures::{StreamExt, TryStreamExt};
use iot_rest::iot_central::v2022_07_31 as central;
use iot_rest::iot_central::v2022_10_31_preview as preview;
use iot_rest::ApiToken;

#[allow(dead_code)]
async fn create_update_get(token: &str) -> iot_rest::Result<()> {
    let client = central::Client::new("myapp", ApiToken::new(token))?;

    let device = central::models::Device::default().with_display_name("Thermostat");
    let created: central::models::Device = client.devices().create("thermostat-1", &device).await?;

    let patch = central::models::DevicePatch::default().with_enabled(false);
    let updated: central::models::Device = client.devices().update("thermostat-1", &patch).await?;

    let fetched: central::models::Device = client.devices().get("thermostat-1").await?;
    assert_eq!(created.id, fetched.id);
    assert_eq!(updated.enabled, Some(false));
    Ok(())
}

#[allow(dead_code)]
async fn list_pages_lazily(token: &str) -> iot_rest::Result<()> {
    let client = preview::Client::new("myapp", ApiToken::new(token))?;

    let all: Vec<preview::models::Device> = client.devices().list().maxpagesize(100).items().try_collect().await?;

    let mut first_ten = client.devices().list().maxpagesize(10).items().take(10);
    while let Some(device) = first_ten.next().await {
        let device: preview::models::Device = device?;
        let _ = device.display_name;
    }
    let _ = all;
    Ok(())
}

#[allow(dead_code)]
async fn list_stable(token: &str) -> iot_rest::Result<()> {
    let client = central::Client::new("myapp", ApiToken::new(token))?;
    let mut pages = client.devices().list().pages();
    while let Some(page) = pages.next().await {
        let page = page?;
        let _status: u16 = page.status();
        let _items: &central::models::DeviceCollection = page.body();
    }
    Ok(())
}

fn main() {}
