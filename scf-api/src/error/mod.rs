//! Errors of a call: [`Error`] wraps one [`ErrorKind`] with the action name and the request ID
//! when one is known.

use std::error::Error as StdError;
use std::fmt;

use crate::action::{ErrorCode, InvalidInput};
use crate::actions::CommonError;
use crate::credentials::CredentialsError;

mod any;
mod detail;

pub use any::{AnyCode, AnyError};

pub use detail::{
    DecodeError, DecodeErrorKind, HttpError, PagingError, PagingErrorKind, ServiceError,
    TimeoutError, TimeoutKind, TransportError,
};

/// The error of a call to action with error codes `E`.
///
/// Every failure, on the service side or the client side, is one of these. The action name,
/// the request ID (when the service assigned one), the number of attempts the call took and
/// whether another try could help are always at hand for logs and tickets. `Display` is one
/// stable line: `<Action>: <what went wrong> (request id <id>) after <n> attempts`, the last two
/// parts only when they apply.
///
/// ```
/// # async fn demo(client: scf_api::Client) {
/// use scf_api::ErrorKind;
/// use scf_api::actions::GetAsyncEventStatusError;
///
/// match client.get_async_event_status().invoke_request_id("id").send().await {
///     Ok(out) => println!("status: {}", out.result.status),
///     Err(e) if e.code() == Some(&GetAsyncEventStatusError::ResourceNotFoundAsyncEvent) => {
///         println!("no such event (request id {:?})", e.request_id());
///     }
///     Err(e) => match e.kind() {
///         ErrorKind::Timeout(_) => println!("timed out"),
///         _ => println!("failed: {e}"),
///     },
/// }
/// # }
/// ```
pub struct Error<E> {
    inner: Box<Inner<E>>,
}

struct Inner<E> {
    action: &'static str,
    request_id: Option<String>,
    kind: ErrorKind<E>,
    attempts: u32,
    retryable: bool,
    previous: Option<String>,
}

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind<E> {
    /// The service answered with an error envelope (`Response.Error`), on any HTTP status.
    Service(ServiceError<E>),
    /// The service refused the request because of a rate limit (`RequestLimitExceeded` or one of
    /// its sub-codes); it did not process it.
    Throttled(ServiceError<E>),
    /// The request's inputs are invalid; nothing was sent.
    InvalidInput(InvalidInput),
    /// No credentials could be obtained to sign the request; nothing was sent.
    Credentials(CredentialsError),
    /// No complete response arrived within a timeout.
    Timeout(TimeoutError),
    /// The connection to the endpoint could not be established.
    Connect(TransportError),
    /// The connection was closed before a complete response arrived; the service may or may not
    /// have processed the request.
    ConnectionClosed(TransportError),
    /// Another transport failure.
    Transport(TransportError),
    /// The service answered with a non-success HTTP status and no error envelope (a proxy or
    /// gateway page, for instance).
    Http(HttpError),
    /// The service answered with a success status but the body is not the expected JSON, or
    /// is larger than the client accepts.
    Decode(DecodeError),
    /// A listing was stopped because the service's pages do not advance (see
    /// [`Paginator`](crate::Paginator)).
    Paging(PagingError),
}

impl<E> Error<E> {
    pub(crate) fn new(
        action: &'static str,
        request_id: Option<String>,
        kind: ErrorKind<E>,
    ) -> Self {
        Error {
            inner: Box::new(Inner {
                action,
                request_id,
                kind,
                attempts: 1,
                retryable: false,
                previous: None,
            }),
        }
    }

    /// An error for inputs found invalid before anything was sent (no attempt made).
    pub(crate) fn invalid_input(action: &'static str, input: InvalidInput) -> Self {
        Error::new(action, None, ErrorKind::InvalidInput(input)).with_attempts(0, false, None)
    }

    /// Records how many attempts the call took, whether another try could help, and the error of
    /// the attempt before the last when the last one ended differently (a total timeout during a
    /// retry, for instance).
    pub(crate) fn with_attempts(
        mut self,
        attempts: u32,
        retryable: bool,
        previous: Option<String>,
    ) -> Self {
        self.inner.attempts = attempts;
        self.inner.retryable = retryable;
        self.inner.previous = previous;
        self
    }

