//! The API change report: what replacing the module generated from one document (OLD) by the module
//! generated from another (NEW) changes for code written against OLD's.
//!
//! Both documents are lowered into the IR and compared there, so a wire rename behind a stable Rust
//! name, or a refactor of the document that generates the same code, is seen for what it does.
//! Every [`Change`] has a [`Kind`], the Rust path and the JSON pointers in both documents, and an
//! [`Impact`] with a one-line reason; the report's [`Semver`] verdict is the crate-level effect
//! (breaking → major, else any addition to the API → minor, else patch).
//!
//! The rules assume generated models and enums are `#[non_exhaustive]` (a new optional field or a
//! new enum value is an addition, not a break) and that structs without `Default` are built with a
//! `new(required…)` constructor (a new required field changes it). `models` compares the types,
//! `operations` the operations (parameters, bodies, responses, paging, long-running), `client` the
//! client (server, constructor, scope, api-version); `render` writes the report as text, Markdown
//! or JSON.

mod client;
mod models;
mod operations;
mod render;
mod responses;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::Error;
use crate::ir::{resolve_alias, Api, Constraints, ModelName, TypeDef, TypeRef};

/// What a change is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Operation,
    Parameter,
    Model,
    Property,
    EnumValue,
    Response,
    ErrorModel,
    Paging,
    Lro,
    Etag,
    Host,
    Auth,
    ApiVersion,
    Constraint,
    Docs,
}

impl Kind {
    /// The kind as written in reports (`enum value`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Operation => "operation",
            Kind::Parameter => "parameter",
            Kind::Model => "model",
            Kind::Property => "property",
            Kind::EnumValue => "enum value",
            Kind::Response => "response",
            Kind::ErrorModel => "error model",
            Kind::Paging => "paging",
            Kind::Lro => "LRO",
            Kind::Etag => "ETag/If-Match",
            Kind::Host => "host/base path",
            Kind::Auth => "auth/scope",
            Kind::ApiVersion => "api-version",
            Kind::Constraint => "constraint",
            Kind::Docs => "docs",
        }
    }
}

/// What a change does to code written against OLD's generated module; declared most severe first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Such code may no longer compile.
    Breaking,
    /// Same signatures, different wire behaviour.
    Behavioural,
    /// Something new; existing code compiles and behaves as before.
    Additive,
    /// Only documentation changes.
    DocsOnly,
}

impl Impact {
    pub const ALL: [Impact; 4] = [Impact::Breaking, Impact::Behavioural, Impact::Additive, Impact::DocsOnly];

    pub fn as_str(self) -> &'static str {
        match self {
            Impact::Breaking => "breaking",
            Impact::Behavioural => "behavioural",
            Impact::Additive => "additive",
            Impact::DocsOnly => "docs-only",
        }
    }
}

/// The crate version bump a change calls for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Semver {
    Patch,
    Minor,
    Major,
}

impl Semver {
    pub fn as_str(self) -> &'static str {
        match self {
            Semver::Patch => "patch",
            Semver::Minor => "minor",
            Semver::Major => "major",
        }
    }
}

/// One change between OLD and NEW.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub kind: Kind,
    pub impact: Impact,
    /// The crate-level effect: major for breaking, minor for additive and for a behavioural change
    /// that also adds to the API (a closed enum's new value), else patch.
    pub semver: Semver,
    /// Where the reader finds it in the generated API: `Client`, `DevicesClient` (an operation
    /// group's accessor struct) or `models`.
    pub section: String,
    /// The Rust path: `models::Device::display_name`, `DevicesClient::get`.
    pub rust: String,
    /// JSON pointer in OLD (absent for an addition).
    pub old: Option<String>,
    /// JSON pointer in NEW (absent for a removal).
    pub new: Option<String>,
    /// What changed, in a few words.
    pub what: String,
    /// Why it has its impact, in one line.
    pub why: String,
}

/// The changes from OLD to NEW, in report order: most severe first, then by section and Rust path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// The documents as named on the command line (or in the manifest).
    pub old: String,
    pub new: String,
    pub changes: Vec<Change>,
}

impl Report {
    /// The crate-level effect of replacing OLD's generated module by NEW's.
    pub fn semver(&self) -> Semver {
        self.changes.iter().map(|c| c.semver).max().unwrap_or(Semver::Patch)
    }

