//! The details each [`ErrorKind`](super::ErrorKind) carries.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

/// An error reported by the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError<E> {
    /// The typed code.
    pub code: E,
    /// The service's message (localized per `X-TC-Language`; match on `code`, not on this).
    pub message: String,
    /// HTTP status of the response (200 for most service errors).
    pub status: u16,
}

/// A response with a non-success HTTP status and no error envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpError {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type` of the response, when given.
    pub content_type: Option<String>,
    /// The first 512 bytes of the body, lossily decoded as UTF-8, then `…` if it is longer.
    pub body_snippet: String,
}

/// Why a success response could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The body ends in the middle of a JSON value.
    Truncated,
    /// The body is not JSON at all (an HTML page, for instance).
    NotJson,
    /// The body is invalid JSON.
    Malformed,
    /// The body is JSON without the `Response` envelope.
    MissingEnvelope,
    /// The envelope holds values of other types than the spec says, or lacks a member the
    /// action always returns.
    UnexpectedShape,
    /// The body is larger than the client's limit
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)); reading
    /// stopped there. The message gives the limit and what the server announced.
    TooLarge,
    /// The body is not valid UTF-8.
    InvalidUtf8,
}

/// A success response whose body is not what the action returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// What is wrong.
    pub kind: DecodeErrorKind,
    /// HTTP status.
    pub status: u16,
    /// The parser's message.
    pub message: String,
    /// The first 512 bytes of the body, lossily decoded as UTF-8, then `…` if it is longer.
    pub body_snippet: String,
}

/// A call that did not complete in time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutError {
    /// Which timeout expired.
    pub kind: TimeoutKind,
    /// Its length.
    pub timeout: Duration,
}

/// Which timeout expired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// The connection could not be established in time; the request was not sent.
    Connect,
    /// One attempt (connecting, sending, and reading the whole response) took too long; the
    /// service may have received the request.
    Attempt,
    /// The whole call, all attempts and the waits between them, took too long.
    Total,
}

/// A failure of the connection or of HTTP itself.
#[derive(Debug)]
pub struct TransportError {
    pub(super) message: String,
    pub(super) source: Option<Box<dyn StdError + Send + Sync>>,
    tls: bool,
    /// Trying again cannot help (a request that could not be built, a refused redirect).
    final_: bool,
}

impl TransportError {
    pub(crate) fn new(message: String, source: Option<Box<dyn StdError + Send + Sync>>) -> Self {
        TransportError {
            message,
            source,
            tls: false,
            final_: false,
        }
    }

    /// Marks a failure that sending the request again cannot fix.
    pub(crate) fn not_retryable(mut self) -> Self {
        self.final_ = true;
        self
    }

    /// Whether retrying cannot help: a TLS handshake failure, a request that could not be
    /// built, or an answer refused because it came through a redirect.
    pub(crate) fn is_final(&self) -> bool {
        self.tls || self.final_
    }

    /// Marks a failure of the TLS handshake (an untrusted certificate, for instance), which
    /// trying again does not fix.
    pub(crate) fn tls(mut self) -> Self {
        self.tls = true;
        self
    }

    /// A description of the failure, including its causes.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether the TLS handshake failed (e.g. the server's certificate is not trusted or does
    /// not match the host); such failures are not retried.
    pub fn is_tls(&self) -> bool {
        self.tls
    }
}

/// Why a listing was stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PagingErrorKind {
    /// A page held the same items as the one before it: the service ignores the offset, and
    /// asking for more pages would list them forever.
    RepeatedPage,
    /// The service announced no usable total and kept sending full pages past the paginator's
    /// page cap.
    TooManyPages,
}

/// A listing stopped because the service's pages do not advance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagingError {
    /// Why.
    pub kind: PagingErrorKind,
    /// Pages received, the one that stopped the listing included.
    pub pages: u64,
    /// The offset the last page was asked for.
    pub offset: u64,
}

impl fmt::Display for PagingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            PagingErrorKind::RepeatedPage => write!(
                f,
                "page {} (offset {}) repeats the previous page's items; the service does not \
                 advance by offset",
                self.pages, self.offset
            ),
            PagingErrorKind::TooManyPages => write!(
                f,
                "{} pages without a total (last offset {}); the listing does not end",
                self.pages, self.offset
            ),
        }
    }
}
