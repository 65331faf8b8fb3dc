//! Paging: [`Pager`] (items) and [`Pages`] (whole pages) follow next links lazily,
//! resolve relative links against the endpoint, and stop with
//! [`ErrorKind::Paging`](crate::ErrorKind::Paging) on a repeated link.
//!
//! Repeats are found in bounded memory ([`Cycles`]): a link equal to one of the last 32 is caught
//! at once; a longer cycle is caught by Brent's method (a link is remembered at page 1, 2, 4, 8, …
//! and compared with every page after it) within four times the pages up to its first repeat.
//! Links are compared by a keyed 64-bit hash, so a pager holds a few hundred bytes whatever the
//! number or length of the links it has followed.

use std::collections::hash_map::RandomState;
use std::collections::VecDeque;
use std::hash::BuildHasher;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};

use futures_core::Stream;
use reqwest::Url;

use crate::exchange::Exchange;
use crate::redact::redact;
use crate::request::Prepared;
use crate::{BoxFuture, Error, ErrorKind, Pipeline, RawResponse, RequestBuilder, Response, Result};

/// Turns one page response into a page value and its next link.
pub(crate) type PageDecoder<T> = fn(RawResponse) -> Result<(T, Option<String>)>;

/// Builds the request for the page a next link names, through the operation
/// `x-ms-pageable.operationName` gives (generated per operation).
pub(crate) type NextRequest = Arc<dyn Fn(&Pipeline, &str) -> RequestBuilder + Send + Sync>;

const API_VERSION: &str = "api-version";

/// Which request comes next; the non-generic part of paging.
pub(crate) struct PageCore {
    exchange: Exchange,
    next: Next,
    /// Stopped after an error; `next` is kept so the link can be resumed from.
    stopped: bool,
    seen: Cycles,
    /// The first request's `api-version` (encoded): next links get it, replacing their own, as
    /// Azure clients do.
    api_version: Option<String>,
    next_request: Option<NextRequest>,
}

/// Where the first page comes from.
pub(crate) enum FirstPage {
    /// The operation's request, sent and checked against its success statuses.
    Request(RequestBuilder),
    /// A response obtained another way (the final response of a long-running operation); next
    /// pages then accept any 2xx.
    Response(BoxFuture<'static, Result<RawResponse>>),
}

enum Next {
    First(FirstPage),
    /// `resume` is what [`Pager::next_link`] reports: the resolved URL, or the link as sent for a
    /// next-page operation.
    Link {
        resume: String,
        request: Prepared,
    },
    Done,
}

/// The `api-version` (encoded) of an operation's request, which next links are given.
pub(crate) fn api_version(request: &RequestBuilder) -> Option<String> {
    request.query_value(API_VERSION).map(str::to_owned)
}

impl PageCore {
    /// Paging from the first page on; `api_version` is the operation's (see [`api_version`]).
    pub(crate) fn first(
        exchange: Exchange,
        api_version: Option<String>,
        first: FirstPage,
        next_request: Option<NextRequest>,
    ) -> Self {
        let exchange = match first {
            FirstPage::Request(_) => exchange,
            FirstPage::Response(_) => exchange.any_2xx(),
        };
        PageCore::new(exchange, api_version, Next::First(first), next_request)
    }

    /// Paging from a saved next link on; the operation's own request is not sent.
    pub(crate) fn from_link(
        exchange: Exchange,
        api_version: Option<String>,
        link: &str,
        next_request: Option<NextRequest>,
    ) -> Result<Self> {
        let mut core = PageCore::new(exchange, api_version, Next::Done, next_request);
        core.advance(Some(link.to_string()))?;
        Ok(core)
    }

    fn new(exchange: Exchange, api_version: Option<String>, next: Next, next_request: Option<NextRequest>) -> Self {
        PageCore { exchange, next, stopped: false, seen: Cycles::new(), api_version, next_request }
    }

    fn has_next(&self) -> bool {
        !self.stopped && !matches!(self.next, Next::Done)
    }

    fn next_link(&self) -> Option<&str> {
        match &self.next {
            Next::Link { resume, .. } => Some(resume),
            _ => None,
        }
    }

