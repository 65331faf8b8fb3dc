//! Emission: IR → token streams → formatted Rust files, one concern per module.
//!
//! - [`models`]: `models.rs` (types);
//! - [`operations`]: one file per operation group;
//! - `tokens`: identifiers, type paths and parameter argument types, shared by the others;
//! - this module: the API root (`Client`) and file assembly.
//!
//! Emitted code names everything by full path (`::std::option::Option`, `crate::runtime::Call`), so a
//! model called `Option` or `Result` cannot break it.

pub mod doc;
pub mod example_calls;
pub mod examples;
pub mod models;
pub mod operations;
mod tokens;

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::Error;
pub use crate::header::Header;
use crate::ir::{Api, GroupKind, HostValue, Server, TypeDef};
pub use tokens::ModelsPath;
pub(crate) use tokens::{ident, param_type, type_tokens, type_tokens_in, unraw, ParamType};

/// Where an API's root module sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Root {
    /// `mod.rs` of a module inside a larger crate.
    Module,
    /// `lib.rs` of a standalone crate: also makes the runtime `crate::runtime`.
    CrateRoot(RuntimeItem),
}

/// The library name of the runtime package (`iot-rest-runtime`).
pub const RUNTIME_LIB: &str = "iot_rest_runtime";

/// The crate-root item through which generated code names the runtime `crate::runtime`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuntimeItem {
    /// `pub mod runtime;`: the runtime's sources are a module of the crate.
    Module,
    /// A `runtime` module over the runtime package: its items, and the crate's own `Call`
    /// (generated code adds inherent methods to `Call<Marker>`, which needs a type of this crate).
    Package,
}

impl RuntimeItem {
    /// The item as source text.
    pub fn text(self) -> String {
        match self {
            RuntimeItem::Module => "pub mod runtime;\n".to_string(),
            RuntimeItem::Package => format!(
                "/// The runtime every API module calls into (the `iot-rest-runtime` package), with this crate's own `Call`.\n\
                 pub mod runtime {{\n    pub use {RUNTIME_LIB}::*;\n    {RUNTIME_LIB}::call_type!();\n}}\n"
            ),
        }
    }

    pub(crate) fn tokens(self) -> TokenStream {
        match self {
            RuntimeItem::Module => quote!(pub mod runtime;),
            RuntimeItem::Package => {
                let lib = ident(RUNTIME_LIB);
                let doc = " The runtime every API module calls into (the `iot-rest-runtime` package), with this crate's own `Call`.";
                quote! {
                    #[doc = #doc]
                    pub mod runtime {
                        pub use #lib::*;
                        #lib::call_type!();
                    }
                }
            }
        }
    }
}

/// Emits every file of one API: the root (`mod.rs` or `lib.rs`), `models.rs` and one file per group.
/// Paths are relative to the API's directory. Models and groups are printed on every core.
pub fn api_files(api: &Api, header: &Header, root: Root) -> Result<Vec<(String, String)>, Error> {
    let mut files = Vec::new();
    let root_name = match root {
        Root::Module => "mod.rs",
        Root::CrateRoot(_) => "lib.rs",
    };
    files.push((root_name.to_string(), render(client(api, root), header, api)?));
    let models: Vec<&TypeDef> = api.types.values().collect();
    let mut text = render(models::intro(api), header, api)?;
    for item in parallel_map(&models, |def| models::model(def, api)) {
        text.push_str(&item?);
    }
    files.push(("models.rs".to_string(), text));
    let groups = parallel_map(&api.groups, |group| {
        let tokens = match &group.kind {
            GroupKind::Root => {
                let (_, markers) = operations::root_operations(api, group);
                quote! {
                    //! Marker types of the operations that belong to no group.
                    #(#markers)*
                }
            }
            GroupKind::Named { wire, struct_name } => operations::group_module(api, group, wire, struct_name),
        };
        render(tokens, header, api)
    });
    for (group, text) in api.groups.iter().zip(groups) {
        files.push((format!("{}.rs", unraw(&group.module)), text?));
    }
    Ok(files)
}

