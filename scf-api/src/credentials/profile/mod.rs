//! [`ProfileProvider`]: credentials from a profile of the shared credentials file
//! (`~/.tencentcloud/credentials`).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};
use crate::Environment;
use crate::env::HOME_VARS;

/// Variable naming the profile to read when none is given explicitly.
const PROFILE_VAR: &str = "TENCENTCLOUD_PROFILE";
/// The profile read when none is given explicitly or through [`PROFILE_VAR`].
const DEFAULT_PROFILE: &str = "default";
/// The credentials file, relative to the home directory.
const FILE_IN_HOME: [&str; 2] = [".tencentcloud", "credentials"];
/// Variable naming the credentials file to read instead of the home and system-wide files.
const FILE_VAR: &str = "TENCENTCLOUD_CREDENTIALS_FILE";
/// The system-wide credentials file, read when the home directory has none.
const SYSTEM_FILE: &str = "/etc/tencentcloud/credentials";

/// Key of the secret id in a profile.
const SECRET_ID_KEY: &str = "secret_id";
/// Key of the secret key in a profile.
const SECRET_KEY_KEY: &str = "secret_key";
/// Key of the optional session token in a profile.
const TOKEN_KEY: &str = "token";

/// Credentials from a profile of an INI credentials file.
///
/// # Which file wins
///
/// The first of these that applies is read, and only that one:
///
/// 1. the file given with [`path`](Self::path);
/// 2. the file named by `TENCENTCLOUD_CREDENTIALS_FILE` (trimmed; a blank value counts as
///    unset). When that file does not exist the error is [`Invalid`]: a file asked for
///    explicitly that is not there is a mistake, not a reason to look elsewhere;
/// 3. `$HOME/.tencentcloud/credentials` (`%USERPROFILE%\.tencentcloud\credentials` on Windows:
///    `HOME` is read first, then `USERPROFILE`), when it exists;
/// 4. `/etc/tencentcloud/credentials`, the system-wide file also read by Tencent Cloud's
///    Python, Java and Node.js SDKs, when it exists.
///
/// The home file wins over the system-wide one, as in the Python and Node.js SDKs; Java's SDK
/// checks `/etc` first on Linux. When neither exists the error is [`NotConfigured`] and lists
/// the files looked at.
///
/// The profile is the one given with [`profile`](Self::profile), or else the one named by
/// `TENCENTCLOUD_PROFILE`, or else `default`. The file and the profile are resolved, and the
/// file read, on every call, so an edited file is picked up when the credentials are next
/// refreshed.
///
/// ```ini
/// # ~/.tencentcloud/credentials
/// [default]
/// secret_id = AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE
/// secret_key = Gu5t9xGARNpq86cd98joQYCN3EXAMPLE
///
/// ; temporary credentials
/// [ci]
/// secret_id=AKIDtemporary
/// secret_key=temporary-key
/// token=session-token
/// ```
///
/// A section is a `[name]` line; a setting is a `key = value` line (whitespace around the key
/// and value is trimmed, keys are matched case-insensitively, a later setting replaces an
/// earlier one); lines starting with `#` or `;` are comments. A profile holds `secret_id`,
/// `secret_key` and optionally `token`; other keys are ignored.
///
/// - No file (no home directory and no system-wide file, or a file given with
///   [`path`](Self::path) that does not exist), or no such profile in the file:
///   [`NotConfigured`]. A profile named explicitly (with [`profile`](Self::profile) or
///   `TENCENTCLOUD_PROFILE`) that is not in the file is [`Invalid`].
/// - `TENCENTCLOUD_CREDENTIALS_FILE` naming a file that does not exist, a file that cannot be
///   read or has a malformed line (the error names the file and the line number, never the
///   line's text), or a profile without both `secret_id` and `secret_key`: [`Invalid`].
///
/// [`NotConfigured`]: super::CredentialsErrorKind::NotConfigured
/// [`Invalid`]: super::CredentialsErrorKind::Invalid
///
/// ```no_run
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), scf_api::credentials::CredentialsError> {
/// use scf_api::credentials::{ProfileProvider, ProvideCredentials};
///
/// let provider = ProfileProvider::new()
///     .path("/etc/my-app/tencentcloud-credentials")
///     .profile("production");
/// let credentials = provider.provide_credentials().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct ProfileProvider {
    env: Environment,
    path: Option<PathBuf>,
    profile: Option<String>,
    /// The system-wide file; replaced by tests only.
    system_path: PathBuf,
}

