//! What a call gives back: the decoded result, the success statuses and declared responses, the
//! error model, paging and long-running behaviour.

use super::operations::output_text;
use super::{At, Changes, Impact, Kind, Sides};
use crate::ir::{FinalStateVia, Operation, Output, Paging, TypeRef};

pub(super) fn compare(sides: &Sides<'_>, out: &mut Changes, at: &At<'_>, a: &Operation, b: &Operation) {
    let (ra, rb) = (&a.response, &b.response);
    let same_output = match (&ra.output, &rb.output) {
        (Output::Unit, Output::Unit) | (Output::Binary, Output::Binary) | (Output::Text, Output::Text) => true,
        (Output::Json(x), Output::Json(y)) | (Output::OptionalJson(x), Output::OptionalJson(y)) => sides.same_type(x, y),
        (Output::ByStatus(x), Output::ByStatus(y)) if ra.success_enum == rb.success_enum => {
            by_status(sides, out, at, ra.success_enum.as_deref().unwrap_or_default(), x, y);
            true
        }
        _ => false,
    };
    if !same_output {
        let what = format!("result `{}` → `{}`", output_text(ra), output_text(rb));
        out.push(Kind::Response, Impact::Breaking, at, what, "code using the awaited value as the old type no longer compiles");
    }
    if ra.success != rb.success {
        let what = format!("success statuses {:?} → {:?}", ra.success, rb.success);
        out.push(Kind::Response, Impact::Behavioural, at, what, "other statuses are taken as success");
    }
    for s in &rb.by_status {
        let old = ra.by_status.iter().find(|r| r.status == s.status);
        let here = At { section: at.section, rust: at.rust.clone(), old: old.map(|r| r.pointer.as_str()), new: Some(&s.pointer) };
        match old {
            None => out.push(Kind::Response, Impact::DocsOnly, &here, format!("response `{}` declared", s.status), "documents what the service may answer"),
            Some(r) if r.body.is_some() != s.body.is_some() => {
                let what = format!("response `{}` {} a body", s.status, if s.body.is_some() { "now has" } else { "no longer has" });
                out.push(Kind::Response, Impact::DocsOnly, &here, what, "documents what the service may answer");
            }
            Some(_) => {}
        }
    }
    for r in ra.by_status.iter().filter(|r| !rb.by_status.iter().any(|s| s.status == r.status)) {
        let here = At { section: at.section, rust: at.rust.clone(), old: Some(&r.pointer), new: None };
        out.push(Kind::Response, Impact::DocsOnly, &here, format!("response `{}` no longer declared", r.status), "documents what the service may answer");
    }
    let same_error = match (&ra.error, &rb.error) {
        (None, None) => true,
        (Some(x), Some(y)) => sides.same_type(x, y),
        _ => false,
    };
    if !same_error {
        let text = |e: &Option<_>| e.as_ref().map_or("serde_json::Value".to_string(), super::type_text);
        let what = format!("error model `{}` → `{}`", text(&ra.error), text(&rb.error));
        let why = "`Error::service_error::<T>()` finds the error body only as the new type";
        out.push(Kind::ErrorModel, Impact::Behavioural, at, what, why);
    }
    paging(sides, out, at, a.paging.as_ref(), b.paging.as_ref());
    lro(out, at, a.lro, b.lro);
}

/// The variants of the same enum of success bodies by status: a new one is additive (the enum is
/// `#[non_exhaustive]`), one gone or of another type breaks code that matches it.
fn by_status(sides: &Sides<'_>, out: &mut Changes, at: &At<'_>, name: &str, a: &[(String, Option<TypeRef>)], b: &[(String, Option<TypeRef>)]) {
    let text = |t: &Option<TypeRef>| t.as_ref().map_or("no body".to_string(), super::type_text);
    for (status, ty) in b {
        match a.iter().find(|(s, _)| s == status) {
            None => {
                let what = format!("result `{name}` has a variant for `{status}` ({})", text(ty));
                out.push(Kind::Response, Impact::Additive, at, what, "the enum is `#[non_exhaustive]`: matches already have a wildcard arm");
            }
            Some((_, old)) if !same_body(sides, old, ty) => {
                let what = format!("result `{name}` variant for `{status}`: `{}` → `{}`", text(old), text(ty));
                out.push(Kind::Response, Impact::Breaking, at, what, "code matching the variant as the old type no longer compiles");
            }
            Some(_) => {}
        }
    }
    for (status, ty) in a.iter().filter(|(s, _)| !b.iter().any(|(t, _)| t == s)) {
        let what = format!("result `{name}` has no variant for `{status}` ({}) any more", text(ty));
        out.push(Kind::Response, Impact::Breaking, at, what, "code matching the variant no longer compiles");
    }
}

