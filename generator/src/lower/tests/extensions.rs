//! What each `x-ms-*` extension (and `x-nullable`) does to the IR.

use serde_json::{json, Value};

use super::{api, enum_model, error, field, named, one_operation, operation, struct_model, swagger, warnings};
use crate::ir::{ClientParamId, FinalStateVia, HostParam, HostValue, Location, Output, PathPart, Tag, TypeRef};

fn get_with(extra: Value) -> Value {
    let mut op = json!({ "operationId": "D_Get", "responses": { "200": { "description": "" } } });
    if let (Some(op), Value::Object(extra)) = (op.as_object_mut(), extra) {
        op.extend(extra);
    }
    op
}

#[test]
fn x_ms_enum_model_as_string_makes_an_open_enum_with_named_and_described_values() {
    let api = api(swagger(json!({ "definitions": { "Level": {
        "type": "string", "enum": ["lo", "hi"],
        "x-ms-enum": { "name": "Level", "modelAsString": true, "values": [{ "value": "lo", "name": "Quiet", "description": "Low." }] }
    } } })));
    let level = enum_model(&api, "Level");
    assert!(level.open);
    let variants: Vec<(&str, &str, Option<&str>)> =
        level.variants.iter().map(|v| (v.name.rust.as_str(), v.name.wire.as_str(), v.doc.as_deref())).collect();
    assert_eq!(variants, [("Quiet", "lo", Some("Low.")), ("Hi", "hi", None)]);
}

#[test]
fn x_ms_enum_name_makes_one_model_of_every_use_with_the_same_values() {
    let level = json!({ "type": "string", "enum": ["lo", "hi"], "x-ms-enum": { "name": "Level" } });
    let api = api(swagger(json!({ "definitions": {
        "A": { "type": "object", "properties": { "level": level.clone() } },
        "B": { "type": "object", "properties": { "grade": level } }
    } })));
    assert_eq!(field(struct_model(&api, "A"), "level").ty, named("Level"));
    assert_eq!(field(struct_model(&api, "B"), "grade").ty, named("Level"));
    assert_eq!(enum_model(&api, "Level").name.wire, "Level");
}

#[test]
fn x_ms_enum_name_used_with_other_values_is_counted_with_a_warning() {
    let api = api(swagger(json!({ "definitions": {
        "A": { "type": "object", "properties": { "level": { "type": "string", "enum": ["lo"], "x-ms-enum": { "name": "Level" } } } },
        "B": { "type": "object", "properties": { "level": { "type": "string", "enum": ["hi"], "x-ms-enum": { "name": "Level" } } } }
    } })));
    assert_eq!(field(struct_model(&api, "B"), "level").ty, named("Level2"));
    assert_eq!(
        warnings(&api),
        ["/definitions/B/properties/level: x-ms-enum \"Level\" is used with different values elsewhere; this one is named Level2"]
    );
}

#[test]
fn x_ms_discriminator_value_is_the_subtypes_tag() {
    let api = api(swagger(json!({ "definitions": {
        "Base": { "type": "object", "discriminator": "kind", "properties": { "kind": { "type": "string" } } },
        "Sensor": { "allOf": [{ "$ref": "#/definitions/Base" }], "x-ms-discriminator-value": "sensor.v1" }
    } })));
    assert_eq!(struct_model(&api, "Sensor").tag, Some(Tag { property: "kind".into(), value: "sensor.v1".into() }));
}

#[test]
fn x_nullable_required_field_is_an_option_sent_as_null() {
    let api = api(swagger(json!({ "definitions": { "D": {
        "type": "object", "required": ["note", "name"],
        "properties": { "note": { "type": "string", "x-nullable": true }, "name": { "type": "string" } }
    } } })));
    let d = struct_model(&api, "D");
    assert_eq!((field(d, "note").required, field(d, "note").send_null), (false, true));
    assert_eq!((field(d, "name").required, field(d, "name").send_null), (true, false));
}

#[test]
fn x_ms_parameter_location_moves_parameters_between_client_and_method() {
    let doc = swagger(json!({
        "parameters": {
            "Global": { "name": "global", "in": "query", "required": true, "type": "string", "x-ms-parameter-location": "method" }
        },
        "paths": { "/d": { "get": get_with(json!({ "parameters": [
            { "$ref": "#/parameters/Global" },
            { "name": "tenant", "in": "query", "required": true, "type": "string", "x-ms-parameter-location": "client" }
        ] })) } }
    }));
    let api = api(doc);
    let op = operation(&api, "D_Get");
    assert_eq!(op.params.iter().map(|p| p.name.wire.as_str()).collect::<Vec<_>>(), ["global"]);
    assert_eq!(api.client_params.iter().map(|c| c.field.wire.as_str()).collect::<Vec<_>>(), ["tenant"]);
    assert_eq!(op.client_refs, [ClientParamId(0)]);
}

#[test]
fn x_ms_skip_url_encoding_marks_the_parameter() {
    let op = get_with(json!({ "parameters": [
        { "name": "raw", "in": "path", "required": true, "type": "string", "x-ms-skip-url-encoding": true },
        { "name": "id", "in": "path", "required": true, "type": "string" }
    ] }));
    let api = api(one_operation("get", "/d/{raw}/{id}", op, json!({})));
    let skip: Vec<bool> = operation(&api, "D_Get").params.iter().map(|p| p.skip_encoding).collect();
    assert_eq!(skip, [true, false]);
}

