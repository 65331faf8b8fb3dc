//! Schemas → models: component schemas (structs, enums, discriminated unions, aliases) and the
//! inline types met anywhere in the document, all registered in one [`TypeRegistry`].

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::flat::{admits_null, flat, is_struct_like, is_union_like, Flat};
use super::inherit::{self, Hierarchies, Inheritance, Inherited};
use super::unions::OneOf;
use super::{Budget, Cx, Diagnostics};
use crate::error::Error;
use crate::extensions;
use crate::ir::{
    resolve_alias, AdditionalProperties as Additional, Alias, Enum, Field, ModelName, Name, Struct, TypeDef, TypeRef,
    Variant,
};
use crate::json::push_pointer;
use crate::naming::{self, inline, TypeNames};

/// Every model of the document, by Rust name, and what is needed to name and find them.
#[derive(Debug, Default)]
pub(crate) struct TypeRegistry<'a> {
    /// Component schema name → model name.
    pub(super) schema_names: BTreeMap<String, ModelName>,
    pub(super) hierarchies: Hierarchies,
    pub(super) inheritance: Inheritance<'a>,
    pub(super) names: TypeNames,
    pub(super) types: BTreeMap<ModelName, TypeDef>,
    /// Subtype with subtypes of its own (component name) → the union standing for it.
    sub_base_unions: BTreeMap<String, ModelName>,
    /// Model → its merge-patch type, once made.
    patches: BTreeMap<ModelName, ModelName>,
    pub(super) budget: Budget,
}

impl<'a> TypeRegistry<'a> {
    pub fn get(&self, name: &str) -> Option<&TypeDef> {
        self.types.get(name)
    }

    /// Claims the name of `model`'s merge-patch type.
    pub fn claim_patch_name(&mut self, model: &ModelName) -> ModelName {
        ModelName::new(self.names.claim_patch(model.as_str()))
    }

    /// The merge-patch type made for `model`, if any.
    pub fn patch_of(&self, model: &ModelName) -> Option<&ModelName> {
        self.patches.get(model)
    }

    /// Registers `patch` as the merge-patch type of `model`.
    pub fn insert_patch(&mut self, model: ModelName, patch: ModelName, def: TypeDef) {
        self.types.insert(patch.clone(), def);
        self.patches.insert(model, patch);
    }

    pub fn into_types(self) -> BTreeMap<ModelName, TypeDef> {
        self.types
    }

    /// The model an alias chain starting at `name` ends in (`name` itself when it is no alias of a model).
    pub fn resolve_alias(&self, name: &ModelName) -> ModelName {
        match resolve_alias(&self.types, &TypeRef::Named(name.clone())) {
            TypeRef::Named(n) => n,
            _ => name.clone(),
        }
    }

    /// Lowers every component schema. Names are claimed first, so inline types never take a
    /// component's name.
    pub fn lower_components(&mut self, cx: &Cx<'a>, diag: &mut Diagnostics) -> Result<(), Error> {
        for (name, _) in cx.components_schemas() {
            let rust = self.names.claim(&naming::type_name(name));
            self.schema_names.insert(name.clone(), ModelName::new(rust));
        }
        self.hierarchies = inherit::find_hierarchies(cx, &mut self.budget)?;
        for (name, members) in self.hierarchies.sub_bases.clone() {
            let struct_name = self.schema_names[&name].clone();
            let rust = ModelName::new(self.names.claim_union(struct_name.as_str()));
            let property = self.hierarchies.variant_of[&name].property.clone();
            let doc = format!("`{struct_name}` or any of its subtypes, told apart by `{property}`.");
            let name = Name { rust: rust.to_string(), wire: name };
            let union = self.hierarchy_union(cx, diag, name.clone(), Some(doc), &property, &members);
            self.sub_base_unions.insert(name.wire, rust.clone());
            self.types.insert(rust, TypeDef::Union(union));
        }
        for (name, schema) in cx.components_schemas() {
            let pointer = cx.schema_pointer(name);
            let rust = self.schema_names[name].clone();
            let def = match schema {
                ReferenceOr::Reference { reference } => TypeDef::Alias(Alias {
                    name: Name { rust: rust.to_string(), wire: name.clone() },
                    doc: None,
                    ty: self.named_ref(cx, reference, &pointer)?,
                    pointer: pointer.clone(),
                }),
                ReferenceOr::Item(schema) if self.is_hierarchy_base(name, schema) => {
                    let h = &self.hierarchies.bases[name];
                    let wire = Name { rust: rust.to_string(), wire: name.clone() };
                    let doc = schema.schema_data.description.clone();
                    TypeDef::Union(self.hierarchy_union(cx, diag, wire, doc, &h.property, &h.members))
                }
                ReferenceOr::Item(schema) => self.named_schema(cx, diag, name, &rust, schema, &pointer)?,
            };
            self.types.insert(rust, def);
        }
        Ok(())
    }

