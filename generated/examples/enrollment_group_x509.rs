//! An IoT Central enrollment group whose devices authenticate with X.509 certificates: create the
//! group, upload the root (or intermediate) CA certificate as its primary certificate, and prove
//! possession of the CA's private key with the verification-code flow.
//!
//! ```sh
//! cargo run -p iot-rest --example enrollment_group_x509
//! ```
//!
//! Environment:
//! - `IOT_CENTRAL_APP`: the application's subdomain (`myapp` for `myapp.azureiotcentral.com`);
//! - `IOT_CENTRAL_API_TOKEN`: an API token, or `IOT_CENTRAL_BEARER_TOKEN`: an Entra ID access token;
//! - `IOT_CENTRAL_ENDPOINT` (optional): another endpoint, such as a mock server;
//! - `CA_CERTIFICATE_FILE`: the CA certificate, PEM;
//! - `VERIFICATION_CERTIFICATE_FILE` (optional): a certificate whose subject is the verification code,
//!   signed by the CA's key. Without it the example stops after printing the code, e.g. for
//!   `openssl req -new -key ca.key -subj "/CN=<code>" | openssl x509 -req -CA ca.pem -CAkey ca.key …`.

mod common;

use iot_rest::iot_central::v2022_07_31 as iotc;
use iotc::models::{
    CertificateEntry, EnrollmentGroup, EnrollmentGroupType, GroupX509Attestation, SigningX509Certificate,
    X509VerificationCertificate,
};

const GROUP_ID: &str = "example-x509-line-1";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (app, credential, options) = common::iot_central()?;
    let client = iotc::Client::with_options(&app, credential, options)?;
    let groups = client.enrollment_groups();

    // The group says how its devices attest; the certificates are set one slot at a time below.
    let attestation = GroupX509Attestation::default();
    let group =
        EnrollmentGroup::new("Factory line 1 (X.509)", EnrollmentGroupType::IoTDevices, attestation).with_enabled(true);
    let created = groups.create(GROUP_ID, &group).await?;
    println!("created enrollment group {:?}", created.id);

    let ca = std::fs::read_to_string(common::var("CA_CERTIFICATE_FILE")?)?;
    let primary = SigningX509Certificate::default().with_certificate(pem_body(&ca));
    let uploaded = groups.create_x509(GROUP_ID, CertificateEntry::Primary, &primary).await?;
    println!("primary certificate uploaded, verified: {:?}", uploaded.verified);

    // Proof of possession: the service names a code, the CA's key signs a certificate for it.
    let code = groups.generate_verification_code_x509(GROUP_ID, CertificateEntry::Primary).await?;
    let code = code.verification_code.unwrap_or_default();
    println!("verification code: {code}");
    let Ok(proof) = std::env::var("VERIFICATION_CERTIFICATE_FILE") else {
        println!("sign a certificate with subject CN={code} and set VERIFICATION_CERTIFICATE_FILE to finish");
        return Ok(());
    };
    let proof = X509VerificationCertificate::new(pem_body(&std::fs::read_to_string(proof)?));
    groups.verify_x509(GROUP_ID, CertificateEntry::Primary, &proof).await?;
    let primary = groups.get_x509(GROUP_ID, CertificateEntry::Primary).await?;
    println!("primary certificate verified: {:?}", primary.verified);
    Ok(())
}

/// The base64 body of a PEM file: what IoT Central takes as a certificate.
fn pem_body(pem: &str) -> String {
    pem.lines().map(str::trim).filter(|line| !line.starts_with("-----")).collect()
}
