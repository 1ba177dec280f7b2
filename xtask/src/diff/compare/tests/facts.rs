//! Facts of an action: regions, limits, paging, waiters, constraints, site.

use codegen::model::Constraint;

use super::*;

#[test]
fn region_required_flips() {
    let changes = diff(|s| action(s, "GetAsyncEventStatus").region.required = true);
    assert_eq!(
        only(&changes, "region-now-required").severity,
        Severity::Breaking
    );
    let changes = diff(|s| action(s, "GetFunction").region.required = false);
    only(&changes, "region-no-longer-required");
}

#[test]
fn regions_narrowed_and_widened() {
    // Empty means every region: a list narrows it.
    let changes = diff(|s| action(s, "GetFunction").region.supported = vec!["ap-guangzhou".into()]);
    only(&changes, "regions-narrowed");
    let changes = diff(|s| action(s, "GetAsyncEventStatus").region.supported.clear());
    only(&changes, "regions-widened");
    let changes = diff(|s| {
        let supported = &mut action(s, "GetAsyncEventStatus").region.supported;
        supported.retain(|r| r != "ap-tokyo");
        supported.push("ap-bangkok".into());
    });
    expect(&changes, &["regions-narrowed", "regions-widened"]);
    assert!(
        changes[0].message.contains("`ap-tokyo`"),
        "{}",
        show(&changes)
    );
    assert!(
        changes[1].message.contains("`ap-bangkok`"),
        "{}",
        show(&changes)
    );
}

#[test]
fn rate_limits() {
    let changes = diff(|s| action(s, "GetFunction").rate_limit = Some(10));
    assert_eq!(
        only(&changes, "rate-limit-lowered").message,
        "rate limit 20/s → 10/s"
    );
    let changes = diff(|s| action(s, "GetFunction").rate_limit = None);
    assert_eq!(
        only(&changes, "rate-limit-raised").message,
        "rate limit 20/s → unlimited"
    );
}

#[test]
fn retry_duration_events_time_range() {
    only(
        &diff(|s| action(s, "GetFunction").retry_safe = false),
        "retry-safety-changed",
    );
    let changes = diff(|s| action(s, "Invoke").max_duration_secs = Some(900));
    assert_eq!(
        only(&changes, "max-duration-changed").message,
        "maxDurationSecs 300 s → 900 s"
    );
    let changes = diff(|s| {
        let limits = action(s, "Invoke").event_limits.as_mut().unwrap();
        limits.max_sync_bytes /= 2;
    });
    only(&changes, "event-limits-changed");
    let changes = diff(|s| {
        action(s, "GetFunctionLogs")
            .time_range
            .as_mut()
            .unwrap()
            .max_secs += 1
    });
    let secs = real()
        .actions
        .iter()
        .find(|a| a.name == "GetFunctionLogs")
        .and_then(|a| a.time_range.as_ref())
        .unwrap()
        .max_secs;
    let c = only(&changes, "time-range-changed");
    let expected = format!("timeRange: widest range {secs} s → {} s", secs + 1);
    assert_eq!(c.message, expected);
}

#[test]
fn pagination() {
    let changes = diff(|s| action(s, "ListFunctions").pagination = None);
    only(&changes, "pagination-removed");
    let changes = diff(|s| {
        let paging = action(s, "ListFunctions").pagination.clone();
        action(s, "ListLayerVersions").pagination = paging;
    });
    only(&changes, "pagination-added");
    let changes = diff(|s| {
        let p = action(s, "ListFunctions").pagination.as_mut().unwrap();
        p.max_page_size = Some(p.max_page_size.unwrap_or(100) + 1);
    });
    let c = only(&changes, "pagination-changed");
    assert!(
        c.message.starts_with("pagination: largest page "),
        "{}",
        c.message
    );
}

#[test]
fn waiters() {
    let changes = diff(|s| action(s, "GetFunction").waiters.clear());
    only(&changes, "waiter-removed");
    let changes = diff(|s| {
        let waiters = &mut action(s, "GetFunction").waiters;
        let mut copy = waiters[0].clone();
        copy.name = "FunctionSettled".into();
        waiters.push(copy);
    });
    only(&changes, "waiter-added");
    let changes = diff(|s| {
        let w = &mut action(s, "GetFunction").waiters[0];
        w.min_delay_ms += 1;
        w.success.push("Sleeping".into());
    });
    let c = only(&changes, "waiter-changed");
    assert!(c.message.contains("success states"), "{}", c.message);
    assert!(c.message.contains("min delay"), "{}", c.message);
}

#[test]
fn constraints_and_site() {
    let changes = diff(|s| action(s, "GetRequestStatus").constraints.clear());
    assert!(
        only(&changes, "constraint-changed")
            .message
            .contains("removed")
    );
    let changes = diff(|s| {
        action(s, "GetFunction")
            .constraints
            .push(Constraint::RequiredWith {
                member: "Namespace".into(),
                when: "Qualifier".into(),
            });
    });
    assert!(
        only(&changes, "constraint-changed")
            .message
            .contains("added")
    );
    let changes = diff(|s| action(s, "GetFunction").site = None);
    only(&changes, "action-site-changed");
}
