//! End-to-end failure handling of the client against scf-local: authentication failures,
//! injected service errors, non-envelope answers, decode errors, transport failures,
//! timeouts, tolerant decoding, and secrets kept out of `Debug`.

use std::time::{Duration, Instant};

use scf_api::actions::{CommonError, GetAsyncEventStatusError, GetRequestStatusError};
use scf_api::{CallOptions, Credentials, DecodeErrorKind, Endpoint, ErrorKind};
use scf_api_tests::{REGION, builder_for, client_for, header_count, only_request, recorded_id};
use scf_local::{Fault, Outcome, Server};

/// Sends a valid `GetRequestStatus` with `client`.
async fn get_request_status(
    client: &scf_api::Client,
) -> Result<scf_api::actions::GetRequestStatusResponse, scf_api::Error<GetRequestStatusError>> {
    client
        .get_request_status()
        .function_name("f")
        .function_request_id("id")
        .send()
        .await
}

#[tokio::test]
async fn wrong_secret_key_is_a_signature_failure() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let client = builder_for(&server)
        .credentials(Credentials::new(server.secret_id(), "not-the-secret-key"))
        .region(REGION)
        .build()
        .unwrap();
    let err = get_request_status(&client)
        .await
        .expect_err("a wrong key cannot sign");
    let rec = only_request(&server);
    assert_eq!(
        rec.outcome,
        Outcome::Error {
            code: "AuthFailure.SignatureFailure".to_owned()
        }
    );
    assert_eq!(
        err.code(),
        Some(&GetRequestStatusError::Common(
            CommonError::AuthFailureSignatureFailure
        ))
    );
    assert_eq!(err.action(), "GetRequestStatus");
    assert_eq!(err.request_id(), Some(recorded_id(&rec).as_str()));
    let service = err.service_error().unwrap();
    assert!(!service.message.is_empty());
    assert_eq!(service.status, 200);
}

#[tokio::test]
async fn unknown_secret_id_is_not_found() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let client = builder_for(&server)
        .credentials(Credentials::new(
            "AKIDnobodyknowsthisid",
            server.secret_key(),
        ))
        .region(REGION)
        .build()
        .unwrap();
    let err = client
        .get_async_event_status()
        .invoke_request_id("e")
        .send()
        .await
        .expect_err("an unknown SecretId is rejected");
    let rec = only_request(&server);
    assert!(
        rec.header("Authorization")
            .unwrap()
            .starts_with("TC3-HMAC-SHA256 Credential=AKIDnobodyknowsthisid/"),
        "{:?}",
        rec.header("Authorization")
    );
    assert_eq!(
        rec.outcome.error_code(),
        Some("AuthFailure.SecretIdNotFound")
    );
    assert_eq!(
        err.code(),
        Some(&GetAsyncEventStatusError::Common(
            CommonError::AuthFailureSecretIdNotFound
        ))
    );
    assert_eq!(err.request_id(), Some(recorded_id(&rec).as_str()));
    assert!(!err.service_error().unwrap().message.is_empty());
}

#[tokio::test]
async fn injected_service_errors_are_typed() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let client = client_for(&server);

    // A documented code.
    server.push_fault(Fault::service_error(
        "ResourceNotFound.AsyncEvent",
        "no such event",
    ));
    let err = client
        .get_async_event_status()
        .invoke_request_id("e")
        .send()
        .await
        .expect_err("the injected error");
    let rec = only_request(&server);
    let rid = recorded_id(&rec);
    assert_eq!(
        rec.outcome.error_code(),
        Some("ResourceNotFound.AsyncEvent")
    );
    assert_eq!(
        err.code(),
        Some(&GetAsyncEventStatusError::ResourceNotFoundAsyncEvent)
    );
    let service = err.service_error().unwrap();
    assert_eq!(service.message, "no such event");
    assert_eq!(service.status, 200);
    assert_eq!(err.request_id(), Some(rid.as_str()));
    let shown = err.to_string();
    for part in [
        "GetAsyncEventStatus",
        "ResourceNotFound.AsyncEvent",
        "no such event",
        rid.as_str(),
    ] {
        assert!(shown.contains(part), "{shown:?} lacks {part:?}");
    }
    server.clear_requests();

    // An undocumented code keeps its wire spelling.
    server.push_fault(Fault::service_error("FailedOperation.Brand.New", "new"));
    let err = client
        .get_async_event_status()
        .invoke_request_id("e")
        .send()
        .await
        .expect_err("the injected error");
    let rid = recorded_id(&only_request(&server));
    assert_eq!(
        err.code(),
        Some(&GetAsyncEventStatusError::Unknown(
            "FailedOperation.Brand.New".into()
        ))
    );
    assert_eq!(err.request_id(), Some(rid.as_str()));
    let shown = err.to_string();
    for part in [
        "GetAsyncEventStatus",
        "FailedOperation.Brand.New",
        rid.as_str(),
    ] {
        assert!(shown.contains(part), "{shown:?} lacks {part:?}");
    }
    server.clear_requests();

    // The fault was used up: the next call succeeds.
    let out = client
        .get_async_event_status()
        .invoke_request_id("e")
        .send()
        .await
        .expect("no fault left");
    assert_eq!(out.result.status, "RUNNING");
}

