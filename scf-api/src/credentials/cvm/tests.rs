//! Tests of the CVM role provider against a fake metadata service on 127.0.0.1.

use std::error::Error as StdError;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::json;

use super::super::test_support::{SECRET_ID, SECRET_KEY, TOKEN, assert_no_secrets};
use super::super::{CredentialsCache, CredentialsErrorKind};
use super::fake::{FakeMetadata, ROLES, Reply, closed_port_url};
use super::*;

/// The role the fake service names.
const ROLE: &str = "scf-role";
/// An expiry time in Unix seconds (2023-11-14T22:13:20Z).
const EXPIRED_TIME: u64 = 1_700_000_000;

/// The path of `ROLE`'s credentials.
fn role_path() -> String {
    format!("{ROLES}{ROLE}")
}

/// A credentials document.
fn document(token: &str, expired_time: u64) -> serde_json::Value {
    json!({
        "TmpSecretId": SECRET_ID,
        "TmpSecretKey": SECRET_KEY,
        "Token": token,
        "ExpiredTime": expired_time,
        "Expiration": "2023-11-14T22:13:20Z",
        "Code": "Success",
    })
}

/// A service naming `ROLE` and answering its credentials with `credentials`; anything else is
/// `404 Not Found`.
async fn service(credentials: impl Fn(usize) -> Reply + Send + Sync + 'static) -> FakeMetadata {
    FakeMetadata::start(move |path, earlier| match path {
        ROLES => Reply::text(200, ROLE),
        p if p == role_path() => credentials(earlier),
        _ => Reply::text(404, "not found"),
    })
    .await
}

/// A provider asking `server`.
fn provider_for(server: &FakeMetadata) -> CvmRoleProvider {
    CvmRoleProvider::with_env(Environment::from_vars::<&str, &str>([])).endpoint(server.url())
}

/// The error of one call, checked for the message prefix and for secrets in its message,
/// `Debug` and causes.
async fn error_of(provider: &CvmRoleProvider) -> CredentialsError {
    let e = provider.provide_credentials().await.unwrap_err();
    assert!(e.to_string().starts_with("cvm role: "), "{e}");
    let mut out = format!("{e} {e:?} {e:#?} {provider:?}");
    let mut cause = e.source();
    while let Some(c) = cause {
        out.push_str(&format!(" {c} {c:?}"));
        cause = c.source();
    }
    assert_no_secrets(&out);
    e
}

#[tokio::test]
async fn discovers_the_role_then_fetches_its_credentials() {
    let server = service(|_| Reply::json(&document(TOKEN, EXPIRED_TIME))).await;
    let c = provider_for(&server).provide_credentials().await.unwrap();
    assert_eq!(c.secret_id(), SECRET_ID);
    assert_eq!(c.secret_key(), SECRET_KEY);
    assert_eq!(c.token(), Some(TOKEN));
    assert_eq!(
        c.expires_at(),
        Some(UNIX_EPOCH + Duration::from_secs(EXPIRED_TIME))
    );
    assert_eq!(server.requests(), [ROLES.to_owned(), role_path()]);
}

#[tokio::test]
async fn role_is_discovered_on_every_call() {
    let server = FakeMetadata::start(|path, earlier| match (path, earlier) {
        (ROLES, 0) => Reply::text(200, "first-role\n"),
        (ROLES, _) => Reply::text(200, "second-role"),
        _ => Reply::json(&document(TOKEN, EXPIRED_TIME)),
    })
    .await;
    let provider = provider_for(&server);
    provider.provide_credentials().await.unwrap();
    provider.provide_credentials().await.unwrap();
    assert_eq!(
        server.requests(),
        [
            ROLES.to_owned(),
            format!("{ROLES}first-role"),
            ROLES.to_owned(),
            format!("{ROLES}second-role"),
        ]
    );
}