    fn fetch(mut self) -> BoxFuture<'static, (PageCore, Result<RawResponse>)> {
        Box::pin(async move {
            let result = self.fetch_once().await;
            (self, result)
        })
    }

    async fn fetch_once(&mut self) -> Result<RawResponse> {
        let request = match std::mem::replace(&mut self.next, Next::Done) {
            Next::First(FirstPage::Request(request)) => {
                let prepared = request.prepare()?;
                self.seen.insert(prepared.url.as_str());
                prepared
            }
            Next::First(FirstPage::Response(response)) => {
                let result = response.await;
                self.stopped = result.is_err();
                return result;
            }
            Next::Link { resume, request } => {
                self.next = Next::Link { resume, request: request.clone() };
                request
            }
            Next::Done => return Err(Error::new(ErrorKind::Paging, "no further page")),
        };
        // Sent and checked in this future: an `async fn` for the two would copy the send loop's.
        let result = self.exchange.send(&request).await.and_then(|mut raw| {
            self.exchange.answered(&mut raw, &request);
            self.exchange.check(&raw).map(|()| raw)
        });
        if result.is_err() {
            self.stopped = true;
        }
        result
    }

    /// Moves on to `link` (none or empty: the last page was read).
    fn advance(&mut self, link: Option<String>) -> Result<()> {
        self.next = Next::Done;
        let Some(link) = link.filter(|l| !l.trim().is_empty()) else {
            return Ok(());
        };
        let (resume, request) = match &self.next_request {
            Some(build) => (link.clone(), build(&self.exchange.pipeline, &link).prepare()?),
            None => {
                let mut url = self.exchange.pipeline.resolve_link(&link)?;
                if let Some(version) = &self.api_version {
                    set_api_version(&mut url, version);
                }
                (url.to_string(), Prepared::get(url))
            }
        };
        if !self.seen.insert(request.url.as_str()) {
            return Err(Error::new(
                ErrorKind::Paging,
                format!("the service sent the next link {} a second time", redact(request.url.path())),
            ));
        }
        self.next = Next::Link { resume, request };
        Ok(())
    }
}

/// Links compared with every new one.
const RECENT: usize = 32;

/// The links a pager has followed, as far as finding a repeat needs them (see the module docs).
struct Cycles {
    keys: RandomState,
    recent: VecDeque<u64>,
    /// Brent's marker: the link at the last power of two, and the pages since it.
    marker: Option<u64>,
    power: u64,
    since_marker: u64,
}

impl Cycles {
    fn new() -> Self {
        Cycles {
            keys: RandomState::new(),
            recent: VecDeque::with_capacity(RECENT),
            marker: None,
            power: 1,
            since_marker: 0,
        }
    }

    /// Records `link`; `false` when it repeats one seen before.
    fn insert(&mut self, link: &str) -> bool {
        let hash = self.keys.hash_one(link);
        if self.marker == Some(hash) || self.recent.contains(&hash) {
            return false;
        }
        if self.recent.len() == RECENT {
            self.recent.pop_front();
        }
        self.recent.push_back(hash);
        self.since_marker += 1;
        if self.since_marker >= self.power {
            self.marker = Some(hash);
            self.power = self.power.saturating_mul(2);
            self.since_marker = 0;
        }
        true
    }
}

/// Replaces every `api-version` of `url`'s query (names compared ignoring case) with `version`
/// (already encoded), keeping every other pair exactly as the service wrote it.
fn set_api_version(url: &mut Url, version: &str) {
    let mut query: String = url
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|pair| {
            let name = pair.split('=').next().unwrap_or_default();
            !pair.is_empty()
                && !percent_encoding::percent_decode_str(name).decode_utf8_lossy().eq_ignore_ascii_case(API_VERSION)
        })
        .collect::<Vec<_>>()
        .join("&");
    if !query.is_empty() {
        query.push('&');
    }
    query.push_str(API_VERSION);
    query.push('=');
    query.push_str(version);
    url.set_query(Some(&query));
}

