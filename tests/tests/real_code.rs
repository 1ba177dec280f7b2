//! scf-local running uploaded code for real, through the scf-api client: Python and Node.js
//! event handlers, a Custom Runtime bootstrap, their errors, timeouts, logs, warm instances,
//! code updates, asynchronous events, hostile packages and web functions. Tests that need an
//! interpreter or a tool this machine lacks skip with a message.

use std::path::Path;
use std::time::Duration;

use scf_api::types::{AsyncEventState, Code, InvocationType, LogType};
use scf_api::{Client, ErrorKind};
use scf_api_tests::client_for_code;
use scf_local::{CodePackage, Server};

/// Whether `program` is on PATH; prints why the test is skipped when it is not.
fn have(program: &str) -> bool {
    let found = std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()));
    if !found {
        eprintln!("skipped: `{program}` is not on PATH");
    }
    found
}

/// A server running real code (no in-process handler) and a client with a timeout long enough
/// for a cold start.
async fn start() -> (Server, Client) {
    let server = Server::builder().start().await.expect("the server starts");
    let client = client_for_code(&server);
    (server, client)
}

/// Creates `name` with `package`, `runtime` and a 3 s timeout.
async fn create(client: &Client, name: &str, runtime: &str, package: &CodePackage) {
    client
        .create_function()
        .function_name(name)
        .runtime(runtime)
        .handler("index.main_handler")
        .timeout(3)
        .code(Code {
            zip_file: Some(package.to_base64()),
            ..Code::default()
        })
        .send()
        .await
        .expect("CreateFunction succeeds");
}

/// Invokes `name` synchronously with `event` and the log's tail.
async fn invoke(client: &Client, name: &str, event: &str) -> scf_api::types::Result {
    client
        .invoke()
        .function_name(name)
        .client_context(event)
        .log_type(LogType::Tail)
        .send()
        .await
        .expect("Invoke answers")
        .result
}

const PYTHON_HANDLER: &str = r#"import os, time

def main_handler(event, context):
    print("handling", event.get("name"))
    if event.get("fail"):
        raise ValueError("asked to fail")
    if event.get("sleep"):
        time.sleep(event["sleep"])
    return {"hello": event.get("name"), "pid": os.getpid(),
            "function": context["function_name"], "memory": context["memory_limit_in_mb"]}
"#;

