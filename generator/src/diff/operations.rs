//! Operations, matched by group and method name: the operation itself, its arguments and optional
//! parameters, request body, responses, error model, paging and long-running behaviour.

use std::collections::BTreeSet;

use super::{pairs, At, Changes, Impact, Kind, Sides};
use crate::emit::operations::positional;
use crate::emit::{param_type, ModelsPath};
use crate::ir::{Api, Body, Group, GroupKind, Operation, Output, Param, ParamKind, Response};

/// An operation and where it is in the generated API.
struct Op<'a> {
    /// The accessor struct (`DevicesClient`), or `Client` for the root group.
    section: String,
    op: &'a Operation,
}

fn section(group: &Group) -> String {
    match &group.kind {
        GroupKind::Root => "Client".to_string(),
        GroupKind::Named { struct_name, .. } => struct_name.clone(),
    }
}

fn operations(api: &Api) -> Vec<Op<'_>> {
    api.groups.iter().flat_map(|g| g.operations.iter().map(move |op| Op { section: section(g), op })).collect()
}

pub(super) fn compare(sides: &Sides<'_>, out: &mut Changes) {
    groups(sides, out);
    let (old, new) = (operations(sides.old), operations(sides.new));
    let key = |o: &Op<'_>| (o.section.clone(), o.op.method_name.rust.clone());
    let keys: BTreeSet<(String, String)> = old.iter().chain(&new).map(key).collect();
    for k in keys {
        let a = old.iter().find(|o| key(o) == k);
        let b = new.iter().find(|o| key(o) == k);
        let rust = format!("{}::{}", k.0, crate::naming::unraw(&k.1));
        match (a, b) {
            (Some(a), None) => {
                let at = At { section: &k.0, rust, old: Some(&a.op.pointer), new: None };
                let what = format!("operation removed (`{}`, {})", a.op.id, request(a.op));
                out.push(Kind::Operation, Impact::Breaking, &at, what, "calls to it no longer compile");
            }
            (None, Some(b)) => {
                let at = At { section: &k.0, rust, old: None, new: Some(&b.op.pointer) };
                let what = format!("operation added (`{}`, {})", b.op.id, request(b.op));
                out.push(Kind::Operation, Impact::Additive, &at, what, "a new method");
            }
            (Some(a), Some(b)) => {
                let at = At { section: &k.0, rust, old: Some(&a.op.pointer), new: Some(&b.op.pointer) };
                operation(sides, out, &at, a.op, b.op);
            }
            (None, None) => {}
        }
    }
}

fn request(op: &Operation) -> String {
    format!("`{} {}`", op.http_method.as_str(), op.path_template)
}

/// Operation groups added or removed: the accessor methods of `Client`.
fn groups(sides: &Sides<'_>, out: &mut Changes) {
    let named = |api: &Api| -> Vec<(String, String, usize, String)> {
        api.groups
            .iter()
            .filter_map(|g| match &g.kind {
                GroupKind::Named { wire, .. } => {
                    let pointer = g.operations.first().map(|o| o.pointer.clone()).unwrap_or_default();
                    Some((g.module.clone(), wire.clone(), g.operations.len(), pointer))
                }
                GroupKind::Root => None,
            })
            .collect()
    };
    let (old, new) = (named(sides.old), named(sides.new));
    for (module, wire, count, pointer) in &old {
        if !new.iter().any(|(m, ..)| m == module) {
            let at = At { section: "Client", rust: format!("Client::{}", crate::naming::unraw(module)), old: Some(pointer), new: None };
            let what = format!("operation group `{wire}` removed ({})", operations_count(*count));
            out.push(Kind::Operation, Impact::Breaking, &at, what, "its accessor and operations no longer compile");
        }
    }
    for (module, wire, count, pointer) in &new {
        if !old.iter().any(|(m, ..)| m == module) {
            let at = At { section: "Client", rust: format!("Client::{}", crate::naming::unraw(module)), old: None, new: Some(pointer) };
            let what = format!("operation group `{wire}` added ({})", operations_count(*count));
            out.push(Kind::Operation, Impact::Additive, &at, what, "a new accessor and module");
        }
    }
}