#[tokio::test]
async fn cache_picks_up_refreshed_credentials() {
    let server = service(|earlier| {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        // Expires 2 to 3 seconds from now: fresh for at least a second with a 1 s window.
        Reply::json(&document(&format!("token-{earlier}"), now.as_secs() + 3))
    })
    .await;
    let cache = CredentialsCache::new(Arc::new(provider_for(&server)))
        .with_refresh_window(Duration::from_secs(1));
    assert_eq!(cache.get().await.unwrap().token(), Some("token-0"));
    assert_eq!(cache.get().await.unwrap().token(), Some("token-0"));
    assert_eq!(server.count(&role_path()), 1);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(cache.get().await.unwrap().token(), Some("token-1"));
    assert_eq!(server.count(&role_path()), 2);
    assert_eq!(server.count(ROLES), 2);
}

#[tokio::test]
async fn nothing_listening_is_not_configured() {
    let url = closed_port_url().await;
    let provider = CvmRoleProvider::new().endpoint(&url);
    let e = error_of(&provider).await;
    assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured, "{e}");
    assert!(e.to_string().contains(&format!("{url}{ROLES}")), "{e}");
    assert!(e.to_string().contains("not on CVM"), "{e}");
    assert!(e.to_string().contains("could not connect: "), "{e}");
    assert!(!e.to_string().contains("client error"), "{e}");
    assert!(e.source().is_some());
    // With the role name set, the credentials request is the first one.
    let e = error_of(&provider.role_name(ROLE)).await;
    assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured, "{e}");
    assert!(
        e.to_string().contains(&format!("{url}{ROLES}{ROLE}")),
        "{e}"
    );
}

#[tokio::test]
async fn discovery_not_found_or_empty_is_not_configured() {
    for reply in [
        || Reply::text(404, SECRET_KEY),
        || Reply::text(200, " \n"),
        || Reply::text(200, format!("<html>{SECRET_KEY}</html>")),
        || Reply::text(200, vec![0xff, 0xfe]),
        || Reply::text(200, "x".repeat(4096)),
    ] {
        let server = FakeMetadata::start(move |_, _| reply()).await;
        let e = error_of(&provider_for(&server)).await;
        assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured, "{e}");
        assert!(
            e.to_string().contains(&format!("{}{ROLES}", server.url())),
            "{e}"
        );
        assert_eq!(server.requests(), [ROLES]);
    }
}

#[tokio::test]
async fn discovery_server_error_is_a_provider_error() {
    let server = FakeMetadata::start(|_, _| Reply::text(500, SECRET_KEY)).await;
    let e = error_of(&provider_for(&server)).await;
    assert_eq!(e.kind(), CredentialsErrorKind::Provider, "{e}");
    assert!(e.to_string().contains("500 Internal Server Error"), "{e}");
}

#[tokio::test]
async fn unknown_role_is_named() {
    let server = service(|_| Reply::text(404, format!("no role {SECRET_ID}"))).await;
    let e = error_of(&provider_for(&server)).await;
    assert_eq!(e.kind(), CredentialsErrorKind::Provider, "{e}");
    assert!(e.to_string().contains("role `scf-role`"), "{e}");
    assert!(e.to_string().contains("404 Not Found"), "{e}");
    // A role asked for by name that the service does not know is a configuration mistake.
    let e = error_of(&provider_for(&server).role_name("other-role")).await;
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid, "{e}");
    assert!(e.to_string().contains("role `other-role`"), "{e}");
}

#[tokio::test]
async fn code_other_than_success_is_named() {
    let server = service(|_| {
        let mut body = document(TOKEN, EXPIRED_TIME);
        body["Code"] = json!("Failure");
        Reply::json(&body)
    })
    .await;
    let e = error_of(&provider_for(&server)).await;
    assert_eq!(e.kind(), CredentialsErrorKind::Provider, "{e}");
    assert!(e.to_string().contains("`Code` is `Failure`"), "{e}");
    assert!(e.to_string().contains(&server.url()), "{e}");
}

