//! The intermediate representation: what "a model" and "an operation" are in this project.
//!
//! Lowering ([`crate::lower`]) builds it from an `openapiv3::OpenAPI`; every emitter reads only this.
//! Collections are ordered (sorted or in document order) so output never depends on hash order.

use std::collections::BTreeMap;

/// A name in both worlds: the Rust identifier (possibly `r#`-prefixed) and the wire name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Name {
    pub rust: String,
    pub wire: String,
}

/// One document, lowered.
#[derive(Clone, Debug)]
pub struct Api {
    /// Input file as named in headers and messages (`specs/dps/2017-11-15.json`).
    pub source: String,
    pub title: String,
    pub description: Option<String>,
    /// `info.version`; also the default `api-version`.
    pub version: String,
    pub server: Server,
    /// Parameters held by the client rather than passed per call (ARM's `subscriptionId`).
    pub client_params: Vec<Param>,
    /// Models by Rust name.
    pub types: BTreeMap<String, TypeDef>,
    /// Operation groups, sorted by Rust name; the root group (operations without a `Group_` prefix)
    /// has an empty module name.
    pub groups: Vec<Group>,
    pub warnings: Vec<Warning>,
}

/// Something the generator could not map faithfully, with where it is.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    pub pointer: String,
    pub message: String,
}

/// Where requests go: `{scheme}://{host}` with host parameters, plus the base path.
#[derive(Clone, Debug)]
pub struct Server {
    pub scheme: String,
    /// Host template such as `{subdomain}.{baseDomain}` or `management.azure.com`.
    pub host_template: String,
    pub base_path: String,
    pub host_params: Vec<HostParam>,
}

