//! `devices().get` needs the device ID.

use iot_rest::iot_central::v2022_07_31 as central;

async fn get(client: &central::Client) -> iot_rest::Result<central::models::Device> {
    client.devices().get().await
}

fn main() {}
