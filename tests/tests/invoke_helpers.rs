//! The typed invocation helpers (`json_event`, `tail_log`, `asynchronous`, `invoke()` and
//! [`scf_api::Invocation`]) and the typed `GetFunctionLogs` time range, against scf-local over
//! real HTTP: a function's failure is an `Ok` invocation, an API failure an `Err`, and inputs
//! the service would refuse are refused before anything is sent.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use scf_api::actions::{CommonError, GetFunctionLogsError, InvokeError, InvokeFunctionError};
use scf_api::{
    Client, ErrorCode, ErrorKind, HelperProblem, InputProblem, Invocation, MAX_ASYNC_EVENT_BYTES,
    MAX_SYNC_EVENT_BYTES, ReturnError,
};
use scf_api_tests::{builder_for, client_for, empty_code, utc_date};
use scf_local::Server;
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Serialize)]
struct Order {
    id: u64,
    items: Vec<Item>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Item {
    name: String,
    price: u64,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Receipt {
    order: u64,
    total: u64,
    count: usize,
}

/// A server whose functions answer by name: `checkout` totals an order, `fails` returns an
/// error, `panics` panics, `slow` sleeps 900 ms, every other one echoes its event.
async fn server() -> Server {
    Server::builder()
        .function_handler(|call: scf_local::Invocation| async move {
            match call.function_name.as_str() {
                "checkout" => {
                    let order: Value =
                        serde_json::from_str(&call.event).map_err(|e| e.to_string())?;
                    let items = order["items"].as_array().cloned().unwrap_or_default();
                    let total: u64 = items.iter().filter_map(|i| i["price"].as_u64()).sum();
                    Ok(serde_json::json!({
                        "order": order["id"],
                        "total": total,
                        "count": items.len(),
                    })
                    .to_string())
                }
                "fails" => Err("card declined".to_owned()),
                "panics" => panic!("the handler gave up"),
                "slow" => {
                    tokio::time::sleep(Duration::from_millis(900)).await;
                    Ok("\"done\"".to_owned())
                }
                _ => Ok(call.event),
            }
        })
        .start()
        .await
        .expect("server starts")
}

async fn create(client: &Client, name: &str) {
    client
        .create_function()
        .function_name(name)
        .code(empty_code())
        .send()
        .await
        .expect("function created");
}

/// A server and a client with the functions `names` created, and the recorded requests
/// cleared.
async fn setup(names: &[&str]) -> (Server, Client) {
    let server = server().await;
    let client = client_for(&server);
    for name in names {
        create(&client, name).await;
    }
    server.clear_requests();
    (server, client)
}

/// The JSON body of the only request `server` recorded since the last clear.
#[track_caller]
fn only_body(server: &Server) -> Value {
    let request = scf_api_tests::only_request(server);
    serde_json::from_slice(&request.body).expect("the body is JSON")
}

/// The problems of an invalid-input error.
#[track_caller]
fn problems<E: ErrorCode>(e: &scf_api::Error<E>) -> Vec<InputProblem> {
    match e.kind() {
        ErrorKind::InvalidInput(input) => input.problems().to_vec(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

fn order() -> Order {
    Order {
        id: 42,
        items: vec![
            Item {
                name: "tea".into(),
                price: 300,
            },
            Item {
                name: "cake".into(),
                price: 450,
            },
        ],
    }
}

fn check_figures(run: &Invocation) {
    assert!(!run.request_id().is_empty());
    assert!(!run.function_request_id().is_empty());
    assert!(run.duration() > Duration::ZERO, "{run:?}");
    assert!(
        run.billed_duration() >= Duration::from_millis(100),
        "{run:?}"
    );
    assert!(run.billed_duration() >= run.duration(), "{run:?}");
    assert!(run.memory_usage() > 0, "{run:?}");
    assert!(!run.is_asynchronous());
}

#[tokio::test]
async fn json_event_in_and_json_return_out() {
    let (server, client) = setup(&["checkout"]).await;
    let expected = Receipt {
        order: 42,
        total: 750,
        count: 2,
    };

    let run = client
        .invoke()
        .function_name("checkout")
        .json_event(&order())
        .expect("an order encodes")
        .invoke()
        .await
        .expect("the call succeeds");
    assert_eq!(run.json::<Receipt>(), Ok(expected));
    check_figures(&run);
    assert_eq!(run.log(), None, "no log was asked for");
    let body = only_body(&server);
    assert_eq!(
        body["ClientContext"],
        serde_json::to_string(&order()).unwrap(),
        "the event is the order's JSON, sent as a string"
    );
    assert_eq!(body.get("LogType"), None);

    server.clear_requests();
    let run = client
        .invoke_function()
        .function_name("checkout")
        .json_event(&order())
        .expect("an order encodes")
        .invoke()
        .await
        .expect("the call succeeds");
    let receipt: Receipt = run.json().unwrap();
    assert_eq!(receipt.total, 750);
    check_figures(&run);
    assert_eq!(
        only_body(&server)["Event"],
        serde_json::to_string(&order()).unwrap()
    );

    // A return value of another shape is a decode error, not an API error.
    let e = run.json::<Vec<u8>>().unwrap_err();
    assert!(matches!(e, ReturnError::Decode { .. }), "{e:?}");
}

#[tokio::test]
async fn a_failing_function_is_an_invocation_not_an_api_error() {
    let (_server, client) = setup(&["fails", "panics"]).await;

    let run = client
        .invoke()
        .function_name("fails")
        .invoke()
        .await
        .expect("the API call itself succeeds");
    let failure = run.result().expect_err("the function failed");
    assert_eq!(failure.message(), "card declined");
    assert_ne!(failure.invoke_result(), 0);
    assert_eq!(
        failure.to_string(),
        format!(
            "function failed (InvokeResult {}): card declined",
            failure.invoke_result()
        )
    );
    assert_eq!(
        run.json::<Value>(),
        Err(ReturnError::Function(failure.clone()))
    );
    check_figures(&run);

    let run = client
        .invoke_function()
        .function_name("panics")
        .invoke()
        .await
        .expect("the API call itself succeeds");
    let failure = run.into_result().expect_err("the function panicked");
    assert_eq!(failure.message(), "The function handler panicked.");

    // Through the helper, an API error stays an API error with its typed code.
    let e = client
        .invoke()
        .function_name("missing")
        .invoke()
        .await
        .expect_err("no such function");
    assert_eq!(e.code(), Some(&InvokeError::ResourceNotFoundFunction));
    assert_eq!(e.attempts(), 1);
    let e = client
        .invoke_function()
        .function_name("missing")
        .invoke()
        .await
        .expect_err("no such function");
    assert_eq!(
        e.code(),
        Some(&InvokeFunctionError::ResourceNotFoundFunction)
    );
}

#[tokio::test]
async fn oversized_events_are_refused_before_sending() {
    let (server, client) = setup(&["echo"]).await;
    // JSON strings of exactly `len` bytes.
    let event = |len: usize| format!("\"{}\"", "a".repeat(len - 2));

    let e = client
        .invoke()
        .function_name("echo")
        .client_context(event(MAX_SYNC_EVENT_BYTES + 1))
        .invoke()
        .await
        .expect_err("over 6 MB");
    assert_eq!(
        problems(&e),
        [InputProblem::Helper(HelperProblem::InputTooLarge {
            member: "ClientContext",
            size: 6 * 1024 * 1024 + 1,
            limit: 6 * 1024 * 1024,
        })]
    );
    assert_eq!(e.attempts(), 0);
    assert!(
        e.to_string()
            .contains("6291457 bytes, over the 6291456-byte limit"),
        "{e}"
    );

    let e = client
        .invoke()
        .function_name("echo")
        .asynchronous()
        .client_context(event(MAX_ASYNC_EVENT_BYTES + 1))
        .invoke()
        .await
        .expect_err("over 128 KB");
    assert_eq!(
        problems(&e),
        [InputProblem::Helper(HelperProblem::InputTooLarge {
            member: "ClientContext",
            size: 128 * 1024 + 1,
            limit: 128 * 1024,
        })]
    );

    let e = client
        .invoke_function()
        .function_name("echo")
        .event(event(MAX_SYNC_EVENT_BYTES + 1))
        .invoke()
        .await
        .expect_err("over 6 MB");
    assert_eq!(
        problems(&e),
        [InputProblem::Helper(HelperProblem::InputTooLarge {
            member: "Event",
            size: MAX_SYNC_EVENT_BYTES + 1,
            limit: MAX_SYNC_EVENT_BYTES,
        })]
    );

    assert!(
        server.requests().is_empty(),
        "nothing reached the server: {:?}",
        server.requests().len()
    );
}

#[tokio::test]
async fn events_at_the_limits_are_sent_and_scf_local_agrees() {
    let (server, client) = setup(&["echo"]).await;
    let event = |len: usize| format!("\"{}\"", "a".repeat(len - 2));

    let sync_event = event(MAX_SYNC_EVENT_BYTES);
    let run = client
        .invoke()
        .function_name("echo")
        .client_context(sync_event.clone())
        .invoke()
        .await
        .expect("exactly 6 MB is accepted");
    assert_eq!(run.result().map(str::len), Ok(MAX_SYNC_EVENT_BYTES));
    assert_eq!(
        run.json::<String>().map(|s| s.len()),
        Ok(MAX_SYNC_EVENT_BYTES - 2)
    );

    let run = client
        .invoke_function()
        .function_name("echo")
        .event(sync_event)
        .invoke()
        .await
        .expect("exactly 6 MB is accepted");
    assert_eq!(run.result().map(str::len), Ok(MAX_SYNC_EVENT_BYTES));

    let queued = client
        .invoke()
        .function_name("echo")
        .asynchronous()
        .client_context(event(MAX_ASYNC_EVENT_BYTES))
        .invoke()
        .await
        .expect("exactly 128 KB is accepted");
    assert!(queued.is_asynchronous());
    assert!(!queued.function_request_id().is_empty());
    assert_eq!(queued.json::<Value>(), Err(ReturnError::Asynchronous));
    assert_eq!(queued.log(), None);
    let status = client
        .get_async_event_status()
        .invoke_request_id(queued.function_request_id())
        .send()
        .await
        .expect("the queued event is known by its id");
    assert_eq!(
        status.result.invoke_request_id,
        queued.function_request_id()
    );

    // scf-local's own limits agree with the client's: one byte more, sent with plain `send()`
    // (which does not check sizes), is refused by the server.
    server.clear_requests();
    let e = client
        .invoke()
        .function_name("echo")
        .asynchronous()
        .client_context(event(MAX_ASYNC_EVENT_BYTES + 1))
        .send()
        .await
        .expect_err("the server refuses it");
    assert_eq!(
        e.code(),
        Some(&InvokeError::Common(CommonError::InvalidParameterValue))
    );
    let e = client
        .invoke_function()
        .function_name("echo")
        .event(event(MAX_SYNC_EVENT_BYTES + 1))
        .send()
        .await
        .expect_err("the server refuses it");
    assert_eq!(
        e.code(),
        Some(&InvokeFunctionError::InvalidParameterRequestTooLarge)
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn tail_log() {
    let (server, client) = setup(&["echo", "fails"]).await;

    let run = client
        .invoke()
        .function_name("echo")
        .client_context("{}")
        .tail_log()
        .invoke()
        .await
        .unwrap();
    assert_eq!(only_body(&server)["LogType"], "Tail");
    let log = run.log().expect("the log was asked for");
    assert!(
        log.contains(&format!("START RequestId: {}", run.function_request_id())),
        "{log}"
    );

    let run = client
        .invoke_function()
        .function_name("fails")
        .tail_log()
        .invoke()
        .await
        .unwrap();
    let log = run.log().expect("the log was asked for");
    assert!(log.contains("card declined"), "{log}");
    assert!(run.result().is_err());

    // An asynchronous invocation carries no log.
    let queued = client
        .invoke()
        .function_name("echo")
        .asynchronous()
        .tail_log()
        .invoke()
        .await
        .unwrap();
    assert_eq!(queued.log(), None);
}

#[tokio::test]
async fn the_helpers_wait_for_slow_functions_past_a_short_client_timeout() {
    let server = server().await;
    // Ordinary calls of this client time out after 300 ms; synchronous invocations get their
    // documented 300 s plus a margin instead.
    let client = builder_for(&server)
        .region(scf_api_tests::REGION)
        .attempt_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    create(&client, "slow").await;
    let run = client
        .invoke()
        .function_name("slow")
        .invoke()
        .await
        .expect("Invoke waits for the function");
    assert_eq!(run.json::<String>().as_deref(), Ok("done"));
    let run = client
        .invoke_function()
        .function_name("slow")
        .invoke()
        .await
        .expect("InvokeFunction waits for the function");
    assert_eq!(run.json::<String>().as_deref(), Ok("done"));
}

/// `secs` since the epoch as the service writes times: `YYYY-MM-DD HH:MM:SS` in UTC+8
/// (computed with the tests' own calendar code).
fn service_text(secs: u64) -> String {
    let local = secs + 8 * 3600;
    let of_day = local % 86_400;
    format!(
        "{} {:02}:{:02}:{:02}",
        utc_date(local),
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

#[tokio::test]
async fn function_logs_in_a_time_range() {
    let (server, client) = setup(&["echo"]).await;
    let run = client
        .invoke()
        .function_name("echo")
        .client_context("{\"n\":1}")
        .invoke()
        .await
        .unwrap();
    server.clear_requests();

    // Fixed times: the texts on the wire are UTC+8.
    let start = UNIX_EPOCH + Duration::from_secs(1_735_127_407);
    let logs = client
        .get_function_logs()
        .function_name("echo")
        .time_range(start, start + Duration::from_secs(3600))
        .expect("a valid range")
        .send()
        .await
        .expect("the call succeeds");
    assert_eq!(logs.total_count, 0, "nothing ran in 2024");
    let body = only_body(&server);
    assert_eq!(body["StartTime"], "2024-12-25 19:50:07");
    assert_eq!(body["EndTime"], "2024-12-25 20:50:07");

    // The recent run. From nine hours ago to a minute ahead covers now whether the server
    // reads the texts as UTC+8, as the service does, or as UTC (scf-local at the time of
    // writing).
    server.clear_requests();
    let now = SystemTime::now();
    let (from, to) = (
        now - Duration::from_secs(9 * 3600),
        now + Duration::from_secs(60),
    );
    let logs = client
        .get_function_logs()
        .function_name("echo")
        .time_range(from, to)
        .unwrap()
        .send()
        .await
        .unwrap();
    let secs = |t: SystemTime| t.duration_since(UNIX_EPOCH).unwrap().as_secs();
    let body = only_body(&server);
    assert_eq!(body["StartTime"], service_text(secs(from)));
    assert_eq!(body["EndTime"], service_text(secs(to)));
    assert_eq!(logs.total_count, 1, "{logs:?}");
    assert_eq!(logs.data[0].request_id, run.function_request_id());

    // Refused before sending: start after end, and more than a day apart.
    server.clear_requests();
    let e = client
        .get_function_logs()
        .function_name("echo")
        .time_range(now, now - Duration::from_secs(1))
        .expect_err("start after end");
    assert_eq!(
        problems(&e),
        [InputProblem::Helper(HelperProblem::StartAfterEnd {
            start: "StartTime",
            end: "EndTime"
        })]
    );
    let e: scf_api::Error<GetFunctionLogsError> = client
        .get_function_logs()
        .time_range(now, now + Duration::from_secs(86_401))
        .expect_err("over a day");
    assert!(
        matches!(
            problems(&e)[..],
            [InputProblem::Helper(HelperProblem::RangeTooWide {
                span_secs: 86_401,
                limit_secs: 86_400,
                ..
            })]
        ),
        "{e}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn an_event_that_cannot_be_encoded_is_refused_before_sending() {
    let (server, client) = setup(&["echo"]).await;
    // JSON object keys must be strings.
    let event = std::collections::BTreeMap::from([((1, 2), "x")]);
    let e = client
        .invoke()
        .function_name("echo")
        .json_event(&event)
        .expect_err("not encodable");
    assert!(
        matches!(
            &problems(&e)[..],
            [InputProblem::Helper(HelperProblem::EncodeInput {
                member: "ClientContext",
                ..
            })]
        ),
        "{e}"
    );
    let e = client
        .invoke_function()
        .function_name("echo")
        .json_event(&event)
        .expect_err("not encodable");
    assert!(
        matches!(
            &problems(&e)[..],
            [InputProblem::Helper(HelperProblem::EncodeInput {
                member: "Event",
                ..
            })]
        ),
        "{e}"
    );
    assert!(server.requests().is_empty());
}
