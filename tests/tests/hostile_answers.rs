//! What a broken or hostile server answers, and what a hostile configuration asks for, end as
//! typed errors: redirects are not followed, regions cannot steer the host, a service error is
//! not hidden by a decode error, invalid UTF-8 is refused, and a listing that does not advance
//! stops.

use scf_api::actions::{GetFunctionAddressError, ListFunctionsError};
use scf_api::{
    CallOptions, Client, ClientBuilder, ConfigError, Credentials, DecodeErrorKind, Endpoint,
    Environment, ErrorKind, InputProblem, PagingErrorKind, RetryPolicy,
};
use scf_api_tests::hostile::{Answer, Body, HostileServer};

fn builder(url: String) -> ClientBuilder {
    Client::builder()
        .credentials(Credentials::new("AKIDtest", "key"))
        .endpoint(Endpoint::Url(url))
        .region("ap-guangzhou")
        .attempt_timeout(std::time::Duration::from_secs(10))
        .retry_policy(RetryPolicy::disabled())
}

fn client(server: &HostileServer) -> Client {
    builder(server.url()).build().unwrap()
}

fn redirect(status: &'static str, location: String) -> Answer {
    Answer {
        status,
        headers: vec![
            ("Location".into(), location),
            ("Content-Type".into(), "text/plain".into()),
        ],
        body: Body::Bytes(b"elsewhere".to_vec()),
        declared_length: None,
    }
}

const SUCCESS: &str = r#"{"Response":{"Url":"https://other","RequestId":"other"}}"#;

#[tokio::test]
async fn redirects_are_not_followed() {
    let other = HostileServer::start(|_, _| Answer::json(SUCCESS));
    for status in [
        "302 Found",
        "307 Temporary Redirect",
        "308 Permanent Redirect",
    ] {
        let target = format!("{}/", other.url());
        let server = HostileServer::start(move |_, _| redirect(status, target.clone()));
        let client = builder(server.url())
            .credentials(Credentials::new("AKIDtest", "key").with_token("session-token"))
            .build()
            .unwrap();
        let err = client
            .get_function_address()
            .function_name("f")
            .send()
            .await
            .expect_err("a redirect is no answer");
        match err.kind() {
            ErrorKind::Http(h) => {
                assert_eq!(h.status.to_string(), status[..3], "{err}");
                assert_eq!(h.body_snippet, "elsewhere");
            }
            other => panic!("{status}: {other:?}"),
        }
        assert!(!err.is_retryable());
        assert_eq!(server.received().len(), 1, "{status}");
    }
    assert!(
        other.received().is_empty(),
        "no request, token or body reached the redirect's target"
    );
}

#[tokio::test]
async fn an_answer_through_a_redirect_following_client_is_refused() {
    let other = HostileServer::start(|_, _| Answer::json(SUCCESS));
    let target = format!("{}/", other.url());
    let server = HostileServer::start(move |_, _| redirect("302 Found", target.clone()));
    // reqwest's own default follows redirects.
    let follows = reqwest::Client::builder().build().unwrap();
    let client = builder(server.url()).http_client(follows).build().unwrap();
    let err = client
        .get_function_address()
        .function_name("f")
        .send()
        .await
        .expect_err("the other server's answer is not the service's");
    let ErrorKind::Transport(t) = err.kind() else {
        panic!("{err:?}")
    };
    assert!(t.message().contains("redirect"), "{}", t.message());
    assert!(t.message().contains(&other.url()), "{}", t.message());
    assert!(!err.is_retryable());
    assert_eq!(err.attempts(), 1);
}

#[tokio::test]
async fn regions_that_are_not_region_names_are_refused_before_any_io() {
    let server = HostileServer::start(|_, _| Answer::json(SUCCESS));
    let steering = format!("x@127.0.0.1:{}/", server.port());
    let bad = [
        steering.as_str(),
        "ap-guangzhou\n",
        "ap guangzhou",
        "",
        "../",
    ];
    for region in bad {
        // On the builder, and from the environment: the client is not built.
        let built = Client::builder()
            .credentials(Credentials::new("AKIDtest", "key"))
            .endpoint(Endpoint::Regional)
            .region(region)
            .build();
        assert!(
            matches!(built, Err(ConfigError::InvalidRegion(_))),
            "{region:?}"
        );
        let env = Environment::from_vars([("TENCENTCLOUD_REGION", format!("{region}x@y"))]);
        let built = ClientBuilder::from_environment(env)
            .credentials(Credentials::new("AKIDtest", "key"))
            .build();
        assert!(
            matches!(built, Err(ConfigError::InvalidRegion(_))),
            "{region:?}"
        );

        // Per call: an invalid input, no attempt, not retryable.
        let client = Client::builder()
            .credentials(Credentials::new("AKIDtest", "key"))
            .endpoint(Endpoint::Regional)
            .build()
            .unwrap();
        let err = client
            .get_function_address()
            .function_name("f")
            .options(CallOptions::new().region(region))
            .send()
            .await
            .expect_err("refused");
        let ErrorKind::InvalidInput(input) = err.kind() else {
            panic!("{region:?}: {err}")
        };
        assert!(
            input
                .problems()
                .iter()
                .any(|p| matches!(p, InputProblem::InvalidRegion { .. })),
            "{region:?}: {err}"
        );
        assert_eq!((err.attempts(), err.is_retryable()), (0, false));
    }
    assert!(server.received().is_empty(), "no request left the client");
}

