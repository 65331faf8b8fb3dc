//! iot-rest-codegen: Swagger 2.0 / OpenAPI 3.0 documents in, a typed async Rust client crate out.
//!
//! The pipeline is [`load`] (read, bundle `$ref`s) → [`normalise`] (Swagger 2.0 → OpenAPI 3.0,
//! `openapiv3::OpenAPI`) → [`lower`] (into [`ir`]) → [`emit`] → `prettyplease`; [`lower_file`] runs
//! the first three. Beside the stages: [`extensions`] reads Azure's `x-ms-*` extensions, [`naming`]
//! makes every identifier, [`json`] holds JSON reading and pointers, [`header`] the generated-file
//! header. Every stage reports problems as a located [`Error`]; output is written through
//! [`write_tree`], which replaces only what this generator wrote and never leaves a half-written
//! folder behind.

pub mod crate_files;
pub mod diff;
pub mod emit;
pub mod error;
pub mod extensions;
pub mod header;
pub mod ir;
pub mod json;
pub mod load;
pub mod lower;
pub mod manifest;
pub mod naming;
pub mod normalise;
pub mod output;
pub mod text;
pub mod yaml;

pub use error::Error;
pub use ir::Summary;
pub use output::{write_tree, Replace};

use std::collections::BTreeMap;
use std::path::Path;

/// Generated files, keyed by path relative to the output root (`/`-separated).
pub type Files = BTreeMap<String, String>;

/// Loads, normalises, parses and lowers one document. `display` is how the file is named in
/// messages and generated headers (`specs/dps/2017-11-15.json`).
pub fn lower_file(path: &Path, display: &str) -> Result<ir::Api, Error> {
    let as_given = path.to_string_lossy().replace('\\', "/");
    // Errors about the document itself name it as the caller does; referenced files keep their paths.
    let rename = |mut e: Error| {
        if e.file == as_given {
            e.file = display.to_string();
        }
        e
    };
    on_large_stack(|| {
        let mut doc = load::load(path).map_err(rename)?;
        doc.file = display.to_string();
        lower::lower_document(doc)
    })
}

/// Stack for the stages that recurse once per nesting level of a document (JSON reading and
/// parsing, normalising, lowering, printing): enough for the deepest document the JSON parser
/// accepts (128 levels) even in a debug build, whatever thread the caller runs on.
const STACK_BYTES: usize = 64 << 20;

/// Starts `f` on a scoped thread with a [`STACK_BYTES`] stack; [`join`] waits for it. (Failing to
/// start a thread is running out of resources, like running out of memory: a panic.)
pub(crate) fn spawn_large<'scope, T: Send + 'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    f: impl FnOnce() -> T + Send + 'scope,
) -> std::thread::ScopedJoinHandle<'scope, T> {
    let builder = std::thread::Builder::new().name("iot-rest-codegen".into()).stack_size(STACK_BYTES);
    builder.spawn_scoped(scope, f).unwrap_or_else(|e| panic!("cannot start a thread: {e}"))
}

/// The result of a thread from [`spawn_large`]; its panic continues here.
pub(crate) fn join<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Runs `f` with a [`STACK_BYTES`] stack.
pub(crate) fn on_large_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| join(spawn_large(scope, f)))
}

/// Emits the files of one API module (paths relative to the module's directory).
pub fn api_module_files(api: &ir::Api, header: &emit::Header) -> Result<Vec<(String, String)>, Error> {
    emit::api_files(api, header, emit::Root::Module)
}

/// A generated crate and the lowered documents it came from (for summaries and warnings).
#[derive(Debug)]
pub struct Generated {
    pub files: Files,
    pub apis: Vec<ir::Api>,
}

impl Generated {
    /// Lines of generated Rust, the hand-written runtime not counted.
    pub fn api_lines(&self) -> usize {
        self.files
            .iter()
            .filter(|(p, _)| p.ends_with(".rs") && !p.starts_with("src/runtime/"))
            .map(|(_, c)| c.lines().count())
            .sum()
    }
}

/// The one-screen summary of a lowered document: counts, generated lines, then each warning with its
/// JSON pointer. `label` says where the API went (a module path or crate name).
pub fn report(api: &ir::Api, lines: usize, label: &str) -> String {
    let Summary { models, operations, paged, lro, warnings } = api.summary();
    let mut out = format!(
        "{:<40} {models:>4} models {operations:>4} operations {paged:>3} paged {lro:>3} LRO {warnings:>3} warnings {lines:>6} lines  ({label})",
        api.source
    );
    for w in &api.warnings {
        out.push_str(&format!("\n    warning: {}#{}: {}", api.source, w.pointer, w.message));
    }
    out
}

/// Generates a standalone crate (its own `Cargo.toml`; the runtime copied in or depended on, as
/// `runtime` says) from the given documents.
///
/// With one document, its API is the crate root; with several, each is a module named after its file.
pub fn generate_crate(specs: &[&Path], crate_name: &str, runtime: &crate_files::Runtime) -> Result<Generated, Error> {
    generate_crate_with_scope(specs, crate_name, runtime, None)
}

/// [`generate_crate`], with `scope` (when given) as every API's default token scope instead of the
/// one taken from its server.
pub fn generate_crate_with_scope(
    specs: &[&Path],
    crate_name: &str,
    runtime: &crate_files::Runtime,
    scope: Option<&str>,
) -> Result<Generated, Error> {
    let mut files = Files::new();
    let command = "iot-rest-codegen generate".to_string();
    let mut apis = Vec::new();
    for spec in specs {
        let display = spec.to_string_lossy().replace('\\', "/");
        let mut api = lower_file(spec, &display)?;
        if let Some(scope) = scope {
            api.server.scope = Some(scope.to_string());
        }
        apis.push((display, api));
    }
    match apis.as_slice() {
        [(display, api)] => {
            let header = emit::Header { command, input: display.clone() };
            for (path, content) in emit::api_files(api, &header, emit::Root::CrateRoot(runtime.item()))? {
                files.insert(format!("src/{path}"), content);
            }
            let description = format!("Client for {} (version {})", api.title, api.version);
            files.insert("Cargo.toml".into(), crate_files::cargo_toml(&header, crate_name, &description, &[], runtime));
        }
        _ => {
            let mut ns = naming::DocumentModules::new();
            let mut modules = Vec::new();
            for (display, api) in &apis {
                let stem = Path::new(display).file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
                let module = ns.claim(&stem);
                let header = emit::Header { command: command.clone(), input: display.clone() };
                for (path, content) in emit::api_files(api, &header, emit::Root::Module)? {
                    files.insert(format!("src/{}/{path}", naming::unraw(&module)), content);
                }
                modules.push(module);
            }
            let header = emit::Header { command, input: specs.iter().map(|s| s.to_string_lossy()).collect::<Vec<_>>().join(", ") };
            files.insert("src/lib.rs".into(), crate_files::multi_lib_rs(&header, &modules, runtime));
            files.insert("Cargo.toml".into(), crate_files::cargo_toml(&header, crate_name, "Generated API clients", &[], runtime));
        }
    }
    if *runtime == crate_files::Runtime::Copied {
        for (path, content) in crate_files::runtime_module() {
            files.insert(format!("src/{path}"), content);
        }
    }
    Ok(Generated { files, apis: apis.into_iter().map(|(_, api)| api).collect() })
}
