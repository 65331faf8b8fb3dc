//! Finishing passes: boxing recursive fields, deriving `Default`, merge-patch types.

use serde_json::{json, Value};

use super::{api, field, named, one_operation, operation, struct_model, swagger};
use crate::ir::{ModelName, TypeDef, TypeRef};

#[test]
fn field_through_which_a_struct_contains_itself_is_boxed() {
    let api = api(swagger(json!({ "definitions": {
        "Node": { "type": "object", "properties": {
            "parent": { "$ref": "#/definitions/Node" },
            "children": { "type": "array", "items": { "$ref": "#/definitions/Node" } }
        } }
    } })));
    let node = struct_model(&api, "Node");
    assert!(field(node, "parent").boxed);
    assert!(!field(node, "children").boxed, "a Vec already breaks the recursion");
}

#[test]
fn mutually_recursive_structs_box_one_field_only() {
    let api = api(swagger(json!({ "definitions": {
        "A": { "type": "object", "properties": { "b": { "$ref": "#/definitions/B" } } },
        "B": { "type": "object", "properties": { "a": { "$ref": "#/definitions/A" } } }
    } })));
    assert!(field(struct_model(&api, "A"), "b").boxed);
    assert!(!field(struct_model(&api, "B"), "a").boxed, "A is already boxed in B's cycle");
}

#[test]
fn a_ring_of_structs_is_broken_once_in_the_first_by_name() {
    let api = api(swagger(json!({ "definitions": {
        "C": { "type": "object", "properties": { "a": { "$ref": "#/definitions/A" } } },
        "B": { "type": "object", "properties": { "c": { "$ref": "#/definitions/C" }, "self": { "$ref": "#/definitions/B" } } },
        "A": { "type": "object", "properties": { "b": { "$ref": "#/definitions/B" } } }
    } })));
    let boxed: Vec<(&str, &str, bool)> = ["A", "B", "C"]
        .into_iter()
        .flat_map(|m| struct_model(&api, m).fields.iter().map(move |f| (m, f.name.wire.as_str(), f.boxed)))
        .collect();
    assert_eq!(boxed, [("A", "b", true), ("B", "c", false), ("B", "self", true), ("C", "a", false)]);
}

#[test]
fn a_long_ring_of_structs_is_boxed_in_linear_time() {
    // Given 5,000 structs each holding the next, the last holding the first
    let n = 5000;
    let definitions: serde_json::Map<String, Value> = (0..n)
        .map(|i| (format!("M{i:05}"), json!({ "type": "object", "properties": { "next": { "$ref": format!("#/definitions/M{:05}", (i + 1) % n) } } })))
        .collect();
    let started = std::time::Instant::now();
    let api = api(swagger(json!({ "definitions": definitions })));
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "took {:?}", started.elapsed());
    let boxed: Vec<&str> = api.types.values().filter_map(|t| match t {
        TypeDef::Struct(s) if s.fields[0].boxed => Some(s.name.rust.as_str()),
        _ => None,
    }).collect();
    assert_eq!(boxed, ["M00000"]);
}

#[test]
fn default_is_derived_when_every_required_field_has_one() {
    let api = api(swagger(json!({ "definitions": {
        "Optional": { "type": "object", "properties": { "at": { "type": "string", "format": "date-time" } } },
        "NeedsTime": { "type": "object", "required": ["at"], "properties": { "at": { "type": "string", "format": "date-time" } } },
        "Outer": { "type": "object", "required": ["inner"], "properties": { "inner": { "$ref": "#/definitions/Optional" } } },
        "OuterOfTime": { "type": "object", "required": ["inner"], "properties": { "inner": { "$ref": "#/definitions/NeedsTime" } } }
    } })));
    let defaults: Vec<(&str, bool)> = ["Optional", "NeedsTime", "Outer", "OuterOfTime"]
        .into_iter()
        .map(|n| (n, struct_model(&api, n).default))
        .collect();
    assert_eq!(defaults, [("Optional", true), ("NeedsTime", false), ("Outer", true), ("OuterOfTime", false)]);
}

