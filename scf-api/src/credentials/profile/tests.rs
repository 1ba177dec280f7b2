//! Tests of the parent module.

use std::fs;

use super::super::CredentialsErrorKind;
use super::super::test_support::{SECRET_ID, SECRET_KEY, TOKEN, assert_no_secrets};
use super::*;

/// A temporary credentials file with `content`.
fn file(content: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("credentials");
    fs::write(&path, content).unwrap();
    (dir, path)
}

fn sample() -> String {
    format!(
        "# shared credentials\n\
         [default]\n\
         secret_id = {SECRET_ID}\n\
         secret_key = {SECRET_KEY}\n\
         \n\
         ; temporary credentials\n  \
         [ ci ]  \n\
         secret_id=AKIDci\n\
         secret_key=ci-key\n\
         token={TOKEN}\n"
    )
}

/// A path in a temporary directory where no file exists, standing in for the system-wide file.
fn missing_system_file() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("etc-credentials");
    (dir, path)
}

/// A temporary home directory with `.tencentcloud/credentials` holding `content`.
fn home_with(content: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    fs::create_dir(home.path().join(".tencentcloud")).unwrap();
    fs::write(
        home.path().join(".tencentcloud").join("credentials"),
        content,
    )
    .unwrap();
    home
}

/// A profile file whose `default` profile holds `id` and `key`.
fn default_profile_with(id: &str, key: &str) -> String {
    format!("[default]\nsecret_id = {id}\nsecret_key = {key}\n")
}

fn empty_env() -> Environment {
    Environment::from_vars::<&str, &str>([])
}

fn load_from(path: &Path, env: Environment) -> Result<Credentials, CredentialsError> {
    ProfileProvider::with_env(env).path(path).load()
}

#[tokio::test]
async fn default_profile() {
    let (_dir, path) = file(&sample());
    let provider = ProfileProvider::with_env(empty_env()).path(&path);
    let c = provider.provide_credentials().await.unwrap();
    assert_eq!(c, Credentials::new(SECRET_ID, SECRET_KEY));
}

#[test]
fn named_profile_explicit_and_from_env() {
    let (_dir, path) = file(&sample());
    let expected = Credentials::new("AKIDci", "ci-key").with_token(TOKEN);

    let c = ProfileProvider::with_env(empty_env())
        .path(&path)
        .profile("ci")
        .load()
        .unwrap();
    assert_eq!(c, expected);

    let env = Environment::from_vars([(PROFILE_VAR, " ci\n")]);
    assert_eq!(load_from(&path, env).unwrap(), expected);

    // The explicit profile wins over the variable; a blank one is ignored.
    let env = Environment::from_vars([(PROFILE_VAR, "ci")]);
    let c = ProfileProvider::with_env(env.clone())
        .path(&path)
        .profile("default")
        .load()
        .unwrap();
    assert_eq!(c, Credentials::new(SECRET_ID, SECRET_KEY));
    let c = ProfileProvider::with_env(env)
        .path(&path)
        .profile("  ")
        .load()
        .unwrap();
    assert_eq!(c, expected);
}

#[test]
fn file_in_home_directory() {
    let home = tempfile::tempdir().unwrap();
    fs::create_dir(home.path().join(".tencentcloud")).unwrap();
    fs::write(home.path().join(".tencentcloud/credentials"), sample()).unwrap();
    let home_str = home.path().to_str().unwrap();
    let expected = Credentials::new(SECRET_ID, SECRET_KEY);

    let env = Environment::from_vars([("HOME", home_str)]);
    assert_eq!(ProfileProvider::with_env(env).load().unwrap(), expected);

    // USERPROFILE when HOME is unset or blank.
    let env = Environment::from_vars([("HOME", " "), ("USERPROFILE", home_str)]);
    assert_eq!(ProfileProvider::with_env(env).load().unwrap(), expected);

    // HOME first.
    let other = tempfile::tempdir().unwrap();
    let env = Environment::from_vars([
        ("HOME", other.path().to_str().unwrap()),
        ("USERPROFILE", home_str),
    ]);
    let (_etc, system) = missing_system_file();
    let e = ProfileProvider::with_env(env)
        .system_path(&system)
        .load()
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);
    let expected_path = other.path().join(".tencentcloud").join("credentials");
    assert_eq!(
        e.to_string(),
        format!(
            "profile: files {} and {} not found",
            expected_path.display(),
            system.display()
        )
    );
}

