//! The default credentials chain (`ChainProvider::default_chain_with_env`) over fixed
//! environments, with a fake STS for TKE's OIDC source and a fake metadata service for the CVM
//! role, so that no test reaches the network or reads the real home directory; and a client
//! configured from SCF's variables against scf-local.

use std::path::Path;
use std::time::{Duration, Instant};

use scf_api::credentials::{ChainProvider, CredentialsErrorKind, ProvideCredentials};
use scf_api::{ClientBuilder, Credentials, Environment, ErrorCode, ErrorKind, RetryPolicy};
use scf_api_tests::fake_metadata::{FakeMetadata, ROLES_PATH, closed_port_url};
use scf_api_tests::fake_sts::FakeSts;
use scf_api_tests::raw::{RawServer, Reply};
use scf_api_tests::secrets::{assert_error_hides, assert_hides};
use scf_api_tests::{REGION, TEST_TIMEOUT, only_request};
use scf_local::{Outcome, Server};
use tempfile::TempDir;

const ENV_ID: &str = "AKIDfromENVIRONMENT01";
const ENV_KEY: &str = "environment-secret-key";
const PROFILE_ID: &str = "AKIDfromPROFILE000001";
const PROFILE_KEY: &str = "profile-secret-key";
const TCCLI_ID: &str = "AKIDfromTCCLI00000001";
const TCCLI_KEY: &str = "tccli-secret-key";
const CVM_ID: &str = "AKIDfromCVMROLE000001";
const CVM_KEY: &str = "cvm-secret-key";
const CVM_TOKEN: &str = "cvm-session-token";
const OIDC_TOKEN: &str = "oidc-token-of-the-pod";
const ROLE_ARN: &str = "qcs::cam::uin/100000000001:roleName/orders";

/// A home directory holding `~/.tencentcloud/credentials` (when `profile`) and
/// `~/.tccli/default.credential` (when `tccli`).
fn home(profile: bool, tccli: bool) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    if profile {
        std::fs::create_dir(dir.path().join(".tencentcloud")).unwrap();
        std::fs::write(
            dir.path().join(".tencentcloud/credentials"),
            format!("[default]\nsecret_id = {PROFILE_ID}\nsecret_key = {PROFILE_KEY}\n"),
        )
        .unwrap();
    }
    if tccli {
        std::fs::create_dir(dir.path().join(".tccli")).unwrap();
        std::fs::write(
            dir.path().join(".tccli/default.credential"),
            serde_json::json!({ "secretId": TCCLI_ID, "secretKey": TCCLI_KEY }).to_string(),
        )
        .unwrap();
    }
    dir
}

/// The text of a path, for an environment variable.
fn text(path: &Path) -> String {
    path.to_str().expect("a UTF-8 temporary path").to_owned()
}

/// Variables as owned pairs.
fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// The four `TKE_*` variables (the token file in `dir`) and the fake STS's URL.
fn tke_vars(dir: &Path, sts: &FakeSts) -> Vec<(String, String)> {
    let token_file = dir.join("oidc-token");
    std::fs::write(&token_file, OIDC_TOKEN).unwrap();
    vars(&[
        ("TKE_REGION", "ap-shanghai"),
        ("TKE_PROVIDER_ID", "oidc-provider-7"),
        ("TKE_ROLE_ARN", ROLE_ARN),
        ("TKE_WEB_IDENTITY_TOKEN_FILE", &text(&token_file)),
        ("TENCENTCLOUD_STS_ENDPOINT_URL", &sts.url()),
    ])
}

/// The credentials the fake metadata service hands out.
fn cvm_credentials() -> Credentials {
    Credentials::new(CVM_ID, CVM_KEY).with_token(CVM_TOKEN)
}

