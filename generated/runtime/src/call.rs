//! Operations: the [`Operation`] and [`Paged`] traits generated marker types implement,
//! and [`Call`], what every generated operation method returns (send it, await it, page
//! it or poll it).

use std::fmt::Debug;
use std::future::IntoFuture;
use std::marker::PhantomData;
use std::mem::take;

use serde::de::DeserializeOwned;

use crate::error::decode_error_model;
use crate::exchange::{received, Exchange};
use crate::pager::{self, FirstPage, NextRequest, PageCore};
use crate::poller::LroCore;
use crate::request::Prepared;
use crate::{
    BoxFuture, ByteStream, CollectionFormat, Error, FinalStateVia, IfMatch, Pager, Pages, ParamValue, Pipeline, Poller,
    RawResponse, RequestBuilder, Response, Result,
};

/// One operation of an API, implemented by a generated zero-sized marker type.
pub trait Operation: 'static {
    /// What awaiting the operation yields.
    type Output: Send + 'static;
    /// The document's error model (`serde_json::Value` when it declares none).
    type ErrorModel: ServiceErrorModel;
    /// Declared success status codes; empty means any 2xx.
    const SUCCESS: &'static [u16];
    /// `Some` for long-running operations (`x-ms-long-running-operation`).
    const LRO: Option<FinalStateVia> = None;
    /// The JSON request body's type (`()` for operations without one).
    ///
    /// Calls keep the body as a value and serialise it when sent, so serialisation code is only
    /// compiled for the operations a program uses.
    type Request: serde::Serialize + Send + 'static;
    /// How a success response becomes `Output`: [`Json`], [`JsonOpt`], [`Binary`], [`Text`] or
    /// [`Empty`].
    ///
    /// A type rather than a function so that nothing is decoded (and no decoder compiled) in the
    /// generated crate itself: decoders are instantiated only for the operations a program uses.
    type Body: Decode<Output = Self::Output>;
}

/// Turns a success response into an operation's output.
pub trait Decode {
    /// The decoded value.
    type Output: Send + 'static;
    /// Decodes `response`.
    fn decode(response: RawResponse) -> Result<Self::Output>;
}

/// A JSON body decoded as `T`.
pub struct Json<T>(PhantomData<fn() -> T>);

impl<T: DeserializeOwned + Send + 'static> Decode for Json<T> {
    type Output = T;
    fn decode(response: RawResponse) -> Result<T> {
        json(&response)
    }
}

fn json<T: DeserializeOwned>(response: &RawResponse) -> Result<T> {
    // No body at all reads as `null`: a schemaless result (`serde_json::Value`) is then `Null`.
    let body = if response.body().is_empty() { b"null" } else { response.body() };
    with_response_status(response.status(), || serde_json::from_slice(body)).map_err(|e| Error::decode(received(response), e))
}

thread_local! {
    /// The status of the response whose body is being decoded (see [`response_status`]).
    static RESPONSE_STATUS: std::cell::Cell<Option<u16>> = const { std::cell::Cell::new(None) };
}

/// Runs `decode` with [`response_status`] answering `status`: success bodies and error models are
/// decoded through this.
pub(crate) fn with_response_status<T>(status: u16, decode: impl FnOnce() -> T) -> T {
    let previous = RESPONSE_STATUS.with(|s| s.replace(Some(status)));
    let decoded = decode();
    RESPONSE_STATUS.with(|s| s.set(previous));
    decoded
}

/// The status of the response whose body is being decoded, for the `Deserialize` impl of a
/// generated enum of bodies by status (an operation whose success responses, or whose error
/// responses, have bodies of different types); `None` outside such decoding.
#[doc(hidden)]
pub fn response_status() -> Option<u16> {
    RESPONSE_STATUS.with(|s| s.get())
}

/// A JSON body decoded as `T` when present; `None` for an empty body (e.g. `204 No Content`).
pub struct JsonOpt<T>(PhantomData<fn() -> T>);

