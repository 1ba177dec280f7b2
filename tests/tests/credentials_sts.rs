//! The STS credential sources against a fake STS on 127.0.0.1 that checks what the real one
//! checks: `AssumeRoleProvider` (signed with the source's credentials, refreshed by a
//! `CredentialsCache`, used by a real client against scf-local, its errors and its settings)
//! and `WebIdentityProvider` (TKE's OIDC token, sent unsigned, read again on every refresh).

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use scf_api::credentials::{
    AssumeRoleProvider, CredentialsCache, CredentialsErrorKind, ProvideCredentials,
    WebIdentityProvider,
};
use scf_api::{Client, Credentials, Endpoint, Environment, ErrorKind, RetryPolicy};
use scf_api_tests::fake_sts::{FakeSts, STS_VERSION, StsCall};
use scf_api_tests::secrets::{assert_error_hides, assert_hides};
use scf_api_tests::{REGION, TEST_TIMEOUT, only_request, utc_date};
use scf_local::{Outcome, Server};

const ROLE_ARN: &str = "qcs::cam::uin/100000000001:roleName/deployer";
const SOURCE_ID: &str = "AKIDsourceEXAMPLE0001";
const SOURCE_KEY: &str = "source-secret-key-EXAMPLE";
const SOURCE_TOKEN: &str = "source-session-token-EXAMPLE";
const EXTERNAL_ID: &str = "ext-id.shared@secret";
/// Every secret the tests hand to the providers.
const SECRETS: [&str; 3] = [SOURCE_KEY, SOURCE_TOKEN, EXTERNAL_ID];

/// The source credentials, with a session token.
fn source() -> Credentials {
    Credentials::new(SOURCE_ID, SOURCE_KEY).with_token(SOURCE_TOKEN)
}

/// An environment with no variables at all.
fn no_env() -> Environment {
    Environment::from_vars(Vec::<(String, String)>::new())
}

/// Percent-decodes `text` (written here, independently of the SDK's encoder).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ASCII escape");
            out.push(u8::from_str_radix(hex, 16).expect("a hex escape"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("UTF-8 once decoded")
}

/// Asserts that `call` is an `AssumeRole` signed by [`SOURCE_ID`] (the fake checked the
/// signature) that was answered with credentials.
#[track_caller]
fn assert_signed_assume_role(call: &StsCall, token: Option<&str>) {
    assert_eq!(call.rejected, None, "the fake refused {call:#?}");
    assert_eq!(call.action(), Some("AssumeRole"));
    assert_eq!(call.received.header("x-tc-version"), Some(STS_VERSION));
    let timestamp: u64 = call
        .received
        .header("x-tc-timestamp")
        .unwrap()
        .parse()
        .unwrap();
    let scope = format!("{SOURCE_ID}/{}/sts/tc3_request", utc_date(timestamp));
    let authorization = call.received.header("authorization").unwrap();
    assert!(
        authorization.starts_with(&format!("TC3-HMAC-SHA256 Credential={scope}, ")),
        "{authorization}"
    );
    assert_eq!(call.received.header("x-tc-token"), token);
    assert_eq!(call.member("RoleArn"), Some(ROLE_ARN));
}

#[tokio::test]
async fn assume_role_is_signed_by_the_source_and_refreshed_by_the_cache() {
    let sts = FakeSts::builder()
        .source(source())
        .lifetime(Duration::from_millis(1500))
        .start()
        .await;
    let policy = r#"{"version":"2.0","statement":[{"effect":"allow","action":["scf:ListFunctions"],"resource":["*"]}]}"#;
    let provider = AssumeRoleProvider::builder(ROLE_ARN, source())
        .session_name("nightly-deploy")
        .duration(Duration::from_secs(900))
        .policy(policy)
        .external_id(EXTERNAL_ID)
        .region("ap-singapore")
        .endpoint(sts.url())
        .env(no_env())
        .build()
        .unwrap();
    assert_hides(
        "provider Debug",
        &format!("{provider:?} {provider:#?}"),
        &SECRETS,
    );
    let cache =
        CredentialsCache::new(Arc::new(provider)).with_refresh_window(Duration::from_secs(1));

    let first = cache.get().await.unwrap();
    let calls = sts.calls();
    assert_eq!(calls.len(), 1, "{calls:#?}");
    let call = &calls[0];
    assert_signed_assume_role(call, Some(SOURCE_TOKEN));
    assert_eq!(call.region(), Some("ap-singapore"));
    assert_eq!(call.member("RoleSessionName"), Some("nightly-deploy"));
    assert_eq!(call.body["DurationSeconds"].as_u64(), Some(900));
    assert_eq!(call.member("ExternalId"), Some(EXTERNAL_ID));
    let sent_policy = call.member("Policy").expect("the policy is sent");
    assert!(
        sent_policy
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"%-_.~".contains(&b)),
        "the policy is not URL-encoded: {sent_policy}"
    );
    assert_eq!(percent_decode(sent_policy), policy);
    // The credentials are what the fake handed out, expiring at its `ExpiredTime`.
    assert_eq!(Some(&first), call.issued.as_ref());
    let expired_time = call.expired_time.unwrap();
    assert_eq!(
        first.expires_at(),
        Some(UNIX_EPOCH + Duration::from_secs(expired_time))
    );
    assert!(first.token().is_some());
    assert_hides(
        "credentials Debug",
        &format!("{first:?}"),
        &[first.secret_key(), first.token().unwrap()],
    );

    // More than the refresh window is left: the cache answers alone.
    assert_eq!(cache.get().await.unwrap(), first);
    assert_eq!(sts.calls().len(), 1);

    // Just inside the refresh window: the next `get` asks STS again.
    let window_starts = first.expires_at().unwrap() - Duration::from_secs(1);
    let wait = window_starts
        .duration_since(SystemTime::now())
        .unwrap_or_default();
    tokio::time::sleep(wait + Duration::from_millis(100)).await;
    let second = cache.get().await.unwrap();
    let calls = sts.calls();
    assert_eq!(calls.len(), 2, "{calls:#?}");
    assert_signed_assume_role(&calls[1], Some(SOURCE_TOKEN));
    assert_eq!(Some(&second), calls[1].issued.as_ref());
    assert_ne!(second.token(), first.token());
    assert_ne!(second.secret_id(), first.secret_id());
}

