//! Reading a response body within a limit: chunk by chunk, never more than the limit in memory.
//! A success body over the limit is an [`ErrorKind::BodyTooLarge`] error (at once when its
//! `Content-Length` says so); an error body is cut at its limit and the rest never read.

use bytes::Bytes;

use crate::{Error, ErrorKind, Result};

/// How much of a body to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Limit {
    /// At most this many bytes; a longer body is an error.
    Fail(usize),
    /// At most this many bytes; a longer body is cut there.
    Cut(usize),
}

impl Limit {
    fn bytes(self) -> usize {
        match self {
            Limit::Fail(n) | Limit::Cut(n) => n,
        }
    }
}

/// The body read so far, and whether it was cut.
pub(crate) struct Body {
    pub(crate) bytes: Bytes,
    pub(crate) truncated: bool,
}

/// Bodies are never allocated ahead beyond this, whatever `Content-Length` claims.
const MAX_PREALLOCATION: usize = 1 << 20;

/// Reads `response`'s body within `limit`; transport failures are errors of `reqwest`.
pub(crate) async fn read(mut response: reqwest::Response, limit: Limit) -> Result<Body> {
    let max = limit.bytes();
    let announced = response.content_length();
    if let (Limit::Fail(_), Some(length)) = (limit, announced) {
        if length > max as u64 {
            return Err(too_large(max, format!("Content-Length {length}, nothing read")));
        }
    }
    // A body in one chunk (the common case) is kept as read; more chunks are joined.
    let mut first: Option<Bytes> = None;
    let mut joined = Vec::new();
    let mut read = 0;
    while let Some(chunk) = response.chunk().await.map_err(Error::from_reqwest)? {
        let room = max - read;
        let cut = chunk.len() > room;
        if cut && matches!(limit, Limit::Fail(_)) {
            return Err(too_large(max, "reading stopped there".to_string()));
        }
        let chunk = if cut { chunk.slice(..room) } else { chunk };
        read += chunk.len();
        match first.take() {
            None if joined.is_empty() => first = Some(chunk),
            earlier => {
                if let Some(earlier) = earlier {
                    let expected = announced.map_or(0, |n| n.min(max as u64).min(MAX_PREALLOCATION as u64) as usize);
                    joined.reserve(expected.max(earlier.len() + chunk.len()));
                    joined.extend_from_slice(&earlier);
                }
                joined.extend_from_slice(&chunk);
            }
        }
        if cut {
            return Ok(Body { bytes: body_of(first, joined), truncated: true });
        }
    }
    Ok(Body { bytes: body_of(first, joined), truncated: false })
}

fn body_of(first: Option<Bytes>, joined: Vec<u8>) -> Bytes {
    first.unwrap_or_else(|| Bytes::from(joined))
}

fn too_large(max: usize, detail: String) -> Error {
    let message = format!("the body exceeds the limit of {max} bytes (ClientOptions::max_response_body); {detail}");
    Error::new(ErrorKind::BodyTooLarge, message)
}
