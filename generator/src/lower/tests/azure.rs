//! What the client-facing Azure extensions do to operations and the client: `x-ms-client-name`,
//! `x-ms-client-default`, `x-ms-api-version`, constants, `x-ms-skip-url-encoding` on constants,
//! `x-ms-parameter-grouping`, `x-ms-client-flatten`, `x-ms-client-request-id` and hosts whose
//! template brings its own scheme.

use serde_json::{json, Value};

use super::{api, field, one_operation, operation, struct_model, swagger};
use crate::ir::{GroupField, HostValue, Name, ParamGroupId, ParamKind, PathPart, TypeRef};

fn op_with(parameters: Value) -> Value {
    json!({ "operationId": "D_Get", "parameters": parameters, "responses": { "200": { "description": "" } } })
}

#[test]
fn x_ms_client_name_names_parameters_and_properties_and_the_wire_name_stays() {
    let op = op_with(json!([
        { "name": "availabilitySetName", "x-ms-client-name": "avset", "in": "path", "required": true, "type": "string" },
        { "name": "body", "in": "body", "x-ms-client-name": "update", "schema": { "$ref": "#/definitions/D" } }
    ]));
    let defs = json!({ "D": { "type": "object", "properties": { "tagList": { "type": "string", "x-ms-client-name": "labels" } } } });
    let api = api(one_operation("put", "/d/{availabilitySetName}", op, defs));
    let op = operation(&api, "D_Get");
    assert_eq!(op.params[0].name, Name { rust: "avset".into(), wire: "availabilitySetName".into() });
    let body = op.body.as_ref().expect("a body");
    assert_eq!((body.name.rust.as_str(), body.name.wire.as_str()), ("update", "body"));
    assert_eq!(field(struct_model(&api, "D"), "tagList").name.rust, "labels");
}

#[test]
fn x_ms_client_name_names_a_client_parameter() {
    let doc = swagger(json!({
        "parameters": { "Sub": { "name": "subscriptionId", "in": "path", "required": true, "type": "string", "x-ms-client-name": "tenant" } },
        "paths": { "/s/{subscriptionId}": { "get": op_with(json!([{ "$ref": "#/parameters/Sub" }])) } }
    }));
    let api = api(doc);
    let field = &api.client_params[0].field;
    assert_eq!((field.rust.as_str(), field.wire.as_str(), api.client_params[0].arg.as_str()), ("tenant", "subscriptionId", "tenant"));
}

#[test]
fn x_ms_client_default_is_sent_for_an_unset_optional_parameter_only() {
    let op = op_with(json!([
        { "name": "keyVersion", "in": "query", "type": "string", "x-ms-client-default": "v1" },
        { "name": "top", "in": "query", "type": "integer", "default": 10 },
        { "name": "required", "in": "query", "required": true, "type": "string", "x-ms-client-default": "r" }
    ]));
    let api = api(one_operation("get", "/d", op, json!({})));
    let defaults: Vec<Option<&str>> = operation(&api, "D_Get").params.iter().map(|p| p.client_default.as_deref()).collect();
    // A plain `default` is the server's: not sent. A required parameter is always given.
    assert_eq!(defaults, [Some("v1"), None, None]);
}

#[test]
fn x_ms_api_version_false_makes_a_local_api_version_an_ordinary_parameter() {
    let op = op_with(json!([{ "name": "api-version", "in": "query", "type": "string", "x-ms-api-version": false }]));
    let ordinary = api(one_operation("get", "/d", op, json!({})));
    let p = &operation(&ordinary, "D_Get").params[0];
    assert_eq!((&p.kind, p.required), (&ParamKind::Value(TypeRef::String), false));
    // Without the extension it is the document's constant.
    let op = op_with(json!([{ "name": "api-version", "in": "query", "type": "string" }]));
    let constant = api(one_operation("get", "/d", op, json!({})));
    assert_eq!(operation(&constant, "D_Get").params[0].kind, ParamKind::Constant("2024-01-01".into()));
}