#[tokio::test]
async fn the_first_source_with_credentials_wins_and_later_ones_are_not_asked() {
    let sts = FakeSts::builder().label("fromTKE").start().await;
    let metadata =
        FakeMetadata::start("scf-runner", cvm_credentials(), Duration::from_secs(3600)).await;
    let (home_all, home_tccli, home_empty) =
        (home(true, true), home(false, true), home(false, false));
    let token_dir = tempfile::tempdir().unwrap();
    let tke = tke_vars(token_dir.path(), &sts);
    let cvm = vars(&[("TENCENTCLOUD_METADATA_ENDPOINT", &metadata.url())]);
    let keys = vars(&[
        ("TENCENTCLOUD_SECRET_ID", ENV_ID),
        ("TENCENTCLOUD_SECRET_KEY", ENV_KEY),
    ]);
    let home_var = |dir: &TempDir| vars(&[("HOME", &text(dir.path()))]);

    // (which source, its variables, the secret id it gives, STS calls and metadata requests
    // seen by then)
    let cases = [
        (
            "environment",
            [keys, home_var(&home_all), tke.clone(), cvm.clone()].concat(),
            ENV_ID,
            0,
            0,
        ),
        (
            "profile",
            [home_var(&home_all), tke.clone(), cvm.clone()].concat(),
            PROFILE_ID,
            0,
            0,
        ),
        (
            "tccli",
            [home_var(&home_tccli), tke.clone(), cvm.clone()].concat(),
            TCCLI_ID,
            0,
            0,
        ),
        (
            "tke oidc",
            [home_var(&home_empty), tke, cvm.clone()].concat(),
            "AKIDfromTKE0001",
            1,
            0,
        ),
        (
            "cvm role",
            [home_var(&home_empty), cvm].concat(),
            CVM_ID,
            1,
            2,
        ),
    ];
    for (source, env, expected_id, sts_calls, metadata_requests) in cases {
        let chain = ChainProvider::default_chain_with_env(Environment::from_vars(env));
        let credentials = chain
            .provide_credentials()
            .await
            .unwrap_or_else(|e| panic!("{source}: {e}"));
        assert_eq!(credentials.secret_id(), expected_id, "{source}");
        assert_eq!(sts.calls().len(), sts_calls, "{source}: STS calls");
        assert_eq!(
            metadata.received().len(),
            metadata_requests,
            "{source}: metadata requests"
        );
        let shown = format!("{credentials:?} {chain:?}");
        assert_hides(source, &shown, &[credentials.secret_key()]);
        if let Some(token) = credentials.token() {
            assert_hides(source, &shown, &[token]);
        }
    }
    // What the TKE and CVM sources got is what the fakes handed out.
    let call = &sts.calls()[0];
    assert_eq!(call.issued.as_ref().unwrap().secret_id(), "AKIDfromTKE0001");
    assert_eq!(call.member("WebIdentityToken"), Some(OIDC_TOKEN));
    assert_eq!(call.region(), Some("ap-shanghai"));
    let paths: Vec<String> = metadata
        .received()
        .iter()
        .map(|r| r.request_line.clone())
        .collect();
    assert_eq!(
        paths,
        [
            format!("GET {ROLES_PATH} HTTP/1.1"),
            format!("GET {ROLES_PATH}scf-runner HTTP/1.1")
        ]
    );
    let cvm = ChainProvider::default_chain_with_env(Environment::from_vars(vars(&[
        ("HOME", &text(home_empty.path())),
        ("TENCENTCLOUD_METADATA_ENDPOINT", &metadata.url()),
    ])))
    .provide_credentials()
    .await
    .unwrap();
    assert_eq!(cvm.secret_key(), CVM_KEY);
    assert_eq!(cvm.token(), Some(CVM_TOKEN));
    assert!(cvm.expires_at().is_some());
}

#[tokio::test]
async fn a_present_but_broken_source_stops_the_chain() {
    let sts = FakeSts::builder().start().await;
    let metadata =
        FakeMetadata::start("scf-runner", cvm_credentials(), Duration::from_secs(3600)).await;
    let home = home(true, true);
    let token_dir = tempfile::tempdir().unwrap();
    let base = vars(&[
        ("HOME", &text(home.path())),
        ("TENCENTCLOUD_METADATA_ENDPOINT", &metadata.url()),
    ]);
    let tke = tke_vars(token_dir.path(), &sts);
    let without = |name: &str| -> Vec<(String, String)> {
        tke.iter().filter(|(k, _)| k != name).cloned().collect()
    };
    let empty_home = tempfile::tempdir().unwrap();
    let empty_base = vars(&[
        ("HOME", &text(empty_home.path())),
        ("TENCENTCLOUD_METADATA_ENDPOINT", &metadata.url()),
    ]);
    let missing_token = vars(&[(
        "TKE_WEB_IDENTITY_TOKEN_FILE",
        &text(&token_dir.path().join("no-such-token")),
    )]);
    // (what is broken, the variables, what the error must name)
    let cases = [
        (
            "half a key pair, before a valid profile",
            [vars(&[("TENCENTCLOUD_SECRET_KEY", ENV_KEY)]), base.clone()].concat(),
            "TENCENTCLOUD_SECRET_ID",
        ),
        (
            "three of the four TKE variables",
            [without("TKE_ROLE_ARN"), empty_base.clone()].concat(),
            "TKE_ROLE_ARN",
        ),
        (
            "three of the four TKE variables",
            [without("TKE_PROVIDER_ID"), empty_base.clone()].concat(),
            "TKE_PROVIDER_ID",
        ),
        (
            "a missing TKE token file",
            [
                without("TKE_WEB_IDENTITY_TOKEN_FILE"),
                missing_token,
                empty_base,
            ]
            .concat(),
            "no-such-token",
        ),
    ];
    for (broken, env, named) in cases {
        let error = ChainProvider::default_chain_with_env(Environment::from_vars(env))
            .provide_credentials()
            .await
            .expect_err(broken);
        assert_eq!(
            error.kind(),
            CredentialsErrorKind::Invalid,
            "{broken}: {error}"
        );
        assert!(error.to_string().contains(named), "{broken}: {error}");
        assert_error_hides(&error, &[ENV_KEY, PROFILE_KEY, TCCLI_KEY, OIDC_TOKEN]);
    }
    assert!(sts.calls().is_empty(), "{:#?}", sts.calls());
    assert!(metadata.received().is_empty(), "{:#?}", metadata.received());
}

