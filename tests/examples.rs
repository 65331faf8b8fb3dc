//! Every `x-ms-examples` body in our documents, in the DPS example files and in the public IoT Central
//! example files decodes into the generated `iot-rest` models and encodes back to the same JSON (see
//! `support/examples.rs` for the normalisation). Every member of those bodies must also be declared by
//! our document: models keep undeclared members in `additional_properties`, where a lost property
//! would round-trip unnoticed.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use iot_rest_tests::declared::{part_schema, undeclared_members};
use iot_rest_tests::examples::{
    cases_from_document, cases_from_listed_file, check, read_json, readme_example_files, Case,
};
use iot_rest_tests::{dispatch, shared_dir, workspace_root};

/// The public IoT Central documents (`../shared/specs/iotcentral/<version>/`) and our document of the
/// same version.
const IOT_CENTRAL_VERSIONS: &[(&str, &str)] = &[
    ("2022-07-31", "iotcentral/2022-07-31.json"),
    ("1.0", "iotcentral/1.0.json"),
    ("2022-10-31-preview", "iotcentral/2022-10-31-preview.json"),
];

/// Example members that their own document does not declare, listed with the reason instead of being
/// failures: (document relative to `specs/`, operationId, member pointer with `*` for array indices, why).
const UNDECLARED_BY_THEIR_DOCUMENT: &[(&str, &str, &str, &str)] = &[
    (
        "dps/2017-11-15.json",
        "Operations_List",
        "/value/*/display/description",
        "the DPS document (the user's, committed unchanged) declares OperationDisplay with provider, resource and \
     operation only; the examples Azure publishes for it also carry a description, which the model keeps in \
     additional_properties",
    ),
    (
        "iotcentral/2022-10-31-preview.json",
        "DeploymentManifests_Create",
        "/scopes",
        "the public example's response (deploymentManifest_create.json) lists the organizations as `scopes`; the \
     public document, like ours, declares that property as `organizations` only (the request of the same \
     example uses `organizations`)",
    ),
];

/// `/value/3/display` → `/value/*/display`.
fn member_pattern(pointer: &str) -> String {
    pointer
        .split('/')
        .map(|s| if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) { "*" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

/// Round-trips `cases` through the dispatcher of our document `spec` (relative to `specs/`) and checks
/// that our document declares every member; returns the bodies checked and the failures.
fn check_against(spec: &str, cases: &[Case]) -> (usize, Vec<String>) {
    let (_, roundtrip) =
        dispatch::APIS.iter().find(|(s, _)| *s == spec).unwrap_or_else(|| panic!("{spec} is not in the manifest"));
    let (checked, mut failures) = check(cases, roundtrip);
    let ours = read_json(&workspace_root().join("specs").join(spec)).unwrap_or_else(|e| panic!("{e}"));
    for case in cases {
        let Some(schema) = part_schema(&ours, &case.operation_id, &case.part) else { continue };
        for member in undeclared_members(&ours, schema, &case.value, "") {
            let pattern = member_pattern(&member);
            if UNDECLARED_BY_THEIR_DOCUMENT
                .iter()
                .any(|(d, op, m, _)| *d == spec && *op == case.operation_id && *m == pattern)
            {
                continue;
            }
            failures.push(format!("{}: member {member} is not declared by specs/{spec}", case.origin));
        }
    }
    (checked, failures)
}

#[test]
fn examples_in_our_documents_round_trip_through_the_models() {
    let mut total = 0;
    let mut failures = Vec::new();
    for (spec, _) in dispatch::APIS {
        let cases = cases_from_document(&workspace_root().join("specs").join(spec)).unwrap_or_else(|e| panic!("{e}"));
        let (checked, mut f) = check_against(spec, &cases);
        total += checked;
        failures.append(&mut f);
    }
    assert!(failures.is_empty(), "{} example bodies failed:\n{}", failures.len(), failures.join("\n"));
    assert!(total >= 40, "expected at least 40 example bodies in our documents, found {total}");
}

#[test]
fn dps_example_files_round_trip_through_the_models() {
    let shared = shared_dir().join("specs");
    let Ok(readme) = std::fs::read_to_string(shared.join("README.md")) else {
        panic!("../shared/specs/README.md is missing; the example corpus lives there");
    };
    let mut cases = Vec::new();
    let doc = read_json(&workspace_root().join("specs/dps/2017-11-15.json")).expect("DPS document");
    for (file, ops) in readme_example_files(&readme, "dps/2017-11-15") {
        cases.extend(cases_from_listed_file(&doc, &shared.join(&file), &ops).unwrap_or_else(|e| panic!("{e}")));
    }
    let (checked, failures) = check_against("dps/2017-11-15.json", &cases);
    assert!(failures.is_empty(), "{} example bodies failed:\n{}", failures.len(), failures.join("\n"));
    assert!(checked >= 15, "expected at least 15 DPS example bodies, found {checked}");
}

/// Every example file of the public IoT Central documents, matched to its operations by the public
/// document's `x-ms-examples` (whose operationIds are ours).
#[test]
fn public_iot_central_examples_round_trip_through_the_models() {
    let mut counts = Vec::new();
    let mut failures = Vec::new();
    for (version, spec) in IOT_CENTRAL_VERSIONS {
        let dir = shared_dir().join(format!("specs/iotcentral/{version}"));
        let public = dir.join("iotcentral.json");
        let files = example_files(&dir.join("examples"));
        let named = files_named_by(&read_json(&public).unwrap_or_else(|e| panic!("{e}")));
        let unnamed: Vec<&String> = files.iter().filter(|f| !named.contains(*f)).collect();
        assert!(unnamed.is_empty(), "{version}: example files no operation of the public document names: {unnamed:?}");
        let cases = cases_from_document(&public).unwrap_or_else(|e| panic!("{e}"));
        let (checked, mut f) = check_against(spec, &cases);
        counts.push(format!("{version}: {} files, {checked} bodies", files.len()));
        failures.append(&mut f);
    }
    eprintln!("public IoT Central examples round-tripped: {}", counts.join("; "));
    assert!(failures.is_empty(), "{} example bodies failed:\n{}", failures.len(), failures.join("\n"));
}

/// The `.json` file names in `dir`, sorted.
fn example_files(dir: &Path) -> BTreeSet<String> {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    entries
        .map(|e| e.expect("directory entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect()
}

/// The file names the `x-ms-examples` of `doc` refer to.
fn files_named_by(doc: &Value) -> BTreeSet<String> {
    let operations =
        doc.get("paths").and_then(Value::as_object).into_iter().flat_map(|p| p.values()).filter_map(Value::as_object);
    operations
        .flat_map(|item| item.values())
        .filter_map(|op| op.get("x-ms-examples").and_then(Value::as_object))
        .flat_map(|examples| examples.values())
        .filter_map(|example| example.get("$ref").and_then(Value::as_str))
        .map(|r| r.rsplit('/').next().unwrap_or(r).to_string())
        .collect()
}
