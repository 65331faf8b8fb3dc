//! Binary request bodies: [`BinaryBody`], bytes or a caller's stream of chunks, and the prepared
//! form the send loop sends. Bytes are sent again on every retry and redirect; a stream is sent
//! once: the send loop asks whether it still can before it retries or follows a redirect that
//! keeps the body.

use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type Chunks = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send>>;

/// A binary request body (`application/octet-stream` and other non-JSON media types): bytes, or a
/// stream of chunks read while the request is sent, never held whole.
///
/// Bytes come from `Vec<u8>`, `&[u8]`, `String`, `&str` or [`Bytes`](crate::Bytes) (`.into()`);
/// a stream from [`BinaryBody::from_stream`] or, with a known length sent as `Content-Length`,
/// [`BinaryBody::from_stream_with_length`] (else the body is sent chunked).
///
/// A stream is sent at most once: a request whose streamed body started sending is not retried
/// (its last response or error is the call's) and a `307`/`308` redirect that would need the body
/// again is an [`ErrorKind::Redirect`](crate::ErrorKind::Redirect) error. Before the first chunk
/// is read (a connection that could not be made, a redirect answered at once) the stream is still
/// whole, so retries and redirects go on as for bytes.
pub struct BinaryBody(Inner);

enum Inner {
    Bytes(Bytes),
    Stream { chunks: Chunks, length: Option<u64> },
}

impl BinaryBody {
    /// A body read from `stream` while the request is sent, `Transfer-Encoding: chunked`. A
    /// failing chunk ends the request with an error ([`ErrorKind::Io`](crate::ErrorKind::Io)).
    pub fn from_stream<S, T, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<T, E>> + Send + 'static,
        Bytes: From<T>,
        E: Into<BoxError>,
    {
        BinaryBody(Inner::Stream { chunks: Box::pin(Converted(Box::pin(stream))), length: None })
    }

    /// A body of exactly `length` bytes read from `stream`, sent with `Content-Length: {length}`.
    /// A stream that yields more or fewer bytes ends the request with an error.
    pub fn from_stream_with_length<S, T, E>(stream: S, length: u64) -> Self
    where
        S: Stream<Item = Result<T, E>> + Send + 'static,
        Bytes: From<T>,
        E: Into<BoxError>,
    {
        BinaryBody(Inner::Stream { chunks: Box::pin(Converted(Box::pin(stream))), length: Some(length) })
    }

    /// The body's length, if known (bytes, or a stream given its length): its `Content-Length`.
    pub fn content_length(&self) -> Option<u64> {
        match &self.0 {
            Inner::Bytes(bytes) => Some(bytes.len() as u64),
            Inner::Stream { length, .. } => *length,
        }
    }

    /// Whether the body is a stream (sent once) rather than bytes.
    pub fn is_stream(&self) -> bool {
        matches!(self.0, Inner::Stream { .. })
    }

    pub(crate) fn prepare(self) -> PreparedBody {
        match self.0 {
            Inner::Bytes(bytes) => PreparedBody::Bytes(bytes),
            Inner::Stream { chunks, length } => {
                PreparedBody::Stream { slot: Arc::new(Mutex::new(Some(chunks))), length }
            }
        }
    }
}

impl From<Bytes> for BinaryBody {
    fn from(bytes: Bytes) -> Self {
        BinaryBody(Inner::Bytes(bytes))
    }
}

/// What converted into `Vec<u8>` before converts into a body: owned bytes taken over, borrowed
/// ones copied.
macro_rules! from_bytes {
    ($($ty:ty => $convert:path),* $(,)?) => {$(
        impl From<$ty> for BinaryBody {
            fn from(bytes: $ty) -> Self {
                BinaryBody(Inner::Bytes($convert(bytes)))
            }
        }
    )*};
}
from_bytes!(
    Vec<u8> => Bytes::from,
    Box<[u8]> => Bytes::from,
    String => Bytes::from,
    &[u8] => Bytes::copy_from_slice,
    &str => copy_str,
);

fn copy_str(text: &str) -> Bytes {
    Bytes::copy_from_slice(text.as_bytes())
}

impl<const N: usize> From<[u8; N]> for BinaryBody {
    fn from(bytes: [u8; N]) -> Self {
        BinaryBody(Inner::Bytes(Bytes::copy_from_slice(&bytes)))
    }
}

impl<const N: usize> From<&[u8; N]> for BinaryBody {
    fn from(bytes: &[u8; N]) -> Self {
        BinaryBody(Inner::Bytes(Bytes::copy_from_slice(bytes)))
    }
}

