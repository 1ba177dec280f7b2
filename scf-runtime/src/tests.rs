//! The runtime loop against a fake runtime API (see `fake_api`).

mod fake_api;

use std::collections::HashMap;
use std::net::SocketAddr;

use serde_json::{Value, json};

use self::fake_api::{Event, Recorded};
use crate::context::Environment;
use crate::{BoxError, Context, Error, run_in, run_raw_in};

/// An environment pointing at `address`, with the function's variables and credentials.
fn environment(address: SocketAddr) -> Environment {
    let vars: HashMap<&str, String> = [
        ("SCF_RUNTIME_API", address.ip().to_string()),
        ("SCF_RUNTIME_API_PORT", address.port().to_string()),
        ("SCF_FUNCTIONNAME", "hello".to_owned()),
        ("SCF_FUNCTIONVERSION", "$LATEST".to_owned()),
        ("SCF_NAMESPACE", "default".to_owned()),
        ("TENCENTCLOUD_REGION", "ap-guangzhou".to_owned()),
        ("TENCENTCLOUD_SECRETID", "AKIDsecretid".to_owned()),
        ("TENCENTCLOUD_SECRETKEY", "verysecretkey".to_owned()),
        ("TENCENTCLOUD_SESSIONTOKEN", "sessiontoken".to_owned()),
    ]
    .into_iter()
    .collect();
    Environment::from_lookup(|name| vars.get(name).cloned()).unwrap()
}

/// Runs a JSON handler over `events`; the requests the fake got and how the loop ended.
async fn serve_json<E, T, F, Fut>(events: Vec<Event>, handler: F) -> (Vec<Recorded>, Error)
where
    F: FnMut(E, Context) -> Fut,
    Fut: Future<Output = Result<T, BoxError>>,
    E: serde::de::DeserializeOwned,
    T: serde::Serialize,
{
    let (address, fake) = fake_api::start(events, 200).await;
    let ended = run_in(Ok(environment(address)), handler).await.unwrap_err();
    (fake.await.unwrap(), ended)
}

/// The bodies of the pushes, in order, marked `Ok` for `/response` and `Err` for `/error`.
fn pushes(requests: &[Recorded]) -> Vec<Result<String, String>> {
    requests
        .iter()
        .filter_map(|r| match r.path.as_str() {
            "/runtime/invocation/response" => Some(Ok(r.text())),
            "/runtime/invocation/error" => Some(Err(r.text())),
            _ => None,
        })
        .collect()
}

async fn double(event: Value, _ctx: Context) -> Result<Value, BoxError> {
    Ok(json!(event["n"].as_i64().unwrap_or(0) * 2))
}

#[tokio::test]
async fn ready_comes_once_with_a_body_then_next_and_response_alternate() {
    let events = vec![
        Event::new("r1", 3000, r#"{"n":2}"#),
        Event::new("r2", 3000, r#"{"n":5}"#),
    ];
    let (requests, ended) = serve_json(events, double).await;
    let calls: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str()))
        .collect();
    assert_eq!(
        calls,
        [
            ("POST", "/runtime/init/ready"),
            ("GET", "/runtime/invocation/next"),
            ("POST", "/runtime/invocation/response"),
            ("GET", "/runtime/invocation/next"),
            ("POST", "/runtime/invocation/response"),
            ("GET", "/runtime/invocation/next"),
        ]
    );
    assert!(!requests[0].body.is_empty(), "the ready body is not empty");
    assert_eq!(pushes(&requests), [Ok("4".to_owned()), Ok("10".to_owned())]);
    assert!(matches!(ended, Error::Unreachable { .. }), "{ended}");
}

