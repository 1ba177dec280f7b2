//! Reading the credentials document of a CVM role.
//!
//! The document is parsed into a generic JSON value and each field is checked by hand, so that
//! a problem is described by the field's name and never by its value (a wrong-typed field
//! could hold a secret, and serde's typed errors quote the value they met).

use std::time::{Duration, UNIX_EPOCH};

use serde_json::error::Category;
use serde_json::{Map, Value};

use super::Credentials;

/// The field holding the temporary secret id.
const SECRET_ID: &str = "TmpSecretId";
/// The field holding the temporary secret key.
const SECRET_KEY: &str = "TmpSecretKey";
/// The field holding the session token.
const TOKEN: &str = "Token";
/// The field holding the expiry time in Unix seconds.
const EXPIRED_TIME: &str = "ExpiredTime";
/// The field holding the outcome, [`SUCCESS`] when the credentials are valid.
const CODE: &str = "Code";
/// The [`CODE`] of a document with valid credentials.
const SUCCESS: &str = "Success";
/// The longest code named in an error.
const MAX_SHOWN_CODE_LEN: usize = 64;

/// The credentials in `body`, or what is wrong with it, in words that never include a value
/// of the document (apart from a short code made of letters, digits and `._-`).
pub(super) fn parse(body: &[u8]) -> Result<Credentials, String> {
    let value: Value = serde_json::from_slice(body).map_err(|e| not_json(&e))?;
    let Value::Object(document) = value else {
        return Err("it is not a JSON object".to_owned());
    };
    check_code(&document)?;
    let secret_id = text(&document, SECRET_ID)?;
    let secret_key = text(&document, SECRET_KEY)?;
    let token = text(&document, TOKEN)?;
    let expiry = match document.get(EXPIRED_TIME) {
        None | Some(Value::Null) => return Err(format!("`{EXPIRED_TIME}` is missing")),
        Some(value) => value
            .as_u64()
            .ok_or_else(|| format!("`{EXPIRED_TIME}` is not a whole number of seconds"))?,
    };
    let expires_at = UNIX_EPOCH
        .checked_add(Duration::from_secs(expiry))
        .ok_or_else(|| format!("`{EXPIRED_TIME}` is out of range"))?;
    Ok(Credentials::new(secret_id, secret_key)
        .with_token(token)
        .with_expiry(expires_at))
}

/// Describes a JSON syntax error by its position only.
fn not_json(e: &serde_json::Error) -> String {
    let what = match e.classify() {
        Category::Eof => "it ends early",
        _ => "syntax error",
    };
    format!(
        "it is not JSON ({what} at line {} column {})",
        e.line(),
        e.column()
    )
}

/// Checks that the document's code is [`SUCCESS`].
fn check_code(document: &Map<String, Value>) -> Result<(), String> {
    match document.get(CODE) {
        None | Some(Value::Null) => Err(format!("`{CODE}` is missing")),
        Some(Value::String(code)) if code == SUCCESS => Ok(()),
        Some(Value::String(code)) if is_showable_code(code) => {
            Err(format!("`{CODE}` is `{code}`, not `{SUCCESS}`"))
        }
        Some(Value::String(_)) => Err(format!("`{CODE}` is not `{SUCCESS}`")),
        Some(_) => Err(format!("`{CODE}` is not a string")),
    }
}

/// Whether a code is short and plain enough to be shown in an error.
fn is_showable_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= MAX_SHOWN_CODE_LEN
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

/// The non-blank string field `name`.
fn text<'a>(document: &'a Map<String, Value>, name: &str) -> Result<&'a str, String> {
    match document.get(name) {
        None | Some(Value::Null) => Err(format!("`{name}` is missing")),
        Some(Value::String(s)) if s.trim().is_empty() => Err(format!("`{name}` is empty")),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(format!("`{name}` is not a string")),
    }
}
