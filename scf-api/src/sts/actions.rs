//! The two STS actions the role providers call, written by hand: STS is not in the spec, and
//! these are all of it that scf-api needs. They go through the client's one call path with
//! [`Action::API`] set to STS.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::action::{Action, ActionMeta, Api, ErrorCode, Signing};

/// STS, version 2018-08-13.
pub(crate) const STS: Api = Api {
    service: "sts",
    version: "2018-08-13",
};

/// The facts both actions share, apart from the name.
const fn meta(name: &'static str, rate_limit: u32) -> ActionMeta {
    ActionMeta {
        name,
        // Asking for another set of temporary credentials has no lasting effect.
        retry_safe: true,
        rate_limit: Some(rate_limit),
        max_duration_secs: None,
        region_required: true,
        supported_regions: &[],
        event_limits: None,
        time_range: None,
    }
}

/// Input of `AssumeRole`: temporary credentials of a role, signed with the source's
/// credentials.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct AssumeRoleRequest {
    pub(crate) role_arn: String,
    pub(crate) role_session_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) duration_seconds: Option<u64>,
    /// The session policy, URL-encoded as the API expects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) policy: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) external_id: Option<String>,
}

impl Action for AssumeRoleRequest {
    type Output = RoleCredentials;
    type Error = StsErrorCode;
    const META: ActionMeta = meta("AssumeRole", 600);
    const API: Api = STS;
}

/// Input of `AssumeRoleWithWebIdentity`: temporary credentials of a role for the holder of an
/// OIDC token. Sent unsigned: the token is the proof.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct AssumeRoleWithWebIdentityRequest {
    pub(crate) provider_id: String,
    pub(crate) web_identity_token: String,
    pub(crate) role_arn: String,
    pub(crate) role_session_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) duration_seconds: Option<u64>,
}

impl Action for AssumeRoleWithWebIdentityRequest {
    type Output = RoleCredentials;
    type Error = StsErrorCode;
    const META: ActionMeta = meta("AssumeRoleWithWebIdentity", 20);
    const API: Api = STS;
    const SIGNING: Signing = Signing::Skip;
}

/// Output of both actions.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct RoleCredentials {
    pub(crate) credentials: TemporaryKeys,
    /// When the credentials expire, in Unix seconds.
    pub(crate) expired_time: u64,
}

/// The temporary keys of [`RoleCredentials`].
#[derive(Deserialize)]
pub(crate) struct TemporaryKeys {
    #[serde(rename = "TmpSecretId")]
    pub(crate) secret_id: String,
    #[serde(rename = "TmpSecretKey")]
    pub(crate) secret_key: String,
    #[serde(rename = "Token")]
    pub(crate) token: String,
}

impl fmt::Debug for AssumeRoleRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleRequest")
            .field("role_arn", &self.role_arn)
            .field("role_session_name", &self.role_session_name)
            .field("duration_seconds", &self.duration_seconds)
            .field("policy", &self.policy.as_ref().map(String::len))
            .field(
                "external_id",
                &self.external_id.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

impl fmt::Debug for AssumeRoleWithWebIdentityRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleWithWebIdentityRequest")
            .field("provider_id", &self.provider_id)
            .field("web_identity_token", &"<redacted>")
            .field("role_arn", &self.role_arn)
            .field("role_session_name", &self.role_session_name)
            .field("duration_seconds", &self.duration_seconds)
            .finish()
    }
}

/// An STS error code, as the service sent it (`InvalidParameter.RoleNotExist`, or a code common
/// to every Tencent Cloud API such as `AuthFailure.SignatureFailure`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct StsErrorCode(String);

impl ErrorCode for StsErrorCode {
    fn from_code(code: &str) -> Self {
        Self(code.to_owned())
    }

    fn code(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StsErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
