//! The normalised document → `openapiv3::OpenAPI`, with every mismatch located.
//!
//! `openapiv3` reads a schema by trying one shape after another (its schema kinds are untagged
//! enums), and a shape that fails deep inside is tried again from the top: a mistake at the bottom
//! of a deeply nested schema costs time exponential in the nesting. So every schema node is first
//! checked on its own, its child schemas replaced by `{}`: a mistake is reported where it is, and
//! the full parse only ever reads schemas that are valid node by node, once each.

use serde_json::{json, Map, Value};

use super::OpenApiDocument;
use crate::error::Error;
use crate::json::push_pointer;
use crate::load::Dialect;

impl OpenApiDocument {
    /// Deserialises the document into `openapiv3::OpenAPI`; a mismatch is located by JSON pointer.
    ///
    /// For Swagger 2.0 input, pointers below `/components/schemas/` and into response schemas are
    /// mapped back to the Swagger document; any other pointer is into the normalised document and
    /// says so.
    pub fn parse(&self) -> Result<openapiv3::OpenAPI, Error> {
        self.check_schemas()?;
        serde_path_to_error::deserialize(&self.value).map_err(|e| self.located(&path_to_pointer(e.path()), e.into_inner()))
    }

    /// Like [`OpenApiDocument::parse`], taking the document apart instead of copying its strings.
    pub fn into_openapi(mut self) -> Result<openapiv3::OpenAPI, Error> {
        self.check_schemas()?;
        let value = std::mem::take(&mut self.value);
        serde_path_to_error::deserialize(value).map_err(|e| self.located(&path_to_pointer(e.path()), e.into_inner()))
    }

    fn check_schemas(&self) -> Result<(), Error> {
        let mut roots = Vec::new();
        schema_roots(&self.value, String::new(), &mut roots);
        roots.into_iter().try_for_each(|(pointer, schema)| self.check_schema(schema, &pointer))
    }

    /// Checks a schema node on its own, then its child schemas.
    fn check_schema(&self, schema: &Value, pointer: &str) -> Result<(), Error> {
        let Value::Object(node) = schema else {
            return serde_path_to_error::deserialize::<_, openapiv3::Schema>(schema)
                .map(drop)
                .map_err(|e| self.located(pointer, e.into_inner()));
        };
        serde_path_to_error::deserialize::<_, openapiv3::Schema>(&shallow(node))
            .map_err(|e| self.located(&format!("{pointer}{}", path_to_pointer(e.path())), e.into_inner()))?;
        for (key, value) in node {
            let at = push_pointer(pointer, key);
            match (key.as_str(), value) {
                ("items" | "additionalProperties" | "not", Value::Object(_)) => self.check_schema(value, &at)?,
                ("allOf" | "oneOf" | "anyOf", Value::Array(items)) => {
                    for (i, item) in items.iter().enumerate().filter(|(_, item)| item.is_object()) {
                        self.check_schema(item, &push_pointer(&at, &i.to_string()))?;
                    }
                }
                ("properties", Value::Object(properties)) => {
                    for (name, property) in properties.iter().filter(|(_, p)| p.is_object()) {
                        self.check_schema(property, &push_pointer(&at, name))?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn located(&self, pointer: &str, inner: serde_json::Error) -> Error {
        match self.dialect {
            Dialect::OpenApi3 => Error::new(&self.file, pointer, format!("not valid OpenAPI 3.0: {inner}")),
            Dialect::Swagger2 => match swagger_pointer(pointer) {
                Some(original) => Error::new(&self.file, original, format!("not valid OpenAPI 3.0: {inner}")),
                None => Error::new(&self.file, pointer, format!("not valid OpenAPI 3.0 (pointer into the normalised document): {inner}")),
            },
        }
    }
}

/// A schema node with each child schema replaced by `{}` (a reference kept as the bare `$ref`).
fn shallow(node: &Map<String, Value>) -> Value {
    let stub = |child: &Value| match child {
        Value::Object(c) => c.get("$ref").map(|r| json!({ "$ref": r })).unwrap_or_else(|| json!({})),
        other => other.clone(),
    };
    let shallow = node.iter().map(|(key, value)| {
        let value = match (key.as_str(), value) {
            ("items" | "additionalProperties" | "not", _) => stub(value),
            ("allOf" | "oneOf" | "anyOf", Value::Array(items)) => Value::Array(items.iter().map(stub).collect()),
            ("properties", Value::Object(properties)) => Value::Object(properties.iter().map(|(n, p)| (n.clone(), stub(p))).collect()),
            _ => value.clone(),
        };
        (key.clone(), value)
    });
    Value::Object(shallow.collect())
}

/// Where the document's schemas start: every `schema` member outside schemas and data, and every
/// entry of `/components/schemas`.
fn schema_roots<'v>(value: &'v Value, pointer: String, out: &mut Vec<(String, &'v Value)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let at = push_pointer(&pointer, key);
                match key.as_str() {
                    "schema" => out.push((at, child)),
                    "schemas" if pointer == "/components" => {
                        if let Value::Object(schemas) = child {
                            out.extend(schemas.iter().map(|(name, schema)| (push_pointer(&at, name), schema)));
                        }
                    }
                    "example" | "examples" | "default" | "enum" => {}
                    _ if key.starts_with("x-") => {}
                    _ => schema_roots(child, at, out),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                schema_roots(item, push_pointer(&pointer, &i.to_string()), out);
            }
        }
        _ => {}
    }
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter().fold(String::new(), |pointer, segment| match segment {
        Segment::Seq { index } => push_pointer(&pointer, &index.to_string()),
        Segment::Map { key } => push_pointer(&pointer, key),
        Segment::Enum { .. } | Segment::Unknown => pointer,
    })
}

/// Maps a pointer into the normalised document back to the Swagger document, where the shapes agree.
fn swagger_pointer(pointer: &str) -> Option<String> {
    if let Some(rest) = pointer.strip_prefix("/components/schemas/") {
        return Some(format!("/definitions/{rest}"));
    }
    // /paths/{path}/{method}/responses/{code}/content/{media type}/schema/… → …/{code}/schema/…
    let tokens: Vec<&str> = pointer.split('/').collect();
    if tokens.len() >= 9 && tokens[1] == "paths" && tokens[4] == "responses" && tokens[6] == "content" && tokens[8] == "schema" {
        let mut mapped: Vec<&str> = tokens[..6].to_vec();
        mapped.extend(&tokens[8..]);
        return Some(mapped.join("/"));
    }
    None
}
