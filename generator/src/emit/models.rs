//! Emits `models.rs`: structs, enums, discriminated unions and aliases.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, ident, type_tokens, ModelsPath};
use crate::ir::{Alias, Api, Enum, Struct, Tag, TypeDef, TypeRef, Union};

/// The module documentation of `models.rs`; [`model`] gives its items.
pub fn intro(api: &Api) -> TokenStream {
    let title = doc::line(&format!("Models of {} (version {}).", api.title, api.version));
    quote!(#![doc = #title])
}

/// One model of `models.rs`: the type and its impls.
pub fn model(def: &TypeDef) -> TokenStream {
    match def {
        TypeDef::Struct(s) => struct_tokens(s),
        TypeDef::Enum(e) => enum_tokens(e),
        TypeDef::Union(u) => union_tokens(u),
        TypeDef::Alias(a) => alias_tokens(a),
    }
}

fn struct_tokens(s: &Struct) -> TokenStream {
    let name = ident(&s.name.rust);
    let docs = doc::attrs(s.doc.as_deref());
    let default = if s.default { quote!(, Default) } else { quote!() };
    let mut fields = Vec::new();
    let mut reads = Vec::new();
    let mut writes = Vec::new();
    let mut discard = quote!();
    if let Some(Tag { property, value }) = &s.tag {
        writes.push(quote!(map.field(#property, #value);));
        discard = quote!(fields.discard(#property););
    }
    for f in &s.fields {
        let fname = ident(&f.name.rust);
        let wire = &f.name.wire;
        let mut ty = type_tokens(&f.ty, ModelsPath::Same);
        if f.boxed {
            ty = quote!(::std::boxed::Box<#ty>);
        }
        let collection = matches!(f.ty, TypeRef::Vec(_) | TypeRef::Map(_));
        let (read, write) = match (f.required, f.read_only, collection) {
            (false, true, _) => (quote!(optional), quote!(read_only)),
            (false, false, _) if f.send_null => (quote!(optional), quote!(field)),
            (false, false, _) => (quote!(optional), quote!(optional)),
            (true, _, true) => (quote!(collection), quote!(field)),
            (true, _, false) => (quote!(required), quote!(field)),
        };
        if !f.required {
            ty = quote!(::std::option::Option<#ty>);
        }
        reads.push((fname.clone(), quote!(fields.#read(#wire))));
        writes.push(quote!(map.#write(#wire, &self.#fname);));
        let mut text = f.doc.clone().unwrap_or_default();
        if f.read_only {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str("Read-only: set by the service, never sent.");
        }
        if f.send_null {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str("Required; `None` is sent as `null`.");
        }
        let fdocs = doc::attrs(Some(&text));
        fields.push(quote! {
            #fdocs
            pub #fname: #ty,
        });
    }
    if let Some(additional) = &s.additional {
        let fname = ident(&additional.field);
        let ty = type_tokens(&additional.ty, ModelsPath::Same);
        let text = if additional.declared {
            "Members beyond the named fields (`additionalProperties`)."
        } else {
            "Members this version of the API does not describe, kept so that sending a received value back loses nothing."
        };
        let fdocs = doc::attrs(Some(text));
        fields.push(quote! {
            #fdocs
            pub #fname: ::std::collections::BTreeMap<::std::string::String, #ty>,
        });
        reads.push((fname.clone(), quote!(fields.rest())));
        writes.push(quote!(map.rest(&self.#fname);));
    }
    let etag = s.etag_field().map(|f| {
        let fname = ident(&f.name.rust);
        let body = if f.required { quote!(::std::option::Option::Some(self.#fname.as_str())) } else { quote!(self.#fname.as_deref()) };
        quote! {
            impl crate::runtime::HasEtag for #name {
                fn etag(&self) -> ::std::option::Option<&str> {
                    #body
                }
            }
        }
    });
    // One match over every field's result instead of an early return per field: see `Fields`.
    let names: Vec<_> = reads.iter().map(|(n, _)| n.clone()).collect();
    let getters: Vec<_> = reads.iter().map(|(_, g)| g.clone()).collect();
    let construct = if reads.is_empty() {
        quote! {
            let _ = crate::runtime::Fields::new(deserializer)?;
            ::std::result::Result::Ok(Self {})
        }
    } else {
        quote! {
            let mut fields = crate::runtime::Fields::new(deserializer)?;
            #discard
            match (#(#getters,)*) {
                (#(::std::option::Option::Some(#names),)*) => ::std::result::Result::Ok(Self { #(#names),* }),
                _ => ::std::result::Result::Err(fields.error()),
            }
        }
    };
    let map_binding = if writes.is_empty() { quote!(map) } else { quote!(mut map) };
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq #default)]
        pub struct #name {
            #(#fields)*
        }
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                let #map_binding = crate::runtime::MapWriter::new(serializer)?;
                #(#writes)*
                map.end()
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                #construct
            }
        }
        #etag
    }
}

fn enum_tokens(e: &Enum) -> TokenStream {
    let name = ident(&e.name.rust);
    let docs = doc::attrs(e.doc.as_deref());
    let variants: Vec<TokenStream> = e
        .variants
        .iter()
        .map(|v| {
            let vname = ident(&v.name.rust);
            let wire = format!("`\"{}\"`", v.name.wire);
            let text = match v.doc.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
                Some(d) => format!("{d}\n\nWire value {wire}."),
                None => wire,
            };
            let vdocs = doc::attrs(Some(&text));
            quote!(#vdocs #vname,)
        })
        .collect();
    let names: Vec<_> = e.variants.iter().map(|v| ident(&v.name.rust)).collect();
    let wires: Vec<&str> = e.variants.iter().map(|v| v.name.wire.as_str()).collect();
    let common = quote! {
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl crate::runtime::ParamValue for #name {
            fn to_param(&self) -> ::std::string::String {
                self.as_str().to_owned()
            }
        }
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
    if e.open {
        let other = ident(&e.other);
        quote! {
            #docs
            ///
            /// Open: values this version does not know are kept in the catch-all variant.
            #[derive(Clone, Debug, PartialEq, Eq, Hash)]
            pub enum #name {
                #(#variants)*
                /// A value not known to this version of the API.
                #other(::std::string::String),
            }
            impl #name {
                /// The value as sent on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #(Self::#names => #wires,)*
                        Self::#other(value) => value.as_str(),
                    }
                }
            }
            impl ::std::convert::From<&str> for #name {
                fn from(value: &str) -> Self {
                    match value {
                        #(#wires => Self::#names,)*
                        other => Self::#other(other.to_owned()),
                    }
                }
            }
            impl ::std::convert::From<::std::string::String> for #name {
                fn from(value: ::std::string::String) -> Self {
                    match value.as_str() {
                        #(#wires => Self::#names,)*
                        _ => Self::#other(value),
                    }
                }
            }
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    <::std::string::String as ::serde::Deserialize>::deserialize(deserializer).map(Self::from)
                }
            }
            #common
        }
    } else {
        quote! {
            #docs
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
            pub enum #name {
                #(#variants)*
            }
            impl #name {
                /// Every value, in document order.
                pub const ALL: &'static [Self] = &[#(Self::#names),*];
                /// The value as sent on the wire.
                pub fn as_str(&self) -> &'static str {
                    match self {
                        #(Self::#names => #wires,)*
                    }
                }
            }
            impl ::std::str::FromStr for #name {
                type Err = crate::runtime::UnknownEnumValue;
                fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                    match value {
                        #(#wires => ::std::result::Result::Ok(Self::#names),)*
                        other => ::std::result::Result::Err(crate::runtime::UnknownEnumValue::new(other)),
                    }
                }
            }
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                    value.parse().map_err(|_| <D::Error as ::serde::de::Error>::unknown_variant(&value, &[#(#wires),*]))
                }
            }
            #common
        }
    }
}

fn union_tokens(u: &Union) -> TokenStream {
    let name = ident(&u.name.rust);
    let mut text = u.doc.clone().unwrap_or_default();
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "Discriminated by `{}`; a value this version does not know is kept as JSON in `{}`.",
        u.property, u.unknown
    ));
    let docs = doc::attrs(Some(&text));
    let unknown = ident(&u.unknown);
    let property = &u.property;
    let vnames: Vec<_> = u.variants.iter().map(|v| ident(&v.name.rust)).collect();
    let vtypes: Vec<_> = u.variants.iter().map(|v| ident(v.ty.as_str())).collect();
    let decoded: Vec<_> = u.decoding().map(|v| ident(&v.name.rust)).collect();
    let wires: Vec<&str> = u.decoding().map(|v| v.name.wire.as_str()).collect();
    let vdocs = u.variants.iter().map(|v| doc::attrs(Some(&format!("`{} = \"{}\"`", u.property, v.name.wire))));
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#vdocs #vnames(#vtypes),)*
            /// A kind this version of the API does not know, kept as received.
            #unknown(::serde_json::Value),
        }
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    // Each variant's type writes its own discriminator value.
                    #(Self::#vnames(value) => ::serde::Serialize::serialize(value, serializer),)*
                    Self::#unknown(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                match crate::runtime::discriminator(&value, #property) {
                    #(::std::option::Option::Some(#wires) => crate::runtime::from_value(value).map(Self::#decoded),)*
                    _ => ::std::result::Result::Ok(Self::#unknown(value)),
                }
            }
        }
        #(
            impl ::std::convert::From<#vtypes> for #name {
                fn from(value: #vtypes) -> Self {
                    Self::#vnames(value)
                }
            }
        )*
    }
}

fn alias_tokens(a: &Alias) -> TokenStream {
    let name = ident(&a.name.rust);
    let docs = doc::attrs(a.doc.as_deref());
    let ty = type_tokens(&a.ty, ModelsPath::Same);
    quote! {
        #docs
        pub type #name = #ty;
    }
}