    /// How many times the request was sent (0 when it failed before sending, e.g. invalid
    /// input or missing credentials).
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }

    /// Whether sending the same request again later could succeed: throttling, timeouts,
    /// connection failures, 5xx and internal errors, but for actions that are not safe to repeat
    /// (such as `Invoke`) only the failures where the service cannot have processed the request.
    /// The client has already retried such failures up to its [`RetryPolicy`]'s limit.
    ///
    /// [`RetryPolicy`]: crate::RetryPolicy
    pub fn is_retryable(&self) -> bool {
        self.inner.retryable
    }

    /// The error of an earlier attempt, when the call ended with a different one (for example
    /// the total timeout expired while waiting to retry after throttling).
    pub fn previous_error(&self) -> Option<&str> {
        self.inner.previous.as_deref()
    }

    /// Whether the service refused the call because of a rate limit.
    pub fn is_throttled(&self) -> bool {
        matches!(self.inner.kind, ErrorKind::Throttled(_))
    }

    /// The action that failed.
    pub fn action(&self) -> &'static str {
        self.inner.action
    }

    /// The request ID the service assigned, when the failure happened after it did.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind<E> {
        &self.inner.kind
    }

    /// What went wrong, by value.
    pub fn into_kind(self) -> ErrorKind<E> {
        self.inner.kind
    }

    /// The service error, when the service answered with one (including throttling).
    pub fn service_error(&self) -> Option<&ServiceError<E>> {
        match &self.inner.kind {
            ErrorKind::Service(e) | ErrorKind::Throttled(e) => Some(e),
            _ => None,
        }
    }

    /// The typed error code, when the service answered with an error.
    pub fn code(&self) -> Option<&E> {
        self.service_error().map(|e| &e.code)
    }

    /// Whether the call failed because it timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self.inner.kind, ErrorKind::Timeout(_))
    }
}

impl<E: ErrorCode> Error<E> {
    /// The code common to every action, when the service answered with one: a shorter way to
    /// match `e.code() == Some(&<A>Error::Common(CommonError::InternalError))`.
    ///
    /// ```
    /// use scf_api::actions::{CommonError, GetFunctionError};
    /// use scf_api::{AnyError, Client};
    ///
    /// async fn status(client: &Client) -> Result<(), AnyError> {
    ///     match client.get_function().function_name("hello").send().await {
    ///         Ok(f) => println!("{:?}", f.status),
    ///         Err(e) => match e.code() {
    ///             Some(GetFunctionError::ResourceNotFoundFunction) => println!("no such function"),
    ///             Some(GetFunctionError::Common(CommonError::InternalError)) => {
    ///                 println!("service trouble")
    ///             }
    ///             _ if e.common_code() == Some(CommonError::UnauthorizedOperation) => {
    ///                 println!("check CAM")
    ///             }
    ///             _ => return Err(e.into()),
    ///         },
    ///     }
    ///     Ok(())
    /// }
    /// ```
    pub fn common_code(&self) -> Option<CommonError> {
        self.code().and_then(ErrorCode::common)
    }

    /// What went wrong, as one line without the action and request id.
    pub(crate) fn kind_display(&self) -> String {
        self.inner.kind.to_string()
    }
}

impl<E: fmt::Debug> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("action", &self.inner.action)
            .field("request_id", &self.inner.request_id)
            .field("kind", &self.inner.kind)
            .field("attempts", &self.inner.attempts)
            .field("retryable", &self.inner.retryable)
            .field("previous", &self.inner.previous)
            .finish()
    }
}

impl<E: ErrorCode> fmt::Display for ErrorKind<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_kind(self, f, E::code)
    }
}

