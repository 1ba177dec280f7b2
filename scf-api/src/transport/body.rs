//! Reading an answer's body within the client's size limit.

use bytes::{Bytes, BytesMut};

/// Why a body could not be read whole.
pub(crate) enum BodyError {
    /// The body is larger than the limit; `head` holds its first bytes, for a snippet.
    TooLarge {
        /// The limit in bytes.
        limit: usize,
        /// The length the server announced in `Content-Length`, when it did.
        declared: Option<u64>,
        /// How many (decoded) bytes had arrived when reading stopped.
        received: usize,
        /// The first bytes that arrived.
        head: Bytes,
    },
    /// Reading failed.
    Transport(reqwest::Error),
}

/// How many leading bytes of an oversized body are kept for its error's snippet.
const HEAD_BYTES: usize = 1024;

/// Reads `response`'s body (decoded, when a compression feature decodes it) up to `limit`
/// bytes, refusing at once a body whose `Content-Length` is over the limit and stopping as soon
/// as more than `limit` bytes arrive, so that memory stays within about twice the limit
/// whatever the server sends. A body that arrives in one piece is returned without copying.
pub(crate) async fn read_limited(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Bytes, BodyError> {
    let declared = response.content_length();
    let too_large = |received: usize, head: &[u8]| BodyError::TooLarge {
        limit,
        declared,
        received,
        head: Bytes::copy_from_slice(&head[..head.len().min(HEAD_BYTES)]),
    };
    if declared.is_some_and(|n| n > u64::try_from(limit).unwrap_or(u64::MAX)) {
        // Only the first piece, for the snippet; then the connection is dropped.
        let first = response.chunk().await.ok().flatten().unwrap_or_default();
        return Err(too_large(first.len(), &first));
    }
    let mut first: Option<Bytes> = None;
    let mut buf: Option<BytesMut> = None;
    let mut received: usize = 0;
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Transport)? {
        received = received.saturating_add(chunk.len());
        if received > limit {
            let head = match (&buf, &first) {
                (Some(b), _) => &b[..],
                (None, Some(f)) => &f[..],
                (None, None) => &chunk[..],
            };
            return Err(too_large(received, head));
        }
        match (&mut buf, first.take()) {
            (Some(b), _) => b.extend_from_slice(&chunk),
            (None, None) => first = Some(chunk),
            (None, Some(f)) => {
                let hint = declared.and_then(|n| usize::try_from(n).ok()).unwrap_or(0);
                let mut b = BytesMut::with_capacity(hint.clamp(received, limit));
                b.extend_from_slice(&f);
                b.extend_from_slice(&chunk);
                buf = Some(b);
            }
        }
    }
    Ok(match (buf, first) {
        (Some(b), _) => b.freeze(),
        (None, Some(f)) => f,
        (None, None) => Bytes::new(),
    })
}
