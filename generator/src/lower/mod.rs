//! Lowering: an OpenAPI 3.0 document → [`crate::ir::Api`].
//!
//! This is the only code that reads the OpenAPI structures; emitters read the IR. The driver here
//! normalises and parses the loaded document, then runs one module per concern, in this order:
//!
//! - `schemas`: component schemas, and the inline types found anywhere later → models, with
//!   `inherit` for what `allOf` means (discriminated hierarchies, inherited properties) and
//!   `unions` for hierarchies and `oneOf` / `anyOf` as sum types;
//! - `client`: the server, host parameters and client parameters (the `Client` constructor);
//! - `operations`: groups, names and paths of operations, with `params` (parameters), `groups`
//!   (parameter groups) and `responses` (request bodies and responses);
//! - `paging` (`x-ms-pageable`, next-page operations) and `lro` (long-running operations);
//! - `finish`: merge-patch types, boxing recursive fields, `Default`.
//!
//! State is split the same way: a read-only context (file, dialect, document, path origins), the
//! registry of models the `schemas` module owns, the client's parameters, and a collector of
//! warnings. Every name comes from [`crate::naming`], every `x-ms-*` value from
//! [`crate::extensions`]. Problems that make a faithful client impossible are located [`Error`]s;
//! things mapped loosely (two subtypes with one discriminator value) are [`Warning`]s in the summary.

mod client;
mod finish;
mod flat;
mod groups;
mod inherit;
mod lro;
mod media;
mod operations;
mod paging;
mod params;
mod responses;
mod schemas;
#[cfg(test)]
mod tests;
mod unions;

use openapiv3::{OpenAPI, ReferenceOr, Schema};

use crate::error::Error;
use crate::extensions::{self, PathOrigins};
use crate::ir::{Api, Warning};
use crate::json::{self, push_pointer};
use crate::load::{Dialect, Document};
use crate::normalise::{self, SourcePointers};

const SCHEMA_REF: &str = "#/components/schemas/";

/// Lowers a loaded document: normalises it to OpenAPI 3.0, merges `x-ms-paths`, parses and lowers it.
pub fn lower_document(doc: Document) -> Result<Api, Error> {
    let mut doc = normalise::normalise(doc)?;
    let origins = extensions::merge_paths(&doc.file, &mut doc.value)?;
    let (file, dialect, sources) = (doc.file.clone(), doc.dialect, std::mem::take(&mut doc.sources));
    let parsed = doc.into_openapi()?;
    lower(&file, dialect, &parsed, &origins, &sources)
}

/// Lowers a parsed document. `file` names it in errors and headers; `dialect`, `origins` and
/// `sources` say how the user wrote it, so that pointers in messages and in the IR point into their
/// file.
pub fn lower(file: &str, dialect: Dialect, doc: &OpenAPI, origins: &PathOrigins, sources: &SourcePointers) -> Result<Api, Error> {
    let cx = Cx { file, dialect, doc, origins, sources };
    let mut diag = Diagnostics::default();
    let mut types = schemas::TypeRegistry::default();
    types.lower_components(&cx, &mut diag)?;
    let (server, args) = client::lower_server(&cx);
    let mut clients = client::ClientParams::new(args);
    let mut param_groups = groups::ParamGroups::default();
    let groups = operations::lower_operations(&cx, &mut types, &mut clients, &mut param_groups, &mut diag)?;
    let mut types = types.into_types();
    finish::check_alias_cycles(&cx, &types)?;
    finish::box_recursive_fields(&mut types);
    finish::derive_default(&mut types);
    Ok(Api {
        source: file.to_string(),
        title: doc.info.title.clone(),
        description: doc.info.description.clone(),
        version: doc.info.version.clone(),
        server,
        client_params: clients.into_params(),
        types,
        groups,
        param_groups: param_groups.into_groups(),
        warnings: diag.into_warnings(),
    })
}

/// What every lowering step reads: the document and how to point into the file the user wrote.
pub(crate) struct Cx<'a> {
    pub file: &'a str,
    pub dialect: Dialect,
    pub doc: &'a OpenAPI,
    pub origins: &'a PathOrigins,
    pub sources: &'a SourcePointers,
}

