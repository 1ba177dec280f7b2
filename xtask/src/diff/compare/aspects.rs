//! The facts of one member present on both sides, each compared by one function of
//! [`ASPECTS`] and judged for the role its list plays.

use std::collections::BTreeSet;

use codegen::model::{DebugAs, Member, Site, Ty};
use serde_json::Value;

use super::super::rules;
use super::enums::value_rule;
use super::members::Role;
use super::{Ctx, Finding, ticked};

/// One fact of a member: what changed from `old` to `new`, judged as `role`.
pub(super) type Aspect = fn(&Ctx<'_>, Role, &Member, &Member) -> Vec<Finding>;

/// Every fact compared, in the order changes are found.
pub(super) const ASPECTS: &[Aspect] = &[
    ty, list, enum_name, values, flags, deprecated, site, sensitive, debug, texts,
];

/// "input `Name`", "output `Name`" or "member `Name`".
fn who(role: Role, m: &Member) -> String {
    format!("{} `{}`", role.noun(), m.name)
}

fn ty(ctx: &Ctx<'_>, role: Role, o: &Member, n: &Member) -> Vec<Finding> {
    if ctx.same_ty(&o.ty, &n.ty) {
        return Vec::new();
    }
    // Both are a JSON string and a Rust `String`: only the stated format differs.
    let format_only = matches!(
        (&o.ty, &n.ty),
        (Ty::String, Ty::Datetime) | (Ty::Datetime, Ty::String)
    );
    let rule = if format_only {
        &rules::MEMBER_FORMAT_CHANGED
    } else {
        &rules::MEMBER_TYPE_CHANGED
    };
    vec![Finding::new(
        rule,
        format!(
            "{}: type `{}` → `{}`",
            who(role, n),
            o.ty.spec_name(),
            n.ty.spec_name()
        ),
    )]
}

fn list(_: &Ctx<'_>, role: Role, o: &Member, n: &Member) -> Vec<Finding> {
    if o.list == n.list {
        return Vec::new();
    }
    let what = if n.list {
        format!("became a list of `{}`", n.ty.spec_name())
    } else {
        format!("is no longer a list (one `{}`)", n.ty.spec_name())
    };
    vec![Finding::new(
        &rules::MEMBER_LIST_CHANGED,
        format!("{} {what}", who(role, n)),
    )]
}

fn enum_name(_: &Ctx<'_>, role: Role, o: &Member, n: &Member) -> Vec<Finding> {
    let what = match (&o.enum_name, &n.enum_name) {
        (a, b) if a == b => return Vec::new(),
        (Some(a), Some(b)) if value_set(o) == value_set(n) => {
            format!("enum renamed `{a}` → `{b}` (same values)")
        }
        (Some(a), Some(b)) => format!("enum `{a}` → `{b}`"),
        (None, Some(b)) => format!(
            "now typed with enum `{b}` (was a plain `{}`)",
            o.ty.spec_name()
        ),
        (Some(a), None) => format!(
            "no longer typed with enum `{a}` (now a plain `{}`)",
            n.ty.spec_name()
        ),
        (None, None) => return Vec::new(),
    };
    vec![Finding::new(
        &rules::MEMBER_ENUM_CHANGED,
        format!("{}: {what}", who(role, n)),
    )]
}

/// Documented values. A member keeping its enum has its values compared once per enum (see
/// `enums.rs`); a member moving to another enum has them compared here, as enum values; any
/// other member's values are documentation (`values-changed`).
fn values(_: &Ctx<'_>, role: Role, o: &Member, n: &Member) -> Vec<Finding> {
    let (old, new) = (value_set(o), value_set(n));
    if old == new {
        return Vec::new();
    }
    let added: Vec<&String> = new.difference(&old).collect();
    let removed: Vec<&String> = old.difference(&new).collect();
    match (&o.enum_name, &n.enum_name) {
        (Some(a), Some(b)) if a == b => Vec::new(),
        (Some(_), Some(b)) => {
            let one = |v: &String, added: bool| {
                let verb = if added { "added" } else { "removed" };
                Finding::new(
                    value_rule(role.input(), added),
                    format!("{}: value `{v}` {verb} (now enum `{b}`)", who(role, n)),
                )
            };
            let mut found: Vec<Finding> = added.iter().map(|v| one(v, true)).collect();
            found.extend(removed.iter().map(|v| one(v, false)));
            found
        }
        _ => {
            let mut parts = Vec::new();
            if !added.is_empty() {
                parts.push(format!("added {}", ticked(&added)));
            }
            if !removed.is_empty() {
                parts.push(format!("removed {}", ticked(&removed)));
            }
            let what = format!("{}: documented values {}", who(role, n), parts.join("; "));
            // A risk only when callers may now be refused (an input value no longer listed) or
            // may receive something new (an output value added to a list that existed).
            let risky = if role.input() {
                !removed.is_empty()
            } else {
                !old.is_empty() && !added.is_empty()
            };
            let rule = if risky {
                &rules::VALUES_CHANGED
            } else {
                &rules::VALUES_DOCUMENTED
            };
            vec![Finding::new(rule, what)]
        }
    }
}

/// The documented values of `m`, as their wire text.
pub(super) fn value_set(m: &Member) -> BTreeSet<String> {
    m.values.iter().map(|v| value_text(&v.value)).collect()
}

/// A documented value as it reads: a string without quotes, a number as written.
pub(super) fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `required` and `nullable`. Request fields are `Option` whatever the flags; every other
/// struct's field is plain `T` exactly when the member is required and never null.
fn flags(_: &Ctx<'_>, role: Role, o: &Member, n: &Member) -> Vec<Finding> {
    if o.required == n.required && o.nullable == n.nullable {
        return Vec::new();
    }
    let plain = |m: &Member| m.required && !m.nullable;
    let rust_changed = role.plain_fields() && plain(o) != plain(n);
    let rust = if !rust_changed {
        ""
    } else if plain(n) {
        " (its field loses `Option`)"
    } else {
        " (its field becomes `Option`)"
    };
    let rule = match (role.input(), rust_changed) {
        (true, true) if !o.required && n.required => &rules::TYPE_INPUT_NOW_REQUIRED,
        (true, true) => &rules::TYPE_INPUT_OPTION_CHANGED,
        (false, true) if plain(n) => &rules::OUTPUT_NOW_REQUIRED,
        (false, true) => &rules::OUTPUT_NOW_OPTIONAL,
        (false, false) => &rules::OUTPUT_FLAG_CHANGED,
        (true, false) => return input_flags(role, o, n),
    };
    let message = format!("{} {}{rust}", who(role, n), flag_text(o, n));
    vec![Finding::new(rule, message)]
}

/// Input flags when the field's Rust type stays: one change per flag.
fn input_flags(role: Role, o: &Member, n: &Member) -> Vec<Finding> {
    let mut found = Vec::new();
    if o.required != n.required {
        let (rule, what) = if n.required {
            (&rules::INPUT_NOW_REQUIRED, "became required")
        } else {
            (&rules::INPUT_NOW_OPTIONAL, "became optional")
        };
        found.push(Finding::new(rule, format!("{} {what}", who(role, n))));
    }
    if o.nullable != n.nullable {
        let what = if n.nullable {
            "became nullable"
        } else {
            "is no longer nullable"
        };
        found.push(Finding::new(
            &rules::INPUT_NULLABLE_CHANGED,
            format!("{} {what}", who(role, n)),
        ));
    }
    found
}

/// "became required and nullable", "became optional", ...
fn flag_text(o: &Member, n: &Member) -> String {
    let mut parts = Vec::new();
    if o.required != n.required {
        parts.push(if n.required {
            "became required"
        } else {
            "became optional"
        });
    }
    if o.nullable != n.nullable {
        parts.push(if n.nullable {
            "became nullable"
        } else {
            "is no longer nullable"
        });
    }
    parts.join(" and ")
}

fn deprecated(_: &Ctx<'_>, role: Role, o: &Member, n: &Member) -> Vec<Finding> {
    if o.deprecated == n.deprecated {
        return Vec::new();
    }
    let what = if n.deprecated {
        "is now deprecated"
    } else {
        "is no longer deprecated"
    };
    vec![Finding::new(
        &rules::MEMBER_DEPRECATED,
        format!("{} {what}", who(role, n)),
    )]
}

/// Where an item exists, for messages.
pub(super) fn site_text(site: Option<Site>) -> String {
    match site {
        None => "every site".to_owned(),
        Some(s) => format!("the {} site only", s.as_str()),
    }
}

fn site(_: &Ctx<'_>, role: Role, o: &Member, n: &Member) -> Vec<Finding> {
    if o.site == n.site {
        return Vec::new();
    }
    vec![Finding::new(
        &rules::MEMBER_SITE_CHANGED,
        format!(
            "{}: available on {} → {}",
            who(role, n),
            site_text(o.site),
            site_text(n.site)
        ),
    )]
}

fn sensitive(_: &Ctx<'_>, role: Role, o: &Member, n: &Member) -> Vec<Finding> {
    if o.sensitive == n.sensitive {
        return Vec::new();
    }
    let what = if n.sensitive {
        "is now secret (redacted in `Debug`)"
    } else {
        "is no longer secret (shown by `Debug`)"
    };
    vec![Finding::new(
        &rules::MEMBER_SENSITIVITY_CHANGED,
        format!("{} {what}", who(role, n)),
    )]
}

fn debug(_: &Ctx<'_>, role: Role, o: &Member, n: &Member) -> Vec<Finding> {
    if o.debug == n.debug {
        return Vec::new();
    }
    let what = match n.debug {
        DebugAs::Length => "`Debug` now shows only its length",
        DebugAs::Value => "`Debug` now shows its value, not only its length",
    };
    vec![Finding::new(
        &rules::MEMBER_DEBUG_CHANGED,
        format!("{}: {what}", who(role, n)),
    )]
}

/// Docs, example, and the docs of values documented on both sides.
fn texts(_: &Ctx<'_>, role: Role, o: &Member, n: &Member) -> Vec<Finding> {
    let mut parts: Vec<String> = Vec::new();
    if o.docs != n.docs {
        parts.push("docs".into());
    }
    if o.example != n.example {
        parts.push("example".into());
    }
    for nv in &n.values {
        let key = value_text(&nv.value);
        let edited = o
            .values
            .iter()
            .any(|ov| value_text(&ov.value) == key && ov.docs != nv.docs);
        if edited {
            parts.push(format!("docs of value `{key}`"));
        }
    }
    if parts.is_empty() {
        return Vec::new();
    }
    vec![Finding::new(
        &rules::DOCS_CHANGED,
        format!("{}: {} edited", who(role, n), parts.join(", ")),
    )]
}
