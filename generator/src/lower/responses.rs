//! Request bodies and responses of one operation: the media type and type of the body, the success
//! statuses and what they decode to, and the error model.

use openapiv3::{ReferenceOr, RequestBody, StatusCode};

use super::lro::FinalResult;
use super::params::Site;
use super::schemas::TypeRegistry;
use super::{Cx, Diagnostics};
use crate::error::Error;
use crate::extensions;
use super::media::{form_fields, media_of, warn_xml, Media};
use crate::ir::{Body, BodyKind, FlatArg, HttpMethod, Name, Output, Response, StatusResponse, TypeDef, TypeRef};
use crate::json::push_pointer;
use crate::naming::{inline, CallArgs};

const BODY_REF: &str = "#/components/requestBodies/";
const RESPONSE_REF: &str = "#/components/responses/";
pub(super) const MERGE_PATCH: &str = "application/merge-patch+json";

/// The request body, in the media type [`pick_content_type`] chooses, with one alternative body
/// per other kind of media type it offers (see [`Media`]); named by `x-ms-requestBody-name`
/// (default `body`). `None` when it offers no media type.
pub(super) fn lower_body<'a>(
    cx: &Cx<'a>,
    types: &mut TypeRegistry<'a>,
    diag: &mut Diagnostics,
    rb: &'a ReferenceOr<RequestBody>,
    method: HttpMethod,
    args: &mut CallArgs,
    site: &Site<'_>,
) -> Result<Option<Body>, Error> {
    let bp = push_pointer(site.pointer, "requestBody");
    let rb: &'a RequestBody = match rb {
        ReferenceOr::Item(rb) => rb,
        ReferenceOr::Reference { reference } => cx.component(reference, BODY_REF, "request body", |c| &c.request_bodies, &bp)?,
    };
    let Some(picked) = pick_content_type(rb.content.keys().map(String::as_str), method == HttpMethod::Patch) else {
        return Ok(None);
    };
    // Media types grouped by kind, the picked one's group first.
    let mut groups: Vec<(Media, Vec<&'a str>)> = Vec::new();
    for (ct, m) in &rb.content {
        let media = media_of(ct, m.schema.as_ref());
        if media == Media::Xml {
            warn_xml(diag, &cx.content_schema_pointer(&bp, ct), ct);
        }
        match groups.iter_mut().find(|(g, _)| *g == media.group()) {
            Some((_, cts)) => cts.push(ct),
            None => groups.push((media.group(), vec![ct])),
        }
    }
    let first = groups.iter().position(|(_, cts)| cts.contains(&picked.as_str())).unwrap_or(0);
    let primary = groups.remove(first);
    let base_args = args.clone();
    let mut body = body_of(cx, types, diag, rb, &primary, Some(&picked), args, site, &bp)?;
    for group in &groups {
        let alternative = body_of(cx, types, diag, rb, group, None, &mut base_args.clone(), site, &bp)?;
        body.alternatives.push(alternative);
    }
    Ok(Some(body))
}

/// The body of one group of media types (`picked` first when given).
#[allow(clippy::too_many_arguments)]
fn body_of<'a>(
    cx: &Cx<'a>,
    types: &mut TypeRegistry<'a>,
    diag: &mut Diagnostics,
    rb: &'a RequestBody,
    (media, cts): &(Media, Vec<&'a str>),
    picked: Option<&str>,
    args: &mut CallArgs,
    site: &Site<'_>,
    bp: &str,
) -> Result<Body, Error> {
    let content_type = picked.unwrap_or(cts[0]).to_string();
    let schema = rb.content[content_type.as_str()].schema.as_ref();
    let schema_pointer = cx.content_schema_pointer(bp, &content_type);
    let ty = match (media, schema) {
        (Media::Json, Some(s)) => types.type_of_ref(cx, diag, s, &inline::body(site.context), &schema_pointer)?,
        (Media::Json, None) => TypeRef::Any,
        _ => TypeRef::String,
    };
    let wire = extensions::request_body_name(&rb.extensions).unwrap_or("body").to_string();
    let rust_wire = extensions::client_name(&rb.extensions).unwrap_or(&wire).to_string();
    let kind = match (media, schema) {
        (Media::Json, _) => BodyKind::Json,
        (Media::Text, _) => BodyKind::Text,
        (Media::UrlEncoded | Media::Multipart, Some(s)) => {
            let fields = form_fields(cx, types, diag, s, args, site.context, &schema_pointer)?;
            BodyKind::Form { multipart: *media == Media::Multipart, fields }
        }
        _ => BodyKind::Binary,
    };
    let flattened = match extensions::client_flatten(&rb.extensions) && content_type != MERGE_PATCH && kind == BodyKind::Json {
        true => flatten(types, diag, &ty, args, bp),
        false => None,
    };
    let rust = match (&flattened, &kind) {
        (Some(_), _) | (_, BodyKind::Form { .. }) => crate::naming::snake_name(&rust_wire),
        _ => args.body(&rust_wire),
    };
    let choices = match kind {
        BodyKind::Binary if cts.len() > 1 => cts.iter().map(|c| c.to_string()).collect(),
        _ => Vec::new(),
    };
    let doc = rb.description.clone();
    let pointer = cx.source(bp);
    Ok(Body { name: Name { rust, wire }, doc, ty, kind, content_type, choices, required: rb.required, flattened, pointer, alternatives: Vec::new() })
}

