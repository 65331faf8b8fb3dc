//! `cargo xtask conformance`: the runtime on Microsoft's AutoRest test server.
//!
//! Installs the pinned test server (see [`servers`](crate::servers)), generates standalone client
//! crates over the runtime package from every Swagger document shipped inside the installed package
//! (never committed; those without scenario tests are only clippied), builds them with the scenario
//! tests of `tests/conformance/` into a throw-away workspace under `target/conformance/`, starts the
//! server on 127.0.0.1, runs one test per scenario, and stops it.
//! The server's coverage reports are kept at `target/conformance/report-{azure,vanilla,optional}.json`;
//! every azure scenario and every vanilla and optional scenario of the documents in [`DOCUMENTS`]
//! must have been hit (but those [`LEFT`] names, with the reason) and every test must pass.

use std::path::PathBuf;

use iot_rest_codegen::Files;

use crate::servers::{self, Server, TESTSERVER};
use crate::{cargo, corpus, root, run_cmd};

/// The coverage report a document's scenarios are counted in (`/report/azure` or `/report`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Report {
    Azure,
    Vanilla,
    /// Scenarios the server counts as optional features (`/report/optional`).
    Optional,
}

/// One test-server document: the crate generated from it, the test file of `tests/conformance/`
/// that runs its scenarios, the report they count in and their keys there (`Prefix*` or exact).
/// A document with keys in two reports has a row per report.
struct Document {
    file: &'static str,
    krate: &'static str,
    test: &'static str,
    report: Report,
    keys: &'static [&'static str],
}

