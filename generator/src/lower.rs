//! Lowering: `openapiv3::OpenAPI` (plus the `x-ms-*` extensions it keeps) → [`crate::ir::Api`].
//!
//! This is the only module that reads the OpenAPI structures; emitters read the IR. Names come from
//! [`crate::naming`]. Problems that make a faithful client impossible are located [`Error`]s; things
//! that are mapped loosely (e.g. `oneOf` to a JSON value) are [`Warning`]s in the summary.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, OpenAPI, Parameter, ParameterSchemaOrContent,
    ReferenceOr, RequestBody, Schema, SchemaData, SchemaKind, StatusCode, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use crate::error::{push_pointer, Error};
use crate::ir::*;
use crate::naming::{self, Namespace};

/// Which kind of document the input was, so pointers in messages match the file the user wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Swagger2,
    OpenApi3,
}

const SCHEMA_REF: &str = "#/components/schemas/";
const PARAM_REF: &str = "#/components/parameters/";
const BODY_REF: &str = "#/components/requestBodies/";
const RESPONSE_REF: &str = "#/components/responses/";
const MERGE_PATCH: &str = "application/merge-patch+json";

/// Lowers a parsed document. `file` names it in errors and headers.
pub fn lower(file: &str, dialect: Dialect, doc: &OpenAPI) -> Result<Api, Error> {
    let mut l = Lowerer::new(file, dialect, doc);
    l.lower_components()?;
    let server = l.lower_server()?;
    let groups = l.lower_operations()?;
    l.finish_types();
    let mut warnings = std::mem::take(&mut l.warnings);
    warnings.sort();
    warnings.dedup();
    Ok(Api {
        source: file.to_string(),
        title: doc.info.title.clone(),
        description: doc.info.description.clone(),
        version: doc.info.version.clone(),
        server,
        client_params: l.client_params,
        types: l.types,
        groups,
        warnings,
    })
}

/// A uniform view of a schema, whatever `SchemaKind` openapiv3 chose for it.
struct Flat<'s> {
    data: &'s SchemaData,
    typ: Option<&'s str>,
    format: Option<String>,
    properties: Vec<(&'s String, &'s ReferenceOr<Box<Schema>>)>,
    required: &'s [String],
    additional: Option<&'s AdditionalProperties>,
    items: Option<&'s ReferenceOr<Box<Schema>>>,
    enumeration: Vec<Value>,
    all_of: &'s [ReferenceOr<Schema>],
    one_of: &'s [ReferenceOr<Schema>],
    any_of: &'s [ReferenceOr<Schema>],
}

fn fmt_of<T>(f: &VariantOrUnknownOrEmpty<T>, name: impl Fn(&T) -> &'static str) -> Option<String> {
    match f {
        VariantOrUnknownOrEmpty::Item(t) => Some(name(t).to_string()),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn flat(schema: &Schema) -> Flat<'_> {
    let mut f = Flat {
        data: &schema.schema_data,
        typ: None,
        format: None,
        properties: Vec::new(),
        required: &[],
        additional: None,
        items: None,
        enumeration: Vec::new(),
        all_of: &[],
        one_of: &[],
        any_of: &[],
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            f.typ = Some("string");
            f.format = fmt_of(&s.format, |x| match x {
                StringFormat::Date => "date",
                StringFormat::DateTime => "date-time",
                StringFormat::Password => "password",
                StringFormat::Byte => "byte",
                StringFormat::Binary => "binary",
            });
            f.enumeration = s.enumeration.iter().flatten().map(|v| Value::String(v.clone())).collect();
        }
        SchemaKind::Type(Type::Number(n)) => {
            f.typ = Some("number");
            f.format = fmt_of(&n.format, |x| match x {
                NumberFormat::Float => "float",
                NumberFormat::Double => "double",
            });
        }
        SchemaKind::Type(Type::Integer(i)) => {
            f.typ = Some("integer");
            f.format = fmt_of(&i.format, |x| match x {
                IntegerFormat::Int32 => "int32",
                IntegerFormat::Int64 => "int64",
            });
            f.enumeration = i.enumeration.iter().flatten().map(|v| Value::from(*v)).collect();
        }
        SchemaKind::Type(Type::Boolean(b)) => {
            f.typ = Some("boolean");
            f.enumeration = b.enumeration.iter().flatten().map(|v| Value::from(*v)).collect();
        }
        SchemaKind::Type(Type::Object(o)) => {
            f.typ = Some("object");
            f.properties = o.properties.iter().collect();
            f.required = &o.required;
            f.additional = o.additional_properties.as_ref();
        }
        SchemaKind::Type(Type::Array(a)) => {
            f.typ = Some("array");
            f.items = a.items.as_ref();
        }
        SchemaKind::OneOf { one_of } => f.one_of = one_of,
        SchemaKind::AllOf { all_of } => f.all_of = all_of,
        SchemaKind::AnyOf { any_of } => f.any_of = any_of,
        SchemaKind::Not { .. } => {}
        SchemaKind::Any(a) => {
            f.typ = a.typ.as_deref();
            f.format = a.format.clone();
            f.properties = a.properties.iter().collect();
            f.required = &a.required;
            f.additional = a.additional_properties.as_ref();
            f.items = a.items.as_ref();
            f.enumeration = a.enumeration.clone();
            f.all_of = &a.all_of;
            f.one_of = &a.one_of;
            f.any_of = &a.any_of;
        }
    }
    f
}

fn unescape_pointer_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn ext_str<'a>(ext: &'a indexmap::IndexMap<String, Value>, key: &str) -> Option<&'a str> {
    ext.get(key).and_then(Value::as_str)
}

fn ext_bool(ext: &indexmap::IndexMap<String, Value>, key: &str) -> bool {
    ext.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// A discriminated hierarchy rooted at a component schema.
struct Hierarchy {
    property: String,
    /// (discriminator value, subtype component name), in document order.
    members: Vec<(String, String)>,
}

struct Lowerer<'a> {
    file: &'a str,
    dialect: Dialect,
    doc: &'a OpenAPI,
    /// Component schema name → Rust type name.
    schema_names: BTreeMap<String, String>,
    /// Union bases by component name.
    hierarchies: BTreeMap<String, Hierarchy>,
    /// Subtype component name → the discriminator property of its union (not a field of the
    /// subtype: its Serialize writes it) and the subtype's value.
    variant_of: BTreeMap<String, (String, String)>,
    type_names: Namespace,
    types: BTreeMap<String, TypeDef>,
    client_params: Vec<Param>,
    warnings: Vec<Warning>,
    /// `x-ms-pageable.operationName`s to resolve once every operation is lowered:
    /// (operationId, next operationId, pointer).
    pending_next: Vec<(String, String, String)>,
}