/// The arguments of a flattened body (`x-ms-client-flatten`): one per writable field of its struct,
/// named after the field. Only a plain struct can be flattened (a warning otherwise).
fn flatten(types: &TypeRegistry<'_>, diag: &mut Diagnostics, ty: &TypeRef, args: &mut CallArgs, pointer: &str) -> Option<Vec<FlatArg>> {
    let s = match ty {
        TypeRef::Named(n) => match types.get(types.resolve_alias(n).as_str()) {
            Some(TypeDef::Struct(s)) if s.tag.is_none() => Some(s),
            _ => None,
        },
        _ => None,
    };
    let Some(s) = s else {
        diag.warn(pointer, "x-ms-client-flatten needs a body of an object type without a discriminator; the body is passed whole");
        return None;
    };
    let fields = s.fields.iter().filter(|f| !f.read_only);
    Some(
        fields
            .map(|f| FlatArg {
                field: f.name.clone(),
                arg: args.body(crate::naming::unraw(&f.name.rust)),
                doc: f.doc.clone(),
                ty: f.ty.clone(),
                required: f.required || f.send_null,
            })
            .collect(),
    )
}

/// The responses: statuses below 400 (unless `x-ms-error-response`) are successes; the first typed
/// error status, or else the typed `default`, is the error model. Success bodies that describe the
/// result (see [`FinalResult`]) decide the output: one type for all, optional when some have none,
/// an enum by status when they differ.
pub(super) fn lower_responses<'a>(
    cx: &Cx<'a>,
    types: &mut TypeRegistry<'a>,
    diag: &mut Diagnostics,
    op: &'a openapiv3::Operation,
    method: HttpMethod,
    lro: bool,
    site: &Site<'_>,
) -> Result<Response, Error> {
    let rp = push_pointer(site.pointer, "responses");
    let mut success = Vec::new();
    // Each success status (as written and as a number) with its body type and whether it may be null.
    let mut bodies: Vec<(String, u16, Option<TypeRef>, bool)> = Vec::new();
    let mut error = None;
    let mut by_status = Vec::new();
    // A success body that is bytes or text rather than JSON.
    let mut raw = None;
    // A success body that may be `null` (`x-nullable`), which an empty body stands for too.
    let mut nullable = false;
    for (code, resp) in &op.responses.responses {
        let status_text = code.to_string();
        let p = push_pointer(&rp, &status_text);
        let resp = resolve_response(cx, resp, &p)?;
        let status = match code {
            StatusCode::Code(c) => *c,
            StatusCode::Range(r) => r * 100,
        };
        let ty = response_type(cx, types, diag, resp, &inline::response(site.context, status), &p)?;
        let is_error = extensions::error_response(&resp.extensions) || (matches!(code, StatusCode::Range(_)) && status >= 400);
        by_status.push(StatusResponse { status: status_text.clone(), body: ty.clone(), error: is_error, pointer: p.clone() });
        if is_error {
            if error.is_none() {
                error = ty;
            }
            continue;
        }
        success.push(status);
        raw = raw.or(raw_media(resp));
        let may_be_null = nullable_body(resp);
        nullable |= may_be_null;
        bodies.push((status_text, status, ty, may_be_null));
    }
    if let Some(default) = &op.responses.default {
        let p = push_pointer(&rp, "default");
        let resp = resolve_response(cx, default, &p)?;
        let ty = response_type(cx, types, diag, resp, &inline::error(site.context), &p)?;
        by_status.push(StatusResponse { status: "default".to_string(), body: ty.clone(), error: true, pointer: p.clone() });
        if ty.is_some() {
            error = ty;
        }
    }
    success.sort_unstable();
    let result = FinalResult::new(lro, bodies.iter().map(|(_, s, _, _)| *s));
    bodies.retain(|(_, s, _, _)| result.describes_result(*s));
    let typed: Vec<&TypeRef> = bodies.iter().filter_map(|(_, _, t, _)| t.as_ref()).collect();
    let output = match typed.first() {
        None => Output::Unit,
        // A long-running operation's result comes from whichever request ends it (a final GET
        // answers 200 whatever the initial status was), so its status does not tell which
        // declared body it is.
        Some(first) if typed.iter().any(|t| t != first) && lro => {
            diag.warn(&rp, "the results of this long-running operation have different body types; the body is decoded as a JSON value");
            Output::Json(TypeRef::Any)
        }
        Some(first) if typed.iter().any(|t| t != first) => {
            let variant = |t: &TypeRef, null: bool| if null { TypeRef::Nullable(Box::new(t.clone())) } else { t.clone() };
            Output::ByStatus(bodies.iter().map(|(status, _, t, null)| (status.clone(), t.as_ref().map(|t| variant(t, *null)))).collect())
        }
        Some(first) if typed.len() == bodies.len() && !result.may_end_without_body(method) && !nullable => {
            Output::Json((*first).clone())
        }
        Some(first) => Output::OptionalJson((*first).clone()),
    };
    let output = match (output, raw) {
        (Output::Unit, _) => Output::Unit,
        (_, Some(Media::Text)) => Output::Text,
        (_, Some(_)) => Output::Binary,
        (output, None) => output,
    };
    Ok(Response { success, output, error, by_status, error_enum: None, success_enum: None })
}

