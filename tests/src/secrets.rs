//! Checking that what the SDK shows (errors, `Debug`) gives no secret away.

/// Asserts that `shown` (an error message or a `Debug` output, described by `what`) contains
/// none of `secrets` (secret keys, tokens, external ids).
#[track_caller]
pub fn assert_hides(what: &str, shown: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!secret.is_empty(), "{what}: an empty secret proves nothing");
        assert!(
            !shown.contains(secret),
            "{what} shows the secret {secret:?}:\n{shown}"
        );
    }
}

/// Asserts that neither `Display` nor `Debug` (plain and pretty) of `error` contains any of
/// `secrets`, and the same of each error in its `source` chain.
#[track_caller]
pub fn assert_error_hides(error: &(dyn std::error::Error + 'static), secrets: &[&str]) {
    let mut next = Some(error);
    while let Some(e) = next {
        assert_hides("error", &format!("{e} | {e:?} | {e:#?}"), secrets);
        next = e.source();
    }
}
