//! Injected failures.

use std::time::Duration;

/// A failure to inject into the answer to a request (see [`Server::push_fault`]).
///
/// A queued fault replaces the normal answer of the next request that passes authentication
/// (signature, timestamp window and token); requests rejected before that leave the queue alone.
/// Faults are used first in, first out.
///
/// [`Server::push_fault`]: crate::Server::push_fault
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answer with the standard error envelope (HTTP 200) carrying this code and message,
    /// e.g. `LimitExceeded` or `InternalError`, instead of validating and answering the request.
    ServiceError {
        /// The error code, e.g. `RequestLimitExceeded`.
        code: String,
        /// The error message.
        message: String,
    },
    /// Answer with exactly this HTTP status, `Content-Type` and body (e.g. an HTML 502 page, or
    /// malformed or truncated JSON). An invalid status (outside 100..=999) is sent as 500; an
    /// empty or invalid content type sends no `Content-Type` header.
    Raw {
        /// The HTTP status code.
        status: u16,
        /// The `Content-Type` header value.
        content_type: String,
        /// The response body.
        body: Vec<u8>,
    },
    /// Close the TCP connection without writing any response byte.
    DropConnection,
    /// Wait this long, then answer normally (validation and the action's answer still apply).
    Delay(Duration),
}

impl Fault {
    /// A [`Fault::ServiceError`] with the given code and message.
    ///
    /// ```
    /// let fault = scf_local::Fault::service_error("RequestLimitExceeded", "slow down");
    /// assert!(matches!(fault, scf_local::Fault::ServiceError { .. }));
    /// ```
    pub fn service_error(code: impl Into<String>, message: impl Into<String>) -> Self {
        Fault::ServiceError {
            code: code.into(),
            message: message.into(),
        }
    }

    /// A [`Fault::Raw`] answer.
    ///
    /// ```
    /// let fault = scf_local::Fault::raw(502, "text/html", "<html>Bad Gateway</html>");
    /// assert!(matches!(fault, scf_local::Fault::Raw { status: 502, .. }));
    /// ```
    pub fn raw(status: u16, content_type: impl Into<String>, body: impl Into<Vec<u8>>) -> Self {
        Fault::Raw {
            status,
            content_type: content_type.into(),
            body: body.into(),
        }
    }
}
