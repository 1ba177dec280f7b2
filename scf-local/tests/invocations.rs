//! End-to-end tests of the invocation actions (Invoke, InvokeFunction, GetAsyncEventStatus,
//! ListAsyncEvents, TerminateAsyncEvent, GetRequestStatus, GetFunctionLogs) over real TCP, with
//! signed requests and a recording function handler.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use scf_local::{Invocation, Server};
use serde_json::{Value, json};

mod support;
use support::*;

// ---------------------------------------------------------------------------------------------
// A server whose function handler records what it is asked to do.
//
// The event decides what the function does: `{"fail": "msg"}` fails with `msg`,
// `{"sleep_ms": n}` sleeps first, `{"panic": true}` panics; otherwise it echoes the event.

#[derive(Default)]
struct Calls {
    /// Invocations the handler started.
    started: Mutex<Vec<Invocation>>,
    /// Invocations whose handler ran to the end.
    completed: AtomicUsize,
}

impl Calls {
    fn started(&self) -> usize {
        self.started.lock().unwrap().len()
    }

    fn last(&self) -> Invocation {
        self.started.lock().unwrap().last().unwrap().clone()
    }
}

async fn server_with(async_delay: Duration, window: Option<Duration>) -> (Server, Arc<Calls>) {
    let calls = Arc::new(Calls::default());
    let seen = Arc::clone(&calls);
    let mut builder = Server::builder().async_delay(async_delay).function_handler(
        move |invocation: Invocation| {
            let calls = Arc::clone(&seen);
            async move {
                calls.started.lock().unwrap().push(invocation.clone());
                let event: Value = serde_json::from_str(&invocation.event).unwrap_or_default();
                if let Some(ms) = event["sleep_ms"].as_u64() {
                    tokio::time::sleep(Duration::from_millis(ms)).await;
                }
                if event["panic"] == true {
                    panic!("the test handler panics on purpose");
                }
                calls.completed.fetch_add(1, Ordering::SeqCst);
                match event["fail"].as_str() {
                    Some(message) => Err(message.to_owned()),
                    None => Ok(invocation.event),
                }
            }
        },
    );
    if let Some(window) = window {
        builder = builder.request_window(window);
    }
    (builder.start().await.unwrap(), calls)
}

async fn server() -> (Server, Arc<Calls>) {
    server_with(Duration::from_millis(50), None).await
}

async fn create_function(server: &Server, name: &str) {
    create_function_with(server, name, json!({})).await;
}

/// Creates `name` with the configuration members of `config` (e.g. `Timeout`).
async fn create_function_with(server: &Server, name: &str, config: Value) {
    let mut body =
        json!({"FunctionName": name, "Code": {"ZipFile": "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=="}});
    for (key, value) in config.as_object().unwrap() {
        body[key] = value.clone();
    }
    ok(server, "CreateFunction", body).await;
}

/// Invokes `name` synchronously with `event`; returns `Result`.
async fn invoke(server: &Server, name: &str, event: Value) -> Value {
    let response = ok(
        server,
        "Invoke",
        json!({"FunctionName": name, "ClientContext": event.to_string()}),
    )
    .await;
    response["Result"].clone()
}

