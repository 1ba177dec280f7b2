//! [`ChainProvider`]: the first source that has credentials.

use std::fmt;

use super::{CredentialsError, CredentialsErrorKind, ProvideCredentials, ProvideFuture};

/// Tries several sources in order and returns the credentials of the first one that has some.
///
/// A source that answers [`NotConfigured`](CredentialsErrorKind::NotConfigured) is skipped. Any
/// other error stops the chain and is returned as is: a half-configured source (say
/// `TENCENTCLOUD_SECRET_ID` without `TENCENTCLOUD_SECRET_KEY`) is reported rather than silently
/// replaced by the next source. When no source has credentials, the error is `NotConfigured`
/// and lists every source's reason:
///
/// ```text
/// no credentials found: environment: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set (nor SCF's TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY); profile: files /home/me/.tencentcloud/credentials and /etc/tencentcloud/credentials not found; tccli: ...; tke oidc: ...; cvm role: ...
/// ```
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use scf_api::Environment;
/// use scf_api::credentials::{ChainProvider, Credentials, ProvideCredentials};
///
/// // The environment first, then fixed fallback credentials.
/// let env = Environment::from_vars([("TENCENTCLOUD_REGION", "ap-guangzhou")]);
/// let chain = ChainProvider::new()
///     .push(scf_api::credentials::EnvironmentProvider::with_env(env))
///     .push(Credentials::new("AKIDfallback", "fallback-key"));
/// let credentials = chain.provide_credentials().await.unwrap();
/// assert_eq!(credentials.secret_id(), "AKIDfallback");
/// # }
/// ```
#[derive(Default)]
pub struct ChainProvider {
    providers: Vec<Box<dyn ProvideCredentials>>,
}

impl ChainProvider {
    /// An empty chain, which has no credentials; add sources with [`push`](Self::push).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a source, tried after those already in the chain.
    #[must_use]
    pub fn push(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.providers.push(Box::new(provider));
        self
    }
}

impl fmt::Debug for ChainProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChainProvider")
            .field("providers", &self.providers)
            .finish()
    }
}

impl ProvideCredentials for ChainProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            let mut reasons = Vec::with_capacity(self.providers.len());
            for provider in &self.providers {
                match provider.provide_credentials().await {
                    Ok(credentials) => return Ok(credentials),
                    Err(e) if e.kind() == CredentialsErrorKind::NotConfigured => {
                        tracing::debug!(reason = %e, "credentials source skipped");
                        reasons.push(e.message().to_owned());
                    }
                    Err(e) => return Err(e),
                }
            }
            if reasons.is_empty() {
                reasons.push("the chain has no sources".to_owned());
            }
            Err(CredentialsError::not_configured(format!(
                "no credentials found: {}",
                reasons.join("; ")
            )))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{Fixed, SECRET_ID, SECRET_KEY, TOKEN, assert_no_secrets};
    use super::super::{Credentials, CredentialsErrorKind};
    use super::*;

    #[tokio::test]
    async fn the_first_source_with_credentials_wins() {
        let first = Fixed::new(Err(CredentialsError::not_configured("a: none")));
        let second = Fixed::new(Ok(Credentials::new(SECRET_ID, SECRET_KEY)));
        let third = Fixed::new(Ok(Credentials::new("AKIDthird", "third-key")));
        let chain = ChainProvider::new()
            .push(first.clone())
            .push(second.clone())
            .push(third.clone());
        let c = chain.provide_credentials().await.unwrap();
        assert_eq!(c, Credentials::new(SECRET_ID, SECRET_KEY));
        assert_eq!((first.calls(), second.calls(), third.calls()), (1, 1, 0));
    }

    #[tokio::test]
    async fn an_error_other_than_not_configured_stops_the_chain() {
        let later = Fixed::new(Ok(Credentials::new(SECRET_ID, SECRET_KEY)));
        let chain = ChainProvider::new()
            .push(Fixed::new(Err(CredentialsError::not_configured("a: none"))))
            .push(Fixed::new(Err(CredentialsError::provider("b: down"))))
            .push(later.clone());
        let e = chain.provide_credentials().await.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Provider);
        assert_eq!(e.to_string(), "b: down");
        assert_eq!(later.calls(), 0);

        let chain = ChainProvider::new()
            .push(Fixed::new(Err(CredentialsError::invalid("c: half set"))))
            .push(later.clone());
        let e = chain.provide_credentials().await.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
        assert_eq!(later.calls(), 0);
    }

    #[tokio::test]
    async fn nothing_found_lists_every_reason() {
        let chain = ChainProvider::new()
            .push(Fixed::new(Err(CredentialsError::not_configured("a: none"))))
            .push(Fixed::new(Err(CredentialsError::not_configured(
                "b: nothing",
            ))));
        let e = chain.provide_credentials().await.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);
        assert_eq!(e.to_string(), "no credentials found: a: none; b: nothing");

        let e = ChainProvider::new()
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);
        assert_eq!(
            e.to_string(),
            "no credentials found: the chain has no sources"
        );
    }

    #[test]
    fn debug_lists_providers_without_secrets() {
        let chain = ChainProvider::new()
            .push(Fixed::new(Err(CredentialsError::not_configured("a: none"))))
            .push(Credentials::new(SECRET_ID, SECRET_KEY).with_token(TOKEN));
        let out = format!("{chain:?} {chain:#?}");
        assert_no_secrets(&out);
        for name in ["Fixed", "Credentials"] {
            assert!(out.contains(name), "{name} missing from {out}");
        }
    }
}
