//! Generates `examples_dispatch.rs`: for every API in `specs/manifest.json`, a function that
//! round-trips an example body through the `iot-rest` model of the operation part it belongs to,
//! one that does the same for any model by name (for `fuzz_models.rs`), and one that calls an
//! operation with an example's parameters (`support/example_calls.rs`).

use std::path::PathBuf;

use iot_rest_codegen::manifest::{self, Manifest};
use quote::quote;

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("..");
    let specs = root.join("specs");
    println!("cargo:rerun-if-changed={}", specs.display());
    let manifest =
        Manifest::load(&specs.join("manifest.json"), "specs/manifest.json").unwrap_or_else(|e| panic!("{e}"));
    let apis = manifest::lower_all(&manifest, &specs, "specs").unwrap_or_else(|e| panic!("{e}"));
    let mut modules = Vec::new();
    let mut table = Vec::new();
    let mut model_table = Vec::new();
    for (entry, api) in &apis {
        let service = quote::format_ident!("{}", entry.service);
        let version = quote::format_ident!("{}", entry.version);
        let module = quote::format_ident!("{}_{}", entry.service, entry.version);
        let dispatch = iot_rest_codegen::emit::examples::dispatch(
            api,
            quote!(::iot_rest::#service::#version::models),
            quote!(::iot_rest::runtime),
        );
        let models = iot_rest_codegen::emit::examples::models_dispatch(
            api,
            quote!(::iot_rest::#service::#version::models),
            quote!(::iot_rest::runtime),
        );
        let paths = iot_rest_codegen::emit::example_calls::CallPaths {
            api: quote!(::iot_rest::#service::#version),
            runtime: quote!(::iot_rest::runtime),
            support: quote!(crate::example_calls),
        };
        let calls = iot_rest_codegen::emit::example_calls::dispatch(api, &paths);
        modules.push(quote! {
            pub mod #module {
                #dispatch
                #models
                #calls
            }
        });
        let spec = &entry.spec;
        table.push(quote!((#spec, #module::roundtrip as Dispatch)));
        model_table.push(quote!((#spec, #module::decode as Decode, #module::MODELS)));
    }
    let tokens = quote! {
        /// Round-trips an example part through a generated model; see `emit::examples`.
        pub type Dispatch = fn(&str, &str, ::serde_json::Value) -> ::std::option::Option<::std::result::Result<::serde_json::Value, ::serde_json::Error>>;
        #(#modules)*
        /// (document path relative to `specs/`, dispatcher), one per manifest entry.
        pub const APIS: &[(&str, Dispatch)] = &[#(#table),*];
        /// Decodes JSON as a model by name and encodes it again; see `emit::examples::models_dispatch`.
        pub type Decode = fn(&str, ::serde_json::Value) -> ::std::option::Option<::std::result::Result<::serde_json::Value, ::serde_json::Error>>;
        /// Every model of an API (Rust name) with the wire names it reads.
        pub type Models = &'static [(&'static str, &'static [&'static str])];
        /// (document path relative to `specs/`, model dispatcher, every model with its wire names).
        pub const MODEL_APIS: &[(&str, Decode, Models)] = &[#(#model_table),*];
    };
    let file: syn::File = syn::parse2(tokens).expect("dispatch parses");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("examples_dispatch.rs");
    std::fs::write(out, prettyplease::unparse(&file)).unwrap();
}
