//! How instances fail: each failure with its status code of SCF's table.

use std::time::Duration;

use super::*;

#[tokio::test]
async fn exit_before_ready_is_405() {
    if !have_tools() {
        return;
    }
    let runtimes = runtimes();
    let execution = runtimes
        .invoke(
            &spec("f", "#!/bin/sh\necho dying\nexit 3\n".to_owned()),
            "r",
            b"{}",
        )
        .await;
    assert_eq!(failed_status(&execution), 405);
    assert!(
        execution.cold_start && execution.log.contains("dying"),
        "{}",
        execution.log
    );
    assert_eq!(runtimes.instance_count(), 0);
}

#[tokio::test]
async fn never_ready_is_450() {
    if !have_tools() {
        return;
    }
    let runtimes = runtimes();
    let mut spec = spec(
        "f",
        "#!/bin/sh\necho \"waiting pid=$$\"\nsleep 30\n".to_owned(),
    );
    spec.init_timeout = Duration::from_millis(300);
    let execution = runtimes.invoke(&spec, "r", b"{}").await;
    assert_eq!(failed_status(&execution), 450);
    assert!(execution.log.contains("waiting"));
    assert_group_gone(pid_in(&execution.log)).await;
    assert_eq!(runtimes.instance_count(), 0);
}

#[tokio::test]
async fn timeout_is_433_and_the_group_is_gone() {
    if !have_tools() {
        return;
    }
    let runtimes = runtimes();
    let mut spec = spec("f", script("", "echo \"pid=$$\"; sleep 30"));
    spec.timeout = Duration::from_millis(400);
    let execution = runtimes.invoke(&spec, "r", b"{}").await;
    assert_eq!(
        execution.outcome,
        failed(433, "Invoking task timed out after 0.4 seconds")
    );
    assert!(execution.duration_ms >= 400.0);
    assert_group_gone(pid_in(&execution.log)).await;
    assert_eq!(runtimes.instance_count(), 0);
}

#[tokio::test]
async fn exit_during_run_is_439() {
    if !have_tools() {
        return;
    }
    let runtimes = runtimes();
    let execution = runtimes
        .invoke(&spec("f", script("", "echo bye; exit 1")), "r", b"{}")
        .await;
    assert_eq!(failed_status(&execution), 439);
    assert!(execution.log.contains("bye"));
    assert_eq!(runtimes.instance_count(), 0);
}

#[tokio::test]
async fn result_over_6_mb_is_407() {
    if !have_tools() {
        return;
    }
    let runtimes = runtimes();
    let handler = "head -c 7000000 /dev/zero | tr '\\0' a > \"$TMPDIR/big\"\n\
                   curl -s --data-binary \"@$TMPDIR/big\" \"$API/invocation/response\" >/dev/null";
    let execution = runtimes
        .invoke(&spec("f", script("", handler)), "r", b"{}")
        .await;
    assert_eq!(failed_status(&execution), 407);
    assert_eq!(runtimes.instance_count(), 0);
}

#[tokio::test]
async fn memory_limit_is_434() {
    if !have_tools() || group_members(1).is_none() {
        return;
    }
    let runtimes = runtimes();
    let mut spec = spec(
        "f",
        script("", "x=$(head -c 150000000 /dev/zero | tr '\\0' a); sleep 5"),
    );
    spec.memory_mb = 64;
    spec.timeout = Duration::from_secs(5);
    let execution = runtimes.invoke(&spec, "r", b"{}").await;
    assert_eq!(failed_status(&execution), 434);
    assert!(execution.mem_usage > 64 * 1024 * 1024);
    assert_eq!(runtimes.instance_count(), 0);
}

#[tokio::test]
async fn a_bad_package_is_445() {
    let runtimes = Runtimes::new(RuntimeSettings::default()).expect("runtimes");
    let execution = runtimes
        .invoke(&spec("f", "not a zip".to_owned()), "r", b"{}")
        .await;
    assert_eq!(failed_status(&execution), 445);
    assert_eq!(runtimes.instance_count(), 0);
}
