//! Unions: discriminated hierarchies (a base and its `allOf` subtypes, and a subtype with subtypes
//! of its own where it is used as a type) and `oneOf` / `anyOf`. A `oneOf` is tagged by its
//! `discriminator` (values from `mapping`, else component names), or by a property every member
//! pins to a distinct single value; otherwise it is untagged and decoding tries its members in
//! document order. `null` members make the use site optional instead of being a variant.

use std::rc::Rc;

use openapiv3::{ReferenceOr, Schema};

use super::flat::{flat, is_null, is_struct_like};
use super::inherit::{mapping_values, Inherited};
use super::schemas::TypeRegistry;
use super::{Cx, Diagnostics};
use crate::error::Error;
use crate::ir::{Name, TypeRef, Union, UnionVariant};
use crate::json::push_pointer;
use crate::naming::{self, inline};

/// What a `oneOf` / `anyOf` lowers to.
pub(super) enum OneOf {
    /// A single member besides `null`: its type (where the schema is used, it is optional).
    Single(TypeRef),
    Union(Union),
}

/// A non-null member of a `oneOf`.
struct Member<'a> {
    schema: &'a ReferenceOr<Schema>,
    pointer: String,
    /// The component schema a `$ref` member names.
    component: Option<String>,
    resolved: &'a Schema,
}

/// How a union's members are told apart.
struct Tagging {
    property: String,
    /// Per member, its values (several when a `mapping` gives several).
    values: Vec<Vec<String>>,
    /// Whether a value outside `values` may be met: the members do not pin the property to an enum.
    open: bool,
}

impl<'a> TypeRegistry<'a> {
    /// A hierarchy's union of `members` (discriminator value, component name), named after the
    /// component `name.wire`, which keeps kinds it does not know as JSON. Two members with one value cannot be told apart on the wire: the first
    /// decodes it (a warning).
    pub(super) fn hierarchy_union(
        &self,
        cx: &Cx<'_>,
        diag: &mut Diagnostics,
        name: Name,
        doc: Option<String>,
        property: &str,
        members: &[(String, String)],
    ) -> Union {
        for (i, (value, member)) in members.iter().enumerate() {
            if let Some((_, first)) = members[..i].iter().find(|(v, _)| v == value) {
                let message = format!("discriminator value \"{value}\" is also {first}'s; it decodes as {first}");
                diag.warn(&cx.schema_pointer(member), message);
            }
        }
        let values: Vec<&str> = members.iter().map(|(value, _)| value.as_str()).collect();
        let (variant_names, unknown) = naming::union_variants(&values);
        let variants = members
            .iter()
            .zip(variant_names)
            .map(|((value, member), rust)| UnionVariant {
                name: Name { rust, wire: value.clone() },
                ty: TypeRef::Named(self.schema_names[member].clone()),
                pointer: cx.schema_pointer(member),
            })
            .collect();
        let pointer = cx.schema_pointer(&name.wire);
        Union { name, doc, property: Some(property.to_string()), writes_tag: false, variants, unknown: Some(unknown), pointer }
    }

    /// A `oneOf` (or else `anyOf`) of `f`: named `name` (a component), or after `context`.
    pub(super) fn one_of(
        &mut self,
        cx: &Cx<'a>,
        diag: &mut Diagnostics,
        f: &super::flat::Flat<'a>,
        name: Option<Name>,
        context: &str,
        pointer: &str,
    ) -> Result<OneOf, Error> {
        let (key, list) = if f.one_of.is_empty() { ("anyOf", f.any_of) } else { ("oneOf", f.one_of) };
        let list_pointer = push_pointer(pointer, key);
        let mut members = Vec::new();
        for (i, schema) in list.iter().enumerate() {
            let p = push_pointer(&list_pointer, &i.to_string());
            let (component, resolved) = match schema {
                ReferenceOr::Reference { reference } => {
                    let (n, s) = cx.resolve_schema_ref(reference, &p)?;
                    (Some(n), s)
                }
                ReferenceOr::Item(s) => (None, s),
            };
            if !is_null(&flat(resolved)) {
                members.push(Member { schema, pointer: p, component, resolved });
            }
        }
        self.budget.spend(cx, members.len(), pointer)?;
        if members.len() < 2 {
            let ty = match members.first() {
                Some(m) => self.type_of_ref(cx, diag, m.schema, context, &m.pointer)?,
                None => TypeRef::Any,
            };
            return Ok(OneOf::Single(ty));
        }
        let name = name.unwrap_or_else(|| Name { rust: self.names.claim(&naming::type_name(context)), wire: String::new() });
        let doc = f.data.description.clone().or_else(|| f.data.title.clone());
        let tagging = match &f.data.discriminator {
            Some(d) => self.declared_tags(cx, &d.property_name, &d.mapping, &members, pointer)?,
            None => self.inferred_tags(cx, &members)?,
        };
        let mut variants = Vec::new();
        let mut kinds = Vec::new();
        for (i, m) in members.iter().enumerate() {
            let title = m.resolved.schema_data.title.clone().unwrap_or_else(|| format!("Variant{i}"));
            let hint = match (&tagging, &m.component) {
                (Some(t), None) => t.values[i][0].clone(),
                _ => title.clone(),
            };
            let ty = self.type_of_ref(cx, diag, m.schema, &inline::variant(&name.rust, &hint), &m.pointer)?;
            kinds.push(match (&ty, &m.component) {
                (TypeRef::Named(n), Some(_)) => n.to_string(),
                (TypeRef::Named(_), None) => title,
                (other, _) => kind_name(other).to_string(),
            });
            variants.push((ty, m.pointer.clone()));
        }
        let Some(tagging) = tagging else {
            let kinds: Vec<&str> = kinds.iter().map(String::as_str).collect();
            let variants = variants
                .into_iter()
                .zip(naming::untagged_variants(&kinds))
                .map(|((ty, pointer), rust)| UnionVariant { name: Name { rust, wire: String::new() }, ty, pointer })
                .collect();
            let pointer = pointer.to_string();
            return Ok(OneOf::Union(Union { name, doc, property: None, writes_tag: false, variants, unknown: None, pointer }));
        };
        let values: Vec<&str> = tagging.values.iter().flatten().map(String::as_str).collect();
        let (names, unknown) = naming::union_variants(&values);
        let per_value = variants.iter().zip(&tagging.values).flat_map(|(v, vals)| vals.iter().map(move |value| (v, value)));
        let out = per_value
            .zip(names)
            .map(|(((ty, p), value), rust)| UnionVariant { name: Name { rust, wire: value.clone() }, ty: ty.clone(), pointer: p.clone() })
            .collect();
        Ok(OneOf::Union(Union {
            name,
            doc,
            property: Some(tagging.property),
            writes_tag: true,
            variants: out,
            unknown: tagging.open.then_some(unknown),
            pointer: pointer.to_string(),
        }))
    }

