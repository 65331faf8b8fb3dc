//! Azure's extensions of Swagger/OpenAPI (AutoRest's `x-ms-*`, and `x-nullable`): the one place they
//! are read.
//!
//! Each reader turns one extension into a typed value for the stage that uses it: normalisation reads
//! the document-level ones (`x-ms-parameterized-host`, which becomes the servers), lowering the rest,
//! and the `x-ms-paths` merge runs between the two. Supporting a new extension, or a new field of one,
//! is a reader here plus its one user. Advisory extensions are read leniently (a malformed `x-ms-enum`
//! counts as absent); malformed ones a client depends on are located [`Error`]s.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::error::Error;
use crate::ir::FinalStateVia;
use crate::json::push_pointer;

/// `x-ms-paths`: paths that differ from a `paths` entry only by a query string (`/jobs?op=cancel`).
pub const PATHS: &str = "x-ms-paths";
/// `x-ms-parameterized-host`: a host template with parameters, instead of `host`.
pub const PARAMETERIZED_HOST: &str = "x-ms-parameterized-host";
/// `x-ms-examples`: references to example files, never followed as schema references.
pub const EXAMPLES: &str = "x-ms-examples";
/// `x-ms-enum`: the name and openness of an enum, and a name and description per value.
pub const ENUM: &str = "x-ms-enum";
/// `x-nullable`: the value may be `null` (Swagger 2.0 has no `nullable`).
pub const NULLABLE: &str = "x-nullable";
/// `x-ms-requestBody-name`: the name of the Swagger body parameter a request body came from.
pub const REQUEST_BODY_NAME: &str = "x-ms-requestBody-name";
/// `x-ms-requestBody-index`: that parameter's position in the operation's parameter list.
pub const REQUEST_BODY_INDEX: &str = "x-ms-requestBody-index";
/// Normalisation's mark on a query parameter that Swagger 2.0 separates by tabs
/// (`collectionFormat: tsv`), which OpenAPI 3.0 has no style for.
pub const COLLECTION_FORMAT: &str = "x-iot-rest-collection-format";

const DISCRIMINATOR_VALUE: &str = "x-ms-discriminator-value";
const PAGEABLE: &str = "x-ms-pageable";
const LONG_RUNNING: &str = "x-ms-long-running-operation";
const LONG_RUNNING_OPTIONS: &str = "x-ms-long-running-operation-options";
const PARAMETER_LOCATION: &str = "x-ms-parameter-location";
const SKIP_URL_ENCODING: &str = "x-ms-skip-url-encoding";
const ERROR_RESPONSE: &str = "x-ms-error-response";
const CLIENT_NAME: &str = "x-ms-client-name";
const CLIENT_DEFAULT: &str = "x-ms-client-default";
const API_VERSION: &str = "x-ms-api-version";
const CLIENT_FLATTEN: &str = "x-ms-client-flatten";
const PARAMETER_GROUPING: &str = "x-ms-parameter-grouping";

/// The request-id header of Azure services: the runtime sends one on every request, so a document's
/// parameter of that name is not exposed.
pub const CLIENT_REQUEST_ID_HEADER: &str = "x-ms-client-request-id";

/// Whether an object member is a specification extension (`x-…`); extensions are kept through
/// normalisation.
pub fn is_extension(key: &str) -> bool {
    key.starts_with("x-")
}

/// The members of an object that may hold extensions, whichever map type holds them (`openapiv3`
/// keeps them in an `IndexMap`, the JSON tree in a `Map`).
pub trait Members {
    fn member(&self, key: &str) -> Option<&Value>;
}

impl Members for indexmap::IndexMap<String, Value> {
    fn member(&self, key: &str) -> Option<&Value> {
        self.get(key)
    }
}

impl Members for Map<String, Value> {
    fn member(&self, key: &str) -> Option<&Value> {
        self.get(key)
    }
}

fn flag(ext: &impl Members, key: &str) -> bool {
    ext.member(key).and_then(Value::as_bool).unwrap_or(false)
}

fn text<'e>(ext: &'e impl Members, key: &str) -> Option<&'e str> {
    ext.member(key).and_then(Value::as_str)
}

// ---------------------------------------------------------------- schemas

