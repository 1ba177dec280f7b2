//! One list of members against another, by wire name: used for action inputs, action outputs
//! and the members of shared types. Each member's facts are judged in [`aspects`](super::aspects)
//! by the role the list plays; a type used in requests and responses is judged both ways and
//! the worse verdict is kept.

use std::cmp::Reverse;

use codegen::model::Member;

use super::super::change::{Bump, Change, Location, Severity};
use super::super::rules::{self, Rule};
use super::aspects::ASPECTS;
use super::usage::Used;
use super::{Ctx, Finding, by_name};

/// What a list of members is, which decides how a change of it reads on the wire and in the
/// generated Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// An action's inputs: a request struct, every field `Option`.
    Request,
    /// An action's outputs: a response struct, fields plain when required and never null.
    Response,
    /// A shared type as it goes into requests (its struct follows the response typing).
    TypeIn,
    /// A shared type as it comes back in responses.
    TypeOut,
}

impl Role {
    /// Whether callers send these members.
    pub fn input(self) -> bool {
        matches!(self, Role::Request | Role::TypeIn)
    }

    /// Whether a member's field is plain `T` when it is required and never null (every
    /// generated struct but requests, whose fields are all `Option`).
    pub fn plain_fields(self) -> bool {
        self != Role::Request
    }

    /// How messages call one member.
    pub fn noun(self) -> &'static str {
        match self {
            Role::Request => "input",
            Role::Response => "output",
            Role::TypeIn | Role::TypeOut => "member",
        }
    }
}

/// The roles of a shared type's members, from its usage; inputs first, so that a tie between
/// two equally bad verdicts goes to the input one.
pub(super) fn type_roles(used: Used) -> Vec<Role> {
    let used = used.or_both();
    let mut roles = Vec::new();
    if used.input {
        roles.push(Role::TypeIn);
    }
    if used.output {
        roles.push(Role::TypeOut);
    }
    roles
}

/// Where a list of members sits: its owner (an action or a type) and the roles it plays on
/// the new side, and on the old side (which judges members removed: their users are the old
/// spec's).
pub(super) struct Place<'p> {
    pub owner: Location,
    pub roles: &'p [Role],
    pub old_roles: &'p [Role],
}

/// Every change from the members `old` to the members `new` at `place`.
pub(super) fn compare(
    ctx: &Ctx<'_>,
    place: &Place<'_>,
    old: &[Member],
    new: &[Member],
    out: &mut Vec<Change>,
) {
    let old_by = by_name(old, |m| &m.name);
    let new_by = by_name(new, |m| &m.name);
    let removed: Vec<&Member> = old
        .iter()
        .filter(|m| !new_by.contains_key(&*m.name))
        .collect();
    let added: Vec<&Member> = new
        .iter()
        .filter(|m| !old_by.contains_key(&*m.name))
        .collect();
    let at = |m: &Member| place.owner.clone().member(&m.name);
    for m in &removed {
        let hint = rename_hint(ctx, m, &added, true);
        let found = judge(place.old_roles, |role| {
            vec![removed_finding(role, m, &hint)]
        });
        out.extend(found.into_iter().map(|f| f.at(at(m))));
    }
    for m in &added {
        let hint = rename_hint(ctx, m, &removed, false);
        let found = judge(place.roles, |role| vec![added_finding(role, m, &hint)]);
        out.extend(found.into_iter().map(|f| f.at(at(m))));
    }
    for n in new {
        let Some(o) = old_by.get(&*n.name) else {
            continue;
        };
        for aspect in ASPECTS {
            let found = judge(place.roles, |role| aspect(ctx, role, o, n));
            out.extend(found.into_iter().map(|f| f.at(at(n))));
        }
    }
}

/// "; possibly renamed to `X`" (or "from `X`") when members on the other side, in the same
/// place, have the same type as `m`, which is on the old side when `m_old`.
fn rename_hint(ctx: &Ctx<'_>, m: &Member, others: &[&Member], m_old: bool) -> String {
    let candidates: Vec<String> = others
        .iter()
        .filter(|c| {
            let (o, n) = if m_old { (m, **c) } else { (**c, m) };
            o.list == n.list && ctx.same_ty(&o.ty, &n.ty)
        })
        .map(|c| format!("`{}`", c.name))
        .collect();
    if candidates.is_empty() {
        return String::new();
    }
    let word = if m_old { "to" } else { "from" };
    format!("; possibly renamed {word} {}", candidates.join(" or "))
}

fn removed_finding(role: Role, m: &Member, hint: &str) -> Finding {
    let rule = if role.input() {
        &rules::INPUT_REMOVED
    } else {
        &rules::OUTPUT_REMOVED
    };
    Finding::new(rule, format!("{} `{}` removed{hint}", role.noun(), m.name))
}

fn added_finding(role: Role, m: &Member, hint: &str) -> Finding {
    let (rule, what) = match (role.input(), m.required) {
        (true, true) => (&rules::INPUT_ADDED_REQUIRED, " (required)"),
        (true, false) => (&rules::INPUT_ADDED_OPTIONAL, " (optional)"),
        (false, _) => (&rules::OUTPUT_ADDED, ""),
    };
    Finding::new(
        rule,
        format!("{} `{}` added{what}{hint}", role.noun(), m.name),
    )
}

/// The findings of `find` for the worst of `roles`; when the roles disagree, the messages say
/// that the type is used both ways.
pub(super) fn judge(roles: &[Role], find: impl Fn(Role) -> Vec<Finding>) -> Vec<Finding> {
    let (mut found, differ) = worst(roles, find);
    if differ {
        for f in &mut found {
            f.message.push_str(" (type used in requests and responses)");
        }
    }
    found
}

/// The findings of `find` for the worst of `roles` (the first of equally bad ones), and
/// whether the roles gave different rules.
pub(super) fn worst(roles: &[Role], find: impl Fn(Role) -> Vec<Finding>) -> (Vec<Finding>, bool) {
    let mut verdicts = roles.iter().map(|&r| find(r));
    let Some(mut worst) = verdicts.next() else {
        return (Vec::new(), false);
    };
    let mut differ = false;
    for v in verdicts {
        differ |= ids(&v) != ids(&worst);
        if rank(&v) < rank(&worst) {
            worst = v;
        }
    }
    (worst, differ)
}

fn ids(found: &[Finding]) -> Vec<&'static str> {
    found.iter().map(|f| f.rule.id).collect()
}

/// How bad a verdict is: smaller is worse (worst severity first, then largest bump); an empty
/// verdict is the least bad.
fn rank(found: &[Finding]) -> (bool, Severity, Reverse<Bump>) {
    found.iter().map(|f| rank_of(f.rule)).min().unwrap_or((
        true,
        Severity::Docs,
        Reverse(Bump::Patch),
    ))
}

fn rank_of(rule: &Rule) -> (bool, Severity, Reverse<Bump>) {
    (false, rule.severity, Reverse(rule.sdk))
}
