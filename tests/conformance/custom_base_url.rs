//! Parameterized hosts of the AutoRest test server (`custom-baseUrl.json`,
//! `custom-baseUrl-more-options.json`): required host parameters are constructor arguments, those
//! with a default builder methods; a template without a scheme (`useSchemePrefix: false`) takes a
//! whole URL from its parameters. One test per coverage key.

#[macro_use]
mod support;

#[tokio::test]
async fn custom_base_uri() {
    use autorest_custom_base_url::runtime::{Credential, ErrorKind};
    use autorest_custom_base_url::Client;
    // `https://{accountName}{host}` (the document names no scheme, so https): the test server
    // speaks http, so the endpoint option replaces the whole endpoint; an account name that is no
    // host name does not stand in its way.
    let client = Client::with_options("not a host name", Credential::none(), options!(autorest_custom_base_url)).expect("client");
    client.paths().get_empty().await.expect("200 at the endpoint given in the options");
    // Without the option the host parameters are checked: the last part of the host may carry a port.
    let built = Client::builder("local", Credential::none()).host("host:3000").build();
    assert!(built.is_ok(), "localhost:3000");
    let err = Client::builder("evil.example/", Credential::none()).build().expect_err("not a host name");
    assert_eq!(err.kind(), ErrorKind::NotBuilt);
}

#[tokio::test]
async fn custom_base_uri_more_options() {
    use autorest_custom_base_url_more::runtime::Credential;
    use autorest_custom_base_url_more::Client;
    // `{vault}{secret}{dnsSuffix}`: the parameters make the whole URL, scheme included.
    let url = support::server_url();
    let (scheme_and_host, port) = url.rsplit_once(':').expect("http://127.0.0.1:port");
    let (vault, secret) = scheme_and_host.split_at(scheme_and_host.len() - 2);
    let client = Client::builder(vault, secret, "test12", Credential::none())
        .dns_suffix(format!(":{port}"))
        .options(local_options!(autorest_custom_base_url_more))
        .build()
        .expect("client");
    client.paths().get_empty("key1").key_version("v1").await.expect("200 at the URL the parameters make");
}