const fn doc(file: &'static str, krate: &'static str, test: &'static str, report: Report, keys: &'static [&'static str]) -> Document {
    Document { file, krate, test, report, keys }
}

use Report::{Azure, Optional, Vanilla};

/// Adding a document is one row here plus its test file.
const DOCUMENTS: &[Document] = &[
    doc("lro.json", "autorest-lro", "lro", Azure, &["LRO*", "CustomHeader*"]),
    doc("lro-parameterized-endpoints.json", "autorest-lro-parameterized", "lro", Azure, &["LROParameterized*"]),
    doc("paging.json", "autorest-paging", "paging", Azure, &["Paging*"]),
    doc("custom-baseUrl-paging.json", "autorest-custom-url-paging", "paging", Azure, &["PagingCustomUrl*"]),
    doc("azure-special-properties.json", "autorest-azure-special", "azure_special", Azure, &["Azure*"]),
    doc("azure-parameter-grouping.json", "autorest-parameter-grouping", "parameter_grouping", Azure, &["postParameterGrouping*", "PostParameterGrouping*", "PutParameterGrouping*"]),
    doc("subscriptionId-apiVersion.json", "autorest-subscription-api-version", "azure_special", Azure, &["SubscriptionIdAndApiVersion"]),
    doc("custom-baseUrl.json", "autorest-custom-base-url", "custom_base_url", Vanilla, &["CustomBaseUri"]),
    doc("custom-baseUrl-more-options.json", "autorest-custom-base-url-more", "custom_base_url", Vanilla, &["CustomBaseUriMoreOptions"]),
    doc("head.json", "autorest-head", "head", Vanilla, &["HttpSuccess200Head", "HttpSuccess204Head", "HttpSuccess404Head"]),
    doc("head-exceptions.json", "autorest-head-exceptions", "head", Vanilla, &["HttpSuccess200Head", "HttpSuccess204Head", "HttpSuccess404Head"]),
    doc("httpInfrastructure.json", "autorest-http", "http_infrastructure", Vanilla, &["Http*", "ResponsesScenario*"]),
    doc("xms-error-responses.json", "autorest-error-responses", "errors", Vanilla, &["expectedNoErrors", "expectedPetSadError", "expectedPetHungryError", "animalNotFoundError", "linkNotFoundError", "stringError", "intError"]),
    doc("url-multi-collectionFormat.json", "autorest-url-multi", "requests", Vanilla, &["UrlQueriesArrayMulti*"]),
    doc("required-optional.json", "autorest-required-optional", "requests", Vanilla, &["Optional*", "GeneralOptional", "*BinaryBody"]),
    doc("constants.json", "autorest-constants", "requests", Vanilla, &["ConstantClientProperties"]),
    doc("reserved-words.json", "autorest-reserved-words", "requests", Vanilla, &["reservedWords*"]),
    doc("parameter-flattening.json", "autorest-parameter-flattening", "requests", Vanilla, &[]),
    doc("body-binary.json", "autorest-body-binary", "bodies", Vanilla, &["BodyBinary*"]),
    doc("body-file.json", "autorest-body-file", "bodies", Vanilla, &["FileStream*"]),
    doc("body-formdata.json", "autorest-body-formdata", "bodies", Vanilla, &["FormdataStreamUploadFile"]),
    doc("body-formdata.json", "autorest-body-formdata", "bodies", Optional, &["StreamUploadFile"]),
    doc("body-formdata-urlencoded.json", "autorest-body-formdata-urlencoded", "bodies", Optional, &["UpdatePetWithForm", "UrlEncodedDataWithPartialConstantBody"]),
    doc("media_types.json", "autorest-media-types", "bodies", Vanilla, &["MediaType*"]),
    doc("body-boolean.json", "autorest-body-boolean", "primitives", Vanilla, &["getBool*", "putBool*"]),
    doc("body-byte.json", "autorest-body-byte", "primitives", Vanilla, &["getByte*", "putByte*"]),
    doc("body-date.json", "autorest-body-date", "primitives", Vanilla, &["getDateMax", "putDateMax", "getDateMin", "putDateMin", "getDateNull", "getDateInvalid", "getDateOverflow", "getDateUnderflow"]),
    doc("body-duration.json", "autorest-body-duration", "primitives", Vanilla, &["getDuration*", "putDuration*"]),
    doc("body-integer.json", "autorest-body-integer", "primitives", Vanilla, &["getInteger*", "putInteger*", "getLong*", "putLong*", "getUnixTime", "putUnixTime", "getInvalidUnixTime", "getNullUnixTime"]),
    doc("body-number.json", "autorest-body-number", "primitives", Vanilla, &["getNumberNull", "getFloat*", "putFloat*", "getDouble*", "putDouble*"]),
    doc("body-string.json", "autorest-body-string", "primitives", Vanilla, &["getString*", "putString*", "getEnum*", "putEnum*"]),
    doc("body-datetime.json", "autorest-body-datetime", "primitives", Vanilla, &["getDateTimeMax*", "getDateTimeMin*", "getDateTimeNull", "getDateTimeInvalid", "getDateTimeOverflow", "getDateTimeUnderflow", "putDateTimeMax*", "putDateTimeMin*"]),
    doc("header.json", "autorest-header", "headers", Vanilla, &["HeaderParameter*", "HeaderResponse*"]),
    doc("object-type.json", "autorest-object-type", "values", Vanilla, &["ObjectType*"]),
    doc("any-type.json", "autorest-any-type", "values", Vanilla, &["*AsAnything"]),
    doc("non-string-enum.json", "autorest-non-string-enum", "values", Vanilla, &["NonStringEnums*"]),
    doc("body-array.json", "autorest-body-array", "arrays", Vanilla, &["getArray*", "putArray*"]),
    doc("body-datetime-rfc1123.json", "autorest-body-datetime-rfc1123", "primitives", Vanilla, &["getDateTimeRfc1123*", "putDateTimeRfc1123*"]),
];

/// Keys of these documents a run may leave unhit, with the reason (printed with them).
const LEFT: &[(&str, &str)] = &[];

/// Whether report key `key` is one of `patterns` (`Prefix*`, `*Suffix` or exact).
fn matches(key: &str, patterns: &[&str]) -> bool {
    patterns.iter().any(|p| match (p.strip_suffix('*'), p.strip_prefix('*')) {
        (Some(prefix), _) => key.starts_with(prefix),
        (_, Some(suffix)) => key.ends_with(suffix),
        _ => key == *p,
    })
}

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(a) = args.first() {
        return Err(format!("unexpected argument `{a}` (usage: cargo xtask conformance)"));
    }
    servers::install()?;
    let package = servers::package_dir(TESTSERVER);
    let workspace = root().join("target/conformance");
    let untyped = write_scenario_workspace(&package, &workspace)?;

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
    let tests = run_cmd(test(&["--no-fail-fast"]).env("AUTOREST_TESTSERVER_URL", server.url()));
    let reports = [(Azure, "azure", "/report/azure"), (Vanilla, "vanilla", "/report"), (Optional, "optional", "/report/optional")]
        .map(|(report, name, path)| (report, name, server.request("GET", path)));
    drop(server);

    let mut summary = Vec::new();
    let mut missed = Vec::new();
    let mut left = Vec::new();
    for (report, name, answer) in reports {
        let (status, body) = answer?;
        if status != 200 {
            return Err(format!("the test server's {name} coverage report answered {status}"));
        }
        let path = workspace.join(format!("report-{name}.json"));
        std::fs::write(&path, &body).map_err(|e| format!("{}: {e}", path.display()))?;
        let counts: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&body).map_err(|e| format!("{name} coverage report: {e}"))?;
        // Every azure key is a scenario of these documents; vanilla keys are theirs by pattern.
        let ours = |key: &str| report == Azure || DOCUMENTS.iter().any(|d| d.report == report && matches(key, d.keys));
        let keys: Vec<&String> = counts.keys().filter(|k| ours(k)).collect();
        let hit = |k: &str| counts[k].as_u64().unwrap_or(0) > 0;
        summary.push(format!("{name} {}/{}", keys.iter().filter(|k| hit(k)).count(), keys.len()));
        for key in keys.into_iter().filter(|k| !hit(k)) {
            match LEFT.iter().find(|(k, _)| k == key) {
                Some((_, reason)) => left.push(format!("{key}: {reason}")),
                None => missed.push(key.to_string()),
            }
        }
    }
    println!("conformance: {}", summary.join(", "));
    let mut files: Vec<&str> = DOCUMENTS.iter().map(|d| d.file).collect();
    files.sort_unstable();
    files.dedup();
    println!("  {} test-server documents generated, clippy clean", files.len() + other_documents(&package)?.len());
    println!("  {untyped} generation warnings of a value left as an untyped JSON value");
    for line in &left {
        println!("  left: {line}");
    }
    println!("coverage reports: {}", workspace.join("report-*.json").display());
    tests?;
    if !missed.is_empty() {
        return Err(format!("scenarios not hit: {}", missed.join(", ")));
    }
    Ok(())
}

