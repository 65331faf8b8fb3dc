//! Schemas → models: structs, fields, inline types, `allOf`, unions, enums, aliases, primitive types.

use serde_json::{json, Value};

use super::{api, enum_model, error, field, model, named, struct_model, swagger, warnings};
use crate::ir::{AdditionalProperties, Alias, Name, Tag, TypeDef, TypeRef, UnionVariant};

#[test]
fn object_definition_becomes_a_struct_with_snake_case_fields() {
    // Given an object definition with a required and an optional property
    let doc = swagger(json!({ "definitions": { "Device": {
        "type": "object", "description": "A device.", "required": ["displayName"],
        "properties": { "displayName": { "type": "string" }, "@type": { "type": "string" } }
    } } }));
    // When it is lowered
    let api = api(doc);
    // Then it is a struct with Rust and wire names, required only where the document says so
    let device = struct_model(&api, "Device");
    assert_eq!(device.doc.as_deref(), Some("A device."));
    let names: Vec<(&str, &str, bool)> =
        device.fields.iter().map(|f| (f.name.rust.as_str(), f.name.wire.as_str(), f.required)).collect();
    assert_eq!(names, [("display_name", "displayName", true), ("r#type", "@type", false)]);
}

#[test]
fn read_only_required_field_is_optional_and_marked_read_only() {
    let api = api(swagger(json!({ "definitions": { "Device": {
        "type": "object", "required": ["id"], "properties": { "id": { "type": "string", "readOnly": true } }
    } } })));
    let id = field(struct_model(&api, "Device"), "id");
    assert!(id.read_only);
    assert!(!id.required, "a read-only field is never sent, so never required");
}

#[test]
fn structs_keep_undeclared_members_as_json() {
    let api = api(swagger(json!({ "definitions": { "Device": { "type": "object", "properties": { "id": { "type": "string" } } } } })));
    assert_eq!(
        struct_model(&api, "Device").additional,
        Some(AdditionalProperties { field: "additional_properties".into(), ty: TypeRef::Any, declared: false })
    );
}

#[test]
fn declared_additional_properties_type_the_map_and_false_removes_it() {
    let api = api(swagger(json!({ "definitions": {
        "Tags": { "type": "object", "properties": { "n": { "type": "integer" } }, "additionalProperties": { "type": "string" } },
        "Closed": { "type": "object", "properties": { "n": { "type": "integer" } }, "additionalProperties": false }
    } })));
    assert_eq!(
        struct_model(&api, "Tags").additional,
        Some(AdditionalProperties { field: "additional_properties".into(), ty: TypeRef::String, declared: true })
    );
    assert_eq!(struct_model(&api, "Closed").additional, None);
}

#[test]
fn inline_object_property_becomes_a_model_named_after_owner_and_property() {
    let api = api(swagger(json!({ "definitions": { "Device": { "type": "object", "properties": {
        "status": { "type": "object", "properties": { "code": { "type": "integer", "format": "int32" } } }
    } } } })));
    assert_eq!(field(struct_model(&api, "Device"), "status").ty, named("DeviceStatus"));
    assert_eq!(field(struct_model(&api, "DeviceStatus"), "code").ty, TypeRef::I32);
    assert_eq!(struct_model(&api, "DeviceStatus").name.wire, "", "an inline model has no wire name");
}

#[test]
fn inline_type_never_takes_a_component_name() {
    // Given a component `DeviceStatus` declared after the `Device` whose inline property wants that name
    let api = api(swagger(json!({ "definitions": {
        "Device": { "type": "object", "properties": { "status": { "type": "object", "properties": { "a": { "type": "string" } } } } },
        "DeviceStatus": { "type": "object", "properties": { "b": { "type": "string" } } }
    } })));
    // Then the component keeps its name and the inline type is counted
    assert_eq!(field(struct_model(&api, "Device"), "status").ty, named("DeviceStatus2"));
    assert_eq!(field(struct_model(&api, "DeviceStatus"), "b").ty, TypeRef::String);
}

#[test]
fn all_of_collects_parent_properties_first_and_merges_required() {
    let api = api(swagger(json!({ "definitions": {
        "Resource": { "type": "object", "required": ["id"], "properties": { "id": { "type": "string" } } },
        "Device": { "allOf": [{ "$ref": "#/definitions/Resource" }], "properties": { "name": { "type": "string" } } }
    } })));
    let device = struct_model(&api, "Device");
    let fields: Vec<(&str, bool)> = device.fields.iter().map(|f| (f.name.wire.as_str(), f.required)).collect();
    assert_eq!(fields, [("id", true), ("name", false)]);
}

