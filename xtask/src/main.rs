//! Project automation, the rust-analyzer way: `cargo xtask <command>`.
//!
//! - `codegen [--check]`: regenerate `generated/` from `specs/` (or fail with a diff when it drifted);
//! - `test`: every test the project has (the README's test command; CI runs exactly this);
//! - `corpus [DIR]`: generate a standalone crate per public document under DIR (default
//!   `../shared/specs`), then check, clippy and round-trip its examples;
//! - `conformance`: the AutoRest test server's LRO and paging scenarios, on clients generated from
//!   the documents inside the installed server package;
//! - `prism`: Prism mock servers validate a call of every generated operation;
//! - `bench codegen [RUNS]`: time code generation (release build);
//! - `bench build [RUNS]`: time the crate-alone debug build of a generated client against AutoRust's;
//! - `bench client [ROUNDS]`: requests per second of the generated client against raw reqwest + serde;
//! - `bench scale`: generation time and peak memory for synthetic documents of 1k/5k/20k models
//!   (run in release);
//! - `fuzz [--seconds N] [--seed S]`: the generator and model fuzz tests, for N seconds each;
//! - `examples`: run every example of `generated/examples/` against Prism mocks;
//! - `semver [PAIR...]`: the change report's semver verdicts against cargo-semver-checks.

mod bench;
mod bench_client;
mod bench_scale;
mod changelog;
mod codegen;
mod conformance;
mod corpus;
mod fuzz;
mod prism;
mod responder;
mod runnable_examples;
mod semver;
mod servers;
/// The example walker shared with `iot-rest-tests`.
#[path = "../../tests/support/examples.rs"]
#[allow(dead_code)]
mod examples;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen::run(&args[1..]),
        Some("test") => test(&args[1..]),
        Some("corpus") => corpus::run(&args[1..]),
        Some("conformance") => conformance::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("fuzz") => fuzz::run(&args[1..]),
        Some("prism") => prism::run(&args[1..]),
        Some("examples") => runnable_examples::run(&args[1..]),
        Some("semver") => semver::run(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <codegen [--check] | test | corpus [DIR] | conformance | prism | examples | semver [PAIR...] | bench <codegen|build|client|scale> [RUNS] | fuzz [--seconds N] [--seed S]>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

/// Runs a command in the workspace root, echoing it; fails if it fails.
pub fn run_cmd(cmd: &mut Command) -> Result<(), String> {
    eprintln!("$ {}", describe(cmd));
    let status = cmd.current_dir(root()).status().map_err(|e| format!("{}: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(cmd)))
    }
}

pub fn describe(cmd: &Command) -> String {
    let mut parts = vec![cmd.get_program().to_string_lossy().to_string()];
    parts.extend(cmd.get_args().map(|a| a.to_string_lossy().to_string()));
    parts.join(" ")
}

pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// `cargo xtask test`: drift, unit and workspace tests, clippy and rustdoc on everything, the
/// public-document corpus, the AutoRest test server conformance scenarios, Prism request validation,
/// the examples and the change report's verdicts against cargo-semver-checks.
fn test(args: &[String]) -> Result<(), String> {
    if let Some(a) = args.first() {
        return Err(format!("unexpected argument `{a}` (usage: cargo xtask test)"));
    }
    codegen::run(&["--check".to_string()])?;
    run_cmd(cargo().args(["test", "--workspace", "--all-features"]))?;
    run_cmd(cargo().args(["clippy", "--workspace", "--all-targets", "--all-features", "--", "-D", "warnings"]))?;
    // Test targets that only run against servers are not among `--all-targets`.
    run_cmd(cargo().args(["clippy", "-p", "iot-rest-tests", "--test", "prism", "--", "-D", "warnings"]))?;
    run_cmd(
        cargo()
            .args(["doc", "--package", "iot-rest", "--package", "iot-rest-runtime", "--all-features", "--no-deps"])
            .env("RUSTDOCFLAGS", "-D warnings"),
    )?;
    corpus::run(&[])?;
    conformance::run(&[])?;
    prism::run(&[])?;
    runnable_examples::run(&[])?;
    semver::run(&[])?;
    Ok(())
}
