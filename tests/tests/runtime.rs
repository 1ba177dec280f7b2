//! The production runtime end to end over 127.0.0.1: retries and what is never re-sent,
//! timeouts, clock-skew correction, credential sources and refreshing providers, compressed
//! answers, proxies, request tagging, and logs without secrets.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use scf_api::credentials::{CredentialsErrorKind, ProvideCredentials, ProvideFuture};
use scf_api::{
    CallOptions, Client, ClientBuilder, Credentials, Endpoint, Environment, ErrorKind, RetryPolicy,
    TimeoutKind,
};
use scf_api_tests::raw::{RawServer, Reply};
use scf_api_tests::{REGION, builder_for, recorded_id};
use scf_local::{Fault, Outcome, Server};

/// A retry policy whose waits are short enough for tests.
fn quick_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(max_attempts)
        .with_initial_backoff(Duration::from_millis(10))
        .with_max_backoff(Duration::from_millis(40))
}

/// A client of `server` with the default retry rules (3 attempts) and short waits (the shared
/// test builder disables retries; this one turns them back on).
fn retrying_client(server: &Server) -> Client {
    builder_for(server)
        .region(REGION)
        .retry_policy(quick_retries(3))
        .build()
        .expect("valid configuration")
}

fn outcomes(server: &Server) -> Vec<Option<String>> {
    server
        .requests()
        .iter()
        .map(|r| r.outcome.error_code().map(str::to_owned))
        .collect()
}

async fn get_function(client: &Client) -> Result<(), scf_api::Error<impl scf_api::ErrorCode>> {
    client
        .get_function()
        .function_name("hello")
        .send()
        .await
        .map(drop)
}

async fn invoke(client: &Client) -> Result<(), scf_api::Error<impl scf_api::ErrorCode>> {
    client
        .invoke()
        .function_name("hello")
        .send()
        .await
        .map(drop)
}

// ---------------------------------------------------------------------------------------------
// Retries

#[tokio::test]
async fn throttled_invoke_is_retried_until_it_succeeds() {
    let server = Server::builder().examples_only().start().await.unwrap();
    server.push_fault(Fault::service_error("RequestLimitExceeded", "slow down"));
    server.push_fault(Fault::service_error(
        "RequestLimitExceeded.UinLimitExceeded",
        "slow down",
    ));
    // Invoke is not safe to repeat, but a throttled request was never processed.
    invoke(&retrying_client(&server))
        .await
        .expect("the third attempt succeeds");
    assert_eq!(
        outcomes(&server),
        [
            Some("RequestLimitExceeded".to_owned()),
            Some("RequestLimitExceeded.UinLimitExceeded".to_owned()),
            None
        ]
    );
}

#[tokio::test]
async fn retries_are_bounded_and_reported() {
    let server = Server::builder().examples_only().start().await.unwrap();
    for _ in 0..5 {
        server.push_fault(Fault::service_error("RequestLimitExceeded", "slow down"));
    }
    let err = get_function(&retrying_client(&server))
        .await
        .expect_err("every attempt is throttled");
    assert_eq!(server.requests().len(), 3, "the policy allows 3 attempts");
    assert!(err.is_throttled(), "{err:?}");
    assert!(matches!(err.kind(), ErrorKind::Throttled(_)));
    assert_eq!(
        err.code().map(scf_api::ErrorCode::code),
        Some("RequestLimitExceeded")
    );
    assert_eq!(err.attempts(), 3);
    assert!(err.is_retryable());
    let last = server.requests().pop().unwrap();
    assert_eq!(err.request_id(), Some(recorded_id(&last).as_str()));
    assert_eq!(
        err.to_string(),
        format!(
            "GetFunction: throttled (RequestLimitExceeded): slow down (request id {}) after 3 attempts",
            recorded_id(&last)
        )
    );
}

