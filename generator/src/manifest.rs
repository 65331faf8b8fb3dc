//! `specs/manifest.json`: which documents make up a multi-API crate, under which module and feature.
//!
//! ```json
//! { "crate": { "name": "iot-rest", "description": "…" },
//!   "apis": [ { "spec": "dps/2017-11-15.json", "service": "dps", "version": "v2017_11_15",
//!               "feature": "dps-2017-11-15", "default": true,
//!               "scope": "https://management.azure.com/.default" } ] }
//! ```
//! `scope` (optional) is the OAuth scope a client of the API asks a token credential for by
//! default; without it, the document's server decides (see `lower::client::lower_server`).
//! [`crate_files()`] turns a manifest into every generated file of the crate (`Cargo.toml`, `src/lib.rs`,
//! one module per service and version), keyed by path relative to the crate directory.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::crate_files::{self, Feature, Runtime};
use crate::emit;
use crate::error::Error;
use crate::header::Header;
use crate::ir::Api;
use crate::{json, naming, text, Files};

/// One API version in the crate.
#[derive(Clone, Debug)]
pub struct Entry {
    /// Document path relative to the specs directory (`dps/2017-11-15.json`).
    pub spec: String,
    /// Service module (`dps`).
    pub service: String,
    /// Version module (`v2017_11_15`).
    pub version: String,
    pub feature: String,
    pub default: bool,
    /// The default token scope of the API's clients, replacing the one taken from the server.
    pub scope: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Manifest {
    pub crate_name: String,
    pub description: String,
    pub apis: Vec<Entry>,
}

/// The command named in the headers of files generated from a manifest.
pub const COMMAND: &str = "cargo xtask codegen";

impl Manifest {
    /// Reads and validates a manifest; `display` names it in errors.
    pub fn load(path: &Path, display: &str) -> Result<Manifest, Error> {
        let value = json::read(path, display).map_err(|e| e.into_error(display, ""))?;
        let string = |v: &Value, pointer: &str| -> Result<String, Error> {
            v.pointer(pointer)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| Error::new(display, pointer, "expected a string"))
        };
        let mut apis = Vec::new();
        let entries = value
            .get("apis")
            .and_then(Value::as_array)
            .ok_or_else(|| Error::new(display, "/apis", "expected an array"))?;
        for (i, _) in entries.iter().enumerate() {
            let p = format!("/apis/{i}");
            let entry = Entry {
                spec: string(&value, &format!("{p}/spec"))?,
                service: string(&value, &format!("{p}/service"))?,
                version: string(&value, &format!("{p}/version"))?,
                feature: string(&value, &format!("{p}/feature"))?,
                default: value.pointer(&format!("{p}/default")).and_then(Value::as_bool).unwrap_or(false),
                scope: match value.pointer(&format!("{p}/scope")) {
                    None => None,
                    Some(_) => Some(string(&value, &format!("{p}/scope"))?),
                },
            };
            let feature_char = |c: char| c.is_ascii_alphanumeric() || "_-+.".contains(c);
            if !entry.feature.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') || !entry.feature.chars().all(feature_char) {
                return Err(Error::new(display, format!("{p}/feature"), format!("expected a Cargo feature name, found \"{}\"", entry.feature)));
            }
            for (field, ident) in [("service", &entry.service), ("version", &entry.version)] {
                if naming::snake_name(ident) != *ident || ident.starts_with("r#") {
                    return Err(Error::new(display, format!("{p}/{field}"), format!("expected a snake_case module name, found \"{ident}\"")));
                }
            }
            if apis.iter().any(|a: &Entry| a.service == entry.service && a.version == entry.version) {
                return Err(Error::new(display, p, format!("module {}::{} is listed twice", entry.service, entry.version)));
            }
            apis.push(entry);
        }
        let crate_name = string(&value, "/crate/name")?;
        if !crate_name.starts_with(|c: char| c.is_ascii_alphabetic()) || !crate_name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(Error::new(display, "/crate/name", format!("expected a crate name, found \"{crate_name}\"")));
        }
        Ok(Manifest { crate_name, description: string(&value, "/crate/description")?, apis })
    }
}

