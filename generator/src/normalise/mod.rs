//! Swagger 2.0 → OpenAPI 3.0, as a pure `serde_json::Value` transform, and parsing the result.
//!
//! `operations` converts paths, operations and parameters; `schemas` converts schemas, responses,
//! headers, `$ref`s and extensions; this module the document, servers, components and security;
//! `parse` deserialises the result into `openapiv3::OpenAPI`.
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

use std::cell::RefCell;
use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::error::Error;
use crate::extensions;
use crate::json::push_pointer;
use crate::load::{Dialect, Document};

mod operations;
mod parse;
mod schemas;

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

/// A document in OpenAPI 3.0 form, and the dialect it was written in.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenApiDocument {
    /// The input file as the user named it.
    pub file: String,
    pub dialect: Dialect,
    pub value: Value,
    /// Where converted parameters and bodies were written in the user's document.
    pub sources: SourcePointers,
}

/// Pointers into the converted document that have no counterpart of the same shape in the Swagger 2.0
/// document, mapped to where the user wrote them: an operation's merged parameter list
/// (`…/get/parameters/2`, which may be a path-item or global parameter) and its request body (the
/// `in: body` parameter). Schemas and responses keep their shape, so their pointers need no map.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourcePointers(BTreeMap<String, String>);

impl SourcePointers {
    /// Where the member at `pointer` of the converted document was written: a recorded pointer, or
    /// `pointer` itself.
    pub fn source(&self, pointer: &str) -> String {
        self.0.get(pointer).cloned().unwrap_or_else(|| pointer.to_string())
    }

    fn record(&mut self, converted: String, source: String) {
        self.0.insert(converted, source);
    }
}

/// Brings a loaded document into OpenAPI 3.0 form: Swagger 2.0 is converted, OpenAPI 3.0 passes
/// through.
pub fn normalise(doc: Document) -> Result<OpenApiDocument, Error> {
    let (value, sources) = match doc.dialect {
        Dialect::Swagger2 => convert(&doc.file, &doc.value)?,
        Dialect::OpenApi3 => (doc.value, SourcePointers::default()),
    };
    Ok(OpenApiDocument { file: doc.file, dialect: doc.dialect, value, sources })
}

/// Converts a Swagger 2.0 document into its OpenAPI 3.0 form. `file` only names the input in errors.
pub fn swagger2_to_openapi3(file: &str, swagger: Value) -> Result<Value, Error> {
    convert(file, &swagger).map(|(value, _)| value)
}

fn convert(file: &str, swagger: &Value) -> Result<(Value, SourcePointers), Error> {
    let doc = swagger
        .as_object()
        .ok_or_else(|| Error::new(file, "", "expected a JSON object at the top level"))?;
    let cx = Cx::new(file, doc)?;
    let value = cx.document()?;
    Ok((value, cx.sources.into_inner()))
}

/// What the whole document contributes to every conversion: defaults and the global parameters.
struct Cx<'a> {
    file: &'a str,
    doc: &'a Object,
    consumes: Vec<String>,
    produces: Vec<String>,
    sources: RefCell<SourcePointers>,
}

impl<'a> Cx<'a> {
    fn new(file: &'a str, doc: &'a Object) -> Result<Self, Error> {
        let mut cx = Cx {
            file,
            doc,
            consumes: Vec::new(),
            produces: Vec::new(),
            sources: RefCell::default(),
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
            if !extensions::is_extension(key) && !known.iter().any(|set| set.contains(&key.as_str())) {
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
        for (key, value) in self.doc.iter().filter(|(key, _)| extensions::is_extension(key)) {
            let pointer = push_pointer("", key);
            let value = match key.as_str() {
                extensions::PATHS => self.paths(value, &pointer)?,
                extensions::PARAMETERIZED_HOST => self.parameterized_host()?.unwrap_or(Value::Null),
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

        if let Some(host) = extensions::parameterized_host(self.file, self.doc)? {
            let template = host.host_template;
            let url = if host.use_scheme_prefix {
                format!("{}://{template}{base_path}", schemes[0])
            } else {
                format!("{template}{base_path}")
            };
            let mut variables = Object::new();
            let params_pointer = extensions::ParameterizedHost::parameters_pointer();
            for (i, param) in host.parameters.iter().enumerate() {
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
    fn parameterized_host(&self) -> Result<Option<Value>, Error> {
        let Some(host) = extensions::parameterized_host(self.file, self.doc)? else { return Ok(None) };
        let convert = |param: &Value, at: &str| {
            if param.get("$ref").is_some() {
                self.reference(param, at)
            } else {
                self.parameter(self.object(param, at)?, at)
            }
        };
        host.rewrite(convert, |value| self.extension(value)).map(Some)
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
}

/// A scalar as server-variable text (`"azureiotcentral.com"`, `443`, `true`).
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
