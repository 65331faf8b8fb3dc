//! Compares one of our documents with the public document of the same version, walking one of them and
//! looking each item up in the other at the same structural position.

use std::collections::BTreeSet;
use std::fmt::Display;

use serde_json::Value;

use crate::json::{
    all_properties, all_required, definition_ref, enum_extension, parameters, resolve, segment, string_set, subtypes,
    METHODS,
};

/// Which document is walked.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Pass {
    /// Walk ours: every wire fact we state must be stated, the same, by the public document.
    Facts,
    /// Walk the public document: every operation, parameter, response, header, definition, property and
    /// discriminated subtype it has must exist in ours. (Their values are compared by `Facts`.)
    Coverage,
}

/// Parameter keys that are wire facts (`enum` and `x-ms-enum` are compared apart).
const PARAMETER_KEYS: &[&str] = &[
    "type",
    "format",
    "required",
    "default",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "collectionFormat",
    "items",
    "x-ms-skip-url-encoding",
];

/// Schema keys that are wire facts (`enum`, `x-ms-enum`, `readOnly`, `required` and the nested schemas are
/// compared apart).
const SCHEMA_KEYS: &[&str] = &[
    "type",
    "format",
    "discriminator",
    "x-ms-discriminator-value",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
];

const MERGE_PATCH: &str = "application/merge-patch+json";

pub struct Checker<'a> {
    /// The version: our document is `specs/iotcentral/<version>.json`.
    version: &'a str,
    pass: Pass,
    /// The walked document and the other one.
    here: &'a Value,
    there: &'a Value,
    /// Parameters ours may have beyond the public document: (version, operationId, name, why).
    extra_parameters: &'a [(&'a str, &'a str, &'a str, &'a str)],
    /// (pointer here, pointer there) of definitions already compared, so each pair is walked once.
    compared: BTreeSet<(String, String)>,
    mismatches: Vec<String>,
}

impl<'a> Checker<'a> {
    pub fn new(version: &'a str, pass: Pass, ours: &'a Value, public: &'a Value) -> Self {
        let (here, there) = match pass {
            Pass::Facts => (ours, public),
            Pass::Coverage => (public, ours),
        };
        Checker { version, pass, here, there, extra_parameters: &[], compared: BTreeSet::new(), mismatches: Vec::new() }
    }

    pub fn allow_extra_parameters(mut self, extra: &'a [(&'a str, &'a str, &'a str, &'a str)]) -> Self {
        self.extra_parameters = extra;
        self
    }

    /// Walks the whole document; returns one line per mismatch, naming the item by its JSON pointer in the
    /// walked document.
    pub fn check(mut self) -> Vec<String> {
        let here = self.here;
        if self.pass == Pass::Facts {
            if here["basePath"] != "/api" {
                self.report("document", "/basePath", "must be \"/api\"");
            }
            for key in ["basePath", "schemes", "consumes", "produces"] {
                self.differs("document", &format!("/{key}"), key, here.get(key), self.there.get(key));
            }
        }
        self.host();
        for name in here["definitions"].as_object().into_iter().flatten().map(|(name, _)| name) {
            let (context, pointer) = (format!("definition {name}"), format!("/definitions/{name}"));
            if self.there["definitions"].get(name).is_none() {
                self.missing(&context, &pointer, format!("definition {name}"));
            } else {
                self.schema(&context, &definition_ref(name), &definition_ref(name), pointer);
            }
        }
        for (path, item) in here["paths"].as_object().into_iter().flatten() {
            for method in METHODS.iter().filter(|m| item.get(**m).is_some()) {
                self.operation(path, method);
            }
        }
        self.mismatches
    }

    fn is_allowed_extra(&self, id: &str, name: &str) -> bool {
        self.extra_parameters.iter().any(|&(version, op, param, _why)| (version, op, param) == (self.version, id, name))
    }

