//! Schemaless and non-string values on the AutoRest test server: `type: object` without
//! properties (`object-type.json`) and schemaless bodies (`any-type.json`) as JSON values, and
//! integer and float enums (`non-string-enum.json`) as their numbers. One test per coverage key.

#[macro_use]
mod support;

mod object_type {
    use autorest_object_type::runtime::{Credential, ErrorKind};
    use autorest_object_type::Client;
    use serde_json::json;

    fn client() -> Client {
        Client::with_options(Credential::none(), options!(autorest_object_type)).expect("client")
    }

    #[tokio::test]
    async fn object_type_response() {
        let object = client().get().await.expect("an object");
        assert_eq!(object, json!({ "message": "An object was successfully returned" }));
    }

    #[tokio::test]
    async fn object_type_put() {
        client().put(&json!({ "foo": "bar" })).await.expect("the object as sent");
    }

    #[tokio::test]
    async fn object_type_error_response() {
        let err = client().put(&json!({ "should": "fail" })).await.expect_err("400");
        assert_eq!((err.kind(), err.status()), (ErrorKind::Service, Some(400)));
        assert!(err.to_string().contains("The object you passed was incorrect"), "{err}");
    }
}

mod any_type {
    use autorest_any_type::runtime::Credential;
    use autorest_any_type::Client;
    use serde_json::json;

    fn client() -> Client {
        Client::with_options(Credential::none(), options!(autorest_any_type)).expect("client")
    }

    #[tokio::test]
    async fn string_as_anything() {
        let c = client();
        assert_eq!(c.get_string().await.expect("a string"), json!("anything"));
        c.put_string(&json!("anything")).await.expect("a string sent");
    }

    #[tokio::test]
    async fn object_as_anything() {
        let c = client();
        assert_eq!(
            c.get_object().await.expect("an object"),
            json!({ "message": "An object was successfully returned" })
        );
        c.put_object(&json!({ "foo": "bar" })).await.expect("an object sent");
    }

    #[tokio::test]
    async fn array_as_anything() {
        let c = client();
        assert_eq!(c.get_array().await.expect("an array"), json!(["foo", "bar"]));
        c.put_array(&json!(["foo", "bar"])).await.expect("an array sent");
    }
}

mod non_string_enum {
    use autorest_non_string_enum::runtime::Credential;
    use autorest_non_string_enum::Client;

    fn client() -> Client {
        Client::with_options(Credential::none(), options!(autorest_non_string_enum)).expect("client")
    }

    #[tokio::test]
    async fn non_string_enums_int() {
        let c = client();
        assert_eq!(c.int().get().await.expect("an int enum value"), 429);
        let answer = c.int().put().input(&200).await.expect("200 sent");
        assert_eq!(answer, "Nice job posting an int enum");
    }

    #[tokio::test]
    async fn non_string_enums_float() {
        let c = client();
        assert_eq!(c.float().get().await.expect("a float enum value"), 429.1);
        let answer = c.float().put().input(&200.4).await.expect("200.4 sent");
        assert_eq!(answer, "Nice job posting a float enum");
    }
}
