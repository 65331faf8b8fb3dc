//! The hand-written runtime every generated API module calls into.
//!
//! Generated code only builds requests (path, query, headers, body) and decodes
//! responses; everything that happens on the wire lives here, once:
//!
//! | module | owns |
//! |---|---|
//! | `options` | [`ClientOptions`], [`RetryOptions`] and the injectable [`Sleep`] |
//! | `credential` | [`Credential`], [`ApiToken`], [`BearerToken`], [`TokenCredential`] and token caching |
//! | `pipeline` | endpoint joining, request building, sending with retries, tracing, request ids |
//! | `retry` | the pure retry decision ([`ShouldRetry`]) and `Retry-After` parsing |
//! | `params` | [`ParamValue`], [`CollectionFormat`], [`UnknownEnumValue`], percent-encoding of path segments and query values |
//! | `call` | [`Operation`], [`Paged`], [`Call`] and awaiting an operation |
//! | `response` | [`RawResponse`] and [`Response`] |
//! | `pager` | [`Pager`] and [`Pages`]: following `nextLink`s |
//! | `poller` | [`Poller`]: long-running operations |
//! | `error` | [`Error`] and [`ErrorKind`] |
//! | `etag` | [`ETag`], [`IfMatch`], [`HasEtag`] |
//! | `datetime` | [`DateTime`], a lossless, tolerant date-time |
//! | `serde_support` | helpers generated models use: read-only fields, discriminated unions |
//!
//! The same files are copied into standalone generated crates, so they only ever
//! refer to themselves as `crate::runtime`.

mod call;
mod credential;
mod datetime;
mod error;
mod etag;
mod options;
mod pager;
mod params;
mod pipeline;
mod poller;
mod response;
mod retry;
mod serde_support;

use std::future::Future;
use std::pin::Pin;

pub use call::{Call, Decode, Empty, Json, JsonOpt, Operation, Paged, ServiceErrorModel};
pub use credential::{AccessToken, ApiToken, BearerToken, Credential, TokenCredential};
pub use datetime::{DateTime, DateTimeParseError};
pub use error::{Error, ErrorKind, ServiceErrorModelDyn};
pub use etag::{ETag, HasEtag, IfMatch, IfNoneMatch};
pub use options::{ClientOptions, RetryOptions, Sleep, TokioSleep};
pub use pager::{Pager, Pages};
#[doc(hidden)]
pub use params::join_csv;
pub use params::{CollectionFormat, ParamValue, UnknownEnumValue};
pub use pipeline::{host_param, Pipeline, RequestBuilder};
pub use poller::{FinalStateVia, PollStatus, Poller};
pub use response::{RawResponse, Response};
#[doc(hidden)]
pub use retry::ShouldRetry;
#[doc(hidden)]
pub use serde_support::{discriminator, from_value, in_request_body, skip_read_only, Fields, MapWriter};

/// The result type of every fallible runtime and operation call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A boxed, `Send` future, as returned by [`Sleep`], [`TokenCredential`] and awaited operations.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
