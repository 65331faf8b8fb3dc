//! Unit tests of the change report: one small change per kind and impact to a base document, with
//! the change it must produce; and the exact text of a representative report.

use serde_json::{json, Value};

use super::{compare, Impact, Kind, Report, Semver};
use crate::load::{Dialect, Document};

/// A small Swagger 2.0 API: devices (get, create, a paged list), a closed and an open enum, an
/// error model and a model nothing uses.
fn base() -> Value {
    let id = json!({ "name": "id", "in": "path", "required": true, "type": "string" });
    let version = json!({ "name": "api-version", "in": "query", "required": true, "type": "string" });
    let ok = |model: &str| json!({ "description": "", "schema": { "$ref": format!("#/definitions/{model}") } });
    json!({
        "swagger": "2.0",
        "info": { "title": "T", "version": "2024-01-01" },
        "host": "example.com",
        "paths": {
            "/devices/{id}": {
                "get": { "operationId": "Devices_Get", "parameters": [id, version], "responses": { "200": ok("Device"), "default": ok("Problem") } },
                "put": {
                    "operationId": "Devices_Create",
                    "parameters": [id, version, { "name": "body", "in": "body", "required": true, "schema": { "$ref": "#/definitions/Device" } }],
                    "responses": { "200": ok("Device") }
                }
            },
            "/devices": {
                "get": {
                    "operationId": "Devices_List",
                    "parameters": [version, { "name": "top", "in": "query", "type": "integer", "format": "int32" }],
                    "x-ms-pageable": { "nextLinkName": "nextLink" },
                    "responses": { "200": ok("DeviceList") }
                }
            }
        },
        "definitions": {
            "Device": {
                "description": "A device.",
                "type": "object",
                "properties": {
                    "id": { "type": "string", "readOnly": true },
                    "displayName": { "type": "string", "maxLength": 64 },
                    "etag": { "type": "string" },
                    "state": { "$ref": "#/definitions/State" },
                    "level": { "$ref": "#/definitions/Level" }
                }
            },
            "State": { "type": "string", "enum": ["on", "off"], "x-ms-enum": { "name": "State", "values": [{ "value": "on", "name": "On" }, { "value": "off", "name": "Off" }] } },
            "Level": { "type": "string", "enum": ["lo", "hi"], "x-ms-enum": { "name": "Level", "modelAsString": true } },
            "DeviceList": {
                "type": "object",
                "properties": { "value": { "type": "array", "items": { "$ref": "#/definitions/Device" } }, "nextLink": { "type": "string" } },
                "required": ["value"]
            },
            "Problem": { "type": "object", "properties": { "code": { "type": "string" } } },
            "Spare": { "type": "object", "properties": { "note": { "type": "string" } } }
        }
    })
}

/// The parent of `pointer` (an object or array) and its last token.
fn parent<'v>(doc: &'v mut Value, pointer: &str) -> (&'v mut Value, String) {
    let (head, last) = pointer.rsplit_once('/').expect("a pointer");
    let parent = doc.pointer_mut(head).unwrap_or_else(|| panic!("nothing at {head}"));
    (parent, crate::json::unescape(last))
}

/// Sets the member at `pointer`; an array index one past the end appends.
fn set(doc: &mut Value, pointer: &str, value: Value) {
    match parent(doc, pointer) {
        (Value::Object(o), key) => {
            o.insert(key, value);
        }
        (Value::Array(a), key) => match key.parse::<usize>() {
            Ok(i) if i == a.len() => a.push(value),
            Ok(i) if i < a.len() => a[i] = value,
            _ => panic!("no index {key} in an array of {}", a.len()),
        },
        _ => panic!("{pointer} is not in an object or array"),
    }
}

fn remove(doc: &mut Value, pointer: &str) {
    let (object, key) = parent(doc, pointer);
    object.as_object_mut().and_then(|o| o.remove(&key)).unwrap_or_else(|| panic!("nothing at {pointer}"));
}