#[tokio::test]
async fn assumed_credentials_sign_scf_calls() {
    let assumed = Credentials::new("AKIDassumedEXAMPLE0002", "assumed-secret-key")
        .with_token("assumed-token");
    let scf = Server::builder()
        .secret_id(assumed.secret_id())
        .secret_key(assumed.secret_key())
        .token(assumed.token().map(str::to_owned))
        .start()
        .await
        .unwrap();
    // A source without a token: none may be sent to STS.
    let long_term = Credentials::new(SOURCE_ID, SOURCE_KEY);
    let sts = FakeSts::builder()
        .source(long_term.clone())
        .issue(assumed.clone())
        .start()
        .await;
    let provider = AssumeRoleProvider::builder(ROLE_ARN, long_term)
        .endpoint(sts.url())
        .env(no_env())
        .build()
        .unwrap();
    let client = Client::builder()
        .credentials_provider(provider)
        .endpoint(Endpoint::Url(scf.url()))
        .region(REGION)
        .attempt_timeout(TEST_TIMEOUT)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();

    client
        .list_functions()
        .send()
        .await
        .expect("signed with the assumed credentials");
    let calls = sts.calls();
    assert_eq!(calls.len(), 1, "{calls:#?}");
    assert_signed_assume_role(&calls[0], None);
    // Defaults: region ap-guangzhou, a generated session name, no optional members.
    assert_eq!(calls[0].region(), Some("ap-guangzhou"));
    let session = calls[0].member("RoleSessionName").unwrap();
    assert!(session.starts_with("scf-api-rust-"), "{session}");
    for absent in ["DurationSeconds", "Policy", "ExternalId"] {
        assert!(
            calls[0].body.get(absent).is_none(),
            "{absent} sent: {:?}",
            calls[0].body
        );
    }
    let request = only_request(&scf);
    assert_eq!(request.outcome, Outcome::Ok);
    assert_eq!(request.header("X-TC-Token"), assumed.token());
    let authorization = request.header("Authorization").unwrap();
    assert!(
        authorization.starts_with(&format!(
            "TC3-HMAC-SHA256 Credential={}/",
            assumed.secret_id()
        )),
        "{authorization}"
    );

    // The assumed credentials last an hour: a second call does not ask STS again.
    client.list_functions().send().await.unwrap();
    assert_eq!(sts.calls().len(), 1);
    assert_eq!(scf.requests().len(), 2);
}

