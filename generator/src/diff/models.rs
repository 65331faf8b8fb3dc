//! Models: structs and their fields, enums and their values, discriminated unions, aliases. Models
//! are matched by Rust name, fields and variants by Rust name too (a wire rename behind the same
//! Rust name is behavioural).

use std::collections::BTreeSet;

use super::{pairs, At, Changes, Impact, Kind, Semver, Sides};
use crate::ir::{Enum, Field, Struct, TypeDef, Union};

const SECTION: &str = "models";

pub(super) fn compare(sides: &Sides<'_>, out: &mut Changes) {
    let names: BTreeSet<_> = sides.old.types.keys().chain(sides.new.types.keys()).collect();
    for name in names {
        let rust = format!("models::{name}");
        match (sides.old.types.get(name), sides.new.types.get(name)) {
            (Some(old), None) => {
                let at = At { section: SECTION, rust, old: Some(old.pointer()), new: None };
                out.push(Kind::Model, Impact::Breaking, &at, format!("{} removed", what(old)), "code that names it no longer compiles");
            }
            (None, Some(new)) => {
                let at = At { section: SECTION, rust, old: None, new: Some(new.pointer()) };
                out.push(Kind::Model, Impact::Additive, &at, format!("{} added", what(new)), "a new type");
            }
            (Some(old), Some(new)) => {
                let at = At { section: SECTION, rust, old: Some(old.pointer()), new: Some(new.pointer()) };
                model(sides, out, &at, old, new);
            }
            (None, None) => {}
        }
    }
}

fn what(def: &TypeDef) -> &'static str {
    match def {
        TypeDef::Struct(_) => "struct",
        TypeDef::Enum(e) if e.open => "open enum",
        TypeDef::Enum(_) => "enum",
        TypeDef::Union(_) => "discriminated union",
        TypeDef::Alias(_) => "type alias",
    }
}

fn model(sides: &Sides<'_>, out: &mut Changes, at: &At<'_>, old: &TypeDef, new: &TypeDef) {
    out.docs(at, old.doc(), new.doc(), "description");
    match (old, new) {
        (TypeDef::Struct(a), TypeDef::Struct(b)) => structure(sides, out, at, a, b),
        (TypeDef::Enum(a), TypeDef::Enum(b)) => enumeration(out, at, a, b),
        (TypeDef::Union(a), TypeDef::Union(b)) => union(out, at, a, b),
        (TypeDef::Alias(a), TypeDef::Alias(b)) => {
            if !sides.same_type(&a.ty, &b.ty) {
                let what = format!("alias of `{}` → `{}`", super::type_text(&a.ty), super::type_text(&b.ty));
                out.push(Kind::Model, Impact::Breaking, at, what, "values of the old type no longer fit");
            }
        }
        _ => {
            let what = format!("{} → {}", self::what(old), self::what(new));
            out.push(Kind::Model, Impact::Breaking, at, what, "a different kind of type: its uses no longer compile");
        }
    }
}