#[tokio::test]
async fn error_envelope_is_a_service_error_on_any_status() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let client = client_for(&server);

    // HTTP 200 with an error envelope is a failure, not a success.
    server.push_fault(Fault::raw(
        200,
        "application/json",
        br#"{"Response":{"Error":{"Code":"InternalError","Message":"boom"},"RequestId":"rid-1"}}"#
            .to_vec(),
    ));
    let err = get_request_status(&client)
        .await
        .expect_err("an error envelope on HTTP 200 is a failure");
    assert_eq!(
        err.code(),
        Some(&GetRequestStatusError::Common(CommonError::InternalError))
    );
    assert_eq!(err.request_id(), Some("rid-1"));
    let service = err.service_error().unwrap();
    assert_eq!(service.message, "boom");
    assert_eq!(service.status, 200);
    assert_eq!(only_request(&server).outcome, Outcome::Raw { status: 200 });
    server.clear_requests();

    // HTTP 503 with an error envelope: still a service error, with the status.
    server.push_fault(Fault::raw(
        503,
        "application/json",
        br#"{"Response":{"Error":{"Code":"ServiceUnavailable","Message":"later"},"RequestId":"rid-503"}}"#
            .to_vec(),
    ));
    let err = get_request_status(&client)
        .await
        .expect_err("an error envelope on HTTP 503 is a failure");
    assert_eq!(
        err.code(),
        Some(&GetRequestStatusError::Common(
            CommonError::ServiceUnavailable
        ))
    );
    assert_eq!(err.request_id(), Some("rid-503"));
    let service = err.service_error().unwrap();
    assert_eq!(service.status, 503);
    assert_eq!(service.message, "later");
    assert_eq!(only_request(&server).outcome, Outcome::Raw { status: 503 });
}

#[tokio::test]
async fn html_gateway_page_is_an_http_error() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let client = client_for(&server);
    server.push_fault(Fault::raw(
        502,
        "text/html",
        b"<html><body>Bad Gateway</body></html>".to_vec(),
    ));
    let err = get_request_status(&client)
        .await
        .expect_err("a 502 page is a failure");
    match err.kind() {
        ErrorKind::Http(http) => {
            assert_eq!(http.status, 502);
            assert_eq!(http.content_type.as_deref(), Some("text/html"));
            assert!(http.body_snippet.contains("Bad Gateway"), "{http:?}");
        }
        other => panic!("expected Http, got {other:?}"),
    }
    assert!(err.code().is_none());
    assert!(err.service_error().is_none());
    assert_eq!(err.request_id(), None);
    assert!(!err.is_timeout());
    assert!(err.to_string().contains("502"), "{err}");
    assert_eq!(only_request(&server).outcome, Outcome::Raw { status: 502 });
}

