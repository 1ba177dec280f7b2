//! [`EnvironmentProvider`]: credentials from `TENCENTCLOUD_*` environment variables.

use super::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};
use crate::Environment;

/// Variable holding the secret id.
const SECRET_ID: &str = "TENCENTCLOUD_SECRET_ID";
/// Variable holding the secret key.
const SECRET_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
/// Variable holding the session token of temporary credentials.
const TOKEN: &str = "TENCENTCLOUD_TOKEN";
/// Another name for [`TOKEN`], read when [`TOKEN`] is not set.
const SESSION_TOKEN: &str = "TENCENTCLOUD_SESSION_TOKEN";

/// Credentials from environment variables.
///
/// Reads `TENCENTCLOUD_SECRET_ID` and `TENCENTCLOUD_SECRET_KEY`, and the session token of
/// temporary credentials from `TENCENTCLOUD_TOKEN`, or else `TENCENTCLOUD_SESSION_TOKEN`.
/// Values are trimmed; a blank variable counts as unset. The variables are read on every call,
/// so a changed environment is picked up when the credentials are next refreshed.
///
/// - Neither the secret id nor the secret key set: [`NotConfigured`].
/// - Only one of them set: [`Invalid`].
///
/// [`NotConfigured`]: super::CredentialsErrorKind::NotConfigured
/// [`Invalid`]: super::CredentialsErrorKind::Invalid
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use scf_api::Environment;
/// use scf_api::credentials::{CredentialsErrorKind, EnvironmentProvider, ProvideCredentials};
///
/// let provider = EnvironmentProvider::with_env(Environment::from_vars([
///     ("TENCENTCLOUD_SECRET_ID", "AKIDEXAMPLE"),
/// ]));
/// let error = provider.provide_credentials().await.unwrap_err();
/// assert_eq!(error.kind(), CredentialsErrorKind::Invalid);
/// assert_eq!(
///     error.to_string(),
///     "environment: TENCENTCLOUD_SECRET_ID is set but TENCENTCLOUD_SECRET_KEY is not"
/// );
/// # }
/// ```
#[derive(Clone, Debug, Default)]
pub struct EnvironmentProvider {
    env: Environment,
}

impl EnvironmentProvider {
    /// Reads the process environment.
    pub fn new() -> Self {
        Self::with_env(Environment::process())
    }

    /// Reads the given environment.
    pub fn with_env(env: Environment) -> Self {
        Self { env }
    }

    /// Reads the credentials now.
    fn load(&self) -> Result<Credentials, CredentialsError> {
        let id = self.env.get_trimmed(SECRET_ID);
        let key = self.env.get_trimmed(SECRET_KEY);
        let (id, key) = match (id, key) {
            (Some(id), Some(key)) => (id, key),
            (None, None) => {
                return Err(CredentialsError::not_configured(format!(
                    "environment: {SECRET_ID} and {SECRET_KEY} are not set"
                )));
            }
            (Some(_), None) => {
                return Err(CredentialsError::invalid(format!(
                    "environment: {SECRET_ID} is set but {SECRET_KEY} is not"
                )));
            }
            (None, Some(_)) => {
                return Err(CredentialsError::invalid(format!(
                    "environment: {SECRET_KEY} is set but {SECRET_ID} is not"
                )));
            }
        };
        let credentials = Credentials::new(id, key);
        Ok(
            match self
                .env
                .get_trimmed(TOKEN)
                .or_else(|| self.env.get_trimmed(SESSION_TOKEN))
            {
                Some(token) => credentials.with_token(token),
                None => credentials,
            },
        )
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(std::future::ready(self.load()))
    }
}

#[cfg(test)]
mod tests {
    use super::super::CredentialsErrorKind;
    use super::super::test_support::{
        SECRET_ID as ID, SECRET_KEY as KEY, TOKEN as TOK, assert_no_secrets,
    };
    use super::*;

    fn load(vars: &[(&str, &str)]) -> Result<Credentials, CredentialsError> {
        EnvironmentProvider::with_env(Environment::from_vars(vars.iter().copied())).load()
    }

    #[tokio::test]
    async fn id_and_key() {
        let provider = EnvironmentProvider::with_env(Environment::from_vars([
            (SECRET_ID, ID),
            (SECRET_KEY, KEY),
        ]));
        let c = provider.provide_credentials().await.unwrap();
        assert_eq!(c, Credentials::new(ID, KEY));
        assert_eq!(c.token(), None);
        assert_eq!(c.expires_at(), None);
    }

    #[test]
    fn token_from_either_variable_token_wins() {
        let c = load(&[(SECRET_ID, ID), (SECRET_KEY, KEY), (TOKEN, TOK)]).unwrap();
        assert_eq!(c.token(), Some(TOK));
        let c = load(&[(SECRET_ID, ID), (SECRET_KEY, KEY), (SESSION_TOKEN, TOK)]).unwrap();
        assert_eq!(c.token(), Some(TOK));
        let c = load(&[
            (SECRET_ID, ID),
            (SECRET_KEY, KEY),
            (TOKEN, "from-token"),
            (SESSION_TOKEN, "from-session-token"),
        ])
        .unwrap();
        assert_eq!(c.token(), Some("from-token"));
        // A blank TENCENTCLOUD_TOKEN counts as unset.
        let c = load(&[
            (SECRET_ID, ID),
            (SECRET_KEY, KEY),
            (TOKEN, "  "),
            (SESSION_TOKEN, "from-session-token"),
        ])
        .unwrap();
        assert_eq!(c.token(), Some("from-session-token"));
    }

    #[test]
    fn whitespace_is_trimmed() {
        let id = format!("  {ID}\n");
        let key = format!("\t{KEY} ");
        let token = format!(" {TOK}\r\n");
        let c = load(&[(SECRET_ID, &id), (SECRET_KEY, &key), (TOKEN, &token)]).unwrap();
        assert_eq!(c.secret_id(), ID);
        assert_eq!(c.secret_key(), KEY);
        assert_eq!(c.token(), Some(TOK));
    }

    #[test]
    fn only_one_of_id_and_key_is_invalid() {
        let e = load(&[(SECRET_ID, ID)]).unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
        assert_eq!(
            e.to_string(),
            "environment: TENCENTCLOUD_SECRET_ID is set but TENCENTCLOUD_SECRET_KEY is not"
        );
        let e = load(&[(SECRET_KEY, KEY), (SECRET_ID, " "), (TOKEN, TOK)]).unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
        assert_eq!(
            e.to_string(),
            "environment: TENCENTCLOUD_SECRET_KEY is set but TENCENTCLOUD_SECRET_ID is not"
        );
        assert_no_secrets(&format!("{e} {e:?}"));
    }

    #[test]
    fn none_is_not_configured() {
        for vars in [
            &[][..],
            &[(SECRET_ID, ""), (SECRET_KEY, "\n")],
            &[(TOKEN, TOK)],
        ] {
            let e = load(vars).unwrap_err();
            assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured, "{vars:?}");
            assert_eq!(
                e.to_string(),
                "environment: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set"
            );
        }
    }

    #[test]
    fn debug_shows_no_secrets() {
        let provider = EnvironmentProvider::with_env(Environment::from_vars([
            (SECRET_ID, ID),
            (SECRET_KEY, KEY),
            (TOKEN, TOK),
        ]));
        let out = format!("{provider:?} {provider:#?}");
        assert_no_secrets(&out);
        assert!(out.contains("TENCENTCLOUD_SECRET_ID"), "{out}");
        assert_eq!(
            format!("{:?}", EnvironmentProvider::new()),
            "EnvironmentProvider { env: Environment::process() }"
        );
    }
}
