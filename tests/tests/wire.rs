//! What the client puts on the wire, checked against what scf-local recorded: headers, the
//! signature's shape, the JSON body, regions, and inputs that must never be sent.

use std::collections::BTreeSet;

use scf_api::actions::{
    CommonError, GetAsyncEventStatusError, GetAsyncEventStatusRequest, GetAsyncEventStatusResponse,
    GetRequestStatusError, GetRequestStatusRequest, GetRequestStatusResponse,
};
use scf_api::types::{AsyncEventState, AsyncEventStatus, RequestStatus};
use scf_api::{Action, CallOptions, Credentials, ErrorKind, InputProblem, Language};
use scf_api_tests::{
    REGION, builder_for, client_for, client_without_region, header_count, now_unix, only_request,
    recorded_id, utc_date,
};
use scf_local::{Outcome, Server};
use serde_json::json;

/// The `InvalidInput` problems of a failed call; panics on any other outcome.
#[track_caller]
fn problems<O: std::fmt::Debug, E: scf_api::ErrorCode>(
    result: Result<O, scf_api::Error<E>>,
) -> Vec<InputProblem> {
    let err = result.expect_err("the call must fail before sending");
    assert_eq!(err.request_id(), None, "nothing was sent: {err:?}");
    assert!(err.code().is_none(), "{err:?}");
    match err.kind() {
        ErrorKind::InvalidInput(invalid) => invalid.problems().to_vec(),
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

#[tokio::test]
async fn get_request_status_success_matches_example_and_wire() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let client = client_for(&server);
    let before = now_unix();
    let out = client
        .get_request_status()
        .function_name("f")
        .function_request_id("id")
        .send()
        .await
        .expect("GetRequestStatus succeeds");
    let after = now_unix();

    let rec = only_request(&server);
    let rid = recorded_id(&rec);
    assert!(!out.request_id.is_empty());
    assert_eq!(out.request_id, rid, "decoded RequestId = X-TC-RequestId");

    // The decoded response is the spec's example, member by member.
    assert_eq!(
        out,
        GetRequestStatusResponse {
            total_count: Some(1),
            data: Some(vec![RequestStatus {
                function_name: "function-demo".to_owned(),
                ret_msg: "Hello".to_owned(),
                request_id: "96d91886-f49b-4962-825e-1b4b8a2585f7".to_owned(),
                start_time: "2024-12-25 19:50:07".to_owned(),
                ret_code: 0,
                duration: 0.0,
                mem_usage: 0.0,
                retry_num: 0,
            }]),
            request_id: rid.clone(),
        }
    );

    // What was on the wire.
    assert_eq!(rec.outcome, Outcome::Ok);
    assert_eq!(rec.method, "POST");
    assert_eq!(rec.path, "/");
    assert_eq!(rec.action.as_deref(), Some("GetRequestStatus"));
    assert_eq!(rec.header("X-TC-Action"), Some("GetRequestStatus"));
    assert_eq!(rec.header("X-TC-Version"), Some("2018-04-16"));
    assert_eq!(rec.header("X-TC-Region"), Some(REGION));
    assert_eq!(rec.header("Content-Type"), Some("application/json"));
    assert_eq!(header_count(&rec, "content-type"), 1, "{:?}", rec.headers);
    let host = format!("127.0.0.1:{}", server.addr().port());
    assert_eq!(rec.header("Host"), Some(host.as_str()));
    assert_eq!(header_count(&rec, "host"), 1, "{:?}", rec.headers);
    assert_eq!(rec.header("X-TC-Token"), None);
    assert_eq!(rec.header("X-TC-Language"), None);

    let timestamp: u64 = rec
        .header("X-TC-Timestamp")
        .expect("X-TC-Timestamp is sent")
        .parse()
        .expect("X-TC-Timestamp is an integer");
    assert!(
        before.saturating_sub(2) <= timestamp && timestamp <= after + 2,
        "timestamp {timestamp} not within [{before}, {after}]"
    );
    // The scope date is the UTC date of the timestamp, which is today (give or take a
    // midnight between the two clock reads).
    let date = utc_date(timestamp);
    assert!(
        date == utc_date(before) || date == utc_date(after),
        "{date}"
    );

    let authorization = rec.header("Authorization").expect("Authorization is sent");
    let prefix = format!(
        "TC3-HMAC-SHA256 Credential={}/{date}/scf/tc3_request, SignedHeaders=content-type;host, Signature=",
        server.secret_id()
    );
    assert!(
        authorization.starts_with(&prefix),
        "{authorization:?} does not start with {prefix:?}"
    );
    let signature = &authorization[prefix.len()..];
    assert_eq!(signature.len(), 64, "{signature:?}");
    assert!(
        signature
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)),
        "{signature:?}"
    );

    // Exactly the two set inputs; the unset optional ones are absent, not null.
    assert_eq!(
        rec.json().expect("the body is JSON"),
        json!({"FunctionName": "f", "FunctionRequestId": "id"})
    );
    assert_eq!(rec.body_len, rec.body.len() as u64);

    // The secret key itself never travels.
    let wire = format!("{:?} {}", rec.headers, String::from_utf8_lossy(&rec.body));
    assert!(!wire.contains(server.secret_key()));
}

