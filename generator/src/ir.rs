//! The intermediate representation: what "a model" and "an operation" are in this project.
//!
//! Lowering ([`crate::lower`]) builds it from an `openapiv3::OpenAPI`; every emitter reads only this.
//! Collections are ordered (sorted or in document order) so output never depends on hash order.

use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::fmt;

/// A name in both worlds: the Rust identifier (possibly `r#`-prefixed) and the wire name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Name {
    pub rust: String,
    pub wire: String,
}

/// The Rust name of a model: a key of [`Api::types`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ModelName(String);

impl ModelName {
    pub fn new(name: impl Into<String>) -> Self {
        ModelName(name.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for ModelName {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ModelName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A method parameter of an operation: an index into [`Operation::params`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ParamId(pub usize);

/// A client parameter: an index into [`Api::client_params`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ClientParamId(pub usize);

/// One document, lowered.
#[derive(Clone, Debug, PartialEq)]
pub struct Api {
    /// Input file as named in headers and messages (`specs/dps/2017-11-15.json`).
    pub source: String,
    pub title: String,
    pub description: Option<String>,
    /// `info.version`; also the default `api-version`.
    pub version: String,
    pub server: Server,
    /// Parameters held by the client rather than passed per call (ARM's `subscriptionId`).
    pub client_params: Vec<ClientParam>,
    /// Models by Rust name.
    pub types: BTreeMap<ModelName, TypeDef>,
    /// Operation groups: the root group (operations without a `Group_` prefix) first, then the named
    /// groups sorted by module name.
    pub groups: Vec<Group>,
    /// Parameter groups (`x-ms-parameter-grouping`): structs passed to the operations instead of
    /// their members, in the order first used.
    pub param_groups: Vec<ParamGroup>,
    pub warnings: Vec<Warning>,
}

/// Something the generator could not map faithfully, with where it is.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    pub pointer: String,
    pub message: String,
}

/// Where requests go: `{scheme}://{host}` with host parameters, plus the base path.
#[derive(Clone, Debug, PartialEq)]
pub struct Server {
    /// Empty when the host template brings its own scheme (`useSchemePrefix: false`: `{vaultBaseUrl}`).
    pub scheme: String,
    /// Host template such as `{subdomain}.{baseDomain}` or `management.azure.com`.
    pub host_template: String,
    pub base_path: String,
    pub host_params: Vec<HostParam>,
    /// The OAuth scope token credentials are asked for by default: the manifest's (or the CLI's
    /// `--scope`), else `https://<host>/.default` for a host without parameters, else none.
    pub scope: Option<String>,
    /// JSON pointer of the server in the source document (`/x-ms-parameterized-host`, `/host`,
    /// `/servers/0`).
    pub pointer: String,
}

/// A variable of the host template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostParam {
    /// The variable's name in the template (`subdomain`).
    pub wire: String,
    pub doc: Option<String>,
    pub value: HostValue,
}

/// Where a host variable's value comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostValue {
    /// The document's default, which the client builder's method of this Rust name replaces.
    Default { value: String, setter: String },
    /// A required constructor argument, by its Rust name.
    Argument(String),
}

/// A parameter the client holds (given to its constructor) and sends with the operations that use it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientParam {
    /// The client's field (`subscription_id`) and the parameter's wire name (`subscriptionId`).
    pub field: Name,
    /// The constructor argument's Rust name.
    pub arg: String,
    pub doc: Option<String>,
    pub location: Location,
    /// JSON pointer of the parameter where an operation first uses it.
    pub pointer: String,
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
    /// `format: byte`: bytes as base64.
    Base64,
    /// `format: base64url`: bytes as unpadded URL-safe base64.
    Base64Url,
    /// `format: date`.
    Date,
    /// `format: duration` (ISO 8601).
    Duration,
    /// `format: unixtime`: seconds since 1970 as a number.
    UnixTime,
    /// An array item or map value that may be `null` (`x-nullable`, `nullable`).
    Nullable(Box<TypeRef>),
    /// Schemaless: any JSON value.
    Any,
    /// A model in [`Api::types`].
    Named(ModelName),
    Vec(Box<TypeRef>),
    /// JSON object with arbitrary keys.
    Map(Box<TypeRef>),
}

#[derive(Clone, Debug, PartialEq)]
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

    /// Where the model is declared in the source document.
    pub fn pointer(&self) -> &str {
        match self {
            TypeDef::Struct(s) => &s.pointer,
            TypeDef::Enum(e) => &e.pointer,
            TypeDef::Union(u) => &u.pointer,
            TypeDef::Alias(a) => &a.pointer,
        }
    }

