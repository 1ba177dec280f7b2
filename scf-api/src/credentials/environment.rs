//! [`EnvironmentProvider`]: credentials from `TENCENTCLOUD_*` environment variables, including
//! those the SCF platform sets inside a function.

use super::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};
use crate::Environment;

/// Variable holding the secret id.
const SECRET_ID: &str = "TENCENTCLOUD_SECRET_ID";
/// Variable holding the secret key.
const SECRET_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
/// Variable holding the session token of temporary credentials (tccli's spelling).
const TOKEN: &str = "TENCENTCLOUD_TOKEN";
/// Another name for [`TOKEN`] (the Node.js SDK's spelling), read when [`TOKEN`] is not set.
const SESSION_TOKEN: &str = "TENCENTCLOUD_SESSION_TOKEN";

/// Variable the SCF platform sets to the secret id of the function's role.
const SCF_SECRET_ID: &str = "TENCENTCLOUD_SECRETID";
/// Variable the SCF platform sets to the secret key of the function's role.
const SCF_SECRET_KEY: &str = "TENCENTCLOUD_SECRETKEY";
/// Variable the SCF platform sets to the session token of the function's role.
const SCF_SESSION_TOKEN: &str = "TENCENTCLOUD_SESSIONTOKEN";

/// One pair of key variables and the token variables read with it, in order.
struct Names {
    id: &'static str,
    key: &'static str,
    tokens: &'static [&'static str],
}

/// The pairs, in the order they are tried: the one users set, then SCF's.
const PAIRS: [Names; 2] = [
    Names {
        id: SECRET_ID,
        key: SECRET_KEY,
        tokens: &[TOKEN, SESSION_TOKEN],
    },
    Names {
        id: SCF_SECRET_ID,
        key: SCF_SECRET_KEY,
        tokens: &[SCF_SESSION_TOKEN],
    },
];

/// Credentials from environment variables.
///
/// Two sets of variables are read, the first complete one wins:
///
/// 1. `TENCENTCLOUD_SECRET_ID` and `TENCENTCLOUD_SECRET_KEY`, with the session token of
///    temporary credentials from `TENCENTCLOUD_TOKEN`, or else `TENCENTCLOUD_SESSION_TOKEN`
///    (tccli and the Node.js SDK spell it differently; both work);
/// 2. `TENCENTCLOUD_SECRETID`, `TENCENTCLOUD_SECRETKEY` and `TENCENTCLOUD_SESSIONTOKEN`, which
///    the SCF platform sets inside a function to the temporary credentials of the function's
///    execution role. Code running as an SCF function thus calls the API as its role with no
///    configuration (no official SDK reads these).
///
/// A token is only taken with its own pair: SCF's token is never attached to keys set in the
/// first pair of variables, which may be long-term ones.
///
/// Values are trimmed; a blank variable counts as unset. The variables are read on every call,
/// so a changed environment is picked up when the credentials are next refreshed.
///
/// - No variable of either pair set: [`NotConfigured`].
/// - Only one variable of a pair set: [`Invalid`], even when the later pair is complete (half
///   of the user's keys is a mistake to report, not a reason to run as the function's role).
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
/// // Inside an SCF function:
/// let provider = EnvironmentProvider::with_env(Environment::from_vars([
///     ("TENCENTCLOUD_SECRETID", "AKIDrole"),
///     ("TENCENTCLOUD_SECRETKEY", "role-key"),
///     ("TENCENTCLOUD_SESSIONTOKEN", "role-token"),
/// ]));
/// let credentials = provider.provide_credentials().await.unwrap();
/// assert_eq!(credentials.token(), Some("role-token"));
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

    /// Reads the credentials now, pair by pair: a complete pair wins, a half-set one is an
    /// error (whatever the later pair holds: the user's half-set keys are a mistake to report,
    /// not a reason to run as the function's role).
    fn load(&self) -> Result<Credentials, CredentialsError> {
        for names in &PAIRS {
            let (id, key) = (
                self.env.get_trimmed(names.id),
                self.env.get_trimmed(names.key),
            );
            let (set, unset) = match (id, key) {
                (Some(id), Some(key)) => {
                    let credentials = Credentials::new(id, key);
                    let token = names.tokens.iter().find_map(|n| self.env.get_trimmed(n));
                    return Ok(match token {
                        Some(token) => credentials.with_token(token),
                        None => credentials,
                    });
                }
                (None, None) => continue,
                (Some(_), None) => (names.id, names.key),
                (None, Some(_)) => (names.key, names.id),
            };
            return Err(CredentialsError::invalid(format!(
                "environment: {set} is set but {unset} is not"
            )));
        }
        Err(CredentialsError::not_configured(format!(
            "environment: {SECRET_ID} and {SECRET_KEY} are not set (nor SCF's {SCF_SECRET_ID} \
             and {SCF_SECRET_KEY})"
        )))
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
                "environment: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set \
                 (nor SCF's TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY)"
            );
        }
    }

    #[test]
    fn scf_variables_are_read_inside_a_function() {
        let c = load(&[
            (SCF_SECRET_ID, ID),
            (SCF_SECRET_KEY, KEY),
            (SCF_SESSION_TOKEN, TOK),
            ("TENCENTCLOUD_RUNENV", "SCF"),
        ])
        .unwrap();
        assert_eq!(c, Credentials::new(ID, KEY).with_token(TOK));
        // Without a token they are still keys (a role's keys always come with one, but the
        // provider does not invent a rule).
        let c = load(&[(SCF_SECRET_ID, ID), (SCF_SECRET_KEY, KEY)]).unwrap();
        assert_eq!(c.token(), None);
    }

    #[test]
    fn the_user_pair_wins_and_never_takes_scfs_token() {
        let c = load(&[
            (SECRET_ID, "AKIDlongterm"),
            (SECRET_KEY, "long-term-key"),
            (SCF_SECRET_ID, ID),
            (SCF_SECRET_KEY, KEY),
            (SCF_SESSION_TOKEN, TOK),
        ])
        .unwrap();
        assert_eq!(c, Credentials::new("AKIDlongterm", "long-term-key"));
        // SCF's pair does not take the user pair's token either.
        let c = load(&[(SCF_SECRET_ID, ID), (SCF_SECRET_KEY, KEY), (TOKEN, "other")]).unwrap();
        assert_eq!(c.token(), None);
    }

    #[test]
    fn a_half_set_pair_stops_even_when_the_other_is_complete() {
        let e = load(&[(SCF_SECRET_ID, ID)]).unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
        assert_eq!(
            e.to_string(),
            "environment: TENCENTCLOUD_SECRETID is set but TENCENTCLOUD_SECRETKEY is not"
        );
        let e = load(&[
            (SECRET_KEY, KEY),
            (SCF_SECRET_ID, ID),
            (SCF_SECRET_KEY, KEY),
        ])
        .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
        assert_eq!(
            e.to_string(),
            "environment: TENCENTCLOUD_SECRET_KEY is set but TENCENTCLOUD_SECRET_ID is not"
        );
        assert_no_secrets(&format!("{e} {e:?}"));
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
