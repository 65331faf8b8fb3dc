//! Parameters passed other than one by one: parameter groups (`x-ms-parameter-grouping`: the
//! `parameter_groups` module of structs, and how an operation takes and sends one) and flattened
//! bodies (`x-ms-client-flatten`: the body built from the operation's arguments).

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, ident, param_type, type_tokens, ModelsPath, ParamType};
use crate::ir::{
    resolve_alias, Api, Body, GroupField, Location, Operation, Param, ParamGroup, ParamGroupId, ParamKind, TypeDef, TypeRef,
};
use crate::naming;

/// The `parameter_groups` module: one struct per group, every field public.
pub fn groups_module(api: &Api) -> TokenStream {
    let structs = api.param_groups.iter().enumerate().map(|(i, g)| group_struct(api, ParamGroupId(i), g));
    quote! {
        //! Parameter groups: parameters that operations take together, in one struct.
        #(#structs)*
    }
}

fn group_struct(api: &Api, id: ParamGroupId, group: &ParamGroup) -> TokenStream {
    let name = ident(&group.name);
    let users: Vec<String> = api
        .groups
        .iter()
        .flat_map(|g| &g.operations)
        .filter(|op| op.params.iter().any(|p| p.group == Some(id)))
        .map(|op| format!("`{}`", op.id))
        .collect();
    let text = format!("Parameters of {} passed together; set the ones to send.", users.join(", "));
    let docs = doc::attrs(Some(&text));
    let defaultable = group.fields.iter().all(|f| !f.required || field_defaults(api, f));
    let derive = if defaultable { quote!(#[derive(Clone, Debug, Default, PartialEq)]) } else { quote!(#[derive(Clone, Debug, PartialEq)]) };
    let fields = group.fields.iter().map(|f| {
        let field = ident(&f.name.rust);
        let ty = owned_type(api, &f.kind);
        let ty = if f.required { ty } else { quote!(::std::option::Option<#ty>) };
        let docs = doc::attrs(Some(f.doc.as_deref().unwrap_or(&format!("`{}`.", f.name.wire))));
        quote! {
            #docs
            pub #field: #ty,
        }
    });
    quote! {
        #docs
        #derive
        pub struct #name {
            #(#fields)*
        }
    }
}

/// Whether a required field's type has a `Default` (text, numbers, lists; not enums or dates).
fn field_defaults(api: &Api, field: &GroupField) -> bool {
    match &field.kind {
        ParamKind::Value(t) => {
            !matches!(resolve_alias(&api.types, t), TypeRef::Named(_) | TypeRef::DateTime | TypeRef::Date | TypeRef::UnixTime)
        }
        _ => false,
    }
}

/// The owned type of a parameter: `String` where the argument is `&str`, `Vec<T>` for `&[T]`.
fn owned_type(api: &Api, kind: &ParamKind) -> TokenStream {
    let models = ModelsPath::Super;
    match (kind, param_type(api, kind, models).kind) {
        (_, ParamType::Str) => quote!(::std::string::String),
        (ParamKind::Value(t), ParamType::List) => {
            let inner = match resolve_alias(&api.types, t) {
                TypeRef::Vec(inner) => inner,
                _ => Box::new(TypeRef::String),
            };
            let inner = match param_type(api, &ParamKind::Value((*inner).clone()), models).kind {
                ParamType::Str => quote!(::std::string::String),
                _ => type_tokens(&inner, models),
            };
            quote!(::std::vec::Vec<#inner>)
        }
        _ => param_type(api, kind, models).arg,
    }
}

/// The groups an operation takes, in the order its parameters name them, with whether the group is
/// required (a positional argument) or not (a builder method).
pub fn op_groups(op: &Operation) -> Vec<(ParamGroupId, bool)> {
    let mut out: Vec<(ParamGroupId, bool)> = Vec::new();
    for p in &op.params {
        let Some(id) = p.group else { continue };
        match out.iter_mut().find(|(g, _)| *g == id) {
            Some((_, required)) => *required |= p.required,
            None => out.push((id, p.required)),
        }
    }
    out
}

/// The argument name and type of group `id`, as named from `models` (a group module or the root).
pub fn group_arg(api: &Api, id: ParamGroupId, models: ModelsPath) -> (proc_macro2::Ident, TokenStream) {
    let group = &api.param_groups[id.0];
    let name = ident(&group.name);
    let module = ident(naming::PARAM_GROUPS_MODULE);
    let path = match models {
        ModelsPath::Same => quote!(#name),
        ModelsPath::Super => quote!(super::#module::#name),
        ModelsPath::Child => quote!(#module::#name),
    };
    (ident(&naming::group_arg(&group.name)), path)
}

/// The request builder calls that send the query and header fields of group `id`, read from the
/// group value `value`.
pub fn group_setters(api: &Api, op: &Operation, id: ParamGroupId, value: &TokenStream) -> Vec<TokenStream> {
    let group = &api.param_groups[id.0];
    let grouped = op.params.iter().filter(|p| p.group == Some(id) && p.location != Location::Path);
    grouped
        .map(|p| {
            let field_required = group.fields.iter().find(|f| f.name.wire == p.name.wire).is_none_or(|f| f.required);
            field_setter(api, p, field_required, value)
        })
        .collect()
}

fn field_setter(api: &Api, p: &Param, required: bool, value: &TokenStream) -> TokenStream {
    let (wire, field) = (&p.name.wire, ident(&p.name.rust));
    if let ParamKind::Constant(v) = &p.kind {
        return match p.location {
            Location::Query if p.skip_encoding => quote!(.query_raw(#wire, #v)),
            Location::Query => quote!(.query(#wire, #v)),
            _ => quote!(.header(#wire, #v)),
        };
    }
    let list = matches!(param_type(api, &p.kind, ModelsPath::Super).kind, ParamType::List);
    let field = quote!(#value.#field);
    match (p.location, list, required) {
        (Location::Query, true, true) => {
            let format = super::operations::collection(p.collection);
            quote!(.query_list(#wire, &#field, #format))
        }
        (Location::Query, true, false) => {
            let format = super::operations::collection(p.collection);
            quote!(.query_list(#wire, #field.as_deref().unwrap_or_default(), #format))
        }
        (_, true, true) => quote!(.header(#wire, crate::runtime::join_csv(&#field))),
        (_, true, false) => quote!(.header_opt(#wire, #field.as_deref().map(crate::runtime::join_csv))),
        (Location::Query, false, true) if p.skip_encoding => quote!(.query_raw(#wire, &#field)),
        (Location::Query, false, true) => quote!(.query(#wire, &#field)),
        (Location::Query, false, false) if p.skip_encoding => quote!(.query_raw_opt(#wire, #field.as_ref())),
        (Location::Query, false, false) => quote!(.query_opt(#wire, #field.as_ref())),
        (_, false, true) => quote!(.header(#wire, &#field)),
        (_, false, false) => quote!(.header_opt(#wire, #field.as_ref())),
    }
}

/// The struct a flattened body builds, with whether each of its fields is required and boxed.
fn flat_struct<'a>(api: &'a Api, body: &Body) -> Option<(crate::ir::ModelName, &'a crate::ir::Struct)> {
    let TypeRef::Named(name) = resolve_alias(&api.types, &body.ty) else { return None };
    match api.types.get(&name) {
        Some(TypeDef::Struct(s)) => Some((name, s)),
        _ => None,
    }
}

/// The value of a flattened body: its struct with the required arguments, every other field empty.
pub fn flat_body(api: &Api, body: &Body, models: ModelsPath) -> TokenStream {
    let (Some(args), Some((name, s))) = (&body.flattened, flat_struct(api, body)) else { return quote!(()) };
    let ty = type_tokens(&TypeRef::Named(name), models);
    let fields = s.fields.iter().map(|f| {
        let field = ident(&f.name.rust);
        match args.iter().find(|a| a.field.rust == f.name.rust && a.required) {
            Some(a) if a.arg == f.name.rust && f.required && !f.boxed => quote!(#field,),
            Some(a) => {
                let arg = ident(&a.arg);
                let value = if f.boxed { quote!(::std::boxed::Box::new(#arg)) } else { quote!(#arg) };
                let value = if f.required { value } else { quote!(::std::option::Option::Some(#value)) };
                quote!(#field: #value,)
            }
            None => quote!(#field: ::std::option::Option::None,),
        }
    });
    let additional = s.additional.as_ref().map(|a| {
        let field = ident(&a.field);
        quote!(#field: ::std::default::Default::default(),)
    });
    quote!(#ty { #(#fields)* #additional })
}

/// The positional arguments of a flattened body's required fields (`name: Type`), with their docs.
pub fn flat_args(body: &Body, models: ModelsPath) -> Vec<(TokenStream, String)> {
    let args = body.flattened.iter().flatten().filter(|a| a.required);
    args.map(|a| {
        let (arg, ty) = (ident(&a.arg), type_tokens(&a.ty, models));
        let text = format!("- `{}`: {}", naming::unraw(&a.arg), a.doc.as_deref().unwrap_or(&a.field.wire).trim());
        (quote!(#arg: #ty), text)
    })
    .collect()
}

/// Builder methods for a flattened body's optional fields: each sets its field of the body.
pub fn flat_builders(api: &Api, body: &Body, models: ModelsPath) -> Vec<TokenStream> {
    let (Some(args), Some((_, s))) = (&body.flattened, flat_struct(api, body)) else { return Vec::new() };
    args.iter()
        .filter(|a| !a.required)
        .map(|a| {
            let (arg, ty, field) = (ident(&a.arg), type_tokens(&a.ty, models), ident(&a.field.rust));
            let boxed = s.fields.iter().any(|f| f.name.rust == a.field.rust && f.boxed);
            let value = if boxed { quote!(::std::boxed::Box::new(#arg)) } else { quote!(#arg) };
            let docs = doc::attrs(Some(a.doc.as_deref().unwrap_or(&format!("Sets `{}` of the body.", a.field.wire))));
            quote! {
                #docs
                #[inline]
                pub fn #arg(self, #arg: #ty) -> Self {
                    self.map_body(|body| body.#field = ::std::option::Option::Some(#value))
                }
            }
        })
        .collect()
}
