//! The client-side rate limiter (`RateLimit::Documented`) against scf-local enforcing the
//! spec's rate limits (one counter per action and second): a burst stays within the documented
//! limit and is never throttled, takes at least the time the limit implies, counts retries,
//! and gives up at once when its turn would come after the total timeout. Without the limiter
//! the same burst is throttled. Only lower bounds on elapsed time are asserted.

use std::time::{Duration, Instant};

use scf_api::actions::GetFunctionLogsRequest;
use scf_api::{Action, Client, ErrorKind, RATE_LIMIT_WINDOW, RateLimit, RetryPolicy, TimeoutKind};
use scf_api_tests::{REGION, builder_for};
use scf_local::{Fault, Server};

/// GetFunctionLogs' documented limit, from the spec: a low one (5 per second).
fn documented_limit() -> u32 {
    let limit = <GetFunctionLogsRequest as Action>::META.rate_limit;
    limit.expect("the spec documents GetFunctionLogs' rate limit")
}

async fn enforcing_server() -> Server {
    Server::builder()
        .examples_only()
        .enforce_rate_limits(true)
        .start()
        .await
        .expect("server starts")
}

fn client(server: &Server, rate_limit: RateLimit) -> Client {
    builder_for(server)
        .region(REGION)
        .rate_limit(rate_limit)
        .build()
        .expect("valid configuration")
}

async fn get_logs(
    client: &Client,
) -> Result<(), scf_api::Error<scf_api::actions::GetFunctionLogsError>> {
    client
        .get_function_logs()
        .function_name("f")
        .send()
        .await
        .map(drop)
}

#[tokio::test]
async fn a_burst_within_the_documented_limit_is_never_throttled_and_takes_its_time() {
    let server = enforcing_server().await;
    // Retries are off (builder_for): a throttled call would fail.
    let limited = client(&server, RateLimit::Documented);
    let limit = documented_limit();
    let windows = 2;
    let calls = limit * windows + 1;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..calls {
        // Clones share the limiter.
        let client = limited.clone();
        tasks.push(tokio::spawn(async move { get_logs(&client).await }));
    }
    for task in tasks {
        let result = task.await.expect("task completes");
        assert!(result.is_ok(), "throttled or failed: {result:?}");
    }
    // The last call could start no earlier than `windows` windows after the first.
    let elapsed = started.elapsed();
    assert!(
        elapsed >= RATE_LIMIT_WINDOW * windows,
        "{calls} calls at {limit}/s took {elapsed:?}"
    );
    assert_eq!(server.requests().len(), calls as usize);
}

#[tokio::test]
async fn without_the_limiter_the_same_burst_is_throttled() {
    let server = enforcing_server().await;
    let unlimited = client(&server, RateLimit::Off);
    let limit = documented_limit();
    // More calls than the limit, one after the other, until one is throttled: as long as
    // they are sent faster than the limit allows, one is.
    let mut throttled = None;
    for _ in 0..limit * 10 {
        if let Err(e) = get_logs(&unlimited).await {
            throttled = Some(e);
            break;
        }
    }
    let e = throttled.expect("a call over the limit is throttled");
    assert!(e.is_throttled(), "{e}");
    assert!(matches!(e.kind(), ErrorKind::Throttled(_)), "{e}");
}

#[tokio::test]
async fn retries_count_against_the_limit() {
    let server = enforcing_server().await;
    let limit = documented_limit();
    // The first `limit` attempts are answered with a retryable error; the attempt after them
    // needs a new window.
    for _ in 0..limit {
        server.push_fault(Fault::service_error("RequestLimitExceeded", "injected"));
    }
    let client = builder_for(&server)
        .region(REGION)
        .rate_limit(RateLimit::Documented)
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(limit + 1)
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(1)),
        )
        .build()
        .expect("valid configuration");
    let started = Instant::now();
    get_logs(&client).await.expect("the last attempt succeeds");
    let elapsed = started.elapsed();
    assert!(elapsed >= RATE_LIMIT_WINDOW, "took {elapsed:?}");
    assert_eq!(server.requests().len(), limit as usize + 1);
}

#[tokio::test]
async fn a_turn_after_the_total_timeout_fails_at_once() {
    let server = enforcing_server().await;
    let limit = documented_limit();
    let client = builder_for(&server)
        .region(REGION)
        .rate_limit(RateLimit::Documented)
        .total_timeout(RATE_LIMIT_WINDOW / 2)
        .build()
        .expect("valid configuration");
    for _ in 0..limit {
        get_logs(&client).await.expect("within the limit");
    }
    let e = get_logs(&client)
        .await
        .expect_err("its turn is after the deadline");
    assert!(
        matches!(e.kind(), ErrorKind::Timeout(t) if t.kind == TimeoutKind::Total),
        "{e}"
    );
    assert_eq!(e.attempts(), 0);
    assert_eq!(
        server.requests().len(),
        limit as usize,
        "nothing more was sent"
    );
    // The refused call reserved nothing: once the window has passed, calls go again.
    tokio::time::sleep(RATE_LIMIT_WINDOW).await;
    get_logs(&client).await.expect("a new window");
}

#[tokio::test]
async fn actions_have_separate_limits() {
    let server = enforcing_server().await;
    let client = client(&server, RateLimit::Documented);
    let limit = documented_limit();
    for _ in 0..limit {
        get_logs(&client).await.expect("within the limit");
    }
    // GetFunctionLogs' window is full; another action is not held back by it (and, with
    // retries off, is not throttled either).
    client
        .get_function()
        .function_name("f")
        .send()
        .await
        .expect("another action");
    assert_eq!(server.requests().len(), limit as usize + 1);
}
