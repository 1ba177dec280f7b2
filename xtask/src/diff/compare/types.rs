//! Shared types added, removed and renamed, their docs, and their members judged by where the
//! types are used.

use std::collections::BTreeMap;

use codegen::model::{Member, Spec, Ty, TypeDef};

use super::super::change::{Change, Location};
use super::super::rules;
use super::members::{self, Place, type_roles};
use super::{Ctx, Finding, by_name};

/// Whether `old` and `new` are the same element type, counting types in `renamed` (old name →
/// new name) as themselves.
pub(super) fn same_ty(renamed: &BTreeMap<String, String>, old: &Ty, new: &Ty) -> bool {
    match (old, new) {
        (Ty::Named(a), Ty::Named(b)) => a == b || renamed.get(a) == Some(b),
        _ => old == new,
    }
}

/// Types removed from `old` paired with types added in `new` that have the same members
/// (names, types, list-ness and flags; texts may differ): old name → new name. Pairing repeats
/// until nothing more pairs, so types whose members use renamed types pair too.
pub(super) fn renames(old: &Spec, new: &Spec) -> BTreeMap<String, String> {
    let (old_by, new_by) = (by_name(&old.types, name), by_name(&new.types, name));
    let removed: Vec<&TypeDef> = old
        .types
        .iter()
        .filter(|t| !new_by.contains_key(&*t.name))
        .collect();
    let added: Vec<&TypeDef> = new
        .types
        .iter()
        .filter(|t| !old_by.contains_key(&*t.name))
        .collect();
    let mut renamed = BTreeMap::new();
    loop {
        let before = renamed.len();
        for r in &removed {
            if renamed.contains_key(&r.name) {
                continue;
            }
            let taken = |a: &TypeDef| renamed.values().any(|n| n == &a.name);
            let found = added
                .iter()
                .find(|a| !taken(a) && same_members(&renamed, &r.members, &a.members));
            if let Some(a) = found {
                renamed.insert(r.name.clone(), a.name.clone());
            }
        }
        if renamed.len() == before {
            return renamed;
        }
    }
}

fn name(t: &TypeDef) -> &str {
    &t.name
}

fn same_members(renamed: &BTreeMap<String, String>, old: &[Member], new: &[Member]) -> bool {
    old.len() == new.len()
        && old.iter().zip(new).all(|(o, n)| {
            o.name == n.name
                && same_ty(renamed, &o.ty, &n.ty)
                && o.list == n.list
                && o.required == n.required
                && o.nullable == n.nullable
                && o.sensitive == n.sensitive
                && o.debug == n.debug
                && o.deprecated == n.deprecated
                && o.site == n.site
                && o.enum_name == n.enum_name
        })
}

/// Types added, removed or renamed; for types on both sides (or renamed), their docs and
/// members.
pub(super) fn compare(ctx: &Ctx<'_>, out: &mut Vec<Change>) {
    let new_names: BTreeMap<&str, &str> = ctx
        .renamed
        .iter()
        .map(|(o, n)| (n.as_str(), o.as_str()))
        .collect();
    let (old_by, new_by) = (by_name(&ctx.old.types, name), by_name(&ctx.new.types, name));
    for o in &ctx.old.types {
        if new_by.contains_key(&*o.name) {
            continue;
        }
        let (rule, message) = match ctx.renamed.get(&o.name) {
            Some(n) => (&rules::TYPE_RENAMED, format!("type `{}` → `{n}`", o.name)),
            None => (&rules::TYPE_REMOVED, format!("type `{}` removed", o.name)),
        };
        out.push(Change::new(rule, Location::type_(&o.name), message));
    }
    for n in &ctx.new.types {
        let old_name = new_names.get(&*n.name).copied().unwrap_or(&n.name);
        match old_by.get(old_name) {
            Some(o) => compare_type(ctx, o, n, out),
            None => out.push(Change::new(
                &rules::TYPE_ADDED,
                Location::type_(&n.name),
                format!("type `{}` added", n.name),
            )),
        }
    }
}

/// One type present on both sides (under its new name when renamed).
fn compare_type(ctx: &Ctx<'_>, o: &TypeDef, n: &TypeDef, out: &mut Vec<Change>) {
    let owner = Location::type_(&n.name);
    if o.docs != n.docs {
        let message = format!("type `{}`: docs edited", n.name);
        out.push(Finding::new(&rules::DOCS_CHANGED, message).at(owner.clone()));
    }
    let roles = type_roles(ctx.new_use.of(&n.name));
    let old_roles = type_roles(ctx.old_use.of(&o.name));
    let place = Place {
        owner,
        roles: &roles,
        old_roles: &old_roles,
    };
    members::compare(ctx, &place, &o.members, &n.members, out);
}
