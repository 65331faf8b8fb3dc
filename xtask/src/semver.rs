//! `cargo xtask semver [NAME...]`: the change report's semver verdict against cargo-semver-checks.
//!
//! For every pair of documents (IoT Central 1.0 → 2022-07-31 → 2022-10-31-preview from the public
//! documents in `../shared/specs`, our DPS document → a corrected copy made by applying
//! `tests/semver/dps-corrections.json`, and the fixture pairs `tests/semver/<change>/{old,new}.json`)
//! this generates both standalone crates under one crate name over the runtime package, in
//! `target/semver/<pair>/`, runs `cargo semver-checks check-release --baseline-root OLD
//! --manifest-path NEW/Cargo.toml` and compares its verdict with the report's `semver`.
//!
//! They agree when both say major or neither does (and ours is at least minor where it asks for
//! minor). Where ours is major only through changes cargo-semver-checks does not check
//! ([`UNCHECKED`]), the row says so and agrees. cargo-semver-checks is installed at the pinned
//! [`VERSION`] into the git-ignored `.tools/cargo-semver-checks/` when that version is missing; its
//! builds share `target/semver/target`, so the runtime and its dependencies build once.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use iot_rest_codegen::diff::{self, Impact, Report, Semver};
use serde_json::Value;

use crate::corpus::{runtime_package, shared_dir};
use crate::{cargo, describe, root, run_cmd};

/// The cargo-semver-checks release the verdicts are checked against.
pub const VERSION: &str = "0.51.0";

/// The crate name both sides of every pair are generated under (cargo-semver-checks matches items by
/// their paths, which start with it).
const CRATE: &str = "semver-pair";

/// Breaking changes cargo-semver-checks does not check (0.51 has no lint for them), as the start of
/// the report's change text, with the reason.
const UNCHECKED: &[(&str, &str)] = &[
    ("type `", "the type of a field or argument (no lint compares them)"),
    ("body type `", "the type of a request body argument (no lint compares argument types)"),
    ("result `", "an operation's result (an associated type of a trait implementation)"),
    ("item `", "a page's item type (an associated type of a trait implementation)"),
    ("no longer pageable", "a trait implementation removed (`Paged`)"),
];

/// One pair of documents.
struct Pair {
    name: String,
    old: PathBuf,
    new: PathBuf,
}

/// What cargo-semver-checks found for a pair.
struct Checked {
    verdict: Verdict,
    output: String,
}

/// What cargo-semver-checks says a pair calls for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    Major,
    Minor,
    None,
}

pub fn run(args: &[String]) -> Result<(), String> {
    let started = Instant::now();
    let tool = install()?;
    let installed = started.elapsed();
    let work = root().join("target/semver");
    let mut pairs = pairs(&work)?;
    if !args.is_empty() {
        pairs.retain(|p| args.contains(&p.name));
        if pairs.is_empty() {
            return Err(format!("no pair named {}", args.join(", ")));
        }
    }
    let mut rows = Vec::new();
    let mut failures = Vec::new();
    for pair in &pairs {
        let report = diff::compare_files(&pair.old, &display(&pair.old), &pair.new, &display(&pair.new)).map_err(|e| e.to_string())?;
        let checked = check(&tool, &work, pair)?;
        let (verdict, output) = (checked.verdict, &checked.output);
        let (agrees, note) = agreement(&report, &checked);
        let state = if agrees { "agree" } else { "DISAGREE" };
        println!("semver: {:<44} ours {:<5} cargo-semver-checks {:<5} {state}", pair.name, report.semver().as_str(), verdict_text(verdict));
        if !agrees {
            failures.push(format!("== {}\n-- ours:\n{report}\n-- cargo-semver-checks:\n{output}", pair.name));
        }
        rows.push((pair.name.clone(), report.semver(), verdict, agrees, note));
    }
    println!("\n| pair | ours | cargo-semver-checks | agreement |\n|---|---|---|---|");
    for (name, ours, theirs, agrees, note) in &rows {
        let word = match note.as_deref() {
            _ if !agrees => "**disagree**".to_string(),
            Some(n) => format!("agree ({n})"),
            None => "agree".to_string(),
        };
        println!("| {name} | {} | {} | {word} |", ours.as_str(), verdict_text(*theirs));
    }
    let total = started.elapsed();
    println!(
        "\nsemver: {} pairs, {} agree, {} disagree; {:.0} s ({:.0} s installing)",
        rows.len(),
        rows.len() - failures.len(),
        failures.len(),
        total.as_secs_f64(),
        installed.as_secs_f64()
    );
    if failures.is_empty() {
        Ok(())
    } else {
        eprintln!("{}", failures.join("\n"));
        Err(format!("{} pairs disagree with cargo-semver-checks", failures.len()))
    }
}

