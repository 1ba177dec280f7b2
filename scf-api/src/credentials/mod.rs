//! API credentials and where they come from.
//!
//! - [`Credentials`]: a secret id / secret key pair and, for temporary credentials, a session
//!   token and an expiry time.
//! - [`ProvideCredentials`]: a source of credentials. [`Credentials`] itself is one (fixed
//!   credentials). The others:
//!   - [`EnvironmentProvider`]: `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and a token
//!     variable, or inside an SCF function the variables the platform sets;
//!   - [`ProfileProvider`]: a profile of `~/.tencentcloud/credentials` (or the file named by
//!     `TENCENTCLOUD_CREDENTIALS_FILE`, or `/etc/tencentcloud/credentials`);
//!   - [`TccliProvider`]: what tccli saved in `~/.tccli/<profile>.credential`;
//!   - [`CvmRoleProvider`]: the role of the CVM instance, from the metadata service;
//!   - [`WebIdentityProvider`]: the role of a TKE pod, from STS with TKE's OIDC token;
//!   - [`AssumeRoleProvider`]: any role, from STS `AssumeRole`, signed with another source;
//!   - [`ChainProvider`]: several sources in order; its
//!     [`default_chain`](ChainProvider::default_chain) is what a client uses when no
//!     credentials are set.
//! - [`CredentialsCache`]: what the client calls before each request. It keeps the credentials of
//!   a provider and refreshes them shortly before they expire, with one provider call per
//!   refresh however many requests are waiting.
//! - [`CredentialsError`]: why a source could not provide credentials; its
//!   [`kind`](CredentialsError::kind) tells a chain whether to try the next source.
//!
//! ```
//! use std::sync::Arc;
//!
//! use scf_api::Environment;
//! use scf_api::credentials::{ChainProvider, CredentialsCache, CredentialsError};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), CredentialsError> {
//! // `ChainProvider::default_chain()` reads the process environment; a fixed set of
//! // variables keeps this example self-contained.
//! let env = Environment::from_vars([
//!     ("TENCENTCLOUD_SECRET_ID", "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"),
//!     ("TENCENTCLOUD_SECRET_KEY", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"),
//! ]);
//! let cache = CredentialsCache::new(Arc::new(ChainProvider::default_chain_with_env(env)));
//! let credentials = cache.get().await?;
//! assert_eq!(credentials.secret_id(), "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE");
//! assert_eq!(credentials.to_string(), "AKID****MPLE");
//! # Ok(())
//! # }
//! ```

mod cache;
mod chain;
mod cvm;
mod environment;
mod error;
mod profile;
mod tccli;

pub use cache::CredentialsCache;
pub use chain::ChainProvider;
pub use cvm::CvmRoleProvider;
pub use environment::EnvironmentProvider;
pub use error::{CredentialsError, CredentialsErrorKind};
pub use profile::ProfileProvider;
pub use tccli::TccliProvider;

// Sources that call STS through a client live above it (`crate::sts`); they are credentials
// sources all the same.
pub use crate::sts::{
    AssumeRoleBuilder, AssumeRoleProvider, DEFAULT_STS_ENDPOINT, DEFAULT_STS_REGION,
    ENV_STS_ENDPOINT_URL, WebIdentityProvider,
};

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// Placeholder printed instead of secret values.
const REDACTED: &str = "<redacted>";

/// Secret ids longer than this many characters are printed with their first
/// and last [`VISIBLE_EDGE`] characters visible.
const MASK_THRESHOLD: usize = 12;

/// Number of characters left visible at each end of a long secret id.
const VISIBLE_EDGE: usize = 4;

