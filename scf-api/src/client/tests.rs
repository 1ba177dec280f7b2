//! Unit tests of the call path.

use super::*;
use crate::actions::GetFunctionLogsRequest;
use crate::{Credentials, RATE_LIMIT_WINDOW};

fn client(rate_limit: RateLimit) -> Client {
    Client::builder()
        .credentials(Credentials::new("AKIDtest", "secret"))
        .region("ap-guangzhou")
        .rate_limit(rate_limit)
        .build()
        .unwrap()
}

#[tokio::test(start_paused = true)]
async fn attempts_wait_their_turn_within_the_total_timeout() {
    let meta = <GetFunctionLogsRequest as Action>::META;
    let limit = meta.rate_limit.unwrap();
    let attempt = Duration::from_secs(30);
    let limited = client(RateLimit::Documented);
    // Clones share the limiter.
    let clone = limited.clone();
    let t0 = Instant::now();
    for i in 0..limit {
        let c = if i % 2 == 0 { &limited } else { &clone };
        assert_eq!(c.turn(&meta, None, attempt).await, Ok((attempt, None)));
    }
    assert_eq!(Instant::now(), t0, "a burst of the limit goes at once");
    // The next waits a window, and what is left of its total timeout shrinks by the wait.
    let total = RATE_LIMIT_WINDOW + Duration::from_secs(1);
    let deadline = Some((t0 + total, total));
    let turn = clone.turn(&meta, deadline, attempt).await;
    assert_eq!(Instant::now(), t0 + RATE_LIMIT_WINDOW);
    assert_eq!(turn, Ok((Duration::from_secs(1), Some(total))));
    // A turn after the deadline ends the call at once, without waiting.
    let full = client(RateLimit::Documented);
    for _ in 0..limit {
        full.turn(&meta, None, attempt).await.unwrap();
    }
    let now = Instant::now();
    let short = Duration::from_millis(100);
    let turn = full.turn(&meta, Some((now + short, short)), attempt).await;
    assert_eq!(turn, Err(short));
    assert_eq!(Instant::now(), now);
    // Without the limiter nothing waits.
    let free = client(RateLimit::Off);
    for _ in 0..limit * 3 {
        assert_eq!(free.turn(&meta, None, attempt).await, Ok((attempt, None)));
    }
    assert_eq!(Instant::now(), now);
}

#[test]
fn the_endpoint_is_kept_once_and_shown() {
    let c = Client::builder()
        .credentials(Credentials::new("AKIDtest", "secret"))
        .endpoint(crate::Endpoint::Url("http://127.0.0.1:9".into()))
        .build()
        .unwrap();
    assert_eq!(
        c.endpoint(),
        &crate::Endpoint::Url("http://127.0.0.1:9".into())
    );
    assert!(format!("{c:?}").contains("127.0.0.1:9"));
    let c = Client::builder()
        .credentials(Credentials::new("AKIDtest", "secret"))
        .endpoint(crate::Endpoint::Regional)
        .build()
        .unwrap();
    assert_eq!(c.endpoint(), &crate::Endpoint::Regional);
    assert_eq!(client(RateLimit::Off).endpoint(), &crate::Endpoint::Nearest);
}

#[test]
fn signed_offsets() {
    let t = std::time::UNIX_EPOCH + Duration::from_secs(1_000_000);
    assert_eq!(signed_secs_between(t, t + Duration::from_secs(600)), 600);
    assert_eq!(signed_secs_between(t, t - Duration::from_secs(600)), -600);
    assert_eq!(signed_secs_between(t, t), 0);
}