    /// Whether component `name` is lowered as its hierarchy's union: it has a discriminator, and
    /// subtypes or no `oneOf` / `anyOf` to list the kinds instead.
    fn is_hierarchy_base(&self, name: &str, schema: &Schema) -> bool {
        let Some(h) = self.hierarchies.bases.get(name) else { return false };
        let f = flat(schema);
        !h.members.is_empty() || (f.one_of.is_empty() && f.any_of.is_empty())
    }

    /// A component schema: struct, enum, union, or alias.
    fn named_schema(
        &mut self,
        cx: &Cx<'a>,
        diag: &mut Diagnostics,
        wire: &str,
        rust: &ModelName,
        schema: &'a Schema,
        pointer: &str,
    ) -> Result<TypeDef, Error> {
        let f = flat(schema);
        let name = Name { rust: rust.to_string(), wire: wire.to_string() };
        let doc = f.data.description.clone().or_else(|| f.data.title.clone());
        if !f.enumeration.is_empty() {
            if let Some(e) = enum_def(diag, &f, name.clone(), pointer) {
                return Ok(TypeDef::Enum(e));
            }
        }
        if is_union_like(&f) {
            return Ok(match self.one_of(cx, diag, &f, Some(name.clone()), rust.as_str(), pointer)? {
                OneOf::Union(u) => TypeDef::Union(u),
                OneOf::Single(ty) => TypeDef::Alias(Alias { name, doc, ty, pointer: pointer.to_string() }),
            });
        }
        if is_struct_like(&f) {
            let tag = self.hierarchies.variant_of.get(wire).cloned();
            let inherited = self.inheritance.component(cx, wire, schema, pointer)?;
            let mut def = self.struct_def(cx, diag, name, &f, &inherited, tag.as_ref().map(|t| t.property.as_str()), pointer)?;
            def.tag = tag;
            return Ok(TypeDef::Struct(def));
        }
        let ty = self.type_of_flat(cx, diag, &f, rust.as_str(), pointer)?;
        Ok(TypeDef::Alias(Alias { name, doc, ty, pointer: pointer.to_string() }))
    }

