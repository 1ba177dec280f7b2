//! Comparing two loaded specs: every difference as [`Change`]s found by the catalogue's rules.
//!
//! The work is split by concern: [`service`] (service facts and texts), [`errors`] (the error
//! table, the common list and each action's own codes), [`types`] (types added, removed,
//! renamed, and their members), [`actions`] (actions added and removed, their members and
//! facts), [`members`] (one list of members against another, used for inputs, outputs and
//! type members), [`enums`] (values of the generated enums) and [`docs`] (text-only edits).
//! Shared types are judged by where they are used ([`mod@usage`]).

mod actions;
mod aspects;
mod docs;
mod enums;
mod errors;
mod facts;
mod members;
mod service;
mod types;
pub mod usage;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt::Display;

use codegen::model::{Spec, Ty};

use super::change::{Change, Location};
use super::rules::Rule;

pub use usage::{Usage, usage};

/// Every change from `old` to `new`, sorted by severity (worst first), then location, then
/// rule id (then message, so the order is fully determined). Identical specs give an empty
/// list.
pub fn compare(old: &Spec, new: &Spec) -> Vec<Change> {
    let ctx = Ctx::new(old, new);
    let mut out = Vec::new();
    service::compare(&ctx, &mut out);
    errors::compare(&ctx, &mut out);
    types::compare(&ctx, &mut out);
    actions::compare(&ctx, &mut out);
    enums::compare(&ctx, &mut out);
    out.sort_by(|a, b| {
        (a.severity, &a.location, a.rule.id, &a.message).cmp(&(
            b.severity,
            &b.location,
            b.rule.id,
            &b.message,
        ))
    });
    out
}

/// Both specs and what is derived from them once.
pub(super) struct Ctx<'a> {
    pub old: &'a Spec,
    pub new: &'a Spec,
    /// Where the old spec uses its types.
    pub old_use: Usage,
    /// Where the new spec uses its types.
    pub new_use: Usage,
    /// Types seen as renamed: old name → new name.
    pub renamed: BTreeMap<String, String>,
}

impl<'a> Ctx<'a> {
    fn new(old: &'a Spec, new: &'a Spec) -> Ctx<'a> {
        Ctx {
            old,
            new,
            old_use: usage(old),
            new_use: usage(new),
            renamed: types::renames(old, new),
        }
    }

    /// Whether `old` and `new` are the same element type, counting a renamed type as itself.
    pub fn same_ty(&self, old: &Ty, new: &Ty) -> bool {
        types::same_ty(&self.renamed, old, new)
    }
}

/// A change before it has a location: the rule and the message.
#[derive(Debug, Clone)]
pub(super) struct Finding {
    pub rule: &'static Rule,
    pub message: String,
}

impl Finding {
    pub fn new(rule: &'static Rule, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            message: message.into(),
        }
    }

    /// The change at `location`.
    pub fn at(self, location: Location) -> Change {
        Change::new(self.rule, location, self.message)
    }
}

/// `items` by their name.
pub(super) fn by_name<T>(items: &[T], name: impl Fn(&T) -> &str) -> BTreeMap<&str, &T> {
    items.iter().map(|i| (name(i), i)).collect()
}

/// `v` shown, or `none` when there is no value.
pub(super) fn or<T: Display>(v: Option<T>, none: &str) -> String {
    v.map_or_else(|| none.to_owned(), |v| v.to_string())
}

/// Names in backticks, separated by commas.
pub(super) fn ticked<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> String {
    names
        .into_iter()
        .map(|n| format!("`{}`", n.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}
