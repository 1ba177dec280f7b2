//! [`WebIdentityProvider`]: a role's temporary credentials for a TKE pod, from STS
//! `AssumeRoleWithWebIdentity` with the OIDC token TKE mounts into the pod.

use std::fmt;
use std::io::Read;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::OnceCell;

use super::actions::AssumeRoleWithWebIdentityRequest;
use crate::client::Client;
use crate::credentials::{
    ChainProvider, Credentials, CredentialsError, ProvideCredentials, ProvideFuture,
};
use crate::env::Environment;

/// Prefix of this provider's error messages.
const LABEL: &str = "tke oidc";

/// Variable holding the region sent with the call.
pub(super) const TKE_REGION: &str = "TKE_REGION";
/// Variable holding the OIDC identity provider's id.
pub(super) const TKE_PROVIDER_ID: &str = "TKE_PROVIDER_ID";
/// Variable holding the path of the token file (rotated by TKE; read on every refresh).
pub(super) const TKE_WEB_IDENTITY_TOKEN_FILE: &str = "TKE_WEB_IDENTITY_TOKEN_FILE";
/// Variable holding the role to assume.
pub(super) const TKE_ROLE_ARN: &str = "TKE_ROLE_ARN";

/// The four variables, in the order missing ones are named.
const VARIABLES: [&str; 4] = [
    TKE_REGION,
    TKE_PROVIDER_ID,
    TKE_WEB_IDENTITY_TOKEN_FILE,
    TKE_ROLE_ARN,
];

/// Largest token file read; OIDC tokens are a few kilobytes.
const MAX_TOKEN_BYTES: u64 = 64 * 1024;

/// Temporary credentials of the role a TKE pod is bound to ("pod identity"), from STS
/// `AssumeRoleWithWebIdentity` (version 2018-08-13).
///
/// TKE sets four variables in the pod: `TKE_REGION`, `TKE_PROVIDER_ID`, `TKE_ROLE_ARN`, and
/// `TKE_WEB_IDENTITY_TOKEN_FILE`, the path of a file holding an OIDC token that TKE rotates.
/// On every refresh this provider reads the four variables and the token file again and sends
/// the token, **unsigned** (`Authorization: SKIP`, no credentials needed), with the region from
/// `TKE_REGION` (the official Go SDK sends `ap-guangzhou` whatever the variable says; this one
/// does not).
///
/// - None of the four variables set: [`NotConfigured`](crate::credentials::CredentialsErrorKind::NotConfigured),
///   so the default chain moves on.
/// - Some but not all set, an unreadable or empty token file, an invalid region:
///   [`Invalid`](crate::credentials::CredentialsErrorKind::Invalid), naming what is wrong.
/// - A failed STS call: [`Provider`](crate::credentials::CredentialsErrorKind::Provider).
///
/// Endpoint: [`endpoint`](Self::endpoint), else `TENCENTCLOUD_STS_ENDPOINT_URL`, else
/// `https://sts.tencentcloudapi.com`. Session name: `scf-api-rust-<microseconds>` unless set.
///
/// ```
/// use scf_api::Environment;
/// use scf_api::credentials::WebIdentityProvider;
///
/// // What TKE sets in a pod with a bound role:
/// let env = Environment::from_vars([
///     ("TKE_REGION", "ap-shanghai"),
///     ("TKE_PROVIDER_ID", "oidc-provider"),
///     ("TKE_ROLE_ARN", "qcs::cam::uin/100000000001:roleName/orders"),
///     ("TKE_WEB_IDENTITY_TOKEN_FILE", "/var/run/secrets/tke/token"),
/// ]);
/// let provider = WebIdentityProvider::with_env(env).session_name("orders-api");
/// # let _ = provider;
/// ```
pub struct WebIdentityProvider {
    env: Environment,
    session_name: Option<String>,
    duration: Option<Duration>,
    endpoint: Option<String>,
    /// The STS client, built on the first refresh (so that a default chain that never reaches
    /// this provider builds none).
    client: OnceCell<Client>,
}

/// What the four variables say.
struct Settings {
    region: String,
    provider_id: String,
    token_file: String,
    role_arn: String,
}

impl WebIdentityProvider {
    /// Reads the process environment.
    pub fn new() -> Self {
        Self::with_env(Environment::process())
    }

    /// Reads the given environment.
    pub fn with_env(env: Environment) -> Self {
        Self {
            env,
            session_name: None,
            duration: None,
            endpoint: None,
            client: OnceCell::new(),
        }
    }

