//! Values of the generated enums, once per enum, judged by where the enum is used.

use codegen::model::{EnumUser, EnumValue, EnumVariant};

use super::*;

/// Adds `value` to the enum `name` and to every member using it.
fn add_value(spec: &mut Spec, name: &str, value: &str) {
    let e = spec.enums.iter_mut().find(|e| e.name == name).unwrap();
    e.variants.push(EnumVariant {
        value: value.into(),
        variant: value.into(),
        docs: None,
    });
    let users = e.users.clone();
    for user in users {
        let m = user_member(spec, &user);
        m.values.push(EnumValue {
            value: value.into(),
            docs: "New.".into(),
        });
    }
}

/// Removes `value` from the enum `name` and from every member using it.
fn remove_value(spec: &mut Spec, name: &str, value: &str) {
    let e = spec.enums.iter_mut().find(|e| e.name == name).unwrap();
    e.variants.retain(|v| v.value != value);
    let users = e.users.clone();
    for user in users {
        user_member(spec, &user).values.retain(|v| v.value != value);
    }
}

fn user_member<'s>(spec: &'s mut Spec, user: &EnumUser) -> &'s mut Member {
    match user {
        EnumUser::Input { action, member } => input(spec, action, member),
        EnumUser::Output { action, member } => output(spec, action, member),
        EnumUser::Type {
            type_name,
            member: m,
        } => member(spec, type_name, m),
    }
}

#[test]
fn value_removed_from_input_enum_is_breaking() {
    let changes = diff(|s| remove_value(s, "InvocationType", "Event"));
    let c = only(&changes, "enum-value-removed-input");
    assert_eq!(c.severity, Severity::Breaking);
    assert_eq!(c.location.to_string(), "Invoke.InvocationType");
    assert!(c.message.contains("`InvocationType`") && c.message.contains("`Event`"));
}

#[test]
fn value_added_to_input_enum() {
    only(
        &diff(|s| add_value(s, "InvocationType", "DryRun")),
        "enum-value-added-input",
    );
}

#[test]
fn output_enum_values() {
    let changes = diff(|s| add_value(s, "AvailableStatus", "Frozen"));
    assert_eq!(
        only(&changes, "enum-value-added-output").severity,
        Severity::Dangerous
    );
    let changes = diff(|s| remove_value(s, "AvailableStatus", "InsufficientBalance"));
    only(&changes, "enum-value-removed-output");
}

#[test]
fn enum_used_both_ways_gets_the_worse_verdict() {
    let changes = diff(|s| add_value(s, "FunctionType", "Job"));
    let c = only(&changes, "enum-value-added-output");
    assert!(c.message.contains("used by 3 members"), "{}", c.message);
    let changes = diff(|s| remove_value(s, "FunctionType", "HTTP"));
    only(&changes, "enum-value-removed-input");
}

#[test]
fn one_change_per_enum_not_per_member() {
    let changes = diff(|s| add_value(s, "Order", "RANDOM"));
    let c = only(&changes, "enum-value-added-input");
    assert!(c.message.contains("used by 6 members"), "{}", c.message);
}

#[test]
fn member_moved_to_another_enum_with_other_values() {
    let changes = diff(|s| {
        let m = input(s, "Invoke", "InvocationType");
        m.enum_name = Some("InvokeMode".into());
        m.values.retain(|v| v.value != "Event");
    });
    expect(
        &changes,
        &["enum-value-removed-input", "member-enum-changed"],
    );
}

#[test]
fn documented_values_of_plain_members() {
    let changes = diff(|s| {
        member(s, "LogFilter", "RetCode").values.pop();
    });
    only(&changes, "values-changed");
    // An input accepting one more value, an output listing fewer: nothing breaks.
    let changes = diff(|s| {
        member(s, "LogFilter", "RetCode").values.push(EnumValue {
            value: "is1".into(),
            docs: "New.".into(),
        });
    });
    only(&changes, "values-documented");
    let changes = diff(|s| member(s, "FunctionLog", "RetCode").values.clear());
    only(&changes, "values-documented");
    // An output that may take a value not listed before.
    let changes = diff(|s| {
        member(s, "FunctionLog", "RetCode").values.push(EnumValue {
            value: 4.into(),
            docs: "New.".into(),
        });
    });
    only(&changes, "values-changed");
}