#[test]
fn default_waits_for_the_structs_it_requires_through_aliases_and_cycles() {
    let api = api(swagger(json!({ "definitions": {
        "A": { "type": "object", "required": ["b"], "properties": { "b": { "$ref": "#/definitions/BAlias" } } },
        "BAlias": { "$ref": "#/definitions/B" },
        "B": { "type": "object", "required": ["c"], "properties": { "c": { "$ref": "#/definitions/C" } } },
        "C": { "type": "object", "properties": { "x": { "type": "string" } } },
        "Loop": { "type": "object", "required": ["me"], "properties": { "me": { "$ref": "#/definitions/Loop" } } }
    } })));
    let defaults: Vec<(&str, bool)> = ["A", "B", "C", "Loop"].into_iter().map(|n| (n, struct_model(&api, n).default)).collect();
    assert_eq!(defaults, [("A", true), ("B", true), ("C", true), ("Loop", false)]);
}

fn device() -> Value {
    json!({ "Device": { "type": "object", "required": ["name"], "properties": {
        "name": { "type": "string" }, "etag": { "type": "string" }
    } } })
}

fn merge_patch(body_schema: Value, id: &str) -> Value {
    json!({
        "operationId": id, "consumes": ["application/merge-patch+json"],
        "parameters": [{ "name": "body", "in": "body", "required": true, "schema": body_schema }],
        "responses": { "200": { "description": "", "schema": { "$ref": "#/definitions/Device" } } }
    })
}

#[test]
fn merge_patch_body_of_a_model_takes_its_patch_type_with_every_field_optional() {
    let api = api(one_operation("patch", "/d", merge_patch(json!({ "$ref": "#/definitions/Device" }), "D_Update"), device()));
    assert_eq!(operation(&api, "D_Update").body.as_ref().map(|b| &b.ty), Some(&named("DevicePatch")));
    let patch = struct_model(&api, "DevicePatch");
    assert_eq!(patch.patch_of, Some(ModelName::new("Device")));
    assert!(patch.fields.iter().all(|f| !f.required && !f.send_null));
    assert!(field(struct_model(&api, "Device"), "name").required, "the resource itself is unchanged");
}

#[test]
fn bare_object_merge_patch_body_takes_the_patch_type_of_the_returned_resource() {
    let api = api(one_operation("patch", "/d", merge_patch(json!({ "type": "object" }), "D_Update"), device()));
    assert_eq!(operation(&api, "D_Update").body.as_ref().map(|b| &b.ty), Some(&named("DevicePatch")));
}

#[test]
fn patch_type_is_made_once_per_model() {
    let doc = swagger(json!({
        "paths": {
            "/a": { "patch": merge_patch(json!({ "$ref": "#/definitions/Device" }), "A_Update") },
            "/b": { "patch": merge_patch(json!({ "type": "object" }), "B_Update") }
        },
        "definitions": device()
    }));
    let api = api(doc);
    let patches = api.types.values().filter(|t| matches!(t, TypeDef::Struct(s) if s.patch_of.is_some())).count();
    assert_eq!(patches, 1);
    assert_eq!(operation(&api, "B_Update").body.as_ref().map(|b| &b.ty), Some(&named("DevicePatch")));
}

#[test]
fn bare_object_merge_patch_of_a_union_takes_the_union_itself() {
    let definitions = json!({
        "Device": { "type": "object", "discriminator": "kind", "properties": { "kind": { "type": "string" } } },
        "Sensor": { "allOf": [{ "$ref": "#/definitions/Device" }], "properties": { "unit": { "type": "string" } } }
    });
    let api = api(one_operation("patch", "/d", merge_patch(json!({ "type": "object" }), "D_Update"), definitions));
    assert_eq!(operation(&api, "D_Update").body.as_ref().map(|b| &b.ty), Some(&named("Device")));
}

#[test]
fn json_patch_body_keeps_its_type() {
    let op = json!({
        "operationId": "D_Update",
        "parameters": [{ "name": "body", "in": "body", "schema": { "type": "object" } }],
        "responses": { "200": { "description": "", "schema": { "$ref": "#/definitions/Device" } } }
    });
    let api = api(one_operation("patch", "/d", op, device()));
    assert_eq!(operation(&api, "D_Update").body.as_ref().map(|b| &b.ty), Some(&TypeRef::Any));
}
