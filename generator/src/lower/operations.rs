//! Operations: found in the paths, grouped by their `Group_` operationId prefix, named, and lowered
//! (parameters, path, body, responses, long-running and paging options).

use std::collections::{BTreeMap, HashMap};

use openapiv3::{Parameter, ReferenceOr};

use super::client::ClientParams;
use super::groups::ParamGroups;
use super::paging::{self, PendingNext};
use super::params::{self, Site};
use super::schemas::TypeRegistry;
use super::{finish, lro, responses, Cx, Diagnostics};
use crate::error::Error;
use crate::extensions;
use crate::ir::{Group, GroupKind, HttpMethod, Name, Operation, Output, PathPart};
use crate::json::push_pointer;
use crate::naming::{self, inline, GroupNames, OperationNames};

/// An operation found in the paths, before it is lowered.
struct Found<'a> {
    path: &'a str,
    path_params: &'a [ReferenceOr<Parameter>],
    method: HttpMethod,
    op: &'a openapiv3::Operation,
    pointer: String,
    id: String,
    /// The operationId split at its first `_`: group prefix (empty for none) and operation name.
    group_wire: String,
    op_wire: String,
    /// The group it belongs to: [`naming::group_key`] of the prefix, empty for the root group.
    key: String,
}

/// A group being filled, with the names its operations have taken.
struct Slot {
    group: Group,
    names: OperationNames,
}

/// Lowers every operation into groups: the root group first, then the named groups by module name;
/// operations sorted by method name.
pub(super) fn lower_operations<'a>(
    cx: &Cx<'a>,
    types: &mut TypeRegistry<'a>,
    clients: &mut ClientParams,
    param_groups: &mut ParamGroups,
    diag: &mut Diagnostics,
) -> Result<Vec<Group>, Error> {
    let found = find_operations(cx)?;

    // Group names are settled before any method name, so a root operation never takes the name of a
    // group accessor, whatever the order.
    let mut group_names = GroupNames::new();
    let mut slots: BTreeMap<String, Slot> = BTreeMap::new();
    for f in found.iter().filter(|f| !f.group_wire.is_empty()) {
        if !slots.contains_key(&f.key) {
            let module = group_names.claim_module(&f.group_wire);
            let struct_name = naming::group_struct(&f.group_wire);
            let names = OperationNames::group(&struct_name);
            let kind = GroupKind::Named { wire: f.group_wire.clone(), struct_name };
            slots.insert(f.key.clone(), Slot { group: Group { module, kind, operations: Vec::new() }, names });
        }
    }
    let root = Group { module: naming::ROOT_GROUP_MODULE.to_string(), kind: GroupKind::Root, operations: Vec::new() };
    slots.insert(String::new(), Slot { group: root, names: group_names.root() });

    let mut pending = Vec::new();
    for f in found {
        let slot = slots.get_mut(&f.key).ok_or_else(|| cx.err(&f.pointer, "internal error: an operation without a group"))?;
        let (method_name, marker) = slot.names.claim(&f.op_wire);
        let state = State { types: &mut *types, clients: &mut *clients, param_groups: &mut *param_groups, diag: &mut *diag, pending: &mut pending };
        let mut operation = lower_operation(cx, state, &f, method_name, marker)?;
        if operation.response.typed_errors().is_some() {
            operation.response.error_enum = Some(slot.names.claim_type(&format!("{}Errors", operation.marker)));
        }
        if matches!(operation.response.output, Output::ByStatus(_)) {
            operation.response.success_enum = Some(slot.names.claim_type(&format!("{}Response", operation.marker)));
        }
        slot.group.operations.push(operation);
    }
    let mut groups: Vec<Group> = slots.into_values().map(|s| s.group).filter(|g| !g.operations.is_empty()).collect();
    paging::resolve_next_operations(diag, pending, &mut groups);
    for g in &mut groups {
        g.operations.sort_by(|a, b| a.method_name.rust.cmp(&b.method_name.rust));
    }
    groups.sort_by(|a, b| (a.kind != GroupKind::Root, &a.module).cmp(&(b.kind != GroupKind::Root, &b.module)));
    Ok(groups)
}

