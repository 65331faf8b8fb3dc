//! One document change, one reviewable hunk: adding an optional property to one model, or removing
//! one, changes that model's lines in `models.rs` and nothing else: one hunk (three lines of context,
//! as `git diff` shows it) of at most [`MAX_LINES`] added plus removed lines, in no other item and no
//! other file.
//!
//! Measured on the documents of `specs/` (every model that no other model inherits from and that has
//! no merge-patch twin, whose fields would change too), by editing each document in memory and
//! generating both versions.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use iot_rest_codegen::emit::{self, Header, Root};
use iot_rest_codegen::ir::{Api, TypeDef};
use iot_rest_tests::workspace_root;
use serde_json::{json, Map, Value};

/// The doc line and the field line of a property, plus the two lines a read-only note adds.
const MAX_LINES: usize = 4;

/// The documents measured, and how many of their models at most (the large ones are sampled evenly,
/// to keep the test quick).
const DOCUMENTS: &[(&str, usize)] =
    &[("specs/dps/2017-11-15.json", usize::MAX), ("specs/iotcentral/2022-07-31.json", 12)];

/// The property every case adds.
fn added_property() -> Value {
    json!({"type": "string", "description": "A property a later version of the document adds."})
}

/// A change to one model of a document.
#[derive(Debug)]
enum Change {
    /// Adds the optional property `addedProperty` at this position among the model's properties.
    Add { model: String, at: usize },
    /// Removes this optional property.
    Remove { model: String, property: String },
}

/// Generates every file of `doc`'s API, by path.
fn generate(doc: &Value, name: &str) -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("one_change");
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let path = dir.join(format!("{name}.json"));
    std::fs::write(&path, serde_json::to_vec_pretty(doc).expect("JSON")).expect("writing a document");
    let api = lower(&path);
    let header = Header { command: "test".into(), input: "document.json".into() };
    emit::api_files(&api, &header, Root::Module).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn lower(path: &Path) -> Api {
    iot_rest_codegen::lower_file(path, "document.json").unwrap_or_else(|e| panic!("{e}"))
}

/// The definitions of a Swagger 2.0 document.
fn definitions(doc: &mut Value) -> &mut Map<String, Value> {
    doc.get_mut("definitions").and_then(Value::as_object_mut).expect("a Swagger 2.0 document with definitions")
}

/// Models another model inherits from (named by an `allOf` reference) or that have a merge-patch
/// twin: a change to them rightly changes more than one item.
fn shared_models(doc: &Value, api: &Api) -> BTreeSet<String> {
    let mut shared = BTreeSet::new();
    inherited(doc, &mut shared);
    for def in api.types.values() {
        if let TypeDef::Struct(s) = def {
            if let Some(TypeDef::Struct(base)) = s.patch_of.as_ref().and_then(|of| api.types.get(of)) {
                shared.insert(base.name.wire.clone());
            }
        }
    }
    shared
}

/// Adds every definition an `allOf` below `value` names.
fn inherited(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for part in map.get("allOf").and_then(Value::as_array).into_iter().flatten() {
                if let Some(name) = part["$ref"].as_str().and_then(|r| r.strip_prefix("#/definitions/")) {
                    out.insert(name.to_string());
                }
            }
            map.values().for_each(|v| inherited(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| inherited(v, out)),
        _ => {}
    }
}

/// Adds the next link and item property names of every `x-ms-pageable` below `value`.
fn page_properties(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(pageable) = map.get("x-ms-pageable") {
                out.extend(pageable["nextLinkName"].as_str().map(str::to_string));
                out.insert(pageable["itemName"].as_str().unwrap_or("value").to_string());
            }
            map.values().for_each(|v| page_properties(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| page_properties(v, out)),
        _ => {}
    }
}

/// Whether a property's schema defines no model of its own (an inline enum or object is a model,
/// which goes with the property).
fn plain(schema: &Value) -> bool {
    let inline = |s: &Value| s.get("enum").is_some() || s.get("properties").is_some() || s.get("allOf").is_some();
    !inline(schema) && !schema.get("items").is_some_and(inline)
}

