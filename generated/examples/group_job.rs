//! A job over a device group in IoT Central: define the group by a query, start a job that sets a
//! writable property on every device of the group in batches, then follow its progress and the
//! status of each device.
//!
//! ```sh
//! cargo run -p iot-rest --example group_job
//! ```
//!
//! Environment:
//! - `IOT_CENTRAL_APP`: the application's subdomain (`myapp` for `myapp.azureiotcentral.com`);
//! - `IOT_CENTRAL_API_TOKEN`: an API token, or `IOT_CENTRAL_BEARER_TOKEN`: an Entra ID access token;
//! - `IOT_CENTRAL_ENDPOINT` (optional): another endpoint, such as a mock server.

mod common;

use futures_util::TryStreamExt;
use iot_rest::iot_central::v2022_07_31 as iotc;
use iotc::models::{DeviceGroup, Job, JobBatch, JobBatchType, PropertyJobData};
use serde_json::json;

const TEMPLATE: &str = "dtmi:contoso:Thermostat;1";
const GROUP_ID: &str = "example-thermostats";
const JOB_ID: &str = "example-set-target-temperature";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (app, credential, options) = common::iot_central()?;
    let client = iotc::Client::with_options(&app, credential, options)?;

    // A device group is a saved query over the devices.
    let filter = format!("SELECT * FROM devices WHERE $template = \"{TEMPLATE}\"");
    let group = DeviceGroup::new("Thermostats", filter).with_description("Every thermostat of the application");
    client.device_groups().create(GROUP_ID, &group).await?;
    let members: Vec<_> = client.device_groups().get_devices(GROUP_ID).items().try_collect().await?;
    println!("group {GROUP_ID} has {} devices", members.len());

    // Set targetTemperature on the group's devices, a quarter of them at a time.
    let set_target = PropertyJobData::new(TEMPLATE, "targetTemperature").with_value(json!(21.5));
    let job = Job::new(GROUP_ID, [set_target.into()])
        .with_display_name("Set target temperature")
        .with_batch(JobBatch::new(JobBatchType::Percentage, 25.0));
    let job = client.jobs().create(JOB_ID, &job).await?;
    println!("job {:?} is {:?}", job.id, job.status);

    // Progress counts devices; each device has its own status.
    let job = client.jobs().get(JOB_ID).await?;
    if let Some(progress) = &job.progress {
        println!("{:?} of {:?} devices done, {:?} failed", progress.completed, progress.total, progress.failed);
    }
    let mut statuses = client.jobs().get_devices(JOB_ID).items();
    while let Some(device) = statuses.try_next().await? {
        println!("device {:?}: {:?}", device.id, device.status);
    }
    Ok(())
}
