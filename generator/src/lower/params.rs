//! The parameters of one operation: path-item and operation parameters merged, each one a method
//! argument, a constant, a client parameter or left out, with its type, collection format and name.

use std::collections::BTreeMap;

use openapiv3::{Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr};
use serde_json::Value;

use super::client::ClientParams;
use super::flat::flat;
use super::groups::ParamGroups;
use super::schemas::TypeRegistry;
use super::{Cx, Diagnostics};
use crate::error::Error;
use crate::extensions::{self, ParameterLocation};
use crate::ir::{ClientParamId, CollectionFormat, Location, Name, Param, ParamId, ParamKind, PathPart, TypeRef};
use crate::json::push_pointer;
use crate::naming::{inline, CallArgs};

const PARAM_REF: &str = "#/components/parameters/";

/// An operation's parameters, lowered.
#[derive(Debug)]
pub(super) struct Params {
    /// Method parameters (query, header and path), in document order.
    pub params: Vec<Param>,
    /// What each path template variable is, by wire name.
    pub path: BTreeMap<String, PathPart>,
    /// Client parameters sent in the query or a header.
    pub client_refs: Vec<ClientParamId>,
    /// The argument names claimed so far (the body claims its name here too).
    pub args: CallArgs,
    /// The header parameter marked `x-ms-client-request-id: true`, when it has another name.
    pub request_id_header: Option<String>,
}

/// Where an operation is and what it is called, for its parameters' pointers and inline types.
pub(super) struct Site<'s> {
    /// The operation's pointer (`/paths/~1devices/get`).
    pub pointer: &'s str,
    /// Context for naming inline types (`DevicesList`).
    pub context: &'s str,
    /// The operationId's group prefix (empty for none) and operation name.
    pub group_wire: &'s str,
    pub op_wire: &'s str,
}

