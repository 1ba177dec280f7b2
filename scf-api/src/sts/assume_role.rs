//! [`AssumeRoleProvider`]: a role's temporary credentials from STS `AssumeRole`, signed with a
//! source provider's credentials.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::actions::AssumeRoleRequest;
use crate::client::Client;
use crate::credentials::{CredentialsError, ProvideCredentials, ProvideFuture};
use crate::env::Environment;

/// Prefix of this provider's error messages.
const LABEL: &str = "assume role";

/// Temporary credentials of a CAM role, from STS `AssumeRole` (version 2018-08-13).
///
/// The call is signed with the credentials of a *source* provider, any [`ProvideCredentials`]:
/// fixed long-term keys, the environment, the CVM instance role, even another
/// `AssumeRoleProvider` (role chaining). The source's credentials are cached and refreshed on
/// their own; the role's credentials carry their expiry, so a client's
/// [`CredentialsCache`](crate::credentials::CredentialsCache) asks for new ones 5 minutes before
/// they expire.
///
/// - Endpoint: [`endpoint`](AssumeRoleBuilder::endpoint), else `TENCENTCLOUD_STS_ENDPOINT_URL`,
///   else `https://sts.tencentcloudapi.com`.
/// - Region: [`region`](AssumeRoleBuilder::region), else `ap-guangzhou` (STS is global).
/// - Session name: [`session_name`](AssumeRoleBuilder::session_name), else
///   `scf-api-rust-<microseconds>`; duration: the service's default (2 hours) unless set.
///
/// Errors: a failed STS call is a [`Provider`](crate::credentials::CredentialsErrorKind::Provider)
/// error naming the action and carrying the service's code and request id; invalid settings
/// are reported by [`build`](AssumeRoleBuilder::build).
///
/// ```
/// # fn demo() -> Result<(), scf_api::credentials::CredentialsError> {
/// use std::time::Duration;
/// use scf_api::Client;
/// use scf_api::credentials::{AssumeRoleProvider, Credentials};
///
/// let source = Credentials::new("AKIDlong-term", "long-term-key");
/// let role = AssumeRoleProvider::builder("qcs::cam::uin/100000000001:roleName/deployer", source)
///     .session_name("nightly-deploy")
///     .duration(Duration::from_secs(3600))
///     .build()?;
/// let client = Client::builder().credentials_provider(role).region("ap-guangzhou").build();
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
pub struct AssumeRoleProvider {
    client: Client,
    role_arn: String,
    session_name: String,
    duration_secs: Option<u64>,
    policy: Option<String>,
    external_id: Option<String>,
    region: String,
    source: Arc<dyn ProvideCredentials>,
}

/// Settings of an [`AssumeRoleProvider`], from [`AssumeRoleProvider::builder`].
#[must_use = "an `AssumeRoleBuilder` does nothing until `.build()`"]
pub struct AssumeRoleBuilder {
    role_arn: String,
    source: Arc<dyn ProvideCredentials>,
    session_name: Option<String>,
    duration: Option<Duration>,
    policy: Option<String>,
    external_id: Option<String>,
    region: Option<String>,
    endpoint: Option<String>,
    env: Environment,
}

impl AssumeRoleProvider {
    /// Settings for assuming `role_arn` (`qcs::cam::uin/<uin>:roleName/<name>`) with the
    /// credentials of `source`.
    pub fn builder(
        role_arn: impl Into<String>,
        source: impl ProvideCredentials + 'static,
    ) -> AssumeRoleBuilder {
        AssumeRoleBuilder {
            role_arn: role_arn.into().trim().to_owned(),
            source: Arc::new(source),
            session_name: None,
            duration: None,
            policy: None,
            external_id: None,
            region: None,
            endpoint: None,
            env: Environment::process(),
        }
    }

    /// Calls `AssumeRole` once.
    async fn assume(&self) -> Result<crate::credentials::Credentials, CredentialsError> {
        let request = AssumeRoleRequest {
            role_arn: self.role_arn.clone(),
            role_session_name: self.session_name.clone(),
            duration_seconds: self.duration_secs,
            policy: self.policy.clone(),
            external_id: self.external_id.clone(),
        };
        super::assume(LABEL, &self.client, &request, &self.region).await
    }
}