/// `x-ms-enum`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MsEnum {
    /// `name`: the enum's type name, shared by every use of the same enum.
    pub name: Option<String>,
    /// `modelAsString`: the service may add values, so unknown ones are kept (an open enum).
    pub model_as_string: bool,
    /// `values`, in document order.
    pub values: Vec<EnumValue>,
}

/// One entry of `x-ms-enum.values`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumValue {
    pub value: String,
    /// The variant name to use instead of one made from the value.
    pub name: Option<String>,
    pub description: Option<String>,
}

impl MsEnum {
    /// The entry describing `value` (the last one, if the document lists it twice).
    pub fn value(&self, value: &str) -> Option<&EnumValue> {
        self.values.iter().rev().find(|v| v.value == value)
    }

    /// Every entry by its value, as [`MsEnum::value`] finds them.
    pub fn by_value(&self) -> BTreeMap<&str, &EnumValue> {
        self.values.iter().map(|v| (v.value.as_str(), v)).collect()
    }
}

/// `x-ms-enum` of a schema or parameter; entries without a string `value` are skipped.
pub fn ms_enum(ext: &impl Members) -> Option<MsEnum> {
    let e = ext.member(ENUM)?;
    let field = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
    let values = e.get("values").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    Some(MsEnum {
        name: field(e, "name"),
        model_as_string: e.get("modelAsString").and_then(Value::as_bool).unwrap_or(false),
        values: values
            .iter()
            .filter_map(|v| Some(EnumValue { value: field(v, "value")?, name: field(v, "name"), description: field(v, "description") }))
            .collect(),
    })
}

/// `x-ms-discriminator-value`: the discriminator value of a subtype (default: its schema name).
pub fn discriminator_value(ext: &impl Members) -> Option<&str> {
    text(ext, DISCRIMINATOR_VALUE)
}

/// `x-nullable: true`.
pub fn nullable(ext: &impl Members) -> bool {
    flag(ext, NULLABLE)
}

// ---------------------------------------------------------------- parameters and bodies

/// `x-ms-parameter-location`: whether a parameter belongs to the client or to each call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParameterLocation {
    Client,
    Method,
}

/// `x-ms-parameter-location`, when it says `client` or `method`.
pub fn parameter_location(ext: &impl Members) -> Option<ParameterLocation> {
    match text(ext, PARAMETER_LOCATION) {
        Some("client") => Some(ParameterLocation::Client),
        Some("method") => Some(ParameterLocation::Method),
        _ => None,
    }
}

/// `x-ms-skip-url-encoding: true`: the value is put into the URL as it is.
pub fn skip_url_encoding(ext: &impl Members) -> bool {
    flag(ext, SKIP_URL_ENCODING)
}

/// `x-ms-client-name`: the name the client uses for a parameter, property or body instead of the
/// wire name (which is still what is sent).
pub fn client_name(ext: &impl Members) -> Option<&str> {
    text(ext, CLIENT_NAME).filter(|name| !name.trim().is_empty())
}

