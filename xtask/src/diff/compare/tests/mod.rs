//! Tests of the comparison: the real spec, cloned and changed in one way per test, and the
//! exact changes found.

mod actions;
mod enums;
mod errors;
mod facts;
mod members;
mod service;
mod types;

use std::path::Path;
use std::sync::OnceLock;

use codegen::model::{Action, Member, Spec, TypeDef};

use super::super::change::{Bump, Change, Severity};
use super::compare;

/// The real spec, loaded once.
fn real() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
        codegen::load(&dir).unwrap_or_else(|e| panic!("{e}"))
    })
}

/// The changes from the real spec to a copy changed by `edit`.
fn diff(edit: impl FnOnce(&mut Spec)) -> Vec<Change> {
    let old = real();
    let mut new = old.clone();
    edit(&mut new);
    compare(old, &new)
}

/// The rule ids of `changes`, in order.
fn ids(changes: &[Change]) -> Vec<&'static str> {
    changes.iter().map(|c| c.rule.id).collect()
}

/// `changes` one per line, for assertion messages.
fn show(changes: &[Change]) -> String {
    changes
        .iter()
        .map(|c| {
            format!(
                "{} {} at {}: {}",
                c.severity, c.rule.id, c.location, c.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Asserts that `changes` are exactly the rules `expected`, in order.
#[track_caller]
fn expect(changes: &[Change], expected: &[&str]) {
    assert_eq!(ids(changes), expected, "\n{}", show(changes));
}

/// Asserts that `changes` are one change of `rule` and returns it.
#[track_caller]
fn only<'c>(changes: &'c [Change], rule: &str) -> &'c Change {
    expect(changes, &[rule]);
    &changes[0]
}

fn action<'s>(spec: &'s mut Spec, name: &str) -> &'s mut Action {
    spec.actions
        .iter_mut()
        .find(|a| a.name == name)
        .unwrap_or_else(|| panic!("no action {name}"))
}

fn type_def<'s>(spec: &'s mut Spec, name: &str) -> &'s mut TypeDef {
    spec.types
        .iter_mut()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type {name}"))
}

fn find<'m>(members: &'m mut [Member], name: &str) -> &'m mut Member {
    members
        .iter_mut()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("no member {name}"))
}

fn input<'s>(spec: &'s mut Spec, a: &str, m: &str) -> &'s mut Member {
    find(&mut action(spec, a).input, m)
}

fn output<'s>(spec: &'s mut Spec, a: &str, m: &str) -> &'s mut Member {
    find(&mut action(spec, a).output, m)
}

fn member<'s>(spec: &'s mut Spec, t: &str, m: &str) -> &'s mut Member {
    find(&mut type_def(spec, t).members, m)
}

#[test]
fn identical_specs_give_nothing() {
    let again = codegen::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")).unwrap();
    assert!(compare(real(), &again).is_empty());
    assert!(compare(real(), real()).is_empty());
}

#[test]
fn sorted_worst_first_then_location() {
    let changes = diff(|s| {
        input(s, "GetFunction", "Qualifier").docs.push_str(" More.");
        action(s, "Invoke").rate_limit = Some(1);
        input(s, "GetFunction", "Namespace").required = true;
        input(s, "CopyFunction", "FunctionName").required = false;
    });
    expect(
        &changes,
        &[
            "input-now-required",
            "rate-limit-lowered",
            "input-now-optional",
            "docs-changed",
        ],
    );
    let severities: Vec<Severity> = changes.iter().map(|c| c.severity).collect();
    assert!(severities.is_sorted(), "{severities:?}");
}
