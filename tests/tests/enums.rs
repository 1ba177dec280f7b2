//! Enums of documented values across the wire: typed inputs reach scf-local as their plain
//! strings (and scf-local still validates them as strings), typed outputs decode into variants,
//! and a value the spec does not list round-trips through `Unknown`.

use std::time::Duration;

use scf_api::ErrorCode;
use scf_api::actions::{GetFunctionResponse, ListAsyncEventsError};
use scf_api::types::{
    AsyncEventState, FunctionStatus, FunctionType, InvocationType, Order, Runtime, TrueFalse,
};
use scf_api_tests::{client_for, empty_code};
use scf_local::{Fault, Invocation, Server};
use serde_json::json;

/// The JSON body of the last request `server` recorded for `action`.
fn last_body(server: &Server, action: &str) -> serde_json::Value {
    server
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.action.as_deref() == Some(action))
        .and_then(|r| r.json())
        .unwrap_or_else(|| panic!("no {action} request recorded"))
}

#[tokio::test]
async fn typed_inputs_and_outputs_through_scf_local() {
    let server = Server::builder()
        .function_handler(|call: Invocation| async move { Ok(format!("got {}", call.event)) })
        .start()
        .await
        .unwrap();
    let client = client_for(&server);

    // Setters take a variant, or a string as before.
    client
        .create_function()
        .function_name("orders")
        .code(empty_code())
        .runtime(Runtime::Python3_9)
        .r#type(FunctionType::Event)
        .install_dependency(TrueFalse::False)
        .handler("index.main_handler")
        .send()
        .await
        .expect("the function is created");
    let body = last_body(&server, "CreateFunction");
    assert_eq!(body["Runtime"], "Python3.9");
    assert_eq!(body["Type"], "Event");
    assert_eq!(body["InstallDependency"], "FALSE");

    // Outputs decode into variants, in responses and in nested types.
    let f = client
        .get_function()
        .function_name("orders")
        .send()
        .await
        .unwrap();
    assert!(matches!(f.status, FunctionStatus::Active), "{:?}", f.status);
    assert_eq!(f.status, "Active");
    assert_eq!(f.r#type, FunctionType::Event);
    let list = client
        .list_functions()
        .order(Order::Desc)
        .send()
        .await
        .unwrap();
    assert_eq!(last_body(&server, "ListFunctions")["Order"], "DESC");
    let listed = &list.functions[0];
    assert_eq!(listed.function_name, "orders");
    assert_eq!(listed.status, FunctionStatus::Active);

    // An asynchronous invocation, followed to its end through the typed state.
    let id = client
        .invoke()
        .function_name("orders")
        .invocation_type(InvocationType::Event)
        .client_context("{}")
        .send()
        .await
        .unwrap()
        .result
        .function_request_id;
    assert_eq!(last_body(&server, "Invoke")["InvocationType"], "Event");
    let mut state = AsyncEventState::Running;
    for _ in 0..100 {
        state = client
            .get_async_event_status()
            .invoke_request_id(&id)
            .send()
            .await
            .unwrap()
            .result
            .status;
        if state != AsyncEventState::Running {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(state, AsyncEventState::Finished);

    // A list of enum values as a filter.
    let events = client
        .list_async_events()
        .function_name("orders")
        .status([AsyncEventState::Finished, AsyncEventState::Failed])
        .send()
        .await
        .unwrap();
    assert_eq!(
        last_body(&server, "ListAsyncEvents")["Status"],
        json!(["FINISHED", "FAILED"])
    );
    assert_eq!(events.event_list.len(), 1);
    assert_eq!(events.event_list[0].status, AsyncEventState::Finished);

    // A value the spec does not list is sent as written, and the service judges it.
    let err = client
        .list_async_events()
        .function_name("orders")
        .status(["PAUSED"])
        .send()
        .await
        .expect_err("scf-local rejects an undocumented status");
    assert_eq!(
        last_body(&server, "ListAsyncEvents")["Status"],
        json!(["PAUSED"])
    );
    assert_eq!(
        err.code(),
        Some(&ListAsyncEventsError::from_code(
            "InvalidParameterValue.Status"
        ))
    );
}

#[tokio::test]
async fn an_unknown_value_from_the_server_round_trips() {
    let server = Server::builder().start().await.unwrap();
    let client = client_for(&server);
    let answer = json!({"Response": {
        "FunctionName": "orders", "Status": "Migrating", "Type": "Event", "RequestId": "req-1",
        // GetFunction's required objects (a missing one fails decoding: `required_outputs.rs`).
        "VpcConfig": {}, "Environment": {}, "EipConfig": {}, "AccessInfo": {},
        "DeadLetterConfig": {}, "CfsConfig": {}
    }});
    server.push_fault(Fault::raw(200, "application/json", answer.to_string()));
    let out = client
        .get_function()
        .function_name("orders")
        .send()
        .await
        .expect("an undocumented status still decodes");
    assert_eq!(out.status, FunctionStatus::Unknown("Migrating".into()));
    assert_eq!(out.status, "Migrating");
    assert_eq!(out.status.to_string(), "Migrating");
    assert_eq!(out.r#type, FunctionType::Event);

    // Encoded again, the value is unchanged, and decodes the same way.
    let encoded = serde_json::to_value(&out).unwrap();
    assert_eq!(encoded["Status"], "Migrating");
    assert_eq!(encoded["Type"], "Event");
    let again: GetFunctionResponse = serde_json::from_value(encoded).unwrap();
    assert_eq!(again, out);

    // A required member the service leaves out or sends as null decodes to the default,
    // `Unknown("")`, like the empty string it was before it had an enum.
    let answer = json!({"Response": {
        "FunctionName": "orders", "Status": null, "RequestId": "r",
        "VpcConfig": {}, "Environment": {}, "EipConfig": {}, "AccessInfo": {},
        "DeadLetterConfig": {}, "CfsConfig": {}
    }});
    server.push_fault(Fault::raw(200, "application/json", answer.to_string()));
    let out = client
        .get_function()
        .function_name("orders")
        .send()
        .await
        .unwrap();
    assert_eq!(out.status, FunctionStatus::default());
    assert_eq!(out.status, "");
    assert_eq!(out.r#type, FunctionType::Unknown(String::new()));
}