#[test]
fn single_value_enums_are_constants_when_required_or_grouped_and_never_when_open() {
    let op = op_with(json!([
        { "name": "required", "in": "header", "required": true, "type": "string", "enum": ["a"] },
        { "name": "optional", "in": "query", "type": "string", "enum": ["5"], "x-ms-enum": { "name": "Five", "modelAsString": false } },
        { "name": "open", "in": "query", "required": true, "type": "string", "enum": ["o"], "x-ms-enum": { "name": "Open", "modelAsString": true } },
        { "name": "grouped", "in": "header", "type": "string", "enum": ["foo"], "x-ms-parameter-grouping": { "name": "g" } }
    ]));
    let api = api(one_operation("get", "/d", op, json!({})));
    let kinds: Vec<bool> = operation(&api, "D_Get").params.iter().map(|p| matches!(p.kind, ParamKind::Constant(_))).collect();
    assert_eq!(kinds, [true, false, false, true]);
}

#[test]
fn x_ms_skip_url_encoding_on_a_path_constant_makes_it_literal_path_text() {
    let op = op_with(json!([
        { "name": "raw", "in": "path", "required": true, "type": "string", "enum": ["a/b"], "x-ms-skip-url-encoding": true },
        { "name": "enc", "in": "path", "required": true, "type": "string", "enum": ["c/d"] }
    ]));
    let api = api(one_operation("get", "/x/{raw}/{enc}", op, json!({})));
    let path = &operation(&api, "D_Get").path;
    assert_eq!(path[1], PathPart::Literal("a/b".into()));
    assert_eq!(path[3], PathPart::Constant("c/d".into()));
}

#[test]
fn x_ms_parameter_grouping_makes_one_struct_per_group_name_shared_by_operations() {
    let grouped = |name: &str, grouping: Value| json!({ "name": name, "in": "query", "type": "integer", "x-ms-parameter-grouping": grouping });
    let doc = swagger(json!({ "paths": {
        "/a": { "post": { "operationId": "Things_PostA", "responses": { "200": { "description": "" } }, "parameters": [
            grouped("one", json!({ "name": "shared-group" })),
            grouped("two", json!({ "postfix": "Extra" })),
            { "name": "path", "in": "path", "required": true, "type": "string", "x-ms-parameter-grouping": {} }
        ] } },
        "/b": { "post": { "operationId": "Things_PostB", "responses": { "200": { "description": "" } }, "parameters": [
            grouped("one", json!({ "name": "shared-group" }))
        ] } }
    } }));
    let doc = { let mut d = doc; d["paths"]["/a/{path}"] = d["paths"]["/a"].take(); d["paths"].as_object_mut().unwrap().remove("/a"); d };
    let api = api(doc);
    let names: Vec<&str> = api.param_groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["SharedGroup", "ThingsPostAExtra", "ThingsPostAParameters"]);
    let groups: Vec<Option<ParamGroupId>> = operation(&api, "Things_PostA").params.iter().map(|p| p.group).collect();
    assert_eq!(groups, [Some(ParamGroupId(0)), Some(ParamGroupId(1)), Some(ParamGroupId(2))]);
    assert_eq!(operation(&api, "Things_PostB").params[0].group, Some(ParamGroupId(0)));
    let one = GroupField { name: Name { rust: "one".into(), wire: "one".into() }, doc: None, kind: ParamKind::Value(TypeRef::I64), required: false };
    assert_eq!(api.param_groups[0].fields, [one]);
    assert!(api.param_groups[2].fields[0].required, "a path parameter is a required member");
}