fn lower(value: Value) -> crate::ir::Api {
    let doc = Document { file: "t.json".into(), value, dialect: Dialect::Swagger2 };
    crate::lower::lower_document(doc).unwrap_or_else(|e| panic!("{e}"))
}

fn report(edit: impl FnOnce(&mut Value)) -> Report {
    let mut new = base();
    edit(&mut new);
    compare(&lower(base()), &lower(new))
}

/// Every change as `impact kind rust: what`.
fn lines(report: &Report) -> Vec<String> {
    report.changes.iter().map(|c| format!("{} {} {}: {}", c.impact.as_str(), c.kind.as_str(), c.rust, c.what)).collect()
}

#[test]
fn the_same_document_changes_nothing() {
    let r = report(|_| {});
    assert_eq!(lines(&r), Vec::<String>::new());
    assert_eq!(r.semver(), Semver::Patch);
}

#[test]
fn a_refactor_that_generates_the_same_code_is_invisible() {
    // Given the api-version parameter moved into a global parameter, and an inline copy of a model
    // replaced by its $ref
    let r = report(|d| {
        set(d, "/parameters", json!({ "V": { "name": "api-version", "in": "query", "required": true, "type": "string" } }));
        set(d, "/paths/~1devices~1{id}/get/parameters/1", json!({ "$ref": "#/parameters/V" }));
        set(d, "/definitions/Device/properties/state", json!({ "allOf": [{ "$ref": "#/definitions/State" }] }));
    });
    // Then the generated API does not change
    assert_eq!(lines(&r), Vec::<String>::new());
}

/// One case: a change to the base document and the one change it must produce.
struct Case {
    name: &'static str,
    edit: fn(&mut Value),
    expected: &'static str,
    kind: Kind,
    impact: Impact,
}

