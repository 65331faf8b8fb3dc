//! TLS for loopback test servers: a self-signed certificate for `127.0.0.1` made at test time,
//! an acceptor that presents it, and the runtime's HTTP client trusting it.

use std::sync::{Arc, OnceLock};

use iot_rest::runtime::{http_client_builder, reqwest};
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;

struct TestCertificate {
    certificate: CertificateDer<'static>,
    key: PrivatePkcs8KeyDer<'static>,
}

fn certificate() -> &'static TestCertificate {
    static CERTIFICATE: OnceLock<TestCertificate> = OnceLock::new();
    CERTIFICATE.get_or_init(|| {
        let made = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).expect("a test certificate");
        TestCertificate {
            certificate: made.cert.der().clone(),
            key: PrivatePkcs8KeyDer::from(made.signing_key.serialize_der()),
        }
    })
}

/// Presents the test certificate.
pub fn acceptor() -> TlsAcceptor {
    let test = certificate();
    let config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![test.certificate.clone()], PrivateKeyDer::Pkcs8(test.key.clone_key()))
        .expect("a TLS server configuration");
    TlsAcceptor::from(Arc::new(config))
}

/// The runtime's HTTP client settings, trusting the test certificate: what an application that
/// extends `http_client_builder()` (root certificates, proxies) passes to `ClientOptions::http_client`.
pub fn trusting_client() -> reqwest::Client {
    let root = reqwest::Certificate::from_der(certificate().certificate.as_ref()).expect("a DER certificate");
    http_client_builder().add_root_certificate(root).build().expect("an HTTP client")
}
