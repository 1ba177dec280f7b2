//! Credentials of a CAM role from STS: [`AssumeRoleProvider`] (signed with a source's
//! credentials) and [`WebIdentityProvider`] (TKE's OIDC token, unsigned).
//!
//! Both call STS through an ordinary [`Client`] whose actions name STS as their
//! [`Api`](crate::Api), so signing, retries, timeouts, size limits and error decoding are the
//! same as for SCF. This room sits above the client (it uses it) and below the default chain;
//! `credentials` re-exports the two providers.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::action::Action;
use crate::client::Client;
use crate::config::{CallOptions, ClientBuilder, Endpoint};
use crate::credentials::{ChainProvider, Credentials, CredentialsError, ProvideCredentials};
use crate::env::Environment;

mod actions;
mod assume_role;
mod web_identity;

pub use assume_role::{AssumeRoleBuilder, AssumeRoleProvider};
pub use web_identity::WebIdentityProvider;

use actions::{RoleCredentials, StsErrorCode};

/// Variable overriding the STS endpoint, e.g. `http://127.0.0.1:9001` for a local fake or
/// `https://sts.intl.tencentcloudapi.com` for the international site.
pub const ENV_STS_ENDPOINT_URL: &str = "TENCENTCLOUD_STS_ENDPOINT_URL";

/// The STS endpoint used when none is configured.
pub const DEFAULT_STS_ENDPOINT: &str = "https://sts.tencentcloudapi.com";

/// The region of `AssumeRole` calls when none is configured. STS is a global service; every
/// official SDK sends this one.
pub const DEFAULT_STS_REGION: &str = "ap-guangzhou";

/// The longest role session the API grants, in seconds (12 hours).
const MAX_DURATION_SECS: u64 = 43_200;

/// Time allowed for one attempt of an STS call: credentials are small and a caller is waiting.
const STS_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);

/// The endpoint: the one set on the provider, else [`ENV_STS_ENDPOINT_URL`], else
/// [`DEFAULT_STS_ENDPOINT`].
fn endpoint(explicit: Option<&str>, env: &Environment) -> String {
    explicit
        .map(str::to_owned)
        .or_else(|| env.get_trimmed(ENV_STS_ENDPOINT_URL))
        .unwrap_or_else(|| DEFAULT_STS_ENDPOINT.to_owned())
}

/// A client of STS at `endpoint`, signing with `source` (which it caches and refreshes like
/// any client's credentials).
fn client(
    label: &str,
    endpoint: String,
    source: Arc<dyn ProvideCredentials>,
) -> Result<Client, CredentialsError> {
    ClientBuilder::default()
        .endpoint(Endpoint::Url(endpoint))
        .credentials_provider(source)
        .attempt_timeout(STS_ATTEMPT_TIMEOUT)
        // The credentials are always set above: the default is never used.
        .resolve(|_| Arc::new(ChainProvider::new()))
        .map(Client::from_config)
        .map_err(|e| CredentialsError::invalid(format!("{label}: STS client: {e}")).with_source(e))
}

/// Sends `request` in `region` and turns the answer into expiring credentials.
async fn assume<A>(
    label: &str,
    client: &Client,
    request: &A,
    region: &str,
) -> Result<Credentials, CredentialsError>
where
    A: Action<Output = RoleCredentials, Error = StsErrorCode>,
{
    let options = CallOptions::default().region(region);
    let out = client
        .execute_with(request, &options)
        .await
        .map_err(|e| CredentialsError::provider(format!("{label}: {e}")).with_source(e))?;
    let keys = out.credentials;
    if keys.secret_id.trim().is_empty() || keys.secret_key.trim().is_empty() {
        return Err(CredentialsError::provider(format!(
            "{label}: {} answered without a secret id or key",
            A::META.name
        )));
    }
    Ok(Credentials::new(keys.secret_id, keys.secret_key)
        .with_token(keys.token)
        .with_expiry(UNIX_EPOCH + Duration::from_secs(out.expired_time)))
}

/// A session name for when none is configured: this SDK and the time in microseconds.
fn default_session_name() -> String {
    let micros = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros());
    format!("scf-api-rust-{micros}")
}

/// Checks a role session name: 2 to 128 letters, digits and `_+=,.@-`.
fn check_session_name(label: &str, name: &str) -> Result<(), CredentialsError> {
    check_chars(label, "session name", name, "_+=,.@-")
}

/// Checks an external id: 2 to 128 letters, digits and `_+=,.@:/-`.
fn check_external_id(label: &str, id: &str) -> Result<(), CredentialsError> {
    check_chars(label, "external id", id, "_+=,.@:/-")
}

/// Checks that `value` is 2 to 128 ASCII letters, digits and characters of `extra`. The
/// message names the rule, not the value (an external id is a shared secret).
fn check_chars(label: &str, what: &str, value: &str, extra: &str) -> Result<(), CredentialsError> {
    let ok = (2..=128).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || extra.contains(c));
    if ok {
        Ok(())
    } else {
        Err(CredentialsError::invalid(format!(
            "{label}: the {what} must be 2 to 128 letters, digits and `{extra}`"
        )))
    }
}

/// The session duration in whole seconds, 1 to 43,200.
fn duration_secs(label: &str, duration: Duration) -> Result<u64, CredentialsError> {
    let secs = duration.as_secs();
    if (1..=MAX_DURATION_SECS).contains(&secs) {
        Ok(secs)
    } else {
        Err(CredentialsError::invalid(format!(
            "{label}: the session duration must be 1 to {MAX_DURATION_SECS} seconds, not {secs}"
        )))
    }
}

/// Percent-encodes everything but the unreserved characters, as `AssumeRole` expects its
/// `Policy`. Written here rather than taken from a crate: it is these few lines.
fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_is_percent_encoded() {
        assert_eq!(
            url_encode(r#"{"version":"2.0","statement":[{"effect":"allow"}]} é"#),
            "%7B%22version%22%3A%222.0%22%2C%22statement%22%3A%5B%7B%22effect%22%3A%22allow%22%7D%5D%7D%20%C3%A9"
        );
        assert_eq!(url_encode("a-b_c.d~e"), "a-b_c.d~e");
    }

    #[test]
    fn names_and_durations_are_checked() {
        assert!(check_session_name("t", "ci-deploy@build.42").is_ok());
        for bad in ["x", "has space", &"a".repeat(129), "ünï"] {
            let e = check_session_name("t", bad).unwrap_err();
            assert!(e.to_string().starts_with("t: the session name"), "{e}");
        }
        assert!(check_external_id("t", "qcs::cam/ext-id").is_ok());
        let e = check_external_id("t", "s3cr3t value").unwrap_err();
        assert!(!e.to_string().contains("s3cr3t"), "{e}");
        assert_eq!(duration_secs("t", Duration::from_secs(7200)).unwrap(), 7200);
        assert!(duration_secs("t", Duration::from_millis(500)).is_err());
        assert!(duration_secs("t", Duration::from_secs(43_201)).is_err());
        assert!(default_session_name().starts_with("scf-api-rust-"));
        check_session_name("t", &default_session_name()).unwrap();
    }

    #[test]
    fn endpoint_order() {
        let env = Environment::from_vars([(ENV_STS_ENDPOINT_URL, " http://127.0.0.1:1 ")]);
        assert_eq!(endpoint(Some("http://a"), &env), "http://a");
        assert_eq!(endpoint(None, &env), "http://127.0.0.1:1");
        let empty = Environment::from_vars([(ENV_STS_ENDPOINT_URL, " ")]);
        assert_eq!(endpoint(None, &empty), DEFAULT_STS_ENDPOINT);
    }
}
