//! Paging (`x-ms-pageable`, next-page operations) and long-running operations.

use serde_json::{json, Value};

use super::{api, error, named, one_operation, operation, swagger, warnings};
use crate::ir::{
    FinalStateVia, HttpMethod, Location, Name, NextOperation, NextParam, NextPart, NextValue, Output, PageField, ParamId,
    TypeRef,
};

/// `DeviceList { value: [Device], nextLink?: string }` and `Device`.
fn page_models() -> Value {
    json!({
        "DeviceList": { "type": "object", "required": ["value"], "properties": {
            "value": { "type": "array", "items": { "$ref": "#/definitions/Device" } },
            "nextLink": { "type": "string" }
        } },
        "Device": { "type": "object", "properties": { "id": { "type": "string" } } }
    })
}

fn paged(pageable: Value) -> Value {
    json!({
        "operationId": "Devices_List",
        "x-ms-pageable": pageable,
        "responses": { "200": { "description": "", "schema": { "$ref": "#/definitions/DeviceList" } } }
    })
}

#[test]
fn pageable_operation_reads_items_and_next_link_from_the_page_model() {
    let api = api(one_operation("get", "/devices", paged(json!({ "nextLinkName": "nextLink" })), page_models()));
    let paging = operation(&api, "Devices_List").paging.as_ref().expect("paged");
    assert_eq!(paging.items, PageField { field: Name { rust: "value".into(), wire: "value".into() }, required: true });
    assert_eq!(paging.item_ty, named("Device"));
    assert_eq!(paging.next_link, Some(PageField { field: Name { rust: "next_link".into(), wire: "nextLink".into() }, required: false }));
    assert_eq!(paging.next_operation, None);
}

#[test]
fn null_next_link_name_reads_a_single_page() {
    let api = api(one_operation("get", "/devices", paged(json!({ "nextLinkName": null })), page_models()));
    assert_eq!(operation(&api, "Devices_List").paging.as_ref().expect("paged").next_link, None);
    assert!(api.warnings.is_empty());
}

#[test]
fn page_model_without_the_next_link_property_reads_the_first_page_with_a_warning() {
    let api = api(one_operation("get", "/devices", paged(json!({ "nextLinkName": "more" })), page_models()));
    assert_eq!(operation(&api, "Devices_List").paging.as_ref().expect("paged").next_link, None);
    assert_eq!(
        warnings(&api),
        ["/paths/~1devices/get/x-ms-pageable: the page model \"DeviceList\" has no next-link property \"more\"; only the first page is read"]
    );
}

#[test]
fn page_model_without_the_item_array_is_a_located_error() {
    let doc = one_operation("get", "/devices", paged(json!({ "itemName": "items" })), page_models());
    assert_eq!(
        error(doc),
        "t.json#/paths/~1devices/get/x-ms-pageable: expected the page model \"DeviceList\" to have the item property \"items\""
    );
}

#[test]
fn pageable_operation_without_a_model_response_is_not_paged() {
    let op = json!({ "operationId": "Devices_List", "x-ms-pageable": {}, "responses": { "200": { "description": "", "schema": { "type": "string" } } } });
    let api = api(one_operation("get", "/devices", op, json!({})));
    assert!(operation(&api, "Devices_List").paging.is_none());
    assert_eq!(
        warnings(&api),
        ["/paths/~1devices/get/x-ms-pageable: x-ms-pageable on an operation whose response is not a model; not paged"]
    );
}

/// `Devices_List` (in group `Devices`, taking a required `group` query parameter) pages through
/// `Devices_ListNext` with `next`'s parameters.
fn with_next_operation(next_parameters: Value) -> Value {
    let mut first = paged(json!({ "operationName": "Devices_ListNext" }));
    first["parameters"] = json!([{ "name": "group", "in": "query", "required": true, "type": "string" }]);
    swagger(json!({
        "paths": { "/devices": { "get": first } },
        "x-ms-paths": { "/{nextLink}?op=next": { "get": {
            "operationId": "Devices_ListNext",
            "parameters": next_parameters,
            "responses": { "200": { "description": "", "schema": { "$ref": "#/definitions/DeviceList" } } }
        } } },
        "definitions": page_models()
    }))
}

