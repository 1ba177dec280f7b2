//! [`TccliProvider`]: credentials tccli, Tencent Cloud's command-line tool, keeps in
//! `~/.tccli/<profile>.credential`.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use super::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};
use crate::Environment;
use crate::env::HOME_VARS;

/// Variable naming the tccli profile to read when none is given explicitly.
const PROFILE_VAR: &str = "TCCLI_PROFILE";
/// The profile read when none is given explicitly or through [`PROFILE_VAR`].
const DEFAULT_PROFILE: &str = "default";
/// tccli's directory, relative to the home directory.
const DIR_IN_HOME: &str = ".tccli";
/// Appended to the profile name to make the file name.
const FILE_SUFFIX: &str = ".credential";
/// Larger files are refused: a credentials file is a few hundred bytes.
const MAX_FILE_SIZE: u64 = 64 * 1024;

/// Credentials of a tccli profile, from `~/.tccli/<profile>.credential`.
///
/// tccli (Tencent Cloud's command-line tool) keeps each profile's credentials in a JSON file:
///
/// ```json
/// {
///     "secretId": "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
///     "secretKey": "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
///     "token": "optional session token"
/// }
/// ```
///
/// After a browser login (`tccli auth login` or `tccli sso login`) the file holds temporary
/// credentials, `"type": "oauth"` or `"type": "sso"` and their expiry time `"expiresAt"` in
/// Unix seconds, besides the login's own data (which is not read).
///
/// The file is the one given with [`path`](Self::path), or else
/// `$HOME/.tccli/<profile>.credential` (`HOME` is read first, then `USERPROFILE`). The profile
/// is the one given with [`profile`](Self::profile), or else the one named by
/// `TCCLI_PROFILE`, or else `default`. The file is read on every call, so that a new login
/// is picked up when the credentials are next refreshed; files larger than 64 KiB are refused.
///
/// | The file | Result |
/// |---|---|
/// | is missing (or there is no home directory) | [`NotConfigured`] |
/// | has `secretId` and `secretKey`, `type` absent or `"default"` | the credentials, with `token` when it is not blank; `expiresAt` is ignored |
/// | has neither `secretId` nor `secretKey`, `type` absent or `"default"` | [`NotConfigured`] |
/// | has `"type": "oauth"` or `"sso"` and an `expiresAt` in the future | the temporary credentials, expiring at `expiresAt` |
/// | has `"type": "oauth"` or `"sso"` and an `expiresAt` in the past | [`Invalid`]: the login has expired and only tccli can renew it |
/// | has `"type": "cvm-role"` | [`NotConfigured`]: tccli uses the CVM instance role, which [`CvmRoleProvider`](super::CvmRoleProvider) reads |
/// | has a `role-arn` | [`Invalid`]: tccli would use the keys to assume the role; returning the keys themselves would run calls under the wrong identity, so use [`AssumeRoleProvider`](super::AssumeRoleProvider) instead |
/// | has another `type`, only one of `secretId` and `secretKey`, a value of the wrong type, is not JSON, cannot be read, or is too large | [`Invalid`] |
///
/// Errors name the file, never a value from it.
///
/// [`NotConfigured`]: super::CredentialsErrorKind::NotConfigured
/// [`Invalid`]: super::CredentialsErrorKind::Invalid
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use scf_api::Environment;
/// use scf_api::credentials::{CredentialsErrorKind, ProvideCredentials, TccliProvider};
///
/// // Without a home directory there is no tccli file: a chain would move on.
/// let provider = TccliProvider::with_env(Environment::from_vars::<&str, &str>([]));
/// let error = provider.provide_credentials().await.unwrap_err();
/// assert_eq!(error.kind(), CredentialsErrorKind::NotConfigured);
/// # }
/// ```
///
/// ```no_run
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), scf_api::credentials::CredentialsError> {
/// use scf_api::credentials::{ProvideCredentials, TccliProvider};
///
/// // The credentials of `tccli --profile staging`.
/// let credentials = TccliProvider::new()
///     .profile("staging")
///     .provide_credentials()
///     .await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, Default)]
pub struct TccliProvider {
    env: Environment,
    path: Option<PathBuf>,
    profile: Option<String>,
}

impl TccliProvider {
    /// Reads `TCCLI_PROFILE`, `HOME` and `USERPROFILE` from the process environment.
    pub fn new() -> Self {
        Self::with_env(Environment::process())
    }

    /// Reads `TCCLI_PROFILE`, `HOME` and `USERPROFILE` from the given environment.
    pub fn with_env(env: Environment) -> Self {
        Self {
            env,
            path: None,
            profile: None,
        }
    }

    /// Reads this file instead of `~/.tccli/<profile>.credential`.
    #[must_use]
    pub fn path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Reads this profile instead of the one named by `TCCLI_PROFILE` (or `default`).
    ///
    /// The name is trimmed; a blank name is ignored.
    #[must_use]
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        let profile = profile.into();
        let profile = profile.trim();
        self.profile = (!profile.is_empty()).then(|| profile.to_owned());
        self
    }

    /// The profile to read.
    fn resolve_profile(&self) -> String {
        self.profile
            .clone()
            .or_else(|| self.env.get_trimmed(PROFILE_VAR))
            .unwrap_or_else(|| DEFAULT_PROFILE.to_owned())
    }

    /// The file to read.
    fn resolve_path(&self, profile: &str) -> Result<PathBuf, CredentialsError> {
        if let Some(path) = &self.path {
            return Ok(path.clone());
        }
        let home = self.env.home_dir().ok_or_else(|| {
            CredentialsError::not_configured(format!(
                "tccli: neither {} nor {} is set",
                HOME_VARS[0], HOME_VARS[1]
            ))
        })?;
        Ok(home
            .join(DIR_IN_HOME)
            .join(format!("{profile}{FILE_SUFFIX}")))
    }

    /// Reads the credentials now.
    fn load(&self) -> Result<Credentials, CredentialsError> {
        let profile = self.resolve_profile();
        let path = self.resolve_path(&profile)?;
        let bytes = read_capped(&path)?;
        let file = CredentialFile::parse(&bytes).map_err(|problem| {
            CredentialsError::invalid(format!("tccli: {}: {problem}", path.display()))
        })?;
        file.credentials(&path, &profile, SystemTime::now())
    }
}

