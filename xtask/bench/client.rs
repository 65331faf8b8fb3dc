//! The program `cargo xtask bench client` builds (release) and runs: requests per second of the
//! generated IoT Central client (`devices().get(id)`) against raw `reqwest` plus a
//! `#[derive(Deserialize)]` struct with the same fields, for the same GET of one device (same URL,
//! made per call, and the same headers) from one
//! keep-alive HTTP/1.1 server on 127.0.0.1 in this process; sequential and 16 concurrent, the two
//! clients measured back to back in every round (in turns first); prints the medians of the
//! rounds and the median of the rounds' ratios (each pair's ratio cancels the machine's drift).
//!
//! Usage: `bench-client ROUNDS REQUESTS` (requests per client, mode and round). For profiling one
//! side alone: `bench-client profile generated|raw REQUESTS [CONCURRENCY]` sends that many requests,
//! one at a time unless CONCURRENCY says otherwise.

use std::sync::Arc;
use std::time::Instant;

use iot_rest::iot_central::v2022_07_31 as iotc;
use iot_rest::runtime::{ApiToken, ClientOptions};
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const TOKEN: &str = "SharedAccessSignature sr=app&sig=bench&skn=operator&se=1700000000000";
const DEVICE: &str = r#"{"id":"thermostat1","etag":"eyJoZWFkZXIiOiJcIjI0MDAwYTgwLTAwMDAtMDMwMC0wMDAwLTVlYTliZWJhMDAwMFwiIn0","displayName":"Checkout thermostat","template":"dtmi:contoso:Thermostat;1","enabled":true,"provisioned":true,"simulated":false,"organizations":["contoso"]}"#;
const CONCURRENCY: usize = 16;
/// What the generated client sends as `User-Agent`.
const USER_AGENT: &str = "iot-rest/0.1.0 iot-rest-runtime/0.1.0";

/// The generated `Device`'s fields, derived.
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Device {
    id: Option<String>,
    etag: Option<String>,
    display_name: Option<String>,
    template: Option<String>,
    enabled: Option<bool>,
    provisioned: Option<bool>,
    simulated: Option<bool>,
    organizations: Option<Vec<String>>,
}

/// Answers every request on a connection with the device, keeping the connection open.
async fn serve(mut stream: TcpStream) {
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json; charset=utf-8\r\nx-ms-request-id: 0f8fad5b-d9cb-469f-a165-70867728950e\r\ncontent-length: {}\r\n\r\n{DEVICE}",
        DEVICE.len()
    );
    let _ = stream.set_nodelay(true);
    let mut buffer = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        while let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            buffer.drain(..end + 4);
            if stream.write_all(response.as_bytes()).await.is_err() {
                return;
            }
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
}

#[derive(Clone)]
enum Subject {
    Generated(Arc<iotc::Client>),
    Raw(reqwest::Client, Arc<str>),
}

impl Subject {
    async fn get(&self) {
        match self {
            Subject::Generated(client) => {
                let device = client.devices().get("thermostat1").await.expect("the generated client's GET");
                assert!(device.id.is_some());
            }
            Subject::Raw(client, base) => {
                // The request the generated client sends: the URL made for the device named, and
                // the same headers (the request id's value fixed: making one is the client's work).
                let url = format!("{base}/api/devices/{}?api-version=2022-07-31", "thermostat1");
                let response = client
                    .get(url)
                    .header("authorization", TOKEN)
                    .header("user-agent", USER_AGENT)
                    .header("x-ms-client-request-id", "0f8fad5b-d9cb-469f-a165-70867728950e")
                    .send()
                    .await
                    .expect("reqwest's GET");
                assert_eq!(response.status(), 200);
                let bytes = response.bytes().await.expect("the body");
                let device: Device = serde_json::from_slice(&bytes).expect("a device");
                assert!(device.id.is_some());
            }
        }
    }

    /// Requests per second of `requests` GETs, `concurrency` at a time.
    async fn rate(&self, requests: usize, concurrency: usize) -> f64 {
        let started = Instant::now();
        let tasks: Vec<_> = (0..concurrency)
            .map(|_| {
                let subject = self.clone();
                tokio::spawn(async move {
                    for _ in 0..requests / concurrency {
                        subject.get().await;
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("a bench task");
        }
        (requests / concurrency * concurrency) as f64 / started.elapsed().as_secs_f64()
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let profile = if args.first().map(String::as_str) == Some("profile") {
        args.remove(0);
        Some(args.remove(0))
    } else {
        None
    };
    let args: Vec<usize> = args.iter().map(|a| a.parse().expect("a number")).collect();
    let (rounds, requests) = (args.first().copied().unwrap_or(15), args.get(1).copied().unwrap_or(4000));
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream));
            }
        });
        let options = ClientOptions::default().endpoint(base.clone());
        let generated =
            Subject::Generated(Arc::new(iotc::Client::with_options("app", ApiToken::new(TOKEN), options).unwrap()));
        let raw = Subject::Raw(reqwest::Client::new(), base.as_str().into());
        if let Some(side) = profile {
            let subject = if side == "raw" { &raw } else { &generated };
            // Here the second number, if any, is the concurrency (default 1).
            let concurrency = args.get(1).copied().unwrap_or(1).max(1);
            println!("{side}: {:.0} req/s", subject.rate(rounds, concurrency).await);
            return;
        }
        for subject in [&generated, &raw] {
            subject.rate(requests / 4, CONCURRENCY).await;
        }
        println!(
            "GET + decode of one IoT Central device, 127.0.0.1, {requests} requests per measurement, {rounds} rounds:"
        );
        for (mode, concurrency) in [("sequential", 1), ("16 concurrent", CONCURRENCY)] {
            let (mut ours, mut theirs, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
            for round in 0..rounds {
                // Each round measures both back to back, in turns first: the machine's speed
                // drifts between rounds, and the pair's ratio cancels it.
                let (a, b) = if round % 2 == 0 {
                    let a = generated.rate(requests, concurrency).await;
                    (a, raw.rate(requests, concurrency).await)
                } else {
                    let b = raw.rate(requests, concurrency).await;
                    (generated.rate(requests, concurrency).await, b)
                };
                ours.push(a);
                theirs.push(b);
                ratios.push(a / b);
            }
            let (a, b, ratio) = (median(ours), median(theirs), median(ratios));
            println!("  {mode:>13}: generated {a:>8.0} req/s, raw reqwest + serde {b:>8.0} req/s, ratio {ratio:.3}");
        }
    });
}
