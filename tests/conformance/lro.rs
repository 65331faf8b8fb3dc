//! Long-running operation scenarios of the AutoRest test server (`lro.json`,
//! `lro-parameterized-endpoints.json`): one test per scenario, named after its coverage key.
//!
//! Happy paths must end with the final value the scenario intends (the server counts a hit only on
//! the last poll or final GET, so a hit also proves the right URLs were polled); the `LROSADs`
//! scenarios (`LRONonRetry*`, `LROError*`) must surface an error, never hang or panic.

#[macro_use]
mod support;

use autorest_lro::models::{Product, Sku};
use autorest_lro::runtime::{Error, ErrorKind, PollStatus};
use autorest_lro::Client;

fn client() -> Client {
    Client::with_options(autorest_lro::runtime::Credential::none(), options!(autorest_lro)).expect("client")
}

/// Runs a scenario that must succeed and binds its final value.
macro_rules! succeeds {
    ($name:ident, $group:ident . $op:ident $(. $builder:ident ($($arg:expr),*))*, |$out:ident| $check:block) => {
        #[tokio::test]
        #[allow(unused_braces, clippy::let_unit_value)]
        async fn $name() {
            let client = client();
            let $out = match client.$group().$op() $(.$builder($($arg),*))* .await {
                Ok(value) => value,
                Err(e) => panic!("{} failed: {e:?}", stringify!($name)),
            };
            $check
        }
    };
}

/// Runs a scenario that must fail and binds the error.
macro_rules! fails {
    ($name:ident, $group:ident . $op:ident, |$err:ident| $check:block) => {
        #[tokio::test]
        #[allow(unused_braces)]
        async fn $name() {
            let client = client();
            let $err: Error = match client.$group().$op().await {
                Ok(value) => panic!("{} should fail, got {value:?}", stringify!($name)),
                Err(e) => e,
            };
            $check
        }
    };
}

fn succeeded(product: &Product) {
    let state = product.properties.as_ref().and_then(|p| p.provisioning_state.as_deref());
    assert_eq!(state, Some("Succeeded"), "{product:?}");
    assert_eq!(product.id.as_deref(), Some("100"), "{product:?}");
    assert_eq!(product.name.as_deref(), Some("foo"), "{product:?}");
}

/// A terminal `Failed`/`Canceled` state: an LRO error carrying the state the service reported.
fn ended(err: &Error, state: &str) {
    assert_eq!(err.kind(), ErrorKind::Lro, "{err:?}");
    assert_eq!(err.lro_status(), Some(state), "{err:?}");
    assert!(err.was_sent());
}

/// The service refused a request with `status`.
fn refused(err: &Error, status: u16) {
    assert_eq!(err.kind(), ErrorKind::Service, "{err:?}");
    assert_eq!(err.status(), Some(status), "{err:?}");
}

// ---- LROs: PUT -------------------------------------------------------------------------------

succeeds!(lro_put_inline_complete, lros.put200_succeeded, |p| { succeeded(&p.expect("a 200 body")) });
succeeds!(lro_put_inline_complete201, lros.put201_succeeded, |p| { succeeded(&p) });
succeeds!(lro_put200_inline_complete_no_state, lros.put200_succeeded_no_state, |p| {
    assert_eq!(p.id.as_deref(), Some("100"));
    assert_eq!(p.properties, None, "no provisioningState: done as it is");
});
succeeds!(lro_put202_retry200, lros.put202_retry200, |p| { assert_eq!(p.id.as_deref(), Some("100")) });
succeeds!(lro_put_succeeded_with_body, lros.put201_creating_succeeded200, |p| { succeeded(&p) });
succeeds!(lro_put_succeeded_no_body, lros.put200_updating_succeeded204, |p| { succeeded(&p) });
fails!(lro_put_failed, lros.put201_creating_failed200, |e| { ended(&e, "Failed") });
fails!(lro_put_canceled, lros.put200_acceptedcanceled200, |e| { ended(&e, "Canceled") });
succeeds!(lro_put_no_header_in_retry, lros.put_no_header_in_retry, |p| { succeeded(&p) });
succeeds!(lro_put_async_retry_succeeded, lros.put_async_retry_succeeded, |p| { succeeded(&p) });
succeeds!(lro_put_async_no_retry_succeeded, lros.put_async_no_retry_succeeded, |p| { succeeded(&p) });
fails!(lro_put_async_retry_failed, lros.put_async_retry_failed, |e| { ended(&e, "Failed") });
fails!(lro_put_async_no_retry_canceled, lros.put_async_no_retrycanceled, |e| { ended(&e, "Canceled") });
succeeds!(lro_put_async_no_header_in_retry, lros.put_async_no_header_in_retry, |p| { succeeded(&p) });
succeeds!(lro_put_non_resource_in_retry, lros.put_non_resource, |s| {
    assert_eq!(s, Sku::default().with_id("100").with_name("sku"))
});
succeeds!(lro_put_non_resource_async_in_retry, lros.put_async_non_resource, |s| {
    assert_eq!(s, Sku::default().with_id("100").with_name("sku"))
});
succeeds!(lro_put_sub_resource_in_retry, lros.put_sub_resource, |s| {
    assert_eq!(s.id.as_deref(), Some("100"));
    assert_eq!(s.properties.and_then(|p| p.provisioning_state).as_deref(), Some("Succeeded"));
});
succeeds!(lro_put_sub_resource_async_in_retry, lros.put_async_sub_resource, |s| {
    assert_eq!(s.id.as_deref(), Some("100"));
    assert_eq!(s.properties.and_then(|p| p.provisioning_state).as_deref(), Some("Succeeded"));
});

