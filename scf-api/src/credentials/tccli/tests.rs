//! Tests of the parent module.

use std::fs;

use super::super::CredentialsErrorKind;
use super::super::test_support::{SECRET_ID, SECRET_KEY, TOKEN, assert_no_secrets};
use super::*;

/// A temporary home directory with `~/.tccli/<profile>.credential` files holding the given
/// contents.
fn home_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join(DIR_IN_HOME);
    fs::create_dir(&dir).unwrap();
    for (profile, content) in files {
        fs::write(dir.join(format!("{profile}{FILE_SUFFIX}")), content).unwrap();
    }
    home
}

/// The file of `profile` in `home`.
fn file_of(home: &tempfile::TempDir, profile: &str) -> PathBuf {
    home.path()
        .join(DIR_IN_HOME)
        .join(format!("{profile}{FILE_SUFFIX}"))
}

/// An environment whose home directory is `home`, with the extra variables `vars`.
fn env_of(home: &tempfile::TempDir, vars: &[(&str, &str)]) -> Environment {
    let home = home.path().to_str().unwrap();
    Environment::from_vars([("HOME", home)].into_iter().chain(vars.iter().copied()))
}

/// Loads the `default` profile of a home holding only `content`, and the file's path.
fn load_default(content: &str) -> (Result<Credentials, CredentialsError>, PathBuf) {
    let home = home_with(&[("default", content)]);
    let result = TccliProvider::with_env(env_of(&home, &[])).load();
    (result, file_of(&home, "default"))
}

/// Unix seconds `offset` seconds from now.
fn unix_from_now(offset: i64) -> u64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    now.checked_add_signed(offset).unwrap()
}

/// A browser-login file of `kind` expiring at `expires_at` (Unix seconds).
fn login_file(kind: &str, expires_at: u64) -> String {
    format!(
        r#"{{"type": "{kind}", "secretId": "{SECRET_ID}", "secretKey": "{SECRET_KEY}",
            "token": "{TOKEN}", "expiresAt": {expires_at},
            "{kind}": {{"accessToken": "{TOKEN}", "expiresAt": {expires_at}}}}}"#
    )
}

#[tokio::test]
async fn plain_keys() {
    let content = format!(r#"{{"secretId": " {SECRET_ID}\n", "secretKey": "{SECRET_KEY}"}}"#);
    let home = home_with(&[("default", &content)]);
    let provider = TccliProvider::with_env(env_of(&home, &[]));
    let c = provider.provide_credentials().await.unwrap();
    assert_eq!(c, Credentials::new(SECRET_ID, SECRET_KEY));
    assert_eq!(c.token(), None);
    assert_eq!(c.expires_at(), None);

    // `"type": "default"` (written by `use-cvm-role false`), a blank token, a null and
    // unknown keys change nothing; `expiresAt` of plain keys is ignored.
    let content = format!(
        r#"{{"type": "default", "secretId": "{SECRET_ID}", "secretKey": "{SECRET_KEY}",
            "token": "  ", "role-session-name": null, "region": "ap-guangzhou",
            "expiresAt": 1}}"#
    );
    let (c, _path) = load_default(&content);
    assert_eq!(c.unwrap(), Credentials::new(SECRET_ID, SECRET_KEY));
}

#[test]
fn plain_keys_with_token() {
    let content = format!(
        r#"{{"secretId": "{SECRET_ID}", "secretKey": "{SECRET_KEY}", "token": "{TOKEN}"}}"#
    );
    let (c, _path) = load_default(&content);
    let c = c.unwrap();
    assert_eq!(c, Credentials::new(SECRET_ID, SECRET_KEY).with_token(TOKEN));
    assert_eq!(c.expires_at(), None);
}

