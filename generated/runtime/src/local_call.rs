//! [`call_type!`](crate::call_type): the runtime's [`Call`](crate::Call) as a type of a generated
//! crate that depends on this package.
//!
//! Generated code adds each operation's optional parameters to `Call<Marker>` as inherent methods,
//! which Rust only allows for a type of the same crate. A crate that carries the runtime as its own
//! module has that already; a crate over this package defines `Call` once, in its `runtime` module,
//! with this macro: a thin wrapper that forwards everything to the runtime's `Call`.

/// Defines `pub struct Call<O>` in the invoking module: the runtime's [`Call`](crate::Call) as a type
/// of the invoking crate, with the same methods (they forward to it). Its `set_*` helpers are visible
/// to the invoking crate only, so they are never suggested to its users.
///
/// A generated crate over this package invokes it in its `runtime` module, after
/// `pub use iot_rest_runtime::*;`, which the definition shadows.
#[macro_export]
macro_rules! call_type {
    () => {
        /// A prepared call of operation `O`: `.await` it for the result, or use [`send`](Call::send)
        /// for the raw [`Response`]($crate::Response), [`items`](Call::items)/[`pages`](Call::pages)
        /// for paged operations and [`into_poller`](Call::into_poller) for long-running ones.
        ///
        /// Generated code adds the operation's optional parameters as builder methods; the
        /// runtime's own helpers for them are named `set_*` so they never clash.
        #[must_use = "a Call does nothing until it is awaited, sent, paged or polled"]
        pub struct Call<O: $crate::Operation>($crate::Call<O>);

        impl<O: $crate::Operation> Call<O> {
            /// A call that sends `request` through the pipeline that created it.
            #[doc(hidden)]
            pub fn new(request: $crate::RequestBuilder) -> Self {
                Call($crate::Call::new(request))
            }

            /// Sets query parameter `name` (for generated optional-parameter methods).
            #[allow(dead_code)] // for generated code, not used by every API
            pub(crate) fn set_query(self, name: &'static str, value: impl $crate::ParamValue) -> Self {
                Call(self.0.set_query(name, value))
            }

            /// Sets array query parameter `name`.
            #[allow(dead_code)] // for generated code, not used by every API
            pub(crate) fn set_query_list<T: $crate::ParamValue>(
                self,
                name: &'static str,
                values: &[T],
                format: $crate::CollectionFormat,
            ) -> Self {
                Call(self.0.set_query_list(name, values, format))
            }

            /// Sets header `name`.
            #[allow(dead_code)] // for generated code, not used by every API
            pub(crate) fn set_header(self, name: &'static str, value: impl $crate::ParamValue) -> Self {
                Call(self.0.set_header(name, value))
            }

            /// Sets `If-Match`.
            #[allow(dead_code)] // for generated code, not used by every API
            pub(crate) fn set_if_match(self, condition: $crate::IfMatch) -> Self {
                Call(self.0.set_if_match(condition))
            }

            /// Sets `If-None-Match`.
            #[allow(dead_code)] // for generated code, not used by every API
            pub(crate) fn set_if_none_match(self, condition: $crate::IfMatch) -> Self {
                Call(self.0.set_if_none_match(condition))
            }

            /// Sets the JSON request body, serialised as `content_type` when the call is sent.
            #[allow(dead_code)] // for generated code, not used by every API
            pub(crate) fn set_json_body(self, content_type: &'static str, body: O::Request) -> Self {
                Call(self.0.set_json_body(content_type, body))
            }

            /// Changes the request (optional parameters the `set_*` helpers do not cover).
            #[allow(dead_code)] // for generated code, not used by every API
            pub(crate) fn map_request(
                self,
                f: impl ::core::ops::FnOnce($crate::RequestBuilder) -> $crate::RequestBuilder,
            ) -> Self {
                Call(self.0.map_request(f))
            }

            /// Changes the JSON body set earlier (optional fields of a flattened body).
            #[allow(dead_code)] // for generated code, not used by every API
            pub(crate) fn map_body(self, f: impl ::core::ops::FnOnce(&mut O::Request)) -> Self {
                Call(self.0.map_body(f))
            }

            /// Requests next pages through `build(pipeline, next_link)` instead of a GET of the link.
            #[allow(dead_code)] // for generated code, not used by every API
            pub(crate) fn set_next_request(
                self,
                build: impl ::core::ops::Fn(&$crate::Pipeline, &str) -> $crate::RequestBuilder
                    + ::core::marker::Send
                    + ::core::marker::Sync
                    + 'static,
            ) -> Self {
                Call(self.0.set_next_request(build))
            }

            /// Sends this `x-ms-client-request-id` (on every request of this call) instead of a random one.
            pub fn client_request_id(self, id: impl ::core::convert::Into<::std::string::String>) -> Self {
                Call(self.0.client_request_id(id))
            }

            /// Sends the request (retrying transient failures) and decodes the response, keeping
            /// status, headers, ETag and request id. A long-running operation is polled to its end and
            /// this is its final response.
            pub async fn send(self) -> $crate::Result<$crate::Response<O::Output>> {
                self.0.send().await
            }

            /// A [`Poller`]($crate::Poller) that sends the request on its first poll and follows the
            /// operation to its end. For an operation that is not long-running the first response is
            /// the result.
            pub fn into_poller(self) -> $crate::Poller<O::Output> {
                self.0.into_poller()
            }

            /// Resumes polling from a [`Poller::resume_token`]($crate::Poller::resume_token) of the
            /// same operation; the request this call would send is not sent.
            pub fn resume_poller(self, token: &str) -> $crate::Result<$crate::Poller<O::Output>> {
                self.0.resume_poller(token)
            }
        }

        impl<O: $crate::Paged> Call<O> {
            /// All items of all pages, fetched lazily page by page. For a long-running operation the
            /// first page is its final result.
            pub fn items(self) -> $crate::Pager<O::Item> {
                self.0.items()
            }

            /// All pages, each with its response metadata, fetched lazily.
            pub fn pages(self) -> $crate::Pages<O::Output> {
                self.0.pages()
            }

            /// Items from `next_link` on (a [`Pager::next_link`]($crate::Pager::next_link) saved
            /// earlier); the first request is not sent.
            pub fn items_from_link(self, next_link: &str) -> $crate::Result<$crate::Pager<O::Item>> {
                self.0.items_from_link(next_link)
            }

            /// Pages from `next_link` on; the first request is not sent.
            pub fn pages_from_link(self, next_link: &str) -> $crate::Result<$crate::Pages<O::Output>> {
                self.0.pages_from_link(next_link)
            }
        }

        impl<O: $crate::Operation<Body = $crate::Binary>> Call<O> {
            /// Sends the request and returns the success response with its binary body unread: a
            /// [`ByteStream`]($crate::ByteStream) that reads it chunk by chunk, however large.
            pub async fn stream(self) -> $crate::Result<$crate::Response<$crate::ByteStream>> {
                self.0.stream().await
            }
        }
        impl<O: $crate::Operation> ::core::future::IntoFuture for Call<O> {
            type Output = $crate::Result<O::Output>;
            type IntoFuture = $crate::BoxFuture<'static, $crate::Result<O::Output>>;

            /// Sends the request and returns the decoded body; a long-running operation is polled
            /// to its end and yields the final result.
            fn into_future(self) -> Self::IntoFuture {
                ::core::future::IntoFuture::into_future(self.0)
            }
        }
    };
}
