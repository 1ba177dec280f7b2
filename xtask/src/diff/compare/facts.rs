//! The facts of an action present on both sides, other than its members, codes and texts:
//! region rules, limits, retry safety, paging, waiters, constraints, site.

use std::collections::BTreeSet;

use codegen::model::{Action, Constraint, EventLimits, Pagination, TimeRange, Waiter};

use super::super::change::{Change, Location};
use super::super::rules::{self, Rule};
use super::aspects::site_text;
use super::{Finding, by_name, or, ticked};

/// Every fact of `o` against `n`.
pub(super) fn compare(o: &Action, n: &Action, out: &mut Vec<Change>) {
    let mut found = Vec::new();
    region(o, n, &mut found);
    limits(o, n, &mut found);
    paging(o, n, &mut found);
    waiters(o, n, &mut found);
    constraints(o, n, &mut found);
    if o.site != n.site {
        let message = format!("available on {} → {}", site_text(o.site), site_text(n.site));
        found.push(Finding::new(&rules::ACTION_SITE_CHANGED, message));
    }
    out.extend(found.into_iter().map(|f| f.at(Location::action(&n.name))));
}

fn region(o: &Action, n: &Action, found: &mut Vec<Finding>) {
    if o.region.required != n.region.required {
        let (rule, message) = if n.region.required {
            (&rules::REGION_NOW_REQUIRED, "a region is now required")
        } else {
            (
                &rules::REGION_NO_LONGER_REQUIRED,
                "a region is no longer required",
            )
        };
        found.push(Finding::new(rule, message));
    }
    let old: BTreeSet<&str> = o.region.supported.iter().map(String::as_str).collect();
    let new: BTreeSet<&str> = n.region.supported.iter().map(String::as_str).collect();
    match (old.is_empty(), new.is_empty()) {
        (true, true) => {}
        (true, false) => found.push(Finding::new(
            &rules::REGIONS_NARROWED,
            format!("supported regions: every region → only {}", ticked(&new)),
        )),
        (false, true) => found.push(Finding::new(
            &rules::REGIONS_WIDENED,
            format!("supported regions: only {} → every region", ticked(&old)),
        )),
        (false, false) => {
            let removed: Vec<&&str> = old.difference(&new).collect();
            let added: Vec<&&str> = new.difference(&old).collect();
            if !removed.is_empty() {
                let message = format!("supported regions removed: {}", ticked(removed));
                found.push(Finding::new(&rules::REGIONS_NARROWED, message));
            }
            if !added.is_empty() {
                let message = format!("supported regions added: {}", ticked(added));
                found.push(Finding::new(&rules::REGIONS_WIDENED, message));
            }
        }
    }
}

/// Rate limit, retry safety, longest run, event sizes, time range.
fn limits(o: &Action, n: &Action, found: &mut Vec<Finding>) {
    if o.rate_limit != n.rate_limit {
        // No limit is the highest limit.
        let lower = n.rate_limit.unwrap_or(u32::MAX) < o.rate_limit.unwrap_or(u32::MAX);
        let rule = if lower {
            &rules::RATE_LIMIT_LOWERED
        } else {
            &rules::RATE_LIMIT_RAISED
        };
        let rate = |r: Option<u32>| or(r.map(|r| format!("{r}/s")), "unlimited");
        let message = format!("rate limit {} → {}", rate(o.rate_limit), rate(n.rate_limit));
        found.push(Finding::new(rule, message));
    }
    if o.retry_safe != n.retry_safe {
        let message = if n.retry_safe {
            "now safe to retry"
        } else {
            "no longer safe to retry"
        };
        found.push(Finding::new(&rules::RETRY_SAFETY_CHANGED, message));
    }
    if o.max_duration_secs != n.max_duration_secs {
        let secs = |s: Option<u32>| or(s.map(|s| format!("{s} s")), "not set");
        let message = format!(
            "maxDurationSecs {} → {}",
            secs(o.max_duration_secs),
            secs(n.max_duration_secs)
        );
        found.push(Finding::new(&rules::MAX_DURATION_CHANGED, message));
    }
    changed(
        &rules::EVENT_LIMITS_CHANGED,
        "eventLimits",
        &o.event_limits,
        &n.event_limits,
        event_parts,
        found,
    );
    changed(
        &rules::TIME_RANGE_CHANGED,
        "timeRange",
        &o.time_range,
        &n.time_range,
        range_parts,
        found,
    );
}

