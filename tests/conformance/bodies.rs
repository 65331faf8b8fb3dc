//! Bodies beyond JSON on the AutoRest test server: binary uploads and downloads
//! (`body-binary.json`, `body-file.json`), forms (`body-formdata.json`,
//! `body-formdata-urlencoded.json`) and operations with several media types (`media_types.json`).
//! One test per coverage key.

#[macro_use]
mod support;

mod binary {
    use autorest_body_binary::runtime::{Credential, ErrorKind};
    use autorest_body_binary::Client;

    fn client() -> Client {
        Client::with_options(Credential::none(), options!(autorest_body_binary)).expect("client")
    }

    #[tokio::test]
    async fn body_binary_file() {
        // `format: file` under application/json is any JSON value.
        client().upload().file(&serde_json::json!({"more": "cowbell"})).await.expect("the JSON as sent");
    }

    #[tokio::test]
    async fn body_binary_octet() {
        let bytes: Vec<u8> = (0..=255).collect();
        client().upload().binary(bytes).await.expect("the bytes as application/octet-stream");
    }

    #[tokio::test]
    async fn body_binary_error() {
        let err = client().download().error_stream().await.expect_err("400");
        assert_eq!((err.kind(), err.status()), (ErrorKind::Service, Some(400)));
        assert!(err.to_string().contains("I failed on purpose"), "{err}");
        let err = client().download().error_stream().stream().await.expect_err("400, streamed");
        assert_eq!((err.kind(), err.status()), (ErrorKind::Service, Some(400)));
    }
}

mod file {
    use autorest_body_file::runtime::{ClientOptions, Credential, ErrorKind};
    use autorest_body_file::Client;

    fn client_with(options: ClientOptions) -> Client {
        Client::with_options(Credential::none(), options).expect("client")
    }

    fn client() -> Client {
        client_with(options!(autorest_body_file))
    }

    #[tokio::test]
    async fn file_stream_nonempty() {
        let png = client().files().get_file().await.expect("a PNG");
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "the bytes as sent: {:?}", &png[..png.len().min(8)]);
    }

    #[tokio::test]
    async fn file_stream_empty() {
        let empty = client().files().get_empty_file().await.expect("200");
        assert!(empty.is_empty());
    }

    #[tokio::test]
    async fn file_stream_very_large() {
        // 3000 MiB: buffered, the download stops at the body limit instead of filling memory;
        // streamed, it is read chunk by chunk (the first 64 MiB here), never held whole.
        let client = client_with(options!(autorest_body_file).max_response_body(1 << 20));
        let err = client.files().get_file_large().await.expect_err("over the limit");
        assert_eq!(err.kind(), ErrorKind::BodyTooLarge, "{err}");
        let mut stream = client.files().get_file_large().stream().await.expect("the head").into_body();
        let (mut read, mut largest) = (0, 0);
        while read < 64 << 20 {
            let chunk = stream.next_chunk().await.expect("a chunk").expect("more body");
            (read, largest) = (read + chunk.len(), largest.max(chunk.len()));
        }
        assert!(largest <= 1 << 20, "chunks stay small: {largest}");
    }

    #[tokio::test]
    async fn a_streamed_body_is_the_body() {
        let stream = client().files().get_file().stream().await.expect("a PNG").into_body();
        let png = stream.collect(1 << 20).await.expect("the whole body");
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        let empty = client().files().get_empty_file().stream().await.expect("200").into_body();
        assert!(empty.collect(0).await.expect("no body").is_empty());
    }
}

mod formdata {
    use autorest_body_formdata::runtime::{BinaryBody, Credential};
    use autorest_body_formdata::Client;

    fn client() -> Client {
        Client::with_options(Credential::none(), options!(autorest_body_formdata)).expect("client")
    }

    #[tokio::test]
    async fn formdata_stream_upload_file() {
        // The server echoes the file part.
        let echoed = client().formdata().upload_file(b"Test file", "UploadFile.txt").await.expect("the file part");
        assert_eq!(&echoed[..], b"Test file");
    }

    #[tokio::test]
    async fn stream_upload_file() {
        // A stream, as the key says: read while it is sent (chunked), never held whole.
        let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(&b"Test "[..]), Ok(&b"file"[..])]);
        let body = BinaryBody::from_stream(chunks);
        let echoed = client().formdata().upload_file_via_body(body).await.expect("the body");
        assert_eq!(&echoed[..], b"Test file");
    }
}

mod formdata_urlencoded {
    use autorest_body_formdata_urlencoded::models::{PetFood, PetType};
    use autorest_body_formdata_urlencoded::runtime::Credential;
    use autorest_body_formdata_urlencoded::Client;

    fn client() -> Client {
        Client::with_options(Credential::none(), options!(autorest_body_formdata_urlencoded)).expect("client")
    }

    #[tokio::test]
    async fn update_pet_with_form() {
        let call = client().formdataurlencoded().update_pet_with_form(1, PetType::Dog, PetFood::Meat, 42).name("Fido");
        call.await.expect("pet_type=dog&pet_food=meat&pet_age=42&name=Fido");
    }

    #[tokio::test]
    async fn url_encoded_data_with_partial_constant_body() {
        client().formdataurlencoded().partial_constant_body("bar", "foo").await.expect("grant_type is sent");
    }
}

mod media_types {
    use autorest_media_types::models::SourcePath;
    use autorest_media_types::runtime::Credential;
    use autorest_media_types::Client;

    fn client() -> Client {
        Client::with_options(Credential::none(), options!(autorest_media_types)).expect("client")
    }

    fn source() -> SourcePath {
        SourcePath::default().with_source(String::from("some value"))
    }

    #[tokio::test]
    async fn media_type_json() {
        let answer = client().analyze_body().input(&source()).await.expect("JSON");
        assert_eq!(answer, "Nice job with JSON");
    }

    #[tokio::test]
    async fn media_type_pdf() {
        let answer = client().analyze_body_binary("PDF", "application/pdf").await.expect("PDF");
        assert_eq!(answer, "Nice job with PDF");
    }

    #[tokio::test]
    async fn media_type_with_encoding() {
        client().content_type_with_encoding().input("hello").await.expect("text/plain; charset=UTF-8");
    }

    #[tokio::test]
    async fn media_types_analyze_body_no_accept_header() {
        client().analyze_body_no_accept_header().input(&source()).await.expect("JSON");
        client().analyze_body_no_accept_header_binary("PDF", "application/pdf").await.expect("PDF");
    }

    #[tokio::test]
    async fn media_types_two_content_types() {
        let call = |body: &'static str, ct| client().binary_body_with_two_content_types(body, ct);
        call("{\"hello\":\"world\"}", "application/json").await.expect("JSON");
        call("hello, world!", "application/octet-stream").await.expect("bytes");
    }

    #[tokio::test]
    async fn media_types_three_content_types() {
        let call = |body: &'static str, ct| client().binary_body_with_three_content_types(body, ct);
        call("{\"hello\":\"world\"}", "application/json").await.expect("JSON");
        call("hello, world!", "application/octet-stream").await.expect("bytes");
        call("hello, world", "text/plain").await.expect("text");
    }

    #[tokio::test]
    async fn media_types_three_body_types() {
        let client = client();
        client.body_three_types(&serde_json::json!({"hello": "world"})).await.expect("JSON");
        client.body_three_types_binary("hello, world!").await.expect("bytes");
        client.body_three_types_text("hello, world").await.expect("text");
    }
}
