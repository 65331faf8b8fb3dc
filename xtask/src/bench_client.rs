//! `cargo xtask bench client [ROUNDS]`: requests per second of the generated IoT Central client
//! against raw `reqwest` + `#[derive(Deserialize)]`, for the same loopback GET and decode of one
//! device, sequential and 16 concurrent (release build). The program is `xtask/bench/client.rs`,
//! built in a scratch project under `target/bench/client/` with the workspace's lock file.

use crate::{cargo, root, run_cmd};

/// Requests per client, mode and round.
const REQUESTS: usize = 4000;

pub fn run(args: &[String]) -> Result<(), String> {
    let rounds: usize = match args.first() {
        Some(r) => r.parse().map_err(|_| format!("ROUNDS must be a number, not `{r}`"))?,
        None => 15,
    };
    let root = root();
    let dir = root.join("target/bench/client");
    let path = |p: &std::path::Path| p.to_string_lossy().replace('\\', "/");
    let manifest = format!(
        "# Written by `cargo xtask bench client`.\n[package]\nname = \"bench-client\"\nversion = \"0.0.0\"\n\
         edition = \"2021\"\npublish = false\n\n[[bin]]\nname = \"bench-client\"\npath = \"{}\"\n\n[dependencies]\n\
         iot-rest = {{ path = \"{}\", default-features = false, features = [\"iot-central-2022-07-31\"] }}\n\
         reqwest = {{ version = \"0.12\", default-features = false, features = [\"http2\"] }}\n\
         serde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\
         tokio = {{ version = \"1\", features = [\"rt-multi-thread\", \"net\", \"io-util\", \"time\"] }}\n\n\
         # Symbols for profilers.\n[profile.release]\ndebug = \"line-tables-only\"\n\n[workspace]\n",
        path(&root.join("xtask/bench/client.rs")),
        path(&root.join("generated")),
    );
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| format!("{}: {e}", dir.display()))?;
    if !dir.join("Cargo.lock").exists() {
        std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    }
    let manifest = path(&dir.join("Cargo.toml"));
    let target = root.join("target");
    run_cmd(
        cargo().args(["build", "--release", "--quiet", "--manifest-path", &manifest]).env("CARGO_TARGET_DIR", &target),
    )?;
    run_cmd(
        std::process::Command::new(target.join("release/bench-client"))
            .args([rounds.to_string(), REQUESTS.to_string()]),
    )
}
