//! Operations: groups and names, parameters, paths, client parameters, bodies and responses.

use serde_json::{json, Value};

use super::{api, enum_model, error, field, named, one_operation, operation, struct_model, swagger, warnings};
use crate::ir::{
    ClientParam, ClientParamId, CollectionFormat, GroupKind, HttpMethod, Location, Name, Output, ParamId, ParamKind, PathPart,
    StatusResponse, TypeRef,
};

fn get(id: &str) -> Value {
    json!({ "operationId": id, "responses": { "200": { "description": "" } } })
}

fn with_params(id: &str, parameters: Value) -> Value {
    json!({ "operationId": id, "parameters": parameters, "responses": { "200": { "description": "" } } })
}

fn path_param(name: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true, "type": "string" })
}

#[test]
fn operation_id_prefix_makes_a_group_with_an_accessor_struct() {
    let api = api(one_operation("get", "/devices", get("Devices_Get"), json!({})));
    let group = &api.groups[0];
    assert_eq!(group.module, "devices");
    assert_eq!(group.kind, GroupKind::Named { wire: "Devices".into(), struct_name: "DevicesClient".into() });
    let op = &group.operations[0];
    assert_eq!(op.method_name, Name { rust: "get".into(), wire: "Get".into() });
    assert_eq!(op.marker, "Get");
    assert_eq!(op.http_method, HttpMethod::Get);
    assert_eq!(op.pointer, "/paths/~1devices/get");
}

#[test]
fn operations_without_a_prefix_form_the_root_group_listed_first() {
    let api = api(swagger(json!({ "paths": {
        "/a": { "get": get("Zebras_List") },
        "/b": { "get": get("ping") }
    } })));
    let kinds: Vec<(&str, bool)> = api.groups.iter().map(|g| (g.module.as_str(), g.kind == GroupKind::Root)).collect();
    assert_eq!(kinds, [("ungrouped", true), ("zebras", false)]);
}

#[test]
fn root_operation_named_like_a_group_accessor_gets_the_op_suffix() {
    // Given a root operation `Devices` that comes before the group `Devices_*` in the document
    let api = api(swagger(json!({ "paths": {
        "/a": { "get": get("Devices") },
        "/b": { "get": get("Devices_List") }
    } })));
    // Then the group accessor keeps `devices` and the root method steps aside
    assert_eq!(api.groups[1].module, "devices");
    assert_eq!(operation(&api, "Devices").method_name.rust, "devices_op");
}

#[test]
fn group_named_like_a_reserved_module_gets_the_ops_suffix() {
    let api = api(one_operation("get", "/m", get("Models_List"), json!({})));
    assert_eq!(api.groups[0].module, "models_ops");
}

#[test]
fn an_operation_without_an_id_is_named_after_method_and_path() {
    let doc = one_operation("get", "/a/{b}", json!({ "parameters": [{ "name": "b", "in": "path", "required": true, "type": "string" }], "responses": { "200": { "description": "" } } }), json!({}));
    let api = api(doc);
    let op = operation(&api, "getAB");
    assert_eq!((op.method_name.rust.as_str(), op.marker.as_str()), ("get_ab", "GetAb"));
}

#[test]
fn duplicate_operation_id_is_an_error_naming_both_operations() {
    let doc = swagger(json!({ "paths": {
        "/a": { "get": get("Devices_Get") },
        "/b": { "get": get("Devices_Get") }
    } }));
    assert_eq!(
        error(doc),
        "t.json#/paths/~1b/get/operationId: operationId \"Devices_Get\" is also used at #/paths/~1a/get/operationId; operationIds must be unique"
    );
}

#[test]
fn operation_ids_differing_in_case_are_distinct_and_named_apart() {
    let api = api(swagger(json!({ "paths": { "/a": { "get": get("Devices_Get") }, "/b": { "get": get("Devices_get") } } })));
    assert_eq!(operation(&api, "Devices_Get").method_name.rust, "get");
    assert_eq!(operation(&api, "Devices_get").method_name.rust, "get_op");
}

