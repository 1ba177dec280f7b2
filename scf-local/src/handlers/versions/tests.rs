use serde_json::{Value, json};

use crate::handlers::testing::{Harness, START};
use crate::state::datetime;

/// The `FunctionVersion` names of a ListVersionByFunction answer.
fn names(out: &serde_json::Map<String, Value>) -> Vec<&str> {
    out["FunctionVersion"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

#[test]
fn publish_freezes_the_configuration() {
    let h = Harness::new();
    h.ok(
        "UpdateFunctionConfiguration",
        json!({"FunctionName": "demo", "MemorySize": 256, "Timeout": 9}),
    );
    let out = h.ok(
        "PublishVersion",
        json!({"FunctionName": "demo", "Description": "first"}),
    );
    assert_eq!(out["FunctionVersion"], "1");
    assert_eq!(out["MemorySize"], 256);
    assert_eq!(out["Timeout"], 9);
    assert_eq!(out["Description"], "first");
    assert_eq!(out["Handler"], "index.main_handler");
    assert_eq!(out["Runtime"], "Python2.7");
    assert_eq!(out["Namespace"], "default");
    // The test function's `ZipFile` is an empty zip archive: 22 bytes.
    assert_eq!(out["CodeSize"], 22);
    h.ok(
        "UpdateFunctionConfiguration",
        json!({"FunctionName": "demo", "MemorySize": 512}),
    );
    let out = h.ok("PublishVersion", json!({"FunctionName": "demo"}));
    assert_eq!(out["FunctionVersion"], "2");
    assert_eq!(out["MemorySize"], 512);
    assert_eq!(out["Description"], "");
    let store = h.store();
    let function = &store.namespaces["default"].functions["demo"];
    assert_eq!(function.versions[&1].config["MemorySize"], 256);
    assert_eq!(function.versions[&2].config["MemorySize"], 512);
}

#[test]
fn publish_errors() {
    let h = Harness::new();
    assert_eq!(
        h.code("PublishVersion", json!({"FunctionName": "nope"})),
        "ResourceNotFound.Function"
    );
    assert_eq!(
        h.code(
            "PublishVersion",
            json!({"FunctionName": "demo", "Namespace": "nope"})
        ),
        "ResourceNotFound.Namespace"
    );
    assert_eq!(
        h.code(
            "PublishVersion",
            json!({"FunctionName": "demo", "Description": "x".repeat(1001)})
        ),
        "InvalidParameterValue.Description"
    );
}

#[test]
fn list_puts_latest_first_then_newest() {
    let h = Harness::new();
    let out = h.ok("ListVersionByFunction", json!({"FunctionName": "demo"}));
    assert_eq!(names(&out), ["$LATEST"]);
    assert_eq!(out["TotalCount"], 1);
    assert_eq!(out["Versions"][0]["Status"], "Active");
    assert_eq!(out["Versions"][0]["AddTime"], datetime(START));

    let third = h.next_time() + 2000;
    for description in ["one", "two", "three"] {
        h.ok(
            "PublishVersion",
            json!({"FunctionName": "demo", "Description": description}),
        );
    }
    let out = h.ok("ListVersionByFunction", json!({"FunctionName": "demo"}));
    assert_eq!(names(&out), ["$LATEST", "3", "2", "1"]);
    assert_eq!(out["TotalCount"], 4);
    let version = &out["Versions"][1];
    assert_eq!(version["Version"], "3");
    assert_eq!(version["Description"], "three");
    assert_eq!(version["AddTime"], datetime(third));
    assert_eq!(version["ModTime"], datetime(third));

    let out = h.ok(
        "ListVersionByFunction",
        json!({"FunctionName": "demo", "Order": "ASC", "OrderBy": "ModTime"}),
    );
    assert_eq!(names(&out), ["$LATEST", "1", "2", "3"]);
}

#[test]
fn list_pages() {
    let h = Harness::new();
    for _ in 0..3 {
        h.ok("PublishVersion", json!({"FunctionName": "demo"}));
    }
    let page = |offset: u64, limit: u64| {
        let out = h.ok(
            "ListVersionByFunction",
            json!({"FunctionName": "demo", "Offset": offset, "Limit": limit, "Order": "ASC"}),
        );
        assert_eq!(out["TotalCount"], 4);
        assert_eq!(
            out["Versions"].as_array().map(Vec::len),
            Some(names(&out).len())
        );
        names(&out)
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(page(0, 2), ["$LATEST", "1"]);
    assert_eq!(page(2, 2), ["2", "3"]);
    assert_eq!(page(3, 20), ["3"]);
    assert!(page(4, 20).is_empty());
    assert!(page(u64::MAX, u64::MAX).is_empty());
    assert!(page(0, 0).is_empty());
}

#[test]
fn list_errors() {
    let h = Harness::new();
    assert_eq!(
        h.code(
            "ListVersionByFunction",
            json!({"FunctionName": "demo", "Order": "UP"})
        ),
        "InvalidParameterValue.Order"
    );
    assert_eq!(
        h.code(
            "ListVersionByFunction",
            json!({"FunctionName": "demo", "OrderBy": "Name"})
        ),
        "InvalidParameterValue"
    );
    assert_eq!(
        h.code("ListVersionByFunction", json!({"FunctionName": "nope"})),
        "ResourceNotFound.Function"
    );
    assert_eq!(
        h.code(
            "ListVersionByFunction",
            json!({"FunctionName": "demo", "Namespace": "nope"})
        ),
        "ResourceNotFound.Namespace"
    );
}

#[test]
fn delete_removes_the_version_and_its_triggers() {
    let h = Harness::new();
    h.ok("PublishVersion", json!({"FunctionName": "demo"}));
    h.ok("PublishVersion", json!({"FunctionName": "demo"}));
    h.ok(
        "CreateTrigger",
        json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer",
               "TriggerDesc": "0 */5 * * * * *", "Qualifier": "1"}),
    );
    h.ok(
        "DeleteFunctionVersion",
        json!({"FunctionName": "demo", "Qualifier": "1", "ForceDelete": "true"}),
    );
    let out = h.ok("ListVersionByFunction", json!({"FunctionName": "demo"}));
    assert_eq!(names(&out), ["$LATEST", "2"]);
    assert!(
        h.store().namespaces["default"].functions["demo"]
            .triggers
            .is_empty()
    );
    // Numbers are not reused.
    let out = h.ok("PublishVersion", json!({"FunctionName": "demo"}));
    assert_eq!(out["FunctionVersion"], "3");
}

#[test]
fn delete_errors() {
    let h = Harness::new();
    h.ok("PublishVersion", json!({"FunctionName": "demo"}));
    h.ok("PublishVersion", json!({"FunctionName": "demo"}));
    let delete = |qualifier: &str| {
        h.code(
            "DeleteFunctionVersion",
            json!({"FunctionName": "demo", "Qualifier": qualifier}),
        )
    };
    assert_eq!(delete("$LATEST"), "InvalidParameterValue.Qualifier");
    assert_eq!(delete("prod"), "InvalidParameterValue.Qualifier");
    assert_eq!(delete("-1"), "InvalidParameterValue.Qualifier");
    assert_eq!(delete("01"), "InvalidParameterValue.Qualifier");
    assert_eq!(delete("7"), "ResourceNotFound.Qualifier");
    assert_eq!(
        h.code(
            "DeleteFunctionVersion",
            json!({"FunctionName": "nope", "Qualifier": "1"})
        ),
        "ResourceNotFound.Function"
    );
    assert_eq!(
        h.code(
            "DeleteFunctionVersion",
            json!({"FunctionName": "demo", "Qualifier": "1", "Namespace": "nope"})
        ),
        "ResourceNotFound.Namespace"
    );

    // Version 1 is an alias's primary version, version 2 its additional one.
    h.ok(
        "CreateAlias",
        json!({"FunctionName": "demo", "Name": "prod", "FunctionVersion": "1",
               "RoutingConfig": {"AdditionalVersionWeights": [{"Version": "2", "Weight": 0.1}]}}),
    );
    assert_eq!(delete("1"), "UnsupportedOperation.AliasBind");
    assert_eq!(delete("2"), "UnsupportedOperation.AliasBind");
    h.ok(
        "DeleteAlias",
        json!({"FunctionName": "demo", "Name": "prod"}),
    );
    h.ok(
        "DeleteFunctionVersion",
        json!({"FunctionName": "demo", "Qualifier": "2"}),
    );
}
