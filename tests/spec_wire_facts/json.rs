//! Reading the documents and walking Swagger 2.0 JSON: `$ref`s, inherited properties and required lists,
//! operation parameters, prose strings and JSON pointers.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use iot_rest_tests::{shared_dir, workspace_root};
use serde_json::Value;

pub const METHODS: &[&str] = &["get", "put", "post", "patch", "delete", "head", "options"];

fn load(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    // The public documents start with a UTF-8 BOM.
    serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .unwrap_or_else(|e| panic!("parse {}: {e}", path.display()))
}

/// Our document of an API version (`specs/iotcentral/<version>.json`).
pub fn ours(version: &str) -> Value {
    load(&workspace_root().join("specs/iotcentral").join(format!("{version}.json")))
}

/// The public document of an API version.
pub fn public(version: &str) -> Value {
    load(&shared_dir().join("specs/iotcentral").join(version).join("iotcentral.json"))
}

/// Escapes one JSON-pointer segment (RFC 6901).
pub fn segment(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// A local reference to a definition.
pub fn definition_ref(name: &str) -> Value {
    serde_json::json!({ "$ref": format!("#/definitions/{name}") })
}

/// Follows local `$ref`s; returns the JSON pointer of the resolved value and the value.
pub fn resolve<'v>(doc: &'v Value, mut value: &'v Value, mut pointer: String) -> (String, &'v Value) {
    while let Some(reference) = value.get("$ref").and_then(Value::as_str) {
        pointer = reference.strip_prefix('#').unwrap_or_else(|| panic!("non-local $ref {reference}")).to_string();
        value = doc.pointer(&pointer).unwrap_or_else(|| panic!("dangling $ref {reference}"));
    }
    (pointer, value)
}

fn parents<'v>(doc: &'v Value, schema: &'v Value) -> impl Iterator<Item = &'v Value> {
    schema["allOf"].as_array().into_iter().flatten().map(|parent| resolve(doc, parent, String::new()).1)
}

/// Properties of a schema including those inherited through `allOf`.
pub fn all_properties<'v>(doc: &'v Value, schema: &'v Value) -> BTreeMap<String, &'v Value> {
    let mut out = BTreeMap::new();
    for parent in parents(doc, schema) {
        out.extend(all_properties(doc, parent));
    }
    out.extend(schema["properties"].as_object().into_iter().flatten().map(|(name, p)| (name.clone(), p)));
    out
}

/// Required property names of a schema including those inherited through `allOf`.
pub fn all_required(doc: &Value, schema: &Value) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = parents(doc, schema).flat_map(|parent| all_required(doc, parent)).collect();
    out.extend(schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str).map(String::from));
    out
}

/// The members of a JSON array as a set of their JSON texts (order does not matter for `enum` or `required`).
pub fn string_set(v: Option<&Value>) -> Option<BTreeSet<String>> {
    v.and_then(Value::as_array).map(|a| a.iter().map(Value::to_string).collect())
}

/// `x-ms-enum` without its prose: name, modelAsString and each value with its name.
pub fn enum_extension(v: Option<&Value>) -> Option<Value> {
    let mut e = v?.clone();
    for value in e.get_mut("values").and_then(Value::as_array_mut).into_iter().flatten() {
        if let Some(value) = value.as_object_mut() {
            value.remove("description");
        }
    }
    Some(e)
}

/// The definitions whose `allOf` names the definition at `base` (a JSON pointer), by name.
pub fn subtypes<'v>(doc: &'v Value, base: &str) -> Vec<(&'v String, &'v Value)> {
    let base_ref = Value::String(format!("#{base}"));
    doc["definitions"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, d)| d["allOf"].as_array().is_some_and(|a| a.iter().any(|p| p["$ref"] == base_ref)))
        .collect()
}

/// Path-level and operation-level parameters, `$ref`s resolved, each with its pointer in the document.
pub fn parameters<'v>(doc: &'v Value, path: &str, method: &str) -> Vec<(String, &'v Value)> {
    let item = &doc["paths"][path];
    let base = format!("/paths/{}", segment(path));
    let path_level = item["parameters"].as_array().into_iter().flatten().enumerate();
    let op_level = item[method]["parameters"].as_array().into_iter().flatten().enumerate();
    path_level
        .map(|(i, p)| (format!("{base}/parameters/{i}"), p))
        .chain(op_level.map(|(i, p)| (format!("{base}/{method}/parameters/{i}"), p)))
        .map(|(pointer, p)| (pointer.clone(), resolve(doc, p, pointer).1))
        .collect()
}

/// Every `description`/`summary` string in a document with its pointer; example payloads are data, not prose.
pub fn prose<'v>(v: &'v Value, pointer: String, out: &mut Vec<(String, &'v str)>) {
    match v {
        Value::Object(map) => {
            for (key, value) in map.iter().filter(|(k, _)| k.as_str() != "x-ms-examples") {
                let child = format!("{pointer}/{}", segment(key));
                match value.as_str() {
                    Some(text) if key == "description" || key == "summary" => out.push((child, text)),
                    _ => prose(value, child, out),
                }
            }
        }
        Value::Array(items) => {
            items.iter().enumerate().for_each(|(i, item)| prose(item, format!("{pointer}/{i}"), out))
        }
        _ => {}
    }
}