// ---- LROs: PATCH -----------------------------------------------------------------------------

// A 200 with a terminal state is the result: its Azure-AsyncOperation header (a URL that must not be
// called) is ignored.
succeeds!(lro_patch_inline_complete_ignore_headers, lros.patch200_succeeded_ignore_headers, |p| { succeeded(&p) });
// The final GET of the original URI answers a product whose id is its path.
succeeds!(lro_patch201_with_async_header, lros.patch201_retry_with_async_header, |p| {
    assert_eq!(p.properties.and_then(|p| p.provisioning_state).as_deref(), Some("Succeeded"));
    assert_eq!(p.id.as_deref(), Some("/lro/patch/201/retry/onlyAsyncHeader"));
});
succeeds!(lro_patch202_with_async_and_location_header, lros.patch202_retry_with_async_and_location_header, |p| {
    assert_eq!(p.properties.and_then(|p| p.provisioning_state).as_deref(), Some("Succeeded"));
    assert_eq!(p.id.as_deref(), Some("/lro/patch/202/retry/asyncAndLocationHeader"));
});

// ---- LROs: DELETE ----------------------------------------------------------------------------

succeeds!(lro_delete_provisioning_succeeded_with_body, lros.delete_provisioning202_accepted200_succeeded, |p| {
    succeeded(&p.expect("the final 200 has a body"))
});
fails!(lro_delete_provisioning_failed, lros.delete_provisioning202_deleting_failed200, |e| { ended(&e, "Failed") });
fails!(lro_delete_provisioning_canceled, lros.delete_provisioning202_deletingcanceled200, |e| {
    ended(&e, "Canceled")
});
succeeds!(lro_delete_inline_complete, lros.delete204_succeeded, |_unit| {});
succeeds!(lro_delete200, lros.delete202_retry200, |p| { assert_eq!(p, None, "the final 200 has no body") });
succeeds!(lro_delete204, lros.delete202_no_retry204, |p| { assert_eq!(p, None, "the final 204 has no body") });
succeeds!(lro_delete_no_header_in_retry, lros.delete_no_header_in_retry, |_unit| {});
succeeds!(lro_delete_async_no_header_in_retry, lros.delete_async_no_header_in_retry, |_unit| {});
succeeds!(lro_delete_async_retry_succeeded, lros.delete_async_retry_succeeded, |_unit| {});
succeeds!(lro_delete_async_no_retry_succeeded, lros.delete_async_no_retry_succeeded, |_unit| {});
fails!(lro_delete_async_retry_failed, lros.delete_async_retry_failed, |e| { ended(&e, "Failed") });
fails!(lro_delete_async_retry_canceled, lros.delete_async_retrycanceled, |e| { ended(&e, "Canceled") });

// ---- LROs: POST ------------------------------------------------------------------------------

