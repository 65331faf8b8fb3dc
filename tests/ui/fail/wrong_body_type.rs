//! A device is not a device group.

use iot_rest::iot_central::v2022_07_31 as central;

async fn create(client: &central::Client, device: &central::models::Device) -> iot_rest::Result<()> {
    client.device_groups().create("group-1", device).await?;
    Ok(())
}

fn main() {}