/// One line for `kind`, reading a service error's code with `code`.
fn fmt_kind<E>(
    kind: &ErrorKind<E>,
    f: &mut fmt::Formatter<'_>,
    code: impl Fn(&E) -> &str,
) -> fmt::Result {
    match kind {
        ErrorKind::Service(e) => write!(f, "service error {}: {}", code(&e.code), e.message),
        ErrorKind::Throttled(e) => write!(f, "throttled ({}): {}", code(&e.code), e.message),
        ErrorKind::InvalidInput(e) => write!(f, "invalid input: {e}"),
        ErrorKind::Credentials(e) => write!(f, "no credentials: {e}"),
        ErrorKind::Timeout(e) => {
            let what = match e.kind {
                TimeoutKind::Connect => "connect timeout",
                TimeoutKind::Attempt => "attempt timeout",
                TimeoutKind::Total => "total timeout",
            };
            write!(f, "{what} of {:?} expired", e.timeout)
        }
        ErrorKind::Connect(e) => write!(f, "cannot connect: {}", e.message),
        ErrorKind::ConnectionClosed(e) => {
            write!(
                f,
                "connection closed before a complete response: {}",
                e.message
            )
        }
        ErrorKind::Transport(e) => write!(f, "transport error: {}", e.message),
        ErrorKind::Http(e) => write!(
            f,
            "HTTP {} without an error envelope ({}): {}",
            e.status,
            e.content_type.as_deref().unwrap_or("no content type"),
            e.body_snippet
        ),
        ErrorKind::Decode(e) => {
            let what = match e.kind {
                DecodeErrorKind::Truncated => "truncated response",
                DecodeErrorKind::NotJson => "response is not JSON",
                DecodeErrorKind::Malformed => "malformed JSON response",
                DecodeErrorKind::MissingEnvelope => "response lacks the `Response` envelope",
                DecodeErrorKind::UnexpectedShape => "response does not match the action's output",
                DecodeErrorKind::TooLarge => "response too large",
                DecodeErrorKind::InvalidUtf8 => "response is not valid UTF-8",
            };
            write!(f, "{what} (HTTP {}): {}", e.status, e.message)
        }
        ErrorKind::Paging(e) => write!(f, "listing stopped: {e}"),
    }
}

impl<E: ErrorCode> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_line(f, E::code)
    }
}

impl<E> Error<E> {
    /// `<Action>: <kind> (request id <id>) after <n> attempts; previous attempt: <previous>`.
    fn fmt_line(&self, f: &mut fmt::Formatter<'_>, code: impl Fn(&E) -> &str) -> fmt::Result {
        write!(f, "{}: ", self.inner.action)?;
        fmt_kind(&self.inner.kind, f, code)?;
        if let Some(id) = &self.inner.request_id {
            write!(f, " (request id {id})")?;
        }
        if self.inner.attempts > 1 {
            write!(f, " after {} attempts", self.inner.attempts)?;
        }
        if let Some(previous) = &self.inner.previous {
            write!(f, "; previous attempt: {previous}")?;
        }
        Ok(())
    }
}

impl<E: ErrorCode> StdError for Error<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source_of_kind()
    }
}