#[tokio::test]
async fn headers_and_environment_make_the_context() {
    let events = vec![Event::new("req-42", 2500, "{}")];
    let (requests, _) = serve_json(events, |_: Value, ctx: Context| async move {
        let remaining = ctx.remaining().as_millis();
        assert!(remaining <= 2500 && remaining > 2000, "{remaining}");
        let creds = ctx.credentials.as_ref().unwrap();
        assert_eq!(
            (creds.secret_id(), creds.secret_key(), creds.session_token()),
            ("AKIDsecretid", "verysecretkey", Some("sessiontoken"))
        );
        let shown = format!("{ctx:?}");
        for secret in ["AKIDsecretid", "verysecretkey", "sessiontoken"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        Ok::<_, BoxError>(json!([
            ctx.request_id,
            ctx.memory_limit_in_mb,
            ctx.time_limit.as_millis() as u64,
            ctx.function_name,
            ctx.function_version,
            ctx.namespace,
            ctx.region,
        ]))
    })
    .await;
    let result: Value = serde_json::from_str(pushes(&requests)[0].as_ref().unwrap()).unwrap();
    assert_eq!(
        result,
        json!([
            "req-42",
            256,
            2500,
            "hello",
            "$LATEST",
            "default",
            "ap-guangzhou"
        ])
    );
}

#[tokio::test]
async fn errors_and_panics_post_the_error_object_and_the_loop_goes_on() {
    let events = vec![
        Event::new("e1", 3000, r#"{"do":"fail"}"#),
        Event::new("e2", 3000, r#"{"do":"panic"}"#),
        Event::new("e3", 3000, r#"{"do":"work"}"#),
    ];
    let (requests, _) = serve_json(events, |event: Value, _ctx| async move {
        match event["do"].as_str() {
            Some("fail") => {
                let cause = std::io::Error::other("disk on fire");
                Err(BoxError::from(Wrapped(cause)))
            }
            Some("panic") => panic!("handler gave up"),
            _ => Ok(json!("worked")),
        }
    })
    .await;
    let pushed = pushes(&requests);
    assert_eq!(
        pushed[0],
        Err(r#"{"errorCode":-1,"errorMessage":"cannot work","requestId":"e1","stackTrace":"caused by: disk on fire","statusCode":430}"#.to_owned())
    );
    let panicked: Value = serde_json::from_str(pushed[1].as_ref().unwrap_err()).unwrap();
    assert_eq!(panicked["errorMessage"], "handler gave up");
    assert_eq!(panicked["requestId"], "e2");
    assert_eq!(panicked["statusCode"], 430);
    let trace = panicked["stackTrace"].as_str().unwrap();
    assert!(
        trace.starts_with("panicked at ") && trace.contains("tests.rs"),
        "{trace}"
    );
    assert_eq!(pushed[2], Ok(r#""worked""#.to_owned()));
}

/// An error with a source, to see the chain in `stackTrace`.
#[derive(Debug)]
struct Wrapped(std::io::Error);

impl std::fmt::Display for Wrapped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("cannot work")
    }
}

impl std::error::Error for Wrapped {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

#[tokio::test]
async fn undecodable_events_and_unencodable_results_fail_the_invocation() {
    let events = vec![
        Event::new("bad-event", 3000, "not json"),
        Event::new("bad-result", 3000, r#"{"n":1}"#),
    ];
    let (requests, _) = serve_json(events, |_: HashMap<String, u8>, _ctx| async move {
        // JSON object keys must be strings: this map cannot be encoded.
        Ok::<_, BoxError>(HashMap::from([(vec![1u8], 1u8)]))
    })
    .await;
    let messages: Vec<String> = pushes(&requests)
        .into_iter()
        .map(|push| {
            let object: Value = serde_json::from_str(&push.unwrap_err()).unwrap();
            object["errorMessage"].as_str().unwrap().to_owned()
        })
        .collect();
    assert!(
        messages[0].starts_with("the event does not match"),
        "{messages:?}"
    );
    assert!(
        messages[1].starts_with("the handler's result cannot be encoded"),
        "{messages:?}"
    );
}

#[tokio::test]
async fn raw_handlers_see_and_return_bytes_as_they_are() {
    let events = vec![Event::new("raw", 3000, "plain text")];
    let (address, fake) = fake_api::start(events, 200).await;
    let handler = |body: Vec<u8>, ctx: Context| async move {
        let text = String::from_utf8(body)?;
        Ok::<_, BoxError>(format!("{text} for {}", ctx.request_id))
    };
    run_raw_in(Ok(environment(address)), handler)
        .await
        .unwrap_err();
    let requests = fake.await.unwrap();
    assert_eq!(pushes(&requests), [Ok("plain text for raw".to_owned())]);
}

#[tokio::test]
async fn bad_headers_fail_that_invocation_only() {
    let mut no_limit = Event::new("no-limit", 3000, "{}");
    no_limit
        .headers
        .retain(|(name, _)| *name != "time_limit_in_ms");
    let events = vec![no_limit, Event::new("fine", 3000, r#"{"n":1}"#)];
    let (requests, _) = serve_json(events, double).await;
    let pushed = pushes(&requests);
    let object: Value = serde_json::from_str(pushed[0].as_ref().unwrap_err()).unwrap();
    assert_eq!(object["requestId"], "no-limit");
    assert!(
        object["errorMessage"]
            .as_str()
            .unwrap()
            .contains("time_limit_in_ms"),
        "{object}"
    );
    assert_eq!(pushed[1], Ok("2".to_owned()));
}

#[tokio::test]
async fn an_unreachable_api_is_an_error_naming_it() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let error = run_in(Ok(environment(address)), double).await.unwrap_err();
    assert!(matches!(error, Error::Unreachable { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains(&address.to_string()) && message.contains("cannot be reached"),
        "{message}"
    );
}

#[tokio::test]
async fn a_refused_ready_is_an_error() {
    let (address, fake) = fake_api::start(Vec::new(), 500).await;
    let error = run_in(Ok(environment(address)), double).await.unwrap_err();
    assert!(
        matches!(error, Error::Status { status: 500, .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("/runtime/init/ready"), "{error}");
    fake.abort();
}

#[test]
fn a_missing_environment_is_an_error_naming_the_variable() {
    let lookup = |vars: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        }
    };
    let missing = |vars| match Environment::from_lookup(lookup(vars)) {
        Err(Error::Environment { variable, problem }) => format!("{variable} {problem}"),
        other => panic!("{other:?}"),
    };
    assert_eq!(missing(&[]), "SCF_RUNTIME_API is not set");
    assert_eq!(
        missing(&[("SCF_RUNTIME_API", "127.0.0.1")]),
        "SCF_RUNTIME_API_PORT is not set"
    );
    assert!(missing(&[("SCF_RUNTIME_API", "h"), ("SCF_RUNTIME_API_PORT", "x")]).contains("port"));
    let no_credentials = Environment::from_lookup(lookup(&[
        ("SCF_RUNTIME_API", "127.0.0.1"),
        ("SCF_RUNTIME_API_PORT", "9001"),
    ]))
    .unwrap();
    assert!(no_credentials.template.credentials.is_none());
}

#[tokio::test]
async fn run_outside_scf_returns_an_environment_error() {
    if std::env::var_os("SCF_RUNTIME_API").is_some() {
        return; // running inside a function: nothing to show
    }
    let error = crate::run(double).await.unwrap_err();
    assert!(matches!(error, Error::Environment { .. }), "{error:?}");
    assert!(error.to_string().contains("SCF_RUNTIME_API"), "{error}");
}

#[tokio::test]
async fn the_documented_handler_shape_compiles_and_runs() {
    async fn handler(
        event: serde_json::Value,
        ctx: crate::Context,
    ) -> Result<serde_json::Value, Box<dyn std::error::Error + Send + Sync>> {
        Ok(json!({"event": event, "id": ctx.request_id}))
    }
    let events = vec![Event::new("shape", 1000, "[1]")];
    let (requests, _) = serve_json(events, handler).await;
    assert_eq!(
        pushes(&requests),
        [Ok(r#"{"event":[1],"id":"shape"}"#.to_owned())]
    );
}
