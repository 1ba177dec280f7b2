//! The scf-api client against the stateful scf-local: a whole lifecycle (namespace, function,
//! version, alias, trigger, synchronous and asynchronous invocations, termination, status
//! queries, deletes) and the documented errors for missing resources and conflicts.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use scf_api::types::AsyncEventState;
use scf_api::{Client, ErrorCode, RetryPolicy};
use scf_api_tests::{builder_for, empty_code};
use scf_local::{Invocation, Server};

fn client(server: &Server) -> Client {
    builder_for(server)
        .region("ap-guangzhou")
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("valid configuration")
}

/// The code of a failed call, or a panic naming what succeeded.
fn code_of<T: std::fmt::Debug, E: ErrorCode>(result: Result<T, scf_api::Error<E>>) -> String {
    match result {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e
            .code()
            .map(|c| c.code().to_owned())
            .unwrap_or_else(|| panic!("expected a service error, got {e}")),
    }
}

/// Polls the status of an async event until it leaves RUNNING (or 5 s pass).
async fn final_status(client: &Client, id: &str) -> AsyncEventState {
    for _ in 0..100 {
        let out = client
            .get_async_event_status()
            .invoke_request_id(id)
            .send()
            .await
            .expect("the event exists");
        if out.result.status != AsyncEventState::Running {
            return out.result.status;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("event {id} is still RUNNING after 5 s");
}

#[tokio::test]
async fn whole_lifecycle() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let server = Server::builder()
        .async_delay(Duration::from_millis(100))
        .function_handler(move |invocation: Invocation| {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                if invocation.event.contains("fail") {
                    Err(format!("{} refused the event", invocation.function_name))
                } else {
                    Ok(format!(
                        "hello from {}@{}",
                        invocation.function_name, invocation.version
                    ))
                }
            }
        })
        .start()
        .await
        .unwrap();
    let client = client(&server);

    // Namespace.
    client
        .create_namespace()
        .namespace("team-a")
        .description("Team A")
        .send()
        .await
        .expect("namespace created");
    let namespaces = client.list_namespaces().send().await.unwrap();
    let names: Vec<&str> = namespaces
        .namespaces
        .iter()
        .map(|n| n.name.as_str())
        .collect();
    assert!(
        names.contains(&"default") && names.contains(&"team-a"),
        "{names:?}"
    );

    // Function.
    client
        .create_function()
        .function_name("greeter")
        .namespace("team-a")
        .code(empty_code())
        .runtime("Python3.9")
        .handler("index.main_handler")
        .memory_size(256)
        .timeout(10)
        .description("says hello")
        .send()
        .await
        .expect("function created");
    let f = client
        .get_function()
        .function_name("greeter")
        .namespace("team-a")
        .send()
        .await
        .unwrap();
    assert_eq!(f.function_name, "greeter");
    assert_eq!(f.memory_size, 256);
    assert_eq!(f.timeout, 10);
    assert_eq!(f.status, "Active");
    assert_eq!(f.function_version, "$LATEST");
    assert_eq!(f.runtime.as_deref(), Some("Python3.9"));
    let listed = client
        .list_functions()
        .namespace("team-a")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.total_count, 1);
    assert_eq!(listed.functions[0].function_name, "greeter");

    // Configuration change, then a version that freezes it.
    client
        .update_function_configuration()
        .function_name("greeter")
        .namespace("team-a")
        .memory_size(512)
        .send()
        .await
        .unwrap();
    let v1 = client
        .publish_version()
        .function_name("greeter")
        .namespace("team-a")
        .description("first")
        .send()
        .await
        .expect("version published");
    assert_eq!(v1.function_version, "1");
    assert_eq!(v1.memory_size, 512);
    let versions = client
        .list_version_by_function()
        .function_name("greeter")
        .namespace("team-a")
        .send()
        .await
        .unwrap();
    assert!(versions.function_version.contains(&"$LATEST".to_owned()));
    assert!(versions.function_version.contains(&"1".to_owned()));

    // Alias to the version.
    client
        .create_alias()
        .name("live")
        .function_name("greeter")
        .namespace("team-a")
        .function_version("1")
        .send()
        .await
        .expect("alias created");
    let alias = client
        .get_alias()
        .name("live")
        .function_name("greeter")
        .namespace("team-a")
        .send()
        .await
        .unwrap();
    assert_eq!(alias.function_version, "1");

    // Trigger.
    client
        .create_trigger()
        .function_name("greeter")
        .namespace("team-a")
        .trigger_name("every-minute")
        .r#type("timer")
        .trigger_desc("0 */1 * * * * *")
        .send()
        .await
        .expect("trigger created");
    let triggers = client
        .list_triggers()
        .function_name("greeter")
        .namespace("team-a")
        .send()
        .await
        .unwrap();
    assert_eq!(triggers.total_count, 1);
    assert_eq!(triggers.triggers[0].trigger_name, "every-minute");

    // Synchronous invocation through the alias.
    let sync = client
        .invoke()
        .function_name("greeter")
        .namespace("team-a")
        .qualifier("live")
        .client_context(r#"{"name":"Ada"}"#)
        .log_type("Tail")
        .send()
        .await
        .expect("invoked");
    assert_eq!(sync.result.invoke_result, 0);
    assert_eq!(sync.result.ret_msg, "hello from greeter@1");
    assert!(!sync.result.function_request_id.is_empty());
    assert!(sync.result.log.contains(&sync.result.function_request_id));
    // A function error is not an API error.
    let failed = client
        .invoke_function()
        .function_name("greeter")
        .namespace("team-a")
        .event(r#"{"please":"fail"}"#)
        .send()
        .await
        .expect("the API call succeeds");
    assert_eq!(failed.result.invoke_result, 1);
    assert_eq!(failed.result.err_msg, "greeter refused the event");

    // Asynchronous invocations: one finishes, one is terminated while RUNNING.
    let done = client
        .invoke()
        .function_name("greeter")
        .namespace("team-a")
        .invocation_type("Event")
        .send()
        .await
        .unwrap()
        .result
        .function_request_id;
    let stopped = client
        .invoke()
        .function_name("greeter")
        .namespace("team-a")
        .invocation_type("Event")
        .send()
        .await
        .unwrap()
        .result
        .function_request_id;
    client
        .terminate_async_event()
        .function_name("greeter")
        .namespace("team-a")
        .invoke_request_id(&stopped)
        .send()
        .await
        .expect("terminated while running");
    assert_eq!(final_status(&client, &done).await, "FINISHED");
    assert_eq!(final_status(&client, &stopped).await, "ABORTED");
    let events = client
        .list_async_events()
        .function_name("greeter")
        .namespace("team-a")
        .send()
        .await
        .unwrap();
    assert_eq!(events.total_count, 2);
    assert_eq!(
        code_of(
            client
                .terminate_async_event()
                .function_name("greeter")
                .namespace("team-a")
                .invoke_request_id(&done)
                .send()
                .await
        ),
        "FailedOperation.AsyncEventStatus"
    );
    // The terminated event's function never ran: 2 sync calls and 1 async.
    assert_eq!(calls.load(Ordering::SeqCst), 3);

    // Status queries know the invoked requests.
    let status = client
        .get_request_status()
        .function_name("greeter")
        .namespace("team-a")
        .function_request_id(&sync.result.function_request_id)
        .send()
        .await
        .unwrap();
    let data = status.data.unwrap_or_default();
    assert_eq!(data.len(), 1, "{data:?}");
    assert_eq!(data[0].ret_code, 0);
    let logs = client
        .get_function_logs()
        .function_name("greeter")
        .namespace("team-a")
        .send()
        .await
        .unwrap();
    assert_eq!(
        logs.total_count, 3,
        "two synchronous calls and one finished event"
    );

    // Deletes, in the order the service demands.
    assert_eq!(
        code_of(client.delete_namespace().namespace("team-a").send().await),
        "ResourceInUse.Namespace",
        "a namespace with functions cannot go"
    );
    client
        .delete_trigger()
        .function_name("greeter")
        .namespace("team-a")
        .trigger_name("every-minute")
        .r#type("timer")
        .send()
        .await
        .expect("trigger deleted");
    client
        .delete_alias()
        .function_name("greeter")
        .namespace("team-a")
        .name("live")
        .send()
        .await
        .expect("alias deleted");
    client
        .delete_function()
        .function_name("greeter")
        .namespace("team-a")
        .send()
        .await
        .expect("function deleted");
    assert_eq!(
        code_of(
            client
                .get_function()
                .function_name("greeter")
                .namespace("team-a")
                .send()
                .await
        ),
        "ResourceNotFound.Function"
    );
    client
        .delete_namespace()
        .namespace("team-a")
        .send()
        .await
        .expect("namespace deleted");
}

#[tokio::test]
async fn missing_resources_and_conflicts_have_documented_codes() {
    let server = Server::start().await.unwrap();
    let client = client(&server);

    // Missing namespace and function.
    let err = client
        .create_function()
        .function_name("f1")
        .namespace("nowhere")
        .code(empty_code())
        .send()
        .await
        .expect_err("no such namespace");
    assert_eq!(
        err.code().map(|c| c.code()),
        Some("ResourceNotFound.Namespace")
    );
    assert!(
        err.service_error().unwrap().message.contains("nowhere"),
        "the message names the namespace: {err}"
    );
    let err = client
        .invoke()
        .function_name("ghost")
        .send()
        .await
        .expect_err("no such function");
    assert_eq!(
        err.code().map(|c| c.code()),
        Some("ResourceNotFound.Function")
    );
    assert!(
        err.service_error().unwrap().message.contains("ghost"),
        "{err}"
    );

    // Conflicts.
    client
        .create_function()
        .function_name("f1")
        .code(empty_code())
        .send()
        .await
        .unwrap();
    assert_eq!(
        code_of(
            client
                .create_function()
                .function_name("f1")
                .code(empty_code())
                .send()
                .await
        ),
        "ResourceInUse.Function"
    );
    assert_eq!(
        code_of(client.create_namespace().namespace("default").send().await),
        "ResourceInUse.Namespace"
    );
    assert_eq!(
        code_of(
            client
                .copy_function()
                .function_name("f1")
                .new_function_name("f1")
                .send()
                .await
        ),
        "ResourceInUse.FunctionName"
    );

    // Invalid names and values.
    assert_eq!(
        code_of(
            client
                .create_function()
                .function_name("1-bad-")
                .code(empty_code())
                .send()
                .await
        ),
        "InvalidParameterValue.FunctionName"
    );
    assert_eq!(
        code_of(
            client
                .create_function()
                .function_name("f2")
                .code(empty_code())
                .memory_size(100)
                .send()
                .await
        ),
        "InvalidParameterValue.MemorySize"
    );

    // Unknown qualifiers, aliases and events.
    assert_eq!(
        code_of(
            client
                .get_function()
                .function_name("f1")
                .qualifier("7")
                .send()
                .await
        ),
        "ResourceNotFound.Version"
    );
    assert_eq!(
        code_of(
            client
                .get_async_event_status()
                .invoke_request_id("00000000-0000-4000-8000-000000000000")
                .send()
                .await
        ),
        "ResourceNotFound.AsyncEvent"
    );

    // Copy, then list with paging.
    client
        .copy_function()
        .function_name("f1")
        .new_function_name("f1-copy")
        .send()
        .await
        .expect("copied");
    let page = client
        .list_functions()
        .limit(1)
        .offset(1)
        .orderby("FunctionName")
        .send()
        .await
        .unwrap();
    assert_eq!(page.total_count, 2);
    assert_eq!(page.functions.len(), 1);
    assert_eq!(page.functions[0].function_name, "f1-copy");
}

#[tokio::test]
async fn rate_limits_can_be_enforced_and_the_client_retries() {
    let server = Server::builder()
        .enforce_rate_limits(true)
        .start()
        .await
        .unwrap();
    // GetFunctionLogs allows 5 requests per second: a burst of 12 gets throttled (even split over
    // two seconds, one of them sees at least 6), and a retrying client still gets every answer.
    let strict = client(&server);
    client(&server)
        .create_function()
        .function_name("f1")
        .code(empty_code())
        .send()
        .await
        .unwrap();
    // Sent at once, so the burst lands within one or two rate-limit windows.
    let mut burst = tokio::task::JoinSet::new();
    for _ in 0..12 {
        let strict = strict.clone();
        burst.spawn(async move {
            strict
                .get_function_logs()
                .function_name("f1")
                .send()
                .await
                .map(drop)
        });
    }
    let mut throttled = 0;
    while let Some(result) = burst.join_next().await {
        if let Err(e) = result.expect("the task ran") {
            assert!(e.is_throttled(), "{e}");
            throttled += 1;
        }
    }
    assert!(throttled >= 1, "a burst over the limit is throttled");

    let patient = builder_for(&server)
        .region("ap-guangzhou")
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(10)
                .with_initial_backoff(Duration::from_millis(200))
                .with_max_backoff(Duration::from_millis(1000)),
        )
        .build()
        .unwrap();
    for _ in 0..8 {
        patient
            .get_function_logs()
            .function_name("f1")
            .send()
            .await
            .expect("retries ride out the limit");
    }
}