/// Long-term or temporary API credentials.
///
/// `Debug` and `Display` never show the secret key or the token, and show the
/// secret id masked (e.g. `AKID****MPLE`). `Debug` also shows the expiry time.
///
/// ```
/// use scf_api::credentials::Credentials;
///
/// let credentials = Credentials::new("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "secret")
///     .with_token("session-token");
/// assert_eq!(credentials.token(), Some("session-token"));
/// assert_eq!(
///     format!("{credentials:?}"),
///     r#"Credentials { secret_id: "AKID****MPLE", secret_key: "<redacted>", token: Some("<redacted>"), expires_at: None }"#
/// );
/// assert_eq!(credentials.to_string(), "AKID****MPLE");
/// ```
///
/// Cloning is cheap: the strings are shared (`Arc<str>`), so the client hands the same
/// credentials to every call without copying them.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    secret_id: Arc<str>,
    secret_key: Arc<str>,
    token: Option<Arc<str>>,
    expires_at: Option<SystemTime>,
}

impl Credentials {
    /// Creates long-term credentials from a secret id and a secret key.
    ///
    /// Surrounding whitespace (e.g. a trailing newline read from a file or an
    /// environment variable) is trimmed from both.
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Self {
            secret_id: trimmed(secret_id.into()).into(),
            secret_key: trimmed(secret_key.into()).into(),
            token: None,
            expires_at: None,
        }
    }

    /// Sets the session token of temporary credentials, sent as the
    /// `X-TC-Token` header.
    ///
    /// The token is trimmed; an empty (or all-whitespace) token means no
    /// token.
    ///
    /// ```
    /// use scf_api::credentials::Credentials;
    ///
    /// let credentials = Credentials::new("id", "key").with_token("  ");
    /// assert_eq!(credentials.token(), None);
    /// ```
    #[must_use]
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        let token = trimmed(token.into());
        self.token = (!token.is_empty()).then(|| token.into());
        self
    }

    /// Sets the time at which temporary credentials expire.
    ///
    /// A [`CredentialsCache`] refreshes credentials shortly before this time; credentials
    /// without an expiry time are kept until the cache is
    /// [invalidated](CredentialsCache::invalidate).
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// use scf_api::credentials::Credentials;
    ///
    /// let expiry = SystemTime::now() + Duration::from_secs(3600);
    /// let credentials = Credentials::new("id", "key")
    ///     .with_token("token")
    ///     .with_expiry(expiry);
    /// assert_eq!(credentials.expires_at(), Some(expiry));
    /// ```
    #[must_use]
    pub fn with_expiry(mut self, expires_at: SystemTime) -> Self {
        self.expires_at = Some(expires_at);
        self
    }

    /// The secret id (`AKID...`), sent in the `Authorization` header.
    pub fn secret_id(&self) -> &str {
        &self.secret_id
    }

    /// The secret key used to derive signing keys; never sent.
    pub fn secret_key(&self) -> &str {
        &self.secret_key
    }

    /// The session token of temporary credentials, if any.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// When the credentials expire, if they do.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("secret_id", &mask_secret_id(&self.secret_id))
            .field("secret_key", &REDACTED)
            .field("token", &self.token.as_ref().map(|_| REDACTED))
            .field("expires_at", &self.expires_at.map(Expiry))
            .finish()
    }
}

/// Displays the masked secret id only.
impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&mask_secret_id(&self.secret_id))
    }
}

/// Debug-formats an expiry time as an HTTP date (`"Tue, 14 Nov 2023 22:13:20 GMT"`), or as a
/// raw [`SystemTime`] outside the years 1970 to 9999.
struct Expiry(SystemTime);

impl fmt::Debug for Expiry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        /// 10000-01-01T00:00:00Z, the first time an HTTP date cannot show.
        const YEAR_10000: u64 = 253_402_300_800;
        match self.0.duration_since(UNIX_EPOCH) {
            Ok(since) if since.as_secs() < YEAR_10000 => {
                fmt::Debug::fmt(&httpdate::fmt_http_date(self.0), f)
            }
            _ => fmt::Debug::fmt(&self.0, f),
        }
    }
}