#[test]
fn no_home_directory_is_not_configured() {
    let (_etc, system) = missing_system_file();
    let e = ProfileProvider::with_env(empty_env())
        .system_path(&system)
        .load()
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);
    assert_eq!(
        e.to_string(),
        format!(
            "profile: neither HOME nor USERPROFILE is set, and file {} not found",
            system.display()
        )
    );
}

#[test]
fn comments_blank_lines_and_spacing() {
    let text = format!(
        "\u{feff}; leading comment\n\
         \n\
         # another = comment\n\
         [other]\n\
         secret_id = AKIDother\r\n\
         \t[default]\t\r\n\
         \t# secret_id = AKIDcommented\n\
         SECRET_ID\t=   {SECRET_ID}   \r\n\
         ; secret_key = commented\n\
         secret_key={SECRET_KEY}\n\
         region = ap-guangzhou\n\
         token =\n"
    );
    let (_dir, path) = file(&text);
    let c = load_from(&path, empty_env()).unwrap();
    assert_eq!(c, Credentials::new(SECRET_ID, SECRET_KEY));
    assert_eq!(c.token(), None);
}

#[test]
fn repeated_sections_merge_and_later_settings_win() {
    let text = "[default]\nsecret_id = first\n[other]\nsecret_id = x\n\
                [default]\nsecret_key = key\nsecret_id = second\n";
    let (_dir, path) = file(text);
    let c = load_from(&path, empty_env()).unwrap();
    assert_eq!(c, Credentials::new("second", "key"));
}

#[test]
fn missing_file_is_not_configured() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nope");
    let e = load_from(&path, empty_env()).unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);
    assert_eq!(
        e.to_string(),
        format!("profile: file {} not found", path.display())
    );
}

#[test]
fn unreadable_file_is_invalid() {
    // A directory cannot be read as a file.
    let dir = tempfile::tempdir().unwrap();
    let e = load_from(dir.path(), empty_env()).unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    let prefix = format!("profile: cannot read {}: ", dir.path().display());
    assert!(e.to_string().starts_with(&prefix), "{e}");
    assert!(std::error::Error::source(&e).is_some());

    let (_dir, path) = file("");
    fs::write(&path, b"[default]\nsecret_id = \xff\xfe\n").unwrap();
    let e = load_from(&path, empty_env()).unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid, "{e}");
}

#[test]
fn missing_section_is_invalid_when_named() {
    let (_dir, path) = file(&sample());
    let e = ProfileProvider::with_env(empty_env())
        .path(&path)
        .profile("prod")
        .load()
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert_eq!(
        e.to_string(),
        format!("profile: profile `prod` not found in {}", path.display())
    );
    // Section names are case-sensitive.
    let e = ProfileProvider::with_env(empty_env())
        .path(&path)
        .profile("Default")
        .load()
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    // Named through the environment, too.
    let e = ProfileProvider::with_env(Environment::from_vars([(PROFILE_VAR, "prod")]))
        .path(&path)
        .load()
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    // A file without the default profile is just not configured.
    let (_dir, path) = file("[other]\nsecret_id = a\nsecret_key = b\n");
    let e = ProfileProvider::with_env(empty_env())
        .path(&path)
        .load()
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);
}