fn structure(sides: &Sides<'_>, out: &mut Changes, at: &At<'_>, a: &Struct, b: &Struct) {
    match (a.default, b.default) {
        (true, false) => out.push(Kind::Model, Impact::Breaking, at, "no longer implements `Default`", "`..Default::default()` and `default()` no longer compile"),
        (false, true) => out.push(Kind::Model, Impact::Additive, at, "now implements `Default`", "a new trait implementation"),
        _ => {}
    }
    if let (Some(ta), Some(tb)) = (&a.tag, &b.tag) {
        if ta != tb {
            let what = format!("discriminator `{}: {}` → `{}: {}`", ta.property, ta.value, tb.property, tb.value);
            out.push(Kind::Model, Impact::Behavioural, at, what, "sent and recognised under another discriminator value");
        }
    }
    match (a.etag_field().is_some(), b.etag_field().is_some()) {
        (true, false) => out.push(Kind::Etag, Impact::Breaking, at, "no longer has an ETag", "`HasEtag` is no longer implemented: `IfMatch::from(&value)` no longer compiles"),
        (false, true) => out.push(Kind::Etag, Impact::Additive, at, "now has an ETag", "implements `HasEtag`: `IfMatch::from(&value)`"),
        _ => {}
    }
    for (name, fa, fb) in pairs(&a.fields, &b.fields, |f| &f.name.rust) {
        let rust = format!("{}::{}", at.rust, crate::naming::unraw(name));
        match (fa, fb) {
            (Some(f), None) => {
                let at = At { section: SECTION, rust, old: Some(&f.pointer), new: None };
                out.push(Kind::Property, Impact::Breaking, &at, format!("field removed (`{}`)", f.name.wire), "code reading or setting it no longer compiles");
            }
            (None, Some(f)) if f.required => {
                let at = At { section: SECTION, rust, old: None, new: Some(&f.pointer) };
                let what = format!("required field added (`{}`: `{}`)", f.name.wire, super::type_text(&f.ty));
                // `new` takes the required fields: OLD's `new` gains an argument, or `new` appears.
                if a.constructor_fields().next().is_some() {
                    out.push(Kind::Property, Impact::Breaking, &at, what, "`new` takes one more argument");
                } else {
                    let why = "existing code still compiles, but a value built from `Default` sends it empty: set it (`new` takes it)";
                    out.push(Kind::Property, Impact::Behavioural, &at, what, why);
                }
            }
            (None, Some(f)) => {
                let at = At { section: SECTION, rust, old: None, new: Some(&f.pointer) };
                let what = format!("optional field added (`{}`: `Option<{}>`)", f.name.wire, super::type_text(&f.ty));
                out.push(Kind::Property, Impact::Additive, &at, what, "models are `#[non_exhaustive]`: existing code is unaffected");
            }
            (Some(fa), Some(fb)) => {
                let at = At { section: SECTION, rust, old: Some(&fa.pointer), new: Some(&fb.pointer) };
                field(sides, out, &at, fa, fb);
            }
            (None, None) => {}
        }
    }
    match (&a.additional, &b.additional) {
        (Some(x), None) => {
            let at = At { section: SECTION, rust: format!("{}::{}", at.rust, x.field), old: at.old, new: at.new };
            out.push(Kind::Property, Impact::Breaking, &at, "map of other members removed (`additionalProperties: false`)", "code reading it no longer compiles");
        }
        (None, Some(x)) => {
            let at = At { section: SECTION, rust: format!("{}::{}", at.rust, x.field), old: at.old, new: at.new };
            out.push(Kind::Property, Impact::Additive, &at, "map of other members added", "a new field of a `#[non_exhaustive]` model");
        }
        (Some(x), Some(y)) if !sides.same_type(&x.ty, &y.ty) => {
            let at = At { section: SECTION, rust: format!("{}::{}", at.rust, y.field), old: at.old, new: at.new };
            let what = format!(
                "other members `{}` → `{}`",
                super::type_text(&x.ty),
                super::type_text(&y.ty)
            );
            out.push(Kind::Property, Impact::Breaking, &at, what, "the map's value type changed");
        }
        _ => {}
    }
}

fn field(sides: &Sides<'_>, out: &mut Changes, at: &At<'_>, a: &Field, b: &Field) {
    let text = |f: &Field| {
        let mut t = super::type_text(&f.ty);
        if f.boxed {
            t = format!("Box<{t}>");
        }
        if !f.required {
            t = format!("Option<{t}>");
        }
        t
    };
    let (ta, tb) = (text(a), text(b));
    if !sides.same_type(&a.ty, &b.ty) || a.boxed != b.boxed {
        out.push(Kind::Property, Impact::Breaking, at, format!("type `{ta}` → `{tb}`"), "code reading or setting it no longer compiles");
    } else if a.required != b.required {
        let why = if a.read_only != b.read_only { "read-only fields are optional: the field's type changed" } else { "the field's type changed" };
        let what = format!("{} → {} (`{ta}` → `{tb}`)", required(a), required(b));
        out.push(Kind::Property, Impact::Breaking, at, what, why);
    } else if b.read_only && !a.read_only {
        // Read-only fields have no `with_*` setter.
        let why = format!("no longer sent in request bodies, and its setter `with_{}` is removed", crate::naming::unraw(&b.name.rust));
        out.push(Kind::Property, Impact::Breaking, at, "now read-only", why);
    } else if a.read_only && !b.read_only {
        out.push(Kind::Property, Impact::Behavioural, at, "no longer read-only", "now sent in request bodies (and settable with a new `with_*` setter)");
    }
    if a.send_null != b.send_null && a.required == b.required {
        let what = if b.send_null { "`None` now sent as `null`" } else { "`None` no longer sent as `null`" };
        out.push(Kind::Property, Impact::Behavioural, at, what, "a request body changes for the same value");
    }
    if a.name.wire != b.name.wire {
        let what = format!("wire name `{}` → `{}`", a.name.wire, b.name.wire);
        out.push(Kind::Property, Impact::Behavioural, at, what, "the same Rust field is read and sent under another JSON name");
    }
    out.default_value(Kind::Property, at, a.default.as_ref(), b.default.as_ref());
    out.constraints(at, &a.constraints, &b.constraints);
    out.docs(at, a.doc.as_deref(), b.doc.as_deref(), "description");
}

fn required(f: &Field) -> &'static str {
    if f.required {
        "required"
    } else if f.read_only {
        "read-only"
    } else {
        "optional"
    }
}

