//! Functions written in Rust with scf-runtime, run for real by scf-local: the `hello` example is
//! built once per test run, zipped as `bootstrap` and deployed as a `CustomRuntime` function
//! through scf-api. Skips with a message when `CARGO` is not set (not run by cargo).

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use scf_api::Client;
use scf_api::types::{Code, InvocationType, LogType};
use scf_api_tests::client_for_code;
use scf_local::{CodePackage, Server};
use serde_json::{Value, json};

/// The function's `Timeout`, in seconds.
const TIMEOUT_SECS: u64 = 3;

/// The `hello` example's binary, built once for every test of this file; `None` (after a
/// message) when it cannot be built here.
fn hello_binary() -> Option<&'static [u8]> {
    static BINARY: OnceLock<Option<Vec<u8>>> = OnceLock::new();
    BINARY.get_or_init(build_hello).as_deref()
}

fn build_hello() -> Option<Vec<u8>> {
    let Ok(cargo) = std::env::var("CARGO") else {
        eprintln!("skipped: CARGO is not set, so the example cannot be built");
        return None;
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the workspace")
        .to_path_buf();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let status = Command::new(cargo)
        .args(["build", "--example", "hello", "-p", "scf-runtime"])
        .args(["--features", "logging", "--offline"])
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .expect("cargo runs");
    assert!(status.success(), "building the hello example failed");
    let binary = target.join("debug").join("examples").join("hello");
    Some(std::fs::read(&binary).expect("the example binary exists"))
}

/// A server running real code, with asynchronous events started at once, a client with a
/// timeout long enough for a cold start, and the `hello` function deployed.
async fn deploy(binary: &[u8]) -> (Server, Client) {
    let server = Server::builder()
        .async_delay(Duration::ZERO)
        .start()
        .await
        .expect("the server starts");
    let client = client_for_code(&server);
    let package = CodePackage::new().executable("bootstrap", binary);
    client
        .create_function()
        .function_name("hello")
        .runtime("CustomRuntime")
        .handler("hello")
        .timeout(TIMEOUT_SECS as i64)
        .code(Code {
            zip_file: Some(package.to_base64()),
            ..Code::default()
        })
        .send()
        .await
        .expect("CreateFunction succeeds");
    (server, client)
}

/// Invokes `hello` synchronously with `event`, asking for the log's tail.
async fn invoke(client: &Client, event: Value) -> scf_api::types::Result {
    client
        .invoke()
        .function_name("hello")
        .client_context(event.to_string())
        .log_type(LogType::Tail)
        .send()
        .await
        .expect("Invoke answers")
        .result
}

/// The result of a successful invocation, decoded.
fn success(result: &scf_api::types::Result) -> Value {
    assert_eq!(result.invoke_result, 0, "{result:?}");
    assert_eq!(result.err_msg, "");
    serde_json::from_str(&result.ret_msg).expect("the result is JSON")
}

#[tokio::test]
async fn a_rust_function_answers_fails_panics_and_keeps_its_process() {
    let Some(binary) = hello_binary() else { return };
    let (_server, client) = deploy(binary).await;

    let first = invoke(&client, json!({"name": "scf"})).await;
    let reply = success(&first);
    assert_eq!(reply["message"], "hello, scf");
    assert_eq!(reply["function"], "hello");
    assert_eq!(reply["request_id"], first.function_request_id.as_str());
    let pid = reply["pid"].as_u64().expect("a pid");

    // An error: a function error with the message; the error object in RetMsg.
    let failed = invoke(&client, json!({"name": "x", "fail": true})).await;
    assert_eq!(failed.invoke_result, 1, "{failed:?}");
    assert_eq!(failed.err_msg, "cannot greet x");
    let object: Value = serde_json::from_str(&failed.ret_msg).unwrap();
    assert_eq!(object["errorMessage"], "cannot greet x");
    assert_eq!(object["statusCode"], 430);
    assert_eq!(object["requestId"], failed.function_request_id.as_str());

    // A panic: the same, and the process survives it.
    let panicked = invoke(&client, json!({"name": "y", "panic": true})).await;
    assert_eq!(panicked.invoke_result, 1, "{panicked:?}");
    assert_eq!(panicked.err_msg, "asked to panic while greeting y");
    let object: Value = serde_json::from_str(&panicked.ret_msg).unwrap();
    assert!(
        object["stackTrace"]
            .as_str()
            .unwrap()
            .contains("panicked at"),
        "{object}"
    );

    let after = success(&invoke(&client, json!({"name": "again"})).await);
    assert_eq!(
        after["pid"].as_u64(),
        Some(pid),
        "the same process serves on"
    );
}

#[tokio::test]
async fn the_context_deadline_follows_the_timeout_and_the_timeout_is_enforced() {
    let Some(binary) = hello_binary() else { return };
    let (_server, client) = deploy(binary).await;

    let reply = success(&invoke(&client, json!({"name": "clock"})).await);
    let remaining = reply["remaining_ms"].as_u64().unwrap();
    let timeout_ms = TIMEOUT_SECS * 1000;
    assert!(
        remaining <= timeout_ms && remaining > timeout_ms - 1000,
        "{remaining} ms left of {timeout_ms}"
    );

    let slow = invoke(&client, json!({"name": "slow", "sleep_ms": 10_000})).await;
    assert_eq!(slow.invoke_result, 1, "{slow:?}");
    assert!(slow.err_msg.contains("timed out"), "{}", slow.err_msg);
}

#[tokio::test]
async fn logs_carry_the_request_id_and_async_runs_are_logged() {
    let Some(binary) = hello_binary() else { return };
    let (_server, client) = deploy(binary).await;

    let out = invoke(&client, json!({"name": "logger"})).await;
    let id = out.function_request_id.as_str();
    assert!(
        out.log
            .lines()
            .any(|line| line.contains("greeting") && line.contains(id) && line.contains("logger")),
        "{}",
        out.log
    );

    let queued = client
        .invoke()
        .function_name("hello")
        .invocation_type(InvocationType::Event)
        .client_context(json!({"name": "background"}).to_string())
        .send()
        .await
        .expect("an asynchronous Invoke answers")
        .result
        .function_request_id;
    for _ in 0..200 {
        let logs = client
            .get_function_logs()
            .function_name("hello")
            .send()
            .await
            .expect("GetFunctionLogs answers");
        if let Some(entry) = logs.data.iter().find(|l| l.request_id == queued) {
            if entry.log.contains("background") {
                assert!(entry.log.contains(&queued), "{}", entry.log);
                assert!(entry.ret_msg.contains("hello, background"), "{entry:?}");
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the asynchronous run's log never appeared");
}
