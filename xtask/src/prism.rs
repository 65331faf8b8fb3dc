//! `cargo xtask prism`: request validation of every generated operation by Prism.
//!
//! Starts one Prism mock server (npm `@stoplight/prism-cli`, pinned in [`servers::PACKAGES`]) per
//! document of `specs/manifest.json` on 127.0.0.1, runs `tests/prism.rs` (which calls every
//! operation of every API module once and fails on any violation Prism reports in its
//! `sl-violations` header or as an error status), then reads the servers' logs: every request they
//! received must have passed validation, and they must have received one request per operation of
//! the documents. Prints `prism: <N> operations called, <V> violations`.
//!
//! Prism is given the documents as they are, except that a Swagger 2.0 `basePath` (or the path of
//! an OpenAPI 3.0 server URL) is folded into the path keys: Prism matches request paths against
//! the path keys alone and ignores the base path, while our clients send it (`/api/devices`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use iot_rest_codegen::manifest::Manifest;
use serde_json::Value;

use crate::servers::{self, Server, PRISM};
use crate::{cargo, root, run_cmd};

/// The path the readiness probe asks for; it matches no operation (Prism answers 404).
const READY_PATH: &str = "/prism-ready";

/// One document served by one Prism mock.
pub struct Document {
    /// `<service>_<version>`, e.g. `iot_central_v2022_07_31`.
    pub name: String,
    /// The document as listed in the manifest, e.g. `specs/dps/2017-11-15.json`.
    pub display: String,
    /// The copy Prism serves (base path folded into the paths).
    served: PathBuf,
    /// Number of operations (operationIds) in the document.
    operations: usize,
    /// The document's `info.version` (the `api-version` its operations send).
    pub version: String,
}

impl Document {
    /// The environment variable that gives `tests/prism.rs` this document's mock URL.
    fn env_var(&self) -> String {
        format!("PRISM_URL_{}", self.name.to_uppercase())
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(a) = args.first() {
        return Err(format!("unexpected argument `{a}` (usage: cargo xtask prism)"));
    }
    let clock = Instant::now();
    servers::install()?;
    let install = clock.elapsed();
    let clock = Instant::now();
    let (documents, mocks) = start_mocks()?;
    let start = clock.elapsed();

    let clock = Instant::now();
    let mut cmd = cargo();
    cmd.args(["test", "-p", "iot-rest-tests", "--test", "prism", "--", "--nocapture"]);
    for (doc, mock) in documents.iter().zip(&mocks) {
        cmd.env(doc.env_var(), mock.url());
    }
    let tested = run_cmd(&mut cmd);
    let test = clock.elapsed();

    let mut called = 0;
    let mut violations = Vec::new();
    let mut miscounts = Vec::new();
    for (doc, mock) in documents.iter().zip(&mocks) {
        let log = settled_log(mock.log_path())?;
        let seen = scan_log(&log);
        called += seen.requests;
        violations.extend(seen.violations.iter().map(|line| format!("{}: {line}", doc.display)));
        if seen.requests != doc.operations {
            miscounts.push(format!(
                "{}: Prism received {} requests, the document has {} operations (one call each expected)",
                doc.display, seen.requests, doc.operations
            ));
        }
    }
    drop(mocks);
    if !violations.is_empty() {
        eprintln!("Prism reported violations:\n  {}", violations.join("\n  "));
    }
    tested?;
    println!(
        "prism: {called} operations called, {} violations ({} documents; install {:.1} s, start {:.1} s, test {:.1} s)",
        violations.len(),
        documents.len(),
        install.as_secs_f64(),
        start.as_secs_f64(),
        test.as_secs_f64()
    );
    if !violations.is_empty() {
        return Err(format!(
            "Prism reported {} violations (listed above; logs in {})",
            violations.len(),
            servers::dir().display()
        ));
    }
    if !miscounts.is_empty() {
        return Err(miscounts.join("\n"));
    }
    Ok(())
}

/// Starts one Prism mock per document of the manifest (Prism must be installed); the servers stop
/// when dropped.
pub fn start_mocks() -> Result<(Vec<Document>, Vec<Server>), String> {
    let documents = prepare_documents()?;
    let entry = prism_entry()?;
    let started: Vec<Result<Server, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = documents
            .iter()
            .map(|doc| {
                let entry = &entry;
                scope.spawn(move || {
                    let port = servers::free_port()?;
                    let mut cmd = Command::new("node");
                    cmd.arg(entry).arg("mock").arg(&doc.served).args(["-h", "127.0.0.1", "-p", &port.to_string()]);
                    Server::start(&format!("prism-{}", doc.name), cmd, port, READY_PATH)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err("a Prism start thread panicked".into()))).collect()
    });
    // Collected first, so that servers that did start are stopped (dropped) on any error.
    let mut mocks = Vec::new();
    let mut errors = Vec::new();
    for result in started {
        match result {
            Ok(server) => mocks.push(server),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors.join("\n"));
    }
    Ok((documents, mocks))
}

/// The manifest's documents, each written to `.servers/prism/<name>.json` as Prism serves it.
fn prepare_documents() -> Result<Vec<Document>, String> {
    let specs = root().join("specs");
    let manifest = Manifest::load(&specs.join("manifest.json"), "specs/manifest.json").map_err(|e| e.to_string())?;
    let dir = servers::dir().join("prism");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut documents = Vec::new();
    for api in &manifest.apis {
        let display = format!("specs/{}", api.spec);
        let text = std::fs::read_to_string(specs.join(&api.spec)).map_err(|e| format!("{display}: {e}"))?;
        let mut value: Value =
            serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| format!("{display}: {e}"))?;
        fold_base_path(&mut value);
        let operations = operation_count(&value);
        let version = value.pointer("/info/version").and_then(Value::as_str).unwrap_or_default().to_string();
        let name = format!("{}_{}", api.service, api.version);
        let served = dir.join(format!("{name}.json"));
        let text = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?;
        std::fs::write(&served, text).map_err(|e| format!("{}: {e}", served.display()))?;
        documents.push(Document { name, display, served, operations, version });
    }
    Ok(documents)
}