impl<T: DeserializeOwned + Send + 'static> Decode for JsonOpt<T> {
    type Output = Option<T>;
    fn decode(response: RawResponse) -> Result<Option<T>> {
        if response.body().iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        json(&response).map(Some)
    }
}

/// A binary body (any media type the document does not describe as JSON), as read: buffered
/// within `ClientOptions::max_response_body`.
pub struct Binary;

impl Decode for Binary {
    type Output = bytes::Bytes;
    fn decode(response: RawResponse) -> Result<bytes::Bytes> {
        Ok(response.into_body())
    }
}

/// A text body (`text/*`), which must be UTF-8.
pub struct Text;

impl Decode for Text {
    type Output = String;
    fn decode(response: RawResponse) -> Result<String> {
        match std::str::from_utf8(response.body()) {
            Ok(text) => Ok(text.to_string()),
            Err(e) => Err(Error::decode(received(&response), e)),
        }
    }
}

/// No body is expected; whatever the service sends is ignored.
pub struct Empty;

impl Decode for Empty {
    type Output = ();
    fn decode(_: RawResponse) -> Result<()> {
        Ok(())
    }
}

/// Decodes a success response of operation `O`.
fn decode<O: Operation>(response: RawResponse) -> Result<O::Output> {
    <O::Body as Decode>::decode(response)
}

/// An operation whose responses are pages of items linked by a next link (`x-ms-pageable`).
pub trait Paged: Operation {
    /// One item of a page.
    type Item: Send + 'static;
    /// The page's items and its next link.
    fn split(page: Self::Output) -> (Vec<Self::Item>, Option<String>);
}

/// A service error model: decoded from error responses into [`Error`](crate::Error).
pub trait ServiceErrorModel: DeserializeOwned + Debug + Send + Sync + 'static {}

impl<T: DeserializeOwned + Debug + Send + Sync + 'static> ServiceErrorModel for T {}

/// A prepared call of operation `O`: `.await` it for the result, or use [`send`](Call::send)
/// for the raw [`Response`], [`items`](Call::items)/[`pages`](Call::pages) for paged
/// operations and [`into_poller`](Call::into_poller) for long-running ones.
///
/// Generated code adds the operation's optional parameters as builder methods; the
/// runtime's own helpers for them are named `set_*` so they never clash.
#[must_use = "a Call does nothing until it is awaited, sent, paged or polled"]
pub struct Call<O: Operation> {
    request: RequestBuilder,
    body: Option<(&'static str, O::Request)>,
    client_request_id: Option<String>,
    next_request: Option<NextRequest>,
    operation: PhantomData<fn() -> O>,
}

impl<O: Operation> Call<O> {
    /// A call that sends `request` through the pipeline that created it.
    #[doc(hidden)]
    pub fn new(request: RequestBuilder) -> Self {
        Call { request, body: None, client_request_id: None, next_request: None, operation: PhantomData }
    }

    /// Sets query parameter `name` (for generated optional-parameter methods).
    #[doc(hidden)]
    pub fn set_query(mut self, name: &'static str, value: impl ParamValue) -> Self {
        self.request = self.request.query(name, value);
        self
    }

    /// Sets array query parameter `name`.
    #[doc(hidden)]
    pub fn set_query_list<T: ParamValue>(mut self, name: &'static str, values: &[T], format: CollectionFormat) -> Self {
        self.request = self.request.query_list(name, values, format);
        self
    }

    /// Sets header `name`.
    #[doc(hidden)]
    pub fn set_header(mut self, name: &'static str, value: impl ParamValue) -> Self {
        self.request = self.request.header(name, value);
        self
    }

    /// Sets `If-Match`.
    #[doc(hidden)]
    pub fn set_if_match(mut self, condition: IfMatch) -> Self {
        self.request = self.request.if_match(condition);
        self
    }

    /// Sets `If-None-Match`.
    #[doc(hidden)]
    pub fn set_if_none_match(mut self, condition: IfMatch) -> Self {
        self.request = self.request.if_none_match(condition);
        self
    }

    /// Sets the JSON request body, serialised as `content_type` when the call is sent.
    #[doc(hidden)]
    pub fn set_json_body(mut self, content_type: &'static str, body: O::Request) -> Self {
        self.body = Some((content_type, body));
        self
    }

