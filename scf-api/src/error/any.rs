//! [`AnyError`]: the error of any action, with its code as the service sent it, so that calls of
//! different actions can share one `?`.

use std::error::Error as StdError;
use std::fmt;

use super::{Error, ErrorKind, ServiceError};
use crate::action::ErrorCode;
use crate::actions::CommonError;

/// The error code of an [`AnyError`]: the code as the service sent it, e.g.
/// `ResourceNotFound.Function`.
///
/// Unlike an action's error enum it is not an [`ErrorCode`]: it stands for the code of any
/// action, which is what lets every `Error<E>` convert into [`AnyError`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AnyCode(String);

impl AnyCode {
    /// The code as sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code common to every action, when this is one.
    pub fn common(&self) -> Option<CommonError> {
        CommonError::from_code(&self.0)
    }

    /// The typed code of action error enum `E` (`E::Unknown` when `E` does not list it).
    pub fn typed<E: ErrorCode>(&self) -> E {
        E::from_code(&self.0)
    }
}

impl fmt::Display for AnyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for AnyCode {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for AnyCode {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<CommonError> for AnyCode {
    fn eq(&self, other: &CommonError) -> bool {
        self.0 == other.code()
    }
}

/// The error of any action, its code untyped: a service-wide error type for functions that
/// call several actions. Every [`Error<E>`] converts into it with `?` (or
/// [`Error::into_any`]), keeping the action, the code as a string, the message, the request
/// id, the [`ErrorKind`], the attempts and whether a retry could help.
///
/// ```
/// use scf_api::actions::CommonError;
/// use scf_api::{AnyError, Client};
///
/// /// The function's runtime and how many versions it has: two actions, one error type.
/// async fn runtime_and_versions(client: &Client, name: &str) -> Result<(String, usize), AnyError> {
///     let function = client.get_function().function_name(name).send().await?;
///     let versions = client
///         .list_version_by_function()
///         .function_name(name)
///         .send()
///         .await?;
///     let count = versions.versions.map_or(0, |v| v.len());
///     Ok((function.runtime.unwrap_or_default(), count))
/// }
///
/// # async fn demo(client: Client) {
/// match runtime_and_versions(&client, "hello").await {
///     Ok((runtime, n)) => println!("{runtime}, {n} versions"),
///     Err(e) if e.code_str() == Some("ResourceNotFound.Function") => println!("no such function"),
///     Err(e) if e.common_code() == Some(CommonError::InternalError) => {
///         println!("{} failed inside the service (request id {:?})", e.action(), e.request_id());
///     }
///     Err(e) => println!("failed: {e}"),
/// }
/// # }
/// ```
pub type AnyError = Error<AnyCode>;

impl<E: ErrorCode> Error<E> {
    /// This error with its code untyped (what `?` does in a function returning
    /// [`AnyError`]).
    pub fn into_any(self) -> AnyError {
        let inner = *self.inner;
        let kind = match inner.kind {
            ErrorKind::Service(e) => ErrorKind::Service(untyped(e)),
            ErrorKind::Throttled(e) => ErrorKind::Throttled(untyped(e)),
            ErrorKind::InvalidInput(e) => ErrorKind::InvalidInput(e),
            ErrorKind::Credentials(e) => ErrorKind::Credentials(e),
            ErrorKind::Timeout(e) => ErrorKind::Timeout(e),
            ErrorKind::Connect(e) => ErrorKind::Connect(e),
            ErrorKind::ConnectionClosed(e) => ErrorKind::ConnectionClosed(e),
            ErrorKind::Transport(e) => ErrorKind::Transport(e),
            ErrorKind::Http(e) => ErrorKind::Http(e),
            ErrorKind::Decode(e) => ErrorKind::Decode(e),
            ErrorKind::Paging(e) => ErrorKind::Paging(e),
        };
        Error::new(inner.action, inner.request_id, kind).with_attempts(
            inner.attempts,
            inner.retryable,
            inner.previous,
        )
    }
}

fn untyped<E: ErrorCode>(e: ServiceError<E>) -> ServiceError<AnyCode> {
    ServiceError {
        code: AnyCode(e.code.code().to_owned()),
        message: e.message,
        status: e.status,
    }
}

impl<E: ErrorCode> From<Error<E>> for AnyError {
    fn from(e: Error<E>) -> Self {
        e.into_any()
    }
}

impl AnyError {
    /// The code as the service sent it, when the service answered with an error.
    pub fn code_str(&self) -> Option<&str> {
        self.code().map(AnyCode::as_str)
    }

    /// The code common to every action, when the service answered with one.
    pub fn common_code(&self) -> Option<CommonError> {
        self.code().and_then(AnyCode::common)
    }
}

impl fmt::Display for ErrorKind<AnyCode> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        super::fmt_kind(self, f, AnyCode::as_str)
    }
}

impl fmt::Display for AnyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_line(f, AnyCode::as_str)
    }
}

