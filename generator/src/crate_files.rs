//! The files every generated crate has besides its API modules: `Cargo.toml` and, for a crate that
//! cannot depend on the runtime package, a copy of the runtime as its module `src/runtime/`.
//!
//! Dependencies come from the runtime package's own `Cargo.toml`: a crate with the copied runtime
//! takes all of them; a crate over the package takes the package plus the two its generated code
//! names itself (`serde`, `serde_json`), at the same versions.

use crate::emit::RuntimeItem;
use crate::header::Header;
use crate::text::{is_invisible, one_line};

include!(concat!(env!("OUT_DIR"), "/runtime_files.rs"));

/// The runtime package's name.
pub const RUNTIME_PACKAGE: &str = "iot-rest-runtime";

/// How a generated crate gets its runtime.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Runtime {
    /// The runtime's sources are copied in as the module `src/runtime/`; the crate builds without
    /// the runtime package.
    Copied,
    /// A dependency on the runtime package at `path` (as written into `Cargo.toml`, relative to the
    /// crate's directory or absolute).
    Package { path: String },
}

impl Runtime {
    /// The item of the crate root that makes the runtime `crate::runtime`.
    pub fn item(&self) -> RuntimeItem {
        match self {
            Runtime::Copied => RuntimeItem::Module,
            Runtime::Package { .. } => RuntimeItem::Package,
        }
    }
}

/// The comment above the `azure-identity` feature of a generated crate.
const AZURE_IDENTITY_COMMENT: &str =
    "# Entra ID: any `azure_core::credentials::TokenCredential` (e.g. from `azure_identity`) is a credential.\n";

/// A cargo feature that turns on one API module.
#[derive(Clone, Debug)]
pub struct Feature {
    pub name: String,
    pub default: bool,
}

/// `Cargo.toml` of a generated crate. `features` are API-module features (may be empty); `header`
/// names the command and input it is generated from.
pub fn cargo_toml(header: &Header, name: &str, description: &str, features: &[Feature], runtime: &Runtime) -> String {
    let mut defaults = vec!["\"rustls\"".to_string()];
    defaults.extend(features.iter().filter(|f| f.default).map(|f| toml_string(&f.name)));
    let mut out = String::new();
    out.push_str(&header.comment().replacen("//", "#", 1));
    out.push_str("[package]\n");
    out.push_str(&format!("name = {}\n", toml_string(name)));
    out.push_str("version = \"0.1.0\"\n");
    out.push_str(&format!("description = {}\n", toml_string(&one_line(description))));
    out.push_str("edition = \"2021\"\nlicense = \"MIT\"\nrust-version = \"1.85\"\n\n");
    out.push_str("[features]\n");
    out.push_str(&format!("default = [{}]\n", defaults.join(", ")));
    out.push_str("# TLS for https endpoints (rustls with the webpki roots).\n");
    let dependencies = runtime_table("dependencies");
    match runtime {
        Runtime::Copied => {
            out.push_str(&format!("rustls = {}\n", runtime_value("features", "rustls")));
            out.push_str(AZURE_IDENTITY_COMMENT);
            out.push_str(&format!("azure-identity = {}\n", runtime_value("features", "azure-identity")));
        }
        Runtime::Package { .. } => {
            out.push_str(&format!("rustls = [\"{RUNTIME_PACKAGE}/rustls\"]\n"));
            out.push_str(AZURE_IDENTITY_COMMENT);
            out.push_str(&format!("azure-identity = [\"{RUNTIME_PACKAGE}/azure-identity\"]\n"));
        }
    }
    for f in features {
        out.push_str(&format!("{} = []\n", toml_key(&f.name)));
    }
    out.push_str("\n[dependencies]\n");
    match runtime {
        Runtime::Copied => out.push_str(&dependencies.join("\n")),
        Runtime::Package { path } => {
            let version = runtime_value("package", "version");
            out.push_str(&format!("{RUNTIME_PACKAGE} = {{ version = {version}, path = {} }}\n", toml_string(path)));
            // What generated code names itself; the rest of the HTTP stack is re-exported by the runtime.
            let own = dependencies.iter().filter(|l| l.starts_with("serde ") || l.starts_with("serde_json "));
            out.push_str(&own.cloned().collect::<Vec<_>>().join("\n"));
        }
    }
    out.push('\n');
    out
}