/// The cases of one document: for every model that stands alone, a property added in the middle
/// and at the end, and its first optional property removed (one without a model of its own or a
/// role beyond its field, and not its only one).
fn cases(doc: &Value, api: &Api, limit: usize) -> Vec<Change> {
    let shared = shared_models(doc, api);
    // Properties with a role beyond their field: a page's items and next link, a resource's ETag.
    let mut roles = BTreeSet::from(["etag".to_string()]);
    page_properties(doc, &mut roles);
    let models: Vec<(&String, &Map<String, Value>)> = doc["definitions"]
        .as_object()
        .expect("definitions")
        .iter()
        .filter(|(name, _)| !shared.contains(*name))
        .filter_map(|(name, def)| Some((name, def.get("properties")?.as_object().filter(|p| !p.is_empty())?)))
        .collect();
    let step = models.len().div_ceil(limit.min(models.len()).max(1)).max(1);
    let mut out = Vec::new();
    for (name, properties) in models.into_iter().step_by(step) {
        out.push(Change::Add { model: name.clone(), at: properties.len() / 2 });
        out.push(Change::Add { model: name.clone(), at: properties.len() });
        let required = &doc["definitions"][name.as_str()]["required"];
        let removable = properties.iter().find(|(p, schema)| {
            !required.as_array().is_some_and(|r| r.contains(&json!(p))) && plain(schema) && !roles.contains(p.as_str())
        });
        // Without properties an object schema is any JSON: its last property is not removed.
        if let Some((property, _)) = removable.filter(|_| properties.len() > 1) {
            out.push(Change::Remove { model: name.clone(), property: property.clone() });
        }
    }
    out
}

fn apply(doc: &Value, change: &Change) -> Value {
    let mut doc = doc.clone();
    let (Change::Add { model, .. } | Change::Remove { model, .. }) = change;
    let properties = definitions(&mut doc)[model.as_str()]["properties"].as_object_mut().expect("properties");
    match change {
        Change::Add { at, .. } => {
            let before: Vec<(String, Value)> = std::mem::take(properties).into_iter().collect();
            let count = before.len();
            for (i, (name, value)) in before.into_iter().enumerate() {
                if i == *at {
                    properties.insert("addedProperty".into(), added_property());
                }
                properties.insert(name, value);
            }
            if *at == count {
                properties.insert("addedProperty".into(), added_property());
            }
        }
        // Not `remove`, which may move the last property into the gap.
        Change::Remove { property, .. } => properties.retain(|name, _| name != property),
    }
    doc
}

/// Per changed file: (path, hunks, lines added plus removed).
fn changes(old: &[(String, String)], new: &[(String, String)]) -> Vec<(String, usize, usize)> {
    let paths: BTreeSet<&String> = old.iter().chain(new).map(|(p, _)| p).collect();
    let text = |files: &[(String, String)], path: &str| {
        files.iter().find(|(p, _)| p == path).map(|(_, t)| t.clone()).unwrap_or_default()
    };
    let mut out = Vec::new();
    for path in paths {
        let (a, b) = (text(old, path), text(new, path));
        if a == b {
            continue;
        }
        let diff = similar::TextDiff::from_lines(&a, &b);
        let lines = diff.iter_all_changes().filter(|c| c.tag() != similar::ChangeTag::Equal).count();
        out.push((path.clone(), diff.grouped_ops(3).len(), lines));
    }
    out
}

#[test]
fn one_optional_property_added_or_removed_is_one_small_hunk_of_models_rs() {
    let mut failures = Vec::new();
    let mut measured = 0;
    let mut largest = 0;
    for &(document, limit) in DOCUMENTS {
        let path = workspace_root().join(document);
        let doc: Value = serde_json::from_slice(&std::fs::read(&path).expect("a document")).expect("JSON");
        let api = lower(&path);
        let old = generate(&doc, "old");
        for change in cases(&doc, &api, limit) {
            let new = generate(&apply(&doc, &change), "new");
            let found = changes(&old, &new);
            measured += 1;
            largest = found.iter().map(|(_, _, lines)| *lines).max().unwrap_or(0).max(largest);
            let fits = matches!(found.as_slice(), [(path, 1, lines)] if path == "models.rs" && *lines <= MAX_LINES);
            if !fits {
                failures.push(format!("{document}: {change:?}: {found:?}"));
            }
        }
    }
    assert!(measured >= 20, "only {measured} changes measured");
    println!("one change: {measured} changes measured, the largest {largest} lines");
    assert!(
        failures.is_empty(),
        "changes that are not one hunk of at most {MAX_LINES} lines of models.rs ((file, hunks, lines)):\n{}",
        failures.join("\n")
    );
}