    pub fn doc(&self) -> Option<&str> {
        match self {
            TypeDef::Struct(s) => s.doc.as_deref(),
            TypeDef::Enum(e) => e.doc.as_deref(),
            TypeDef::Union(u) => u.doc.as_deref(),
            TypeDef::Alias(a) => a.doc.as_deref(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Struct {
    pub name: Name,
    pub doc: Option<String>,
    pub fields: Vec<Field>,
    /// Members beyond the named properties, kept in a map (absent for `additionalProperties: false`).
    pub additional: Option<AdditionalProperties>,
    /// Every field can be defaulted, so the struct derives `Default`.
    pub default: bool,
    /// Set for derived merge-patch types: the model it patches.
    pub patch_of: Option<ModelName>,
    /// Set for a subtype of a discriminated union.
    pub tag: Option<Tag>,
    /// JSON pointer of the schema in the source document (a merge-patch type: its model's).
    pub pointer: String,
}

/// The map field of a struct that keeps members beyond its named properties.
#[derive(Clone, Debug, PartialEq)]
pub struct AdditionalProperties {
    /// Rust name of the field (`additional_properties`).
    pub field: String,
    /// The declared `additionalProperties` type, or any JSON for undeclared members (so nothing a
    /// service sends is lost).
    pub ty: TypeRef,
    /// Whether the document declares `additionalProperties` (rather than us keeping unknowns).
    pub declared: bool,
}

/// The discriminator of a union subtype, written on every serialisation (the property is not a field).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    /// Wire name of the discriminator property (`kind`).
    pub property: String,
    /// This subtype's value (`x509`).
    pub value: String,
}

impl Struct {
    /// The field holding the resource's ETag, if the model has one (`etag`, a string).
    pub fn etag_field(&self) -> Option<&Field> {
        self.fields.iter().find(|f| f.name.wire == "etag" && f.ty == TypeRef::String)
    }

    /// The fields the model's `new` takes (its required ones); without any it has no `new`.
    pub fn constructor_fields(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|f| f.required)
    }
}

#[derive(Clone, Debug, PartialEq)]
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
    /// The document's `default` (what the service assumes when the member is absent).
    pub default: Option<serde_json::Value>,
    pub constraints: Constraints,
    /// JSON pointer of the property in the source document.
    pub pointer: String,
}

/// The validation keywords of a value's schema (`minimum`, `maxLength`, `pattern`, `maxItems`, …).
/// The client does not enforce them; they are kept so that a change of them can be reported.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
    pub multiple_of: Option<f64>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<String>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub unique_items: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Enum {
    pub name: Name,
    pub doc: Option<String>,
    /// Open (`x-ms-enum.modelAsString`): unknown values are kept in an `Other(String)` variant.
    pub open: bool,
    pub variants: Vec<Variant>,
    /// Name of the catch-all variant of an open enum (usually `Other`).
    pub other: String,
    /// JSON pointer of the schema in the source document.
    pub pointer: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    pub name: Name,
    pub doc: Option<String>,
    /// JSON pointer of the value in the schema's `enum` list.
    pub pointer: String,
}

/// A sum type: a discriminated hierarchy (a base schema and its `allOf` subtypes), or a `oneOf` /
/// `anyOf` whose members are told apart by a tag property or, failing that, by trying them in turn.
#[derive(Clone, Debug, PartialEq)]
pub struct Union {
    pub name: Name,
    pub doc: Option<String>,
    /// Wire name of the discriminator property; `None` for an untagged union, whose variants are
    /// tried in document order.
    pub property: Option<String>,
    /// Whether the union writes the tag of the variant it sends (`oneOf` members are independent
    /// schemas); a hierarchy's subtypes write their own.
    pub writes_tag: bool,
    /// In document order; when several share a discriminator value, the first decodes it.
    pub variants: Vec<UnionVariant>,
    /// Name of the variant that keeps unrecognised values as raw JSON, when the document leaves
    /// room for kinds it does not list.
    pub unknown: Option<String>,
    /// JSON pointer of the base schema in the source document.
    pub pointer: String,
}

impl Union {
    /// The variant each discriminator value decodes as: the first one with that value.
    pub fn decoding(&self) -> impl Iterator<Item = &UnionVariant> {
        let mut seen = std::collections::BTreeSet::new();
        self.variants.iter().filter(move |v| seen.insert(v.name.wire.as_str()))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct UnionVariant {
    /// Rust variant name and discriminator value (empty for an untagged union).
    pub name: Name,
    /// The variant's value: a subtype struct, or any type for a `oneOf` member.
    pub ty: TypeRef,
    /// JSON pointer of the variant's schema in the source document.
    pub pointer: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Alias {
    pub name: Name,
    pub doc: Option<String>,
    pub ty: TypeRef,
    /// JSON pointer of the schema in the source document.
    pub pointer: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// Rust module holding the group's marker types (`devices`, `ungrouped` for the root group).
    pub module: String,
    pub kind: GroupKind,
    /// Sorted by method name.
    pub operations: Vec<Operation>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GroupKind {
    /// Operations without a `Group_` prefix: methods of `Client` itself.
    Root,
    /// `Devices_*` operations: methods of an accessor struct, `Client::devices()`.
    Named {
        /// The operationId prefix (`Devices`).
        wire: String,
        /// Rust name of the accessor struct (`DevicesClient`).
        struct_name: String,
    },
}

/// An HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Patch,
    Delete,
    Head,
    Options,
    Trace,
}

impl HttpMethod {
    /// The method as sent (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Head => "HEAD",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Trace => "TRACE",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
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
    pub http_method: HttpMethod,
    pub path: Vec<PathPart>,
    /// Path template as written, for docs.
    pub path_template: String,
    pub params: Vec<Param>,
    /// Client parameters sent in the query or a header.
    pub client_refs: Vec<ClientParamId>,
    pub body: Option<Body>,
    pub response: Response,
    pub paging: Option<Paging>,
    pub lro: Option<FinalStateVia>,
    /// The header that carries the client request id instead of `x-ms-client-request-id` (a header
    /// parameter with `x-ms-client-request-id: true`).
    pub request_id_header: Option<String>,
    /// JSON pointer of the operation in the source document.
    pub pointer: String,
}

impl Operation {
    pub fn param(&self, id: ParamId) -> &Param {
        &self.params[id.0]
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum PathPart {
    Literal(String),
    /// A method parameter.
    Param(ParamId),
    /// A client parameter.
    ClientParam(ClientParamId),
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

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: Name,
    pub doc: Option<String>,
    pub location: Location,
    pub kind: ParamKind,
    pub required: bool,
    /// `x-ms-skip-url-encoding`.
    pub skip_encoding: bool,
    /// How an array value is written (only array values use it).
    pub collection: CollectionFormat,
    /// The document's `default` (what the service assumes when the parameter is absent).
    pub default: Option<serde_json::Value>,
    pub constraints: Constraints,
    /// JSON pointer of the parameter in the source document.
    pub pointer: String,
    /// `x-ms-client-default`: sent when the caller leaves this optional parameter unset.
    pub client_default: Option<String>,
    /// The parameter group (`x-ms-parameter-grouping`) it is passed in, as a field of the group.
    pub group: Option<ParamGroupId>,
    /// A date-time sent as RFC 1123 (`format: date-time-rfc1123`) rather than RFC 3339.
    pub rfc1123: bool,
}

/// A parameter group: an index into [`Api::param_groups`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ParamGroupId(pub usize);

/// A struct of parameters passed together (`x-ms-parameter-grouping`); one per group name, shared
/// by every operation that names it.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamGroup {
    /// Rust type name (`FirstParameterGroup`).
    pub name: String,
    /// Its fields, by the parameters' Rust names.
    pub fields: Vec<GroupField>,
}

/// A field of a parameter group.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupField {
    /// Rust field name and the parameter's wire name.
    pub name: Name,
    pub doc: Option<String>,
    pub kind: ParamKind,
    /// A plain value when required, an `Option` otherwise.
    pub required: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Body {
    pub name: Name,
    pub doc: Option<String>,
    /// The JSON body's type (`String` for text and binary bodies, unused for forms).
    pub ty: TypeRef,
    pub kind: BodyKind,
    /// The media type sent (for a binary body the caller may choose among [`Body::choices`]).
    pub content_type: String,
    /// The media types a binary body may be sent as, when there are several (the caller passes one).
    pub choices: Vec<String>,
    pub required: bool,
    /// The operation's other media types, one body per kind: each is an extra method named after
    /// the operation with [`BodyKind::suffix`].
    pub alternatives: Vec<Body>,
    /// JSON pointer of the body (Swagger 2.0: its `in: body` parameter) in the source document.
    pub pointer: String,
    /// `x-ms-client-flatten`: the body struct's writable fields are the operation's arguments
    /// (required ones positional, the others builder methods), and the body is built from them.
    pub flattened: Option<Vec<FlatArg>>,
}

/// How a request body is encoded.
#[derive(Clone, Debug, PartialEq)]
pub enum BodyKind {
    /// `ty` serialised as JSON.
    Json,
    /// A string sent as is (`text/*`).
    Text,
    /// Bytes sent as is: any media type without a JSON form (XML included, which the caller encodes).
    Binary,
    /// `application/x-www-form-urlencoded` (or `multipart/form-data` when `multipart`), one argument
    /// per field.
    Form { multipart: bool, fields: Vec<FormField> },
}

impl BodyKind {
    /// The method-name suffix of an alternative body of this kind (`analyze_binary`).
    pub fn suffix(&self) -> &'static str {
        match self {
            BodyKind::Json => "_json",
            BodyKind::Text => "_text",
            BodyKind::Binary => "_binary",
            BodyKind::Form { multipart: false, .. } => "_form",
            BodyKind::Form { multipart: true, .. } => "_multipart",
        }
    }
}

/// A field of a form body, as an argument of the operation (required ones positional, the others
/// builder methods; a constant is always sent and no argument).
#[derive(Clone, Debug, PartialEq)]
pub struct FormField {
    /// The argument's Rust name and the field's wire name.
    pub name: Name,
    pub doc: Option<String>,
    pub kind: ParamKind,
    /// A file part (bytes), or an array of them when the type is an array.
    pub file: bool,
    pub required: bool,
}

/// A field of a flattened body, as an argument of the operation.
#[derive(Clone, Debug, PartialEq)]
pub struct FlatArg {
    /// The body struct's field (Rust name) and its wire name.
    pub field: Name,
    /// The argument's Rust name.
    pub arg: String,
    pub doc: Option<String>,
    pub ty: TypeRef,
    pub required: bool,
}

/// What a successful call decodes to.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    /// Declared success status codes, ascending.
    pub success: Vec<u16>,
    pub output: Output,
    /// The document's error model for this operation (`default` response schema).
    pub error: Option<TypeRef>,
    /// Every declared response with its body type.
    pub by_status: Vec<StatusResponse>,
    /// When the error responses have bodies of different types: the enum of them by status (its
    /// Rust name, beside the operation's marker), which is then the error model.
    pub error_enum: Option<String>,
    /// When the output is [`Output::ByStatus`]: the Rust name of its enum, beside the operation's
    /// marker.
    pub success_enum: Option<String>,
}

/// A declared response and its body type.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusResponse {
    /// The status as written (`200`, `4XX`, `default`).
    pub status: String,
    pub body: Option<TypeRef>,
    /// JSON pointer of the response in the source document.
    pub pointer: String,
    /// An error response: `default`, a `4XX`/`5XX` range, or marked `x-ms-error-response`.
    pub error: bool,
}

impl Response {
    /// The error responses with a body, when their bodies are of more than one type (each is then
    /// decoded as its own type, see [`Response::error_enum`]).
    pub fn typed_errors(&self) -> Option<Vec<(&str, &TypeRef)>> {
        let typed: Vec<(&str, &TypeRef)> =
            self.by_status.iter().filter(|r| r.error).filter_map(|r| Some((r.status.as_str(), r.body.as_ref()?))).collect();
        let first = typed.first()?.1;
        typed.iter().any(|(_, t)| *t != first).then_some(typed)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    /// No body on any success status.
    Unit,
    /// Every success status has this body.
    Json(TypeRef),
    /// Some success statuses have this body, others none.
    OptionalJson(TypeRef),
    /// A binary body (any media type without a JSON form, XML included), as bytes.
    Binary,
    /// A `text/*` body, as a string.
    Text,
    /// Success statuses whose bodies are of different types: an enum of them by status
    /// ([`Response::success_enum`]), each status as written (`201`, `2XX`) with its body type,
    /// `None` for a status without a body.
    ByStatus(Vec<(String, Option<TypeRef>)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Paging {
    /// Field of the page holding the items.
    pub items: PageField,
    pub item_ty: TypeRef,
    /// Field holding the next link, if the operation pages at all beyond the first response.
    pub next_link: Option<PageField>,
    /// `x-ms-pageable.operationName`: next pages are requested through this operation instead of a
    /// GET of the link.
    pub next_operation: Option<NextOperation>,
}

/// A field of a page model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageField {
    pub field: Name,
    /// Required (a plain value) or optional (an `Option`).
    pub required: bool,
}

/// How the next-page operation's request is built from the first operation's arguments and the link.
#[derive(Clone, Debug, PartialEq)]
pub struct NextOperation {
    /// `operationId` of the next-page operation.
    pub id: String,
    pub http_method: HttpMethod,
    pub path: Vec<NextPart>,
    /// Query and header parameters.
    pub params: Vec<NextParam>,
    /// Client parameters the next operation sends in the query or a header.
    pub client_refs: Vec<ClientParamId>,
}

/// A query or header parameter of a next-page request.
#[derive(Clone, Debug, PartialEq)]
pub struct NextParam {
    pub location: Location,
    pub wire: String,
    pub value: NextValue,
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
    /// A required parameter of the first operation.
    Param(ParamId),
    ClientParam(ClientParamId),
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
    pub fn client_param(&self, id: ClientParamId) -> &ClientParam {
        &self.client_params[id.0]
    }

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
pub fn resolve_alias(types: &BTreeMap<ModelName, TypeDef>, ty: &TypeRef) -> TypeRef {
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
