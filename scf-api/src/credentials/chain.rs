//! [`ChainProvider`]: the first source that has credentials.

use std::fmt;

use super::{
    CredentialsError, CredentialsErrorKind, EnvironmentProvider, ProfileProvider,
    ProvideCredentials, ProvideFuture,
};
use crate::Environment;

/// Tries several sources in order and returns the credentials of the first one that has some.
///
/// A source that answers [`NotConfigured`](CredentialsErrorKind::NotConfigured) is skipped. Any
/// other error stops the chain and is returned as is: a half-configured source (say
/// `TENCENTCLOUD_SECRET_ID` without `TENCENTCLOUD_SECRET_KEY`) is reported rather than silently
/// replaced by the next source. When no source has credentials, the error is `NotConfigured`
/// and lists every source's reason:
///
/// ```text
/// no credentials found: environment: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set; profile: file /home/me/.tencentcloud/credentials not found
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

    /// The default chain, reading the process environment: [`EnvironmentProvider::new`], then
    /// [`ProfileProvider::new`].
    pub fn default_chain() -> Self {
        Self::default_chain_with_env(Environment::process())
    }

    /// The default chain, reading the given environment: [`EnvironmentProvider::with_env`],
    /// then [`ProfileProvider::with_env`].
    pub fn default_chain_with_env(env: Environment) -> Self {
        Self::new()
            .push(EnvironmentProvider::with_env(env.clone()))
            .push(ProfileProvider::with_env(env))
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
    use std::fs;

    use super::super::test_support::{Fixed, SECRET_ID, SECRET_KEY, TOKEN, assert_no_secrets};
    use super::super::{Credentials, CredentialsErrorKind};
    use super::*;

    /// A home directory whose credentials file has a `default` profile with `id` and `key`.
    fn home_with_profile(id: &str, key: &str) -> tempfile::TempDir {
        let home = tempfile::tempdir().unwrap();
        fs::create_dir(home.path().join(".tencentcloud")).unwrap();
        fs::write(
            home.path().join(".tencentcloud/credentials"),
            format!("[default]\nsecret_id = {id}\nsecret_key = {key}\n"),
        )
        .unwrap();
        home
    }

    #[tokio::test]
    async fn environment_wins_over_profile() {
        let home = home_with_profile("AKIDprofile", "profile-key");
        let env = Environment::from_vars([
            ("HOME", home.path().to_str().unwrap()),
            ("TENCENTCLOUD_SECRET_ID", SECRET_ID),
            ("TENCENTCLOUD_SECRET_KEY", SECRET_KEY),
            ("TENCENTCLOUD_TOKEN", TOKEN),
        ]);
        let c = ChainProvider::default_chain_with_env(env)
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(c, Credentials::new(SECRET_ID, SECRET_KEY).with_token(TOKEN));
    }

    #[tokio::test]
    async fn falls_through_to_profile() {
        let home = home_with_profile(SECRET_ID, SECRET_KEY);
        let env = Environment::from_vars([("HOME", home.path().to_str().unwrap())]);
        let c = ChainProvider::default_chain_with_env(env)
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(c, Credentials::new(SECRET_ID, SECRET_KEY));
    }

    #[tokio::test]
    async fn invalid_source_stops_the_chain() {
        let home = home_with_profile(SECRET_ID, SECRET_KEY);
        let env = Environment::from_vars([
            ("HOME", home.path().to_str().unwrap()),
            ("TENCENTCLOUD_SECRET_KEY", SECRET_KEY),
        ]);
        let e = ChainProvider::default_chain_with_env(env)
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
        assert_eq!(
            e.to_string(),
            "environment: TENCENTCLOUD_SECRET_KEY is set but TENCENTCLOUD_SECRET_ID is not"
        );

        // A provider error stops it too, and later sources are not asked.
        let later = Fixed::new(Ok(Credentials::new(SECRET_ID, SECRET_KEY)));
        let chain = ChainProvider::new()
            .push(Fixed::new(Err(CredentialsError::not_configured("a: none"))))
            .push(Fixed::new(Err(CredentialsError::provider("b: down"))))
            .push(later.clone());
        let e = chain.provide_credentials().await.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Provider);
        assert_eq!(e.to_string(), "b: down");
        assert_eq!(later.calls(), 0);
    }

    #[tokio::test]
    async fn all_missing_lists_every_reason() {
        let home = tempfile::tempdir().unwrap();
        let env = Environment::from_vars([("HOME", home.path().to_str().unwrap())]);
        let e = ChainProvider::default_chain_with_env(env)
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);
        let file = home.path().join(".tencentcloud").join("credentials");
        assert_eq!(
            e.to_string(),
            format!(
                "no credentials found: environment: TENCENTCLOUD_SECRET_ID and \
                 TENCENTCLOUD_SECRET_KEY are not set; profile: file {} not found",
                file.display()
            )
        );

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
        let chain = ChainProvider::default_chain_with_env(Environment::from_vars([
            ("TENCENTCLOUD_SECRET_ID", SECRET_ID),
            ("TENCENTCLOUD_SECRET_KEY", SECRET_KEY),
        ]))
        .push(Credentials::new(SECRET_ID, SECRET_KEY).with_token(TOKEN));
        let out = format!("{chain:?} {chain:#?}");
        assert_no_secrets(&out);
        for name in ["EnvironmentProvider", "ProfileProvider", "Credentials"] {
            assert!(out.contains(name), "{name} missing from {out}");
        }
    }
}