impl<'a> Lowerer<'a> {
    fn new(file: &'a str, dialect: Dialect, doc: &'a OpenAPI) -> Self {
        Lowerer {
            file,
            dialect,
            doc,
            schema_names: BTreeMap::new(),
            hierarchies: BTreeMap::new(),
            variant_of: BTreeMap::new(),
            type_names: Namespace::new(&[]),
            types: BTreeMap::new(),
            client_params: Vec::new(),
            warnings: Vec::new(),
            pending_next: Vec::new(),
        }
    }

    fn err(&self, pointer: &str, message: impl Into<String>) -> Error {
        Error::new(self.file, pointer, message)
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Warning { pointer: pointer.to_string(), message: message.into() });
    }

    fn schema_pointer(&self, name: &str) -> String {
        let root = match self.dialect {
            Dialect::Swagger2 => "/definitions",
            Dialect::OpenApi3 => "/components/schemas",
        };
        push_pointer(root, name)
    }

    fn components_schemas(&self) -> impl Iterator<Item = (&'a String, &'a ReferenceOr<Schema>)> {
        self.doc.components.iter().flat_map(|c| c.schemas.iter())
    }

    /// Resolves a schema `$ref` to its component name and schema (following ref chains).
    fn resolve_schema_ref(&self, reference: &str, pointer: &str) -> Result<(String, &'a Schema), Error> {
        let mut reference = reference.to_string();
        for _ in 0..32 {
            let Some(name) = reference.strip_prefix(SCHEMA_REF) else {
                return Err(self.err(pointer, format!("$ref \"{reference}\" does not point to a schema")));
            };
            let name = unescape_pointer_token(name);
            let found = self.doc.components.as_ref().and_then(|c| c.schemas.get(&name));
            match found {
                Some(ReferenceOr::Item(s)) => return Ok((name, s)),
                Some(ReferenceOr::Reference { reference: next }) => reference = next.clone(),
                None => return Err(self.err(pointer, format!("$ref \"{reference}\" does not resolve"))),
            }
        }
        Err(self.err(pointer, format!("$ref \"{reference}\" is part of a reference cycle")))
    }

    // ---------------------------------------------------------------- components

    fn lower_components(&mut self) -> Result<(), Error> {
        // Names first, so inline types never take a component's name.
        let names: Vec<String> = self.components_schemas().map(|(n, _)| n.clone()).collect();
        for name in &names {
            let rust = self.type_names.claim(&naming::type_name(name), "");
            self.schema_names.insert(name.clone(), rust);
        }
        self.find_hierarchies()?;
        let schemas: Vec<(&String, &ReferenceOr<Schema>)> = self.components_schemas().collect();
        for (name, schema) in schemas {
            let pointer = self.schema_pointer(name);
            let rust = self.schema_names[name].clone();
            let def = match schema {
                ReferenceOr::Reference { reference } => TypeDef::Alias(Alias {
                    name: Name { rust: rust.clone(), wire: name.clone() },
                    doc: None,
                    ty: self.named_ref(reference, &pointer)?,
                }),
                ReferenceOr::Item(schema) => {
                    if self.hierarchies.contains_key(name) {
                        self.lower_union(name, &rust, schema)
                    } else {
                        self.lower_named_schema(name, &rust, schema, &pointer)?
                    }
                }
            };
            self.types.insert(rust, def);
        }
        Ok(())
    }

    /// Finds every schema with a discriminator and the subtypes that inherit from it via `allOf`.
    fn find_hierarchies(&mut self) -> Result<(), Error> {
        let mut parents: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut order: Vec<String> = Vec::new();
        for (name, schema) in self.components_schemas() {
            order.push(name.clone());
            let ReferenceOr::Item(schema) = schema else { continue };
            for part in flat(schema).all_of {
                if let ReferenceOr::Reference { reference } = part {
                    let (parent, _) = self.resolve_schema_ref(reference, &self.schema_pointer(name))?;
                    parents.entry(name.clone()).or_default().push(parent);
                }
            }
        }
        let bases: Vec<(String, String)> = self
            .components_schemas()
            .filter_map(|(name, s)| match s {
                ReferenceOr::Item(s) => s.schema_data.discriminator.as_ref().map(|d| (name.clone(), d.property_name.clone())),
                _ => None,
            })
            .collect();
        for (base, property) in bases {
            let mut members = Vec::new();
            for candidate in &order {
                if candidate == &base || !descends_from(&parents, candidate, &base) {
                    continue;
                }
                let schema = match self.doc.components.as_ref().and_then(|c| c.schemas.get(candidate)) {
                    Some(ReferenceOr::Item(s)) => s,
                    _ => continue,
                };
                let value = ext_str(&schema.schema_data.extensions, "x-ms-discriminator-value")
                    .map(str::to_string)
                    .unwrap_or_else(|| candidate.clone());
                self.variant_of.insert(candidate.clone(), (property.clone(), value.clone()));
                members.push((value, candidate.clone()));
            }
            self.hierarchies.insert(base, Hierarchy { property, members });
        }
        Ok(())
    }

    fn lower_union(&mut self, name: &str, rust: &str, schema: &Schema) -> TypeDef {
        let h = &self.hierarchies[name];
        let mut variants_ns = Namespace::new(&[]);
        let mut variants = Vec::new();
        for (value, member) in &h.members {
            let variant = variants_ns.claim(&naming::variant_name(value), "Type");
            variants.push(UnionVariant {
                name: Name { rust: variant, wire: value.clone() },
                ty: self.schema_names[member].clone(),
            });
        }
        let unknown = variants_ns.claim("Unknown", "Value");
        TypeDef::Union(Union {
            name: Name { rust: rust.to_string(), wire: name.to_string() },
            doc: schema.schema_data.description.clone(),
            property: h.property.clone(),
            variants,
            unknown,
        })
    }

    /// A component schema: struct, enum, or alias.
    fn lower_named_schema(&mut self, wire: &str, rust: &str, schema: &'a Schema, pointer: &str) -> Result<TypeDef, Error> {
        let f = flat(schema);
        let name = Name { rust: rust.to_string(), wire: wire.to_string() };
        let doc = f.data.description.clone().or_else(|| f.data.title.clone());
        if !f.enumeration.is_empty() {
            if let Some(e) = self.enum_def(&f, name.clone(), pointer) {
                return Ok(TypeDef::Enum(e));
            }
        }
        if is_struct_like(&f) {
            let tag = self.variant_of.get(wire).cloned();
            let mut def = self.struct_def(name, &f, tag.as_ref().map(|(p, _)| p.as_str()), pointer)?;
            def.tag = tag;
            return Ok(TypeDef::Struct(def));
        }
        let ty = self.type_of_flat(&f, rust, pointer)?;
        Ok(TypeDef::Alias(Alias { name, doc, ty }))
    }

    fn enum_def(&mut self, f: &Flat<'_>, name: Name, pointer: &str) -> Option<Enum> {
        let values: Vec<String> = f.enumeration.iter().filter_map(|v| v.as_str().map(str::to_string)).collect();
        if values.len() != f.enumeration.len() {
            self.warn(pointer, "non-string enum values are kept as plain values");
            return None;
        }
        let x_ms_enum = f.data.extensions.get("x-ms-enum");
        let open = x_ms_enum.and_then(|e| e.get("modelAsString")).and_then(Value::as_bool).unwrap_or(false);
        let value_docs: BTreeMap<String, (Option<String>, Option<String>)> = x_ms_enum
            .and_then(|e| e.get("values"))
            .and_then(Value::as_array)
            .map(|vals| {
                vals.iter()
                    .filter_map(|v| {
                        let value = v.get("value")?.as_str()?.to_string();
                        let rust = v.get("name").and_then(Value::as_str).map(str::to_string);
                        let doc = v.get("description").and_then(Value::as_str).map(str::to_string);
                        Some((value, (rust, doc)))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut ns = Namespace::new(&[]);
        let mut variants = Vec::new();
        let mut seen = BTreeSet::new();
        for value in values {
            if !seen.insert(value.clone()) {
                continue;
            }
            let (given, doc) = value_docs.get(&value).cloned().unwrap_or((None, None));
            let rust = ns.claim(&naming::variant_name(given.as_deref().unwrap_or(&value)), "Value");
            variants.push(Variant { name: Name { rust, wire: value }, doc });
        }
        let other = ns.claim("Other", "Value");
        Some(Enum { name, doc: f.data.description.clone(), open, variants, other })
    }

    /// Collects properties along `allOf`, parents first; returns (wire name, schema, pointer, required).
    fn collect_properties(
        &self,
        f: &Flat<'a>,
        pointer: &str,
        out: &mut Vec<(String, &'a ReferenceOr<Box<Schema>>, String)>,
        required: &mut BTreeSet<String>,
        additional: &mut Option<(&'a AdditionalProperties, String)>,
        depth: usize,
    ) -> Result<(), Error> {
        if depth > 32 {
            return Err(self.err(pointer, "allOf nesting is cyclic or deeper than 32 levels"));
        }
        for (i, part) in f.all_of.iter().enumerate() {
            let part_pointer = push_pointer(&push_pointer(pointer, "allOf"), &i.to_string());
            let schema: &'a Schema = match part {
                ReferenceOr::Reference { reference } => self.resolve_schema_ref(reference, &part_pointer)?.1,
                ReferenceOr::Item(s) => s,
            };
            let pf: Flat<'a> = flat(schema);
            self.collect_properties(&pf, &part_pointer, out, required, additional, depth + 1)?;
        }
        for (name, schema) in &f.properties {
            let p = push_pointer(&push_pointer(pointer, "properties"), name);
            if let Some(existing) = out.iter_mut().find(|(n, _, _)| n == *name) {
                *existing = ((*name).clone(), schema, p);
            } else {
                out.push(((*name).clone(), schema, p));
            }
        }
        required.extend(f.required.iter().cloned());
        if let Some(ap) = f.additional {
            *additional = Some((ap, push_pointer(pointer, "additionalProperties")));
        }
        Ok(())
    }

    fn struct_def(&mut self, name: Name, f: &Flat<'a>, exclude: Option<&str>, pointer: &str) -> Result<Struct, Error> {
        let mut props = Vec::new();
        let mut required = BTreeSet::new();
        let mut additional = None;
        self.collect_properties(f, pointer, &mut props, &mut required, &mut additional, 0)?;
        let props: Vec<_> = props.into_iter().filter(|(wire, _, _)| Some(wire.as_str()) != exclude).collect();
        // Names that need no sanitising (`type` → `r#type`) are claimed before sanitised ones
        // (`@type`), so the exact wire name keeps the plain identifier whatever the order.
        let mut ns = Namespace::new(&[]);
        let mut names: Vec<Option<String>> = vec![None; props.len()];
        for exact in [true, false] {
            for (i, (wire, _, _)) in props.iter().enumerate() {
                let candidate = naming::snake_name(wire);
                if (naming::unraw(&candidate) == wire.as_str()) == exact {
                    names[i] = Some(ns.claim(&candidate, "_"));
                }
            }
        }
        let mut fields = Vec::new();
        for ((wire, schema, p), rust) in props.into_iter().zip(names) {
            let rust = rust.unwrap_or_default();
            let (data, ty) = match schema {
                ReferenceOr::Reference { reference } => (None, self.named_ref(reference, &p)?),
                ReferenceOr::Item(s) => {
                    let context = format!("{}{}", name.rust, naming::type_name(&wire));
                    (Some(&s.schema_data), self.type_of(s, &context, &p)?)
                }
            };
            let read_only = data.map(|d| d.read_only).unwrap_or(false);
            let nullable = data.map(|d| d.nullable || ext_bool(&d.extensions, "x-nullable")).unwrap_or(false);
            let doc = data.and_then(|d| d.description.clone().or_else(|| d.title.clone()));
            let is_required = required.contains(&wire);
            fields.push(Field {
                name: Name { rust, wire: wire.clone() },
                doc,
                ty,
                required: is_required && !read_only && !nullable,
                read_only,
                boxed: false,
                send_null: is_required && nullable && !read_only,
            });
        }
        let additional_declared = additional.is_some();
        let additional = match additional {
            Some((AdditionalProperties::Any(false), _)) => None,
            None => Some((Name { rust: ns.claim("additional_properties", "_"), wire: String::new() }, TypeRef::Any)),
            Some((ap, p)) => {
                let ty = self.additional_type(ap, &format!("{}Value", name.rust), &p)?;
                Some((Name { rust: ns.claim("additional_properties", "_"), wire: String::new() }, ty))
            }
        };
        Ok(Struct {
            name,
            doc: f.data.description.clone().or_else(|| f.data.title.clone()),
            fields,
            additional,
            additional_declared,
            default: false,
            patch_of: None,
            tag: None,
        })
    }

    fn additional_type(&mut self, ap: &'a AdditionalProperties, context: &str, pointer: &str) -> Result<TypeRef, Error> {
        match ap {
            AdditionalProperties::Any(_) => Ok(TypeRef::Any),
            AdditionalProperties::Schema(s) => self.type_of_ref(s, context, pointer),
        }
    }

    /// The model a schema `$ref` names.
    fn named_ref(&self, reference: &str, pointer: &str) -> Result<TypeRef, Error> {
        let (target, _) = self.resolve_schema_ref(reference, pointer)?;
        Ok(TypeRef::Named(self.schema_names[&target].clone()))
    }

    fn type_of_ref(&mut self, schema: &'a ReferenceOr<Schema>, context: &str, pointer: &str) -> Result<TypeRef, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.named_ref(reference, pointer),
            ReferenceOr::Item(s) => self.type_of(s, context, pointer),
        }
    }

    fn type_of_boxed_ref(&mut self, schema: &'a ReferenceOr<Box<Schema>>, context: &str, pointer: &str) -> Result<TypeRef, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.named_ref(reference, pointer),
            ReferenceOr::Item(s) => self.type_of(s, context, pointer),
        }
    }

    /// The type of an inline schema; inline structs and enums become named types called `context`.
    fn type_of(&mut self, schema: &'a Schema, context: &str, pointer: &str) -> Result<TypeRef, Error> {
        let f = flat(schema);
        self.type_of_flat(&f, context, pointer)
    }

    fn type_of_flat(&mut self, f: &Flat<'a>, context: &str, pointer: &str) -> Result<TypeRef, Error> {
        // `allOf: [ $ref ]` with nothing else is how Swagger attaches a description to a reference.
        if f.all_of.len() == 1 && f.properties.is_empty() && f.additional.is_none() {
            let p = push_pointer(&push_pointer(pointer, "allOf"), "0");
            return self.type_of_ref(&f.all_of[0], context, &p);
        }
        if !f.enumeration.is_empty() && f.typ.unwrap_or("string") == "string" {
            return self.inline_enum(f, context, pointer);
        }
        if is_struct_like(f) {
            let candidate = naming::type_name(context);
            let rust = self.type_names.claim(&candidate, "");
            let def = self.struct_def(Name { rust: rust.clone(), wire: String::new() }, f, None, pointer)?;
            self.types.insert(rust.clone(), TypeDef::Struct(def));
            return Ok(TypeRef::Named(rust));
        }
        if !f.one_of.is_empty() || !f.any_of.is_empty() {
            self.warn(pointer, "oneOf/anyOf is represented as a JSON value");
            return Ok(TypeRef::Any);
        }
        let format = f.format.as_deref().unwrap_or("");
        Ok(match f.typ {
            Some("string") => match format {
                "date-time" | "date-time-rfc1123" | "date-time-rfc7231" => TypeRef::DateTime,
                _ => TypeRef::String,
            },
            Some("integer") => match format {
                "int32" => TypeRef::I32,
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
                    Some(items) => TypeRef::Vec(Box::new(self.type_of_boxed_ref(items, &format!("{context}Item"), &p)?)),
                    None => TypeRef::Vec(Box::new(TypeRef::Any)),
                }
            }
            Some("object") | None => match f.additional {
                Some(AdditionalProperties::Any(false)) | None => TypeRef::Any,
                Some(ap) => {
                    let p = push_pointer(pointer, "additionalProperties");
                    TypeRef::Map(Box::new(self.additional_type(ap, &format!("{context}Value"), &p)?))
                }
            },
            Some("file") => TypeRef::String,
            Some(other) => return Err(self.err(pointer, format!("expected a JSON Schema type, found \"{other}\""))),
        })
    }

    fn inline_enum(&mut self, f: &Flat<'a>, context: &str, pointer: &str) -> Result<TypeRef, Error> {
        let given = f.data.extensions.get("x-ms-enum").and_then(|e| e.get("name")).and_then(Value::as_str);
        let candidate = naming::type_name(given.unwrap_or(context));
        let Some(mut e) = self.enum_def(f, Name { rust: candidate.clone(), wire: given.unwrap_or_default().to_string() }, pointer) else {
            return Ok(TypeRef::String);
        };
        // The same x-ms-enum used in several places is one type.
        if let Some(TypeDef::Enum(existing)) = self.types.get(&candidate) {
            let same = existing.open == e.open
                && existing.variants.iter().map(|v| &v.name.wire).eq(e.variants.iter().map(|v| &v.name.wire));
            if same {
                return Ok(TypeRef::Named(candidate));
            }
        }
        let rust = self.type_names.claim(&candidate, "");
        if rust != candidate && given.is_some() {
            self.warn(pointer, format!("x-ms-enum \"{candidate}\" is used with different values elsewhere; this one is named {rust}"));
        }
        e.name.rust = rust.clone();
        self.types.insert(rust.clone(), TypeDef::Enum(e));
        Ok(TypeRef::Named(rust))
    }

    // ---------------------------------------------------------------- server and client parameters

    fn lower_server(&mut self) -> Result<Server, Error> {
        let server = self.doc.servers.first();
        let url = server.map(|s| s.url.as_str()).unwrap_or("https://localhost");
        let (scheme, rest) = match url.split_once("://") {
            Some((s, r)) => (s.to_string(), r),
            None => ("https".to_string(), url),
        };
        let (host, base) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let mut host_params = Vec::new();
        if let Some(vars) = server.and_then(|s| s.variables.as_ref()) {
            let mut rest = host;
            while let Some(start) = rest.find('{') {
                let Some(len) = rest[start..].find('}') else { break };
                let var = &rest[start + 1..start + len];
                let v = vars.get(var);
                host_params.push(HostParam {
                    name: Name { rust: naming::snake_name(var), wire: var.to_string() },
                    doc: v.and_then(|v| v.description.clone()),
                    default: v.map(|v| v.default.clone()).filter(|d| !d.is_empty()),
                });
                rest = &rest[start + len + 1..];
            }
        }
        Ok(Server {
            scheme,
            host_template: host.to_string(),
            base_path: base.trim_end_matches('/').to_string(),
            host_params,
        })
    }

    // ---------------------------------------------------------------- operations

    fn lower_operations(&mut self) -> Result<Vec<Group>, Error> {
        // First pass: every operation with its group, so group names are settled before any method
        // name (a root operation must not take the name of a group accessor, whatever the order).
        struct Found<'o> {
            path: &'o str,
            path_params: &'o [ReferenceOr<Parameter>],
            method: &'static str,
            op: &'o openapiv3::Operation,
            pointer: String,
            id: String,
            group_wire: String,
            op_wire: String,
            key: String,
        }
        let mut found = Vec::new();
        let doc = self.doc;
        for (path, item) in &doc.paths.paths {
            let ReferenceOr::Item(item) = item else {
                return Err(self.err(&push_pointer("/paths", path), "path item $refs are not supported"));
            };
            let from_x_ms_paths = item.extensions.contains_key(crate::load::FROM_X_MS_PATHS);
            let path_pointer = push_pointer(if from_x_ms_paths { "/x-ms-paths" } else { "/paths" }, path);
            let methods = [
                ("get", &item.get),
                ("put", &item.put),
                ("post", &item.post),
                ("patch", &item.patch),
                ("delete", &item.delete),
                ("head", &item.head),
                ("options", &item.options),
                ("trace", &item.trace),
            ];
            for (method, op) in methods {
                let Some(op) = op else { continue };
                let pointer = push_pointer(&path_pointer, method);
                let Some(id) = op.operation_id.clone() else {
                    return Err(self.err(&pointer, "expected an operationId"));
                };
                let (group_wire, op_wire) = match id.split_once('_') {
                    Some((g, o)) => (g.to_string(), o.to_string()),
                    None => (String::new(), id.clone()),
                };
                let key = if group_wire.is_empty() { String::new() } else { naming::snake_name(&group_wire) };
                found.push(Found { path, path_params: &item.parameters, method, op, pointer, id, group_wire, op_wire, key });
            }
        }

        let mut module_ns = Namespace::new(&["models", "runtime", "client", "ungrouped"]);
        let mut client_methods = Namespace::new(naming::RESERVED_CLIENT_METHODS);
        let mut group_modules: BTreeMap<String, (String, String)> = BTreeMap::new();
        for f in found.iter().filter(|f| !f.group_wire.is_empty()) {
            if !group_modules.contains_key(&f.key) {
                let module = module_ns.claim(&f.key, "_ops");
                let module = client_methods.claim(&module, "_ops");
                let struct_name = naming::type_name(&format!("{} Client", f.group_wire));
                group_modules.insert(f.key.clone(), (module, struct_name));
            }
        }
        group_modules.insert(String::new(), (String::new(), String::new()));

        let mut groups: BTreeMap<String, Group> = BTreeMap::new();
        let mut method_ns: BTreeMap<String, Namespace> = BTreeMap::new();
        let mut marker_ns: BTreeMap<String, Namespace> = BTreeMap::new();
        for f in found {
            let (module, struct_name) = group_modules.get(&f.key).cloned().unwrap_or_default();
            // Root operations are methods on `Client`, beside the group accessors.
            let methods_ns = method_ns.entry(f.key.clone()).or_insert_with(|| {
                if f.group_wire.is_empty() {
                    std::mem::take(&mut client_methods)
                } else {
                    Namespace::new(&[])
                }
            });
            let method_name = methods_ns.claim(&naming::snake_name(&f.op_wire), "_op");
            let markers = marker_ns.entry(f.key.clone()).or_insert_with(|| Namespace::new(&["Client", &struct_name]));
            let marker = markers.claim(&naming::type_name(&f.op_wire), "Op");
            let operation = self.lower_operation(
                OpNames { id: &f.id, group_wire: &f.group_wire, op_wire: &f.op_wire, method_name, marker },
                f.method,
                f.path,
                f.path_params,
                f.op,
                &f.pointer,
            )?;
            groups
                .entry(f.key)
                .or_insert_with(|| Group {
                    module: Name { rust: module.clone(), wire: f.group_wire.clone() },
                    struct_name: struct_name.clone(),
                    operations: Vec::new(),
                })
                .operations
                .push(operation);
        }
        let mut groups: Vec<Group> = groups.into_values().collect();
        self.resolve_next_operations(&mut groups);
        for g in &mut groups {
            g.operations.sort_by(|a, b| a.method_name.rust.cmp(&b.method_name.rust));
        }
        groups.sort_by(|a, b| a.module.rust.cmp(&b.module.rust));
        Ok(groups)
    }

    /// Resolves every `x-ms-pageable.operationName`: the next operation's parameters are matched
    /// by name to the first operation's required parameters, its `nextLink` parameter takes the link.
    /// Anything that cannot be matched falls back to a GET of the link, with a warning.
    fn resolve_next_operations(&mut self, groups: &mut [Group]) {
        for (first_id, next_id, pointer) in std::mem::take(&mut self.pending_next) {
            let all = || groups.iter().flat_map(|g| g.operations.iter());
            let Some(next) = all().find(|o| o.id == next_id) else {
                self.warn(&pointer, format!("no operation \"{next_id}\"; next pages are fetched with GET on the next link"));
                continue;
            };
            let Some(first) = all().find(|o| o.id == first_id) else { continue };
            match next_operation(first, next) {
                Ok(resolved) => {
                    let first = groups.iter_mut().flat_map(|g| g.operations.iter_mut()).find(|o| o.id == first_id);
                    if let Some(paging) = first.and_then(|o| o.paging.as_mut()) {
                        paging.next_operation = Some(resolved);
                    }
                }
                Err(why) => self.warn(&pointer, format!("{why}; next pages are fetched with GET on the next link")),
            }
        }
    }

    /// Resolves a `$ref` to a component of one kind (`#/components/<prefix>/Name`), one level deep.
    fn component<T>(
        &self,
        reference: &str,
        prefix: &str,
        kind: &str,
        components: impl Fn(&'a openapiv3::Components) -> &'a indexmap::IndexMap<String, ReferenceOr<T>>,
        pointer: &str,
    ) -> Result<&'a T, Error> {
        let name = reference
            .strip_prefix(prefix)
            .ok_or_else(|| self.err(pointer, format!("$ref \"{reference}\" does not point to a {kind}")))?;
        match self.doc.components.as_ref().and_then(|c| components(c).get(&unescape_pointer_token(name))) {
            Some(ReferenceOr::Item(item)) => Ok(item),
            _ => Err(self.err(pointer, format!("$ref \"{reference}\" does not resolve to a {kind}"))),
        }
    }

    /// A parameter, and whether it is a document-level (global) one.
    fn resolve_param(&self, p: &'a ReferenceOr<Parameter>, pointer: &str) -> Result<(&'a Parameter, bool), Error> {
        match p {
            ReferenceOr::Item(p) => Ok((p, false)),
            ReferenceOr::Reference { reference } => {
                Ok((self.component(reference, PARAM_REF, "parameter", |c| &c.parameters, pointer)?, true))
            }
        }
    }

    fn lower_operation(
        &mut self,
        names: OpNames<'_>,
        method: &str,
        path: &str,
        path_params: &'a [ReferenceOr<Parameter>],
        op: &'a openapiv3::Operation,
        pointer: &str,
    ) -> Result<Operation, Error> {
        let context = format!("{}{}", naming::type_name(names.group_wire), naming::type_name(names.op_wire));
        // Operation parameters override path-item parameters with the same name and location.
        let mut raw: Vec<(&'a Parameter, bool, String)> = Vec::new();
        for (i, p) in path_params.iter().enumerate() {
            let pp = push_pointer(&push_pointer(&pointer[..pointer.rfind('/').unwrap_or(0)], "parameters"), &i.to_string());
            let (param, global) = self.resolve_param(p, &pp)?;
            raw.push((param, global, pp));
        }
        for (i, p) in op.parameters.iter().enumerate() {
            let pp = push_pointer(&push_pointer(pointer, "parameters"), &i.to_string());
            let (param, global) = self.resolve_param(p, &pp)?;
            let key = (param_location_name(param), &param.parameter_data_ref().name);
            raw.retain(|(q, _, _)| (param_location_name(q), &q.parameter_data_ref().name) != key);
            raw.push((param, global, pp));
        }

        let mut ns = Namespace::new(naming::RESERVED_CALL_METHODS);
        let mut params = Vec::new();
        let mut path_indices: BTreeMap<String, PathPart> = BTreeMap::new();
        let mut client_refs = Vec::new();
        for (param, global, pp) in raw {
            let data = param.parameter_data_ref();
            let location = match param {
                Parameter::Path { .. } => Location::Path,
                Parameter::Query { .. } => Location::Query,
                Parameter::Header { .. } => Location::Header,
                Parameter::Cookie { .. } => {
                    self.warn(&pp, "cookie parameters are not supported; the parameter is left out");
                    continue;
                }
            };
            let client_level = match ext_str(&data.extensions, "x-ms-parameter-location") {
                Some("method") => false,
                Some("client") => true,
                _ => global,
            };
            let schema = match &data.format {
                ParameterSchemaOrContent::Schema(s) => s,
                ParameterSchemaOrContent::Content(_) => {
                    return Err(self.err(&pp, "expected a parameter with a schema (content parameters are not supported)"));
                }
            };
            let (enum_values, default) = match schema {
                ReferenceOr::Item(s) => {
                    let f = flat(s);
                    (f.enumeration.clone(), f.data.default.clone())
                }
                ReferenceOr::Reference { .. } => (Vec::new(), None),
            };
            let lower_name = data.name.to_ascii_lowercase();
            if location == Location::Header && lower_name == "x-ms-client-request-id" {
                continue; // The runtime sends one on every request.
            }
            let kind = if location == Location::Header && lower_name == "if-match" {
                ParamKind::IfMatch
            } else if location == Location::Header && lower_name == "if-none-match" {
                ParamKind::IfNoneMatch
            } else if location == Location::Query && data.name == "api-version" {
                let value = single_string(&enum_values)
                    .or_else(|| default.as_ref().and_then(Value::as_str).map(str::to_string))
                    .unwrap_or_else(|| self.doc.info.version.clone());
                ParamKind::Constant(value)
            } else if let Some(value) = single_value(&enum_values).filter(|_| data.required) {
                ParamKind::Constant(value)
            } else {
                let context = format!("{context}{}", naming::type_name(&data.name));
                let sp = push_pointer(&pp, "schema");
                ParamKind::Value(self.type_of_ref(schema, &context, &sp)?)
            };
            let collection = match param {
                Parameter::Query { style, .. } => match (style, data.explode) {
                    (_, Some(true)) => Some(CollectionFormat::Multi),
                    (openapiv3::QueryStyle::SpaceDelimited, _) => Some(CollectionFormat::Ssv),
                    (openapiv3::QueryStyle::PipeDelimited, _) => Some(CollectionFormat::Pipes),
                    _ => Some(CollectionFormat::Csv),
                },
                _ => Some(CollectionFormat::Csv),
            };
            let skip_encoding = ext_bool(&data.extensions, "x-ms-skip-url-encoding");
            let doc = data.description.clone();
            if client_level && !matches!(kind, ParamKind::Constant(_)) {
                let idx = match self.client_params.iter().position(|c| c.name.wire == data.name) {
                    Some(i) => i,
                    None => {
                        self.client_params.push(Param {
                            name: Name { rust: naming::snake_name(&data.name), wire: data.name.clone() },
                            doc,
                            location,
                            kind,
                            required: true,
                            skip_encoding,
                            collection,
                        });
                        self.client_params.len() - 1
                    }
                };
                if location == Location::Path {
                    path_indices.insert(data.name.clone(), PathPart::ClientParam(idx));
                } else {
                    client_refs.push(idx);
                }
                continue;
            }
            let suffix = match location {
                Location::Path => "_path",
                Location::Query => "_query",
                Location::Header => "_header",
            };
            let rust = ns.claim(&naming::snake_name(&data.name), suffix);
            if location == Location::Path {
                match &kind {
                    ParamKind::Constant(v) => {
                        path_indices.insert(data.name.clone(), PathPart::Constant(v.clone()));
                        continue;
                    }
                    _ => {
                        path_indices.insert(data.name.clone(), PathPart::Param(params.len()));
                    }
                }
            }
            params.push(Param {
                name: Name { rust, wire: data.name.clone() },
                doc,
                location,
                kind,
                required: data.required || location == Location::Path,
                skip_encoding,
                collection,
            });
        }

        let parts = self.path_parts(path, &path_indices, pointer)?;
        let body = match &op.request_body {
            Some(rb) => self.lower_body(rb, method, &context, &mut ns, pointer)?,
            None => None,
        };
        let lro = if ext_bool(&op.extensions, "x-ms-long-running-operation") {
            let via = op
                .extensions
                .get("x-ms-long-running-operation-options")
                .and_then(|o| o.get("final-state-via"))
                .and_then(Value::as_str);
            Some(match via {
                Some("azure-async-operation") => FinalStateVia::AzureAsyncOperation,
                Some("location") => FinalStateVia::Location,
                Some("original-uri") => FinalStateVia::OriginalUri,
                Some("operation-location") => FinalStateVia::OperationLocation,
                _ => FinalStateVia::Default,
            })
        } else {
            None
        };
        let response = self.lower_responses(op, method, &context, lro.is_some(), pointer)?;
        let mut body = body;
        // A merge-patch body given as a bare object takes the patch type of the resource it returns.
        if let Some(b) = &mut body {
            if b.content_type == MERGE_PATCH {
                let target = match (&b.ty, &response.output) {
                    (TypeRef::Named(n), _) => Some(n.clone()),
                    (TypeRef::Any, Output::Json(TypeRef::Named(n))) => Some(n.clone()),
                    _ => None,
                };
                if let Some(target) = target {
                    match self.patch_type(&target) {
                        Some(patch) => b.ty = TypeRef::Named(patch),
                        // No patch type (a union): a bare object body takes the resource's own type.
                        None if b.ty == TypeRef::Any => b.ty = TypeRef::Named(target),
                        None => {}
                    }
                }
            }
        }
        let paging = match op.extensions.get("x-ms-pageable") {
            Some(p) if !p.is_null() => self.lower_paging(names.id, p, &response, &push_pointer(pointer, "x-ms-pageable"))?,
            _ => None,
        };
        Ok(Operation {
            id: names.id.to_string(),
            method_name: Name { rust: names.method_name, wire: names.op_wire.to_string() },
            marker: names.marker,
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            http_method: method.to_ascii_uppercase(),
            path: parts,
            path_template: path.to_string(),
            params,
            client_refs,
            body,
            response,
            paging,
            lro,
            pointer: pointer.to_string(),
        })
    }

    fn path_parts(&self, path: &str, params: &BTreeMap<String, PathPart>, pointer: &str) -> Result<Vec<PathPart>, Error> {
        let mut parts = Vec::new();
        let mut rest = path;
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else {
                return Err(self.err(pointer, format!("path template \"{path}\" has an unclosed '{{'")));
            };
            if start > 0 {
                parts.push(PathPart::Literal(rest[..start].to_string()));
            }
            let name = &rest[start + 1..start + len];
            match params.get(name) {
                Some(p) => parts.push(p.clone()),
                None => {
                    return Err(self.err(pointer, format!("path template names \"{{{name}}}\" but no path parameter \"{name}\" is declared")));
                }
            }
            rest = &rest[start + len + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_string()));
        }
        Ok(parts)
    }

    fn lower_body(
        &mut self,
        rb: &'a ReferenceOr<RequestBody>,
        method: &str,
        context: &str,
        ns: &mut Namespace,
        pointer: &str,
    ) -> Result<Option<Body>, Error> {
        let bp = push_pointer(pointer, "requestBody");
        let rb: &'a RequestBody = match rb {
            ReferenceOr::Item(rb) => rb,
            ReferenceOr::Reference { reference } => {
                self.component(reference, BODY_REF, "request body", |c| &c.request_bodies, &bp)?
            }
        };
        let content_type = pick_content_type(rb.content.keys().map(String::as_str), method == "patch");
        let Some(content_type) = content_type else { return Ok(None) };
        let media = &rb.content[content_type.as_str()];
        let ty = match &media.schema {
            Some(s) => self.type_of_ref(s, &format!("{context}Body"), &push_pointer(&bp, "schema"))?,
            None => TypeRef::Any,
        };
        let wire = ext_str(&rb.extensions, "x-ms-requestBody-name").unwrap_or("body").to_string();
        let rust = ns.claim(&naming::snake_name(&wire), "_body");
        Ok(Some(Body { name: Name { rust, wire }, doc: rb.description.clone(), ty, content_type, required: rb.required }))
    }

    fn lower_responses(
        &mut self,
        op: &'a openapiv3::Operation,
        method: &str,
        context: &str,
        lro: bool,
        pointer: &str,
    ) -> Result<Response, Error> {
        let rp = push_pointer(pointer, "responses");
        let mut success = Vec::new();
        let mut bodies: Vec<(u16, Option<TypeRef>)> = Vec::new();
        let mut error = None;
        let mut by_status = Vec::new();
        let entries: Vec<_> = op.responses.responses.iter().collect();
        for (code, resp) in entries {
            let code_text = code.to_string();
            let p = push_pointer(&rp, &code_text);
            let resp = self.resolve_response(resp, &p)?;
            let is_error = ext_bool(&resp.extensions, "x-ms-error-response");
            let status = match code {
                StatusCode::Code(c) => *c,
                StatusCode::Range(r) => r * 100,
            };
            let ty = self.response_type(resp, &format!("{context}Response{status}"), &p)?;
            by_status.push((code_text, ty.clone()));
            if is_error || (matches!(code, StatusCode::Range(_)) && status >= 400) {
                if error.is_none() {
                    error = ty;
                }
                continue;
            }
            success.push(status);
            bodies.push((status, ty));
        }
        if let Some(default) = &op.responses.default {
            let p = push_pointer(&rp, "default");
            let resp = self.resolve_response(default, &p)?;
            let ty = self.response_type(resp, &format!("{context}Error"), &p)?;
            by_status.push(("default".to_string(), ty.clone()));
            if ty.is_some() {
                error = ty;
            }
        }
        success.sort_unstable();
        // An LRO's final result is what the terminal request returns, not the 202 acknowledgement,
        // unless 202 is the only success response the document declares.
        let only_202 = bodies.iter().all(|(s, _)| *s == 202);
        let relevant: Vec<&(u16, Option<TypeRef>)> =
            bodies.iter().filter(|(s, _)| !(lro && *s == 202 && !only_202)).collect();
        let typed: Vec<&TypeRef> = relevant.iter().filter_map(|(_, t)| t.as_ref()).collect();
        let output = match typed.first() {
            None => Output::Unit,
            Some(first) => {
                if typed.iter().any(|t| t != first) {
                    self.warn(&rp, "success responses have different body types; the body is decoded as a JSON value");
                    Output::Json(TypeRef::Any)
                } else if typed.len() == relevant.len() && !(lro && (method == "delete" || (method == "post" && only_202))) {
                    // A long-running DELETE, or a POST that only declares its 202, may end with a 204.
                    Output::Json((*first).clone())
                } else {
                    Output::OptionalJson((*first).clone())
                }
            }
        };
        Ok(Response { success, output, error, by_status })
    }

    fn resolve_response(&self, r: &'a ReferenceOr<openapiv3::Response>, pointer: &str) -> Result<&'a openapiv3::Response, Error> {
        match r {
            ReferenceOr::Item(r) => Ok(r),
            ReferenceOr::Reference { reference } => {
                self.component(reference, RESPONSE_REF, "response", |c| &c.responses, pointer)
            }
        }
    }

    fn response_type(&mut self, resp: &'a openapiv3::Response, context: &str, pointer: &str) -> Result<Option<TypeRef>, Error> {
        let Some(ct) = pick_content_type(resp.content.keys().map(String::as_str), false) else {
            return Ok(None);
        };
        match &resp.content[ct.as_str()].schema {
            Some(s) => Ok(Some(self.type_of_ref(s, context, &push_pointer(pointer, "schema"))?)),
            None => Ok(None),
        }
    }

    fn lower_paging(&mut self, op_id: &str, ext: &Value, response: &Response, pointer: &str) -> Result<Option<Paging>, Error> {
        let page = match &response.output {
            Output::Json(TypeRef::Named(n)) | Output::OptionalJson(TypeRef::Named(n)) => self.resolve_alias(n),
            _ => {
                self.warn(pointer, "x-ms-pageable on an operation whose response is not a model; not paged");
                return Ok(None);
            }
        };
        let Some(TypeDef::Struct(s)) = self.types.get(&page).cloned() else {
            self.warn(pointer, "x-ms-pageable on an operation whose response is not an object model; not paged");
            return Ok(None);
        };
        let item_name = ext.get("itemName").and_then(Value::as_str).unwrap_or("value");
        let next_name = match ext.get("nextLinkName") {
            Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.as_str()),
            _ => Some("nextLink"),
        };
        let Some(items) = s.fields.iter().find(|f| f.name.wire == item_name) else {
            return Err(self.err(pointer, format!("expected the page model \"{}\" to have the item property \"{item_name}\"", s.name.wire)));
        };
        let TypeRef::Vec(item_ty) = &items.ty else {
            return Err(self.err(pointer, format!("expected the item property \"{item_name}\" of \"{}\" to be an array", s.name.wire)));
        };
        let next_link = match next_name {
            None => None,
            Some(n) => match s.fields.iter().find(|f| f.name.wire == n) {
                Some(f) if f.ty == TypeRef::String => Some((f.name.clone(), f.required)),
                Some(_) => return Err(self.err(pointer, format!("expected the next-link property \"{n}\" to be a string"))),
                None => {
                    let msg = format!("the page model \"{}\" has no next-link property \"{n}\"; only the first page is read", s.name.wire);
                    self.warn(pointer, msg);
                    None
                }
            },
        };
        if let Some(name) = ext.get("operationName") {
            match name.as_str() {
                Some(name) if next_link.is_some() => {
                    self.pending_next.push((op_id.to_string(), name.to_string(), push_pointer(pointer, "operationName")))
                }
                Some(_) => {}
                None => return Err(self.err(&push_pointer(pointer, "operationName"), "expected a string")),
            }
        }
        Ok(Some(Paging {
            items: items.name.clone(),
            items_required: items.required,
            item_ty: (**item_ty).clone(),
            next_link,
            next_operation: None,
        }))
    }

    /// The model an alias chain starting at `name` ends in (`name` itself when it is no alias of a model).
    fn resolve_alias(&self, name: &str) -> String {
        match resolve_alias(&self.types, &TypeRef::Named(name.to_string())) {
            TypeRef::Named(n) => n,
            _ => name.to_string(),
        }
    }

    /// The merge-patch counterpart of a struct: every field optional. Created once per model.
    fn patch_type(&mut self, model: &str) -> Option<String> {
        let model = self.resolve_alias(model);
        if let Some(existing) = self.types.values().find_map(|t| match t {
            TypeDef::Struct(s) if s.patch_of.as_deref() == Some(model.as_str()) => Some(s.name.rust.clone()),
            _ => None,
        }) {
            return Some(existing);
        }
        let TypeDef::Struct(s) = self.types.get(&model)? else { return None };
        let mut patch = s.clone();
        let rust = self.type_names.claim(&format!("{}Patch", s.name.rust), "");
        patch.name = Name { rust: rust.clone(), wire: String::new() };
        patch.doc = Some(format!(
            "Merge-patch body for [`{0}`]({0}): set only the fields to change; unset fields are left as they are. \
             To clear a field, put `null` under its wire name in `additional_properties`.",
            s.name.rust
        ));
        for f in &mut patch.fields {
            f.required = false;
            f.send_null = false;
        }
        patch.patch_of = Some(model);
        self.types.insert(rust.clone(), TypeDef::Struct(patch));
        Some(rust)
    }

    // ---------------------------------------------------------------- whole-model passes

    /// Boxes recursive fields and works out which structs can derive `Default`.
    fn finish_types(&mut self) {
        let names: Vec<String> = self.types.keys().cloned().collect();
        for name in &names {
            let fields: Vec<(usize, String)> = match &self.types[name] {
                TypeDef::Struct(s) => s
                    .fields
                    .iter()
                    .enumerate()
                    .filter_map(|(i, f)| match &f.ty {
                        TypeRef::Named(n) => Some((i, n.clone())),
                        _ => None,
                    })
                    .collect(),
                _ => continue,
            };
            for (i, target) in fields {
                if self.reaches(&target, name) {
                    if let Some(TypeDef::Struct(s)) = self.types.get_mut(name) {
                        s.fields[i].boxed = true;
                    }
                }
            }
        }
        loop {
            let mut changed = false;
            for name in &names {
                let can = match &self.types[name] {
                    TypeDef::Struct(s) if !s.default => {
                        s.fields.iter().all(|f| !f.required || self.defaultable(&f.ty))
                    }
                    _ => false,
                };
                if can {
                    if let Some(TypeDef::Struct(s)) = self.types.get_mut(name) {
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

    /// Whether `from` contains `to` by value (not behind a `Vec` or map).
    fn reaches(&self, from: &str, to: &str) -> bool {
        let mut stack = vec![from.to_string()];
        let mut seen = BTreeSet::new();
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if !seen.insert(n.clone()) {
                continue;
            }
            match self.types.get(&n) {
                Some(TypeDef::Struct(s)) => {
                    for f in &s.fields {
                        if let TypeRef::Named(t) = &f.ty {
                            if !f.boxed {
                                stack.push(t.clone());
                            }
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

    fn defaultable(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::DateTime => false,
            TypeRef::Named(n) => match self.types.get(n) {
                Some(TypeDef::Struct(s)) => s.default,
                Some(TypeDef::Alias(a)) => self.defaultable(&a.ty),
                _ => false,
            },
            _ => true,
        }
    }
}

struct OpNames<'n> {
    id: &'n str,
    group_wire: &'n str,
    op_wire: &'n str,
    method_name: String,
    marker: String,
}

fn is_struct_like(f: &Flat<'_>) -> bool {
    !f.properties.is_empty() || (!f.all_of.is_empty() && f.one_of.is_empty() && f.any_of.is_empty())
}

fn descends_from(parents: &BTreeMap<String, Vec<String>>, child: &str, ancestor: &str) -> bool {
    let mut stack = vec![child.to_string()];
    let mut seen = BTreeSet::new();
    while let Some(n) = stack.pop() {
        if !seen.insert(n.clone()) {
            continue;
        }
        for p in parents.get(&n).into_iter().flatten() {
            if p == ancestor {
                return true;
            }
            stack.push(p.clone());
        }
    }
    false
}

fn single_string(values: &[Value]) -> Option<String> {
    match values {
        [Value::String(s)] => Some(s.clone()),
        _ => None,
    }
}

/// The one value of a single-value enum as sent on the wire (`"x"` → `x`, `true` → `true`).
fn single_value(values: &[Value]) -> Option<String> {
    match values {
        [Value::Bool(b)] => Some(b.to_string()),
        [Value::Number(n)] => Some(n.to_string()),
        _ => single_string(values),
    }
}

fn param_location_name(p: &Parameter) -> &'static str {
    match p {
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Path { .. } => "path",
        Parameter::Cookie { .. } => "cookie",
    }
}

/// Picks the media type to use: merge-patch for PATCH when offered, else JSON, else the first one.
fn pick_content_type<'k>(types: impl Iterator<Item = &'k str>, patch: bool) -> Option<String> {
    let types: Vec<&str> = types.collect();
    if patch && types.contains(&MERGE_PATCH) {
        return Some(MERGE_PATCH.to_string());
    }
    types
        .iter()
        .find(|t| t.split(';').next().map(str::trim) == Some("application/json"))
        .or_else(|| types.iter().find(|t| t.contains("json")))
        .or_else(|| types.first())
        .map(|t| t.to_string())
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
        match same.map(|i| (i, &first.params[i])) {
            Some((_, Param { kind: ParamKind::Constant(v), .. })) => Ok(NextValue::Constant(v.clone())),
            Some((i, q)) if q.required && matches!(&q.kind, ParamKind::Value(t) if !matches!(t, TypeRef::Vec(_))) => {
                Ok(NextValue::Param(i))
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
            PathPart::Param(i) => {
                let p = &next.params[*i];
                NextPart::Value { value: value_of(p)?, skip_encoding: p.skip_encoding }
            }
            PathPart::ClientParam(i) => NextPart::Value { value: NextValue::ClientParam(*i), skip_encoding: false },
            PathPart::Constant(v) => NextPart::Value { value: NextValue::Constant(v.clone()), skip_encoding: false },
        });
    }
    let mut params = Vec::new();
    for p in next.params.iter().filter(|p| p.location != Location::Path) {
        match value_of(p) {
            Ok(value) => params.push((p.location, p.name.wire.clone(), value)),
            Err(_) if !p.required => {}
            Err(why) => return Err(why),
        }
    }
    if next.body.as_ref().is_some_and(|b| b.required) {
        return Err(format!("next-page operation \"{}\" needs a request body", next.id));
    }
    Ok(NextOperation {
        id: next.id.clone(),
        http_method: next.http_method.clone(),
        path,
        params,
        client_refs: next.client_refs.clone(),
    })
}
