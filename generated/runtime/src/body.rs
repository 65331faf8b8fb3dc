//! Reading a response body within a limit: chunk by chunk, never more than the limit in memory.
//! A success body over the limit is an [`ErrorKind::BodyTooLarge`] error (at once when its
//! `Content-Length` says so); an error body is cut at its limit and the rest never read.

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
    pub(crate) bytes: Vec<u8>,
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
    let capacity = announced.map_or(0, |n| n.min(max as u64).min(MAX_PREALLOCATION as u64) as usize);
    let mut bytes = Vec::with_capacity(capacity);
    while let Some(chunk) = response.chunk().await.map_err(Error::from_reqwest)? {
        let room = max - bytes.len();
        if chunk.len() > room {
            return match limit {
                Limit::Fail(_) => Err(too_large(max, "reading stopped there".to_string())),
                Limit::Cut(_) => {
                    bytes.extend_from_slice(&chunk[..room]);
                    Ok(Body { bytes, truncated: true })
                }
            };
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Body { bytes, truncated: false })
}

fn too_large(max: usize, detail: String) -> Error {
    let message = format!("the body exceeds the limit of {max} bytes (ClientOptions::max_response_body); {detail}");
    Error::new(ErrorKind::BodyTooLarge, message)
}
