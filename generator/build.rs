//! Embeds the runtime package (`generated/runtime/`: its `Cargo.toml` and every file below `src/`,
//! nested folders included), so standalone crates carry or depend on the same runtime as the
//! `iot-rest` crate: one runtime, one place.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let package = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("../generated/runtime");
    let src = package.join("src");
    let mut files = Vec::new();
    collect(&src, &src, &mut files);
    files.sort();
    let manifest = package.join("Cargo.toml").canonicalize().unwrap();
    println!("cargo:rerun-if-changed={}", manifest.display());
    let mut out = String::from("/// The runtime package's `Cargo.toml`.\n");
    writeln!(out, "pub const RUNTIME_MANIFEST: &str = include_str!({:?});", manifest.display().to_string()).unwrap();
    out.push_str("/// The runtime's sources: (path below `src/`, `/`-separated; contents).\n");
    out.push_str("pub const RUNTIME_FILES: &[(&str, &str)] = &[\n");
    for (name, path) in files {
        writeln!(out, "    ({name:?}, include_str!({:?})),", path.display().to_string()).unwrap();
    }
    out.push_str("];\n");
    let target = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("runtime_files.rs");
    std::fs::write(target, out).unwrap();
}

/// Every `.rs` file below `dir`, as (path relative to `root`, canonical path).
fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    println!("cargo:rerun-if-changed={}", dir.display());
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let name = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            let path = path.canonicalize().unwrap();
            println!("cargo:rerun-if-changed={}", path.display());
            out.push((name, path));
        }
    }
}