impl fmt::Debug for BinaryBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Inner::Bytes(bytes) => f.debug_struct("BinaryBody").field("bytes", &bytes.len()).finish(),
            Inner::Stream { length, .. } => f.debug_struct("BinaryBody").field("stream_length", length).finish(),
        }
    }
}

/// The caller's stream (boxed: pinned without projecting) with its chunks as `Bytes` and its
/// errors boxed.
struct Converted<S>(Pin<Box<S>>);

impl<S, T, E> Stream for Converted<S>
where
    S: Stream<Item = Result<T, E>>,
    Bytes: From<T>,
    E: Into<BoxError>,
{
    type Item = Result<Bytes, BoxError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let item = self.get_mut().0.as_mut().poll_next(cx);
        item.map(|item| item.map(|r| r.map(Bytes::from).map_err(Into::into)))
    }
}

/// A body as the send loop sends it (cloned with the request for every attempt): bytes, or the
/// one stream, shared until an attempt starts reading it and takes it.
#[derive(Clone)]
pub(crate) enum PreparedBody {
    Bytes(Bytes),
    Stream { slot: Arc<Mutex<Option<Chunks>>>, length: Option<u64> },
}

impl PreparedBody {
    /// Whether the body can (still) be sent: bytes always, a stream until its first chunk is read.
    pub(crate) fn resendable(&self) -> bool {
        match self {
            PreparedBody::Bytes(_) => true,
            PreparedBody::Stream { slot, .. } => slot.lock().unwrap_or_else(PoisonError::into_inner).is_some(),
        }
    }

    /// The body for one request.
    pub(crate) fn to_reqwest(&self) -> reqwest::Body {
        match self {
            PreparedBody::Bytes(bytes) => reqwest::Body::from(bytes.clone()),
            PreparedBody::Stream { slot, length } => {
                reqwest::Body::wrap(Upload { state: State::Waiting(slot.clone()), length: *length, sent: 0 })
            }
        }
    }

    /// The bytes of a body that is not a stream (tests of the request builder).
    #[cfg(test)]
    pub(crate) fn bytes(&self) -> Option<&[u8]> {
        match self {
            PreparedBody::Bytes(bytes) => Some(bytes),
            PreparedBody::Stream { .. } => None,
        }
    }
}

impl fmt::Debug for PreparedBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PreparedBody::Bytes(bytes) => write!(f, "Bytes({})", bytes.len()),
            PreparedBody::Stream { length, .. } => write!(f, "Stream({length:?})"),
        }
    }
}

/// One request's streamed body. `reqwest` wants a `Sync` body; the stream is only ever reached
/// through `&mut`, which a `Mutex` grants without locking.
struct Upload {
    state: State,
    length: Option<u64>,
    sent: u64,
}

enum State {
    /// Nothing read yet: the stream is still the request's, for a retry or a redirect.
    Waiting(Arc<Mutex<Option<Chunks>>>),
    Reading(Mutex<Chunks>),
    Done,
}

impl http_body::Body for Upload {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        loop {
            match &mut this.state {
                State::Done => return Poll::Ready(None),
                State::Waiting(slot) => {
                    let taken = slot.lock().unwrap_or_else(PoisonError::into_inner).take();
                    let Some(chunks) = taken else {
                        this.state = State::Done;
                        return Poll::Ready(Some(Err("the streamed request body was already sent".into())));
                    };
                    this.state = State::Reading(Mutex::new(chunks));
                }
                State::Reading(chunks) => {
                    let chunks = chunks.get_mut().unwrap_or_else(PoisonError::into_inner);
                    let item = match chunks.as_mut().poll_next(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(item) => item,
                    };
                    let checked = this.check(item);
                    if !matches!(checked, Some(Ok(_))) {
                        this.state = State::Done;
                    }
                    return Poll::Ready(checked.map(|r| r.map(http_body::Frame::data)));
                }
            }
        }
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match self.length {
            Some(length) => http_body::SizeHint::with_exact(length),
            None => http_body::SizeHint::default(),
        }
    }
}

impl Upload {
    /// `item` of the stream, or an error when the stream yields more or fewer bytes than its
    /// announced length (the server would read a cut or an overlong body as another request).
    fn check(&mut self, item: Option<Result<Bytes, BoxError>>) -> Option<Result<Bytes, BoxError>> {
        match (item, self.length) {
            (Some(Ok(chunk)), Some(length)) => {
                self.sent += chunk.len() as u64;
                match self.sent > length {
                    true => Some(Err(format!("the streamed request body is longer than its length {length}").into())),
                    false => Some(Ok(chunk)),
                }
            }
            (None, Some(length)) if self.sent < length => {
                Some(Err(format!("the streamed request body ended after {} of its {length} bytes", self.sent).into()))
            }
            (item, _) => item,
        }
    }
}
