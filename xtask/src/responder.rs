//! The local responder `cargo xtask examples` puts between the examples and the Prism mocks.
//!
//! Every request is forwarded to the Prism mock of its document (chosen by its `api-version`), so
//! Prism validates it as in `cargo xtask prism`. Prism's answers are made from the schemas alone
//! (`"nextLink": "string"`, `"provisioningState": "string"`), which a client cannot follow, and it
//! never answers 412 or 429 to a valid request; so the responder adjusts what the examples get back:
//!
//! - a page's `nextLink` points to a second page (the same request with `$skiptoken=2`), which has none;
//! - an ARM resource reports `provisioningState` `Accepted` (with `Retry-After: 1`) to the PUT that
//!   creates it and `Succeeded` afterwards, so creating one is polled once;
//! - a resource's `etag` is a version the responder counts per path (each PUT makes a new one), sent
//!   as the `ETag` header too, and a request whose `If-Match` names another version gets `412`;
//! - every second list of provisioning services in a resource group gets `429` with `Retry-After: 1`;
//! - DPS certificates' `created`, `expiry` and `updated` (`date-time-rfc1123`, a format Prism does not
//!   know, so it answers `"string"`) get a date.
//!
//! Connections are closed after each answer; the responder stops when dropped.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

/// A running responder.
pub struct Responder {
    port: u16,
    stop: Arc<AtomicBool>,
}

/// What the responder remembers between requests, by resource path.
#[derive(Default)]
struct State {
    etags: HashMap<String, u32>,
    created: Vec<String>,
    lists: HashMap<String, u32>,
}