#[test]
fn all_of_with_a_single_ref_is_the_referenced_type() {
    // Swagger attaches a description to a reference this way.
    let api = api(swagger(json!({ "definitions": {
        "Status": { "type": "object", "properties": { "a": { "type": "string" } } },
        "Device": { "type": "object", "properties": { "status": { "description": "Now.", "allOf": [{ "$ref": "#/definitions/Status" }] } } }
    } })));
    let status = field(struct_model(&api, "Device"), "status");
    assert_eq!(status.ty, named("Status"));
    assert_eq!(status.doc.as_deref(), Some("Now."));
}

#[test]
fn discriminated_base_becomes_a_union_of_its_subtypes() {
    // Given a base with a discriminator and two subtypes inheriting through allOf
    let api = api(swagger(json!({ "definitions": {
        "Attestation": { "type": "object", "discriminator": "type", "required": ["type"], "properties": { "type": { "type": "string" } } },
        "X509": { "allOf": [{ "$ref": "#/definitions/Attestation" }], "properties": { "cert": { "type": "string" } } },
        "Tpm": { "allOf": [{ "$ref": "#/definitions/Attestation" }], "properties": { "key": { "type": "string" } } }
    } })));
    // Then the base is a union whose variants are the subtypes, keyed by their names
    let TypeDef::Union(u) = model(&api, "Attestation") else { panic!("not a union") };
    assert_eq!(u.property, Some("type".into()));
    assert_eq!(
        u.variants,
        [
            UnionVariant { name: Name { rust: "X509".into(), wire: "X509".into() }, ty: TypeRef::Named(crate::ir::ModelName::new("X509")), pointer: "/definitions/X509".into() },
            UnionVariant { name: Name { rust: "Tpm".into(), wire: "Tpm".into() }, ty: TypeRef::Named(crate::ir::ModelName::new("Tpm")), pointer: "/definitions/Tpm".into() },
        ]
    );
    assert_eq!(u.unknown, Some("Unknown".into()));
    // And each subtype writes its tag instead of having the discriminator as a field
    let x509 = struct_model(&api, "X509");
    assert_eq!(x509.tag, Some(Tag { property: "type".into(), value: "X509".into() }));
    assert!(x509.fields.iter().all(|f| f.name.wire != "type"));
}

#[test]
fn union_variant_named_unknown_pushes_the_catch_all_aside() {
    let api = api(swagger(json!({ "definitions": {
        "Base": { "type": "object", "discriminator": "kind", "properties": { "kind": { "type": "string" } } },
        "Unknown": { "allOf": [{ "$ref": "#/definitions/Base" }], "properties": { "a": { "type": "string" } } }
    } })));
    let TypeDef::Union(u) = model(&api, "Base") else { panic!("not a union") };
    assert_eq!(u.variants[0].name.rust, "Unknown");
    assert_eq!(u.unknown, Some("UnknownValue".into()));
}

#[test]
fn subtypes_sharing_a_discriminator_value_decode_as_the_first_with_a_warning() {
    // Given two subtypes that claim the same discriminator value
    let api = api(swagger(json!({ "definitions": {
        "Tile": { "type": "object", "discriminator": "type", "properties": { "type": { "type": "string" } } },
        "CommandTile": { "allOf": [{ "$ref": "#/definitions/Tile" }], "x-ms-discriminator-value": "command" },
        "CommandConfig": { "allOf": [{ "$ref": "#/definitions/Tile" }], "x-ms-discriminator-value": "command" }
    } })));
    // Then both stay variants, the first decodes the value, and the clash is reported
    let TypeDef::Union(u) = model(&api, "Tile") else { panic!("not a union") };
    let variants: Vec<&str> = u.variants.iter().map(|v| v.name.rust.as_str()).collect();
    assert_eq!(variants, ["Command", "CommandType"]);
    let decoding: Vec<&str> = u.decoding().map(|v| v.name.rust.as_str()).collect();
    assert_eq!(decoding, ["Command"]);
    assert_eq!(warnings(&api), ["/definitions/CommandConfig: discriminator value \"command\" is also CommandTile's; it decodes as CommandTile"]);
}

