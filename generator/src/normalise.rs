//! Swagger 2.0 → OpenAPI 3.0, as a pure `serde_json::Value` transform.
//!
//! The output is meant to deserialise into `openapiv3::OpenAPI`; every `x-*` extension is kept where it
//! was (document, path item, operation, parameter, schema, response, header, security scheme). The rules
//! that are choices rather than plain translation:
//!
//! - **Servers**: `x-ms-parameterized-host` gives one server `{scheme}://{hostTemplate}{basePath}` (no
//!   `{scheme}://` when `useSchemePrefix` is false) with one variable per host parameter (default from
//!   the parameter's `default`, else `""`; `enum` and `description` kept). Otherwise `host` gives one
//!   server per entry of `schemes` (`https` when there are none); `basePath` alone gives a relative
//!   server. A trailing `/` of `basePath` is dropped. The `x-ms-parameterized-host` extension stays on
//!   the document, its `$ref`s rewritten and its inline parameters converted like any other parameter.
//! - **Parameters**: path-item parameters are merged into each operation the way Swagger specifies (an
//!   operation parameter with the same `name` and `in` replaces it); merged lists put the path-item
//!   parameters first. `$ref` parameters stay `$ref`s (`#/components/parameters/X`) so client-level
//!   globals can be told apart. `x-ms-enum` and `x-nullable` are copied into the parameter's `schema`
//!   (and kept on the parameter).
//! - **Body**: the `in: body` parameter becomes `requestBody` with one `content` entry per `consumes`
//!   media type; its `name` goes into `x-ms-requestBody-name` and its position in the (merged)
//!   parameter list into the operation's `x-ms-requestBody-index` (AutoRest's conventions). A `$ref` to
//!   a global body parameter stays a `$ref` (`#/components/requestBodies/X`) unless the operation's
//!   `consumes` differs from the document's, in which case the body is inlined with the operation's
//!   media types.
//! - **formData**: one object schema (a property per parameter, `required` from the parameters) under
//!   `multipart/form-data` and/or `application/x-www-form-urlencoded`, whichever of these `consumes`
//!   lists (`multipart/form-data` when it lists neither and a parameter is a file, else urlencoded).
//!   Global formData parameters are not components in OpenAPI 3.0; they are inlined where referenced.
//! - **Responses**: `schema` becomes one `content` entry per `produces` media type, `examples` become
//!   the matching `example`; a missing `description` becomes `""`.
//! - Operation-level `schemes` are not modelled and are dropped.
//!
//! Anything else that cannot be mapped is a located [`Error`] with the Swagger pointer.

use serde_json::{json, Map, Value};

use crate::error::{push_pointer, Error};

type Object = Map<String, Value>;

const DEFAULT_MEDIA_TYPE: &str = "application/json";
const FORM_URLENCODED: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";
const OPENAPI_VERSION: &str = "3.0.3";

const DOCUMENT_FIELDS: &[&str] = &[
    "swagger",
    "info",
    "host",
    "basePath",
    "schemes",
    "consumes",
    "produces",
    "paths",
    "definitions",
    "parameters",
    "responses",
    "securityDefinitions",
    "security",
    "tags",
    "externalDocs",
];
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];
const OPERATION_FIELDS: &[&str] = &[
    "tags",
    "summary",
    "description",
    "externalDocs",
    "operationId",
    "consumes",
    "produces",
    "parameters",
    "responses",
    "schemes",
    "deprecated",
    "security",
];
/// Fields of a non-body parameter, header or items object that describe its value: they go to `schema`.
const VALUE_FIELDS: &[&str] = &[
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
];
const PARAMETER_FIELDS: &[&str] = &[
    "name",
    "in",
    "description",
    "required",
    "allowEmptyValue",
    "collectionFormat",
];
const BODY_FIELDS: &[&str] = &["name", "in", "description", "required", "schema"];
const RESPONSE_FIELDS: &[&str] = &["description", "schema", "headers", "examples"];
const HEADER_FIELDS: &[&str] = &["description", "collectionFormat"];
const LOCATIONS: &str = "query, header, path, body, formData";