fn resolve_response<'a>(
    cx: &Cx<'a>,
    r: &'a ReferenceOr<openapiv3::Response>,
    pointer: &str,
) -> Result<&'a openapiv3::Response, Error> {
    match r {
        ReferenceOr::Item(r) => Ok(r),
        ReferenceOr::Reference { reference } => cx.component(reference, RESPONSE_REF, "response", |c| &c.responses, pointer),
    }
}

fn response_type<'a>(
    cx: &Cx<'a>,
    types: &mut TypeRegistry<'a>,
    diag: &mut Diagnostics,
    resp: &'a openapiv3::Response,
    context: &str,
    pointer: &str,
) -> Result<Option<TypeRef>, Error> {
    let Some(ct) = pick_content_type(resp.content.keys().map(String::as_str), false) else {
        return Ok(None);
    };
    let schema = resp.content[ct.as_str()].schema.as_ref();
    match media_of(&ct, schema) {
        Media::Json | Media::UrlEncoded | Media::Multipart => {}
        media => {
            if media == Media::Xml {
                warn_xml(diag, &cx.content_schema_pointer(pointer, &ct), &ct);
            }
            // Not JSON: the output is bytes or text (see `raw_media`), not a model.
            return Ok(Some(TypeRef::String));
        }
    }
    match &resp.content[ct.as_str()].schema {
        Some(s) => Ok(Some(types.type_of_ref(cx, diag, s, context, &cx.content_schema_pointer(pointer, &ct))?)),
        None => Ok(None),
    }
}

/// The kind of a response body that is not JSON (bytes or text), in the media type
/// [`pick_content_type`] chooses.
fn raw_media(resp: &openapiv3::Response) -> Option<Media> {
    let ct = pick_content_type(resp.content.keys().map(String::as_str), false)?;
    match media_of(&ct, resp.content[ct.as_str()].schema.as_ref()) {
        Media::Json | Media::UrlEncoded | Media::Multipart => None,
        Media::Text => Some(Media::Text),
        _ => Some(Media::Binary),
    }
}

/// Whether a response's body schema allows `null`.
fn nullable_body(resp: &openapiv3::Response) -> bool {
    let Some(ct) = pick_content_type(resp.content.keys().map(String::as_str), false) else { return false };
    matches!(&resp.content[ct.as_str()].schema, Some(ReferenceOr::Item(s)) if s.schema_data.nullable)
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
