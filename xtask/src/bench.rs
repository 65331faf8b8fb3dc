//! `cargo xtask bench codegen [RUNS]` (code generation time), `cargo xtask bench build [RUNS]`
//! (crate-alone debug build time of a generated client against AutoRust's), and the dispatch of
//! `bench client` and `bench scale`.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use iot_rest_codegen::crate_files::Runtime;
use iot_rest_codegen::manifest::expected_files;

use crate::corpus::{runtime_package, shared_dir};
use crate::{cargo, describe, root};

/// AutoRust's client for the same document: its crate, version and the features that select the
/// 2022-07-31 API with rustls (its defaults are left off, as ours are not needed either).
const AUTOREST_CRATE: &str = "azure_svc_iotcentral";
const AUTOREST_VERSION: &str = "=0.21.0";
const AUTOREST_FEATURES: &str = r#"["package-2022-07-31", "enable_reqwest_rustls"]"#;

pub fn run(args: &[String]) -> Result<(), String> {
    let runs = |default: usize| args.get(1).and_then(|r| r.parse().ok()).unwrap_or(default);
    match args.first().map(String::as_str) {
        Some("codegen") => codegen(runs(9)),
        Some("build") => build(runs(7)),
        Some("client") => crate::bench_client::run(&args[1..]),
        Some("scale") => crate::bench_scale::scale(),
        Some("scale-child") => crate::bench_scale::scale_child(&args[1..]),
        _ => Err("usage: cargo xtask bench <codegen|build|client|scale> [RUNS]   (codegen and scale: run with `cargo run --release -p xtask -- bench …`)".into()),
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn public_document() -> std::path::PathBuf {
    shared_dir().join("specs/iotcentral/2022-07-31/iotcentral.json")
}

/// Median wall time of generating all of `specs/` and of the public IoT Central 2022-07-31 document
/// (as the CLI does by default), in this (release) process.
fn codegen(runs: usize) -> Result<(), String> {
    let mut all = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        expected_files(&root())?;
        all.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!("codegen specs/ (all documents): median {:.1} ms over {runs} runs", median(all));
    let public = public_document();
    if public.exists() {
        let mut one = Vec::new();
        for _ in 0..runs {
            let t = Instant::now();
            iot_rest_codegen::generate_crate(&[public.as_path()], "iotcentral", &Runtime::Copied)
                .map_err(|e| e.to_string())?;
            one.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        println!("codegen public IoT Central 2022-07-31: median {:.1} ms over {runs} runs", median(one));
    }
    Ok(())
}

/// One crate to time: a scratch project (its own workspace and lock file under `target/bench/`)
/// and the package in it whose build is timed.
struct Subject {
    manifest: String,
    package: &'static str,
    times: Vec<f64>,
}

impl Subject {
    fn cargo(&self, args: &[&str]) -> Result<(), String> {
        let mut cmd = cargo();
        cmd.args(args).args(["--quiet", "--manifest-path", &self.manifest, "--package", self.package]);
        // Cargo builds dependencies without incremental compilation, so that is how users build a client.
        cmd.env("CARGO_TARGET_DIR", root().join("target/bench/target")).env("CARGO_INCREMENTAL", "0");
        status(&mut cmd)
    }

    /// Removes the package's build output and builds it again (its dependencies are built already).
    fn time_rebuild(&mut self) -> Result<(), String> {
        self.cargo(&["clean"])?;
        let t = Instant::now();
        self.cargo(&["build"])?;
        self.times.push(t.elapsed().as_secs_f64());
        Ok(())
    }
}

fn status(cmd: &mut Command) -> Result<(), String> {
    let status = cmd.status().map_err(|e| format!("{}: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(cmd)))
    }
}

/// The crate-alone debug build of the client generated from the public IoT Central 2022-07-31
/// document over the runtime package, and of AutoRust's `azure_svc_iotcentral` 0.21 for the same
/// API, alternated run by run: dependencies built first, then RUNS times `cargo clean -p` and a
/// non-incremental rebuild of each; prints both medians and their ratio.
fn build(runs: usize) -> Result<(), String> {
    let dir = root().join("target/bench");
    let name = "bench-iotcentral";
    let generated = iot_rest_codegen::generate_crate(&[public_document().as_path()], name, &runtime_package())
        .map_err(|e| e.to_string())?;
    let mut files = generated.files;
    let lines: usize = files.iter().filter(|(p, _)| p.starts_with("src/")).map(|(_, c)| c.lines().count()).sum();
    files.insert("Cargo.toml".into(), format!("{}\n[workspace]\n", files["Cargo.toml"]));
    files.insert("Cargo.lock".into(), std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| e.to_string())?);
    iot_rest_codegen::write_tree(&dir.join(name), &files, iot_rest_codegen::Replace::Owned).map_err(|e| e.to_string())?;
    write_autorest_project(&dir.join("autorest"))?;

    let manifest = |project: &str| dir.join(project).join("Cargo.toml").to_string_lossy().to_string();
    let mut ours = Subject { manifest: manifest(name), package: "bench-iotcentral", times: Vec::new() };
    let mut autorest = Subject { manifest: manifest("autorest"), package: AUTOREST_CRATE, times: Vec::new() };
    for subject in [&ours, &autorest] {
        subject.cargo(&["build"])?;
    }
    for run in 0..runs {
        ours.time_rebuild()?;
        autorest.time_rebuild()?;
        eprintln!("run {}/{runs}: {:.2} s vs {:.2} s", run + 1, ours.times[run], autorest.times[run]);
    }
    let (a, b) = (median(ours.times.clone()), median(autorest.times.clone()));
    println!("crate-alone debug build over {runs} runs, alternated (non-incremental, dependencies built):");
    println!("  iot-rest-codegen client of the public IoT Central 2022-07-31 document ({lines} lines, over iot-rest-runtime): median {a:.2} s");
    println!("  AutoRust {AUTOREST_CRATE} {AUTOREST_VERSION} (features {AUTOREST_FEATURES}): median {b:.2} s");
    println!("  ratio {:.2}", a / b);
    Ok(())
}

/// A scratch project depending on AutoRust's crate, with its own lock file (never committed).
fn write_autorest_project(dir: &Path) -> Result<(), String> {
    let toml = format!(
        "# Written by `cargo xtask bench build`.\n[package]\nname = \"bench-autorest\"\nversion = \"0.0.0\"\n\
         edition = \"2021\"\npublish = false\n\n[dependencies]\n\
         {AUTOREST_CRATE} = {{ version = \"{AUTOREST_VERSION}\", default-features = false, features = {AUTOREST_FEATURES} }}\n\n\
         [workspace]\n"
    );
    std::fs::create_dir_all(dir.join("src")).map_err(|e| format!("{}: {e}", dir.display()))?;
    let write = |path: &str, text: &str| {
        let path = dir.join(path);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(text) {
            return Ok(());
        }
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
    };
    write("Cargo.toml", &toml)?;
    write("src/lib.rs", "//! Builds AutoRust's client for `cargo xtask bench build`.\n")
}
