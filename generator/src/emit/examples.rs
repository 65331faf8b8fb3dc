//! Emits dispatchers for tests: [`dispatch`] decodes a part of an `x-ms-examples` entry (the body
//! parameter's name, or a response status) into the generated model and encodes it again, to prove
//! every documented example fits the generated types; [`models_dispatch`] does the same for any
//! model by name, to feed every model arbitrary JSON.

use proc_macro2::TokenStream;
use quote::quote;

use super::type_tokens_in;
use crate::ir::{Api, TypeDef};

/// A function `roundtrip(operation_id, part, value) -> Option<Result<Value, serde_json::Error>>`
/// (`None` when the operation or part has no typed body). `models` and `runtime` are the paths of
/// the API's models module and of the runtime as seen from where the function is placed
/// (`iot_rest::dps::v2017_11_15::models`, `iot_rest::runtime`).
pub fn dispatch(api: &Api, models: TokenStream, runtime: TokenStream) -> TokenStream {
    let named = |n: &proc_macro2::Ident| quote!(#models::#n);
    let qualified = |t: &crate::ir::TypeRef| type_tokens_in(t, &named, &runtime);
    let mut arms = Vec::new();
    for op in api.groups.iter().flat_map(|g| &g.operations) {
        let id = &op.id;
        if let Some(b) = &op.body {
            let ty = qualified(&b.ty);
            let part = &b.name.wire;
            arms.push(quote!((#id, #part) => ::std::option::Option::Some(roundtrip_as::<#ty>(value)),));
        }
        for response in &op.response.by_status {
            if let Some(ty) = &response.body {
                let status = &response.status;
                let ty = qualified(ty);
                arms.push(quote!((#id, #status) => ::std::option::Option::Some(roundtrip_as::<#ty>(value)),));
            }
        }
    }
    let roundtrip_as = roundtrip_as();
    quote! {
        /// Decodes `value` as the model of `operation_id`'s `part` (body parameter name or response
        /// status) and encodes it again.
        pub fn roundtrip(
            operation_id: &str,
            part: &str,
            value: ::serde_json::Value,
        ) -> ::std::option::Option<::std::result::Result<::serde_json::Value, ::serde_json::Error>> {
            #roundtrip_as
            match (operation_id, part) {
                #(#arms)*
                _ => ::std::option::Option::None,
            }
        }
    }
}

/// A function `decode(model, value) -> Option<Result<Value, serde_json::Error>>` that decodes
/// `value` as the model named `model` (its Rust name) and encodes it again (`None` for an unknown
/// name), and `MODELS: &[(&str, &[&str])]`: every model with the wire names it reads (a struct's
/// fields, a union's discriminator and values, an enum's values), to build JSON that gets past the
/// first key. Paths as for [`dispatch`].
pub fn models_dispatch(api: &Api, models: TokenStream, runtime: TokenStream) -> TokenStream {
    let named = |n: &proc_macro2::Ident| quote!(#models::#n);
    let mut arms = Vec::new();
    let mut table = Vec::new();
    for (name, def) in &api.types {
        let ty = type_tokens_in(&crate::ir::TypeRef::Named(name.clone()), &named, &runtime);
        let rust = name.as_str();
        arms.push(quote!(#rust => ::std::option::Option::Some(roundtrip_as::<#ty>(value)),));
        let words: Vec<&str> = match def {
            TypeDef::Struct(s) => s.fields.iter().map(|f| f.name.wire.as_str()).chain(s.tag.iter().map(|t| t.property.as_str())).collect(),
            TypeDef::Union(u) => u.property.iter().map(String::as_str).chain(u.decoding().map(|v| v.name.wire.as_str())).filter(|w| !w.is_empty()).collect(),
            TypeDef::Enum(e) => e.variants.iter().map(|v| v.name.wire.as_str()).collect(),
            TypeDef::Alias(_) => Vec::new(),
        };
        table.push(quote!((#rust, &[#(#words),*])));
    }
    let roundtrip_as = roundtrip_as();
    quote! {
        /// Every model (Rust name) with the wire names it reads.
        pub const MODELS: &[(&str, &[&str])] = &[#(#table),*];

        /// Decodes `value` as the model named `model` and encodes it again.
        pub fn decode(
            model: &str,
            value: ::serde_json::Value,
        ) -> ::std::option::Option<::std::result::Result<::serde_json::Value, ::serde_json::Error>> {
            #roundtrip_as
            match model {
                #(#arms)*
                _ => ::std::option::Option::None,
            }
        }
    }
}

/// `roundtrip_as::<T>(value)`: decode as `T`, encode again.
fn roundtrip_as() -> TokenStream {
    quote! {
        fn roundtrip_as<T: ::serde::de::DeserializeOwned + ::serde::Serialize>(
            value: ::serde_json::Value,
        ) -> ::std::result::Result<::serde_json::Value, ::serde_json::Error> {
            let typed: T = ::serde_json::from_value(value)?;
            ::serde_json::to_value(&typed)
        }
    }
}

