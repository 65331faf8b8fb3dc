//! Talking to a device through IoT Central: read its properties, change a writable property, read
//! the last value of a telemetry item, and run a command and read the device's answer.
//!
//! ```sh
//! cargo run -p iot-rest --example device_data
//! ```
//!
//! Environment:
//! - `IOT_CENTRAL_APP`: the application's subdomain (`myapp` for `myapp.azureiotcentral.com`);
//! - `IOT_CENTRAL_API_TOKEN`: an API token, or `IOT_CENTRAL_BEARER_TOKEN`: an Entra ID access token;
//! - `IOT_CENTRAL_ENDPOINT` (optional): another endpoint, such as a mock server;
//! - `DEVICE_ID` (optional): the device, default `thermostat1`. Property, telemetry and command names
//!   are those of the device template; this example uses a thermostat's.

mod common;

use iot_rest::iot_central::v2022_07_31 as iotc;
use iotc::models::{DeviceCommand, DeviceProperties};
use serde_json::json;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (app, credential, options) = common::iot_central()?;
    let client = iotc::Client::with_options(&app, credential, options)?;
    let device = std::env::var("DEVICE_ID").unwrap_or_else(|_| "thermostat1".into());
    let devices = client.devices();

    // Properties are the device template's, so they are JSON values by name.
    let properties = devices.get_properties(&device).await?;
    for (name, value) in &properties {
        println!("property {name} = {value}");
    }

    // A merge patch of writable properties; the device receives the new desired value.
    let target = DeviceProperties::from([("targetTemperature".to_string(), json!(21.5))]);
    devices.update_properties(&device, &target).await?;
    println!("asked for targetTemperature 21.5");

    let temperature = devices.get_telemetry_value(&device, "temperature").await?;
    println!("last temperature {:?} at {:?}", temperature.value, temperature.timestamp);

    // A command waits for the device's answer (up to `response_timeout` seconds).
    let command =
        DeviceCommand::default().with_request(json!({ "since": "2024-01-01T00:00:00Z" })).with_response_timeout(30);
    let answer = devices.run_command(&device, "getMaxMinReport", &command).await?;
    println!("command answered {:?}: {:?}", answer.response_code, answer.response);
    Ok(())
}