/// Converts a Swagger 2.0 document into its OpenAPI 3.0 form. `file` only names the input in errors.
pub fn swagger2_to_openapi3(file: &str, swagger: Value) -> Result<Value, Error> {
    let doc = swagger
        .as_object()
        .ok_or_else(|| Error::new(file, "", "expected a JSON object at the top level"))?;
    let cx = Cx::new(file, doc)?;
    cx.document()
}

/// What the whole document contributes to every conversion: defaults and the global parameters.
struct Cx<'a> {
    file: &'a str,
    doc: &'a Object,
    consumes: Vec<String>,
    produces: Vec<String>,
}

/// One parameter of an operation, as written (`raw`, maybe a `$ref`) and resolved.
struct ParamEntry<'a> {
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
    fn new(file: &'a str, doc: &'a Object) -> Result<Self, Error> {
        let mut cx = Cx {
            file,
            doc,
            consumes: Vec::new(),
            produces: Vec::new(),
        };
        cx.consumes = cx.media_types(doc.get("consumes"), "/consumes")?.unwrap_or_default();
        cx.produces = cx.media_types(doc.get("produces"), "/produces")?.unwrap_or_default();
        for list in [&mut cx.consumes, &mut cx.produces] {
            if list.is_empty() {
                list.push(DEFAULT_MEDIA_TYPE.to_owned());
            }
        }
        Ok(cx)
    }

    fn err(&self, pointer: &str, message: impl Into<String>) -> Error {
        Error::new(self.file, pointer, message)
    }

    fn object<'v>(&self, value: &'v Value, pointer: &str) -> Result<&'v Object, Error> {
        value.as_object().ok_or_else(|| self.err(pointer, "expected an object"))
    }

    fn string<'v>(&self, obj: &'v Object, field: &str, pointer: &str) -> Result<&'v str, Error> {
        match obj.get(field) {
            Some(Value::String(s)) => Ok(s),
            Some(_) => Err(self.err(&push_pointer(pointer, field), "expected a string")),
            None => Err(self.err(pointer, format!("expected a string \"{field}\""))),
        }
    }

    fn media_types(&self, value: Option<&Value>, pointer: &str) -> Result<Option<Vec<String>>, Error> {
        let Some(value) = value else { return Ok(None) };
        let list = value
            .as_array()
            .and_then(|items| {
                items
                    .iter()
                    .map(|v| v.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
            })
            .ok_or_else(|| self.err(pointer, "expected an array of media type strings"))?;
        Ok(Some(list))
    }

    /// Fails on a field that is neither in `known` nor an extension.
    fn check_fields(&self, obj: &Object, known: &[&[&str]], what: &str, pointer: &str) -> Result<(), Error> {
        for key in obj.keys() {
            if !key.starts_with("x-") && !known.iter().any(|set| set.contains(&key.as_str())) {
                return Err(self.err(
                    &push_pointer(pointer, key),
                    format!("unexpected field \"{key}\" in {what}"),
                ));
            }
        }
        Ok(())
    }

    fn document(&self) -> Result<Value, Error> {
        self.check_fields(self.doc, &[DOCUMENT_FIELDS], "a Swagger 2.0 document", "")?;
        let mut out = Object::new();
        out.insert("openapi".into(), OPENAPI_VERSION.into());
        let info = self
            .doc
            .get("info")
            .ok_or_else(|| self.err("", "expected an \"info\" object"))?;
        out.insert("info".into(), info.clone());
        let servers = self.servers()?;
        if !servers.is_empty() {
            out.insert("servers".into(), Value::Array(servers));
        }
        for key in ["security", "tags", "externalDocs"] {
            if let Some(value) = self.doc.get(key) {
                out.insert(key.into(), value.clone());
            }
        }
        let paths = self
            .doc
            .get("paths")
            .ok_or_else(|| self.err("", "expected a \"paths\" object"))?;
        out.insert("paths".into(), self.paths(paths, "/paths")?);
        let components = self.components()?;
        if !components.is_empty() {
            out.insert("components".into(), Value::Object(components));
        }
        for (key, value) in self.doc.iter().filter(|(key, _)| key.starts_with("x-")) {
            let pointer = push_pointer("", key);
            let value = match key.as_str() {
                "x-ms-paths" => self.paths(value, &pointer)?,
                "x-ms-parameterized-host" => self.parameterized_host(value, &pointer)?,
                _ => self.extension(value),
            };
            out.insert(key.clone(), value);
        }
        Ok(Value::Object(out))
    }

    fn servers(&self) -> Result<Vec<Value>, Error> {
        let base_path = match self.doc.get("basePath") {
            Some(Value::String(s)) => s.trim_end_matches('/'),
            Some(_) => return Err(self.err("/basePath", "expected a string")),
            None => "",
        };
        let schemes = match self.doc.get("schemes") {
            Some(value) => self.media_types(Some(value), "/schemes")?.unwrap_or_default(),
            None => Vec::new(),
        };
        let schemes = if schemes.is_empty() {
            vec!["https".to_owned()]
        } else {
            schemes
        };

        if let Some(host) = self.doc.get("x-ms-parameterized-host") {
            let pointer = "/x-ms-parameterized-host";
            let host = self.object(host, pointer)?;
            let template = self.string(host, "hostTemplate", pointer)?;
            let scheme_prefix = match host.get("useSchemePrefix") {
                Some(Value::Bool(b)) => *b,
                Some(_) => return Err(self.err(&push_pointer(pointer, "useSchemePrefix"), "expected a boolean")),
                None => true,
            };
            let url = if scheme_prefix {
                format!("{}://{template}{base_path}", schemes[0])
            } else {
                format!("{template}{base_path}")
            };
            let mut variables = Object::new();
            let params_pointer = push_pointer(pointer, "parameters");
            for (i, param) in self.array(host.get("parameters"), &params_pointer)?.iter().enumerate() {
                let (param, at) = self.resolve_param(param, &push_pointer(&params_pointer, &i.to_string()))?;
                let name = self.string(param, "name", &at)?;
                let mut variable = Object::new();
                let default = param.get("default").map(scalar_text).unwrap_or_default();
                variable.insert("default".into(), default.into());
                if let Some(description) = param.get("description") {
                    variable.insert("description".into(), description.clone());
                }
                if let Some(Value::Array(values)) = param.get("enum") {
                    variable.insert(
                        "enum".into(),
                        values.iter().map(|v| Value::from(scalar_text(v))).collect(),
                    );
                }
                variables.insert(name.to_owned(), Value::Object(variable));
            }
            let mut server = Object::new();
            server.insert("url".into(), url.into());
            if !variables.is_empty() {
                server.insert("variables".into(), Value::Object(variables));
            }
            return Ok(vec![Value::Object(server)]);
        }
        if let Some(host) = self.doc.get("host") {
            let host = host.as_str().ok_or_else(|| self.err("/host", "expected a string"))?;
            return Ok(schemes
                .iter()
                .map(|scheme| json!({ "url": format!("{scheme}://{host}{base_path}") }))
                .collect());
        }
        if !base_path.is_empty() {
            return Ok(vec![json!({ "url": base_path })]);
        }
        Ok(Vec::new())
    }

    /// The `x-ms-parameterized-host` extension with its parameters in OpenAPI 3.0 form.
    fn parameterized_host(&self, value: &Value, pointer: &str) -> Result<Value, Error> {
        let host = self.object(value, pointer)?;
        let mut out = Object::new();
        for (key, value) in host {
            let value = if key == "parameters" {
                let params_pointer = push_pointer(pointer, key);
                let mut params = Vec::new();
                for (i, param) in self.array(Some(value), &params_pointer)?.iter().enumerate() {
                    let at = push_pointer(&params_pointer, &i.to_string());
                    params.push(if param.get("$ref").is_some() {
                        self.reference(param, &at)?
                    } else {
                        self.parameter(self.object(param, &at)?, &at)?
                    });
                }
                Value::Array(params)
            } else {
                self.extension(value)
            };
            out.insert(key.clone(), value);
        }
        Ok(Value::Object(out))
    }

    fn array<'v>(&self, value: Option<&'v Value>, pointer: &str) -> Result<&'v [Value], Error> {
        match value {
            None => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(_) => Err(self.err(pointer, "expected an array")),
        }
    }

    fn components(&self) -> Result<Object, Error> {
        let mut components = Object::new();
        let mut schemas = Object::new();
        if let Some(definitions) = self.doc.get("definitions") {
            for (name, schema) in self.object(definitions, "/definitions")? {
                schemas.insert(name.clone(), self.schema(schema, &push_pointer("/definitions", name))?);
            }
        }
        let mut parameters = Object::new();
        let mut bodies = Object::new();
        if let Some(globals) = self.doc.get("parameters") {
            for (name, param) in self.object(globals, "/parameters")? {
                let pointer = push_pointer("/parameters", name);
                let param = self.object(param, &pointer)?;
                match self.location(param, &pointer)? {
                    "body" => {
                        bodies.insert(name.clone(), self.body(param, &self.consumes, &pointer)?);
                    }
                    // OpenAPI 3.0 has no formData parameter component; they are inlined where used.
                    "formData" => {}
                    _ => {
                        parameters.insert(name.clone(), self.parameter(param, &pointer)?);
                    }
                }
            }
        }
        let mut responses = Object::new();
        if let Some(globals) = self.doc.get("responses") {
            for (name, response) in self.object(globals, "/responses")? {
                let pointer = push_pointer("/responses", name);
                responses.insert(name.clone(), self.response(response, &self.produces, &pointer)?);
            }
        }
        let mut schemes = Object::new();
        if let Some(definitions) = self.doc.get("securityDefinitions") {
            for (name, scheme) in self.object(definitions, "/securityDefinitions")? {
                let pointer = push_pointer("/securityDefinitions", name);
                schemes.insert(name.clone(), self.security_scheme(scheme, &pointer)?);
            }
        }
        for (key, map) in [
            ("schemas", schemas),
            ("responses", responses),
            ("parameters", parameters),
            ("requestBodies", bodies),
            ("securitySchemes", schemes),
        ] {
            if !map.is_empty() {
                components.insert(key.into(), Value::Object(map));
            }
        }
        Ok(components)
    }

    fn security_scheme(&self, value: &Value, pointer: &str) -> Result<Value, Error> {
        let scheme = self.object(value, pointer)?;
        let mut out = Object::new();
        match self.string(scheme, "type", pointer)? {
            "basic" => {
                out.insert("type".into(), "http".into());
                out.insert("scheme".into(), "basic".into());
            }
            "apiKey" => {
                out.insert("type".into(), "apiKey".into());
                out.insert("name".into(), self.string(scheme, "name", pointer)?.into());
                let location = self.string(scheme, "in", pointer)?;
                if location != "query" && location != "header" {
                    return Err(self.err(
                        &push_pointer(pointer, "in"),
                        "expected \"in\" to be one of query, header",
                    ));
                }
                out.insert("in".into(), location.into());
            }
            "oauth2" => {
                let scopes = scheme.get("scopes").cloned().unwrap_or_else(|| json!({}));
                let url = |field: &str| self.string(scheme, field, pointer).map(Value::from);
                let (flow, mut fields) = match self.string(scheme, "flow", pointer)? {
                    "implicit" => ("implicit", vec![("authorizationUrl", url("authorizationUrl")?)]),
                    "password" => ("password", vec![("tokenUrl", url("tokenUrl")?)]),
                    "application" => ("clientCredentials", vec![("tokenUrl", url("tokenUrl")?)]),
                    "accessCode" => (
                        "authorizationCode",
                        vec![
                            ("authorizationUrl", url("authorizationUrl")?),
                            ("tokenUrl", url("tokenUrl")?),
                        ],
                    ),
                    _ => {
                        return Err(self.err(
                            &push_pointer(pointer, "flow"),
                            "expected \"flow\" to be one of implicit, password, application, accessCode",
                        ))
                    }
                };
                fields.push(("scopes", scopes));
                let flow_object: Object = fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
                out.insert("type".into(), "oauth2".into());
                out.insert("flows".into(), json!({ flow: flow_object }));
            }
            _ => {
                return Err(self.err(
                    &push_pointer(pointer, "type"),
                    "expected \"type\" to be one of basic, apiKey, oauth2",
                ))
            }
        }
        if let Some(description) = scheme.get("description") {
            out.insert("description".into(), description.clone());
        }
        self.copy_extensions(scheme, &mut out);
        Ok(Value::Object(out))
    }

    fn paths(&self, value: &'a Value, pointer: &str) -> Result<Value, Error> {
        let mut out = Object::new();
        for (path, item) in self.object(value, pointer)? {
            let value = if path.starts_with("x-") {
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

    fn path_item(&self, value: &'a Value, pointer: &str) -> Result<Value, Error> {
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
            } else if key.starts_with("x-") {
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
    fn resolve_param<'v>(&self, value: &'v Value, pointer: &str) -> Result<(&'v Object, String), Error>
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
        let name = unescape(name);
        let target = self.doc.get("parameters").and_then(|globals| globals.get(&name));
        let target = target.ok_or_else(|| self.err(pointer, format!("$ref \"{reference}\" does not resolve")))?;
        let at = push_pointer("/parameters", &name);
        Ok((self.object(target, &at)?, at))
    }

    fn location<'v>(&self, param: &'v Object, pointer: &str) -> Result<&'v str, Error> {
        match param.get("in").and_then(Value::as_str) {
            Some(location @ ("query" | "header" | "path" | "body" | "formData")) => Ok(location),
            _ => Err(self.err(pointer, format!("expected \"in\" to be one of {LOCATIONS}"))),
        }
    }

    fn param_entries(&self, value: Option<&'a Value>, pointer: &str) -> Result<Vec<ParamEntry<'a>>, Error> {
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

    fn operation(&self, value: &'a Value, shared: &[ParamEntry<'a>], pointer: &str) -> Result<Value, Error> {
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
        let overridden = |e: &ParamEntry| own.iter().any(|o| o.name == e.name && o.location == e.location);
        let merged: Vec<&ParamEntry> = shared.iter().filter(|e| !overridden(e)).chain(own.iter()).collect();

        let mut parameters = Vec::new();
        let mut body: Option<(usize, &ParamEntry)> = None;
        let mut form = Vec::new();
        for (index, entry) in merged.iter().enumerate() {
            match entry.location {
                "body" if body.is_some() => return Err(self.err(&entry.pointer, "more than one body parameter")),
                "body" => body = Some((index, entry)),
                "formData" => form.push(*entry),
                _ if entry.is_ref() => parameters.push(self.reference(entry.raw, &entry.pointer)?),
                _ => parameters.push(self.parameter(entry.resolved, &entry.resolved_pointer)?),
            }
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
            out.insert("x-ms-requestBody-index".into(), index.into());
        }
        Ok(Value::Object(out))
    }

    /// A non-body parameter in OpenAPI 3.0 form.
    fn parameter(&self, param: &Object, pointer: &str) -> Result<Value, Error> {
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
                (_, "tsv") => {
                    return Err(self.err(
                        &format_pointer,
                        "collectionFormat \"tsv\" has no OpenAPI 3.0 equivalent",
                    ))
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

    /// The schema of a non-body parameter, header or items object: its value fields, with `x-ms-enum`
    /// and `x-nullable` copied in. `items` objects keep all their extensions.
    fn value_schema(&self, obj: &Object, pointer: &str) -> Result<Value, Error> {
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
        if obj.get("x-nullable") == Some(&Value::Bool(true)) {
            schema.insert("nullable".into(), true.into());
        }
        for key in ["x-ms-enum", "x-nullable"] {
            if let Some(value) = obj.get(key) {
                schema.insert(key.into(), value.clone());
            }
        }
        Ok(Value::Object(schema))
    }

    /// The request body for an `in: body` parameter.
    fn body(&self, param: &Object, consumes: &[String], pointer: &str) -> Result<Value, Error> {
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
            "x-ms-requestBody-name".into(),
            self.string(param, "name", pointer)?.into(),
        );
        self.copy_extensions(param, &mut out);
        Ok(Value::Object(out))
    }

    /// The request body for an operation's `in: formData` parameters.
    fn form(&self, params: &[&ParamEntry], consumes: &[String]) -> Result<Value, Error> {
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

    fn responses(&self, value: &Value, produces: &[String], pointer: &str) -> Result<Value, Error> {
        let mut out = Object::new();
        for (code, response) in self.object(value, pointer)? {
            let at = push_pointer(pointer, code);
            let value = if code.starts_with("x-") {
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

    fn response(&self, value: &Value, produces: &[String], pointer: &str) -> Result<Value, Error> {
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

    fn header(&self, header: &Object, pointer: &str) -> Result<Value, Error> {
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
    fn schema(&self, value: &Value, pointer: &str) -> Result<Value, Error> {
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
                "x-nullable" => {
                    if value == &Value::Bool(true) {
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
                _ if key.starts_with("x-") => self.extension(value),
                _ => value.clone(),
            };
            out.insert(key.clone(), value);
        }
        if is_file {
            out.insert("format".into(), "binary".into());
        }
        Ok(Value::Object(out))
    }

    /// A `$ref` object (possibly with siblings) with the reference rewritten.
    fn reference(&self, value: &Value, pointer: &str) -> Result<Value, Error> {
        let mut out = self.object(value, pointer)?.clone();
        let reference = out
            .get("$ref")
            .and_then(Value::as_str)
            .ok_or_else(|| self.err(pointer, "expected \"$ref\" to be a string"))?;
        let rewritten = self.rewrite_ref(reference, pointer)?;
        out.insert("$ref".into(), rewritten.into());
        Ok(Value::Object(out))
    }

    fn rewrite_ref(&self, reference: &str, pointer: &str) -> Result<String, Error> {
        match self.try_rewrite_ref(reference) {
            Ok(rewritten) => Ok(rewritten),
            Err(message) => Err(self.err(pointer, message)),
        }
    }

    /// `#/definitions/X` → `#/components/schemas/X`, `#/parameters/X` → `#/components/parameters/X`
    /// (`requestBodies` for a body parameter), `#/responses/X` → `#/components/responses/X`. References
    /// to other files are left alone (the loader bundles them before this runs).
    fn try_rewrite_ref(&self, reference: &str) -> Result<String, String> {
        if let Some(rest) = reference.strip_prefix("#/definitions/") {
            return Ok(format!("#/components/schemas/{rest}"));
        }
        if let Some(rest) = reference.strip_prefix("#/responses/") {
            return Ok(format!("#/components/responses/{rest}"));
        }
        if let Some(rest) = reference.strip_prefix("#/parameters/") {
            let name = unescape(rest.split('/').next().unwrap_or_default());
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
    fn extension(&self, value: &Value) -> Value {
        match value {
            Value::Object(obj) => Value::Object(
                obj.iter()
                    .map(|(key, value)| {
                        let value = match (key.as_str(), value) {
                            ("x-ms-examples", _) => value.clone(),
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

    fn copy_extensions(&self, from: &Object, to: &mut Object) {
        for (key, value) in from.iter().filter(|(key, _)| key.starts_with("x-")) {
            let value = if key == "x-ms-examples" {
                value.clone()
            } else {
                self.extension(value)
            };
            to.insert(key.clone(), value);
        }
    }
}

/// A scalar as server-variable text (`"azureiotcentral.com"`, `443`, `true`).
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Undoes JSON-pointer escaping of one reference token.
fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}
