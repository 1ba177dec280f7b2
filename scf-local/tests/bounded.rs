//! What the server keeps is bounded: the request log (count, bytes, body prefixes, nothing of
//! requests that fail authentication) and the invocation history (capped per function, dropped
//! with the function). The slow-client timeouts are in `timeouts.rs`, the heap measurement in
//! `memory.rs`.

mod support;

use std::time::Duration;

use scf_local::{HistoryLimits, Outcome, RequestLogLimits, Server};
use serde_json::{Value, json};
use support::*;

/// A signed `GetRequestStatus` whose body is `FunctionName` padded to `len` bytes in all.
fn status_request(server: &Server, n: usize, len: usize) -> (Vec<u8>, Vec<u8>) {
    let mut body = json!({"FunctionName": "", "FunctionRequestId": n.to_string()});
    let overhead = body.to_string().len();
    body["FunctionName"] = json!("f".repeat(len.saturating_sub(overhead)));
    let body = serde_json::to_vec(&body).unwrap();
    let host = server.addr().to_string();
    (signed_request(&host, "GetRequestStatus", &body), body)
}

/// `FunctionRequestId` of a recorded `GetRequestStatus` (its whole body was kept).
fn request_number(record: &scf_local::RecordedRequest) -> String {
    record.json().expect("a whole JSON body")["FunctionRequestId"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn the_request_log_keeps_the_newest_1000_requests() {
    let server = Server::builder().examples_only().start().await.unwrap();
    for n in 0..1010 {
        let (bytes, _) = status_request(&server, n, 0);
        response_of(&exchange(&server, &bytes).await);
    }
    let recorded = server.requests();
    assert_eq!(recorded.len(), 1000, "the default keeps the last 1,000");
    assert_eq!(request_number(&recorded[0]), "10", "the oldest went first");
    assert_eq!(request_number(&recorded[999]), "1009");
}

#[tokio::test]
async fn the_request_log_keeps_64_kib_of_a_body_and_16_mib_in_all() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let (bytes, body) = status_request(&server, 0, 100 * 1024);
    response_of(&exchange(&server, &bytes).await);
    let record = server.requests().pop().unwrap();
    assert_eq!(record.outcome, Outcome::Ok);
    assert_eq!(record.body_len, body.len() as u64);
    assert_eq!(record.body.len(), 64 * 1024, "the first 64 KiB are kept");
    assert!(record.body == body[..64 * 1024]);
    assert_eq!(record.json(), None, "a cut body is not JSON");

    // 300 bodies of 60 KiB (18 MB) do not fit in 16 MiB: the oldest go.
    for n in 1..=300 {
        let (bytes, _) = status_request(&server, n, 60 * 1024);
        response_of(&exchange(&server, &bytes).await);
    }
    let recorded = server.requests();
    let kept: usize = recorded.iter().map(|r| r.body.len()).sum();
    assert!(kept <= 16 * 1024 * 1024, "{kept} body bytes kept");
    assert!(recorded.len() < 300, "{} records kept", recorded.len());
    assert!(recorded.len() > 200, "{} records kept", recorded.len());
    assert_eq!(request_number(recorded.last().unwrap()), "300");
}

#[tokio::test]
async fn a_configured_request_log_keeps_what_it_is_told() {
    let limits = RequestLogLimits::default()
        .max_records(3)
        .max_body_bytes(16);
    let server = Server::builder()
        .request_log(limits)
        .examples_only()
        .start()
        .await
        .unwrap();
    let mut bodies = Vec::new();
    for n in 0..5 {
        let (bytes, body) = status_request(&server, n, 100);
        response_of(&exchange(&server, &bytes).await);
        bodies.push(body);
    }
    let recorded = server.requests();
    assert_eq!(recorded.len(), 3);
    assert_eq!(server.evicted_requests(), 2);
    for (record, body) in recorded.iter().zip(&bodies[2..]) {
        assert_eq!(record.body, body[..16]);
        assert_eq!(record.body_len, 100);
        assert_eq!(
            record.body_sha256.as_deref(),
            Some(sha256_hex(body).as_str())
        );
        assert!(record.body_truncated());
        assert_eq!(record.json(), None);
    }
    server.clear_requests();
    assert_eq!(server.evicted_requests(), 0);

    let server = Server::builder()
        .request_log(RequestLogLimits::off())
        .examples_only()
        .start()
        .await
        .unwrap();
    let (bytes, _) = status_request(&server, 0, 100);
    response_of(&exchange(&server, &bytes).await);
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn requests_failing_authentication_keep_no_body_nor_signature() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let host = server.addr().to_string();
    let body = br#"{"FunctionName":"secret-payload","FunctionRequestId":"x"}"#;
    let valid = signed_request(&host, "GetRequestStatus", body);
    let other_path = String::from_utf8(valid.clone())
        .unwrap()
        .replacen("POST / ", "POST /elsewhere ", 1)
        .into_bytes();
    let cases = [
        (
            signed_request_with(&host, "GetRequestStatus", body, "wrong-key", None),
            Outcome::Error {
                code: "AuthFailure.SignatureFailure".into(),
            },
        ),
        (
            // A valid signature, but a token these credentials do not have.
            signed_request_with(&host, "GetRequestStatus", body, DEFAULT_KEY, Some("t")),
            Outcome::Error {
                code: "AuthFailure.TokenFailure".into(),
            },
        ),
        (
            signed_request(&host, "NoSuchAction", body),
            Outcome::Error {
                code: "InvalidAction".into(),
            },
        ),
        (other_path, Outcome::Raw { status: 404 }),
    ];
    for (bytes, outcome) in &cases {
        exchange(&server, bytes).await;
        let record = server.requests().pop().unwrap();
        assert_eq!(record.outcome, *outcome);
        assert!(record.body.is_empty(), "{outcome:?}: the body was kept");
        assert_eq!(record.body_len, body.len() as u64, "{outcome:?}");
        let authorization = record.header("authorization").unwrap();
        assert!(
            authorization.starts_with("TC3-HMAC-SHA256 Credential=AKID")
                && authorization.ends_with("Signature=***"),
            "{outcome:?}: {authorization}"
        );
        let sent = String::from_utf8_lossy(bytes);
        let signature = &sent.split("Signature=").nth(1).unwrap()[..64];
        assert!(!format!("{record:?}").contains(signature), "{outcome:?}");
    }

    // An authenticated request keeps both.
    call_raw_ok(&server, &valid).await;
    let record = server.requests().pop().unwrap();
    assert_eq!(record.body, body);
    assert!(!record.header("authorization").unwrap().ends_with("***"));
}

/// The server's key, to sign requests that pass the signature check.
const DEFAULT_KEY: &str = scf_local::DEFAULT_SECRET_KEY;

/// Sends raw request bytes and expects an answer without an error.
async fn call_raw_ok(server: &Server, bytes: &[u8]) -> Value {
    let response = response_of(&exchange(server, bytes).await);
    assert!(response.get("Error").is_none(), "{response}");
    response
}

/// Creates the function `name` with an empty ZIP.
async fn create(server: &Server, name: &str) {
    ok(
        server,
        "CreateFunction",
        json!({"FunctionName": name, "Code": {"ZipFile": "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=="}}),
    )
    .await;
}

/// Invokes `name` synchronously (`Event`: asynchronously) and returns the request id.
async fn invoke(server: &Server, name: &str, invocation_type: &str) -> String {
    let response = ok(
        server,
        "Invoke",
        json!({"FunctionName": name, "InvocationType": invocation_type}),
    )
    .await;
    response["Result"]["FunctionRequestId"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// How many logs `GetFunctionLogs` has for `name`.
async fn log_count(server: &Server, name: &str) -> i64 {
    let logs = ok(server, "GetFunctionLogs", json!({"FunctionName": name})).await;
    logs["TotalCount"].as_i64().unwrap()
}

/// How many runs `GetRequestStatus` finds for the request `id` of `name`.
async fn status_count(server: &Server, name: &str, id: &str) -> i64 {
    let status = ok(
        server,
        "GetRequestStatus",
        json!({"FunctionName": name, "FunctionRequestId": id}),
    )
    .await;
    status["TotalCount"].as_i64().unwrap()
}

#[tokio::test]
async fn a_deleted_function_leaves_no_invocation_history() {
    // Async events stay RUNNING: their functions never run during the test.
    let server = Server::builder()
        .async_delay(Duration::from_secs(60))
        .start()
        .await
        .unwrap();
    create(&server, "fa").await;
    let sync = invoke(&server, "fa", "RequestResponse").await;
    let queued = invoke(&server, "fa", "Event").await;
    assert_eq!(log_count(&server, "fa").await, 1);
    assert_eq!(status_count(&server, "fa", &sync).await, 1);
    let events = ok(&server, "ListAsyncEvents", json!({"FunctionName": "fa"})).await;
    assert_eq!(events["TotalCount"], 1);

    ok(&server, "DeleteFunction", json!({"FunctionName": "fa"})).await;
    create(&server, "fa").await;
    assert_eq!(log_count(&server, "fa").await, 0, "the old runs are gone");
    assert_eq!(status_count(&server, "fa", &sync).await, 0);
    fails(
        &server,
        "GetAsyncEventStatus",
        json!({"InvokeRequestId": queued}),
        "ResourceNotFound.AsyncEvent",
    )
    .await;
    let events = ok(&server, "ListAsyncEvents", json!({"FunctionName": "fa"})).await;
    assert_eq!(events["TotalCount"], 0);
}

#[tokio::test]
async fn invocation_records_are_capped_per_function_and_overall() {
    let server = Server::builder()
        .history(
            HistoryLimits::default()
                .max_invocations_per_function(3)
                .max_invocations(5),
        )
        .request_log(RequestLogLimits::off())
        .start()
        .await
        .unwrap();
    create(&server, "fa").await;
    create(&server, "gb").await;
    let mut fa_ids = Vec::new();
    for _ in 0..4 {
        fa_ids.push(invoke(&server, "fa", "RequestResponse").await);
    }
    assert_eq!(log_count(&server, "fa").await, 3, "three per function");
    assert_eq!(status_count(&server, "fa", &fa_ids[0]).await, 0);
    assert_eq!(status_count(&server, "fa", &fa_ids[1]).await, 1);
    for _ in 0..3 {
        invoke(&server, "gb", "RequestResponse").await;
    }
    assert_eq!(log_count(&server, "gb").await, 3);
    assert_eq!(
        log_count(&server, "fa").await,
        2,
        "five in all: fa's oldest went"
    );
    assert_eq!(status_count(&server, "fa", &fa_ids[1]).await, 0);
    assert!(server.requests().is_empty(), "the log is off");
}

#[tokio::test]
async fn invocation_records_keep_the_newest_1000_per_function() {
    let server = Server::start().await.unwrap();
    create(&server, "fa").await;
    let mut ids = Vec::new();
    for _ in 0..1003 {
        ids.push(invoke(&server, "fa", "RequestResponse").await);
    }
    assert_eq!(log_count(&server, "fa").await, 1000);
    assert_eq!(status_count(&server, "fa", &ids[2]).await, 0);
    assert_eq!(status_count(&server, "fa", &ids[3]).await, 1);
}