#[test]
fn string_enum_becomes_a_closed_enum_without_duplicate_values() {
    let api = api(swagger(json!({ "definitions": { "Level": { "type": "string", "enum": ["low", "high", "low", "other"] } } })));
    let level = enum_model(&api, "Level");
    assert!(!level.open);
    let variants: Vec<(&str, &str)> = level.variants.iter().map(|v| (v.name.rust.as_str(), v.name.wire.as_str())).collect();
    assert_eq!(variants, [("Low", "low"), ("High", "high"), ("Other", "other")]);
    assert_eq!(level.other, "OtherValue", "the catch-all steps aside for a value called other");
}

#[test]
fn non_string_enum_is_kept_as_a_plain_value_with_a_warning() {
    let api = api(swagger(json!({ "definitions": { "Size": { "type": "integer", "enum": [1, 2] } } })));
    let TypeDef::Alias(Alias { ty, .. }) = model(&api, "Size") else { panic!("not an alias") };
    assert_eq!(*ty, TypeRef::I64);
    assert_eq!(warnings(&api), ["/definitions/Size: non-string enum values are kept as plain values"]);
}

#[test]
fn inline_string_enum_becomes_a_model_named_after_its_use() {
    let api = api(swagger(json!({ "definitions": { "Device": { "type": "object", "properties": {
        "state": { "type": "string", "enum": ["on", "off"] }
    } } } })));
    assert_eq!(field(struct_model(&api, "Device"), "state").ty, named("DeviceState"));
    assert_eq!(enum_model(&api, "DeviceState").variants.len(), 2);
}

#[test]
fn formats_choose_the_rust_type() {
    let cases = [
        (json!({ "type": "integer", "format": "int32" }), TypeRef::I32),
        (json!({ "type": "integer" }), TypeRef::I64),
        (json!({ "type": "number", "format": "float" }), TypeRef::F32),
        (json!({ "type": "number" }), TypeRef::F64),
        (json!({ "type": "boolean" }), TypeRef::Bool),
        (json!({ "type": "string" }), TypeRef::String),
        (json!({ "type": "string", "format": "date-time" }), TypeRef::DateTime),
        (json!({ "type": "string", "format": "date-time-rfc1123" }), TypeRef::DateTime),
        (json!({ "type": "file" }), TypeRef::String),
        (json!({ "type": "array", "items": { "type": "string" } }), TypeRef::Vec(Box::new(TypeRef::String))),
        (json!({ "type": "object", "additionalProperties": { "type": "integer" } }), TypeRef::Map(Box::new(TypeRef::I64))),
        (json!({ "type": "object" }), TypeRef::Any),
        (json!({}), TypeRef::Any),
    ];
    for (schema, expected) in cases {
        let api = api(swagger(json!({ "definitions": { "D": { "type": "object", "properties": { "p": schema.clone() } } } })));
        assert_eq!(field(struct_model(&api, "D"), "p").ty, expected, "for {schema}");
    }
}

#[test]
fn component_that_is_a_reference_is_an_alias() {
    let api = api(swagger(json!({ "definitions": {
        "Id": { "type": "string" },
        "DeviceId": { "$ref": "#/definitions/Id" }
    } })));
    let TypeDef::Alias(a) = model(&api, "DeviceId") else { panic!("not an alias") };
    assert_eq!(a.ty, named("Id"));
    let TypeDef::Alias(id) = model(&api, "Id") else { panic!("not an alias") };
    assert_eq!(id.ty, TypeRef::String);
}

#[test]
fn cyclic_all_of_is_a_located_error() {
    let doc = swagger(json!({ "definitions": {
        "A": { "allOf": [{ "$ref": "#/definitions/B" }], "properties": { "a": { "type": "string" } } },
        "B": { "allOf": [{ "$ref": "#/definitions/A" }], "properties": { "b": { "type": "string" } } }
    } }));
    assert_eq!(error(doc), "t.json#/definitions/B/allOf/0: allOf cycle: A -> B -> A");
}

