//! The builder resolved into the configuration a client runs with: every setting validated
//! once, defaults applied, the HTTP client built. The client consumes it; nothing here knows
//! the client.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use super::{
    Base, ClientBuilder, ConfigError, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_RESPONSE_BYTES, Endpoint, Language, RateLimit, redact_url,
};
use crate::credentials::{CredentialsCache, ProvideCredentials};
use crate::env::Environment;
use crate::retry::RetryPolicy;

/// Longest `X-TC-RequestClient` value the service accepts.
const MAX_REQUEST_CLIENT_LEN: usize = 128;
/// This SDK's identifier, the first part of `X-TC-RequestClient`.
const SDK_REQUEST_CLIENT: &str = concat!("SDK_RUST_SCF_", env!("CARGO_PKG_VERSION"));

/// Everything [`ClientBuilder::resolve`] resolved: one representation of each setting.
pub(crate) struct Config {
    pub(crate) http: reqwest::Client,
    pub(crate) credentials: CredentialsCache,
    /// Where requests go, with the endpoint it was resolved from.
    pub(crate) base: Base,
    pub(crate) region: Option<String>,
    pub(crate) language: Option<Language>,
    /// `X-TC-RequestClient`, validated and built once: every request shares its bytes.
    pub(crate) request_client: HeaderValue,
    pub(crate) connect_timeout: Duration,
    pub(crate) attempt_timeout: Duration,
    pub(crate) total_timeout: Option<Duration>,
    pub(crate) retry_policy: RetryPolicy,
    /// Largest response body read, after decompression.
    pub(crate) max_response_bytes: usize,
    pub(crate) rate_limit: RateLimit,
}

impl ClientBuilder {
    /// Validates every setting and applies the defaults; `default_credentials` makes the
    /// credentials source when none was set (the default chain, which lives above the client
    /// because some of its sources call STS through one). Nothing is sent and no credentials
    /// are fetched.
    pub(crate) fn resolve(
        self,
        default_credentials: impl FnOnce(Environment) -> Arc<dyn ProvideCredentials>,
    ) -> Result<Config, ConfigError> {
        if let Some(region) = &self.region {
            crate::region::check(region).map_err(ConfigError::InvalidRegion)?;
        }
        let endpoint = match (&self.env_endpoint, &self.endpoint) {
            (Some(url), _) => Endpoint::Url(url.clone()),
            (None, endpoint) => endpoint.clone().unwrap_or(Endpoint::Nearest),
        };
        let base = Base::resolve(endpoint)?;
        let request_client = request_client(self.request_client.as_deref())?;
        let http = self.http_client_or_built()?;
        let provider = self
            .credentials
            .unwrap_or_else(|| default_credentials(self.env.clone()));
        Ok(Config {
            http,
            credentials: CredentialsCache::new(provider),
            base,
            region: self.region,
            language: self.language,
            request_client,
            connect_timeout: self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
            attempt_timeout: self.attempt_timeout.unwrap_or(DEFAULT_ATTEMPT_TIMEOUT),
            total_timeout: self.total_timeout,
            retry_policy: self.retry_policy.unwrap_or_default(),
            max_response_bytes: self
                .max_response_bytes
                .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
            rate_limit: self.rate_limit,
        })
    }

    /// The caller's HTTP client, or the built-in one.
    fn http_client_or_built(&self) -> Result<reqwest::Client, ConfigError> {
        if let Some(http) = &self.http {
            if self.proxy.is_some() || self.connect_timeout.is_some() {
                return Err(ConfigError::Conflict(
                    "`proxy` and `connect_timeout` apply to the built-in HTTP client; \
                     configure them on the reqwest::Client passed to `http_client`"
                        .to_owned(),
                ));
            }
            return Ok(http.clone());
        }
        // reqwest is built without a TLS crypto provider of its own.
        if !crate::tls::ensure_provider() {
            return Err(ConfigError::NoTlsProvider);
        }
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
            .user_agent(concat!("scf-api-rust/", env!("CARGO_PKG_VERSION")));
        if let Some(url) = &self.proxy {
            let proxy = reqwest::Proxy::all(url.as_str())
                .map_err(|e| ConfigError::InvalidProxy(format!("{}: {e}", redact_url(url))))?;
            builder = builder.proxy(proxy);
        }
        builder
            .build()
            .map_err(|e| ConfigError::Http(crate::transport::error_chain(&e)))
    }
}

/// The `X-TC-RequestClient` value: this SDK's identifier, then the caller's tag when set (the
/// documented characters, 128 in all at most).
fn request_client(tag: Option<&str>) -> Result<HeaderValue, ConfigError> {
    let Some(tag) = tag else {
        return Ok(HeaderValue::from_static(SDK_REQUEST_CLIENT));
    };
    let invalid = || {
        ConfigError::InvalidRequestClient(format!(
            "`{tag}` must be 1 to {} characters of letters, digits, space and `-_,;.`",
            MAX_REQUEST_CLIENT_LEN - SDK_REQUEST_CLIENT.len() - 1
        ))
    };
    let value = format!("{SDK_REQUEST_CLIENT},{tag}");
    let valid_chars = tag
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || " -_,;.".contains(c));
    if tag.is_empty() || !valid_chars || value.len() > MAX_REQUEST_CLIENT_LEN {
        return Err(invalid());
    }
    HeaderValue::from_str(&value).map_err(|_| invalid())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_client_values() {
        assert_eq!(request_client(None).unwrap(), SDK_REQUEST_CLIENT);
        assert_eq!(
            request_client(Some("my-app 1.2;ci")).unwrap(),
            format!("{SDK_REQUEST_CLIENT},my-app 1.2;ci").as_str()
        );
        for bad in ["", "bad/slash", "ü", "tab\there", &"x".repeat(120)] {
            assert!(
                matches!(
                    request_client(Some(bad)),
                    Err(ConfigError::InvalidRequestClient(_))
                ),
                "{bad}"
            );
        }
    }
}