    /// The role session name (2 to 128 letters, digits and `_+=,.@-`); checked when the
    /// credentials are fetched.
    #[must_use]
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into());
        self
    }

    /// How long the credentials last (1 second to 12 hours; the service's default, 2 hours,
    /// when unset).
    #[must_use]
    pub fn duration(mut self, duration: Duration) -> Self {
        self.duration = Some(duration);
        self
    }

    /// The STS endpoint, winning over `TENCENTCLOUD_STS_ENDPOINT_URL`.
    #[must_use]
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// Reads the variables: `None` when none is set.
    fn settings(&self) -> Result<Option<Settings>, CredentialsError> {
        let values = VARIABLES.map(|name| self.env.get_trimmed(name));
        if values.iter().all(Option::is_none) {
            return Ok(None);
        }
        let missing: Vec<&str> = VARIABLES
            .iter()
            .zip(&values)
            .filter(|(_, value)| value.is_none())
            .map(|(name, _)| *name)
            .collect();
        let [
            Some(region),
            Some(provider_id),
            Some(token_file),
            Some(role_arn),
        ] = values
        else {
            return Err(CredentialsError::invalid(format!(
                "{LABEL}: {} not set (all four TKE_* variables are needed)",
                missing.join(", ")
            )));
        };
        crate::region::check(&region)
            .map_err(|e| CredentialsError::invalid(format!("{LABEL}: {TKE_REGION}: {e}")))?;
        Ok(Some(Settings {
            region,
            provider_id,
            token_file,
            role_arn,
        }))
    }

    /// Reads the settings and the token, and calls STS.
    async fn assume(&self) -> Result<Credentials, CredentialsError> {
        let Some(settings) = self.settings()? else {
            return Err(CredentialsError::not_configured(format!(
                "{LABEL}: {} are not set",
                VARIABLES.join(", ")
            )));
        };
        let token = read_token(&settings.token_file)?;
        let session_name = self
            .session_name
            .clone()
            .unwrap_or_else(super::default_session_name);
        super::check_session_name(LABEL, &session_name)?;
        let duration_seconds = self
            .duration
            .map(|d| super::duration_secs(LABEL, d))
            .transpose()?;
        let client = self
            .client
            .get_or_try_init(|| async {
                let endpoint = super::endpoint(self.endpoint.as_deref(), &self.env);
                // Unsigned: the client never asks for credentials.
                super::client(LABEL, endpoint, Arc::new(ChainProvider::new()))
            })
            .await?;
        let request = AssumeRoleWithWebIdentityRequest {
            provider_id: settings.provider_id,
            web_identity_token: token,
            role_arn: settings.role_arn,
            role_session_name: session_name,
            duration_seconds,
        };
        super::assume(LABEL, client, &request, &settings.region).await
    }
}

impl Default for WebIdentityProvider {
    fn default() -> Self {
        Self::new()
    }
}

/// Reads the token file (at most [`MAX_TOKEN_BYTES`]). Errors name the file, never its text.
fn read_token(path: &str) -> Result<String, CredentialsError> {
    let invalid = |problem: String| {
        CredentialsError::invalid(format!(
            "{LABEL}: token file {path} ({TKE_WEB_IDENTITY_TOKEN_FILE}) {problem}"
        ))
    };
    let file = std::fs::File::open(path).map_err(|e| invalid(format!("cannot be read: {e}")))?;
    let mut text = String::new();
    file.take(MAX_TOKEN_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| invalid(format!("cannot be read: {e}")))?;
    if text.len() as u64 > MAX_TOKEN_BYTES {
        return Err(invalid(format!("is larger than {MAX_TOKEN_BYTES} bytes")));
    }
    let token = text.trim();
    if token.is_empty() {
        return Err(invalid("is empty".to_owned()));
    }
    Ok(token.to_owned())
}

impl ProvideCredentials for WebIdentityProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.assume())
    }
}

impl fmt::Debug for WebIdentityProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebIdentityProvider")
            .field("env", &self.env)
            .field("session_name", &self.session_name)
            .field("duration", &self.duration)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::CredentialsErrorKind;

    fn provider(vars: &[(&str, &str)]) -> WebIdentityProvider {
        WebIdentityProvider::with_env(Environment::from_vars(vars.iter().copied()))
    }

    #[tokio::test]
    async fn without_variables_it_is_not_configured() {
        let e = provider(&[]).provide_credentials().await.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);
        assert_eq!(
            e.to_string(),
            "tke oidc: TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_ROLE_ARN \
             are not set"
        );
    }

    #[tokio::test]
    async fn some_variables_missing_is_invalid_and_names_them() {
        let e = provider(&[(TKE_REGION, "ap-shanghai"), (TKE_ROLE_ARN, "qcs::cam::x")])
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
        assert_eq!(
            e.to_string(),
            "tke oidc: TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE not set (all four TKE_* \
             variables are needed)"
        );
    }

    #[tokio::test]
    async fn unreadable_empty_or_huge_token_files_are_invalid() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty");
        std::fs::write(&empty, " \n").unwrap();
        let huge = dir.path().join("huge");
        std::fs::write(&huge, "t".repeat(70_000)).unwrap();
        let missing = dir.path().join("missing");
        for (file, problem) in [
            (&empty, "is empty"),
            (&huge, "is larger than 65536 bytes"),
            (&missing, "cannot be read"),
        ] {
            let file = file.to_str().unwrap();
            let e = provider(&[
                (TKE_REGION, "ap-shanghai"),
                (TKE_PROVIDER_ID, "p"),
                (TKE_ROLE_ARN, "qcs::cam::x"),
                (TKE_WEB_IDENTITY_TOKEN_FILE, file),
            ])
            .provide_credentials()
            .await
            .unwrap_err();
            assert_eq!(e.kind(), CredentialsErrorKind::Invalid, "{e}");
            assert!(e.to_string().contains(problem), "{e}");
            assert!(!e.to_string().contains("tttt"), "{e}");
        }
    }

    #[tokio::test]
    async fn a_bad_region_is_invalid() {
        let e = provider(&[
            (TKE_REGION, "AP Shanghai"),
            (TKE_PROVIDER_ID, "p"),
            (TKE_ROLE_ARN, "qcs::cam::x"),
            (TKE_WEB_IDENTITY_TOKEN_FILE, "/nonexistent"),
        ])
        .provide_credentials()
        .await
        .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
        assert!(e.to_string().starts_with("tke oidc: TKE_REGION: "), "{e}");
    }
}