#[test]
fn each_kind_of_change_has_its_impact() {
    let cases = [
        Case { name: "operation removed", edit: |d| remove(d, "/paths/~1devices~1{id}/put"), kind: Kind::Operation, impact: Impact::Breaking,
            expected: "breaking operation DevicesClient::create: operation removed (`Devices_Create`, `PUT /devices/{id}`)" },
        Case { name: "operation added", edit: |d| set(d, "/paths/~1devices~1{id}/delete", json!({ "operationId": "Devices_Remove", "parameters": [{ "name": "id", "in": "path", "required": true, "type": "string" }], "responses": { "204": { "description": "" } } })),
            kind: Kind::Operation, impact: Impact::Additive, expected: "additive operation DevicesClient::remove: operation added (`Devices_Remove`, `DELETE /devices/{id}`)" },
        Case { name: "operation moved", edit: |d| { let item = d["paths"]["/devices"].take(); remove(d, "/paths/~1devices"); set(d, "/paths/~1things", item); },
            kind: Kind::Operation, impact: Impact::Behavioural, expected: "behavioural operation DevicesClient::list: request `GET /devices` → `GET /things`" },
        Case { name: "operation deprecated", edit: |d| set(d, "/paths/~1devices/get/deprecated", json!(true)),
            kind: Kind::Operation, impact: Impact::Additive, expected: "additive operation DevicesClient::list: now deprecated" },
        Case { name: "required parameter added", edit: |d| set(d, "/paths/~1devices/get/parameters/2", json!({ "name": "site", "in": "query", "required": true, "type": "string" })),
            kind: Kind::Parameter, impact: Impact::Breaking, expected: "breaking parameter DevicesClient::list(site): required `site` added (`&str`)" },
        Case { name: "optional parameter added", edit: |d| set(d, "/paths/~1devices/get/parameters/2", json!({ "name": "skip", "in": "query", "type": "integer", "format": "int32" })),
            kind: Kind::Parameter, impact: Impact::Additive, expected: "additive parameter DevicesClient::list(skip): optional `skip` added (`i32`)" },
        Case { name: "parameter made required", edit: |d| set(d, "/paths/~1devices/get/parameters/1/required", json!(true)),
            kind: Kind::Parameter, impact: Impact::Breaking, expected: "breaking parameter DevicesClient::list(top): optional → required" },
        Case { name: "parameter default", edit: |d| set(d, "/paths/~1devices/get/parameters/1/default", json!(25)),
            kind: Kind::Parameter, impact: Impact::Behavioural, expected: "behavioural parameter DevicesClient::list(top): default none → `25`" },
        Case { name: "parameter sent in a header", edit: |d| set(d, "/paths/~1devices/get/parameters/1/in", json!("header")),
            kind: Kind::Parameter, impact: Impact::Behavioural, expected: "behavioural parameter DevicesClient::list(top): sent as query `top` → header `top`" },
        Case { name: "model removed", edit: |d| remove(d, "/definitions/Spare"), kind: Kind::Model, impact: Impact::Breaking,
            expected: "breaking model models::Spare: struct removed" },
        Case { name: "model added", edit: |d| set(d, "/definitions/Extra", json!({ "type": "object", "properties": { "a": { "type": "string" } } })),
            kind: Kind::Model, impact: Impact::Additive, expected: "additive model models::Extra: struct added" },
        Case { name: "enum opened", edit: |d| set(d, "/definitions/State/x-ms-enum/modelAsString", json!(true)),
            kind: Kind::Model, impact: Impact::Breaking, expected: "breaking model models::State: closed → open (`x-ms-enum.modelAsString`)" },
        Case { name: "property removed", edit: |d| remove(d, "/definitions/Device/properties/displayName"),
            kind: Kind::Property, impact: Impact::Breaking, expected: "breaking property models::Device::display_name: field removed (`displayName`)" },
        Case { name: "required property added", edit: |d| { set(d, "/definitions/Spare/properties/size", json!({ "type": "integer" })); set(d, "/definitions/Spare/required", json!(["size"])); },
            kind: Kind::Property, impact: Impact::Behavioural, expected: "behavioural property models::Spare::size: required field added (`size`: `i64`)" },
        Case { name: "required property added beside another", edit: |d| { set(d, "/definitions/DeviceList/properties/count", json!({ "type": "integer" })); set(d, "/definitions/DeviceList/required/1", json!("count")); },
            kind: Kind::Property, impact: Impact::Breaking, expected: "breaking property models::DeviceList::count: required field added (`count`: `i64`)" },
        Case { name: "optional property added", edit: |d| set(d, "/definitions/Spare/properties/size", json!({ "type": "integer" })),
            kind: Kind::Property, impact: Impact::Additive, expected: "additive property models::Spare::size: optional field added (`size`: `Option<i64>`)" },
        Case { name: "property type changed", edit: |d| set(d, "/definitions/Spare/properties/note", json!({ "type": "integer" })),
            kind: Kind::Property, impact: Impact::Breaking, expected: "breaking property models::Spare::note: type `Option<String>` → `Option<i64>`" },
        Case { name: "property made read-only", edit: |d| set(d, "/definitions/Spare/properties/note/readOnly", json!(true)),
            kind: Kind::Property, impact: Impact::Breaking, expected: "breaking property models::Spare::note: now read-only" },
        Case { name: "wire rename behind a stable Rust name", edit: |d| { let p = d["definitions"]["Spare"]["properties"]["note"].take(); remove(d, "/definitions/Spare/properties/note"); set(d, "/definitions/Spare/properties/Note", p); },
            kind: Kind::Property, impact: Impact::Behavioural, expected: "behavioural property models::Spare::note: wire name `note` → `Note`" },
        Case { name: "property default", edit: |d| set(d, "/definitions/Spare/properties/note/default", json!("n/a")),
            kind: Kind::Property, impact: Impact::Behavioural, expected: "behavioural property models::Spare::note: default none → `\"n/a\"`" },
        Case { name: "closed enum value added", edit: |d| { set(d, "/definitions/State/enum", json!(["on", "off", "idle"])); },
            kind: Kind::EnumValue, impact: Impact::Behavioural, expected: "behavioural enum value models::State::Idle: value `idle` added" },
        Case { name: "open enum value added", edit: |d| set(d, "/definitions/Level/enum", json!(["lo", "hi", "max"])),
            kind: Kind::EnumValue, impact: Impact::Additive, expected: "additive enum value models::Level::Max: value `max` added" },
        Case { name: "enum value removed", edit: |d| set(d, "/definitions/Level/enum", json!(["lo"])),
            kind: Kind::EnumValue, impact: Impact::Breaking, expected: "breaking enum value models::Level::Hi: value `hi` removed" },
        Case { name: "enum wire value behind a stable name", edit: |d| { set(d, "/definitions/State/enum", json!(["ON", "off"])); set(d, "/definitions/State/x-ms-enum/values/0/value", json!("ON")); },
            kind: Kind::EnumValue, impact: Impact::Behavioural, expected: "behavioural enum value models::State::On: wire value `on` → `ON`" },
        Case { name: "result type changed", edit: |d| set(d, "/paths/~1devices~1{id}/get/responses/200/schema", json!({ "$ref": "#/definitions/Spare" })),
            kind: Kind::Response, impact: Impact::Breaking, expected: "breaking response DevicesClient::get: result `Device` → `Spare`" },
        Case { name: "success status added", edit: |d| set(d, "/paths/~1devices~1{id}/put/responses/201", json!({ "description": "", "schema": { "$ref": "#/definitions/Device" } })),
            kind: Kind::Response, impact: Impact::Behavioural, expected: "behavioural response DevicesClient::create: success statuses [200] → [200, 201]" },
        Case { name: "error model changed", edit: |d| set(d, "/paths/~1devices~1{id}/get/responses/default/schema", json!({ "$ref": "#/definitions/Spare" })),
            kind: Kind::ErrorModel, impact: Impact::Behavioural, expected: "behavioural error model DevicesClient::get: error model `Problem` → `Spare`" },
        Case { name: "paging removed", edit: |d| remove(d, "/paths/~1devices/get/x-ms-pageable"),
            kind: Kind::Paging, impact: Impact::Breaking, expected: "breaking paging DevicesClient::list: no longer pageable" },
        Case { name: "paging added", edit: |d| { set(d, "/paths/~1devices~1{id}/get/responses/200/schema", json!({ "$ref": "#/definitions/DeviceList" })); set(d, "/paths/~1devices~1{id}/get/x-ms-pageable", json!({})); },
            kind: Kind::Paging, impact: Impact::Additive, expected: "additive paging DevicesClient::get: now pageable" },
        Case { name: "next link dropped", edit: |d| set(d, "/paths/~1devices/get/x-ms-pageable/nextLinkName", Value::Null),
            kind: Kind::Paging, impact: Impact::Behavioural, expected: "behavioural paging DevicesClient::list: next link `nextLink` → none (one page)" },
        Case { name: "long-running", edit: |d| set(d, "/paths/~1devices~1{id}/put/x-ms-long-running-operation", json!(true)),
            kind: Kind::Lro, impact: Impact::Behavioural, expected: "behavioural LRO DevicesClient::create: now long-running (final state via default)" },
        Case { name: "If-Match added", edit: |d| set(d, "/paths/~1devices~1{id}/put/parameters/3", json!({ "name": "If-Match", "in": "header", "type": "string" })),
            kind: Kind::Etag, impact: Impact::Additive, expected: "additive ETag/If-Match DevicesClient::create(if_match): optional `If-Match` added (`IfMatch`)" },
        Case { name: "ETag removed", edit: |d| remove(d, "/definitions/Device/properties/etag"),
            kind: Kind::Etag, impact: Impact::Breaking, expected: "breaking ETag/If-Match models::Device: no longer has an ETag" },
        Case { name: "host", edit: |d| set(d, "/basePath", json!("/api")),
            kind: Kind::Host, impact: Impact::Behavioural, expected: "behavioural host/base path Client::new: base path `` → `/api`" },
        Case { name: "scope", edit: |d| set(d, "/host", json!("other.example.com")),
            kind: Kind::Auth, impact: Impact::Behavioural, expected: "behavioural auth/scope Client::new: default token scope `https://example.com/.default` → `https://other.example.com/.default`" },
        Case { name: "api-version", edit: |d| set(d, "/info/version", json!("2025-01-01")),
            kind: Kind::ApiVersion, impact: Impact::Behavioural, expected: "behavioural api-version Client: api-version `2024-01-01` → `2025-01-01`" },
        Case { name: "constraint tightened", edit: |d| set(d, "/definitions/Device/properties/displayName/maxLength", json!(32)),
            kind: Kind::Constraint, impact: Impact::Behavioural, expected: "behavioural constraint models::Device::display_name: maxLength 64 → maxLength 32" },
        Case { name: "description", edit: |d| set(d, "/definitions/Device/description", json!("A thing.")),
            kind: Kind::Docs, impact: Impact::DocsOnly, expected: "docs-only docs models::Device: description changed" },
    ];
    for case in cases {
        let r = report(case.edit);
        let found = lines(&r);
        let change = r.changes.iter().find(|c| format!("{} {} {}: {}", c.impact.as_str(), c.kind.as_str(), c.rust, c.what) == case.expected);
        let change = change.unwrap_or_else(|| panic!("{}: expected {:?} in {found:#?}", case.name, case.expected));
        assert_eq!((change.kind, change.impact), (case.kind, case.impact), "{}", case.name);
    }
}

