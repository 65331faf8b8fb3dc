//! IoT Central's `Devices_Get` declares no If-Match header, so there is no `.if_match(..)`.

use iot_rest::iot_central::v2022_07_31 as central;
use iot_rest::IfMatch;

async fn get(client: &central::Client) -> iot_rest::Result<central::models::Device> {
    client.devices().get("thermostat-1").if_match(IfMatch::Any).await
}

fn main() {}
