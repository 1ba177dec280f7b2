//! The checked-in spec is the whole SCF API 2018-04-16: the union of the mainland (52 actions)
//! and international (43 actions) descriptions, every type they use and every error code.
//! The loader itself rejects unused types and codes, untranslated text, dangling references and
//! examples that do not fit their members; `cargo xtask spec check <reference>` compares the
//! facts with upstream.

use std::collections::BTreeSet;
use std::path::Path;

use codegen::model::{Site, Ty};

fn spec() -> codegen::model::Spec {
    codegen::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec"))
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn counts() {
    let spec = spec();
    assert_eq!(spec.actions.len(), 52, "actions");
    assert_eq!(spec.types.len(), 62, "shared types");
    assert_eq!(spec.errors.len(), 384, "error codes");
    assert_eq!(spec.service.common_errors.len(), 38, "common error codes");
    let mainland_only: Vec<&str> = spec
        .actions
        .iter()
        .filter(|a| a.site == Some(Site::Mainland))
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(
        mainland_only,
        [
            "CreateCustomDomain",
            "CreateFunction",
            "DeleteCustomDomain",
            "DeleteFunctionVersion",
            "GetCustomDomain",
            "GetFunction",
            "ListCustomDomains",
            "UpdateCustomDomain",
            "UpdateTrigger"
        ]
    );
    assert!(
        spec.actions
            .iter()
            .all(|a| a.site != Some(Site::International))
    );
    let examples: usize = spec.actions.iter().map(|a| a.examples.len()).sum();
    assert!(examples >= 52, "{examples} examples");
}

#[test]
fn every_type_and_code_is_used_and_every_action_has_an_example() {
    let spec = spec();
    let mut used_types = BTreeSet::new();
    let mut stack: Vec<&str> = Vec::new();
    for a in &spec.actions {
        assert!(!a.examples.is_empty(), "{} has no example", a.name);
        for m in a.input.iter().chain(&a.output) {
            if let Ty::Named(n) = &m.ty {
                stack.push(n);
            }
        }
    }
    while let Some(n) = stack.pop() {
        if used_types.insert(n) {
            for m in &spec.type_def(n).expect("types resolve").members {
                if let Ty::Named(t) = &m.ty {
                    stack.push(t);
                }
            }
        }
    }
    let all_types: BTreeSet<&str> = spec.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(used_types, all_types);

    let mut used_codes: BTreeSet<&str> = spec
        .service
        .common_errors
        .iter()
        .map(String::as_str)
        .collect();
    for a in &spec.actions {
        used_codes.extend(a.errors.iter().map(String::as_str));
    }
    let all_codes: BTreeSet<&str> = spec.errors.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(used_codes, all_codes);
}

#[test]
fn every_action_with_offset_and_limit_pages_and_the_waiters_are_described() {
    let spec = spec();
    // An action pages when it takes `Offset` and `Limit`: then the spec must say how.
    let with_offset: Vec<&str> = spec
        .actions
        .iter()
        .filter(|a| a.input.iter().any(|m| m.name == "Offset"))
        .filter(|a| a.input.iter().any(|m| m.name == "Limit"))
        .map(|a| a.name.as_str())
        .collect();
    let paged: Vec<&str> = spec
        .actions
        .iter()
        .filter(|a| a.pagination.is_some())
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(with_offset, paged);
    assert_eq!(
        paged,
        [
            "GetFunctionLogs",
            "ListAliases",
            "ListAsyncEvents",
            "ListCustomDomains",
            "ListFunctions",
            "ListLayers",
            "ListNamespaces",
            "ListTriggers",
            "ListVersionByFunction"
        ]
    );
    let logs = spec.actions.iter().find(|a| a.name == "GetFunctionLogs");
    assert_eq!(
        logs.and_then(|a| a.pagination.as_ref())
            .and_then(|p| p.max_window),
        Some(10_000)
    );
    let waiters: Vec<(&str, &str, &str)> = spec
        .actions
        .iter()
        .flat_map(|a| {
            a.waiters
                .iter()
                .map(move |w| (a.name.as_str(), w.name.as_str(), w.state_path.as_str()))
        })
        .collect();
    assert_eq!(
        waiters,
        [
            ("GetAsyncEventStatus", "AsyncEventDone", "Result.Status"),
            ("GetFunction", "FunctionActive", "Status"),
            (
                "GetProvisionedConcurrencyConfig",
                "ProvisionedConcurrencyDone",
                "Allocated[].Status"
            ),
        ]
    );
}

/// Every string member with documented values is typed with an enum, except where the values
/// are not the member's wire vocabulary: `LogFilter.RetCode` documents filter keywords (`not0`,
/// `is0`) beside some error codes, not the values a log can carry.
#[test]
fn string_members_with_documented_values_are_enums() {
    let spec = spec();
    let mut members: Vec<(String, &codegen::model::Member)> = Vec::new();
    for a in &spec.actions {
        for m in a.input.iter().chain(&a.output) {
            members.push((format!("{}.{}", a.name, m.name), m));
        }
    }
    for t in &spec.types {
        for m in &t.members {
            members.push((format!("{}.{}", t.name, m.name), m));
        }
    }
    let plain: Vec<&str> = members
        .iter()
        .filter(|(_, m)| m.ty == Ty::String && !m.values.is_empty() && m.enum_name.is_none())
        .map(|(at, _)| at.as_str())
        .collect();
    assert_eq!(plain, ["LogFilter.RetCode"]);
    let typed = members
        .iter()
        .filter(|(_, m)| m.enum_name.is_some())
        .count();
    assert_eq!(typed, 90, "members typed with an enum");
    assert_eq!(spec.enums.len(), 42, "enums");
}

/// The limits both the client and the emulator need are stated once, in the spec, and reach
/// both through generated code.
#[test]
fn shared_limits_are_spec_facts_and_reach_both_crates() {
    let spec = spec();
    let zone = spec.service.time_zone.as_ref().expect("timeZone");
    assert_eq!((zone.text.as_str(), zone.offset_secs), ("+08:00", 8 * 3600));
    assert_eq!(spec.service.max_body_bytes, 10 * 1024 * 1024);
    let action = |name: &str| spec.actions.iter().find(|a| a.name == name).unwrap();
    let invoke = action("Invoke").event_limits.clone().unwrap();
    assert_eq!(
        (
            invoke.member.as_str(),
            invoke.max_sync_bytes,
            invoke.max_async_bytes
        ),
        ("ClientContext", 6 * 1024 * 1024, Some(128 * 1024))
    );
    let invoke_function = action("InvokeFunction").event_limits.clone().unwrap();
    assert_eq!(
        (
            invoke_function.member.as_str(),
            invoke_function.max_sync_bytes,
            invoke_function.max_async_bytes
        ),
        ("Event", 6 * 1024 * 1024, None)
    );
    let logs = action("GetFunctionLogs");
    let range = logs.time_range.clone().unwrap();
    assert_eq!(
        (range.start.as_str(), range.end.as_str(), range.max_secs),
        ("StartTime", "EndTime", 86_400)
    );
    assert_eq!(logs.pagination.as_ref().unwrap().max_window, Some(10_000));
    let with_limits: Vec<&str> = spec
        .actions
        .iter()
        .filter(|a| a.event_limits.is_some() || a.time_range.is_some())
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(with_limits, ["GetFunctionLogs", "Invoke", "InvokeFunction"]);

    let files = codegen::emit::workspace_files(&spec).unwrap_or_else(|e| panic!("{e}"));
    let root = &files["scf-api/src/generated/mod.rs"];
    assert!(
        root.contains("pub const TIME_ZONE: &str = \"+08:00\";"),
        "{root}"
    );
    assert!(
        root.contains("pub const UTC_OFFSET_SECS: i32 = 28800i32;"),
        "{root}"
    );
    let invoke_rs = &files["scf-api/src/generated/actions/invoke.rs"];
    assert!(
        invoke_rs.contains("max_sync_bytes: 6291456usize"),
        "{invoke_rs}"
    );
    let catalog = &files["scf-local/src/generated/catalog.rs"];
    for needle in [
        "pub const TIME_ZONE: &str = \"+08:00\";",
        "pub const MAX_BODY_BYTES: usize = 10485760usize;",
        "pub const GET_FUNCTION_LOGS: ActionFacts",
        "max_window: Some(10000u64)",
        "max_async_bytes: Some(131072usize)",
    ] {
        assert!(catalog.contains(needle), "no `{needle}` in the catalog");
    }

    // scf-local cannot do without the time zone.
    let mut without = spec.clone();
    without.service.time_zone = None;
    let e = codegen::emit::catalog_files(&without).unwrap_err();
    assert!(e.message.contains("timeZone"), "{e}");
}
