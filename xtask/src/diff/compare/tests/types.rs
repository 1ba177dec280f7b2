//! Shared types: added, removed, renamed, and their members judged by where they are used.

use codegen::model::Ty;

use super::*;

#[test]
fn usage_follows_members() {
    let usage = super::super::usage(real());
    assert!(usage.of("Code").input && !usage.of("Code").output);
    assert!(!usage.of("Function").input && usage.of("Function").output);
    assert!(usage.of("Tag").input && usage.of("Tag").output);
    // Reached only through `Code.ImageConfig` on the request side.
    assert!(usage.of("ImageConfig").input);
}

#[test]
fn type_added_and_removed() {
    let changes = diff(|s| {
        let mut copy = type_def(s, "Tag").clone();
        copy.name = "Label".into();
        copy.members.pop();
        s.types.push(copy);
    });
    only(&changes, "type-added");
    let changes = diff(|s| s.types.retain(|t| t.name != "Filter"));
    assert_eq!(only(&changes, "type-removed").sdk, Bump::Major);
}

#[test]
fn type_renamed_everywhere_is_one_change() {
    let changes = diff(|s| {
        type_def(s, "Tag").name = "Label".into();
        s.types.sort_by(|a, b| a.name.cmp(&b.name));
        let lists = s
            .actions
            .iter_mut()
            .flat_map(|a| [&mut a.input, &mut a.output]);
        let all: Vec<&mut Member> = lists
            .flat_map(|l| l.iter_mut())
            .chain(s.types.iter_mut().flat_map(|t| t.members.iter_mut()))
            .collect();
        for m in all {
            if m.ty == Ty::Named("Tag".into()) {
                m.ty = Ty::Named("Label".into());
            }
        }
    });
    let c = only(&changes, "type-renamed");
    assert_eq!(c.message, "type `Tag` → `Label`");
}

#[test]
fn member_of_request_type() {
    let changes = diff(|s| {
        let mut copy = member(s, "Filter", "Name").clone();
        copy.name = "Kind".into();
        type_def(s, "Filter").members.push(copy);
    });
    let c = only(&changes, "input-added-required");
    assert_eq!(c.location.to_string(), "Filter.Kind");
    // Type structs are plain `T` when required and never null, even in requests.
    let changes = diff(|s| member(s, "Code", "ZipFile").required = true);
    assert_eq!(only(&changes, "type-input-now-required").sdk, Bump::Major);
    let changes = diff(|s| member(s, "Filter", "Name").required = false);
    only(&changes, "type-input-option-changed");
    let changes = diff(|s| member(s, "Filter", "Name").nullable = true);
    only(&changes, "type-input-option-changed");
    // Nullable and required: the field stays `Option`, the wire rule applies.
    let changes = diff(|s| {
        let m = member(s, "Code", "ZipFile");
        m.nullable = true;
    });
    only(&changes, "input-nullable-changed");
}

#[test]
fn member_of_response_type() {
    let changes = diff(|s| {
        type_def(s, "Alias").members.pop();
    });
    only(&changes, "output-removed");
}

#[test]
fn member_of_type_used_both_ways_gets_the_worse_verdict() {
    // As an input, optional is compatible; as an output, it may now be absent.
    let changes = diff(|s| member(s, "Tag", "Key").required = false);
    let c = only(&changes, "output-now-optional");
    assert!(
        c.message.contains("used in requests and responses"),
        "{}",
        c.message
    );
    assert_eq!(c.location.to_string(), "Tag.Key");
    // As an input, required is breaking.
    let changes = diff(|s| member(s, "Variable", "Key").required = true);
    let c = only(&changes, "type-input-now-required");
    assert!(
        c.message.contains("used in requests and responses"),
        "{}",
        c.message
    );
}

#[test]
fn type_docs() {
    let changes = diff(|s| type_def(s, "Tag").docs.push_str(" Also."));
    assert_eq!(only(&changes, "docs-changed").location.to_string(), "Tag");
}

#[test]
fn removed_members_are_judged_by_the_old_usage() {
    // `Function` is only returned; the new spec also sends it, but the callers that lose a
    // member are the old spec's.
    let changes = diff(|s| {
        let mut sent = input(s, "GetFunction", "Qualifier").clone();
        sent.name = "Template".into();
        sent.ty = Ty::Named("Function".into());
        action(s, "GetFunction").input.push(sent);
        type_def(s, "Function").members.pop();
    });
    expect(&changes, &["output-removed", "input-added-optional"]);
    assert!(
        !changes[0].message.contains("requests"),
        "{}",
        show(&changes)
    );
}