fn operations_count(n: usize) -> String {
    if n == 1 {
        "1 operation".to_string()
    } else {
        format!("{n} operations")
    }
}

fn operation(sides: &Sides<'_>, out: &mut Changes, at: &At<'_>, a: &Operation, b: &Operation) {
    if a.marker != b.marker {
        let what = format!("marker type `{}` → `{}`", a.marker, b.marker);
        out.push(Kind::Operation, Impact::Breaking, at, what, "code naming `Call<…>` of it no longer compiles");
    }
    if a.http_method != b.http_method || a.path_template != b.path_template {
        let what = format!("request {} → {}", request(a), request(b));
        out.push(Kind::Operation, Impact::Behavioural, at, what, "the same call is sent elsewhere");
    }
    match (a.deprecated, b.deprecated) {
        (false, true) => out.push(Kind::Operation, Impact::Additive, at, "now deprecated", "calls now warn (`#[deprecated]`)"),
        (true, false) => out.push(Kind::Operation, Impact::DocsOnly, at, "no longer deprecated", "the warning goes away"),
        _ => {}
    }
    if a.id != b.id {
        out.push(Kind::Docs, Impact::DocsOnly, at, format!("operationId `{}` → `{}`", a.id, b.id), "named in the documentation only");
    }
    out.docs(at, a.summary.as_deref(), b.summary.as_deref(), "summary");
    out.docs(at, a.description.as_deref(), b.description.as_deref(), "description");
    parameters(sides, out, at, a, b);
    body(sides, out, at, a.body.as_ref(), b.body.as_ref());
    super::responses::compare(sides, out, at, a, b);
}

/// The Rust argument type of a parameter, as written (`&str`, `&[Level]`, `IfMatch`).
fn arg_type(api: &Api, p: &Param) -> String {
    let text = param_type(api, &p.kind, ModelsPath::Super).arg.to_string();
    text.replace(' ', "").replace("super::models::", "").replace("crate::runtime::", "")
}

fn parameters(sides: &Sides<'_>, out: &mut Changes, at: &At<'_>, a: &Operation, b: &Operation) {
    // Constants (api-version, single-value enums) are not arguments: matched by wire name.
    let constant = |p: &Param| matches!(p.kind, ParamKind::Constant(_));
    let wires: BTreeSet<&str> = a.params.iter().chain(&b.params).filter(|p| constant(p)).map(|p| p.name.wire.as_str()).collect();
    for wire in wires {
        let pa = a.params.iter().find(|p| constant(p) && p.name.wire == wire);
        let pb = b.params.iter().find(|p| constant(p) && p.name.wire == wire);
        let value = |p: Option<&Param>| match p.map(|p| &p.kind) {
            Some(ParamKind::Constant(v)) => format!("`{v}`"),
            _ => "nothing".to_string(),
        };
        let (va, vb) = (value(pa), value(pb));
        if va == vb {
            continue;
        }
        let at = param_at(at, wire, pa, pb);
        if wire == "api-version" {
            // Reported once for the whole API unless this operation differs from it.
            let api_level = (format!("`{}`", sides.old.version), format!("`{}`", sides.new.version));
            if (va.clone(), vb.clone()) != api_level {
                out.push(Kind::ApiVersion, Impact::Behavioural, &at, format!("api-version {va} → {vb}"), "requests ask the service for another version");
            }
        } else {
            out.push(Kind::Parameter, Impact::Behavioural, &at, format!("`{wire}` always sent as {va} → {vb}"), "a fixed value of every request changes");
        }
    }
    let (args_a, args_b): (Vec<&Param>, Vec<&Param>) = (a.params.iter().filter(|p| !constant(p)).collect(), b.params.iter().filter(|p| !constant(p)).collect());
    for (name, pa, pb) in pairs(&args_a, &args_b, |p| &p.name.rust) {
        let (pa, pb) = (pa.copied(), pb.copied());
        let at = param_at(at, name, pa, pb);
        let kind_of = |p: &Param| match p.kind {
            ParamKind::IfMatch | ParamKind::IfNoneMatch => Kind::Etag,
            _ => Kind::Parameter,
        };
        match (pa, pb) {
            (Some(p), None) if p.required => {
                out.push(kind_of(p), Impact::Breaking, &at, format!("required `{}` removed", p.name.wire), "calls pass one argument too many");
            }
            (Some(p), None) => {
                let why = format!("the builder method `.{name}()` is gone");
                out.push(kind_of(p), Impact::Breaking, &at, format!("optional `{}` removed", p.name.wire), why);
            }
            (None, Some(p)) if p.required => {
                let what = format!("required `{}` added (`{}`)", p.name.wire, arg_type(sides.new, p));
                out.push(kind_of(p), Impact::Breaking, &at, what, "calls must pass a new argument");
            }
            (None, Some(p)) => {
                let what = format!("optional `{}` added (`{}`)", p.name.wire, arg_type(sides.new, p));
                out.push(kind_of(p), Impact::Additive, &at, what, format!("a new builder method `.{name}()`"));
            }
            (Some(pa), Some(pb)) => parameter(sides, out, &at, pa, pb),
            (None, None) => {}
        }
    }
    order(sides, out, at, a, b);
}

