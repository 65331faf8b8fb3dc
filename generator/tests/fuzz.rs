//! Fuzzing on stable: documents are mutated at random (a seeded PRNG, so every run can be replayed)
//! and run through the whole pipeline (load, normalise, parse, lower, emit, `Cargo.toml`). Every
//! document must give either a located error (`<file>#<pointer>: <message>`, one line) or a crate
//! whose files are sound: one-line headers, no carriage return and no bidirectional-text control
//! anywhere, a `Cargo.toml` description that is one TOML string. A panic is a failure.
//!
//! Inputs: our documents under `specs/`, the public ones under `../shared/specs` (when present) and
//! small synthetic documents (`support/synthetic.rs`). `cargo test` runs [`SUITE_ITERATIONS`]
//! documents from [`SUITE_SEED`]; `cargo xtask fuzz --seconds N` runs this test for N seconds from a
//! fresh seed (environment `FUZZ_SECONDS`, `FUZZ_SEED`). A failure names the seed and iteration, and
//! the document is kept under `target/fuzz-failures/` to reproduce it with the CLI.

mod support {
    pub mod nodes;
    pub mod rng;
    pub mod synthetic;
}

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::nodes::pointers;
use support::rng::{FuzzConfig, Rng};

/// Documents the plain test run tries.
const SUITE_ITERATIONS: u64 = 200;
/// The plain test run's seed, fixed so `cargo test` is deterministic.
const SUITE_SEED: u64 = 0x0107_2e57;
/// A document taking longer than this is reported as a failure (the generator must not hang).
const SLOW: Duration = Duration::from_secs(60);

/// Strings that have broken generators: quotes, line breaks, braces, keywords, reserved names.
const HOSTILE: &[&str] = &[
    "", " ", "a\"b", "line\nbreak", "cr\rhere", "\u{202e}rtl\u{202c}", "\u{2066}iso", "tab\there", "nul\u{0}", "{", "}",
    "{x}", "{{x}}", "${x}", "/", "~", "~1", "#", "#/", "a/b", "a.b", "@id", "$top", "X[Y]", "self", "Self", "type", "crate",
    "super", "_", "1abc", "r#type", "Client", "Option", "Result", "models", "runtime", "ungrouped", "default", "$ref",
    "api-version", "nextLink", "value", "😀", "ünï", "get", "Get", "GET", "application/json", "application/merge-patch+json",
    "text/plain", "date-time", "int32", "string", "object", "array", "integer", "number", "boolean", "file", "path", "query",
    "header", "body", "formData", "csv", "multi", "200", "204", "4XX", "*/", "///", "#[cfg(x)]", "\\", "\\u{202e}",
];

/// Keys worth inserting: keywords and extensions the generator reads.
const KEYS: &[&str] = &[
    "type", "format", "properties", "items", "allOf", "oneOf", "anyOf", "$ref", "enum", "default", "example", "required",
    "discriminator", "additionalProperties", "readOnly", "nullable", "x-nullable", "x-ms-enum", "x-ms-discriminator-value",
    "x-ms-pageable", "x-ms-long-running-operation", "x-ms-long-running-operation-options", "x-ms-parameter-location",
    "x-ms-skip-url-encoding", "x-ms-paths", "x-ms-parameterized-host", "x-ms-error-response", "x-ms-client-name",
    "operationId", "parameters", "responses", "schema", "in", "name", "consumes", "produces", "collectionFormat",
    "basePath", "host", "schemes", "definitions", "paths", "get", "put", "patch", "post", "delete", "200", "default",
];

