//! Entra ID sign-in through the Azure SDK (feature `azure-identity`): a client built from an
//! `Arc<dyn azure_core::credentials::TokenCredential>` asks it for the API's default scope, which no
//! caller writes, or for `ClientOptions::scope`, and sends its token as a bearer token.

use std::sync::{Arc, Mutex};

use iot_rest::runtime::azure_core::credentials::{AccessToken, Secret, TokenCredential, TokenRequestOptions};
use iot_rest::runtime::ErrorKind;
use iot_rest::ClientOptions;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A stand-in for `azure_identity`'s credentials: records the scopes it is asked for.
#[derive(Debug, Default)]
struct FakeCredential {
    asked: Mutex<Vec<Vec<String>>>,
    fail: bool,
}

#[async_trait::async_trait]
impl TokenCredential for FakeCredential {
    async fn get_token(
        &self,
        scopes: &[&str],
        _options: Option<TokenRequestOptions<'_>>,
    ) -> iot_rest::runtime::azure_core::Result<AccessToken> {
        self.asked.lock().unwrap().push(scopes.iter().map(|s| s.to_string()).collect());
        if self.fail {
            return Err(iot_rest::runtime::azure_core::Error::with_message(
                iot_rest::runtime::azure_core::error::ErrorKind::Credential,
                "no developer tool is signed in",
            ));
        }
        let expires_on = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
        Ok(AccessToken::new(Secret::new("entra-token"), expires_on))
    }
}

/// A server that answers every request `200` with `body` and records each `Authorization` header
/// (`None` for a request without one).
async fn server(body: &'static str) -> (String, Arc<Mutex<Vec<Option<String>>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).await.unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head).to_string();
            let authorization = head
                .lines()
                .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("authorization")))
                .map(|(_, v)| v.trim().to_string());
            record.lock().unwrap().push(authorization);
            let reply = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(reply.as_bytes()).await;
        }
    });
    (url, seen)
}

#[tokio::test]
async fn iot_central_asks_for_its_default_scope_and_sends_the_token_as_bearer() {
    use iot_rest::iot_central::v2022_07_31 as iotc;
    let (url, seen) = server(r#"{"id": "thermostat1"}"#).await;
    let fake = Arc::new(FakeCredential::default());
    let credential: Arc<dyn TokenCredential> = fake.clone();
    let client = iotc::Client::with_options("myapp", credential, ClientOptions::default().endpoint(&url)).unwrap();
    let device = client.devices().get("thermostat1").await.unwrap();
    client.devices().get("thermostat1").await.unwrap();
    assert_eq!(device.id.as_deref(), Some("thermostat1"));
    assert_eq!(*fake.asked.lock().unwrap(), [["https://apps.azureiotcentral.com/.default"]], "asked once, then cached");
    let bearer = Some("Bearer entra-token".to_string());
    assert_eq!(*seen.lock().unwrap(), [bearer.clone(), bearer]);
}

#[tokio::test]
async fn dps_asks_for_the_azure_resource_manager_scope() {
    use iot_rest::dps::v2017_11_15 as dps;
    let (url, seen) = server(r#"{"value": []}"#).await;
    let fake = Arc::new(FakeCredential::default());
    let client = dps::Client::with_options("sub-1", fake.clone(), ClientOptions::default().endpoint(&url)).unwrap();
    client.operations().list().send().await.unwrap();
    assert_eq!(*fake.asked.lock().unwrap(), [["https://management.azure.com/.default"]]);
    assert_eq!(*seen.lock().unwrap(), [Some("Bearer entra-token".to_string())]);
}

#[tokio::test]
async fn client_options_scope_replaces_the_default() {
    use iot_rest::iot_central::v2022_07_31 as iotc;
    let (url, _) = server(r#"{"id": "d"}"#).await;
    let fake = Arc::new(FakeCredential::default());
    let options = ClientOptions::default().endpoint(&url).scope("api://my-gateway/.default");
    let client = iotc::Client::with_options("myapp", fake.clone(), options).unwrap();
    client.devices().get("d").await.unwrap();
    assert_eq!(*fake.asked.lock().unwrap(), [["api://my-gateway/.default"]]);
}

#[tokio::test]
async fn a_credential_that_gives_no_token_sends_nothing() {
    use iot_rest::iot_central::v2022_07_31 as iotc;
    let (url, seen) = server("{}").await;
    let fake = Arc::new(FakeCredential { fail: true, ..Default::default() });
    let client = iotc::Client::with_options("myapp", fake, ClientOptions::default().endpoint(&url)).unwrap();
    let err = client.devices().get("d").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Credential);
    assert!(!err.was_sent());
    assert!(seen.lock().unwrap().is_empty());
}