/// The named parts of a fact, shown for messages.
type Parts = Vec<(&'static str, String)>;

/// A finding of `rule` when an optional fact differs: set, removed, or which parts changed.
fn changed<T: PartialEq>(
    rule: &'static Rule,
    what: &str,
    old: &Option<T>,
    new: &Option<T>,
    parts: fn(&T) -> Parts,
    found: &mut Vec<Finding>,
) {
    let message = match (old, new) {
        (Some(a), Some(b)) if a != b => format!("{what}: {}", delta(parts(a), parts(b))),
        (None, Some(b)) => format!("{what} set ({})", whole(parts(b))),
        (Some(a), None) => format!("{what} removed (was {})", whole(parts(a))),
        _ => return,
    };
    found.push(Finding::new(rule, message));
}

/// "a x, b y".
fn whole(parts: Parts) -> String {
    let shown: Vec<String> = parts.iter().map(|(k, v)| format!("{k} {v}")).collect();
    shown.join(", ")
}

/// "a x → y; b y → z", for the parts that differ.
fn delta(old: Parts, new: Parts) -> String {
    let shown: Vec<String> = old
        .iter()
        .zip(&new)
        .filter(|(a, b)| a.1 != b.1)
        .map(|((k, a), (_, b))| format!("{k} {a} → {b}"))
        .collect();
    shown.join("; ")
}

fn event_parts(e: &EventLimits) -> Parts {
    vec![
        ("member", format!("`{}`", e.member)),
        ("largest sync event", format!("{} B", e.max_sync_bytes)),
        (
            "largest async event",
            or(e.max_async_bytes.map(|b| format!("{b} B")), "none"),
        ),
    ]
}

fn range_parts(r: &TimeRange) -> Parts {
    vec![
        ("start", format!("`{}`", r.start)),
        ("end", format!("`{}`", r.end)),
        ("widest range", format!("{} s", r.max_secs)),
    ]
}

fn paging_parts(p: &Pagination) -> Parts {
    vec![
        ("offset", format!("`{}`", p.offset)),
        ("limit", format!("`{}`", p.limit)),
        ("items", format!("`{}`", p.items)),
        ("total", format!("`{}`", p.total)),
        ("largest page", or(p.max_page_size, "any")),
        ("window", or(p.max_window, "any")),
    ]
}

fn paging(o: &Action, n: &Action, found: &mut Vec<Finding>) {
    let rule = match (&o.pagination, &n.pagination) {
        (None, Some(_)) => &rules::PAGINATION_ADDED,
        (Some(_), None) => &rules::PAGINATION_REMOVED,
        _ => &rules::PAGINATION_CHANGED,
    };
    let (old, new) = (&o.pagination, &n.pagination);
    changed(rule, "pagination", old, new, paging_parts, found);
}

fn waiters(o: &Action, n: &Action, found: &mut Vec<Finding>) {
    let old = by_name(&o.waiters, |w| &w.name);
    let new = by_name(&n.waiters, |w| &w.name);
    for name in old.keys().filter(|w| !new.contains_key(*w)) {
        let message = format!("waiter `{name}` removed");
        found.push(Finding::new(&rules::WAITER_REMOVED, message));
    }
    for (name, w) in &new {
        let Some(before) = old.get(name) else {
            let message = format!("waiter `{name}` added (on `{}`)", w.state_path);
            found.push(Finding::new(&rules::WAITER_ADDED, message));
            continue;
        };
        let what = waiter_changes(before, w);
        if !what.is_empty() {
            let message = format!("waiter `{name}`: {}", what.join("; "));
            found.push(Finding::new(&rules::WAITER_CHANGED, message));
        }
    }
}

/// What differs between two waiters, besides their docs.
fn waiter_changes(o: &Waiter, n: &Waiter) -> Vec<String> {
    let mut what = Vec::new();
    if o.state_path != n.state_path {
        what.push(format!("state `{}` → `{}`", o.state_path, n.state_path));
    }
    let states = [
        ("success", &o.success, &n.success),
        ("failure", &o.failure, &n.failure),
    ];
    for (kind, a, b) in states {
        if a != b {
            what.push(format!("{kind} states [{}] → [{}]", ticked(a), ticked(b)));
        }
    }
    let numbers = [
        ("min delay (ms)", o.min_delay_ms, n.min_delay_ms),
        ("max delay (ms)", o.max_delay_ms, n.max_delay_ms),
        (
            "default timeout (s)",
            o.default_timeout_secs,
            n.default_timeout_secs,
        ),
    ];
    for (kind, a, b) in numbers {
        if a != b {
            what.push(format!("{kind} {a} → {b}"));
        }
    }
    what
}

fn constraints(o: &Action, n: &Action, found: &mut Vec<Finding>) {
    for c in &n.constraints {
        if !o.constraints.contains(c) {
            let message = format!("constraint added: {}", constraint_text(c));
            found.push(Finding::new(&rules::CONSTRAINT_CHANGED, message));
        }
    }
    for c in &o.constraints {
        if !n.constraints.contains(c) {
            let message = format!("constraint removed: {}", constraint_text(c));
            found.push(Finding::new(&rules::CONSTRAINT_CHANGED, message));
        }
    }
}

fn constraint_text(c: &Constraint) -> String {
    match c {
        Constraint::RequiredWith { member, when } => {
            format!("`{member}` required whenever `{when}` is set")
        }
    }
}