/// Lowers every document of the manifest. `specs_dir` is the manifest's directory; `specs_display`
/// how it is named in headers (`specs`).
pub fn lower_all(manifest: &Manifest, specs_dir: &Path, specs_display: &str) -> Result<Vec<(Entry, Api)>, Error> {
    manifest
        .apis
        .iter()
        .map(|e| {
            let display = format!("{specs_display}/{}", e.spec);
            let mut api = crate::lower_file(&specs_dir.join(&e.spec), &display)?;
            if let Some(scope) = &e.scope {
                api.server.scope = Some(scope.clone());
            }
            Ok((e.clone(), api))
        })
        .collect()
}

/// Every generated file of the crate: `Cargo.toml`, `src/lib.rs`, `src/<service>/mod.rs` and the
/// API modules. The runtime package (`runtime/`, a dependency of the crate) and `README.md` are
/// hand-written and not included.
pub fn crate_files(manifest: &Manifest, apis: &[(Entry, Api)], manifest_display: &str) -> Result<Files, Error> {
    let mut files = Files::new();
    let features: Vec<Feature> =
        manifest.apis.iter().map(|e| Feature { name: e.feature.clone(), default: e.default }).collect();
    let header = Header { command: COMMAND.into(), input: manifest_display.into() };
    // The crate depends on the runtime package in its `runtime/` folder.
    let runtime = Runtime::Package { path: "runtime".into() };
    let mut toml = crate_files::cargo_toml(&header, &manifest.crate_name, &manifest.description, &features, &runtime);
    // The crate documentation's example (README.md) and the examples (`examples/`, hand-written) stream
    // items with `TryStreamExt`; the examples run on tokio.
    toml.push_str(
        "\n[dev-dependencies]\nfutures-util = { version = \"0.3\", default-features = false }\n\
         tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"time\"] }\n",
    );
    files.insert("Cargo.toml".into(), toml);

    let mut services: Vec<&str> = manifest.apis.iter().map(|e| e.service.as_str()).collect();
    services.dedup();
    let mut lib = header.comment();
    lib.push_str(&format!("\n#![doc = include_str!(\"../README.md\")]\n\n{}\n", runtime.item().text()));
    lib.push_str("pub use runtime::{ApiToken, BearerToken, ClientOptions, Credential, ETag, Error, IfMatch, IfNoneMatch, Result};\n");
    let mut seen = Vec::new();
    for service in &services {
        if seen.contains(service) {
            continue;
        }
        seen.push(*service);
        let entries: Vec<&Entry> = manifest.apis.iter().filter(|e| e.service == *service).collect();
        let features: Vec<String> = entries.iter().map(|e| format!("feature = \"{}\"", e.feature)).collect();
        let cfg = match features.as_slice() {
            [one] => one.clone(),
            many => format!("any({})", many.join(", ")),
        };
        lib.push_str(&format!("\n#[cfg({cfg})]\npub mod {service};\n"));
        let mut module = header.comment();
        module.push_str(&format!("\n//! The `{service}` API versions; each is behind its own cargo feature.\n"));
        for e in &entries {
            module.push_str(&format!(
                "\n/// Version module generated from `specs/{}` (feature `{}`).\n#[cfg(feature = \"{}\")]\npub mod {};\n",
                text::one_line(&e.spec),
                e.feature,
                e.feature,
                e.version
            ));
        }
        files.insert(format!("src/{service}/mod.rs"), module);
    }
    files.insert("src/lib.rs".into(), lib);

    for (entry, api) in apis {
        let header = Header { command: COMMAND.into(), input: api.source.clone() };
        for (path, content) in emit::api_files(api, &header, emit::Root::Module)? {
            files.insert(format!("src/{}/{}/{path}", entry.service, entry.version), content);
        }
    }
    Ok(files)
}


/// Directories below `generated/` that codegen owns completely (stale files there are removed).
pub fn owned_dirs(m: &Manifest) -> BTreeSet<String> {
    m.apis.iter().map(|e| format!("src/{}", e.service)).collect()
}

