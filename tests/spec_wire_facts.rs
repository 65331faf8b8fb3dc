//! Our IoT Central documents (`specs/iotcentral/*.json`) are written by hand from the how-to guides. Every wire
//! fact they state — paths, methods, operationIds, parameters, property names and JSON types, required lists,
//! readOnly flags, enums, discriminators, host and base path — must also be stated, the same, by the public
//! document of that service version (`../shared/specs/iotcentral/<version>/iotcentral.json`). The prose must not be
//! copied from it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Display;

use iot_rest_tests::{shared_dir, workspace_root};
use serde_json::Value;

/// Our document, and the public version it is checked against (the preview has no public document).
const DOCUMENTS: &[(&str, &str)] = &[
    ("2022-07-31", "2022-07-31"),
    ("1.0", "1.0"),
    ("2022-10-31-preview", "2022-07-31"),
];

/// Parameters our documents may have beyond the public one: (our document, operationId, parameter name).
const ALLOWED_EXTRA_PARAMETERS: &[(&str, &str, &str)] = &[
    ("2022-10-31-preview", "Devices_List", "maxpagesize"),
    ("2022-10-31-preview", "Devices_List", "filter"),
    ("2022-10-31-preview", "Devices_List", "orderby"),
];

const METHODS: &[&str] = &["get", "put", "post", "patch", "delete", "head", "options"];

/// Descriptions at least this long must not be taken verbatim from the public document.
const MIN_COPIED_DESCRIPTION_CHARS: usize = 40;

fn load(path: &std::path::Path) -> Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    // The public documents start with a UTF-8 BOM.
    serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .unwrap_or_else(|e| panic!("parse {}: {e}", path.display()))
}

fn ours(name: &str) -> Value {
    load(
        &workspace_root()
            .join("specs/iotcentral")
            .join(format!("{name}.json")),
    )
}

fn public(version: &str) -> Value {
    load(
        &shared_dir()
            .join("specs/iotcentral")
            .join(version)
            .join("iotcentral.json"),
    )
}

/// Escapes one JSON-pointer segment (RFC 6901).
fn segment(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// Follows local `$ref`s; returns the JSON pointer of the resolved schema and the schema.
fn resolve<'v>(doc: &'v Value, mut schema: &'v Value, mut pointer: String) -> (String, &'v Value) {
    while let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        pointer = reference
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("non-local $ref {reference}"))
            .to_string();
        schema = doc
            .pointer(&pointer)
            .unwrap_or_else(|| panic!("dangling $ref {reference}"));
    }
    (pointer, schema)
}

/// Properties of a schema including those inherited through `allOf`.
fn all_properties<'v>(doc: &'v Value, schema: &'v Value) -> BTreeMap<String, &'v Value> {
    let mut out = BTreeMap::new();
    for parent in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        out.extend(all_properties(doc, resolve(doc, parent, String::new()).1));
    }
    for (name, property) in schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        out.insert(name.clone(), property);
    }
    out
}

/// Required property names of a schema including those inherited through `allOf`.
fn all_required(doc: &Value, schema: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for parent in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        out.extend(all_required(doc, resolve(doc, parent, String::new()).1));
    }
    out.extend(
        schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(String::from),
    );
    out
}

fn string_set(v: Option<&Value>) -> Option<BTreeSet<String>> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().map(|x| x.to_string()).collect())
}

/// A schema that says nothing about its shape (the public PATCH bodies are `{"type": "object"}`).
fn is_free_form(schema: &Value) -> bool {
    [
        "properties",
        "allOf",
        "items",
        "additionalProperties",
        "$ref",
    ]
    .iter()
    .all(|k| schema.get(k).is_none())
        && schema.get("type").is_none_or(|t| t == "object")
}

/// Walks one of our documents and records every wire fact that the public document does not state the same way.
struct Checker<'a> {
    doc: &'a str,
    ours: &'a Value,
    public: &'a Value,
    /// (our pointer, public pointer) pairs of definitions already compared, so each pair is walked once.
    compared: BTreeSet<(String, String)>,
    mismatches: Vec<String>,
}

impl<'a> Checker<'a> {
    fn new(doc: &'a str, ours: &'a Value, public: &'a Value) -> Self {
        Checker {
            doc,
            ours,
            public,
            compared: BTreeSet::new(),
            mismatches: Vec::new(),
        }
    }

    fn report(&mut self, context: &str, pointer: &str, what: impl Display) {
        self.mismatches.push(format!(
            "specs/iotcentral/{}.json: {context}: {pointer}: {what}",
            self.doc
        ));
    }

    fn differs(
        &mut self,
        context: &str,
        pointer: &str,
        key: &str,
        ours: Option<&Value>,
        public: Option<&Value>,
    ) {
        if ours != public {
            let show = |v: Option<&Value>| v.map_or("(absent)".to_string(), Value::to_string);
            self.report(
                context,
                pointer,
                format!(
                    "`{key}` is {} here but {} in the public document",
                    show(ours),
                    show(public)
                ),
            );
        }
    }

