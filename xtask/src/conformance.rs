//! `cargo xtask conformance`: the runtime on Microsoft's AutoRest test server.
//!
//! Installs the pinned test server (see [`servers`](crate::servers)), generates standalone client
//! crates over the runtime package from the Swagger documents shipped inside the installed package
//! (never committed), builds them with the scenario tests of `tests/conformance/` into a throw-away
//! workspace under `target/conformance/`, starts the server on 127.0.0.1, runs one test per
//! scenario, and stops it.
//! The server's coverage report is kept at `target/conformance/report-azure.json`; every `LRO*`,
//! `CustomHeader*` and `Paging*` scenario must have been hit and every test must pass.

use std::path::PathBuf;

use iot_rest_codegen::Files;

use crate::servers::{self, Server, TESTSERVER};
use crate::{cargo, corpus, root, run_cmd};

/// The test server's documents the scenarios need, with the crate each becomes.
const DOCUMENTS: &[(&str, &str)] = &[
    ("lro.json", "autorest-lro"),
    ("lro-parameterized-endpoints.json", "autorest-lro-parameterized"),
    ("paging.json", "autorest-paging"),
    ("custom-baseUrl-paging.json", "autorest-custom-url-paging"),
];

/// The scenario test files in `tests/conformance/`, one test target each.
const TESTS: &[&str] = &["lro", "paging"];

/// Scenario families the issue asks for, as printed: (label, key prefixes).
const FAMILIES: &[(&str, &[&str])] = &[("LRO", &["LRO", "CustomHeader"]), ("paging", &["Paging"])];

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(a) = args.first() {
        return Err(format!("unexpected argument `{a}` (usage: cargo xtask conformance)"));
    }
    servers::install()?;
    let package = servers::package_dir(TESTSERVER);
    let workspace = root().join("target/conformance");
    write_scenario_workspace(&package, &workspace)?;

    let manifest = workspace.join("Cargo.toml");
    let manifest = manifest.to_string_lossy().to_string();
    let target = root().join("target");
    let test = |extra: &[&str]| {
        let mut cmd = cargo();
        cmd.args(["test", "--manifest-path", &manifest, "--package", "conformance-tests"]).args(extra);
        cmd.env("CARGO_TARGET_DIR", &target).env("RUST_BACKTRACE", "0");
        cmd
    };
    corpus::clippy_workspace(&workspace)?;
    // Build first, so the server only runs while tests do.
    run_cmd(&mut test(&["--no-run"]))?;

    let port = servers::free_port()?;
    let mut cmd = servers::node_on_loopback(&package.join("dist/cli/cli.js"))?;
    cmd.args(["run", "--port", &port.to_string(), "--coverageDirectory"]).arg(workspace.join("coverage"));
    let server = Server::start("autorest-testserver", cmd, port, "/report/azure")?;
    let tests = run_cmd(test(&[]).env("AUTOREST_TESTSERVER_URL", server.url()));
    let report = server.request("GET", "/report/azure");
    drop(server);

    let (status, body) = report?;
    if status != 200 {
        return Err(format!("the test server's coverage report answered {status}"));
    }
    let path = workspace.join("report-azure.json");
    std::fs::write(&path, &body).map_err(|e| format!("{}: {e}", path.display()))?;
    let report: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&body).map_err(|e| format!("coverage report: {e}"))?;
    let mut summary = Vec::new();
    let mut missed = Vec::new();
    for (label, prefixes) in FAMILIES {
        let keys: Vec<&String> = report.keys().filter(|k| prefixes.iter().any(|p| k.starts_with(p))).collect();
        let hit = keys.iter().filter(|k| report[k.as_str()].as_u64().unwrap_or(0) > 0).count();
        missed.extend(keys.iter().filter(|k| report[k.as_str()].as_u64().unwrap_or(0) == 0).map(|k| k.to_string()));
        summary.push(format!("{label} {hit}/{}", keys.len()));
    }
    println!("conformance: {}", summary.join(", "));
    println!("coverage report: {}", path.display());
    tests?;
    if !missed.is_empty() {
        return Err(format!("scenarios not hit: {}", missed.join(", ")));
    }
    Ok(())
}

/// Writes the generated client crates and the scenario test crate.
fn write_scenario_workspace(package: &std::path::Path, workspace: &std::path::Path) -> Result<(), String> {
    let mut files = Files::new();
    let mut deps = String::new();
    let mut members = Vec::new();
    for (document, crate_name) in DOCUMENTS {
        corpus::generate_member(&mut files, &package.join("swagger").join(document), crate_name, &corpus::runtime_package())?;
        deps.push_str(&format!("{crate_name} = {{ path = \"../{crate_name}\" }}\n"));
        members.push(crate_name.to_string());
    }
    let sources: PathBuf = root().join("tests/conformance");
    let mut targets = String::new();
    for test in TESTS {
        let path = sources.join(format!("{test}.rs"));
        let path = path.to_string_lossy().replace('\\', "/");
        targets.push_str(&format!("\n[[test]]\nname = \"{test}\"\npath = \"{path}\"\n"));
    }
    files.insert(
        "conformance-tests/Cargo.toml".into(),
        format!(
            "[package]\nname = \"conformance-tests\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [lib]\npath = \"src/lib.rs\"\n\n[dependencies]\n{deps}\
             futures-util = {{ version = \"0.3\", default-features = false }}\n\
             reqwest = {{ version = \"0.12\", default-features = false, features = [\"http2\", \"cookies\"] }}\n\
             serde_json = \"1\"\n\
             tokio = {{ version = \"1\", features = [\"macros\", \"rt\", \"rt-multi-thread\", \"time\", \"net\", \"io-util\"] }}\n\
             {targets}"
        ),
    );
    files.insert(
        "conformance-tests/src/lib.rs".into(),
        "//! Scenario tests live in the repository's `tests/conformance/`.\n".into(),
    );
    members.push("conformance-tests".into());
    corpus::write_workspace(workspace, files, &members, "cargo xtask conformance")
}
