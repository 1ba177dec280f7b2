//! The rule catalogue: every kind of change the diff knows, with a stable id, its severity for
//! callers on the wire and the bump the generated crate needs, each explained. The docs'
//! table (`docs/spec-diff-rules.md`) is rendered from [`RULES`] and a test keeps it equal.

use super::change::{Bump, Severity};

/// One kind of change.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable id (kebab-case), used in JSON output and in the overrides file.
    pub id: &'static str,
    /// What the change is, in a few words.
    pub title: &'static str,
    /// Severity unless an override says otherwise.
    pub severity: Severity,
    /// The bump of the generated crate.
    pub sdk: Bump,
    /// Why: the effect on existing callers, on the wire.
    pub wire: &'static str,
    /// Why: the effect on Rust code using the generated crate.
    pub rust: &'static str,
}

/// Shorthand for the catalogue below.
macro_rules! rules {
    ($($name:ident: $id:literal, $title:literal, $severity:ident, $sdk:ident, $wire:literal, $rust:literal;)*) => {
        $(
            #[doc = $title]
            pub const $name: Rule = Rule {
                id: $id,
                title: $title,
                severity: Severity::$severity,
                sdk: Bump::$sdk,
                wire: $wire,
                rust: $rust,
            };
        )*
        /// Every rule, in catalogue order.
        pub const RULES: &[&Rule] = &[$(&$name),*];
    };
}

