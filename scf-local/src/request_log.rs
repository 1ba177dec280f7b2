//! The bounded log of received requests behind [`Server::requests`](crate::Server::requests).
//!
//! Every request is recorded once its answer is decided, but the log keeps only the newest
//! records, within a count and a byte budget, and at most a prefix of each body. A request that
//! did not pass authentication keeps no body at all (only its length) and the `Signature` of
//! its `Authorization` header is masked: it may have been meant for the real service.

use std::collections::VecDeque;

use hyper::http::request::Parts;

use crate::record::{Outcome, RecordedRequest};

/// How much of the received requests a server keeps for [`Server::requests`], set with
/// [`ServerBuilder::request_log`].
///
/// The defaults ([`RequestLogLimits::default`]) suit tests: the newest
/// [`DEFAULT_MAX_RECORDS`](Self::DEFAULT_MAX_RECORDS) requests, the first
/// [`DEFAULT_MAX_BODY_BYTES`](Self::DEFAULT_MAX_BODY_BYTES) of each body, and at most
/// [`DEFAULT_MAX_BYTES`](Self::DEFAULT_MAX_BYTES) in all; the oldest records go first. The
/// `scf-local` binary keeps no log unless asked to (`--record-requests N`).
///
/// ```
/// # async fn demo() -> std::io::Result<()> {
/// let server = scf_local::Server::builder()
///     .request_log(scf_local::RequestLogLimits::default().max_records(10).max_body_bytes(1024))
///     .start()
///     .await?;
/// assert!(server.requests().is_empty());
/// # Ok(())
/// # }
/// ```
///
/// [`Server::requests`]: crate::Server::requests
/// [`ServerBuilder::request_log`]: crate::ServerBuilder::request_log
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestLogLimits {
    max_records: usize,
    max_body_bytes: usize,
    max_bytes: usize,
}

impl RequestLogLimits {
    /// The number of records kept by default: 1,000.
    pub const DEFAULT_MAX_RECORDS: usize = 1_000;
    /// The body bytes kept per record by default: 64 KiB.
    pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024;
    /// The bytes (bodies, headers and the other fields) kept in all by default: 16 MiB.
    pub const DEFAULT_MAX_BYTES: usize = 16 * 1024 * 1024;

    /// No log at all: [`Server::requests`](crate::Server::requests) stays empty.
    pub const fn off() -> Self {
        RequestLogLimits {
            max_records: 0,
            max_body_bytes: 0,
            max_bytes: 0,
        }
    }

    /// Keeps at most `n` records, dropping the oldest first (0: no log).
    pub const fn max_records(mut self, n: usize) -> Self {
        self.max_records = n;
        self
    }

    /// Keeps at most the first `n` bytes of each body. A record of a longer body has
    /// [`RecordedRequest::body_len`] and [`RecordedRequest::body_sha256`] of the whole body,
    /// and [`RecordedRequest::json`] gives `None`.
    pub const fn max_body_bytes(mut self, n: usize) -> Self {
        self.max_body_bytes = n;
        self
    }

    /// Keeps at most about `n` bytes of records in all, dropping the oldest first; the newest
    /// record is always kept, whatever its size.
    pub const fn max_bytes(mut self, n: usize) -> Self {
        self.max_bytes = n;
        self
    }

    /// The most records kept.
    pub const fn records(&self) -> usize {
        self.max_records
    }

    /// The most body bytes kept per record.
    pub const fn body_bytes(&self) -> usize {
        self.max_body_bytes
    }

    /// The most bytes kept in all.
    pub const fn bytes(&self) -> usize {
        self.max_bytes
    }
}

impl Default for RequestLogLimits {
    fn default() -> Self {
        RequestLogLimits {
            max_records: Self::DEFAULT_MAX_RECORDS,
            max_body_bytes: Self::DEFAULT_MAX_BODY_BYTES,
            max_bytes: Self::DEFAULT_MAX_BYTES,
        }
    }
}

/// The records, oldest first, with the bytes they hold.
#[derive(Debug)]
pub(crate) struct RequestLog {
    limits: RequestLogLimits,
    records: VecDeque<RecordedRequest>,
    /// The sum of [`footprint`] over `records`.
    bytes: usize,
    /// Records dropped to stay within the limits since the log was last cleared.
    evicted: u64,
}

impl RequestLog {
    /// An empty log with these limits.
    pub(crate) fn new(limits: RequestLogLimits) -> Self {
        RequestLog {
            limits,
            records: VecDeque::new(),
            bytes: 0,
            evicted: 0,
        }
    }

    /// Whether records are kept at all (and so worth building).
    pub(crate) fn enabled(&self) -> bool {
        self.limits.max_records > 0
    }

    /// The most body bytes a record keeps.
    pub(crate) fn max_body_bytes(&self) -> usize {
        self.limits.max_body_bytes
    }

    /// Appends `record`, then drops the oldest records until the log is within its limits.
    pub(crate) fn push(&mut self, record: RecordedRequest) {
        if !self.enabled() {
            return;
        }
        self.bytes += footprint(&record);
        self.records.push_back(record);
        while self.records.len() > self.limits.max_records
            || (self.bytes > self.limits.max_bytes && self.records.len() > 1)
        {
            let Some(old) = self.records.pop_front() else {
                break;
            };
            self.bytes -= footprint(&old);
            self.evicted += 1;
        }
    }

    /// Copies of the records, oldest first.
    pub(crate) fn snapshot(&self) -> Vec<RecordedRequest> {
        self.records.iter().cloned().collect()
    }

    /// Records dropped to stay within the limits since the last [`clear`](Self::clear).
    pub(crate) fn evicted(&self) -> u64 {
        self.evicted
    }

