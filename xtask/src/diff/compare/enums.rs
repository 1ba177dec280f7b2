//! Values added to or removed from the generated enums, once per enum (not once per member
//! using it), judged by where the enum is used.

use std::collections::BTreeSet;

use codegen::model::{EnumDef, EnumUser};

use super::super::change::{Change, Location};
use super::super::rules::{self, Rule};
use super::members::{Role, worst};
use super::usage::{Usage, Used};
use super::{Ctx, Finding, by_name};

/// The rule for a value `added` to (or removed from) an enum of inputs or of outputs.
pub(super) fn value_rule(input: bool, added: bool) -> &'static Rule {
    match (input, added) {
        (true, true) => &rules::ENUM_VALUE_ADDED_INPUT,
        (true, false) => &rules::ENUM_VALUE_REMOVED_INPUT,
        (false, true) => &rules::ENUM_VALUE_ADDED_OUTPUT,
        (false, false) => &rules::ENUM_VALUE_REMOVED_OUTPUT,
    }
}

/// Values of every enum present on both sides by name. A value added is judged by where the
/// new spec uses the enum, a value removed by where the old one did. A member that moves to
/// another enum is compared in `aspects.rs`.
pub(super) fn compare(ctx: &Ctx<'_>, out: &mut Vec<Change>) {
    let old_by = by_name(&ctx.old.enums, |e| &e.name);
    for new in &ctx.new.enums {
        let Some(old) = old_by.get(&*new.name) else {
            continue;
        };
        let (before, after) = (values(old), values(new));
        if before == after {
            continue;
        }
        let Some(location) = new.users.iter().chain(&old.users).next().map(user_location) else {
            continue;
        };
        let added: Vec<&str> = after.difference(&before).copied().collect();
        let removed: Vec<&str> = before.difference(&after).copied().collect();
        let new_use = enum_use(&ctx.new_use, new);
        let old_use = enum_use(&ctx.old_use, old);
        report(&location, new, new_use, &added, true, out);
        report(&location, old, old_use, &removed, false, out);
    }
}

/// One change per value `added` to (or removed from) `e`, which is used as `used`.
fn report(
    location: &Location,
    e: &EnumDef,
    used: Used,
    values: &[&str],
    added: bool,
    out: &mut Vec<Change>,
) {
    let verb = if added { "added" } else { "removed" };
    let whose = users_text(e, used);
    for value in values {
        let message = format!("enum `{}`: value `{value}` {verb} ({whose})", e.name);
        let (found, _) = worst(&roles(used), |role| {
            vec![Finding::new(value_rule(role.input(), added), &*message)]
        });
        out.extend(found.into_iter().map(|f| f.at(location.clone())));
    }
}

fn values(e: &EnumDef) -> BTreeSet<&str> {
    e.variants.iter().map(|v| v.value.as_str()).collect()
}

/// Where the members typed with `e` are used.
pub(super) fn enum_use(usage: &Usage, e: &EnumDef) -> Used {
    let mut used = Used::default();
    for user in &e.users {
        match user {
            EnumUser::Input { .. } => used.input = true,
            EnumUser::Output { .. } => used.output = true,
            EnumUser::Type { type_name, .. } => {
                let t = usage.of(type_name);
                used.input |= t.input;
                used.output |= t.output;
            }
        }
    }
    used
}

/// Inputs first, so that a tie goes to the input verdict.
fn roles(used: Used) -> Vec<Role> {
    let used = used.or_both();
    let mut roles = Vec::new();
    if used.input {
        roles.push(Role::Request);
    }
    if used.output {
        roles.push(Role::Response);
    }
    roles
}

/// The member typed with the enum, as a location.
fn user_location(user: &EnumUser) -> Location {
    match user {
        EnumUser::Input { action, member } | EnumUser::Output { action, member } => {
            Location::action(action).member(member)
        }
        EnumUser::Type { type_name, member } => Location::type_(type_name).member(member),
    }
}

/// "used by 3 members, in requests and responses".
fn users_text(e: &EnumDef, used: Used) -> String {
    let count = e.users.len();
    let plural = if count == 1 { "member" } else { "members" };
    let side = match (used.input, used.output) {
        (true, true) => "in requests and responses",
        (true, false) => "in requests",
        (false, true) => "in responses",
        (false, false) => "nowhere",
    };
    format!("used by {count} {plural}, {side}")
}
