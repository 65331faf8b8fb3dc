//! Rewrites of the models once their shapes are known: merge-patch types for PATCH bodies (made while
//! operations are lowered, where the body and the resource it patches are known), then, over the
//! whole model set, boxing of recursive fields and which structs can derive `Default`.

use std::collections::{BTreeMap, BTreeSet};

use super::responses::MERGE_PATCH;
use super::schemas::TypeRegistry;
use crate::ir::{Alias, Body, ModelName, Name, Output, Response, TypeDef, TypeRef};

/// A merge-patch body given as a bare object, or as the resource itself, takes the patch type of the
/// resource it returns; when there is no patch type (a union), a bare object body takes the
/// resource's own type.
pub(super) fn merge_patch_body(types: &mut TypeRegistry, body: &mut Body, response: &Response) {
    if body.content_type != MERGE_PATCH {
        return;
    }
    let target = match (&body.ty, &response.output) {
        (TypeRef::Named(n), _) => n.clone(),
        (TypeRef::Any, Output::Json(TypeRef::Named(n))) => n.clone(),
        _ => return,
    };
    match patch_type(types, &target) {
        Some(patch) => body.ty = TypeRef::Named(patch),
        None if body.ty == TypeRef::Any => body.ty = TypeRef::Named(target),
        None => {}
    }
}

/// The merge-patch counterpart of a struct: every field optional. Created once per model.
fn patch_type(types: &mut TypeRegistry, model: &ModelName) -> Option<ModelName> {
    let model = types.resolve_alias(model);
    let existing = types.types().values().find_map(|t| match t {
        TypeDef::Struct(s) if s.patch_of.as_ref() == Some(&model) => Some(ModelName::new(s.name.rust.clone())),
        _ => None,
    });
    if existing.is_some() {
        return existing;
    }
    let Some(TypeDef::Struct(s)) = types.get(model.as_str()) else { return None };
    let mut patch = s.clone();
    patch.doc = Some(format!(
        "Merge-patch body for [`{0}`]({0}): set only the fields to change; unset fields are left as they are. \
         To clear a field, put `null` under its wire name in `additional_properties`.",
        s.name.rust
    ));
    for f in &mut patch.fields {
        f.required = false;
        f.send_null = false;
    }
    let name = types.claim_patch_name(&model);
    patch.name = Name { rust: name.to_string(), wire: String::new() };
    patch.patch_of = Some(model);
    types.insert(name.clone(), TypeDef::Struct(patch));
    Some(name)
}

/// Boxes every field through which a struct contains itself by value.
pub(super) fn box_recursive_fields(types: &mut BTreeMap<ModelName, TypeDef>) {
    let names: Vec<ModelName> = types.keys().cloned().collect();
    for name in &names {
        let TypeDef::Struct(s) = &types[name] else { continue };
        let fields: Vec<(usize, ModelName)> = s
            .fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| match &f.ty {
                TypeRef::Named(n) => Some((i, n.clone())),
                _ => None,
            })
            .collect();
        for (i, target) in fields {
            if reaches(types, &target, name) {
                if let Some(TypeDef::Struct(s)) = types.get_mut(name) {
                    s.fields[i].boxed = true;
                }
            }
        }
    }
}

/// Marks every struct whose required fields all have a default as deriving `Default` (to a fixed
/// point: a struct field has a default once its struct derives one).
pub(super) fn derive_default(types: &mut BTreeMap<ModelName, TypeDef>) {
    let names: Vec<ModelName> = types.keys().cloned().collect();
    loop {
        let mut changed = false;
        for name in &names {
            let can = match &types[name] {
                TypeDef::Struct(s) if !s.default => s.fields.iter().all(|f| !f.required || defaultable(types, &f.ty)),
                _ => false,
            };
            if can {
                if let Some(TypeDef::Struct(s)) = types.get_mut(name) {
                    s.default = true;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
}

/// Whether `from` contains `to` by value (not behind a `Vec`, a map or a box).
fn reaches(types: &BTreeMap<ModelName, TypeDef>, from: &ModelName, to: &ModelName) -> bool {
    let mut stack = vec![from.clone()];
    let mut seen = BTreeSet::new();
    while let Some(n) = stack.pop() {
        if &n == to {
            return true;
        }
        if !seen.insert(n.clone()) {
            continue;
        }
        match types.get(&n) {
            Some(TypeDef::Struct(s)) => {
                for f in s.fields.iter().filter(|f| !f.boxed) {
                    if let TypeRef::Named(t) = &f.ty {
                        stack.push(t.clone());
                    }
                }
            }
            Some(TypeDef::Union(u)) => stack.extend(u.variants.iter().map(|v| v.ty.clone())),
            Some(TypeDef::Alias(Alias { ty: TypeRef::Named(t), .. })) => stack.push(t.clone()),
            _ => {}
        }
    }
    false
}

fn defaultable(types: &BTreeMap<ModelName, TypeDef>, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::DateTime => false,
        TypeRef::Named(n) => match types.get(n) {
            Some(TypeDef::Struct(s)) => s.default,
            Some(TypeDef::Alias(a)) => defaultable(types, &a.ty),
            _ => false,
        },
        _ => true,
    }
}
