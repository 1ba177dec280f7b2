//! Reading a request body: kept up to [`BODY_LIMIT`], hashed whole, cut off at a deadline.

use std::time::Duration;

use http_body_util::BodyExt;
use hyper::body::Incoming;
use sha2::{Digest, Sha256};

use crate::BODY_LIMIT;

/// Bodies are read (hashed and discarded past [`BODY_LIMIT`]) up to this many bytes so that the
/// client sees the error answer instead of a reset connection; beyond it the server stops reading.
const DRAIN_LIMIT: u64 = 64 * 1024 * 1024;

/// A request body as read by the server.
pub(crate) struct ReadBody {
    /// The first [`BODY_LIMIT`] bytes.
    pub(crate) kept: Vec<u8>,
    /// How many bytes were read in total.
    pub(crate) len: u64,
    /// Hex SHA-256 of all bytes read.
    pub(crate) sha256_hex: String,
    /// The server stopped reading at [`DRAIN_LIMIT`].
    pub(crate) gave_up: bool,
    /// The whole body did not arrive within the server's body timeout.
    pub(crate) timed_out: bool,
    /// Reading failed (e.g. the client went away).
    pub(crate) error: Option<String>,
}

/// What has been read so far.
struct Reader {
    kept: Vec<u8>,
    len: u64,
    hasher: Sha256,
    gave_up: bool,
    error: Option<String>,
}

impl Reader {
    /// Reads frames until the body ends, fails or passes [`DRAIN_LIMIT`].
    async fn read(&mut self, mut incoming: Incoming) {
        while let Some(frame) = incoming.frame().await {
            let frame = match frame {
                Ok(frame) => frame,
                Err(e) => {
                    self.error = Some(e.to_string());
                    return;
                }
            };
            let Ok(data) = frame.into_data() else {
                continue; // trailers
            };
            self.len = self.len.saturating_add(data.len() as u64);
            self.hasher.update(&data);
            let room = BODY_LIMIT.saturating_sub(self.kept.len());
            self.kept.extend_from_slice(&data[..room.min(data.len())]);
            if self.len > DRAIN_LIMIT {
                self.gave_up = true;
                return;
            }
        }
    }
}

/// Reads the body of a request, giving up when it has not ended within `timeout` of the
/// headers (a client trickling its body must not hold the connection and its buffer forever).
pub(crate) async fn read_body(incoming: Incoming, timeout: Duration) -> ReadBody {
    let mut reader = Reader {
        kept: Vec::new(),
        len: 0,
        hasher: Sha256::new(),
        gave_up: false,
        error: None,
    };
    let timed_out = tokio::time::timeout(timeout, reader.read(incoming))
        .await
        .is_err();
    let kept = if timed_out {
        // Never checked or kept: do not hold on to a partial body.
        Vec::new()
    } else {
        reader.kept
    };
    ReadBody {
        kept,
        len: reader.len,
        sha256_hex: hex::encode(reader.hasher.finalize()),
        gave_up: reader.gave_up,
        timed_out,
        error: reader.error,
    }
}
