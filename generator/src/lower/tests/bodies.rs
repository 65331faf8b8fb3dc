//! Bodies beyond JSON: the kind of each media type, alternatives, forms, raw responses, formats.

use serde_json::json;

use super::{api, field, one_operation, operation, struct_model, warnings};
use crate::ir::{BodyKind, Output, ParamKind, TypeRef};

#[test]
fn a_binary_schema_is_bytes_in_any_media_type_and_other_kinds_are_alternatives() {
    let op = json!({
        "operationId": "Analyze",
        "consumes": ["application/pdf", "image/png", "text/plain", "application/json"],
        "parameters": [{ "name": "input", "in": "body", "required": true, "schema": { "type": "string" } }],
        "produces": ["image/png"],
        "responses": { "200": { "description": "ok", "schema": { "type": "file" } } }
    });
    let api = api(one_operation("post", "/analyze", op, json!({})));
    let op = operation(&api, "Analyze");
    let body = op.body.as_ref().expect("a body");
    assert_eq!((&body.kind, body.content_type.as_str()), (&BodyKind::Json, "application/json"));
    let kinds: Vec<(&BodyKind, &[String])> =
        body.alternatives.iter().map(|a| (&a.kind, a.choices.as_slice())).collect();
    let binary = ["application/pdf".to_string(), "image/png".to_string()];
    assert_eq!(kinds, [(&BodyKind::Binary, &binary[..]), (&BodyKind::Text, &[][..])]);
    assert_eq!(op.response.output, Output::Binary);
}

#[test]
fn form_parameters_are_fields_and_a_required_single_value_enum_is_a_constant() {
    let op = json!({
        "operationId": "Upload",
        "consumes": ["multipart/form-data"],
        "parameters": [
            { "name": "file", "in": "formData", "type": "file", "required": true },
            { "name": "grant_type", "in": "formData", "type": "string", "enum": ["token"], "required": true },
            { "name": "note", "in": "formData", "type": "string", "x-ms-client-name": "comment" }
        ],
        "responses": { "200": { "description": "ok" } }
    });
    let api = api(one_operation("post", "/upload", op, json!({})));
    let body = operation(&api, "Upload").body.as_ref().expect("a body");
    let BodyKind::Form { multipart: true, fields } = &body.kind else { panic!("not multipart: {:?}", body.kind) };
    let summary: Vec<(&str, &str, bool, bool)> =
        fields.iter().map(|f| (f.name.rust.as_str(), f.name.wire.as_str(), f.file, f.required)).collect();
    assert_eq!(
        summary,
        [("file", "file", true, true), ("grant_type", "grant_type", false, true), ("comment", "note", false, false)]
    );
    assert_eq!(fields[1].kind, ParamKind::Constant("token".into()));
}

#[test]
fn xml_is_bytes_with_a_located_warning() {
    let op = json!({
        "operationId": "Put",
        "consumes": ["application/xml"],
        "produces": ["application/xml"],
        "parameters": [{ "name": "body", "in": "body", "required": true, "schema": { "type": "object" } }],
        "responses": { "200": { "description": "ok", "schema": { "type": "object" } } }
    });
    let api = api(one_operation("put", "/x", op, json!({})));
    let op = operation(&api, "Put");
    assert_eq!(op.body.as_ref().map(|b| &b.kind), Some(&BodyKind::Binary));
    assert_eq!(op.response.output, Output::Binary);
    let warnings = warnings(&api);
    assert!(
        warnings.iter().any(|w| w.starts_with("/paths/~1x/put/parameters/0/schema: application/xml")),
        "{warnings:?}"
    );
}

#[test]
fn formats_and_nullable_items_are_typed() {
    let definitions = json!({ "M": { "type": "object", "properties": {
        "blob": { "type": "string", "format": "byte" },
        "day": { "type": "string", "format": "date" },
        "span": { "type": "string", "format": "duration" },
        "at": { "type": "integer", "format": "unixtime" },
        "names": { "type": "array", "items": { "type": "string", "x-nullable": true } }
    } } });
    let op = json!({ "operationId": "Get", "responses": { "200": { "description": "ok", "schema": { "$ref": "#/definitions/M" } } } });
    let api = api(one_operation("get", "/m", op, definitions));
    let m = struct_model(&api, "M");
    let types: Vec<&TypeRef> = ["blob", "day", "span", "at"].iter().map(|w| &field(m, w).ty).collect();
    assert_eq!(types, [&TypeRef::Base64, &TypeRef::Date, &TypeRef::Duration, &TypeRef::UnixTime]);
    assert_eq!(field(m, "names").ty, TypeRef::Vec(Box::new(TypeRef::Nullable(Box::new(TypeRef::String)))));
}

#[test]
fn a_nullable_success_body_is_optional() {
    let op = json!({
        "operationId": "Get",
        "responses": { "200": { "description": "ok", "schema": { "type": "boolean", "x-nullable": true } } }
    });
    let api = api(one_operation("get", "/b", op, json!({})));
    assert_eq!(operation(&api, "Get").response.output, Output::OptionalJson(TypeRef::Bool));
}
