//! Emits operation groups: one accessor struct per group, one method per operation, one marker type
//! per operation (its `Operation` impl says how to decode, page and poll it), and builder methods
//! for optional parameters.

use proc_macro2::TokenStream;
use quote::quote;

use super::bodies;
use super::by_status::{error_enum, success_enum};
use super::params::{flat_args, flat_body, flat_builders, group_arg, group_setters, op_groups};
use super::{doc, ident, param_type, type_tokens, ModelsPath, ParamType};
use crate::ir::{
    Api, BodyKind, ClientParamId, CollectionFormat, FinalStateVia, Group, Location, NextOperation, NextParam, NextPart, NextValue,
    Operation, Output, PageField, Param, ParamId, ParamKind, PathPart,
};
use crate::naming;

/// Where the operations live: a group module, or the API root (methods directly on `Client`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Site {
    Group,
    Root,
}

impl Site {
    /// How the site's methods name models.
    fn models(self) -> ModelsPath {
        match self {
            Site::Group => ModelsPath::Super,
            Site::Root => ModelsPath::Child,
        }
    }
}

/// The contents of the module of a named group (prefix `wire`, accessor struct `struct_name`).
pub fn group_module(api: &Api, group: &Group, wire: &str, struct_name: &str) -> TokenStream {
    let markers = group.operations.iter().map(|op| marker(api, op, Site::Group, Some(struct_name)));
    let struct_name = ident(struct_name);
    let title = doc::line(&format!("`{wire}` operations."));
    let methods = group.operations.iter().map(|op| methods(api, op, Site::Group));
    let struct_doc = doc::line(&format!("The `{wire}` operations; get one with [`Client::{}`](super::Client::{}).", group.module, super::unraw(&group.module)));
    quote! {
        #![doc = #title]
        #[doc = #struct_doc]
        #[derive(Clone, Copy, Debug)]
        pub struct #struct_name<'a> {
            pub(super) client: &'a super::Client,
        }
        impl #struct_name<'_> {
            #(#methods)*
        }
        #(#markers)*
    }
}

/// Root operations: methods for `impl Client` and their marker types.
pub fn root_operations(api: &Api, group: &Group) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let methods = group.operations.iter().map(|op| methods(api, op, Site::Root)).collect();
    let markers = group.operations.iter().map(|op| marker(api, op, Site::Root, None)).collect();
    (methods, markers)
}

fn op_doc(op: &Operation) -> String {
    let mut text = doc::paragraphs(&[op.summary.as_deref(), op.description.as_deref()]).unwrap_or_default();
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(&format!("`{} {}` (`{}`)", op.http_method.as_str(), op.path_template, op.id));
    match &op.paging {
        Some(p) if p.next_link.is_some() => text.push_str(". Paged: `.items()` streams the items of every page, `.pages()` the pages."),
        Some(_) => text.push_str(". One page: `.items()` streams its items."),
        None => {}
    }
    if op.lro.is_some() {
        text.push_str(". Long-running: awaiting polls to a terminal state; `.into_poller()` drives it step by step.");
    }
    let constants: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.group.is_none())
        .filter_map(|p| match &p.kind {
            ParamKind::Constant(v) if p.location == Location::Header => Some(format!("`{}: {v}`", p.name.wire)),
            ParamKind::Constant(v) => Some(format!("`{}={v}`", p.name.wire)),
            _ => None,
        })
        .collect();
    if !constants.is_empty() {
        text.push_str(&format!("\n\nAlways sends {}.", constants.join(", ")));
    }
    if op.deprecated {
        text.push_str("\n\nDeprecated by the service.");
    }
    text
}

/// Required parameters, in the order they appear as arguments: path parameters in template order,
/// then the body, then required query and header parameters.
pub(crate) fn positional(op: &Operation) -> Vec<&Param> {
    let mut out: Vec<&Param> = op
        .path
        .iter()
        .filter_map(|p| match p {
            PathPart::Param(id) => Some(op.param(*id)),
            _ => None,
        })
        .filter(|p| p.group.is_none())
        .collect();
    for p in &op.params {
        if p.location != Location::Path && p.required && p.group.is_none() && !matches!(p.kind, ParamKind::Constant(_)) {
            out.push(p);
        }
    }
    out
}