#[test]
fn final_state_via_is_behavioural() {
    let lro = |via: &str| {
        let mut d = base();
        set(&mut d, "/paths/~1devices~1{id}/put/x-ms-long-running-operation", json!(true));
        set(&mut d, "/paths/~1devices~1{id}/put/x-ms-long-running-operation-options", json!({ "final-state-via": via }));
        lower(d)
    };
    let r = compare(&lro("azure-async-operation"), &lro("location"));
    assert_eq!(lines(&r), ["behavioural LRO DevicesClient::create: final-state-via azure-async-operation → location"]);
}

#[test]
fn results_by_status_compare_variant_by_variant() {
    let put = "/paths/~1devices~1{id}/put/responses";
    let by_status = |responses: Value| {
        let mut d = base();
        set(&mut d, put, responses);
        lower(d)
    };
    let ok = |model: &str| json!({ "description": "", "schema": { "$ref": format!("#/definitions/{model}") } });
    let two = by_status(json!({ "200": ok("Device"), "201": ok("Spare") }));
    let r = compare(&lower(base()), &two);
    assert!(lines(&r).contains(&"breaking response DevicesClient::create: result `Device` → `CreateResponse (200: Device, 201: Spare)`".to_string()), "{r:#?}");
    let three = by_status(json!({ "200": ok("Device"), "201": ok("Spare"), "204": { "description": "" } }));
    let r = compare(&two, &three);
    assert_eq!(
        lines(&r),
        [
            "behavioural response DevicesClient::create: success statuses [200, 201] → [200, 201, 204]",
            "additive response DevicesClient::create: result `CreateResponse` has a variant for `204` (no body)",
            "docs-only response DevicesClient::create: response `204` declared",
        ]
    );
    let r = compare(&three, &by_status(json!({ "200": ok("Device"), "201": ok("Problem"), "204": { "description": "" } })));
    assert_eq!(lines(&r), ["breaking response DevicesClient::create: result `CreateResponse` variant for `201`: `Spare` → `Problem`"]);
    let r = compare(&three, &two);
    let gone = "breaking response DevicesClient::create: result `CreateResponse` has no variant for `204` (no body) any more";
    assert!(lines(&r).contains(&gone.to_string()), "{:#?}", lines(&r));
}