#[tokio::test]
async fn invoke_is_never_resent_after_a_dropped_connection() {
    let server = Server::builder().examples_only().start().await.unwrap();
    server.push_fault(Fault::DropConnection);
    let err = invoke(&retrying_client(&server))
        .await
        .expect_err("the connection was dropped");
    assert!(
        matches!(err.kind(), ErrorKind::ConnectionClosed(_)),
        "{err:?}"
    );
    assert_eq!(
        server.requests().len(),
        1,
        "the service may have run the function: it must not run twice"
    );
    assert_eq!(err.attempts(), 1);
    assert!(!err.is_retryable());

    // A read is safe to repeat: the same failure is retried.
    server.clear_requests();
    server.push_fault(Fault::DropConnection);
    get_function(&retrying_client(&server))
        .await
        .expect("the second attempt succeeds");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn internal_errors_are_retried_only_for_safe_actions() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let client = retrying_client(&server);
    server.push_fault(Fault::service_error("InternalError", "oops"));
    get_function(&client)
        .await
        .expect("a read is retried after InternalError");
    assert_eq!(outcomes(&server), [Some("InternalError".to_owned()), None]);

    server.clear_requests();
    server.push_fault(Fault::service_error("InternalError", "oops"));
    let err = client
        .create_namespace()
        .namespace("ns")
        .send()
        .await
        .expect_err("a create is not repeated");
    assert_eq!(server.requests().len(), 1);
    assert!(!err.is_retryable());
    assert_eq!(err.attempts(), 1);

    // Errors retrying cannot fix are not retried, even for reads.
    server.clear_requests();
    server.push_fault(Fault::service_error("ResourceNotFound.Function", "no such"));
    let err = get_function(&client).await.expect_err("not found");
    assert_eq!(server.requests().len(), 1);
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn gateway_statuses_follow_the_same_rules() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let client = retrying_client(&server);
    server.push_fault(Fault::raw(503, "text/html", "<html>busy</html>"));
    get_function(&client)
        .await
        .expect("a read is retried after 503");
    assert_eq!(server.requests().len(), 2);

    server.clear_requests();
    server.push_fault(Fault::raw(502, "text/html", "<html>bad gateway</html>"));
    let err = invoke(&client).await.expect_err("Invoke is not repeated");
    assert!(matches!(err.kind(), ErrorKind::Http(h) if h.status == 502));
    assert_eq!(server.requests().len(), 1);

    server.clear_requests();
    server.push_fault(Fault::raw(429, "text/plain", "too many requests"));
    invoke(&client)
        .await
        .expect("429 means refused unprocessed: retried");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn per_call_retry_policy_overrides_the_client() {
    let server = Server::builder().examples_only().start().await.unwrap();
    server.push_fault(Fault::service_error("RequestLimitExceeded", "slow down"));
    let err = retrying_client(&server)
        .get_function()
        .function_name("hello")
        .options(CallOptions::new().retry_policy(RetryPolicy::disabled()))
        .send()
        .await
        .expect_err("one attempt only");
    assert_eq!(server.requests().len(), 1);
    assert!(err.is_retryable(), "retrying could still help");
}

// ---------------------------------------------------------------------------------------------
// Timeouts

#[tokio::test]
async fn total_timeout_holds_against_a_server_that_never_answers() {
    let silent = RawServer::start(Reply::Silent).await;
    let client = Client::builder()
        .credentials(Credentials::new("AKIDtest", "key"))
        .endpoint(Endpoint::Url(silent.url()))
        .region(REGION)
        .attempt_timeout(Duration::from_secs(60))
        .total_timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = invoke(&client).await.expect_err("no answer ever comes");
    let took = started.elapsed();
    match err.kind() {
        ErrorKind::Timeout(t) => {
            assert_eq!(t.kind, TimeoutKind::Total);
            assert_eq!(t.timeout, Duration::from_millis(400));
        }
        other => panic!("expected a total timeout, got {other:?}"),
    }
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert_eq!(silent.received().len(), 1);
    assert!(!err.is_retryable());

    // A read with a short attempt timeout is tried again until the total timeout.
    let client = Client::builder()
        .credentials(Credentials::new("AKIDtest", "key"))
        .endpoint(Endpoint::Url(silent.url()))
        .region(REGION)
        .attempt_timeout(Duration::from_millis(150))
        .total_timeout(Duration::from_millis(1200))
        .retry_policy(quick_retries(100))
        .build()
        .unwrap();
    let before = silent.received().len();
    let err = get_function(&client).await.expect_err("no answer");
    let sent = silent.received().len() - before;
    assert!(sent >= 2, "sent {sent} attempts");
    assert!(
        matches!(err.kind(), ErrorKind::Timeout(t) if t.kind == TimeoutKind::Total),
        "{err:?}"
    );
    assert!(err.attempts() >= 2);
    assert_eq!(
        err.previous_error(),
        Some("attempt timeout of 150ms expired"),
        "{err}"
    );
}

#[tokio::test]
async fn synchronous_invocations_get_a_long_attempt_timeout() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let client = builder_for(&server)
        .region(REGION)
        .attempt_timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    // An ordinary action times out after 300 ms...
    server.push_fault(Fault::Delay(Duration::from_millis(900)));
    let err = get_function(&client).await.expect_err("too slow");
    assert!(
        matches!(err.kind(), ErrorKind::Timeout(t) if t.kind == TimeoutKind::Attempt && t.timeout == Duration::from_millis(300)),
        "{err:?}"
    );
    // ...while Invoke waits for the function (up to its documented 300 s plus a margin).
    server.push_fault(Fault::Delay(Duration::from_millis(900)));
    invoke(&client).await.expect("Invoke waits");
    // A per-call timeout still applies to it.
    server.push_fault(Fault::Delay(Duration::from_millis(900)));
    let err = client
        .invoke()
        .function_name("hello")
        .options(CallOptions::new().attempt_timeout(Duration::from_millis(200)))
        .send()
        .await
        .expect_err("the per-call timeout is shorter");
    assert!(err.is_timeout());
}

