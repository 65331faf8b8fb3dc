//! Paging (`x-ms-pageable`): which field of the page holds the items and which the next link, and,
//! with `operationName`, how next pages are requested through another operation.

use std::collections::HashMap;

use super::schemas::TypeRegistry;
use super::{Cx, Diagnostics};
use crate::error::Error;
use crate::extensions::Pageable;
use crate::json::push_pointer;
use crate::ir::{
    Group, Location, NextOperation, NextParam, NextPart, NextValue, Operation, Output, PageField, Paging, Param, ParamId,
    ParamKind, PathPart, Response, TypeDef, TypeRef,
};

/// An `x-ms-pageable.operationName` to resolve once every operation is lowered.
#[derive(Debug)]
pub(super) struct PendingNext {
    /// `operationId` of the paged operation.
    first: String,
    /// `operationId` of the operation that fetches next pages.
    next: String,
    /// Where `operationName` is written.
    pointer: String,
}

/// The paging of an operation whose response is `response`. A response that is not a model is not
/// paged (a warning); a page model without the item array is an error; a missing next-link field
/// means only the first page is read (a warning).
pub(super) fn lower_paging(
    cx: &Cx<'_>,
    types: &TypeRegistry<'_>,
    diag: &mut Diagnostics,
    pending: &mut Vec<PendingNext>,
    op_id: &str,
    ext: &Pageable,
    response: &Response,
) -> Result<Option<Paging>, Error> {
    let pointer = ext.pointer.as_str();
    let page = match &response.output {
        Output::Json(TypeRef::Named(n)) | Output::OptionalJson(TypeRef::Named(n)) => types.resolve_alias(n),
        _ => {
            diag.warn(pointer, "x-ms-pageable on an operation whose response is not a model; not paged");
            return Ok(None);
        }
    };
    let Some(TypeDef::Struct(s)) = types.get(page.as_str()) else {
        diag.warn(pointer, "x-ms-pageable on an operation whose response is not an object model; not paged");
        return Ok(None);
    };
    let item_name = ext.item_name.as_str();
    let Some(items) = s.fields.iter().find(|f| f.name.wire == item_name) else {
        return Err(cx.err(pointer, format!("expected the page model \"{}\" to have the item property \"{item_name}\"", s.name.wire)));
    };
    let TypeRef::Vec(item_ty) = &items.ty else {
        return Err(cx.err(pointer, format!("expected the item property \"{item_name}\" of \"{}\" to be an array", s.name.wire)));
    };
    let next_link = match ext.next_link_name.as_deref() {
        None => None,
        Some(n) => match s.fields.iter().find(|f| f.name.wire == n) {
            Some(f) if f.ty == TypeRef::String => Some(PageField { field: f.name.clone(), required: f.required }),
            Some(_) => return Err(cx.err(pointer, format!("expected the next-link property \"{n}\" to be a string"))),
            None => {
                let msg = format!("the page model \"{}\" has no next-link property \"{n}\"; only the first page is read", s.name.wire);
                diag.warn(pointer, msg);
                None
            }
        },
    };
    match &ext.operation_name {
        Some(Ok(next)) if next_link.is_some() => pending.push(PendingNext {
            first: op_id.to_string(),
            next: next.clone(),
            pointer: push_pointer(pointer, "operationName"),
        }),
        Some(Err(e)) => return Err(e.clone()),
        _ => {}
    }
    Ok(Some(Paging {
        items: PageField { field: items.name.clone(), required: items.required },
        item_ty: (**item_ty).clone(),
        next_link,
        next_operation: None,
    }))
}

/// Resolves every `x-ms-pageable.operationName`: the next operation's parameters are matched by name
/// to the first operation's required parameters, its `nextLink` parameter takes the link. Anything
/// that cannot be matched falls back to a GET of the link, with a warning.
pub(super) fn resolve_next_operations(diag: &mut Diagnostics, pending: Vec<PendingNext>, groups: &mut [Group]) {
    let mut by_id: HashMap<String, (usize, usize)> = HashMap::new();
    for (g, group) in groups.iter().enumerate() {
        for (o, op) in group.operations.iter().enumerate() {
            by_id.insert(op.id.clone(), (g, o));
        }
    }
    for PendingNext { first: first_id, next: next_id, pointer } in pending {
        let Some(&(ng, no)) = by_id.get(&next_id) else {
            diag.warn(&pointer, format!("no operation \"{next_id}\"; next pages are fetched with GET on the next link"));
            continue;
        };
        let Some(&(fg, fo)) = by_id.get(&first_id) else { continue };
        match next_operation(&groups[fg].operations[fo], &groups[ng].operations[no]) {
            Ok(resolved) => {
                if let Some(paging) = groups[fg].operations[fo].paging.as_mut() {
                    paging.next_operation = Some(resolved);
                }
            }
            Err(why) => diag.warn(&pointer, format!("{why}; next pages are fetched with GET on the next link")),
        }
    }
}

/// The next-page request of `first` built through `next` (see [`NextOperation`]).
fn next_operation(first: &Operation, next: &Operation) -> Result<NextOperation, String> {
    let value_of = |p: &Param| -> Result<NextValue, String> {
        if p.name.wire.eq_ignore_ascii_case("nextLink") {
            return Ok(NextValue::Link);
        }
        if let ParamKind::Constant(v) = &p.kind {
            return Ok(NextValue::Constant(v.clone()));
        }
        let same = first.params.iter().position(|q| q.name.wire == p.name.wire && q.location == p.location);
        match same.map(|i| (ParamId(i), &first.params[i])) {
            Some((_, Param { kind: ParamKind::Constant(v), .. })) => Ok(NextValue::Constant(v.clone())),
            Some((id, q)) if q.required && matches!(&q.kind, ParamKind::Value(t) if !matches!(t, TypeRef::Vec(_))) => {
                Ok(NextValue::Param(id))
            }
            _ => Err(format!(
                "parameter \"{}\" of next-page operation \"{}\" has no required counterpart in \"{}\"",
                p.name.wire, next.id, first.id
            )),
        }
    };
    let mut path = Vec::new();
    for part in &next.path {
        path.push(match part {
            PathPart::Literal(l) => NextPart::Literal(l.clone()),
            PathPart::Param(id) => {
                let p = next.param(*id);
                NextPart::Value { value: value_of(p)?, skip_encoding: p.skip_encoding }
            }
            PathPart::ClientParam(id) => NextPart::Value { value: NextValue::ClientParam(*id), skip_encoding: false },
            PathPart::Constant(v) => NextPart::Value { value: NextValue::Constant(v.clone()), skip_encoding: false },
        });
    }
    let mut params = Vec::new();
    for p in next.params.iter().filter(|p| p.location != Location::Path) {
        match value_of(p) {
            Ok(value) => params.push(NextParam { location: p.location, wire: p.name.wire.clone(), value }),
            Err(_) if !p.required => {}
            Err(why) => return Err(why),
        }
    }
    if next.body.as_ref().is_some_and(|b| b.required) {
        return Err(format!("next-page operation \"{}\" needs a request body", next.id));
    }
    Ok(NextOperation {
        id: next.id.clone(),
        http_method: next.http_method,
        path,
        params,
        client_refs: next.client_refs.clone(),
    })
}