impl Default for ProfileProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl ProfileProvider {
    /// Reads `TENCENTCLOUD_CREDENTIALS_FILE`, `HOME`, `USERPROFILE` and `TENCENTCLOUD_PROFILE`
    /// from the process environment.
    pub fn new() -> Self {
        Self::with_env(Environment::process())
    }

    /// Reads `TENCENTCLOUD_CREDENTIALS_FILE`, `HOME`, `USERPROFILE` and `TENCENTCLOUD_PROFILE`
    /// from the given environment.
    pub fn with_env(env: Environment) -> Self {
        Self {
            env,
            path: None,
            profile: None,
            system_path: PathBuf::from(SYSTEM_FILE),
        }
    }

    /// Reads this file, whatever `TENCENTCLOUD_CREDENTIALS_FILE` says and whichever of the home
    /// and system-wide files exist.
    #[must_use]
    pub fn path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Reads this profile instead of the one named by `TENCENTCLOUD_PROFILE` (or `default`).
    ///
    /// The name is trimmed; a blank name is ignored.
    #[must_use]
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        let profile = profile.into();
        let profile = profile.trim();
        self.profile = (!profile.is_empty()).then(|| profile.to_owned());
        self
    }

    /// Reads `path` as the system-wide file instead of `/etc/tencentcloud/credentials`, so
    /// that tests need not touch the real one.
    #[cfg(test)]
    #[must_use]
    pub(crate) fn system_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.system_path = path.into();
        self
    }

    /// Finds the file to read (see "Which file wins" on the type) and returns its path and
    /// text.
    fn read_file(&self) -> Result<(PathBuf, String), CredentialsError> {
        if let Some(path) = &self.path {
            let text = fs::read_to_string(path).map_err(|e| read_error(path, e))?;
            return Ok((path.clone(), text));
        }
        if let Some(named) = self.env.get_trimmed(FILE_VAR) {
            let path = PathBuf::from(named);
            return match fs::read_to_string(&path) {
                Ok(text) => Ok((path, text)),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    Err(CredentialsError::invalid(format!(
                        "profile: {FILE_VAR} names {}, which does not exist",
                        path.display()
                    ))
                    .with_source(e))
                }
                Err(e) => Err(read_error(&path, e)),
            };
        }
        let home = self
            .env
            .home_dir()
            .map(|home| FILE_IN_HOME.iter().fold(home, |path, part| path.join(part)));
        for path in home.iter().chain([&self.system_path]) {
            match fs::read_to_string(path) {
                Ok(text) => return Ok((path.clone(), text)),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(read_error(path, e)),
            }
        }
        let system = self.system_path.display();
        Err(CredentialsError::not_configured(match home {
            Some(home) => format!("profile: files {} and {system} not found", home.display()),
            None => format!(
                "profile: neither {} nor {} is set, and file {system} not found",
                HOME_VARS[0], HOME_VARS[1]
            ),
        }))
    }

    /// The profile to read, and whether it was named (rather than the default).
    fn resolve_profile(&self) -> (String, bool) {
        match self
            .profile
            .clone()
            .or_else(|| self.env.get_trimmed(PROFILE_VAR))
        {
            Some(named) => (named, true),
            None => (DEFAULT_PROFILE.to_owned(), false),
        }
    }

    /// Reads the credentials now.
    fn load(&self) -> Result<Credentials, CredentialsError> {
        let (path, text) = self.read_file()?;
        let (profile, named) = self.resolve_profile();
        let settings = find_profile(&text, &profile).map_err(|e| {
            CredentialsError::invalid(format!(
                "profile: {} line {}: {}",
                path.display(),
                e.line,
                e.problem
            ))
        })?;
        let Some(settings) = settings else {
            let message = format!(
                "profile: profile `{profile}` not found in {}",
                path.display()
            );
            // A profile asked for by name that is not there is a mistake to report, not a
            // reason to try the next source.
            return Err(if named {
                CredentialsError::invalid(message)
            } else {
                CredentialsError::not_configured(message)
            });
        };
        let get = |key: &str| {
            settings
                .iter()
                .rev()
                .find(|(k, v)| k.eq_ignore_ascii_case(key) && !v.is_empty())
                .map(|(_, v)| *v)
        };
        let incomplete = |problem: &str| {
            CredentialsError::invalid(format!(
                "profile: profile `{profile}` in {} {problem}",
                path.display()
            ))
        };
        let credentials = match (get(SECRET_ID_KEY), get(SECRET_KEY_KEY)) {
            (Some(id), Some(key)) => Credentials::new(id, key),
            (Some(_), None) => {
                return Err(incomplete("has secret_id but no secret_key"));
            }
            (None, Some(_)) => {
                return Err(incomplete("has secret_key but no secret_id"));
            }
            (None, None) => {
                return Err(incomplete("has neither secret_id nor secret_key"));
            }
        };
        Ok(match get(TOKEN_KEY) {
            Some(token) => credentials.with_token(token),
            None => credentials,
        })
    }
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        // Blocking is acceptable here: a small local file, read once per refresh.
        Box::pin(async move { self.load() })
    }
}

