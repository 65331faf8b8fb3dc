//! A uniform view of a schema, whatever `SchemaKind` openapiv3 chose for it: the schema lowering
//! asks "does it have properties, an enum, `allOf`…" without matching every kind.

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use crate::ir::Constraints;

/// The parts of a schema that lowering looks at.
pub(super) struct Flat<'s> {
    pub(super) data: &'s SchemaData,
    pub(super) typ: Option<&'s str>,
    pub(super) format: Option<String>,
    pub(super) properties: Vec<(&'s String, &'s ReferenceOr<Box<Schema>>)>,
    pub(super) required: &'s [String],
    pub(super) additional: Option<&'s AdditionalProperties>,
    pub(super) items: Option<&'s ReferenceOr<Box<Schema>>>,
    pub(super) enumeration: Vec<Value>,
    pub(super) all_of: &'s [ReferenceOr<Schema>],
    pub(super) one_of: &'s [ReferenceOr<Schema>],
    pub(super) any_of: &'s [ReferenceOr<Schema>],
    pub(super) constraints: Constraints,
}

fn fmt_of<T>(f: &VariantOrUnknownOrEmpty<T>, name: impl Fn(&T) -> &'static str) -> Option<String> {
    match f {
        VariantOrUnknownOrEmpty::Item(t) => Some(name(t).to_string()),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

pub(super) fn flat(schema: &Schema) -> Flat<'_> {
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
        constraints: Constraints::default(),
    };
    let c = &mut f.constraints;
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
            (c.pattern, c.min_length, c.max_length) = (s.pattern.clone(), s.min_length, s.max_length);
        }
        SchemaKind::Type(Type::Number(n)) => {
            f.typ = Some("number");
            f.format = fmt_of(&n.format, |x| match x {
                NumberFormat::Float => "float",
                NumberFormat::Double => "double",
            });
            (c.minimum, c.maximum, c.multiple_of) = (n.minimum, n.maximum, n.multiple_of);
            (c.exclusive_minimum, c.exclusive_maximum) = (n.exclusive_minimum, n.exclusive_maximum);
        }
        SchemaKind::Type(Type::Integer(i)) => {
            f.typ = Some("integer");
            f.format = fmt_of(&i.format, |x| match x {
                IntegerFormat::Int32 => "int32",
                IntegerFormat::Int64 => "int64",
            });
            f.enumeration = i.enumeration.iter().flatten().map(|v| Value::from(*v)).collect();
            let float = |v: Option<i64>| v.map(|v| v as f64);
            (c.minimum, c.maximum, c.multiple_of) = (float(i.minimum), float(i.maximum), float(i.multiple_of));
            (c.exclusive_minimum, c.exclusive_maximum) = (i.exclusive_minimum, i.exclusive_maximum);
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
            (c.min_items, c.max_items, c.unique_items) = (a.min_items, a.max_items, a.unique_items);
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
            *c = Constraints {
                minimum: a.minimum,
                maximum: a.maximum,
                exclusive_minimum: a.exclusive_minimum.unwrap_or(false),
                exclusive_maximum: a.exclusive_maximum.unwrap_or(false),
                multiple_of: a.multiple_of,
                min_length: a.min_length,
                max_length: a.max_length,
                pattern: a.pattern.clone(),
                min_items: a.min_items,
                max_items: a.max_items,
                unique_items: a.unique_items.unwrap_or(false),
            };
        }
    }
    f
}

/// Whether a schema becomes a struct: it has properties, or inherits through `allOf` alone.
pub(super) fn is_struct_like(f: &Flat<'_>) -> bool {
    !f.properties.is_empty() || (!f.all_of.is_empty() && f.one_of.is_empty() && f.any_of.is_empty())
}

/// Whether a schema becomes a union of its `oneOf` / `anyOf`: it has one, and no properties of its
/// own, or a discriminator that says which member a value is (its own properties are then the
/// members' too).
pub(super) fn is_union_like(f: &Flat<'_>) -> bool {
    (!f.one_of.is_empty() || !f.any_of.is_empty()) && (!is_struct_like(f) || f.data.discriminator.is_some())
}

/// Whether a schema is JSON Schema's `{type: null}` (or an enum of `null` alone).
pub(super) fn is_null(f: &Flat<'_>) -> bool {
    f.typ == Some("null") || (f.enumeration.len() == 1 && f.enumeration[0].is_null())
}

/// Whether a `oneOf` / `anyOf` admits `null`: a `{type: null}` member, or `nullable` on the schema.
pub(super) fn admits_null(f: &Flat<'_>) -> bool {
    f.data.nullable
        || f.one_of.iter().chain(f.any_of).any(|m| matches!(m, ReferenceOr::Item(s) if is_null(&flat(s))))
}
