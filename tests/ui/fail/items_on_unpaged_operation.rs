//! Only `x-ms-pageable` operations have `.items()`.

use iot_rest::iot_central::v2022_07_31 as central;

fn items(client: &central::Client) {
    let _ = client.devices().get("thermostat-1").items();
}

fn main() {}
