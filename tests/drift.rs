//! `generated/` must be exactly what `cargo xtask codegen` makes from `specs/`.

use iot_rest_codegen::manifest::{diff, existing_files, expected_files, owned_dirs};
use iot_rest_tests::workspace_root;

#[test]
fn generated_code_matches_specs() {
    let root = workspace_root();
    let (manifest, expected, _) = expected_files(&root).unwrap_or_else(|e| panic!("{e}"));
    let actual = existing_files(&root.join("generated"), &owned_dirs(&manifest)).unwrap_or_else(|e| panic!("{e}"));
    let diff = diff(&actual, &expected);
    assert!(diff.is_empty(), "generated/ drifted from specs/:\n{diff}\nRun `cargo xtask codegen` and commit the result.");
}