#[test]
fn profile_from_variable_and_explicit() {
    let home = home_with(&[
        (
            "default",
            r#"{"secretId": "AKIDdefault", "secretKey": "default-key"}"#,
        ),
        ("dev", r#"{"secretId": "AKIDdev", "secretKey": "dev-key"}"#),
        ("ci", r#"{"secretId": "AKIDci", "secretKey": "ci-key"}"#),
    ]);
    let load = |vars: &[(&str, &str)], profile: &str| {
        TccliProvider::with_env(env_of(&home, vars))
            .profile(profile)
            .load()
            .unwrap()
    };
    assert_eq!(
        load(&[], ""),
        Credentials::new("AKIDdefault", "default-key")
    );
    assert_eq!(
        load(&[(PROFILE_VAR, " dev\n")], ""),
        Credentials::new("AKIDdev", "dev-key")
    );
    assert_eq!(load(&[], "ci"), Credentials::new("AKIDci", "ci-key"));
    // The explicit profile wins over the variable; a blank one is ignored.
    assert_eq!(
        load(&[(PROFILE_VAR, "dev")], " ci "),
        Credentials::new("AKIDci", "ci-key")
    );
    assert_eq!(
        load(&[(PROFILE_VAR, "dev")], "  "),
        Credentials::new("AKIDdev", "dev-key")
    );
    // USERPROFILE when HOME is not set.
    let env = Environment::from_vars([("USERPROFILE", home.path().to_str().unwrap())]);
    let c = TccliProvider::with_env(env).profile("dev").load().unwrap();
    assert_eq!(c, Credentials::new("AKIDdev", "dev-key"));
}

#[test]
fn explicit_path_replaces_home_and_profile() {
    let home = home_with(&[("default", r#"{"secretId": "AKIDhome", "secretKey": "k"}"#)]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("elsewhere.json");
    let content = format!(r#"{{"secretId": "{SECRET_ID}", "secretKey": "{SECRET_KEY}"}}"#);
    fs::write(&path, content).unwrap();
    let c = TccliProvider::with_env(env_of(&home, &[(PROFILE_VAR, "dev")]))
        .path(&path)
        .load()
        .unwrap();
    assert_eq!(c, Credentials::new(SECRET_ID, SECRET_KEY));
}

#[test]
fn valid_login_has_expiry() {
    for kind in ["oauth", "sso"] {
        let expires_at = unix_from_now(3600);
        let (c, _path) = load_default(&login_file(kind, expires_at));
        let c = c.unwrap();
        assert_eq!(c.secret_id(), SECRET_ID);
        assert_eq!(c.secret_key(), SECRET_KEY);
        assert_eq!(c.token(), Some(TOKEN));
        assert_eq!(
            c.expires_at(),
            Some(UNIX_EPOCH + Duration::from_secs(expires_at)),
            "{kind}"
        );
    }
    // Fractional seconds are accepted.
    let expires_at = unix_from_now(600);
    let content = login_file("oauth", expires_at).replace(
        &format!("\"expiresAt\": {expires_at},"),
        &format!("\"expiresAt\": {expires_at}.5,"),
    );
    let (c, _path) = load_default(&content);
    let expected = UNIX_EPOCH + Duration::from_millis(expires_at * 1000 + 500);
    assert_eq!(c.unwrap().expires_at(), Some(expected));
}

#[test]
fn expired_login_is_invalid() {
    let expires_at = 1_700_000_000;
    let (e, path) = load_default(&login_file("oauth", expires_at));
    let e = e.unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert_eq!(
        e.to_string(),
        format!(
            "tccli: the oauth login in {} expired at Tue, 14 Nov 2023 22:13:20 GMT; log in \
             again with `tccli auth login`",
            path.display()
        )
    );
    assert_no_secrets(&format!("{e} {e:?}"));

    // SSO, another profile, just expired.
    let home = home_with(&[("work", &login_file("sso", unix_from_now(-1)))]);
    let e = TccliProvider::with_env(env_of(&home, &[(PROFILE_VAR, "work")]))
        .load()
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert!(
        e.to_string()
            .ends_with("; log in again with `tccli sso login --profile work`"),
        "{e}"
    );
    assert_no_secrets(&format!("{e} {e:?}"));
}

#[test]
fn login_without_expiry_is_invalid() {
    let content = format!(
        r#"{{"type": "sso", "secretId": "{SECRET_ID}", "secretKey": "{SECRET_KEY}",
            "token": "{TOKEN}"}}"#
    );
    let (e, path) = load_default(&content);
    let e = e.unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert_eq!(
        e.to_string(),
        format!(
            "tccli: {} has `type` \"sso\" but no `expiresAt`",
            path.display()
        )
    );
}

#[test]
fn cvm_role_is_not_configured() {
    // tccli checks the CVM role before a role to assume; keys may be left in the file.
    let content = format!(
        r#"{{"type": "cvm-role", "secretId": "{SECRET_ID}", "secretKey": "{SECRET_KEY}",
            "role-arn": "qcs::cam::uin/100000000001:roleName/ci"}}"#
    );
    let (e, path) = load_default(&content);
    let e = e.unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);
    assert_eq!(
        e.to_string(),
        format!(
            "tccli: {} says to use the CVM instance role (`type` is \"cvm-role\"), which the \
             CVM role source of the default chain covers",
            path.display()
        )
    );
    let (e, _path) = load_default(r#"{"type": "cvm-role"}"#);
    assert_eq!(e.unwrap_err().kind(), CredentialsErrorKind::NotConfigured);
}

#[test]
fn role_arn_is_invalid() {
    let content = format!(
        r#"{{"secretId": "{SECRET_ID}", "secretKey": "{SECRET_KEY}",
            "role-arn": "qcs::cam::uin/100000000001:roleName/ci", "role-session-name": "ci"}}"#
    );
    let (e, path) = load_default(&content);
    let e = e.unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    let message = e.to_string();
    assert!(
        message.starts_with(&format!("tccli: {} has a `role-arn`", path.display())),
        "{message}"
    );
    assert!(message.contains("STS AssumeRole provider"), "{message}");
    assert!(!message.contains("qcs::cam"), "{message}");
    assert_no_secrets(&format!("{e} {e:?}"));
}

