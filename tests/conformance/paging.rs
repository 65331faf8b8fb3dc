//! Paging scenarios of the AutoRest test server (`paging.json`, `custom-baseUrl-paging.json`): one
//! test per scenario, named after its coverage key. Legacy paging counters fire on the first page,
//! so each test asserts the items (and pages) it received.

#[macro_use]
mod support;

use autorest_paging::models::{BodyParam, Product};
use autorest_paging::parameter_groups::{CustomParameterGroup, PagingGetMultiplePagesOptions, PagingGetMultiplePagesWithOffsetOptions};
use autorest_paging::runtime::{Error, ErrorKind};
use autorest_paging::Client;
use futures_util::{StreamExt, TryStreamExt};

fn client() -> Client {
    Client::with_options(autorest_paging::runtime::Credential::none(), options!(autorest_paging)).expect("client")
}

fn ids(items: &[Product]) -> Vec<i64> {
    items.iter().map(|p| p.properties.as_ref().and_then(|p| p.id).expect("every product has an id")).collect()
}

/// Every item of a pager, or the first error.
async fn all<S: futures_util::Stream<Item = Result<Product, Error>>>(stream: S) -> Vec<Product> {
    match stream.try_collect().await {
        Ok(items) => items,
        Err(e) => panic!("paging failed: {e:?}"),
    }
}

#[tokio::test]
async fn paging_no_item_name() {
    assert_eq!(ids(&all(client().paging().get_no_item_name_pages().items()).await), [1]);
}

#[tokio::test]
async fn paging_empty_next_link() {
    // `nextLink: ""` ends paging.
    assert_eq!(ids(&all(client().paging().get_empty_next_link_name_pages().items()).await), [1]);
}

#[tokio::test]
async fn paging_next_link_name_null() {
    // `nextLinkName: null`: one page, even though the body has a `nextLink` (it points at a 404).
    assert_eq!(ids(&all(client().paging().get_null_next_link_name_pages().items()).await), [1]);
}

#[tokio::test]
async fn paging_single() {
    assert_eq!(ids(&all(client().paging().get_single_pages().items()).await), [1]);
}

#[tokio::test]
async fn paging_single_with_body_params() {
    let body = BodyParam::default().with_name("body");
    assert_eq!(ids(&all(client().paging().get_single_pages_with_body_params(&body).items()).await), [1]);
}

#[tokio::test]
async fn paging_first_response_empty() {
    // An empty first page with a relative next link is not the end.
    assert_eq!(ids(&all(client().paging().first_response_empty().items()).await), [1]);
}