#[test]
fn incomplete_section_is_invalid() {
    let cases = [
        (
            format!("[default]\nsecret_id = {SECRET_ID}\n"),
            "has secret_id but no secret_key",
        ),
        (
            format!("[default]\nsecret_key = {SECRET_KEY}\ntoken = {TOKEN}\n"),
            "has secret_key but no secret_id",
        ),
        (
            format!("[default]\nsecret_id =\nsecret_key = {SECRET_KEY}\n"),
            "has secret_key but no secret_id",
        ),
        (
            "[default]\n[other]\nsecret_id = a\nsecret_key = b\n".to_owned(),
            "has neither secret_id nor secret_key",
        ),
    ];
    for (text, problem) in cases {
        let (_dir, path) = file(&text);
        let e = load_from(&path, empty_env()).unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Invalid, "{text}");
        assert_eq!(
            e.to_string(),
            format!("profile: profile `default` in {} {problem}", path.display())
        );
        assert_no_secrets(&format!("{e} {e:?}"));
    }
}

#[test]
fn malformed_line_is_invalid_with_line_number() {
    let cases = [
        (
            format!("[default]\nsecret_id = a\n{SECRET_KEY}\n"),
            3,
            "expected a `[section]` header, a `key = value` setting or a comment",
        ),
        (
            format!("secret_key = {SECRET_KEY}\n[default]\n"),
            1,
            "setting before the first `[section]` header",
        ),
        (
            "\n\n[default\n".to_owned(),
            3,
            "section header without a closing `]`",
        ),
        ("[ ]\n".to_owned(), 1, "section header without a name"),
        (
            format!("[default]\n = {SECRET_KEY}\n"),
            2,
            "setting without a key",
        ),
        // A malformed line in another section still makes the file invalid.
        (
            format!(
                "[default]\nsecret_id = {SECRET_ID}\nsecret_key = {SECRET_KEY}\n[x]\n{TOKEN}\n"
            ),
            5,
            "expected a `[section]` header, a `key = value` setting or a comment",
        ),
    ];
    for (text, line, problem) in cases {
        let (_dir, path) = file(&text);
        let e = load_from(&path, empty_env()).unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Invalid, "{text}");
        assert_eq!(
            e.to_string(),
            format!("profile: {} line {line}: {problem}", path.display())
        );
        assert_no_secrets(&format!("{e} {e:?}"));
    }
}

#[test]
fn token_key() {
    let text =
        format!("[default]\nsecret_id = {SECRET_ID}\nsecret_key = {SECRET_KEY}\nToken = {TOKEN}\n");
    let (_dir, path) = file(&text);
    let c = load_from(&path, empty_env()).unwrap();
    assert_eq!(c, Credentials::new(SECRET_ID, SECRET_KEY).with_token(TOKEN));
}

#[test]
fn debug_shows_no_secrets() {
    let provider = ProfileProvider::with_env(Environment::from_vars([
        ("TENCENTCLOUD_SECRET_KEY", SECRET_KEY),
        ("TENCENTCLOUD_TOKEN", TOKEN),
        (PROFILE_VAR, "ci"),
    ]))
    .path("/tmp/credentials")
    .profile("ci");
    let out = format!("{provider:?} {provider:#?}");
    assert_no_secrets(&out);
    assert!(out.contains("/tmp/credentials"), "{out}");
}

#[test]
fn file_variable_wins_over_home() {
    let home = home_with(&default_profile_with("AKIDhome", "home-key"));
    let (_dir, named) = file(&sample());
    let home_str = home.path().to_str().unwrap();
    let (_etc, system) = missing_system_file();
    let load = |value: &str| {
        ProfileProvider::with_env(Environment::from_vars([
            ("HOME", home_str),
            (FILE_VAR, value),
        ]))
        .system_path(&system)
        .load()
    };

    let expected = Credentials::new(SECRET_ID, SECRET_KEY);
    assert_eq!(load(named.to_str().unwrap()).unwrap(), expected);
    // Trimmed.
    let padded = format!(" {}\n", named.display());
    assert_eq!(load(&padded).unwrap(), expected);
    // A blank value counts as unset: the home file is read.
    assert_eq!(
        load("  ").unwrap(),
        Credentials::new("AKIDhome", "home-key")
    );
}