    /// The bytes the records hold, as the byte limit counts them.
    #[cfg(test)]
    pub(crate) fn bytes(&self) -> usize {
        self.bytes
    }

    /// Forgets every record.
    pub(crate) fn clear(&mut self) {
        self.records.clear();
        self.bytes = 0;
        self.evicted = 0;
    }
}

/// The bytes a record holds on the heap, roughly: its strings and body, plus a fixed overhead
/// per header and per record.
fn footprint(record: &RecordedRequest) -> usize {
    const PER_HEADER: usize = 2 * size_of::<String>();
    let headers: usize = record
        .headers
        .iter()
        .map(|(name, value)| name.len() + value.len() + PER_HEADER)
        .sum();
    size_of::<RecordedRequest>()
        + record.method.len()
        + record.path.len()
        + record.action.as_ref().map_or(0, String::len)
        + headers
        + record.body.len()
        + record.body_sha256.as_ref().map_or(0, String::len)
        + record.request_id.as_ref().map_or(0, String::len)
}

/// What the log needs to know about a request's body.
pub(crate) struct BodySeen<'a> {
    /// The bytes read and kept by the server (a prefix of the body).
    pub(crate) kept: &'a [u8],
    /// How many bytes were read.
    pub(crate) len: u64,
    /// Hex SHA-256 of every byte read.
    pub(crate) sha256_hex: &'a str,
}

/// The record of a request. `authenticated` says whether it passed the signature, timestamp and
/// token checks: only then are a body prefix and its hash kept and the signature shown.
pub(crate) fn record(
    parts: &Parts,
    body: &BodySeen<'_>,
    max_body_bytes: usize,
    authenticated: bool,
    request_id: Option<String>,
    outcome: Outcome,
) -> RecordedRequest {
    let headers = parts
        .headers
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes());
            let value = if !authenticated && name == hyper::header::AUTHORIZATION {
                mask_signature(&value)
            } else {
                value.into_owned()
            };
            (name.as_str().to_owned(), value)
        })
        .collect();
    let (body_prefix, body_sha256) = if authenticated {
        let end = body.kept.len().min(max_body_bytes);
        (body.kept[..end].to_vec(), Some(body.sha256_hex.to_owned()))
    } else {
        (Vec::new(), None)
    };
    RecordedRequest {
        method: parts.method.to_string(),
        path: parts
            .uri
            .path_and_query()
            .map_or_else(|| parts.uri.path().to_owned(), |pq| pq.as_str().to_owned()),
        action: parts
            .headers
            .get("x-tc-action")
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
        headers,
        body: body_prefix,
        body_len: body.len,
        body_sha256,
        request_id,
        outcome,
    }
}

/// What a record shows instead of a signature it does not keep.
pub(crate) const MASK: &str = "***";

/// `value` (an `Authorization` header) with the value of its `Signature=` part replaced by
/// [`MASK`]; the algorithm, `Credential` and `SignedHeaders` stay. A value without a
/// `Signature=` part keeps only its first word (the scheme).
fn mask_signature(value: &str) -> String {
    const KEY: &str = "Signature=";
    let Some(at) = value.find(KEY) else {
        return match value.split_once(' ') {
            Some((scheme, _)) => format!("{scheme} {MASK}"),
            None => MASK.to_owned(),
        };
    };
    let start = at + KEY.len();
    let end = value[start..]
        .find(|c: char| c == ',' || c.is_whitespace())
        .map_or(value.len(), |i| start + i);
    format!("{}{MASK}{}", &value[..start], &value[end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(body: &[u8]) -> RecordedRequest {
        RecordedRequest {
            method: "POST".into(),
            path: "/".into(),
            action: None,
            headers: Vec::new(),
            body: body.to_vec(),
            body_len: body.len() as u64,
            body_sha256: None,
            request_id: None,
            outcome: Outcome::Ok,
        }
    }

    #[test]
    fn keeps_the_newest_within_count_and_bytes() {
        let limits = RequestLogLimits::default().max_records(3);
        let mut log = RequestLog::new(limits);
        for n in 0..5u8 {
            log.push(record(&[n]));
        }
        let kept: Vec<u8> = log.snapshot().iter().map(|r| r.body[0]).collect();
        assert_eq!(kept, [2, 3, 4]);
        assert_eq!(log.evicted(), 2);

        let one = footprint(&record(&[0; 100]));
        let mut log = RequestLog::new(RequestLogLimits::default().max_bytes(2 * one));
        for _ in 0..5 {
            log.push(record(&[0; 100]));
        }
        assert_eq!(log.snapshot().len(), 2);
        assert_eq!(log.bytes(), 2 * one);

        // The newest record stays even when it alone is over the budget.
        log.push(record(&[0; 1000]));
        assert_eq!(log.snapshot().len(), 1);
        log.clear();
        assert_eq!(
            (log.snapshot().len(), log.bytes(), log.evicted()),
            (0, 0, 0)
        );

        let mut off = RequestLog::new(RequestLogLimits::off());
        off.push(record(b"x"));
        assert!(off.snapshot().is_empty());
    }

    #[test]
    fn masks_only_the_signature() {
        assert_eq!(
            mask_signature(
                "TC3-HMAC-SHA256 Credential=AKID/2024-01-01/scf/tc3_request, \
                 SignedHeaders=content-type;host, Signature=abc123"
            ),
            "TC3-HMAC-SHA256 Credential=AKID/2024-01-01/scf/tc3_request, \
             SignedHeaders=content-type;host, Signature=***"
        );
        assert_eq!(mask_signature("Signature=ab, X=1"), "Signature=***, X=1");
        assert_eq!(mask_signature("Bearer secret"), "Bearer ***");
        assert_eq!(mask_signature("secret"), "***");
    }
}