/// Invokes `name` asynchronously with `event`; returns the invoke request id.
async fn invoke_async(server: &Server, name: &str, event: Value) -> String {
    let response = ok(
        server,
        "Invoke",
        json!({
            "FunctionName": name,
            "InvocationType": "Event",
            "ClientContext": event.to_string(),
        }),
    )
    .await;
    response["Result"]["FunctionRequestId"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// `Result` of GetAsyncEventStatus for `id`.
async fn event_status(server: &Server, id: &str) -> Value {
    ok(
        server,
        "GetAsyncEventStatus",
        json!({"InvokeRequestId": id}),
    )
    .await["Result"]
        .clone()
}

/// Polls GetAsyncEventStatus until the event leaves `RUNNING`; returns its `Result`.
async fn settled(server: &Server, id: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let status = event_status(server, id).await;
        if status["Status"] != "RUNNING" {
            return status;
        }
        assert!(Instant::now() < deadline, "{id} still RUNNING");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Waits until `condition` holds (at most 5 s).
async fn until(mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !condition() {
        assert!(Instant::now() < deadline, "condition never held");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn assert_uuid_shaped(id: &str) {
    let lengths: Vec<usize> = id.split('-').map(str::len).collect();
    assert_eq!(lengths, [8, 4, 4, 4, 12], "{id}");
}

/// Whether `text` is `YYYY-MM-DD HH:MM:SS.mmm`.
fn is_millis_datetime(text: &str) -> bool {
    text.len() == 23
        && text.char_indices().all(|(i, c)| match i {
            4 | 7 => c == '-',
            10 => c == ' ',
            13 | 16 => c == ':',
            19 => c == '.',
            _ => c.is_ascii_digit(),
        })
}

// ---------------------------------------------------------------------------------------------
// Invoke and InvokeFunction.

#[tokio::test]
async fn synchronous_invoke_succeeds_or_reports_the_function_error() {
    let (server, calls) = server().await;
    create_function(&server, "hello").await;

    let result = invoke(&server, "hello", json!({"k": "v"})).await;
    assert_eq!(result["InvokeResult"], 0);
    assert_eq!(result["RetMsg"], r#"{"k":"v"}"#);
    assert_eq!(result["ErrMsg"], "");
    assert_eq!(result["Log"], "");
    let id = result["FunctionRequestId"].as_str().unwrap();
    assert_uuid_shaped(id);
    assert!(result["Duration"].as_f64().unwrap() >= 0.0);
    assert!(result["BillDuration"].as_i64().unwrap() >= 100);
    assert!(result["MemUsage"].as_i64().unwrap() > 0);
    let seen = calls.last();
    assert_eq!(seen.request_id, id);
    assert_eq!(seen.function_name, "hello");
    assert_eq!(seen.namespace, "default");
    assert_eq!(seen.version, "$LATEST");
    assert!(!seen.asynchronous);

    // A function error is not an API error.
    let result = invoke(&server, "hello", json!({"fail": "boom"})).await;
    assert_eq!(result["InvokeResult"], 1);
    assert_eq!(result["ErrMsg"], "boom");
    assert_eq!(result["RetMsg"], "");

    // No ClientContext means `{}`; an explicit $LATEST is fine.
    let response = ok(
        &server,
        "Invoke",
        json!({"FunctionName": "hello", "Qualifier": "$LATEST", "LogType": "None"}),
    )
    .await;
    assert_eq!(response["Result"]["RetMsg"], "{}");
}

#[tokio::test]
async fn invoke_function_runs_synchronously_with_event() {
    let (server, calls) = server().await;
    create_function(&server, "hello").await;
    let response = ok(
        &server,
        "InvokeFunction",
        json!({"FunctionName": "hello", "Event": r#"{"a":1}"#}),
    )
    .await;
    assert_eq!(response["Result"]["InvokeResult"], 0);
    assert_eq!(response["Result"]["RetMsg"], r#"{"a":1}"#);
    // `$DEFAULT` (the default) runs `$LATEST`.
    assert_eq!(calls.last().version, "$LATEST");
    let response = ok(
        &server,
        "InvokeFunction",
        json!({"FunctionName": "hello", "Qualifier": "$DEFAULT", "Event": r#"{"fail":"bad"}"#}),
    )
    .await;
    assert_eq!(response["Result"]["InvokeResult"], 1);
    assert_eq!(response["Result"]["ErrMsg"], "bad");
}

#[tokio::test]
async fn qualifiers_resolve_versions_and_aliases() {
    let (server, calls) = server().await;
    create_function(&server, "hello").await;
    ok(&server, "PublishVersion", json!({"FunctionName": "hello"})).await;
    ok(
        &server,
        "CreateAlias",
        json!({"FunctionName": "hello", "Name": "prod", "FunctionVersion": "1"}),
    )
    .await;
    for (action, qualifier, version) in [
        ("Invoke", "1", "1"),
        ("Invoke", "prod", "1"),
        ("InvokeFunction", "prod", "1"),
        ("InvokeFunction", "$LATEST", "$LATEST"),
    ] {
        let body = json!({"FunctionName": "hello", "Qualifier": qualifier});
        let response = ok(&server, action, body).await;
        assert_eq!(response["Result"]["InvokeResult"], 0);
        assert_eq!(calls.last().version, version, "{action} {qualifier}");
    }
    let id = ok(
        &server,
        "Invoke",
        json!({"FunctionName": "hello", "Qualifier": "prod", "InvocationType": "Event"}),
    )
    .await["Result"]["FunctionRequestId"]
        .as_str()
        .unwrap()
        .to_owned();
    settled(&server, &id).await;
    for (qualifier, count) in [("prod", 1), ("1", 1), ("$LATEST", 0)] {
        let body = json!({"FunctionName": "hello", "Qualifier": qualifier});
        let listed = ok(&server, "ListAsyncEvents", body).await;
        assert_eq!(listed["TotalCount"], count, "{qualifier}");
    }
    // Logs of a version include the runs called through its alias.
    let body = json!({"FunctionName": "hello", "Qualifier": "1"});
    assert_eq!(ok(&server, "GetFunctionLogs", body).await["TotalCount"], 4);
    fails(
        &server,
        "InvokeFunction",
        json!({"FunctionName": "hello", "Qualifier": "2"}),
        "ResourceNotFound.Qualifier",
    )
    .await;
}

#[tokio::test]
async fn tail_log_has_start_end_and_report_and_at_most_4_kb() {
    let (server, _) = server().await;
    create_function(&server, "hello").await;
    let response = ok(
        &server,
        "Invoke",
        json!({"FunctionName": "hello", "LogType": "Tail", "ClientContext": r#"{"fail":"oops"}"#}),
    )
    .await;
    let result = &response["Result"];
    let id = result["FunctionRequestId"].as_str().unwrap();
    let log = result["Log"].as_str().unwrap();
    assert!(
        log.starts_with(&format!("START RequestId: {id}\n")),
        "{log}"
    );
    assert!(log.contains("oops\n"), "{log}");
    assert!(log.contains(&format!("END RequestId: {id}\n")), "{log}");
    assert!(
        log.contains(&format!("Report RequestId: {id} Duration:")),
        "{log}"
    );

    let long_error = "x".repeat(10_000);
    let response = ok(
        &server,
        "InvokeFunction",
        json!({
            "FunctionName": "hello",
            "LogType": "Tail",
            "Event": json!({"fail": long_error}).to_string(),
        }),
    )
    .await;
    let log = response["Result"]["Log"].as_str().unwrap();
    assert!(!log.is_empty() && log.len() <= 4096, "{}", log.len());
    assert!(log.contains("Report RequestId:"), "the tail keeps the end");
}

#[tokio::test]
async fn handler_panic_and_timeout_are_function_errors() {
    let (server, _) = server().await;
    create_function(&server, "hello").await;
    let result = invoke(&server, "hello", json!({"panic": true})).await;
    assert_eq!(result["InvokeResult"], 1);
    assert_eq!(result["ErrMsg"], "The function handler panicked.");

    create_function_with(&server, "quick", json!({"Timeout": 1})).await;
    let started = Instant::now();
    let result = invoke(&server, "quick", json!({"sleep_ms": 3000})).await;
    assert!(started.elapsed() < Duration::from_millis(2500));
    assert_eq!(result["InvokeResult"], 1);
    assert_eq!(result["ErrMsg"], "Invoking task timed out after 1 second.");
    // The server still works.
    assert_eq!(invoke(&server, "hello", json!({})).await["InvokeResult"], 0);
}

#[tokio::test]
async fn invoke_errors() {
    let (server, calls) = server().await;
    create_function(&server, "hello").await;
    let missing = json!({"FunctionName": "nope"});
    fails(
        &server,
        "Invoke",
        missing.clone(),
        "ResourceNotFound.Function",
    )
    .await;
    fails(
        &server,
        "InvokeFunction",
        missing,
        "ResourceNotFound.Function",
    )
    .await;
    fails(
        &server,
        "Invoke",
        json!({"FunctionName": "hello", "Namespace": "ghost"}),
        "ResourceNotFound.Function",
    )
    .await;
    fails(
        &server,
        "Invoke",
        json!({"FunctionName": "hello", "Qualifier": "7"}),
        "ResourceNotFound.Function",
    )
    .await;
    fails(
        &server,
        "InvokeFunction",
        json!({"FunctionName": "hello", "Qualifier": "prod"}),
        "ResourceNotFound.Qualifier",
    )
    .await;
    fails(
        &server,
        "Invoke",
        json!({"FunctionName": "hello", "InvocationType": "Later"}),
        "InvalidParameterValue",
    )
    .await;
    fails(
        &server,
        "Invoke",
        json!({"FunctionName": "hello", "LogType": "Head"}),
        "InvalidParameterValue",
    )
    .await;
    fails(
        &server,
        "Invoke",
        json!({"FunctionName": "hello", "ClientContext": "not json"}),
        "InvalidParameterValue.Param",
    )
    .await;
    fails(
        &server,
        "InvokeFunction",
        json!({"FunctionName": "hello", "Event": "{"}),
        "InvalidParameterValue.Param",
    )
    .await;
    fails(
        &server,
        "Invoke",
        json!({"FunctionName": "hello", "RoutingKey": "[1]"}),
        "InvalidParameterValue",
    )
    .await;
    // 128 KB is the async limit; the same event is fine synchronously.
    let big = json!({"pad": "x".repeat(130 * 1024)}).to_string();
    fails(
        &server,
        "Invoke",
        json!({"FunctionName": "hello", "InvocationType": "Event", "ClientContext": big}),
        "InvalidParameterValue",
    )
    .await;
    let response = ok(
        &server,
        "Invoke",
        json!({"FunctionName": "hello", "ClientContext": big}),
    )
    .await;
    assert_eq!(response["Result"]["InvokeResult"], 0);
    // 6 MB is the synchronous limit.
    let huge = json!({"pad": "x".repeat(6 * 1024 * 1024)}).to_string();
    fails(
        &server,
        "InvokeFunction",
        json!({"FunctionName": "hello", "Event": huge}),
        "InvalidParameter.RequestTooLarge",
    )
    .await;
    assert_eq!(calls.started(), 1, "only the valid call ran");
}

// ---------------------------------------------------------------------------------------------
// Async events.

#[tokio::test]
async fn async_event_runs_after_the_delay_and_finishes_or_fails() {
    let (server, calls) = server().await;
    create_function(&server, "hello").await;

    let response = ok(
        &server,
        "Invoke",
        json!({"FunctionName": "hello", "InvocationType": "Event", "ClientContext": "{\"n\":1}"}),
    )
    .await;
    let result = &response["Result"];
    let id = result["FunctionRequestId"].as_str().unwrap().to_owned();
    assert_uuid_shaped(&id);
    assert_eq!(result["RetMsg"], "");
    assert_eq!(result["Log"], "");
    assert_eq!(result["InvokeResult"], 0);

    let status = event_status(&server, &id).await;
    assert_eq!(status["Status"], "RUNNING");
    assert_eq!(status["StatusCode"], 0);
    assert_eq!(status["InvokeRequestId"], id.as_str());
    assert_eq!(calls.started(), 0, "the function waits for the async delay");

    let status = settled(&server, &id).await;
    assert_eq!(status["Status"], "FINISHED");
    assert_eq!(status["StatusCode"], 200);
    let seen = calls.last();
    assert!(seen.asynchronous);
    assert_eq!(seen.request_id, id);
    assert_eq!(seen.event, "{\"n\":1}");

    let failing = invoke_async(&server, "hello", json!({"fail": "async boom"})).await;
    let status = settled(&server, &failing).await;
    assert_eq!(status["Status"], "FAILED");
    assert_eq!(status["StatusCode"], 430);

    // The finished async runs are requests like any other.
    let response = ok(
        &server,
        "GetRequestStatus",
        json!({"FunctionName": "hello", "FunctionRequestId": failing}),
    )
    .await;
    assert_eq!(response["TotalCount"], 1);
    assert_eq!(response["Data"][0]["RetCode"], -1);
    assert_eq!(response["Data"][0]["RetMsg"], "async boom");

    fails(
        &server,
        "GetAsyncEventStatus",
        json!({"InvokeRequestId": "no-such-id"}),
        "ResourceNotFound.AsyncEvent",
    )
    .await;
}

#[tokio::test]
async fn terminated_event_is_aborted_and_its_function_never_runs() {
    let (server, calls) = server_with(Duration::from_millis(300), None).await;
    create_function(&server, "hello").await;
    let id = invoke_async(&server, "hello", json!({})).await;
    ok(
        &server,
        "TerminateAsyncEvent",
        json!({"FunctionName": "hello", "InvokeRequestId": id, "GraceShutdown": true}),
    )
    .await;
    let status = event_status(&server, &id).await;
    assert_eq!(status["Status"], "ABORTED");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(calls.started(), 0, "an aborted event never runs");
    assert_eq!(event_status(&server, &id).await["Status"], "ABORTED");
    let listed = ok(
        &server,
        "ListAsyncEvents",
        json!({"FunctionName": "hello", "InvokeRequestId": id}),
    )
    .await;
    let end = listed["EventList"][0]["EndTime"].as_str().unwrap();
    assert!(is_millis_datetime(end), "{end}");

    // Terminating it again, or any event that is no longer running, fails.
    fails(
        &server,
        "TerminateAsyncEvent",
        json!({"FunctionName": "hello", "InvokeRequestId": id}),
        "FailedOperation.AsyncEventStatus",
    )
    .await;
}

#[tokio::test]
async fn terminating_a_running_function_stops_it() {
    let (server, calls) = server().await;
    create_function(&server, "hello").await;
    let id = invoke_async(&server, "hello", json!({"sleep_ms": 400})).await;
    until(|| calls.started() == 1).await;
    ok(
        &server,
        "TerminateAsyncEvent",
        json!({"FunctionName": "hello", "InvokeRequestId": id}),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        calls.completed.load(Ordering::SeqCst),
        0,
        "the handler was stopped"
    );
    assert_eq!(event_status(&server, &id).await["Status"], "ABORTED");
    let response = ok(
        &server,
        "GetRequestStatus",
        json!({"FunctionName": "hello", "FunctionRequestId": id}),
    )
    .await;
    assert_eq!(response["TotalCount"], 0, "an aborted run leaves no record");
}

#[tokio::test]
async fn terminate_errors() {
    let (server, _) = server().await;
    create_function(&server, "hello").await;
    create_function(&server, "other").await;
    let id = invoke_async(&server, "hello", json!({})).await;
    assert_eq!(settled(&server, &id).await["Status"], "FINISHED");
    fails(
        &server,
        "TerminateAsyncEvent",
        json!({"FunctionName": "hello", "InvokeRequestId": id}),
        "FailedOperation.AsyncEventStatus",
    )
    .await;
    fails(
        &server,
        "TerminateAsyncEvent",
        json!({"FunctionName": "hello", "InvokeRequestId": "unknown"}),
        "ResourceNotFound.AsyncEvent",
    )
    .await;
    fails(
        &server,
        "TerminateAsyncEvent",
        json!({"FunctionName": "other", "InvokeRequestId": id}),
        "ResourceNotFound.AsyncEvent",
    )
    .await;
    fails(
        &server,
        "TerminateAsyncEvent",
        json!({"FunctionName": "ghost", "InvokeRequestId": id}),
        "ResourceNotFound.Function",
    )
    .await;
    fails(
        &server,
        "TerminateAsyncEvent",
        json!({"FunctionName": "hello", "InvokeRequestId": id, "Namespace": "ghost"}),
        "ResourceNotFound.Namespace",
    )
    .await;
}

#[tokio::test]
async fn list_async_events_filters_sorts_and_pages() {
    let (server, _) = server().await;
    create_function(&server, "hello").await;
    create_function(&server, "other").await;
    let mut ids = Vec::new();
    for event in [json!({}), json!({"fail": "x"}), json!({})] {
        ids.push(invoke_async(&server, "hello", event).await);
    }
    let other = invoke_async(&server, "other", json!({})).await;
    for id in ids.iter().chain([&other]) {
        settled(&server, id).await;
    }
    let list = |body: Value| {
        let server = &server;
        async move {
            let mut body = body;
            body["FunctionName"] = json!("hello");
            ok(server, "ListAsyncEvents", body).await
        }
    };
    let ids_of = |response: &Value| -> Vec<String> {
        response["EventList"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["InvokeRequestId"].as_str().unwrap().to_owned())
            .collect()
    };

    let all = list(json!({})).await;
    assert_eq!(all["TotalCount"], 3);
    let event = &all["EventList"][0];
    assert_eq!(event["Qualifier"], "$LATEST");
    assert_eq!(event["InvokeType"], "API");
    assert!(is_millis_datetime(event["StartTime"].as_str().unwrap()));
    assert!(is_millis_datetime(event["EndTime"].as_str().unwrap()));
    let mut listed = ids_of(&all);
    listed.sort();
    let mut expected = ids.clone();
    expected.sort();
    assert_eq!(listed, expected);

    // DESC (the default) is ASC reversed.
    let ascending = ids_of(&list(json!({"Order": "ASC"})).await);
    let mut descending = ids_of(&all);
    descending.reverse();
    assert_eq!(ascending, descending);
    let by_end = ids_of(&list(json!({"Orderby": "EndTime", "Order": "ASC"})).await);
    assert_eq!(by_end.len(), 3);

    // Paging.
    let page = list(json!({"Order": "ASC", "Offset": 1, "Limit": 1})).await;
    assert_eq!(page["TotalCount"], 3);
    assert_eq!(ids_of(&page), [ascending[1].clone()]);
    let page = list(json!({"Offset": 3})).await;
    assert_eq!(page["TotalCount"], 3);
    assert_eq!(ids_of(&page), Vec::<String>::new());

    // Filters.
    let failed = list(json!({"Status": ["FAILED"]})).await;
    assert_eq!(ids_of(&failed), [ids[1].clone()]);
    let done = list(json!({"Status": ["FINISHED", "FAILED"]})).await;
    assert_eq!(done["TotalCount"], 3);
    let running = list(json!({"Status": ["RUNNING"]})).await;
    assert_eq!(running["TotalCount"], 0);
    let one = list(json!({"InvokeRequestId": ids[2]})).await;
    assert_eq!(ids_of(&one), [ids[2].clone()]);
    assert_eq!(list(json!({"Qualifier": "$LATEST"})).await["TotalCount"], 3);
    assert_eq!(list(json!({"InvokeType": ["API"]})).await["TotalCount"], 3);
    assert_eq!(list(json!({"InvokeType": ["COS"]})).await["TotalCount"], 0);
    let t = now();
    let around_now = json!({"Start": datetime(t - 60), "End": datetime(t + 60)});
    let long_ago = json!({"Start": datetime(t - 7200), "End": datetime(t - 3600)});
    assert_eq!(
        list(json!({"StartTimeInterval": around_now})).await["TotalCount"],
        3
    );
    assert_eq!(
        list(json!({"EndTimeInterval": around_now})).await["TotalCount"],
        3
    );
    assert_eq!(
        list(json!({"StartTimeInterval": long_ago})).await["TotalCount"],
        0
    );
    let others = ok(&server, "ListAsyncEvents", json!({"FunctionName": "other"})).await;
    assert_eq!(ids_of(&others), [other]);

    // Errors.
    let cases = [
        (json!({"Qualifier": "9"}), "ResourceNotFound.Version"),
        (json!({"Status": ["DONE"]}), "InvalidParameterValue.Status"),
        (
            json!({"InvokeType": [""]}),
            "InvalidParameterValue.InvokeType",
        ),
        (json!({"Limit": 101}), "InvalidParameterValue.Limit"),
        (json!({"Order": "UP"}), "InvalidParameterValue.Order"),
        (json!({"Orderby": "Name"}), "InvalidParameterValue"),
        (json!({"Offset": -1}), "InvalidParameterValue"),
        (
            json!({"StartTimeInterval": {"Start": "yesterday", "End": "today"}}),
            "InvalidParameterValue",
        ),
        (json!({"Namespace": "ghost"}), "ResourceNotFound.Namespace"),
    ];
    for (mut body, code) in cases {
        body["FunctionName"] = json!("hello");
        fails(&server, "ListAsyncEvents", body, code).await;
    }
    fails(
        &server,
        "ListAsyncEvents",
        json!({"FunctionName": "ghost"}),
        "ResourceNotFound.Function",
    )
    .await;
}

// ---------------------------------------------------------------------------------------------
// GetRequestStatus and GetFunctionLogs.

#[tokio::test]
async fn get_request_status_finds_invoked_requests() {
    let (server, _) = server().await;
    create_function(&server, "hello").await;
    let good = invoke(&server, "hello", json!({"x": 1})).await;
    let good_id = good["FunctionRequestId"].as_str().unwrap();
    let bad = invoke(&server, "hello", json!({"fail": "nope"})).await;
    let bad_id = bad["FunctionRequestId"].as_str().unwrap();

    let status = |body: Value| ok(&server, "GetRequestStatus", body);
    let response = status(json!({"FunctionName": "hello", "FunctionRequestId": good_id})).await;
    assert_eq!(response["TotalCount"], 1);
    let data = &response["Data"][0];
    assert_eq!(data["FunctionName"], "hello");
    assert_eq!(data["RequestId"], good_id);
    assert_eq!(data["RetMsg"], r#"{"x":1}"#);
    assert_eq!(data["RetCode"], 0);
    assert_eq!(data["RetryNum"], 0);
    assert_eq!(data["Duration"], good["Duration"]);
    assert!(data["MemUsage"].as_f64().unwrap() > 0.0, "in MB");
    assert_eq!(data["StartTime"].as_str().unwrap().len(), 19);

    let response = status(json!({"FunctionName": "hello", "FunctionRequestId": bad_id})).await;
    assert_eq!(response["Data"][0]["RetCode"], -1);
    assert_eq!(response["Data"][0]["RetMsg"], "nope");

    let response = status(json!({"FunctionName": "hello", "FunctionRequestId": "other"})).await;
    assert_eq!(response["TotalCount"], 0);
    assert_eq!(response["Data"], json!([]));

    // An explicit range.
    let t = now();
    let response = status(json!({
        "FunctionName": "hello",
        "FunctionRequestId": good_id,
        "StartTime": datetime(t - 60),
        "EndTime": datetime(t + 60),
    }))
    .await;
    assert_eq!(response["TotalCount"], 1);
    let response = status(json!({
        "FunctionName": "hello",
        "FunctionRequestId": good_id,
        "StartTime": datetime(t - 7200),
        "EndTime": datetime(t - 3600),
    }))
    .await;
    assert_eq!(response["TotalCount"], 0);

    // Errors.
    let cases = [
        (
            json!({"StartTime": datetime(t)}),
            "InvalidParameterValue.StartTimeOrEndTime",
        ),
        (
            json!({"EndTime": datetime(t)}),
            "InvalidParameterValue.StartTimeOrEndTime",
        ),
        (
            json!({"StartTime": datetime(t), "EndTime": datetime(t - 60)}),
            "InvalidParameterValue.StartTimeOrEndTime",
        ),
        (
            json!({"StartTime": "soon", "EndTime": datetime(t)}),
            "InvalidParameterValue.DateTime",
        ),
        (
            json!({"FunctionRequestId": ""}),
            "InvalidParameterValue.FunctionRequestId",
        ),
        (
            json!({"FunctionName": "ghost"}),
            "ResourceNotFound.Function",
        ),
        (json!({"Namespace": "ghost"}), "ResourceNotFound.Function"),
    ];
    for (overrides, code) in cases {
        let mut body = json!({"FunctionName": "hello", "FunctionRequestId": good_id});
        for (key, value) in overrides.as_object().unwrap() {
            body[key] = value.clone();
        }
        fails(&server, "GetRequestStatus", body, code).await;
    }
}

#[tokio::test]
async fn get_request_status_defaults_to_the_request_window() {
    let (server, _) = server_with(Duration::from_millis(300), Some(Duration::from_secs(2))).await;
    create_function(&server, "hello").await;
    let result = invoke(&server, "hello", json!({})).await;
    let id = result["FunctionRequestId"].as_str().unwrap().to_owned();
    let query = json!({"FunctionName": "hello", "FunctionRequestId": id});
    let response = ok(&server, "GetRequestStatus", query.clone()).await;
    assert_eq!(response["TotalCount"], 1);

    // A running async event shows with RetCode 1.
    let pending = invoke_async(&server, "hello", json!({})).await;
    let response = ok(
        &server,
        "GetRequestStatus",
        json!({"FunctionName": "hello", "FunctionRequestId": pending}),
    )
    .await;
    assert_eq!(response["TotalCount"], 1);
    assert_eq!(response["Data"][0]["RetCode"], 1);

    tokio::time::sleep(Duration::from_millis(2200)).await;
    let response = ok(&server, "GetRequestStatus", query).await;
    assert_eq!(response["TotalCount"], 0, "outside the 2 s window");
    let t = now();
    let response = ok(
        &server,
        "GetRequestStatus",
        json!({
            "FunctionName": "hello",
            "FunctionRequestId": id,
            "StartTime": datetime(t - 60),
            "EndTime": datetime(t),
        }),
    )
    .await;
    assert_eq!(
        response["TotalCount"], 1,
        "an explicit range still finds it"
    );
}

#[tokio::test]
async fn get_function_logs_filters_sorts_and_pages() {
    let (server, _) = server().await;
    create_function(&server, "hello").await;
    create_function(&server, "other").await;
    create_function_with(&server, "slow", json!({"Timeout": 1})).await;
    let mut ids = Vec::new();
    for event in [json!({"n": 1}), json!({"fail": "e1"}), json!({"n": 2})] {
        let result = invoke(&server, "hello", event).await;
        ids.push(result["FunctionRequestId"].as_str().unwrap().to_owned());
    }
    invoke(&server, "other", json!({})).await;
    invoke(&server, "slow", json!({"sleep_ms": 2000})).await;
    invoke(&server, "slow", json!({"fail": "plain"})).await;

    let logs = |body: Value| ok(&server, "GetFunctionLogs", body);
    let ids_of = |response: &Value| -> Vec<String> {
        response["Data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["RequestId"].as_str().unwrap().to_owned())
            .collect()
    };

    let all = logs(json!({"FunctionName": "hello"})).await;
    assert_eq!(all["TotalCount"], 3);
    assert_eq!(all["SearchContext"]["Offset"], "");
    // Newest first by default.
    let mut newest_first = ids.clone();
    newest_first.reverse();
    assert_eq!(ids_of(&all), newest_first);
    let entry = &all["Data"][1];
    assert_eq!(entry["FunctionName"], "hello");
    assert_eq!(entry["RetCode"], 1);
    assert_eq!(entry["RetMsg"], "e1");
    assert_eq!(entry["InvokeFinished"], 1);
    assert!(entry["BillDuration"].as_i64().unwrap() >= 100);
    let log = entry["Log"].as_str().unwrap();
    assert!(
        log.starts_with(&format!("START RequestId: {}", ids[1])),
        "{log}"
    );

    let ascending = logs(json!({"FunctionName": "hello", "Order": "asc"})).await;
    assert_eq!(ids_of(&ascending), ids);
    let page = logs(json!({"FunctionName": "hello", "Order": "asc", "Offset": 1, "Limit": 1}));
    assert_eq!(ids_of(&page.await), [ids[1].clone()]);
    let by_duration = logs(json!({"FunctionName": "hello", "OrderBy": "duration", "Order": "asc"}));
    let durations: Vec<f64> = by_duration.await["Data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["Duration"].as_f64().unwrap())
        .collect();
    assert!(durations.windows(2).all(|w| w[0] <= w[1]), "{durations:?}");

    let is0 = logs(json!({"FunctionName": "hello", "Filter": {"RetCode": "is0"}})).await;
    assert_eq!(is0["TotalCount"], 2);
    let not0 = logs(json!({"FunctionName": "hello", "Filter": {"RetCode": "not0"}})).await;
    assert_eq!(ids_of(&not0), [ids[1].clone()]);
    let timeouts =
        logs(json!({"FunctionName": "slow", "Filter": {"RetCode": "TimeLimitExceeded"}}));
    let timeouts = timeouts.await;
    assert_eq!(timeouts["TotalCount"], 1);
    assert!(
        timeouts["Data"][0]["RetMsg"]
            .as_str()
            .unwrap()
            .contains("timed out")
    );
    let user = logs(json!({"FunctionName": "slow", "Filter": {"RetCode": "UserCodeException"}}));
    assert_eq!(user.await["Data"][0]["RetMsg"], "plain");
    let by_id = logs(json!({"FunctionName": "hello", "FunctionRequestId": ids[2]})).await;
    assert_eq!(ids_of(&by_id), [ids[2].clone()]);
    let latest = logs(json!({"FunctionName": "hello", "Qualifier": "$LATEST"})).await;
    assert_eq!(latest["TotalCount"], 3);
    let t = now();
    let ranged = logs(json!({
        "FunctionName": "hello",
        "StartTime": datetime(t - 60),
        "EndTime": datetime(t + 60),
    }));
    assert_eq!(ranged.await["TotalCount"], 3);
    let past = logs(json!({"FunctionName": "hello", "EndTime": datetime(t - 3600)}));
    assert_eq!(past.await["TotalCount"], 0);
    // Without a function name, every function of the namespace.
    assert_eq!(logs(json!({})).await["TotalCount"], 6);

    // The search context is echoed.
    let context = json!({"Offset": "abc", "Limit": 5, "Keyword": "k", "Type": "Application"});
    let echoed = logs(json!({"FunctionName": "hello", "SearchContext": context})).await;
    assert_eq!(echoed["SearchContext"], context);

    // Offset + Limit is bounded by 10000.
    let at_bound = logs(json!({"FunctionName": "hello", "Offset": 9990, "Limit": 10})).await;
    assert_eq!(at_bound["TotalCount"], 3);
    assert_eq!(at_bound["Data"], json!([]));
    let cases = [
        (json!({"Offset": 9991, "Limit": 10}), "LimitExceeded.Offset"),
        (json!({"Limit": 10001}), "LimitExceeded.Offset"),
        (json!({"Offset": -1}), "InvalidParameterValue.Offset"),
        (json!({"Order": "sideways"}), "InvalidParameterValue.Order"),
        (json!({"OrderBy": "size"}), "InvalidParameterValue.OrderBy"),
        (
            json!({"Filter": {"RetCode": "is1"}}),
            "InvalidParameterValue.RetCode",
        ),
        (
            json!({"StartTime": datetime(t - 2 * 86_400), "EndTime": datetime(t)}),
            "InvalidParameterValue.StartTimeOrEndTime",
        ),
        (
            json!({"StartTime": datetime(t), "EndTime": datetime(t - 60)}),
            "InvalidParameterValue.StartTimeOrEndTime",
        ),
        (
            json!({"StartTime": "2024-02-30 25:00:00"}),
            "InvalidParameterValue.DateTime",
        ),
        (
            json!({"FunctionName": "ghost"}),
            "ResourceNotFound.Function",
        ),
    ];
    for (overrides, code) in cases {
        let mut body = json!({"FunctionName": "hello"});
        for (key, value) in overrides.as_object().unwrap() {
            body[key] = value.clone();
        }
        fails(&server, "GetFunctionLogs", body, code).await;
    }
    fails(
        &server,
        "GetFunctionLogs",
        json!({"Namespace": "ghost"}),
        "ResourceNotFound",
    )
    .await;
}
