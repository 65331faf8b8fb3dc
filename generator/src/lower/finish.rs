//! Rewrites of the models once their shapes are known: merge-patch types for PATCH bodies (made while
//! operations are lowered, where the body and the resource it patches are known), then, over the
//! whole model set, a check that type aliases do not refer to themselves, boxing of recursive fields
//! and which structs can derive `Default`. Each pass is linear in the size of the model set (boxing
//! is, unless the models form one dense cycle; see [`box_recursive_fields`]).

use std::collections::BTreeMap;

use super::responses::MERGE_PATCH;
use super::schemas::TypeRegistry;
use super::Cx;
use crate::error::Error;
use crate::ir::{Body, ModelName, Name, Output, Response, TypeDef, TypeRef};

/// A merge-patch body given as a bare object, or as the resource itself, takes the patch type of the
/// resource it returns; when there is no patch type (a union), a bare object body takes the
/// resource's own type.
pub(super) fn merge_patch_body(types: &mut TypeRegistry<'_>, body: &mut Body, response: &Response) {
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
fn patch_type(types: &mut TypeRegistry<'_>, model: &ModelName) -> Option<ModelName> {
    let model = types.resolve_alias(model);
    if let Some(existing) = types.patch_of(&model) {
        return Some(existing.clone());
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
    patch.patch_of = Some(model.clone());
    types.insert_patch(model, name.clone(), TypeDef::Struct(patch));
    Some(name)
}

/// The models as a graph over their positions in `types`: what each contains by value.
struct Graph {
    names: Vec<ModelName>,
    /// Per model: (field index for a struct's field, else `None`; target model).
    edges: Vec<Vec<(Option<usize>, usize)>>,
    is_struct: Vec<bool>,
}

impl Graph {
    fn new(types: &BTreeMap<ModelName, TypeDef>) -> Self {
        let names: Vec<ModelName> = types.keys().cloned().collect();
        let index: BTreeMap<&ModelName, usize> = names.iter().enumerate().map(|(i, n)| (n, i)).collect();
        let target = |ty: &TypeRef| match ty {
            TypeRef::Named(n) => index.get(n).copied(),
            _ => None,
        };
        let edges = types
            .values()
            .map(|def| match def {
                TypeDef::Struct(s) => s.fields.iter().enumerate().filter_map(|(i, f)| Some((Some(i), target(&f.ty)?))).collect(),
                TypeDef::Union(u) => u.variants.iter().filter_map(|v| Some((None, target(&v.ty)?))).collect(),
                TypeDef::Alias(a) => target(&a.ty).map(|t| vec![(None, t)]).unwrap_or_default(),
                TypeDef::Enum(_) => Vec::new(),
            })
            .collect();
        let is_struct = types.values().map(|d| matches!(d, TypeDef::Struct(_))).collect();
        Graph { names, edges, is_struct }
    }
}

/// How many edges boxing may visit before it stops looking for the fewest boxes.
const BOXING_WORK: usize = 20_000_000;

/// Boxes the fields through which a struct contains itself by value: structs are taken in name
/// order, and each boxes every field whose type still reaches back to it (so a cycle of two structs
/// is broken once, in the first by name).
///
/// That rule is applied one strongly connected component at a time: the first struct of a component
/// boxes its fields into the component, and what remains of the component is split again. Should a
/// document's models form a cycle so dense that this would take more than [`BOXING_WORK`] steps,
/// the rest of that cycle boxes every field into its component instead (more boxes, same meaning).
pub(super) fn box_recursive_fields(types: &mut BTreeMap<ModelName, TypeDef>) {
    let graph = Graph::new(types);
    let mut boxed: Vec<Vec<usize>> = vec![Vec::new(); graph.names.len()];
    let mut removed = vec![Vec::new(); graph.names.len()];
    for (n, edges) in graph.edges.iter().enumerate() {
        removed[n] = vec![false; edges.len()];
    }
    let mut work = 0;
    let all: Vec<usize> = (0..graph.names.len()).collect();
    let mut pending = cycles(&graph, &removed, &all, &mut work);
    while let Some(component) = pending.pop() {
        let Some(&first) = component.iter().find(|&&n| graph.is_struct[n]) else { continue };
        let leaders: &[usize] = if work > BOXING_WORK { &component } else { std::slice::from_ref(&first) };
        let mut member = vec![false; graph.names.len()];
        component.iter().for_each(|&n| member[n] = true);
        for &n in leaders.iter().filter(|&&n| graph.is_struct[n]) {
            for (e, &(field, target)) in graph.edges[n].iter().enumerate() {
                if member[target] && !removed[n][e] {
                    removed[n][e] = true;
                    boxed[n].extend(field);
                }
            }
        }
        if work <= BOXING_WORK {
            pending.extend(cycles(&graph, &removed, &component, &mut work));
        }
    }
    for (n, fields) in boxed.into_iter().enumerate() {
        if let Some(TypeDef::Struct(s)) = types.get_mut(&graph.names[n]) {
            for i in fields {
                s.fields[i].boxed = true;
            }
        }
    }
}

/// The strongly connected components of the subgraph on `nodes` (ascending) that contain a cycle,
/// each ascending; edges marked `removed` are left out. Tarjan's algorithm, without recursion.
fn cycles(graph: &Graph, removed: &[Vec<bool>], nodes: &[usize], work: &mut usize) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let mut member = vec![false; graph.names.len()];
    nodes.iter().for_each(|&n| member[n] = true);
    let mut index = vec![UNSEEN; graph.names.len()];
    let mut low = vec![0; graph.names.len()];
    let mut on_stack = vec![false; graph.names.len()];
    let mut stack = Vec::new();
    let mut found = Vec::new();
    let mut next = 0;
    for &root in nodes {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, next edge to look at)
        let mut calls = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (n, ref mut e)) = calls.last_mut() {
            if let Some(&(_, t)) = graph.edges[n].get(*e) {
                let live = !removed[n][*e] && member[t];
                *e += 1;
                *work += 1;
                if !live {
                    continue;
                }
                if index[t] == UNSEEN {
                    index[t] = next;
                    low[t] = next;
                    next += 1;
                    stack.push(t);
                    on_stack[t] = true;
                    calls.push((t, 0));
                } else if on_stack[t] {
                    low[n] = low[n].min(index[t]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[n]);
            }
            if low[n] == index[n] {
                let mut component = Vec::new();
                while let Some(m) = stack.pop() {
                    on_stack[m] = false;
                    component.push(m);
                    if m == n {
                        break;
                    }
                }
                let self_loop = graph.edges[n].iter().enumerate().any(|(e, &(_, t))| t == n && !removed[n][e]);
                if component.len() > 1 || self_loop {
                    component.sort_unstable();
                    found.push(component);
                }
            }
        }
    }
    found
}