#[tokio::test]
async fn a_wrong_source_key_is_a_provider_error_without_secrets() {
    const WRONG_KEY: &str = "not-the-source-key";
    let sts = FakeSts::builder().source(source()).start().await;
    let wrong = Credentials::new(SOURCE_ID, WRONG_KEY).with_token(SOURCE_TOKEN);
    let provider = AssumeRoleProvider::builder(ROLE_ARN, wrong)
        .external_id(EXTERNAL_ID)
        .endpoint(sts.url())
        .env(no_env())
        .build()
        .unwrap();
    let secrets = [SOURCE_KEY, WRONG_KEY, SOURCE_TOKEN, EXTERNAL_ID];
    assert_hides(
        "provider Debug",
        &format!("{provider:?} {provider:#?}"),
        &secrets,
    );

    let error = provider.provide_credentials().await.unwrap_err();
    let calls = sts.calls();
    assert!(!calls.is_empty());
    for call in &calls {
        assert_eq!(
            call.rejected.as_deref(),
            Some("AuthFailure.SignatureFailure")
        );
    }
    assert_eq!(error.kind(), CredentialsErrorKind::Provider, "{error}");
    let message = error.to_string();
    assert!(message.contains("AssumeRole"), "{message}");
    assert!(
        message.contains("AuthFailure.SignatureFailure"),
        "{message}"
    );
    assert_error_hides(&error, &secrets);

    // Through a client, the SCF call fails before sending, and still shows no secret.
    let scf = Server::builder().start().await.unwrap();
    let provider = AssumeRoleProvider::builder(ROLE_ARN, source_with_key(WRONG_KEY))
        .endpoint(sts.url())
        .env(no_env())
        .build()
        .unwrap();
    let client = Client::builder()
        .credentials_provider(provider)
        .endpoint(Endpoint::Url(scf.url()))
        .region(REGION)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let error = client.list_functions().send().await.unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Credentials(_)),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("AuthFailure.SignatureFailure"),
        "{error}"
    );
    assert_error_hides(&error, &secrets);
    assert!(scf.requests().is_empty());
}

/// The source credentials with another secret key.
fn source_with_key(key: &str) -> Credentials {
    Credentials::new(SOURCE_ID, key).with_token(SOURCE_TOKEN)
}

