//! [`CvmRoleProvider`]: the temporary credentials of the CAM role attached to the CVM instance
//! this program runs on, from the instance metadata service.

mod document;
mod http;

#[cfg(test)]
mod fake;
#[cfg(test)]
mod tests;

use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use super::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};
use crate::Environment;
use http::Failure;

/// How long connecting to the metadata service may take, unless set otherwise.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
/// How long one request to the metadata service may take in all, unless set otherwise.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);
/// The path listing the instance's role, relative to the endpoint; a role's credentials are
/// at this path followed by the role name.
const ROLES_PATH: &str = "/latest/meta-data/cam/security-credentials/";
/// The largest answer to the role name request read; a role name is at most 128 characters.
const ROLE_ANSWER_LIMIT: usize = 1024;
/// The largest credentials document read; a real one is well under 2 KiB.
const DOCUMENT_LIMIT: usize = 64 * 1024;
/// The longest role name accepted from the metadata service.
const MAX_ROLE_NAME_LEN: usize = 128;
/// Why a chain should move on when the metadata service has no role for us.
const NOT_ON_CVM: &str = "not on CVM or no role attached";

/// Temporary credentials of the CAM role attached to the CVM instance this program runs on,
/// read from the instance metadata service.
///
/// Every call makes up to two plain-HTTP `GET` requests to the metadata service:
///
/// 1. `<endpoint>/latest/meta-data/cam/security-credentials/` answers the name of the role
///    attached to the instance (the first line of its answer). This request is made on every
///    call, so a role replaced on the instance is picked up at the next refresh; it is skipped
///    when the name is set with [`role_name`](Self::role_name).
/// 2. `<endpoint>/latest/meta-data/cam/security-credentials/<role name>` answers a JSON
///    document with the temporary secret id (`TmpSecretId`), secret key (`TmpSecretKey`),
///    session token (`Token`) and expiry time (`ExpiredTime`, in Unix seconds). Its `Code`
///    must be `Success`.
///
/// The credentials carry their expiry time, so a [`CredentialsCache`](super::CredentialsCache)
/// calls the provider again shortly before they expire (5 minutes before, by default).
///
/// The endpoint is the base URL set with [`endpoint`](Self::endpoint), else the value of the
/// variable `TENCENTCLOUD_METADATA_ENDPOINT` ([`ENDPOINT_VAR`](Self::ENDPOINT_VAR); trimmed, a
/// blank value counts as unset), else `http://metadata.tencentyun.com`
/// ([`DEFAULT_ENDPOINT`](Self::DEFAULT_ENDPOINT)). A trailing `/` is ignored.
///
/// # Timeouts, proxies, redirects
///
/// On CVM the metadata service answers within milliseconds; elsewhere nothing may answer at
/// all. Connecting may take 1 second and a whole request 2 seconds unless set otherwise with
/// [`connect_timeout`](Self::connect_timeout) and [`timeout`](Self::timeout), so that a
/// [`ChainProvider`](super::ChainProvider) moves on quickly off CVM. The HTTP client never goes
/// through a proxy (the metadata service is only reachable from the instance itself, and its
/// answers must not pass through anyone else) and never follows a redirect. It is built on
/// first use and shared by the provider's clones.
///
/// # Errors
///
/// Messages start with `cvm role: ` and name the URL asked; they never include the body of an
/// answer.
///
/// - [`NotConfigured`], so that a chain tries its next source: the first request of a call
///   gets no HTTP answer (connection refused, unknown host, timeout); the role name request is
///   answered with `404 Not Found`, with no role name, or with something that is not a role
///   name (letters, digits and `+=,.@_-`, at most 128 characters).
/// - [`Invalid`]: the endpoint is not an `http` or `https` URL; the metadata service does not
///   know (`404 Not Found`) a role whose name was set with [`role_name`](Self::role_name).
/// - [`Provider`]: any other failure, such as another error status, a credentials request that
///   gets no answer after the role name request was answered, a document that is not JSON,
///   lacks a field, has a `Code` other than `Success` or is larger than 64 KiB.
///
/// [`NotConfigured`]: super::CredentialsErrorKind::NotConfigured
/// [`Invalid`]: super::CredentialsErrorKind::Invalid
/// [`Provider`]: super::CredentialsErrorKind::Provider
///
/// ```no_run
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), scf_api::credentials::CredentialsError> {
/// use std::sync::Arc;
/// use scf_api::credentials::{CredentialsCache, CvmRoleProvider};
///
/// let cache = CredentialsCache::new(Arc::new(CvmRoleProvider::new()));
/// let credentials = cache.get().await?;
/// assert!(credentials.token().is_some());
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct CvmRoleProvider {
    env: Environment,
    endpoint: Option<String>,
    role_name: Option<String>,
    connect_timeout: Duration,
    timeout: Duration,
    /// The HTTP client, built on first use; replaced by the setters that change it.
    http: Arc<OnceLock<reqwest::Client>>,
}

impl CvmRoleProvider {
    /// The variable read for the metadata service's base URL when none is set with
    /// [`endpoint`](Self::endpoint).
    pub const ENDPOINT_VAR: &'static str = "TENCENTCLOUD_METADATA_ENDPOINT";

    /// The metadata service's base URL when neither [`endpoint`](Self::endpoint) nor
    /// [`ENDPOINT_VAR`](Self::ENDPOINT_VAR) sets one.
    pub const DEFAULT_ENDPOINT: &'static str = "http://metadata.tencentyun.com";

    /// Reads `TENCENTCLOUD_METADATA_ENDPOINT` from the process environment.
    pub fn new() -> Self {
        Self::with_env(Environment::process())
    }

    /// Reads `TENCENTCLOUD_METADATA_ENDPOINT` from the given environment.
    ///
    /// ```
    /// use scf_api::Environment;
    /// use scf_api::credentials::CvmRoleProvider;
    ///
    /// // For a test double of the metadata service, say.
    /// let provider = CvmRoleProvider::with_env(Environment::from_vars([(
    ///     CvmRoleProvider::ENDPOINT_VAR,
    ///     "http://127.0.0.1:8080",
    /// )]));
    /// # let _ = provider;
    /// ```
    pub fn with_env(env: Environment) -> Self {
        Self {
            env,
            endpoint: None,
            role_name: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            http: Arc::default(),
        }
    }

    /// Asks for the credentials of this role instead of asking the metadata service which role
    /// the instance has.
    ///
    /// The name is trimmed; a blank name is ignored. When the metadata service does not know
    /// the role, the error is [`Invalid`](super::CredentialsErrorKind::Invalid).
    ///
    /// ```
    /// use std::time::Duration;
    /// use scf_api::credentials::CvmRoleProvider;
    ///
    /// let provider = CvmRoleProvider::new()
    ///     .role_name("scf-deployer")
    ///     .connect_timeout(Duration::from_millis(500))
    ///     .timeout(Duration::from_secs(1));
    /// # let _ = provider;
    /// ```
    #[must_use]
    pub fn role_name(mut self, name: impl Into<String>) -> Self {
        let name = name.into();
        let name = name.trim();
        self.role_name = (!name.is_empty()).then(|| name.to_owned());
        self
    }

    /// Asks the metadata service at this base URL (such as `http://169.254.0.23`) instead of
    /// the one named by `TENCENTCLOUD_METADATA_ENDPOINT` or `http://metadata.tencentyun.com`.
    ///
    /// The URL is trimmed; a blank URL is ignored. It is checked when credentials are asked
    /// for: one that is not an `http` or `https` URL gives an
    /// [`Invalid`](super::CredentialsErrorKind::Invalid) error.
    #[must_use]
    pub fn endpoint(mut self, base_url: impl Into<String>) -> Self {
        let base_url = base_url.into();
        let base_url = base_url.trim();
        self.endpoint = (!base_url.is_empty()).then(|| base_url.to_owned());
        self
    }

    /// How long connecting to the metadata service may take (1 second unless set).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self.http = Arc::default();
        self
    }

    /// How long one request to the metadata service may take in all, from connecting to the
    /// end of the answer (2 seconds unless set).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self.http = Arc::default();
        self
    }

    /// The base URL to ask, without a trailing `/`.
    fn base_url(&self) -> Result<String, CredentialsError> {
        let (raw, origin) = match (&self.endpoint, self.env.get_trimmed(Self::ENDPOINT_VAR)) {
            (Some(endpoint), _) => (endpoint.clone(), "set with `endpoint`"),
            (None, Some(value)) => (value, "from TENCENTCLOUD_METADATA_ENDPOINT"),
            (None, None) => return Ok(Self::DEFAULT_ENDPOINT.to_owned()),
        };
        let base = raw.trim_end_matches('/');
        let usable = reqwest::Url::parse(base).is_ok_and(|url| {
            matches!(url.scheme(), "http" | "https")
                && url.has_host()
                && url.query().is_none()
                && url.fragment().is_none()
        });
        if usable {
            Ok(base.to_owned())
        } else {
            Err(CredentialsError::invalid(format!(
                "cvm role: the metadata endpoint `{base}` ({origin}) is not an http or https URL"
            )))
        }
    }

    /// The HTTP client, built on first use.
    fn client(&self) -> Result<reqwest::Client, CredentialsError> {
        if let Some(client) = self.http.get() {
            return Ok(client.clone());
        }
        let built = http::build_client(self.connect_timeout, self.timeout)?;
        Ok(self.http.get_or_init(|| built).clone())
    }

    /// Asks the metadata service for the role name, then for the role's credentials.
    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let base = self.base_url()?;
        let client = self.client()?;
        let roles_url = format!("{base}{ROLES_PATH}");
        let (role, named) = match &self.role_name {
            Some(role) => (role.clone(), true),
            None => (self.discover(&client, &roles_url).await?, false),
        };
        let url = format!("{roles_url}{}", http::encode_segment(&role));
        self.fetch(&client, &url, &role, named).await
    }

    /// The name of the instance's role, from the metadata service at `url`.
    async fn discover(
        &self,
        client: &reqwest::Client,
        url: &str,
    ) -> Result<String, CredentialsError> {
        let body = match http::get(client, url, ROLE_ANSWER_LIMIT).await {
            Ok(body) => body,
            Err(Failure::NoAnswer(e)) => return Err(self.no_answer(url, e, true)),
            Err(Failure::Status(status)) if status == reqwest::StatusCode::NOT_FOUND => {
                return Err(CredentialsError::not_configured(format!(
                    "cvm role: {url} answered {status}: {NOT_ON_CVM}"
                )));
            }
            Err(Failure::Status(status)) => {
                return Err(CredentialsError::provider(format!(
                    "cvm role: {url} answered {status} instead of a role name"
                )));
            }
            Err(Failure::TooLarge { .. }) => return Err(not_a_role_name(url)),
            Err(Failure::Read(e)) => return Err(self.read_failed(url, e)),
        };
        let text = std::str::from_utf8(&body).map_err(|_| not_a_role_name(url))?;
        let role = text.trim().lines().next().unwrap_or_default().trim();
        if role.is_empty() {
            return Err(CredentialsError::not_configured(format!(
                "cvm role: {url} answered no role name: {NOT_ON_CVM}"
            )));
        }
        if !is_role_name(role) {
            return Err(not_a_role_name(url));
        }
        Ok(role.to_owned())
    }

    /// The credentials of `role` from the document at `url`; `named` tells whether the role
    /// name was set with [`role_name`](Self::role_name) (rather than asked for).
    async fn fetch(
        &self,
        client: &reqwest::Client,
        url: &str,
        role: &str,
        named: bool,
    ) -> Result<Credentials, CredentialsError> {
        let body = match http::get(client, url, DOCUMENT_LIMIT).await {
            Ok(body) => body,
            // Without a role name request, this is the first request: see `discover`.
            Err(Failure::NoAnswer(e)) => return Err(self.no_answer(url, e, named)),
            Err(Failure::Status(status)) if status == reqwest::StatusCode::NOT_FOUND => {
                return Err(if named {
                    CredentialsError::invalid(format!(
                        "cvm role: {url} answered {status}: the metadata service does not know \
                         role `{role}`; is it attached to this instance?"
                    ))
                } else {
                    CredentialsError::provider(format!(
                        "cvm role: {url} answered {status}: role `{role}` is not (or no longer) \
                         attached to this instance"
                    ))
                });
            }
            Err(Failure::Status(status)) => {
                return Err(CredentialsError::provider(format!(
                    "cvm role: {url} answered {status} instead of the credentials of role \
                     `{role}`"
                )));
            }
            Err(Failure::TooLarge { limit }) => {
                return Err(CredentialsError::provider(format!(
                    "cvm role: the answer of {url} is larger than {limit} bytes"
                )));
            }
            Err(Failure::Read(e)) => return Err(self.read_failed(url, e)),
        };
        document::parse(&body).map_err(|problem| {
            CredentialsError::provider(format!(
                "cvm role: the answer of {url} is not usable: {problem}"
            ))
        })
    }

    /// The error for a request to `url` that got no HTTP answer: `NotConfigured` for the first
    /// request of a call (off CVM, nothing answers), else `Provider`.
    fn no_answer(&self, url: &str, e: reqwest::Error, first: bool) -> CredentialsError {
        if e.is_builder() {
            return CredentialsError::provider(format!(
                "cvm role: cannot make a request to {url}: {}",
                http::describe(&e, self.connect_timeout, self.timeout)
            ))
            .with_source(e);
        }
        let detail = http::describe(&e, self.connect_timeout, self.timeout);
        let error = if first {
            CredentialsError::not_configured(format!(
                "cvm role: no answer from {url} ({detail}): {NOT_ON_CVM}"
            ))
        } else {
            CredentialsError::provider(format!("cvm role: no answer from {url} ({detail})"))
        };
        error.with_source(e)
    }

    /// The error for an answer from `url` whose body could not be read.
    fn read_failed(&self, url: &str, e: reqwest::Error) -> CredentialsError {
        CredentialsError::provider(format!(
            "cvm role: reading the answer of {url} failed: {}",
            http::describe(&e, self.connect_timeout, self.timeout)
        ))
        .with_source(e)
    }
}

/// The error for an answer to the role name request that is not a role name (not shown: it
/// may be anything).
fn not_a_role_name(url: &str) -> CredentialsError {
    CredentialsError::not_configured(format!(
        "cvm role: the answer of {url} is not a role name: {NOT_ON_CVM}"
    ))
}

/// Whether `name` can be a CAM role name: 1 to 128 letters, digits and `+=,.@_-`, not only
/// dots (which would change the URL's path).
fn is_role_name(name: &str) -> bool {
    name.len() <= MAX_ROLE_NAME_LEN
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
        && name.bytes().any(|b| b != b'.')
}

impl Default for CvmRoleProvider {
    /// The same as [`CvmRoleProvider::new`].
    fn default() -> Self {
        Self::new()
    }
}

/// Shows the settings; the provider holds no credentials.
impl fmt::Debug for CvmRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CvmRoleProvider")
            .field("env", &self.env)
            .field("endpoint", &self.endpoint)
            .field("role_name", &self.role_name)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for CvmRoleProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.load())
    }
}
