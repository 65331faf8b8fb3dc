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
    // Every file on disk but the marker.
    let files = walk(&out) - 1;
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

/// What is in `dir`'s parent besides `dir` and the other scratch folders: staging or old copies.
fn leftovers(dir: &std::path::Path) -> Vec<String> {
    let name = dir.file_name().expect("named").to_string_lossy().to_string();
    std::fs::read_dir(dir.parent().expect("has a parent"))
        .expect("parent readable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(&format!(".{name}.")))
        .collect()
}

fn generate_into(out: &std::path::Path, extra: &[&str]) -> Output {
    let mut args = vec!["generate", "tests/data/params/swagger.json", "--out"];
    let out = out.to_string_lossy().to_string();
    args.push(&out);
    args.extend(extra);
    run(&args)
}

#[test]
fn a_folder_the_generator_did_not_write_is_refused_and_left_alone() {
    let out = scratch("foreign");
    std::fs::create_dir_all(&out).expect("folder");
    std::fs::write(out.join("notes.txt"), "mine").expect("user file");
    let output = generate_into(&out, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "error: {} is a folder with files in it that iot-rest-codegen did not write (it has no .iot-rest-codegen file); \
             nothing was written. Choose another --out, empty it, or pass --force to replace it\n",
            out.display()
        )
    );
    assert_eq!(std::fs::read_to_string(out.join("notes.txt")).expect("kept"), "mine");
    assert_eq!(walk(&out), 1);
    assert_eq!(leftovers(&out), Vec::<String>::new());
    // With --force it is replaced as a whole.
    let output = generate_into(&out, &["--force"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!out.join("notes.txt").exists());
    assert!(out.join("Cargo.toml").exists());
    assert_eq!(leftovers(&out), Vec::<String>::new());
}

#[test]
fn a_file_target_is_refused_and_replaced_only_with_force_leaving_nothing_behind() {
    let out = scratch("file-target");
    let _ = std::fs::remove_file(&out);
    std::fs::write(&out, "a file").expect("file");
    let output = generate_into(&out, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "error: {} is a file that iot-rest-codegen did not write; nothing was written. \
             Choose another --out, empty it, or pass --force to replace it\n",
            out.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&out).expect("untouched"), "a file");
    let output = generate_into(&out, &["--force"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(out.join("Cargo.toml").exists());
    assert_eq!(leftovers(&out), Vec::<String>::new());
}

#[test]
fn an_empty_folder_is_written_with_a_marker_listing_every_file() {
    let out = scratch("empty");
    std::fs::create_dir_all(&out).expect("folder");
    let output = generate_into(&out, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let marker = std::fs::read_to_string(out.join(".iot-rest-codegen")).expect("marker");
    let listed: Vec<&str> = marker.lines().filter(|l| !l.starts_with('#')).collect();
    assert!(listed.contains(&"Cargo.toml") && listed.contains(&"src/lib.rs"), "{marker}");
    assert_eq!(listed.len() + 1, walk(&out), "the marker lists every file but itself");
}

#[test]
fn regenerating_replaces_what_it_wrote_and_keeps_everything_else() {
    let out = scratch("regenerate");
    assert_eq!(generate_into(&out, &[]).status.code(), Some(0));
    // Given user files beside the output, an edited generated file, and a stale generated file
    std::fs::write(out.join("notes.txt"), "mine").expect("user file");
    std::fs::create_dir_all(out.join("target/debug")).expect("build folder");
    std::fs::write(out.join("target/debug/app"), "binary").expect("build output");
    std::fs::write(out.join("src/extra.rs"), "// mine").expect("user source");
    std::fs::write(out.join("src/lib.rs"), "// edited").expect("edit");
    std::fs::write(out.join("src/stale.rs"), "// old output").expect("stale");
    let marker = out.join(".iot-rest-codegen");
    let text = std::fs::read_to_string(&marker).expect("marker");
    std::fs::write(&marker, format!("{text}src/stale.rs\n")).expect("marker");
    // When it is generated again
    let output = generate_into(&out, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // Then generated files are new, the stale one is gone, and the user's files are all there
    assert_ne!(std::fs::read_to_string(out.join("src/lib.rs")).expect("lib"), "// edited");
    assert!(!out.join("src/stale.rs").exists());
    assert_eq!(std::fs::read_to_string(out.join("notes.txt")).expect("kept"), "mine");
    assert_eq!(std::fs::read_to_string(out.join("target/debug/app")).expect("kept"), "binary");
    assert_eq!(std::fs::read_to_string(out.join("src/extra.rs")).expect("kept"), "// mine");
    assert_eq!(leftovers(&out), Vec::<String>::new());
}

#[test]
fn a_user_file_where_a_generated_file_goes_is_refused_unless_forced() {
    let out = scratch("in-the-way");
    assert_eq!(generate_into(&out, &[]).status.code(), Some(0));
    let marker = out.join(".iot-rest-codegen");
    let text = std::fs::read_to_string(&marker).expect("marker");
    std::fs::write(&marker, text.replace("src/lib.rs\n", "")).expect("marker");
    std::fs::write(out.join("src/lib.rs"), "// mine").expect("user file");
    let output = generate_into(&out, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "error: {} was not written by iot-rest-codegen but is where a generated file goes; nothing was written. \
             Move it away, or pass --force to overwrite it\n",
            out.join("src/lib.rs").display()
        )
    );
    assert_eq!(std::fs::read_to_string(out.join("src/lib.rs")).expect("kept"), "// mine");
    let output = generate_into(&out, &["--force"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_ne!(std::fs::read_to_string(out.join("src/lib.rs")).expect("lib"), "// mine");
    assert_eq!(leftovers(&out), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn a_device_as_input_is_a_located_error() {
    let out = scratch("device");
    let output = run(&["generate", "/dev/zero", "--out", &out.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr(&output), "error: /dev/zero#: cannot read the file: not a regular file\n");
    assert!(!out.exists());
}


/// A fixture pair of `tests/semver/` (from this package's folder).
fn pair(name: &str) -> (String, String) {
    (format!("../tests/semver/{name}/old.json"), format!("../tests/semver/{name}/new.json"))
}

#[test]
fn diff_prints_the_report_and_fails_on_breaking_only_when_asked() {
    let (old, new) = pair("model-removed");
    let output = run(&["diff", &old, &new]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.starts_with(&format!("**API changes** `{old}` → `{new}`: **semver major** (1 breaking,")), "{stdout}");
    let output = run(&["diff", &old, &new, "--fail-on", "breaking"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr(&output), "error: 1 breaking changes\n");
    let (old, new) = pair("model-added");
    let output = run(&["diff", &old, &new, "--format", "json", "--fail-on", "breaking"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!((json["semver"].as_str(), json["changes"][0]["kind"].as_str()), (Some("minor"), Some("model")));
}

#[test]
fn diff_usage_and_input_errors_have_their_exit_codes() {
    let (old, _) = pair("model-removed");
    assert_eq!(run(&["diff", &old]).status.code(), Some(2));
    assert_eq!(run(&["diff", &old, &old, "--format", "yaml"]).status.code(), Some(2));
    let output = run(&["diff", &old, "tests/no-such-document.json"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).starts_with("error: tests/no-such-document.json#: cannot read the file"), "{}", stderr(&output));
}
