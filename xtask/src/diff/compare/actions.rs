//! Actions added and removed (by name); for actions on both sides, their inputs, outputs,
//! error codes, facts and texts.

use super::super::change::{Change, Location};
use super::super::rules;
use super::members::{self, Place, Role};
use super::{Ctx, by_name, docs, errors, facts};

pub(super) fn compare(ctx: &Ctx<'_>, out: &mut Vec<Change>) {
    let old = by_name(&ctx.old.actions, |a| &a.name);
    let new = by_name(&ctx.new.actions, |a| &a.name);
    for name in old.keys().filter(|a| !new.contains_key(*a)) {
        let message = format!("action `{name}` removed");
        out.push(Change::new(
            &rules::ACTION_REMOVED,
            Location::action(name),
            message,
        ));
    }
    for (name, n) in &new {
        let Some(o) = old.get(name) else {
            let message = format!("action `{name}` added");
            out.push(Change::new(
                &rules::ACTION_ADDED,
                Location::action(name),
                message,
            ));
            continue;
        };
        let place = |roles| Place {
            owner: Location::action(name),
            roles,
            old_roles: roles,
        };
        members::compare(ctx, &place(&[Role::Request]), &o.input, &n.input, out);
        members::compare(ctx, &place(&[Role::Response]), &o.output, &n.output, out);
        errors::action(ctx, o, n, out);
        facts::compare(o, n, out);
        docs::action(o, n, out);
    }
}
