//! Configuration: the client builder, endpoints, per-call options, and what is read from the
//! environment.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::Environment;
use crate::credentials::{Credentials, ProvideCredentials};
use crate::retry::RetryPolicy;

mod call_options;
mod endpoint;
mod rate_limit;
mod resolve;

pub use call_options::CallOptions;
pub(crate) use endpoint::Base;
pub use endpoint::Endpoint;
use endpoint::redact_url;
pub use rate_limit::{RATE_LIMIT_WINDOW, RateLimit};
pub(crate) use resolve::Config;

/// Environment variable naming the region (`X-TC-Region`), read by [`ClientBuilder::from_env`].
pub const ENV_REGION: &str = "TENCENTCLOUD_REGION";
/// Environment variable holding an endpoint URL that replaces the configured endpoint, read by
/// [`ClientBuilder::from_env`]; e.g. `http://127.0.0.1:9000` for a local server.
pub const ENV_ENDPOINT_URL: &str = "TENCENTCLOUD_ENDPOINT_URL";

/// Default time allowed to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for one attempt of an ordinary action: connecting, sending, and reading
/// the whole response.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// Time added to an action's documented longest duration (synchronous invocations) to get its
/// default attempt timeout, for the network and the service's own overhead.
pub const LONG_ACTION_MARGIN: Duration = Duration::from_secs(30);
/// Default largest response body a call reads, after decompression: 32 MiB, well above the
/// largest answer the API gives (a synchronous invocation's result is at most 6 MB).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

/// Language of the service's messages (`X-TC-Language`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Language {
    /// Simplified Chinese, `zh-CN`.
    ZhCn,
    /// English, `en-US`.
    EnUs,
}

impl Language {
    pub(crate) fn header(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::EnUs => "en-US",
        }
    }
}

/// A problem with the client's configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// The endpoint URL is not a valid `http` or `https` base URL.
    InvalidEndpoint(String),
    /// The request client tag has characters or a length the service refuses.
    InvalidRequestClient(String),
    /// The proxy URL is not valid.
    InvalidProxy(String),
    /// Settings that only apply to the built-in HTTP client were combined with a user-supplied
    /// one.
    Conflict(String),
    /// The region (set on the builder or read from `TENCENTCLOUD_REGION`) is not a region
    /// name.
    InvalidRegion(String),
    /// No TLS crypto provider is installed and this build brings none (both the `ring` and the
    /// `aws-lc-rs` features are off): install one with
    /// `rustls::crypto::CryptoProvider::install_default` before building the client.
    NoTlsProvider,
    /// The HTTP client could not be built.
    Http(String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::InvalidEndpoint(msg) => write!(f, "invalid endpoint: {msg}"),
            ConfigError::InvalidRequestClient(msg) => write!(f, "invalid request client: {msg}"),
            ConfigError::InvalidProxy(msg) => write!(f, "invalid proxy: {msg}"),
            ConfigError::Conflict(msg) => write!(f, "conflicting settings: {msg}"),
            ConfigError::InvalidRegion(msg) => write!(f, "invalid region: {msg}"),
            ConfigError::NoTlsProvider => f.write_str(
                "no TLS crypto provider: enable the `ring` or `aws-lc-rs` feature, or install \
                 one with rustls::crypto::CryptoProvider::install_default",
            ),
            ConfigError::Http(msg) => write!(f, "cannot build the HTTP client: {msg}"),
        }
    }
}

impl StdError for ConfigError {}