/// The documents to mutate: (name, document). Each Swagger 2.0 document also comes in its
/// OpenAPI 3.0 form, so both dialects are fuzzed.
fn corpus() -> Vec<(String, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace").to_path_buf();
    let mut paths = Vec::new();
    for dir in ["specs", "tests/fixtures", "generator/tests/data", "../shared/specs"] {
        collect_documents(&root.join(dir), &mut paths);
    }
    paths.sort();
    let mut corpus = Vec::new();
    for path in paths {
        let Some(value) = std::fs::read_to_string(&path).ok().and_then(|t| serde_json::from_str::<Value>(t.trim_start_matches('\u{feff}')).ok()) else {
            continue;
        };
        let name = path.display().to_string();
        if value.get("swagger").is_some() {
            if let Ok(oas3) = iot_rest_codegen::normalise::swagger2_to_openapi3(&name, value.clone()) {
                corpus.push((format!("{name} (as OpenAPI 3.0)"), oas3));
            }
        }
        if value.get("swagger").is_some() || value.get("openapi").is_some() {
            corpus.push((name, value));
        }
    }
    corpus
}

fn collect_documents(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for path in entries.filter_map(|e| e.ok()).map(|e| e.path()) {
        if path.is_dir() && path.file_name().is_some_and(|n| n != "examples") {
            collect_documents(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

fn hostile_string(rng: &mut Rng) -> String {
    match rng.below(8) {
        0 => "x".repeat(rng.below(2000)),
        1 => format!("{}{}", rng.pick(HOSTILE), rng.pick(HOSTILE)),
        _ => rng.pick(HOSTILE).to_string(),
    }
}

/// A `$ref`: mostly to a schema of the document (making random inheritance and containment
/// graphs, cycles included), else dangling, external, absolute, or to any node.
fn reference(rng: &mut Rng, targets: &[String]) -> String {
    let schemas: Vec<&String> = targets
        .iter()
        .filter(|t| t.matches('/').count() == 2 && (t.starts_with("/definitions/") || t.starts_with("/components/schemas/")))
        .collect();
    match rng.below(12) {
        0 => "#/definitions/Nope".into(),
        1 => "other.json#/definitions/X".into(),
        2 => rng.pick(&["/dev/zero", "https://example.com/a.json#/a", "file:a.json", "#", "", "##", "#/", "C:/x.json"]).to_string(),
        3 => format!("#{}", hostile_string(rng)),
        4 | 5 => format!("#{}", rng.pick(targets)),
        _ if schemas.is_empty() => format!("#{}", rng.pick(targets)),
        _ => format!("#{}", rng.pick(&schemas)),
    }
}

fn random_value(rng: &mut Rng, targets: &[String], depth: usize) -> Value {
    let leaf = depth == 0;
    match rng.below(if leaf { 6 } else { 10 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.one_in(2)),
        2 => match rng.below(6) {
            0 => json!(i64::MAX),
            1 => json!(u64::MAX),
            2 => json!(-1),
            3 => json!(1e308),
            4 => json!(-0.5),
            _ => json!(rng.below(1000)),
        },
        3 | 4 => Value::String(hostile_string(rng)),
        5 => json!({ "$ref": reference(rng, targets) }),
        6 => Value::Array((0..rng.below(4)).map(|_| random_value(rng, targets, depth - 1)).collect()),
        7 => json!({ "type": rng.pick(&["object", "string", "array", "integer", "file", "decimal"]), "properties": { hostile_string(rng): random_value(rng, targets, depth - 1) } }),
        8 => match rng.below(4) {
            0 => json!({ "allOf": [random_value(rng, targets, depth - 1), { "$ref": reference(rng, targets) }] }),
            1 => json!({ "type": "array", "items": { "$ref": reference(rng, targets) } }),
            2 => json!({ "discriminator": rng.pick(HOSTILE), "required": [rng.pick(HOSTILE)], "properties": { rng.pick(HOSTILE).to_string(): { "type": "string" } } }),
            _ => json!({ "additionalProperties": { "$ref": reference(rng, targets) }, "x-ms-discriminator-value": hostile_string(rng) }),
        },
        _ => Value::Object((0..rng.below(4)).map(|_| (rng.pick(KEYS).to_string(), random_value(rng, targets, depth - 1))).collect()),
    }
}

/// Applies one to four random mutations to `doc`; returns what a sibling `other.json` should hold.
fn mutate(rng: &mut Rng, doc: &mut Value) -> Value {
    let mut other = json!({ "definitions": { "X": { "type": "string" } } });
    for _ in 0..1 + rng.below(4) {
        let all = pointers(doc);
        let target = rng.pick(&all).clone();
        let value = random_value(rng, &all, 3);
        match rng.below(9) {
            // Replace a node (the root only rarely).
            0 | 1 if !target.is_empty() || rng.one_in(20) => {
                if let Some(slot) = doc.pointer_mut(&target) {
                    *slot = value;
                }
            }
            2 => {
                let (parent, key) = target.rsplit_once('/').unwrap_or(("", ""));
                if let Some(Value::Object(map)) = doc.pointer_mut(parent) {
                    map.remove(&key.replace("~1", "/").replace("~0", "~"));
                }
            }
            3 | 4 => {
                if let Some(Value::Object(map)) = doc.pointer_mut(&target) {
                    let key = if rng.one_in(3) { hostile_string(rng) } else { rng.pick(KEYS).to_string() };
                    map.insert(key, value);
                }
            }
            // Copy a subtree elsewhere: repeated operations, self-including schemas.
            5 => {
                let source = doc.pointer(rng.pick(&all).as_str()).cloned().unwrap_or(Value::Null);
                if let Some(Value::Object(map)) = doc.pointer_mut(&target) {
                    map.insert(rng.pick(KEYS).to_string(), source);
                }
            }
            6 => {
                if let Some(slot @ Value::String(_)) = doc.pointer_mut(&target) {
                    *slot = Value::String(hostile_string(rng));
                } else if let Some(Value::Object(map)) = doc.pointer_mut(&target) {
                    // Rename a member (a definition, a property, a path).
                    if let Some(key) = map.keys().nth(rng.below(map.len().max(1))).cloned() {
                        let moved = map.remove(&key).unwrap_or(Value::Null);
                        map.insert(hostile_string(rng), moved);
                    }
                }
            }
            7 => {
                if let Some(slot) = doc.pointer_mut(&target) {
                    let mut wrapped = slot.take();
                    for _ in 0..rng.below(40) {
                        wrapped = if rng.one_in(2) { json!({ "allOf": [wrapped] }) } else { json!({ "items": wrapped, "type": "array" }) };
                    }
                    *slot = wrapped;
                }
            }
            _ => {
                let source = doc.pointer(&target).cloned().unwrap_or(Value::Null);
                other = json!({ "definitions": { "X": source, "Y": value } });
            }
        }
    }
    other
}

/// What went wrong with one document, if anything.
fn check(dir: &Path) -> Result<&'static str, String> {
    let path = dir.join("doc.json");
    let display = path.to_string_lossy().to_string();
    match iot_rest_codegen::generate_crate(&[path.as_path()], "fuzz", &iot_rest_codegen::crate_files::Runtime::Copied) {
        Err(e) => {
            let text = e.to_string();
            let known_file = e.file == display || e.file == dir.join("other.json").to_string_lossy();
            let pointer_ok = e.pointer.is_empty() || e.pointer.starts_with('/');
            if !known_file || !pointer_ok || e.message.is_empty() || text.contains(['\n', '\r']) {
                return Err(format!("error without the file#pointer: message shape: {text:?}"));
            }
            Ok("error")
        }
        Ok(generated) => {
            for (name, content) in generated.files.iter().filter(|(n, _)| !n.starts_with("src/runtime/")) {
                let first = content.lines().next().unwrap_or_default();
                let header = first.starts_with("// @generated by ") || first.starts_with("# @generated by ");
                if !header || !first.ends_with(". Do not edit.") {
                    return Err(format!("{name}: the header is not one line: {first:?}"));
                }
                if let Some(c) = content.chars().find(|&c| c == '\r' || iot_rest_codegen::text::is_invisible(c)) {
                    return Err(format!("{name}: holds {c:?}"));
                }
            }
            let toml = &generated.files["Cargo.toml"];
            let description = toml.lines().find_map(|l| l.strip_prefix("description = ")).unwrap_or_default();
            if !is_toml_string(description) {
                return Err(format!("Cargo.toml: description is not one TOML string: {description}"));
            }
            Ok("crate")
        }
    }
}

/// A TOML basic string: quoted, no raw control characters, only valid escapes.
fn is_toml_string(text: &str) -> bool {
    let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) else { return false };
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return false,
            '\\' => match chars.next() {
                Some('"' | '\\' | 'b' | 't' | 'n' | 'f' | 'r') => {}
                Some('u') => {
                    if !(0..4).all(|_| chars.next().is_some_and(|h| h.is_ascii_hexdigit())) {
                        return false;
                    }
                }
                _ => return false,
            },
            c if c.is_control() => return false,
            _ => {}
        }
    }
    true
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

#[test]
fn mutated_documents_give_located_errors_or_sound_crates() {
    let config = FuzzConfig::from_env(SUITE_SEED);
    let seed = config.seed;
    let corpus = corpus();
    assert!(corpus.len() >= 4, "expected our four documents under specs/, found {}", corpus.len());
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).parent().expect("target folder").to_path_buf();
    // The document being checked stays here should the process die (a stack overflow aborts).
    let dir = target.join("fuzz-failures/in-progress");
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let (mut runs, mut errors, mut failures) = (0u64, 0u64, Vec::new());
    let mut slowest = (Duration::ZERO, 0);
    for iteration in 0.. {
        if config.done(iteration, SUITE_ITERATIONS) {
            break;
        }
        let mut rng = Rng::for_iteration(seed, iteration);
        let (name, mut doc) = if rng.one_in(3) {
            let models = 3 + rng.below(40);
            (format!("synthetic document of {models} models"), support::synthetic::document(models, &mut rng))
        } else {
            let (name, doc) = rng.pick(&corpus);
            (name.clone(), doc.clone())
        };
        let other = mutate(&mut rng, &mut doc);
        std::fs::write(dir.join("doc.json"), serde_json::to_vec(&doc).expect("serialises")).expect("scratch file");
        std::fs::write(dir.join("other.json"), serde_json::to_vec(&other).expect("serialises")).expect("scratch file");
        std::fs::write(dir.join("what.txt"), format!("seed {seed:#x} iteration {iteration} ({name})\n")).expect("scratch file");
        let one = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| check(&dir)));
        let took = one.elapsed();
        slowest = slowest.max((took, iteration));
        runs += 1;
        let failure = match outcome {
            Ok(Ok("error")) => {
                errors += 1;
                None
            }
            Ok(Ok(_)) => None,
            Ok(Err(why)) => Some(why),
            Err(panic) => Some(format!("panicked: {}", panic_text(panic.as_ref()))),
        };
        let failure = failure.or_else(|| (took > SLOW).then(|| format!("took {took:?}")));
        if let Some(why) = failure {
            let keep = target.join(format!("fuzz-failures/{seed:#x}-{iteration}"));
            std::fs::create_dir_all(&keep).expect("failure folder");
            std::fs::write(keep.join("doc.json"), serde_json::to_vec_pretty(&doc).expect("serialises")).expect("kept");
            std::fs::write(keep.join("other.json"), serde_json::to_vec_pretty(&other).expect("serialises")).expect("kept");
            failures.push(format!("seed {seed:#x} iteration {iteration} ({name}; kept in {}): {why}", keep.display()));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "fuzz: seed {seed:#x}: {runs} documents ({errors} located errors) in {:.1} s; slowest {:?} (iteration {})",
        config.elapsed().as_secs_f64(),
        slowest.0,
        slowest.1
    );
    assert!(failures.is_empty(), "{} of {runs} documents failed:\n{}", failures.len(), failures.join("\n"));
    assert!(errors > 0 && errors < runs, "the mutations exercise only one outcome ({errors} errors of {runs})");
}