#[derive(Clone, Debug)]
pub struct HostParam {
    pub name: Name,
    pub doc: Option<String>,
    /// Used when the caller does not give one; a parameter without default is a required argument.
    pub default: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeRef {
    String,
    Bool,
    I32,
    I64,
    F32,
    F64,
    DateTime,
    /// Schemaless: any JSON value.
    Any,
    /// A model in [`Api::types`], by Rust name.
    Named(String),
    Vec(Box<TypeRef>),
    /// JSON object with arbitrary keys.
    Map(Box<TypeRef>),
}

#[derive(Clone, Debug)]
pub enum TypeDef {
    Struct(Struct),
    Enum(Enum),
    Union(Union),
    Alias(Alias),
}

impl TypeDef {
    pub fn name(&self) -> &Name {
        match self {
            TypeDef::Struct(s) => &s.name,
            TypeDef::Enum(e) => &e.name,
            TypeDef::Union(u) => &u.name,
            TypeDef::Alias(a) => &a.name,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Struct {
    pub name: Name,
    pub doc: Option<String>,
    pub fields: Vec<Field>,
    /// Members beyond the named properties, kept in a map: the declared `additionalProperties`
    /// type, or any JSON for undeclared members (so nothing a service sends is lost).
    pub additional: Option<(Name, TypeRef)>,
    /// Whether the document declares `additionalProperties` (rather than us keeping unknowns).
    pub additional_declared: bool,
    /// Every field can be defaulted, so the struct derives `Default`.
    pub default: bool,
    /// Set for derived merge-patch types: the model it patches.
    pub patch_of: Option<String>,
    /// For a subtype of a discriminated union: the discriminator property and this type's value,
    /// written on every serialisation (the property is not a field).
    pub tag: Option<(String, String)>,
}

impl Struct {
    /// The field holding the resource's ETag, if the model has one (`etag`, a string).
    pub fn etag_field(&self) -> Option<&Field> {
        self.fields.iter().find(|f| f.name.wire == "etag" && f.ty == TypeRef::String)
    }
}

#[derive(Clone, Debug)]
pub struct Field {
    pub name: Name,
    pub doc: Option<String>,
    pub ty: TypeRef,
    /// Emitted as `Option<T>` when false.
    pub required: bool,
    /// Decoded, never sent in request bodies.
    pub read_only: bool,
    /// Boxed to break a recursive type.
    pub boxed: bool,
    /// Required but nullable (`x-nullable`): an `Option` that is sent as `null` when `None`.
    pub send_null: bool,
}

#[derive(Clone, Debug)]
pub struct Enum {
    pub name: Name,
    pub doc: Option<String>,
    /// Open (`x-ms-enum.modelAsString`): unknown values are kept in an `Other(String)` variant.
    pub open: bool,
    pub variants: Vec<Variant>,
    /// Name of the catch-all variant of an open enum (usually `Other`).
    pub other: String,
}

#[derive(Clone, Debug)]
pub struct Variant {
    pub name: Name,
    pub doc: Option<String>,
}

/// A discriminated type: the base schema plus every subtype with a discriminator value.
#[derive(Clone, Debug)]
pub struct Union {
    pub name: Name,
    pub doc: Option<String>,
    /// Wire name of the discriminator property.
    pub property: String,
    pub variants: Vec<UnionVariant>,
    /// Name of the variant that keeps unrecognised values as raw JSON.
    pub unknown: String,
}

#[derive(Clone, Debug)]
pub struct UnionVariant {
    /// Rust variant name and discriminator value.
    pub name: Name,
    /// The subtype struct, by Rust name.
    pub ty: String,
}

#[derive(Clone, Debug)]
pub struct Alias {
    pub name: Name,
    pub doc: Option<String>,
    pub ty: TypeRef,
}

#[derive(Clone, Debug)]
pub struct Group {
    /// Rust module name (`devices`) and wire prefix (`Devices`); empty for the root group.
    pub module: Name,
    /// Rust name of the group's accessor struct (`DevicesClient`); empty for the root group.
    pub struct_name: String,
    pub operations: Vec<Operation>,
}

#[derive(Clone, Debug)]
pub struct Operation {
    /// `operationId` as written.
    pub id: String,
    /// Method name (`get`, wire `Get`).
    pub method_name: Name,
    /// Marker type name (`Get`).
    pub marker: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub http_method: String,
    pub path: Vec<PathPart>,
    /// Path template as written, for docs.
    pub path_template: String,
    pub params: Vec<Param>,
    /// Client parameters sent in the query or a header, by index into [`Api::client_params`].
    pub client_refs: Vec<usize>,
    pub body: Option<Body>,
    pub response: Response,
    pub paging: Option<Paging>,
    pub lro: Option<FinalStateVia>,
    /// JSON pointer of the operation in the source document.
    pub pointer: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PathPart {
    Literal(String),
    /// A method parameter, by index into [`Operation::params`].
    Param(usize),
    /// A client parameter, by index into [`Api::client_params`].
    ClientParam(usize),
    /// A constant value.
    Constant(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CollectionFormat {
    Csv,
    Ssv,
    Tsv,
    Pipes,
    Multi,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ParamKind {
    Value(TypeRef),
    /// `If-Match` / `If-None-Match`: typed `IfMatch`.
    IfMatch,
    IfNoneMatch,
    /// Never exposed; always sent with this value (`api-version`, single-value enums).
    Constant(String),
}

#[derive(Clone, Debug)]
pub struct Param {
    pub name: Name,
    pub doc: Option<String>,
    pub location: Location,
    pub kind: ParamKind,
    pub required: bool,
    /// `x-ms-skip-url-encoding`.
    pub skip_encoding: bool,
    /// For array values.
    pub collection: Option<CollectionFormat>,
}

#[derive(Clone, Debug)]
pub struct Body {
    pub name: Name,
    pub doc: Option<String>,
    pub ty: TypeRef,
    pub content_type: String,
    pub required: bool,
}

/// What a successful call decodes to.
#[derive(Clone, Debug)]
pub struct Response {
    /// Declared success status codes, ascending.
    pub success: Vec<u16>,
    pub output: Output,
    /// The document's error model for this operation (`default` response schema).
    pub error: Option<TypeRef>,
    /// Every declared response with its body type, keyed as written (`200`, `default`).
    pub by_status: Vec<(String, Option<TypeRef>)>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    /// No body on any success status.
    Unit,
    /// Every success status has this body.
    Json(TypeRef),
    /// Some success statuses have this body, others none.
    OptionalJson(TypeRef),
}

#[derive(Clone, Debug)]
pub struct Paging {
    /// Field of the page holding the items, and whether it is required (`Vec`) or optional.
    pub items: Name,
    pub items_required: bool,
    pub item_ty: TypeRef,
    /// Field holding the next link, if the operation pages at all beyond the first response.
    pub next_link: Option<(Name, bool)>,
    /// `x-ms-pageable.operationName`: next pages are requested through this operation instead of a
    /// GET of the link.
    pub next_operation: Option<NextOperation>,
}

/// How the next-page operation's request is built from the first operation's arguments and the link.
#[derive(Clone, Debug, PartialEq)]
pub struct NextOperation {
    /// `operationId` of the next-page operation.
    pub id: String,
    pub http_method: String,
    pub path: Vec<NextPart>,
    /// Query (`Location::Query`) and header parameters, by wire name.
    pub params: Vec<(Location, String, NextValue)>,
    /// Client parameters the next operation sends in the query or a header.
    pub client_refs: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NextPart {
    Literal(String),
    Value { value: NextValue, skip_encoding: bool },
}

/// Where a next-page request parameter's value comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum NextValue {
    /// The next link itself (the next operation's `nextLink` parameter).
    Link,
    /// The first operation's required parameter with this index into [`Operation::params`].
    Param(usize),
    /// A client parameter, by index into [`Api::client_params`].
    ClientParam(usize),
    Constant(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FinalStateVia {
    Default,
    AzureAsyncOperation,
    Location,
    OriginalUri,
    OperationLocation,
}

/// A one-screen summary of a lowered document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub models: usize,
    pub operations: usize,
    pub paged: usize,
    pub lro: usize,
    pub warnings: usize,
}

impl Api {
    pub fn summary(&self) -> Summary {
        let ops = || self.groups.iter().flat_map(|g| g.operations.iter());
        Summary {
            models: self.types.len(),
            operations: ops().count(),
            paged: ops().filter(|o| o.paging.is_some()).count(),
            lro: ops().filter(|o| o.lro.is_some()).count(),
            warnings: self.warnings.len(),
        }
    }
}

/// Follows `type X = Y` aliases in `types` from `ty` to the type they stand for (at most 32 steps,
/// so an alias cycle cannot hang).
pub fn resolve_alias(types: &BTreeMap<String, TypeDef>, ty: &TypeRef) -> TypeRef {
    let mut current = ty.clone();
    for _ in 0..32 {
        match &current {
            TypeRef::Named(n) => match types.get(n) {
                Some(TypeDef::Alias(a)) => current = a.ty.clone(),
                _ => break,
            },
            _ => break,
        }
    }
    current
}