/// Lowers the parameters of an operation. Operation parameters override path-item parameters with
/// the same name and location; document-level (`$ref`) parameters belong to the client unless
/// `x-ms-parameter-location` says otherwise. A method parameter's Rust name comes from
/// `x-ms-client-name` when given; with `x-ms-parameter-grouping` it is a field of its group.
#[allow(clippy::too_many_arguments)]
pub(super) fn lower_params<'a>(
    cx: &Cx<'a>,
    types: &mut TypeRegistry<'a>,
    clients: &mut ClientParams,
    groups: &mut ParamGroups,
    diag: &mut Diagnostics,
    path_params: &'a [ReferenceOr<Parameter>],
    op_params: &'a [ReferenceOr<Parameter>],
    site: &Site<'_>,
) -> Result<Params, Error> {
    let item_pointer = &site.pointer[..site.pointer.rfind('/').unwrap_or(0)];
    // Slots in order; an operation parameter empties the earlier slots with its name and location.
    let mut raw: Vec<Option<(&'a Parameter, bool, String)>> = Vec::new();
    let mut slots: BTreeMap<(&'static str, &'a str), Vec<usize>> = BTreeMap::new();
    let sources = [(item_pointer, path_params, false), (site.pointer, op_params, true)];
    for (pointer, params, overrides) in sources {
        for (i, p) in params.iter().enumerate() {
            let pp = push_pointer(&push_pointer(pointer, "parameters"), &i.to_string());
            let (param, global) = resolve_param(cx, p, &pp)?;
            let key = (location_name(param), param.parameter_data_ref().name.as_str());
            let earlier = slots.entry(key).or_default();
            if overrides {
                earlier.drain(..).for_each(|slot| raw[slot] = None);
            }
            earlier.push(raw.len());
            raw.push(Some((param, global, pp)));
        }
    }

    let mut out =
        Params { params: Vec::new(), path: BTreeMap::new(), client_refs: Vec::new(), args: CallArgs::new(), request_id_header: None };
    // Group arguments are named before any parameter, so a parameter never takes a group's name.
    for (param, _, _) in raw.iter().flatten() {
        if let Some(grouping) = extensions::parameter_grouping(&param.parameter_data_ref().extensions) {
            out.args.group(&groups.name(site, &grouping));
        }
    }
    for (param, global, pp) in raw.into_iter().flatten() {
        let data = param.parameter_data_ref();
        let location = match param {
            Parameter::Path { .. } => Location::Path,
            Parameter::Query { .. } => Location::Query,
            Parameter::Header { .. } => Location::Header,
            Parameter::Cookie { .. } => {
                diag.warn(&pp, "cookie parameters are not supported; the parameter is left out");
                continue;
            }
        };
        let client_level = match extensions::parameter_location(&data.extensions) {
            Some(ParameterLocation::Method) => false,
            Some(ParameterLocation::Client) => true,
            None => global,
        };
        let ParameterSchemaOrContent::Schema(schema) = &data.format else {
            return Err(cx.err(&pp, "expected a parameter with a schema (content parameters are not supported)"));
        };
        if location == Location::Header && is_request_id(&data.name, &data.extensions) {
            // The runtime sends the call's client request id in this header.
            if !data.name.eq_ignore_ascii_case(extensions::CLIENT_REQUEST_ID_HEADER) {
                out.request_id_header = Some(data.name.clone());
            }
            continue;
        }
        let schema_pointer = cx.source(&push_pointer(&pp, "schema"));
        let grouping = extensions::parameter_grouping(&data.extensions);
        let kind = match constant_or_etag(cx, location, data, schema, grouping.is_some()) {
            Some(kind) => kind,
            None => {
                let context = inline::param(site.context, &data.name);
                ParamKind::Value(non_null(types.type_of_ref(cx, diag, schema, &context, &schema_pointer)?))
            }
        };
        let (default, constraints, format) = match schema {
            ReferenceOr::Item(s) => {
                let f = flat(s);
                (s.schema_data.default.clone(), f.constraints, f.format)
            }
            ReferenceOr::Reference { .. } => (None, Default::default(), None),
        };
        let rfc1123 = matches!(format.as_deref(), Some("date-time-rfc1123" | "date-time-rfc7231"));
        let doc = data.description.clone();
        if client_level && !matches!(kind, ParamKind::Constant(_)) {
            let rust_wire = extensions::client_name(&data.extensions).unwrap_or(&data.name);
            let id = clients.register(&data.name, rust_wire, doc, location, &cx.source(&pp));
            if location == Location::Path {
                out.path.insert(data.name.clone(), PathPart::ClientParam(id));
            } else {
                out.client_refs.push(id);
            }
            continue;
        }
        let skip_encoding = extensions::skip_url_encoding(&data.extensions);
        if let (Location::Path, ParamKind::Constant(v)) = (location, &kind) {
            // A constant that is not encoded is part of the path as written.
            let part = if skip_encoding { PathPart::Literal(v.clone()) } else { PathPart::Constant(v.clone()) };
            out.path.insert(data.name.clone(), part);
            continue;
        }
        let rust_wire = extensions::client_name(&data.extensions).unwrap_or(&data.name);
        let required = data.required || location == Location::Path;
        let client_default = if required { None } else { client_default(data, schema) };
        let grouping = grouping.filter(|_| matches!(kind, ParamKind::Value(_) | ParamKind::Constant(_)));
        let (rust, group) = match grouping {
            Some(grouping) => {
                let field = crate::naming::snake_name(rust_wire);
                let (group, field) = groups.field(site, &grouping, &field, &data.name, doc.clone(), &kind, required);
                (field, Some(group))
            }
            None => (out.args.param(rust_wire, location), None),
        };
        if location == Location::Path {
            out.path.insert(data.name.clone(), PathPart::Param(ParamId(out.params.len())));
        }
        out.params.push(Param {
            name: Name { rust, wire: data.name.clone() },
            doc,
            location,
            kind,
            required,
            skip_encoding,
            collection: collection_format(param),
            default,
            constraints,
            pointer: cx.source(&pp),
            client_default,
            group,
            rfc1123,
        });
    }
    Ok(out)
}

/// A parameter's type without nullable items: a URL or header has no `null`, and a list item the
/// caller leaves empty is sent empty.
fn non_null(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Nullable(inner) => non_null(*inner),
        TypeRef::Vec(inner) => TypeRef::Vec(Box::new(non_null(*inner))),
        other => other,
    }
}

/// A parameter and whether it is a document-level (global) one.
fn resolve_param<'a>(cx: &Cx<'a>, p: &'a ReferenceOr<Parameter>, pointer: &str) -> Result<(&'a Parameter, bool), Error> {
    match p {
        ReferenceOr::Item(p) => Ok((p, false)),
        ReferenceOr::Reference { reference } => Ok((cx.component(reference, PARAM_REF, "parameter", |c| &c.parameters, pointer)?, true)),
    }
}