impl AssumeRoleBuilder {
    /// The role session name (2 to 128 letters, digits and `_+=,.@-`), shown in CloudAudit;
    /// `scf-api-rust-<microseconds>` by default.
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into());
        self
    }

    /// How long the credentials last (1 second to 12 hours; the service's default, 2 hours,
    /// when unset). Whole seconds are sent.
    pub fn duration(mut self, duration: Duration) -> Self {
        self.duration = Some(duration);
        self
    }

    /// A session policy (CAM policy JSON) narrowing what the credentials allow. Pass the JSON
    /// as is: it is URL-encoded for the API here.
    pub fn policy(mut self, policy_json: impl Into<String>) -> Self {
        self.policy = Some(policy_json.into());
        self
    }

    /// The external id the role's trust policy asks for (2 to 128 letters, digits and
    /// `_+=,.@:/-`). Never shown in `Debug` or errors.
    pub fn external_id(mut self, external_id: impl Into<String>) -> Self {
        self.external_id = Some(external_id.into());
        self
    }

    /// The region sent with the call (default `ap-guangzhou`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The STS endpoint, winning over `TENCENTCLOUD_STS_ENDPOINT_URL` (e.g.
    /// `https://sts.intl.tencentcloudapi.com`).
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// Reads `TENCENTCLOUD_STS_ENDPOINT_URL` from `env` instead of the process environment.
    pub fn env(mut self, env: Environment) -> Self {
        self.env = env;
        self
    }

    /// Checks the settings and builds the provider. Nothing is sent yet.
    ///
    /// # Errors
    ///
    /// [`Invalid`](crate::credentials::CredentialsErrorKind::Invalid) for an empty role ARN,
    /// a session name, external id, duration or region the API would refuse, a policy that is
    /// not JSON, or an endpoint that is not a URL.
    pub fn build(self) -> Result<AssumeRoleProvider, CredentialsError> {
        if self.role_arn.is_empty() {
            return Err(CredentialsError::invalid(format!(
                "{LABEL}: the role ARN is empty"
            )));
        }
        let session_name = self
            .session_name
            .unwrap_or_else(super::default_session_name);
        super::check_session_name(LABEL, &session_name)?;
        if let Some(id) = &self.external_id {
            super::check_external_id(LABEL, id)?;
        }
        let duration_secs = self
            .duration
            .map(|d| super::duration_secs(LABEL, d))
            .transpose()?;
        let policy = match self.policy {
            Some(json) => {
                serde_json::from_str::<serde_json::Value>(&json).map_err(|e| {
                    CredentialsError::invalid(format!(
                        "{LABEL}: the session policy is not JSON (line {}, column {})",
                        e.line(),
                        e.column()
                    ))
                })?;
                Some(super::url_encode(&json))
            }
            None => None,
        };
        let region = self
            .region
            .unwrap_or_else(|| super::DEFAULT_STS_REGION.to_owned());
        crate::region::check(&region)
            .map_err(|e| CredentialsError::invalid(format!("{LABEL}: {e}")))?;
        let endpoint = super::endpoint(self.endpoint.as_deref(), &self.env);
        let client = super::client(LABEL, endpoint, Arc::clone(&self.source))?;
        Ok(AssumeRoleProvider {
            client,
            role_arn: self.role_arn,
            session_name,
            duration_secs,
            policy,
            external_id: self.external_id,
            region,
            source: self.source,
        })
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.assume())
    }
}

impl fmt::Debug for AssumeRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleProvider")
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field("duration_secs", &self.duration_secs)
            .field("policy_bytes", &self.policy.as_ref().map(String::len))
            .field(
                "external_id",
                &self.external_id.as_ref().map(|_| "<redacted>"),
            )
            .field("region", &self.region)
            .field("endpoint", self.client.endpoint())
            .field("source", &self.source)
            .finish()
    }
}

impl fmt::Debug for AssumeRoleBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleBuilder")
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field("duration", &self.duration)
            .field("policy_bytes", &self.policy.as_ref().map(String::len))
            .field(
                "external_id",
                &self.external_id.as_ref().map(|_| "<redacted>"),
            )
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}