impl ProvideCredentials for TccliProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        // Blocking is acceptable here: a small local file, read once per refresh.
        Box::pin(async move { self.load() })
    }
}

/// Reads at most [`MAX_FILE_SIZE`] bytes of `path`.
fn read_capped(path: &Path) -> Result<Vec<u8>, CredentialsError> {
    let read_error = |error: io::Error| {
        if error.kind() == io::ErrorKind::NotFound {
            CredentialsError::not_configured(format!("tccli: file {} not found", path.display()))
        } else {
            CredentialsError::invalid(format!("tccli: cannot read {}: {error}", path.display()))
                .with_source(error)
        }
    };
    let file = File::open(path).map_err(read_error)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(CredentialsError::invalid(format!(
            "tccli: {} is larger than {} KiB, too large for a credentials file",
            path.display(),
            MAX_FILE_SIZE / 1024
        )));
    }
    Ok(bytes)
}

/// What a credentials file says tccli signs its calls with (its `type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Keys written by `tccli configure` (`type` absent or `"default"`).
    Plain,
    /// Temporary keys from a browser login.
    Login(Login),
    /// The CVM instance role.
    CvmRole,
}

/// The browser logins of tccli.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Login {
    OAuth,
    Sso,
}

impl Login {
    /// The `type` value.
    fn name(self) -> &'static str {
        match self {
            Login::OAuth => "oauth",
            Login::Sso => "sso",
        }
    }

    /// The tccli command that logs in again.
    fn command(self) -> &'static str {
        match self {
            Login::OAuth => "tccli auth login",
            Login::Sso => "tccli sso login",
        }
    }
}

/// The parts of a credentials file that matter here.
struct CredentialFile {
    kind: Kind,
    secret_id: Option<String>,
    secret_key: Option<String>,
    token: Option<String>,
    expires_at: Option<SystemTime>,
    has_role_arn: bool,
}