/// The lines (`key = value`) of table `[name]` of the runtime's `Cargo.toml`, comments left out.
fn runtime_table(name: &str) -> Vec<String> {
    let heading = format!("[{name}]");
    RUNTIME_MANIFEST
        .lines()
        .skip_while(|l| l.trim() != heading)
        .skip(1)
        .take_while(|l| !l.starts_with('['))
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// The value of `key` in table `[table]` of the runtime's `Cargo.toml`, as written there.
fn runtime_value(table: &str, key: &str) -> String {
    runtime_table(table)
        .iter()
        .find_map(|l| l.split_once('=').filter(|(k, _)| k.trim() == key).map(|(_, v)| v.trim().to_string()))
        .unwrap_or_default()
}

/// The runtime as the module `runtime` of a generated crate (paths relative to `src/`): `lib.rs`
/// becomes `runtime/mod.rs`, and paths from the runtime's crate root (`crate::…`, `$crate::…`) start
/// at the module instead. Macros the runtime exports at its root are re-exported from the module,
/// so generated code names them `crate::runtime::…!` in both forms.
pub fn runtime_module() -> Vec<(String, String)> {
    let exported: Vec<&str> = RUNTIME_FILES
        .iter()
        .flat_map(|(_, text)| text.split("#[macro_export]\nmacro_rules! ").skip(1))
        .filter_map(|rest| rest.split_once(' ').map(|(name, _)| name))
        .collect();
    RUNTIME_FILES
        .iter()
        .map(|(path, text)| {
            let mut text = module_paths(text);
            let path = if *path == "lib.rs" {
                for name in &exported {
                    text.push_str(&format!("\n#[doc(hidden)]\npub use crate::{name};\n"));
                }
                "mod.rs"
            } else {
                path
            };
            (format!("runtime/{path}"), text)
        })
        .collect()
}

/// `crate::` → `crate::runtime::` and `$crate::` → `$crate::runtime::`, except where `crate` ends a
/// longer identifier (`my_crate::`).
fn module_paths(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 1024);
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        let before = &rest[..at];
        let in_identifier = before.chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_');
        out.push_str(before);
        out.push_str("crate::");
        if !in_identifier {
            out.push_str("runtime::");
        }
        rest = &rest[at + "crate::".len()..];
    }
    out.push_str(rest);
    out
}

/// `lib.rs` of a standalone crate generated from several documents: one module per document.
pub fn multi_lib_rs(header: &Header, modules: &[String], runtime: &Runtime) -> String {
    let mut out = header.comment();
    out.push_str("\n//! Generated API clients, one module per input document.\n\n");
    out.push_str(&runtime.item().text());
    for m in modules {
        out.push_str(&format!("pub mod {m};\n"));
    }
    out
}

/// A TOML key: bare when it can be, else quoted.
fn toml_key(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        s.to_string()
    } else {
        toml_string(s)
    }
}