#[tokio::test]
async fn build_refuses_invalid_settings_and_sends_nothing() {
    const BAD_EXTERNAL_ID: &str = "shared secret!";
    let sts = FakeSts::builder().source(source()).start().await;
    let builder = || {
        AssumeRoleProvider::builder(ROLE_ARN, source())
            .external_id(EXTERNAL_ID)
            .endpoint(sts.url())
            .env(no_env())
    };
    assert_hides("builder Debug", &format!("{:?}", builder()), &SECRETS);
    // The same settings with nothing wrong build.
    builder().build().expect("valid settings");
    let cases = [
        (
            "role ARN",
            AssumeRoleProvider::builder(" ", source())
                .endpoint(sts.url())
                .env(no_env()),
        ),
        ("session name", builder().session_name("has space")),
        ("session name", builder().session_name("x")),
        ("duration", builder().duration(Duration::ZERO)),
        ("duration", builder().duration(Duration::from_millis(999))),
        (
            "policy",
            builder().policy(r#"{"version":"2.0","statement":"#),
        ),
        ("policy", builder().policy("allow everything")),
        ("external id", builder().external_id(BAD_EXTERNAL_ID)),
    ];
    for (topic, builder) in cases {
        let error = builder.build().expect_err(topic);
        assert_eq!(error.kind(), CredentialsErrorKind::Invalid, "{error}");
        let message = error.to_string();
        assert!(message.starts_with("assume role: "), "{message}");
        assert!(message.contains(topic), "{message} should name the {topic}");
        assert_error_hides(&error, &[SOURCE_KEY, SOURCE_TOKEN, BAD_EXTERNAL_ID]);
    }
    assert!(sts.calls().is_empty(), "{:#?}", sts.calls());
}

#[tokio::test]
async fn the_sts_endpoint_variable_is_honoured_and_endpoint_wins() {
    let from_env = FakeSts::builder()
        .source(source())
        .label("fromenv")
        .start()
        .await;
    let explicit = FakeSts::builder()
        .source(source())
        .label("explicit")
        .start()
        .await;
    let env = Environment::from_vars([("TENCENTCLOUD_STS_ENDPOINT_URL", from_env.url())]);

    let provider = AssumeRoleProvider::builder(ROLE_ARN, source())
        .env(env.clone())
        .build()
        .unwrap();
    let credentials = provider.provide_credentials().await.unwrap();
    assert!(
        credentials.secret_id().starts_with("AKIDfromenv"),
        "{credentials:?}"
    );
    assert_eq!(from_env.calls().len(), 1);
    assert_signed_assume_role(&from_env.calls()[0], Some(SOURCE_TOKEN));
    assert!(explicit.calls().is_empty());

    let provider = AssumeRoleProvider::builder(ROLE_ARN, source())
        .env(env)
        .endpoint(explicit.url())
        .build()
        .unwrap();
    let credentials = provider.provide_credentials().await.unwrap();
    assert!(
        credentials.secret_id().starts_with("AKIDexplicit"),
        "{credentials:?}"
    );
    assert_eq!(explicit.calls().len(), 1);
    assert_eq!(from_env.calls().len(), 1);
}

#[tokio::test]
async fn web_identity_is_unsigned_and_rereads_the_token_file() {
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "oidc-token-one\n").unwrap();
    let sts = FakeSts::builder().label("tke").start().await;
    let env = Environment::from_vars([
        ("TKE_REGION", "ap-shanghai"),
        ("TKE_PROVIDER_ID", "oidc-provider-7"),
        ("TKE_ROLE_ARN", ROLE_ARN),
        ("TKE_WEB_IDENTITY_TOKEN_FILE", token_file.to_str().unwrap()),
        ("TENCENTCLOUD_STS_ENDPOINT_URL", &sts.url()),
    ]);
    let provider = WebIdentityProvider::with_env(env)
        .session_name("orders-api")
        .duration(Duration::from_secs(1200));

    let first = provider.provide_credentials().await.unwrap();
    std::fs::write(&token_file, "oidc-token-two").unwrap();
    let second = provider.provide_credentials().await.unwrap();

    let calls = sts.calls();
    assert_eq!(calls.len(), 2, "{calls:#?}");
    for (call, token) in calls.iter().zip(["oidc-token-one", "oidc-token-two"]) {
        assert_eq!(call.rejected, None, "the fake refused {call:#?}");
        assert_eq!(call.action(), Some("AssumeRoleWithWebIdentity"));
        assert_eq!(call.received.header("x-tc-version"), Some(STS_VERSION));
        assert_eq!(call.received.header("authorization"), Some("SKIP"));
        assert_eq!(call.received.header("x-tc-token"), None);
        assert_eq!(call.region(), Some("ap-shanghai"));
        assert_eq!(call.member("ProviderId"), Some("oidc-provider-7"));
        assert_eq!(call.member("WebIdentityToken"), Some(token));
        assert_eq!(call.member("RoleArn"), Some(ROLE_ARN));
        assert_eq!(call.member("RoleSessionName"), Some("orders-api"));
        assert_eq!(call.body["DurationSeconds"].as_u64(), Some(1200));
    }
    assert_eq!(Some(&first), calls[0].issued.as_ref());
    assert_eq!(Some(&second), calls[1].issued.as_ref());
    assert_ne!(first.token(), second.token());
    assert_hides(
        "provider Debug",
        &format!("{provider:?} {provider:#?}"),
        &["oidc-token-one", "oidc-token-two"],
    );
}
