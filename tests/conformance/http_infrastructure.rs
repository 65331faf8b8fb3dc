//! HTTP behaviour on the AutoRest test server (`httpInfrastructure.json`): every method with its
//! success statuses, redirects (followed by the runtime's policy; a declared `300`, and a `301`/`302`
//! answering `PUT`/`PATCH`, are the response), client and server failures as typed errors with
//! their status and error body, retried statuses, and the `multipleResponses` payload scenarios.
//! One test per coverage key.

#[macro_use]
mod support;

use autorest_http::models::{Error as ErrorModel, A, B, C, D};
use autorest_http::multiple_responses as results;
use autorest_http::runtime::{Credential, ErrorKind};
use autorest_http::Client;

fn client() -> Client {
    Client::with_options(Credential::none(), options!(autorest_http)).expect("client")
}

/// The call answers `status`, a success.
macro_rules! answers {
    ($name:ident, $group:ident . $op:ident $(. $b:ident ($($arg:expr),*))*, $status:expr) => {
        #[tokio::test]
        async fn $name() {
            let response = client().$group().$op() $(.$b($($arg),*))* .send().await;
            match response {
                Ok(r) => assert_eq!(r.status(), $status, "{}", stringify!($name)),
                Err(e) => panic!("{} failed: {e}", stringify!($name)),
            }
        }
    };
}

/// The call fails with `status`, a service error.
macro_rules! fails {
    ($name:ident, $group:ident . $op:ident $(. $b:ident ($($arg:expr),*))*, $status:expr) => {
        #[tokio::test]
        async fn $name() {
            let err = client().$group().$op() $(.$b($($arg),*))* .await.expect_err(stringify!($name));
            assert_eq!(err.status(), Some($status), "{err}");
            let kind = if $status == 412 { ErrorKind::PreconditionFailed } else { ErrorKind::Service };
            assert_eq!(err.kind(), kind, "{err}");
        }
    };
}

answers!(http_success200_head, http_success.head200, 200);
answers!(http_success200_get, http_success.get200, 200);
answers!(http_success200_put, http_success.put200.boolean_value(&true), 200);
answers!(http_success200_patch, http_success.patch200.boolean_value(&true), 200);
answers!(http_success200_post, http_success.post200.boolean_value(&true), 200);
answers!(http_success200_delete, http_success.delete200.boolean_value(&true), 200);
answers!(http_success201_put, http_success.put201.boolean_value(&true), 201);
answers!(http_success201_post, http_success.post201.boolean_value(&true), 201);
answers!(http_success202_put, http_success.put202.boolean_value(&true), 202);
answers!(http_success202_patch, http_success.patch202.boolean_value(&true), 202);
answers!(http_success202_post, http_success.post202.boolean_value(&true), 202);
answers!(http_success202_delete, http_success.delete202.boolean_value(&true), 202);
answers!(http_success204_head, http_success.head204, 204);
answers!(http_success204_put, http_success.put204.boolean_value(&true), 204);
answers!(http_success204_patch, http_success.patch204.boolean_value(&true), 204);
answers!(http_success204_post, http_success.post204.boolean_value(&true), 204);
answers!(http_success204_delete, http_success.delete204.boolean_value(&true), 204);
// `404` is declared for this HEAD: it is an answer, not an error.
answers!(http_success404_head, http_success.head404, 404);

#[tokio::test]
async fn http_success200_get_body() {
    assert!(client().http_success().get200().await.expect("200"), "the body is `true`");
}