/// Every operation of the document, in path and method order. `operationId`s must be unique, as
/// OpenAPI requires: a repeated one is an error naming both operations.
fn find_operations<'a>(cx: &Cx<'a>) -> Result<Vec<Found<'a>>, Error> {
    let mut found = Vec::new();
    let mut ids: HashMap<String, String> = HashMap::new();
    for (path, item) in &cx.doc.paths.paths {
        let ReferenceOr::Item(item) = item else {
            return Err(cx.err(&push_pointer("/paths", path), "path item $refs are not supported"));
        };
        let path_pointer = cx.origins.pointer(path);
        let methods = [
            ("get", HttpMethod::Get, &item.get),
            ("put", HttpMethod::Put, &item.put),
            ("post", HttpMethod::Post, &item.post),
            ("patch", HttpMethod::Patch, &item.patch),
            ("delete", HttpMethod::Delete, &item.delete),
            ("head", HttpMethod::Head, &item.head),
            ("options", HttpMethod::Options, &item.options),
            ("trace", HttpMethod::Trace, &item.trace),
        ];
        for (key, method, op) in methods {
            let Some(op) = op else { continue };
            let pointer = push_pointer(&path_pointer, key);
            // OpenAPI makes operationId optional: without one the operation is named after its
            // method and path (`post /streams` → `postStreams`), in no group.
            let id = op.operation_id.clone().unwrap_or_else(|| naming::operation_id(key, path));
            let id_pointer = push_pointer(&pointer, "operationId");
            if let Some(first) = ids.insert(id.clone(), id_pointer.clone()) {
                return Err(cx.err(&id_pointer, format!("operationId \"{id}\" is also used at #{first}; operationIds must be unique")));
            }
            let (group_wire, op_wire) = match id.split_once('_') {
                Some((g, o)) => (g.to_string(), o.to_string()),
                None => (String::new(), id.clone()),
            };
            let key = if group_wire.is_empty() { String::new() } else { naming::group_key(&group_wire) };
            found.push(Found { path, path_params: &item.parameters, method, op, pointer, id, group_wire, op_wire, key });
        }
    }
    Ok(found)
}

/// What lowering an operation adds to.
struct State<'s, 'a> {
    types: &'s mut TypeRegistry<'a>,
    clients: &'s mut ClientParams,
    param_groups: &'s mut ParamGroups,
    diag: &'s mut Diagnostics,
    pending: &'s mut Vec<PendingNext>,
}

fn lower_operation<'a>(cx: &Cx<'a>, state: State<'_, 'a>, f: &Found<'a>, method_name: String, marker: String) -> Result<Operation, Error> {
    let State { types, clients, param_groups, diag, pending } = state;
    let (op, pointer) = (f.op, f.pointer.as_str());
    let context = inline::operation(&f.group_wire, &f.op_wire);
    let site = Site { pointer, context: &context, group_wire: &f.group_wire, op_wire: &f.op_wire };
    let mut params = params::lower_params(cx, types, clients, param_groups, diag, f.path_params, &op.parameters, &site)?;
    let path = path_parts(cx, f.path, &params.path, pointer)?;
    let mut body = match &op.request_body {
        Some(rb) => responses::lower_body(cx, types, diag, rb, f.method, &mut params.args, &site)?,
        None => None,
    };
    let lro = lro::long_running(op);
    let response = responses::lower_responses(cx, types, diag, op, f.method, lro.is_some(), &site)?;
    if let Some(body) = &mut body {
        finish::merge_patch_body(types, body, &response);
    }
    let paging = match extensions::pageable(&op.extensions, cx.file, pointer) {
        Some(ext) => paging::lower_paging(cx, types, diag, pending, &f.id, &ext, &response)?,
        None => None,
    };
    Ok(Operation {
        id: f.id.clone(),
        method_name: Name { rust: method_name, wire: f.op_wire.clone() },
        marker,
        summary: op.summary.clone(),
        description: op.description.clone(),
        deprecated: op.deprecated,
        http_method: f.method,
        path,
        path_template: f.path.to_string(),
        params: params.params,
        client_refs: params.client_refs,
        body,
        response,
        paging,
        lro,
        request_id_header: params.request_id_header,
        pointer: pointer.to_string(),
    })
}

/// Splits a path template into literals and the parameters its `{variables}` name.
fn path_parts(cx: &Cx<'_>, path: &str, params: &BTreeMap<String, PathPart>, pointer: &str) -> Result<Vec<PathPart>, Error> {
    let mut parts = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            return Err(cx.err(pointer, format!("path template \"{path}\" has an unclosed '{{'")));
        };
        if start > 0 {
            parts.push(PathPart::Literal(rest[..start].to_string()));
        }
        let name = &rest[start + 1..start + len];
        match params.get(name) {
            Some(p) => parts.push(p.clone()),
            None => {
                return Err(cx.err(pointer, format!("path template names \"{{{name}}}\" but no path parameter \"{name}\" is declared")));
            }
        }
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(rest.to_string()));
    }
    Ok(parts)
}
