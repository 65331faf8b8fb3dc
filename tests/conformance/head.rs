//! HEAD operations on the AutoRest test server (`head.json`, `head-exceptions.json`): a declared
//! `404` is an answer (a resource that does not exist), an undeclared one an error. One test per
//! coverage key, each calling both documents' clients.

#[macro_use]
mod support;

use autorest_head::runtime::Credential;

fn head() -> autorest_head::Client {
    autorest_head::Client::with_options(Credential::none(), options!(autorest_head)).expect("client")
}

fn head_exceptions() -> autorest_head_exceptions::Client {
    let options = options!(autorest_head_exceptions);
    autorest_head_exceptions::Client::with_options(autorest_head_exceptions::runtime::Credential::none(), options).expect("client")
}

#[tokio::test]
async fn http_success200_head() {
    assert_eq!(head().http_success().head200().send().await.expect("200").status(), 200);
    head_exceptions().head_exception().head200().await.expect("200");
}

#[tokio::test]
async fn http_success204_head() {
    assert_eq!(head().http_success().head204().send().await.expect("204").status(), 204);
    head_exceptions().head_exception().head204().await.expect("204");
}

#[tokio::test]
async fn http_success404_head() {
    // head.json declares 404: the resource does not exist, which is an answer.
    assert_eq!(head().http_success().head404().send().await.expect("404 is declared").status(), 404);
    // head-exceptions.json does not: a service error with the status.
    let err = head_exceptions().head_exception().head404().await.expect_err("404 is not declared");
    assert_eq!((err.kind(), err.status()), (autorest_head_exceptions::runtime::ErrorKind::Service, Some(404)));
}
