//! What the diff reports: a [`Change`], found by a [`Rule`] at a
//! [`Location`], with a [`Severity`] for callers on the wire and a [`Bump`] for the generated
//! crate.

use std::fmt;

use super::rules::Rule;

/// What a change does to existing callers of the API, whatever their language: the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Existing calls that worked may now fail or mean something else.
    Breaking,
    /// Existing calls keep working, but may see something they did not see before (a new
    /// output value, a member that may now be absent, a lower rate limit).
    Dangerous,
    /// Nothing that worked stops working.
    Compatible,
    /// Only texts changed.
    Docs,
}

impl Severity {
    /// Every severity, worst first.
    pub const ALL: [Severity; 4] = [
        Severity::Breaking,
        Severity::Dangerous,
        Severity::Compatible,
        Severity::Docs,
    ];

    /// The stable name used in JSON and in the overrides file.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Breaking => "breaking",
            Severity::Dangerous => "dangerous",
            Severity::Compatible => "compatible",
            Severity::Docs => "docs",
        }
    }

    /// The severity named `name`.
    pub fn parse(name: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The version bump the generated crate (`scf-api`) needs for a change, by the Cargo SemVer
/// rules applied to the code the generator writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bump {
    /// Docs or behaviour within what was promised.
    Patch,
    /// New API, nothing removed or changed.
    Minor,
    /// Code that compiled against the old crate may not compile, or may behave differently in
    /// a way its types promised it would not.
    Major,
}

impl Bump {
    /// The stable name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a change is: the action, the type, the member (a wire name; `Input.Member` paths are
/// not used: `action` or `type` says whose member it is), the error code. Empty parts are
/// `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub action: Option<String>,
    pub type_: Option<String>,
    pub member: Option<String>,
    pub code: Option<String>,
}

impl Location {
    /// An action.
    pub fn action(name: &str) -> Location {
        Location {
            action: Some(name.to_owned()),
            ..Location::default()
        }
    }

    /// A shared type.
    pub fn type_(name: &str) -> Location {
        Location {
            type_: Some(name.to_owned()),
            ..Location::default()
        }
    }

    /// An error code of the table (`errors.json`) or of the common list.
    pub fn code(code: &str) -> Location {
        Location {
            code: Some(code.to_owned()),
            ..Location::default()
        }
    }

    /// This location's `member`.
    #[must_use]
    pub fn member(mut self, member: &str) -> Location {
        self.member = Some(member.to_owned());
        self
    }

    /// This location's error `code`.
    #[must_use]
    pub fn with_code(mut self, code: &str) -> Location {
        self.code = Some(code.to_owned());
        self
    }
}

impl fmt::Display for Location {
    /// `Action`, `Action.Member`, `Type.Member`, `Action: Code`, `Code`, or `service`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let owner = self.action.as_deref().or(self.type_.as_deref());
        match (owner, &self.member, &self.code) {
            (Some(o), Some(m), _) => write!(f, "{o}.{m}"),
            (Some(o), None, Some(c)) => write!(f, "{o}: {c}"),
            (Some(o), None, None) => f.write_str(o),
            (None, Some(m), _) => f.write_str(m),
            (None, None, Some(c)) => f.write_str(c),
            (None, None, None) => f.write_str("service"),
        }
    }
}

/// One change between the two specs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The rule that found it; gives the id and the defaults.
    pub rule: &'static Rule,
    /// The rule's severity, or the one an override set.
    pub severity: Severity,
    /// The rule's bump (overrides change severities only: the generated code is what it is).
    pub sdk: Bump,
    pub location: Location,
    /// One line, naming what changed from what to what.
    pub message: String,
    /// The reason of the override that set `severity`, if one did.
    pub overridden: Option<String>,
}

impl Change {
    /// A change found by `rule`, with the rule's severity and bump.
    pub fn new(rule: &'static Rule, location: Location, message: impl Into<String>) -> Change {
        Change {
            rule,
            severity: rule.severity,
            sdk: rule.sdk,
            location,
            message: message.into(),
            overridden: None,
        }
    }
}

/// The bump a list of changes needs: the largest one, or `None` when there are no changes.
pub fn semver(changes: &[Change]) -> Option<Bump> {
    changes.iter().map(|c| c.sdk).max()
}