#[tokio::test]
async fn get_request_status_sends_every_optional_input_that_is_set() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let client = client_for(&server);
    client
        .get_request_status()
        .function_name("fn-1")
        .function_request_id("req-1")
        .namespace("ns")
        .start_time("2024-12-25 19:00:00")
        .end_time("2024-12-25 20:00:00")
        .send()
        .await
        .expect("GetRequestStatus with every input succeeds");
    let rec = only_request(&server);
    assert_eq!(rec.outcome, Outcome::Ok);
    assert_eq!(
        rec.json().unwrap(),
        json!({
            "FunctionName": "fn-1",
            "FunctionRequestId": "req-1",
            "Namespace": "ns",
            "StartTime": "2024-12-25 19:00:00",
            "EndTime": "2024-12-25 20:00:00",
        })
    );
}

#[tokio::test]
async fn get_async_event_status_success_and_regions() {
    let server = Server::builder().examples_only().start().await.unwrap();

    // Without a region: no X-TC-Region header at all (the action does not need one).
    let client = client_without_region(&server);
    let out = client
        .get_async_event_status()
        .invoke_request_id("evt-1")
        .send()
        .await
        .expect("GetAsyncEventStatus without a region succeeds");
    let rec = only_request(&server);
    assert_eq!(rec.outcome, Outcome::Ok);
    assert_eq!(rec.header("X-TC-Action"), Some("GetAsyncEventStatus"));
    assert_eq!(header_count(&rec, "x-tc-region"), 0, "{:?}", rec.headers);
    assert_eq!(rec.json().unwrap(), json!({"InvokeRequestId": "evt-1"}));
    assert_eq!(
        out,
        GetAsyncEventStatusResponse {
            result: AsyncEventStatus {
                status: AsyncEventState::Running,
                status_code: 0,
                invoke_request_id: "5f825fd3-a59d-4879-aa28-3ac967c12888".to_owned(),
            },
            request_id: recorded_id(&rec),
        }
    );
    server.clear_requests();

    // With a supported region: sent.
    let client = client_for(&server);
    let out = client
        .get_async_event_status()
        .invoke_request_id("evt-2")
        .send()
        .await
        .expect("GetAsyncEventStatus in ap-guangzhou succeeds");
    let rec = only_request(&server);
    assert_eq!(rec.header("X-TC-Region"), Some("ap-guangzhou"));
    assert_eq!(out.result.status, "RUNNING");
    assert_eq!(out.request_id, recorded_id(&rec));
    server.clear_requests();

    // With a region the action does not support: rejected before sending.
    let xian = builder_for(&server).region("ap-xian-ec").build().unwrap();
    let got = problems(
        xian.get_async_event_status()
            .invoke_request_id("evt-3")
            .send()
            .await,
    );
    let supported = <GetAsyncEventStatusRequest as Action>::META.supported_regions;
    assert!(supported.contains(&"ap-guangzhou"));
    assert!(!supported.contains(&"ap-xian-ec"));
    assert_eq!(
        got,
        vec![InputProblem::UnsupportedRegion {
            region: "ap-xian-ec".to_owned(),
            supported,
        }]
    );
    // A per-call override to an unsupported region is rejected just the same.
    let got = problems(
        client
            .get_async_event_status()
            .invoke_request_id("evt-4")
            .options(CallOptions::new().region("ap-xian-ec"))
            .send()
            .await,
    );
    assert!(
        matches!(&got[..], [InputProblem::UnsupportedRegion { region, .. }] if region == "ap-xian-ec"),
        "{got:?}"
    );
    assert!(server.requests().is_empty(), "{:#?}", server.requests());

    // A per-call override to a supported region rescues a client configured with an
    // unsupported one.
    xian.get_async_event_status()
        .invoke_request_id("evt-5")
        .options(CallOptions::new().region("ap-shanghai"))
        .send()
        .await
        .expect("the per-call region wins");
    assert_eq!(
        only_request(&server).header("X-TC-Region"),
        Some("ap-shanghai")
    );
    server.clear_requests();

    // The region list is per action: GetRequestStatus supports every region.
    xian.get_request_status()
        .function_name("f")
        .function_request_id("id")
        .send()
        .await
        .expect("GetRequestStatus has no region restriction");
    assert_eq!(
        only_request(&server).header("X-TC-Region"),
        Some("ap-xian-ec")
    );
}

