//! `spec/diff-overrides.json`: maintainers' verdicts that replace a rule's severity for chosen
//! changes, each with the reason why.
//!
//! ```json
//! {"overrides": [{"rule": "input-removed", "action": "X", "member": "Y",
//!                 "severity": "compatible", "reason": "the console never sent it"}]}
//! ```
//!
//! `rule` (a catalogue id), `severity` (`breaking`, `dangerous`, `compatible`, `docs`, or
//! `ignore` to drop the change) and a non-empty `reason` are required. `action`, `type`,
//! `member` and `code` narrow the match; a field left out matches anything. The first override
//! that matches a change applies. An override matching no change is stale, and reported.

use serde_json::{Map, Value};

use super::change::{Change, Location, Severity};
use super::rules::{self, Rule};

/// The overrides file's name, inside the spec directory.
pub const FILE: &str = "diff-overrides.json";

/// The keys an override may have.
const KEYS: [&str; 7] = [
    "rule", "action", "type", "member", "code", "severity", "reason",
];

/// What an override does to the changes it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The change gets this severity.
    Set(Severity),
    /// The change is dropped.
    Ignore,
}

/// One entry of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub rule: &'static Rule,
    /// The parts to match; `None` matches anything.
    pub location: Location,
    pub verdict: Verdict,
    pub reason: String,
}

impl Override {
    /// Whether this override applies to `c`.
    pub fn matches(&self, c: &Change) -> bool {
        let part = |want: &Option<String>, got: &Option<String>| {
            want.as_ref().is_none_or(|w| Some(w) == got.as_ref())
        };
        let (want, got) = (&self.location, &c.location);
        self.rule.id == c.rule.id
            && part(&want.action, &got.action)
            && part(&want.type_, &got.type_)
            && part(&want.member, &got.member)
            && part(&want.code, &got.code)
    }

    /// `rule `x`, action `A`, member `M``: what the override matches, for messages.
    pub fn describe(&self) -> String {
        let l = &self.location;
        let mut parts = vec![format!("rule `{}`", self.rule.id)];
        for (key, v) in [
            ("action", &l.action),
            ("type", &l.type_),
            ("member", &l.member),
            ("code", &l.code),
        ] {
            if let Some(v) = v {
                parts.push(format!("{key} `{v}`"));
            }
        }
        parts.join(", ")
    }
}

/// Reads the overrides file's text; the error lists every problem, one per line.
pub fn parse(bytes: &[u8]) -> Result<Vec<Override>, String> {
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| format!("not valid JSON: {e}"))?;
    let Some(top) = doc.as_object() else {
        return Err("expected an object with an `overrides` list".to_owned());
    };
    if let Some(k) = top.keys().find(|k| *k != "overrides" && *k != "$comment") {
        return Err(format!(
            "unknown key `{k}` (expected `overrides` and an optional `$comment`)"
        ));
    }
    let Some(list) = top.get("overrides").and_then(Value::as_array) else {
        return Err("expected an `overrides` list".to_owned());
    };
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (i, entry) in list.iter().enumerate() {
        let read = match entry.as_object() {
            Some(map) => one(map),
            None => Err(vec!["expected an object".to_owned()]),
        };
        match read {
            Ok(o) => out.push(o),
            Err(errs) => problems.extend(errs.into_iter().map(|e| format!("overrides[{i}]: {e}"))),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems.join("\n"))
    }
}

/// One override, or every problem it has.
fn one(map: &Map<String, Value>) -> Result<Override, Vec<String>> {
    let mut problems = Vec::new();
    for k in map.keys().filter(|k| !KEYS.contains(&k.as_str())) {
        problems.push(format!(
            "unknown key `{k}` (expected one of {})",
            KEYS.join(", ")
        ));
    }
    let mut text = |key: &str, required: bool| -> Option<String> {
        match map.get(key) {
            None if required => problems.push(format!("`{key}` is required")),
            None => {}
            Some(Value::String(s)) if !s.trim().is_empty() => return Some(s.clone()),
            Some(_) => problems.push(format!("`{key}` must be a non-empty string")),
        }
        None
    };
    let rule = text("rule", true);
    let location = Location {
        action: text("action", false),
        type_: text("type", false),
        member: text("member", false),
        code: text("code", false),
    };
    let severity = text("severity", true);
    let reason = text("reason", true);
    let rule = rule.and_then(|id| {
        let found = rules::find(&id);
        if found.is_none() {
            problems.push(format!(
                "unknown rule `{id}` (see docs/spec-diff-rules.md, or `cargo xtask spec diff --rules`)"
            ));
        }
        found
    });
    let verdict = severity.and_then(|s| {
        let v = match s.as_str() {
            "ignore" => Some(Verdict::Ignore),
            other => Severity::parse(other).map(Verdict::Set),
        };
        if v.is_none() {
            problems.push(format!(
                "unknown severity `{s}` (expected breaking, dangerous, compatible, docs or ignore)"
            ));
        }
        v
    });
    match (rule, verdict, reason) {
        (Some(rule), Some(verdict), Some(reason)) if problems.is_empty() => Ok(Override {
            rule,
            location,
            verdict,
            reason,
        }),
        _ => Err(problems),
    }
}

/// The changes with the overrides applied.
#[derive(Debug, Default)]
pub struct Applied {
    /// Every change not ignored, with its new severity and the override's reason.
    pub changes: Vec<Change>,
    /// How many changes an `ignore` override dropped.
    pub ignored: usize,
    /// One line per override that matched no change.
    pub stale: Vec<String>,
}

