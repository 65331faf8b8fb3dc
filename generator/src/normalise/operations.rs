//! Swagger 2.0 paths, operations and parameters → OpenAPI 3.0 (see the rules in [`super`]).

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::{Cx, Object, BODY_FIELDS, FORM_URLENCODED, LOCATIONS, METHODS, MULTIPART, OPERATION_FIELDS, PARAMETER_FIELDS, VALUE_FIELDS};
use crate::error::Error;
use crate::extensions;
use crate::json::{self, push_pointer};


/// One parameter of an operation, as written (`raw`, maybe a `$ref`) and resolved.
pub(super) struct ParamEntry<'a> {
    raw: &'a Value,
    /// Where `raw` is, for errors about its use.
    pointer: String,
    resolved: &'a Object,
    /// Where `resolved` is (the global parameter for a `$ref`), for errors about its content.
    resolved_pointer: String,
    name: &'a str,
    location: &'a str,
}

impl ParamEntry<'_> {
    fn is_ref(&self) -> bool {
        self.raw.get("$ref").is_some()
    }
}

impl<'a> Cx<'a> {
    pub(super) fn paths(&self, value: &'a Value, pointer: &str) -> Result<Value, Error> {
        let mut out = Object::new();
        for (path, item) in self.object(value, pointer)? {
            let value = if extensions::is_extension(path) {
                self.extension(item)
            } else if path.starts_with('/') {
                self.path_item(item, &push_pointer(pointer, path))?
            } else {
                return Err(self.err(&push_pointer(pointer, path), "expected a path starting with \"/\""));
            };
            out.insert(path.clone(), value);
        }
        Ok(Value::Object(out))
    }

    pub(super) fn path_item(&self, value: &'a Value, pointer: &str) -> Result<Value, Error> {
        let item = self.object(value, pointer)?;
        if item.contains_key("$ref") {
            return Err(self.err(&push_pointer(pointer, "$ref"), "a $ref path item is not supported"));
        }
        let shared = self.param_entries(item.get("parameters"), &push_pointer(pointer, "parameters"))?;
        let mut out = Object::new();
        for (key, value) in item {
            if METHODS.contains(&key.as_str()) {
                out.insert(
                    key.clone(),
                    self.operation(value, &shared, &push_pointer(pointer, key))?,
                );
            } else if extensions::is_extension(key) {
                out.insert(key.clone(), self.extension(value));
            } else if key != "parameters" {
                return Err(self.err(
                    &push_pointer(pointer, key),
                    format!("unexpected field \"{key}\" in a path item"),
                ));
            }
        }
        Ok(Value::Object(out))
    }

