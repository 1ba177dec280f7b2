//! The report for a terminal: a summary line, then the changes, worst first, grouped by action,
//! type and service, one line each.

use std::fmt::Write as _;

use super::{CRATE, Report, counts, detail, grouped, heading, ignored_note};
use crate::diff::change::{Change, Severity};

/// The whole report, ending in a newline.
pub fn render(r: &Report) -> String {
    let mut out = format!("spec diff: {} -> {}\n{}\n", r.base, r.head, summary(r));
    for s in Severity::ALL {
        let n = r.count(s);
        if n == 0 {
            continue;
        }
        let _ = writeln!(out, "\n{} ({n}):", heading(s));
        for (group, changes) in grouped(r.of(s)) {
            let _ = writeln!(out, "  {}", group.title());
            for c in changes {
                line(&mut out, c);
            }
        }
    }
    out
}

/// `2 breaking, 1 dangerous, 3 compatible, 1 docs; scf-api needs a major release`.
pub fn summary(r: &Report) -> String {
    let verdict = match r.semver() {
        Some(b) => format!("{CRATE} needs a {b} release"),
        None => format!("{CRATE} needs no release"),
    };
    if r.changes.is_empty() {
        format!("no changes; {verdict}{}", ignored_note(r))
    } else {
        format!("{}; {verdict}{}", counts(r, |s| s), ignored_note(r))
    }
}

/// `    [rule] Member: message (sdk: major)`, and the override's reason below when one applied.
/// The member (or code) is left out when the message already names it in backticks.
fn line(out: &mut String, c: &Change) {
    let at = detail(&c.location)
        .filter(|d| !c.message.contains(&format!("`{d}`")))
        .map(|d| format!("{d}: "))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "    [{}] {at}{} (sdk: {})",
        c.rule.id, c.message, c.sdk
    );
    if let Some(reason) = &c.overridden {
        let _ = writeln!(
            out,
            "      overridden (the rule says {}): {reason}",
            c.rule.severity
        );
    }
}
