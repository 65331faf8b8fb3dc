//! Emits `models.rs`: structs, enums, discriminated unions and aliases.

use proc_macro2::{TokenStream, TokenTree};
use quote::quote;

use super::{doc, ident, type_tokens, unparse, unraw, ModelsPath};
use crate::error::Error;
use crate::ir::{resolve_alias, Alias, Api, Enum, Field, Struct, Tag, TypeDef, TypeRef, Union};

/// The module documentation of `models.rs`; [`model`] gives its items.
pub fn intro(api: &Api) -> TokenStream {
    let title = doc::line(&format!("Models of {} (version {}).", api.title, api.version));
    quote!(#![doc = #title])
}

/// One model of `models.rs` as source text: the type and its impls.
pub fn model(def: &TypeDef, api: &Api) -> Result<String, Error> {
    match def {
        TypeDef::Struct(s) => struct_text(s, api),
        TypeDef::Enum(e) => unparse(enum_tokens(e), api),
        TypeDef::Union(u) => unparse(union_tokens(u, api), api),
        TypeDef::Alias(a) => unparse(alias_tokens(a), api),
    }
}

/// A struct as one `model!` invocation (see the runtime's `model` module), written as text with a
/// fixed layout rather than printed: one line per field, so that a property added to or removed from
/// the document is a line added or removed here and nothing else. The `HasEtag` impl follows.
fn struct_text(s: &Struct, api: &Api) -> Result<String, Error> {
    let mut out = String::from("crate::runtime::model! {\n");
    doc_comment(&mut out, 1, s.doc.as_deref());
    if s.default {
        out.push_str("    #[derive(Default)]\n");
    }
    out.push_str(&format!("    pub struct {} {{\n", s.name.rust));
    for f in &s.fields {
        doc_comment(&mut out, 2, Some(&field_doc(f)));
        let value = value_text(f);
        let collection = matches!(f.ty, TypeRef::Vec(_) | TypeRef::Map(_));
        let kind = match (f.required, f.read_only, f.send_null) {
            (true, _, _) if collection => "collection",
            (true, _, _) => "required",
            (false, true, _) => "read_only",
            (false, false, true) => "send_null",
            (false, false, false) => "optional",
        };
        let ty = if f.required { value.clone() } else { format!("::std::option::Option<{value}>") };
        let (name, wire) = (&f.name.rust, literal(&f.name.wire));
        out.push_str(&format!("        pub {name}: {ty} = {kind} {wire}"));
        if !f.read_only {
            out.push_str(&format!(" => with_{}({value})", unraw(name)));
        }
        out.push_str(",\n");
    }
    if let Some(additional) = &s.additional {
        out.push_str("        ..\n");
        let text = if additional.declared {
            "Members beyond the named fields (`additionalProperties`)."
        } else {
            "Members this version of the API does not describe, kept so that sending a received value back loses nothing."
        };
        doc_comment(&mut out, 2, Some(text));
        let map = type_text(type_tokens(&TypeRef::Map(Box::new(additional.ty.clone())), ModelsPath::Same));
        out.push_str(&format!("        pub {}: {map},\n", additional.field));
    }
    out.push_str("    }\n");
    if let Some(Tag { property, value }) = &s.tag {
        out.push_str(&format!("    tag {} = {};\n", literal(property), literal(value)));
    }
    let required: Vec<String> = s.constructor_fields().map(|f| format!("{}: {}", f.name.rust, value_text(f))).collect();
    if !required.is_empty() {
        out.push_str(&format!("    new({});\n", required.join(", ")));
    }
    out.push_str("}\n");
    if let Some(f) = s.etag_field() {
        let name = ident(&s.name.rust);
        let fname = ident(&f.name.rust);
        let body = if f.required {
            quote!(::std::option::Option::Some(self.#fname.as_str()))
        } else {
            quote!(self.#fname.as_deref())
        };
        out.push_str(&unparse(
            quote! {
                impl crate::runtime::HasEtag for #name {
                    fn etag(&self) -> ::std::option::Option<&str> {
                        #body
                    }
                }
            },
            api,
        )?);
    }
    Ok(out)
}

/// A field's value type as source text: its type, boxed where the field is.
fn value_text(f: &Field) -> String {
    let value = type_text(type_tokens(&f.ty, ModelsPath::Same));
    if f.boxed {
        format!("::std::boxed::Box<{value}>")
    } else {
        value
    }
}

/// A field's documentation: the document's, and what its kind means for the caller.
fn field_doc(f: &Field) -> String {
    let mut text = f.doc.clone().unwrap_or_default();
    let mut note = |line: &str| {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(line);
    };
    if f.read_only {
        note("Read-only: set by the service, never sent.");
    }
    if f.send_null {
        note("Required; `None` is sent as `null`.");
    }
    text
}

/// Appends `text` as `///` lines at `depth` levels of indentation, as the printer writes doc
/// attributes.
fn doc_comment(out: &mut String, depth: usize, text: Option<&str>) {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else { return };
    for line in doc::sanitize(text) {
        let line = format!("///{}", if line.is_empty() { String::new() } else { format!(" {line}") });
        out.push_str(&"    ".repeat(depth));
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

/// A type's tokens as compact source text (`::std::vec::Vec<::std::string::String>`).
fn type_text(tokens: TokenStream) -> String {
    let mut out = String::new();
    for token in tokens {
        match token {
            TokenTree::Punct(p) if p.as_char() == ',' => out.push_str(", "),
            TokenTree::Group(g) => out.push_str(&type_text(g.stream())),
            other => out.push_str(&other.to_string()),
        }
    }
    out
}

/// A string literal for `text`, escaped as the tokenizer escapes it.
fn literal(text: &str) -> String {
    proc_macro2::Literal::string(text).to_string()
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
            #[non_exhaustive]
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
            #[non_exhaustive]
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

fn union_tokens(u: &Union, api: &Api) -> TokenStream {
    let name = ident(&u.name.rust);
    let mut text = u.doc.clone().unwrap_or_default();
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    let vnames: Vec<_> = u.variants.iter().map(|v| ident(&v.name.rust)).collect();
    text.push_str(&match (&u.property, &u.unknown) {
        (Some(p), Some(unknown)) => format!("Discriminated by `{p}`; a value this version does not know is kept as JSON in `{unknown}`."),
        (Some(p), None) => format!("Discriminated by `{p}`."),
        (None, _) => {
            let order: Vec<String> = u.variants.iter().map(|v| format!("`{}`", v.name.rust)).collect();
            format!("Untagged: decoding tries the variants in document order ({}) and keeps the first that accepts the value.", order.join(", "))
        }
    });
    let docs = doc::attrs(Some(&text));
    let vtypes: Vec<_> = u.variants.iter().map(|v| type_tokens(&v.ty, ModelsPath::Same)).collect();
    let vdocs = u.variants.iter().enumerate().map(|(i, v)| {
        let text = match &u.property {
            Some(p) => format!("`{p} = \"{}\"`", v.name.wire),
            None => format!("Member {} of the document's list.", i + 1),
        };
        doc::attrs(Some(&text))
    });
    let (unknown_variant, unknown_arm, unknown_ser) = match &u.unknown {
        Some(unknown) => {
            let unknown = ident(unknown);
            (
                quote! {
                    /// A kind this version of the API does not know, kept as received.
                    #unknown(::serde_json::Value),
                },
                quote!(_ => ::std::result::Result::Ok(Self::#unknown(value)),),
                quote!(Self::#unknown(value) => ::serde::Serialize::serialize(value, serializer),),
            )
        }
        None => (quote!(), quote!(), quote!()),
    };
    let serialize_arms: Vec<TokenStream> = u
        .variants
        .iter()
        .zip(&vnames)
        .map(|(v, vname)| match (&u.property, u.writes_tag) {
            (Some(p), true) => {
                let wire = &v.name.wire;
                quote!(Self::#vname(value) => crate::runtime::serialize_tagged(value, #p, #wire, serializer),)
            }
            _ => quote!(Self::#vname(value) => ::serde::Serialize::serialize(value, serializer),),
        })
        .collect();
    let decode = match &u.property {
        Some(property) => {
            let decoded: Vec<_> = u.decoding().map(|v| ident(&v.name.rust)).collect();
            let wires: Vec<&str> = u.decoding().map(|v| v.name.wire.as_str()).collect();
            let fallback = if u.unknown.is_some() {
                unknown_arm
            } else {
                quote!(_ => ::std::result::Result::Err(crate::runtime::unknown_kind(&value, #property, &[#(#wires),*])),)
            };
            quote! {
                match crate::runtime::discriminator(&value, #property) {
                    #(::std::option::Option::Some(#wires) => crate::runtime::from_value(value).map(Self::#decoded),)*
                    #fallback
                }
            }
        }
        None => {
            let union = &u.name.rust;
            quote! {
                #(
                    if let ::std::option::Option::Some(v) = crate::runtime::try_variant(&value) {
                        return ::std::result::Result::Ok(Self::#vnames(v));
                    }
                )*
                ::std::result::Result::Err(crate::runtime::no_variant(#union))
            }
        }
    };
    // `From` only for a type one variant holds: a second would be a conflicting impl.
    let resolved: Vec<TypeRef> = u.variants.iter().map(|v| resolve_alias(&api.types, &v.ty)).collect();
    let from_impls = u.variants.iter().zip(&resolved).zip(&vtypes).filter(|((_, r), _)| resolved.iter().filter(|o| o == r).count() == 1).map(|((v, _), ty)| {
        let vname = ident(&v.name.rust);
        quote! {
            impl ::std::convert::From<#ty> for #name {
                fn from(value: #ty) -> Self {
                    Self::#vname(value)
                }
            }
        }
    });
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        #[non_exhaustive]
        pub enum #name {
            #(#vdocs #vnames(#vtypes),)*
            #unknown_variant
        }
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms)*
                    #unknown_ser
                }
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                // Read once; variants are decoded from the buffered value.
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                #decode
            }
        }
        #(#from_impls)*
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
