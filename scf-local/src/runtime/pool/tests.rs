//! Real processes: Custom Runtime bootstraps written as `sh` scripts using `curl`.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::*;
use crate::runtime::instance::process::group_members;
use crate::runtime::launch::Launch;

mod failures;

/// Whether `sh` and `curl` are on `PATH`; says so when they are not.
fn have_tools() -> bool {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = |tool: &str| std::env::split_paths(&path).any(|dir| dir.join(tool).is_file());
    let ok = found("sh") && found("curl");
    if !ok {
        eprintln!("skipped: these tests need `sh` and `curl` on PATH");
    }
    ok
}

/// The bootstrap is the spec's `code`, written as `code/bootstrap`.
fn write_script(spec: &FunctionSpec, code: &Path, _opt: &Path) -> Result<(), Outcome> {
    let path = code.join("bootstrap");
    std::fs::write(&path, &spec.code[..]).map_err(|e| failed(445, e.to_string()))?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| failed(445, e.to_string()))
}

fn run_script(_: &FunctionSpec, code: &Path, _: &Path, _: &Path) -> Result<Launch, Outcome> {
    let env = vec![("FROM_LAUNCH".to_owned(), "yes".to_owned())];
    Ok(Launch {
        program: code.join("bootstrap"),
        args: Vec::new(),
        env,
    })
}

fn runtimes_with(settings: RuntimeSettings) -> Runtimes {
    let hooks = Hooks {
        prepare: write_script,
        command: run_script,
    };
    Runtimes::with_hooks(settings, hooks).expect("runtimes")
}

fn runtimes() -> Runtimes {
    runtimes_with(RuntimeSettings::default())
}

/// A Custom Runtime that runs `handler` (sh code; `$EVENT`, `$H` the headers file, `$API`) for
/// each event after running `init`.
fn script(init: &str, handler: &str) -> String {
    format!(
        "#!/bin/sh\nAPI=\"http://$SCF_RUNTIME_API:$SCF_RUNTIME_API_PORT/runtime\"\n{init}\n\
         curl -s -d ' ' \"$API/init/ready\" >/dev/null\n\
         while true; do\n  H=\"$TMPDIR/headers\"\n  EVENT=$(curl -s -D \"$H\" \"$API/invocation/next\")\n\
         {handler}\ndone\n"
    )
}

/// Pushes `$1` as the response.
const RESPOND: &str =
    "respond() { curl -s --data-binary \"$1\" \"$API/invocation/response\" >/dev/null; }";

fn spec(name: &str, code: String) -> FunctionSpec {
    FunctionSpec {
        namespace: "default".to_owned(),
        name: name.to_owned(),
        version: "$LATEST".to_owned(),
        runtime: "CustomRuntime".to_owned(),
        handler: "index.main".to_owned(),
        memory_mb: 128,
        timeout: Duration::from_secs(3),
        init_timeout: Duration::from_secs(3),
        env: vec![("MY_VAR".to_owned(), "v1".to_owned())],
        region: "ap-guangzhou".to_owned(),
        code: Arc::from(code.into_bytes()),
        digest: "d1".to_owned(),
        layers: Vec::new(),
        web: false,
    }
}

fn failed_status(execution: &Execution) -> u16 {
    match &execution.outcome {
        Outcome::Failed { status, .. } => *status,
        other => panic!(
            "expected a failure, got {other:?} (log {:?})",
            execution.log
        ),
    }
}

fn success(execution: &Execution) -> &str {
    match &execution.outcome {
        Outcome::Success(text) => text,
        other => panic!(
            "expected a success, got {other:?} (log {:?})",
            execution.log
        ),
    }
}

/// The number after `pid=` in `text`.
fn pid_in(text: &str) -> u32 {
    let rest = &text[text.find("pid=").expect("pid=") + 4..];
    rest.chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .expect("pid")
}