fn enumeration(out: &mut Changes, at: &At<'_>, a: &Enum, b: &Enum) {
    if a.open != b.open {
        let (what, why) = if b.open {
            ("closed → open (`x-ms-enum.modelAsString`)", "gains a catch-all variant and loses `Copy`, `ALL` and `FromStr`")
        } else {
            ("open → closed", "loses its catch-all variant: matches on it and `From<&str>` no longer compile")
        };
        out.push(Kind::Model, Impact::Breaking, at, what, why);
    }
    for (name, va, vb) in pairs(&a.variants, &b.variants, |v| &v.name.rust) {
        let rust = format!("{}::{name}", at.rust);
        match (va, vb) {
            (Some(v), None) => {
                let at = At { section: SECTION, rust, old: Some(&v.pointer), new: None };
                let renamed = b.variants.iter().find(|w| w.name.wire == v.name.wire).map(|w| format!(", now `{}`", w.name.rust));
                let what = format!("value `{}` removed{}", v.name.wire, renamed.unwrap_or_default());
                out.push(Kind::EnumValue, Impact::Breaking, &at, what, "code naming the variant no longer compiles");
            }
            (None, Some(v)) if b.open => {
                let at = At { section: SECTION, rust, old: None, new: Some(&v.pointer) };
                let why = format!("open enum: clients built from OLD receive it as `{}(\"{}\")`", b.other, v.name.wire);
                out.push(Kind::EnumValue, Impact::Additive, &at, format!("value `{}` added", v.name.wire), why);
            }
            (None, Some(v)) => {
                let at = At { section: SECTION, rust, old: None, new: Some(&v.pointer) };
                // A new variant (minor), which clients built from OLD fail to decode.
                let why = "closed enum: clients built from OLD cannot decode a response that carries it";
                out.push_with(Kind::EnumValue, Impact::Behavioural, Semver::Minor, &at, format!("value `{}` added", v.name.wire), why);
            }
            (Some(va), Some(vb)) => {
                let at = At { section: SECTION, rust, old: Some(&va.pointer), new: Some(&vb.pointer) };
                if va.name.wire != vb.name.wire {
                    let what = format!("wire value `{}` → `{}`", va.name.wire, vb.name.wire);
                    out.push(Kind::EnumValue, Impact::Behavioural, &at, what, "the same variant is sent and recognised as another value");
                }
                out.docs(&at, va.doc.as_deref(), vb.doc.as_deref(), "description");
            }
            (None, None) => {}
        }
    }
}

fn union(out: &mut Changes, at: &At<'_>, a: &Union, b: &Union) {
    if a.property != b.property {
        let shown = |p: &Option<String>| p.clone().unwrap_or_else(|| "(untagged)".into());
        let what = format!("discriminator property `{}` → `{}`", shown(&a.property), shown(&b.property));
        out.push(Kind::Model, Impact::Behavioural, at, what, "kinds are told apart by another member");
    }
    if a.unknown != b.unknown {
        let shown = |u: &Option<String>| u.clone().unwrap_or_else(|| "(none)".into());
        let what = format!("catch-all variant `{}` → `{}`", shown(&a.unknown), shown(&b.unknown));
        out.push(Kind::Model, Impact::Breaking, at, what, "matches on the catch-all variant no longer compile");
    }
    for (name, va, vb) in pairs(&a.variants, &b.variants, |v| &v.name.rust) {
        let rust = format!("{}::{name}", at.rust);
        match (va, vb) {
            (Some(v), None) => {
                let at = At { section: SECTION, rust, old: Some(&v.pointer), new: None };
                out.push(Kind::EnumValue, Impact::Breaking, &at, format!("kind `{}` removed", v.name.wire), "code naming the variant no longer compiles");
            }
            (None, Some(v)) => {
                let at = At { section: SECTION, rust, old: None, new: Some(&v.pointer) };
                let why = match &a.unknown {
                    Some(unknown) => format!("unions are `#[non_exhaustive]`; clients built from OLD keep it as JSON in `{unknown}`"),
                    None => "unions are `#[non_exhaustive]`; clients built from OLD fail to decode it".into(),
                };
                let what = format!("kind `{}` added (`{}`)", v.name.wire, super::type_text(&v.ty));
                out.push(Kind::EnumValue, Impact::Additive, &at, what, why);
            }
            (Some(va), Some(vb)) => {
                let at = At { section: SECTION, rust, old: Some(&va.pointer), new: Some(&vb.pointer) };
                if va.ty != vb.ty {
                    let what = format!("variant type `{}` → `{}`", super::type_text(&va.ty), super::type_text(&vb.ty));
                    out.push(Kind::EnumValue, Impact::Breaking, &at, what, "code matching the variant no longer compiles");
                }
                if va.name.wire != vb.name.wire {
                    let what = format!("discriminator value `{}` → `{}`", va.name.wire, vb.name.wire);
                    out.push(Kind::EnumValue, Impact::Behavioural, &at, what, "the same variant is sent and recognised as another kind");
                }
            }
            (None, None) => {}
        }
    }
}