// A declared 300 is the response; 301, 302 and 307 to GET or HEAD are followed to the 200 behind
// them, as is 303 (as GET) and 307 with its method and body.
answers!(http_redirect300_head, http_redirects.head300, 300);
answers!(http_redirect300_get, http_redirects.get300, 300);
answers!(http_redirect301_head, http_redirects.head301, 200);
answers!(http_redirect301_get, http_redirects.get301, 200);
answers!(http_redirect302_head, http_redirects.head302, 200);
answers!(http_redirect302_get, http_redirects.get302, 200);
answers!(http_redirect303_post, http_redirects.post303.boolean_value(&true), 200);
answers!(http_redirect307_head, http_redirects.head307, 200);
answers!(http_redirect307_get, http_redirects.get307, 200);
answers!(http_redirect307_options, http_redirects.options307, 200);
answers!(http_redirect307_put, http_redirects.put307.boolean_value(&true), 200);
answers!(http_redirect307_post, http_redirects.post307.boolean_value(&true), 200);
answers!(http_redirect307_patch, http_redirects.patch307.boolean_value(&true), 200);
answers!(http_redirect307_delete, http_redirects.delete307.boolean_value(&true), 200);
// A 301 or 302 answering PUT or PATCH is not followed (it would repeat the write elsewhere).
answers!(http_redirect301_put, http_redirects.put301.boolean_value(&true), 301);
answers!(http_redirect302_patch, http_redirects.patch302.boolean_value(&true), 302);

#[tokio::test]
async fn http_redirect300_get_body() {
    let links = client().http_redirects().get300().await.expect("300");
    assert_eq!(links, Some(vec!["/http/success/get/200".to_string()]));
}

fails!(http_client_failure400_head, http_client_failure.head400, 400);
fails!(http_client_failure400_get, http_client_failure.get400, 400);
fails!(http_client_failure400_options, http_client_failure.options400, 400);
fails!(http_client_failure400_put, http_client_failure.put400.boolean_value(&true), 400);
fails!(http_client_failure400_patch, http_client_failure.patch400.boolean_value(&true), 400);
fails!(http_client_failure400_post, http_client_failure.post400.boolean_value(&true), 400);
fails!(http_client_failure400_delete, http_client_failure.delete400.boolean_value(&true), 400);
fails!(http_client_failure401_head, http_client_failure.head401, 401);
fails!(http_client_failure402_get, http_client_failure.get402, 402);
fails!(http_client_failure403_options, http_client_failure.options403, 403);
fails!(http_client_failure403_get, http_client_failure.get403, 403);
fails!(http_client_failure404_put, http_client_failure.put404.boolean_value(&true), 404);
fails!(http_client_failure405_patch, http_client_failure.patch405.boolean_value(&true), 405);
fails!(http_client_failure406_post, http_client_failure.post406.boolean_value(&true), 406);
fails!(http_client_failure407_delete, http_client_failure.delete407.boolean_value(&true), 407);
fails!(http_client_failure409_put, http_client_failure.put409.boolean_value(&true), 409);
fails!(http_client_failure410_head, http_client_failure.head410, 410);
fails!(http_client_failure411_get, http_client_failure.get411, 411);
fails!(http_client_failure412_options, http_client_failure.options412, 412);
fails!(http_client_failure412_get, http_client_failure.get412, 412);
fails!(http_client_failure413_put, http_client_failure.put413.boolean_value(&true), 413);
fails!(http_client_failure414_patch, http_client_failure.patch414.boolean_value(&true), 414);
fails!(http_client_failure415_post, http_client_failure.post415.boolean_value(&true), 415);
fails!(http_client_failure416_get, http_client_failure.get416, 416);
fails!(http_client_failure417_delete, http_client_failure.delete417.boolean_value(&true), 417);
fails!(http_client_failure429_head, http_client_failure.head429, 429);
fails!(http_server_failure501_head, http_server_failure.head501, 501);
fails!(http_server_failure501_get, http_server_failure.get501, 501);
fails!(http_server_failure505_post, http_server_failure.post505.boolean_value(&true), 505);
fails!(http_server_failure505_delete, http_server_failure.delete505.boolean_value(&true), 505);

// Each answers its status once, then 200 to the retry.
answers!(http_retry408_head, http_retry.head408, 200);
answers!(http_retry500_put, http_retry.put500.boolean_value(&true), 200);
answers!(http_retry500_patch, http_retry.patch500.boolean_value(&true), 200);
answers!(http_retry502_get, http_retry.get502, 200);
answers!(http_retry503_post, http_retry.post503.boolean_value(&true), 200);
answers!(http_retry503_delete, http_retry.delete503.boolean_value(&true), 200);
answers!(http_retry504_put, http_retry.put504.boolean_value(&true), 200);
answers!(http_retry504_patch, http_retry.patch504.boolean_value(&true), 200);