/// Fails when a type alias refers to itself through other aliases (`type A = Vec<B>; type B = A;`),
/// which Rust cannot express: only a struct or union breaks such a cycle.
pub(super) fn check_alias_cycles(cx: &Cx<'_>, types: &BTreeMap<ModelName, TypeDef>) -> Result<(), Error> {
    // 0: not visited, 1: on the current path, 2: done.
    let mut state: BTreeMap<&ModelName, u8> = BTreeMap::new();
    for (start, def) in types {
        if !matches!(def, TypeDef::Alias(_)) || state.contains_key(start) {
            continue;
        }
        let mut path: Vec<(&ModelName, Vec<&ModelName>)> = vec![(start, alias_targets(types, start))];
        state.insert(start, 1);
        while let Some((_, targets)) = path.last_mut() {
            let Some(next) = targets.pop() else {
                let (done, _) = path.pop().unwrap_or((start, Vec::new()));
                state.insert(done, 2);
                continue;
            };
            match state.get(next) {
                Some(1) => {
                    let at = path.iter().position(|(n, _)| *n == next).unwrap_or(0);
                    let chain: Vec<&str> = path[at..].iter().map(|(n, _)| n.as_str()).chain([next.as_str()]).collect();
                    let TypeDef::Alias(alias) = &types[next] else { continue };
                    return Err(cx.err(
                        &cx.schema_pointer(&alias.name.wire),
                        format!("type aliases refer to themselves ({}); Rust needs a struct in such a cycle", chain.join(" -> ")),
                    ));
                }
                Some(_) => {}
                None => {
                    state.insert(next, 1);
                    path.push((next, alias_targets(types, next)));
                }
            }
        }
    }
    Ok(())
}

