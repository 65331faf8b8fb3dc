//! Bad input is an error, never a panic: every node of a real document is replaced in turn by values
//! of the wrong shape, and the whole pipeline (load, normalise, parse, lower, emit) must return
//! `Ok` or a located `Err` for each.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use serde_json::Value;

/// JSON pointers of every node, in document order.
fn pointers(value: &Value, prefix: String, out: &mut Vec<String>) {
    out.push(prefix.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                pointers(v, format!("{prefix}/{}", k.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{prefix}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn generate(dir: &Path, doc: &Value) -> Result<(), iot_rest_codegen::Error> {
    let path = dir.join("doc.json");
    std::fs::write(&path, serde_json::to_vec(doc).expect("serialises")).expect("temp file");
    let api = iot_rest_codegen::lower_file(&path, "doc.json")?;
    let header = iot_rest_codegen::emit::Header { command: "test".into(), input: "doc.json".into() };
    iot_rest_codegen::api_module_files(&api, &header).map(|_| ())
}

#[test]
fn mutated_documents_give_errors_not_panics() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/dps/2017-11-15.json");
    let text = std::fs::read_to_string(&source).expect("the DPS document is in specs/");
    let original: Value = serde_json::from_str(&text).expect("valid JSON");
    let mut all = Vec::new();
    pointers(&original, String::new(), &mut all);
    // Every 11th node outside the examples (a fixed, spread-out sample keeps the test quick in debug
    // builds), each replaced by values of four different wrong shapes.
    let targets: Vec<&String> = all.iter().filter(|p| !p.contains("x-ms-examples")).step_by(11).collect();
    let replacements = [Value::Null, Value::from(7), Value::Array(vec![]), serde_json::json!({"$ref": "#/definitions/Nope"})];
    let dir = std::env::temp_dir().join(format!("iot-rest-no-panic-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut panics = Vec::new();
    let mut errors = 0;
    for pointer in &targets {
        for replacement in &replacements {
            let mut doc = original.clone();
            match doc.pointer_mut(pointer) {
                Some(slot) => *slot = replacement.clone(),
                None => continue,
            }
            match catch_unwind(AssertUnwindSafe(|| generate(&dir, &doc))) {
                Ok(Ok(())) => {}
                Ok(Err(e)) => {
                    errors += 1;
                    assert!(e.to_string().starts_with("doc.json#"), "error without location: {e}");
                }
                Err(_) => panics.push(format!("{pointer} = {replacement}")),
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(panics.is_empty(), "the generator panicked on {} mutations:\n{}", panics.len(), panics.join("\n"));
    assert!(errors > 0, "no mutation was reported as an error; the test is not exercising anything");
}
