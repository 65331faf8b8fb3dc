//! `allOf`: which component schemas inherit from which (discriminated hierarchies), and the
//! properties a schema has along its `allOf` chain. Each component's inheritance is collected once
//! and shared, so a wide or deep `allOf` graph costs its size, not the number of paths through it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::flat::{flat, Flat};
use super::{Budget, Cx};
use crate::error::Error;
use crate::extensions;
use crate::ir::Tag;
use crate::json::push_pointer;

/// How many `allOf` levels a schema may inherit through.
const MAX_ALL_OF_DEPTH: usize = 32;

/// A discriminated hierarchy rooted at a component schema.
#[derive(Debug)]
pub(super) struct Hierarchy {
    pub property: String,
    /// (discriminator value, subtype component name), in document order.
    pub members: Vec<(String, String)>,
}

/// Every discriminated hierarchy, and the tag each subtype writes.
#[derive(Debug, Default)]
pub(super) struct Hierarchies {
    /// Union bases by component name.
    pub bases: BTreeMap<String, Hierarchy>,
    /// Subtype component name → its discriminator property (not a field of the subtype: its
    /// `Serialize` writes it) and value.
    pub variant_of: BTreeMap<String, Tag>,
    /// Subtypes that have subtypes of their own, by component name: (value, component) of the
    /// subtype itself and then of each of its descendants, in document order. Where such a subtype
    /// is used as a type, a union of these stands for it, so its own subtypes survive decoding.
    pub sub_bases: BTreeMap<String, Vec<(String, String)>>,
}

/// Finds every schema with a discriminator and the subtypes that inherit from it via `allOf`
/// (directly or through other schemas), in document order. A subtype of several bases takes the
/// tag of the last.
pub(super) fn find_hierarchies(cx: &Cx<'_>, budget: &mut Budget) -> Result<Hierarchies, Error> {
    let names: Vec<&String> = cx.components_schemas().map(|(name, _)| name).collect();
    let index: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); names.len()];
    for (i, (name, schema)) in cx.components_schemas().enumerate() {
        let ReferenceOr::Item(schema) = schema else { continue };
        for part in flat(schema).all_of {
            if let ReferenceOr::Reference { reference } = part {
                let (parent, _) = cx.resolve_schema_ref(reference, &cx.schema_pointer(name))?;
                if let Some(&p) = index.get(parent.as_str()) {
                    children[p].push(i);
                }
            }
        }
    }
    let mut found = Hierarchies::default();
    for (b, (base, schema)) in cx.components_schemas().enumerate() {
        let ReferenceOr::Item(schema) = schema else { continue };
        let Some(discriminator) = &schema.schema_data.discriminator else { continue };
        let property = discriminator.property_name.clone();
        // Every descendant once, whatever the number of paths to it.
        let mut seen = BTreeSet::from([b]);
        let mut stack = vec![b];
        while let Some(n) = stack.pop() {
            for &c in &children[n] {
                if seen.insert(c) {
                    budget.spend(cx, 1, &cx.schema_pointer(base))?;
                    stack.push(c);
                }
            }
        }
        let mapped = mapping_values(cx, &discriminator.mapping, &cx.schema_pointer(base));
        let mut members = Vec::new();
        let mut values = BTreeMap::new();
        for &m in seen.iter().filter(|&&m| m != b) {
            let candidate = names[m];
            let Some(ReferenceOr::Item(subtype)) = cx.doc.components.as_ref().and_then(|c| c.schemas.get(candidate)) else {
                continue;
            };
            let value = extensions::discriminator_value(&subtype.schema_data.extensions)
                .or_else(|| mapped.get(candidate.as_str()).and_then(|v| v.first()).map(String::as_str))
                .unwrap_or(candidate)
                .to_string();
            found.variant_of.insert(candidate.clone(), Tag { property: property.clone(), value: value.clone() });
            values.insert(m, value.clone());
            members.push((value, candidate.clone()));
        }
        for &m in seen.iter().filter(|&&m| m != b) {
            let mut below = BTreeSet::new();
            let mut stack = vec![m];
            while let Some(n) = stack.pop() {
                for &c in &children[n] {
                    if c != b && below.insert(c) {
                        stack.push(c);
                    }
                }
            }
            below.remove(&m);
            let own: Vec<(String, String)> = std::iter::once(m)
                .chain(below)
                .filter_map(|d| Some((values.get(&d)?.clone(), names[d].clone())))
                .collect();
            if own.len() > 1 {
                found.sub_bases.insert(names[m].clone(), own);
            }
        }
        found.bases.insert(base.clone(), Hierarchy { property, members });
    }
    // A subtype with a discriminator of its own is already a union.
    let Hierarchies { bases, sub_bases, .. } = &mut found;
    sub_bases.retain(|name, _| !bases.contains_key(name));
    Ok(found)
}