/// The aliases an alias names, also inside `Vec` and maps.
fn alias_targets<'t>(types: &'t BTreeMap<ModelName, TypeDef>, name: &ModelName) -> Vec<&'t ModelName> {
    let Some(TypeDef::Alias(alias)) = types.get(name) else { return Vec::new() };
    let mut ty = &alias.ty;
    while let TypeRef::Vec(inner) | TypeRef::Map(inner) = ty {
        ty = inner;
    }
    match ty {
        TypeRef::Named(n) => types.get_key_value(n).filter(|(_, d)| matches!(d, TypeDef::Alias(_))).map(|(k, _)| vec![k]).unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Marks every struct whose required fields all have a default as deriving `Default`. A struct
/// waits for the structs its required fields hold (through aliases); once they derive `Default`,
/// so does it.
pub(super) fn derive_default(types: &mut BTreeMap<ModelName, TypeDef>) {
    let names: Vec<ModelName> = types.keys().cloned().collect();
    let index: BTreeMap<&ModelName, usize> = names.iter().enumerate().map(|(i, n)| (n, i)).collect();
    let mut waiting = vec![0usize; names.len()];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); names.len()];
    let mut ready = Vec::new();
    for (i, def) in types.values().enumerate() {
        let TypeDef::Struct(s) = def else { continue };
        let mut possible = true;
        for f in s.fields.iter().filter(|f| f.required) {
            match default_of(types, &f.ty) {
                Defaultable::Yes => {}
                Defaultable::No => possible = false,
                Defaultable::When(n) => match index.get(n) {
                    Some(&d) => {
                        waiting[i] += 1;
                        dependents[d].push(i);
                    }
                    None => possible = false,
                },
            }
        }
        if !possible {
            waiting[i] = usize::MAX;
        } else if waiting[i] == 0 {
            ready.push(i);
        }
    }
    let mut defaults = vec![false; names.len()];
    while let Some(i) = ready.pop() {
        defaults[i] = true;
        for &d in &dependents[i] {
            if waiting[d] != usize::MAX {
                waiting[d] -= 1;
                if waiting[d] == 0 {
                    ready.push(d);
                }
            }
        }
    }
    for (name, default) in names.iter().zip(defaults) {
        if let Some(TypeDef::Struct(s)) = types.get_mut(name) {
            s.default = default;
        }
    }
}

enum Defaultable<'t> {
    Yes,
    No,
    /// Once this struct derives `Default`.
    When(&'t ModelName),
}

/// Whether a field of type `ty` can be defaulted, looking through aliases (at most 32, so a cycle
/// that [`check_alias_cycles`] would report cannot hang this).
fn default_of<'t>(types: &'t BTreeMap<ModelName, TypeDef>, mut ty: &'t TypeRef) -> Defaultable<'t> {
    for _ in 0..32 {
        match ty {
            TypeRef::DateTime | TypeRef::Date | TypeRef::UnixTime => return Defaultable::No,
            TypeRef::Named(n) => match types.get(n) {
                Some(TypeDef::Struct(_)) => return Defaultable::When(n),
                Some(TypeDef::Alias(a)) => ty = &a.ty,
                _ => return Defaultable::No,
            },
            _ => return Defaultable::Yes,
        }
    }
    Defaultable::No
}
