//! Showing a diff: [`text`] for a terminal, [`json`] for tools, [`markdown`] for a pull-request
//! comment, and [`catalogue`], the rule catalogue as a document.

pub mod catalogue;
pub mod json;
pub mod markdown;
pub mod text;

use std::collections::BTreeMap;

use super::change::{Bump, Change, Location, Severity, semver};

/// The crate whose release the verdict is about.
pub const CRATE: &str = "scf-api";

/// What the renderers show.
#[derive(Debug, Clone)]
pub struct Report {
    /// How the two sides are named: the arguments as given, or `working tree`.
    pub base: String,
    pub head: String,
    /// The changes after overrides, sorted by severity, location, rule id.
    pub changes: Vec<Change>,
    /// How many changes an `ignore` override dropped.
    pub ignored: usize,
}

impl Report {
    /// The bump the changes need, if any.
    pub fn semver(&self) -> Option<Bump> {
        semver(&self.changes)
    }

    /// The changes of severity `s`.
    pub fn of(&self, s: Severity) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.severity == s)
    }

    /// How many changes have severity `s`.
    pub fn count(&self, s: Severity) -> usize {
        self.of(s).count()
    }

    /// Whether some change is breaking: the command then exits with 1.
    pub fn is_breaking(&self) -> bool {
        self.count(Severity::Breaking) > 0
    }
}

/// `none` or the bump's name, as in the JSON `semver` key.
pub fn verdict(bump: Option<Bump>) -> &'static str {
    bump.map_or("none", Bump::as_str)
}

/// `Breaking`, `Dangerous`, ...: a severity as a heading.
pub fn heading(s: Severity) -> &'static str {
    match s {
        Severity::Breaking => "Breaking",
        Severity::Dangerous => "Dangerous",
        Severity::Compatible => "Compatible",
        Severity::Docs => "Docs",
    }
}