/// One HTTP request or response: start line, headers, body.
struct Message {
    start: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Message {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

impl Responder {
    /// Listens on a free port of 127.0.0.1; `mocks` maps an `api-version` to its Prism mock's port.
    pub fn start(mocks: HashMap<String, u16>) -> Result<Responder, String> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(|e| format!("responder: {e}"))?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        listener.set_nonblocking(true).map_err(|e| e.to_string())?;
        let stop = Arc::new(AtomicBool::new(false));
        let (stopped, mocks) = (stop.clone(), Arc::new(mocks));
        let state = Arc::new(Mutex::new(State::default()));
        std::thread::spawn(move || {
            while !stopped.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let (mocks, state) = (mocks.clone(), state.clone());
                        std::thread::spawn(move || {
                            if let Err(e) = serve(stream, &mocks, &state) {
                                eprintln!("responder: {e}");
                            }
                        });
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        Ok(Responder { port, stop })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Responder {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn serve(mut stream: TcpStream, mocks: &HashMap<String, u16>, state: &Mutex<State>) -> Result<(), String> {
    stream.set_nonblocking(false).map_err(|e| e.to_string())?;
    let request = read_message(&mut stream)?;
    let mut parts = request.start.split_whitespace();
    let (method, target) = (parts.next().unwrap_or_default().to_string(), parts.next().unwrap_or_default().to_string());
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let version = query.split('&').find_map(|p| p.strip_prefix("api-version=")).unwrap_or_default();
    let port = *mocks.get(version).ok_or_else(|| format!("{method} {target}: no mock for api-version {version:?}"))?;
    let mut answer = forward(port, &request)?;
    adjust(&method, &target, path, &request, &mut answer, &mut state.lock().unwrap_or_else(|p| p.into_inner()));
    write_message(&mut stream, &answer)
}

/// Applies the rules of the module documentation to Prism's `answer`.
fn adjust(method: &str, target: &str, path: &str, request: &Message, answer: &mut Message, state: &mut State) {
    if method == "GET" && path.ends_with("/providers/Microsoft.Devices/provisioningServices") {
        let count = state.lists.entry(path.to_string()).or_default();
        *count += 1;
        if *count % 2 == 1 {
            let body = json!({"code": "TooManyRequests", "httpStatusCode": "429", "message": "Slow down."});
            *answer = error(429, body, &[("Retry-After", "1")]);
            return;
        }
    }
    let current = state.etags.get(path).map(|v| format!("\"v{v}\""));
    if let (Some(condition), Some(current)) = (request.header("If-Match"), &current) {
        if condition != "*" && condition != current {
            let message = format!("If-Match {condition} does not match the current version {current}.");
            *answer =
                error(412, json!({"code": "PreconditionFailed", "httpStatusCode": "412", "message": message}), &[]);
            return;
        }
    }
    let Ok(mut body) = serde_json::from_slice::<Value>(&answer.body) else { return };
    if let Some(object) = body.as_object_mut() {
        if object.contains_key("nextLink") {
            match target.contains("$skiptoken=") {
                true => drop(object.remove("nextLink")),
                false => drop(object.insert("nextLink".into(), format!("{target}&$skiptoken=2").into())),
            }
        }
        if object.contains_key("etag") && status(answer) < 300 {
            let version = state.etags.entry(path.to_string()).or_insert(0);
            if method == "PUT" || *version == 0 {
                *version += 1;
            }
            let etag = format!("\"v{version}\"");
            object.insert("etag".into(), etag.clone().into());
            answer.headers.retain(|(k, _)| !k.eq_ignore_ascii_case("etag"));
            answer.headers.push(("ETag".into(), etag));
        }
        if method == "DELETE" {
            state.etags.remove(path);
        }
    }
    for date in ["created", "expiry", "updated"] {
        if let Some(value) = body.pointer_mut(&format!("/properties/{date}")).filter(|v| *v == "string") {
            *value = Value::from("Mon, 01 Jan 2024 00:00:00 GMT");
        }
    }
    if let Some(provisioning) = body.pointer_mut("/properties/provisioningState") {
        let created = state.created.iter().any(|p| p == path);
        *provisioning = Value::from(if method == "PUT" && !created { "Accepted" } else { "Succeeded" });
        if method == "PUT" && !created {
            state.created.push(path.to_string());
            answer.headers.push(("Retry-After".into(), "1".into()));
        }
    }
    answer.body = serde_json::to_vec(&body).unwrap_or_default();
}

fn status(message: &Message) -> u16 {
    message.start.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

fn error(status: u16, body: Value, headers: &[(&str, &str)]) -> Message {
    let reason = if status == 429 { "Too Many Requests" } else { "Precondition Failed" };
    let mut all = vec![("Content-Type".to_string(), "application/json".to_string())];
    all.extend(headers.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Message { start: format!("HTTP/1.1 {status} {reason}"), headers: all, body: body.to_string().into_bytes() }
}

/// Sends `request` to the Prism mock on `port` and reads its whole answer.
fn forward(port: u16, request: &Message) -> Result<Message, String> {
    let mut prism = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).map_err(|e| format!("Prism on {port}: {e}"))?;
    prism.set_read_timeout(Some(Duration::from_secs(30))).map_err(|e| e.to_string())?;
    let mut headers: Vec<(String, String)> = request
        .headers
        .iter()
        .filter(|(k, _)| !["host", "connection", "content-length"].contains(&k.to_ascii_lowercase().as_str()))
        .cloned()
        .collect();
    headers.push(("Host".into(), format!("127.0.0.1:{port}")));
    write_message(&mut prism, &Message { start: request.start.clone(), headers, body: request.body.clone() })?;
    read_message(&mut prism)
}

/// Reads a start line, headers and a `Content-Length` (or, for answers, chunked or closing) body.
fn read_message(stream: &mut TcpStream) -> Result<Message, String> {
    let mut reader = BufReader::new(stream.try_clone().map_err(|e| e.to_string())?);
    let mut start = String::new();
    reader.read_line(&mut start).map_err(|e| e.to_string())?;
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).map_err(|e| e.to_string())?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let mut message = Message { start: start.trim_end().to_string(), headers, body: Vec::new() };
    let length = message.header("Content-Length").and_then(|v| v.parse::<usize>().ok());
    let chunked = message.header("Transfer-Encoding").is_some_and(|v| v.contains("chunked"));
    if let Some(length) = length {
        message.body.resize(length, 0);
        reader.read_exact(&mut message.body).map_err(|e| e.to_string())?;
    } else if chunked {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).map_err(|e| e.to_string())?;
            let size = usize::from_str_radix(size.trim(), 16).map_err(|e| e.to_string())?;
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).map_err(|e| e.to_string())?;
            if size == 0 {
                break;
            }
            message.body.extend_from_slice(&chunk[..size]);
        }
        message.headers.retain(|(k, _)| !k.eq_ignore_ascii_case("transfer-encoding"));
    } else if message.start.starts_with("HTTP/") {
        reader.read_to_end(&mut message.body).map_err(|e| e.to_string())?;
    }
    Ok(message)
}

/// Writes a message with its `Content-Length`, asking the peer to close the connection after it.
fn write_message(stream: &mut TcpStream, message: &Message) -> Result<(), String> {
    let mut head = format!("{}\r\n", message.start);
    for (k, v) in message
        .headers
        .iter()
        .filter(|(k, _)| !["content-length", "connection", "keep-alive"].contains(&k.to_ascii_lowercase().as_str()))
    {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\nConnection: close\r\n\r\n", message.body.len()));
    stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&message.body)).map_err(|e| e.to_string())?;
    let _ = stream.flush();
    if message.start.starts_with("HTTP/") {
        let _ = stream.shutdown(Shutdown::Write);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(start: &str, headers: &[(&str, &str)], body: Value) -> Message {
        let headers = headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Message { start: start.into(), headers, body: body.to_string().into_bytes() }
    }

    fn body(m: &Message) -> Value {
        serde_json::from_slice(&m.body).unwrap()
    }

    #[test]
    fn a_page_links_to_a_second_page_which_links_nowhere() {
        let mut state = State::default();
        let target = "/api/devices?api-version=1.0";
        let request = message(&format!("GET {target} HTTP/1.1"), &[], Value::Null);
        let mut answer = message("HTTP/1.1 200 OK", &[], json!({"value": [], "nextLink": "string"}));
        adjust("GET", target, "/api/devices", &request, &mut answer, &mut state);
        assert_eq!(body(&answer)["nextLink"], "/api/devices?api-version=1.0&$skiptoken=2");
        let second = "/api/devices?api-version=1.0&$skiptoken=2";
        let mut answer = message("HTTP/1.1 200 OK", &[], json!({"value": [], "nextLink": "string"}));
        adjust("GET", second, "/api/devices", &request, &mut answer, &mut state);
        assert_eq!(body(&answer), json!({"value": []}));
    }

    #[test]
    fn etags_count_writes_and_a_stale_if_match_is_412() {
        let mut state = State::default();
        let path = "/c/1?api-version=1";
        let put = message("PUT /c/1 HTTP/1.1", &[], Value::Null);
        let answer = || message("HTTP/1.1 200 OK", &[], json!({"etag": "string"}));
        for expected in ["\"v1\"", "\"v2\""] {
            let mut a = answer();
            adjust("PUT", path, "/c/1", &put, &mut a, &mut state);
            assert_eq!((body(&a)["etag"].as_str(), a.header("ETag")), (Some(expected), Some(expected)));
        }
        let stale = message("PUT /c/1 HTTP/1.1", &[("If-Match", "\"v1\"")], Value::Null);
        let mut a = answer();
        adjust("PUT", path, "/c/1", &stale, &mut a, &mut state);
        assert_eq!(status(&a), 412);
        let fresh = message("PUT /c/1 HTTP/1.1", &[("If-Match", "\"v2\"")], Value::Null);
        let mut a = answer();
        adjust("PUT", path, "/c/1", &fresh, &mut a, &mut state);
        assert_eq!(body(&a)["etag"], "\"v3\"");
    }

    #[test]
    fn every_second_list_of_provisioning_services_is_throttled_and_creation_is_polled_once() {
        let mut state = State::default();
        let list = "/s/rg/providers/Microsoft.Devices/provisioningServices";
        let get = message("GET x HTTP/1.1", &[], Value::Null);
        let statuses: Vec<u16> = (0..4)
            .map(|_| {
                let mut a = message("HTTP/1.1 200 OK", &[], json!({"value": []}));
                adjust("GET", list, list, &get, &mut a, &mut state);
                status(&a)
            })
            .collect();
        assert_eq!(statuses, [429, 200, 429, 200]);
        let resource = "/s/rg/providers/Microsoft.Devices/provisioningServices/d";
        let states: Vec<Value> = ["PUT", "GET"]
            .iter()
            .map(|method| {
                let mut a = message("HTTP/1.1 200 OK", &[], json!({"properties": {"provisioningState": "string"}}));
                adjust(method, resource, resource, &get, &mut a, &mut state);
                body(&a)["properties"]["provisioningState"].clone()
            })
            .collect();
        assert_eq!(states, ["Accepted", "Succeeded"]);
    }
}