#[tokio::test]
async fn invalid_inputs_never_reach_the_wire() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let client = client_for(&server);

    // No inputs at all: both required inputs are reported, in order.
    let got = problems(client.get_request_status().send().await);
    assert_eq!(
        got,
        vec![
            InputProblem::Missing {
                member: "FunctionName"
            },
            InputProblem::Missing {
                member: "FunctionRequestId"
            },
        ]
    );

    // StartTime without EndTime.
    let got = problems(
        client
            .get_request_status()
            .function_name("f")
            .function_request_id("id")
            .start_time("2024-12-25 19:00:00")
            .send()
            .await,
    );
    assert_eq!(
        got,
        vec![InputProblem::RequiredWith {
            member: "EndTime",
            when: "StartTime"
        }]
    );

    // GetRequestStatus needs a region.
    let no_region = client_without_region(&server);
    let got = problems(
        no_region
            .get_request_status()
            .function_name("f")
            .function_request_id("id")
            .send()
            .await,
    );
    assert_eq!(got, vec![InputProblem::MissingRegion]);

    // Every problem at once.
    let got = problems(no_region.get_request_status().start_time("x").send().await);
    assert_eq!(
        got,
        vec![
            InputProblem::Missing {
                member: "FunctionName"
            },
            InputProblem::Missing {
                member: "FunctionRequestId"
            },
            InputProblem::RequiredWith {
                member: "EndTime",
                when: "StartTime"
            },
            InputProblem::MissingRegion,
        ]
    );

    // GetAsyncEventStatus without its required input.
    let err = client
        .get_async_event_status()
        .send()
        .await
        .expect_err("InvokeRequestId is required");
    assert_eq!(err.action(), "GetAsyncEventStatus");
    match err.kind() {
        ErrorKind::InvalidInput(invalid) => assert_eq!(
            invalid.problems(),
            &[InputProblem::Missing {
                member: "InvokeRequestId"
            }]
        ),
        other => panic!("expected InvalidInput, got {other:?}"),
    }
    assert!(err.to_string().contains("InvokeRequestId"), "{err}");

    assert!(
        server.requests().is_empty(),
        "invalid requests were sent: {:#?}",
        server.requests()
    );
}

#[tokio::test]
async fn call_options_region_overrides_the_client_region() {
    let server = Server::builder().examples_only().start().await.unwrap();

    // A client without region, with a per-call region: valid and sent.
    let client = client_without_region(&server);
    let out = client
        .get_request_status()
        .function_name("f")
        .function_request_id("id")
        .options(CallOptions::new().region("ap-shanghai"))
        .send()
        .await
        .expect("the per-call region satisfies the region requirement");
    let rec = only_request(&server);
    assert_eq!(rec.outcome, Outcome::Ok);
    assert_eq!(rec.header("X-TC-Region"), Some("ap-shanghai"));
    assert_eq!(header_count(&rec, "x-tc-region"), 1);
    assert_eq!(out.total_count, Some(1));
    server.clear_requests();

    // A client with a region: the per-call one wins, and only for that call.
    let client = client_for(&server);
    client
        .get_request_status()
        .function_name("f")
        .function_request_id("id")
        .options(CallOptions::new().region("ap-shanghai"))
        .send()
        .await
        .unwrap();
    client
        .get_request_status()
        .function_name("f")
        .function_request_id("id")
        .send()
        .await
        .unwrap();
    let regions: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("X-TC-Region").map(str::to_owned))
        .collect();
    assert_eq!(
        regions,
        vec![Some("ap-shanghai".to_owned()), Some(REGION.to_owned())]
    );
}

#[tokio::test]
async fn language_header_only_when_configured() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let english = builder_for(&server)
        .region(REGION)
        .language(Language::EnUs)
        .build()
        .unwrap();
    let chinese = builder_for(&server)
        .region(REGION)
        .language(Language::ZhCn)
        .build()
        .unwrap();
    for client in [&english, &chinese, &client_for(&server)] {
        client
            .get_async_event_status()
            .invoke_request_id("e")
            .send()
            .await
            .unwrap();
    }
    let languages: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("X-TC-Language").map(str::to_owned))
        .collect();
    assert_eq!(
        languages,
        vec![Some("en-US".to_owned()), Some("zh-CN".to_owned()), None]
    );
}

