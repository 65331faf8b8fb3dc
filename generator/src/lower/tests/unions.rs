//! `oneOf` / `anyOf` and hierarchies as unions: tagging (declared, mapped, inferred, none), the
//! catch-all, `null` members, and subtypes with subtypes of their own.

use serde_json::{json, Value};

use super::{api, field, model, named, struct_model, swagger, warnings};
use crate::ir::{TypeDef, TypeRef, Union};

fn openapi(schemas: Value) -> Value {
    json!({ "openapi": "3.0.3", "info": { "title": "T", "version": "1" }, "paths": {}, "components": { "schemas": schemas } })
}

fn union<'a>(api: &'a crate::ir::Api, name: &str) -> &'a Union {
    match model(api, name) {
        TypeDef::Union(u) => u,
        other => panic!("{name} is not a union: {other:?}"),
    }
}

/// (Rust name, wire value, type) of each variant.
fn variants(u: &Union) -> Vec<(&str, &str, TypeRef)> {
    u.variants.iter().map(|v| (v.name.rust.as_str(), v.name.wire.as_str(), v.ty.clone())).collect()
}

fn object_with_kind(kind: Value) -> Value {
    json!({ "type": "object", "required": ["kind"], "properties": { "kind": kind, "size": { "type": "integer" } } })
}

#[test]
fn discriminator_with_mapping_tags_each_member_and_writes_the_tag() {
    let api = api(openapi(json!({
        "Pet": { "oneOf": [{ "$ref": "#/components/schemas/Cat" }, { "$ref": "#/components/schemas/Dog" }],
                 "discriminator": { "propertyName": "kind", "mapping": { "cat": "#/components/schemas/Cat", "kitten": "Cat" } } },
        "Cat": object_with_kind(json!({ "type": "string" })),
        "Dog": object_with_kind(json!({ "type": "string" }))
    })));
    let pet = union(&api, "Pet");
    assert_eq!(pet.property.as_deref(), Some("kind"));
    assert!(pet.writes_tag);
    assert_eq!(variants(pet), [("Cat", "cat", named("Cat")), ("Kitten", "kitten", named("Cat")), ("Dog", "Dog", named("Dog"))]);
    assert_eq!(pet.unknown.as_deref(), Some("Unknown"), "a plain string tag leaves room for other kinds");
    assert!(warnings(&api).is_empty(), "{:?}", warnings(&api));
}

#[test]
fn discriminator_pinned_by_enums_is_closed() {
    let api = api(openapi(json!({
        "Pet": { "oneOf": [{ "$ref": "#/components/schemas/Cat" }, { "$ref": "#/components/schemas/Dog" }],
                 "discriminator": { "propertyName": "kind" } },
        "Cat": object_with_kind(json!({ "type": "string", "enum": ["Cat"] })),
        "Dog": object_with_kind(json!({ "type": "string", "enum": ["Dog"] }))
    })));
    assert_eq!(union(&api, "Pet").unknown, None);
}

#[test]
fn single_value_property_infers_tagging() {
    let api = api(openapi(json!({
        "Shape": { "oneOf": [
            { "title": "circle", "type": "object", "properties": { "shape": { "type": "string", "enum": ["circle"] }, "r": { "type": "number" } } },
            { "$ref": "#/components/schemas/Square" }
        ] },
        "Square": { "type": "object", "properties": { "shape": { "type": "string", "enum": ["square"] }, "side": { "type": "number" } } }
    })));
    let shape = union(&api, "Shape");
    assert_eq!(shape.property.as_deref(), Some("shape"));
    assert_eq!(variants(shape), [("Circle", "circle", named("ShapeCircle")), ("Square", "square", named("Square"))]);
    assert_eq!(shape.unknown, None);
    struct_model(&api, "ShapeCircle");
}