#[test]
fn path_template_splits_into_literals_and_parameters() {
    let op = with_params("Devices_Get", json!([path_param("deviceId")]));
    let api = api(one_operation("get", "/devices/{deviceId}/twin", op, json!({})));
    let op = operation(&api, "Devices_Get");
    assert_eq!(
        op.path,
        [PathPart::Literal("/devices/".into()), PathPart::Param(ParamId(0)), PathPart::Literal("/twin".into())]
    );
    assert_eq!(op.param(ParamId(0)).name.rust, "device_id");
    assert!(op.param(ParamId(0)).required);
}

#[test]
fn path_variable_without_a_parameter_is_a_located_error() {
    let doc = one_operation("get", "/devices/{id}", get("Devices_Get"), json!({}));
    assert_eq!(
        error(doc),
        "t.json#/paths/~1devices~1{id}/get: path template names \"{id}\" but no path parameter \"id\" is declared"
    );
}

#[test]
fn operation_parameters_override_path_item_parameters_of_the_same_name() {
    let doc = swagger(json!({ "paths": { "/d/{id}": {
        "parameters": [path_param("id"), { "name": "top", "in": "query", "type": "integer" }],
        "get": with_params("D_Get", json!([{ "name": "top", "in": "query", "type": "string", "description": "Mine." }]))
    } } }));
    let api = api(doc);
    let params: Vec<(&str, Option<&str>)> =
        operation(&api, "D_Get").params.iter().map(|p| (p.name.wire.as_str(), p.doc.as_deref())).collect();
    assert_eq!(params, [("id", None), ("top", Some("Mine."))]);
}

#[test]
fn if_match_and_if_none_match_headers_are_typed() {
    let op = with_params("D_Put", json!([
        { "name": "If-Match", "in": "header", "type": "string" },
        { "name": "if-none-match", "in": "header", "type": "string" }
    ]));
    let api = api(one_operation("put", "/d", op, json!({})));
    let kinds: Vec<&ParamKind> = operation(&api, "D_Put").params.iter().map(|p| &p.kind).collect();
    assert_eq!(kinds, [&ParamKind::IfMatch, &ParamKind::IfNoneMatch]);
}

#[test]
fn api_version_is_a_constant_from_its_enum_default_or_the_document_version() {
    let cases = [
        (json!({ "name": "api-version", "in": "query", "required": true, "type": "string", "enum": ["1.0"] }), "1.0"),
        (json!({ "name": "api-version", "in": "query", "type": "string", "default": "2.0" }), "2.0"),
        (json!({ "name": "api-version", "in": "query", "required": true, "type": "string" }), "2024-01-01"),
    ];
    for (param, expected) in cases {
        let api = api(one_operation("get", "/d", with_params("D_Get", json!([param])), json!({})));
        assert_eq!(operation(&api, "D_Get").params[0].kind, ParamKind::Constant(expected.into()), "for {expected}");
    }
}

#[test]
fn required_single_value_enum_is_a_constant_and_an_optional_one_is_not() {
    let op = with_params("D_Get", json!([
        { "name": "kind", "in": "query", "required": true, "type": "string", "enum": ["full"] },
        { "name": "view", "in": "query", "type": "string", "enum": ["short"] }
    ]));
    let api = api(one_operation("get", "/d", op, json!({})));
    let op = operation(&api, "D_Get");
    assert_eq!(op.params[0].kind, ParamKind::Constant("full".into()));
    assert!(matches!(op.params[1].kind, ParamKind::Value(_)));
}

#[test]
fn argument_name_clashes_get_a_suffix_naming_where_the_value_goes() {
    let op = with_params("D_Get", json!([
        path_param("name"),
        { "name": "name", "in": "query", "type": "string" },
        { "name": "send", "in": "header", "type": "string" }
    ]));
    let api = api(one_operation("get", "/d/{name}", op, json!({})));
    let names: Vec<&str> = operation(&api, "D_Get").params.iter().map(|p| p.name.rust.as_str()).collect();
    assert_eq!(names, ["name", "name_query", "send_header"]);
}