#[tokio::test]
async fn undecodable_success_bodies_are_classified() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let client = client_for(&server);
    let cases: [(&str, &[u8], DecodeErrorKind); 6] = [
        (
            "application/json",
            br#"{"Response": nope}"#,
            DecodeErrorKind::Malformed,
        ),
        (
            "application/json",
            br#"{"Response": {"RequestId": "x", }"#,
            DecodeErrorKind::Malformed,
        ),
        (
            "application/json",
            br#"{"Response": {"TotalCount": 1, "Data": [{"Func"#,
            DecodeErrorKind::Truncated,
        ),
        (
            "text/html",
            b"<html><body>Welcome</body></html>",
            DecodeErrorKind::NotJson,
        ),
        (
            "application/json",
            br#"{"foo": 1}"#,
            DecodeErrorKind::MissingEnvelope,
        ),
        (
            "application/json",
            br#"{"Response": {"TotalCount": "many", "RequestId": "rid-shape"}}"#,
            DecodeErrorKind::UnexpectedShape,
        ),
    ];
    let mut kinds = Vec::new();
    for (content_type, body, want) in cases {
        server.clear_requests();
        server.push_fault(Fault::raw(200, content_type, body.to_vec()));
        let err = get_request_status(&client)
            .await
            .expect_err("an undecodable body is a failure");
        assert_eq!(only_request(&server).outcome, Outcome::Raw { status: 200 });
        let decode = match err.kind() {
            ErrorKind::Decode(decode) => decode,
            other => panic!(
                "{:?}: expected Decode({want:?}), got {other:?}",
                String::from_utf8_lossy(body)
            ),
        };
        assert_eq!(
            decode.kind,
            want,
            "{:?}: {decode:?}",
            String::from_utf8_lossy(body)
        );
        assert_eq!(decode.status, 200);
        assert_eq!(decode.body_snippet.as_bytes(), body);
        assert!(!decode.message.is_empty());
        assert!(err.code().is_none());
        // The request id is kept when the body states it before (or, for a shape error,
        // anywhere around) the fault.
        let want_id = match want {
            DecodeErrorKind::UnexpectedShape => Some("rid-shape"),
            _ if body.starts_with(br#"{"Response": {"RequestId": "x""#) => Some("x"),
            _ => None,
        };
        assert_eq!(err.request_id(), want_id, "{err:?}");
        kinds.push(decode.kind);
    }
    kinds.dedup();
    assert_eq!(
        kinds,
        [
            DecodeErrorKind::Malformed,
            DecodeErrorKind::Truncated,
            DecodeErrorKind::NotJson,
            DecodeErrorKind::MissingEnvelope,
            DecodeErrorKind::UnexpectedShape,
        ]
    );
}

#[tokio::test]
async fn dropped_connection_is_connection_closed() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let client = client_for(&server);
    server.push_fault(Fault::DropConnection);
    let err = get_request_status(&client)
        .await
        .expect_err("no response arrived");
    assert!(
        matches!(err.kind(), ErrorKind::ConnectionClosed(_)),
        "expected ConnectionClosed, got {err:?}"
    );
    assert!(!err.is_timeout());
    assert_eq!(err.request_id(), None);
    assert!(err.code().is_none());
    // Sent once, not retried behind the caller's back.
    assert_eq!(only_request(&server).outcome, Outcome::Dropped);
}

#[tokio::test]
async fn client_timeout_fires_quickly() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let client = builder_for(&server)
        .region(REGION)
        .attempt_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    server.push_fault(Fault::Delay(Duration::from_secs(2)));
    let started = Instant::now();
    let err = get_request_status(&client)
        .await
        .expect_err("the server is too slow");
    let elapsed = started.elapsed();
    assert!(err.is_timeout(), "{err:?}");
    match err.kind() {
        ErrorKind::Timeout(t) => assert_eq!(t.timeout, Duration::from_millis(300)),
        other => panic!("expected Timeout, got {other:?}"),
    }
    assert!(elapsed >= Duration::from_millis(250), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
    assert_eq!(err.request_id(), None);
    assert_eq!(only_request(&server).outcome, Outcome::Ok);
}

#[tokio::test]
async fn per_call_timeout_overrides_the_client_timeout() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let client = client_for(&server); // 5 s client timeout
    server.push_fault(Fault::Delay(Duration::from_secs(2)));
    let started = Instant::now();
    let err = client
        .get_request_status()
        .function_name("f")
        .function_request_id("id")
        .options(CallOptions::new().attempt_timeout(Duration::from_millis(200)))
        .send()
        .await
        .expect_err("the per-call timeout is shorter than the delay");
    let elapsed = started.elapsed();
    match err.kind() {
        ErrorKind::Timeout(t) => assert_eq!(t.timeout, Duration::from_millis(200)),
        other => panic!("expected Timeout, got {other:?}"),
    }
    assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");

    // A delay shorter than the timeout is just a slow success.
    server.push_fault(Fault::Delay(Duration::from_millis(100)));
    let started = Instant::now();
    let out = get_request_status(&client)
        .await
        .expect("a short delay is fine");
    assert!(started.elapsed() >= Duration::from_millis(100));
    assert_eq!(out.total_count, Some(1));
}

