//! The API root: module docs, submodule declarations, `Client` (constructors, group accessors, root
//! operations) and, when a host parameter has a default, `ClientBuilder`, which sets it; and the
//! endpoint expression built from the host template.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, ident, operations, unraw, Root};
use crate::ir::{Api, GroupKind, HostValue, Server};
use crate::naming;

/// How a host parameter's value is checked before it becomes part of the endpoint.
fn host_check(server: &Server, index: usize) -> TokenStream {
    if server.scheme.is_empty() {
        // The template brings its scheme from the values (`{vaultBaseUrl}`): the endpoint as a
        // whole is checked when it is parsed.
        quote!(host_url_part)
    } else if index + 1 == server.host_params.len() && server.host_template.ends_with('}') {
        // The last part of the host may carry a port (`{accountName}{host}` with `host:3000`).
        quote!(host_param_port)
    } else {
        quote!(host_param)
    }
}

/// The endpoint expression: `https://{subdomain}.{baseDomain}` becomes a format string with one
/// argument per host parameter, each a local variable of its Rust name, checked. The template is
/// read the way lowering read it (the i-th `{…}` is the i-th host parameter), and every other
/// brace is literal. The variables are `String`s when `owned` (the builder's), else `&str`s.
fn endpoint(server: &Server, owned: bool) -> TokenStream {
    let escape = |text: &str| text.replace('{', "{{").replace('}', "}}");
    let mut fmt = if server.scheme.is_empty() { String::new() } else { escape(&format!("{}://", server.scheme)) };
    let mut args = Vec::new();
    let mut rest = server.host_template.as_str();
    let mut params = server.host_params.iter().enumerate();
    while let (Some(start), false) = (rest.find('{'), server.host_params.is_empty()) {
        let (Some(len), Some((i, hp))) = (rest[start..].find('}'), params.next()) else { break };
        fmt.push_str(&escape(&rest[..start]));
        let name = match &hp.value {
            HostValue::Default { setter, .. } => setter,
            HostValue::Argument(n) => n,
        };
        let (wire, id, check) = (&hp.wire, ident(name), host_check(server, i));
        fmt.push_str("{}");
        let value = if owned { quote!(&#id) } else { quote!(#id) };
        args.push(quote!(crate::runtime::#check(#wire, #value)?));
        rest = &rest[start + len + 1..];
    }
    fmt.push_str(&escape(rest));
    match args.as_slice() {
        [] => {
            let literal = fmt.replace("{{", "{").replace("}}", "}");
            quote!(#literal.to_owned())
        }
        // The whole endpoint is one parameter (`{Endpoint}`).
        [arg] if fmt == "{}" => quote!(::std::borrow::ToOwned::to_owned(#arg)),
        _ => quote!(::std::format!(#fmt, #(#args),*)),
    }
}

/// The API root: module docs, submodule declarations and `Client`.
pub(super) fn root(api: &Api, root: Root) -> TokenStream {
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
    let param_groups = (!api.param_groups.is_empty()).then(|| {
        let m = ident(naming::PARAM_GROUPS_MODULE);
        quote!(pub mod #m;)
    });
    let accessors = api.groups.iter().filter_map(|g| {
        let GroupKind::Named { wire, struct_name } = &g.kind else { return None };
        let m = ident(&g.module);
        let s = ident(struct_name);
        let d = doc::line(&format!("The `{wire}` operations."));
        Some(quote! {
            #[doc = #d]
            #[inline]
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
    let parts = Parts::new(api);
    let constructors = if parts.builder_methods.is_empty() { parts.constructors(api) } else { parts.builder(api) };
    let title = doc::line(&format!("Client for {} (version {}).", api.title, api.version));
    let more = " Cheap to clone: clones share one connection pool and credential.";
    let fields = &parts.fields;
    // A document without operations makes a client that only holds its settings.
    let unused = api.groups.is_empty().then(|| quote!(#[allow(dead_code)]));
    let (impl_items, builder) = constructors;
    quote! {
        #(#intro_attrs)*
        #runtime
        pub mod models;
        #param_groups
        #(#modules)*

        #[doc = #title]
        ///
        #[doc = #more]
        #[derive(Clone, Debug)]
        pub struct Client {
            #unused
            pipeline: crate::runtime::Pipeline,
            #(#fields)*
        }

        impl Client {
            #impl_items
            #(#accessors)*
            #(#root_methods)*
        }

        #builder
    }
}

/// The pieces of `Client`'s constructors: their arguments, the client's fields, and the builder's
/// methods for host parameters with a default.
struct Parts {
    /// `name: &str` for each required host parameter, then each client parameter.
    args: Vec<TokenStream>,
    names: Vec<proc_macro2::Ident>,
    arg_docs: Vec<String>,
    /// Client fields (client parameters) and how the constructor fills them.
    fields: Vec<TokenStream>,
    field_inits: Vec<TokenStream>,
    /// (method, wire name, default, doc) per host parameter with a default.
    builder_methods: Vec<(String, String, String, Option<String>)>,
}

impl Parts {
    fn new(api: &Api) -> Self {
        let mut parts = Parts {
            args: Vec::new(),
            names: Vec::new(),
            arg_docs: Vec::new(),
            fields: Vec::new(),
            field_inits: Vec::new(),
            builder_methods: Vec::new(),
        };
        for hp in &api.server.host_params {
            match &hp.value {
                HostValue::Default { value, setter } => {
                    parts.builder_methods.push((setter.clone(), hp.wire.clone(), value.clone(), hp.doc.clone()))
                }
                HostValue::Argument(n) => parts.arg(n, hp.doc.as_deref().unwrap_or(&hp.wire)),
            }
        }
        for cp in &api.client_params {
            parts.arg(&cp.arg, cp.doc.as_deref().unwrap_or(&cp.field.wire));
            let (field, id) = (ident(&cp.field.rust), ident(&cp.arg));
            parts.fields.push(quote!(#field: ::std::string::String,));
            parts.field_inits.push(quote!(#field: #id.to_owned(),));
        }
        parts
    }

    fn arg(&mut self, name: &str, doc: &str) {
        self.arg_docs.push(format!("- `{}`: {}", unraw(name), doc.trim()));
        let id = ident(name);
        self.args.push(quote!(#id: &str));
        self.names.push(id);
    }

    /// The `new` doc: where requests go, host parameters, the default scope, the arguments.
    fn new_doc(&self, api: &Api) -> String {
        let server = &api.server;
        let scheme = if server.scheme.is_empty() { String::new() } else { format!("{}://", server.scheme) };
        let mut text = format!("Creates a client for `{scheme}{}{}` with default options.", server.host_template, server.base_path);
        let defaults: Vec<String> =
            self.builder_methods.iter().map(|(method, wire, value, _)| format!("`{wire}` is `{value}` (`Client::builder(…).{}(…)` sets another)", unraw(method))).collect();
        if !defaults.is_empty() {
            text.push_str(&format!(" Here {}.", defaults.join(", ")));
        }
        if !server.host_params.is_empty() {
            text.push_str(if server.scheme.is_empty() {
                " The host parameters make a whole URL (scheme included)."
            } else {
                " Host parameters must be DNS labels (letters, digits, `-`, `.`); the last part of the host may end in `:port`."
            });
            text.push_str(" `ClientOptions::endpoint` replaces the endpoint (the host parameters are then not used).");
        }
        if let Some(scope) = &server.scope {
            text.push_str(&format!(" A token credential is asked for `{scope}` unless `ClientOptions::scope` names another scope."));
        }
        if !self.arg_docs.is_empty() {
            text.push_str("\n\n");
            text.push_str(&self.arg_docs.join("\n"));
        }
        text
    }

    /// Builds the pipeline from local variables named after the host parameters, `credential`
    /// (given as the expression `credential`) and `options`.
    fn pipeline(api: &Api, credential: TokenStream, owned: bool) -> TokenStream {
        let endpoint = endpoint(&api.server, owned);
        // An endpoint given in the options replaces the host parameters, which are not checked then.
        let endpoint = match api.server.host_params.is_empty() {
            true => endpoint,
            false => quote!(if options.has_endpoint() { ::std::string::String::new() } else { #endpoint }),
        };
        let base_path = &api.server.base_path;
        let default_scope = api.server.scope.as_ref().map(|scope| quote!(let options = options.default_scope(#scope);));
        quote! {
            let endpoint: ::std::string::String = #endpoint;
            #default_scope
            let pipeline = crate::runtime::Pipeline::new(crate::runtime::client_info!(), &endpoint, #base_path, #credential, options)?;
        }
    }

    /// `new` and `with_options`, which build the client themselves.
    fn constructors(&self, api: &Api) -> (TokenStream, TokenStream) {
        let (args, names, inits) = (&self.args, &self.names, &self.field_inits);
        let new_doc = doc::attrs(Some(&self.new_doc(api)));
        let pipeline = Self::pipeline(api, quote!(credential.into()), false);
        let items = quote! {
            #new_doc
            pub fn new(#(#args,)* credential: impl ::std::convert::Into<crate::runtime::Credential>) -> crate::runtime::Result<Self> {
                Self::with_options(#(#names,)* credential, crate::runtime::ClientOptions::default())
            }

            /// Like [`Client::new`], with options (endpoint override, HTTP client, retries, timeouts, polling).
            pub fn with_options(
                #(#args,)*
                credential: impl ::std::convert::Into<crate::runtime::Credential>,
                options: crate::runtime::ClientOptions,
            ) -> crate::runtime::Result<Self> {
                #pipeline
                ::std::result::Result::Ok(Self { pipeline, #(#inits)* })
            }
        };
        (items, quote!())
    }

    /// `new`, `with_options` and `builder` over a `ClientBuilder` that sets the host parameters
    /// with a default.
    fn builder(&self, api: &Api) -> (TokenStream, TokenStream) {
        let (args, names, inits) = (&self.args, &self.names, &self.field_inits);
        let new_doc = doc::attrs(Some(&self.new_doc(api)));
        let setters: Vec<_> = self.builder_methods.iter().map(|(m, ..)| ident(m)).collect();
        let defaults = self.builder_methods.iter().map(|(_, _, value, _)| value);
        let methods = self.builder_methods.iter().map(|(m, wire, value, d)| {
            let id = ident(m);
            let text = format!("{} (`{wire}`; default `{value}`).", d.as_deref().unwrap_or("Sets the host parameter").trim().trim_end_matches('.'));
            let docs = doc::attrs(Some(&text));
            quote! {
                #docs
                pub fn #id(mut self, #id: impl ::std::convert::Into<::std::string::String>) -> Self {
                    self.#id = #id.into();
                    self
                }
            }
        });
        let pipeline = Self::pipeline(api, quote!(credential), true);
        let items = quote! {
            #new_doc
            pub fn new(#(#args,)* credential: impl ::std::convert::Into<crate::runtime::Credential>) -> crate::runtime::Result<Self> {
                Self::builder(#(#names,)* credential).build()
            }

            /// Like [`Client::new`], with options (endpoint override, HTTP client, retries, timeouts, polling).
            pub fn with_options(
                #(#args,)*
                credential: impl ::std::convert::Into<crate::runtime::Credential>,
                options: crate::runtime::ClientOptions,
            ) -> crate::runtime::Result<Self> {
                Self::builder(#(#names,)* credential).options(options).build()
            }

            /// A [`ClientBuilder`] with the arguments of [`Client::new`], to set host parameters other than
            /// their defaults before building the client.
            pub fn builder(#(#args,)* credential: impl ::std::convert::Into<crate::runtime::Credential>) -> ClientBuilder {
                ClientBuilder {
                    #(#names: #names.to_owned(),)*
                    #(#setters: ::std::string::String::from(#defaults),)*
                    credential: credential.into(),
                    options: crate::runtime::ClientOptions::default(),
                }
            }
        };
        let builder = quote! {
            /// Builds a [`Client`]: host parameters other than their defaults, options.
            #[derive(Debug)]
            pub struct ClientBuilder {
                #(#names: ::std::string::String,)*
                #(#setters: ::std::string::String,)*
                credential: crate::runtime::Credential,
                options: crate::runtime::ClientOptions,
            }

            impl ClientBuilder {
                #(#methods)*

                /// The client's options (endpoint override, HTTP client, retries, timeouts, polling).
                pub fn options(mut self, options: crate::runtime::ClientOptions) -> Self {
                    self.options = options;
                    self
                }

                /// The client; fails when a host parameter or the endpoint is not valid.
                pub fn build(self) -> crate::runtime::Result<Client> {
                    let ClientBuilder { #(#names,)* #(#setters,)* credential, options } = self;
                    #pipeline
                    ::std::result::Result::Ok(Client { pipeline, #(#inits)* })
                }
            }
        };
        (items, builder)
    }
}
