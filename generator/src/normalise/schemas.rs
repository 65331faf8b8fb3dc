//! Swagger 2.0 schemas, responses, headers, `$ref`s and extensions → OpenAPI 3.0 (see the rules in
//! [`super`]).

use serde_json::{json, Value};

use super::{Cx, Object, HEADER_FIELDS, RESPONSE_FIELDS, VALUE_FIELDS};
use crate::error::Error;
use crate::extensions;
use crate::json::{self, push_pointer};

impl Cx<'_> {
    /// The schema of a non-body parameter, header or items object: its value fields, with `x-ms-enum`
    /// and `x-nullable` copied in. `items` objects keep all their extensions.
    pub(super) fn value_schema(&self, obj: &Object, pointer: &str) -> Result<Value, Error> {
        let mut schema = Object::new();
        for key in VALUE_FIELDS {
            let Some(value) = obj.get(*key) else { continue };
            let value = match *key {
                "items" if value.get("$ref").is_some() => self.schema(value, &push_pointer(pointer, key))?,
                "items" => {
                    let items_pointer = push_pointer(pointer, key);
                    let items = self.object(value, &items_pointer)?;
                    let mut items_schema = self.value_schema(items, &items_pointer)?;
                    if let Value::Object(items_schema) = &mut items_schema {
                        self.copy_extensions(items, items_schema);
                    }
                    items_schema
                }
                _ => value.clone(),
            };
            schema.insert((*key).to_owned(), value);
        }
        if schema.get("type").and_then(Value::as_str) == Some("file") {
            schema.insert("type".into(), "string".into());
            schema.insert("format".into(), "binary".into());
        }
        if extensions::nullable(obj) {
            schema.insert("nullable".into(), true.into());
        }
        for key in [extensions::ENUM, extensions::NULLABLE] {
            if let Some(value) = obj.get(key) {
                schema.insert(key.into(), value.clone());
            }
        }
        Ok(Value::Object(schema))
    }

    pub(super) fn responses(&self, value: &Value, produces: &[String], pointer: &str) -> Result<Value, Error> {
        let mut out = Object::new();
        for (code, response) in self.object(value, pointer)? {
            let at = push_pointer(pointer, code);
            let value = if extensions::is_extension(code) {
                self.extension(response)
            } else if code == "default" || (code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit())) {
                self.response(response, produces, &at)?
            } else {
                return Err(self.err(&at, "expected a status code, \"default\" or an x- extension"));
            };
            out.insert(code.clone(), value);
        }
        Ok(Value::Object(out))
    }

    pub(super) fn response(&self, value: &Value, produces: &[String], pointer: &str) -> Result<Value, Error> {
        if value.get("$ref").is_some() {
            return self.reference(value, pointer);
        }
        let response = self.object(value, pointer)?;
        self.check_fields(response, &[RESPONSE_FIELDS], "a response", pointer)?;
        let mut out = Object::new();
        out.insert(
            "description".into(),
            response.get("description").cloned().unwrap_or_else(|| "".into()),
        );
        if let Some(headers) = response.get("headers") {
            let headers_pointer = push_pointer(pointer, "headers");
            let mut converted = Object::new();
            for (name, header) in self.object(headers, &headers_pointer)? {
                let at = push_pointer(&headers_pointer, name);
                converted.insert(name.clone(), self.header(self.object(header, &at)?, &at)?);
            }
            out.insert("headers".into(), Value::Object(converted));
        }
        let examples = match response.get("examples") {
            Some(examples) => self.object(examples, &push_pointer(pointer, "examples"))?.clone(),
            None => Object::new(),
        };
        if let Some(schema) = response.get("schema") {
            let schema = self.schema(schema, &push_pointer(pointer, "schema"))?;
            let mut content = Object::new();
            let media_types = produces
                .iter()
                .chain(examples.keys().filter(|mt| !produces.contains(mt)));
            for mt in media_types {
                let mut media = Object::new();
                media.insert("schema".into(), schema.clone());
                if let Some(example) = examples.get(mt) {
                    media.insert("example".into(), example.clone());
                }
                content.insert(mt.clone(), Value::Object(media));
            }
            out.insert("content".into(), Value::Object(content));
        }
        self.copy_extensions(response, &mut out);
        Ok(Value::Object(out))
    }

    pub(super) fn header(&self, header: &Object, pointer: &str) -> Result<Value, Error> {
        self.check_fields(header, &[HEADER_FIELDS, VALUE_FIELDS], "a header", pointer)?;
        let mut out = Object::new();
        if let Some(description) = header.get("description") {
            out.insert("description".into(), description.clone());
        }
        out.insert("schema".into(), self.value_schema(header, pointer)?);
        self.copy_extensions(header, &mut out);
        Ok(Value::Object(out))
    }

    /// A schema object (definitions, body and response schemas), converted recursively.
    pub(super) fn schema(&self, value: &Value, pointer: &str) -> Result<Value, Error> {
        let schema = self.object(value, pointer)?;
        let is_file = schema.get("type").and_then(Value::as_str) == Some("file");
        let mut out = Object::new();
        for (key, value) in schema {
            let at = || push_pointer(pointer, key);
            let value = match key.as_str() {
                "$ref" => {
                    let reference = value.as_str().ok_or_else(|| self.err(&at(), "expected a string"))?;
                    self.rewrite_ref(reference, pointer)?.into()
                }
                "discriminator" => match value {
                    Value::String(property) => json!({ "propertyName": property }),
                    Value::Object(_) => value.clone(),
                    _ => return Err(self.err(&at(), "expected a property name")),
                },
                extensions::NULLABLE => {
                    if extensions::nullable(schema) {
                        out.insert("nullable".into(), true.into());
                    }
                    value.clone()
                }
                "type" if is_file => "string".into(),
                "format" if is_file => continue,
                "properties" => {
                    let mut properties = Object::new();
                    for (name, property) in self.object(value, &at())? {
                        properties.insert(name.clone(), self.schema(property, &push_pointer(&at(), name))?);
                    }
                    Value::Object(properties)
                }
                "additionalProperties" | "items" | "not" if value.is_object() => self.schema(value, &at())?,
                "allOf" | "anyOf" | "oneOf" | "items" if value.is_array() => {
                    let items = value.as_array().map(Vec::as_slice).unwrap_or_default();
                    let converted = items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| self.schema(item, &push_pointer(&at(), &i.to_string())))
                        .collect::<Result<Vec<_>, _>>()?;
                    Value::Array(converted)
                }
                _ if extensions::is_extension(key) => self.extension(value),
                _ => value.clone(),
            };
            out.insert(key.clone(), value);
        }
        if is_file {
            out.insert("format".into(), "binary".into());
        }
        // OpenAPI 3.0 ignores siblings of `$ref`: a nullable reference is a nullable `allOf` of it.
        if out.contains_key("$ref") && out.get("nullable") == Some(&Value::Bool(true)) {
            let reference = out.remove("$ref").unwrap_or_default();
            out.insert("allOf".into(), json!([{ "$ref": reference }]));
        }
        Ok(Value::Object(out))
    }

    /// A `$ref` object (possibly with siblings) with the reference rewritten.
    pub(super) fn reference(&self, value: &Value, pointer: &str) -> Result<Value, Error> {
        let mut out = self.object(value, pointer)?.clone();
        let reference = out
            .get("$ref")
            .and_then(Value::as_str)
            .ok_or_else(|| self.err(pointer, "expected \"$ref\" to be a string"))?;
        let rewritten = self.rewrite_ref(reference, pointer)?;
        out.insert("$ref".into(), rewritten.into());
        Ok(Value::Object(out))
    }

    pub(super) fn rewrite_ref(&self, reference: &str, pointer: &str) -> Result<String, Error> {
        match self.try_rewrite_ref(reference) {
            Ok(rewritten) => Ok(rewritten),
            Err(message) => Err(self.err(pointer, message)),
        }
    }

    /// `#/definitions/X` → `#/components/schemas/X`, `#/parameters/X` → `#/components/parameters/X`
    /// (`requestBodies` for a body parameter), `#/responses/X` → `#/components/responses/X`. References
    /// to other files are left alone (the loader bundles them before this runs).
    pub(super) fn try_rewrite_ref(&self, reference: &str) -> Result<String, String> {
        if let Some(rest) = reference.strip_prefix("#/definitions/") {
            return Ok(format!("#/components/schemas/{rest}"));
        }
        if let Some(rest) = reference.strip_prefix("#/responses/") {
            return Ok(format!("#/components/responses/{rest}"));
        }
        if let Some(rest) = reference.strip_prefix("#/parameters/") {
            let name = json::unescape(rest.split('/').next().unwrap_or_default());
            let global = self.doc.get("parameters").and_then(|globals| globals.get(&name));
            return match global.and_then(|param| param.get("in")).and_then(Value::as_str) {
                Some("body") => Ok(format!("#/components/requestBodies/{rest}")),
                Some("formData") => Err(format!(
                    "$ref \"{reference}\" names a formData parameter, which OpenAPI 3.0 can only inline in an operation"
                )),
                _ => Ok(format!("#/components/parameters/{rest}")),
            };
        }
        if reference.starts_with('#') {
            return Err(format!(
                "$ref \"{reference}\" cannot be mapped to OpenAPI 3.0: expected \"#/definitions/…\", \
                 \"#/parameters/…\" or \"#/responses/…\""
            ));
        }
        Ok(reference.to_owned())
    }

    /// An extension's value, with any Swagger `$ref` inside rewritten (`x-ms-examples` left alone: its
    /// references name example files).
    pub(super) fn extension(&self, value: &Value) -> Value {
        match value {
            Value::Object(obj) => Value::Object(
                obj.iter()
                    .map(|(key, value)| {
                        let value = match (key.as_str(), value) {
                            (extensions::EXAMPLES, _) => value.clone(),
                            ("$ref", Value::String(reference)) => self
                                .try_rewrite_ref(reference)
                                .unwrap_or_else(|_| reference.clone())
                                .into(),
                            _ => self.extension(value),
                        };
                        (key.clone(), value)
                    })
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(|item| self.extension(item)).collect()),
            _ => value.clone(),
        }
    }

    pub(super) fn copy_extensions(&self, from: &Object, to: &mut Object) {
        for (key, value) in from.iter().filter(|(key, _)| extensions::is_extension(key)) {
            let value = if key == extensions::EXAMPLES {
                value.clone()
            } else {
                self.extension(value)
            };
            to.insert(key.clone(), value);
        }
    }
}