impl<E> Error<E> {
    /// The underlying error of a kind that wraps one.
    fn source_of_kind(&self) -> Option<&(dyn StdError + 'static)> {
        match &self.inner.kind {
            ErrorKind::InvalidInput(e) => Some(e),
            ErrorKind::Credentials(e) => Some(e),
            ErrorKind::Connect(e) | ErrorKind::ConnectionClosed(e) | ErrorKind::Transport(e) => {
                e.source.as_deref().map(|s| s as &(dyn StdError + 'static))
            }
            _ => None,
        }
    }
}

/// The first `max` bytes of `body`, lossily decoded (a character cut in half shows as U+FFFD),
/// followed by `…` when the body is longer.
pub(crate) fn snippet(body: &[u8], max: usize) -> String {
    let cut = &body[..body.len().min(max)];
    let mut s = String::from_utf8_lossy(cut).into_owned();
    if body.len() > max {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::action::InputProblem;
    use crate::actions::GetFunctionError;

    fn display(kind: ErrorKind<GetFunctionError>, request_id: Option<&str>) -> String {
        Error::new("GetFunction", request_id.map(str::to_owned), kind).to_string()
    }

    #[test]
    fn display_is_one_stable_line_per_kind() {
        let service = |code: &str| ServiceError {
            code: GetFunctionError::from_code(code),
            message: "msg".to_owned(),
            status: 200,
        };
        let transport = || TransportError::new("reset by peer".to_owned(), None);
        let cases = [
            (
                ErrorKind::Service(service("ResourceNotFound.Function")),
                "GetFunction: service error ResourceNotFound.Function: msg (request id r1)",
            ),
            (
                ErrorKind::Throttled(service("RequestLimitExceeded")),
                "GetFunction: throttled (RequestLimitExceeded): msg (request id r1)",
            ),
            (
                ErrorKind::InvalidInput(InvalidInput::single(InputProblem::MissingRegion)),
                "GetFunction: invalid input: the action needs a region and none is set (request id r1)",
            ),
            (
                ErrorKind::Credentials(CredentialsError::not_configured("none here")),
                "GetFunction: no credentials: none here (request id r1)",
            ),
            (
                ErrorKind::Timeout(TimeoutError {
                    kind: TimeoutKind::Total,
                    timeout: Duration::from_secs(3),
                }),
                "GetFunction: total timeout of 3s expired (request id r1)",
            ),
            (
                ErrorKind::Connect(transport()),
                "GetFunction: cannot connect: reset by peer (request id r1)",
            ),
            (
                ErrorKind::ConnectionClosed(transport()),
                "GetFunction: connection closed before a complete response: reset by peer (request id r1)",
            ),
            (
                ErrorKind::Transport(transport()),
                "GetFunction: transport error: reset by peer (request id r1)",
            ),
            (
                ErrorKind::Http(HttpError {
                    status: 502,
                    content_type: Some("text/html".to_owned()),
                    body_snippet: "<html>".to_owned(),
                }),
                "GetFunction: HTTP 502 without an error envelope (text/html): <html> (request id r1)",
            ),
            (
                ErrorKind::Decode(DecodeError {
                    kind: DecodeErrorKind::Truncated,
                    status: 200,
                    message: "EOF".to_owned(),
                    body_snippet: "{".to_owned(),
                }),
                "GetFunction: truncated response (HTTP 200): EOF (request id r1)",
            ),
            (
                ErrorKind::Decode(DecodeError {
                    kind: DecodeErrorKind::TooLarge,
                    status: 200,
                    message: "Content-Length 9 is over the client's 8-byte limit".to_owned(),
                    body_snippet: "{".to_owned(),
                }),
                "GetFunction: response too large (HTTP 200): Content-Length 9 is over the \
                 client's 8-byte limit (request id r1)",
            ),
            (
                ErrorKind::Paging(PagingError {
                    kind: PagingErrorKind::RepeatedPage,
                    pages: 2,
                    offset: 20,
                }),
                "GetFunction: listing stopped: page 2 (offset 20) repeats the previous page's \
                 items; the service does not advance by offset (request id r1)",
            ),
        ];
        for (kind, expected) in cases {
            assert_eq!(display(kind, Some("r1")), expected);
        }
        let err =
            Error::<GetFunctionError>::new("GetFunction", None, ErrorKind::Connect(transport()))
                .with_attempts(3, true, Some("attempt timeout of 1s expired".to_owned()));
        assert_eq!(
            err.to_string(),
            "GetFunction: cannot connect: reset by peer after 3 attempts; previous attempt: \
             attempt timeout of 1s expired"
        );
        assert!(err.is_retryable());
        assert_eq!(err.attempts(), 3);
    }

    #[test]
    fn snippets_are_bounded() {
        assert_eq!(snippet(b"abc", 5), "abc");
        assert_eq!(snippet(b"abcdef", 3), "abc…");
        // A multi-byte character cut in half shows as U+FFFD.
        assert_eq!(snippet("é".as_bytes(), 1), "\u{fffd}…");
    }
}