#[tokio::test]
async fn http_retry502_options() {
    // Retried to a 200, which lacks the boolean body the document declares for it.
    let err = client().http_retry().options502().await.expect_err("no body");
    assert_eq!((err.kind(), err.status()), (ErrorKind::Decode, Some(200)));
}

fn a(code: &str) -> A {
    A::default().with_status_code(code.to_string())
}

/// The body of a service error, decoded as the document's error model.
fn error_message(err: &autorest_http::runtime::Error) -> Option<String> {
    err.service_error::<ErrorModel>().and_then(|e| e.message.clone())
}

#[tokio::test]
async fn responses_scenario_a() {
    let client = client();
    let ops = || client.multiple_responses();
    assert_eq!(ops().get200_model204_no_model_default_error200_valid().await.expect("200"), Some(a("200")));
    assert_eq!(ops().get200_model204_no_model_default_error204_valid().await.expect("204"), None);
    // Undeclared statuses are errors, with the body kept.
    let err = ops().get200_model204_no_model_default_error201_invalid().await.expect_err("201 is not declared");
    assert_eq!((err.status(), err.body()), (Some(201), Some(r#"{"statusCode":"201"}"#)));
    let err = ops().get200_model204_no_model_default_error202_none().await.expect_err("202 is not declared");
    assert_eq!(err.status(), Some(202));
    let err = ops().get200_model204_no_model_default_error400_valid().await.expect_err("400");
    assert_eq!((err.status(), error_message(&err).as_deref()), (Some(400), Some("client error")));
}

#[tokio::test]
async fn responses_scenario_b() {
    // 200 and 201 have different models: the result is an enum of them, decoded by status.
    let client = client();
    let ops = || client.multiple_responses();
    assert_eq!(ops().get200_model201_model_default_error200_valid().await.expect("200"), results::Get200Model201ModelDefaultError200ValidResponse::Status200(a("200")));
    let created = ops().get200_model201_model_default_error201_valid().await.expect("201");
    let b = B::default().with_status_code("201".to_string()).with_text_status_code("Created".to_string());
    assert_eq!(created, results::Get200Model201ModelDefaultError201ValidResponse::Status201(b));
    let err = ops().get200_model201_model_default_error400_valid().await.expect_err("400");
    assert_eq!((err.status(), error_message(&err).as_deref()), (Some(400), Some("client error")));
}

#[tokio::test]
async fn responses_scenario_c() {
    // A declared 404 with its own model is an answer, like 200 and 201.
    let client = client();
    let ops = || client.multiple_responses();
    assert_eq!(ops().get200_model_a201_model_c404_model_d_default_error200_valid().await.expect("200"), results::Get200ModelA201ModelC404ModelDDefaultError200ValidResponse::Status200(a("200")));
    let created = ops().get200_model_a201_model_c404_model_d_default_error201_valid().await.expect("201");
    let c = C::default().with_http_code("201".to_string());
    assert_eq!(created, results::Get200ModelA201ModelC404ModelDDefaultError201ValidResponse::Status201(c));
    let not_found = ops().get200_model_a201_model_c404_model_d_default_error404_valid().send().await.expect("404");
    let d = D::default().with_http_status_code("404".to_string());
    assert_eq!((not_found.status(), not_found.body()), (404, &results::Get200ModelA201ModelC404ModelDDefaultError404ValidResponse::Status404(d)));
    let err = ops().get200_model_a201_model_c404_model_d_default_error400_valid().await.expect_err("400");
    assert_eq!((err.status(), error_message(&err).as_deref()), (Some(400), Some("client error")));
}

#[tokio::test]
async fn responses_scenario_d() {
    let client = client();
    let ops = || client.multiple_responses();
    assert_eq!(ops().get202_none204_none_default_error202_none().send().await.expect("202").status(), 202);
    assert_eq!(ops().get202_none204_none_default_error204_none().send().await.expect("204").status(), 204);
    let err = ops().get202_none204_none_default_error400_valid().await.expect_err("400");
    assert_eq!((err.status(), error_message(&err).as_deref()), (Some(400), Some("client error")));
}

#[tokio::test]
async fn responses_scenario_e() {
    // No models at all: a body where none is declared is ignored; an error keeps its raw body.
    let client = client();
    let ops = || client.multiple_responses();
    assert_eq!(ops().get202_none204_none_default_none202_invalid().send().await.expect("202").status(), 202);
    assert_eq!(ops().get202_none204_none_default_none204_none().send().await.expect("204").status(), 204);
    let err = ops().get202_none204_none_default_none400_none().await.expect_err("400");
    assert_eq!((err.status(), err.body()), (Some(400), None));
    let err = ops().get202_none204_none_default_none400_invalid().await.expect_err("400");
    assert_eq!((err.status(), err.body()), (Some(400), Some(r#"{"property":"value"}"#)));
}

#[tokio::test]
async fn responses_scenario_f() {
    let client = client();
    let ops = || client.multiple_responses();
    assert_eq!(ops().get_default_model_a200_valid().await.expect("200"), a("200"));
    // A declared body that is absent does not decode as the model.
    assert_eq!(ops().get_default_model_a200_none().await.expect_err("no body").kind(), ErrorKind::Decode);
    let err = ops().get_default_model_a400_valid().await.expect_err("400");
    assert_eq!(err.status(), Some(400));
    let err = ops().get_default_model_a400_none().await.expect_err("400");
    assert_eq!((err.status(), err.service_error::<A>().is_some()), (Some(400), true), "the default model A");
}

#[tokio::test]
async fn responses_scenario_g() {
    let client = client();
    let ops = || client.multiple_responses();
    assert_eq!(ops().get_default_none200_invalid().send().await.expect("200").status(), 200);
    assert_eq!(ops().get_default_none200_none().send().await.expect("200").status(), 200);
    assert_eq!(ops().get_default_none400_invalid().await.expect_err("400").status(), Some(400));
    assert_eq!(ops().get_default_none400_none().await.expect_err("400").status(), Some(400));
}

#[tokio::test]
async fn responses_scenario_h() {
    let client = client();
    let ops = || client.multiple_responses();
    assert_eq!(ops().get200_model_a200_valid().await.expect("200"), a("200"));
    assert_eq!(ops().get200_model_a200_none().await.expect_err("no body").kind(), ErrorKind::Decode);
    // Unknown members are kept, not refused.
    let invalid = ops().get200_model_a200_invalid().await.expect("200");
    assert_eq!((invalid.status_code, invalid.additional_properties["statusCodeInvalid"].as_str()), (None, Some("200")));
    for err in [
        ops().get200_model_a400_none().await.expect_err("400"),
        ops().get200_model_a400_valid().await.expect_err("400"),
        ops().get200_model_a400_invalid().await.expect_err("400"),
    ] {
        assert_eq!(err.status(), Some(400));
    }
    assert_eq!(ops().get200_model_a202_valid().await.expect_err("202 is not declared").status(), Some(202));
}

#[tokio::test]
async fn responses_scenario_error_bodies() {
    let client = client();
    let failures = || client.http_failure();
    let err = failures().get_empty_error().await.expect_err("400");
    assert_eq!((err.status(), error_message(&err).as_deref()), (Some(400), Some("")));
    let err = failures().get_no_model_error().await.expect_err("400");
    // No error model is declared: the body is a JSON value.
    assert_eq!(err.service_error::<serde_json::Value>().map(|v| v["message"].clone()), Some(serde_json::json!("NoErrorModel")));
    let err = failures().get_no_model_empty().await.expect_err("400");
    assert_eq!((err.status(), err.body()), (Some(400), None));
}