    /// Tags from a `discriminator`: each member's `mapping` values, else its component name, else
    /// (an inline member) the single value it pins the property to. `None` (untagged) when an inline
    /// member pins none.
    fn declared_tags(
        &mut self,
        cx: &Cx<'a>,
        property: &str,
        mapping: &indexmap::IndexMap<String, String>,
        members: &[Member<'a>],
        pointer: &str,
    ) -> Result<Option<Tagging>, Error> {
        let mapped = mapping_values(cx, mapping, pointer);
        let mut values = Vec::new();
        let mut open = false;
        for m in members {
            let pinned = self.property_values(cx, m, property)?;
            open |= pinned.is_none();
            let value = match (&m.component, pinned) {
                (Some(c), _) => mapped.get(c).cloned().unwrap_or_else(|| vec![c.clone()]),
                (None, Some(p)) if p.len() == 1 => p,
                (None, _) => return Ok(None),
            };
            values.push(value);
        }
        Ok(Some(Tagging { property: property.to_string(), values, open }))
    }

    /// Tags inferred without a `discriminator`: the first property of the first member that every
    /// member pins to a single string value, all values distinct. Such a union is closed.
    fn inferred_tags(&mut self, cx: &Cx<'a>, members: &[Member<'a>]) -> Result<Option<Tagging>, Error> {
        let Some(candidates) = self.properties(cx, &members[0])? else { return Ok(None) };
        'property: for property in candidates {
            let mut values: Vec<Vec<String>> = Vec::new();
            for m in members {
                match self.property_values(cx, m, &property)? {
                    Some(v) if v.len() == 1 && !values.iter().any(|seen| seen[0] == v[0]) => values.push(v),
                    _ => continue 'property,
                }
            }
            return Ok(Some(Tagging { property, values, open: false }));
        }
        Ok(None)
    }

    /// What an object member has along `allOf`; `None` for other members.
    fn inherited(&mut self, cx: &Cx<'a>, m: &Member<'a>) -> Result<Option<Rc<Inherited<'a>>>, Error> {
        let f = flat(m.resolved);
        if !is_struct_like(&f) {
            return Ok(None);
        }
        Ok(Some(match &m.component {
            Some(c) => self.inheritance.component(cx, c, m.resolved, &m.pointer)?,
            None => Rc::new(self.inheritance.collect(cx, &f, &m.pointer)?),
        }))
    }

    /// The property names of an object member, `None` for other members.
    fn properties(&mut self, cx: &Cx<'a>, m: &Member<'a>) -> Result<Option<Vec<String>>, Error> {
        Ok(self.inherited(cx, m)?.map(|i| i.properties.keys().cloned().collect()))
    }

    /// The string values a member's `property` is restricted to by an `enum`, if it has the
    /// property and such an enum.
    fn property_values(&mut self, cx: &Cx<'a>, m: &Member<'a>, property: &str) -> Result<Option<Vec<String>>, Error> {
        let Some(inherited) = self.inherited(cx, m)? else { return Ok(None) };
        let Some((schema, p)) = inherited.properties.get(property) else { return Ok(None) };
        let schema: &Schema = match schema {
            ReferenceOr::Reference { reference } => cx.resolve_schema_ref(reference, p)?.1,
            ReferenceOr::Item(s) => s,
        };
        let values: Vec<String> = flat(schema).enumeration.iter().filter_map(|v| v.as_str().map(str::to_string)).collect();
        Ok((!values.is_empty()).then_some(values))
    }
}

/// What an untagged variant holding `ty` is called when no model names it.
fn kind_name(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::String => "String",
        TypeRef::Bool => "Boolean",
        TypeRef::I32 | TypeRef::I64 => "Integer",
        TypeRef::F32 | TypeRef::F64 => "Number",
        TypeRef::DateTime => "DateTime",
        TypeRef::Base64 | TypeRef::Base64Url => "Bytes",
        TypeRef::Date => "Date",
        TypeRef::Duration => "Duration",
        TypeRef::UnixTime => "UnixTime",
        TypeRef::Nullable(inner) => kind_name(inner),
        TypeRef::Any => "Value",
        TypeRef::Vec(_) => "Array",
        TypeRef::Map(_) => "Map",
        TypeRef::Named(_) => "Model",
    }
}