#[tokio::test]
async fn unusable_documents_are_provider_errors() {
    let truncated = document(TOKEN, EXPIRED_TIME).to_string();
    let truncated = truncated[..truncated.len() - 10].to_owned();
    let mut cases: Vec<(Vec<u8>, &str)> = vec![
        (truncated.into_bytes(), "not JSON"),
        (format!("<{SECRET_KEY}>").into_bytes(), "not JSON"),
        (
            json!([SECRET_ID, SECRET_KEY]).to_string().into_bytes(),
            "not a JSON object",
        ),
    ];
    let changed = |field: &str, value: serde_json::Value| {
        let mut body = document(TOKEN, EXPIRED_TIME);
        body[field] = value;
        body.to_string().into_bytes()
    };
    let removed = |field: &str| {
        let mut body = document(TOKEN, EXPIRED_TIME);
        body.as_object_mut().unwrap().remove(field);
        body.to_string().into_bytes()
    };
    cases.extend([
        (
            changed("ExpiredTime", json!(SECRET_KEY)),
            "`ExpiredTime` is not",
        ),
        (changed("ExpiredTime", json!(-5)), "`ExpiredTime` is not"),
        (
            changed("TmpSecretKey", json!([SECRET_KEY])),
            "`TmpSecretKey` is not a string",
        ),
        (changed("Token", json!(" ")), "`Token` is empty"),
        (
            changed("Code", json!(SECRET_KEY.repeat(3))),
            "`Code` is not `Success`",
        ),
        (changed("Code", json!(7)), "`Code` is not a string"),
        (removed("TmpSecretId"), "`TmpSecretId` is missing"),
        (removed("ExpiredTime"), "`ExpiredTime` is missing"),
        (removed("Code"), "`Code` is missing"),
    ]);
    for (body, expected) in cases {
        let server = service(move |_| Reply::Answer {
            status: 200,
            headers: Vec::new(),
            body: body.clone(),
        })
        .await;
        let e = error_of(&provider_for(&server)).await;
        assert_eq!(e.kind(), CredentialsErrorKind::Provider, "{e}");
        assert!(e.to_string().contains(expected), "{expected}: {e}");
    }
}

#[tokio::test]
async fn hung_service_times_out() {
    let server = FakeMetadata::start(|_, _| Reply::Hang).await;
    let provider = provider_for(&server).timeout(Duration::from_millis(300));
    let started = Instant::now();
    let e = error_of(&provider).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured, "{e}");
    assert!(e.to_string().contains("timed out after 300ms"), "{e}");
    // Hanging after the role name was answered is a failure of the metadata service.
    let server = service(|_| Reply::Hang).await;
    let provider = provider_for(&server).timeout(Duration::from_millis(300));
    let started = Instant::now();
    let e = error_of(&provider).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(e.kind(), CredentialsErrorKind::Provider, "{e}");
}

#[tokio::test]
async fn oversized_document_is_refused() {
    for declared in [true, false] {
        let len = 8 * 1024 * 1024;
        let server = service(move |_| Reply::Long { len, declared }).await;
        let e = error_of(&provider_for(&server)).await;
        assert_eq!(e.kind(), CredentialsErrorKind::Provider, "{e}");
        assert!(e.to_string().contains("larger than 65536 bytes"), "{e}");
    }
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let server = FakeMetadata::start(|path, _| match path {
        ROLES => Reply::redirect("/elsewhere/"),
        _ => Reply::json(&document(TOKEN, EXPIRED_TIME)),
    })
    .await;
    let e = error_of(&provider_for(&server)).await;
    assert_eq!(e.kind(), CredentialsErrorKind::Provider, "{e}");
    assert!(e.to_string().contains("302 Found"), "{e}");
    assert_eq!(server.requests(), [ROLES]);

    let server = service(|_| Reply::redirect("/elsewhere")).await;
    let e = error_of(&provider_for(&server)).await;
    assert_eq!(e.kind(), CredentialsErrorKind::Provider, "{e}");
    assert_eq!(server.requests(), [ROLES.to_owned(), role_path()]);
}