// A note that applies to every "member added" rule: generated structs have only public fields
// and are not `#[non_exhaustive]` (requests are built with `..Default::default()`), and the Cargo
// SemVer rules count a public field added to such a struct as major, since a struct literal or
// a pattern naming every field stops compiling.
rules! {
    // Actions.
    ACTION_ADDED: "action-added", "action added", Compatible, Minor,
        "Nothing existing changes.",
        "A new client method, request, response, error enum and builder.";
    ACTION_REMOVED: "action-removed", "action removed", Breaking, Major,
        "Calls to it fail (`InvalidAction`).",
        "Its client method and types disappear.";

    // Input members.
    INPUT_ADDED_OPTIONAL: "input-added-optional", "optional input added", Compatible, Major,
        "Existing requests stay valid.",
        "The request struct gains a public field: a struct literal or pattern naming every field breaks (use `..Default::default()`).";
    INPUT_ADDED_REQUIRED: "input-added-required", "required input added", Breaking, Major,
        "Existing requests lack it and are refused.",
        "A new public field, and `validate()` now refuses requests without it.";
    INPUT_REMOVED: "input-removed", "input removed", Breaking, Major,
        "The service refuses parameters it does not know (`UnknownParameter`): callers still sending it fail. A rename shows as a removal plus an addition.",
        "The field and its setter disappear.";
    INPUT_NOW_REQUIRED: "input-now-required", "input became required", Breaking, Minor,
        "Requests without it are now refused.",
        "Field types stay `Option`; `validate()` refuses requests without it before sending.";
    INPUT_NOW_OPTIONAL: "input-now-optional", "input became optional", Compatible, Patch,
        "Requests that send it stay valid.",
        "Field types stay `Option`; `validate()` stops requiring it.";
    INPUT_NULLABLE_CHANGED: "input-nullable-changed", "input nullability changed", Compatible, Patch,
        "Inputs are sent or left out, never sent as `null`.",
        "Input fields are `Option` either way.";

    // Output members.
    OUTPUT_ADDED: "output-added", "output member added", Compatible, Major,
        "Callers ignore members they do not know.",
        "The response or type struct gains a public field (see `input-added-optional`).";
    OUTPUT_REMOVED: "output-removed", "output member removed", Breaking, Major,
        "Callers reading it no longer get it. A rename shows as a removal plus an addition.",
        "The field disappears.";
    OUTPUT_NOW_OPTIONAL: "output-now-optional", "output member may now be absent", Dangerous, Major,
        "Callers that relied on it being present may find it missing.",
        "The field's type becomes `Option<T>`.";
    OUTPUT_NOW_REQUIRED: "output-now-required", "output member now always present", Compatible, Major,
        "Callers checking for its absence keep working.",
        "The field's type loses its `Option`.";
    OUTPUT_FLAG_CHANGED: "output-flag-changed", "output required/nullable flag changed, same Rust type", Dangerous, Patch,
        "The member may be absent or `null` differently than before.",
        "The field stays `Option<T>` (the other flag still makes it optional).";

    // Either side.
    MEMBER_TYPE_CHANGED: "member-type-changed", "member type changed", Breaking, Major,
        "Values of the old type are refused or read wrongly.",
        "The field's type changes.";
    MEMBER_LIST_CHANGED: "member-list-changed", "member changed between one value and a list", Breaking, Major,
        "A single value where a list is expected (or the reverse) is refused.",
        "The field's type gains or loses its `Vec`.";
    MEMBER_ENUM_CHANGED: "member-enum-changed", "member typed with another enum, or no longer with one", Compatible, Major,
        "The wire carries the same strings.",
        "The field's type changes between `String` and a generated enum, or between enums.";
    MEMBER_DEPRECATED: "member-deprecated", "member deprecated or undeprecated", Docs, Patch,
        "Nothing changes on the wire yet.",
        "A note in the field's docs (the generator writes no `#[deprecated]`, so no new warnings).";
    MEMBER_SITE_CHANGED: "member-site-changed", "member's site availability changed", Dangerous, Patch,
        "The member now exists on another set of sites (mainland / international).",
        "Docs only.";
    MEMBER_SENSITIVITY_CHANGED: "member-sensitivity-changed", "member marked secret or not", Compatible, Patch,
        "Nothing changes on the wire.",
        "`Debug` redacts it or stops redacting it.";

    // Enums of documented values and documented values.
    ENUM_VALUE_ADDED_INPUT: "enum-value-added-input", "value added to an input enum", Compatible, Minor,
        "The service accepts one more value.",
        "A new variant of a `#[non_exhaustive]` enum.";
    ENUM_VALUE_ADDED_OUTPUT: "enum-value-added-output", "value added to an output enum", Dangerous, Minor,
        "Callers may receive a value they do not handle.",
        "A new variant of a `#[non_exhaustive]` enum; the value read as `Unknown(..)` before.";
    ENUM_VALUE_REMOVED_INPUT: "enum-value-removed-input", "value removed from an input enum", Breaking, Major,
        "Callers still sending it are refused.",
        "The variant disappears.";
    ENUM_VALUE_REMOVED_OUTPUT: "enum-value-removed-output", "value removed from an output enum", Compatible, Major,
        "Callers stop receiving it.",
        "The variant disappears.";
    VALUES_CHANGED: "values-changed", "documented values of an untyped member changed with a risk", Dangerous, Patch,
        "An input value is no longer listed (it may be refused), or an output may take a value not listed before.",
        "Docs only: the member is not an enum.";
    VALUES_DOCUMENTED: "values-documented", "documented values of an untyped member listed or changed safely", Docs, Patch,
        "Values are listed for the first time, an input accepts more, or an output lists fewer: nothing that worked breaks.",
        "Docs only: the member is not an enum.";

    // Error codes.
    ACTION_ERROR_ADDED: "action-error-added", "error code added to an action", Compatible, Minor,
        "The action documents one more way to fail.",
        "A new variant of the action's `#[non_exhaustive]` error enum (it read as `Unknown` before).";
    ACTION_ERROR_REMOVED: "action-error-removed", "error code removed from an action", Compatible, Major,
        "The action no longer documents it.",
        "The variant disappears; the code now reads as `Unknown` (or `Common`).";
    COMMON_ERROR_ADDED: "common-error-added", "common error code added", Compatible, Minor,
        "Every action documents one more way to fail.",
        "A new variant of the `#[non_exhaustive]` `CommonError`.";
    COMMON_ERROR_REMOVED: "common-error-removed", "common error code removed", Compatible, Major,
        "No longer documented for every action.",
        "The `CommonError` variant disappears.";
    ERROR_ADDED: "error-added", "error code added to the table", Compatible, Patch,
        "A code is described; which actions return it is reported separately.",
        "No API of its own.";
    ERROR_REMOVED: "error-removed", "error code removed from the table", Compatible, Patch,
        "A description is gone; which actions lost it is reported separately.",
        "No API of its own.";
    ERROR_RETRY_CHANGED: "error-retry-changed", "error code's retry class changed", Compatible, Minor,
        "Nothing changes for callers of the service.",
        "The client retries the code differently (`service::retry_class`).";

    // Shared types.
    TYPE_ADDED: "type-added", "type added", Compatible, Minor,
        "Type names never go on the wire.",
        "A new public struct.";
    TYPE_REMOVED: "type-removed", "type removed", Compatible, Major,
        "Type names never go on the wire; the members that used it are reported on their own.",
        "The struct disappears.";
    TYPE_RENAMED: "type-renamed", "type renamed", Compatible, Major,
        "Type names never go on the wire.",
        "The struct's name changes (seen as a type removed and one with the same members added).";

    // Facts of an action.
    REGION_NOW_REQUIRED: "region-now-required", "action now needs a region", Breaking, Minor,
        "Calls without `X-TC-Region` are refused.",
        "The client refuses calls without a region before sending.";
    REGION_NO_LONGER_REQUIRED: "region-no-longer-required", "action no longer needs a region", Compatible, Patch,
        "Calls with a region keep working.",
        "The client stops requiring one.";
    REGIONS_NARROWED: "regions-narrowed", "supported regions removed", Breaking, Minor,
        "Calls in the removed regions fail.",
        "The client refuses them before sending.";
    REGIONS_WIDENED: "regions-widened", "supported regions added", Compatible, Patch,
        "More regions accept the action.",
        "The client stops refusing them.";
    RATE_LIMIT_LOWERED: "rate-limit-lowered", "rate limit lowered or set", Dangerous, Patch,
        "Callers at the old rate may be throttled.",
        "`RateLimit::Documented` spaces calls more.";
    RATE_LIMIT_RAISED: "rate-limit-raised", "rate limit raised or removed", Compatible, Patch,
        "More calls per second are allowed.",
        "`RateLimit::Documented` spaces calls less.";
    RETRY_SAFETY_CHANGED: "retry-safety-changed", "action's retry safety changed", Compatible, Minor,
        "Nothing changes for callers of the service.",
        "The client retries timeouts and 5xx of this action, or stops doing so.";
    MAX_DURATION_CHANGED: "max-duration-changed", "longest run (`maxDurationSecs`) changed", Dangerous, Patch,
        "Calls may take longer (or are cut sooner) than before.",
        "The default attempt timeout of the action follows.";
    EVENT_LIMITS_CHANGED: "event-limits-changed", "largest event (`eventLimits`) changed", Dangerous, Patch,
        "Events of a size accepted before may be refused, or larger ones accepted.",
        "The client's size check before sending follows.";
    TIME_RANGE_CHANGED: "time-range-changed", "time range rule (`timeRange`) changed", Dangerous, Patch,
        "Ranges accepted before may be refused, or wider ones accepted.",
        "The `time_range` helper's check follows.";
    PAGINATION_ADDED: "pagination-added", "action became pageable", Compatible, Minor,
        "Nothing changes on the wire.",
        "`into_paginator()` and a `Paged` impl appear.";
    PAGINATION_REMOVED: "pagination-removed", "action no longer pageable", Compatible, Major,
        "Nothing changes on the wire by itself (the members are reported on their own).",
        "`into_paginator()` and the `Paged` impl disappear.";
    PAGINATION_CHANGED: "pagination-changed", "paging description changed", Dangerous, Patch,
        "Page size limit or window changed: listings may stop at another point.",
        "The paginator's arithmetic follows; its API stays.";
    WAITER_ADDED: "waiter-added", "waiter added", Compatible, Minor,
        "Nothing changes on the wire.",
        "A new `wait_until_*` method.";
    WAITER_REMOVED: "waiter-removed", "waiter removed", Compatible, Major,
        "Nothing changes on the wire.",
        "The `wait_until_*` method disappears.";
    WAITER_CHANGED: "waiter-changed", "waiter states, path or timing changed", Dangerous, Patch,
        "Waits end on other states or after other delays.",
        "Same method, other behaviour.";
    CONSTRAINT_CHANGED: "constraint-changed", "constraint between inputs changed", Dangerous, Patch,
        "A `requiredWith` rule was added or removed.",
        "`validate()` checks it, or stops checking it, before sending.";
    ACTION_SITE_CHANGED: "action-site-changed", "action's site availability changed", Dangerous, Patch,
        "The action now exists on another set of sites (mainland / international).",
        "Docs only.";

    // The service.
    SERVICE_CHANGED: "service-changed", "service name, version or endpoints changed", Breaking, Major,
        "Every call is addressed or signed differently.",
        "Constants in `service` change; every call follows.";
    SERVICE_LIMIT_CHANGED: "service-limit-changed", "body limit or time zone changed", Dangerous, Patch,
        "Requests near the body limit, or times read in the documented zone, behave differently.",
        "The client's checks and `service` constants follow.";

    // Texts.
    DOCS_CHANGED: "docs-changed", "docs, summary, title or example changed", Docs, Patch,
        "Nothing changes on the wire.",
        "Rustdoc changes.";

    // Members of shared types used in requests: their structs type fields like responses do
    // (plain `T` when required and never null), unlike request structs (always `Option`).
    TYPE_INPUT_NOW_REQUIRED: "type-input-now-required", "member of a type sent in requests became required, field loses `Option`", Breaking, Major,
        "Requests carrying the type without it are refused.",
        "The type's field changes from `Option<T>` to plain `T`.";
    TYPE_INPUT_OPTION_CHANGED: "type-input-option-changed", "member of a type sent in requests became optional or changed nullability, field type changes", Compatible, Major,
        "Requests that send it stay valid; inputs are never sent as `null`.",
        "The type's field gains or loses its `Option`.";

    // How a member is shown.
    MEMBER_DEBUG_CHANGED: "member-debug-changed", "member's `Debug` display changed (value or length)", Compatible, Patch,
        "Nothing changes on the wire.",
        "`Debug` shows the value itself, or only its length in bytes.";

    // Member formats.
    MEMBER_FORMAT_CHANGED: "member-format-changed", "member changed between `string` and `datetime`", Dangerous, Patch,
        "The same JSON string either way, but the documented `YYYY-MM-DD HH:MM:SS` format is now stated or no longer stated: inputs in another format may be refused, outputs may come in another format.",
        "The field stays `String`; only its docs' format note changes.";
}

/// The rule with `id`.
pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for r in RULES {
            assert!(seen.insert(r.id), "duplicate id {}", r.id);
            assert!(
                r.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                r.id
            );
            assert_eq!(find(r.id), Some(*r));
        }
    }
}