#[test]
fn x_ms_client_flatten_makes_the_body_fields_arguments() {
    let op = op_with(json!([{ "name": "body", "in": "body", "required": true, "x-ms-client-flatten": true, "schema": { "$ref": "#/definitions/D" } }]));
    let defs = json!({ "D": { "type": "object", "required": ["name"], "properties": {
        "name": { "type": "string" }, "size": { "type": "integer", "format": "int32" }, "id": { "type": "string", "readOnly": true }
    } } });
    let api = api(one_operation("put", "/d", op, defs));
    let args = operation(&api, "D_Get").body.as_ref().and_then(|b| b.flattened.clone()).expect("flattened");
    let args: Vec<(&str, &str, bool)> = args.iter().map(|a| (a.field.wire.as_str(), a.arg.as_str(), a.required)).collect();
    // Read-only fields are not sent, so they are no arguments.
    assert_eq!(args, [("name", "name", true), ("size", "size", false)]);
}

#[test]
fn a_header_marked_x_ms_client_request_id_carries_the_request_id() {
    let op = op_with(json!([
        { "name": "foo-client-request-id", "in": "header", "required": true, "type": "string", "x-ms-client-request-id": true },
        { "name": "x-ms-client-request-id", "in": "header", "type": "string" }
    ]));
    let api = api(one_operation("get", "/d", op, json!({})));
    let op = operation(&api, "D_Get");
    assert!(op.params.is_empty(), "neither is an argument");
    assert_eq!(op.request_id_header.as_deref(), Some("foo-client-request-id"));
}

#[test]
fn a_host_template_without_a_scheme_takes_it_from_its_values_and_defaults_are_builder_methods() {
    let api = api(swagger(json!({ "x-ms-parameterized-host": {
        "hostTemplate": "{vault}{dnsSuffix}", "useSchemePrefix": false,
        "parameters": [
            { "name": "vault", "in": "path", "required": true, "type": "string" },
            { "name": "dnsSuffix", "in": "path", "required": true, "type": "string", "default": ".vault.azure.net" }
        ]
    } })));
    assert_eq!((api.server.scheme.as_str(), api.server.host_template.as_str()), ("", "{vault}{dnsSuffix}"));
    let values: Vec<&HostValue> = api.server.host_params.iter().map(|h| &h.value).collect();
    assert_eq!(
        values,
        [&HostValue::Argument("vault".into()), &HostValue::Default { value: ".vault.azure.net".into(), setter: "dns_suffix".into() }]
    );
}

#[test]
fn error_responses_of_different_types_are_one_enum_by_status() {
    let body = |ty: &str| json!({ "description": "", "content": { "application/json": { "schema": { "type": ty } } } });
    let doc = |responses: Value| {
        json!({
            "openapi": "3.0.3", "info": { "title": "T", "version": "1" },
            "paths": { "/p": { "get": { "operationId": "Pets_Get", "responses": responses } } }
        })
    };
    let mut not_found = body("integer");
    not_found["x-ms-error-response"] = json!(true);
    let typed = api(doc(json!({ "200": body("string"), "404": not_found, "4XX": body("boolean"), "default": body("string") })));
    let response = &operation(&typed, "Pets_Get").response;
    assert_eq!(response.error_enum.as_deref(), Some("GetErrors"));
    let errors: Vec<(&str, &TypeRef)> = response.typed_errors().expect("typed errors");
    assert_eq!(errors, [("404", &TypeRef::I64), ("4XX", &TypeRef::Bool), ("default", &TypeRef::String)]);
    // One error type for every error status needs no enum.
    let mut not_found = body("string");
    not_found["x-ms-error-response"] = json!(true);
    let single = api(doc(json!({ "404": not_found, "default": body("string") })));
    assert_eq!(operation(&single, "Pets_Get").response.error_enum, None);
}

#[test]
fn a_tab_separated_query_array_keeps_its_format() {
    let op = op_with(json!([{ "name": "a", "in": "query", "type": "array", "items": { "type": "string" }, "collectionFormat": "tsv" }]));
    let api = api(one_operation("get", "/d", op, json!({})));
    assert_eq!(operation(&api, "D_Get").params[0].collection, crate::ir::CollectionFormat::Tsv);
}
