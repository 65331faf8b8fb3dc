//! Typed error bodies on the AutoRest test server (`xms-error-responses.json`): statuses marked
//! `x-ms-error-response` and `default`, each decoded as its own type (an enum of the operation's
//! error bodies by status when they differ), discriminated error bodies included. One test per
//! coverage key.

#[macro_use]
mod support;

use autorest_error_responses::models::{NotFoundErrorBase, PetActionError};
use autorest_error_responses::pet::GetPetByIdErrors;
use autorest_error_responses::runtime::{Credential, ErrorKind};
use autorest_error_responses::Client;

fn client() -> Client {
    Client::with_options(Credential::none(), options!(autorest_error_responses)).expect("client")
}

#[tokio::test]
async fn expected_no_errors() {
    let pet = client().pet().get_pet_by_id("tommy").await.expect("200");
    assert_eq!(pet.and_then(|p| p.ani_type), Some("Dog".to_string()));
    let action = client().pet().do_something("stay").await.expect("200");
    assert_eq!(action.action_response, None, "tommy's body has no actionResponse");
}

/// The error body of `get_pet_by_id(pet_id)`, by the status it came with.
async fn pet_error(pet_id: &str) -> (Option<u16>, GetPetByIdErrors) {
    let err = client().pet().get_pet_by_id(pet_id).await.expect_err("an error status");
    assert_eq!(err.kind(), ErrorKind::Service);
    let body = err.service_error::<GetPetByIdErrors>().cloned().unwrap_or_else(|| panic!("no typed body: {err}"));
    (err.status(), body)
}

#[tokio::test]
async fn animal_not_found_error() {
    match pet_error("coyoteUgly").await {
        (Some(404), GetPetByIdErrors::Status404(NotFoundErrorBase::AnimalNotFound(a))) => assert_eq!(a.name.as_deref(), Some("coyote")),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn link_not_found_error() {
    match pet_error("weirdAlYankovic").await {
        (Some(404), GetPetByIdErrors::Status404(NotFoundErrorBase::InvalidResourceLink(l))) => {
            assert_eq!(l.what_sub_address.as_deref(), Some("pet/yourpet was not found"))
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn string_error() {
    assert_eq!(pet_error("ringo").await, (Some(400), GetPetByIdErrors::Status400("ringo is missing".into())));
}

#[tokio::test]
async fn int_error() {
    assert_eq!(pet_error("alien123").await, (Some(501), GetPetByIdErrors::Status501(123)));
}

#[tokio::test]
async fn expected_pet_sad_error() {
    let err = client().pet().do_something("jump").await.expect_err("500");
    match (err.status(), err.service_error::<PetActionError>()) {
        (Some(500), Some(PetActionError::PetSadError(sad))) => assert_eq!(sad.reason.as_deref(), Some("need more treats")),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn expected_pet_hungry_error() {
    // 404 is not declared: the `default` body, a discriminated union.
    let err = client().pet().do_something("fetch").await.expect_err("404");
    match (err.status(), err.service_error::<PetActionError>()) {
        (Some(404), Some(PetActionError::PetHungryOrThirstyError(h))) => assert_eq!(h.hungry_or_thirsty.as_deref(), Some("hungry and thirsty")),
        other => panic!("{other:?}"),
    }
}