/// Waits (up to 3 s) until no live process is left in group `pgid`.
async fn assert_group_gone(pgid: u32) {
    let start = Instant::now();
    while group_members(pgid).is_some_and(|members| !members.is_empty()) {
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "group {pgid} still alive"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn cold_start_then_warm_reuse() {
    if !have_tools() {
        return;
    }
    let runtimes = runtimes();
    let spec = spec(
        "f",
        script(
            &format!("echo init-output\n{RESPOND}"),
            "echo handling; respond \"pid=$$\"",
        ),
    );
    let first = runtimes.invoke(&spec, "r1", b"{}").await;
    let second = runtimes.invoke(&spec, "r2", b"{}").await;
    assert!(first.cold_start && !second.cold_start);
    assert_eq!(pid_in(success(&first)), pid_in(success(&second)));
    assert!(
        first.log.contains("init-output") && first.log.contains("handling"),
        "{}",
        first.log
    );
    assert!(!second.log.contains("init-output") && second.log.contains("handling"));
    assert!(first.duration_ms > 0.0 && first.mem_usage > 0);
    assert_eq!(runtimes.instance_count(), 1);
}

#[tokio::test]
async fn concurrent_invokes_start_two_instances() {
    if !have_tools() {
        return;
    }
    let runtimes = runtimes();
    let spec = spec("f", script(RESPOND, "sleep 0.3; respond \"pid=$$\""));
    let (a, b) = tokio::join!(
        runtimes.invoke(&spec, "r1", b"1"),
        runtimes.invoke(&spec, "r2", b"2")
    );
    assert!(a.cold_start && b.cold_start);
    assert_ne!(pid_in(success(&a)), pid_in(success(&b)));
    assert_eq!(runtimes.instance_count(), 2);
}

#[tokio::test]
async fn event_headers_and_environment_are_delivered() {
    if !have_tools() {
        return;
    }
    let runtimes = runtimes();
    let handler = "other=$(curl -s -o /dev/null -w '%{http_code}' \"$API/unknown\")\n\
                   respond \"$EVENT\n$(tr -d '\\r' < \"$H\")\nunknown=$other\npwd=$(pwd)\n$(env)\"";
    let spec = spec("f", script(RESPOND, handler));
    let execution = runtimes.invoke(&spec, "req-1", b"{\"k\":1}").await;
    let text = success(&execution);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "{\"k\":1}");
    for expected in [
        "request_id: req-1",
        "memory_limit_in_mb: 128",
        "time_limit_in_ms: 3000",
        "unknown=404",
        "SCF_RUNTIME_API=127.0.0.1",
        "_HANDLER=index.main",
        "SCF_RUNTIME=CustomRuntime",
        "SCF_FUNCTIONNAME=f",
        "SCF_FUNCTIONVERSION=$LATEST",
        "SCF_NAMESPACE=default",
        "TENCENTCLOUD_REGION=ap-guangzhou",
        "TENCENTCLOUD_RUNENV=SCF",
        "MY_VAR=v1",
        "FROM_LAUNCH=yes",
    ] {
        assert!(lines.contains(&expected), "{expected:?} missing in {text}");
    }
    let pwd = lines
        .iter()
        .find_map(|l| l.strip_prefix("pwd="))
        .expect("pwd");
    assert!(
        lines.contains(&format!("USER_CODE_ROOT={pwd}/").as_str()),
        "{text}"
    );
    assert!(pwd.ends_with("/code"));
    let tmp = lines
        .iter()
        .find_map(|l| l.strip_prefix("TMPDIR="))
        .expect("TMPDIR");
    assert!(lines.contains(&format!("HOME={tmp}").as_str()) && tmp.ends_with("/tmp"));
}

#[tokio::test]
async fn error_push_is_a_user_error_and_later_pushes_are_ignored() {
    if !have_tools() {
        return;
    }
    let runtimes = runtimes();
    let handler = "curl -s -d boom \"$API/invocation/error\" >/dev/null\n\
                   curl -s -d late \"$API/invocation/response\" >/dev/null";
    let spec = spec("f", script("", handler));
    let first = runtimes.invoke(&spec, "r1", b"{}").await;
    assert_eq!(first.outcome, Outcome::UserError("boom".to_owned()));
    let second = runtimes.invoke(&spec, "r2", b"{}").await;
    assert_eq!(second.outcome, Outcome::UserError("boom".to_owned()));
    assert!(!second.cold_start);
}

#[tokio::test]
async fn background_child_is_killed_by_stop_all() {
    if !have_tools() {
        return;
    }
    let runtimes = runtimes();
    let spec = spec(
        "f",
        script(&format!("sleep 300 &\n{RESPOND}"), "respond \"pid=$$\""),
    );
    let execution = runtimes.invoke(&spec, "r", b"{}").await;
    let pgid = pid_in(success(&execution));
    if let Some(members) = group_members(pgid) {
        assert!(members.len() >= 2, "{members:?}");
    }
    runtimes.stop_all();
    assert_group_gone(pgid).await;
    assert_eq!(runtimes.instance_count(), 0);
}

#[tokio::test]
async fn output_is_bounded_and_keeps_the_newest_part() {
    if !have_tools() {
        return;
    }
    let limit = 64 * 1024;
    let runtimes = runtimes_with(RuntimeSettings {
        max_log_bytes: limit,
        ..RuntimeSettings::default()
    });
    let handler = "head -c 50000000 /dev/zero | tr '\\0' x; echo; echo last-line; respond ok";
    let execution = runtimes
        .invoke(&spec("f", script(RESPOND, handler)), "r", b"{}")
        .await;
    assert_eq!(success(&execution), "ok");
    assert!(
        execution.log.len() <= limit + 100,
        "{}",
        execution.log.len()
    );
    assert!(
        execution.log.starts_with("[scf-local: "),
        "{}",
        &execution.log[..80]
    );
    assert!(execution.log.ends_with("x\nlast-line\n"));
}

#[tokio::test]
async fn dropping_the_invoke_future_kills_the_instance() {
    if !have_tools() {
        return;
    }
    let runtimes = runtimes();
    let marks = tempfile::tempdir().expect("tempdir");
    let pid_file = marks.path().join("pid");
    let mut spec = spec("f", script("", "echo $$ > \"$PID_FILE\"; sleep 30"));
    spec.env.push((
        "PID_FILE".to_owned(),
        pid_file.to_string_lossy().into_owned(),
    ));
    let invoke = runtimes.invoke(&spec, "r", b"{}");
    assert!(
        tokio::time::timeout(Duration::from_millis(800), invoke)
            .await
            .is_err()
    );
    let pid: u32 = std::fs::read_to_string(&pid_file)
        .expect("pid file")
        .trim()
        .parse()
        .expect("pid");
    assert_group_gone(pid).await;
    assert_eq!(runtimes.instance_count(), 0);
    assert_eq!(
        std::fs::read_dir(&runtimes.inner.instances)
            .expect("dir")
            .count(),
        0
    );
}

#[tokio::test]
async fn keep_alive_reaper_stops_idle_instances() {
    if !have_tools() {
        return;
    }
    let keep_alive = Duration::from_millis(200);
    let runtimes = runtimes_with(RuntimeSettings {
        keep_alive,
        ..RuntimeSettings::default()
    });
    let spec = spec("f", script(RESPOND, "respond \"pid=$$\""));
    let pgid = pid_in(success(&runtimes.invoke(&spec, "r", b"{}").await));
    assert_eq!(runtimes.instance_count(), 1);
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(runtimes.instance_count(), 0);
    assert_group_gone(pgid).await;
}

#[tokio::test]
async fn stop_function_stops_only_that_function() {
    if !have_tools() {
        return;
    }
    let runtimes = runtimes();
    let (f, g) = (
        spec("f", script(RESPOND, "respond \"pid=$$\"")),
        spec("g", script(RESPOND, "respond \"pid=$$\"")),
    );
    let f_pid = pid_in(success(&runtimes.invoke(&f, "r1", b"{}").await));
    assert!(runtimes.invoke(&g, "r2", b"{}").await.cold_start);
    runtimes.stop_function("default", "f");
    assert_eq!(runtimes.instance_count(), 1);
    assert_group_gone(f_pid).await;
    assert!(!runtimes.invoke(&g, "r3", b"{}").await.cold_start);
    assert!(runtimes.invoke(&f, "r4", b"{}").await.cold_start);
}

#[tokio::test]
async fn limits_refuse_with_432() {
    if !have_tools() {
        return;
    }
    let runtimes = runtimes_with(RuntimeSettings {
        max_instances: 2,
        ..RuntimeSettings::default()
    });
    let slow = spec("f", script(RESPOND, "sleep 0.5; respond ok"));
    let other = spec("g", script(RESPOND, "sleep 0.5; respond ok"));
    let (a, b, c) = tokio::join!(
        runtimes.invoke_limited(&slow, Some(1), "r1", Work::Event(Bytes::from_static(b"{}"))),
        async {
            tokio::time::sleep(Duration::from_millis(100)).await;
            runtimes
                .invoke_limited(&slow, Some(1), "r2", Work::Event(Bytes::from_static(b"{}")))
                .await
        },
        async {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let started = runtimes.invoke(&other, "r3", b"{}");
            let refused = async {
                tokio::time::sleep(Duration::from_millis(100)).await;
                runtimes.invoke(&other, "r4", b"{}").await
            };
            tokio::join!(started, refused)
        },
    );
    assert_eq!(success(&a), "ok");
    assert_eq!(failed_status(&b), 432);
    assert_eq!(success(&c.0), "ok");
    assert_eq!(failed_status(&c.1), 432);
}

#[tokio::test]
async fn dropping_runtimes_leaves_no_process_and_no_directory() {
    if !have_tools() {
        return;
    }
    let runtimes = runtimes();
    let root = runtimes.inner._root.path().to_owned();
    let spec = spec(
        "f",
        script(&format!("sleep 300 &\n{RESPOND}"), "respond \"pid=$$\""),
    );
    let pgid = pid_in(success(&runtimes.invoke(&spec, "r", b"{}").await));
    assert!(root.join("instances").read_dir().expect("dir").count() == 1);
    drop(runtimes);
    assert_group_gone(pgid).await;
    assert!(!root.exists());
}