    /// A struct from a schema's properties (along `allOf`); `exclude` is a union subtype's
    /// discriminator property, which is not a field.
    #[allow(clippy::too_many_arguments)]
    fn struct_def(
        &mut self,
        cx: &Cx<'a>,
        diag: &mut Diagnostics,
        name: Name,
        f: &Flat<'a>,
        inherited: &Inherited<'a>,
        exclude: Option<&str>,
        pointer: &str,
    ) -> Result<Struct, Error> {
        let props: Vec<(&String, &'a ReferenceOr<Box<Schema>>, &String)> = inherited
            .properties
            .iter()
            .filter(|(wire, _)| Some(wire.as_str()) != exclude)
            .map(|(wire, (schema, p))| (wire, *schema, p))
            .collect();
        self.budget.spend(cx, props.len(), pointer)?;
        // `x-ms-client-name` names the field; the wire name stays what is sent.
        let names: Vec<&str> = props
            .iter()
            .map(|(wire, schema, _)| match schema {
                ReferenceOr::Item(s) => extensions::client_name(&s.schema_data.extensions).unwrap_or(wire),
                ReferenceOr::Reference { .. } => wire,
            })
            .collect();
        let (field_names, additional_field) = naming::struct_fields(&names);
        let required = &inherited.required;
        let mut fields = Vec::new();
        for ((wire, schema, p), rust) in props.into_iter().zip(field_names) {
            let (wire, p) = (wire.clone(), p.as_str());
            let (data, ty, constraints) = match schema {
                ReferenceOr::Reference { reference } => (None, self.named_ref(cx, reference, p)?, Default::default()),
                ReferenceOr::Item(s) => {
                    let ty = self.type_of(cx, diag, s, &inline::field(&name.rust, &wire), p)?;
                    (Some(&s.schema_data), ty, flat(s).constraints)
                }
            };
            let read_only = data.is_some_and(|d| d.read_only);
            let nullable = data.is_some_and(|d| d.nullable || extensions::nullable(&d.extensions))
                || matches!(schema, ReferenceOr::Item(s) if admits_null(&flat(s)));
            let doc = data.and_then(|d| d.description.clone().or_else(|| d.title.clone()));
            let is_required = required.contains(&wire);
            fields.push(Field {
                name: Name { rust, wire },
                doc,
                ty,
                required: is_required && !read_only && !nullable,
                read_only,
                boxed: false,
                send_null: is_required && nullable && !read_only,
                default: data.and_then(|d| d.default.clone()),
                constraints,
                pointer: p.to_string(),
            });
        }
        let additional = match &inherited.additional {
            Some((AdditionalProperties::Any(false), _)) => None,
            None => Some(Additional { field: additional_field, ty: TypeRef::Any, declared: false }),
            Some((ap, p)) => {
                let ty = self.additional_type(cx, diag, ap, &inline::value(&name.rust), p)?;
                Some(Additional { field: additional_field, ty, declared: true })
            }
        };
        Ok(Struct {
            name,
            doc: f.data.description.clone().or_else(|| f.data.title.clone()),
            fields,
            additional,
            default: false,
            patch_of: None,
            tag: None,
            pointer: pointer.to_string(),
        })
    }

    fn additional_type(
        &mut self,
        cx: &Cx<'a>,
        diag: &mut Diagnostics,
        ap: &'a AdditionalProperties,
        context: &str,
        pointer: &str,
    ) -> Result<TypeRef, Error> {
        match ap {
            AdditionalProperties::Any(_) => Ok(TypeRef::Any),
            AdditionalProperties::Schema(s) => Ok(nullable(s, self.type_of_ref(cx, diag, s, context, pointer)?)),
        }
    }

    /// The model a schema `$ref` names: for a subtype with subtypes of its own, the union of them.
    pub fn named_ref(&self, cx: &Cx<'_>, reference: &str, pointer: &str) -> Result<TypeRef, Error> {
        let (target, _) = cx.resolve_schema_ref(reference, pointer)?;
        let model = self.sub_base_unions.get(&target).unwrap_or(&self.schema_names[&target]);
        Ok(TypeRef::Named(model.clone()))
    }

    /// The type of a schema or `$ref` (openapiv3 boxes some schemas, hence `S`); inline structs and
    /// enums become models named after `context`.
    pub fn type_of_ref<S: Borrow<Schema>>(
        &mut self,
        cx: &Cx<'a>,
        diag: &mut Diagnostics,
        schema: &'a ReferenceOr<S>,
        context: &str,
        pointer: &str,
    ) -> Result<TypeRef, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.named_ref(cx, reference, pointer),
            ReferenceOr::Item(s) => self.type_of(cx, diag, s.borrow(), context, pointer),
        }
    }

    fn type_of(&mut self, cx: &Cx<'a>, diag: &mut Diagnostics, schema: &'a Schema, context: &str, pointer: &str) -> Result<TypeRef, Error> {
        self.type_of_flat(cx, diag, &flat(schema), context, pointer)
    }

    fn type_of_flat(&mut self, cx: &Cx<'a>, diag: &mut Diagnostics, f: &Flat<'a>, context: &str, pointer: &str) -> Result<TypeRef, Error> {
        // `allOf: [ $ref ]` with nothing else is how Swagger attaches a description to a reference.
        if f.all_of.len() == 1 && f.properties.is_empty() && f.additional.is_none() {
            let p = push_pointer(&push_pointer(pointer, "allOf"), "0");
            return self.type_of_ref(cx, diag, &f.all_of[0], context, &p);
        }
        if !f.enumeration.is_empty() && f.typ.unwrap_or("string") == "string" {
            return Ok(self.inline_enum(diag, f, context, pointer));
        }
        if is_union_like(f) {
            return Ok(match self.one_of(cx, diag, f, None, context, pointer)? {
                OneOf::Single(ty) => ty,
                OneOf::Union(u) => {
                    let rust = ModelName::new(u.name.rust.clone());
                    self.types.insert(rust.clone(), TypeDef::Union(u));
                    TypeRef::Named(rust)
                }
            });
        }
        if is_struct_like(f) {
            let rust = ModelName::new(self.names.claim(&naming::type_name(context)));
            let inherited = self.inheritance.collect(cx, f, pointer)?;
            let def = self.struct_def(cx, diag, Name { rust: rust.to_string(), wire: String::new() }, f, &inherited, None, pointer)?;
            self.types.insert(rust.clone(), TypeDef::Struct(def));
            return Ok(TypeRef::Named(rust));
        }
        let format = f.format.as_deref().unwrap_or("");
        Ok(match f.typ {
            Some("string") => match format {
                "date-time" | "date-time-rfc1123" | "date-time-rfc7231" => TypeRef::DateTime,
                "byte" => TypeRef::Base64,
                "base64url" => TypeRef::Base64Url,
                "date" => TypeRef::Date,
                "duration" => TypeRef::Duration,
                _ => TypeRef::String,
            },
            Some("integer") => match format {
                "int32" => TypeRef::I32,
                "unixtime" => TypeRef::UnixTime,
                _ => TypeRef::I64,
            },
            Some("number") => match format {
                "float" => TypeRef::F32,
                _ => TypeRef::F64,
            },
            Some("boolean") => TypeRef::Bool,
            Some("array") => {
                let p = push_pointer(pointer, "items");
                match f.items {
                    Some(items) => TypeRef::Vec(Box::new(nullable(items, self.type_of_ref(cx, diag, items, &inline::item(context), &p)?))),
                    None => TypeRef::Vec(Box::new(TypeRef::Any)),
                }
            }
            Some("object") | None => match f.additional {
                Some(AdditionalProperties::Any(false)) | None => TypeRef::Any,
                Some(ap) => {
                    let p = push_pointer(pointer, "additionalProperties");
                    TypeRef::Map(Box::new(self.additional_type(cx, diag, ap, &inline::value(context), &p)?))
                }
            },
            Some("file") => TypeRef::String,
            Some(other) => return Err(cx.err(pointer, format!("expected a JSON Schema type, found \"{other}\""))),
        })
    }

    /// An inline enum, named by `x-ms-enum.name` or else after `context`. The same `x-ms-enum` used
    /// in several places is one model.
    fn inline_enum(&mut self, diag: &mut Diagnostics, f: &Flat<'_>, context: &str, pointer: &str) -> TypeRef {
        let given = extensions::ms_enum(&f.data.extensions).and_then(|e| e.name);
        let candidate = naming::type_name(given.as_deref().unwrap_or(context));
        let wire = given.clone().unwrap_or_default();
        let Some(mut e) = enum_def(diag, f, Name { rust: candidate.clone(), wire }, pointer) else {
            return TypeRef::String;
        };
        if let Some(TypeDef::Enum(existing)) = self.types.get(candidate.as_str()) {
            let same = existing.open == e.open
                && existing.variants.iter().map(|v| &v.name.wire).eq(e.variants.iter().map(|v| &v.name.wire));
            if same {
                return TypeRef::Named(ModelName::new(candidate));
            }
        }
        let rust = self.names.claim(&candidate);
        if rust != candidate && given.is_some() {
            diag.warn(pointer, format!("x-ms-enum \"{candidate}\" is used with different values elsewhere; this one is named {rust}"));
        }
        e.name.rust = rust.clone();
        let rust = ModelName::new(rust);
        self.types.insert(rust.clone(), TypeDef::Enum(e));
        TypeRef::Named(rust)
    }
}