#[tokio::test]
async fn paging_multiple() {
    // `maxresults` is a member of the `PagingGetMultiplePagesOptions` group (`x-ms-parameter-grouping`).
    let options = PagingGetMultiplePagesOptions { maxresults: Some(1), ..Default::default() };
    let call = client().paging().get_multiple_pages().client_request_id_header("id").paging_get_multiple_pages_options(&options);
    let items = all(call.items()).await;
    assert_eq!(ids(&items), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
}

#[tokio::test]
async fn paging_multiple_pages_have_headers_and_links() {
    let mut pages = client().paging().get_multiple_pages().pages();
    let first = pages.next().await.expect("a first page").expect("page 1");
    assert_eq!(first.status(), 200);
    let link = pages.next_link().expect("a link to page 2").to_string();
    assert!(link.ends_with("/paging/multiple/page/2"), "{link}");
    assert_eq!(pages.count().await, 9, "pages 2 to 10 follow");
    // Resuming from a saved link reads the rest without the first request.
    let rest = all(client().paging().get_multiple_pages().items_from_link(&link).expect("a valid link")).await;
    assert_eq!(ids(&rest), [2, 3, 4, 5, 6, 7, 8, 9, 10]);
}

#[tokio::test]
async fn paging_multiple_with_query_parameters() {
    // The next page comes from the next operation `nextOperationWithQueryParams`, which sends its
    // own constant `queryConstant=true` and not the first operation's `requiredQueryParameter`.
    assert_eq!(ids(&all(client().paging().get_with_query_params(100).items()).await), [1, 2]);
}

#[tokio::test]
async fn paging_duplicate_parameters() {
    // The next link already carries `$filter`; it is followed as sent, not with a second `$filter`.
    let items = all(client().paging().duplicate_params().filter("foo").items()).await;
    assert_eq!(ids(&items), [1]);
}

#[tokio::test]
async fn paging_with_api_version_append() {
    // The next link has no api-version: the client's is added.
    assert_eq!(ids(&all(client().paging().append_api_version().items()).await), [1]);
}

#[tokio::test]
async fn paging_with_api_version_replace() {
    // The next link has `Api-Version=notMe`: it is replaced by the client's, every other pair kept.
    assert_eq!(ids(&all(client().paging().replace_api_version().items()).await), [1]);
}

#[tokio::test]
async fn paging_dont_send_max_page_size() {
    // Optional scenario: an unset `$maxpagesize` is not sent.
    assert_eq!(all(client().paging().page_with_max_page_size().items()).await.len(), 0);
}

#[tokio::test]
async fn paging_odata_multiple() {
    let items = all(client().paging().get_odata_multiple_pages().items()).await;
    assert_eq!(ids(&items), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
}

#[tokio::test]
async fn paging_multiple_path() {
    // The group holds a required path parameter, so it is a positional argument.
    let options = PagingGetMultiplePagesWithOffsetOptions { offset: 100, ..Default::default() };
    let items = all(client().paging().get_multiple_pages_with_offset(&options).items()).await;
    assert_eq!(ids(&items), [1, 102, 103, 104, 105, 106, 107, 108, 109, 110]);
}

#[tokio::test]
async fn paging_multiple_retry_first() {
    // The first page answers 500 once; the retry succeeds.
    assert_eq!(all(client().paging().get_multiple_pages_retry_first().items()).await.len(), 10);
}

#[tokio::test]
async fn paging_multiple_retry_second() {
    // The second page answers 500 once; the retry succeeds.
    assert_eq!(all(client().paging().get_multiple_pages_retry_second().items()).await.len(), 10);
}

#[tokio::test]
async fn paging_single_failure() {
    let mut items = client().paging().get_single_pages_failure().items();
    let err = items.next().await.expect("an error").expect_err("the page answers 400");
    assert_eq!((err.kind(), err.status()), (ErrorKind::Service, Some(400)), "{err:?}");
    assert!(items.next().await.is_none(), "the stream ends after the error");
}

#[tokio::test]
async fn paging_multiple_failure() {
    let mut items = client().paging().get_multiple_pages_failure().items();
    assert_eq!(ids(&[items.next().await.expect("item 1").expect("page 1 succeeds")]), [1]);
    let err = items.next().await.expect("an error").expect_err("page 2 answers 400");
    assert_eq!((err.kind(), err.status()), (ErrorKind::Service, Some(400)), "{err:?}");
    assert!(items.next().await.is_none(), "the stream ends after the error");
}

#[tokio::test]
async fn paging_multiple_failure_uri() {
    // The next link `*&*#&$` is not a page URL: paging stops with an error after the first page.
    let mut items = client().paging().get_multiple_pages_failure_uri().items();
    assert_eq!(ids(&[items.next().await.expect("item 1").expect("page 1 succeeds")]), [1]);
    let err = items.next().await.expect("an error").expect_err("the link leads nowhere");
    assert!(err.status().is_some_and(|s| s >= 400) || err.kind() == ErrorKind::Decode, "{err:?}");
    assert!(items.next().await.is_none());
}

#[tokio::test]
async fn paging_fragment() {
    // `odata.nextLink` is a fragment (`next?page=2`) fed to the next operation `Paging_nextFragment`.
    let items = all(client().paging().get_multiple_pages_fragment_next_link("test_user", "1.6").items()).await;
    assert_eq!(ids(&items), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
}

#[tokio::test]
async fn paging_fragment_with_grouping() {
    let paging = client();
    let group = CustomParameterGroup { tenant: "test_user".into(), api_version: "1.6".into() };
    let items = paging.paging().get_multiple_pages_fragment_with_grouping_next_link(&group).items();
    assert_eq!(ids(&all(items).await), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
}

#[tokio::test]
async fn paging_multiple_lro() {
    // A long-running POST whose final result is the first page of a pageable result.
    let items = all(client().paging().get_multiple_pages_lro().items()).await;
    assert_eq!(ids(&items), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
}

#[tokio::test]
async fn paging_return_model_with_xms_client_name() {
    let items = all(client().paging().get_paging_model_with_item_name_with_xms_client_name().items()).await;
    assert_eq!(ids(&items), [1]);
}

fn custom_url_client() -> autorest_custom_url_paging::Client {
    let credential = autorest_custom_url_paging::runtime::Credential::none();
    // The endpoint option stands in for the `{accountName}{host}` template (`local` + `host:port`).
    autorest_custom_url_paging::Client::with_options("local", credential, options!(autorest_custom_url_paging))
        .expect("client")
}

#[tokio::test]
async fn paging_custom_url_partial_next_link() {
    // A relative next link resolves against the endpoint.
    let items: Vec<_> =
        custom_url_client().paging().get_pages_partial_url().items().try_collect().await.expect("pages");
    let ids: Vec<_> = items.iter().map(|p| p.properties.as_ref().and_then(|p| p.id)).collect();
    assert_eq!(ids, [Some(1), Some(2)]);
}

#[tokio::test]
async fn paging_custom_url_partial_operation_next_link() {
    // The next link `partialnextlinkop/page/2` goes into the next operation's `{nextLink}` path.
    let items: Vec<_> =
        custom_url_client().paging().get_pages_partial_url_operation().items().try_collect().await.expect("pages");
    let ids: Vec<_> = items.iter().map(|p| p.properties.as_ref().and_then(|p| p.id)).collect();
    assert_eq!(ids, [Some(1), Some(2)]);
}
