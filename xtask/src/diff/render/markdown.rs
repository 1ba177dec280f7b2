//! The report as a pull-request comment: a summary line, a table per severity, and what each
//! rule that appears means, collapsed.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::{CRATE, Group, Report, cell, counts, grouped, heading, ignored_note};
use crate::diff::change::{Change, Location, Severity};
use crate::diff::rules::RULES;

/// The whole comment, ending in a newline.
pub fn render(r: &Report) -> String {
    let mut out = format!("{}\n\nSpec `{}` → `{}`.\n", summary(r), r.base, r.head);
    for s in Severity::ALL {
        let count = r.count(s);
        if count == 0 {
            continue;
        }
        let _ = writeln!(out, "\n### {} ({count})\n", heading(s));
        // Breaking changes are always listed; a long list of milder ones is summed up by rule
        // and listed in full behind a fold, so the comment reads in a minute.
        let fold = s != Severity::Breaking && count > FOLD_ABOVE;
        if fold {
            by_rule(&mut out, r.of(s));
            let _ = writeln!(
                out,
                "\n<details>\n<summary>All {count} {} changes</summary>\n",
                s.as_str()
            );
        }
        out.push_str("| where | rule | change | sdk |\n| --- | --- | --- | --- |\n");
        for c in grouped(r.of(s))
            .into_iter()
            .flat_map(|(_, changes)| changes)
        {
            row(&mut out, c);
        }
        if fold {
            out.push_str("\n</details>\n");
        }
    }
    rules_used(&mut out, r);
    out
}

/// Sections with more changes than this (other than breaking ones) are summed up by rule.
const FOLD_ABOVE: usize = 15;

/// `| rule | changes | sdk |`, one row per rule, most frequent first.
fn by_rule<'c>(out: &mut String, changes: impl Iterator<Item = &'c Change>) {
    let mut counts: Vec<(&str, usize, String)> = Vec::new();
    for c in changes {
        match counts.iter_mut().find(|(id, _, _)| *id == c.rule.id) {
            Some(entry) => entry.1 += 1,
            None => counts.push((c.rule.id, 1, c.sdk.to_string())),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    out.push_str("| rule | changes | sdk |\n| --- | ---: | --- |\n");
    for (id, n, sdk) in counts {
        let _ = writeln!(out, "| `{id}` | {n} | {sdk} |");
    }
}

/// `**2 breaking**, 1 dangerous, 14 compatible, 3 docs — scf-api needs a **major** release`.
pub fn summary(r: &Report) -> String {
    let ignored = ignored_note(r);
    match r.semver() {
        None => format!("No changes — {CRATE} needs no release{ignored}"),
        Some(b) => format!(
            "{} — {CRATE} needs a **{b}** release{ignored}",
            counts(r, |s| format!("**{s}**"))
        ),
    }
}

fn row(out: &mut String, c: &Change) {
    let mut change = cell(&c.message);
    if let Some(reason) = &c.overridden {
        let _ = write!(
            change,
            "<br>_overridden (the rule says {}): {}_",
            c.rule.severity,
            cell(reason)
        );
    }
    let _ = writeln!(
        out,
        "| {} | `{}` | {change} | {} |",
        place(&c.location),
        c.rule.id,
        c.sdk
    );
}

/// `action `X.Member``, `type `T.Member``, `code `C``, or `service`.
fn place(l: &Location) -> String {
    let kind = match Group::of(l) {
        Group::Action(_) => "action",
        Group::Type(_) => "type",
        Group::Service if *l == Location::default() => return "service".to_owned(),
        Group::Service if l.code.is_some() => "code",
        Group::Service => "service",
    };
    format!("{kind} `{}`", cell(&l.to_string()))
}

/// A collapsed table of what the rules used mean, in catalogue order.
fn rules_used(out: &mut String, r: &Report) {
    let used: BTreeSet<&str> = r.changes.iter().map(|c| c.rule.id).collect();
    if used.is_empty() {
        return;
    }
    out.push_str(
        "\n<details>\n<summary>What these rules mean</summary>\n\n\
         | rule | on the wire | in Rust |\n| --- | --- | --- |\n",
    );
    for rule in RULES.iter().filter(|rule| used.contains(rule.id)) {
        let _ = writeln!(
            out,
            "| `{}`: {} | {} | {} |",
            rule.id,
            cell(rule.title),
            cell(rule.wire),
            cell(rule.rust)
        );
    }
    out.push_str("\nAll rules: `docs/spec-diff-rules.md`.\n\n</details>\n");
}
