//! Streamed binary responses: [`Call::stream`](crate::Call::stream) sends the request like any
//! call (redirects, retries of failed attempts, error bodies decoded) but leaves a success body
//! unread, and [`ByteStream`] reads it chunk by chunk, never holding more than one chunk.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;

use crate::{BoxFuture, Error, Result};

/// A success response whose body is still on the connection; shared by the clones of the
/// [`RawResponse`](crate::RawResponse) that carries it, and taken once.
#[derive(Clone, Debug)]
pub(crate) struct Unread(Arc<Mutex<Option<reqwest::Response>>>);

impl Unread {
    pub(crate) fn new(response: reqwest::Response) -> Self {
        Unread(Arc::new(Mutex::new(Some(response))))
    }

    pub(crate) fn take(&self) -> Option<reqwest::Response> {
        self.0.lock().ok()?.take()
    }
}

type Chunk = (reqwest::Response, reqwest::Result<Option<Bytes>>);

/// The body of a streamed response: read it with [`next_chunk`](ByteStream::next_chunk) or as a
/// [`futures_core::Stream`] of chunks. The request's timeout (`ClientOptions::timeout`) bounds
/// the whole exchange, reading included.
pub struct ByteStream {
    state: State,
}

enum State {
    /// A body already in memory, handed out as one chunk.
    Buffered(Option<Bytes>),
    /// Between chunks; `None` once the body ended or failed.
    Idle(Option<reqwest::Response>),
    Reading(BoxFuture<'static, Chunk>),
}

impl ByteStream {
    pub(crate) fn new(response: reqwest::Response) -> Self {
        ByteStream { state: State::Idle(Some(response)) }
    }

    /// A body already read.
    pub(crate) fn buffered(bytes: Bytes) -> Self {
        ByteStream { state: State::Buffered(Some(bytes).filter(|b| !b.is_empty())) }
    }

    /// The next chunk of the body; `None` at its end.
    pub async fn next_chunk(&mut self) -> Result<Option<Bytes>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_chunk(cx)).await.transpose()
    }

    /// Reads the rest of the body into memory (at most `limit` bytes, else an
    /// [`ErrorKind::BodyTooLarge`](crate::ErrorKind::BodyTooLarge) error).
    pub async fn collect(mut self, limit: usize) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        while let Some(chunk) = self.next_chunk().await? {
            if out.len() + chunk.len() > limit {
                let message = format!("the streamed body exceeds the limit of {limit} bytes");
                return Err(Error::new(crate::ErrorKind::BodyTooLarge, message));
            }
            out.extend_from_slice(&chunk);
        }
        Ok(out)
    }

    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes>>> {
        loop {
            match &mut self.state {
                State::Buffered(bytes) => return Poll::Ready(bytes.take().map(Ok)),
                State::Idle(None) => return Poll::Ready(None),
                State::Idle(response) => {
                    let Some(mut response) = response.take() else { return Poll::Ready(None) };
                    self.state = State::Reading(Box::pin(async move {
                        let chunk = response.chunk().await;
                        (response, chunk)
                    }));
                }
                State::Reading(reading) => {
                    let (response, chunk) = match reading.as_mut().poll(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(done) => done,
                    };
                    return Poll::Ready(match chunk {
                        Ok(Some(bytes)) => {
                            self.state = State::Idle(Some(response));
                            Some(Ok(bytes))
                        }
                        Ok(None) => {
                            self.state = State::Idle(None);
                            None
                        }
                        Err(e) => {
                            self.state = State::Idle(None);
                            Some(Err(Error::from_reqwest(e)))
                        }
                    });
                }
            }
        }
    }
}

impl futures_core::Stream for ByteStream {
    type Item = Result<Bytes>;
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_chunk(cx)
    }
}

impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ByteStream")
    }
}