    fn report(&mut self, context: &str, pointer: &str, what: impl Display) {
        let document = match self.pass {
            Pass::Facts => format!("specs/iotcentral/{}.json", self.version),
            Pass::Coverage => format!("public {}/iotcentral.json", self.version),
        };
        self.mismatches.push(format!("{document}: {context}: {pointer}: {what}"));
    }

    /// An item of the walked document has no counterpart in the other one.
    fn missing(&mut self, context: &str, pointer: &str, what: impl Display) {
        let version = self.version;
        match self.pass {
            Pass::Facts => self.report(context, pointer, format!("{what} is not in the public document")),
            Pass::Coverage => {
                self.report(context, pointer, format!("{what} is missing from specs/iotcentral/{version}.json"))
            }
        }
    }

    /// Values are compared once, in the `Facts` pass, where `here` is ours (the `Coverage` pass would report
    /// the same).
    fn differs(&mut self, context: &str, pointer: &str, key: &str, here: Option<&Value>, there: Option<&Value>) {
        if self.pass == Pass::Facts && here != there {
            let show = |v: Option<&Value>| v.map_or("(absent)".to_string(), Value::to_string);
            let what = format!("`{key}` is {} here but {} in the public document", show(here), show(there));
            self.report(context, pointer, what);
        }
    }