/// The package's documents (`swagger/*.json`) no row of [`DOCUMENTS`] names, sorted.
fn other_documents(package: &std::path::Path) -> Result<Vec<String>, String> {
    let dir = package.join("swagger");
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".json") && !DOCUMENTS.iter().any(|d| d.file == name))
        .collect();
    names.sort();
    Ok(names)
}

/// How many of `api`'s warnings say a value is left as untyped JSON.
fn untyped_json_warnings(api: &iot_rest_codegen::ir::Api) -> usize {
    api.warnings.iter().filter(|w| w.message.contains("as a JSON value")).count()
}

/// Writes the generated client crates and the scenario test crate; returns how many warnings of
/// values left as untyped JSON the documents gave.
fn write_scenario_workspace(package: &std::path::Path, workspace: &std::path::Path) -> Result<usize, String> {
    let mut files = Files::new();
    let mut deps = String::new();
    let mut members = Vec::new();
    let mut untyped = 0;
    for d in DOCUMENTS {
        // A document whose keys count in two reports has two rows and one crate.
        if members.iter().any(|m| m == d.krate) {
            continue;
        }
        let api = corpus::generate_member(&mut files, &package.join("swagger").join(d.file), d.krate, &corpus::runtime_package())?;
        untyped += untyped_json_warnings(&api);
        deps.push_str(&format!("{} = {{ path = \"../{}\" }}\n", d.krate, d.krate));
        members.push(d.krate.to_string());
    }
    // Every other document of the package is generated too, and clippied with the rest.
    for file in other_documents(package)? {
        let stem = file.trim_end_matches(".json");
        let krate = format!("autorest-doc-{}", stem.to_lowercase().replace(['.', '_'], "-"));
        let api = corpus::generate_member(&mut files, &package.join("swagger").join(&file), &krate, &corpus::runtime_package())?;
        untyped += untyped_json_warnings(&api);
        members.push(krate);
    }
    let sources: PathBuf = root().join("tests/conformance");
    let mut targets = String::new();
    let mut tests: Vec<&str> = DOCUMENTS.iter().map(|d| d.test).collect();
    tests.sort_unstable();
    tests.dedup();
    for test in tests {
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
             time = {{ version = \"0.3\", default-features = false, features = [\"macros\"] }}\n\
             tokio = {{ version = \"1\", features = [\"macros\", \"rt\", \"rt-multi-thread\", \"time\", \"net\", \"io-util\"] }}\n\
             {targets}"
        ),
    );
    files.insert(
        "conformance-tests/src/lib.rs".into(),
        "//! Scenario tests live in the repository's `tests/conformance/`.\n".into(),
    );
    members.push("conformance-tests".into());
    corpus::write_workspace(workspace, files, &members, "cargo xtask conformance")?;
    Ok(untyped)
}