/// Builds a [`Client`](crate::Client).
///
/// [`Client::builder`](crate::Client::builder) starts from the defaults and reads nothing but
/// credentials from the environment; [`ClientBuilder::from_env`] also takes the region and
/// endpoint from it. Settings made on the builder win over the environment.
///
/// | Setting | Builder | Environment | Default |
/// |---|---|---|---|
/// | credentials | [`credentials`](Self::credentials), [`credentials_provider`](Self::credentials_provider) | the [default chain](crate::credentials::ChainProvider::default_chain_with_env)'s variables and files | the default chain |
/// | region | [`region`](Self::region) | `TENCENTCLOUD_REGION` | none (header omitted) |
/// | endpoint | [`endpoint`](Self::endpoint) | `TENCENTCLOUD_ENDPOINT_URL` | [`Endpoint::Nearest`] |
/// | language | [`language`](Self::language) | | the service's (`zh-CN`) |
/// | timeouts | [`connect_timeout`](Self::connect_timeout), [`attempt_timeout`](Self::attempt_timeout), [`total_timeout`](Self::total_timeout) | | 10 s, 30 s (330 s for synchronous invocations), none |
/// | retries | [`retry_policy`](Self::retry_policy) | | [`RetryPolicy::default`] |
/// | proxy | [`proxy`](Self::proxy) | `HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY` | none |
/// | response size | [`max_response_bytes`](Self::max_response_bytes) | | 32 MiB ([`DEFAULT_MAX_RESPONSE_BYTES`]) |
/// | client-side rate limit | [`rate_limit`](Self::rate_limit) | | [`RateLimit::Off`] |
///
/// The built-in HTTP client never follows redirects (the API never sends one; a 3xx answer is an
/// [`ErrorKind::Http`](crate::ErrorKind::Http) error) and installs a TLS crypto provider only
/// when the application has installed none.
#[derive(Clone, Default)]
pub struct ClientBuilder {
    pub(crate) env: Environment,
    pub(crate) credentials: Option<Arc<dyn ProvideCredentials>>,
    pub(crate) endpoint: Option<Endpoint>,
    pub(crate) env_endpoint: Option<String>,
    pub(crate) region: Option<String>,
    pub(crate) language: Option<Language>,
    pub(crate) request_client: Option<String>,
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) total_timeout: Option<Duration>,
    pub(crate) retry_policy: Option<RetryPolicy>,
    pub(crate) proxy: Option<String>,
    pub(crate) max_response_bytes: Option<usize>,
    pub(crate) rate_limit: RateLimit,
    pub(crate) http: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("endpoint", &self.endpoint)
            .field("env_endpoint", &self.env_endpoint)
            .field("region", &self.region)
            .field("language", &self.language)
            .field("request_client", &self.request_client)
            .field("connect_timeout", &self.connect_timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("total_timeout", &self.total_timeout)
            .field("retry_policy", &self.retry_policy)
            .field("proxy", &self.proxy.as_deref().map(redact_url))
            .field("max_response_bytes", &self.max_response_bytes)
            .field("rate_limit", &self.rate_limit)
            .field("custom_http_client", &self.http.is_some())
            .finish()
    }
}

impl ClientBuilder {
    /// A builder that takes the region (`TENCENTCLOUD_REGION`), an endpoint override
    /// (`TENCENTCLOUD_ENDPOINT_URL`) and credentials (the default chain) from the process
    /// environment. Blank variables count as unset; values are trimmed.
    pub fn from_env() -> Self {
        Self::from_environment(Environment::process())
    }

    /// Like [`from_env`](Self::from_env), reading from `env` instead of the process
    /// environment.
    ///
    /// ```
    /// use scf_api::{ClientBuilder, Environment};
    ///
    /// let env = Environment::from_vars([
    ///     ("TENCENTCLOUD_SECRET_ID", "AKIDEXAMPLE"),
    ///     ("TENCENTCLOUD_SECRET_KEY", "secret"),
    ///     ("TENCENTCLOUD_REGION", "ap-guangzhou"),
    ///     ("TENCENTCLOUD_ENDPOINT_URL", "http://127.0.0.1:9000"),
    /// ]);
    /// let client = ClientBuilder::from_environment(env).build()?;
    /// assert_eq!(client.region(), Some("ap-guangzhou"));
    /// # Ok::<(), scf_api::ConfigError>(())
    /// ```
    pub fn from_environment(env: Environment) -> Self {
        ClientBuilder {
            region: env.get_trimmed(ENV_REGION),
            env_endpoint: env.get_trimmed(ENV_ENDPOINT_URL),
            env,
            ..Self::default()
        }
    }