/// Everything codegen would write below `generated/` of the workspace at `root`, with one summary
/// line (plus warnings) per document.
pub fn expected_files(root: &Path) -> Result<(Manifest, Files, Vec<String>), String> {
    let manifest = Manifest::load(&root.join("specs/manifest.json"), "specs/manifest.json").map_err(|e| e.to_string())?;
    let apis = lower_all(&manifest, &root.join("specs"), "specs").map_err(|e| e.to_string())?;
    let files = crate_files(&manifest, &apis, "specs/manifest.json").map_err(|e| e.to_string())?;
    let summary = apis
        .iter()
        .map(|(entry, api)| {
            let prefix = format!("src/{}/{}/", entry.service, entry.version);
            let lines = files.iter().filter(|(p, _)| p.starts_with(&prefix)).map(|(_, c)| c.lines().count()).sum();
            crate::report(api, lines, &format!("{}::{}", entry.service, entry.version))
        })
        .collect();
    Ok((manifest, files, summary))
}

/// Files currently on disk below `generated/` that codegen owns.
pub fn existing_files(dir: &Path, owned: &BTreeSet<String>) -> Result<Files, String> {
    let mut out = Files::new();
    for top in ["Cargo.toml", "src/lib.rs"] {
        if let Ok(c) = std::fs::read_to_string(dir.join(top)) {
            out.insert(top.to_string(), c);
        }
    }
    for sub in owned {
        walk(dir, &dir.join(sub), &mut out)?;
    }
    Ok(out)
}

fn walk(base: &Path, dir: &Path, out: &mut Files) -> Result<(), String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(()) };
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            walk(base, &path, out)?;
        } else {
            let rel = path.strip_prefix(base).map_err(|e| e.to_string())?.to_string_lossy().replace('\\', "/");
            let content = std::fs::read_to_string(&path).unwrap_or_default();
            out.insert(rel, content);
        }
    }
    Ok(())
}

/// A unified diff of every file that differs, is missing, or is stale.
pub fn diff(actual: &Files, expected: &Files) -> String {
    let mut out = String::new();
    let paths: BTreeSet<&String> = actual.keys().chain(expected.keys()).collect();
    for path in paths {
        let old = actual.get(path).map(String::as_str).unwrap_or("");
        let new = expected.get(path).map(String::as_str).unwrap_or("");
        if old == new && actual.contains_key(path) == expected.contains_key(path) {
            continue;
        }
        let text = similar::TextDiff::from_lines(old, new);
        let a = if actual.contains_key(path) { format!("a/generated/{path}") } else { "/dev/null".into() };
        let b = if expected.contains_key(path) { format!("b/generated/{path}") } else { "/dev/null".into() };
        out.push_str(&text.unified_diff().context_radius(3).header(&a, &b).to_string());
    }
    out
}


#[cfg(test)]
mod tests {
    use super::*;

    fn load_error(manifest: Value) -> String {
        let path = std::env::temp_dir().join(format!("iot-rest-manifest-{}.json", std::process::id()));
        std::fs::write(&path, manifest.to_string()).expect("temp file");
        let result = Manifest::load(&path, "m.json");
        let _ = std::fs::remove_file(&path);
        result.expect_err("invalid").to_string()
    }

    #[test]
    fn feature_and_crate_names_must_be_plain() {
        let entry = |feature: &str| serde_json::json!({ "spec": "a.json", "service": "a", "version": "v1", "feature": feature });
        let manifest = |name: &str, feature: &str| serde_json::json!({ "crate": { "name": name, "description": "d" }, "apis": [entry(feature)] });
        assert_eq!(
            load_error(manifest("ok", "a\"]\nb")),
            "m.json#/apis/0/feature: expected a Cargo feature name, found \"a\"]\\u{a}b\""
        );
        assert_eq!(load_error(manifest("bad name", "a-1")), "m.json#/crate/name: expected a crate name, found \"bad name\"");
    }
}
