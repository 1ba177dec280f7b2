//! Error codes: the table (`errors.json`), the codes common to every action, and each
//! action's own codes.

use std::collections::BTreeSet;

use codegen::model::{Action, Retry};

use super::super::change::{Change, Location};
use super::super::rules;
use super::{Ctx, by_name};

/// The common list and the table.
pub(super) fn compare(ctx: &Ctx<'_>, out: &mut Vec<Change>) {
    common(ctx, out);
    table(ctx, out);
}

fn common(ctx: &Ctx<'_>, out: &mut Vec<Change>) {
    let old: BTreeSet<&str> = ctx.old.common_error_codes().into_iter().collect();
    let new: BTreeSet<&str> = ctx.new.common_error_codes().into_iter().collect();
    for c in new.difference(&old) {
        let message = format!("`{c}` is now common to every action");
        out.push(Change::new(
            &rules::COMMON_ERROR_ADDED,
            Location::code(c),
            message,
        ));
    }
    for c in old.difference(&new) {
        let message = format!("`{c}` is no longer common to every action");
        out.push(Change::new(
            &rules::COMMON_ERROR_REMOVED,
            Location::code(c),
            message,
        ));
    }
}

fn table(ctx: &Ctx<'_>, out: &mut Vec<Change>) {
    let old = by_name(&ctx.old.errors, |e| &e.code);
    let new = by_name(&ctx.new.errors, |e| &e.code);
    for (code, o) in &old {
        let at = Location::code(code);
        let Some(n) = new.get(code) else {
            let message = format!("`{code}` removed from the error table");
            out.push(Change::new(&rules::ERROR_REMOVED, at, message));
            continue;
        };
        if o.retry != n.retry {
            let message = format!(
                "`{code}`: retried {} → {}",
                retry_text(o.retry),
                retry_text(n.retry)
            );
            out.push(Change::new(
                &rules::ERROR_RETRY_CHANGED,
                at.clone(),
                message,
            ));
        }
        if o.docs != n.docs {
            let message = format!("`{code}`: description edited");
            out.push(Change::new(&rules::DOCS_CHANGED, at, message));
        }
    }
    for code in new.keys().filter(|c| !old.contains_key(*c)) {
        let message = format!("`{code}` added to the error table");
        out.push(Change::new(
            &rules::ERROR_ADDED,
            Location::code(code),
            message,
        ));
    }
}

fn retry_text(r: Retry) -> &'static str {
    match r {
        Retry::Never => "never",
        Retry::Always => "always",
        Retry::SafeActionsOnly => "only by retry-safe actions",
    }
}

/// The codes of one action on both sides: its own codes (its error enum's variants) and the
/// common codes it documents (named only in docs).
pub(super) fn action(ctx: &Ctx<'_>, o: &Action, n: &Action, out: &mut Vec<Change>) {
    let at = |c: &str| Location::action(&n.name).with_code(c);
    let old: BTreeSet<&str> = ctx.old.own_error_codes(o).into_iter().collect();
    let new: BTreeSet<&str> = ctx.new.own_error_codes(n).into_iter().collect();
    for c in new.difference(&old) {
        let message = format!("`{}` may now return `{c}`", n.name);
        out.push(Change::new(&rules::ACTION_ERROR_ADDED, at(c), message));
    }
    for c in old.difference(&new) {
        let message = format!("`{}` no longer documents `{c}` as its own code", n.name);
        out.push(Change::new(&rules::ACTION_ERROR_REMOVED, at(c), message));
    }
    let old: BTreeSet<&str> = ctx.old.documented_common_codes(o).into_iter().collect();
    let new: BTreeSet<&str> = ctx.new.documented_common_codes(n).into_iter().collect();
    for c in new.symmetric_difference(&old) {
        let verb = if new.contains(c) { "now" } else { "no longer" };
        let message = format!("`{}` {verb} documents the common code `{c}`", n.name);
        out.push(Change::new(&rules::DOCS_CHANGED, at(c), message));
    }
}