#[tokio::test]
async fn connect_failure_is_connect() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = scf_api::Client::builder()
        .credentials(Credentials::new("AKIDnothinglistens0000", "key"))
        .endpoint(Endpoint::Url(format!("http://127.0.0.1:{port}")))
        .region(REGION)
        .attempt_timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = get_request_status(&client)
        .await
        .expect_err("nothing listens there");
    assert!(
        matches!(err.kind(), ErrorKind::Connect(_)),
        "expected Connect, got {err:?}"
    );
    assert!(!err.is_timeout());
    assert_eq!(err.request_id(), None);
    assert!(started.elapsed() < Duration::from_millis(1500));
}

#[tokio::test]
async fn tolerant_outputs_accept_null_unknown_and_missing_members() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let client = client_for(&server);
    server.push_fault(Fault::raw(
        200,
        "application/json",
        br#"{"Response":{"TotalCount":null,"Data":[{"FunctionName":"f","RetCode":null,"Extra":{"x":1}}],"Unknown":true,"RequestId":"r"}}"#
            .to_vec(),
    ));
    let out = get_request_status(&client)
        .await
        .expect("null, unknown and missing members decode");
    assert_eq!(out.total_count, None);
    assert_eq!(out.request_id, "r");
    let data = out.data.expect("Data is present");
    assert_eq!(data.len(), 1);
    let status = &data[0];
    assert_eq!(status.function_name, "f");
    assert_eq!(status.ret_code, 0);
    assert_eq!(status.ret_msg, "");
    assert_eq!(status.request_id, "");
    assert_eq!(status.start_time, "");
    assert_eq!(status.duration, 0.0);
    assert_eq!(status.mem_usage, 0.0);
    assert_eq!(status.retry_num, 0);

    // A required object is the exception: a null `Result` of GetAsyncEventStatus would be a
    // made-up status, so it fails to decode (more in `required_outputs.rs`).
    server.push_fault(Fault::raw(
        200,
        "application/json",
        br#"{"Response":{"Result":null,"RequestId":"r2"}}"#.to_vec(),
    ));
    let err = client
        .get_async_event_status()
        .invoke_request_id("e")
        .send()
        .await
        .expect_err("a null required object is not decoded as a default");
    match err.kind() {
        ErrorKind::Decode(d) => assert_eq!(d.kind, DecodeErrorKind::UnexpectedShape),
        other => panic!("expected a decoding error, got {other:?}"),
    }
    assert_eq!(err.request_id(), Some("r2"));
}

#[tokio::test]
async fn secrets_never_appear_in_debug() {
    const KEY: &str = "very-secret-key-do-not-print-4711";
    const TOKEN: &str = "very-secret-token-do-not-print-0815";
    let server = Server::builder().examples_only().start().await.unwrap();
    let credentials = Credentials::new(server.secret_id(), KEY).with_token(TOKEN);
    assert_eq!(credentials.secret_key(), KEY);
    assert_eq!(credentials.token(), Some(TOKEN));
    let client = builder_for(&server)
        .credentials(credentials.clone())
        .region(REGION)
        .build()
        .unwrap();

    // The wrong key fails the signature (checked before the token).
    let err = get_request_status(&client)
        .await
        .expect_err("signed with the wrong key");
    assert_eq!(
        err.code(),
        Some(&GetRequestStatusError::Common(
            CommonError::AuthFailureSignatureFailure
        ))
    );
    let rec = only_request(&server);
    assert_eq!(rec.header("X-TC-Token"), Some(TOKEN), "the token was sent");
    assert_eq!(header_count(&rec, "x-tc-token"), 1);

    let shown = [
        ("client", format!("{client:?}")),
        ("client (pretty)", format!("{client:#?}")),
        ("credentials", format!("{credentials:?}")),
        ("credentials (display)", credentials.to_string()),
        ("error", format!("{err:?}")),
        ("error (display)", err.to_string()),
    ];
    for (what, text) in &shown {
        assert!(!text.is_empty());
        assert!(!text.contains(KEY), "{what} shows the key: {text}");
        assert!(!text.contains(TOKEN), "{what} shows the token: {text}");
    }
    // The Debug output is still useful: it names the endpoint and the masked id.
    assert!(
        shown[0].1.contains(&server.addr().port().to_string()),
        "{}",
        shown[0].1
    );
    assert!(shown[2].1.contains("AKID****"), "{}", shown[2].1);

    // The key never travels either.
    let wire = format!("{:?} {}", rec.headers, String::from_utf8_lossy(&rec.body));
    assert!(!wire.contains(KEY));
}

