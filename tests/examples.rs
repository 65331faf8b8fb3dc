//! Every `x-ms-examples` body in our documents decodes into the generated `iot-rest` models and
//! encodes back to the same JSON (see `support/examples.rs` for the normalisation).

use iot_rest_tests::examples::{cases_from_document, cases_from_listed_file, check, read_json, readme_example_files};
use iot_rest_tests::{dispatch, shared_dir, workspace_root};

#[test]
fn examples_in_our_documents_round_trip_through_the_models() {
    let mut total = 0;
    let mut failures = Vec::new();
    for (spec, roundtrip) in dispatch::APIS {
        let path = workspace_root().join("specs").join(spec);
        let cases = cases_from_document(&path).unwrap_or_else(|e| panic!("{e}"));
        let (checked, mut f) = check(&cases, roundtrip);
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
    let (_, roundtrip) = dispatch::APIS.iter().find(|(s, _)| *s == "dps/2017-11-15.json").expect("DPS is in the manifest");
    let mut cases = Vec::new();
    let doc = read_json(&workspace_root().join("specs/dps/2017-11-15.json")).expect("DPS document");
    for (file, ops) in readme_example_files(&readme, "dps/2017-11-15") {
        cases.extend(cases_from_listed_file(&doc, &shared.join(&file), &ops).unwrap_or_else(|e| panic!("{e}")));
    }
    let (checked, failures) = check(&cases, roundtrip);
    assert!(failures.is_empty(), "{} example bodies failed:\n{}", failures.len(), failures.join("\n"));
    assert!(checked >= 15, "expected at least 15 DPS example bodies, found {checked}");
}