#[test]
fn query_styles_choose_the_collection_format() {
    let op = with_params("D_Get", json!([
        { "name": "a", "in": "query", "type": "array", "items": { "type": "string" } },
        { "name": "b", "in": "query", "type": "array", "items": { "type": "string" }, "collectionFormat": "multi" },
        { "name": "c", "in": "query", "type": "array", "items": { "type": "string" }, "collectionFormat": "ssv" },
        { "name": "d", "in": "query", "type": "array", "items": { "type": "string" }, "collectionFormat": "pipes" }
    ]));
    let api = api(one_operation("get", "/d", op, json!({})));
    let formats: Vec<CollectionFormat> = operation(&api, "D_Get").params.iter().map(|p| p.collection).collect();
    use CollectionFormat::*;
    assert_eq!(formats, [Csv, Multi, Ssv, Pipes]);
}

#[test]
fn document_level_parameters_belong_to_the_client() {
    // Given ARM's subscriptionId in the path and a global query parameter, both `$ref`s to globals
    let doc = swagger(json!({
        "parameters": {
            "SubscriptionId": { "name": "subscriptionId", "in": "path", "required": true, "type": "string", "description": "The subscription." },
            "Region": { "name": "region", "in": "query", "required": true, "type": "string" }
        },
        "paths": { "/subscriptions/{subscriptionId}/d": { "get": with_params("D_List", json!([
            { "$ref": "#/parameters/SubscriptionId" }, { "$ref": "#/parameters/Region" }
        ])) } }
    }));
    let api = api(doc);
    // Then both are client parameters, held in fields and given to the constructor
    let fields: Vec<(&str, &str, Location)> =
        api.client_params.iter().map(|c| (c.field.rust.as_str(), c.arg.as_str(), c.location)).collect();
    assert_eq!(fields, [("subscription_id", "subscription_id", Location::Path), ("region", "region", Location::Query)]);
    let op = operation(&api, "D_List");
    assert!(op.params.is_empty());
    assert_eq!(op.path[1], PathPart::ClientParam(ClientParamId(0)));
    assert_eq!(op.client_refs, [ClientParamId(1)]);
    assert_eq!(api.client_param(ClientParamId(0)).doc.as_deref(), Some("The subscription."));
}

#[test]
fn client_parameter_named_like_a_constructor_argument_gets_the_param_suffix() {
    let doc = swagger(json!({
        "parameters": { "Credential": { "name": "credential", "in": "query", "required": true, "type": "string" } },
        "paths": { "/d": { "get": with_params("D_List", json!([{ "$ref": "#/parameters/Credential" }])) } }
    }));
    let api = api(doc);
    assert_eq!(
        api.client_params,
        [ClientParam { field: Name { rust: "credential".into(), wire: "credential".into() }, arg: "credential_param".into(), doc: None, location: Location::Query, pointer: "/parameters/Credential".into() }]
    );
}

#[test]
fn client_request_id_header_is_left_to_the_runtime() {
    let op = with_params("D_Get", json!([{ "name": "x-ms-client-request-id", "in": "header", "type": "string" }]));
    let api = api(one_operation("get", "/d", op, json!({})));
    assert!(operation(&api, "D_Get").params.is_empty());
}

#[test]
fn cookie_parameter_is_left_out_with_a_warning() {
    let doc = json!({
        "openapi": "3.0.3", "info": { "title": "T", "version": "1" },
        "paths": { "/d": { "get": {
            "operationId": "D_Get",
            "parameters": [{ "name": "session", "in": "cookie", "schema": { "type": "string" } }],
            "responses": { "200": { "description": "" } }
        } } }
    });
    let api = api(doc);
    assert!(operation(&api, "D_Get").params.is_empty());
    assert_eq!(warnings(&api), ["/paths/~1d/get/parameters/0: cookie parameters are not supported; the parameter is left out"]);
}