    /// Signs with these fixed credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(Arc::new(credentials));
        self
    }

    /// Gets credentials from `provider`, through a cache that asks it again only when the
    /// credentials it gave are about to expire (once, however many calls run at that time).
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// The endpoint (default [`Endpoint::Nearest`]); set here, it wins over
    /// `TENCENTCLOUD_ENDPOINT_URL`.
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = Some(endpoint);
        self.env_endpoint = None;
        self
    }

    /// The region sent in `X-TC-Region` (none by default: the header is then omitted, which
    /// only the actions that need no region accept). [`build`](Self::build) refuses a value
    /// that is not a region name (lowercase letters, digits and `-`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The language of service messages (the service's default, Chinese, when unset).
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// A tag for your application, sent after this SDK's own in `X-TC-RequestClient` (letters,
    /// digits, space and `-_,;.`; 128 characters in all at most).
    pub fn request_client(mut self, tag: impl Into<String>) -> Self {
        self.request_client = Some(tag.into());
        self
    }

    /// Time allowed to establish a connection (default 10 s). Only for the built-in HTTP client.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Time allowed for one attempt of an ordinary action (default 30 s). Actions that run a
    /// function before answering (`Invoke`, `InvokeFunction`) get at least their documented
    /// longest run plus 30 s, i.e. 330 s; use [`CallOptions::attempt_timeout`] for a shorter
    /// one.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// Time allowed for a whole call, all attempts and waits between them (no limit by default;
    /// attempts and their timeouts are bounded anyway).
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.total_timeout = Some(timeout);
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]: 3 attempts).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = Some(policy);
        self
    }

    /// Sends every request through this proxy (`http://`, `https://` or `socks5://` URL, with
    /// optional user and password). Without it, `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` are
    /// honoured. Only for the built-in HTTP client.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// The largest response body a call reads, counted after decompression (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`], 32 MiB). A body announced or found to be larger ends the
    /// attempt with [`DecodeErrorKind::TooLarge`](crate::DecodeErrorKind::TooLarge), so that a
    /// broken or hostile server cannot make the client buffer without bound.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// Whether the client keeps each action within its documented rate limit (default
    /// [`RateLimit::Off`]).
    ///
    /// With [`RateLimit::Documented`], the client waits before each attempt of an action
    /// until starting it keeps the action within the requests per second the spec documents
    /// for it (GetFunctionLogs: 5, most actions: 20, Invoke: 100): at most that many attempts
    /// start within any [`RATE_LIMIT_WINDOW`] (one second plus a margin for the network).
    /// Retries count. The limit is per action and shared by every clone of the client; separate
    /// clients, or processes, each have their own.
    ///
    /// The wait is part of the call: it counts against the call's total timeout, and a call
    /// whose turn would come after its total timeout fails at once with a
    /// [`TimeoutKind::Total`](crate::TimeoutKind::Total) timeout instead of waiting. A call
    /// dropped while waiting keeps its turn (the limit errs on the slow side). The client
    /// remembers the start of the last attempts of each action it used, at most one per
    /// request per second of its limit.
    ///
    /// ```
    /// use scf_api::{Client, Credentials, RateLimit};
    ///
    /// let client = Client::builder()
    ///     .credentials(Credentials::new("AKID...", "secret"))
    ///     .region("ap-guangzhou")
    ///     .rate_limit(RateLimit::Documented)
    ///     .build()?;
    /// # Ok::<(), scf_api::ConfigError>(())
    /// ```
    pub fn rate_limit(mut self, rate_limit: RateLimit) -> Self {
        self.rate_limit = rate_limit;
        self
    }

    /// Uses this HTTP client instead of building one (to share a connection pool, or to set
    /// TLS or DNS options). Its own timeouts and proxies apply; [`connect_timeout`] and
    /// [`proxy`] cannot be combined with it.
    ///
    /// Build it with `redirect(reqwest::redirect::Policy::none())`. reqwest follows redirects
    /// by default, and a redirect would carry the signed request and its `X-TC-Token` to another
    /// server (re-sending the body on 307 and 308) before the answer came back. The client
    /// refuses every answer that arrived from another URL than the endpoint, with a transport
    /// error that is never retried, but it cannot stop a redirect-following client from having
    /// sent the request on.
    ///
    /// [`connect_timeout`]: Self::connect_timeout
    /// [`proxy`]: Self::proxy
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A default credentials source for tests that set their own: an empty chain.
    fn no_default(_: Environment) -> std::sync::Arc<dyn crate::credentials::ProvideCredentials> {
        std::sync::Arc::new(crate::credentials::ChainProvider::new())
    }

    #[test]
    fn env_then_builder_precedence() {
        let env = Environment::from_vars([
            (ENV_REGION, " ap-beijing \n"),
            (ENV_ENDPOINT_URL, "http://127.0.0.1:1"),
        ]);
        let b = ClientBuilder::from_environment(env.clone());
        assert_eq!(b.region.as_deref(), Some("ap-beijing"));
        assert_eq!(b.env_endpoint.as_deref(), Some("http://127.0.0.1:1"));
        let b = ClientBuilder::from_environment(env)
            .region("ap-tokyo")
            .endpoint(Endpoint::Intl);
        assert_eq!(b.region.as_deref(), Some("ap-tokyo"));
        assert_eq!(b.env_endpoint, None);
    }

    #[test]
    fn request_client_tag_is_checked() {
        let base = || {
            ClientBuilder::default()
                .credentials(Credentials::new("id", "key"))
                .endpoint(Endpoint::Url("http://127.0.0.1:1".into()))
        };
        assert!(
            base()
                .request_client("my-app 1.2;ci")
                .resolve(no_default)
                .is_ok()
        );
        for bad in ["", "bad/slash", "ü", &"x".repeat(120)] {
            assert!(
                matches!(
                    base().request_client(bad).resolve(no_default),
                    Err(ConfigError::InvalidRequestClient(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn proxy_password_never_shown() {
        let b = ClientBuilder::default().proxy("http://user:hunter2@127.0.0.1:3128");
        assert!(!format!("{b:?}").contains("hunter2"));
        assert!(crate::tls::ensure_provider());
        let err = ClientBuilder::default()
            .proxy("http://user:hunter2@127.0.0.1:3128")
            .http_client(reqwest::Client::new())
            .resolve(no_default)
            .err()
            .unwrap();
        assert!(matches!(err, ConfigError::Conflict(_)));
    }
}