/// `2 breaking, 0 dangerous, ...`, with `bold` around the parts that need attention.
pub fn counts(r: &Report, bold: fn(String) -> String) -> String {
    Severity::ALL
        .into_iter()
        .map(|s| {
            let part = format!("{} {s}", r.count(s));
            if s == Severity::Breaking && r.count(s) > 0 {
                bold(part)
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `, 1 change ignored by overrides` when overrides dropped some.
pub fn ignored_note(r: &Report) -> String {
    match r.ignored {
        0 => String::new(),
        1 => " (1 more change ignored by an override)".to_owned(),
        n => format!(" ({n} more changes ignored by overrides)"),
    }
}

/// `text` made safe for a markdown table cell: one line, pipes escaped.
pub fn cell(text: &str) -> String {
    text.replace('\n', " ").replace('|', "\\|")
}

/// What a change's location is grouped under: its action, its type, or the service (service
/// facts and the error table).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group<'a> {
    Action(&'a str),
    Type(&'a str),
    Service,
}

impl<'a> Group<'a> {
    pub fn of(l: &'a Location) -> Group<'a> {
        match (&l.action, &l.type_) {
            (Some(a), _) => Group::Action(a),
            (None, Some(t)) => Group::Type(t),
            (None, None) => Group::Service,
        }
    }

    /// `action CreateFunction`, `type Trigger`, `service and error codes`.
    pub fn title(&self) -> String {
        match self {
            Group::Action(a) => format!("action {a}"),
            Group::Type(t) => format!("type {t}"),
            Group::Service => "service and error codes".to_owned(),
        }
    }
}

/// `changes` by group: actions by name, then types by name, then the service; each group's
/// changes keep their order.
pub fn grouped<'a>(changes: impl Iterator<Item = &'a Change>) -> Vec<(Group<'a>, Vec<&'a Change>)> {
    let mut groups: BTreeMap<Group<'a>, Vec<&'a Change>> = BTreeMap::new();
    for c in changes {
        groups.entry(Group::of(&c.location)).or_default().push(c);
    }
    groups.into_iter().collect()
}

/// What a change's location adds to its group: the member or the error code (the whole
/// location for service items), or nothing.
pub fn detail(l: &Location) -> Option<String> {
    match Group::of(l) {
        Group::Action(_) | Group::Type(_) => l.member.clone().or_else(|| l.code.clone()),
        Group::Service if l.member.is_none() && l.code.is_none() => None,
        Group::Service => Some(l.to_string()),
    }
}

#[cfg(test)]
pub mod sample {
    //! A hand-made report covering every severity, group and override, for the golden files.

    use super::Report;
    use crate::diff::change::{Change, Location, Severity};
    use crate::diff::rules;

    /// The sample changes, as the engine would sort them.
    pub fn report() -> Report {
        let mut overridden = Change::new(
            &rules::INPUT_REMOVED,
            Location::action("CreateFunction").member("Stamp"),
            "input `Stamp` removed",
        );
        overridden.severity = Severity::Compatible;
        overridden.overridden = Some("the console never sent it".to_owned());
        let changes = vec![
            Change::new(
                &rules::INPUT_REMOVED,
                Location::action("CreateFunction").member("Handler"),
                "input `Handler` removed",
            ),
            Change::new(
                &rules::MEMBER_TYPE_CHANGED,
                Location::type_("Trigger").member("Enable"),
                "type changed from `boolean` to `string`",
            ),
            Change::new(
                &rules::SERVICE_CHANGED,
                Location::default(),
                "version changed from `2018-04-16` to `2024-01-01`",
            ),
            Change::new(
                &rules::OUTPUT_NOW_OPTIONAL,
                Location::action("GetFunction").member("Runtime"),
                "`Runtime` may now be absent | null",
            ),
            Change::new(
                &rules::ACTION_ERROR_ADDED,
                Location::action("CreateFunction").with_code("LimitExceeded.Function"),
                "error code `LimitExceeded.Function` added",
            ),
            overridden,
            Change::new(
                &rules::OUTPUT_ADDED,
                Location::type_("Trigger").member("Extra"),
                "member `Extra` added",
            ),
            Change::new(
                &rules::ERROR_ADDED,
                Location::code("LimitExceeded.Function"),
                "code `LimitExceeded.Function` added",
            ),
            Change::new(
                &rules::DOCS_CHANGED,
                Location::action("GetAccount"),
                "summary changed",
            ),
        ];
        let mut changes = changes;
        changes.sort_by(|a, b| {
            (a.severity, &a.location, a.rule.id).cmp(&(b.severity, &b.location, b.rule.id))
        });
        Report {
            base: "v0.1.0".to_owned(),
            head: "working tree".to_owned(),
            changes,
            ignored: 2,
        }
    }

    /// A report without changes.
    pub fn empty() -> Report {
        Report {
            base: "HEAD".to_owned(),
            head: "working tree".to_owned(),
            changes: Vec::new(),
            ignored: 0,
        }
    }
}

#[cfg(test)]
mod golden {
    //! The text and markdown renderings of [`sample`](super::sample) against the files in
    //! `golden/`; `UPDATE_GOLDEN=1 cargo test -p xtask golden` rewrites them.

    use std::path::PathBuf;

    use super::{Report, markdown, sample, text};

    fn check(name: &str, got: &str) {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("src/diff/render/golden")
            .join(name);
        if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, got).unwrap();
            return;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            got == want,
            "the rendering differs from golden/{name}; if the change is intended, run \
             `UPDATE_GOLDEN=1 cargo test -p xtask golden` and review the diff.\n--- got:\n{got}"
        );
    }

    fn both(name: &str, r: &Report) {
        check(&format!("{name}.txt"), &text::render(r));
        check(&format!("{name}.md"), &markdown::render(r));
    }

    #[test]
    fn golden_sample() {
        both("sample", &sample::report());
    }

    #[test]
    fn golden_no_changes() {
        both("no-changes", &sample::empty());
    }
}