impl CredentialFile {
    /// Parses a file; the error is a problem to report after the file name, and never
    /// contains a value from the file.
    fn parse(bytes: &[u8]) -> Result<Self, String> {
        let value: Value = serde_json::from_slice(bytes).map_err(|e| {
            // The error's own message may quote the file; only its position is reported.
            format!(
                "not valid JSON (error at line {}, column {})",
                e.line(),
                e.column()
            )
        })?;
        let Value::Object(object) = value else {
            return Err("not a JSON object".to_owned());
        };
        let kind = match text(&object, "type")?.as_deref() {
            None | Some("default") => Kind::Plain,
            Some("oauth") => Kind::Login(Login::OAuth),
            Some("sso") => Kind::Login(Login::Sso),
            Some("cvm-role") => Kind::CvmRole,
            Some(other) => {
                return Err(format!(
                    "unknown `type` {other:?} (expected \"default\", \"oauth\", \"sso\" or \
                     \"cvm-role\")"
                ));
            }
        };
        Ok(Self {
            kind,
            secret_id: text(&object, "secretId")?,
            secret_key: text(&object, "secretKey")?,
            token: text(&object, "token")?,
            expires_at: unix_time(&object, "expiresAt")?,
            has_role_arn: text(&object, "role-arn")?.is_some(),
        })
    }

    /// The credentials the file holds, or why it holds none that can be used at `now`.
    fn credentials(
        self,
        path: &Path,
        profile: &str,
        now: SystemTime,
    ) -> Result<Credentials, CredentialsError> {
        let file = path.display();
        // tccli looks at the CVM role first, then at a role to assume.
        if self.kind == Kind::CvmRole {
            return Err(CredentialsError::not_configured(format!(
                "tccli: {file} says to use the CVM instance role (`type` is \"cvm-role\"), \
                 which the CVM role source of the default chain covers"
            )));
        }
        if self.has_role_arn {
            return Err(CredentialsError::invalid(format!(
                "tccli: {file} has a `role-arn`: tccli assumes that role with the keys, and \
                 profiles that assume a role are not read here; use the STS AssumeRole \
                 provider with a source of long-term credentials instead"
            )));
        }
        let (id, key) = match (self.secret_id, self.secret_key) {
            (Some(id), Some(key)) => (id, key),
            (Some(_), None) => {
                return Err(CredentialsError::invalid(format!(
                    "tccli: {file} has `secretId` but no `secretKey`"
                )));
            }
            (None, Some(_)) => {
                return Err(CredentialsError::invalid(format!(
                    "tccli: {file} has `secretKey` but no `secretId`"
                )));
            }
            (None, None) => {
                let message = format!("tccli: {file} has neither `secretId` nor `secretKey`");
                return Err(match self.kind {
                    Kind::Plain => CredentialsError::not_configured(message),
                    _ => CredentialsError::invalid(message),
                });
            }
        };
        let credentials = Credentials::new(id, key).with_token(self.token.unwrap_or_default());
        let Kind::Login(login) = self.kind else {
            return Ok(credentials);
        };
        let name = login.name();
        let Some(expires_at) = self.expires_at else {
            return Err(CredentialsError::invalid(format!(
                "tccli: {file} has `type` \"{name}\" but no `expiresAt`"
            )));
        };
        if expires_at <= now {
            let mut command = login.command().to_owned();
            if profile != DEFAULT_PROFILE {
                command = format!("{command} --profile {profile}");
            }
            return Err(CredentialsError::invalid(format!(
                "tccli: the {name} login in {file} expired at {}; log in again with `{command}`",
                httpdate::fmt_http_date(expires_at)
            )));
        }
        Ok(credentials.with_expiry(expires_at))
    }
}

/// The string `key` of `object`, trimmed; `None` when absent, `null` or blank.
fn text(object: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => {
            let s = s.trim();
            Ok((!s.is_empty()).then(|| s.to_owned()))
        }
        Some(_) => Err(format!("`{key}` is not a string")),
    }
}

/// The time `key` of `object`, given in Unix seconds; `None` when absent or `null`.
fn unix_time(object: &Map<String, Value>, key: &str) -> Result<Option<SystemTime>, String> {
    let seconds = match object.get(key) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n
            .as_u64()
            .map(Duration::from_secs)
            .or_else(|| n.as_f64().and_then(|f| Duration::try_from_secs_f64(f).ok())),
        Some(_) => None,
    };
    seconds
        .and_then(|since| UNIX_EPOCH.checked_add(since))
        .map(Some)
        .ok_or_else(|| format!("`{key}` is not a time in Unix seconds"))
}

#[cfg(test)]
mod tests;