/// Applies `overrides` to `changes`: the first override matching a change decides.
pub fn apply(changes: Vec<Change>, overrides: &[Override]) -> Applied {
    let mut used = vec![false; overrides.len()];
    let mut out = Applied::default();
    for mut c in changes {
        let Some(i) = overrides.iter().position(|o| o.matches(&c)) else {
            out.changes.push(c);
            continue;
        };
        used[i] = true;
        match overrides[i].verdict {
            Verdict::Ignore => out.ignored += 1,
            Verdict::Set(s) => {
                c.severity = s;
                c.overridden = Some(overrides[i].reason.clone());
                out.changes.push(c);
            }
        }
    }
    out.changes.sort_by(|a, b| {
        (a.severity, &a.location, a.rule.id).cmp(&(b.severity, &b.location, b.rule.id))
    });
    for (i, o) in overrides.iter().enumerate() {
        if !used[i] {
            out.stale.push(format!(
                "{FILE}: overrides[{i}] ({}) matches no change; remove it if it is stale",
                o.describe()
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::rules::{DOCS_CHANGED, INPUT_REMOVED, OUTPUT_ADDED};

    fn changes() -> Vec<Change> {
        vec![
            Change::new(
                &INPUT_REMOVED,
                Location::action("CreateFunction").member("Stamp"),
                "input `Stamp` removed",
            ),
            Change::new(
                &OUTPUT_ADDED,
                Location::type_("Trigger").member("Extra"),
                "member `Extra` added",
            ),
            Change::new(
                &DOCS_CHANGED,
                Location::action("GetAccount"),
                "docs changed",
            ),
        ]
    }

    fn file(entries: &str) -> Vec<Override> {
        parse(format!(r#"{{"$comment": "x", "overrides": [{entries}]}}"#).as_bytes())
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_severity_override_keeps_its_reason_and_reorders() {
        let o = file(
            r#"{"rule": "input-removed", "action": "CreateFunction", "member": "Stamp",
                "severity": "docs", "reason": "the console never sent it"}"#,
        );
        let a = apply(changes(), &o);
        assert!(a.stale.is_empty(), "{:?}", a.stale);
        assert_eq!(a.ignored, 0);
        let ids: Vec<&str> = a.changes.iter().map(|c| c.rule.id).collect();
        // Now sorted among the docs changes, by location.
        assert_eq!(ids, ["output-added", "input-removed", "docs-changed"]);
        let c = &a.changes[1];
        assert_eq!(c.severity, Severity::Docs);
        assert_eq!(c.overridden.as_deref(), Some("the console never sent it"));
    }

    #[test]
    fn ignore_drops_matching_changes_and_absent_fields_match_anything() {
        let o = file(r#"{"rule": "docs-changed", "severity": "ignore", "reason": "noise"}"#);
        let a = apply(changes(), &o);
        assert_eq!(a.ignored, 1);
        assert_eq!(a.changes.len(), 2);
        assert!(a.changes.iter().all(|c| c.rule.id != "docs-changed"));
    }

    #[test]
    fn an_override_matching_nothing_is_stale() {
        let o = file(
            r#"{"rule": "input-removed", "action": "CreateFunction", "member": "Other",
                "severity": "compatible", "reason": "r"},
               {"rule": "output-added", "type": "Trigger", "severity": "compatible", "reason": "r"}"#,
        );
        let a = apply(changes(), &o);
        assert_eq!(a.stale.len(), 1, "{:?}", a.stale);
        assert!(
            a.stale[0].contains("overrides[0]")
                && a.stale[0]
                    .contains("rule `input-removed`, action `CreateFunction`, member `Other`"),
            "{}",
            a.stale[0]
        );
        assert_eq!(a.changes.len(), 3);
    }

    #[test]
    fn unknown_rules_and_missing_reasons_are_errors() {
        let e = parse(
            br#"{"overrides": [
                {"rule": "input-vanished", "severity": "compatible", "reason": "r"},
                {"rule": "input-removed", "severity": "compatible"},
                {"rule": "input-removed", "severity": "fine", "reason": " ", "memebr": "X"}
            ]}"#,
        )
        .unwrap_err();
        for want in [
            "overrides[0]: unknown rule `input-vanished`",
            "overrides[1]: `reason` is required",
            "overrides[2]: unknown key `memebr`",
            "overrides[2]: `reason` must be a non-empty string",
            "overrides[2]: unknown severity `fine`",
        ] {
            assert!(e.contains(want), "missing {want:?} in:\n{e}");
        }
    }

    #[test]
    fn malformed_files_are_errors() {
        assert!(parse(b"{").unwrap_err().contains("not valid JSON"));
        assert!(parse(b"[]").unwrap_err().contains("`overrides` list"));
        assert!(
            parse(br#"{"overides": []}"#)
                .unwrap_err()
                .contains("unknown key `overides`")
        );
        assert!(
            parse(br#"{"overrides": [3]}"#)
                .unwrap_err()
                .contains("overrides[0]: expected an object")
        );
        assert_eq!(parse(br#"{"overrides": []}"#).unwrap(), Vec::new());
    }

    #[test]
    fn the_checked_in_file_parses() {
        let path = crate::workspace_root().join("spec").join(FILE);
        let bytes = std::fs::read(&path).unwrap();
        parse(&bytes).unwrap_or_else(|e| panic!("spec/{FILE}: {e}"));
    }
}