/// Where a parameter of the operation at `at` is: `DevicesClient::list(filter)`.
fn param_at<'p>(at: &At<'p>, name: &str, old: Option<&'p Param>, new: Option<&'p Param>) -> At<'p> {
    At {
        section: at.section,
        rust: format!("{}({})", at.rust, crate::naming::unraw(name)),
        old: old.map(|p| p.pointer.as_str()),
        new: new.map(|p| p.pointer.as_str()),
    }
}

fn parameter(sides: &Sides<'_>, out: &mut Changes, at: &At<'_>, a: &Param, b: &Param) {
    let kind = if matches!(b.kind, ParamKind::IfMatch | ParamKind::IfNoneMatch) { Kind::Etag } else { Kind::Parameter };
    let (ta, tb) = (arg_type(sides.old, a), arg_type(sides.new, b));
    if ta != tb {
        out.push(kind, Impact::Breaking, at, format!("type `{ta}` → `{tb}`"), "calls pass a value of the old type");
    }
    if a.required != b.required {
        let word = |r: bool| if r { "required" } else { "optional" };
        let why = if b.required { "calls must pass it as an argument" } else { "calls pass one argument too many" };
        out.push(kind, Impact::Breaking, at, format!("{} → {}", word(a.required), word(b.required)), why);
    }
    if a.name.wire != b.name.wire || a.location != b.location {
        let what = format!("sent as {:?} `{}` → {:?} `{}`", a.location, a.name.wire, b.location, b.name.wire).to_lowercase();
        out.push(Kind::Parameter, Impact::Behavioural, at, what, "the same argument is sent under another name or place");
    }
    if a.skip_encoding != b.skip_encoding || (a.collection != b.collection && tb.starts_with("&[")) {
        out.push(Kind::Parameter, Impact::Behavioural, at, "encoding changed", "the same value is written differently (URL encoding or collection format)");
    }
    out.default_value(Kind::Parameter, at, a.default.as_ref(), b.default.as_ref());
    out.constraints(at, &a.constraints, &b.constraints);
    out.docs(at, a.doc.as_deref(), b.doc.as_deref(), "description");
}

/// The positional arguments in order, as (name, type). The body sits after the path parameters.
fn signature(api: &Api, op: &Operation) -> Vec<(String, String)> {
    let mut args: Vec<(String, String)> = positional(op).iter().map(|p| (p.name.rust.clone(), arg_type(api, p))).collect();
    if let Some(b) = op.body.as_ref().filter(|b| b.required) {
        let at = op.path.iter().filter(|p| matches!(p, crate::ir::PathPart::Param(_))).count();
        args.insert(at, (b.name.rust.clone(), format!("&{}", super::type_text(&b.ty))));
    }
    args
}

