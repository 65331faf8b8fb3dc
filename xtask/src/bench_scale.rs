//! `cargo xtask bench scale`: generation time and peak memory for synthetic Azure-shaped documents of
//! 1k, 5k and 20k models (run in release).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use iot_rest_codegen::crate_files::Runtime;
use serde_json::Value;

use crate::root;

#[path = "../../generator/tests/support/rng.rs"]
mod rng;
#[path = "../../generator/tests/support/synthetic.rs"]
mod synthetic;

/// Model counts of the documents `bench scale` generates.
const SCALE_MODELS: [usize; 3] = [1_000, 5_000, 20_000];

/// `bench scale`: generation time and peak memory for synthetic documents of 1k, 5k and 20k models.
/// Each document is generated in a child process (this program, `bench scale-child`), so its peak
/// resident memory (`VmHWM`) is its own.
pub fn scale() -> Result<(), String> {
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
pub fn scale_child(args: &[String]) -> Result<(), String> {
    let [spec, out] = args else { return Err("usage: cargo xtask bench scale-child SPEC OUT".into()) };
    let started = Instant::now();
    let generated = iot_rest_codegen::generate_crate(&[Path::new(spec)], "scale", &Runtime::Copied).map_err(|e| e.to_string())?;
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
