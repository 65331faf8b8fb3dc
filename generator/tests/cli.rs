//! The `iot-rest-codegen` binary: exit codes, messages, and no output tree on failure.

use std::path::PathBuf;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iot-rest-codegen"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A fresh, absent directory under the target's scratch space.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let output = run(&["generate", "tests/data/bom/swagger.json", "--out", "x", "--bogus"]);
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(
        text.starts_with("error: unknown option \"--bogus\"\n\nusage: iot-rest-codegen generate"),
        "{text}"
    );
}

#[test]
fn missing_out_is_a_usage_error() {
    let output = run(&["generate", "tests/data/bom/swagger.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with("error: missing --out DIR\n"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn no_arguments_is_a_usage_error() {
    let output = run(&[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("usage: iot-rest-codegen generate SPEC... --out DIR"));
}

#[test]
fn help_prints_usage_and_succeeds() {
    let output = run(&["--help"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("usage: iot-rest-codegen generate"));
}

#[test]
fn malformed_spec_is_a_located_error_and_writes_nothing() {
    let out = scratch("malformed");
    let output = run(&[
        "generate",
        "tests/data/malformed/swagger.json",
        "--out",
        &out.to_string_lossy(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "error: tests/data/malformed/swagger.json#: invalid JSON at line 4, column 3: expected `,` or `}`\n"
    );
    assert!(!out.exists(), "{} must not be created", out.display());
}

#[test]
fn dangling_ref_is_a_located_error_and_writes_nothing() {
    let out = scratch("dangling");
    let output = run(&[
        "generate",
        "tests/data/dangling/swagger.json",
        "--out",
        &out.to_string_lossy(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "error: tests/data/dangling/swagger.json#/definitions/Device/properties/group: \
         $ref \"#/definitions/Nope\" does not resolve\n"
    );
    assert!(!out.exists(), "{} must not be created", out.display());
}

#[test]
fn generates_a_crate() {
    let out = scratch("generate");
    let output = run(&[
        "generate",
        "tests/data/params/swagger.json",
        "--out",
        &out.to_string_lossy(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let files = walk(&out);
    assert_eq!(stdout, format!("wrote {} files to {}\n", files, out.display()));
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("Cargo.toml written");
    assert!(
        manifest.contains("name = \"swagger\""),
        "default crate name from the file stem:\n{manifest}"
    );
    assert!(
        out.join("src/runtime/mod.rs").exists(),
        "the runtime is copied in by default"
    );
    assert!(!manifest.contains("iot-rest-runtime"), "{manifest}");
}

#[test]
fn runtime_crate_makes_a_crate_that_depends_on_the_runtime_package() {
    let out = scratch("over-package");
    let output = run(&[
        "generate",
        "tests/data/params/swagger.json",
        "--out",
        &out.to_string_lossy(),
        "--runtime-crate",
        "../generated/runtime",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("Cargo.toml written");
    let line = manifest
        .lines()
        .find(|l| l.starts_with("iot-rest-runtime = "))
        .unwrap_or_else(|| panic!("no runtime dependency:\n{manifest}"));
    let path = line
        .split("path = \"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a path");
    assert!(!PathBuf::from(path).is_absolute(), "{line}");
    let runtime = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../generated/runtime");
    assert_eq!(
        out.join(path).canonicalize().unwrap(),
        runtime.canonicalize().unwrap(),
        "the path is relative to the output directory: {line}"
    );
    let lib = std::fs::read_to_string(out.join("src/lib.rs")).expect("lib.rs written");
    assert!(lib.contains("pub use iot_rest_runtime::*;"), "{lib}");
    assert!(!out.join("src/runtime").exists(), "no copied runtime");
}

#[test]
fn runtime_crate_without_the_package_is_an_error_and_writes_nothing() {
    let out = scratch("no-package");
    let output = run(&[
        "generate",
        "tests/data/params/swagger.json",
        "--out",
        &out.to_string_lossy(),
        "--runtime-crate",
        "tests/data",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "error: --runtime-crate tests/data: no iot-rest-runtime package there\n"
    );
    assert!(!out.exists(), "{} must not be created", out.display());
}

fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .expect("output directory exists")
        .map(|entry| entry.expect("readable entry").path())
        .map(|path| if path.is_dir() { walk(&path) } else { 1 })
        .sum()
}
