//! Collects `x-ms-examples` bodies from a document and checks that they survive a round trip
//! through the generated models.
//!
//! This file is shared: the `iot-rest-tests` package uses it for our own documents, and
//! `cargo xtask corpus` copies it into the checker crate it generates for the public documents.
//! It depends on `serde_json` only.
//!
//! Normalisation (the only differences tolerated between an example and its round trip):
//! - an object member whose value is `null` counts as absent (optional fields are `Option`s that are
//!   skipped when `None`);
//! - numbers are compared by value (`1` and `1.0` are equal).

use std::path::{Path, PathBuf};

use serde_json::Value;

/// One body to check.
#[derive(Debug)]
pub struct Case {
    /// Where it comes from: `<document>: <operation> "<example title>" <part>`.
    pub origin: String,
    pub operation_id: String,
    /// The body parameter's name for requests, the status code (`200`, `default`) for responses.
    pub part: String,
    pub value: Value,
}

/// Reads a JSON file, stripping a UTF-8 BOM.
pub fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| format!("{}: {e}", path.display()))
}

/// Every example body of every operation in the document at `spec`: inline examples and examples
/// behind a `$ref` to a file relative to the document.
pub fn cases_from_document(spec: &Path) -> Result<Vec<Case>, String> {
    let doc = read_json(spec)?;
    let dir = spec.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut cases = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else { return Ok(cases) };
    for item in paths.values() {
        let Some(item) = item.as_object() else { continue };
        for op in item.values() {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else { continue };
            let Some(examples) = op.get("x-ms-examples").and_then(Value::as_object) else { continue };
            let bodies = body_param_names(&doc, item.get("parameters"), op.get("parameters"));
            for (title, example) in examples {
                let (example, file) = match example.get("$ref").and_then(Value::as_str) {
                    Some(r) => {
                        let path = dir.join(r);
                        (read_json(&path)?, Some(path))
                    }
                    None => (example.clone(), None),
                };
                let origin = match &file {
                    Some(f) => format!("{}: {id} \"{title}\" ({})", spec.display(), f.display()),
                    None => format!("{}: {id} \"{title}\"", spec.display()),
                };
                cases.extend(cases_from_example(&origin, id, &example, &bodies));
            }
        }
    }
    Ok(cases)
}

/// The bodies of one example object (`{"parameters": …, "responses": …}`).
pub fn cases_from_example(origin: &str, operation_id: &str, example: &Value, body_params: &[String]) -> Vec<Case> {
    let mut cases = Vec::new();
    if let Some(params) = example.get("parameters").and_then(Value::as_object) {
        for name in body_params {
            if let Some(value) = params.get(name) {
                cases.push(Case {
                    origin: format!("{origin} parameter {name}"),
                    operation_id: operation_id.to_string(),
                    part: name.clone(),
                    value: value.clone(),
                });
            }
        }
    }
    if let Some(responses) = example.get("responses").and_then(Value::as_object) {
        for (status, response) in responses {
            if let Some(body) = response.get("body") {
                cases.push(Case {
                    origin: format!("{origin} response {status}"),
                    operation_id: operation_id.to_string(),
                    part: status.clone(),
                    value: body.clone(),
                });
            }
        }
    }
    cases
}

/// Names of the `in: body` parameters of an operation (following `#/parameters/X` references).
pub fn body_param_names(doc: &Value, path_params: Option<&Value>, op_params: Option<&Value>) -> Vec<String> {
    let mut names = Vec::new();
    for list in [path_params, op_params].into_iter().flatten() {
        for p in list.as_array().into_iter().flatten() {
            let p = match p.get("$ref").and_then(Value::as_str) {
                Some(r) => {
                    r.strip_prefix("#/parameters/").and_then(|n| doc.pointer(&format!("/parameters/{n}"))).unwrap_or(p)
                }
                None => p,
            };
            if p.get("in").and_then(Value::as_str) == Some("body") {
                if let Some(n) = p.get("name").and_then(Value::as_str) {
                    names.push(n.to_string());
                }
            }
        }
    }
    names
}