/// Moves the base path into every path key (Prism routes on the path keys alone).
fn fold_base_path(doc: &mut Value) {
    let base = if let Some(base) = doc.get("basePath").and_then(Value::as_str) {
        base.to_string()
    } else if let Some(url) = doc.pointer("/servers/0/url").and_then(Value::as_str) {
        // `https://host/api` or `/api`: the path part (server variables are not expanded).
        let rest = url.split_once("://").map_or(url, |(_, rest)| rest.find('/').map_or("", |i| &rest[i..]));
        rest.to_string()
    } else {
        String::new()
    };
    let base = base.trim_end_matches('/').to_string();
    if let Some(object) = doc.as_object_mut() {
        object.remove("basePath");
        object.remove("servers");
    }
    if base.is_empty() {
        return;
    }
    for key in ["paths", "x-ms-paths"] {
        if let Some(Value::Object(paths)) = doc.get_mut(key) {
            let folded =
                std::mem::take(paths).into_iter().map(|(path, item)| (format!("{base}{path}"), item)).collect();
            *paths = folded;
        }
    }
}

fn operation_count(doc: &Value) -> usize {
    const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    ["paths", "x-ms-paths"]
        .iter()
        .filter_map(|key| doc.get(*key).and_then(Value::as_object))
        .flat_map(|paths| paths.values())
        .filter_map(Value::as_object)
        .map(|item| METHODS.iter().filter(|m| item.get(**m).and_then(|op| op.get("operationId")).is_some()).count())
        .sum()
}

/// Prism's CLI script, from its package's `bin` entry.
fn prism_entry() -> Result<PathBuf, String> {
    let dir = servers::package_dir(PRISM);
    let manifest = dir.join("package.json");
    let text = std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let value: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let bin = match value.get("bin") {
        Some(Value::String(path)) => Some(path.as_str()),
        Some(Value::Object(bins)) => bins.get("prism").and_then(Value::as_str),
        _ => None,
    };
    let bin = bin.ok_or_else(|| format!("{}: no `bin.prism` entry", manifest.display()))?;
    let entry = dir.join(Path::new(bin));
    if entry.is_file() {
        Ok(entry)
    } else {
        Err(format!("{PRISM}: entry script {} is missing", entry.display()))
    }
}

