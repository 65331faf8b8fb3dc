//! Synthetic Swagger 2.0 documents of any size, shaped like Azure management APIs: resources with
//! nested property bags, `allOf` inheritance, discriminated unions, open and closed enums, maps,
//! recursive models, and per resource a get, a paged list, a long-running create, an update and a
//! long-running delete.
//!
//! This file is shared: the generator's fuzz test mutates small documents made here, and
//! `cargo xtask bench scale` measures the generator on large ones. It depends on `serde_json` and
//! `rng.rs` (included beside it as `super::rng`).

use serde_json::{json, Map, Value};

use super::rng::Rng;

/// Models every resource group adds (see [`document`]).
pub const MODELS_PER_RESOURCE: usize = 10;
/// Models shared by all resources.
const SHARED_MODELS: usize = 3;

/// A document with exactly `models` definitions (at least the shared ones). `rng` varies details
/// (which fields are required, property counts, enum sizes) without changing the shape.
pub fn document(models: usize, rng: &mut Rng) -> Value {
    let resources = models.saturating_sub(SHARED_MODELS) / MODELS_PER_RESOURCE;
    let mut definitions = Map::new();
    definitions.insert("ErrorDetail".into(), json!({
        "description": "An error, with nested details.",
        "properties": {
            "code": { "type": "string", "readOnly": true },
            "message": { "type": "string", "readOnly": true },
            "details": { "type": "array", "items": { "$ref": "#/definitions/ErrorDetail" } },
            "innererror": { "$ref": "#/definitions/ErrorDetail" }
        }
    }));
    definitions.insert("ErrorResponse".into(), json!({
        "properties": { "error": { "$ref": "#/definitions/ErrorDetail" } }
    }));
    definitions.insert("BaseProperties".into(), json!({
        "properties": {
            "provisioningState": { "type": "string", "readOnly": true, "enum": ["Succeeded", "Failed", "Canceled", "Creating"],
                "x-ms-enum": { "name": "ProvisioningState", "modelAsString": true } },
            "createdAt": { "type": "string", "format": "date-time", "readOnly": true }
        }
    }));
    let mut paths = Map::new();
    for g in 0..resources {
        resource(g, rng, &mut definitions, &mut paths);
    }
    for i in definitions.len()..models {
        definitions.insert(format!("Extra{i}"), json!({
            "properties": { "value": { "type": "string" }, "count": { "type": "integer", "format": "int64" } }
        }));
    }
    json!({
        "swagger": "2.0",
        "info": { "title": "Synthetic", "version": "2024-01-01", "description": "A generated document." },
        "host": "management.example.com",
        "schemes": ["https"],
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "paths": paths,
        "definitions": definitions,
        "parameters": {
            "SubscriptionIdParameter": { "name": "subscriptionId", "in": "path", "required": true, "type": "string" },
            "ApiVersionParameter": { "name": "api-version", "in": "query", "required": true, "type": "string" }
        }
    })
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/definitions/{name}") })
}

