//! Action inputs and outputs, member by member.

use codegen::model::{DebugAs, Site, Ty};

use super::*;

/// A copy of `from` in `members`, named `name`.
fn add_copy(members: &mut Vec<Member>, from: &str, name: &str) -> usize {
    let mut copy = find(members, from).clone();
    copy.name = name.into();
    members.push(copy);
    members.len() - 1
}

#[test]
fn inputs_added() {
    let changes = diff(|s| {
        let inputs = &mut action(s, "GetFunction").input;
        let i = add_copy(inputs, "Qualifier", "Alias");
        inputs[i].required = true;
    });
    assert_eq!(
        only(&changes, "input-added-required").severity,
        Severity::Breaking
    );
    let changes = diff(|s| {
        add_copy(&mut action(s, "GetFunction").input, "Qualifier", "Alias");
    });
    only(&changes, "input-added-optional");
    let changes = diff(|s| {
        add_copy(&mut action(s, "GetFunction").output, "Handler", "Entry");
    });
    only(&changes, "output-added");
}

#[test]
fn members_removed() {
    let changes = diff(|s| {
        action(s, "GetFunction")
            .input
            .retain(|m| m.name != "Qualifier")
    });
    let c = only(&changes, "input-removed");
    assert_eq!(c.location.to_string(), "GetFunction.Qualifier");
    let changes = diff(|s| {
        action(s, "GetFunction")
            .output
            .retain(|m| m.name != "Handler")
    });
    only(&changes, "output-removed");
}

#[test]
fn member_renamed_is_a_removal_and_an_addition() {
    let changes = diff(|s| input(s, "CopyFunction", "FunctionName").name = "SourceName".into());
    expect(&changes, &["input-removed", "input-added-required"]);
    assert!(
        changes[1]
            .message
            .contains("possibly renamed from `FunctionName`"),
        "{}",
        show(&changes)
    );
    assert!(
        changes[0]
            .message
            .contains("possibly renamed to `SourceName`"),
        "{}",
        show(&changes)
    );
}

#[test]
fn type_and_list() {
    let changes = diff(|s| output(s, "GetFunction", "CodeSize").ty = Ty::String);
    let c = only(&changes, "member-type-changed");
    assert!(c.message.contains("`integer` → `string`"), "{}", c.message);
    // A string either way: only the documented format changes.
    let changes = diff(|s| output(s, "GetFunction", "ModTime").ty = Ty::String);
    let c = only(&changes, "member-format-changed");
    assert!(c.message.contains("`datetime` → `string`"), "{}", c.message);
    let changes = diff(|s| input(s, "GetFunction", "Qualifier").list = true);
    only(&changes, "member-list-changed");
}

#[test]
fn enum_dropped_or_renamed() {
    let changes = diff(|s| input(s, "Invoke", "InvocationType").enum_name = None);
    only(&changes, "member-enum-changed");
    let changes = diff(|s| input(s, "Invoke", "InvocationType").enum_name = Some("Mode".into()));
    let c = only(&changes, "member-enum-changed");
    assert!(c.message.contains("enum renamed"), "{}", c.message);
}

#[test]
fn input_flags() {
    let changes = diff(|s| input(s, "GetFunction", "Qualifier").required = true);
    let c = only(&changes, "input-now-required");
    assert_eq!(c.message, "input `Qualifier` became required");
    let changes = diff(|s| input(s, "CopyFunction", "FunctionName").required = false);
    only(&changes, "input-now-optional");
    let changes = diff(|s| input(s, "GetFunction", "Qualifier").nullable = true);
    only(&changes, "input-nullable-changed");
}

#[test]
fn output_flags() {
    // Required and never null: the field is plain `T`; optional makes it `Option<T>`.
    let changes = diff(|s| output(s, "GetFunction", "ModTime").required = false);
    assert_eq!(
        only(&changes, "output-now-optional").severity,
        Severity::Dangerous
    );
    let changes = diff(|s| output(s, "GetFunction", "ModTime").nullable = true);
    only(&changes, "output-now-optional");
    // `Runtime` is nullable: required or not, the field stays `Option<T>`.
    let changes = diff(|s| output(s, "GetFunction", "Runtime").required = false);
    only(&changes, "output-flag-changed");
    let changes = diff(|s| output(s, "GetFunction", "Runtime").nullable = false);
    only(&changes, "output-now-required");
}

#[test]
fn deprecated_site_sensitive_debug() {
    only(
        &diff(|s| input(s, "GetFunction", "Qualifier").deprecated = true),
        "member-deprecated",
    );
    let changes = diff(|s| input(s, "GetFunction", "Qualifier").site = Some(Site::International));
    only(&changes, "member-site-changed");
    let changes = diff(|s| input(s, "GetFunction", "Qualifier").sensitive = true);
    only(&changes, "member-sensitivity-changed");
    let changes = diff(|s| output(s, "GetFunction", "CodeInfo").debug = DebugAs::Value);
    only(&changes, "member-debug-changed");
}

#[test]
fn docs_and_example() {
    let changes = diff(|s| {
        let m = input(s, "GetFunction", "Qualifier");
        m.docs.push_str(" Also.");
        m.example = None;
    });
    let c = only(&changes, "docs-changed");
    assert_eq!(c.message, "input `Qualifier`: docs, example edited");
}