#[tokio::test]
async fn dropped_pooled_connection_is_not_retried() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let client = client_for(&server);
    // The first call leaves a kept-alive connection in the pool; the second reuses it.
    get_request_status(&client).await.expect("first call");
    server.push_fault(Fault::DropConnection);
    let err = get_request_status(&client)
        .await
        .expect_err("the reused connection is dropped");
    assert!(
        matches!(err.kind(), ErrorKind::ConnectionClosed(_)),
        "expected ConnectionClosed, got {err:?}"
    );
    assert_eq!(err.request_id(), None);
    // The client recovers on a new connection.
    let out = get_request_status(&client).await.expect("third call");
    assert_eq!(out.total_count, Some(1));
    let outcomes: Vec<Outcome> = server.requests().into_iter().map(|r| r.outcome).collect();
    assert_eq!(outcomes, [Outcome::Ok, Outcome::Dropped, Outcome::Ok]);
}

#[tokio::test]
async fn client_recovers_after_a_timeout() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let client = builder_for(&server)
        .region(REGION)
        .attempt_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    server.push_fault(Fault::Delay(Duration::from_secs(2)));
    let err = get_request_status(&client).await.expect_err("too slow");
    assert!(err.is_timeout(), "{err:?}");
    let out = get_request_status(&client)
        .await
        .expect("the next call is answered at once");
    assert_eq!(out.total_count, Some(1));
    assert_eq!(server.requests().len(), 2);
    assert_eq!(out.request_id, recorded_id(&server.requests()[1]));
}

#[tokio::test]
async fn non_success_statuses_without_an_error_envelope_are_http_errors() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let client = client_for(&server);

    // No Content-Type at all.
    server.push_fault(Fault::raw(502, "", b"Bad Gateway".to_vec()));
    let err = get_request_status(&client).await.expect_err("502");
    match err.kind() {
        ErrorKind::Http(http) => {
            assert_eq!(http.status, 502);
            assert_eq!(http.content_type, None);
            assert_eq!(http.body_snippet, "Bad Gateway");
        }
        other => panic!("expected Http, got {other:?}"),
    }

    // JSON that is not an envelope.
    server.push_fault(Fault::raw(
        504,
        "application/json",
        br#"{"message":"upstream timed out"}"#.to_vec(),
    ));
    let err = get_request_status(&client).await.expect_err("504");
    match err.kind() {
        ErrorKind::Http(http) => {
            assert_eq!(http.status, 504);
            assert_eq!(http.content_type.as_deref(), Some("application/json"));
            assert!(http.body_snippet.contains("upstream timed out"));
        }
        other => panic!("expected Http, got {other:?}"),
    }
    assert_eq!(err.request_id(), None);

    // An envelope without `Error` on a failure status: an HTTP error that keeps the request id.
    server.push_fault(Fault::raw(
        500,
        "application/json",
        br#"{"Response":{"RequestId":"rid-500"}}"#.to_vec(),
    ));
    let err = get_request_status(&client).await.expect_err("500");
    assert!(
        matches!(err.kind(), ErrorKind::Http(h) if h.status == 500),
        "{err:?}"
    );
    assert_eq!(err.request_id(), Some("rid-500"));
    assert!(err.code().is_none());

    // A long page is quoted only in part.
    let page = format!("<html><body>{}</body></html>", "x".repeat(4000));
    server.push_fault(Fault::raw(502, "text/html", page.clone().into_bytes()));
    let err = get_request_status(&client).await.expect_err("502");
    match err.kind() {
        ErrorKind::Http(http) => {
            assert!(
                http.body_snippet.starts_with(&page[..512]),
                "{:?}",
                http.body_snippet
            );
            assert!(!http.body_snippet.starts_with(&page[..513]));
            assert!(http.body_snippet.len() < 600, "{}", http.body_snippet.len());
        }
        other => panic!("expected Http, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn clock_skew_within_the_window_needs_no_correction() {
    // 200 s behind is within the service's 300 s window: one request, no offset learned.
    // (Beyond the window, the client corrects its clock: see tests/runtime.rs.)
    let behind = Server::builder()
        .examples_only()
        .clock_offset_secs(-200)
        .start()
        .await
        .unwrap();
    let client = client_for(&behind);
    let out = get_request_status(&client)
        .await
        .expect("within the window");
    assert_eq!(out.request_id, recorded_id(&only_request(&behind)));
    assert_eq!(client.clock_offset_secs(), 0);
}

#[tokio::test]
async fn faults_wait_for_an_authenticated_request() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let bad_key = builder_for(&server)
        .credentials(Credentials::new(server.secret_id(), "wrong-key"))
        .region(REGION)
        .build()
        .unwrap();
    server.push_fault(Fault::service_error("LimitExceeded", "quota"));
    // Rejected by the signature check: the fault stays queued.
    let err = get_request_status(&bad_key).await.expect_err("bad key");
    assert_eq!(
        err.code(),
        Some(&GetRequestStatusError::Common(
            CommonError::AuthFailureSignatureFailure
        ))
    );
    // The next authenticated request gets it.
    let err = get_request_status(&client_for(&server))
        .await
        .expect_err("the queued fault");
    assert_eq!(
        err.code(),
        Some(&GetRequestStatusError::Common(CommonError::LimitExceeded))
    );
    assert_eq!(err.service_error().unwrap().message, "quota");
    let codes: Vec<Option<String>> = server
        .requests()
        .iter()
        .map(|r| r.outcome.error_code().map(str::to_owned))
        .collect();
    assert_eq!(
        codes,
        [
            Some("AuthFailure.SignatureFailure".to_owned()),
            Some("LimitExceeded".to_owned())
        ]
    );
}