succeeds!(lro_post200, lros.post200_with_payload, |s| {
    assert_eq!(s, Sku::default().with_id("1").with_name("product"))
});
succeeds!(lro_post_and_get_list, lros.post202_list, |list| {
    assert_eq!(list.len(), 1);
    assert_eq!((list[0].id.as_deref(), list[0].name.as_deref()), (Some("100"), Some("foo")));
});
succeeds!(lro_post_succeeded_with_body, lros.post202_retry200, |_unit| {});
succeeds!(lro_post_succeeded_no_body, lros.post202_no_retry204, |p| { assert_eq!(p, None) });
succeeds!(lro_post_double_headers_final_location_get, lros.post_double_headers_final_location_get, |p| {
    let p = p.expect("the final GET of Location has a body");
    assert_eq!(p.id.as_deref(), Some("100"));
    assert_eq!(p.name.as_deref(), Some("foo"));
});
succeeds!(lro_post_double_headers_final_azure_header_get, lros.post_double_headers_final_azure_header_get, |p| {
    // The result is the status monitor's body; Location is not polled.
    assert_eq!(p.expect("the monitor has a body").id.as_deref(), Some("100"));
});
succeeds!(
    lro_post_double_headers_final_azure_header_get_default,
    lros.post_double_headers_final_azure_header_get_default,
    |p| {
        let p = p.expect("a final body");
        assert_eq!(p.id.as_deref(), Some("100"));
        assert_eq!(p.name.as_deref(), Some("foo"));
    }
);
succeeds!(lro_post_async_retry_succeeded, lros.post_async_retry_succeeded, |p| { succeeded(&p) });
succeeds!(lro_post_async_no_retry_succeeded, lros.post_async_no_retry_succeeded, |p| { succeeded(&p) });
fails!(lro_post_async_retry_failed, lros.post_async_retry_failed, |e| { ended(&e, "Failed") });
fails!(lro_post_async_retry_canceled, lros.post_async_retrycanceled, |e| { ended(&e, "Canceled") });

// ---- LRORetrys: the initial request (or a poll) answers 500 once; the retry succeeds ----------

succeeds!(lro_retry_put_succeeded_with_body, lro_retrys.put201_creating_succeeded200, |p| { succeeded(&p) });
succeeds!(lro_retry_error_put_async_succeeded, lro_retrys.put_async_relative_retry_succeeded, |p| { succeeded(&p) });
succeeds!(
    lro_retry_error_delete202_accepted200_succeeded,
    lro_retrys.delete_provisioning202_accepted200_succeeded,
    |p| { succeeded(&p.expect("the final 200 has a body")) }
);
succeeds!(lro_retry_error_delete202_retry200_succeeded, lro_retrys.delete202_retry200, |_unit| {});
succeeds!(lro_retry_error_delete_async_retry_succeeded, lro_retrys.delete_async_relative_retry_succeeded, |_u| {});
succeeds!(lro_retry_error_post202_retry200_succeeded, lro_retrys.post202_retry200, |_unit| {});
succeeds!(lro_retry_error_post_async_retry_succeeded, lro_retrys.post_async_relative_retry_succeeded, |_u| {});

// ---- LROSADs: non-retryable errors ----------------------------------------------------------

fails!(lro_non_retry_put400, lrosads.put_non_retry400, |e| { refused(&e, 400) });
fails!(lro_non_retry_put201_creating400, lrosads.put_non_retry201_creating400, |e| { refused(&e, 400) });
fails!(lro_non_retry_put201_creating400_invalid_json, lrosads.put_non_retry201_creating400_invalid_json, |e| {
    refused(&e, 400);
    assert!(e.body().is_some(), "the unparsable error body is kept as text");
});
fails!(lro_non_retry_put_async_retry400, lrosads.put_async_relative_retry400, |e| { refused(&e, 400) });
fails!(lro_non_retry_delete400, lrosads.delete_non_retry400, |e| { refused(&e, 400) });
fails!(lro_non_retry_delete202_retry400, lrosads.delete202_non_retry400, |e| { refused(&e, 400) });
fails!(lro_non_retry_delete_async_retry400, lrosads.delete_async_relative_retry400, |e| { refused(&e, 400) });
fails!(lro_non_retry_post400, lrosads.post_non_retry400, |e| { refused(&e, 400) });
fails!(lro_non_retry_post202_retry400, lrosads.post202_non_retry400, |e| { refused(&e, 400) });
fails!(lro_non_retry_post_async_retry400, lrosads.post_async_relative_retry400, |e| { refused(&e, 400) });

// ---- LROSADs: malformed service behaviour ----------------------------------------------------