    fn check(mut self) -> Vec<String> {
        let (ours, public) = (self.ours, self.public);
        if ours["basePath"] != "/api" {
            self.report("document", "/basePath", "must be \"/api\"");
        }
        for key in ["basePath", "schemes"] {
            self.differs(
                "document",
                &format!("/{key}"),
                key,
                ours.get(key),
                public.get(key),
            );
        }
        self.check_host();
        for name in ours["definitions"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(name, _)| name)
        {
            let reference = serde_json::json!({ "$ref": format!("#/definitions/{name}") });
            if public["definitions"].get(name).is_none() {
                self.report(
                    &format!("definition {name}"),
                    &format!("/definitions/{name}"),
                    "no definition of this name in the public document",
                );
            } else {
                self.schema(
                    &format!("definition {name}"),
                    &reference,
                    &reference,
                    String::new(),
                );
            }
        }
        for (path, item) in ours["paths"].as_object().into_iter().flatten() {
            for method in METHODS.iter().filter(|m| item.get(**m).is_some()) {
                self.operation(path, method);
            }
        }
        self.mismatches
    }

    fn check_host(&mut self) {
        let context = "x-ms-parameterized-host";
        let (ours_doc, public_doc) = (self.ours, self.public);
        let (ours, public) = (&ours_doc[context], &public_doc[context]);
        self.differs(
            context,
            "/x-ms-parameterized-host",
            "hostTemplate",
            ours.get("hostTemplate"),
            public.get("hostTemplate"),
        );
        let public_params: Vec<&Value> = public["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| resolve(public_doc, p, String::new()).1)
            .collect();
        for (i, raw) in ours["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let pointer = format!("/x-ms-parameterized-host/parameters/{i}");
            let param = resolve(ours_doc, raw, pointer.clone()).1;
            match public_params.iter().find(|p| p["name"] == param["name"]) {
                None => self.report(
                    context,
                    &pointer,
                    format!(
                        "host parameter {} is not in the public document",
                        param["name"]
                    ),
                ),
                Some(p) => {
                    for key in [
                        "in",
                        "type",
                        "required",
                        "default",
                        "x-ms-parameter-location",
                    ] {
                        self.differs(context, &pointer, key, param.get(key), p.get(key));
                    }
                }
            }
        }
    }

    fn operation(&mut self, path: &str, method: &str) {
        let (ours, public) = (self.ours, self.public);
        let op = &ours["paths"][path][method];
        let pointer = format!("/paths/{}/{method}", segment(path));
        let id = op["operationId"]
            .as_str()
            .unwrap_or("(no operationId)")
            .to_string();
        let Some(public_op) = public["paths"].get(path).and_then(|item| item.get(method)) else {
            return self.report(
                &id,
                &pointer,
                format!(
                    "{} {path} is not in the public document",
                    method.to_uppercase()
                ),
            );
        };
        self.differs(
            &id,
            &pointer,
            "operationId",
            op.get("operationId"),
            public_op.get("operationId"),
        );
        self.differs(
            &id,
            &pointer,
            "x-ms-pageable",
            op.get("x-ms-pageable"),
            public_op.get("x-ms-pageable"),
        );

        let public_params: Vec<&Value> = parameters(public, path, method)
            .into_iter()
            .map(|(_, p)| p)
            .collect();
        let mut body = None;
        for (param_pointer, param) in parameters(ours, path, method) {
            let (name, location) = (param["name"].as_str().unwrap_or_default(), &param["in"]);
            if location == "body" {
                body = Some(param);
            }
            let Some(public_param) = public_params
                .iter()
                .find(|p| p["name"] == name && &p["in"] == location)
            else {
                if !ALLOWED_EXTRA_PARAMETERS.contains(&(self.doc, id.as_str(), name)) {
                    self.report(
                        &id,
                        &param_pointer,
                        format!("parameter `{name}` in {location} is not in the public document"),
                    );
                }
                continue;
            };
            for key in ["type", "format", "required"] {
                self.differs(
                    &id,
                    &param_pointer,
                    key,
                    param.get(key),
                    public_param.get(key),
                );
            }
            if public_param.get("enum").is_some()
                && string_set(param.get("enum")) != string_set(public_param.get("enum"))
            {
                self.report(
                    &id,
                    &param_pointer,
                    "enum values differ from the public document",
                );
            }
            if location == "body" {
                self.schema(
                    &id,
                    &param["schema"],
                    &public_param["schema"],
                    format!("{param_pointer}/schema"),
                );
            }
        }

        if method == "patch" {
            let merge_patch = op["consumes"]
                .as_array()
                .is_some_and(|c| c.iter().any(|m| m == "application/merge-patch+json"));
            // A bare object, as in the public documents: no `required` list applies to a partial
            // update, and the generator types the body with the patch type of the resource returned.
            let bare_object = body.is_some_and(|b| b["schema"] == serde_json::json!({"type": "object"}));
            if !merge_patch || !bare_object {
                self.report(
                    &id,
                    &pointer,
                    "a PATCH must consume application/merge-patch+json with a bare object body schema",
                );
            }
        }

        for (status, response) in op["responses"].as_object().into_iter().flatten() {
            let response_pointer = format!("{pointer}/responses/{status}");
            let Some(public_response) = public_op["responses"].get(status) else {
                self.report(
                    &id,
                    &response_pointer,
                    "no response with this status in the public document",
                );
                continue;
            };
            for (header, spec) in response["headers"].as_object().into_iter().flatten() {
                let header_pointer = format!("{response_pointer}/headers/{}", segment(header));
                self.differs(
                    &id,
                    &header_pointer,
                    "type",
                    spec.get("type"),
                    public_response["headers"]
                        .get(header)
                        .and_then(|h| h.get("type")),
                );
            }
            match (response.get("schema"), public_response.get("schema")) {
                (Some(schema), Some(public_schema)) => self.schema(
                    &id,
                    schema,
                    public_schema,
                    format!("{response_pointer}/schema"),
                ),
                (None, None) => {}
                (s, _) => self.report(
                    &id,
                    &response_pointer,
                    format!(
                        "body {} here but not in the public document",
                        if s.is_some() { "declared" } else { "missing" }
                    ),
                ),
            }
        }
    }

    /// Compares two schemas at the same structural position, following `$ref`, `allOf`, items, properties and
    /// discriminated subtypes.
    fn schema(&mut self, context: &str, ours_raw: &Value, public_raw: &Value, pointer: String) {
        let read_only = |v: &Value| {
            Some(Value::Bool(
                v.get("readOnly").and_then(Value::as_bool).unwrap_or(false),
            ))
        };
        self.differs(
            context,
            &pointer,
            "readOnly",
            read_only(ours_raw).as_ref(),
            read_only(public_raw).as_ref(),
        );

        let (ours_doc, public_doc) = (self.ours, self.public);
        let (pointer, ours) = resolve(ours_doc, ours_raw, pointer);
        let (public_pointer, public) = resolve(public_doc, public_raw, String::new());
        if ours_raw.get("$ref").is_some()
            && public_raw.get("$ref").is_some()
            && !self
                .compared
                .insert((pointer.clone(), public_pointer.clone()))
        {
            return;
        }
        if is_free_form(public) {
            return;
        }
        for key in [
            "type",
            "format",
            "discriminator",
            "x-ms-discriminator-value",
        ] {
            self.differs(context, &pointer, key, ours.get(key), public.get(key));
        }
        if string_set(ours.get("enum")) != string_set(public.get("enum")) {
            self.report(
                context,
                &pointer,
                "enum values differ from the public document",
            );
        }
        for key in ["items", "additionalProperties"] {
            match (
                ours.get(key).filter(|v| v.is_object()),
                public.get(key).filter(|v| v.is_object()),
            ) {
                (Some(o), Some(p)) => self.schema(context, o, p, format!("{pointer}/{key}")),
                (None, None) => {}
                _ => self.report(
                    context,
                    &pointer,
                    format!("`{key}` present on one side only"),
                ),
            }
        }
        let (ours_parents, public_parents) = (ours["allOf"].as_array(), public["allOf"].as_array());
        if ours_parents.map(Vec::len) != public_parents.map(Vec::len) {
            self.report(
                context,
                &pointer,
                "`allOf` differs from the public document",
            );
        } else {
            for (i, (o, p)) in ours_parents
                .into_iter()
                .flatten()
                .zip(public_parents.into_iter().flatten())
                .enumerate()
            {
                self.schema(context, o, p, format!("{pointer}/allOf/{i}"));
            }
        }
        let public_properties = all_properties(public_doc, public);
        for (name, property) in ours["properties"].as_object().into_iter().flatten() {
            let property_pointer = format!("{pointer}/properties/{}", segment(name));
            match public_properties.get(name) {
                None => self.report(
                    context,
                    &property_pointer,
                    format!(
                        "property `{name}` is not in the public document (at {public_pointer})"
                    ),
                ),
                Some(p) => self.schema(context, property, p, property_pointer),
            }
        }
        let (required, public_required) = (
            all_required(ours_doc, ours),
            all_required(public_doc, public),
        );
        if required != public_required {
            self.report(
                context,
                &pointer,
                format!(
                    "required {required:?} here but {public_required:?} in the public document"
                ),
            );
        }
        if ours.get("discriminator").is_some() && ours_raw.get("$ref").is_some() {
            self.subtypes(context, &pointer, &public_pointer);
        }
    }

    /// Each of our subtypes of a discriminated base must be a subtype of the public base with the same value.
    fn subtypes(&mut self, context: &str, pointer: &str, public_pointer: &str) {
        let (ours, public) = (self.ours, self.public);
        let children = |doc: &'a Value, base: &str| -> Vec<(&'a String, &'a Value)> {
            let base_ref = Value::String(format!("#{base}"));
            doc["definitions"]
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(_, d)| {
                    d["allOf"]
                        .as_array()
                        .is_some_and(|a| a.iter().any(|p| p["$ref"] == base_ref))
                })
                .collect()
        };
        let public_children = children(public, public_pointer);
        for (name, child) in children(ours, pointer) {
            let value = &child["x-ms-discriminator-value"];
            let child_pointer = format!("/definitions/{name}");
            match public_children.iter().find(|(_, p)| &p["x-ms-discriminator-value"] == value) {
                None => self.report(context, &child_pointer, format!("discriminator value {value} is not a subtype of {public_pointer} in the public document")),
                Some((public_name, _)) => {
                    let (o, p) = (serde_json::json!({ "$ref": format!("#{child_pointer}") }), serde_json::json!({ "$ref": format!("#/definitions/{public_name}") }));
                    self.schema(context, &o, &p, child_pointer.clone());
                }
            }
        }
    }
}

