//! Tracing: one span per call with its action, region, attempt, request id and latency, debug
//! events for retries and clock corrections, and never a secret, in logs or in `Debug`.

use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use scf_api::credentials::{ChainProvider, CredentialsCache};
use scf_api::{Client, ClientBuilder, Credentials, Endpoint, Environment, RetryPolicy};
use scf_local::{Fault, Server};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

const SECRET_ID: &str = "AKIDobservabilitytest0000000000001";
const SECRET_KEY: &str = "observability-secret-key-value-42";
const TOKEN: &str = "observability-session-token-value-7";

/// Collects everything the subscriber writes.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Capture {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[track_caller]
fn assert_no_secret(what: &str, text: &str) {
    for secret in [SECRET_KEY, TOKEN, SECRET_ID] {
        assert!(!text.contains(secret), "{what} shows a secret:\n{text}");
    }
}

#[tokio::test]
async fn logs_describe_calls_and_never_show_secrets() {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(capture.clone())
        .finish();
    // The test runs on one thread (current-thread runtime), so a thread-local default sees all.
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = Server::builder()
        .examples_only()
        .secret_id(SECRET_ID)
        .secret_key(SECRET_KEY)
        .token(Some(TOKEN.into()))
        .clock_offset_secs(600)
        .start()
        .await
        .unwrap();
    let credentials = Credentials::new(SECRET_ID, SECRET_KEY).with_token(TOKEN);
    let client = Client::builder()
        .credentials(credentials.clone())
        .endpoint(Endpoint::Url(server.url()))
        .region("ap-guangzhou")
        .retry_policy(
            RetryPolicy::default()
                .with_initial_backoff(Duration::from_millis(5))
                .with_max_backoff(Duration::from_millis(10)),
        )
        .build()
        .unwrap();

    // A clock correction, then a throttled attempt and a retry, then success.
    server.push_fault(Fault::service_error("RequestLimitExceeded", "slow down"));
    client
        .get_function()
        .function_name("with-secrets")
        .send()
        .await
        .expect("corrected, retried, then answered");
    // A service error.
    server.push_fault(Fault::service_error("ResourceNotFound.Function", "no such"));
    let service_err = client
        .get_function()
        .function_name("missing")
        .send()
        .await
        .expect_err("not found");
    // A credentials error from an environment with half a key pair.
    let env = Environment::from_vars([
        ("TENCENTCLOUD_SECRET_ID", SECRET_ID),
        ("TENCENTCLOUD_TOKEN", TOKEN),
        ("TENCENTCLOUD_ENDPOINT_URL", "http://127.0.0.1:9"),
    ]);
    let half = ClientBuilder::from_environment(env.clone())
        .build()
        .unwrap();
    let cred_err = half
        .get_async_event_status()
        .invoke_request_id("e")
        .send()
        .await
        .expect_err("no secret key");

    let log = capture.text();
    let requests = server.requests();
    assert_eq!(requests.len(), 4, "{requests:#?}");
    for needle in [
        "scf_api.call",
        "action=\"GetFunction\"",
        "region=\"ap-guangzhou\"",
        "attempts=3",
        "scf_api.attempt{attempt=2}",
        "latency_ms=",
        "status=\"ok\"",
        "status=\"error\"",
        "retrying",
        "clock_offset_secs=",
        "call failed",
        "RequestLimitExceeded",
    ] {
        assert!(log.contains(needle), "the log lacks {needle:?}:\n{log}");
    }
    let last_id = requests[2].request_id.clone().unwrap();
    let throttled_id = requests[1].request_id.clone().unwrap();
    assert!(
        log.contains(&format!("request_id=\"{throttled_id}\"")),
        "the retry event names the throttled request {throttled_id}:\n{log}"
    );
    assert!(
        log.contains(&format!("request_id=\"{last_id}\"")),
        "the span records the request id {last_id}:\n{log}"
    );
    assert!(
        !log.contains("with-secrets"),
        "request bodies are never logged:\n{log}"
    );
    assert_no_secret("the log", &log);

    // Debug and Display of everything a user might print.
    let cache = CredentialsCache::new(Arc::new(credentials.clone()));
    cache.get().await.unwrap();
    for (what, text) in [
        ("client", format!("{client:?} {half:?}")),
        ("credentials", format!("{credentials:?} {credentials}")),
        ("cache", format!("{cache:?}")),
        (
            "chain",
            format!("{:?}", ChainProvider::default_chain_with_env(env.clone())),
        ),
        ("environment", format!("{env:?}")),
        (
            "builder",
            format!("{:?}", Client::builder().credentials(credentials.clone())),
        ),
        ("service error", format!("{service_err:?} {service_err}")),
        ("credentials error", format!("{cred_err:?} {cred_err}")),
    ] {
        assert_no_secret(what, &text);
    }
}