// ---------------------------------------------------------------------------------------------
// Clock skew

#[tokio::test]
async fn clock_skew_of_ten_minutes_is_corrected() {
    for offset in [600i64, -600] {
        let server = Server::builder()
            .examples_only()
            .clock_offset_secs(offset)
            .start()
            .await
            .unwrap();
        let client = retrying_client(&server);
        assert_eq!(client.clock_offset_secs(), 0);
        // Invoke too: the first request was rejected before being processed.
        invoke(&client).await.expect("corrected and sent again");
        assert_eq!(
            outcomes(&server),
            [Some("AuthFailure.SignatureExpire".to_owned()), None],
            "offset {offset}"
        );
        let learned = client.clock_offset_secs();
        assert!(
            (learned - offset).abs() <= 2,
            "learned {learned} for {offset}"
        );
        // Later calls use the offset from the start.
        server.clear_requests();
        get_function(&client).await.unwrap();
        assert_eq!(outcomes(&server), [None]);
        let ts: i64 = server.requests()[0]
            .header("X-TC-Timestamp")
            .unwrap()
            .parse()
            .unwrap();
        let local = i64::try_from(scf_api_tests::now_unix()).unwrap();
        assert!((ts - local - offset).abs() <= 2, "timestamp {ts}");
    }
}

#[tokio::test]
async fn clock_skew_is_corrected_only_once_per_call() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let client = builder_for(&server)
        .region(REGION)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    for _ in 0..2 {
        server.push_fault(Fault::service_error(
            "AuthFailure.SignatureExpire",
            "expired",
        ));
    }
    let err = invoke(&client).await.expect_err("still expired");
    assert_eq!(server.requests().len(), 2);
    assert_eq!(err.attempts(), 2);
    assert_eq!(
        err.code().map(scf_api::ErrorCode::code),
        Some("AuthFailure.SignatureExpire")
    );
}

// ---------------------------------------------------------------------------------------------
// Credentials

/// A provider that counts its calls and takes a while, like a metadata or STS request.
#[derive(Debug)]
struct SlowProvider {
    calls: AtomicUsize,
    credentials: Credentials,
}

