//! `EnrollmentGroupType` is a closed enum: no catch-all variant, no invented values.

use iot_rest::iot_central::v2022_07_31::models::EnrollmentGroupType;

fn main() {
    let _ = EnrollmentGroupType::IoTGateway;
}