#[test]
fn the_verdict_is_the_most_severe_semver_effect() {
    assert_eq!(report(|d| remove(d, "/definitions/Spare")).semver(), Semver::Major);
    assert_eq!(report(|d| set(d, "/definitions/Spare/properties/size", json!({ "type": "integer" }))).semver(), Semver::Minor);
    // A closed enum's new value is behavioural, and a new variant: minor.
    assert_eq!(report(|d| set(d, "/definitions/State/enum", json!(["on", "off", "idle"]))).semver(), Semver::Minor);
    assert_eq!(report(|d| set(d, "/paths/~1devices/get/parameters/1/default", json!(25))).semver(), Semver::Patch);
    assert_eq!(report(|d| set(d, "/definitions/Device/description", json!("A thing."))).semver(), Semver::Patch);
}

#[test]
fn changes_point_into_both_documents() {
    let r = report(|d| set(d, "/definitions/Device/properties/displayName/maxLength", json!(32)));
    let c = &r.changes[0];
    assert_eq!(c.old.as_deref(), Some("/definitions/Device/properties/displayName"));
    assert_eq!(c.new.as_deref(), Some("/definitions/Device/properties/displayName"));
    let r = report(|d| set(d, "/paths/~1devices/get/parameters/2", json!({ "name": "skip", "in": "query", "type": "integer" })));
    assert_eq!((r.changes[0].old.as_deref(), r.changes[0].new.as_deref()), (None, Some("/paths/~1devices/get/parameters/2")));
}

