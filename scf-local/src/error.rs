//! The error half of the response envelope.

/// An API error as it appears in `{"Response": {"Error": {"Code": .., "Message": ..}}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    /// Error code, e.g. `AuthFailure.SignatureFailure`.
    pub(crate) code: String,
    /// Human-readable explanation.
    pub(crate) message: String,
}

impl ApiError {
    /// An error with the given code and message.
    pub(crate) fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError {
            code: code.into(),
            message: message.into(),
        }
    }
}

/// Error codes produced by scf-local, so that spelling mistakes are caught at compile time.
pub(crate) mod codes {
    pub(crate) const SIGNATURE_FAILURE: &str = "AuthFailure.SignatureFailure";
    pub(crate) const SECRET_ID_NOT_FOUND: &str = "AuthFailure.SecretIdNotFound";
    pub(crate) const SIGNATURE_EXPIRE: &str = "AuthFailure.SignatureExpire";
    pub(crate) const TOKEN_FAILURE: &str = "AuthFailure.TokenFailure";
    pub(crate) const INVALID_AUTHORIZATION: &str = "AuthFailure.InvalidAuthorization";
    pub(crate) const INVALID_PARAMETER: &str = "InvalidParameter";
    pub(crate) const NO_SUCH_VERSION: &str = "NoSuchVersion";
    pub(crate) const INVALID_ACTION: &str = "InvalidAction";
    pub(crate) const REQUEST_SIZE_LIMIT_EXCEEDED: &str = "RequestSizeLimitExceeded";
    pub(crate) const MISSING_PARAMETER: &str = "MissingParameter";
    pub(crate) const UNKNOWN_PARAMETER: &str = "UnknownParameter";
    pub(crate) const INVALID_PARAMETER_VALUE: &str = "InvalidParameterValue";
    pub(crate) const UNSUPPORTED_OPERATION: &str = "UnsupportedOperation";
    pub(crate) const INTERNAL_ERROR: &str = "InternalError";
    pub(crate) const REQUEST_LIMIT_EXCEEDED: &str = "RequestLimitExceeded";
}