/// `x-ms-client-default`: the value the client sends for an optional parameter the caller left
/// unset, as sent on the wire (`"v1"` → `v1`, `true` → `true`); `None` for other JSON.
pub fn client_default(ext: &impl Members) -> Option<String> {
    match ext.member(CLIENT_DEFAULT)? {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `x-ms-api-version`: `Some(false)` marks an `api-version` parameter as an ordinary parameter
/// rather than the document's API version; `Some(true)` insists it is the API version.
pub fn api_version(ext: &impl Members) -> Option<bool> {
    ext.member(API_VERSION).and_then(Value::as_bool)
}

/// `x-ms-client-flatten: true`: a body's properties become the operation's arguments (on a body
/// parameter), or a property's members the owner's (on a property).
pub fn client_flatten(ext: &impl Members) -> bool {
    flag(ext, CLIENT_FLATTEN)
}

/// `x-ms-client-request-id: true`: this header parameter carries the call's client request id
/// (instead of the `x-ms-client-request-id` header).
pub fn client_request_id(ext: &impl Members) -> bool {
    flag(ext, CLIENT_REQUEST_ID_HEADER)
}

/// `x-ms-parameter-grouping` of a parameter: the group it is passed in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParameterGrouping {
    /// `name`: the group's name, shared by every operation that names it.
    pub name: Option<String>,
    /// `postfix`: the group of this operation is named `<Group><Operation><postfix>` instead of
    /// `<Group><Operation>Parameters`.
    pub postfix: Option<String>,
}

/// `x-ms-parameter-grouping`, when it is an object (an empty one groups under the default name).
pub fn parameter_grouping(ext: &impl Members) -> Option<ParameterGrouping> {
    let g = ext.member(PARAMETER_GROUPING)?.as_object()?;
    let field = |key: &str| g.get(key).and_then(Value::as_str).filter(|s| !s.trim().is_empty()).map(str::to_string);
    Some(ParameterGrouping { name: field("name"), postfix: field("postfix") })
}

/// Whether normalisation marked a query parameter as tab-separated ([`COLLECTION_FORMAT`]).
pub fn tab_separated(ext: &impl Members) -> bool {
    text(ext, COLLECTION_FORMAT) == Some("tsv")
}

/// `x-ms-requestBody-name` of a request body.
pub fn request_body_name(ext: &impl Members) -> Option<&str> {
    text(ext, REQUEST_BODY_NAME)
}

// ---------------------------------------------------------------- operations and responses

/// `x-ms-error-response: true`: a declared status that is an error despite its code.
pub fn error_response(ext: &impl Members) -> bool {
    flag(ext, ERROR_RESPONSE)
}

/// `x-ms-long-running-operation: true`, with `x-ms-long-running-operation-options.final-state-via`
/// (unknown or absent: [`FinalStateVia::Default`]).
pub fn long_running(ext: &impl Members) -> Option<FinalStateVia> {
    if !flag(ext, LONG_RUNNING) {
        return None;
    }
    let via = ext.member(LONG_RUNNING_OPTIONS).and_then(|o| o.get("final-state-via")).and_then(Value::as_str);
    Some(match via {
        Some("azure-async-operation") => FinalStateVia::AzureAsyncOperation,
        Some("location") => FinalStateVia::Location,
        Some("original-uri") => FinalStateVia::OriginalUri,
        Some("operation-location") => FinalStateVia::OperationLocation,
        _ => FinalStateVia::Default,
    })
}

/// `x-ms-pageable` of an operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pageable {
    /// `itemName`: the page property holding the items (default `value`).
    pub item_name: String,
    /// `nextLinkName`: the page property holding the next link (default `nextLink`; `null`: none).
    pub next_link_name: Option<String>,
    /// `operationName`: the operation that fetches next pages; the error to report if it is not a
    /// string (reported only where the name is needed).
    pub operation_name: Option<Result<String, Error>>,
    /// Where the extension is, for messages about it.
    pub pointer: String,
}

/// `x-ms-pageable` of the operation at `file#operation` (absent or `null`: not paged).
pub fn pageable(ext: &impl Members, file: &str, operation: &str) -> Option<Pageable> {
    let p = ext.member(PAGEABLE).filter(|p| !p.is_null())?;
    let pointer = push_pointer(operation, PAGEABLE);
    let operation_name = p.get("operationName").map(|name| match name.as_str() {
        Some(name) => Ok(name.to_string()),
        None => Err(Error::new(file, push_pointer(&pointer, "operationName"), "expected a string")),
    });
    Some(Pageable {
        item_name: p.get("itemName").and_then(Value::as_str).unwrap_or("value").to_string(),
        next_link_name: match p.get("nextLinkName") {
            Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            _ => Some("nextLink".to_string()),
        },
        operation_name,
        pointer,
    })
}

// ---------------------------------------------------------------- document level

/// `x-ms-parameterized-host` of a Swagger 2.0 document.
#[derive(Clone, Debug)]
pub struct ParameterizedHost<'v> {
    /// `hostTemplate`: `{subdomain}.{baseDomain}`.
    pub host_template: &'v str,
    /// `useSchemePrefix` (default true): the template lacks the `https://`.
    pub use_scheme_prefix: bool,
    /// `parameters` as written: parameter objects or `$ref`s to global parameters.
    pub parameters: &'v [Value],
    raw: &'v Map<String, Value>,
}

/// Where `x-ms-parameterized-host` sits in a document.
pub const PARAMETERIZED_HOST_POINTER: &str = "/x-ms-parameterized-host";