#[test]
fn shared_or_missing_constants_leave_the_union_untagged() {
    let api = api(openapi(json!({
        "U": { "anyOf": [
            { "type": "object", "properties": { "t": { "type": "string", "enum": ["a"] } } },
            { "type": "object", "properties": { "t": { "type": "string", "enum": ["a"] } } },
            { "type": "string" }, { "type": "integer" }, { "type": "number" }, { "type": "boolean" },
            { "type": "array", "items": { "type": "string" } }
        ] }
    })));
    let u = union(&api, "U");
    assert_eq!(u.property, None);
    assert_eq!(
        variants(u),
        [
            ("Variant0", "", named("UVariant0")),
            ("Variant1", "", named("UVariant1")),
            ("String", "", TypeRef::String),
            ("Integer", "", TypeRef::I64),
            ("Number", "", TypeRef::F64),
            ("Boolean", "", TypeRef::Bool),
            ("Array", "", TypeRef::Vec(Box::new(TypeRef::String))),
        ]
    );
}

#[test]
fn null_member_makes_the_field_optional_instead_of_a_variant() {
    let api = api(openapi(json!({
        "D": { "type": "object", "required": ["p", "q"], "properties": {
            "p": { "oneOf": [{ "type": "null" }, { "$ref": "#/components/schemas/E" }] },
            "q": { "anyOf": [{ "type": "string" }], "nullable": true }
        } },
        "E": { "type": "object", "properties": { "x": { "type": "string" } } },
        "N": { "oneOf": [{ "type": "integer" }, { "type": "null" }] }
    })));
    let d = struct_model(&api, "D");
    let p = field(d, "p");
    assert_eq!((p.ty.clone(), p.required, p.send_null), (named("E"), false, true));
    assert_eq!(field(d, "q").ty, TypeRef::String);
    let TypeDef::Alias(n) = model(&api, "N") else { panic!("not an alias") };
    assert_eq!(n.ty, TypeRef::I64);
}

#[test]
fn inline_union_is_named_after_its_use() {
    let api = api(openapi(json!({
        "D": { "type": "object", "properties": { "p": { "oneOf": [{ "type": "string" }, { "type": "integer" }] } } }
    })));
    assert_eq!(field(struct_model(&api, "D"), "p").ty, named("Dp"));
    assert_eq!(variants(union(&api, "Dp")), [("String", "", TypeRef::String), ("Integer", "", TypeRef::I64)]);
    assert!(warnings(&api).is_empty());
}

#[test]
fn subtype_with_subtypes_is_used_through_its_union() {
    let api = api(swagger(json!({ "definitions": {
        "Animal": { "type": "object", "discriminator": "kind", "required": ["kind"], "properties": { "kind": { "type": "string" } } },
        "Dog": { "x-ms-discriminator-value": "dog", "allOf": [{ "$ref": "#/definitions/Animal" }] },
        "Puppy": { "x-ms-discriminator-value": "dog.puppy", "allOf": [{ "$ref": "#/definitions/Dog" }] },
        "Owner": { "type": "object", "properties": { "dog": { "$ref": "#/definitions/Dog" } } }
    } })));
    assert_eq!(field(struct_model(&api, "Owner"), "dog").ty, named("DogUnion"));
    let dogs = union(&api, "DogUnion");
    assert_eq!(dogs.property.as_deref(), Some("kind"));
    assert!(!dogs.writes_tag, "each subtype writes its own tag");
    assert_eq!(variants(dogs), [("Dog", "dog", named("Dog")), ("DogPuppy", "dog.puppy", named("Puppy"))]);
    let animal = union(&api, "Animal");
    assert_eq!(animal.variants[0].ty, named("Dog"), "the base's variant is the struct itself");
}

#[test]
fn a_discriminated_one_of_with_properties_of_its_own_is_a_union() {
    let api = api(openapi(json!({
        "Pet": { "type": "object", "required": ["kind"], "properties": { "kind": { "type": "string" } },
                 "oneOf": [{ "$ref": "#/components/schemas/Cat" }, { "$ref": "#/components/schemas/Dog" }],
                 "discriminator": { "propertyName": "kind" } },
        "Cat": object_with_kind(json!({ "type": "string" })),
        "Dog": object_with_kind(json!({ "type": "string" }))
    })));
    assert_eq!(variants(union(&api, "Pet")), [("Cat", "Cat", named("Cat")), ("Dog", "Dog", named("Dog"))]);
}
