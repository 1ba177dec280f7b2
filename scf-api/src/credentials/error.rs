//! [`CredentialsError`]: why a source could not provide credentials.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

/// Why a credentials source could not provide credentials.
///
/// The message ([`Display`](fmt::Display)) is one line naming the source and the problem, for
/// example `environment: TENCENTCLOUD_SECRET_ID is set but TENCENTCLOUD_SECRET_KEY is not`. It
/// never contains a secret value: not the secret key, not the token, not the secret id, and not
/// the text of a line of a credentials file.
///
/// ```
/// use scf_api::credentials::{CredentialsError, CredentialsErrorKind};
///
/// let error = CredentialsError::not_configured("vault: no secret at path app/scf");
/// assert_eq!(error.kind(), CredentialsErrorKind::NotConfigured);
/// assert_eq!(error.to_string(), "vault: no secret at path app/scf");
/// ```
#[derive(Clone, Debug)]
pub struct CredentialsError {
    kind: CredentialsErrorKind,
    message: String,
    source: Option<Arc<dyn StdError + Send + Sync + 'static>>,
}

/// The kind of a [`CredentialsError`], which decides what a
/// [`ChainProvider`](super::ChainProvider) does next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CredentialsErrorKind {
    /// The source has no credentials at all (no variables set, no file, no such profile): a
    /// chain moves on to its next source.
    NotConfigured,
    /// The source is there but broken (only one of the secret id and key set, an unreadable or
    /// malformed file, an incomplete profile): a chain stops with this error rather than
    /// silently using another source.
    Invalid,
    /// A refreshing provider (a token service, a metadata endpoint) failed.
    Provider,
}

impl CredentialsError {
    /// The source has no credentials at all; see [`CredentialsErrorKind::NotConfigured`].
    pub fn not_configured(message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::NotConfigured, message)
    }

    /// The source is there but broken; see [`CredentialsErrorKind::Invalid`].
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::Invalid, message)
    }

    /// A refreshing provider failed; see [`CredentialsErrorKind::Provider`].
    pub fn provider(message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::Provider, message)
    }

    fn new(kind: CredentialsErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// Attaches the underlying error (an I/O error, an HTTP error), returned by
    /// [`Error::source`](StdError::source). The message should still describe the problem on
    /// its own.
    ///
    /// ```
    /// use std::error::Error;
    /// use scf_api::credentials::CredentialsError;
    ///
    /// let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "permission denied");
    /// let error = CredentialsError::invalid("profile: cannot read /etc/creds: permission denied")
    ///     .with_source(io);
    /// assert!(error.source().is_some());
    /// ```
    #[must_use]
    pub fn with_source(mut self, source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        self.source = Some(Arc::from(source.into()));
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> CredentialsErrorKind {
        self.kind
    }

    /// The message, as displayed.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether the source has no credentials at all (kind
    /// [`NotConfigured`](CredentialsErrorKind::NotConfigured)).
    pub fn is_not_configured(&self) -> bool {
        self.kind == CredentialsErrorKind::NotConfigured
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for CredentialsError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constructors_set_kind_and_message() {
        let cases = [
            (
                CredentialsError::not_configured("a: none"),
                CredentialsErrorKind::NotConfigured,
            ),
            (
                CredentialsError::invalid("b: broken"),
                CredentialsErrorKind::Invalid,
            ),
            (
                CredentialsError::provider("c: down"),
                CredentialsErrorKind::Provider,
            ),
        ];
        for (error, kind) in cases {
            assert_eq!(error.kind(), kind);
            assert_eq!(error.to_string(), error.message());
            assert!(error.source().is_none());
            assert_eq!(
                error.is_not_configured(),
                kind == CredentialsErrorKind::NotConfigured
            );
        }
    }

    #[test]
    fn source_is_kept_and_cloned() {
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
        let error = CredentialsError::invalid("profile: cannot read x: denied").with_source(io);
        let clone = error.clone();
        assert_eq!(
            clone.source().map(ToString::to_string).as_deref(),
            Some("denied")
        );
        assert_eq!(clone.to_string(), "profile: cannot read x: denied");
    }

    #[test]
    fn is_send_sync_static() {
        fn check<T: Send + Sync + 'static>() {}
        check::<CredentialsError>();
    }
}