    /// Changes the request (for generated optional-parameter methods the `set_*` helpers do not cover).
    #[doc(hidden)]
    pub fn map_request(mut self, f: impl FnOnce(RequestBuilder) -> RequestBuilder) -> Self {
        self.request = f(self.request);
        self
    }

    /// Changes the JSON body set earlier (for optional fields of a flattened body).
    #[doc(hidden)]
    pub fn map_body(mut self, f: impl FnOnce(&mut O::Request)) -> Self {
        if let Some((_, body)) = &mut self.body {
            f(body);
        }
        self
    }

    /// Requests next pages through `build(pipeline, next_link)` instead of a GET of the link
    /// (`x-ms-pageable.operationName`).
    #[doc(hidden)]
    pub fn set_next_request(
        mut self,
        build: impl Fn(&Pipeline, &str) -> RequestBuilder + Send + Sync + 'static,
    ) -> Self {
        self.next_request = Some(std::sync::Arc::new(build));
        self
    }

    /// Sends this `x-ms-client-request-id` (on every request of this call) instead of a random one.
    pub fn client_request_id(mut self, id: impl Into<String>) -> Self {
        self.client_request_id = Some(id.into());
        self
    }

    /// How this call exchanges requests and responses, and its request (with the body serialised).
    fn parts(self) -> (Exchange, RequestBuilder) {
        let (client_request_id, request) = self.request_and_id();
        (Self::exchange(request.pipeline().clone(), client_request_id), request)
    }

    /// [`parts`](Call::parts) with the request prepared: the exchange takes the request's pipeline
    /// instead of a copy (a copy changes a count that every thread sending requests shares).
    fn prepared(self) -> (Exchange, Result<Prepared>) {
        let (client_request_id, request) = self.request_and_id();
        let (pipeline, prepared) = request.split();
        (Self::exchange(pipeline, client_request_id), prepared)
    }

    /// The request id this call sends, and its request with the body serialised.
    fn request_and_id(self) -> (String, RequestBuilder) {
        let client_request_id = match self.client_request_id {
            Some(id) => id,
            None => self.request.pipeline().client_request_id(),
        };
        let request = match self.body {
            Some((content_type, body)) => self.request.json_body(content_type, &body),
            None => self.request,
        };
        (client_request_id, request)
    }

    fn exchange(pipeline: Pipeline, client_request_id: String) -> Exchange {
        Exchange { pipeline, client_request_id, success: O::SUCCESS, decode_error: decode_error_model::<O::ErrorModel> }
    }

    /// Sends the request (retrying transient failures) and decodes the response, keeping
    /// status, headers, ETag and request id. A long-running operation is polled to its end and
    /// this is its final response.
    pub async fn send(self) -> Result<Response<O::Output>> {
        if O::LRO.is_some() {
            return self.into_poller().wait_response().await;
        }
        self.send_once(|raw| {
            let response = raw.head(());
            Ok(response.with_body(decode::<O>(raw)?))
        })
        .await
    }

    /// Sends the request, checks the status and makes the result of the response with `finish`.
    async fn send_once<T>(self, finish: fn(RawResponse) -> Result<T>) -> Result<T> {
        let (mut exchange, request) = self.prepared();
        let request = request?;
        // Boxed: this future then holds a pointer, not the send loop's kilobytes, and is itself
        // boxed with less to copy.
        let mut raw = Box::pin(exchange.send(&request)).await?;
        // Done with the request and its id: moved into the response, not copied.
        raw.set_request(request.method, request.url, take(&mut exchange.client_request_id));
        exchange.check(&raw)?;
        finish(raw)
    }

    /// A [`Poller`] that sends the request on its first poll and follows the operation to
    /// its end. For an operation that is not long-running the first response is the result.
    pub fn into_poller(self) -> Poller<O::Output> {
        let (exchange, request) = self.parts();
        Poller::from_core(LroCore::new(exchange, request, O::LRO), decode::<O>)
    }