/// Example files listed in `specs/README.md` of the shared corpus for a document folder, with the
/// operations they belong to (the table's "x-ms-examples payload for A, B" column). Used for example
/// files that the document itself does not reference.
pub fn readme_example_files(readme: &str, folder: &str) -> Vec<(PathBuf, Vec<String>)> {
    let mut out = Vec::new();
    for line in readme.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 6 || !cells[1].starts_with(&format!("{folder}/examples/")) {
            continue;
        }
        let Some(ops) = cells[5].strip_prefix("x-ms-examples payload for ") else { continue };
        let ops = ops.split(',').map(|o| o.trim().to_string()).filter(|o| !o.is_empty()).collect();
        out.push((PathBuf::from(cells[1]), ops));
    }
    out
}

/// Operation ids that the example corpus README gives under an older name than the document uses.
pub const RENAMED_OPERATIONS: &[(&str, &str)] = &[("DpsCertificate_List", "DpsCertificates_List")];

/// The document's id for an operation named in the corpus README, if the document has it.
pub fn document_operation_id(doc: &Value, readme_id: &str) -> Option<String> {
    let exists = |id: &str| {
        doc.get("paths").and_then(Value::as_object).into_iter().flat_map(|p| p.values()).any(|item| {
            item.as_object()
                .into_iter()
                .flat_map(|o| o.values())
                .any(|op| op.get("operationId").and_then(Value::as_str) == Some(id))
        })
    };
    if exists(readme_id) {
        return Some(readme_id.to_string());
    }
    RENAMED_OPERATIONS.iter().find(|(old, new)| *old == readme_id && exists(new)).map(|(_, new)| new.to_string())
}

/// Body parameter names of one operation of `doc`.
pub fn operation_body_params(doc: &Value, operation_id: &str) -> Vec<String> {
    let mut names = Vec::new();
    for item in doc.get("paths").and_then(Value::as_object).into_iter().flat_map(|p| p.values()) {
        for op in item.as_object().into_iter().flat_map(|o| o.values()) {
            if op.get("operationId").and_then(Value::as_str) == Some(operation_id) {
                names.extend(body_param_names(doc, item.get("parameters"), op.get("parameters")));
            }
        }
    }
    names
}

/// The bodies of an example file that the corpus README lists for `operations` of `doc`.
pub fn cases_from_listed_file(doc: &Value, file: &Path, operations: &[String]) -> Result<Vec<Case>, String> {
    let example = read_json(file)?;
    let mut cases = Vec::new();
    for op in operations {
        let Some(op) = document_operation_id(doc, op) else {
            return Err(format!(
                "{}: the corpus README names operation {op}, which the document does not have",
                file.display()
            ));
        };
        let bodies = operation_body_params(doc, &op);
        cases.extend(cases_from_example(&file.display().to_string(), &op, &example, &bodies));
    }
    Ok(cases)
}

/// Round-trips every case; returns one message per failure.
pub fn check(
    cases: &[Case],
    roundtrip: impl Fn(&str, &str, Value) -> Option<Result<Value, serde_json::Error>>,
) -> (usize, Vec<String>) {
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in cases {
        match roundtrip(&case.operation_id, &case.part, case.value.clone()) {
            None => {
                // No typed body for this part (e.g. a 204 response): nothing to check, unless the
                // example carries a non-empty body the document does not describe.
                if !is_empty(&case.value) {
                    failures.push(format!("{}: the document declares no body here, the example has one", case.origin));
                }
            }
            Some(Err(e)) => failures.push(format!("{}: does not decode: {e}", case.origin)),
            Some(Ok(back)) => {
                checked += 1;
                if let Err(diff) = equal_normalised(&case.value, &back, "") {
                    failures.push(format!("{}: changed in the round trip at {diff}", case.origin));
                }
            }
        }
    }
    (checked, failures)
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// Compares two JSON values under the documented normalisation; the error names the JSON pointer
/// of the first difference and both values.
pub fn equal_normalised(a: &Value, b: &Value, pointer: &str) -> Result<(), String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let va = x.get(k).unwrap_or(&Value::Null);
                let vb = y.get(k).unwrap_or(&Value::Null);
                equal_normalised(va, vb, &format!("{pointer}/{k}"))?;
            }
            Ok(())
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                equal_normalised(va, vb, &format!("{pointer}/{i}"))?;
            }
            Ok(())
        }
        (Value::Number(x), Value::Number(y)) if x.as_f64() == y.as_f64() => Ok(()),
        _ if a == b => Ok(()),
        _ => Err(format!("{}: {a} became {b}", if pointer.is_empty() { "/" } else { pointer })),
    }
}
