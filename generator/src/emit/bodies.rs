//! Request bodies of operation methods: the arguments each kind of body takes (a JSON value, text,
//! bytes, form fields) and how they reach the request, the builder methods of optional bodies and
//! form fields, and the extra method of each alternative media type.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, ident, param_type, type_tokens, ModelsPath, ParamType};
use crate::ir::{Api, Body, BodyKind, FormField, Name, Operation, ParamKind};

/// How a required body (or a form, whose body always exists) is passed and sent.
pub(super) struct BodyArgs {
    /// Arguments with their doc lines, in order.
    pub args: Vec<(TokenStream, String)>,
    /// Calls on the request builder.
    pub on_request: TokenStream,
    /// Calls on the `Call` (a JSON body is kept there until sent).
    pub on_call: TokenStream,
}

pub(super) fn body_args(api: &Api, b: &Body, models: ModelsPath) -> BodyArgs {
    let bname = ident(&b.name.rust);
    let ct = &b.content_type;
    let arg_doc = |name: &str, text: Option<&str>, default: &str| {
        format!("- `{}`: {}", super::unraw(name), text.unwrap_or(default).trim())
    };
    let body_doc = arg_doc(&b.name.rust, b.doc.as_deref(), "The request body.");
    let mut out = BodyArgs { args: Vec::new(), on_request: quote!(), on_call: quote!() };
    match &b.kind {
        BodyKind::Json => {
            let ty = type_tokens(&b.ty, models);
            out.args.push((quote!(#bname: &#ty), body_doc));
            out.on_call = quote!(.set_json_body(#ct, ::std::clone::Clone::clone(#bname)));
        }
        BodyKind::Text => {
            out.args.push((quote!(#bname: &str), body_doc));
            out.on_request = quote!(.text_body(#ct, #bname));
        }
        BodyKind::Binary if b.choices.is_empty() => {
            out.args.push((quote!(#bname: impl ::std::convert::Into<crate::runtime::BinaryBody>), body_doc));
            out.on_request = quote!(.bytes_body(#ct, #bname));
        }
        BodyKind::Binary => {
            out.args.push((quote!(#bname: impl ::std::convert::Into<crate::runtime::BinaryBody>), body_doc));
            let choice = content_type_arg(b);
            let choices = b.choices.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ");
            out.args.push((quote!(#choice: &str), format!("- `{choice}`: the body's media type: one of {choices}")));
            out.on_request = quote!(.bytes_body(#choice, #bname));
        }
        BodyKind::Form { multipart, fields } => {
            let encoding = if *multipart { quote!(Multipart) } else { quote!(UrlEncoded) };
            let mut calls = vec![quote!(.form(crate::runtime::FormEncoding::#encoding))];
            for f in fields {
                let name = ident(&f.name.rust);
                match &f.kind {
                    ParamKind::Constant(v) => calls.push(form_call(api, f, quote!(#v), models)),
                    _ if f.required => {
                        let ty = form_arg(api, f, models);
                        out.args.push((quote!(#name: #ty), arg_doc(&f.name.rust, f.doc.as_deref(), &f.name.wire)));
                        calls.push(form_call(api, f, quote!(#name), models));
                    }
                    _ => {}
                }
            }
            out.on_request = quote!(#(#calls)*);
        }
    }
    out
}

/// The argument naming a binary body's media type, when the caller chooses it.
fn content_type_arg(b: &Body) -> proc_macro2::Ident {
    ident(&format!("{}_content_type", super::unraw(&b.name.rust)))
}

/// The argument type of a form field: bytes for a file, else as a query parameter's.
fn form_arg(api: &Api, f: &FormField, models: ModelsPath) -> TokenStream {
    match (f.file, is_list(api, f, models)) {
        (true, false) => quote!(&[u8]),
        (true, true) => quote!(&[&[u8]]),
        (false, _) => param_type(api, &f.kind, models).arg,
    }
}

fn is_list(api: &Api, f: &FormField, models: ModelsPath) -> bool {
    matches!(param_type(api, &f.kind, models).kind, ParamType::List)
}

/// The request-builder call that adds form field `f` with `value`.
fn form_call(api: &Api, f: &FormField, value: TokenStream, models: ModelsPath) -> TokenStream {
    let wire = &f.name.wire;
    match (f.file, is_list(api, f, models)) {
        (true, false) => quote!(.form_file(#wire, #value)),
        (true, true) => quote!(.form_files(#wire, #value)),
        (false, false) => quote!(.form_field(#wire, #value)),
        (false, true) => quote!(.form_fields(#wire, #value)),
    }
}

/// Builder methods of an operation's optional text or binary body and of the optional fields of
/// its first form body (its other forms share their names).
pub(super) fn body_builders(api: &Api, op: &Operation, models: ModelsPath) -> Vec<TokenStream> {
    let mut out = Vec::new();
    if let Some(b) = op.body.as_ref().filter(|b| !b.required) {
        let bname = ident(&b.name.rust);
        let ct = &b.content_type;
        let docs = doc::attrs(Some(b.doc.as_deref().unwrap_or("Sets the request body.")));
        match b.kind {
            BodyKind::Text => out.push(quote! {
                #docs
                #[inline]
                pub fn #bname(self, #bname: &str) -> Self {
                    self.map_request(|request| request.text_body(#ct, #bname))
                }
            }),
            BodyKind::Binary => out.push(quote! {
                #docs
                #[inline]
                pub fn #bname(self, #bname: impl ::std::convert::Into<crate::runtime::BinaryBody>) -> Self {
                    self.map_request(|request| request.bytes_body(#ct, #bname))
                }
            }),
            _ => {}
        }
    }
    let form = op.body.iter().flat_map(|b| std::iter::once(b).chain(&b.alternatives)).find_map(|b| match &b.kind {
        BodyKind::Form { fields, .. } => Some(fields),
        _ => None,
    });
    for f in form.into_iter().flatten().filter(|f| !f.required && !matches!(f.kind, ParamKind::Constant(_))) {
        let name = ident(&f.name.rust);
        let ty = form_arg(api, f, models);
        let call = form_call(api, f, quote!(#name), models);
        let docs = doc::attrs(Some(f.doc.as_deref().unwrap_or(&format!("Sets form field `{}`.", f.name.wire))));
        out.push(quote! {
            #docs
            #[inline]
            pub fn #name(self, #name: #ty) -> Self {
                self.map_request(|request| request #call)
            }
        });
    }
    out
}

/// The operation as each of its alternative bodies makes it: the same operation (and marker), a
/// method named with the body kind's suffix that always takes the body.
pub(super) fn alternatives(op: &Operation) -> Vec<Operation> {
    let Some(body) = &op.body else { return Vec::new() };
    body.alternatives
        .iter()
        .map(|alt| {
            let mut alt_op = op.clone();
            let rust = format!("{}{}", super::unraw(&op.method_name.rust), alt.kind.suffix());
            alt_op.method_name = Name { rust, wire: op.method_name.wire.clone() };
            alt_op.body = Some(Body { required: true, alternatives: Vec::new(), ..alt.clone() });
            alt_op
        })
        .collect()
}