#[tokio::test]
async fn endpoint_comes_from_the_environment_unless_set() {
    let server = service(|_| Reply::json(&document(TOKEN, EXPIRED_TIME))).await;
    let env = Environment::from_vars([(
        CvmRoleProvider::ENDPOINT_VAR,
        format!(" {}/ \n", server.url()),
    )]);
    let c = CvmRoleProvider::with_env(env)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(c.token(), Some(TOKEN));
    assert_eq!(server.count(ROLES), 1);

    // `endpoint` wins over the variable.
    let env = Environment::from_vars([(CvmRoleProvider::ENDPOINT_VAR, closed_port_url().await)]);
    let provider = CvmRoleProvider::with_env(env).endpoint(format!("{}/", server.url()));
    provider.provide_credentials().await.unwrap();
    assert_eq!(server.count(ROLES), 2);
}

#[tokio::test]
async fn blank_or_unset_endpoint_means_the_default() {
    for env in [
        Environment::from_vars([(CvmRoleProvider::ENDPOINT_VAR, " ")]),
        Environment::from_vars::<&str, &str>([]),
    ] {
        let provider = CvmRoleProvider::with_env(env).endpoint("  ");
        assert_eq!(
            provider.base_url().unwrap(),
            CvmRoleProvider::DEFAULT_ENDPOINT
        );
    }
}

#[tokio::test]
async fn malformed_endpoint_is_invalid() {
    for endpoint in ["metadata.tencentyun.com", "ftp://host", "http://host/?q=1"] {
        let provider = CvmRoleProvider::with_env(Environment::from_vars([(
            CvmRoleProvider::ENDPOINT_VAR,
            endpoint,
        )]));
        let e = error_of(&provider).await;
        assert_eq!(e.kind(), CredentialsErrorKind::Invalid, "{e}");
        assert!(
            e.to_string().contains("TENCENTCLOUD_METADATA_ENDPOINT"),
            "{e}"
        );
    }
}

#[tokio::test]
async fn role_name_skips_discovery() {
    let server = service(|_| Reply::json(&document(TOKEN, EXPIRED_TIME))).await;
    let c = provider_for(&server)
        .role_name(format!(" {ROLE}\n"))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(c.token(), Some(TOKEN));
    assert_eq!(server.requests(), [role_path()]);
}

#[tokio::test]
async fn role_name_is_percent_encoded() {
    let server = FakeMetadata::start(|_, _| Reply::json(&document(TOKEN, EXPIRED_TIME))).await;
    provider_for(&server)
        .role_name("a b/c?d")
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(server.requests(), [format!("{ROLES}a%20b%2Fc%3Fd")]);
}

#[tokio::test]
async fn clones_share_the_client_until_a_timeout_changes() {
    let server = service(|_| Reply::json(&document(TOKEN, EXPIRED_TIME))).await;
    let provider = provider_for(&server);
    let clone = provider.clone();
    provider.provide_credentials().await.unwrap();
    assert!(Arc::ptr_eq(&provider.http, &clone.http));
    assert!(clone.http.get().is_some());
    let changed = clone.timeout(Duration::from_secs(5));
    assert!(changed.http.get().is_none());
    assert_eq!(changed.timeout, Duration::from_secs(5));
}

#[test]
fn defaults_and_debug() {
    let provider = CvmRoleProvider::default();
    assert_eq!(provider.connect_timeout, Duration::from_secs(1));
    assert_eq!(provider.timeout, Duration::from_secs(2));
    assert_eq!(
        format!("{provider:?}"),
        "CvmRoleProvider { env: Environment::process(), endpoint: None, role_name: None, \
         connect_timeout: 1s, timeout: 2s, .. }"
    );
    let provider = CvmRoleProvider::with_env(Environment::from_vars([(
        CvmRoleProvider::ENDPOINT_VAR,
        SECRET_KEY,
    )]))
    .role_name(ROLE);
    let out = format!("{provider:?} {provider:#?}");
    assert_no_secrets(&out);
    assert!(out.contains("scf-role"), "{out}");
}

#[test]
fn role_names() {
    for name in ["scf-role", "a+b=c,d.e@f_g-h", "x", &"r".repeat(128)] {
        assert!(is_role_name(name), "{name}");
    }
    for name in ["", "..", "a b", "<html>", "rôle", &"r".repeat(129)] {
        assert!(!is_role_name(name), "{name}");
    }
}