/// Arguments that kept their names and types but not their places.
fn order(sides: &Sides<'_>, out: &mut Changes, at: &At<'_>, a: &Operation, b: &Operation) {
    let (sa, sb) = (signature(sides.old, a), signature(sides.new, b));
    let sorted = |s: &[(String, String)]| {
        let mut s = s.to_vec();
        s.sort();
        s
    };
    if sa == sb || sorted(&sa) != sorted(&sb) {
        return;
    }
    let names = |s: &[(String, String)]| s.iter().map(|(n, _)| crate::naming::unraw(n).to_string()).collect::<Vec<_>>().join(", ");
    let what = format!("arguments ({}) → ({})", names(&sa), names(&sb));
    let types = |s: &[(String, String)]| s.iter().map(|(_, t)| t.clone()).collect::<Vec<_>>();
    if types(&sa) == types(&sb) {
        out.push(Kind::Parameter, Impact::Behavioural, at, what, "calls still compile but pass each value to another parameter");
    } else {
        out.push(Kind::Parameter, Impact::Breaking, at, what, "arguments of other types changed places");
    }
}

fn body(sides: &Sides<'_>, out: &mut Changes, at: &At<'_>, a: Option<&Body>, b: Option<&Body>) {
    let here = |name: &str| At {
        section: at.section,
        rust: format!("{}({})", at.rust, crate::naming::unraw(name)),
        old: a.map(|x| x.pointer.as_str()),
        new: b.map(|x| x.pointer.as_str()),
    };
    match (a, b) {
        (Some(x), None) => {
            let why = if x.required { "calls pass one argument too many" } else { "the body's builder method is gone" };
            out.push(Kind::Parameter, Impact::Breaking, &here(&x.name.rust), "request body removed", why);
        }
        (None, Some(x)) if x.required => {
            let what = format!("required request body added (`{}`)", super::type_text(&x.ty));
            out.push(Kind::Parameter, Impact::Breaking, &here(&x.name.rust), what, "calls must pass a new argument");
        }
        (None, Some(x)) => {
            let what = format!("optional request body added (`{}`)", super::type_text(&x.ty));
            out.push(Kind::Parameter, Impact::Additive, &here(&x.name.rust), what, "a new builder method");
        }
        (Some(x), Some(y)) => {
            let at = here(&y.name.rust);
            if !sides.same_type(&x.ty, &y.ty) {
                let what = format!("body type `{}` → `{}`", super::type_text(&x.ty), super::type_text(&y.ty));
                out.push(Kind::Parameter, Impact::Breaking, &at, what, "calls pass a value of the old type");
            }
            if x.required != y.required || (!y.required && x.name.rust != y.name.rust) {
                let what = if x.required != y.required { "body required ↔ optional" } else { "body builder renamed" };
                out.push(Kind::Parameter, Impact::Breaking, &at, what, "calls pass the body another way");
            }
            if x.content_type != y.content_type {
                let what = format!("content type `{}` → `{}`", x.content_type, y.content_type);
                out.push(Kind::Parameter, Impact::Behavioural, &at, what, "the same value is sent in another media type");
            }
            out.docs(&at, x.doc.as_deref(), y.doc.as_deref(), "body description");
        }
        (None, None) => {}
    }
}

/// What an operation's call decodes to, as Rust names it (an enum by status with its statuses).
pub(super) fn output_text(response: &Response) -> String {
    match &response.output {
        Output::Unit => "()".into(),
        Output::Json(t) => super::type_text(t),
        Output::OptionalJson(t) => format!("Option<{}>", super::type_text(t)),
        Output::Binary => "Bytes".into(),
        Output::Text => "String".into(),
        Output::ByStatus(bodies) => {
            let statuses: Vec<String> = bodies
                .iter()
                .map(|(s, t)| format!("{s}: {}", t.as_ref().map_or("no body".to_string(), super::type_text)))
                .collect();
            format!("{} ({})", response.success_enum.as_deref().unwrap_or_default(), statuses.join(", "))
        }
    }
}
