//! `cargo xtask examples`: runs every example of `generated/examples/` against Prism mocks of our
//! documents, so that the examples cannot rot.
//!
//! The examples read their endpoint and credential from environment variables; here both IoT
//! Central and Azure Resource Manager point at one local [`Responder`], which forwards each request
//! to the Prism mock of its `api-version` (Prism validates it) and gives back answers a client can
//! follow, including the 412 and 429 that Prism does not produce (see `responder.rs`). Each example
//! must exit successfully, every file in `generated/examples/` must be listed in [`EXAMPLES`], and
//! the Prism logs must show no violation. Prints `examples: <N> run, <V> violations`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::prism::{scan_log, settled_log, start_mocks};
use crate::responder::Responder;
use crate::{cargo, root, run_cmd, servers};

/// Every example, in the order they run.
pub const EXAMPLES: &[&str] = &[
    "device_lifecycle",
    "enrollment_group_x509",
    "organizations_and_access",
    "device_data",
    "group_job",
    "dps_lifecycle",
    "conflicts_and_throttling",
];

/// The features every example builds with (`device_lifecycle` needs the preview API).
const FEATURES: &str = "iot-central-2022-10-31-preview";

/// A CA certificate shaped like a PEM file; the mocks only check that certificates are strings.
const PEM: &str = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUZXhhbXBsZS1jZXJ0aWZpY2F0ZTAKBggqhkjOPQQDAjA=\n-----END CERTIFICATE-----\n";

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(a) = args.first() {
        return Err(format!("unexpected argument `{a}` (usage: cargo xtask examples)"));
    }
    check_listed()?;
    let clock = Instant::now();
    run_cmd(cargo().args(["build", "-q", "-p", "iot-rest", "--examples", "--features", FEATURES]))?;
    let build = clock.elapsed();
    servers::install()?;
    let (documents, mocks) = start_mocks()?;
    let by_version: HashMap<String, u16> =
        documents.iter().zip(&mocks).map(|(doc, mock)| (doc.version.clone(), mock.port())).collect();
    let responder = Responder::start(by_version)?;
    let certificate = servers::dir().join("example-ca.pem");
    std::fs::write(&certificate, PEM).map_err(|e| format!("{}: {e}", certificate.display()))?;

    let clock = Instant::now();
    let mut failed = Vec::new();
    for example in EXAMPLES {
        let mut cmd = cargo();
        cmd.args(["run", "-q", "-p", "iot-rest", "--features", FEATURES, "--example", example]);
        for (name, value) in environment(&responder.url(), &certificate) {
            cmd.env(name, value);
        }
        if let Err(e) = run_cmd(&mut cmd) {
            failed.push(e);
        }
    }
    let run = clock.elapsed();
    drop(responder);
    let mut violations = Vec::new();
    for (doc, mock) in documents.iter().zip(&mocks) {
        let scan = scan_log(&settled_log(mock.log_path())?);
        violations.extend(scan.violations.iter().map(|v| format!("{}: {v}", doc.display)));
    }
    drop(mocks);
    if !violations.is_empty() {
        eprintln!("Prism reported violations:\n  {}", violations.join("\n  "));
    }
    println!(
        "examples: {} run, {} failed, {} violations (build {:.1} s, run {:.1} s)",
        EXAMPLES.len(),
        failed.len(),
        violations.len(),
        build.as_secs_f64(),
        run.as_secs_f64()
    );
    if !failed.is_empty() || !violations.is_empty() {
        return Err(format!("{} examples failed, Prism reported {} violations", failed.len(), violations.len()));
    }
    Ok(())
}

/// The variables the examples read (documented at the top of each example).
fn environment(endpoint: &str, certificate: &Path) -> Vec<(&'static str, String)> {
    let certificate = certificate.display().to_string();
    vec![
        ("IOT_CENTRAL_APP", "myapp".into()),
        ("IOT_CENTRAL_API_TOKEN", "SharedAccessSignature sr=example&sig=c2ln&skn=example&se=1893456000000".into()),
        ("IOT_CENTRAL_ENDPOINT", endpoint.into()),
        ("AZURE_SUBSCRIPTION_ID", "91d12660-3dec-467a-be2a-213b5544a0bd".into()),
        ("AZURE_BEARER_TOKEN", "example-token".into()),
        ("ARM_ENDPOINT", endpoint.into()),
        ("DPS_RESOURCE_GROUP", "iot-rg".into()),
        ("DPS_NAME", "contoso-dps".into()),
        ("CA_CERTIFICATE_FILE", certificate.clone()),
        ("VERIFICATION_CERTIFICATE_FILE", certificate),
    ]
}

/// Every `generated/examples/*.rs` is in [`EXAMPLES`] and the other way round.
fn check_listed() -> Result<(), String> {
    let dir = root().join("generated/examples");
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut found: Vec<String> = entries
        .filter_map(|e| e.ok().map(|e| PathBuf::from(e.file_name())))
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    found.sort();
    let mut listed: Vec<String> = EXAMPLES.iter().map(|e| e.to_string()).collect();
    listed.sort();
    if found != listed {
        return Err(format!("generated/examples/ has {found:?}, xtask/src/examples.rs lists {listed:?}"));
    }
    Ok(())
}
