//! The Node.js bootstrap, run by the machine's node against the fake API.

use super::fake::{self, run};
use super::*;

const HANDLERS: &str = r#"
console.log('loading index');

exports.main_handler = async (event, context) => {
  console.log('running', event.action);
  await new Promise((resolve) => setTimeout(resolve, 1));
  switch (event.action) {
    case 'raise': throw new Error('err msg');
    case 'reject-text': throw 'plain text';
    case 'context': return context;
    case 'undefined': return undefined;
    case 'bigint': return { n: BigInt(1) };
    default: return { test: 'value' };
  }
};

exports.callback_handler = (event, context, callback) => {
  switch (event.action) {
    case 'fail': setTimeout(() => callback(new Error('callback failed')), 1); break;
    case 'twice': callback(null, { first: true }); callback(null, { second: true }); break;
    case 'never': break;
    default: setTimeout(() => callback(null, { via: 'callback' }), 1);
  }
};

exports.both = async (event, context, callback) => {
  callback(null, 'from callback');
  return 'from promise';
};

exports.sync_handler = (event, context) => ({ sync: true, action: event.action });

exports.not_a_function = 3;
"#;

fn node() -> Option<Dirs> {
    let dirs = dirs();
    local_launch(&dirs, "Nodejs16.13")?;
    write_file(&dirs.code.join("index.js"), HANDLERS, 0o644);
    Some(dirs)
}

async fn run_node(dirs: &Dirs, handler: &str, events: &[&[u8]]) -> fake::Run {
    let launch = local_launch(dirs, "Nodejs16.13").unwrap();
    run(&launch, &dirs.code, handler, events).await
}

#[tokio::test]
async fn async_handlers() {
    let Some(dirs) = node() else { return };
    let events: [&[u8]; 8] = [
        br#"{"action": "ok"}"#,
        br#"{"action": "context"}"#,
        br#"{"action": "raise"}"#,
        br#"{"action": "reject-text"}"#,
        br#"{"action": "undefined"}"#,
        br#"{"action": "bigint"}"#,
        b"not json",
        br#"{"action": "ok"}"#,
    ];
    let run = run_node(&dirs, "index.main_handler", &events).await;
    assert_eq!(run.answer(0).kind, "response");
    assert_eq!(run.answer(0).body, r#"{"test":"value"}"#);

    let context: serde_json::Value = serde_json::from_str(&run.answer(1).body).unwrap();
    check_context(&context, "req-1");
    assert_eq!(context["callbackWaitsForEmptyEventLoop"], true);

    let raised = error_object(run.answer(2), 430);
    assert_eq!(raised["errorMessage"], "err msg");
    let trace = raised["stackTrace"].as_str().unwrap();
    assert!(trace.starts_with("Error: err msg\n"), "{trace}");
    assert!(trace.contains("index.js:8"), "{trace}");

    let text = error_object(run.answer(3), 430);
    assert_eq!(text["errorMessage"], "plain text");
    assert_eq!(run.answer(4).body, "null");
    let bigint = error_object(run.answer(5), 430);
    let message = bigint["errorMessage"].as_str().unwrap();
    assert!(message.contains("cannot be encoded as JSON"), "{message}");
    let bad_event = error_object(run.answer(6), 400);
    let message = bad_event["errorMessage"].as_str().unwrap();
    assert!(
        message.starts_with("the event is not valid JSON"),
        "{message}"
    );
    assert_eq!(run.answer(7).body, r#"{"test":"value"}"#);

    assert!(run.stdout.starts_with("loading index\n"), "{}", run.stdout);
    let line = run
        .stdout
        .lines()
        .find(|line| line.ends_with("\treq-0\trunning ok"))
        .unwrap_or_else(|| panic!("no prefixed line in {}", run.stdout));
    let time = line.split('\t').next().unwrap();
    assert!(
        time.len() == 24 && time.ends_with('Z') && time.contains('T'),
        "{time}"
    );
}

#[tokio::test]
async fn callback_handlers() {
    let Some(dirs) = node() else { return };
    let events: [&[u8]; 4] = [
        br#"{"action": "ok"}"#,
        br#"{"action": "fail"}"#,
        br#"{"action": "twice"}"#,
        br#"{"action": "never"}"#,
    ];
    let run = run_node(&dirs, "index.callback_handler", &events).await;
    assert_eq!(run.answer(0).body, r#"{"via":"callback"}"#);
    let failed = error_object(run.answer(1), 430);
    assert_eq!(failed["errorMessage"], "callback failed");
    // The first callback answers; the second is ignored (the next push answers req-3).
    assert_eq!(run.answer(2).body, r#"{"first":true}"#);
    // Nothing left to wait for: null.
    assert_eq!(run.answer(3).body, "null");

    let run = run_node(&dirs, "index.both", &[b"{}", b"{}"]).await;
    assert_eq!(run.answer(0).body, r#""from callback""#);
    assert_eq!(run.answer(1).body, r#""from callback""#);

    let run = run_node(&dirs, "index.sync_handler", &[br#"{"action": "x"}"#]).await;
    assert_eq!(run.answer(0).body, r#"{"sync":true,"action":"x"}"#);
}

/// A handler that cannot be loaded: the runner reports ready, then 437 for every event.
async fn unloadable(handler: &str, module: Option<&str>, expect: &str) {
    let Some(dirs) = node() else { return };
    if let Some(text) = module {
        write_file(&dirs.code.join("broken.js"), text, 0o644);
    }
    let events: [&[u8]; 2] = [b"{}", b"{}"];
    let run = run_node(&dirs, handler, &events).await;
    for index in 0..2 {
        let error = error_object(run.answer(index), 437);
        let message = error["errorMessage"].as_str().unwrap();
        assert!(message.starts_with(&format!("handler {handler} could not be loaded: ")));
        assert!(message.contains(expect), "{message}");
    }
}

#[tokio::test]
async fn missing_file() {
    unloadable("missing.main_handler", None, "Cannot find module").await;
}

#[tokio::test]
async fn missing_function() {
    unloadable("index.nope", None, "index has no exported function nope").await;
    unloadable("index.not_a_function", None, "no exported function").await;
}

#[tokio::test]
async fn syntax_error() {
    let module = "exports.main_handler = async (event) => {\n  return (\n};\n";
    unloadable("broken.main_handler", Some(module), "Unexpected token").await;
}

#[tokio::test]
async fn exits_when_the_api_is_unreachable() {
    let Some(dirs) = node() else { return };
    let launch = local_launch(&dirs, "Nodejs16.13").unwrap();
    let (code, stderr) = fake::unreachable(&launch, &dirs.code).await;
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("runtime API 127.0.0.1:"), "{stderr}");
    assert!(stderr.contains("/runtime/init/ready"), "{stderr}");
}