    /// How many changes have `impact`.
    pub fn count(&self, impact: Impact) -> usize {
        self.changes.iter().filter(|c| c.impact == impact).count()
    }

    pub fn is_breaking(&self) -> bool {
        self.count(Impact::Breaking) > 0
    }
}

/// Compares two lowered documents.
pub fn compare(old: &Api, new: &Api) -> Report {
    let mut out = Changes::default();
    let sides = Sides { old, new };
    client::compare(&sides, &mut out);
    models::compare(&sides, &mut out);
    operations::compare(&sides, &mut out);
    let mut changes = out.changes;
    changes.sort_by(|a, b| {
        (a.impact, &a.section, &a.rust, a.kind, &a.what).cmp(&(b.impact, &b.section, &b.rust, b.kind, &b.what))
    });
    changes.dedup();
    Report { old: old.source.clone(), new: new.source.clone(), changes }
}

/// Lowers both documents (named in the report by `old_display` and `new_display`) and compares them.
pub fn compare_files(old: &Path, old_display: &str, new: &Path, new_display: &str) -> Result<Report, Error> {
    let old = crate::lower_file(old, old_display)?;
    let new = crate::lower_file(new, new_display)?;
    Ok(compare(&old, &new))
}

/// OLD and NEW, with what every comparison asks of them.
pub(crate) struct Sides<'a> {
    pub old: &'a Api,
    pub new: &'a Api,
}

impl Sides<'_> {
    /// Whether `a` in OLD and `b` in NEW are the same Rust type (aliases looked through).
    pub fn same_type(&self, a: &TypeRef, b: &TypeRef) -> bool {
        resolved(&self.old.types, a) == resolved(&self.new.types, b)
    }
}

/// The members of `old` and `new` matched by `name`, in name order: `(name, in OLD, in NEW)`.
pub(crate) fn pairs<'t, T>(old: &'t [T], new: &'t [T], name: impl Fn(&T) -> &String) -> Vec<(&'t str, Option<&'t T>, Option<&'t T>)> {
    let names: std::collections::BTreeSet<&'t str> = old.iter().chain(new).map(|t| name(t).as_str()).collect();
    let find = |list: &'t [T], n: &str| list.iter().find(|t| name(t) == n);
    names.into_iter().map(|n| (n, find(old, n), find(new, n))).collect()
}

/// `ty` with every alias replaced by what it stands for, at any depth.
fn resolved(types: &BTreeMap<ModelName, TypeDef>, ty: &TypeRef) -> TypeRef {
    match resolve_alias(types, ty) {
        TypeRef::Vec(inner) => TypeRef::Vec(Box::new(resolved(types, &inner))),
        TypeRef::Map(inner) => TypeRef::Map(Box::new(resolved(types, &inner))),
        other => other,
    }
}

/// A type as Rust code names it, shortly (`Vec<Device>`; `Option` is up to the caller).
fn type_text(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F32 => "f32".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Base64 => "Base64".into(),
        TypeRef::Base64Url => "Base64Url".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::Duration => "Duration".into(),
        TypeRef::UnixTime => "UnixTime".into(),
        TypeRef::Nullable(inner) => format!("Option<{}>", type_text(inner)),
        TypeRef::Any => "serde_json::Value".into(),
        TypeRef::Named(n) => n.to_string(),
        TypeRef::Vec(inner) => format!("Vec<{}>", type_text(inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", type_text(inner)),
    }
}

/// Where a change is: its section, Rust path and the pointers in both documents.
pub(crate) struct At<'p> {
    pub section: &'p str,
    pub rust: String,
    pub old: Option<&'p str>,
    pub new: Option<&'p str>,
}

/// The changes found so far.
#[derive(Default)]
pub(crate) struct Changes {
    changes: Vec<Change>,
}

impl Changes {
    /// Records a change; its semver effect follows from its impact.
    pub fn push(&mut self, kind: Kind, impact: Impact, at: &At<'_>, what: impl Into<String>, why: impl Into<String>) {
        let semver = match impact {
            Impact::Breaking => Semver::Major,
            Impact::Additive => Semver::Minor,
            Impact::Behavioural | Impact::DocsOnly => Semver::Patch,
        };
        self.push_with(kind, impact, semver, at, what, why);
    }

