//! Error codes: the table, the common list, each action's own codes.

use codegen::model::{ErrorDef, Retry};

use super::*;

/// A common code no action documents among its errors.
fn undocumented_common_code(spec: &Spec) -> String {
    spec.service
        .common_errors
        .iter()
        .find(|c| spec.actions.iter().all(|a| !a.errors.contains(c)))
        .expect("a common code no action documents")
        .clone()
}

#[test]
fn common_codes() {
    let code = undocumented_common_code(real());
    let changes = diff(|s| s.service.common_errors.retain(|c| *c != code));
    let c = only(&changes, "common-error-removed");
    assert_eq!(c.location.to_string(), code);
    let changes = diff(|s| {
        s.errors.push(ErrorDef {
            code: "LimitExceeded.Brand".into(),
            docs: "New.".into(),
            retry: Retry::Never,
        });
        s.service.common_errors.push("LimitExceeded.Brand".into());
    });
    expect(&changes, &["common-error-added", "error-added"]);
}

#[test]
fn table() {
    let changes = diff(|s| {
        s.errors.remove(0);
    });
    only(&changes, "error-removed");
    let changes = diff(|s| {
        let e = s
            .errors
            .iter_mut()
            .find(|e| e.retry == Retry::Never)
            .unwrap();
        e.retry = Retry::Always;
    });
    let c = only(&changes, "error-retry-changed");
    assert!(c.message.contains("never → always"), "{}", c.message);
    let changes = diff(|s| s.errors[0].docs.push_str(" Also."));
    assert!(only(&changes, "docs-changed").location.code.is_some());
}

#[test]
fn own_codes_of_an_action() {
    let changes = diff(|s| {
        action(s, "GetAccount")
            .errors
            .push("ResourceNotFound.Function".into())
    });
    let c = only(&changes, "action-error-added");
    assert_eq!(
        c.location.to_string(),
        "GetAccount: ResourceNotFound.Function"
    );
    let changes = diff(|s| {
        action(s, "GetAccount")
            .errors
            .retain(|c| c != "UnauthorizedOperation.CAM")
    });
    only(&changes, "action-error-removed");
}

#[test]
fn common_code_documented_by_an_action_is_docs() {
    let code = undocumented_common_code(real());
    let changes = diff(|s| action(s, "GetAccount").errors.push(code.clone()));
    let c = only(&changes, "docs-changed");
    assert_eq!(c.location.to_string(), format!("GetAccount: {code}"));
}