#[test]
fn all_of_fan_out_is_collected_once_per_schema() {
    // Given eight levels where each schema inherits from the next one ten times over (10^8 paths)
    let mut definitions = serde_json::Map::new();
    for level in 0..8 {
        let parents: Vec<Value> = (0..10).map(|_| json!({ "$ref": format!("#/definitions/L{}", level + 1) })).collect();
        definitions.insert(format!("L{level}"), json!({ "allOf": parents, "properties": { format!("p{level}"): { "type": "string" } } }));
    }
    definitions.insert("L8".into(), json!({ "properties": { "p8": { "type": "string" } } }));
    let started = std::time::Instant::now();
    let api = api(swagger(json!({ "definitions": definitions })));
    // Then lowering takes moments, and the top inherits every level's property once, parents first
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "took {:?}", started.elapsed());
    let wires: Vec<&str> = struct_model(&api, "L0").fields.iter().map(|f| f.name.wire.as_str()).collect();
    assert_eq!(wires, ["p8", "p7", "p6", "p5", "p4", "p3", "p2", "p1", "p0"]);
}

#[test]
fn inherited_property_of_the_same_name_is_replaced_in_place() {
    let doc = swagger(json!({ "definitions": {
        "Base": { "required": ["id"], "properties": { "id": { "type": "string" }, "kind": { "type": "string" } } },
        "Child": { "allOf": [{ "$ref": "#/definitions/Base" }], "properties": { "extra": { "type": "string" }, "id": { "type": "integer" } } }
    } }));
    let api = api(doc);
    let child = struct_model(&api, "Child");
    let fields: Vec<(&str, &TypeRef, bool)> = child.fields.iter().map(|f| (f.name.wire.as_str(), &f.ty, f.required)).collect();
    assert_eq!(fields, [("id", &TypeRef::I64, true), ("kind", &TypeRef::String, false), ("extra", &TypeRef::String, false)]);
}

#[test]
fn all_of_deeper_than_32_levels_is_a_located_error() {
    let mut definitions = serde_json::Map::new();
    for level in 0..40 {
        definitions.insert(format!("L{level}"), json!({ "allOf": [{ "$ref": format!("#/definitions/L{}", level + 1) }] }));
    }
    definitions.insert("L40".into(), json!({ "properties": { "p": { "type": "string" } } }));
    let message = error(swagger(json!({ "definitions": definitions })));
    assert!(message.ends_with(": allOf nesting is deeper than 32 levels"), "{message}");
    assert!(message.starts_with("t.json#/definitions/L"), "{message}");
}

#[test]
fn alias_of_itself_through_an_array_is_a_located_error() {
    // `type Tree = Vec<Tree>` does not compile; the document must say what a node holds.
    let doc = swagger(json!({ "definitions": {
        "Tree": { "type": "array", "items": { "$ref": "#/definitions/Forest" } },
        "Forest": { "type": "object", "additionalProperties": { "$ref": "#/definitions/Tree" } }
    } }));
    assert_eq!(
        error(doc),
        "t.json#/definitions/Forest: type aliases refer to themselves (Forest -> Tree -> Forest); Rust needs a struct in such a cycle"
    );
}

#[test]
fn documents_that_lower_to_too_many_members_are_a_located_error() {
    // Given 1,000 discriminated bases, one schema inheriting from all of them, and 600 subtypes of
    // that one: every base would be a union of 601 variants, 601,000 from a small document
    let mut definitions = serde_json::Map::new();
    let mut bases = Vec::new();
    for i in 0..1000 {
        definitions.insert(format!("Base{i}"), json!({ "discriminator": "kind", "properties": { "kind": { "type": "string" } } }));
        bases.push(json!({ "$ref": format!("#/definitions/Base{i}") }));
    }
    definitions.insert("Middle".into(), json!({ "allOf": bases }));
    for i in 0..600 {
        definitions.insert(format!("Sub{i}"), json!({ "allOf": [{ "$ref": "#/definitions/Middle" }] }));
    }
    let message = error(swagger(json!({ "definitions": definitions })));
    assert!(
        message.ends_with(": the document lowers to more than 500000 model fields and union variants (allOf inheritance copies fields into every subtype)"),
        "{message}"
    );
}

#[test]
fn unknown_schema_type_is_a_located_error() {
    let doc = swagger(json!({ "definitions": { "D": { "type": "object", "properties": { "p": { "type": "decimal" } } } } }));
    assert_eq!(error(doc), "t.json#/definitions/D/properties/p: expected a JSON Schema type, found \"decimal\"");
}