#[tokio::test]
async fn body_size_limit_matches_the_server() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let client = client_for(&server);
    let limit = scf_api::service::MAX_BODY_BYTES;
    assert_eq!(limit, scf_local::BODY_LIMIT);
    // `{"FunctionName":"<n>","FunctionRequestId":"id"}` is n + 44 bytes.
    let overhead = br#"{"FunctionName":"","FunctionRequestId":"id"}"#.len();
    assert_eq!(overhead, 44);

    // One byte over: rejected before anything is signed or sent.
    let err = client
        .get_request_status()
        .function_name("x".repeat(limit - overhead + 1))
        .function_request_id("id")
        .send()
        .await
        .expect_err("over the limit");
    match err.kind() {
        ErrorKind::InvalidInput(invalid) => assert_eq!(
            invalid.problems(),
            &[scf_api::InputProblem::BodyTooLarge {
                size: limit + 1,
                limit
            }]
        ),
        other => panic!("expected InvalidInput, got {other:?}"),
    }
    assert!(server.requests().is_empty());

    // Exactly at the limit: sent, and the server accepts it too.
    let out = client
        .get_request_status()
        .function_name("x".repeat(limit - overhead))
        .function_request_id("id")
        .send()
        .await
        .expect("a body of exactly the limit is accepted");
    let rec = only_request(&server);
    assert_eq!(rec.outcome, Outcome::Ok);
    assert_eq!(rec.body_len, limit as u64);
    assert_eq!(out.request_id, recorded_id(&rec));
}

#[tokio::test]
async fn json_array_body_is_not_an_envelope() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let client = client_for(&server);
    server.push_fault(Fault::raw(
        200,
        "application/json",
        br#"[{"TotalCount":7,"RequestId":"arr"}]"#.to_vec(),
    ));
    let result = get_request_status(&client).await;
    match &result {
        Err(err) => assert!(
            matches!(err.kind(), ErrorKind::Decode(d) if d.kind == DecodeErrorKind::MissingEnvelope),
            "expected Decode(MissingEnvelope), got {err:?}"
        ),
        Ok(out) => panic!("a JSON array without `Response` decoded as a success: {out:?}"),
    }
}

#[tokio::test]
async fn null_request_id_does_not_fail_a_success_response() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let client = client_for(&server);
    server.push_fault(Fault::raw(
        200,
        "application/json",
        br#"{"Response":{"TotalCount":1,"Data":[],"RequestId":null}}"#.to_vec(),
    ));
    let out = get_request_status(&client)
        .await
        .expect("null members the docs promise are never null decode as defaults");
    assert_eq!(out.total_count, Some(1));
    assert_eq!(out.data, Some(vec![]));
    assert_eq!(out.request_id, "");
}
