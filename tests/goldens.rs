//! Golden tests: every `tests/fixtures/<name>.json` (or `.yaml`) generates exactly the files in
//! `tests/goldens/<name>/`, and so does each OpenAPI 3.0 example of `../shared/specs/openapi3/`
//! (read from there at test time, never copied; its goldens are `tests/goldens/openapi3_<name>/`).
//!
//! Each fixture is a small document (Swagger 2.0 JSON, or YAML: `azure_extensions`, and `unions` in
//! OpenAPI 3.0) about one concern (naming, enums, paging, …). The goldens
//! are also compiled, warning-free, as modules of the `iot-rest-tests` library (`support/lib.rs`), so a
//! golden that does not build fails `cargo test` and `cargo clippy` too.
//!
//! When generated code changes on purpose, rewrite the goldens and review the diff:
//!
//! ```text
//! UPDATE_EXPECT=1 cargo test -p iot-rest-tests --test goldens
//! ```
//!
//! The test binary links the library, so goldens that no longer compile (after a runtime change, say)
//! would block their own regeneration; add `--no-default-features` to the command above to leave them
//! out of the build while rewriting them.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use iot_rest_codegen::emit::{self, Header, Root};
use iot_rest_tests::{shared_dir, workspace_root};

const UPDATE_COMMAND: &str = "UPDATE_EXPECT=1 cargo test -p iot-rest-tests --test goldens";

/// One `#[test]` per fixture, named after it; the list is checked against `tests/fixtures/` by
/// [`every_fixture_has_a_golden_test`].
macro_rules! golden_tests {
    ($($name:ident),* $(,)?) => {
        const FIXTURES: &[&str] = &[$(stringify!($name)),*];
        $(
            #[test]
            fn $name() {
                check_fixture(stringify!($name));
            }
        )*
    };
}

golden_tests! {
    azure_extensions,
    enums,
    etag_patch,
    host_params,
    hostile_text,
    lro,
    maps_and_any,
    naming,
    paging,
    polymorphism,
    unions,
}

/// One `#[test]` per shared document: golden name, path below `../shared/specs/`.
macro_rules! shared_golden_tests {
    ($($name:ident => $file:literal),* $(,)?) => {
        const SHARED: &[(&str, &str)] = &[$((stringify!($name), $file)),*];
        $(
            #[test]
            fn $name() {
                check_fixture(stringify!($name));
            }
        )*
    };
}

shared_golden_tests! {
    openapi3_callback_example => "openapi3/callback-example.yaml",
    openapi3_link_example => "openapi3/link-example.yaml",
    openapi3_petstore => "openapi3/petstore.yaml",
    openapi3_petstore_expanded => "openapi3/petstore-expanded.yaml",
    openapi3_uspto => "openapi3/uspto.yaml",
}

fn updating() -> bool {
    std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v == "1")
}

fn fixtures_dir() -> PathBuf {
    workspace_root().join("tests/fixtures")
}

fn goldens_dir() -> PathBuf {
    workspace_root().join("tests/goldens")
}

/// Fixture names (file stems of `tests/fixtures/*.json` and `*.yaml`), sorted.
fn fixtures_on_disk() -> BTreeSet<String> {
    let entries = fs::read_dir(fixtures_dir()).unwrap_or_else(|e| panic!("reading tests/fixtures: {e}"));
    entries
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json" || x == "yaml"))
        .map(|p| p.file_stem().expect("file stem").to_string_lossy().into_owned())
        .collect()
}

/// Every golden: the fixtures and the shared documents, sorted.
fn all_goldens() -> BTreeSet<String> {
    let mut all = fixtures_on_disk();
    all.extend(SHARED.iter().map(|(name, _)| name.to_string()));
    all
}

/// Generates the files of one fixture or shared document, keyed by path relative to its golden
/// directory.
fn generate(name: &str) -> Vec<(String, String)> {
    let (path, display) = match SHARED.iter().find(|(n, _)| *n == name) {
        Some((_, file)) => (shared_dir().join("specs").join(file), format!("../shared/specs/{file}")),
        None => {
            let yaml = format!("tests/fixtures/{name}.yaml");
            let display = if workspace_root().join(&yaml).is_file() { yaml } else { format!("tests/fixtures/{name}.json") };
            (workspace_root().join(&display), display)
        }
    };
    let api = iot_rest_codegen::lower_file(&path, &display)
        .unwrap_or_else(|e| panic!("fixture {name}: lowering failed: {e}"));
    let header = Header { command: UPDATE_COMMAND.into(), input: display };
    emit::api_files(&api, &header, Root::Module).unwrap_or_else(|e| panic!("fixture {name}: emitting failed: {e}"))
}

/// Files currently in a golden directory (relative, `/`-separated), sorted.
fn golden_files(dir: &Path) -> BTreeSet<String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        let Ok(entries) = fs::read_dir(dir) else { return };
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).expect("below root");
                out.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

