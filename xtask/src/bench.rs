//! `cargo xtask bench codegen | build | scale`: how fast the generator and its output are.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use iot_rest_codegen::manifest::expected_files;
use serde_json::Value;

use crate::root;

#[path = "../../generator/tests/support/rng.rs"]
mod rng;
#[path = "../../generator/tests/support/synthetic.rs"]
mod synthetic;

const USAGE: &str = "usage: cargo xtask bench <codegen|build|scale> [RUNS]   (codegen and scale: run with `cargo run --release -p xtask -- bench …`)";

/// Model counts of the documents `bench scale` generates.
const SCALE_MODELS: [usize; 3] = [1_000, 5_000, 20_000];

pub fn run(args: &[String]) -> Result<(), String> {
    let runs = |default| args.get(1).and_then(|r| r.parse().ok()).unwrap_or(default);
    match args.first().map(String::as_str) {
        Some("codegen") => codegen(runs(9)),
        Some("build") => build(runs(7)),
        Some("scale") => scale(),
        Some("scale-child") => scale_child(&args[1..]),
        _ => Err(USAGE.into()),
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// `bench codegen [RUNS]`: median wall time of generating all of `specs/` and of the public IoT
/// Central 2022-07-31 document, in this (release) process.
fn codegen(runs: usize) -> Result<(), String> {
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
            iot_rest_codegen::generate_crate(&[public.as_path()], "iotcentral").map_err(|e| e.to_string())?;
            one.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        println!("codegen public IoT Central 2022-07-31: median {:.1} ms over {runs} runs", median(one));
    }
    Ok(())
}

/// `bench build [RUNS]`: the crate-alone debug build time of the standalone crate generated from the
/// public IoT Central 2022-07-31 document (dependencies built beforehand; the median of RUNS clean,
/// non-incremental rebuilds of that crate alone).
fn build(runs: usize) -> Result<(), String> {
    let public = crate::corpus::shared_dir().join("specs/iotcentral/2022-07-31/iotcentral.json");
    let name = "bench-iotcentral";
    let mut files = iot_rest_codegen::generate_crate(&[public.as_path()], name).map_err(|e| e.to_string())?.files;
    files.insert("Cargo.toml".into(), format!("{}\n[workspace]\n", files["Cargo.toml"]));
    files.insert("Cargo.lock".into(), std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| e.to_string())?);
    let dir = root().join("target/bench").join(name);
    iot_rest_codegen::write_tree(&dir, &files, iot_rest_codegen::Replace::Owned).map_err(|e| e.to_string())?;
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

/// `bench scale`: generation time and peak memory for synthetic documents of 1k, 5k and 20k models.
/// Each document is generated in a child process (this program, `bench scale-child`), so its peak
/// resident memory (`VmHWM`) is its own.
fn scale() -> Result<(), String> {
    if cfg!(debug_assertions) {
        eprintln!("note: this is a debug build; run `cargo run --release -p xtask -- bench scale` for meaningful numbers");
    }
    let dir = root().join("target/bench/scale");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    println!("{:>7} {:>9} {:>10} {:>8} {:>10} {:>12}", "models", "document", "operations", "time", "peak RSS", "output");
    for models in SCALE_MODELS {
        let doc = synthetic::document(models, &mut rng::Rng::new(models as u64));
        let operations = doc["paths"].as_object().map(|p| p.values().filter_map(Value::as_object).map(|i| i.len()).sum::<usize>()).unwrap_or(0);
        let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
        let spec = dir.join(format!("scale-{models}.json"));
        std::fs::write(&spec, &text).map_err(|e| format!("{}: {e}", spec.display()))?;
        let out = dir.join(format!("out-{models}"));
        let output = Command::new(&exe)
            .args(["bench", "scale-child"])
            .arg(&spec)
            .arg(&out)
            .output()
            .map_err(|e| format!("{}: {e}", exe.display()))?;
        if !output.status.success() {
            return Err(format!("generating {models} models failed: {}", String::from_utf8_lossy(&output.stderr)));
        }
        let report = String::from_utf8_lossy(&output.stdout);
        let fields: Vec<&str> = report.split_whitespace().collect();
        let [seconds, peak, lines] = fields[..] else { return Err(format!("unexpected child report: {report}")) };
        println!(
            "{models:>7} {:>6.1} MB {operations:>10} {:>6} s {:>10} {:>6} lines",
            text.len() as f64 / 1e6,
            seconds,
            peak,
            lines
        );
        let _ = std::fs::remove_dir_all(&out);
    }
    Ok(())
}

/// `bench scale-child SPEC OUT`: what the CLI does (generate, write), then prints `seconds peak lines`.
fn scale_child(args: &[String]) -> Result<(), String> {
    let [spec, out] = args else { return Err("usage: cargo xtask bench scale-child SPEC OUT".into()) };
    let started = Instant::now();
    let generated = iot_rest_codegen::generate_crate(&[Path::new(spec)], "scale").map_err(|e| e.to_string())?;
    iot_rest_codegen::write_tree(Path::new(out), &generated.files, iot_rest_codegen::Replace::Generated).map_err(|e| e.to_string())?;
    let seconds = started.elapsed().as_secs_f64();
    println!("{seconds:.2} {} {}", peak_memory(), generated.api_lines());
    Ok(())
}

/// This process's peak resident set size (`VmHWM`, Linux), as `123 MB`; `n/a` elsewhere.
fn peak_memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
    match kb {
        Some(kb) => format!("{}MB", kb / 1024),
        None => "n/a".into(),
    }
}
