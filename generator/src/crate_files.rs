//! The files every generated crate has besides its API modules: `Cargo.toml` (the dependency list
//! lives here and nowhere else) and the runtime sources.

use crate::header::Header;

include!(concat!(env!("OUT_DIR"), "/runtime_files.rs"));

/// Dependencies of a generated crate. The runtime compiles against exactly these.
const DEPENDENCIES: &str = r#"[dependencies]
futures-core = { version = "0.3", default-features = false }
futures-util = { version = "0.3", default-features = false }
percent-encoding = "2"
reqwest = { version = "0.12", default-features = false, features = ["http2"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
time = { version = "0.3", default-features = false, features = ["std", "macros"] }
tokio = { version = "1", features = ["time"] }
tracing = { version = "0.1", default-features = false, features = ["std"] }
"#;

/// A cargo feature that turns on one API module.
#[derive(Clone, Debug)]
pub struct Feature {
    pub name: String,
    pub default: bool,
}

/// `Cargo.toml` of a generated crate. `features` are API-module features (may be empty); `header`
/// names the command and input it is generated from.
pub fn cargo_toml(header: &Header, name: &str, description: &str, features: &[Feature]) -> String {
    let mut defaults = vec!["\"rustls\"".to_string()];
    defaults.extend(features.iter().filter(|f| f.default).map(|f| format!("\"{}\"", f.name)));
    let mut out = String::new();
    out.push_str(&header.comment().replacen("//", "#", 1));
    out.push_str("[package]\n");
    out.push_str(&format!("name = \"{name}\"\n"));
    out.push_str("version = \"0.1.0\"\n");
    out.push_str(&format!("description = {}\n", toml_string(description)));
    out.push_str("edition = \"2021\"\nlicense = \"MIT\"\nrust-version = \"1.85\"\n\n");
    out.push_str("[features]\n");
    out.push_str(&format!("default = [{}]\n", defaults.join(", ")));
    out.push_str("# TLS for https endpoints (rustls with the webpki roots).\n");
    out.push_str("rustls = [\"reqwest/rustls-tls\"]\n");
    for f in features {
        out.push_str(&format!("{} = []\n", f.name));
    }
    out.push('\n');
    out.push_str(DEPENDENCIES);
    out
}

/// `lib.rs` of a standalone crate generated from several documents: one module per document.
pub fn multi_lib_rs(header: &Header, modules: &[String]) -> String {
    let mut out = header.comment();
    out.push_str("\n//! Generated API clients, one module per input document.\n\npub mod runtime;\n");
    for m in modules {
        out.push_str(&format!("pub mod {m};\n"));
    }
    out
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}