fails!(lro_error_put201_no_provisioning_state_payload, lrosads.put_error201_no_provisioning_state_payload, |e| {
    assert_eq!(e.kind(), ErrorKind::Decode, "an empty body is not a Product: {e:?}");
});
fails!(lro_error_put_async_no_polling_status, lrosads.put_async_relative_retry_no_status, |e| {
    assert_eq!(e.kind(), ErrorKind::Lro, "{e:?}");
});
fails!(lro_error_put_async_no_polling_status_payload, lrosads.put_async_relative_retry_no_status_payload, |e| {
    assert_eq!(e.kind(), ErrorKind::Lro, "{e:?}");
});
succeeds!(lro_error_delete_no_location, lrosads.delete204_succeeded, |_unit| {});
fails!(lro_error_delete_async_no_polling_status, lrosads.delete_async_relative_retry_no_status, |e| {
    assert_eq!(e.kind(), ErrorKind::Lro, "{e:?}");
});
succeeds!(lro_error_post_no_location, lrosads.post202_no_location, |_unit| {});
fails!(lro_error_post_async_no_polling_payload, lrosads.post_async_relative_retry_no_payload, |e| {
    assert_eq!(e.kind(), ErrorKind::Lro, "{e:?}");
});
fails!(lro_error_put200_invalid_json, lrosads.put200_invalid_json, |e| {
    assert_eq!(e.kind(), ErrorKind::Decode, "{e:?}");
});
fails!(lro_error_put_async_invalid_header, lrosads.put_async_relative_retry_invalid_header, |e| {
    refused(&e, 404);
});
fails!(lro_error_put_async_invalid_json_polling, lrosads.put_async_relative_retry_invalid_json_polling, |e| {
    assert_eq!(e.kind(), ErrorKind::Lro, "{e:?}");
});
fails!(lro_error_delete202_retry_invalid_header, lrosads.delete202_retry_invalid_header, |e| { refused(&e, 404) });
fails!(lro_error_delete_async_invalid_header, lrosads.delete_async_relative_retry_invalid_header, |e| {
    refused(&e, 404);
});
fails!(lro_error_delete_async_invalid_json_polling, lrosads.delete_async_relative_retry_invalid_json_polling, |e| {
    assert_eq!(e.kind(), ErrorKind::Lro, "{e:?}");
});
fails!(lro_error_post202_retry_invalid_header, lrosads.post202_retry_invalid_header, |e| { refused(&e, 404) });
fails!(lro_error_post_async_invalid_header, lrosads.post_async_relative_retry_invalid_header, |e| {
    refused(&e, 404);
});
fails!(lro_error_post_async_invalid_json_polling, lrosads.post_async_relative_retry_invalid_json_polling, |e| {
    assert_eq!(e.kind(), ErrorKind::Lro, "{e:?}");
});

// ---- CustomHeader: the caller's x-ms-client-request-id on every request, polls included ------

succeeds!(
    custom_header_put_async_succeeded,
    lros_custom_header.put_async_retry_succeeded.client_request_id(support::CUSTOM_REQUEST_ID),
    |p| { succeeded(&p) }
);
succeeds!(
    custom_header_put_succeeded,
    lros_custom_header.put201_creating_succeeded200.client_request_id(support::CUSTOM_REQUEST_ID),
    |p| { succeeded(&p) }
);
succeeds!(
    custom_header_post_async_succeeded,
    lros_custom_header.post_async_retry_succeeded.client_request_id(support::CUSTOM_REQUEST_ID),
    |_unit| {}
);
succeeds!(
    custom_header_post_succeeded,
    lros_custom_header.post202_retry200.client_request_id(support::CUSTOM_REQUEST_ID),
    |_unit| {}
);

// ---- Stepping and resuming on the real server -------------------------------------------------

/// `poll()` steps one request at a time, the token resumes in a fresh poller, and the resumed
/// poller finishes the operation (the server counts `LRODeleteAsyncRetrySucceeded` only then).
#[tokio::test]
async fn a_poller_steps_and_resumes_from_its_token() {
    let client = client();
    let mut poller = client.lros().put_async_no_retry_succeeded().into_poller();
    assert_eq!(poller.resume_token(), None, "nothing sent yet");
    assert_eq!(poller.poll().await.expect("initial request"), PollStatus::InProgress);
    let token = poller.resume_token().expect("a token once polling");
    drop(poller);
    let resumed = client.lros().put_async_no_retry_succeeded().resume_poller(&token).expect("resume");
    let product = resumed.wait().await.expect("the resumed operation finishes");
    succeeded(&product);
}

// ---- Parameterized endpoints -----------------------------------------------------------------

fn parameterized_client() -> autorest_lro_parameterized::Client {
    let credential = autorest_lro_parameterized::runtime::Credential::none();
    // The endpoint option stands in for the `{accountName}{host}` template (`local` + `host:port`).
    autorest_lro_parameterized::Client::with_options("local", credential, options!(autorest_lro_parameterized))
        .expect("client")
}

#[tokio::test]
async fn lro_parameterized_endpoint() {
    let result = parameterized_client().poll_with_parameterized_endpoints().await.expect("polls the relative Location");
    assert_eq!(result, "success");
}

#[tokio::test]
async fn lro_constant_parameterized_endpoints() {
    let result = parameterized_client().poll_with_constant_parameterized_endpoints().await.expect("polls Location");
    assert_eq!(result, "success");
}