/// Parses and pretty-prints tokens, with the header comment on top.
pub fn render(tokens: TokenStream, header: &Header, api: &Api) -> Result<String, Error> {
    Ok(format!("{}\n{}", header.comment(), unparse(tokens, api)?))
}

/// Pretty-prints the items (and inner attributes) in `tokens`. Items print the same alone as in a
/// file with others, so a file can be printed a model at a time.
fn unparse(tokens: TokenStream, api: &Api) -> Result<String, Error> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        Error::new(&api.source, "", format!("internal error: emitted code does not parse: {e}"))
    })?;
    Ok(prettyplease::unparse(&file))
}

/// `f` of every item, in order, computed on as many threads as the machine has cores, each with the
/// stack deeply nested types need. Token streams cannot cross threads, so each thread builds its
/// own from the IR.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, items.len().max(1));
    let f = &f;
    let chunks: Vec<&[T]> = items.chunks(items.len().div_ceil(threads).max(1)).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks.iter().map(|chunk| crate::spawn_large(scope, move || chunk.iter().map(f).collect::<Vec<R>>())).collect();
        handles.into_iter().flat_map(crate::join).collect()
    })
}

/// The endpoint expression: `https://{subdomain}.azureiotcentral.com` becomes a format string with
/// one positional argument per host parameter without a default. The template is read the way
/// lowering read it (the i-th `{…}` is the i-th host parameter), and every other brace is literal.
fn endpoint(server: &Server) -> TokenStream {
    let escape = |text: &str| text.replace('{', "{{").replace('}', "}}");
    let mut fmt = escape(&format!("{}://", server.scheme));
    let mut args = Vec::new();
    let mut rest = server.host_template.as_str();
    let mut params = server.host_params.iter();
    while let (Some(start), false) = (rest.find('{'), server.host_params.is_empty()) {
        let (Some(len), Some(hp)) = (rest[start..].find('}'), params.next()) else { break };
        fmt.push_str(&escape(&rest[..start]));
        match &hp.value {
            HostValue::Default(d) => fmt.push_str(&escape(d)),
            HostValue::Argument(n) => {
                let (wire, id) = (&hp.wire, ident(n));
                fmt.push_str("{}");
                args.push(quote!(crate::runtime::host_param(#wire, #id)?));
            }
        }
        rest = &rest[start + len + 1..];
    }
    fmt.push_str(&escape(rest));
    if args.is_empty() {
        let literal = fmt.replace("{{", "{").replace("}}", "}");
        quote!(#literal.to_owned())
    } else {
        quote!(::std::format!(#fmt, #(#args),*))
    }
}

/// The API root: module docs, submodule declarations and `Client`.
fn client(api: &Api, root: Root) -> TokenStream {
    let mut intro = format!("{} (version {}).", api.title, api.version);
    if let Some(d) = api.description.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        intro.push_str("\n\n");
        intro.push_str(d);
    }
    let intro_lines = doc::sanitize(&intro);
    let intro_attrs = intro_lines.iter().map(|l| {
        let l = if l.is_empty() { String::new() } else { format!(" {l}") };
        quote!(#![doc = #l])
    });
    let runtime = match root {
        Root::CrateRoot(item) => item.tokens(),
        Root::Module => quote!(),
    };
    let modules = api.groups.iter().map(|g| {
        let m = ident(&g.module);
        quote!(pub mod #m;)
    });
    let accessors = api.groups.iter().filter_map(|g| {
        let GroupKind::Named { wire, struct_name } = &g.kind else { return None };
        let m = ident(&g.module);
        let s = ident(struct_name);
        let d = doc::line(&format!("The `{wire}` operations."));
        Some(quote! {
            #[doc = #d]
            pub fn #m(&self) -> #m::#s<'_> {
                #m::#s { client: self }
            }
        })
    });
    let root_methods: Vec<TokenStream> = api
        .groups
        .iter()
        .filter(|g| g.kind == GroupKind::Root)
        .flat_map(|g| operations::root_operations(api, g).0)
        .collect();

    // Constructor arguments: required host parameters, then client parameters.
    let mut ctor_args = Vec::new();
    let mut ctor_names = Vec::new();
    let mut arg_docs = Vec::new();
    let mut host_parts = Vec::new();
    let mut defaults = Vec::new();
    for hp in &api.server.host_params {
        match &hp.value {
            HostValue::Default(d) => defaults.push(format!("`{}` is `{d}`", hp.wire)),
            HostValue::Argument(n) => {
                host_parts.push(n);
                arg_docs.push(format!("- `{}`: {}", unraw(n), hp.doc.as_deref().unwrap_or(&hp.wire).trim()));
                ctor_names.push(ident(n));
                let id = ident(n);
                ctor_args.push(quote!(#id: &str));
            }
        }
    }
    let mut fields = Vec::new();
    let mut field_inits = Vec::new();
    for cp in &api.client_params {
        let n = &cp.arg;
        arg_docs.push(format!("- `{}`: {}", unraw(n), cp.doc.as_deref().unwrap_or(&cp.field.wire).trim()));
        let id = ident(n);
        let field = ident(&cp.field.rust);
        ctor_names.push(id.clone());
        ctor_args.push(quote!(#id: &str));
        fields.push(quote!(#field: ::std::string::String,));
        field_inits.push(quote!(#field: #id.to_owned(),));
    }
    let endpoint = endpoint(&api.server);
    let base_path = &api.server.base_path;
    let default_scope = api.server.scope.as_ref().map(|scope| quote!(let options = options.default_scope(#scope);));
    let mut new_doc = format!(
        "Creates a client for `{}://{}{}` with default options.",
        api.server.scheme, api.server.host_template, api.server.base_path
    );
    if !defaults.is_empty() {
        new_doc.push_str(&format!(
            " Here {}; `ClientOptions::endpoint` chooses another host.",
            defaults.join(", ")
        ));
    }
    if !host_parts.is_empty() {
        new_doc.push_str(" Host parameters must be DNS labels (letters, digits, `-`, `.`).");
    }
    if let Some(scope) = &api.server.scope {
        new_doc.push_str(&format!(
            " A token credential is asked for `{scope}` unless `ClientOptions::scope` names another scope."
        ));
    }
    if !arg_docs.is_empty() {
        new_doc.push_str("\n\n");
        new_doc.push_str(&arg_docs.join("\n"));
    }
    let new_doc = doc::attrs(Some(&new_doc));
    let title = doc::line(&format!("Client for {} (version {}).", api.title, api.version));
    let more = " Cheap to clone: clones share one connection pool and credential.";
    quote! {
        #(#intro_attrs)*
        #runtime
        pub mod models;
        #(#modules)*

        #[doc = #title]
        ///
        #[doc = #more]
        #[derive(Clone, Debug)]
        pub struct Client {
            pipeline: crate::runtime::Pipeline,
            #(#fields)*
        }

        impl Client {
            #new_doc
            pub fn new(#(#ctor_args,)* credential: impl ::std::convert::Into<crate::runtime::Credential>) -> crate::runtime::Result<Self> {
                Self::with_options(#(#ctor_names,)* credential, crate::runtime::ClientOptions::default())
            }

            /// Like [`Client::new`], with options (endpoint override, HTTP client, retries, timeouts, polling).
            pub fn with_options(
                #(#ctor_args,)*
                credential: impl ::std::convert::Into<crate::runtime::Credential>,
                options: crate::runtime::ClientOptions,
            ) -> crate::runtime::Result<Self> {
                let endpoint: ::std::string::String = #endpoint;
                #default_scope
                let pipeline = crate::runtime::Pipeline::new(crate::runtime::client_info!(), &endpoint, #base_path, credential.into(), options)?;
                ::std::result::Result::Ok(Self { pipeline, #(#field_inits)* })
            }

            #(#accessors)*
            #(#root_methods)*
        }
    }
}