    /// Resolves a parameter that may be a `$ref` to a global one; returns it and where it is.
    pub(super) fn resolve_param<'v>(&self, value: &'v Value, pointer: &str) -> Result<(&'v Object, String), Error>
    where
        'a: 'v,
    {
        let obj = self.object(value, pointer)?;
        let Some(reference) = obj.get("$ref") else {
            return Ok((obj, pointer.to_owned()));
        };
        let reference = reference
            .as_str()
            .ok_or_else(|| self.err(pointer, "expected \"$ref\" to be a string"))?;
        let name = reference
            .strip_prefix("#/parameters/")
            .filter(|name| !name.contains('/'))
            .ok_or_else(|| {
                self.err(
                    pointer,
                    format!("expected a $ref to \"#/parameters/<name>\", found \"{reference}\""),
                )
            })?;
        let name = json::unescape(name);
        let target = self.doc.get("parameters").and_then(|globals| globals.get(&name));
        let target = target.ok_or_else(|| self.err(pointer, format!("$ref \"{reference}\" does not resolve")))?;
        let at = push_pointer("/parameters", &name);
        Ok((self.object(target, &at)?, at))
    }

    pub(super) fn location<'v>(&self, param: &'v Object, pointer: &str) -> Result<&'v str, Error> {
        match param.get("in").and_then(Value::as_str) {
            Some(location @ ("query" | "header" | "path" | "body" | "formData")) => Ok(location),
            _ => Err(self.err(pointer, format!("expected \"in\" to be one of {LOCATIONS}"))),
        }
    }

    pub(super) fn param_entries(&self, value: Option<&'a Value>, pointer: &str) -> Result<Vec<ParamEntry<'a>>, Error> {
        let mut entries = Vec::new();
        for (i, raw) in self.array(value, pointer)?.iter().enumerate() {
            let at = push_pointer(pointer, &i.to_string());
            let (resolved, resolved_pointer) = self.resolve_param(raw, &at)?;
            let name = self.string(resolved, "name", &resolved_pointer)?;
            let location = self.location(resolved, &resolved_pointer)?;
            entries.push(ParamEntry {
                raw,
                pointer: at,
                resolved,
                resolved_pointer,
                name,
                location,
            });
        }
        Ok(entries)
    }

    pub(super) fn operation(&self, value: &'a Value, shared: &[ParamEntry<'a>], pointer: &str) -> Result<Value, Error> {
        let op = self.object(value, pointer)?;
        self.check_fields(op, &[OPERATION_FIELDS], "an operation", pointer)?;
        let consumes = self.media_types(op.get("consumes"), &push_pointer(pointer, "consumes"))?;
        let consumes = consumes
            .filter(|list| !list.is_empty())
            .unwrap_or_else(|| self.consumes.clone());
        let produces = self.media_types(op.get("produces"), &push_pointer(pointer, "produces"))?;
        let produces = produces
            .filter(|list| !list.is_empty())
            .unwrap_or_else(|| self.produces.clone());

        let own = self.param_entries(op.get("parameters"), &push_pointer(pointer, "parameters"))?;
        let own_keys: BTreeSet<(&str, &str)> = own.iter().map(|o| (o.name, o.location)).collect();
        let overridden = |e: &ParamEntry| own_keys.contains(&(e.name, e.location));
        let merged: Vec<&ParamEntry> = shared.iter().filter(|e| !overridden(e)).chain(own.iter()).collect();

        let mut parameters = Vec::new();
        let mut body: Option<(usize, &ParamEntry)> = None;
        let mut form = Vec::new();
        for (index, entry) in merged.iter().enumerate() {
            match entry.location {
                "body" if body.is_some() => return Err(self.err(&entry.pointer, "more than one body parameter")),
                "body" => body = Some((index, entry)),
                "formData" => form.push(*entry),
                _ => {
                    let at = push_pointer(&push_pointer(pointer, "parameters"), &parameters.len().to_string());
                    // A Swagger parameter holds its value's schema keywords itself.
                    let mut sources = self.sources.borrow_mut();
                    sources.record(push_pointer(&at, "schema"), entry.resolved_pointer.clone());
                    sources.record(at, entry.resolved_pointer.clone());
                    drop(sources);
                    parameters.push(match entry.is_ref() {
                        true => self.reference(entry.raw, &entry.pointer)?,
                        false => self.parameter(entry.resolved, &entry.resolved_pointer)?,
                    });
                }
            }
        }
        if let Some((_, entry)) = body {
            let at = push_pointer(pointer, "requestBody");
            let mut sources = self.sources.borrow_mut();
            sources.record(push_pointer(&at, "schema"), push_pointer(&entry.resolved_pointer, "schema"));
            sources.record(at, entry.resolved_pointer.clone());
        }
        let request_body = match (body, form.first()) {
            (Some(_), Some(first)) => {
                return Err(self.err(
                    &first.pointer,
                    "an operation cannot have both body and formData parameters",
                ))
            }
            (Some((_, entry)), None) if entry.is_ref() && consumes == self.consumes => {
                Some(self.reference(entry.raw, &entry.pointer)?)
            }
            (Some((_, entry)), None) => Some(self.body(entry.resolved, &consumes, &entry.resolved_pointer)?),
            (None, Some(_)) => Some(self.form(&form, &consumes)?),
            (None, None) => None,
        };
        let responses = op
            .get("responses")
            .ok_or_else(|| self.err(pointer, "expected a \"responses\" object"))?;
        let responses = self.responses(responses, &produces, &push_pointer(pointer, "responses"))?;

        let mut out = Object::new();
        for key in ["tags", "summary", "description", "externalDocs", "operationId"] {
            if let Some(value) = op.get(key) {
                out.insert(key.into(), value.clone());
            }
        }
        if !parameters.is_empty() {
            out.insert("parameters".into(), Value::Array(parameters));
        }
        if let Some(request_body) = request_body {
            out.insert("requestBody".into(), request_body);
        }
        out.insert("responses".into(), responses);
        for key in ["deprecated", "security"] {
            if let Some(value) = op.get(key) {
                out.insert(key.into(), value.clone());
            }
        }
        self.copy_extensions(op, &mut out);
        if let Some((index, _)) = body {
            out.insert(extensions::REQUEST_BODY_INDEX.into(), index.into());
        }
        Ok(Value::Object(out))
    }

    /// A non-body parameter in OpenAPI 3.0 form.
    pub(super) fn parameter(&self, param: &Object, pointer: &str) -> Result<Value, Error> {
        self.check_fields(param, &[PARAMETER_FIELDS, VALUE_FIELDS], "a parameter", pointer)?;
        let location = self.location(param, pointer)?;
        let mut out = Object::new();
        out.insert("name".into(), self.string(param, "name", pointer)?.into());
        out.insert("in".into(), location.into());
        for key in ["description", "required"] {
            if let Some(value) = param.get(key) {
                out.insert(key.into(), value.clone());
            }
        }
        if let Some(value) = param.get("allowEmptyValue").filter(|_| location == "query") {
            out.insert("allowEmptyValue".into(), value.clone());
        }
        if param.get("type").and_then(Value::as_str) == Some("array") {
            let format_pointer = push_pointer(pointer, "collectionFormat");
            let format = match param.get("collectionFormat") {
                None => "csv",
                Some(value) => value
                    .as_str()
                    .ok_or_else(|| self.err(&format_pointer, "expected a string"))?,
            };
            let (style, explode) = match (location, format) {
                ("query", "csv") => ("form", false),
                ("query", "ssv") => ("spaceDelimited", false),
                ("query", "pipes") => ("pipeDelimited", false),
                ("query", "multi") => ("form", true),
                ("path" | "header", "csv") => ("simple", false),
                // OpenAPI 3.0 has no tab-delimited style: a form style marked as tab-separated.
                ("query", "tsv") => {
                    out.insert(extensions::COLLECTION_FORMAT.into(), "tsv".into());
                    ("form", false)
                }
                (_, "tsv") => {
                    return Err(self.err(&format_pointer, format!("collectionFormat \"tsv\" is not allowed for a {location} parameter")))
                }
                (_, "ssv" | "pipes" | "multi") => {
                    return Err(self.err(
                        &format_pointer,
                        format!("collectionFormat \"{format}\" is not allowed for a {location} parameter"),
                    ))
                }
                _ => {
                    return Err(self.err(
                        &format_pointer,
                        "expected collectionFormat to be one of csv, ssv, tsv, pipes, multi",
                    ))
                }
            };
            out.insert("style".into(), style.into());
            out.insert("explode".into(), explode.into());
        }
        out.insert("schema".into(), self.value_schema(param, pointer)?);
        self.copy_extensions(param, &mut out);
        Ok(Value::Object(out))
    }

    /// The request body for an `in: body` parameter.
    pub(super) fn body(&self, param: &Object, consumes: &[String], pointer: &str) -> Result<Value, Error> {
        self.check_fields(param, &[BODY_FIELDS], "a body parameter", pointer)?;
        let schema = param
            .get("schema")
            .ok_or_else(|| self.err(pointer, "expected a \"schema\" on a body parameter"))?;
        let schema = self.schema(schema, &push_pointer(pointer, "schema"))?;
        let mut out = Object::new();
        if let Some(description) = param.get("description") {
            out.insert("description".into(), description.clone());
        }
        let content: Object = consumes
            .iter()
            .map(|mt| (mt.clone(), json!({ "schema": schema })))
            .collect();
        out.insert("content".into(), Value::Object(content));
        if let Some(required) = param.get("required") {
            out.insert("required".into(), required.clone());
        }
        out.insert(
            extensions::REQUEST_BODY_NAME.into(),
            self.string(param, "name", pointer)?.into(),
        );
        self.copy_extensions(param, &mut out);
        Ok(Value::Object(out))
    }

    /// The request body for an operation's `in: formData` parameters.
    pub(super) fn form(&self, params: &[&ParamEntry], consumes: &[String]) -> Result<Value, Error> {
        let mut properties = Object::new();
        let mut required = Vec::new();
        let mut has_file = false;
        for entry in params {
            let (param, pointer) = (entry.resolved, entry.resolved_pointer.as_str());
            self.check_fields(param, &[PARAMETER_FIELDS, VALUE_FIELDS], "a parameter", pointer)?;
            has_file |= param.get("type").and_then(Value::as_str) == Some("file");
            let mut schema = self.value_schema(param, pointer)?;
            if let Value::Object(schema) = &mut schema {
                if let Some(description) = param.get("description") {
                    schema.insert("description".into(), description.clone());
                }
                self.copy_extensions(param, schema);
            }
            properties.insert(entry.name.to_owned(), schema);
            if param.get("required") == Some(&Value::Bool(true)) {
                required.push(Value::from(entry.name));
            }
        }
        let mut media_types: Vec<&str> = consumes
            .iter()
            .map(String::as_str)
            .filter(|mt| *mt == MULTIPART || *mt == FORM_URLENCODED)
            .collect();
        if media_types.is_empty() {
            media_types.push(if has_file { MULTIPART } else { FORM_URLENCODED });
        }
        let mut schema = Object::new();
        schema.insert("type".into(), "object".into());
        schema.insert("properties".into(), Value::Object(properties));
        let any_required = !required.is_empty();
        if any_required {
            schema.insert("required".into(), Value::Array(required));
        }
        let schema = Value::Object(schema);
        let content: Object = media_types
            .iter()
            .map(|mt| ((*mt).to_owned(), json!({ "schema": schema })))
            .collect();
        let mut out = Object::new();
        out.insert("content".into(), Value::Object(content));
        if any_required {
            out.insert("required".into(), true.into());
        }
        Ok(Value::Object(out))
    }
}