/// A future returned by [`ProvideCredentials::provide_credentials`].
pub type ProvideFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials.
///
/// Implement it for credentials that come from somewhere this crate does not know (a secrets
/// manager, a token service). The client calls it through a [`CredentialsCache`], so an
/// implementation may be slow and need not cache; it should set
/// [`Credentials::with_expiry`] on temporary credentials so that the cache refreshes them in
/// time.
///
/// Report "I have nothing" as [`CredentialsError::not_configured`], so that a
/// [`ChainProvider`] moves on to its next source, and other failures as
/// [`CredentialsError::invalid`] or [`CredentialsError::provider`].
///
/// `Debug` must not show secrets.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use scf_api::credentials::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};
///
/// #[derive(Debug)]
/// struct TokenService;
///
/// impl TokenService {
///     async fn fetch(&self) -> Result<Credentials, CredentialsError> {
///         // Ask the token service...
///         Ok(Credentials::new("AKIDtemporary", "temporary-key")
///             .with_token("session-token")
///             .with_expiry(SystemTime::now() + Duration::from_secs(7200)))
///     }
/// }
///
/// impl ProvideCredentials for TokenService {
///     fn provide_credentials(&self) -> ProvideFuture<'_> {
///         Box::pin(self.fetch())
///     }
/// }
/// ```
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Returns current credentials (may do I/O). Called through a cache by the client, so it
    /// may be slow.
    fn provide_credentials(&self) -> ProvideFuture<'_>;
}

/// Fixed credentials: provides a clone of themselves.
impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(std::future::ready(Ok(self.clone())))
    }
}

impl<P: ProvideCredentials + ?Sized> ProvideCredentials for Arc<P> {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        (**self).provide_credentials()
    }
}

impl<P: ProvideCredentials + ?Sized> ProvideCredentials for Box<P> {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        (**self).provide_credentials()
    }
}

/// Returns `s` without surrounding whitespace, reusing the allocation when
/// there is nothing to trim.
fn trimmed(s: String) -> String {
    if s.trim().len() == s.len() {
        s
    } else {
        s.trim().to_owned()
    }
}

/// Masks a secret id: keeps the first and last four characters of ids longer
/// than twelve characters, masks shorter ids completely.
fn mask_secret_id(secret_id: &str) -> String {
    let count = secret_id.chars().count();
    if count > MASK_THRESHOLD {
        let head: String = secret_id.chars().take(VISIBLE_EDGE).collect();
        let tail: String = secret_id.chars().skip(count - VISIBLE_EDGE).collect();
        format!("{head}****{tail}")
    } else {
        "****".to_owned()
    }
}