/// The error for a credentials file that cannot be read.
fn read_error(path: &Path, error: io::Error) -> CredentialsError {
    if error.kind() == io::ErrorKind::NotFound {
        CredentialsError::not_configured(format!("profile: file {} not found", path.display()))
    } else {
        CredentialsError::invalid(format!("profile: cannot read {}: {error}", path.display()))
            .with_source(error)
    }
}

/// A malformed line of an INI file.
#[derive(Debug, PartialEq, Eq)]
struct IniError {
    /// 1-based line number.
    line: usize,
    /// What is wrong with it (never its text, which may hold a secret).
    problem: &'static str,
}

/// Checks the whole INI `text` and returns the settings of section `section`, in file order,
/// or `None` when there is no such section. Sections that occur several times are merged.
fn find_profile<'t>(
    text: &'t str,
    section: &str,
) -> Result<Option<Vec<(&'t str, &'t str)>>, IniError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut found: Option<Vec<(&str, &str)>> = None;
    // `None` before the first section header, then whether the current section is `section`.
    let mut in_section: Option<bool> = None;
    for (index, line) in text.lines().enumerate() {
        let error = |problem| IniError {
            line: index + 1,
            problem,
        };
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(header) = line.strip_prefix('[') {
            let name = header
                .strip_suffix(']')
                .ok_or_else(|| error("section header without a closing `]`"))?
                .trim();
            if name.is_empty() {
                return Err(error("section header without a name"));
            }
            let matches = name == section;
            if matches {
                found.get_or_insert_with(Vec::new);
            }
            in_section = Some(matches);
        } else if let Some((key, value)) = line.split_once('=') {
            let key = key.trim();
            if key.is_empty() {
                return Err(error("setting without a key"));
            }
            match (in_section, found.as_mut()) {
                (None, _) => return Err(error("setting before the first `[section]` header")),
                (Some(true), Some(settings)) => settings.push((key, value.trim())),
                (Some(_), _) => {}
            }
        } else {
            return Err(error(
                "expected a `[section]` header, a `key = value` setting or a comment",
            ));
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests;