/// Whether `op` takes a parameter group, a flattened body, bytes or a form (example calls cannot
/// make those).
pub(super) fn takes_structured_args(op: &Operation) -> bool {
    op.params.iter().any(|p| p.group.is_some())
        || op.body.as_ref().is_some_and(|b| b.flattened.is_some() || matches!(b.kind, BodyKind::Binary | BodyKind::Form { .. }))
}

/// The operation's method, and one per alternative body.
fn methods(api: &Api, op: &Operation, site: Site) -> TokenStream {
    let alternatives = bodies::alternatives(op);
    let all = std::iter::once(op).chain(&alternatives).map(|op| method(api, op, site));
    quote!(#(#all)*)
}

fn method(api: &Api, op: &Operation, site: Site) -> TokenStream {
    let name = ident(&op.method_name.rust);
    let marker = ident(&op.marker);
    let marker_path = match site {
        Site::Group => quote!(#marker),
        Site::Root => quote!(ungrouped::#marker),
    };
    let pipeline = match site {
        Site::Group => quote!(self.client.pipeline),
        Site::Root => quote!(self.pipeline),
    };
    let client = match site {
        Site::Group => quote!(self.client),
        Site::Root => quote!(self),
    };
    let mut text = op_doc(op);
    let positional = positional(op);
    let mut args = Vec::new();
    let mut arg_docs = Vec::new();
    for p in &positional {
        let pname = ident(&p.name.rust);
        let ty = param_type(api, &p.kind, site.models()).arg;
        args.push(quote!(#pname: #ty));
        arg_docs.push(format!("- `{}`: {}", super::unraw(&p.name.rust), p.doc.as_deref().unwrap_or(&p.name.wire).trim()));
    }
    // JSON bodies are cloned into the call and serialised when it is sent (see `Operation::Request`);
    // other bodies go straight into the request; a flattened body is built from its arguments.
    let mut text_body = None;
    let mut json_body = None;
    let at = positional.iter().filter(|p| p.location == Location::Path).count();
    if let Some(b) = op.body.as_ref().filter(|b| b.flattened.is_some()) {
        for (i, (arg, arg_doc)) in flat_args(b, site.models()).into_iter().enumerate() {
            args.insert(at + i, arg);
            arg_docs.insert(at + i, arg_doc);
        }
        let (ct, value) = (&b.content_type, flat_body(api, b, site.models()));
        json_body = Some(quote!(.set_json_body(#ct, #value)));
    } else if let Some(b) = op.body.as_ref().filter(|b| b.required || matches!(b.kind, BodyKind::Form { .. })) {
        let parts = bodies::body_args(api, b, site.models());
        for (i, (arg, arg_doc)) in parts.args.into_iter().enumerate() {
            args.insert(at + i, arg);
            arg_docs.insert(at + i, arg_doc);
        }
        text_body = Some(parts.on_request);
        json_body = Some(parts.on_call);
    }
    let groups = op_groups(op);
    let mut group_calls = Vec::new();
    for (id, _) in groups.iter().filter(|(_, required)| *required) {
        let (arg, ty) = group_arg(api, *id, site.models());
        args.push(quote!(#arg: &#ty));
        arg_docs.push(format!("- `{arg}`: the parameters of `{}`", api.param_groups[id.0].name));
        group_calls.extend(group_setters(api, op, *id, &quote!(#arg)));
    }
    if !arg_docs.is_empty() {
        text.push_str("\n\n");
        text.push_str(&arg_docs.join("\n"));
    }
    let docs = doc::attrs(Some(&text));
    let method = ident(op.http_method.as_str());
    let path = op.path.iter().map(|part| match part {
        PathPart::Literal(l) => quote!(.path(#l)),
        PathPart::Param(id) => {
            let p = op.param(*id);
            let pname = ident(&p.name.rust);
            let pname = match p.group {
                Some(g) => {
                    let (group, _) = group_arg(api, g, site.models());
                    quote!(#group.#pname)
                }
                None => quote!(#pname),
            };
            let value = match (param_type(api, &p.kind, site.models()).kind, p.group) {
                (ParamType::Str, None) => quote!(#pname),
                (ParamType::Str, Some(_)) => quote!(&#pname),
                // An array in a path is comma-separated (the only style Swagger allows there).
                (ParamType::List, None) => quote!(&crate::runtime::join_csv(#pname)),
                (ParamType::List, Some(_)) => quote!(&crate::runtime::join_csv(&#pname)),
                _ => quote!(&crate::runtime::ParamValue::to_param(&#pname)),
            };
            path_segment(value, p.skip_encoding)
        }
        PathPart::ClientParam(id) => {
            let field = ident(&api.client_param(*id).field.rust);
            quote!(.path_param(&#client.#field))
        }
        PathPart::Constant(v) => quote!(.path_param(#v)),
    });
    let required_rest = op.params.iter().filter(|p| p.location != Location::Path && p.group.is_none()).filter_map(|p| {
        let wire = &p.name.wire;
        match (&p.kind, &p.client_default) {
            (ParamKind::Constant(v), _) => Some(scalar_param(p.location, wire, quote!(#v), p.skip_encoding)),
            // Sent unless the caller sets another value (the builder method replaces it).
            (_, Some(default)) if !p.required => Some(scalar_param(p.location, wire, quote!(#default), p.skip_encoding)),
            _ if !p.required => None,
            (kind, _) => {
                let pname = ident(&p.name.rust);
                Some(setter(api, p, kind, quote!(#pname), false, site.models()))
            }
        }
    });
    let request_id_header = op.request_id_header.as_ref().map(|h| quote!(.client_request_id_header(#h)));
    let client_refs = op.client_refs.iter().map(|id| {
        let p = api.client_param(*id);
        let field = ident(&p.field.rust);
        scalar_param(p.location, &p.field.wire, quote!(#client.#field.as_str()), false)
    });
    // Built before the request, which may move the arguments it captures.
    let next = op.paging.as_ref().and_then(|p| p.next_operation.as_ref());
    let next_setup = next.map(|next| {
        let closure = next_request(api, op, next, &client, site);
        quote!(let next_request = #closure;)
    });
    let next_request = next.map(|_| quote!(.set_next_request(next_request)));
    let too_many = if args.len() > 6 { quote!(#[allow(clippy::too_many_arguments)]) } else { quote!() };
    let deprecated = if op.deprecated { quote!(#[deprecated]) } else { quote!() };
    // `#[inline]` here and on every other method that builds a call: compiled where a program
    // calls it, so the crate itself compiles no operation code and a program pays for the
    // operations it uses.
    quote! {
        #docs
        #too_many
        #deprecated
        #[inline]
        pub fn #name(&self, #(#args),*) -> crate::runtime::Call<#marker_path> {
            #next_setup
            crate::runtime::Call::new(
                #pipeline
                    .request(crate::runtime::Method::#method)
                    #(#path)*
                    #(#client_refs)*
                    #(#required_rest)*
                    #(#group_calls)*
                    #request_id_header
                    #text_body
            )
            #json_body
            #next_request
        }
    }
}

/// The closure that builds a next-page request through `x-ms-pageable.operationName`'s operation:
/// the arguments it needs are captured as owned text when the call is made.
fn next_request(api: &Api, op: &Operation, next: &NextOperation, client: &TokenStream, site: Site) -> TokenStream {
    // The owned copies the closure captures, named after what they copy.
    let arg_copy = |id: ParamId| ident(&naming::next_capture(&op.param(id).name.rust));
    let client_copy = |id: ClientParamId| ident(&naming::next_client_capture(&api.client_param(id).field.rust));
    let mut captured: Vec<ParamId> = Vec::new();
    let mut capture = |id: ParamId| {
        if !captured.contains(&id) {
            captured.push(id);
        }
        arg_copy(id)
    };
    let mut client_fields: Vec<ClientParamId> = Vec::new();
    let mut client_field = |id: ClientParamId| {
        if !client_fields.contains(&id) {
            client_fields.push(id);
        }
        client_copy(id)
    };
    let mut value = |v: &NextValue| -> TokenStream {
        match v {
            NextValue::Link => quote!(link),
            NextValue::Constant(c) => quote!(#c),
            NextValue::Param(i) => {
                let name = capture(*i);
                quote!(#name.as_str())
            }
            NextValue::ClientParam(i) => {
                let name = client_field(*i);
                quote!(#name.as_str())
            }
        }
    };
    let path: Vec<TokenStream> = next
        .path
        .iter()
        .map(|part| match part {
            NextPart::Literal(l) => quote!(.path(#l)),
            NextPart::Value { value: v, skip_encoding } => path_segment(value(v), *skip_encoding),
        })
        .collect();
    let params: Vec<TokenStream> = next
        .params
        .iter()
        .map(|NextParam { location, wire, value: v }| scalar_param(*location, wire, value(v), false))
        .collect();
    let refs: Vec<TokenStream> = next
        .client_refs
        .iter()
        .map(|id| {
            let p = api.client_param(*id);
            let field = client_field(*id);
            scalar_param(p.location, &p.field.wire, quote!(#field.as_str()), false)
        })
        .collect();
    let captures = captured.iter().map(|id| {
        let p = op.param(*id);
        let field = ident(&p.name.rust);
        let arg = match p.group {
            Some(g) => {
                let (group, _) = group_arg(api, g, site.models());
                quote!(&#group.#field)
            }
            None => quote!(#field),
        };
        let name = arg_copy(*id);
        match param_type(api, &p.kind, site.models()).kind {
            ParamType::Str => quote!(let #name = ::std::string::String::from(#arg);),
            ParamType::List => quote!(let #name = crate::runtime::join_csv(#arg);),
            ParamType::Other => quote!(let #name = crate::runtime::ParamValue::to_param(&#arg);),
        }
    });
    let client_captures = client_fields.iter().map(|id| {
        let field = ident(&api.client_param(*id).field.rust);
        let name = client_copy(*id);
        quote!(let #name = #client.#field.clone();)
    });
    let method = ident(next.http_method.as_str());
    let uses_link = next.path.iter().any(|p| matches!(p, NextPart::Value { value: NextValue::Link, .. }))
        || next.params.iter().any(|p| p.value == NextValue::Link);
    let link = if uses_link { quote!(link) } else { quote!(_link) };
    quote! {
        {
            #(#captures)*
            #(#client_captures)*
            move |pipeline: &crate::runtime::Pipeline, #link: &str| {
                pipeline.request(crate::runtime::Method::#method) #(#path)* #(#refs)* #(#params)*
            }
        }
    }
}

/// `.path_param(value)`, or `.path_param_raw(value)` for `x-ms-skip-url-encoding`.
fn path_segment(value: TokenStream, skip_encoding: bool) -> TokenStream {
    if skip_encoding {
        quote!(.path_param_raw(#value))
    } else {
        quote!(.path_param(#value))
    }
}

/// `.header(wire, value)` or `.query(wire, value)` for a single-valued parameter; `.query_raw` for
/// one sent unencoded (`x-ms-skip-url-encoding`).
fn scalar_param(location: Location, wire: &str, value: TokenStream, skip_encoding: bool) -> TokenStream {
    match location {
        Location::Header => quote!(.header(#wire, #value)),
        _ if skip_encoding => quote!(.query_raw(#wire, #value)),
        _ => quote!(.query(#wire, #value)),
    }
}

/// A call that sets a query or header parameter on the request (`builder` false: the request
/// builder's method) or on a `Call` from an optional-parameter method (`builder` true: the `Call`'s
/// `set_…` method).
fn setter(api: &Api, p: &Param, kind: &ParamKind, value: TokenStream, builder: bool, models: ModelsPath) -> TokenStream {
    let wire = &p.name.wire;
    let pick = |on_request: TokenStream, on_call: TokenStream| if builder { on_call } else { on_request };
    match kind {
        ParamKind::IfMatch => {
            let m = pick(quote!(if_match), quote!(set_if_match));
            quote!(.#m(#value))
        }
        ParamKind::IfNoneMatch => {
            let m = pick(quote!(if_none_match), quote!(set_if_none_match));
            quote!(.#m(#value))
        }
        _ => {
            let is_list = matches!(param_type(api, kind, models).kind, ParamType::List);
            let value = if p.rfc1123 && !is_list { quote!((#value).to_rfc1123()) } else { value };
            let header = pick(quote!(header), quote!(set_header));
            match (p.location, is_list) {
                (Location::Query, true) => {
                    let m = pick(quote!(query_list), quote!(set_query_list));
                    let format = collection(p.collection);
                    quote!(.#m(#wire, #value, #format))
                }
                (Location::Header, true) => quote!(.#header(#wire, crate::runtime::join_csv(#value))),
                (Location::Header, false) => quote!(.#header(#wire, #value)),
                (_, false) if p.skip_encoding && builder => quote!(.map_request(|request| request.query_raw(#wire, #value))),
                (_, false) if p.skip_encoding => quote!(.query_raw(#wire, #value)),
                _ => {
                    let m = pick(quote!(query), quote!(set_query));
                    quote!(.#m(#wire, #value))
                }
            }
        }
    }
}

pub(super) fn collection(c: CollectionFormat) -> TokenStream {
    match c {
        CollectionFormat::Csv => quote!(crate::runtime::CollectionFormat::Csv),
        CollectionFormat::Ssv => quote!(crate::runtime::CollectionFormat::Ssv),
        CollectionFormat::Tsv => quote!(crate::runtime::CollectionFormat::Tsv),
        CollectionFormat::Pipes => quote!(crate::runtime::CollectionFormat::Pipes),
        CollectionFormat::Multi => quote!(crate::runtime::CollectionFormat::Multi),
    }
}

fn marker(api: &Api, op: &Operation, site: Site, struct_name: Option<&str>) -> TokenStream {
    let marker = ident(&op.marker);
    // Markers always live in a child module of the API root (a group module or `ungrouped`).
    let models = ModelsPath::Super;
    let method_link = match (site, struct_name) {
        (Site::Group, Some(s)) => format!("{s}::{}", super::unraw(&op.method_name.rust)),
        _ => format!("super::Client::{}", super::unraw(&op.method_name.rust)),
    };
    let marker_doc = doc::line(&format!(
        "`{}`: the operation behind [`{}`]({}), used as `Call<{}>`.",
        op.id,
        super::unraw(&op.method_name.rust),
        method_link,
        op.marker
    ));
    let output = match &op.response.output {
        Output::Unit => quote!(()),
        Output::Json(t) => type_tokens(t, models),
        Output::OptionalJson(t) => {
            let t = type_tokens(t, models);
            quote!(::std::option::Option<#t>)
        }
        Output::Binary => quote!(crate::runtime::Bytes),
        Output::Text => quote!(::std::string::String),
        Output::ByStatus(_) => {
            let name = ident(op.response.success_enum.as_deref().unwrap_or_default());
            quote!(#name)
        }
    };
    let body = match &op.response.output {
        Output::Unit => quote!(crate::runtime::Empty),
        Output::Json(t) => {
            let t = type_tokens(t, models);
            quote!(crate::runtime::Json<#t>)
        }
        Output::OptionalJson(t) => {
            let t = type_tokens(t, models);
            quote!(crate::runtime::JsonOpt<#t>)
        }
        Output::Binary => quote!(crate::runtime::Binary),
        Output::Text => quote!(crate::runtime::Text),
        Output::ByStatus(_) => quote!(crate::runtime::Json<#output>),
    };
    let request = match &op.body {
        Some(b) if b.kind == BodyKind::Json => type_tokens(&b.ty, models),
        _ => quote!(()),
    };
    let error = match (&op.response.error_enum, &op.response.error) {
        (Some(name), _) => {
            let name = ident(name);
            quote!(#name)
        }
        (None, Some(t)) => type_tokens(t, models),
        (None, None) => quote!(::serde_json::Value),
    };
    let error_enum = error_enum(op, models);
    let success_enum = success_enum(op, models);
    let success = op.response.success.iter().map(|s| proc_macro2::Literal::u16_unsuffixed(*s));
    let lro = op.lro.map(|via| {
        let via = match via {
            FinalStateVia::Default => quote!(Default),
            FinalStateVia::AzureAsyncOperation => quote!(AzureAsyncOperation),
            FinalStateVia::Location => quote!(Location),
            FinalStateVia::OriginalUri => quote!(OriginalUri),
            FinalStateVia::OperationLocation => quote!(OperationLocation),
        };
        quote!(const LRO: ::std::option::Option<crate::runtime::FinalStateVia> = ::std::option::Option::Some(crate::runtime::FinalStateVia::#via);)
    });
    let paged = op.paging.as_ref().map(|p| {
        let item = type_tokens(&p.item_ty, models);
        let items = ident(&p.items.field.rust);
        let items = if p.items.required { quote!(page.#items) } else { quote!(page.#items.unwrap_or_default()) };
        let next = match &p.next_link {
            None => quote!(::std::option::Option::None),
            Some(PageField { field, required: true }) => {
                let n = ident(&field.rust);
                quote!(::std::option::Option::Some(page.#n))
            }
            Some(PageField { field, required: false }) => {
                let n = ident(&field.rust);
                quote!(page.#n)
            }
        };
        let unwrap = if matches!(op.response.output, Output::OptionalJson(_)) {
            quote! {
                let ::std::option::Option::Some(page) = page else {
                    return (::std::vec::Vec::new(), ::std::option::Option::None);
                };
            }
        } else {
            quote!()
        };
        quote! {
            impl crate::runtime::Paged for #marker {
                type Item = #item;
                fn split(page: Self::Output) -> (::std::vec::Vec<Self::Item>, ::std::option::Option<::std::string::String>) {
                    #unwrap
                    (#items, #next)
                }
            }
        }
    });
    let optional = op.params.iter().filter(|p| !p.required && p.group.is_none() && !matches!(p.kind, ParamKind::Constant(_)));
    let builders: Vec<TokenStream> = optional
        .map(|p| {
            let pname = ident(&p.name.rust);
            let ty = param_type(api, &p.kind, models).arg;
            let docs = doc::attrs(Some(p.doc.as_deref().unwrap_or(&format!("Sets `{}`.", p.name.wire))));
            let set = setter(api, p, &p.kind, quote!(#pname), true, models);
            quote! {
                #docs
                #[inline]
                pub fn #pname(self, #pname: #ty) -> Self {
                    self #set
                }
            }
        })
        .chain(op_groups(op).into_iter().filter(|(_, required)| !required).map(|(id, _)| {
            let (arg, ty) = group_arg(api, id, models);
            let setters = group_setters(api, op, id, &quote!(#arg));
            let docs = doc::line(&format!("Sends the parameters of `{}` that are set.", api.param_groups[id.0].name));
            quote! {
                #[doc = #docs]
                #[inline]
                pub fn #arg(self, #arg: &#ty) -> Self {
                    self.map_request(|request| request #(#setters)*)
                }
            }
        }))
        .chain(op.body.iter().flat_map(|b| flat_builders(api, b, models)))
        .chain(bodies::body_builders(api, op, models))
        .chain(op.body.iter().filter(|b| !b.required && b.flattened.is_none() && b.kind == BodyKind::Json).map(|b| {
            let bname = ident(&b.name.rust);
            let ty = type_tokens(&b.ty, models);
            let ct = &b.content_type;
            let docs = doc::attrs(Some(b.doc.as_deref().unwrap_or("Sets the request body.")));
            quote! {
                #docs
                #[inline]
                pub fn #bname(self, #bname: &#ty) -> Self {
                    self.set_json_body(#ct, ::std::clone::Clone::clone(#bname))
                }
            }
        }))
        .collect();
    let builders = if builders.is_empty() {
        quote!()
    } else {
        quote! {
            impl crate::runtime::Call<#marker> {
                #(#builders)*
            }
        }
    };
    quote! {
        #[doc = #marker_doc]
        pub enum #marker {}
        impl crate::runtime::Operation for #marker {
            type Output = #output;
            type ErrorModel = #error;
            const SUCCESS: &'static [u16] = &[#(#success),*];
            #lro
            type Request = #request;
            type Body = #body;
        }
        #paged
        #builders
        #error_enum
        #success_enum
    }
}