impl StdError for AnyError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source_of_kind()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RetryClass;
    use crate::actions::{GetFunctionError, InvokeError};
    use crate::service::retry_class;

    fn service_error<E: ErrorCode>(code: &str) -> Error<E> {
        let kind = ErrorKind::Service(ServiceError {
            code: E::from_code(code),
            message: "boom".to_owned(),
            status: 200,
        });
        Error::new("GetFunction", Some("r1".to_owned()), kind).with_attempts(
            3,
            true,
            Some("attempt timeout of 1s expired".to_owned()),
        )
    }

    #[test]
    fn common_codes_decode_to_the_common_variant_and_back() {
        for code in [
            "InternalError",
            "RequestLimitExceeded.UinLimitExceeded",
            "UnsupportedRegion",
        ] {
            let common = CommonError::from_code(code).expect("a common code");
            assert_eq!(common.code(), code);
            let typed = GetFunctionError::from_code(code);
            assert_eq!(typed, GetFunctionError::Common(common));
            assert_eq!(typed.common(), Some(common));
            assert_eq!(typed.code(), code);
            assert_eq!(typed.to_string(), code);
        }
        // An action's own code stays its own variant; any other code is `Unknown`.
        let own = GetFunctionError::from_code("ResourceNotFound.Function");
        assert_eq!(own, GetFunctionError::ResourceNotFoundFunction);
        assert_eq!(own.common(), None);
        assert_eq!(CommonError::from_code("ResourceNotFound.Function"), None);
        assert_eq!(
            GetFunctionError::from_code("Nope.Never"),
            GetFunctionError::Unknown("Nope.Never".to_owned())
        );
        // A common code an action documents is still `Common`, the same for every action.
        assert_eq!(
            InvokeError::from_code("InvalidParameterValue"),
            InvokeError::Common(CommonError::InvalidParameterValue)
        );
    }

    #[test]
    fn common_codes_keep_their_retry_class() {
        let class = |code: &str| retry_class(GetFunctionError::from_code(code).code());
        assert_eq!(class("InternalError"), RetryClass::SafeActionsOnly);
        assert_eq!(class("RequestLimitExceeded"), RetryClass::Always);
        assert_eq!(class("InvalidParameterValue"), RetryClass::Never);
    }

    #[test]
    fn any_error_keeps_everything_but_the_type() {
        let typed = service_error::<GetFunctionError>("InternalError");
        assert_eq!(typed.common_code(), Some(CommonError::InternalError));
        let line = typed.to_string();
        let any: AnyError = typed.into();
        assert_eq!(any.to_string(), line);
        assert_eq!(any.action(), "GetFunction");
        assert_eq!(any.code_str(), Some("InternalError"));
        assert!(any.code().is_some_and(|c| *c == CommonError::InternalError));
        assert_eq!(any.common_code(), Some(CommonError::InternalError));
        assert_eq!(
            any.code().and_then(AnyCode::common),
            Some(CommonError::InternalError)
        );
        assert_eq!(
            any.code().map(AnyCode::typed::<GetFunctionError>),
            Some(GetFunctionError::Common(CommonError::InternalError))
        );
        assert_eq!(
            any.service_error().map(|e| e.message.as_str()),
            Some("boom")
        );
        assert_eq!(any.request_id(), Some("r1"));
        assert_eq!(any.attempts(), 3);
        assert!(any.is_retryable());
        assert_eq!(any.previous_error(), Some("attempt timeout of 1s expired"));
        assert!(matches!(any.kind(), ErrorKind::Service(_)));

        let unknown: AnyError = service_error::<InvokeError>("Odd.Code").into();
        assert_eq!(unknown.code_str(), Some("Odd.Code"));
        assert_eq!(unknown.code().and_then(AnyCode::common), None);

        let closed = Error::<InvokeError>::new(
            "Invoke",
            None,
            ErrorKind::ConnectionClosed(super::super::TransportError::new(
                "reset".to_owned(),
                None,
            )),
        );
        let any = closed.into_any();
        assert_eq!(any.code_str(), None);
        assert!(matches!(any.kind(), ErrorKind::ConnectionClosed(_)));
        assert_eq!(
            any.to_string(),
            "Invoke: connection closed before a complete response: reset"
        );
    }

    fn two_actions(
        first: Result<(), Error<GetFunctionError>>,
        second: Result<(), Error<InvokeError>>,
    ) -> Result<(), AnyError> {
        first?;
        second?;
        Ok(())
    }

    #[test]
    fn question_mark_joins_errors_of_different_actions() {
        let e = two_actions(Ok(()), Err(service_error("ResourceNotFound.Function"))).unwrap_err();
        assert_eq!(e.code_str(), Some("ResourceNotFound.Function"));
        let e = two_actions(Err(service_error("InternalError")), Ok(())).unwrap_err();
        assert_eq!(e.code_str(), Some("InternalError"));
    }
}