#[tokio::test]
async fn session_token_is_sent_and_checked() {
    let server = Server::builder()
        .examples_only()
        .token(Some("tok".into()))
        .start()
        .await
        .unwrap();
    let with_token = |token: &str| {
        builder_for(&server)
            .credentials(
                Credentials::new(server.secret_id(), server.secret_key()).with_token(token),
            )
            .region(REGION)
            .build()
            .unwrap()
    };

    // The right token.
    let out = with_token("tok")
        .get_request_status()
        .function_name("f")
        .function_request_id("id")
        .send()
        .await
        .expect("the right token is accepted");
    let rec = only_request(&server);
    assert_eq!(rec.outcome, Outcome::Ok);
    assert_eq!(rec.header("X-TC-Token"), Some("tok"));
    assert_eq!(header_count(&rec, "x-tc-token"), 1);
    // The token is not a signed header.
    assert!(
        rec.header("Authorization")
            .unwrap()
            .contains("SignedHeaders=content-type;host,"),
        "{:?}",
        rec.header("Authorization")
    );
    assert_eq!(out.request_id, recorded_id(&rec));
    server.clear_requests();

    // A wrong token.
    let err = with_token("not-the-token")
        .get_request_status()
        .function_name("f")
        .function_request_id("id")
        .send()
        .await
        .expect_err("a wrong token is rejected");
    let rec = only_request(&server);
    assert_eq!(rec.header("X-TC-Token"), Some("not-the-token"));
    assert_eq!(
        rec.outcome,
        Outcome::Error {
            code: "AuthFailure.TokenFailure".to_owned()
        }
    );
    assert_eq!(
        err.code(),
        Some(&GetRequestStatusError::Common(
            CommonError::AuthFailureTokenFailure
        ))
    );
    assert_eq!(err.request_id(), Some(recorded_id(&rec).as_str()));
    assert!(!err.service_error().unwrap().message.is_empty());
    server.clear_requests();

    // No token at all against a server that needs one.
    let err = client_for(&server)
        .get_async_event_status()
        .invoke_request_id("e")
        .send()
        .await
        .expect_err("a missing token is rejected");
    let rec = only_request(&server);
    assert_eq!(rec.header("X-TC-Token"), None);
    assert_eq!(
        err.code(),
        Some(&GetAsyncEventStatusError::Common(
            CommonError::AuthFailureTokenFailure
        ))
    );
    assert_eq!(err.request_id(), Some(recorded_id(&rec).as_str()));
}