fn unified_diff(path: &str, expected: &str, actual: &str) -> String {
    similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(3)
        .header(&format!("{path} (golden)"), &format!("{path} (generated)"))
        .to_string()
}

/// Compares (or, with `UPDATE_EXPECT=1`, rewrites) the goldens of one fixture.
fn check_fixture(name: &str) {
    let files = generate(name);
    let dir = goldens_dir().join(name);
    let generated: BTreeSet<String> = files.iter().map(|(p, _)| p.clone()).collect();
    let stale: Vec<String> = golden_files(&dir).difference(&generated).cloned().collect();

    if updating() {
        for (path, content) in &files {
            let target = dir.join(path);
            fs::create_dir_all(target.parent().expect("parent")).expect("create golden directory");
            if fs::read_to_string(&target).ok().as_deref() != Some(content.as_str()) {
                fs::write(&target, content).unwrap_or_else(|e| panic!("writing {}: {e}", target.display()));
            }
        }
        for path in &stale {
            fs::remove_file(dir.join(path)).unwrap_or_else(|e| panic!("removing stale golden {path}: {e}"));
        }
        return;
    }

    let mut problems = Vec::new();
    for (path, content) in &files {
        let shown = format!("tests/goldens/{name}/{path}");
        match fs::read_to_string(dir.join(path)) {
            Ok(expected) if expected == *content => {}
            Ok(expected) => problems.push(unified_diff(&shown, &expected, content)),
            Err(_) => problems.push(format!("missing golden file {shown}\n")),
        }
    }
    for path in &stale {
        problems.push(format!("stale golden file tests/goldens/{name}/{path}: the generator no longer emits it\n"));
    }
    assert!(
        problems.is_empty(),
        "fixture `{name}`: generated code differs from tests/goldens/{name}/\n\n{}\nIf the change is intended, run:\n    {UPDATE_COMMAND}\n",
        problems.join("\n")
    );
}

#[test]
fn every_fixture_has_a_golden_test() {
    let listed: BTreeSet<String> = FIXTURES.iter().map(|s| s.to_string()).collect();
    let on_disk = fixtures_on_disk();
    let untested: Vec<_> = on_disk.difference(&listed).collect();
    let missing: Vec<_> = listed.difference(&on_disk).collect();
    assert!(
        untested.is_empty(),
        "fixtures without a test: {untested:?}; add them to `golden_tests!` in tests/goldens.rs"
    );
    assert!(missing.is_empty(), "`golden_tests!` names fixtures that do not exist in tests/fixtures/: {missing:?}");
}

#[test]
fn every_golden_directory_has_a_fixture() {
    let fixtures = all_goldens();
    let Ok(entries) = fs::read_dir(goldens_dir()) else { return };
    let mut orphans = Vec::new();
    for entry in entries {
        let path = entry.expect("directory entry").path();
        let name = path.file_name().expect("file name").to_string_lossy().into_owned();
        if !fixtures.contains(&name) {
            if updating() && path.is_dir() {
                fs::remove_dir_all(&path).unwrap_or_else(|e| panic!("removing {}: {e}", path.display()));
            } else {
                orphans.push(name);
            }
        }
    }
    assert!(
        orphans.is_empty(),
        "tests/goldens/ has entries without a fixture in tests/fixtures/: {orphans:?}\nRemove them, or run:\n    {UPDATE_COMMAND}\n"
    );
}

/// The goldens compile only if `support/lib.rs` declares them, so a fixture must not be forgotten there.
#[test]
fn every_golden_is_compiled_by_the_support_library() {
    let lib = fs::read_to_string(workspace_root().join("tests/support/lib.rs")).expect("reading tests/support/lib.rs");
    let start = lib.find("pub mod goldens {").expect("tests/support/lib.rs declares `pub mod goldens { … }`");
    let block = &lib[start..start + lib[start..].find('}').expect("`pub mod goldens` is closed")];
    let declared: BTreeSet<&str> =
        block.lines().filter_map(|l| l.trim().strip_prefix("pub mod ")?.strip_suffix(';')).collect();
    let undeclared: Vec<String> =
        all_goldens().into_iter().filter(|name| !declared.contains(name.as_str())).collect();
    assert!(
        undeclared.is_empty(),
        "goldens not compiled: add to `pub mod goldens` in tests/support/lib.rs:\n{}",
        undeclared.iter().map(|n| format!("    pub mod {n};")).collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn generating_twice_gives_identical_bytes() {
    for name in all_goldens() {
        let first = generate(&name);
        let second = generate(&name);
        assert_eq!(first, second, "fixture `{name}`: two generations differ");
    }
}

#[test]
fn generated_files_end_with_one_newline_and_use_lf_only() {
    for name in all_goldens() {
        for (path, content) in generate(&name) {
            let shown = format!("tests/goldens/{name}/{path}");
            assert!(!content.contains('\r'), "{shown}: contains a carriage return");
            assert!(
                content.ends_with('\n') && !content.ends_with("\n\n"),
                "{shown}: does not end with exactly one newline"
            );
        }
    }
}
