//! What the server remembers about each request.

/// One request received by the server (see [`Server::requests`]).
///
/// `Authorization` of a request that did not pass authentication shows `Signature=***`: the
/// signature may have been made for the real service.
///
/// [`Server::requests`]: crate::Server::requests
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The HTTP method, e.g. `POST`.
    pub method: String,
    /// The request target's path and query, e.g. `/`.
    pub path: String,
    /// The `X-TC-Action` header, if the request had one (whether or not the action exists).
    pub action: Option<String>,
    /// All request headers in the order received, names in lowercase (values that are not UTF-8
    /// are converted lossily).
    pub headers: Vec<(String, String)>,
    /// The request body as far as it was kept: its first
    /// [`RequestLogLimits::body_bytes`](crate::RequestLogLimits::body_bytes) (64 KiB by default),
    /// complete when [`body_len`](Self::body_len) is not larger. Empty for a request that did
    /// not pass authentication (wrong signature, expired timestamp, wrong token, or refused
    /// before those checks): such bodies are never kept.
    pub body: Vec<u8>,
    /// The number of body bytes the server read.
    pub body_len: u64,
    /// Hex SHA-256 of every body byte read, for a request that passed authentication; `None`
    /// otherwise.
    pub body_sha256: Option<String>,
    /// The `RequestId` of the answer, when the answer was a response envelope.
    pub request_id: Option<String>,
    /// How the server answered.
    pub outcome: Outcome,
}

impl RecordedRequest {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether [`body`](Self::body) holds less than the whole body: it was longer than the log
    /// keeps, or the request did not pass authentication.
    pub fn body_truncated(&self) -> bool {
        (self.body.len() as u64) < self.body_len
    }

    /// The body parsed as JSON, if it is JSON and was kept whole (`None` when
    /// [`body_truncated`](Self::body_truncated)).
    pub fn json(&self) -> Option<serde_json::Value> {
        if self.body_truncated() {
            return None;
        }
        serde_json::from_slice(&self.body).ok()
    }
}

/// How the server answered a request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// A success envelope (possibly after a [`Fault::Delay`](crate::Fault::Delay)).
    Ok,
    /// An error envelope with this code (including [`Fault::ServiceError`](crate::Fault::ServiceError)).
    Error {
        /// The error code, e.g. `AuthFailure.SignatureFailure`.
        code: String,
    },
    /// A response that is not an envelope: a [`Fault::Raw`](crate::Fault::Raw) answer, or the
    /// plain-text 404 for a path other than `/`.
    Raw {
        /// The HTTP status sent.
        status: u16,
    },
    /// The connection was closed without a response ([`Fault::DropConnection`](crate::Fault::DropConnection)).
    Dropped,
}

impl Outcome {
    /// The error code, for [`Outcome::Error`].
    pub fn error_code(&self) -> Option<&str> {
        match self {
            Outcome::Error { code } => Some(code),
            _ => None,
        }
    }
}
