//! Media types of request and response bodies: which kind of body each one is (JSON, text, bytes,
//! a form), and the fields of a form body.

use openapiv3::{ReferenceOr, Schema};

use super::flat::flat;
use super::params::single_value;
use super::schemas::TypeRegistry;
use super::{Cx, Diagnostics};
use crate::error::Error;
use crate::extensions;
use crate::ir::{FormField, Name, ParamKind};
use crate::json::push_pointer;
use crate::naming::{inline, CallArgs};

pub(super) const FORM_URLENCODED: &str = "application/x-www-form-urlencoded";
pub(super) const MULTIPART: &str = "multipart/form-data";

/// The kind of body a media type with its schema is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Media {
    Json,
    Text,
    /// Bytes as they are: a binary schema (`format: binary`, Swagger's `file`) in any media type, or
    /// a media type without a JSON form.
    Binary,
    /// XML: bytes too (the caller encodes and decodes), with a warning.
    Xml,
    UrlEncoded,
    Multipart,
}

impl Media {
    /// Bodies of the same group are one argument; XML is a binary body.
    pub(super) fn group(self) -> Media {
        match self {
            Media::Xml => Media::Binary,
            other => other,
        }
    }
}

/// What `media_type` with `schema` is sent or received as.
pub(super) fn media_of(media_type: &str, schema: Option<&ReferenceOr<Schema>>) -> Media {
    let essence = media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if schema.is_some_and(is_binary) {
        Media::Binary
    } else if essence == FORM_URLENCODED {
        Media::UrlEncoded
    } else if essence == MULTIPART {
        Media::Multipart
    } else if essence.contains("json") {
        Media::Json
    } else if essence.ends_with("/xml") || essence.ends_with("+xml") {
        Media::Xml
    } else if essence.starts_with("text/") {
        Media::Text
    } else {
        Media::Binary
    }
}

/// A string of `format: binary` (what Swagger's `type: file` becomes).
fn is_binary<S: std::borrow::Borrow<Schema>>(schema: &ReferenceOr<S>) -> bool {
    match schema {
        ReferenceOr::Item(s) => {
            let f = flat(s.borrow());
            f.typ == Some("string") && f.format.as_deref() == Some("binary")
        }
        ReferenceOr::Reference { .. } => false,
    }
}

/// The warning for an XML body or response at `pointer`.
pub(super) fn warn_xml(diag: &mut Diagnostics, pointer: &str, media_type: &str) {
    let message = format!("{media_type} is not encoded or decoded: the body is bytes the caller encodes or decodes");
    diag.warn(pointer, message);
}

/// The fields of a form body (`schema` an object): one per property, named by `x-ms-client-name`
/// when given; a required single-value enum that is not open is a constant.
pub(super) fn form_fields<'a>(
    cx: &Cx<'a>,
    types: &mut TypeRegistry<'a>,
    diag: &mut Diagnostics,
    schema: &'a ReferenceOr<Schema>,
    args: &mut CallArgs,
    context: &str,
    pointer: &str,
) -> Result<Vec<FormField>, Error> {
    let (schema, pointer) = match schema {
        ReferenceOr::Item(s) => (s, pointer.to_string()),
        ReferenceOr::Reference { reference } => {
            let (_, s) = cx.resolve_schema_ref(reference, pointer)?;
            (s, pointer.to_string())
        }
    };
    let f = flat(schema);
    let properties = push_pointer(&pointer, "properties");
    let mut fields = Vec::new();
    for (wire, property) in &f.properties {
        let p = push_pointer(&properties, wire);
        let required = f.required.contains(wire);
        let (file, doc, constant) = match property {
            ReferenceOr::Item(s) => {
                let pf = flat(s);
                let items_binary = pf.items.is_some_and(is_binary);
                let open = extensions::ms_enum(&pf.data.extensions).is_some_and(|e| e.model_as_string);
                let constant = single_value(&pf.enumeration).filter(|_| required && !open);
                (is_binary(property) || items_binary, pf.data.description.clone(), constant)
            }
            ReferenceOr::Reference { .. } => (false, None, None),
        };
        let kind = match constant {
            Some(value) => ParamKind::Constant(value),
            None => ParamKind::Value(types.type_of_ref(cx, diag, property, &inline::param(context, wire), &p)?),
        };
        let extensions = match property {
            ReferenceOr::Item(s) => Some(&s.schema_data.extensions),
            ReferenceOr::Reference { .. } => None,
        };
        let rust_wire = extensions.and_then(extensions::client_name).unwrap_or(wire);
        let rust = match kind {
            ParamKind::Constant(_) => crate::naming::snake_name(rust_wire),
            _ => args.body(rust_wire),
        };
        fields.push(FormField { name: Name { rust, wire: wire.to_string() }, doc, kind, file, required });
    }
    Ok(fields)
}