#[test]
fn unknown_type_is_invalid() {
    let content =
        format!(r#"{{"type": "saml", "secretId": "{SECRET_ID}", "secretKey": "{SECRET_KEY}"}}"#);
    let (e, path) = load_default(&content);
    let e = e.unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert_eq!(
        e.to_string(),
        format!(
            "tccli: {}: unknown `type` \"saml\" (expected \"default\", \"oauth\", \"sso\" or \
             \"cvm-role\")",
            path.display()
        )
    );
    // Names are case-sensitive, as in tccli.
    let (e, _path) = load_default(r#"{"type": "OAuth"}"#);
    assert_eq!(e.unwrap_err().kind(), CredentialsErrorKind::Invalid);
}

#[test]
fn bad_json_is_invalid_without_secrets() {
    let cases = [
        // A missing comma after the secret key, on line 3.
        (
            format!(
                "{{\n  \"secretId\": \"{SECRET_ID}\",\n  \"secretKey\": \"{SECRET_KEY}\"\n  \
                 \"token\": \"{TOKEN}\"\n}}"
            ),
            "not valid JSON (error at line 4, column 3)",
        ),
        // Cut off inside the token: the error is at the end of the 92-character line.
        (
            format!(r#"{{"secretId": "{SECRET_ID}", "token": "{TOKEN}"#),
            "not valid JSON (error at line 1, column 92)",
        ),
        (String::new(), "not valid JSON (error at line 1, column 0)"),
        (
            format!(r#"["{SECRET_ID}", "{SECRET_KEY}"]"#),
            "not a JSON object",
        ),
        (
            format!(r#"{{"secretId": ["{SECRET_ID}"], "secretKey": "{SECRET_KEY}"}}"#),
            "`secretId` is not a string",
        ),
        (
            format!(r#"{{"secretId": "{SECRET_ID}", "secretKey": {{"v": "{SECRET_KEY}"}}}}"#),
            "`secretKey` is not a string",
        ),
        (
            format!(r#"{{"secretId": "a", "secretKey": "b", "token": 7, "x": "{TOKEN}"}}"#),
            "`token` is not a string",
        ),
        (
            r#"{"type": "oauth", "expiresAt": "1700000000"}"#.to_owned(),
            "`expiresAt` is not a time in Unix seconds",
        ),
        (
            r#"{"type": "oauth", "expiresAt": -5}"#.to_owned(),
            "`expiresAt` is not a time in Unix seconds",
        ),
        (r#"{"type": true}"#.to_owned(), "`type` is not a string"),
    ];
    for (content, problem) in cases {
        let (e, path) = load_default(&content);
        let e = e.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Invalid, "{content}");
        assert_eq!(
            e.to_string(),
            format!("tccli: {}: {problem}", path.display()),
            "{content}"
        );
        assert_no_secrets(&format!("{e} {e:?}"));
    }
}

#[test]
fn only_one_of_id_and_key_is_invalid() {
    let cases = [
        (
            format!(r#"{{"secretId": "{SECRET_ID}", "token": "{TOKEN}"}}"#),
            "has `secretId` but no `secretKey`",
        ),
        (
            format!(r#"{{"secretId": "", "secretKey": "{SECRET_KEY}"}}"#),
            "has `secretKey` but no `secretId`",
        ),
    ];
    for (content, problem) in cases {
        let (e, path) = load_default(&content);
        let e = e.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Invalid, "{content}");
        assert_eq!(
            e.to_string(),
            format!("tccli: {} {problem}", path.display())
        );
        assert_no_secrets(&format!("{e} {e:?}"));
    }
}

#[test]
fn no_keys_is_not_configured_unless_a_login() {
    let (e, path) = load_default(r#"{"type": "default"}"#);
    let e = e.unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);
    assert_eq!(
        e.to_string(),
        format!(
            "tccli: {} has neither `secretId` nor `secretKey`",
            path.display()
        )
    );
    let content = format!(r#"{{"type": "oauth", "expiresAt": {}}}"#, unix_from_now(60));
    let (e, _path) = load_default(&content);
    assert_eq!(e.unwrap_err().kind(), CredentialsErrorKind::Invalid);
}

#[test]
fn missing_file_is_not_configured() {
    let home = home_with(&[("default", r#"{"secretId": "a", "secretKey": "b"}"#)]);
    let e = TccliProvider::with_env(env_of(&home, &[]))
        .profile("prod")
        .load()
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);
    assert_eq!(
        e.to_string(),
        format!("tccli: file {} not found", file_of(&home, "prod").display())
    );

    // No `.tccli` directory at all.
    let bare = tempfile::tempdir().unwrap();
    let env = Environment::from_vars([("HOME", bare.path().to_str().unwrap())]);
    let e = TccliProvider::with_env(env).load().unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);

    // No home directory.
    let e = TccliProvider::with_env(Environment::from_vars([("HOME", " ")]))
        .load()
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);
    assert_eq!(e.to_string(), "tccli: neither HOME nor USERPROFILE is set");
}

#[test]
fn unreadable_file_is_invalid() {
    let home = tempfile::tempdir().unwrap();
    let path = file_of(&home, "default");
    // A directory cannot be read as a file.
    fs::create_dir_all(&path).unwrap();
    let e = TccliProvider::with_env(env_of(&home, &[]))
        .load()
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    let prefix = format!("tccli: cannot read {}: ", path.display());
    assert!(e.to_string().starts_with(&prefix), "{e}");
    assert!(std::error::Error::source(&e).is_some());
}

#[test]
fn oversized_file_is_invalid() {
    let padding = " ".repeat(usize::try_from(MAX_FILE_SIZE).unwrap());
    let content = format!(r#"{{"secretId": "{SECRET_ID}", "secretKey": "{SECRET_KEY}"}}"#);
    let (e, path) = load_default(&format!("{content}{padding}"));
    let e = e.unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert_eq!(
        e.to_string(),
        format!(
            "tccli: {} is larger than 64 KiB, too large for a credentials file",
            path.display()
        )
    );
    assert_no_secrets(&format!("{e} {e:?}"));

    // Exactly the limit is fine.
    let cut = padding.len() - content.len();
    let (c, _path) = load_default(&format!("{content}{}", &padding[..cut]));
    assert_eq!(c.unwrap(), Credentials::new(SECRET_ID, SECRET_KEY));
}

#[test]
fn reads_the_file_on_every_call() {
    let home = home_with(&[("default", &login_file("oauth", unix_from_now(-10)))]);
    let provider = TccliProvider::with_env(env_of(&home, &[]));
    assert!(provider.load().is_err());
    // A new login replaces the file.
    let expires_at = unix_from_now(7200);
    fs::write(file_of(&home, "default"), login_file("oauth", expires_at)).unwrap();
    let c = provider.load().unwrap();
    assert_eq!(
        c.expires_at(),
        Some(UNIX_EPOCH + Duration::from_secs(expires_at))
    );
}

#[test]
fn debug_and_display_show_no_secrets() {
    let home = home_with(&[("ci", &login_file("sso", unix_from_now(3600)))]);
    let provider = TccliProvider::with_env(env_of(
        &home,
        &[
            ("TENCENTCLOUD_SECRET_ID", SECRET_ID),
            ("TENCENTCLOUD_SECRET_KEY", SECRET_KEY),
            ("TENCENTCLOUD_TOKEN", TOKEN),
        ],
    ))
    .profile("ci");
    let out = format!("{provider:?} {provider:#?}");
    assert_no_secrets(&out);
    assert!(out.contains("TccliProvider"), "{out}");
    assert!(out.contains("\"ci\""), "{out}");

    let c = provider.load().unwrap();
    assert_no_secrets(&format!("{c} {c:?} {c:#?}"));
    assert_eq!(c.to_string(), "AKID****MPLE");
}