/// The log once Prism has stopped writing to it (its last lines may trail its last response).
pub fn settled_log(path: &Path) -> Result<String, String> {
    let read = || std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()));
    let mut text = read()?;
    for _ in 0..20 {
        std::thread::sleep(Duration::from_millis(100));
        let again = read()?;
        if again.len() == text.len() {
            break;
        }
        text = again;
    }
    Ok(text)
}

/// What one Prism log says about the requests it received.
#[derive(Debug, Default, PartialEq)]
pub struct LogScan {
    /// Requests received, the readiness probe not counted.
    pub requests: usize,
    /// Violations (request or response) and requests Prism could not route.
    pub violations: Vec<String>,
}

/// Reads Prism's log (`[HTTP SERVER] get /path ℹ info Request received`, then the validator's
/// `Violation: <location> <message>` lines, or `Request terminated with error: …`).
pub fn scan_log(log: &str) -> LogScan {
    let probe = format!("] get {READY_PATH} ");
    let mut scan = LogScan::default();
    let mut current = String::new();
    for line in log.lines() {
        if let Some(at) = line.find("[HTTP SERVER] ") {
            let rest = &line[at + "[HTTP SERVER] ".len()..];
            if line.contains(&probe) {
                continue;
            }
            if line.ends_with("Request received") {
                scan.requests += 1;
                current = rest.split(" ℹ").next().unwrap_or(rest).trim().to_string();
            } else if let Some(i) = rest.find("Request terminated with error") {
                scan.violations.push(format!("{}: {}", current, &rest[i..]));
            }
        } else if let Some(i) = line.find("Violation: ") {
            scan.violations.push(format!("{current}: {}", line[i..].trim_end()));
        }
    }
    scan
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn base_path_is_folded_into_the_paths() {
        let mut doc = json!({"swagger": "2.0", "basePath": "/api/", "paths": {"/devices": {}, "/users/{id}": {}}});
        fold_base_path(&mut doc);
        assert_eq!(doc, json!({"swagger": "2.0", "paths": {"/api/devices": {}, "/api/users/{id}": {}}}));
        let mut doc = json!({"openapi": "3.0.0", "servers": [{"url": "https://h.example/v1"}], "paths": {"/a": {}}});
        fold_base_path(&mut doc);
        assert_eq!(doc, json!({"openapi": "3.0.0", "paths": {"/v1/a": {}}}));
        let mut doc = json!({"swagger": "2.0", "host": "h", "paths": {"/a": {"get": {"operationId": "A"}}}});
        fold_base_path(&mut doc);
        assert_eq!(doc["paths"], json!({"/a": {"get": {"operationId": "A"}}}));
        assert_eq!(operation_count(&doc), 1);
    }

    #[test]
    fn log_scan_counts_requests_and_violations_but_not_the_probe() {
        let log = "\
[3:37:22 AM] › [HTTP SERVER] get /prism-ready ℹ  info      Request received
[3:37:22 AM] › [HTTP SERVER] get /prism-ready ✖  error     Request terminated with error: NO_PATH_MATCHED
[3:37:22 AM] › [HTTP SERVER] put /devices/d1 ℹ  info      Request received
[3:37:22 AM] ›     [VALIDATOR] ✖  error     Request body property displayName must be string
[3:37:22 AM] ›     [VALIDATOR] ✖  error     Violation: request.body.displayName Request body property displayName must be string
[3:37:22 AM] › [HTTP SERVER] get /devices ℹ  info      Request received
[3:37:22 AM] ›     [NEGOTIATOR] ℹ  info      > Responding with \"200\"
[3:37:22 AM] › [HTTP SERVER] get /nothing ℹ  info      Request received
[3:37:22 AM] › [HTTP SERVER] get /nothing ✖  error     Request terminated with error: NO_PATH_MATCHED
";
        let scan = scan_log(log);
        assert_eq!(scan.requests, 3);
        assert_eq!(
            scan.violations,
            [
                "put /devices/d1: Violation: request.body.displayName Request body property displayName must be string",
                "get /nothing: Request terminated with error: NO_PATH_MATCHED",
            ]
        );
    }
}
