//! Emission: IR → token streams → formatted Rust files, one concern per module.
//!
//! - [`models`]: `models.rs` (types);
//! - [`operations`]: one file per operation group;
//! - `params`: parameter groups (their file) and flattened bodies;
//! - `client`: the API root (`Client`, its builder and where requests go);
//! - `tokens`: identifiers, type paths and parameter argument types, shared by the others;
//! - this module: file assembly.
//!
//! Emitted code names everything by full path (`::std::option::Option`, `crate::runtime::Call`), so a
//! model called `Option` or `Result` cannot break it.

mod bodies;
mod by_status;
mod client;
pub mod doc;
pub mod example_calls;
pub mod examples;
pub mod models;
pub mod operations;
mod params;
mod tokens;

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::Error;
pub use crate::header::Header;
use crate::ir::{Api, GroupKind, TypeDef};
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
    files.push((root_name.to_string(), render(client::root(api, root), header, api)?));
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
    if !api.param_groups.is_empty() {
        files.push((format!("{}.rs", crate::naming::PARAM_GROUPS_MODULE), render(params::groups_module(api), header, api)?));
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