/// A report with one change of each impact, in every form.
fn representative() -> Report {
    let mut r = report(|d| {
        remove(d, "/definitions/Device/properties/displayName");
        set(d, "/paths/~1devices/get/parameters/1/default", json!(25));
        set(d, "/paths/~1devices/get/parameters/2", json!({ "name": "skip", "in": "query", "type": "integer", "format": "int32" }));
        set(d, "/definitions/Device/description", json!("A thing | or two."));
    });
    r.old = "old.json".into();
    r.new = "new.json".into();
    r
}

#[test]
fn the_report_as_text() {
    assert_eq!(
        representative().to_string(),
        "old.json → new.json: semver major (1 breaking, 1 behavioural, 1 additive, 1 docs-only)
  breaking    property       models::Device::display_name: field removed (`displayName`) (code reading or setting it no longer compiles)
  behavioural parameter      DevicesClient::list(top): default none → `25` (the service assumes another value when it is left out)
  additive    parameter      DevicesClient::list(skip): optional `skip` added (`i32`) (a new builder method `.skip()`)
  docs-only   docs           models::Device: description changed (documentation only)
"
    );
}

#[test]
fn the_report_as_markdown() {
    assert_eq!(
        representative().markdown(),
        "**API changes** `old.json` → `new.json`: **semver major** (1 breaking, 1 behavioural, 1 additive, 1 docs-only)

#### `models`

| impact | kind | where | change | source |
|---|---|---|---|---|
| breaking | property | `models::Device::display_name` | field removed (`displayName`) — code reading or setting it no longer compiles | `#/definitions/Device/properties/displayName` (old) |

#### `DevicesClient`

| impact | kind | where | change | source |
|---|---|---|---|---|
| behavioural | parameter | `DevicesClient::list(top)` | default none → `25` — the service assumes another value when it is left out | `#/paths/~1devices/get/parameters/1` |
| additive | parameter | `DevicesClient::list(skip)` | optional `skip` added (`i32`) — a new builder method `.skip()` | `#/paths/~1devices/get/parameters/2` |

<details><summary>1 docs-only changes</summary>

- `models::Device`: description changed (`#/definitions/Device`)

</details>
"
    );
}

#[test]
fn the_report_as_json() {
    let json = representative().json();
    assert_eq!(json["semver"], "major");
    assert_eq!(json["counts"], json!({ "breaking": 1, "behavioural": 1, "additive": 1, "docs-only": 1 }));
    assert_eq!(
        json["changes"][0],
        json!({
            "kind": "property", "impact": "breaking", "semver": "major", "section": "models", "rust": "models::Device::display_name",
            "old": "/definitions/Device/properties/displayName", "new": null,
            "change": "field removed (`displayName`)", "reason": "code reading or setting it no longer compiles"
        })
    );
}