#[tokio::test]
async fn a_request_that_cannot_be_built_is_never_retried() {
    let server = HostileServer::start(|_, _| Answer::json(SUCCESS));
    // A token no header can carry.
    let client = builder(server.url())
        .credentials(Credentials::new("AKIDtest", "key").with_token("tok\nen-secret"))
        .retry_policy(RetryPolicy::default())
        .build()
        .unwrap();
    let err = client
        .get_function_address()
        .function_name("f")
        .send()
        .await
        .expect_err("unbuildable");
    assert!(matches!(err.kind(), ErrorKind::Transport(_)), "{err:?}");
    assert_eq!((err.attempts(), err.is_retryable()), (1, false), "{err}");
    assert!(!format!("{err} {err:?}").contains("en-secret"));
    assert!(server.received().is_empty());
}

async fn get_function_address(
    body: &'static str,
) -> Result<(), scf_api::Error<GetFunctionAddressError>> {
    let server = HostileServer::start(move |_, _| Answer::json(body));
    client(&server)
        .get_function_address()
        .function_name("f")
        .send()
        .await
        .map(|_| ())
}

#[tokio::test]
async fn a_service_error_is_not_hidden_by_a_member_of_the_wrong_type() {
    for body in [
        r#"{"Response":{"Url":5,"Error":{"Code":"ResourceNotFound.Function","Message":"m"},"RequestId":"r"}}"#,
        r#"{"Response":{"Error":{"Code":"ResourceNotFound.Function","Message":"m"},"Url":5,"RequestId":"r"}}"#,
        // Duplicate `Error` keys: the first non-null one counts.
        r#"{"Response":{"Error":{"Code":"ResourceNotFound.Function","Message":"m"},"Error":null,"RequestId":"r"}}"#,
        r#"{"Response":{"Error":null,"Error":{"Code":"ResourceNotFound.Function","Message":"m"},"RequestId":"r"}}"#,
        r#"{"Response":{"Error":{"Code":"ResourceNotFound.Function","Message":"m"},"Error":{"Code":"InternalError","Message":"x"},"RequestId":"r"}}"#,
    ] {
        let err = get_function_address(body).await.expect_err(body);
        assert_eq!(
            err.code(),
            Some(&GetFunctionAddressError::ResourceNotFoundFunction),
            "{body}: {err}"
        );
        assert_eq!(err.request_id(), Some("r"), "{body}");
    }
}

#[tokio::test]
async fn invalid_utf8_is_refused_even_in_members_nobody_reads() {
    let server = HostileServer::start(|_, _| {
        let mut body = br#"{"Response":{"Unknown":""#.to_vec();
        body.extend_from_slice(&[0xff, 0xfe]);
        body.extend_from_slice(br#"","Url":"u","RequestId":"r"}}"#);
        Answer {
            body: Body::Bytes(body),
            ..Answer::json("")
        }
    });
    let err = client(&server)
        .get_function_address()
        .function_name("f")
        .send()
        .await
        .expect_err("not UTF-8");
    assert!(
        matches!(err.kind(), ErrorKind::Decode(d) if d.kind == DecodeErrorKind::InvalidUtf8),
        "{err}"
    );
}

#[tokio::test]
async fn a_listing_whose_service_ignores_the_offset_stops() {
    // The same two functions on every page, and no total.
    let page =
        r#"{"Response":{"Functions":[{"FunctionName":"a"},{"FunctionName":"b"}],"RequestId":"p"}}"#;
    let server = HostileServer::start(move |_, _| Answer::json(page));
    let client = client(&server);
    let err = client
        .list_functions()
        .limit(2)
        .into_paginator()
        .items()
        .collect_all()
        .await
        .expect_err("a listing that repeats itself does not end in success");
    let ErrorKind::Paging(p) = err.kind() else {
        panic!("{err}")
    };
    assert_eq!(
        (p.kind, p.pages, p.offset),
        (PagingErrorKind::RepeatedPage, 2, 2)
    );
    let _: &scf_api::Error<ListFunctionsError> = &err;
    assert_eq!(server.received().len(), 2);
}