fn display(path: &Path) -> String {
    path.strip_prefix(root()).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

fn verdict_text(v: Verdict) -> &'static str {
    match v {
        Verdict::Major => "major",
        Verdict::Minor => "minor",
        Verdict::None => "none",
    }
}

/// Whether our report and cargo-semver-checks agree, with a note when they agree only because
/// every breaking change is one cargo-semver-checks does not check.
fn agreement(report: &Report, checked: &Checked) -> (bool, Option<String>) {
    let (ours, verdict) = (report.semver(), checked.verdict);
    match (ours, verdict) {
        (Semver::Major, Verdict::Major) => (true, None),
        (Semver::Major, _) => {
            let reasons: Vec<&str> = report
                .changes
                .iter()
                .filter(|c| c.impact == Impact::Breaking)
                .map(|c| UNCHECKED.iter().find(|(start, _)| c.what.starts_with(start)).map(|(_, why)| *why))
                .collect::<Option<Vec<_>>>()
                .unwrap_or_default();
            match reasons.first() {
                Some(first) => (true, Some(format!("cargo-semver-checks does not check {first}"))),
                None => (false, None),
            }
        }
        (_, Verdict::Major) => (false, None),
        (Semver::Patch, Verdict::Minor) => (false, None),
        _ => (true, None),
    }
}

