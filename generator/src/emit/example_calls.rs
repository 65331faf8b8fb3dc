//! Emits an example caller: given an operation id and the `parameters` object of an `x-ms-examples`
//! entry, decode every parameter into the argument type of the generated method, call the method
//! (and the builder method of every optional parameter the example gives) and hand the resulting
//! `Call` to a visitor. Tests use it to send every operation of a document with documented values.
//!
//! The emitted function names a support module (passed in as a path) that provides:
//! `text(params, wire) -> Result<Option<String>, String>` (a string, or other JSON as text),
//! `texts(..) -> Result<Option<Vec<String>>, String>`, `decoded::<T>(..) -> Result<Option<T>, String>`,
//! `if_match(..) -> Result<Option<IfMatch>, String>`, `required(Option<T>, wire) -> Result<T, String>`,
//! and a trait `Visit` with `fn visit<O: Operation>(&mut self, operation_id: &'static str, call: Call<O>)
//! -> impl Future<Output = ()>`.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::operations::positional;
use super::{ident, param_type, type_tokens_in, unraw, ModelsPath, ParamType};
use crate::ir::{resolve_alias, Api, GroupKind, Operation, Param, ParamKind, TypeRef};

/// Paths the emitted function names, as seen from where it is placed.
pub struct CallPaths {
    /// The API module (`::iot_rest::dps::v2017_11_15`): its `Client` and `models`.
    pub api: TokenStream,
    /// The runtime (`::iot_rest::runtime`).
    pub runtime: TokenStream,
    /// The support module described in the module docs.
    pub support: TokenStream,
}

/// `pub async fn call<V: Visit>(client, operation_id, params, visit) -> Result<(), String>`; an unknown
/// operation id or a missing required parameter is an `Err`.
pub fn dispatch(api: &Api, paths: &CallPaths) -> TokenStream {
    let CallPaths { api: module, support, .. } = paths;
    let arms = api.groups.iter().flat_map(|g| g.operations.iter().map(move |op| (g, op))).map(|(group, op)| {
        let id = &op.id;
        let accessor = match &group.kind {
            GroupKind::Root => quote!(client),
            GroupKind::Named { .. } => {
                let m = ident(&group.module);
                quote!(client.#m())
            }
        };
        let body = call_operation(api, op, accessor, paths);
        quote!(#id => { #body })
    });
    quote! {
        /// Calls `operation_id` with the arguments in `params` (an example's `parameters`, by wire
        /// name) and hands the call to `visit`.
        #[allow(deprecated)]
        pub async fn call<V: #support::Visit>(
            client: &#module::Client,
            operation_id: &str,
            params: &::serde_json::Map<::std::string::String, ::serde_json::Value>,
            visit: &mut V,
        ) -> ::std::result::Result<(), ::std::string::String> {
            match operation_id {
                #(#arms)*
                _ => return ::std::result::Result::Err(::std::format!("no operation {operation_id}")),
            }
            ::std::result::Result::Ok(())
        }
    }
}

/// Decodes the arguments of `op`, makes the call and visits it.
fn call_operation(api: &Api, op: &Operation, accessor: TokenStream, paths: &CallPaths) -> TokenStream {
    let support = &paths.support;
    if super::operations::takes_structured_args(op) {
        let message = format!("{}: example calls pass no parameter groups or flattened bodies", op.id);
        return quote!(return ::std::result::Result::Err(::std::string::String::from(#message)););
    }
    let mut lets = Vec::new();
    let mut args = Vec::new();
    for p in positional(op) {
        let (decode, arg) = argument(api, p, paths, true);
        lets.push(decode);
        args.push(arg);
    }
    if let Some(b) = op.body.as_ref().filter(|b| b.required) {
        let name = local(&b.name.rust);
        let wire = &b.name.wire;
        let ty = model_type(&b.ty, paths);
        lets.push(quote!(let #name = #support::required(#support::decoded::<#ty>(params, #wire)?, #wire)?;));
        let at = op.path.iter().filter(|p| matches!(p, crate::ir::PathPart::Param(_))).count();
        args.insert(at, quote!(&#name));
    }
    let method = ident(&op.method_name.rust);
    let mut builders = Vec::new();
    for p in op.params.iter().filter(|p| !p.required && !matches!(p.kind, ParamKind::Constant(_))) {
        let (decode, arg) = argument(api, p, paths, false);
        let setter = ident(&p.name.rust);
        let name = local(&p.name.rust);
        builders.push(quote! {
            #decode
            let call = match #name {
                ::std::option::Option::Some(#name) => call.#setter(#arg),
                ::std::option::Option::None => call,
            };
        });
    }
    if let Some(b) = op.body.as_ref().filter(|b| !b.required) {
        let setter = ident(&b.name.rust);
        let name = local(&b.name.rust);
        let wire = &b.name.wire;
        let ty = model_type(&b.ty, paths);
        builders.push(quote! {
            let call = match #support::decoded::<#ty>(params, #wire)? {
                ::std::option::Option::Some(#name) => call.#setter(&#name),
                ::std::option::Option::None => call,
            };
        });
    }
    let id = &op.id;
    quote! {
        #(#lets)*
        let call = #accessor.#method(#(#args),*);
        #(#builders)*
        visit.visit(#id, call).await;
    }
}

/// The statement that decodes parameter `p` into a local, and the expression that passes the local
/// as the method's argument. A required parameter's local holds the value; an optional one's an
/// `Option` of it (the expression then uses the unwrapped binding of the same name).
fn argument(api: &Api, p: &Param, paths: &CallPaths, required: bool) -> (TokenStream, TokenStream) {
    let support = &paths.support;
    let wire = &p.name.wire;
    let name = local(&p.name.rust);
    let (decode, arg) = match (&p.kind, param_type(api, &p.kind, ModelsPath::Same).kind) {
        (ParamKind::IfMatch | ParamKind::IfNoneMatch, _) => (quote!(#support::if_match(params, #wire)?), quote!(#name)),
        (ParamKind::Value(t), ParamType::List) => {
            match resolve_alias(&api.types, list_item(&resolve_alias(&api.types, t))) {
                TypeRef::String | TypeRef::Any | TypeRef::Map(_) => (
                    quote!(#support::texts(params, #wire)?),
                    quote!(&#name.iter().map(::std::string::String::as_str).collect::<::std::vec::Vec<_>>()),
                ),
                item => {
                    let ty = model_type(&item, paths);
                    (quote!(#support::decoded::<::std::vec::Vec<#ty>>(params, #wire)?), quote!(&#name))
                }
            }
        }
        (ParamKind::Value(t), ParamType::Other) => {
            let ty = model_type(&resolve_alias(&api.types, t), paths);
            (quote!(#support::decoded::<#ty>(params, #wire)?), quote!(#name))
        }
        // Strings, and values passed as text (constants are never arguments).
        _ => (quote!(#support::text(params, #wire)?), quote!(&#name)),
    };
    let decode =
        if required { quote!(let #name = #support::required(#decode, #wire)?;) } else { quote!(let #name = #decode;) };
    (decode, arg)
}

fn list_item(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Vec(item) => item,
        other => other,
    }
}

/// A type with models named through the API module.
fn model_type(ty: &TypeRef, paths: &CallPaths) -> TokenStream {
    let module = &paths.api;
    type_tokens_in(ty, &|n: &Ident| quote!(#module::models::#n), &paths.runtime)
}

/// The local holding an argument (`arg_device_id`): never one of the function's own names.
fn local(rust: &str) -> Ident {
    format_ident!("arg_{}", unraw(rust))
}