#[test]
fn body_parameter_becomes_the_request_body() {
    let op = with_params("D_Create", json!([{ "name": "device", "in": "body", "required": true, "schema": { "$ref": "#/definitions/Device" } }]));
    let definitions = json!({ "Device": { "type": "object", "properties": { "id": { "type": "string" } } } });
    let api = api(one_operation("put", "/d", op, definitions));
    let body = operation(&api, "D_Create").body.as_ref().expect("a body");
    assert_eq!(body.name, Name { rust: "device".into(), wire: "device".into() });
    assert_eq!(body.ty, named("Device"));
    assert_eq!(body.content_type, "application/json");
    assert!(body.required);
}

#[test]
fn patch_body_prefers_merge_patch_when_offered() {
    let op = json!({
        "operationId": "D_Update", "consumes": ["application/json", "application/merge-patch+json"],
        "parameters": [{ "name": "body", "in": "body", "schema": { "type": "object" } }],
        "responses": { "204": { "description": "" } }
    });
    let api = api(one_operation("patch", "/d", op, json!({})));
    assert_eq!(operation(&api, "D_Update").body.as_ref().map(|b| b.content_type.as_str()), Some("application/merge-patch+json"));
}

#[test]
fn success_statuses_decode_the_output_and_default_is_the_error_model() {
    let op = json!({ "operationId": "D_Get", "responses": {
        "201": { "description": "", "schema": { "$ref": "#/definitions/Device" } },
        "200": { "description": "", "schema": { "$ref": "#/definitions/Device" } },
        "default": { "description": "", "schema": { "$ref": "#/definitions/Problem" } }
    } });
    let definitions = json!({
        "Device": { "type": "object", "properties": { "id": { "type": "string" } } },
        "Problem": { "type": "object", "properties": { "code": { "type": "string" } } }
    });
    let api = api(one_operation("get", "/d", op, definitions));
    let response = &operation(&api, "D_Get").response;
    assert_eq!(response.success, [200, 201]);
    assert_eq!(response.output, Output::Json(named("Device")));
    assert_eq!(response.error, Some(named("Problem")));
    assert_eq!(
        response.by_status,
        [
            StatusResponse { status: "201".into(), body: Some(named("Device")), pointer: "/paths/~1d/get/responses/201".into(), error: false },
            StatusResponse { status: "200".into(), body: Some(named("Device")), pointer: "/paths/~1d/get/responses/200".into(), error: false },
            StatusResponse { status: "default".into(), body: Some(named("Problem")), pointer: "/paths/~1d/get/responses/default".into(), error: true },
        ]
    );
}

#[test]
fn a_success_status_without_body_makes_the_output_optional() {
    let op = json!({ "operationId": "D_Get", "responses": {
        "200": { "description": "", "schema": { "type": "string" } },
        "204": { "description": "" }
    } });
    let api = api(one_operation("get", "/d", op, json!({})));
    assert_eq!(operation(&api, "D_Get").response.output, Output::OptionalJson(TypeRef::String));
}

#[test]
fn different_success_body_types_make_an_enum_by_status() {
    let op = json!({ "operationId": "D_Get", "responses": {
        "200": { "description": "", "schema": { "type": "string" } },
        "201": { "description": "", "schema": { "type": "integer", "x-nullable": true } },
        "204": { "description": "" },
        "default": { "description": "", "schema": { "type": "string" } }
    } });
    let api = api(one_operation("get", "/d", op, json!({})));
    let response = &operation(&api, "D_Get").response;
    let bodies = vec![
        ("200".to_string(), Some(TypeRef::String)),
        ("201".to_string(), Some(TypeRef::Nullable(Box::new(TypeRef::I64)))),
        ("204".to_string(), None),
    ];
    assert_eq!(response.output, Output::ByStatus(bodies));
    assert_eq!(response.success_enum.as_deref(), Some("GetResponse"));
    assert_eq!(warnings(&api), Vec::<String>::new());
}

#[test]
fn a_long_running_operation_with_different_result_types_decodes_json_with_a_warning() {
    // The final GET answers 200 whatever the initial status was: the status does not say which.
    let op = json!({ "operationId": "D_Put", "x-ms-long-running-operation": true, "responses": {
        "200": { "description": "", "schema": { "type": "string" } },
        "201": { "description": "", "schema": { "type": "integer" } },
        "202": { "description": "", "schema": { "type": "boolean" } }
    } });
    let api = api(one_operation("put", "/d", op, json!({})));
    let response = &operation(&api, "D_Put").response;
    assert_eq!((&response.output, &response.success_enum), (&Output::Json(TypeRef::Any), &None));
    assert_eq!(
        warnings(&api),
        ["/paths/~1d/put/responses: the results of this long-running operation have different body types; the body is decoded as a JSON value"]
    );
}

