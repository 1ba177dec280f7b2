//! The Python bootstrap, run by the machine's python3 against the fake API.

use super::fake::{self, run};
use super::*;

const HANDLERS: &str = r#"
from decimal import Decimal

print("loading index")


def main_handler(event, context):
    action = event.get("action")
    print("running", action)
    if action == "raise":
        raise ValueError("err msg")
    if action == "context":
        return context
    if action == "decimal":
        return {"price": Decimal("1.50"), "name": "café"}
    if action == "object":
        return {"bad": object()}
    if action == "none":
        return None
    return {"test": "value"}


not_a_function = 3
"#;

fn python() -> Option<Dirs> {
    let dirs = dirs();
    local_launch(&dirs, "Python3.9")?;
    write_file(&dirs.code.join("index.py"), HANDLERS, 0o644);
    Some(dirs)
}

async fn run_python(dirs: &Dirs, handler: &str, events: &[&[u8]]) -> fake::Run {
    let launch = local_launch(dirs, "Python3.9").unwrap();
    run(&launch, &dirs.code, handler, events).await
}

#[tokio::test]
async fn events_results_and_errors() {
    let Some(dirs) = python() else { return };
    let events: [&[u8]; 8] = [
        br#"{"action": "ok"}"#,
        br#"{"action": "context"}"#,
        br#"{"action": "decimal"}"#,
        br#"{"action": "raise"}"#,
        br#"{"action": "object"}"#,
        b"not json",
        br#"{"action": "none"}"#,
        br#"{"action": "ok"}"#,
    ];
    let run = run_python(&dirs, "index.main_handler", &events).await;
    assert_eq!(run.answer(0).kind, "response");
    assert_eq!(run.answer(0).body, r#"{"test": "value"}"#);

    let context: serde_json::Value = serde_json::from_str(&run.answer(1).body).unwrap();
    check_context(&context, "req-1");

    assert_eq!(run.answer(2).body, r#"{"price": "1.50", "name": "café"}"#);

    let raised = error_object(run.answer(3), 430);
    assert_eq!(raised["errorMessage"], "err msg");
    let trace = raised["stackTrace"].as_str().unwrap();
    assert!(
        trace.starts_with("Traceback (most recent call last):\n"),
        "{trace}"
    );
    assert!(
        trace.contains("index.py\", line 11, in main_handler"),
        "{trace}"
    );
    assert!(trace.ends_with("ValueError: err msg"), "{trace}");
    assert!(
        !trace.contains("python.py"),
        "the runner's frame shows: {trace}"
    );
    let prefix = r#"{"errorCode": -1, "errorMessage": "err msg", "requestId": "req-3", "#;
    assert!(
        run.answer(3).body.starts_with(prefix),
        "{}",
        run.answer(3).body
    );

    let unencodable = error_object(run.answer(4), 430);
    let message = unencodable["errorMessage"].as_str().unwrap();
    assert!(message.contains("cannot be encoded as JSON"), "{message}");

    let bad_event = error_object(run.answer(5), 400);
    let message = bad_event["errorMessage"].as_str().unwrap();
    assert!(
        message.starts_with("the event is not valid JSON"),
        "{message}"
    );

    assert_eq!(run.answer(6).body, "null");
    // Still serving after the errors.
    assert_eq!(run.answer(7).body, r#"{"test": "value"}"#);

    assert!(
        run.stdout.starts_with("loading index\nrunning ok\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("running raise\n"), "{}", run.stdout);
    // The exception is also written to the log.
    assert!(run.stderr.contains("ValueError: err msg"), "{}", run.stderr);
}

/// A handler that cannot be loaded: the runner reports ready, then 437 for every event.
async fn unloadable(handler: &str, module: Option<&str>, expect: &str) {
    let Some(dirs) = python() else { return };
    if let Some(text) = module {
        write_file(&dirs.code.join("broken.py"), text, 0o644);
    }
    let events: [&[u8]; 2] = [b"{}", b"{}"];
    let run = run_python(&dirs, handler, &events).await;
    for index in 0..2 {
        let error = error_object(run.answer(index), 437);
        let message = error["errorMessage"].as_str().unwrap();
        assert!(message.starts_with(&format!("handler {handler} could not be loaded: ")));
        assert!(message.contains(expect), "{message}");
        let trace = error["stackTrace"].as_str().unwrap();
        assert!(trace.starts_with("Traceback"), "{trace}");
    }
}

#[tokio::test]
async fn missing_module() {
    unloadable("missing.main_handler", None, "No module named 'missing'").await;
}

#[tokio::test]
async fn missing_function() {
    unloadable("index.nope", None, "has no attribute 'nope'").await;
    unloadable("index.not_a_function", None, "is not a function").await;
}

#[tokio::test]
async fn syntax_error() {
    let module = "def main_handler(event, context):\n    return (\n";
    unloadable("broken.main_handler", Some(module), "broken.py").await;
}

#[tokio::test]
async fn handlers_in_subdirectories() {
    let Some(dirs) = python() else { return };
    std::fs::create_dir(dirs.code.join("src")).unwrap();
    let module = "def handler(event, context):\n    return event['n'] + 1\n";
    write_file(&dirs.code.join("src").join("app.py"), module, 0o644);
    let run = run_python(&dirs, "src/app.handler", &[br#"{"n": 1}"#]).await;
    assert_eq!(run.answer(0).body, "2");
    let run = run_python(&dirs, "src.app.handler", &[br#"{"n": 2}"#]).await;
    assert_eq!(run.answer(0).body, "3");
}

#[tokio::test]
async fn exits_when_the_api_is_unreachable() {
    let Some(dirs) = python() else { return };
    let launch = local_launch(&dirs, "Python3.9").unwrap();
    let (code, stderr) = fake::unreachable(&launch, &dirs.code).await;
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("runtime API 127.0.0.1:"), "{stderr}");
    assert!(stderr.contains("/runtime/init/ready"), "{stderr}");
}