/// Path-level and operation-level parameters, `$ref`s resolved, each with its pointer in the document.
fn parameters<'v>(doc: &'v Value, path: &str, method: &str) -> Vec<(String, &'v Value)> {
    let item = &doc["paths"][path];
    let base = format!("/paths/{}", segment(path));
    let path_level = item["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, p)| (format!("{base}/parameters/{i}"), p));
    let op_level = item[method]["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, p)| (format!("{base}/{method}/parameters/{i}"), p));
    path_level
        .chain(op_level)
        .map(|(pointer, p)| (pointer.clone(), resolve(doc, p, pointer).1))
        .collect()
}

/// Every `description`/`summary` string in a document with its pointer; example payloads are data, not prose.
fn prose<'v>(v: &'v Value, pointer: String, out: &mut Vec<(String, &'v str)>) {
    match v {
        Value::Object(map) => {
            for (key, value) in map.iter().filter(|(k, _)| k.as_str() != "x-ms-examples") {
                let child = format!("{pointer}/{}", segment(key));
                match value.as_str() {
                    Some(text) if key == "description" || key == "summary" => {
                        out.push((child, text))
                    }
                    _ => prose(value, child, out),
                }
            }
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, item)| prose(item, format!("{pointer}/{i}"), out)),
        _ => {}
    }
}

#[test]
fn wire_facts_match_the_public_documents() {
    let mut mismatches = Vec::new();
    for (doc, version) in DOCUMENTS {
        let (ours, public) = (ours(doc), public(version));
        mismatches.extend(Checker::new(doc, &ours, &public).check());
    }
    assert!(
        mismatches.is_empty(),
        "{} wire fact(s) differ from the public documents:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

#[test]
fn descriptions_are_not_copied_from_the_public_documents() {
    let mut copied = Vec::new();
    for (doc, version) in DOCUMENTS {
        let public = public(version);
        let mut public_prose = Vec::new();
        prose(&public, String::new(), &mut public_prose);
        let public_prose: BTreeSet<&str> = public_prose.into_iter().map(|(_, text)| text).collect();
        let ours = ours(doc);
        let mut our_prose = Vec::new();
        prose(&ours, String::new(), &mut our_prose);
        for (pointer, text) in our_prose {
            if text.chars().count() >= MIN_COPIED_DESCRIPTION_CHARS && public_prose.contains(text) {
                copied.push(format!("specs/iotcentral/{doc}.json: {pointer}: {text:?}"));
            }
        }
    }
    assert!(
        copied.is_empty(),
        "descriptions copied verbatim from the public documents:\n{}",
        copied.join("\n")
    );
}

#[test]
fn checker_reports_a_renamed_property_at_its_pointer() {
    let (mut ours, public) = (ours("2022-07-31"), public("2022-07-31"));
    let properties = ours["definitions"]["Device"]["properties"]
        .as_object_mut()
        .expect("Device has properties");
    let display_name = properties
        .remove("displayName")
        .expect("Device.displayName");
    properties.insert("name".into(), display_name);

    let mismatches = Checker::new("2022-07-31", &ours, &public).check();

    let expected = "specs/iotcentral/2022-07-31.json: definition Device: /definitions/Device/properties/name: property `name` is not in the public document";
    assert!(
        mismatches.iter().any(|m| m.starts_with(expected)),
        "got:\n{}",
        mismatches.join("\n")
    );
}
