//! Paging: [`Pager`] (items) and [`Pages`] (whole pages) follow next links lazily,
//! resolve relative links against the endpoint, and stop with
//! [`ErrorKind::Paging`](crate::runtime::ErrorKind::Paging) on a repeated link.

use std::collections::HashSet;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use futures_core::Stream;
use reqwest::Url;

use crate::runtime::error::ErrorDecoder;
use crate::runtime::pipeline::check_status;
use crate::runtime::{BoxFuture, Error, ErrorKind, Pipeline, RawResponse, RequestBuilder, Response, Result};

/// Turns one page response into a page value and its next link.
pub(crate) type PageDecoder<T> = fn(RawResponse) -> Result<(T, Option<String>)>;

/// Which request comes next; the non-generic part of paging.
pub(crate) struct PageCore {
    pipeline: Pipeline,
    client_request_id: String,
    success: &'static [u16],
    decode_error: ErrorDecoder,
    next: Next,
    /// Stopped after an error; `next` is kept so the link can be resumed from.
    stopped: bool,
    seen: HashSet<String>,
}

enum Next {
    First(RequestBuilder),
    Link(Url),
    Done,
}

impl PageCore {
    pub(crate) fn first(
        pipeline: Pipeline,
        request: RequestBuilder,
        client_request_id: String,
        success: &'static [u16],
        decode_error: ErrorDecoder,
    ) -> Self {
        PageCore {
            pipeline,
            client_request_id,
            success,
            decode_error,
            next: Next::First(request),
            stopped: false,
            seen: HashSet::new(),
        }
    }

    pub(crate) fn from_link(
        pipeline: Pipeline,
        link: &str,
        client_request_id: String,
        success: &'static [u16],
        decode_error: ErrorDecoder,
    ) -> Result<Self> {
        let url = pipeline.resolve_link(link)?;
        let mut seen = HashSet::new();
        seen.insert(url.to_string());
        Ok(PageCore { pipeline, client_request_id, success, decode_error, next: Next::Link(url), stopped: false, seen })
    }

    fn has_next(&self) -> bool {
        !self.stopped && !matches!(self.next, Next::Done)
    }

    fn next_link(&self) -> Option<&str> {
        match &self.next {
            Next::Link(url) => Some(url.as_str()),
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
            Next::First(request) => {
                let prepared = request.prepare()?;
                self.seen.insert(prepared.url.to_string());
                prepared
            }
            Next::Link(url) => {
                self.next = Next::Link(url.clone());
                self.pipeline.get(url)
            }
            Next::Done => return Err(Error::new(ErrorKind::Paging, "no further page")),
        };
        let result = match self.pipeline.execute(&request, &self.client_request_id).await {
            Ok(raw) => check_status(raw, self.success, self.decode_error),
            Err(e) => Err(e),
        };
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
        let url = self.pipeline.resolve_link(&link)?;
        if !self.seen.insert(url.to_string()) {
            return Err(Error::new(
                ErrorKind::Paging,
                format!("the service sent the next link {} a second time", url.path()),
            ));
        }
        self.next = Next::Link(url);
        Ok(())
    }
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
    use crate::runtime::error::decode_error_model;
    use crate::runtime::{ClientOptions, Credential};

    fn core() -> PageCore {
        let pipeline =
            Pipeline::new("https://h.example", "/api", Credential::none(), ClientOptions::default()).unwrap();
        let request = pipeline.request(reqwest::Method::GET).path("/devices");
        PageCore::first(pipeline, request, "id".into(), &[200], decode_error_model::<serde_json::Value>)
    }

    #[test]
    fn next_links_resolve_and_repeats_stop_paging() {
        let mut core = core();
        core.seen.insert("https://h.example/api/devices".into());
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
    fn a_link_back_to_the_first_page_is_a_repeat() {
        let mut core = core();
        core.seen.insert("https://h.example/api/devices".into());
        assert_eq!(core.advance(Some("/api/devices".into())).unwrap_err().kind(), ErrorKind::Paging);
    }
}
