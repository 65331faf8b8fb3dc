//! `cargo xtask codegen [--check]` and `cargo xtask bench codegen`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use iot_rest_codegen::manifest::{diff, existing_files, expected_files, owned_dirs};
use iot_rest_codegen::Files;

use crate::root;

pub fn run(args: &[String]) -> Result<(), String> {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => return Err("usage: cargo xtask codegen [--check]".into()),
    };
    let started = Instant::now();
    let (manifest, expected, summary) = expected_files(&root())?;
    let elapsed = started.elapsed();
    let generated = root().join("generated");
    let owned = owned_dirs(&manifest);
    let actual = existing_files(&generated, &owned)?;
    if check {
        let diff = diff(&actual, &expected);
        if diff.is_empty() {
            println!("generated/ is up to date with specs/ ({} files)", expected.len());
            return Ok(());
        }
        print!("{diff}");
        return Err("generated/ is out of date with specs/; run `cargo xtask codegen` and commit the result".into());
    }
    write(&generated, &owned, &expected)?;
    for line in &summary {
        println!("{line}");
    }
    println!("generated {} files in {:.0} ms", expected.len(), elapsed.as_secs_f64() * 1000.0);
    Ok(())
}

/// Writes the owned directories through a staging copy each, so an interrupted run never leaves a
/// half-written module; single files go through a temporary file and a rename.
fn write(generated: &Path, owned: &BTreeSet<String>, files: &Files) -> Result<(), String> {
    for dir in owned {
        let prefix = format!("{dir}/");
        let subset: Files =
            files.iter().filter_map(|(p, c)| p.strip_prefix(&prefix).map(|rel| (rel.to_string(), c.clone()))).collect();
        iot_rest_codegen::write_tree(&generated.join(dir), &subset).map_err(|e| format!("writing generated/{dir}: {e}"))?;
    }
    for (path, content) in files.iter().filter(|(p, _)| !owned.iter().any(|d| p.starts_with(&format!("{d}/")))) {
        let target = generated.join(path);
        if std::fs::read_to_string(&target).ok().as_deref() == Some(content.as_str()) {
            continue;
        }
        let tmp = PathBuf::from(format!("{}.tmp", target.display()));
        std::fs::write(&tmp, content).map_err(|e| format!("writing {}: {e}", tmp.display()))?;
        std::fs::rename(&tmp, &target).map_err(|e| format!("writing {}: {e}", target.display()))?;
    }
    Ok(())
}

/// `cargo xtask bench codegen [RUNS]`: median wall time of generating all of `specs/` and of the
/// public IoT Central 2022-07-31 document, in this (release) process.
pub fn bench(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("codegen") => {}
        Some("build") => return bench_build(args.get(1).and_then(|r| r.parse().ok()).unwrap_or(7)),
        _ => {
            return Err("usage: cargo xtask bench <codegen|build> [RUNS]   (codegen: run with `cargo run --release -p xtask -- bench codegen`)".into())
        }
    }
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(9);
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let mut all = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        expected_files(&root())?;
        all.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!("codegen specs/ (all documents): median {:.1} ms over {runs} runs", median(all));
    let public = crate::corpus::shared_dir().join("specs/iotcentral/2022-07-31/iotcentral.json");
    if public.exists() {
        let mut one = Vec::new();
        for _ in 0..runs {
            let t = Instant::now();
            iot_rest_codegen::generate_crate(&[public.as_path()], "iotcentral", &crate::corpus::runtime_package())
                .map_err(|e| e.to_string())?;
            one.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        println!("codegen public IoT Central 2022-07-31: median {:.1} ms over {runs} runs", median(one));
    }
    Ok(())
}

/// `cargo xtask bench build [RUNS]`: the crate-alone debug build time of the standalone crate
/// generated from the public IoT Central 2022-07-31 document (dependencies built beforehand; the
/// median of RUNS clean, non-incremental rebuilds of that crate alone).
fn bench_build(runs: usize) -> Result<(), String> {
    let public = crate::corpus::shared_dir().join("specs/iotcentral/2022-07-31/iotcentral.json");
    let name = "bench-iotcentral";
    let mut files = iot_rest_codegen::generate_crate(&[public.as_path()], name, &crate::corpus::runtime_package())
        .map_err(|e| e.to_string())?
        .files;
    files.insert("Cargo.toml".into(), format!("{}\n[workspace]\n", files["Cargo.toml"]));
    files.insert("Cargo.lock".into(), std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| e.to_string())?);
    let dir = root().join("target/bench").join(name);
    iot_rest_codegen::write_tree(&dir, &files).map_err(|e| e.to_string())?;
    let manifest = dir.join("Cargo.toml").to_string_lossy().to_string();
    let target = root().join("target/bench/target");
    // Cargo builds dependencies without incremental compilation, so that is how users build this crate.
    let build = || {
        crate::cargo()
            .args(["build", "--quiet", "--manifest-path", &manifest])
            .env("CARGO_TARGET_DIR", &target)
            .env("CARGO_INCREMENTAL", "0")
            .status()
            .map_err(|e| e.to_string())
            .and_then(|s| if s.success() { Ok(()) } else { Err(format!("build failed: {s}")) })
    };
    build()?;
    let mut times = Vec::new();
    for _ in 0..runs {
        crate::cargo()
            .args(["clean", "--quiet", "--manifest-path", &manifest, "--package", name])
            .env("CARGO_TARGET_DIR", &target)
            .status()
            .map_err(|e| e.to_string())?;
        let t = Instant::now();
        build()?;
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let lines: usize = files.iter().filter(|(p, _)| p.starts_with("src/")).map(|(_, c)| c.lines().count()).sum();
    println!(
        "crate-alone debug build of the public IoT Central 2022-07-31 client ({lines} lines incl. runtime): median {:.2} s over {runs} runs (min {:.2} s, max {:.2} s)",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
    Ok(())
}
