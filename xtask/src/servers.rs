//! The third-party servers the conformance tests run against: installed project-locally from npm at
//! pinned versions, started on 127.0.0.1 at a free port, and stopped when the [`Server`] is dropped
//! (also when a test run fails half way).
//!
//! Everything lives in `.servers/` at the workspace root (git-ignored): a `package.json` written
//! from [`PACKAGES`], `node_modules/`, and one log file per started server.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{root, run_cmd};

/// The AutoRest test server: Microsoft's conformance bed for generated Azure clients.
pub const TESTSERVER: &str = "@microsoft.azure/autorest.testserver";
/// Prism: mock server that validates requests against an OpenAPI/Swagger document.
pub const PRISM: &str = "@stoplight/prism-cli";

/// Every npm package the tests need, with its exact version.
pub const PACKAGES: &[(&str, &str)] = &[(TESTSERVER, "3.3.51"), (PRISM, "5.16.0")];

/// How long a server may take from spawn to its first answer.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// Makes servers that call `listen(port)` without a host bind 127.0.0.1 only (`node -r`).
const LOOPBACK_PRELOAD: &str = r#"// Written by `cargo xtask`: forces listen() calls that name no host onto 127.0.0.1.
"use strict";
const net = require("net");
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const first = args[0];
  if (typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first))) {
    if (typeof args[1] !== "string") args.splice(1, 0, "127.0.0.1");
  } else if (first && typeof first === "object" && first.port !== undefined && !first.host) {
    args[0] = { ...first, host: "127.0.0.1" };
  }
  return listen.apply(this, args);
};
"#;

/// The project-local npm folder.
pub fn dir() -> PathBuf {
    root().join(".servers")
}

/// The installed root of an npm package.
pub fn package_dir(name: &str) -> PathBuf {
    dir().join("node_modules").join(name)
}

/// Installs [`PACKAGES`] into `.servers/` unless exactly those versions are already there.
pub fn install() -> Result<(), String> {
    let missing: Vec<_> =
        PACKAGES.iter().filter(|(name, version)| installed_version(name).as_deref() != Some(*version)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let dir = dir();
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let deps: serde_json::Map<String, serde_json::Value> =
        PACKAGES.iter().map(|(name, version)| (name.to_string(), serde_json::Value::from(*version))).collect();
    let manifest = serde_json::json!({
        "name": "iot-rest-test-servers",
        "private": true,
        "description": "Written by `cargo xtask`: the pinned servers the conformance tests run against.",
        "dependencies": deps,
    });
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())? + "\n";
    std::fs::write(dir.join("package.json"), text).map_err(|e| format!("{}: {e}", dir.display()))?;
    // SCARF_ANALYTICS: Prism depends on `@scarf/scarf`, whose install script would report the install.
    run_cmd(
        Command::new("npm")
            .arg("install")
            .arg("--prefix")
            .arg(&dir)
            .args(["--no-audit", "--no-fund", "--loglevel=error"])
            .env("SCARF_ANALYTICS", "false"),
    )?;
    for (name, version) in PACKAGES {
        let found = installed_version(name);
        if found.as_deref() != Some(*version) {
            return Err(format!("npm installed {name} {found:?}, expected {version}"));
        }
    }
    Ok(())
}

fn installed_version(name: &str) -> Option<String> {
    let text = std::fs::read_to_string(package_dir(name).join("package.json")).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    value.get("version")?.as_str().map(str::to_owned)
}

/// A free TCP port on 127.0.0.1 (the OS picks one; it is free again once this returns).
pub fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(|e| format!("no free port: {e}"))?;
    listener.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

/// A node script run with the loopback preload, so it binds 127.0.0.1 whatever it asks for.
pub fn node_on_loopback(script: &Path) -> Result<Command, String> {
    let preload = dir().join("loopback.cjs");
    std::fs::write(&preload, LOOPBACK_PRELOAD).map_err(|e| format!("{}: {e}", preload.display()))?;
    let mut cmd = Command::new("node");
    cmd.arg("-r").arg(preload).arg(script);
    Ok(cmd)
}

/// A started server; killed (with its process group) when dropped.
pub struct Server {
    name: String,
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Server {
    /// Spawns `cmd`, logging to `.servers/<name>.log`, and waits until `GET ready_path` on
    /// 127.0.0.1:`port` answers with any HTTP status below 500.
    pub fn start(name: &str, mut cmd: Command, port: u16, ready_path: &str) -> Result<Server, String> {
        if http_status(port, ready_path).is_some() {
            return Err(format!("{name}: port {port} already answers"));
        }
        let log = dir().join(format!("{name}.log"));
        let out = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        eprintln!("$ {} (log: {})", crate::describe(&cmd), log.display());
        let child = cmd
            .current_dir(root())
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("{name}: cannot start: {e}"))?;
        let mut server = Server { name: name.to_string(), child, port, log };
        let started = Instant::now();
        loop {
            if let Some(status) = http_status(port, ready_path) {
                if status < 500 {
                    eprintln!("{name}: ready at {} after {:.1} s", server.url(), started.elapsed().as_secs_f64());
                    return Ok(server);
                }
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(format!("{name} exited ({status}) before answering; log:\n{}", server.log_tail()));
            }
            if started.elapsed() > START_TIMEOUT {
                return Err(format!("{name} did not answer within {START_TIMEOUT:?}; log:\n{}", server.log_tail()));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The port it listens on (127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The file the server logs to (`.servers/<name>.log`).
    pub fn log_path(&self) -> &Path {
        &self.log
    }

    /// The last lines the server logged.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    /// Sends a body-less request to the server and returns the status and body.
    pub fn request(&self, method: &str, path: &str) -> Result<(u16, String), String> {
        http(self.port, method, path).map_err(|e| format!("{} {method} {path}: {e}", self.name))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        eprintln!("{}: stopped", self.name);
    }
}

fn http_status(port: u16, path: &str) -> Option<u16> {
    http(port, "GET", path).ok().map(|(status, _)| status)
}

/// A minimal HTTP/1.1 exchange (no dependency needed for readiness checks and reports).
fn http(port: u16, method: &str, path: &str) -> Result<(u16, String), String> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2)).map_err(|e| e.to_string())?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).map_err(|e| e.to_string())?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: application/json\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or("response without a header end")?;
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let body = &raw[split + 4..];
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("not an HTTP response: {head:?}"))?;
    let chunked =
        head.lines().any(|l| l.to_ascii_lowercase().starts_with("transfer-encoding:") && l.contains("chunked"));
    let body = if chunked { dechunk(body) } else { body.to_vec() };
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = body.windows(2).position(|w| w == b"\r\n") {
        let size = String::from_utf8_lossy(&body[..end]);
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else { break };
        let rest = &body[end + 2..];
        if n == 0 || rest.len() < n {
            break;
        }
        out.extend_from_slice(&rest[..n]);
        body = rest[n..].strip_prefix(b"\r\n").unwrap_or(&rest[n..]);
    }
    out
}