/// A stream of pages of `T`; `Pager` and `Pages` are thin layers over it.
struct PageStream<T> {
    core: Option<PageCore>,
    fetching: Option<BoxFuture<'static, (PageCore, Result<RawResponse>)>>,
    decode: PageDecoder<T>,
    pending_error: Option<Error>,
}

impl<T> PageStream<T> {
    fn new(core: PageCore, decode: PageDecoder<T>) -> Self {
        PageStream { core: Some(core), fetching: None, decode, pending_error: None }
    }

    fn next_link(&self) -> Option<&str> {
        self.core.as_ref()?.next_link()
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T>>> {
        if let Some(error) = self.pending_error.take() {
            return Poll::Ready(Some(Err(error)));
        }
        if self.fetching.is_none() {
            match self.core.take() {
                Some(core) if core.has_next() => self.fetching = Some(core.fetch()),
                other => {
                    self.core = other;
                    return Poll::Ready(None);
                }
            }
        }
        let Some(fetching) = &mut self.fetching else {
            return Poll::Ready(None);
        };
        let (mut core, result) = ready!(fetching.as_mut().poll(cx));
        self.fetching = None;
        let outcome = match result.and_then(self.decode) {
            Ok((page, next)) => {
                if let Err(error) = core.advance(next) {
                    core.stopped = true;
                    self.pending_error = Some(error);
                }
                Ok(page)
            }
            Err(error) => {
                core.stopped = true;
                Err(error)
            }
        };
        self.core = Some(core);
        Poll::Ready(Some(outcome))
    }
}

/// All items of a paged operation as a lazy `Stream<Item = Result<I>>`.
///
/// Pages are requested one at a time as items are consumed. The stream ends after the
/// last page or after the first error.
pub struct Pager<I> {
    pages: PageStream<Vec<I>>,
    items: std::vec::IntoIter<I>,
}

impl<I> Pager<I> {
    pub(crate) fn from_core(core: PageCore, decode: PageDecoder<Vec<I>>) -> Self {
        Pager { pages: PageStream::new(core, decode), items: Vec::new().into_iter() }
    }

    /// The link of the next page not yet requested (to resume later with
    /// `Call::items_from_link`); `None` before the first page and after the last.
    pub fn next_link(&self) -> Option<&str> {
        self.pages.next_link()
    }
}

// Nothing in a Pager is pinned in place: the in-flight request is boxed.
impl<I> Unpin for Pager<I> {}

impl<I> Stream for Pager<I> {
    type Item = Result<I>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<I>>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.items.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match ready!(this.pages.poll_page(cx)) {
                Some(Ok(items)) => this.items = items.into_iter(),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => return Poll::Ready(None),
            }
        }
    }
}

/// All pages of a paged operation, each with its response metadata, as a lazy
/// `Stream<Item = Result<Response<P>>>`. Ends after the last page or the first error.
pub struct Pages<P> {
    pages: PageStream<Response<P>>,
}

impl<P> Pages<P> {
    pub(crate) fn from_core(core: PageCore, decode: PageDecoder<Response<P>>) -> Self {
        Pages { pages: PageStream::new(core, decode) }
    }

    /// The link of the next page not yet requested (see [`Pager::next_link`]).
    pub fn next_link(&self) -> Option<&str> {
        self.pages.next_link()
    }
}

impl<P> Unpin for Pages<P> {}