fn same_body(sides: &Sides<'_>, a: &Option<TypeRef>, b: &Option<TypeRef>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => sides.same_type(x, y),
        (x, y) => x.is_none() && y.is_none(),
    }
}

fn paging(sides: &Sides<'_>, out: &mut Changes, at: &At<'_>, a: Option<&Paging>, b: Option<&Paging>) {
    match (a, b) {
        (None, Some(_)) => out.push(Kind::Paging, Impact::Additive, at, "now pageable", "`.items()` and `.pages()` stream every page"),
        (Some(_), None) => out.push(Kind::Paging, Impact::Breaking, at, "no longer pageable", "`.items()` and `.pages()` no longer compile"),
        (Some(x), Some(y)) => {
            if !sides.same_type(&x.item_ty, &y.item_ty) {
                let what = format!("item `{}` → `{}`", super::type_text(&x.item_ty), super::type_text(&y.item_ty));
                out.push(Kind::Paging, Impact::Breaking, at, what, "code using the items as the old type no longer compiles");
            }
            if x.items.field.wire != y.items.field.wire {
                let what = format!("items read from `{}` → `{}`", x.items.field.wire, y.items.field.wire);
                out.push(Kind::Paging, Impact::Behavioural, at, what, "pages are read from another member");
            }
            let link = |p: &Paging| p.next_link.as_ref().map(|l| l.field.wire.clone());
            if link(x) != link(y) {
                let show = |l: Option<String>| l.map_or("none (one page)".to_string(), |l| format!("`{l}`"));
                let what = format!("next link {} → {}", show(link(x)), show(link(y)));
                out.push(Kind::Paging, Impact::Behavioural, at, what, "next pages are found differently");
            }
            let next = |p: &Paging| p.next_operation.as_ref().map(|n| n.id.clone());
            if next(x) != next(y) {
                let show = |n: Option<String>| n.map_or("a GET of the link".to_string(), |n| format!("`{n}`"));
                let what = format!("next pages through {} → {}", show(next(x)), show(next(y)));
                out.push(Kind::Paging, Impact::Behavioural, at, what, "next pages are requested differently");
            }
        }
        (None, None) => {}
    }
}

fn via(v: FinalStateVia) -> &'static str {
    match v {
        FinalStateVia::Default => "default",
        FinalStateVia::AzureAsyncOperation => "azure-async-operation",
        FinalStateVia::Location => "location",
        FinalStateVia::OriginalUri => "original-uri",
        FinalStateVia::OperationLocation => "operation-location",
    }
}

fn lro(out: &mut Changes, at: &At<'_>, a: Option<FinalStateVia>, b: Option<FinalStateVia>) {
    match (a, b) {
        (None, Some(v)) => {
            let what = format!("now long-running (final state via {})", via(v));
            out.push(Kind::Lro, Impact::Behavioural, at, what, "awaiting a call now polls until the operation ends");
        }
        (Some(_), None) => out.push(Kind::Lro, Impact::Behavioural, at, "no longer long-running", "awaiting a call returns the first response"),
        (Some(x), Some(y)) if x != y => {
            let what = format!("final-state-via {} → {}", via(x), via(y));
            out.push(Kind::Lro, Impact::Behavioural, at, what, "the result is read from another place when the operation ends");
        }
        _ => {}
    }
}