    /// Resumes polling from a [`Poller::resume_token`] of the same operation; the request
    /// this call would send is not sent.
    pub fn resume_poller(self, token: &str) -> Result<Poller<O::Output>> {
        let (exchange, _) = self.parts();
        // A token only exists for a long-running operation, so resume as one.
        let via = Some(O::LRO.unwrap_or(FinalStateVia::Default));
        Ok(Poller::from_core(LroCore::resume(exchange, token, via)?, decode::<O>))
    }
}

impl<O: Operation<Body = Binary>> Call<O> {
    /// Sends the request and returns the success response with its binary body unread: a
    /// [`ByteStream`] that reads it chunk by chunk, however large (awaiting the call instead
    /// buffers it within `ClientOptions::max_response_body`).
    pub async fn stream(self) -> Result<Response<ByteStream>> {
        let (exchange, request) = self.prepared();
        let raw = exchange.send_streamed(&request?).await?;
        let body = match raw.take_unread() {
            Some(response) => ByteStream::new(response),
            None => ByteStream::buffered(raw.body().to_vec().into()),
        };
        Ok(raw.head(()).with_body(body))
    }
}

impl<O: Paged> Call<O> {
    /// All items of all pages, fetched lazily page by page. For a long-running operation the
    /// first page is its final result.
    pub fn items(self) -> Pager<O::Item> {
        Pager::from_core(self.page_core(), page_items::<O>)
    }

    /// All pages, each with its response metadata, fetched lazily.
    pub fn pages(self) -> Pages<O::Output> {
        Pages::from_core(self.page_core(), page_response::<O>)
    }

    /// Items from `next_link` on (a [`Pager::next_link`] saved earlier); the first request is not sent.
    pub fn items_from_link(self, next_link: &str) -> Result<Pager<O::Item>> {
        Ok(Pager::from_core(self.page_core_from(next_link)?, page_items::<O>))
    }

    /// Pages from `next_link` on; the first request is not sent.
    pub fn pages_from_link(self, next_link: &str) -> Result<Pages<O::Output>> {
        Ok(Pages::from_core(self.page_core_from(next_link)?, page_response::<O>))
    }

    fn page_core(self) -> PageCore {
        let next_request = self.next_request.clone();
        let (exchange, request) = self.parts();
        let api_version = pager::api_version(&request);
        let first = match O::LRO {
            // A long-running operation's final response is its first page.
            Some(via) => {
                let mut lro = LroCore::new(exchange.clone(), request, Some(via));
                FirstPage::Response(Box::pin(async move { lro.finish().await }))
            }
            None => FirstPage::Request(request),
        };
        PageCore::first(exchange, api_version, first, next_request)
    }

    fn page_core_from(self, next_link: &str) -> Result<PageCore> {
        let next_request = self.next_request.clone();
        let (exchange, request) = self.parts();
        PageCore::from_link(exchange, pager::api_version(&request), next_link, next_request)
    }
}

fn page_items<O: Paged>(raw: RawResponse) -> Result<(Vec<O::Item>, Option<String>)> {
    Ok(O::split(decode::<O>(raw)?))
}

/// Decodes twice: once for the caller's page, once to learn the next link without cloning the page.
fn page_response<O: Paged>(raw: RawResponse) -> Result<(Response<O::Output>, Option<String>)> {
    let (_, next) = O::split(decode::<O>(raw.clone())?);
    let response = raw.head(());
    let page = decode::<O>(raw)?;
    Ok((response.with_body(page), next))
}

impl<O: Operation> IntoFuture for Call<O> {
    type Output = Result<O::Output>;
    type IntoFuture = BoxFuture<'static, Result<O::Output>>;