impl<P> Stream for Pages<P> {
    type Item = Result<Response<P>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().pages.poll_page(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::decode_error_model;
    use crate::{ClientOptions, Credential, Method};

    fn exchange(endpoint: &str, base_path: &str) -> Exchange {
        let pipeline =
            Pipeline::new(crate::client_info!(), endpoint, base_path, Credential::none(), ClientOptions::default())
                .unwrap();
        Exchange {
            pipeline,
            client_request_id: "id".into(),
            success: &[200],
            decode_error: decode_error_model::<serde_json::Value>,
        }
    }

    /// Paging from `request` of `exchange`'s pipeline on, with an optional next-page operation.
    fn paging(exchange: Exchange, request: RequestBuilder, next_request: Option<NextRequest>) -> PageCore {
        PageCore::first(exchange, api_version(&request), FirstPage::Request(request), next_request)
    }

    fn core() -> PageCore {
        let exchange = exchange("https://h.example", "/api");
        let request = exchange.pipeline.request(Method::GET).path("/devices");
        paging(exchange, request, None)
    }

    #[test]
    fn next_links_get_the_operations_api_version() {
        let exchange = exchange("https://h.example", "");
        let request = exchange.pipeline.request(Method::GET).path("/d").query("api-version", "2022-07-31");
        let mut core = paging(exchange, request, None);
        core.advance(Some("/d?Api-Version=old&%24skiptoken=a%2Fb&t=1/1/1970%2012%3A00".into())).unwrap();
        assert_eq!(
            core.next_link(),
            Some("https://h.example/d?%24skiptoken=a%2Fb&t=1/1/1970%2012%3A00&api-version=2022-07-31")
        );
        core.advance(Some("/d?page=3".into())).unwrap();
        assert_eq!(core.next_link(), Some("https://h.example/d?page=3&api-version=2022-07-31"));
    }

    #[test]
    fn a_next_page_operation_builds_the_request_from_the_link() {
        let exchange = exchange("https://h.example", "");
        let request = exchange.pipeline.request(Method::GET).path("/t/x").query("api_version", "1.6");
        let next: NextRequest = Arc::new(|p: &Pipeline, link: &str| {
            p.request(Method::GET).path("/t/x/").path_param_raw(link).query("api_version", "1.6")
        });
        let mut core = paging(exchange, request, Some(next));
        core.advance(Some("next?page=2".into())).unwrap();
        assert_eq!(core.next_link(), Some("next?page=2"), "resumable from the link as the service sent it");
        let Next::Link { request, .. } = &core.next else { panic!("expected a next request") };
        assert_eq!(request.url.as_str(), "https://h.example/t/x/next?page=2&api_version=1.6");
        core.advance(Some("next?page=2".into())).unwrap_err();
    }

    #[test]
    fn next_links_resolve_and_repeats_stop_paging() {
        let mut core = core();
        core.seen.insert("https://h.example/api/devices");
        core.advance(Some("devices?page=2".into())).unwrap();
        assert_eq!(core.next_link(), Some("https://h.example/api/devices?page=2"));
        core.advance(Some("https://h.example/api/devices?page=3".into())).unwrap();
        let err = core.advance(Some("/api/devices?page=2".into())).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Paging);
        assert!(!core.has_next());
        assert!(!err.to_string().contains("page=2"), "queries may hold tokens: {err}");
    }

    #[test]
    fn missing_or_empty_next_link_ends_paging() {
        let mut core = core();
        core.advance(Some("  ".into())).unwrap();
        assert!(!core.has_next());
        let mut core = self::core();
        core.advance(None).unwrap();
        assert!(!core.has_next());
    }

    #[test]
    fn cycles_of_any_length_are_found_in_bounded_memory() {
        for (lead, cycle) in [(0, 1), (3, 2), (0, 40), (500, 1000), (7, 4099)] {
            let mut seen = Cycles::new();
            let link =
                |i: usize| format!("https://h.example/p?page={}", if i < lead { i } else { lead + (i - lead) % cycle });
            let found = (0..).find(|&i| !seen.insert(&link(i))).unwrap();
            assert!(found >= lead + cycle, "({lead}, {cycle}): a repeat only once the cycle has turned");
            assert!(found <= 4 * (lead + cycle) + RECENT, "({lead}, {cycle}): found at page {found}");
            assert!(seen.recent.len() <= RECENT);
        }
        let mut seen = Cycles::new();
        let growing = (0..100_000).all(|i| seen.insert(&format!("/p?x={}", "a".repeat(i % 97))) || i >= 97);
        assert!(growing);
        assert_eq!(seen.recent.len(), RECENT, "memory does not grow with the number of links");
    }

    #[test]
    fn a_link_back_to_the_first_page_is_a_repeat() {
        let mut core = core();
        core.seen.insert("https://h.example/api/devices");
        assert_eq!(core.advance(Some("/api/devices".into())).unwrap_err().kind(), ErrorKind::Paging);
    }
}
