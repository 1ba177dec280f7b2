//! Generated waiters against the stateful scf-local: an async event seen `RUNNING` then
//! `FINISHED`, failure states, the deadline naming the last state, a function becoming
//! `Active`, a provisioned concurrency setting `Done`, and call errors.

use std::time::{Duration, Instant};

use scf_api::{Client, ErrorCode, WaitError, WaiterConfig};
use scf_api_tests::{client_for, empty_code};
use scf_local::{Invocation, Server};

/// Quick polls for tests: 20 ms growing to 50 ms, at most `max_wait`.
fn quick(max_wait: Duration) -> WaiterConfig {
    WaiterConfig::new()
        .max_wait(max_wait)
        .min_delay(Duration::from_millis(20))
        .max_delay(Duration::from_millis(50))
}

/// A server whose events stay `RUNNING` for `delay`, whose function fails on a `fail` event,
/// with the function `worker` created.
async fn server(delay: Duration) -> (Server, Client) {
    let server = Server::builder()
        .async_delay(delay)
        .function_handler(|call: Invocation| async move {
            if call.event.contains("fail") {
                Err("refused".to_owned())
            } else {
                Ok("done".to_owned())
            }
        })
        .start()
        .await
        .expect("scf-local starts");
    let client = client_for(&server);
    client
        .create_function()
        .function_name("worker")
        .code(empty_code())
        .send()
        .await
        .expect("function created");
    (server, client)
}

async fn start_event(client: &Client, event: &str) -> String {
    client
        .invoke()
        .function_name("worker")
        .invocation_type("Event")
        .client_context(event)
        .send()
        .await
        .expect("event started")
        .result
        .function_request_id
}

#[tokio::test]
async fn an_async_event_is_seen_running_then_finished() {
    let (server, client) = server(Duration::from_millis(300)).await;
    let id = start_event(&client, r#"{"job":1}"#).await;
    let before = client
        .get_async_event_status()
        .invoke_request_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(before.result.status, "RUNNING");
    server.clear_requests();
    let started = Instant::now();
    let waited = client
        .get_async_event_status()
        .invoke_request_id(&id)
        .wait_until_async_event_done(quick(Duration::from_secs(5)))
        .await
        .expect("the event ends in time");
    assert_eq!(waited.state, "FINISHED");
    assert!(waited.success);
    assert_eq!(waited.output.result.status, "FINISHED");
    assert_eq!(waited.output.result.invoke_request_id, id);
    // The first polls saw it running (the only state that is not final).
    assert!(waited.polls >= 2, "{} polls", waited.polls);
    assert!(waited.elapsed <= started.elapsed());
    let polls = server
        .requests()
        .iter()
        .filter(|r| r.action.as_deref() == Some("GetAsyncEventStatus"))
        .count();
    assert_eq!(polls, waited.polls as usize);
    // 20 ms growing to 50 ms between polls: about 300 ms of RUNNING takes several.
    assert!(waited.polls <= 20, "{} polls", waited.polls);
}

#[tokio::test]
async fn failure_states_are_final_but_not_success() {
    let (_server, client) = server(Duration::from_millis(100)).await;
    let id = start_event(&client, r#"{"fail":true}"#).await;
    let waited = client
        .get_async_event_status()
        .invoke_request_id(&id)
        .wait_until_async_event_done(quick(Duration::from_secs(5)))
        .await
        .unwrap();
    assert_eq!((waited.state.as_str(), waited.success), ("FAILED", false));

    let (_server, client) = server(Duration::from_secs(30)).await;
    let id = start_event(&client, "{}").await;
    client
        .terminate_async_event()
        .function_name("worker")
        .invoke_request_id(&id)
        .send()
        .await
        .unwrap();
    let waited = client
        .get_async_event_status()
        .invoke_request_id(&id)
        .wait_until_async_event_done(quick(Duration::from_secs(5)))
        .await
        .unwrap();
    assert_eq!((waited.state.as_str(), waited.success), ("ABORTED", false));
    assert_eq!(waited.polls, 1);
}

#[tokio::test]
async fn past_the_deadline_the_waiter_names_the_last_state() {
    let (_server, client) = server(Duration::from_secs(30)).await;
    let id = start_event(&client, "{}").await;
    let started = Instant::now();
    let err = client
        .get_async_event_status()
        .invoke_request_id(&id)
        .wait_until_async_event_done(quick(Duration::from_millis(400)))
        .await
        .expect_err("the event runs for 30 s");
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_millis(800), "{elapsed:?}");
    match &err {
        WaitError::Timeout {
            waiter,
            last_state,
            polls,
            waited,
        } => {
            assert_eq!(*waiter, "AsyncEventDone");
            assert_eq!(last_state.as_deref(), Some("RUNNING"));
            assert!(*polls >= 2, "{polls}");
            assert!(*waited <= Duration::from_millis(400), "{waited:?}");
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(err.is_timeout());
    assert_eq!(err.last_state(), Some("RUNNING"));
    assert!(
        err.to_string().contains("the last state was `RUNNING`"),
        "{err}"
    );
}

#[tokio::test]
async fn a_function_becomes_active() {
    let (_server, client) = server(Duration::from_millis(10)).await;
    let waited = client
        .get_function()
        .function_name("worker")
        .wait_until_function_active(Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(waited.state, "Active");
    assert!(waited.success);
    assert_eq!(waited.polls, 1);
    assert_eq!(waited.output.function_name, "worker");

    // A call error ends the wait at once.
    let err = client
        .get_function()
        .function_name("ghost")
        .wait_until_function_active(Duration::from_secs(5))
        .await
        .unwrap_err();
    let call = err.call_error().expect("a call error");
    assert_eq!(
        call.code().map(|c| c.code()),
        Some("ResourceNotFound.Function")
    );
    assert!(std::error::Error::source(&err).is_some());
}

#[tokio::test]
async fn a_provisioned_concurrency_setting_is_done() {
    let (_server, client) = server(Duration::from_millis(10)).await;
    // No setting yet: no element, so no state; the waiter keeps polling until its deadline.
    let err = client
        .get_provisioned_concurrency_config()
        .function_name("worker")
        .wait_until_provisioned_concurrency_done(quick(Duration::from_millis(200)))
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.last_state(), None);

    client
        .publish_version()
        .function_name("worker")
        .send()
        .await
        .unwrap();
    client
        .put_provisioned_concurrency_config()
        .function_name("worker")
        .qualifier("1")
        .version_provisioned_concurrency_num(2)
        .send()
        .await
        .unwrap();
    let waited = client
        .get_provisioned_concurrency_config()
        .function_name("worker")
        .qualifier("1")
        .wait_until_provisioned_concurrency_done(quick(Duration::from_secs(5)))
        .await
        .unwrap();
    assert_eq!((waited.state.as_str(), waited.success), ("Done", true));
    assert_eq!(waited.output.allocated[0].qualifier, "1");
}
