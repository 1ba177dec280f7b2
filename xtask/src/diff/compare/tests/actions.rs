//! Actions added and removed, and their texts.

use super::*;

#[test]
fn action_added() {
    let changes = diff(|s| {
        let mut copy = action(s, "GetAccount").clone();
        copy.name = "GetAccountV2".into();
        s.actions.push(copy);
    });
    let c = only(&changes, "action-added");
    assert_eq!(c.location.to_string(), "GetAccountV2");
}

#[test]
fn action_removed() {
    let changes = diff(|s| s.actions.retain(|a| a.name != "GetAccount"));
    let c = only(&changes, "action-removed");
    assert_eq!(c.severity, Severity::Breaking);
    assert_eq!(c.location.to_string(), "GetAccount");
}

#[test]
fn texts_give_one_change_per_action() {
    let changes = diff(|s| {
        let a = action(s, "GetFunction");
        a.summary.push_str(" Really.");
        a.docs.push_str(" Really.");
        a.examples[0].title.push_str(" (renamed)");
        a.waiters[0].docs.push_str(" Really.");
    });
    let c = only(&changes, "docs-changed");
    for part in ["summary", "docs", "example", "added", "removed", "waiter"] {
        assert!(c.message.contains(part), "{part}: {}", c.message);
    }
    assert!(!c.message.contains("Really"), "{}", c.message);
}

#[test]
fn example_body_edited() {
    let changes = diff(|s| {
        let ex = &mut action(s, "Invoke").examples[1];
        ex.output = serde_json::json!({"RequestId": "x"});
    });
    let c = only(&changes, "docs-changed");
    assert!(c.message.contains("edited"), "{}", c.message);
}
