//! Unit tests of the `Invoke` and `InvokeFunction` helpers.

use std::collections::BTreeMap;

use super::*;
use crate::client::default_attempt_timeout;
use crate::{Client, Credentials, DEFAULT_ATTEMPT_TIMEOUT, ErrorKind};

fn client() -> Client {
    Client::builder()
        .credentials(Credentials::new("AKIDtest", "secret"))
        .region("ap-guangzhou")
        .build()
        .unwrap()
}

fn result(ret: &str, err: &str, code: i64) -> types::Result {
    types::Result {
        log: "START".into(),
        ret_msg: ret.into(),
        err_msg: err.into(),
        mem_usage: 3 * 1024 * 1024,
        duration: 12.5,
        bill_duration: 100,
        function_request_id: "f-1".into(),
        invoke_result: code,
    }
}

fn problems<E: crate::ErrorCode>(e: &Error<E>) -> &[InputProblem] {
    match e.kind() {
        ErrorKind::InvalidInput(i) => i.problems(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

#[test]
fn success_and_failure_are_told_apart() {
    let ok = Invocation::new(result("{\"a\":1}", "", 0), "r-1".into(), true, false);
    assert_eq!(ok.result(), Ok("{\"a\":1}"));
    assert_eq!(ok.request_id(), "r-1");
    assert_eq!(ok.function_request_id(), "f-1");
    assert_eq!(ok.log(), Some("START"));
    assert_eq!(ok.duration(), Duration::from_micros(12_500));
    assert_eq!(ok.billed_duration(), Duration::from_millis(100));
    assert_eq!(ok.memory_usage(), 3 * 1024 * 1024);
    assert!(!ok.is_asynchronous());
    let value: BTreeMap<String, u32> = ok.json().unwrap();
    assert_eq!(value["a"], 1);
    // Borrowing from the return value works too.
    let borrowed: BTreeMap<&str, u32> = ok.json().unwrap();
    assert_eq!(borrowed["a"], 1);

    let failed = Invocation::new(result("", "boom", 1), "r-2".into(), false, false);
    let e = failed.result().unwrap_err();
    assert_eq!((e.invoke_result(), e.message()), (1, "boom"));
    assert_eq!(e.to_string(), "function failed (InvokeResult 1): boom");
    assert_eq!(failed.log(), None);
    assert_eq!(failed.json::<u32>(), Err(ReturnError::Function(e.clone())));
    assert_eq!(failed.into_result().unwrap_err().message(), "boom");
}

#[test]
fn an_error_message_alone_is_a_failure_and_a_code_alone_too() {
    let message_only = Invocation::new(result("", "oops", 0), String::new(), false, false);
    assert_eq!(message_only.result().unwrap_err().message(), "oops");
    // With an empty ErrMsg, RetMsg carries what the function said.
    let code_only = Invocation::new(result("{\"err\":1}", "", 2), String::new(), false, false);
    let e = code_only.result().unwrap_err();
    assert_eq!((e.invoke_result(), e.message()), (2, "{\"err\":1}"));
    // Whitespace is not a message.
    let blank = Invocation::new(result("7", " ", 0), String::new(), false, false);
    assert_eq!(blank.json::<u32>(), Ok(7));
}

#[test]
fn json_errors() {
    let not_json = Invocation::new(result("hello", "", 0), String::new(), false, false);
    let e = not_json.json::<u32>().unwrap_err();
    assert!(matches!(e, ReturnError::Decode { .. }), "{e:?}");
    assert!(
        e.to_string()
            .starts_with("the function's return value is not the expected JSON: "),
        "{e}"
    );
    let queued = Invocation::new(result("", "", 0), String::new(), true, true);
    assert_eq!(queued.json::<u32>(), Err(ReturnError::Asynchronous));
    assert_eq!(queued.result(), Ok(""));
    assert_eq!(queued.duration(), Duration::from_micros(12_500));
}

#[test]
fn odd_figures_do_not_panic() {
    let mut r = result("", "", 0);
    r.duration = f64::NAN;
    r.bill_duration = -1;
    r.mem_usage = -1;
    let run = Invocation::new(r, String::new(), false, false);
    assert_eq!(run.duration(), Duration::ZERO);
    assert_eq!(run.billed_duration(), Duration::ZERO);
    assert_eq!(run.memory_usage(), 0);
    assert_eq!(millis(-5.0), Duration::ZERO);
    assert_eq!(millis(f64::INFINITY), Duration::ZERO);
}

#[test]
fn json_event_encodes_or_fails_before_sending() {
    let request = client()
        .invoke()
        .json_event(&serde_json::json!({"k": [1, 2]}))
        .unwrap()
        .into_request();
    assert_eq!(request.client_context.as_deref(), Some(r#"{"k":[1,2]}"#));
    let request = client()
        .invoke_function()
        .json_event("text")
        .unwrap()
        .into_request();
    assert_eq!(request.event.as_deref(), Some(r#""text""#));

    // JSON object keys must be strings.
    let bad: BTreeMap<(u8, u8), u8> = BTreeMap::from([((1, 2), 3)]);
    let e = client().invoke().json_event(&bad).unwrap_err();
    assert_eq!(e.action(), "Invoke");
    assert_eq!(e.attempts(), 0);
    assert!(matches!(
        problems(&e),
        [InputProblem::Helper(HelperProblem::EncodeInput { member: "ClientContext", message })] if message.contains("key must be a string")
    ));
    assert!(
        e.to_string().starts_with(
            "Invoke: invalid input: input `ClientContext` cannot be encoded as JSON: "
        ),
        "{e}"
    );
    let e = client().invoke_function().json_event(&bad).unwrap_err();
    assert_eq!(e.action(), "InvokeFunction");
    assert!(matches!(
        problems(&e),
        [InputProblem::Helper(HelperProblem::EncodeInput {
            member: "Event",
            ..
        })]
    ));
}

#[test]
fn setters() {
    let request = client().invoke().tail_log().asynchronous().into_request();
    assert_eq!(request.log_type, Some(types::LogType::Tail));
    assert_eq!(request.invocation_type, Some(types::InvocationType::Event));
    let request = client().invoke_function().tail_log().into_request();
    assert_eq!(request.log_type, Some(types::LogType::Tail));
}

#[tokio::test]
async fn oversized_events_are_refused_with_every_other_problem() {
    // No endpoint is reachable here: these fail before any I/O.
    let big = "x".repeat(MAX_SYNC_EVENT_BYTES + 1);
    let e = client()
        .invoke()
        .client_context(big.clone())
        .invoke()
        .await
        .unwrap_err();
    assert_eq!(e.attempts(), 0);
    assert_eq!(
        problems(&e),
        [
            InputProblem::Missing {
                member: "FunctionName"
            },
            InputProblem::Helper(HelperProblem::InputTooLarge {
                member: "ClientContext",
                size: MAX_SYNC_EVENT_BYTES + 1,
                limit: MAX_SYNC_EVENT_BYTES,
            }),
        ]
    );
    assert_eq!(
        e.to_string(),
        "Invoke: invalid input: required input `FunctionName` is not set; input \
         `ClientContext` is 6291457 bytes, over the 6291456-byte limit"
    );
    let e = client()
        .invoke_function()
        .function_name("f")
        .event(big)
        .invoke()
        .await
        .unwrap_err();
    assert_eq!(
        problems(&e),
        [InputProblem::Helper(HelperProblem::InputTooLarge {
            member: "Event",
            size: MAX_SYNC_EVENT_BYTES + 1,
            limit: MAX_SYNC_EVENT_BYTES,
        })]
    );
    let e = client()
        .invoke()
        .function_name("f")
        .asynchronous()
        .client_context("y".repeat(MAX_ASYNC_EVENT_BYTES + 1))
        .invoke()
        .await
        .unwrap_err();
    assert_eq!(
        problems(&e),
        [InputProblem::Helper(HelperProblem::InputTooLarge {
            member: "ClientContext",
            size: MAX_ASYNC_EVENT_BYTES + 1,
            limit: MAX_ASYNC_EVENT_BYTES,
        })]
    );
}

#[test]
fn documented_limits() {
    assert_eq!(MAX_SYNC_EVENT_BYTES, 6_291_456);
    assert_eq!(MAX_ASYNC_EVENT_BYTES, 131_072);
    assert_eq!(INVOKE_EVENT.member, "ClientContext");
    assert_eq!(
        <InvokeFunctionRequest as Action>::META.event_limits,
        Some(EventLimits {
            member: "Event",
            max_sync_bytes: 6_291_456,
            max_async_bytes: None,
        })
    );
    // Only the invoking actions carry event limits.
    assert_eq!(
        <crate::actions::GetFunctionRequest as Action>::META.event_limits,
        None
    );
}

#[test]
fn synchronous_invocations_outlast_the_documented_300_seconds() {
    for meta in [
        <InvokeRequest as Action>::META,
        <InvokeFunctionRequest as Action>::META,
    ] {
        assert_eq!(meta.max_duration_secs, Some(300), "{}", meta.name);
        let timeout = default_attempt_timeout(&meta, DEFAULT_ATTEMPT_TIMEOUT);
        assert!(
            timeout >= Duration::from_secs(330),
            "{}: {timeout:?}",
            meta.name
        );
        // Even a client configured with a short timeout waits for the function.
        let timeout = default_attempt_timeout(&meta, Duration::from_secs(1));
        assert!(
            timeout >= Duration::from_secs(330),
            "{}: {timeout:?}",
            meta.name
        );
    }
    // Ordinary actions keep the configured timeout.
    let meta = <crate::actions::GetFunctionRequest as Action>::META;
    assert_eq!(
        default_attempt_timeout(&meta, DEFAULT_ATTEMPT_TIMEOUT),
        DEFAULT_ATTEMPT_TIMEOUT
    );
}