/// `x-ms-parameterized-host` of `document` (`file` names it in errors).
pub fn parameterized_host<'v>(file: &str, document: &'v Map<String, Value>) -> Result<Option<ParameterizedHost<'v>>, Error> {
    let Some(host) = document.get(PARAMETERIZED_HOST) else { return Ok(None) };
    let pointer = PARAMETERIZED_HOST_POINTER;
    let err = |at: String, message: &str| Error::new(file, at, message);
    let raw = host.as_object().ok_or_else(|| err(pointer.into(), "expected an object"))?;
    let host_template = match raw.get("hostTemplate") {
        Some(Value::String(s)) => s.as_str(),
        Some(_) => return Err(err(push_pointer(pointer, "hostTemplate"), "expected a string")),
        None => return Err(err(pointer.into(), "expected a string \"hostTemplate\"")),
    };
    let use_scheme_prefix = match raw.get("useSchemePrefix") {
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(err(push_pointer(pointer, "useSchemePrefix"), "expected a boolean")),
        None => true,
    };
    let parameters = match raw.get("parameters") {
        None => &[][..],
        Some(Value::Array(items)) => items.as_slice(),
        Some(_) => return Err(err(ParameterizedHost::parameters_pointer(), "expected an array")),
    };
    Ok(Some(ParameterizedHost { host_template, use_scheme_prefix, parameters, raw }))
}

impl ParameterizedHost<'_> {
    /// Where the host parameters are listed.
    pub fn parameters_pointer() -> String {
        push_pointer(PARAMETERIZED_HOST_POINTER, "parameters")
    }

    /// The extension with every host parameter replaced by `convert(parameter, its pointer)` and every
    /// other member by `other(member)`, in the order written.
    pub fn rewrite(
        &self,
        mut convert: impl FnMut(&Value, &str) -> Result<Value, Error>,
        other: impl Fn(&Value) -> Value,
    ) -> Result<Value, Error> {
        let mut out = Map::new();
        for (key, value) in self.raw {
            let value = if key == "parameters" {
                let at = Self::parameters_pointer();
                let converted = self.parameters.iter().enumerate().map(|(i, p)| convert(p, &push_pointer(&at, &i.to_string())));
                Value::Array(converted.collect::<Result<_, _>>()?)
            } else {
                other(value)
            };
            out.insert(key.clone(), value);
        }
        Ok(Value::Object(out))
    }
}

/// Which paths of a document came from `x-ms-paths`, so that pointers into them say so.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PathOrigins {
    from_x_ms_paths: BTreeSet<String>,
}

impl PathOrigins {
    /// The pointer of path `path` as the document writes it: `/paths/…` or `/x-ms-paths/…`.
    pub fn pointer(&self, path: &str) -> String {
        let section = if self.from_x_ms_paths.contains(path) { "/x-ms-paths" } else { "/paths" };
        push_pointer(section, path)
    }
}