#[test]
fn explicit_path_wins_over_file_variable() {
    let (_dir, path) = file(&sample());
    let missing = path.with_file_name("missing");
    let env = Environment::from_vars([(FILE_VAR, missing.to_str().unwrap())]);
    let c = load_from(&path, env).unwrap();
    assert_eq!(c, Credentials::new(SECRET_ID, SECRET_KEY));
}

#[test]
fn file_variable_naming_a_missing_file_is_invalid() {
    // Even with a usable home file: the variable asked for another file.
    let home = home_with(&sample());
    let missing = home.path().join("nowhere").join("credentials");
    let env = Environment::from_vars([
        ("HOME", home.path().to_str().unwrap()),
        (FILE_VAR, missing.to_str().unwrap()),
    ]);
    let e = ProfileProvider::with_env(env).load().unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert_eq!(
        e.to_string(),
        format!(
            "profile: TENCENTCLOUD_CREDENTIALS_FILE names {}, which does not exist",
            missing.display()
        )
    );
    assert!(std::error::Error::source(&e).is_some());
}

#[test]
fn home_file_wins_over_system_file() {
    let home = home_with(&default_profile_with(SECRET_ID, SECRET_KEY));
    let (_etc, system) = file(&default_profile_with("AKIDsystem", "system-key"));
    let env = Environment::from_vars([("HOME", home.path().to_str().unwrap())]);
    let c = ProfileProvider::with_env(env)
        .system_path(&system)
        .load()
        .unwrap();
    assert_eq!(c, Credentials::new(SECRET_ID, SECRET_KEY));
}

#[test]
fn system_file_when_there_is_no_home_file() {
    let (_etc, system) = file(&sample());
    let expected = Credentials::new(SECRET_ID, SECRET_KEY);

    // A home directory without the file.
    let home = tempfile::tempdir().unwrap();
    let env = Environment::from_vars([("HOME", home.path().to_str().unwrap())]);
    let provider = ProfileProvider::with_env(env).system_path(&system);
    assert_eq!(provider.load().unwrap(), expected);

    // No home directory at all.
    let provider = ProfileProvider::with_env(empty_env()).system_path(&system);
    assert_eq!(provider.load().unwrap(), expected);

    // Profile selection applies to the system file too.
    let c = provider.profile("ci").load().unwrap();
    assert_eq!(c, Credentials::new("AKIDci", "ci-key").with_token(TOKEN));
}

#[test]
fn unreadable_home_file_does_not_fall_back_to_system_file() {
    let home = tempfile::tempdir().unwrap();
    let in_home = home.path().join(".tencentcloud").join("credentials");
    fs::create_dir_all(&in_home).unwrap();
    let (_etc, system) = file(&sample());
    let env = Environment::from_vars([("HOME", home.path().to_str().unwrap())]);
    let e = ProfileProvider::with_env(env)
        .system_path(&system)
        .load()
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    let prefix = format!("profile: cannot read {}: ", in_home.display());
    assert!(e.to_string().starts_with(&prefix), "{e}");
}

#[test]
fn no_file_anywhere_lists_the_files_looked_at() {
    let home = tempfile::tempdir().unwrap();
    let (_etc, system) = missing_system_file();
    let env = Environment::from_vars([("HOME", home.path().to_str().unwrap())]);
    let e = ProfileProvider::with_env(env)
        .system_path(&system)
        .load()
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);
    let in_home = home.path().join(".tencentcloud").join("credentials");
    assert_eq!(
        e.to_string(),
        format!(
            "profile: files {} and {} not found",
            in_home.display(),
            system.display()
        )
    );
}

#[test]
fn default_reads_the_real_system_file_path() {
    let provider = ProfileProvider::default();
    assert_eq!(
        provider.system_path,
        Path::new("/etc/tencentcloud/credentials")
    );
}
