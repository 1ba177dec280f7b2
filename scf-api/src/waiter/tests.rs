//! Tests of the parent module.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use super::*;
use crate::error::{ErrorKind, TimeoutError, TimeoutKind};

#[derive(Debug, Clone, PartialEq, Eq)]
struct Code;

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Code")
    }
}

impl ErrorCode for Code {
    fn from_code(_: &str) -> Self {
        Code
    }

    fn code(&self) -> &str {
        "Code"
    }
}

const DEF: WaiterDef = WaiterDef {
    name: "Demo",
    success: &["DONE"],
    failure: &["FAILED"],
    min_delay: Duration::from_secs(1),
    max_delay: Duration::from_secs(8),
    default_timeout: Duration::from_secs(60),
};

#[allow(clippy::ptr_arg)] // the waiter's output type is `String` here
fn state(s: &String) -> Option<&str> {
    Some(s.as_str())
}

/// When each poll happened.
type Times = Arc<Mutex<Vec<Instant>>>;

/// A poll function answering `states` in turn (the last one forever), recording when each
/// poll happened.
fn script(
    states: &[&str],
) -> (
    impl FnMut() -> std::future::Ready<Result<String, Error<Code>>>,
    Times,
) {
    let mut states: VecDeque<String> = states.iter().map(|s| s.to_string()).collect();
    let times = Arc::new(Mutex::new(Vec::new()));
    let seen = times.clone();
    let poll = move || {
        seen.lock().unwrap().push(Instant::now());
        let s = if states.len() > 1 {
            states.pop_front().unwrap()
        } else {
            states[0].clone()
        };
        std::future::ready(Ok(s))
    };
    (poll, times)
}

#[tokio::test(start_paused = true)]
async fn polls_with_growing_jittered_delays_until_success() {
    let (poll, times) = script(&["", "RUNNING", "RUNNING", "RUNNING", "RUNNING", "DONE"]);
    let waited = poll_until(&DEF, WaiterConfig::new(), state, poll)
        .await
        .unwrap();
    assert_eq!(waited.state, "DONE");
    assert!(waited.success);
    assert_eq!(waited.polls, 6);
    let times = times.lock().unwrap();
    let gaps: Vec<Duration> = times.windows(2).map(|w| w[1] - w[0]).collect();
    // Bounds of each wait: [1 s, min(8 s, 2^(n-1) s)].
    let ceilings = [1, 2, 4, 8, 8];
    for (gap, ceiling) in gaps.iter().zip(ceilings) {
        assert!(*gap >= Duration::from_secs(1), "{gaps:?}");
        assert!(*gap <= Duration::from_secs(ceiling), "{gaps:?}");
    }
    assert_eq!(waited.elapsed, gaps.iter().sum::<Duration>());
}

#[tokio::test(start_paused = true)]
async fn a_failure_state_is_final_too() {
    let (poll, _) = script(&["RUNNING", "FAILED"]);
    let waited = poll_until(&DEF, WaiterConfig::new(), state, poll)
        .await
        .unwrap();
    assert_eq!((waited.state.as_str(), waited.success), ("FAILED", false));
    assert_eq!(waited.output, "FAILED");
}

#[tokio::test(start_paused = true)]
async fn gives_up_at_the_deadline_naming_the_last_state() {
    let (poll, times) = script(&["RUNNING"]);
    let started = Instant::now();
    let err = poll_until(&DEF, Duration::from_secs(20).into(), state, poll)
        .await
        .unwrap_err();
    let WaitError::Timeout {
        waiter,
        last_state,
        polls,
        waited,
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!(*waiter, "Demo");
    assert_eq!(last_state.as_deref(), Some("RUNNING"));
    assert!(*waited <= Duration::from_secs(20), "{waited:?}");
    let times = times.lock().unwrap();
    assert_eq!(*polls as usize, times.len());
    assert!(times.iter().all(|t| *t - started < Duration::from_secs(20)));
    // The last poll is within the minimum delay of the deadline.
    assert!(*times.last().unwrap() - started >= Duration::from_secs(19));
    assert_eq!(
        err.to_string(),
        format!(
            "waiter Demo timed out after {waited:?} and {polls} poll(s); the last state was `RUNNING`"
        )
    );
}

#[tokio::test(start_paused = true)]
async fn a_slow_call_is_cut_at_the_deadline() {
    let started = Instant::now();
    let err =
        poll_until::<String, Code, _, _>(&DEF, Duration::from_secs(3).into(), state, || async {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Ok("DONE".to_owned())
        })
        .await
        .unwrap_err();
    assert_eq!(Instant::now() - started, Duration::from_secs(3));
    assert!(err.is_timeout());
    assert_eq!(err.last_state(), None);
    assert!(err.to_string().ends_with("no state was seen"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn a_call_error_ends_the_wait() {
    let mut calls = 0;
    let err = poll_until::<String, Code, _, _>(&DEF, WaiterConfig::new(), state, || {
        calls += 1;
        std::future::ready(if calls < 2 {
            Ok("RUNNING".to_owned())
        } else {
            Err(Error::new(
                "Demo",
                None,
                ErrorKind::Timeout(TimeoutError {
                    kind: TimeoutKind::Total,
                    timeout: Duration::from_secs(1),
                }),
            ))
        })
    })
    .await
    .unwrap_err();
    assert!(err.call_error().is_some_and(Error::is_timeout), "{err:?}");
    assert!(StdError::source(&err).is_some());
    assert_eq!(calls, 2);
}

#[test]
fn delays_stay_within_bounds() {
    let (min, max) = (Duration::from_millis(100), Duration::from_millis(700));
    for poll in 1..40 {
        for _ in 0..50 {
            let d = delay(min, max, poll);
            assert!(d >= min && d <= max, "{d:?} for poll {poll}");
        }
    }
    assert_eq!(delay(min, max, 1), min);
    assert_eq!(
        delay(max, min, 3),
        max,
        "a maximum below the minimum is raised"
    );
}