#[test]
fn next_page_operation_takes_the_link_and_the_first_operations_arguments() {
    let api = api(with_next_operation(json!([
        { "name": "nextLink", "in": "path", "required": true, "type": "string", "x-ms-skip-url-encoding": true },
        { "name": "group", "in": "query", "required": true, "type": "string" },
        { "name": "api-version", "in": "query", "required": true, "type": "string", "enum": ["7"] }
    ])));
    let next = operation(&api, "Devices_List").paging.as_ref().and_then(|p| p.next_operation.as_ref()).expect("next operation");
    assert_eq!(
        *next,
        NextOperation {
            id: "Devices_ListNext".into(),
            http_method: HttpMethod::Get,
            path: vec![
                NextPart::Literal("/".into()),
                NextPart::Value { value: NextValue::Link, skip_encoding: true },
                NextPart::Literal("?op=next".into()),
            ],
            params: vec![
                NextParam { location: Location::Query, wire: "group".into(), value: NextValue::Param(ParamId(0)) },
                NextParam { location: Location::Query, wire: "api-version".into(), value: NextValue::Constant("7".into()) },
            ],
            client_refs: vec![],
        }
    );
}

#[test]
fn next_page_parameter_without_a_counterpart_falls_back_to_get_with_a_warning() {
    let api = api(with_next_operation(json!([
        { "name": "nextLink", "in": "path", "required": true, "type": "string" },
        { "name": "region", "in": "query", "required": true, "type": "string" }
    ])));
    assert!(operation(&api, "Devices_List").paging.as_ref().expect("paged").next_operation.is_none());
    assert_eq!(
        warnings(&api),
        ["/paths/~1devices/get/x-ms-pageable/operationName: parameter \"region\" of next-page operation \"Devices_ListNext\" \
          has no required counterpart in \"Devices_List\"; next pages are fetched with GET on the next link"]
    );
}

#[test]
fn unknown_next_page_operation_falls_back_to_get_with_a_warning() {
    let api = api(one_operation("get", "/devices", paged(json!({ "operationName": "Nope" })), page_models()));
    assert!(operation(&api, "Devices_List").paging.as_ref().expect("paged").next_operation.is_none());
    assert_eq!(
        warnings(&api),
        ["/paths/~1devices/get/x-ms-pageable/operationName: no operation \"Nope\"; next pages are fetched with GET on the next link"]
    );
}

/// A long-running `method` with `responses`.
fn long_running(method: &str, responses: Value, options: Option<Value>) -> Value {
    let mut op = json!({ "operationId": "D_Run", "x-ms-long-running-operation": true, "responses": responses });
    if let Some(options) = options {
        op["x-ms-long-running-operation-options"] = options;
    }
    let definitions = json!({ "Device": { "type": "object", "properties": { "id": { "type": "string" } } } });
    one_operation(method, "/d", op, definitions)
}

#[test]
fn long_running_result_is_the_final_response_not_the_202_acknowledgement() {
    let responses = json!({
        "200": { "description": "", "schema": { "$ref": "#/definitions/Device" } },
        "202": { "description": "" }
    });
    let api = api(long_running("put", responses, None));
    let op = operation(&api, "D_Run");
    assert_eq!(op.lro, Some(FinalStateVia::Default));
    assert_eq!(op.response.success, [200, 202]);
    assert_eq!(op.response.output, Output::Json(named("Device")));
}

#[test]
fn long_running_delete_may_end_without_a_body() {
    let responses = json!({ "200": { "description": "", "schema": { "$ref": "#/definitions/Device" } }, "202": { "description": "" } });
    let api = api(long_running("delete", responses, None));
    assert_eq!(operation(&api, "D_Run").response.output, Output::OptionalJson(named("Device")));
}

#[test]
fn long_running_post_declaring_only_202_may_end_without_a_body() {
    let responses = json!({ "202": { "description": "", "schema": { "$ref": "#/definitions/Device" } } });
    let api = api(long_running("post", responses, None));
    assert_eq!(operation(&api, "D_Run").response.output, Output::OptionalJson(named("Device")));
}

#[test]
fn operation_that_is_not_long_running_counts_its_202_body() {
    let op = json!({ "operationId": "D_Run", "responses": {
        "200": { "description": "", "schema": { "type": "string" } },
        "202": { "description": "" }
    } });
    let api = api(one_operation("post", "/d", op, json!({})));
    let op = operation(&api, "D_Run");
    assert_eq!(op.lro, None);
    assert_eq!(op.response.output, Output::OptionalJson(TypeRef::String));
}
