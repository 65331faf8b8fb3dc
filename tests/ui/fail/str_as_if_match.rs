//! A bare string is not an `IfMatch`: the caller says whether it is an ETag or `*`.

use iot_rest::dps::v2017_11_15 as dps;

async fn delete(client: &dps::Client) -> iot_rest::Result<()> {
    client.dps_certificate().delete("rg", "my-dps", "root", "\"0x8D9\"").await
}

fn main() {}