/// Whether a header parameter is the client request id: `x-ms-client-request-id` itself, or one
/// marked `x-ms-client-request-id: true`.
fn is_request_id(name: &str, ext: &indexmap::IndexMap<String, Value>) -> bool {
    name.eq_ignore_ascii_case(extensions::CLIENT_REQUEST_ID_HEADER) || extensions::client_request_id(ext)
}

/// The kinds that are not a plain value: `If-Match` and `If-None-Match` headers, the `api-version`
/// query parameter (unless `x-ms-api-version: false` makes it an ordinary one) and single-value
/// enums that are not open (`x-ms-enum.modelAsString`): constants, always sent when required, and
/// sent with their group when `grouped` (an optional one of no group is an ordinary parameter, so
/// leaving it unset sends nothing).
fn constant_or_etag(
    cx: &Cx<'_>,
    location: Location,
    data: &openapiv3::ParameterData,
    schema: &ReferenceOr<openapiv3::Schema>,
    grouped: bool,
) -> Option<ParamKind> {
    let wire = data.name.as_str();
    let (enum_values, default, open) = match schema {
        ReferenceOr::Item(s) => {
            let f = flat(s);
            let ms_enum = extensions::ms_enum(&f.data.extensions).or_else(|| extensions::ms_enum(&data.extensions));
            (f.enumeration.clone(), f.data.default.clone(), ms_enum.is_some_and(|e| e.model_as_string))
        }
        ReferenceOr::Reference { .. } => (Vec::new(), None, false),
    };
    let api_version = location == Location::Query && wire == "api-version";
    if location == Location::Header && wire.eq_ignore_ascii_case("if-match") {
        Some(ParamKind::IfMatch)
    } else if location == Location::Header && wire.eq_ignore_ascii_case("if-none-match") {
        Some(ParamKind::IfNoneMatch)
    } else if api_version && extensions::api_version(&data.extensions) != Some(false) {
        let value = single_string(&enum_values)
            .or_else(|| default.as_ref().and_then(Value::as_str).map(str::to_string))
            .unwrap_or_else(|| cx.doc.info.version.clone());
        Some(ParamKind::Constant(value))
    } else {
        single_value(&enum_values).filter(|_| !open && (data.required || grouped)).map(ParamKind::Constant)
    }
}

/// `x-ms-client-default` of a parameter or its schema.
fn client_default(data: &openapiv3::ParameterData, schema: &ReferenceOr<openapiv3::Schema>) -> Option<String> {
    extensions::client_default(&data.extensions).or_else(|| match schema {
        ReferenceOr::Item(s) => extensions::client_default(&flat(s).data.extensions),
        ReferenceOr::Reference { .. } => None,
    })
}

/// How an array value is written: the query style (`explode` means one entry per item), CSV
/// elsewhere.
fn collection_format(param: &Parameter) -> CollectionFormat {
    match param {
        Parameter::Query { style, parameter_data, .. } => match (style, parameter_data.explode) {
            (_, Some(true)) => CollectionFormat::Multi,
            _ if extensions::tab_separated(&parameter_data.extensions) => CollectionFormat::Tsv,
            (QueryStyle::SpaceDelimited, _) => CollectionFormat::Ssv,
            (QueryStyle::PipeDelimited, _) => CollectionFormat::Pipes,
            _ => CollectionFormat::Csv,
        },
        _ => CollectionFormat::Csv,
    }
}

fn single_string(values: &[Value]) -> Option<String> {
    match values {
        [Value::String(s)] => Some(s.clone()),
        _ => None,
    }
}

/// The one value of a single-value enum as sent on the wire (`"x"` → `x`, `true` → `true`).
pub(super) fn single_value(values: &[Value]) -> Option<String> {
    match values {
        [Value::Bool(b)] => Some(b.to_string()),
        [Value::Number(n)] => Some(n.to_string()),
        _ => single_string(values),
    }
}

fn location_name(p: &Parameter) -> &'static str {
    match p {
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Path { .. } => "path",
        Parameter::Cookie { .. } => "cookie",
    }
}
