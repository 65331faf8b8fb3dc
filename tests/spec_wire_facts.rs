//! Our IoT Central documents (`specs/iotcentral/<version>.json`) are written by this project. They must state
//! exactly the wire facts of the public document of the same version
//! (`../shared/specs/iotcentral/<version>/iotcentral.json`), both ways: everything we state is stated the same
//! there — paths, methods, operationIds, parameters with their types and constraints, property names, JSON
//! types and formats, readOnly flags, required lists, enums, discriminator values, host and base path — and
//! everything stated there exists in ours. The prose must not be copied from it.
//!
//! Deliberate differences, checked as such: the api-version parameter is a constant of the document, a PATCH
//! consumes only `application/merge-patch+json`, and host parameters are compared by name, not order.

#[path = "spec_wire_facts/checker.rs"]
mod checker;
#[path = "spec_wire_facts/json.rs"]
mod json;

use std::collections::BTreeSet;

use checker::{Checker, Pass};
use iot_rest_tests::shared_dir;
use json::{ours, prose, public};
use serde_json::Value;

/// Our documents; each is checked against the public document of the same version.
const VERSIONS: &[&str] = &["2022-07-31", "1.0", "2022-10-31-preview"];

/// Parameters ours may declare beyond the public document: (version, operationId, parameter name, why).
/// None today: the `filter`, `orderby` and `maxpagesize` options the guide sends to the preview's device and
/// device template lists are declared by the public preview document itself.
const EXTRA_PARAMETERS: &[(&str, &str, &str, &str)] = &[];

/// Descriptions at least this long must not be taken verbatim from the public documents.
const MIN_COPIED_DESCRIPTION_CHARS: usize = 40;

fn run(pass: Pass) -> Vec<String> {
    VERSIONS
        .iter()
        .flat_map(|version| {
            let (ours, public) = (ours(version), public(version));
            Checker::new(version, pass, &ours, &public).allow_extra_parameters(EXTRA_PARAMETERS).check()
        })
        .collect()
}

