//! Emits an example dispatcher: given an operation id and a part of an `x-ms-examples` entry (the
//! body parameter's name, or a response status), decode the JSON into the generated model and encode
//! it again. Tests use it to prove every documented example fits the generated types.

use proc_macro2::TokenStream;
use quote::quote;

use super::type_tokens_in;
use crate::ir::Api;

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
    quote! {
        /// Decodes `value` as the model of `operation_id`'s `part` (body parameter name or response
        /// status) and encodes it again.
        pub fn roundtrip(
            operation_id: &str,
            part: &str,
            value: ::serde_json::Value,
        ) -> ::std::option::Option<::std::result::Result<::serde_json::Value, ::serde_json::Error>> {
            fn roundtrip_as<T: ::serde::de::DeserializeOwned + ::serde::Serialize>(
                value: ::serde_json::Value,
            ) -> ::std::result::Result<::serde_json::Value, ::serde_json::Error> {
                let typed: T = ::serde_json::from_value(value)?;
                ::serde_json::to_value(&typed)
            }
            match (operation_id, part) {
                #(#arms)*
                _ => ::std::option::Option::None,
            }
        }
    }
}