    fn host(&mut self) {
        let context = "x-ms-parameterized-host";
        let (here_doc, there_doc) = (self.here, self.there);
        let (here, there) = (&here_doc[context], &there_doc[context]);
        for key in ["hostTemplate", "useSchemePrefix"] {
            self.differs(context, "/x-ms-parameterized-host", key, here.get(key), there.get(key));
        }
        let there_params: Vec<&Value> = there["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| resolve(there_doc, p, String::new()).1)
            .collect();
        // Compared by name: the order only decides the order of the generated client's arguments.
        for (i, raw) in here["parameters"].as_array().into_iter().flatten().enumerate() {
            let pointer = format!("/x-ms-parameterized-host/parameters/{i}");
            let param = resolve(here_doc, raw, pointer.clone()).1;
            match there_params.iter().find(|p| p["name"] == param["name"]) {
                None => self.missing(context, &pointer, format!("host parameter {}", param["name"])),
                Some(p) => {
                    for key in
                        ["in", "type", "required", "default", "x-ms-parameter-location", "x-ms-skip-url-encoding"]
                    {
                        self.differs(context, &pointer, key, param.get(key), p.get(key));
                    }
                }
            }
        }
    }

    fn operation(&mut self, path: &str, method: &str) {
        let (here, there) = (self.here, self.there);
        let op = &here["paths"][path][method];
        let pointer = format!("/paths/{}/{method}", segment(path));
        let id = op["operationId"].as_str().unwrap_or("(no operationId)").to_string();
        let Some(other) = there["paths"].get(path).and_then(|item| item.get(method)) else {
            return self.missing(&id, &pointer, format!("operation {} {path}", method.to_uppercase()));
        };
        for key in ["operationId", "x-ms-pageable", "x-ms-long-running-operation", "produces"] {
            self.differs(&id, &pointer, key, op.get(key), other.get(key));
        }
        if method == "patch" {
            self.merge_patch(&id, path, &pointer);
        } else {
            self.differs(&id, &pointer, "consumes", op.get("consumes"), other.get("consumes"));
        }

        let other_params: Vec<&Value> = parameters(there, path, method).into_iter().map(|(_, p)| p).collect();
        for (param_pointer, param) in parameters(here, path, method) {
            let (name, location) =
                (param["name"].as_str().unwrap_or_default(), param["in"].as_str().unwrap_or_default());
            match other_params.iter().find(|p| p["name"] == name && p["in"] == location) {
                Some(other_param) => self.parameter(&id, &param_pointer, param, other_param),
                None if self.pass == Pass::Facts && self.is_allowed_extra(&id, name) => {}
                None => self.missing(&id, &param_pointer, format!("parameter `{name}` in {location}")),
            }
        }

        for (status, response) in op["responses"].as_object().into_iter().flatten() {
            let response_pointer = format!("{pointer}/responses/{status}");
            let Some(other_response) = other["responses"].get(status) else {
                self.missing(&id, &response_pointer, format!("response {status}"));
                continue;
            };
            for (header, spec) in response["headers"].as_object().into_iter().flatten() {
                let header_pointer = format!("{response_pointer}/headers/{}", segment(header));
                match other_response["headers"].get(header) {
                    None => self.missing(&id, &header_pointer, format!("header {header}")),
                    Some(other_spec) => {
                        self.differs(&id, &header_pointer, "type", spec.get("type"), other_spec.get("type"))
                    }
                }
            }
            match (response.get("schema"), other_response.get("schema")) {
                (Some(schema), Some(other_schema)) => {
                    self.schema(&id, schema, other_schema, format!("{response_pointer}/schema"))
                }
                (None, None) => {}
                (Some(_), None) => self.missing(&id, &response_pointer, "the response body"),
                (None, Some(_)) => self.differs(&id, &response_pointer, "schema", None, other_response.get("schema")),
            }
        }
    }

    /// A PATCH is a JSON merge patch of a bare object, as in the public documents — which list
    /// `application/json` first (or no content type at all in 1.0), so clients would send that; the
    /// service applies merge-patch semantics, so ours declare the merge-patch type only.
    fn merge_patch(&mut self, id: &str, path: &str, pointer: &str) {
        if self.pass == Pass::Coverage {
            return;
        }
        let merge_patch_only = self.here["paths"][path]["patch"]["consumes"] == serde_json::json!([MERGE_PATCH]);
        let bare_object = parameters(self.here, path, "patch")
            .iter()
            .any(|(_, p)| p["in"] == "body" && p["schema"] == serde_json::json!({"type": "object"}));
        if !merge_patch_only || !bare_object {
            self.report(
                id,
                pointer,
                "a PATCH must consume only application/merge-patch+json, with a bare object body schema",
            );
        }
    }

    fn parameter(&mut self, id: &str, pointer: &str, param: &Value, other: &Value) {
        if self.pass == Pass::Facts && param["in"] == "query" && param["name"] == "api-version" {
            self.api_version(id, pointer, param, other);
        } else if self.pass == Pass::Facts {
            for key in PARAMETER_KEYS {
                self.differs(id, pointer, key, param.get(*key), other.get(*key));
            }
            if string_set(param.get("enum")) != string_set(other.get("enum")) {
                self.differs(id, pointer, "enum", param.get("enum"), other.get("enum"));
            }
            let (e, other_e) = (enum_extension(param.get("x-ms-enum")), enum_extension(other.get("x-ms-enum")));
            self.differs(id, pointer, "x-ms-enum", e.as_ref(), other_e.as_ref());
        }
        if param["in"] == "body" {
            self.schema(id, &param["schema"], &other["schema"], format!("{pointer}/schema"));
        }
    }

    /// Our api-version is a constant: the document's version, as the only value and the default. The public
    /// documents declare a free string (1.0 with the version as default).
    fn api_version(&mut self, id: &str, pointer: &str, ours: &Value, public: &Value) {
        for key in ["type", "required"] {
            self.differs(id, pointer, key, ours.get(key), public.get(key));
        }
        let version = Value::String(self.version.to_string());
        let constant = ours["enum"] == Value::Array(vec![version.clone()]) && ours["default"] == version;
        let public_agrees = public.get("default").is_none_or(|d| *d == version)
            && public.get("enum").is_none_or(|e| e.as_array().is_some_and(|e| e.contains(&version)));
        if !constant || !public_agrees {
            let what = format!("api-version must be the constant {version} (the only `enum` value and the `default`)");
            self.report(id, pointer, what);
        }
    }

    /// Compares two schemas at the same structural position, following `$ref`, `allOf`, items, properties and
    /// discriminated subtypes.
    fn schema(&mut self, context: &str, here_raw: &Value, there_raw: &Value, pointer: String) {
        let read_only = |v: &Value| Some(Value::Bool(v.get("readOnly").and_then(Value::as_bool).unwrap_or(false)));
        self.differs(context, &pointer, "readOnly", read_only(here_raw).as_ref(), read_only(there_raw).as_ref());

        let (here_doc, there_doc) = (self.here, self.there);
        let (pointer, here) = resolve(here_doc, here_raw, pointer);
        let (there_pointer, there) = resolve(there_doc, there_raw, String::new());
        let both_refs = here_raw.get("$ref").is_some() && there_raw.get("$ref").is_some();
        if both_refs && !self.compared.insert((pointer.clone(), there_pointer.clone())) {
            return;
        }
        for key in SCHEMA_KEYS {
            self.differs(context, &pointer, key, here.get(*key), there.get(*key));
        }
        if string_set(here.get("enum")) != string_set(there.get("enum")) {
            self.differs(context, &pointer, "enum", here.get("enum"), there.get("enum"));
        }
        let (e, there_e) = (enum_extension(here.get("x-ms-enum")), enum_extension(there.get("x-ms-enum")));
        self.differs(context, &pointer, "x-ms-enum", e.as_ref(), there_e.as_ref());
        for key in ["items", "additionalProperties"] {
            match (here.get(key), there.get(key)) {
                (Some(h), Some(t)) if h.is_object() && t.is_object() => {
                    self.schema(context, h, t, format!("{pointer}/{key}"))
                }
                (h, t) => self.differs(context, &pointer, key, h, t),
            }
        }
        let (here_parents, there_parents) = (here["allOf"].as_array(), there["allOf"].as_array());
        if here_parents.map(Vec::len) != there_parents.map(Vec::len) {
            self.differs(context, &pointer, "allOf", here.get("allOf"), there.get("allOf"));
        } else {
            let pairs = here_parents.into_iter().flatten().zip(there_parents.into_iter().flatten());
            for (i, (h, t)) in pairs.enumerate() {
                self.schema(context, h, t, format!("{pointer}/allOf/{i}"));
            }
        }
        let there_properties = all_properties(there_doc, there);
        for (name, property) in here["properties"].as_object().into_iter().flatten() {
            let property_pointer = format!("{pointer}/properties/{}", segment(name));
            match there_properties.get(name) {
                None => self.missing(context, &property_pointer, format!("property `{name}`")),
                Some(p) => self.schema(context, property, p, property_pointer),
            }
        }
        let (required, there_required) = (all_required(here_doc, here), all_required(there_doc, there));
        if required != there_required && self.pass == Pass::Facts {
            let what = format!("required {required:?} here but {there_required:?} in the public document");
            self.report(context, &pointer, what);
        }
        if here.get("discriminator").is_some() && here_raw.get("$ref").is_some() {
            self.subtypes(context, &pointer, &there_pointer);
        }
    }

    /// Each subtype of a discriminated base must be a subtype of the other base with the same discriminator
    /// value (the one of the same name first: two public tile subtypes share the value `command`).
    fn subtypes(&mut self, context: &str, pointer: &str, there_pointer: &str) {
        let there_children = subtypes(self.there, there_pointer);
        for (name, child) in subtypes(self.here, pointer) {
            let value = &child["x-ms-discriminator-value"];
            let child_pointer = format!("/definitions/{name}");
            let same_value = |c: &Value| &c["x-ms-discriminator-value"] == value;
            // A subtype without a value of its own is matched by name only.
            let found = there_children
                .iter()
                .find(|(n, c)| *n == name && same_value(c))
                .or_else(|| there_children.iter().find(|(_, c)| !value.is_null() && same_value(c)));
            match found {
                None => self.missing(context, &child_pointer, format!("subtype {name} (discriminator value {value})")),
                Some((there_name, _)) => {
                    self.schema(context, &definition_ref(name), &definition_ref(there_name), child_pointer)
                }
            }
        }
    }
}