#[test]
fn a_long_running_operation_s_acknowledgement_body_does_not_make_an_enum() {
    let op = json!({ "operationId": "D_Put", "x-ms-long-running-operation": true, "responses": {
        "200": { "description": "", "schema": { "type": "string" } },
        "202": { "description": "", "schema": { "type": "integer" } }
    } });
    let api = api(one_operation("put", "/d", op, json!({})));
    assert_eq!(operation(&api, "D_Put").response.output, Output::Json(TypeRef::String));
}

#[test]
fn inline_response_and_parameter_types_are_named_after_the_operation() {
    let op = json!({
        "operationId": "Devices_List",
        "parameters": [{ "name": "order", "in": "query", "type": "string", "enum": ["asc", "desc"] }],
        "responses": {
            "200": { "description": "", "schema": { "type": "object", "properties": { "a": { "type": "string" } } } },
            "default": { "description": "", "schema": { "type": "object", "properties": { "b": { "type": "string" } } } }
        }
    });
    let api = api(one_operation("get", "/d", op, json!({})));
    let op = operation(&api, "Devices_List");
    assert_eq!(op.params[0].kind, ParamKind::Value(named("DevicesListOrder")));
    assert_eq!(op.response.output, Output::Json(named("DevicesListResponse200")));
    assert_eq!(op.response.error, Some(named("DevicesListError")));
}

#[test]
fn parameters_bodies_and_enum_values_point_where_the_swagger_document_writes_them() {
    // Given a path-item parameter, a body, a global parameter and an inline enum, merged by normalising
    let doc = swagger(json!({
        "parameters": { "Version": { "name": "api-version", "in": "query", "required": true, "type": "string" } },
        "paths": { "/d/{id}": {
            "parameters": [{ "name": "id", "in": "path", "required": true, "type": "string", "maxLength": 8 }],
            "put": { "operationId": "D_Put", "parameters": [
                { "name": "body", "in": "body", "schema": { "type": "object", "properties": { "n": { "type": "integer", "minimum": 1, "default": 3 } } } },
                { "$ref": "#/parameters/Version" },
                { "name": "tag", "in": "query", "type": "string", "enum": ["a", "b"] }
            ], "responses": { "200": { "description": "" } } }
        } }
    }));
    let api = api(doc);
    let op = operation(&api, "D_Put");
    // Then every pointer is into the Swagger document as written
    let pointers: Vec<(&str, &str)> = op.params.iter().map(|p| (p.name.wire.as_str(), p.pointer.as_str())).collect();
    assert_eq!(
        pointers,
        [("id", "/paths/~1d~1{id}/parameters/0"), ("api-version", "/parameters/Version"), ("tag", "/paths/~1d~1{id}/put/parameters/2")]
    );
    assert_eq!(op.params[0].constraints.max_length, Some(8));
    let body = op.body.as_ref().expect("a body");
    assert_eq!(body.pointer, "/paths/~1d~1{id}/put/parameters/0");
    let TypeRef::Named(body_model) = &body.ty else { panic!("an inline model") };
    let n = field(struct_model(&api, body_model.as_str()), "n");
    assert_eq!(n.pointer, "/paths/~1d~1{id}/put/parameters/0/schema/properties/n");
    assert_eq!((n.constraints.minimum, n.default.clone()), (Some(1.0), Some(json!(3))));
    let tag = enum_model(&api, "DPutTag");
    let values: Vec<&str> = tag.variants.iter().map(|v| v.pointer.as_str()).collect();
    assert_eq!(values, ["/paths/~1d~1{id}/put/parameters/2/enum/0", "/paths/~1d~1{id}/put/parameters/2/enum/1"]);
}