impl ProvideCredentials for SlowProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            self.calls.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(50)).await;
            Ok(self.credentials.clone())
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn refreshing_provider_is_called_once_by_100_concurrent_calls() {
    let server = Server::builder()
        .examples_only()
        .token(Some("session-token-1".into()))
        .start()
        .await
        .unwrap();
    let provider = Arc::new(SlowProvider {
        calls: AtomicUsize::new(0),
        credentials: Credentials::new(server.secret_id(), server.secret_key())
            .with_token("session-token-1")
            .with_expiry(SystemTime::now() + Duration::from_secs(3600)),
    });
    let client = Client::builder()
        .credentials_provider(provider.clone())
        .endpoint(Endpoint::Url(server.url()))
        .region(REGION)
        .build()
        .unwrap();
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..100 {
        let client = client.clone();
        calls.spawn(async move {
            client
                .get_function()
                .function_name("hello")
                .send()
                .await
                .map(drop)
                .map_err(|e| e.to_string())
        });
    }
    while let Some(result) = calls.join_next().await {
        result.unwrap().expect("every call succeeds");
    }
    assert_eq!(provider.calls.load(Ordering::SeqCst), 1);
    let requests = server.requests();
    assert_eq!(requests.len(), 100);
    assert!(
        requests
            .iter()
            .all(|r| r.outcome == Outcome::Ok && r.header("X-TC-Token") == Some("session-token-1"))
    );
}

#[tokio::test]
async fn expiring_credentials_are_refreshed() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let provider = Arc::new(SlowProvider {
        calls: AtomicUsize::new(0),
        // Inside the default 5-minute refresh window: every call refreshes.
        credentials: Credentials::new(server.secret_id(), server.secret_key())
            .with_expiry(SystemTime::now() + Duration::from_secs(60)),
    });
    let client = Client::builder()
        .credentials_provider(provider.clone())
        .endpoint(Endpoint::Url(server.url()))
        .region(REGION)
        .build()
        .unwrap();
    get_function(&client).await.unwrap();
    get_function(&client).await.unwrap();
    assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn session_token_is_sent_as_x_tc_token() {
    let server = Server::builder()
        .examples_only()
        .token(Some("tok-123".into()))
        .start()
        .await
        .unwrap();
    let with_token = Client::builder()
        .credentials(
            Credentials::new(server.secret_id(), server.secret_key()).with_token("tok-123"),
        )
        .endpoint(Endpoint::Url(server.url()))
        .region(REGION)
        .build()
        .unwrap();
    get_function(&with_token).await.expect("token accepted");
    assert_eq!(server.requests()[0].header("X-TC-Token"), Some("tok-123"));

    let without = builder_for(&server).region(REGION).build().unwrap();
    let err = get_function(&without).await.expect_err("token required");
    assert_eq!(
        err.code().map(scf_api::ErrorCode::code),
        Some("AuthFailure.TokenFailure")
    );
}