/// An enum of string values (duplicates once), open when `x-ms-enum.modelAsString` says so; `None`
/// (with a warning) when some value is not a string.
fn enum_def(diag: &mut Diagnostics, f: &Flat<'_>, name: Name, pointer: &str) -> Option<Enum> {
    let values: Vec<String> = f.enumeration.iter().filter_map(|v| v.as_str().map(str::to_string)).collect();
    if values.len() != f.enumeration.len() {
        diag.warn(pointer, "non-string enum values are kept as plain values");
        return None;
    }
    let ms_enum = extensions::ms_enum(&f.data.extensions).unwrap_or_default();
    let mut seen = BTreeSet::new();
    let values: Vec<String> = values.into_iter().filter(|v| seen.insert(v.clone())).collect();
    let descriptions = ms_enum.by_value();
    let described: Vec<Option<&extensions::EnumValue>> = values.iter().map(|v| descriptions.get(v.as_str()).copied()).collect();
    let given: Vec<&str> = values
        .iter()
        .zip(&described)
        .map(|(value, d)| d.and_then(|d| d.name.as_deref()).unwrap_or(value))
        .collect();
    let (variant_names, other) = naming::enum_variants(&given);
    let enum_pointer = push_pointer(pointer, "enum");
    let position = |value: &str| f.enumeration.iter().position(|v| v.as_str() == Some(value)).unwrap_or_default();
    let variants = values
        .iter()
        .zip(described)
        .zip(variant_names)
        .map(|((value, d), rust)| Variant {
            name: Name { rust, wire: value.clone() },
            doc: d.and_then(|d| d.description.clone()),
            pointer: push_pointer(&enum_pointer, &position(value).to_string()),
        })
        .collect();
    let (doc, open, pointer) = (f.data.description.clone(), ms_enum.model_as_string, pointer.to_string());
    Some(Enum { name, doc, open, variants, other, pointer })
}

/// `ty` as an array item or map value: `Option` when the schema allows `null` there.
fn nullable<S: Borrow<Schema>>(schema: &ReferenceOr<S>, ty: TypeRef) -> TypeRef {
    match schema {
        ReferenceOr::Item(s) if s.borrow().schema_data.nullable && ty != TypeRef::Any => TypeRef::Nullable(Box::new(ty)),
        _ => ty,
    }
}