#[test]
fn every_wire_fact_we_state_is_stated_the_same_by_the_public_documents() {
    let mismatches = run(Pass::Facts);
    assert!(
        mismatches.is_empty(),
        "{} wire fact(s) differ from the public documents:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

#[test]
fn everything_the_public_documents_state_is_in_ours() {
    let missing = run(Pass::Coverage);
    assert!(missing.is_empty(), "{} public item(s) missing from our documents:\n{}", missing.len(), missing.join("\n"));
}

#[test]
fn descriptions_are_not_copied_from_the_public_documents() {
    let publics: Vec<Value> = VERSIONS.iter().map(|v| public(v)).collect();
    let mut public_prose = Vec::new();
    for doc in &publics {
        prose(doc, String::new(), &mut public_prose);
    }
    let public_prose: BTreeSet<&str> = public_prose.into_iter().map(|(_, text)| text).collect();
    let mut copied = Vec::new();
    for version in VERSIONS {
        let ours = ours(version);
        let mut our_prose = Vec::new();
        prose(&ours, String::new(), &mut our_prose);
        for (pointer, text) in our_prose {
            if text.chars().count() >= MIN_COPIED_DESCRIPTION_CHARS && public_prose.contains(text) {
                copied.push(format!("specs/iotcentral/{version}.json: {pointer}: {text:?}"));
            }
        }
    }
    assert!(copied.is_empty(), "descriptions copied verbatim from the public documents:\n{}", copied.join("\n"));
}

/// The preview calls of the user's how-to guides (`../shared/seeds/*.txt`): `GET https://…/api/<path>?<query>`
/// lines with `api-version=2022-10-31-preview`, as (path, query parameter names).
fn preview_calls_in_the_guides() -> BTreeSet<(String, Vec<String>)> {
    let mut calls = BTreeSet::new();
    let seeds = shared_dir().join("seeds");
    let entries = std::fs::read_dir(&seeds).unwrap_or_else(|e| panic!("read {}: {e}", seeds.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        for line in text.lines().map(str::trim) {
            let Some(url) = line.strip_prefix("GET https://") else { continue };
            let Some((_, call)) = url.split_once("/api/") else { continue };
            let (path, query) = call.split_once('?').unwrap_or((call, ""));
            let names: Vec<String> =
                query.split('&').filter_map(|pair| pair.split('=').next()).map(String::from).collect();
            if query.contains("api-version=2022-10-31-preview") {
                calls.insert((format!("/{path}"), names));
            }
        }
    }
    calls
}

/// Whether a request path matches a path template of the document (`{name}` matches one segment).
fn matches(template: &str, path: &str) -> bool {
    let (template, path): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    template.len() == path.len() && template.iter().zip(&path).all(|(t, p)| t == p || t.starts_with('{'))
}

#[test]
fn preview_list_options_are_declared_as_the_guides_send_them() {
    let calls = preview_calls_in_the_guides();
    let sent: BTreeSet<&str> = calls.iter().flat_map(|(_, names)| names.iter().map(String::as_str)).collect();
    for option in ["filter", "orderby", "maxpagesize"] {
        assert!(sent.contains(option), "the guides no longer send `{option}`; found calls {calls:?}");
    }
    let doc = ours("2022-10-31-preview");
    let paths = doc["paths"].as_object().expect("paths");
    let mut undeclared = Vec::new();
    for (path, names) in &calls {
        let Some((template, item)) = paths.iter().find(|(template, _)| matches(template, path)) else {
            undeclared.push(format!("GET {path}: no such path"));
            continue;
        };
        let declared: BTreeSet<&str> = json::parameters(&doc, template, "get")
            .into_iter()
            .filter(|(_, p)| p["in"] == "query")
            .filter_map(|(_, p)| p["name"].as_str())
            .collect();
        for name in names.iter().filter(|n| !declared.contains(n.as_str())) {
            undeclared
                .push(format!("GET {path} ({}): query parameter `{name}` is not declared", item["get"]["operationId"]));
        }
    }
    assert!(
        undeclared.is_empty(),
        "preview calls of the guides that our document cannot make:\n{}",
        undeclared.join("\n")
    );
}

/// The mismatches of one pass over a changed copy of one of our documents.
fn check_changed(version: &str, pass: Pass, change: impl FnOnce(&mut Value)) -> Vec<String> {
    let (mut ours, public) = (ours(version), public(version));
    change(&mut ours);
    Checker::new(version, pass, &ours, &public).check()
}

/// Asserts that a mismatch starts with `document` and contains `item` (a pointer and what is wrong with it).
fn assert_reported(mismatches: &[String], document: &str, item: &str) {
    let found = mismatches.iter().any(|m| m.starts_with(document) && m.contains(item));
    assert!(found, "expected {document}: …{item}…, got:\n{}", mismatches.join("\n"));
}

#[test]
fn facts_pass_reports_a_renamed_property_at_our_pointer() {
    let mismatches = check_changed("2022-07-31", Pass::Facts, |ours| {
        let properties = ours["definitions"]["Device"]["properties"].as_object_mut().expect("Device has properties");
        let display_name = properties.remove("displayName").expect("Device.displayName");
        properties.insert("name".into(), display_name);
    });
    let item = "definition Device: /definitions/Device/properties/name: property `name` is not in the public document";
    assert_reported(&mismatches, "specs/iotcentral/2022-07-31.json", item);
}

#[test]
fn facts_pass_reports_a_changed_parameter_constraint() {
    let mismatches = check_changed("2022-10-31-preview", Pass::Facts, |ours| {
        ours["parameters"]["MaxPageSize"]["maximum"] = 50.into();
    });
    let item = "Devices_List: /paths/~1devices/get/parameters/1: `maximum` is 50 here but 100 in the public document";
    assert_reported(&mismatches, "specs/iotcentral/2022-10-31-preview.json", item);
}

#[test]
fn facts_pass_rejects_a_patch_that_may_be_sent_as_plain_json() {
    let mismatches = check_changed("2022-07-31", Pass::Facts, |ours| {
        ours["paths"]["/devices/{deviceId}"]["patch"]["consumes"] =
            serde_json::json!(["application/json", "application/merge-patch+json"]);
    });
    let item =
        "Devices_Update: /paths/~1devices~1{deviceId}/patch: a PATCH must consume only application/merge-patch+json";
    assert_reported(&mismatches, "specs/iotcentral/2022-07-31.json", item);
}

#[test]
fn facts_pass_requires_the_api_version_to_be_the_documents_constant() {
    let mismatches = check_changed("1.0", Pass::Facts, |ours| {
        ours["parameters"]["Version"]["default"] = "2022-07-31".into();
    });
    let item = "Roles_List: /paths/~1roles/get/parameters/0: api-version must be the constant \"1.0\"";
    assert_reported(&mismatches, "specs/iotcentral/1.0.json", item);
}

#[test]
fn coverage_pass_reports_a_missing_operation_at_the_public_pointer() {
    let mismatches = check_changed("2022-07-31", Pass::Coverage, |ours| {
        ours["paths"]["/devices/{deviceId}/attestation"].as_object_mut().expect("attestation path").remove("get");
    });
    let item = "Devices_GetAttestation: /paths/~1devices~1{deviceId}~1attestation/get: operation GET /devices/{deviceId}/attestation is missing from specs/iotcentral/2022-07-31.json";
    assert_reported(&mismatches, "public 2022-07-31/iotcentral.json", item);
}

#[test]
fn coverage_pass_reports_a_missing_property_and_discriminated_subtype() {
    let mismatches = check_changed("2022-10-31-preview", Pass::Coverage, |ours| {
        let definitions = ours["definitions"].as_object_mut().expect("definitions");
        definitions.remove("WebhookV1DestinationOAuthAuth");
        definitions["EnrollmentGroup"]["properties"].as_object_mut().expect("properties").remove("idScope");
    });
    let (document, missing) =
        ("public 2022-10-31-preview/iotcentral.json", "is missing from specs/iotcentral/2022-10-31-preview.json");
    // The context names the definition whose walk reached the base first, so only the item is asserted.
    let subtype = ": /definitions/WebhookV1DestinationOAuthAuth: subtype WebhookV1DestinationOAuthAuth (discriminator value \"oauth\")";
    assert_reported(&mismatches, document, &format!("{subtype} {missing}"));
    let property = "definition EnrollmentGroup: /definitions/EnrollmentGroup/properties/idScope: property `idScope`";
    assert_reported(&mismatches, document, &format!("{property} {missing}"));
}