impl<'a> Cx<'a> {
    pub fn err(&self, pointer: &str, message: impl Into<String>) -> Error {
        Error::new(self.file, pointer, message)
    }

    /// Where the member at `pointer` of the normalised document is in the user's file.
    pub fn source(&self, pointer: &str) -> String {
        self.sources.source(pointer)
    }

    /// Where the schema of media type `media_type` in a body or response at `at` is in the user's
    /// file: `…/schema` in Swagger 2.0, `…/content/<media type>/schema` in OpenAPI 3.0.
    pub fn content_schema_pointer(&self, at: &str, media_type: &str) -> String {
        match self.dialect {
            Dialect::Swagger2 => self.source(&push_pointer(at, "schema")),
            Dialect::OpenApi3 => push_pointer(&push_pointer(&push_pointer(at, "content"), media_type), "schema"),
        }
    }

    /// The pointer of a component schema in the user's file.
    pub fn schema_pointer(&self, name: &str) -> String {
        let root = match self.dialect {
            Dialect::Swagger2 => "/definitions",
            Dialect::OpenApi3 => "/components/schemas",
        };
        push_pointer(root, name)
    }

    pub fn components_schemas(&self) -> impl Iterator<Item = (&'a String, &'a ReferenceOr<Schema>)> {
        self.doc.components.iter().flat_map(|c| c.schemas.iter())
    }

    /// Resolves a schema `$ref` to its component name and schema (following ref chains).
    pub fn resolve_schema_ref(&self, reference: &str, pointer: &str) -> Result<(String, &'a Schema), Error> {
        let mut reference = reference.to_string();
        for _ in 0..32 {
            let Some(name) = reference.strip_prefix(SCHEMA_REF) else {
                return Err(self.err(pointer, format!("$ref \"{reference}\" does not point to a schema")));
            };
            let name = json::unescape(name);
            let found = self.doc.components.as_ref().and_then(|c| c.schemas.get(&name));
            match found {
                Some(ReferenceOr::Item(s)) => return Ok((name, s)),
                Some(ReferenceOr::Reference { reference: next }) => reference = next.clone(),
                None => return Err(self.err(pointer, format!("$ref \"{reference}\" does not resolve"))),
            }
        }
        Err(self.err(pointer, format!("$ref \"{reference}\" is part of a reference cycle")))
    }

    /// Resolves a `$ref` to a component of one kind (`#/components/<prefix>/Name`), one level deep.
    pub fn component<T>(
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
        match self.doc.components.as_ref().and_then(|c| components(c).get(&json::unescape(name))) {
            Some(ReferenceOr::Item(item)) => Ok(item),
            _ => Err(self.err(pointer, format!("$ref \"{reference}\" does not resolve to a {kind}"))),
        }
    }
}

/// How many struct fields and union variants one document may lower to. Flattening `allOf` copies
/// a parent's fields into every child, so a small document can describe a huge client; real ones
/// stay far below this (the largest public Azure documents lower to a few tens of thousands).
pub const MAX_MODEL_MEMBERS: usize = 500_000;

/// The model members made so far, against [`MAX_MODEL_MEMBERS`].
#[derive(Debug, Default)]
pub(crate) struct Budget {
    used: usize,
}

impl Budget {
    /// Counts `n` more members made at `pointer`; an error once the document has made too many.
    pub fn spend(&mut self, cx: &Cx<'_>, n: usize, pointer: &str) -> Result<(), Error> {
        self.used = self.used.saturating_add(n);
        if self.used > MAX_MODEL_MEMBERS {
            return Err(cx.err(
                pointer,
                format!("the document lowers to more than {MAX_MODEL_MEMBERS} model fields and union variants (allOf inheritance copies fields into every subtype)"),
            ));
        }
        Ok(())
    }
}

/// The warnings of one document: collected by every step, reported sorted and once each.
#[derive(Debug, Default)]
pub(crate) struct Diagnostics {
    warnings: Vec<Warning>,
}

impl Diagnostics {
    pub fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Warning { pointer: pointer.to_string(), message: message.into() });
    }

    pub fn into_warnings(mut self) -> Vec<Warning> {
        self.warnings.sort();
        self.warnings.dedup();
        self.warnings
    }
}