/// Moves the entries of the top-level `x-ms-paths` of an OpenAPI 3.0 document into `paths`; returns
/// which paths they were. A path declared in both is an error.
pub fn merge_paths(file: &str, document: &mut Value) -> Result<PathOrigins, Error> {
    let mut origins = PathOrigins::default();
    let Some(root) = document.as_object_mut() else { return Ok(origins) };
    let Some(extra) = root.remove(PATHS) else { return Ok(origins) };
    let Value::Object(extra) = extra else {
        return Err(Error::new(file, push_pointer("", PATHS), "expected an object of path items"));
    };
    let paths = root.entry("paths").or_insert_with(|| Value::Object(Map::new()));
    let Some(paths) = paths.as_object_mut() else { return Ok(origins) };
    for (path, item) in extra {
        let pointer = push_pointer(&push_pointer("", PATHS), &path);
        if paths.contains_key(&path) {
            return Err(Error::new(file, pointer, format!("path \"{path}\" is also declared in \"paths\"")));
        }
        if !item.is_object() {
            return Err(Error::new(file, pointer, "expected a path item object"));
        }
        origins.from_x_ms_paths.insert(path.clone());
        paths.insert(path, item);
    }
    Ok(origins)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn members(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => unreachable!("test input is an object"),
        }
    }

    #[test]
    fn ms_enum_reads_name_openness_and_value_entries() {
        let ext = members(json!({ "x-ms-enum": {
            "name": "Level", "modelAsString": true,
            "values": [{ "value": "lo", "name": "Low", "description": "Quiet." }, { "name": "no value" }, { "value": "hi" }]
        } }));
        let e = ms_enum(&ext).expect("present");
        assert_eq!(e.name.as_deref(), Some("Level"));
        assert!(e.model_as_string);
        assert_eq!(e.values.len(), 2, "an entry without a value is skipped");
        assert_eq!(e.value("lo").and_then(|v| v.name.as_deref()), Some("Low"));
        assert_eq!(e.value("hi").and_then(|v| v.description.as_deref()), None);
        assert_eq!(ms_enum(&members(json!({ "x-ms-enum": "odd" }))), Some(MsEnum::default()));
        assert_eq!(ms_enum(&members(json!({}))), None);
    }

    #[test]
    fn flags_are_true_only_when_the_extension_says_true() {
        let cases = [(json!(true), true), (json!(false), false), (json!("true"), false), (Value::Null, false)];
        for (value, expected) in cases {
            for (key, read) in [
                (NULLABLE, nullable as fn(&Map<String, Value>) -> bool),
                (SKIP_URL_ENCODING, skip_url_encoding),
                (ERROR_RESPONSE, error_response),
                (CLIENT_FLATTEN, client_flatten),
                (CLIENT_REQUEST_ID_HEADER, client_request_id),
            ] {
                assert_eq!(read(&members(json!({ key: value.clone() }))), expected, "{key}: {value}");
            }
        }
    }

    #[test]
    fn client_name_default_and_api_version_are_read_as_written() {
        let ext = members(json!({ "x-ms-client-name": "avset", "x-ms-client-default": "v1", "x-ms-api-version": false }));
        assert_eq!((client_name(&ext), client_default(&ext), api_version(&ext)), (Some("avset"), Some("v1".to_string()), Some(false)));
        let ext = members(json!({ "x-ms-client-name": " ", "x-ms-client-default": 30, "x-ms-api-version": "no" }));
        assert_eq!((client_name(&ext), client_default(&ext), api_version(&ext)), (None, Some("30".to_string()), None));
        assert_eq!(client_default(&members(json!({ "x-ms-client-default": true }))), Some("true".to_string()));
        assert_eq!(client_default(&members(json!({ "x-ms-client-default": {} }))), None);
    }

    #[test]
    fn parameter_grouping_reads_name_and_postfix() {
        let read = |v: Value| parameter_grouping(&members(json!({ "x-ms-parameter-grouping": v })));
        assert_eq!(read(json!({})), Some(ParameterGrouping::default()));
        assert_eq!(read(json!({ "name": "first-group" })), Some(ParameterGrouping { name: Some("first-group".into()), postfix: None }));
        assert_eq!(read(json!({ "postfix": "Opts" })), Some(ParameterGrouping { name: None, postfix: Some("Opts".into()) }));
        assert_eq!(read(json!(true)), None);
        assert_eq!(parameter_grouping(&members(json!({}))), None);
    }

    #[test]
    fn parameter_location_knows_client_and_method_only() {
        let cases = [("client", Some(ParameterLocation::Client)), ("method", Some(ParameterLocation::Method)), ("other", None)];
        for (text, expected) in cases {
            assert_eq!(parameter_location(&members(json!({ "x-ms-parameter-location": text }))), expected, "{text}");
        }
    }

    #[test]
    fn long_running_maps_final_state_via() {
        let cases = [
            (json!({ "x-ms-long-running-operation": true }), Some(FinalStateVia::Default)),
            (json!({ "x-ms-long-running-operation": false }), None),
            (
                json!({ "x-ms-long-running-operation": true, "x-ms-long-running-operation-options": { "final-state-via": "azure-async-operation" } }),
                Some(FinalStateVia::AzureAsyncOperation),
            ),
            (
                json!({ "x-ms-long-running-operation": true, "x-ms-long-running-operation-options": { "final-state-via": "location" } }),
                Some(FinalStateVia::Location),
            ),
            (
                json!({ "x-ms-long-running-operation": true, "x-ms-long-running-operation-options": { "final-state-via": "original-uri" } }),
                Some(FinalStateVia::OriginalUri),
            ),
            (
                json!({ "x-ms-long-running-operation": true, "x-ms-long-running-operation-options": { "final-state-via": "operation-location" } }),
                Some(FinalStateVia::OperationLocation),
            ),
            (
                json!({ "x-ms-long-running-operation": true, "x-ms-long-running-operation-options": { "final-state-via": "sideways" } }),
                Some(FinalStateVia::Default),
            ),
        ];
        for (ext, expected) in cases {
            assert_eq!(long_running(&members(ext.clone())), expected, "{ext}");
        }
    }

    #[test]
    fn pageable_defaults_and_a_null_next_link_name() {
        let p = pageable(&members(json!({ "x-ms-pageable": {} })), "t.json", "/paths/~1a/get").expect("paged");
        assert_eq!((p.item_name.as_str(), p.next_link_name.as_deref()), ("value", Some("nextLink")));
        assert_eq!(p.pointer, "/paths/~1a/get/x-ms-pageable");
        let p = pageable(&members(json!({ "x-ms-pageable": { "itemName": "items", "nextLinkName": null } })), "t.json", "").expect("paged");
        assert_eq!((p.item_name.as_str(), p.next_link_name), ("items", None));
        assert_eq!(pageable(&members(json!({ "x-ms-pageable": null })), "t.json", ""), None);
    }

    #[test]
    fn pageable_operation_name_that_is_no_string_is_a_located_error() {
        let p = pageable(&members(json!({ "x-ms-pageable": { "operationName": 7 } })), "t.json", "/paths/~1a/get").expect("paged");
        let error = p.operation_name.expect("present").expect_err("not a string");
        assert_eq!(error.to_string(), "t.json#/paths/~1a/get/x-ms-pageable/operationName: expected a string");
    }

    #[test]
    fn parameterized_host_reads_template_prefix_and_parameters() {
        let doc = members(json!({ "x-ms-parameterized-host": {
            "hostTemplate": "{app}.example.com", "useSchemePrefix": false, "parameters": [{ "$ref": "#/parameters/App" }]
        } }));
        let host = parameterized_host("t.json", &doc).expect("valid").expect("present");
        assert_eq!((host.host_template, host.use_scheme_prefix, host.parameters.len()), ("{app}.example.com", false, 1));
        let rewritten = host.rewrite(|_, at| Ok(json!(at)), |v| v.clone()).expect("rewrites");
        assert_eq!(
            rewritten,
            json!({ "hostTemplate": "{app}.example.com", "useSchemePrefix": false, "parameters": ["/x-ms-parameterized-host/parameters/0"] })
        );
    }

    #[test]
    fn malformed_parameterized_hosts_are_located_errors() {
        let cases = [
            (json!(1), "t.json#/x-ms-parameterized-host: expected an object"),
            (json!({}), "t.json#/x-ms-parameterized-host: expected a string \"hostTemplate\""),
            (json!({ "hostTemplate": 1 }), "t.json#/x-ms-parameterized-host/hostTemplate: expected a string"),
            (json!({ "hostTemplate": "h", "useSchemePrefix": "no" }), "t.json#/x-ms-parameterized-host/useSchemePrefix: expected a boolean"),
            (json!({ "hostTemplate": "h", "parameters": {} }), "t.json#/x-ms-parameterized-host/parameters: expected an array"),
        ];
        for (host, expected) in cases {
            let doc = members(json!({ "x-ms-parameterized-host": host }));
            assert_eq!(parameterized_host("t.json", &doc).unwrap_err().to_string(), expected);
        }
    }

    #[test]
    fn x_ms_paths_merge_into_paths_and_remember_their_origin() {
        let mut doc = json!({ "paths": { "/jobs": {} }, "x-ms-paths": { "/jobs?op=cancel": { "post": {} } } });
        let origins = merge_paths("t.json", &mut doc).expect("merges");
        assert_eq!(doc, json!({ "paths": { "/jobs": {}, "/jobs?op=cancel": { "post": {} } } }));
        assert_eq!(origins.pointer("/jobs?op=cancel"), "/x-ms-paths/~1jobs?op=cancel");
        assert_eq!(origins.pointer("/jobs"), "/paths/~1jobs");
    }

    #[test]
    fn x_ms_paths_clashing_with_paths_is_an_error() {
        let mut doc = json!({ "paths": { "/jobs": {} }, "x-ms-paths": { "/jobs": {} } });
        assert_eq!(
            merge_paths("t.json", &mut doc).unwrap_err().to_string(),
            "t.json#/x-ms-paths/~1jobs: path \"/jobs\" is also declared in \"paths\""
        );
        let mut doc = json!({ "paths": {}, "x-ms-paths": { "/jobs": 1 } });
        assert_eq!(merge_paths("t.json", &mut doc).unwrap_err().to_string(), "t.json#/x-ms-paths/~1jobs: expected a path item object");
    }
}