#[tokio::test]
async fn generic_execute_sends_a_request_value() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let client = client_for(&server);
    let request = GetRequestStatusRequest {
        function_name: Some("gen-fn".to_owned()),
        function_request_id: Some("gen-id".to_owned()),
        ..Default::default()
    };
    let out = client.execute(&request).await.expect("execute succeeds");
    let rec = only_request(&server);
    assert_eq!(rec.outcome, Outcome::Ok);
    assert_eq!(rec.header("X-TC-Action"), Some("GetRequestStatus"));
    assert_eq!(
        rec.json().unwrap(),
        json!({"FunctionName": "gen-fn", "FunctionRequestId": "gen-id"})
    );
    assert_eq!(out.total_count, Some(1));
    assert_eq!(out.data.as_ref().map(Vec::len), Some(1));
    assert_eq!(out.request_id, recorded_id(&rec));
    server.clear_requests();

    // The builder's request and a hand-built one are the same value, and execute_with
    // applies per-call options.
    let built = client
        .get_request_status()
        .function_name("gen-fn")
        .function_request_id("gen-id")
        .into_request();
    assert_eq!(built, request);
    let async_request = GetAsyncEventStatusRequest {
        invoke_request_id: Some("gen-evt".to_owned()),
    };
    let out = client
        .execute_with(&async_request, &CallOptions::new().region("ap-tokyo"))
        .await
        .expect("execute_with succeeds");
    let rec = only_request(&server);
    assert_eq!(rec.header("X-TC-Region"), Some("ap-tokyo"));
    assert_eq!(rec.json().unwrap(), json!({"InvokeRequestId": "gen-evt"}));
    assert_eq!(
        out.result.invoke_request_id,
        "5f825fd3-a59d-4879-aa28-3ac967c12888"
    );

    // An invalid value is rejected by execute just as by the builder.
    let err = client
        .execute(&GetRequestStatusRequest::default())
        .await
        .expect_err("missing inputs");
    assert!(matches!(err.kind(), ErrorKind::InvalidInput(_)), "{err:?}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn concurrent_calls_on_one_cloned_client() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let client = client_for(&server);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..50 {
        let client = client.clone();
        tasks.spawn(async move {
            let out = client
                .get_async_event_status()
                .invoke_request_id(format!("evt-{i}"))
                .send()
                .await;
            (i, out)
        });
    }
    let mut response_ids = BTreeSet::new();
    while let Some(joined) = tasks.join_next().await {
        let (i, out) = joined.expect("task did not panic");
        let out = out.unwrap_or_else(|e| panic!("call {i} failed: {e}"));
        assert_eq!(out.result.status, "RUNNING");
        assert!(!out.request_id.is_empty());
        response_ids.insert(out.request_id);
    }
    assert_eq!(response_ids.len(), 50, "request ids are distinct");

    let requests = server.requests();
    assert_eq!(requests.len(), 50);
    assert!(requests.iter().all(|r| r.outcome == Outcome::Ok));
    let recorded_ids: BTreeSet<String> = requests.iter().map(recorded_id).collect();
    assert_eq!(recorded_ids, response_ids);
    let sent: BTreeSet<String> = requests
        .iter()
        .map(|r| {
            r.json().unwrap()["InvokeRequestId"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let expected: BTreeSet<String> = (0..50).map(|i| format!("evt-{i}")).collect();
    assert_eq!(sent, expected);
}

#[tokio::test]
async fn non_ascii_and_escaped_inputs_are_signed_and_sent_verbatim() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let client = client_for(&server);
    let name = "函数-ünïcode-\u{1F600}";
    let id = "quote\" backslash\\ newline\n tab\t";
    client
        .get_request_status()
        .function_name(name)
        .function_request_id(id)
        .send()
        .await
        .expect("the signature covers the UTF-8 body");
    let rec = only_request(&server);
    assert_eq!(rec.outcome, Outcome::Ok);
    assert_eq!(
        rec.json().unwrap(),
        json!({"FunctionName": name, "FunctionRequestId": id})
    );
}

#[tokio::test]
async fn credentials_are_trimmed_before_signing() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let client = builder_for(&server)
        .credentials(Credentials::new(
            format!("  {}\n", server.secret_id()),
            format!("\t{} \r\n", server.secret_key()),
        ))
        .region(REGION)
        .build()
        .unwrap();
    client
        .get_request_status()
        .function_name("f")
        .function_request_id("id")
        .send()
        .await
        .expect("padded credentials work");
    let rec = only_request(&server);
    assert_eq!(rec.outcome, Outcome::Ok);
    let expected = format!("TC3-HMAC-SHA256 Credential={}/", server.secret_id());
    assert!(
        rec.header("Authorization").unwrap().starts_with(&expected),
        "{:?}",
        rec.header("Authorization")
    );
}

#[tokio::test]
async fn client_configuration_is_checked_at_build_time() {
    let server = Server::builder().examples_only().start().await.unwrap();
    // Without credentials anywhere, the client builds (credentials are fetched per call) and
    // the call fails before anything is sent.
    let empty = scf_api::Environment::from_vars(Vec::<(String, String)>::new());
    let client = scf_api::ClientBuilder::from_environment(empty)
        .endpoint(scf_api::Endpoint::Url(server.url()))
        .build()
        .expect("credentials are not needed to build");
    let err = client
        .get_async_event_status()
        .invoke_request_id("e")
        .send()
        .await
        .expect_err("no credentials");
    assert!(
        matches!(err.kind(), scf_api::ErrorKind::Credentials(_)),
        "{err:?}"
    );
    assert_eq!(err.attempts(), 0);
    assert!(server.requests().is_empty());

    for bad in [
        format!("{}/api", server.url()),
        format!("{}/?x=1", server.url()),
        "ftp://127.0.0.1:21".to_owned(),
        "not a url".to_owned(),
    ] {
        let err = builder_for(&server)
            .endpoint(scf_api::Endpoint::Url(bad.clone()))
            .build()
            .expect_err("an invalid endpoint");
        assert!(
            matches!(&err, scf_api::ConfigError::InvalidEndpoint(msg) if msg.contains(&bad)),
            "{bad}: {err:?}"
        );
    }

    // A trailing slash is fine, and the Host header keeps the port.
    let client = builder_for(&server)
        .endpoint(scf_api::Endpoint::Url(format!("{}/", server.url())))
        .build()
        .unwrap();
    client
        .get_async_event_status()
        .invoke_request_id("e")
        .send()
        .await
        .expect("trailing slash endpoint works");
    let rec = only_request(&server);
    assert_eq!(rec.path, "/");
    assert_eq!(
        rec.header("Host"),
        Some(format!("127.0.0.1:{}", server.addr().port()).as_str())
    );
}