/// One resource: ten models and five operations.
fn resource(g: usize, rng: &mut Rng, definitions: &mut Map<String, Value>, paths: &mut Map<String, Value>) {
    let n = |base: &str| format!("{base}{g}");
    let previous_item = format!("WidgetItem{}", g.saturating_sub(1));
    let required: Vec<&str> = ["name", "location"].into_iter().filter(|_| rng.one_in(2)).collect();
    definitions.insert(n("Widget"), json!({
        "description": format!("Widget resource {g}."),
        "required": required,
        "properties": {
            "id": { "type": "string", "readOnly": true },
            "name": { "type": "string" },
            "location": { "type": "string" },
            "etag": { "type": "string" },
            "properties": reference(&n("WidgetProperties")),
            "tags": { "type": "object", "additionalProperties": { "type": "string" } },
            "kind": reference(&n("WidgetKind")),
            "source": reference(&n("WidgetSource")),
            "sku": { "type": "object", "properties": {
                "name": { "type": "string" },
                "tier": { "type": "string", "enum": ["Free", "Basic", "Standard"] },
                "capacity": { "type": "integer", "format": "int32" }
            } }
        }
    }));
    let mut properties = json!({
        "state": { "type": "string", "enum": ["Active", "Disabled", "Deleting"], "x-ms-enum": { "name": n("WidgetState"), "modelAsString": true } },
        "count": { "type": "integer", "format": "int32" },
        "ratio": { "type": "number" },
        "enabled": { "type": "boolean" },
        "items": { "type": "array", "items": reference(&n("WidgetItem")) },
        "related": reference(&previous_item),
        "description": { "type": "string" }
    });
    for extra in 0..rng.below(4) {
        properties[format!("setting{extra}")] = json!({ "type": "string", "description": "An optional setting." });
    }
    definitions.insert(n("WidgetProperties"), json!({
        "allOf": [reference("BaseProperties")],
        "properties": properties
    }));
    definitions.insert(n("WidgetItem"), json!({
        "properties": {
            "key": { "type": "string" },
            "value": { "type": "integer", "format": "int64" },
            "children": { "type": "array", "items": reference(&n("WidgetItem")) },
            "next": reference(&n("WidgetItem"))
        },
        "required": ["key"]
    }));
    definitions.insert(n("WidgetList"), json!({
        "properties": {
            "value": { "type": "array", "items": reference(&n("Widget")) },
            "nextLink": { "type": "string" }
        }
    }));
    let kinds: Vec<String> = (0..2 + rng.below(3)).map(|k| format!("Kind{k}")).collect();
    definitions.insert(n("WidgetKind"), json!({ "type": "string", "enum": kinds }));
    definitions.insert(n("WidgetSource"), json!({
        "discriminator": "sourceType",
        "required": ["sourceType"],
        "properties": { "sourceType": { "type": "string" }, "name": { "type": "string" } }
    }));
    definitions.insert(n("WidgetFileSource"), json!({
        "allOf": [reference(&n("WidgetSource"))],
        "x-ms-discriminator-value": "file",
        "properties": { "path": { "type": "string" } }
    }));
    definitions.insert(n("WidgetHttpSource"), json!({
        "allOf": [reference(&n("WidgetSource"))],
        "x-ms-discriminator-value": "http",
        "properties": { "url": { "type": "string" }, "headers": { "type": "object", "additionalProperties": { "type": "string" } } }
    }));
    definitions.insert(n("WidgetUpdate"), json!({
        "properties": { "tags": { "type": "object", "additionalProperties": { "type": "string" } }, "properties": reference(&n("WidgetProperties")) }
    }));
    definitions.insert(n("WidgetStatus"), json!({
        "allOf": [reference(&n("WidgetProperties"))],
        "properties": { "lastError": reference("ErrorDetail"), "progress": { "type": "integer", "format": "int32" } }
    }));

    let group = n("Widgets");
    let subscription = json!({ "$ref": "#/parameters/SubscriptionIdParameter" });
    let api_version = json!({ "$ref": "#/parameters/ApiVersionParameter" });
    let name = json!({ "name": "widgetName", "in": "path", "required": true, "type": "string" });
    let error = json!({ "description": "Error.", "schema": reference("ErrorResponse") });
    let ok = |model: &str| json!({ "description": "OK.", "schema": reference(model) });
    let collection = format!("/subscriptions/{{subscriptionId}}/widgets{g}");
    paths.insert(collection.clone(), json!({
        "get": {
            "operationId": format!("{group}_List"),
            "parameters": [subscription, api_version, { "name": "$top", "in": "query", "type": "integer", "format": "int32" }],
            "responses": { "200": ok(&n("WidgetList")), "default": error },
            "x-ms-pageable": { "nextLinkName": "nextLink" }
        }
    }));
    let body = |model: &str| json!({ "name": "parameters", "in": "body", "required": true, "schema": reference(model) });
    paths.insert(format!("{collection}/{{widgetName}}"), json!({
        "get": {
            "operationId": format!("{group}_Get"),
            "parameters": [subscription, name, api_version],
            "responses": { "200": ok(&n("Widget")), "default": error }
        },
        "put": {
            "operationId": format!("{group}_CreateOrUpdate"),
            "parameters": [subscription, name, api_version, body(&n("Widget"))],
            "responses": { "200": ok(&n("Widget")), "201": ok(&n("Widget")), "default": error },
            "x-ms-long-running-operation": true
        },
        "patch": {
            "operationId": format!("{group}_Update"),
            "parameters": [subscription, name, api_version, body(&n("WidgetUpdate"))],
            "responses": { "200": ok(&n("Widget")), "default": error }
        },
        "delete": {
            "operationId": format!("{group}_Delete"),
            "parameters": [subscription, name, api_version],
            "responses": { "200": { "description": "Deleted." }, "204": { "description": "Gone." }, "default": error },
            "x-ms-long-running-operation": true
        }
    }));
}
