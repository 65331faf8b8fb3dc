//! Unit tests of lowering: one small Swagger 2.0 (or OpenAPI 3.0) document per rule, asserting the
//! IR it lowers to, so a lowering rule can be pinned without a golden. One module per concern.

mod azure;
mod bodies;
mod extensions;
mod finish;
mod operations;
mod paging;
mod schemas;
mod unions;

use serde_json::{json, Value};

use crate::error::Error;
use crate::ir::{Api, Enum, Field, Operation, Struct, TypeDef, TypeRef};
use crate::load::{Dialect, Document};

/// A Swagger 2.0 document (title `T`, version `2024-01-01`, host `example.com`) with `extra`
/// merged into its top level.
fn swagger(extra: Value) -> Value {
    let mut doc = json!({
        "swagger": "2.0",
        "info": { "title": "T", "version": "2024-01-01" },
        "host": "example.com",
        "paths": {}
    });
    if let (Some(doc), Value::Object(extra)) = (doc.as_object_mut(), extra) {
        doc.extend(extra);
    }
    doc
}

/// A Swagger 2.0 document with one operation, `method path` with `operation` (an `operationId` and
/// `responses` are up to the caller), and `definitions`.
fn one_operation(method: &str, path: &str, operation: Value, definitions: Value) -> Value {
    swagger(json!({ "paths": { path: { method: operation } }, "definitions": definitions }))
}

fn lower(doc: Value) -> Result<Api, Error> {
    let dialect = if doc.get("openapi").is_some() { Dialect::OpenApi3 } else { Dialect::Swagger2 };
    super::lower_document(Document { file: "t.json".into(), value: doc, dialect })
}

fn api(doc: Value) -> Api {
    lower(doc).unwrap_or_else(|e| panic!("lowering failed: {e}"))
}

fn error(doc: Value) -> String {
    match lower(doc) {
        Ok(_) => panic!("lowering succeeded, but an error was expected"),
        Err(e) => e.to_string(),
    }
}

/// Every warning as `pointer: message`.
fn warnings(api: &Api) -> Vec<String> {
    api.warnings.iter().map(|w| format!("{}: {}", w.pointer, w.message)).collect()
}

fn operation<'a>(api: &'a Api, id: &str) -> &'a Operation {
    api.groups
        .iter()
        .flat_map(|g| &g.operations)
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

fn model<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types.get(name).unwrap_or_else(|| panic!("no model {name}; models: {:?}", api.types.keys().collect::<Vec<_>>()))
}

fn struct_model<'a>(api: &'a Api, name: &str) -> &'a Struct {
    match model(api, name) {
        TypeDef::Struct(s) => s,
        other => panic!("{name} is not a struct: {other:?}"),
    }
}

fn enum_model<'a>(api: &'a Api, name: &str) -> &'a Enum {
    match model(api, name) {
        TypeDef::Enum(e) => e,
        other => panic!("{name} is not an enum: {other:?}"),
    }
}

fn field<'a>(s: &'a Struct, wire: &str) -> &'a Field {
    s.fields.iter().find(|f| f.name.wire == wire).unwrap_or_else(|| panic!("{} has no field {wire}", s.name.rust))
}

fn named(name: &str) -> TypeRef {
    TypeRef::Named(crate::ir::ModelName::new(name))
}