#[tokio::test]
async fn python_handlers_run_warm_and_report_errors_and_logs() {
    if !have("python3") {
        return;
    }
    let (_server, client) = start().await;
    create(
        &client,
        "py",
        "Python3.9",
        &CodePackage::new().file("index.py", PYTHON_HANDLER),
    )
    .await;

    let first = invoke(&client, "py", r#"{"name":"scf"}"#).await;
    assert_eq!(first.invoke_result, 0, "{first:?}");
    assert_eq!(first.err_msg, "");
    let value: serde_json::Value = serde_json::from_str(&first.ret_msg).unwrap();
    assert_eq!(value["hello"], "scf");
    assert_eq!(value["function"], "py");
    assert_eq!(value["memory"], 128);
    // Python's own encoding, spaces included.
    assert!(
        first.ret_msg.starts_with(r#"{"hello": "scf", "pid": "#),
        "{}",
        first.ret_msg
    );
    assert!(first.log.contains("handling scf"), "{}", first.log);
    assert!(
        first.mem_usage > 1024 * 1024,
        "measured memory: {}",
        first.mem_usage
    );

    // The same instance serves the next event.
    let second = invoke(&client, "py", r#"{"name":"again"}"#).await;
    let second_value: serde_json::Value = serde_json::from_str(&second.ret_msg).unwrap();
    assert_eq!(
        second_value["pid"], value["pid"],
        "a warm instance is reused"
    );

    // An exception: the documented error object in RetMsg, its message in ErrMsg.
    let failed = invoke(&client, "py", r#"{"name":"x","fail":true}"#).await;
    assert_eq!(failed.invoke_result, 1);
    assert_eq!(failed.err_msg, "asked to fail");
    let error: serde_json::Value = serde_json::from_str(&failed.ret_msg).unwrap();
    assert_eq!(error["statusCode"], 430);
    assert_eq!(error["errorMessage"], "asked to fail");
    assert!(error["stackTrace"].as_str().unwrap().contains("ValueError"));

    // The function's Timeout (3 s) ends a run that sleeps longer; a new instance follows.
    let slow = invoke(&client, "py", r#"{"name":"slow","sleep":10}"#).await;
    assert_eq!(slow.invoke_result, 1);
    assert!(
        slow.err_msg.contains("timed out after 3 seconds"),
        "{}",
        slow.err_msg
    );
    let after = invoke(&client, "py", r#"{"name":"after"}"#).await;
    let after_value: serde_json::Value = serde_json::from_str(&after.ret_msg).unwrap();
    assert_ne!(
        after_value["pid"], value["pid"],
        "the timed-out instance was replaced"
    );

    // The logs of the runs are the function's logs.
    let logs = client
        .get_function_logs()
        .function_name("py")
        .send()
        .await
        .unwrap();
    let data = logs.data;
    assert!(
        data.iter().any(|l| l.log.contains("handling again")),
        "{data:#?}"
    );
}

#[tokio::test]
async fn node_handlers_run() {
    if !have("node") {
        return;
    }
    let (_server, client) = start().await;
    let code = CodePackage::new().file(
        "index.js",
        "exports.main_handler = async (event, context) => {\n  console.log('node got', event.n);\n  if (event.n < 0) throw new Error('negative');\n  return { double: event.n * 2, request: context.request_id };\n};\n",
    );
    create(&client, "js", "Nodejs16.13", &code).await;
    let ok = invoke(&client, "js", r#"{"n":21}"#).await;
    let value: serde_json::Value = serde_json::from_str(&ok.ret_msg).unwrap();
    assert_eq!(value["double"], 42);
    assert_eq!(value["request"], ok.function_request_id.as_str());
    assert!(ok.log.contains("node got 21"), "{}", ok.log);
    let failed = invoke(&client, "js", r#"{"n":-1}"#).await;
    assert_eq!(failed.invoke_result, 1);
    assert_eq!(failed.err_msg, "negative");
}

#[tokio::test]
async fn a_custom_runtime_bootstrap_runs_and_updates_restart_it() {
    if !have("sh") || !have("curl") {
        return;
    }
    let (_server, client) = start().await;
    let bootstrap = |greeting: &str| {
        format!(
            "#!/bin/sh\nset -e\napi=\"http://$SCF_RUNTIME_API:$SCF_RUNTIME_API_PORT\"\n\
             curl -sS -d ' ' \"$api/runtime/init/ready\" >/dev/null\n\
             while true; do\n  event=$(curl -sS \"$api/runtime/invocation/next\")\n\
             echo \"got $event\"\n\
             curl -sS -d \"{greeting} $SCF_FUNCTIONNAME $event\" \"$api/runtime/invocation/response\" >/dev/null\n\
             done\n"
        )
    };
    let package = CodePackage::new().executable("bootstrap", bootstrap("hello"));
    create(&client, "custom", "CustomRuntime", &package).await;
    let out = invoke(&client, "custom", r#"{"k":1}"#).await;
    assert_eq!(out.ret_msg, r#"hello custom {"k":1}"#, "{out:?}");
    assert!(out.log.contains(r#"got {"k":1}"#), "{}", out.log);

    // New code: the running instance is stopped and the next call runs the new bootstrap.
    client
        .update_function_code()
        .function_name("custom")
        .zip_file(
            CodePackage::new()
                .executable("bootstrap", bootstrap("bonjour"))
                .to_base64(),
        )
        .send()
        .await
        .unwrap();
    let out = invoke(&client, "custom", "{}").await;
    assert_eq!(out.ret_msg, "bonjour custom {}");
}

#[tokio::test]
async fn a_missing_bootstrap_is_a_clear_function_error() {
    let (_server, client) = start().await;
    let package = CodePackage::new().file("README", "no bootstrap here");
    create(&client, "empty", "CustomRuntime", &package).await;
    let out = invoke(&client, "empty", "{}").await;
    assert_eq!(out.invoke_result, 1);
    assert!(out.err_msg.contains("bootstrap"), "{}", out.err_msg);
    let error: serde_json::Value = serde_json::from_str(&out.ret_msg).unwrap();
    assert_eq!(error["statusCode"], 445);
}

#[tokio::test]
async fn hostile_packages_are_refused_at_upload() {
    let (_server, client) = start().await;
    for (what, package) in [
        (
            "a path escaping the code directory",
            CodePackage::new().file("../escape.py", "x"),
        ),
        (
            "an absolute path",
            CodePackage::new().file("/etc/cron.d/x", "x"),
        ),
    ] {
        let error = client
            .create_function()
            .function_name("hostile")
            .runtime("Python3.9")
            .code(Code {
                zip_file: Some(package.to_base64()),
                ..Code::default()
            })
            .send()
            .await
            .expect_err(what);
        let ErrorKind::Service(service) = error.kind() else {
            panic!("{what}: {error}");
        };
        assert_eq!(
            scf_api::ErrorCode::code(&service.code),
            "InvalidParameterValue.ZipFile",
            "{what}"
        );
    }
    // Not a zip at all.
    let error = client
        .create_function()
        .function_name("hostile")
        .code(Code {
            zip_file: Some("bm90IGEgemlw".to_owned()),
            ..Code::default()
        })
        .send()
        .await
        .expect_err("garbage");
    assert!(
        error.to_string().contains("InvalidParameterValue.ZipFile"),
        "{error}"
    );
}

#[tokio::test]
async fn web_functions_are_not_invoked_through_the_api() {
    let (_server, client) = start().await;
    client
        .create_function()
        .function_name("web")
        .r#type("HTTP")
        .runtime("Python3.9")
        .code(Code {
            zip_file: Some(
                CodePackage::new()
                    .executable("scf_bootstrap", "#!/bin/sh\n")
                    .to_base64(),
            ),
            ..Code::default()
        })
        .send()
        .await
        .unwrap();
    let error = client
        .invoke_function()
        .function_name("web")
        .send()
        .await
        .expect_err("web functions are reached over HTTP");
    assert!(
        error
            .to_string()
            .contains("InvalidParameterValue.FunctionType"),
        "{error}"
    );
}

#[tokio::test]
async fn async_events_run_real_code_and_termination_stops_it() {
    if !have("python3") {
        return;
    }
    let server = Server::builder()
        .async_delay(Duration::ZERO)
        .start()
        .await
        .unwrap();
    let client = client_for_code(&server);
    let code = CodePackage::new().file(
        "index.py",
        "import os, time\n\ndef main_handler(event, context):\n    open(event['pidfile'], 'w').write(str(os.getpid()))\n    time.sleep(event.get('sleep', 0))\n    return 'done'\n",
    );
    create(&client, "bg", "Python3.9", &code).await;
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("pid");
    let event = serde_json::json!({"pidfile": pidfile, "sleep": 2.5}).to_string();
    let id = client
        .invoke()
        .function_name("bg")
        .invocation_type(InvocationType::Event)
        .client_context(&event)
        .send()
        .await
        .unwrap()
        .result
        .function_request_id;
    let pid = wait_for_pid(&pidfile).await;
    client
        .terminate_async_event()
        .function_name("bg")
        .invoke_request_id(&id)
        .send()
        .await
        .unwrap();
    let status = client
        .get_async_event_status()
        .invoke_request_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(status.result.status, AsyncEventState::Aborted);
    assert!(
        gone_soon(pid).await,
        "the terminated run's process {pid} is gone"
    );
}

#[tokio::test]
async fn stopping_the_server_stops_every_function_process() {
    if !have("python3") {
        return;
    }
    let (server, client) = start().await;
    create(
        &client,
        "py",
        "Python3.9",
        &CodePackage::new().file("index.py", PYTHON_HANDLER),
    )
    .await;
    let out = invoke(&client, "py", r#"{"name":"x"}"#).await;
    let value: serde_json::Value = serde_json::from_str(&out.ret_msg).unwrap();
    let pid = value["pid"].as_u64().unwrap();
    assert!(alive(pid), "the warm instance {pid} runs");
    drop(server);
    assert!(gone_soon(pid).await, "process {pid} outlived the server");
}

/// Waits until the handler has written its pid into `path`.
async fn wait_for_pid(path: &Path) -> u64 {
    for _ in 0..200 {
        if let Ok(text) = std::fs::read_to_string(path) {
            if let Ok(pid) = text.trim().parse() {
                return pid;
            }
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the function never wrote its pid");
}

/// Whether process `pid` is alive (not gone, not a zombie), from `/proc`; `false` off Linux.
fn alive(pid: u64) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit(')')
            .next()
            .is_some_and(|rest| !rest.trim_start().starts_with('Z'))
    })
}

/// Whether process `pid` goes away within a few seconds (immediately off Linux).
async fn gone_soon(pid: u64) -> bool {
    for _ in 0..100 {
        if !alive(pid) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    false
}