    /// Sends the request and returns the decoded body; a long-running operation is polled
    /// to its end and yields the final result.
    fn into_future(self) -> Self::IntoFuture {
        if O::LRO.is_some() {
            Box::pin(self.into_poller().wait())
        } else {
            // Straight to the body: no copy of the headers for a `Response` nobody sees.
            Box::pin(self.send_once(decode::<O>))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ClientOptions, Credential, ErrorKind, Method};
    use reqwest::header::HeaderMap;

    enum Get {}
    impl Operation for Get {
        type Output = String;
        type ErrorModel = serde_json::Value;
        const SUCCESS: &'static [u16] = &[];
        type Request = ();
        type Body = Json<String>;
    }
    impl Paged for Get {
        type Item = char;
        fn split(page: String) -> (Vec<char>, Option<String>) {
            (page.chars().collect(), None)
        }
    }

    fn assert_send<T: Send + 'static>() {}
    fn assert_send_unpin<T: Send + Unpin + 'static>() {}

    #[test]
    fn calls_streams_and_pollers_can_move_between_tasks() {
        assert_send::<Call<Get>>();
        assert_send::<Poller<String>>();
        assert_send_unpin::<Pager<char>>();
        assert_send_unpin::<Pages<String>>();
        fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}
        assert_error::<Error>();
    }

    #[test]
    fn optional_parameter_setters_replace_earlier_values() {
        let pipeline =
            Pipeline::new(crate::client_info!(), "https://h", "", Credential::none(), ClientOptions::default())
                .unwrap();
        let call: Call<Get> = Call::new(pipeline.request(Method::GET).path("/x"));
        let call = call.set_query("top", 1).set_query("top", 2).set_header("x-h", "v");
        let prepared = call.request.prepare().unwrap();
        assert_eq!(prepared.url.as_str(), "https://h/x?top=2");
    }

    #[test]
    fn an_empty_body_is_none_for_optional_json() {
        let empty = RawResponse::new(204, HeaderMap::new(), Vec::new());
        assert_eq!(JsonOpt::<serde_json::Value>::decode(empty).unwrap(), None);
        let blank = RawResponse::new(200, HeaderMap::new(), b" \n".to_vec());
        assert_eq!(JsonOpt::<u32>::decode(blank).unwrap(), None);
        let full = RawResponse::new(200, HeaderMap::new(), b"3".to_vec());
        assert_eq!(JsonOpt::<u32>::decode(full).unwrap(), Some(3));
        Empty::decode(RawResponse::new(200, HeaderMap::new(), b"ignored".to_vec())).unwrap();
    }

    #[test]
    fn an_empty_body_reads_as_null() {
        let empty = || RawResponse::new(200, HeaderMap::new(), Vec::new());
        assert_eq!(Json::<serde_json::Value>::decode(empty()).unwrap(), serde_json::Value::Null);
        assert_eq!(Json::<u32>::decode(empty()).unwrap_err().kind(), ErrorKind::Decode);
    }

    #[test]
    fn a_body_that_does_not_decode_is_a_decode_error_with_status() {
        let url = reqwest::Url::parse("https://h/api/x").unwrap();
        let mut raw = RawResponse::new(200, HeaderMap::new(), b"{\"x\":".to_vec());
        raw.set_request(Method::GET, url, "crid".into());
        let err = Json::<serde_json::Value>::decode(raw).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode);
        assert_eq!(err.status(), Some(200));
        assert_eq!(err.request_id(), Some("crid"));
        assert!(err.to_string().contains("GET /api/x"), "{err}");
    }

    // What a generated crate over the runtime package defines; sending needs a server, so the
    // behaviour tests send through such crates.
    #[allow(dead_code)]
    mod generated {
        crate::call_type!();
    }

    /// What generated code does with its own `Call`: add an operation-specific builder method.
    impl generated::Call<Get> {
        fn top(self, top: i32) -> Self {
            self.set_query("top", top)
        }
    }

    #[test]
    fn a_crates_own_call_forwards_to_the_runtimes() {
        assert_send::<generated::Call<Get>>();
        let pipeline =
            Pipeline::new(crate::client_info!(), "https://h", "", Credential::none(), ClientOptions::default())
                .unwrap();
        let call = generated::Call::<Get>::new(pipeline.request(Method::GET).path("/x")).top(3);
        let resumed = call.client_request_id("id").resume_poller("not a token");
        assert_eq!(resumed.unwrap_err().kind(), ErrorKind::NotBuilt);
    }
}