/// A TOML basic string: quotes and backslashes escaped, control and invisible characters written
/// as `\uXXXX` (every value and key of `Cargo.toml` goes through here).
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || is_invisible(c) => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings_escape_quotes_backslashes_controls_and_invisible_characters() {
        let cases = [
            ("plain", r#""plain""#),
            ("say \"hi\" \\ bye", r#""say \"hi\" \\ bye""#),
            ("a\nb\rc\td\u{7f}", r#""a\u000Ab\u000Dc\u0009d\u007F""#),
            ("rtl\u{202e}x", r#""rtl\u202Ex""#),
        ];
        for (input, expected) in cases {
            assert_eq!(toml_string(input), expected, "{input:?}");
        }
    }

    #[test]
    fn cargo_toml_stays_valid_whatever_the_title() {
        let header = Header { command: "gen\nrm -rf /".into(), input: "a\r\nb.json".into() };
        let toml = cargo_toml(&header, "x", "Client for \"T\"\n[evil]\r\u{202e} (version 1)", &[Feature { name: "f\"]".into(), default: true }], &Runtime::Copied);
        let lines: Vec<&str> = toml.lines().take(5).collect();
        assert_eq!(
            lines,
            [
                "# @generated by `gen rm -rf /` from a  b.json. Do not edit.",
                "[package]",
                r#"name = "x""#,
                r#"version = "0.1.0""#,
                r#"description = "Client for \"T\" [evil] \\u{202e} (version 1)""#,
            ]
        );
        assert!(toml.contains(r#"default = ["rustls", "f\"]"]"#), "{toml}");
        assert!(toml.contains("\n\"f\\\"]\" = []\n"), "{toml}");
        assert!(cargo_toml(&header, "x", "", &[Feature { name: "dps-2017".into(), default: false }], &Runtime::Copied).contains("\ndps-2017 = []\n"));
    }

    #[test]
    fn paths_from_the_runtime_root_start_at_the_module() {
        assert_eq!(module_paths("use crate::{Error, Result};"), "use crate::runtime::{Error, Result};");
        assert_eq!(module_paths("[`Error`](crate::Error)"), "[`Error`](crate::runtime::Error)");
        assert_eq!(
            module_paths("$crate::ClientInfo::new($crate::Method)"),
            "$crate::runtime::ClientInfo::new($crate::runtime::Method)"
        );
        assert_eq!(module_paths("my_crate::x, Crate::y, crate :: z"), "my_crate::x, Crate::y, crate :: z");
        assert_eq!(module_paths("(crate::a)crate::b"), "(crate::runtime::a)crate::runtime::b");
    }

    #[test]
    fn the_runtime_item_as_text_and_as_tokens_agree() {
        let render = |tokens| prettyplease::unparse(&syn::parse2(tokens).unwrap());
        for item in [RuntimeItem::Module, RuntimeItem::Package] {
            assert_eq!(render(item.text().parse().unwrap()), render(item.tokens()));
        }
    }

    #[test]
    fn the_module_copy_has_every_runtime_file_with_lib_rs_as_mod_rs() {
        let module = runtime_module();
        assert_eq!(module.len(), RUNTIME_FILES.len());
        assert!(module.iter().all(|(p, _)| p.starts_with("runtime/") && p != "runtime/lib.rs"));
        let (_, root) = module.iter().find(|(p, _)| p == "runtime/mod.rs").expect("runtime/mod.rs");
        assert!(root.contains("\n#[doc(hidden)]\npub use crate::client_info;\n"), "exported macros are re-exported");
        assert!(module.iter().all(|(_, text)| !text.contains("crate::runtime::runtime::")));
    }

    #[test]
    fn a_crate_over_the_package_depends_on_it_and_on_serde_only() {
        let header = Header { command: "test".into(), input: "a.json".into() };
        let runtime = Runtime::Package { path: "../rt".into() };
        let toml = cargo_toml(&header, "x", "X", &[], &runtime);
        let version = runtime_value("package", "version");
        assert!(
            toml.contains(&format!("\niot-rest-runtime = {{ version = {version}, path = \"../rt\" }}\n")),
            "{toml}"
        );
        assert!(toml.contains("\nrustls = [\"iot-rest-runtime/rustls\"]\n"), "{toml}");
        assert!(toml.contains("\nazure-identity = [\"iot-rest-runtime/azure-identity\"]\n"), "{toml}");
        let deps: Vec<&str> =
            toml.split("[dependencies]\n").nth(1).unwrap().lines().map(|l| l.split(' ').next().unwrap()).collect();
        assert_eq!(deps, ["iot-rest-runtime", "serde", "serde_json"]);
    }

    #[test]
    fn a_crate_with_the_copied_runtime_has_the_runtimes_dependencies() {
        let header = Header { command: "test".into(), input: "a.json".into() };
        let toml = cargo_toml(&header, "x", "X", &[], &Runtime::Copied);
        let (_, deps) = toml.split_once("[dependencies]\n").unwrap();
        assert_eq!(deps.trim_end(), runtime_table("dependencies").join("\n"));
        assert!(deps.contains("reqwest = "), "{deps}");
        assert!(toml.contains("\nrustls = [\"reqwest/rustls-tls\"]\n"), "{toml}");
        assert!(toml.contains("\nazure-identity = [\"dep:azure_core\"]\n"), "{toml}");
    }
}
