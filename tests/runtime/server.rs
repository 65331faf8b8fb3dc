//! The local HTTP/1.1 servers the tests talk to, on 127.0.0.1: [`Server`] gives canned replies
//! per request and keeps every request (over plain TCP or TLS); [`RawServer`] hands each connection
//! to the test, for answers no well-behaved server gives.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    /// Path and query.
    pub target: String,
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }
}

/// A canned answer.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

pub fn reply(status: u16, body: Value) -> Reply {
    let body = if body.is_null() { String::new() } else { body.to_string() };
    Reply { status, headers: Vec::new(), body }
}

impl Reply {
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }
}

pub type Handler = dyn Fn(&str, &Seen) -> Reply + Send + Sync;

/// A local HTTP/1.1 server answering each request with `handler(base_url, request)`.
pub struct Server {
    pub base: String,
    pub seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    pub async fn start(handler: impl Fn(&str, &Seen) -> Reply + Send + Sync + 'static) -> Server {
        Server::start_on(None, handler).await
    }

    /// The same over TLS, with the certificate of [`crate::tls`], at `https://127.0.0.1:<port>`.
    pub async fn start_tls(handler: impl Fn(&str, &Seen) -> Reply + Send + Sync + 'static) -> Server {
        Server::start_on(Some(crate::tls::acceptor()), handler).await
    }

    async fn start_on(
        tls: Option<tokio_rustls::TlsAcceptor>,
        handler: impl Fn(&str, &Seen) -> Reply + Send + Sync + 'static,
    ) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let scheme = if tls.is_some() { "https" } else { "http" };
        let base = format!("{scheme}://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let (task_base, task_seen) = (base.clone(), seen.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (base, seen, handler, tls) = (task_base.clone(), task_seen.clone(), handler.clone(), tls.clone());
                tokio::spawn(async move {
                    match tls {
                        // A client that does not speak TLS (or distrusts the certificate) is dropped.
                        Some(tls) => {
                            if let Ok(stream) = tls.accept(stream).await {
                                serve(stream, &base, &seen, &*handler).await;
                            }
                        }
                        None => serve(stream, &base, &seen, &*handler).await,
                    }
                });
            }
        });
        Server { base, seen }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// Reads one request: its head and the body its `Content-Length` announces, or a chunked body.
pub async fn read_request<S: AsyncRead + Unpin>(stream: &mut S) -> Option<Seen> {
    let mut buffer = Vec::new();
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        read_more(stream, &mut buffer).await?;
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_string();
    let target = request_line.next().unwrap_or_default().to_string();
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    if headers.get("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        let body = read_chunked(stream, body).await?;
        return Some(Seen { method, target, headers, body });
    }
    while body.len() < length {
        read_more(stream, &mut body).await?;
    }
    Some(Seen { method, target, headers, body })
}

/// Reads more of the connection into `buffer`; `None` once it ended.
async fn read_more<S: AsyncRead + Unpin>(stream: &mut S, buffer: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0u8; 4096];
    match stream.read(&mut chunk).await {
        Ok(0) | Err(_) => None,
        Ok(n) => {
            buffer.extend_from_slice(&chunk[..n]);
            Some(())
        }
    }
}

/// Decodes a chunked body whose start is `buffered` (no trailers).
async fn read_chunked<S: AsyncRead + Unpin>(stream: &mut S, mut buffered: Vec<u8>) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = loop {
            if let Some(end) = buffered.windows(2).position(|w| w == b"\r\n") {
                break end;
            }
            read_more(stream, &mut buffered).await?;
        };
        let line = std::str::from_utf8(&buffered[..line_end]).ok()?;
        let size = usize::from_str_radix(line.split(';').next()?.trim(), 16).ok()?;
        buffered.drain(..line_end + 2);
        while buffered.len() < size + 2 {
            read_more(stream, &mut buffered).await?;
        }
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(&buffered[..size]);
        buffered.drain(..size + 2);
    }
}

async fn serve<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    base: &str,
    seen: &Mutex<Vec<Seen>>,
    handler: &Handler,
) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    seen.lock().unwrap().push(request.clone());
    let answer = handler(base, &request);
    let mut response =
        format!("HTTP/1.1 {} X\r\ncontent-length: {}\r\nconnection: close\r\n", answer.status, answer.body.len());
    if !answer.body.is_empty() {
        response.push_str("content-type: application/json\r\n");
    }
    for (name, value) in &answer.headers {
        response.push_str(&format!("{name}: {value}\r\n"));
    }
    response.push_str("\r\n");
    response.push_str(&answer.body);
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// A server that hands every connection to the test's `serve`, and counts connections.
pub struct RawServer {
    pub base: String,
    connections: Arc<AtomicUsize>,
}

impl RawServer {
    pub async fn start<F, Fut>(serve: F) -> RawServer
    where
        F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let connections = Arc::new(AtomicUsize::new(0));
        let counter = connections.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(serve(stream));
            }
        });
        RawServer { base, connections }
    }

    /// Connections accepted so far: one per attempt, as every response closes its connection.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// A port on 127.0.0.1 nothing listens on.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Counts calls per request target, so handlers can answer differently the n-th time.
#[derive(Default)]
pub struct Counter(Mutex<HashMap<String, usize>>);

impl Counter {
    pub fn next(&self, key: &str) -> usize {
        let mut map = self.0.lock().unwrap();
        let n = map.entry(key.to_string()).or_default();
        *n += 1;
        *n
    }
}