#[cfg(test)]
mod test_support;

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::test_support::{SECRET_ID, SECRET_KEY, TOKEN, assert_no_secrets};
    use super::*;

    #[test]
    fn accessors_return_values() {
        let c = Credentials::new(SECRET_ID, SECRET_KEY);
        assert_eq!(c.secret_id(), SECRET_ID);
        assert_eq!(c.secret_key(), SECRET_KEY);
        assert_eq!(c.token(), None);
        let c = c.with_token(TOKEN);
        assert_eq!(c.token(), Some(TOKEN));
    }

    #[test]
    fn new_trims_surrounding_whitespace() {
        let c = Credentials::new(format!("  {SECRET_ID}\n"), format!("\t{SECRET_KEY} \r\n"));
        assert_eq!(c.secret_id(), SECRET_ID);
        assert_eq!(c.secret_key(), SECRET_KEY);
        assert_eq!(c, Credentials::new(SECRET_ID, SECRET_KEY));
    }

    #[test]
    fn with_token_trims() {
        let c = Credentials::new(SECRET_ID, SECRET_KEY).with_token(format!(" {TOKEN}\n"));
        assert_eq!(c.token(), Some(TOKEN));
    }

    #[test]
    fn empty_token_becomes_none() {
        for token in ["", "   ", "\n\t"] {
            let c = Credentials::new(SECRET_ID, SECRET_KEY).with_token(token);
            assert_eq!(c.token(), None, "{token:?}");
        }
        // An empty token also clears a previous one.
        let c = Credentials::new(SECRET_ID, SECRET_KEY)
            .with_token(TOKEN)
            .with_token("");
        assert_eq!(c.token(), None);
    }

    #[test]
    fn debug_never_shows_key_or_token() {
        let c = Credentials::new(SECRET_ID, SECRET_KEY).with_token(TOKEN);
        for out in [format!("{c:?}"), format!("{c:#?}"), c.to_string()] {
            assert!(!out.contains(SECRET_KEY), "{out}");
            assert!(!out.contains(TOKEN), "{out}");
            assert!(!out.contains(SECRET_ID), "{out}");
        }
        assert_eq!(
            format!("{c:?}"),
            r#"Credentials { secret_id: "AKID****MPLE", secret_key: "<redacted>", token: Some("<redacted>"), expires_at: None }"#
        );
        let without_token = Credentials::new(SECRET_ID, SECRET_KEY);
        assert_eq!(
            format!("{without_token:?}"),
            r#"Credentials { secret_id: "AKID****MPLE", secret_key: "<redacted>", token: None, expires_at: None }"#
        );
        assert_eq!(c.to_string(), "AKID****MPLE");
    }

    #[test]
    fn short_secret_id_is_fully_masked() {
        assert_eq!(mask_secret_id(""), "****");
        assert_eq!(mask_secret_id("AKID1234"), "****");
        assert_eq!(mask_secret_id("AKID12345678"), "****");
        assert_eq!(mask_secret_id("AKID123456789"), "AKID****6789");
        let c = Credentials::new("AKIDshort", SECRET_KEY);
        assert!(!format!("{c:?}").contains("AKIDshort"));
    }

    #[test]
    fn masking_handles_multibyte_characters() {
        assert_eq!(mask_secret_id("ééééabcdefghüüüü"), "éééé****üüüü");
    }

    #[test]
    fn with_expiry_sets_and_debug_shows_it() {
        let c = Credentials::new(SECRET_ID, SECRET_KEY);
        assert_eq!(c.expires_at(), None);
        let at = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let c = c.with_token(TOKEN).with_expiry(at);
        assert_eq!(c.expires_at(), Some(at));
        assert_eq!(
            format!("{c:?}"),
            r#"Credentials { secret_id: "AKID****MPLE", secret_key: "<redacted>", token: Some("<redacted>"), expires_at: Some("Tue, 14 Nov 2023 22:13:20 GMT") }"#
        );
        assert_no_secrets(&format!("{c:#?}"));
        // Equality includes the expiry.
        assert_ne!(c, c.clone().with_expiry(at + Duration::from_secs(1)));
    }

    #[test]
    fn debug_of_expiry_outside_http_date_range_does_not_panic() {
        let far = UNIX_EPOCH + Duration::from_secs(300_000_000_000);
        let out = format!(
            "{:?}",
            Credentials::new(SECRET_ID, SECRET_KEY).with_expiry(far)
        );
        assert!(out.contains("expires_at: Some("), "{out}");
        if let Some(before) = UNIX_EPOCH.checked_sub(Duration::from_secs(10)) {
            let out = format!(
                "{:?}",
                Credentials::new(SECRET_ID, SECRET_KEY).with_expiry(before)
            );
            assert!(out.contains("expires_at: Some("), "{out}");
        }
    }

    #[tokio::test]
    async fn credentials_provide_a_clone_of_themselves() {
        let c = Credentials::new(SECRET_ID, SECRET_KEY).with_token(TOKEN);
        assert_eq!(c.provide_credentials().await.unwrap(), c);
        let shared: Arc<dyn ProvideCredentials> = Arc::new(c.clone());
        assert_eq!(shared.provide_credentials().await.unwrap(), c);
        let boxed: Box<dyn ProvideCredentials> = Box::new(c.clone());
        assert_eq!(boxed.provide_credentials().await.unwrap(), c);
    }
}
