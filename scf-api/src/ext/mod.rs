//! The room for action-specific helpers: hand-written inherent methods on generated builders,
//! each for one action, where a typed shortcut is worth more than the generated setters.
//!
//! The rule of the room: the runtime outside it never knows about individual actions, and code
//! in it knows only its action's generated builder, request and response, the spec's facts about
//! that action ([`ActionMeta`](crate::ActionMeta)), and the public runtime API (`send()`,
//! [`Error`](crate::Error), [`InvalidInput`](crate::InvalidInput)). Nothing else in the crate
//! calls into it. Its input problems are [`HelperProblem`]s, reported inside
//! [`InputProblem::Helper`](crate::InputProblem::Helper).
//!
//! - `invoke.rs`: `Invoke` and `InvokeFunction` (`json_event`, `tail_log`, `asynchronous`,
//!   `invoke()` returning an [`Invocation`], the spec's `eventLimits` checked before sending).
//! - `logs.rs`: `GetFunctionLogs::time_range`, written in the spec's `timeZone`.
//!
//! Every method name defined here is listed in [`HELPER_METHODS`], and codegen reserves the
//! same names (`RESERVED_BUILDER_METHODS` in `codegen/src/names.rs`) so that no spec input can
//! generate a setter that collides with a helper; a test keeps the two lists in step.

mod invoke;
mod logs;
mod problem;

pub use invoke::{
    FunctionError, Invocation, MAX_ASYNC_EVENT_BYTES, MAX_SYNC_EVENT_BYTES, ReturnError,
};
pub use problem::HelperProblem;

/// The names of every method this room defines on generated builders, whatever the builder.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) const HELPER_METHODS: &[&str] = &[
    "invoke",
    "json_event",
    "tail_log",
    "asynchronous",
    "time_range",
];

#[cfg(test)]
mod tests {
    use super::HELPER_METHODS;

    /// codegen's reserved builder method names, read from its source: the `&str` literals of
    /// `RESERVED_BUILDER_METHODS`, comments left out.
    fn reserved_by_codegen() -> Vec<String> {
        let source = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../codegen/src/names.rs"
        ));
        let start = source
            .find("RESERVED_BUILDER_METHODS")
            .expect("codegen/src/names.rs defines RESERVED_BUILDER_METHODS");
        let list = &source[start..];
        let list = &list[list.find("= &[").expect("a slice literal") + 4..];
        let list = &list[..list.find("];").expect("the end of the slice literal")];
        list.lines()
            .map(|line| line.split("//").next().unwrap_or_default())
            .flat_map(|line| line.split(','))
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| {
                item.strip_prefix('"')
                    .and_then(|s| s.strip_suffix('"'))
                    .unwrap_or_else(|| panic!("not a string literal: {item}"))
                    .to_owned()
            })
            .collect()
    }

    /// The `pub fn` names inside `impl <Name>Builder` blocks of this room's sources.
    fn defined_on_builders() -> Vec<String> {
        let mut names = Vec::new();
        for source in [include_str!("invoke.rs"), include_str!("logs.rs")] {
            for block in source.split("\nimpl ").skip(1) {
                let (header, body) = block.split_once('\n').unwrap_or_default();
                if !header.trim_end().ends_with("Builder {") {
                    continue;
                }
                let body = body.split("\n}\n").next().unwrap_or_default();
                for line in body.lines().map(str::trim) {
                    let rest = line
                        .strip_prefix("pub async fn ")
                        .or_else(|| line.strip_prefix("pub fn "));
                    if let Some(rest) = rest {
                        let end = rest.find(['(', '<']).unwrap_or(rest.len());
                        names.push(rest[..end].to_owned());
                    }
                }
            }
        }
        names
    }

    #[test]
    fn the_list_names_every_helper_defined_here() {
        let mut defined = defined_on_builders();
        defined.sort();
        defined.dedup();
        let mut listed: Vec<String> = HELPER_METHODS.iter().map(|s| (*s).to_owned()).collect();
        listed.sort();
        assert_eq!(
            defined, listed,
            "HELPER_METHODS must list every builder method of ext/"
        );
    }

    /// The methods every generated builder has, which codegen reserves for itself (`new`,
    /// `options`, `into_request`, `as_request` and `send` come from `expand.rs`'s `builder!`).
    const GENERATED_METHODS: &[&str] = &[
        "new",
        "send",
        "options",
        "into_request",
        "as_request",
        "into_paginator",
        "clone",
    ];

    #[test]
    fn codegen_reserves_exactly_the_helpers_names() {
        let reserved = reserved_by_codegen();
        for name in HELPER_METHODS {
            assert!(
                reserved.iter().any(|r| r == name),
                "`{name}` is defined in scf-api/src/ext/ but not reserved in \
                 codegen/src/names.rs RESERVED_BUILDER_METHODS: a spec input could collide"
            );
        }
        let stale: Vec<&String> = reserved
            .iter()
            .filter(|r| !HELPER_METHODS.contains(&r.as_str()))
            .filter(|r| !GENERATED_METHODS.contains(&r.as_str()))
            .collect();
        assert!(
            stale.is_empty(),
            "reserved in codegen but neither generated nor defined in scf-api/src/ext/: {stale:?}"
        );
    }
}
