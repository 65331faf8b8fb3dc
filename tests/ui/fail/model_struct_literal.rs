//! Models are `#[non_exhaustive]`: a later version may add fields, so they are built with `new`,
//! `Default` and setters, never with a struct expression.

use iot_rest::iot_central::v2022_07_31::models::Device;

fn main() {
    let _ = Device { display_name: Some("Thermostat".into()), ..Default::default() };
}