#[test]
fn x_ms_request_body_name_names_the_body_argument() {
    let doc = json!({
        "openapi": "3.0.3", "info": { "title": "T", "version": "1" },
        "paths": { "/d": { "put": {
            "operationId": "D_Put",
            "requestBody": { "x-ms-requestBody-name": "deviceInfo", "content": { "application/json": { "schema": { "type": "string" } } } },
            "responses": { "200": { "description": "" } }
        } } }
    });
    let api = api(doc);
    let body = operation(&api, "D_Put").body.as_ref().expect("a body");
    assert_eq!((body.name.rust.as_str(), body.name.wire.as_str()), ("device_info", "deviceInfo"));
}

#[test]
fn x_ms_error_response_status_is_the_error_model_not_a_success() {
    let op = json!({ "operationId": "D_Get", "responses": {
        "200": { "description": "", "schema": { "type": "string" } },
        "404": { "description": "", "x-ms-error-response": true, "schema": { "type": "integer" } }
    } });
    let api = api(one_operation("get", "/d", op, json!({})));
    let response = &operation(&api, "D_Get").response;
    assert_eq!(response.success, [200]);
    assert_eq!(response.output, Output::Json(TypeRef::String));
    assert_eq!(response.error, Some(TypeRef::I64));
}

#[test]
fn x_ms_long_running_operation_options_choose_how_the_result_is_found() {
    let op = get_with(json!({
        "x-ms-long-running-operation": true,
        "x-ms-long-running-operation-options": { "final-state-via": "azure-async-operation" }
    }));
    let api = api(one_operation("post", "/d", op, json!({})));
    assert_eq!(operation(&api, "D_Get").lro, Some(FinalStateVia::AzureAsyncOperation));
}

#[test]
fn x_ms_parameterized_host_gives_host_parameters_and_constructor_arguments() {
    // Given a host template with a defaulted and a required variable, one named like a constructor argument
    let doc = swagger(json!({
        "x-ms-parameterized-host": {
            "hostTemplate": "{endpoint}.{domain}",
            "parameters": [
                { "name": "endpoint", "in": "path", "required": true, "type": "string", "description": "The app." },
                { "name": "domain", "in": "path", "required": true, "type": "string", "default": "example.com" }
            ]
        },
        "basePath": "/api/"
    }));
    let api = api(doc);
    // Then the server keeps the template and the required variable is a constructor argument
    assert_eq!(
        (api.server.scheme.as_str(), api.server.host_template.as_str(), api.server.base_path.as_str()),
        ("https", "{endpoint}.{domain}", "/api")
    );
    assert_eq!(
        api.server.host_params,
        [
            HostParam { wire: "endpoint".into(), doc: Some("The app.".into()), value: HostValue::Argument("endpoint_host".into()) },
            HostParam { wire: "domain".into(), doc: None, value: HostValue::Default { value: "example.com".into(), setter: "domain".into() } },
        ]
    );
    // And a host with parameters names no resource, so there is no default token scope
    assert_eq!(api.server.scope, None);
}

#[test]
fn a_fixed_host_is_the_default_token_scope() {
    // Given documents with a fixed host, and with no host at all
    let arm = api(swagger(json!({ "host": "management.azure.com" })));
    let mut hostless = swagger(json!({}));
    hostless.as_object_mut().unwrap().remove("host");
    // Then the fixed host names the resource tokens are asked for; no host names none
    assert_eq!(arm.server.scope.as_deref(), Some("https://management.azure.com/.default"));
    assert_eq!(api(hostless).server.scope, None);
}

#[test]
fn x_ms_paths_operations_are_lowered_and_point_into_x_ms_paths() {
    let doc = swagger(json!({
        "paths": { "/jobs": { "get": get_with(json!({ "operationId": "Jobs_List" })) } },
        "x-ms-paths": { "/jobs?op=cancel": { "post": get_with(json!({ "operationId": "Jobs_Cancel" })) } }
    }));
    let api = api(doc);
    let cancel = operation(&api, "Jobs_Cancel");
    assert_eq!(cancel.pointer, "/x-ms-paths/~1jobs?op=cancel/post");
    assert_eq!(cancel.path, [PathPart::Literal("/jobs?op=cancel".into())]);
    assert_eq!(operation(&api, "Jobs_List").pointer, "/paths/~1jobs/get");
}

#[test]
fn x_ms_paths_entry_also_in_paths_is_a_located_error() {
    let doc = swagger(json!({
        "paths": { "/jobs": { "get": get_with(json!({})) } },
        "x-ms-paths": { "/jobs": { "post": get_with(json!({ "operationId": "D_Post" })) } }
    }));
    assert_eq!(error(doc), "t.json#/x-ms-paths/~1jobs: path \"/jobs\" is also declared in \"paths\"");
}

#[test]
fn x_ms_pageable_operation_name_that_is_no_string_is_a_located_error() {
    let op = json!({
        "operationId": "D_List", "x-ms-pageable": { "operationName": 3 },
        "responses": { "200": { "description": "", "schema": { "$ref": "#/definitions/Page" } } }
    });
    let definitions = json!({ "Page": { "type": "object", "properties": {
        "value": { "type": "array", "items": { "type": "string" } }, "nextLink": { "type": "string" }
    } } });
    assert_eq!(
        error(one_operation("get", "/d", op, definitions)),
        "t.json#/paths/~1d/get/x-ms-pageable/operationName: expected a string"
    );
}

#[test]
fn global_header_parameter_is_a_client_parameter_sent_with_the_operation() {
    let doc = swagger(json!({
        "parameters": { "Tenant": { "name": "tenant", "in": "header", "required": true, "type": "string" } },
        "paths": { "/d": { "get": get_with(json!({ "parameters": [{ "$ref": "#/parameters/Tenant" }] })) } }
    }));
    let api = api(doc);
    assert_eq!(api.client_params[0].location, Location::Header);
    assert_eq!(operation(&api, "D_Get").client_refs, [ClientParamId(0)]);
    assert_eq!(operation(&api, "D_Get").path, [PathPart::Literal("/d".into())]);
}
