//! Enums of an operation's bodies by the status that sent them: its error bodies
//! (`Response::error_enum`) and its success bodies (`Response::success_enum`), each decoded by the
//! status the runtime reports while decoding (`response_status`).

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, ident, type_tokens, ModelsPath};
use crate::ir::{Operation, Output, TypeRef};

/// The enum of an operation's error bodies by status: `Error::service_error::<Name>()`.
pub fn error_enum(op: &Operation, models: ModelsPath) -> TokenStream {
    let (Some(name), Some(typed)) = (&op.response.error_enum, op.response.typed_errors()) else { return quote!() };
    let statuses: Vec<(&str, Option<&TypeRef>)> = typed.iter().map(|(s, t)| (*s, Some(*t))).collect();
    let docs = format!("The error bodies of `{}` by the status that sent them: `Error::service_error::<{name}>()`.", op.id);
    status_enum(name, &docs, &statuses, "no error body is declared for this status", models)
}

/// The enum of an operation's success bodies by status, its output when they differ in type.
pub fn success_enum(op: &Operation, models: ModelsPath) -> TokenStream {
    let (Some(name), Output::ByStatus(bodies)) = (&op.response.success_enum, &op.response.output) else { return quote!() };
    let statuses: Vec<(&str, Option<&TypeRef>)> = bodies.iter().map(|(s, t)| (s.as_str(), t.as_ref())).collect();
    let docs = format!("What `{}` answers, by the success status it answered with.", op.id);
    status_enum(name, &docs, &statuses, "no success response is declared for this status", models)
}

/// An enum with a variant per status (`Status201`, `Status4xx`, `Default`; without a payload for a
/// status without a body), decoded by status: exact statuses first, then ranges (`4XX`), then
/// `default`; a status none of them declares fails with `undeclared`.
fn status_enum(name: &str, docs: &str, statuses: &[(&str, Option<&TypeRef>)], undeclared: &str, models: ModelsPath) -> TokenStream {
    let name = ident(name);
    let variant = |status: &str| match status {
        "default" => ident("Default"),
        s => ident(&format!("Status{}", s.to_ascii_lowercase())),
    };
    let variants = statuses.iter().map(|(status, ty)| {
        let v = variant(status);
        let docs = doc::line(&match ty {
            Some(_) => format!("The body of a `{status}` response."),
            None => format!("A `{status}` response, which has no body."),
        });
        let payload = ty.map(|ty| {
            let ty = type_tokens(ty, models);
            quote!((#ty))
        });
        quote! {
            #[doc = #docs]
            #v #payload,
        }
    });
    let arm = |status: &str, ty: Option<&TypeRef>| {
        let v = variant(status);
        let pattern = match (status, status.parse::<u16>()) {
            ("default", _) => quote!(_),
            (_, Ok(code)) => {
                let code = proc_macro2::Literal::u16_unsuffixed(code);
                quote!(::std::option::Option::Some(#code))
            }
            _ => {
                let low = status.as_bytes()[0].saturating_sub(b'0') as u16 * 100;
                let (low, high) = (proc_macro2::Literal::u16_unsuffixed(low), proc_macro2::Literal::u16_unsuffixed(low + 99));
                quote!(::std::option::Option::Some(#low..=#high))
            }
        };
        match ty {
            Some(ty) => {
                let ty = type_tokens(ty, models);
                quote!(#pattern => <#ty as ::serde::Deserialize>::deserialize(deserializer).map(Self::#v),)
            }
            // Whatever a bodiless status sends (an empty body reads as `null`) is ignored.
            None => quote!(#pattern => <::serde::de::IgnoredAny as ::serde::Deserialize>::deserialize(deserializer).map(|_| Self::#v),),
        }
    };
    let exact = statuses.iter().filter(|(s, _)| s.parse::<u16>().is_ok()).map(|(s, t)| arm(s, *t));
    let ranges = statuses.iter().filter(|(s, _)| s.parse::<u16>().is_err() && *s != "default").map(|(s, t)| arm(s, *t));
    let default = match statuses.iter().find(|(s, _)| *s == "default") {
        Some((s, t)) => arm(s, *t),
        None => quote!(_ => ::std::result::Result::Err(<D::Error as ::serde::de::Error>::custom(#undeclared)),),
    };
    let docs = doc::line(docs);
    quote! {
        #[doc = #docs]
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                match crate::runtime::response_status() {
                    #(#exact)*
                    #(#ranges)*
                    #default
                }
            }
        }
    }
}
