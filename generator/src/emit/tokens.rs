//! How the IR is spelled as tokens: identifiers, type paths (models named from where the code
//! sits), and the argument type of a parameter.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{resolve_alias, Api, ParamKind, TypeDef, TypeRef};
use crate::naming;

pub(crate) fn unraw(s: &str) -> &str {
    naming::unraw(s)
}

/// An identifier token; `r#type` becomes a raw identifier.
pub(crate) fn ident(s: &str) -> Ident {
    match s.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(s, Span::call_site()),
    }
}

/// How code at a given place names the `models` module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelsPath {
    /// Inside `models.rs`.
    Same,
    /// From a child of the API root (`super::models::X`).
    Super,
    /// From the API root (`models::X`).
    Child,
}

pub(crate) fn type_tokens(t: &TypeRef, models: ModelsPath) -> TokenStream {
    let named = |n: &Ident| match models {
        ModelsPath::Same => quote!(#n),
        ModelsPath::Super => quote!(super::models::#n),
        ModelsPath::Child => quote!(models::#n),
    };
    type_tokens_in(t, &named, &quote!(crate::runtime))
}

/// A type with explicit paths for models (`named`) and for the runtime module.
pub(crate) fn type_tokens_in(t: &TypeRef, named: &dyn Fn(&Ident) -> TokenStream, runtime: &TokenStream) -> TokenStream {
    match t {
        TypeRef::String => quote!(::std::string::String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::DateTime => quote!(#runtime::DateTime),
        TypeRef::Base64 => quote!(#runtime::Base64),
        TypeRef::Base64Url => quote!(#runtime::Base64Url),
        TypeRef::Date => quote!(#runtime::Date),
        TypeRef::Duration => quote!(#runtime::Duration),
        TypeRef::UnixTime => quote!(#runtime::UnixTime),
        TypeRef::Nullable(t) => {
            let t = type_tokens_in(t, named, runtime);
            quote!(::std::option::Option<#t>)
        }
        TypeRef::Any => quote!(::serde_json::Value),
        TypeRef::Named(n) => named(&ident(n.as_str())),
        TypeRef::Vec(t) => {
            let t = type_tokens_in(t, named, runtime);
            quote!(::std::vec::Vec<#t>)
        }
        TypeRef::Map(t) => {
            let t = type_tokens_in(t, named, runtime);
            quote!(::std::collections::BTreeMap<::std::string::String, #t>)
        }
    }
}

/// How a parameter is passed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ParamType {
    /// `&str`
    Str,
    /// `&[T]`
    List,
    /// By value (`i32`, enums, `DateTime`, `IfMatch`, …).
    Other,
}

pub(crate) struct ParamTypeInfo {
    pub arg: TokenStream,
    pub kind: ParamType,
}

/// The argument type of a parameter. Aliases are looked through, so `type Id = String` is `&str`.
pub(crate) fn param_type(api: &Api, kind: &ParamKind, models: ModelsPath) -> ParamTypeInfo {
    let ty = match kind {
        ParamKind::IfMatch => {
            return ParamTypeInfo { arg: quote!(crate::runtime::IfMatch), kind: ParamType::Other };
        }
        ParamKind::IfNoneMatch => {
            return ParamTypeInfo { arg: quote!(crate::runtime::IfNoneMatch), kind: ParamType::Other };
        }
        ParamKind::Constant(_) => return ParamTypeInfo { arg: quote!(&str), kind: ParamType::Str },
        ParamKind::Value(t) => resolve_alias(&api.types, t),
    };
    match &ty {
        TypeRef::String | TypeRef::Any | TypeRef::Map(_) => ParamTypeInfo { arg: quote!(&str), kind: ParamType::Str },
        TypeRef::Vec(inner) => {
            let inner = match resolve_alias(&api.types, inner) {
                TypeRef::String | TypeRef::Any | TypeRef::Map(_) => quote!(&str),
                other => type_tokens(&other, models),
            };
            ParamTypeInfo { arg: quote!(&[#inner]), kind: ParamType::List }
        }
        TypeRef::Named(n) if matches!(api.types.get(n), Some(TypeDef::Struct(_) | TypeDef::Union(_))) => {
            ParamTypeInfo { arg: quote!(&str), kind: ParamType::Str }
        }
        other => ParamTypeInfo { arg: type_tokens(other, models), kind: ParamType::Other },
    }
}
