//! A required object output that the answer lacks, or sends as `null`, is a decoding error
//! (`DecodeErrorKind::UnexpectedShape`), not a made-up default: an `Invoke` without `Result`
//! must not look like a function that returned `""` with code 0. Missing or `null` scalars and
//! lists stay tolerated, and a service error, which carries no output, is still a service error.

use std::fmt::Debug;

use scf_api::{
    Client, Credentials, DecodeErrorKind, Endpoint, Error, ErrorCode, ErrorKind, RetryPolicy,
};
use scf_api_tests::REGION;
use scf_api_tests::raw::{RawServer, Reply};

/// The answers lacking `Result`: left out, and `null`.
const WITHOUT_RESULT: [&str; 2] = [
    r#"{"Response":{"RequestId":"r"}}"#,
    r#"{"Response":{"Result":null,"RequestId":"r"}}"#,
];

/// A server on 127.0.0.1 answering every request with `body` (status 200, JSON), and a client
/// of it with fixed credentials and retries disabled.
async fn serve(body: &str) -> (RawServer, Client) {
    let server = RawServer::start(Reply::Answer {
        status: "200 OK",
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: body.as_bytes().to_vec(),
    })
    .await;
    let client = Client::builder()
        .credentials(Credentials::new("AKIDtest", "key"))
        .endpoint(Endpoint::Url(server.url()))
        .region(REGION)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("client configuration is valid");
    (server, client)
}

/// Asserts that `err` is an `UnexpectedShape` decoding error naming the request id `r`.
#[track_caller]
fn assert_unexpected_shape<E: Debug>(body: &str, err: &Error<E>) {
    match err.kind() {
        ErrorKind::Decode(d) => assert_eq!(d.kind, DecodeErrorKind::UnexpectedShape, "{body}"),
        other => panic!("{body}: expected a decoding error, got {other:?}"),
    }
    assert_eq!(err.request_id(), Some("r"), "{body}");
}

#[tokio::test]
async fn invoke_without_result_is_a_decoding_error() {
    for body in WITHOUT_RESULT {
        let (server, client) = serve(body).await;
        let err = client
            .invoke()
            .function_name("f")
            .send()
            .await
            .expect_err(body);
        assert_unexpected_shape(body, &err);
        // The helper that tells a function's failure from an API error reports it too.
        let err = client
            .invoke()
            .function_name("f")
            .invoke()
            .await
            .expect_err(body);
        assert_unexpected_shape(body, &err);
        assert_eq!(server.received().len(), 2, "no retry: {body}");
    }
}

#[tokio::test]
async fn invoke_function_without_result_is_a_decoding_error() {
    for body in WITHOUT_RESULT {
        let (_server, client) = serve(body).await;
        let err = client
            .invoke_function()
            .function_name("f")
            .send()
            .await
            .expect_err(body);
        assert_unexpected_shape(body, &err);
        let err = client
            .invoke_function()
            .function_name("f")
            .invoke()
            .await
            .expect_err(body);
        assert_unexpected_shape(body, &err);
    }
}

#[tokio::test]
async fn null_scalars_and_lists_still_decode() {
    // Scalars inside the required object.
    let (_server, client) = serve(
        r#"{"Response":{"Result":{"RetMsg":null,"InvokeResult":null,"MemUsage":null,"Log":null},"RequestId":"r"}}"#,
    )
    .await;
    let out = client.invoke().function_name("f").send().await.unwrap();
    assert_eq!(out.result.ret_msg, "");
    assert_eq!(out.result.invoke_result, 0);
    assert_eq!(out.request_id, "r");

    // Required top-level scalars, null and missing.
    let (_server, client) = serve(r#"{"Response":{"Url":null,"RequestId":"r"}}"#).await;
    let out = client
        .get_function_address()
        .function_name("f")
        .send()
        .await
        .unwrap();
    assert_eq!((out.url.as_str(), out.code_sha256.as_str()), ("", ""));

    // Required lists and totals.
    let (_server, client) =
        serve(r#"{"Response":{"Functions":null,"TotalCount":null,"RequestId":"r"}}"#).await;
    let out = client.list_functions().send().await.unwrap();
    assert!(out.functions.is_empty());
    assert_eq!(out.total_count, 0);
}

#[tokio::test]
async fn a_service_error_without_result_is_still_a_service_error() {
    let (_server, client) = serve(
        r#"{"Response":{"Error":{"Code":"ResourceNotFound.Function","Message":"no such function"},"RequestId":"r"}}"#,
    )
    .await;
    let err = client
        .invoke()
        .function_name("f")
        .send()
        .await
        .expect_err("an error answer");
    match err.kind() {
        ErrorKind::Service(s) => assert_eq!(s.code.code(), "ResourceNotFound.Function"),
        other => panic!("expected a service error, got {other:?}"),
    }
    assert_eq!(err.request_id(), Some("r"));
}
