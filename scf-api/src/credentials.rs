//! API credentials: a secret id / secret key pair and, for temporary
//! credentials, a session token.

use std::fmt;

/// Placeholder printed instead of secret values.
const REDACTED: &str = "<redacted>";

/// Secret ids longer than this many characters are printed with their first
/// and last [`VISIBLE_EDGE`] characters visible.
const MASK_THRESHOLD: usize = 12;

/// Number of characters left visible at each end of a long secret id.
const VISIBLE_EDGE: usize = 4;

/// Long-term or temporary API credentials.
///
/// `Debug` and `Display` never show the secret key or the token, and show the
/// secret id masked (e.g. `AKID****MPLE`).
///
/// ```
/// use scf_api::credentials::Credentials;
///
/// let credentials = Credentials::new("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "secret")
///     .with_token("session-token");
/// assert_eq!(credentials.token(), Some("session-token"));
/// assert_eq!(
///     format!("{credentials:?}"),
///     r#"Credentials { secret_id: "AKID****MPLE", secret_key: "<redacted>", token: Some("<redacted>") }"#
/// );
/// assert_eq!(credentials.to_string(), "AKID****MPLE");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    secret_id: String,
    secret_key: String,
    token: Option<String>,
}

impl Credentials {
    /// Creates long-term credentials from a secret id and a secret key.
    ///
    /// Surrounding whitespace (e.g. a trailing newline read from a file or an
    /// environment variable) is trimmed from both.
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Self {
            secret_id: trimmed(secret_id.into()),
            secret_key: trimmed(secret_key.into()),
            token: None,
        }
    }

    /// Sets the session token of temporary credentials, sent as the
    /// `X-TC-Token` header.
    ///
    /// The token is trimmed; an empty (or all-whitespace) token means no
    /// token.
    ///
    /// ```
    /// use scf_api::credentials::Credentials;
    ///
    /// let credentials = Credentials::new("id", "key").with_token("  ");
    /// assert_eq!(credentials.token(), None);
    /// ```
    #[must_use]
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        let token = trimmed(token.into());
        self.token = (!token.is_empty()).then_some(token);
        self
    }

    /// The secret id (`AKID...`), sent in the `Authorization` header.
    pub fn secret_id(&self) -> &str {
        &self.secret_id
    }

    /// The secret key used to derive signing keys; never sent.
    pub fn secret_key(&self) -> &str {
        &self.secret_key
    }

    /// The session token of temporary credentials, if any.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("secret_id", &mask_secret_id(&self.secret_id))
            .field("secret_key", &REDACTED)
            .field("token", &self.token.as_ref().map(|_| REDACTED))
            .finish()
    }
}

/// Displays the masked secret id only.
impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&mask_secret_id(&self.secret_id))
    }
}

/// Returns `s` without surrounding whitespace, reusing the allocation when
/// there is nothing to trim.
fn trimmed(s: String) -> String {
    if s.trim().len() == s.len() {
        s
    } else {
        s.trim().to_owned()
    }
}

/// Masks a secret id: keeps the first and last four characters of ids longer
/// than twelve characters, masks shorter ids completely.
fn mask_secret_id(secret_id: &str) -> String {
    let count = secret_id.chars().count();
    if count > MASK_THRESHOLD {
        let head: String = secret_id.chars().take(VISIBLE_EDGE).collect();
        let tail: String = secret_id.chars().skip(count - VISIBLE_EDGE).collect();
        format!("{head}****{tail}")
    } else {
        "****".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET_ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
    const SECRET_KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
    const TOKEN: &str = "temporary-session-token-value";

    #[test]
    fn accessors_return_values() {
        let c = Credentials::new(SECRET_ID, SECRET_KEY);
        assert_eq!(c.secret_id(), SECRET_ID);
        assert_eq!(c.secret_key(), SECRET_KEY);
        assert_eq!(c.token(), None);
        let c = c.with_token(TOKEN);
        assert_eq!(c.token(), Some(TOKEN));
    }

    #[test]
    fn new_trims_surrounding_whitespace() {
        let c = Credentials::new(format!("  {SECRET_ID}\n"), format!("\t{SECRET_KEY} \r\n"));
        assert_eq!(c.secret_id(), SECRET_ID);
        assert_eq!(c.secret_key(), SECRET_KEY);
        assert_eq!(c, Credentials::new(SECRET_ID, SECRET_KEY));
    }

    #[test]
    fn with_token_trims() {
        let c = Credentials::new(SECRET_ID, SECRET_KEY).with_token(format!(" {TOKEN}\n"));
        assert_eq!(c.token(), Some(TOKEN));
    }

    #[test]
    fn empty_token_becomes_none() {
        for token in ["", "   ", "\n\t"] {
            let c = Credentials::new(SECRET_ID, SECRET_KEY).with_token(token);
            assert_eq!(c.token(), None, "{token:?}");
        }
        // An empty token also clears a previous one.
        let c = Credentials::new(SECRET_ID, SECRET_KEY)
            .with_token(TOKEN)
            .with_token("");
        assert_eq!(c.token(), None);
    }

    #[test]
    fn debug_never_shows_key_or_token() {
        let c = Credentials::new(SECRET_ID, SECRET_KEY).with_token(TOKEN);
        for out in [format!("{c:?}"), format!("{c:#?}"), c.to_string()] {
            assert!(!out.contains(SECRET_KEY), "{out}");
            assert!(!out.contains(TOKEN), "{out}");
            assert!(!out.contains(SECRET_ID), "{out}");
        }
        assert_eq!(
            format!("{c:?}"),
            r#"Credentials { secret_id: "AKID****MPLE", secret_key: "<redacted>", token: Some("<redacted>") }"#
        );
        let without_token = Credentials::new(SECRET_ID, SECRET_KEY);
        assert_eq!(
            format!("{without_token:?}"),
            r#"Credentials { secret_id: "AKID****MPLE", secret_key: "<redacted>", token: None }"#
        );
        assert_eq!(c.to_string(), "AKID****MPLE");
    }

    #[test]
    fn short_secret_id_is_fully_masked() {
        assert_eq!(mask_secret_id(""), "****");
        assert_eq!(mask_secret_id("AKID1234"), "****");
        assert_eq!(mask_secret_id("AKID12345678"), "****");
        assert_eq!(mask_secret_id("AKID123456789"), "AKID****6789");
        let c = Credentials::new("AKIDshort", SECRET_KEY);
        assert!(!format!("{c:?}").contains("AKIDshort"));
    }

    #[test]
    fn masking_handles_multibyte_characters() {
        assert_eq!(mask_secret_id("ééééabcdefghüüüü"), "éééé****üüüü");
    }
}