/// The pairs, in table order: the public IoT Central documents, DPS, then the fixtures by name.
fn pairs(work: &Path) -> Result<Vec<Pair>, String> {
    let iotc = shared_dir().join("specs/iotcentral");
    let doc = |version: &str| iotc.join(version).join("iotcentral.json");
    let mut pairs = vec![
        Pair { name: "iotcentral-1.0-to-2022-07-31".into(), old: doc("1.0"), new: doc("2022-07-31") },
        Pair { name: "iotcentral-2022-07-31-to-2022-10-31-preview".into(), old: doc("2022-07-31"), new: doc("2022-10-31-preview") },
    ];
    let dps = root().join("specs/dps/2017-11-15.json");
    let corrected = work.join("documents/dps-2017-11-15-corrected.json");
    write_patched(&dps, &root().join("tests/semver/dps-corrections.json"), &corrected)?;
    pairs.push(Pair { name: "dps-2017-11-15-corrected".into(), old: dps, new: corrected });
    let fixtures = root().join("tests/semver");
    let mut names: Vec<String> = std::fs::read_dir(&fixtures)
        .map_err(|e| format!("{}: {e}", fixtures.display()))?
        .filter_map(|e| e.ok().filter(|e| e.path().is_dir()).map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    names.sort();
    for name in names {
        let dir = fixtures.join(&name);
        pairs.push(Pair { name, old: dir.join("old.json"), new: dir.join("new.json") });
    }
    Ok(pairs)
}

/// Applies a JSON Patch (RFC 6902 `add`, `replace` and `remove`) to `doc` and writes the result.
fn write_patched(doc: &Path, patch: &Path, out: &Path) -> Result<(), String> {
    let read = |p: &Path| -> Result<Value, String> {
        serde_json::from_str(&std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?).map_err(|e| format!("{}: {e}", p.display()))
    };
    let mut value = read(doc)?;
    let ops = read(patch)?;
    for (i, op) in ops.as_array().ok_or("a JSON Patch is an array")?.iter().enumerate() {
        apply(&mut value, op).map_err(|e| format!("{}#/{i}: {e}", patch.display()))?;
    }
    std::fs::create_dir_all(out.parent().unwrap_or(out)).map_err(|e| e.to_string())?;
    let text = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?;
    std::fs::write(out, text + "\n").map_err(|e| format!("{}: {e}", out.display()))
}

fn apply(doc: &mut Value, op: &Value) -> Result<(), String> {
    let path = op["path"].as_str().ok_or("expected a \"path\"")?;
    let (parent, last) = path.rsplit_once('/').ok_or("expected a pointer")?;
    let key = last.replace("~1", "/").replace("~0", "~");
    let target = doc.pointer_mut(parent).and_then(Value::as_object_mut).ok_or(format!("no object at {parent}"))?;
    match op["op"].as_str() {
        Some("add") => {
            target.insert(key, op["value"].clone());
        }
        Some("replace") if target.contains_key(&key) => {
            target.insert(key, op["value"].clone());
        }
        Some("remove") if target.remove(&key).is_some() => {}
        _ => return Err(format!("cannot apply {op} (add, replace and remove of an object member only)")),
    }
    Ok(())
}

/// The cargo-semver-checks binary at [`VERSION`], installed when missing.
fn install() -> Result<PathBuf, String> {
    let dir = root().join(".tools/cargo-semver-checks");
    let bin = dir.join("bin/cargo-semver-checks");
    let version = || {
        let output = Command::new(&bin).arg("--version").output().ok()?;
        Some(String::from_utf8_lossy(&output.stdout).trim().to_string())
    };
    let wanted = format!("cargo-semver-checks {VERSION}");
    if version().as_deref() == Some(wanted.as_str()) {
        return Ok(bin);
    }
    eprintln!("semver: installing cargo-semver-checks {VERSION} into .tools/ (takes several minutes, once)");
    run_cmd(cargo().args(["install", "--locked", "--version", VERSION, "--root"]).arg(&dir).arg("cargo-semver-checks"))?;
    match version() {
        Some(v) if v == wanted => Ok(bin),
        other => Err(format!("{} reports {other:?}, expected {wanted}", bin.display())),
    }
}

/// Generates both crates of `pair` and runs cargo-semver-checks on them.
fn check(tool: &Path, work: &Path, pair: &Pair) -> Result<Checked, String> {
    let dir = work.join(&pair.name);
    for (side, spec) in [("old", &pair.old), ("new", &pair.new)] {
        let generated = iot_rest_codegen::generate_crate(&[spec], CRATE, &runtime_package()).map_err(|e| e.to_string())?;
        let mut files = generated.files;
        // Its own workspace: the crate lies inside this repository's folder but is not one of its members.
        if let Some(toml) = files.get_mut("Cargo.toml") {
            toml.push_str("\n[workspace]\n");
        }
        let out = dir.join(side);
        iot_rest_codegen::write_tree(&out, &files, iot_rest_codegen::Replace::Owned).map_err(|e| format!("writing {}: {e}", out.display()))?;
    }
    let mut cmd = Command::new(tool);
    // Both sides have one version; `--release-type patch` makes it say when a change needs minor.
    cmd.args(["semver-checks", "check-release", "--color", "never", "--release-type", "patch", "--baseline-root"])
        .arg(dir.join("old"))
        .arg("--manifest-path")
        .arg(dir.join("new/Cargo.toml"))
        .env("CARGO_TARGET_DIR", work.join("target"))
        // Dependencies resolve from the local registry cache, which the workspace build filled,
        // instead of asking the registry twice per pair.
        .env("CARGO_NET_OFFLINE", "true")
        .current_dir(root());
    let output = cmd.output().map_err(|e| format!("{}: {e}", describe(&cmd)))?;
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    let verdict = if text.contains("requires new major version") {
        Verdict::Major
    } else if text.contains("requires new minor version") {
        Verdict::Minor
    } else if text.contains("no semver update required") {
        Verdict::None
    } else {
        return Err(format!("cannot read the verdict of `{}`:\n{text}", describe(&cmd)));
    };
    Ok(Checked { verdict, output: text })
}