    /// Records a change with its own semver effect.
    pub fn push_with(&mut self, kind: Kind, impact: Impact, semver: Semver, at: &At<'_>, what: impl Into<String>, why: impl Into<String>) {
        self.changes.push(Change {
            kind,
            impact,
            semver,
            section: at.section.to_string(),
            rust: at.rust.clone(),
            old: at.old.map(str::to_string),
            new: at.new.map(str::to_string),
            what: what.into(),
            why: why.into(),
        });
    }

    /// A docs-only change when a description differs.
    pub fn docs(&mut self, at: &At<'_>, old: Option<&str>, new: Option<&str>, what: &str) {
        let norm = |d: Option<&str>| d.map(str::trim).filter(|d| !d.is_empty()).map(str::to_string);
        if norm(old) != norm(new) {
            self.push(Kind::Docs, Impact::DocsOnly, at, format!("{what} changed"), "documentation only");
        }
    }

    /// A behavioural change when a `default` differs.
    pub fn default_value(&mut self, kind: Kind, at: &At<'_>, old: Option<&serde_json::Value>, new: Option<&serde_json::Value>) {
        if old == new {
            return;
        }
        let show = |v: Option<&serde_json::Value>| v.map_or("none".to_string(), |v| format!("`{v}`"));
        self.push(
            kind,
            Impact::Behavioural,
            at,
            format!("default {} → {}", show(old), show(new)),
            "the service assumes another value when it is left out",
        );
    }

    /// A behavioural change when the validation keywords differ, saying whether they tightened.
    pub fn constraints(&mut self, at: &At<'_>, old: &Constraints, new: &Constraints) {
        if old == new {
            return;
        }
        let (before, after) = (describe(old), describe(new));
        let why = if tighter(old, new) && !tighter(new, old) {
            "tightened: the service may reject values OLD allowed"
        } else if tighter(new, old) && !tighter(old, new) {
            "loosened: the service may send values OLD ruled out"
        } else {
            "changed: the service accepts and sends other values"
        };
        self.push(Kind::Constraint, Impact::Behavioural, at, format!("{before} → {after}"), why);
    }
}

/// The validation keywords as text (`minimum 1, maxLength 64`); `none` when there are none.
fn describe(c: &Constraints) -> String {
    let num = |v: f64| if v.fract() == 0.0 && v.abs() < 1e15 { format!("{}", v as i64) } else { format!("{v}") };
    let mut parts = Vec::new();
    let bound = |name: &str, exclusive: bool, v: Option<f64>| v.map(|v| format!("{name}{} {}", if exclusive { " (exclusive)" } else { "" }, num(v)));
    parts.extend(bound("minimum", c.exclusive_minimum, c.minimum));
    parts.extend(bound("maximum", c.exclusive_maximum, c.maximum));
    parts.extend(c.multiple_of.map(|v| format!("multipleOf {}", num(v))));
    parts.extend(c.min_length.map(|v| format!("minLength {v}")));
    parts.extend(c.max_length.map(|v| format!("maxLength {v}")));
    parts.extend(c.pattern.as_ref().map(|p| format!("pattern `{p}`")));
    parts.extend(c.min_items.map(|v| format!("minItems {v}")));
    parts.extend(c.max_items.map(|v| format!("maxItems {v}")));
    if c.unique_items {
        parts.push("uniqueItems".into());
    }
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(", ")
    }
}

/// Whether `new` rules out something `old` allows (a bound added or narrowed, a pattern added or
/// changed).
fn tighter(old: &Constraints, new: &Constraints) -> bool {
    fn lower<T: PartialOrd>(old: Option<T>, new: Option<T>) -> bool {
        match (old, new) {
            (None, Some(_)) => true,
            (Some(o), Some(n)) => n > o,
            _ => false,
        }
    }
    fn upper<T: PartialOrd>(old: Option<T>, new: Option<T>) -> bool {
        match (old, new) {
            (None, Some(_)) => true,
            (Some(o), Some(n)) => n < o,
            _ => false,
        }
    }
    lower(old.minimum, new.minimum)
        || upper(old.maximum, new.maximum)
        || (new.exclusive_minimum && !old.exclusive_minimum)
        || (new.exclusive_maximum && !old.exclusive_maximum)
        || (new.multiple_of.is_some() && new.multiple_of != old.multiple_of)
        || lower(old.min_length, new.min_length)
        || upper(old.max_length, new.max_length)
        || (new.pattern.is_some() && new.pattern != old.pattern)
        || lower(old.min_items, new.min_items)
        || upper(old.max_items, new.max_items)
        || (new.unique_items && !old.unique_items)
}