/// An OpenAPI 3.0 discriminator `mapping` turned around: component name → the values that name it,
/// in mapping order. Targets that are no component schema are left out.
pub(super) fn mapping_values(cx: &Cx<'_>, mapping: &IndexMap<String, String>, pointer: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (value, target) in mapping {
        let reference = if target.contains('/') { target.clone() } else { format!("{}{target}", super::SCHEMA_REF) };
        if let Ok((name, _)) = cx.resolve_schema_ref(&reference, pointer) {
            out.entry(name).or_default().push(value.clone());
        }
    }
    out
}

/// What a schema has along `allOf`, parents first: its properties by wire name (with schema and
/// pointer; a later property of the same name replaces an earlier one in place), the required
/// names, the last `additionalProperties` seen, and how many levels it inherits through.
#[derive(Debug, Default)]
pub(super) struct Inherited<'a> {
    pub properties: IndexMap<String, (&'a ReferenceOr<Box<Schema>>, String)>,
    pub required: BTreeSet<String>,
    pub additional: Option<(&'a AdditionalProperties, String)>,
    depth: usize,
}

impl<'a> Inherited<'a> {
    fn extend(&mut self, parent: &Inherited<'a>) {
        for (name, (schema, pointer)) in &parent.properties {
            self.properties.insert(name.clone(), (*schema, pointer.clone()));
        }
        self.required.extend(parent.required.iter().cloned());
        if parent.additional.is_some() {
            self.additional = parent.additional.clone();
        }
        self.depth = self.depth.max(parent.depth + 1);
    }
}

/// The inheritance of every component schema, collected on first use.
#[derive(Debug, Default)]
pub(super) struct Inheritance<'a> {
    done: BTreeMap<String, Rc<Inherited<'a>>>,
    /// Components being collected, outermost first (a repeat is a cycle).
    collecting: Vec<String>,
}

impl<'a> Inheritance<'a> {
    /// The inheritance of component schema `name`; `at` is where it is needed (for errors).
    pub fn component(&mut self, cx: &Cx<'a>, name: &str, schema: &'a Schema, at: &str) -> Result<Rc<Inherited<'a>>, Error> {
        if let Some(done) = self.done.get(name) {
            return Ok(done.clone());
        }
        if let Some(start) = self.collecting.iter().position(|n| n == name) {
            let chain: Vec<&str> = self.collecting[start..].iter().map(String::as_str).chain([name]).collect();
            return Err(cx.err(at, format!("allOf cycle: {}", chain.join(" -> "))));
        }
        if self.collecting.len() > MAX_ALL_OF_DEPTH {
            return Err(too_deep(cx, at));
        }
        self.collecting.push(name.to_string());
        let result = self.collect(cx, &flat(schema), &cx.schema_pointer(name));
        self.collecting.pop();
        let done = Rc::new(result?);
        self.done.insert(name.to_string(), done.clone());
        Ok(done)
    }

    /// The inheritance of a schema at `pointer` (an inline one, or a component's own).
    pub fn collect(&mut self, cx: &Cx<'a>, f: &Flat<'a>, pointer: &str) -> Result<Inherited<'a>, Error> {
        let mut out = Inherited::default();
        for (i, part) in f.all_of.iter().enumerate() {
            let part_pointer = push_pointer(&push_pointer(pointer, "allOf"), &i.to_string());
            let parent = match part {
                ReferenceOr::Reference { reference } => {
                    let (name, schema) = cx.resolve_schema_ref(reference, &part_pointer)?;
                    self.component(cx, &name, schema, &part_pointer)?
                }
                ReferenceOr::Item(schema) => Rc::new(self.collect(cx, &flat(schema), &part_pointer)?),
            };
            if parent.depth >= MAX_ALL_OF_DEPTH {
                return Err(too_deep(cx, &part_pointer));
            }
            out.extend(&parent);
        }
        for (name, schema) in &f.properties {
            let p = push_pointer(&push_pointer(pointer, "properties"), name);
            out.properties.insert((*name).clone(), (schema, p));
        }
        out.required.extend(f.required.iter().cloned());
        if let Some(ap) = f.additional {
            out.additional = Some((ap, push_pointer(pointer, "additionalProperties")));
        }
        Ok(out)
    }
}

fn too_deep(cx: &Cx<'_>, at: &str) -> Error {
    cx.err(at, format!("allOf nesting is deeper than {MAX_ALL_OF_DEPTH} levels"))
}