#[tokio::test]
async fn nothing_found_lists_every_source() {
    let home = tempfile::tempdir().unwrap();
    let env = Environment::from_vars(vars(&[
        ("HOME", &text(home.path())),
        ("TENCENTCLOUD_METADATA_ENDPOINT", &closed_port_url().await),
    ]));
    let error = ChainProvider::default_chain_with_env(env)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::NotConfigured, "{error}");
    let message = error.to_string();
    for source in ["environment", "profile", "tccli", "tke oidc", "cvm role"] {
        assert!(
            message.contains(&format!("{source}: ")),
            "{source} missing from: {message}"
        );
    }
}

#[tokio::test]
async fn a_hung_metadata_service_does_not_hang_the_chain() {
    let hung = RawServer::start(Reply::Silent).await;
    let home = tempfile::tempdir().unwrap();
    let env = Environment::from_vars(vars(&[
        ("HOME", &text(home.path())),
        ("TENCENTCLOUD_METADATA_ENDPOINT", &hung.url()),
    ]));
    let chain = ChainProvider::default_chain_with_env(env);
    let started = Instant::now();
    let outcome = tokio::time::timeout(Duration::from_secs(10), chain.provide_credentials())
        .await
        .expect("the chain gave up on the hung metadata service within 10 s");
    let error = outcome.expect_err("nothing has credentials");
    assert!(started.elapsed() < Duration::from_secs(10));
    // The metadata service was asked (and never answered): the bound means something.
    assert_eq!(hung.received().len(), 1, "{:#?}", hung.received());
    assert!(error.to_string().contains("cvm role: "), "{error}");
    assert_eq!(error.kind(), CredentialsErrorKind::NotConfigured, "{error}");
}

#[tokio::test]
async fn a_client_inside_an_scf_function_uses_the_role_variables() {
    const ID: &str = "AKIDscfFUNCTIONROLE01";
    const KEY: &str = "scf-function-role-key";
    const TOKEN: &str = "scf-function-role-token";
    let scf = Server::builder()
        .secret_id(ID)
        .secret_key(KEY)
        .token(Some(TOKEN.to_owned()))
        .start()
        .await
        .unwrap();
    let home = tempfile::tempdir().unwrap();
    let closed = closed_port_url().await;
    let url = scf.url();
    let home_path = text(home.path());
    let function_env = vars(&[
        ("TENCENTCLOUD_SECRETID", ID),
        ("TENCENTCLOUD_SECRETKEY", KEY),
        ("TENCENTCLOUD_SESSIONTOKEN", TOKEN),
        ("TENCENTCLOUD_REGION", REGION),
        ("TENCENTCLOUD_ENDPOINT_URL", &url),
        ("HOME", &home_path),
        ("TENCENTCLOUD_METADATA_ENDPOINT", &closed),
    ]);
    let client_of = |env: Vec<(String, String)>| {
        ClientBuilder::from_environment(Environment::from_vars(env))
            .attempt_timeout(TEST_TIMEOUT)
            .retry_policy(RetryPolicy::disabled())
            .build()
            .unwrap()
    };

    let client = client_of(function_env.clone());
    assert_eq!(client.region(), Some(REGION));
    assert_hides("client Debug", &format!("{client:?}"), &[KEY, TOKEN]);
    client
        .list_functions()
        .send()
        .await
        .expect("signed with SCF's role variables");
    let request = only_request(&scf);
    assert_eq!(request.outcome, Outcome::Ok);
    assert_eq!(request.header("X-TC-Token"), Some(TOKEN));
    assert_eq!(request.header("X-TC-Region"), Some(REGION));
    assert!(
        request
            .header("Authorization")
            .unwrap()
            .starts_with(&format!("TC3-HMAC-SHA256 Credential={ID}/")),
        "{request:?}"
    );

    // Without the token variable the keys alone are sent, and scf-local refuses them.
    scf.clear_requests();
    let without_token = function_env
        .into_iter()
        .filter(|(k, _)| k != "TENCENTCLOUD_SESSIONTOKEN")
        .collect();
    let error = client_of(without_token)
        .list_functions()
        .send()
        .await
        .expect_err("scf-local expects the token");
    let request = only_request(&scf);
    assert_eq!(request.header("X-TC-Token"), None);
    let ErrorKind::Service(service) = error.kind() else {
        panic!("not a service error: {error:?}");
    };
    assert!(service.code.code().starts_with("AuthFailure"), "{error}");
    assert_eq!(
        request.outcome,
        Outcome::Error {
            code: service.code.code().to_owned()
        }
    );
    assert_error_hides(&error, &[KEY, TOKEN]);
}
