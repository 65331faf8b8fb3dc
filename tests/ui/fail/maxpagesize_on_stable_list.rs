//! `maxpagesize` exists on the 2022-10-31-preview device list only, not on 2022-07-31.

use iot_rest::iot_central::v2022_07_31 as central;

fn list(client: &central::Client) {
    let _ = client.devices().list().maxpagesize(10);
}

fn main() {}