#[tokio::test]
async fn environment_configures_credentials_region_and_endpoint() {
    let server = Server::builder()
        .examples_only()
        .token(Some("env-token".into()))
        .start()
        .await
        .unwrap();
    for token_var in ["TENCENTCLOUD_TOKEN", "TENCENTCLOUD_SESSION_TOKEN"] {
        server.clear_requests();
        let env = Environment::from_vars([
            (
                "TENCENTCLOUD_SECRET_ID",
                format!("  {}\n", server.secret_id()),
            ),
            (
                "TENCENTCLOUD_SECRET_KEY",
                format!("{}\n", server.secret_key()),
            ),
            (token_var, " env-token ".to_owned()),
            ("TENCENTCLOUD_REGION", "ap-shanghai".to_owned()),
            ("TENCENTCLOUD_ENDPOINT_URL", server.url()),
        ]);
        let client = ClientBuilder::from_environment(env).build().unwrap();
        get_function(&client)
            .await
            .unwrap_or_else(|e| panic!("{token_var}: {e}"));
        let rec = &server.requests()[0];
        assert_eq!(rec.outcome, Outcome::Ok);
        assert_eq!(rec.header("X-TC-Region"), Some("ap-shanghai"));
        assert_eq!(rec.header("X-TC-Token"), Some("env-token"));
    }

    // Only half a key pair is an error that names the problem, and nothing is sent.
    server.clear_requests();
    let env = Environment::from_vars([
        ("TENCENTCLOUD_SECRET_ID", server.secret_id().to_owned()),
        ("TENCENTCLOUD_ENDPOINT_URL", server.url()),
        ("TENCENTCLOUD_REGION", REGION.to_owned()),
    ]);
    let err = get_function(&ClientBuilder::from_environment(env).build().unwrap())
        .await
        .expect_err("no secret key");
    match err.kind() {
        ErrorKind::Credentials(c) => {
            assert_eq!(c.kind(), CredentialsErrorKind::Invalid);
            assert!(c.to_string().contains("TENCENTCLOUD_SECRET_KEY"), "{c}");
        }
        other => panic!("expected a credentials error, got {other:?}"),
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn profile_file_supplies_credentials() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir(home.path().join(".tencentcloud")).unwrap();
    std::fs::write(
        home.path().join(".tencentcloud/credentials"),
        format!(
            "# test profiles\n[default]\nsecret_id = AKIDdefaultprofile000000\nsecret_key = wrong\n\n\
             [ci]\nsecret_id = {}\nsecret_key = {}\n",
            server.secret_id(),
            server.secret_key()
        ),
    )
    .unwrap();
    let home_dir = home.path().to_str().unwrap().to_owned();
    let env = Environment::from_vars([
        ("HOME", home_dir.clone()),
        ("TENCENTCLOUD_PROFILE", "ci".to_owned()),
        ("TENCENTCLOUD_ENDPOINT_URL", server.url()),
        ("TENCENTCLOUD_REGION", REGION.to_owned()),
    ]);
    get_function(&ClientBuilder::from_environment(env).build().unwrap())
        .await
        .expect("the ci profile signs");
    assert_eq!(server.requests()[0].outcome, Outcome::Ok);

    // The default profile is used without TENCENTCLOUD_PROFILE (here: a wrong key).
    server.clear_requests();
    let env = Environment::from_vars([
        ("HOME", home_dir.clone()),
        ("TENCENTCLOUD_ENDPOINT_URL", server.url()),
        ("TENCENTCLOUD_REGION", REGION.to_owned()),
    ]);
    let err = get_function(&ClientBuilder::from_environment(env).build().unwrap())
        .await
        .expect_err("the default profile's id is unknown to the server");
    assert_eq!(
        err.code().map(scf_api::ErrorCode::code),
        Some("AuthFailure.SecretIdNotFound")
    );

    // Environment variables come before the profile file.
    server.clear_requests();
    let env = Environment::from_vars([
        ("HOME", home_dir),
        ("TENCENTCLOUD_SECRET_ID", server.secret_id().to_owned()),
        ("TENCENTCLOUD_SECRET_KEY", server.secret_key().to_owned()),
        ("TENCENTCLOUD_ENDPOINT_URL", server.url()),
        ("TENCENTCLOUD_REGION", REGION.to_owned()),
    ]);
    get_function(&ClientBuilder::from_environment(env).build().unwrap())
        .await
        .expect("environment wins");
}

/// Set in the environment of the child process of `from_env_reads_the_process_environment`.
const CHILD_MARKER: &str = "SCF_API_TESTS_FROM_ENV_CHILD";

#[tokio::test]
async fn from_env_reads_the_process_environment() {
    if std::env::var_os(CHILD_MARKER).is_some() {
        // In the child: configured only by the real process environment.
        let client = Client::from_env().expect("valid environment");
        get_function(&client).await.expect("the call succeeds");
        return;
    }
    let server = Server::builder()
        .examples_only()
        .token(Some("process-token".into()))
        .start()
        .await
        .unwrap();
    let exe = std::env::current_exe().unwrap();
    let mut command = std::process::Command::new(exe);
    command
        .args([
            "--exact",
            "from_env_reads_the_process_environment",
            "--nocapture",
            "--test-threads=1",
        ])
        .env_clear()
        .env(CHILD_MARKER, "1")
        .env("TENCENTCLOUD_SECRET_ID", server.secret_id())
        .env(
            "TENCENTCLOUD_SECRET_KEY",
            format!(" {} ", server.secret_key()),
        )
        .env("TENCENTCLOUD_SESSION_TOKEN", "process-token")
        .env("TENCENTCLOUD_REGION", "ap-chengdu")
        .env("TENCENTCLOUD_ENDPOINT_URL", server.url());
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap();
    assert!(
        output.status.success(),
        "child failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "the child made the call");
    assert_eq!(requests[0].outcome, Outcome::Ok);
    assert_eq!(requests[0].header("X-TC-Region"), Some("ap-chengdu"));
    assert_eq!(requests[0].header("X-TC-Token"), Some("process-token"));
}

// ---------------------------------------------------------------------------------------------
// Transport details

fn envelope(request_id: &str) -> Vec<u8> {
    format!(
        r#"{{"Response":{{"Result":{{"Status":"FINISHED","StatusCode":200,"InvokeRequestId":"e"}},"RequestId":"{request_id}"}}}}"#
    )
    .into_bytes()
}

#[tokio::test]
async fn gzip_and_deflate_answers_are_decoded() {
    use std::io::Write;
    for (encoding, body) in [
        ("gzip", {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(&envelope("gz-1")).unwrap();
            e.finish().unwrap()
        }),
        ("deflate", {
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(&envelope("df-1")).unwrap();
            e.finish().unwrap()
        }),
    ] {
        let server = RawServer::start(Reply::Answer {
            status: "200 OK",
            headers: vec![
                ("Content-Type".into(), "application/json".into()),
                ("Content-Encoding".into(), encoding.into()),
            ],
            body,
        })
        .await;
        let client = Client::builder()
            .credentials(Credentials::new("AKIDtest", "key"))
            .endpoint(Endpoint::Url(server.url()))
            .build()
            .unwrap();
        let out = client
            .get_async_event_status()
            .invoke_request_id("e")
            .send()
            .await
            .unwrap_or_else(|e| panic!("{encoding}: {e}"));
        assert_eq!(out.result.status, "FINISHED");
        let accept = server.received()[0]
            .header("accept-encoding")
            .unwrap_or_default()
            .to_owned();
        assert!(accept.contains(encoding), "Accept-Encoding: {accept}");
    }
}

#[tokio::test]
async fn proxy_receives_the_request() {
    let proxy = RawServer::start(Reply::Answer {
        status: "200 OK",
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: envelope("via-proxy"),
    })
    .await;
    // Nothing listens on the endpoint; only the proxy can answer.
    let client = Client::builder()
        .credentials(Credentials::new("AKIDtest", "key"))
        .endpoint(Endpoint::Url("http://127.0.0.1:9".into()))
        .proxy(proxy.url())
        .build()
        .unwrap();
    client
        .get_async_event_status()
        .invoke_request_id("e")
        .send()
        .await
        .expect("the proxy answers");
    let received = proxy.received();
    assert_eq!(received.len(), 1);
    assert_eq!(
        received[0].request_line,
        "POST http://127.0.0.1:9/ HTTP/1.1"
    );
    assert_eq!(received[0].header("host"), Some("127.0.0.1:9"));
}

#[tokio::test]
async fn request_client_and_language_headers() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let client = builder_for(&server)
        .region(REGION)
        .language(scf_api::Language::EnUs)
        .request_client("billing-job 2.1")
        .build()
        .unwrap();
    get_function(&client).await.unwrap();
    let rec = &server.requests()[0];
    assert_eq!(
        rec.header("X-TC-RequestClient"),
        Some(concat!(
            "SDK_RUST_SCF_",
            env!("CARGO_PKG_VERSION"),
            ",billing-job 2.1"
        ))
    );
    assert_eq!(rec.header("X-TC-Language"), Some("en-US"));
}
