//! How requests are formed, on the AutoRest test server: repeated query parameters
//! (`url-multi-collectionFormat.json`), required and optional parameters and bodies
//! (`required-optional.json`), constants (`constants.json`), reserved words as names
//! (`reserved-words.json`) and `x-ms-client-name` (`parameter-flattening.json`, which the server
//! has no route for: a local listener reads that request). One test per coverage key.

#[macro_use]
mod support;

mod url_multi {
    use autorest_url_multi::runtime::Credential;
    use autorest_url_multi::Client;

    fn client() -> Client {
        Client::with_options(Credential::none(), options!(autorest_url_multi)).expect("client")
    }

    #[tokio::test]
    async fn url_queries_array_multi_null() {
        client().queries().array_string_multi_null().await.expect("no arrayQuery at all");
    }

    #[tokio::test]
    async fn url_queries_array_multi_empty() {
        client().queries().array_string_multi_empty().array_query(&[]).await.expect("an empty list sends nothing");
    }

    #[tokio::test]
    async fn url_queries_array_multi_valid() {
        let values = ["ArrayQuery1", "begin!*'();:@ &=+$,/?#[]end", "", ""];
        client().queries().array_string_multi_valid().array_query(&values).await.expect("one arrayQuery per item");
    }
}

mod required_optional {
    use autorest_required_optional::runtime::Credential;
    use autorest_required_optional::Client;

    fn client() -> Client {
        let options = options!(autorest_required_optional);
        Client::with_options("path", "query", "1", Credential::none(), options).expect("client")
    }

    #[tokio::test]
    async fn optional_implicit_query() {
        client().implicit().put_optional_query().await.expect("no queryParameter");
    }

    #[tokio::test]
    async fn optional_implicit_header() {
        client().implicit().put_optional_header().await.expect("no header");
    }

    #[tokio::test]
    async fn optional_implicit_body() {
        client().implicit().put_optional_body().await.expect("no body");
    }

    #[tokio::test]
    async fn optional_global_query() {
        client().implicit().get_optional_global_query().await.expect("200");
    }

    #[tokio::test]
    async fn implicit_optional_binary_body() {
        client().implicit().put_optional_binary_body().await.expect("no body");
    }

    #[tokio::test]
    async fn explicit_optional_binary_body() {
        client().explicit().put_optional_binary_body().await.expect("no body");
    }

    #[tokio::test]
    async fn explicit_required_binary_body() {
        client().explicit().put_required_binary_body(&b"\x00\x01binary"[..]).await.expect("the bytes");
    }

    #[tokio::test]
    async fn general_optional() {
        // Every optional parameter, property and header left out is not sent.
        let client = client();
        let explicit = client.explicit();
        explicit.post_optional_integer_parameter().await.expect("integer parameter");
        explicit.post_optional_integer_property().await.expect("integer property");
        explicit.post_optional_integer_header().await.expect("integer header");
        explicit.post_optional_string_parameter().await.expect("string parameter");
        explicit.post_optional_string_property().await.expect("string property");
        explicit.post_optional_string_header().await.expect("string header");
        explicit.post_optional_class_parameter().await.expect("class parameter");
        explicit.post_optional_class_property().await.expect("class property");
        explicit.post_optional_array_parameter().await.expect("array parameter");
        explicit.post_optional_array_property().await.expect("array property");
        explicit.post_optional_array_header().await.expect("array header");
    }
}

#[tokio::test]
async fn constant_client_properties() {
    use autorest_constants::runtime::Credential;
    // Client-level constants: path-constant=path, query-constant=100, header-constant=true.
    let client = autorest_constants::Client::with_options(Credential::none(), options!(autorest_constants)).expect("client");
    client.contants().put_client_constants().await.expect("every constant sent");
}

mod reserved_words {
    use autorest_reserved_words::models::MyEnum;
    use autorest_reserved_words::runtime::Credential;
    use autorest_reserved_words::Client;

    fn client() -> Client {
        Client::with_options(Credential::none(), options!(autorest_reserved_words)).expect("client")
    }

    #[tokio::test]
    async fn reserved_words_operation_group_import() {
        client().import().operation_one("foo").await.expect("a group named import");
    }

    #[tokio::test]
    async fn reserved_words_body_named_content() {
        client().operation_with_content_param("hello, world").await.expect("the bytes as sent");
    }

    #[tokio::test]
    async fn reserved_words_body_named_json() {
        let json = serde_json::json!({ "hello": "world" });
        client().operation_with_json_param(&json).await.expect("a body named json");
    }

    #[tokio::test]
    async fn reserved_words_body_named_data() {
        client().operation_with_data_param("hello", "world").await.expect("data=hello&world=world");
    }

    #[tokio::test]
    async fn reserved_words_body_named_files() {
        client().operation_with_files_param(b"file contents", "my.txt").await.expect("a multipart body");
    }

    #[tokio::test]
    async fn reserved_words_url_header_query() {
        let call = client().operation_with_url("foo", "x-ms-header").query_parameters(&["one", "two"]);
        call.await.expect("url, headerParameters and queryParameters");
    }

    #[tokio::test]
    async fn reserved_words_header_enum() {
        client().reserved_enum(MyEnum::Import).await.expect("enumParameter: import");
    }
}

#[tokio::test]
async fn parameter_flattening_sends_the_wire_names() {
    use autorest_parameter_flattening::models::AvailabilitySetUpdateParameters;
    use autorest_parameter_flattening::runtime::Credential;
    // `availabilitySetName` is `avset` to the caller (`x-ms-client-name`), its wire name on the wire.
    let (url, request) = support::capture_one_request("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").await;
    let options = local_options!(autorest_parameter_flattening).endpoint(url);
    let client = autorest_parameter_flattening::Client::with_options(Credential::none(), options).expect("client");
    let tags = AvailabilitySetUpdateParameters::new(std::collections::BTreeMap::from([("tag1".to_string(), "value1".to_string())]));
    let avset: &str = "avset1";
    client.availability_sets().update("rg", avset, &tags).await.expect("200");
    let request = request.await.expect("the request");
    assert!(request.starts_with("PATCH /parameterFlattening/rg/avset1 HTTP/1.1\r\n"), "{request}");
    assert!(request.ends_with(r#"{"tags":{"tag1":"value1"}}"#), "{request}");
}
