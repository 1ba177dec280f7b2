use serde_json::{Map, Value, json};

use crate::handlers::testing::{Harness, START};
use crate::state::datetime;

/// A harness whose function `demo` has versions 1 and 2.
fn with_versions() -> Harness {
    let h = Harness::new();
    h.ok("PublishVersion", json!({"FunctionName": "demo"}));
    h.ok("PublishVersion", json!({"FunctionName": "demo"}));
    h
}

fn get(h: &Harness, name: &str) -> Map<String, Value> {
    h.ok("GetAlias", json!({"FunctionName": "demo", "Name": name}))
}

/// The alias names of a ListAliases answer.
fn names(out: &Map<String, Value>) -> Vec<String> {
    out["Aliases"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["Name"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn create_and_get() {
    let h = with_versions();
    let created = h.next_time();
    h.ok(
        "CreateAlias",
        json!({"FunctionName": "demo", "Name": "prod", "FunctionVersion": "1",
               "Description": "production",
               "RoutingConfig": {"AdditionalVersionWeights": [{"Version": "2", "Weight": 0.25}]}}),
    );
    let out = get(&h, "prod");
    assert_eq!(
        Value::Object(out),
        json!({
            "FunctionVersion": "1",
            "Name": "prod",
            "RoutingConfig": {
                "AdditionalVersionWeights": [{"Version": "2", "Weight": 0.25}],
                "AddtionVersionMatchs": [],
            },
            "Description": "production",
            "AddTime": datetime(created),
            "ModTime": datetime(created),
        })
    );
    h.ok(
        "CreateAlias",
        json!({"FunctionName": "demo", "Name": "canary", "FunctionVersion": "$LATEST",
               "RoutingConfig": {"AddtionVersionMatchs": [
                   {"Version": "2", "Key": "invoke.headers.User", "Method": "range",
                    "Expression": "[1, 10)"}]}}),
    );
    let out = get(&h, "canary");
    assert_eq!(out["RoutingConfig"]["AdditionalVersionWeights"], json!([]));
    assert_eq!(
        out["RoutingConfig"]["AddtionVersionMatchs"][0]["Method"],
        "range"
    );
    let out = h.ok(
        "CreateAlias",
        json!({"FunctionName": "demo", "Name": "plain", "FunctionVersion": "2"}),
    );
    assert!(out.is_empty());
    assert_eq!(get(&h, "plain")["Description"], "");
}

#[test]
fn default_alias_is_built_in() {
    let h = Harness::new();
    let out = get(&h, "$DEFAULT");
    assert_eq!(out["FunctionVersion"], "$LATEST");
    assert_eq!(out["AddTime"], datetime(START));
    assert_eq!(
        h.code(
            "DeleteAlias",
            json!({"FunctionName": "demo", "Name": "$DEFAULT"})
        ),
        "InvalidParameterValue.Alias"
    );
    h.ok("PublishVersion", json!({"FunctionName": "demo"}));
    h.ok(
        "UpdateAlias",
        json!({"FunctionName": "demo", "Name": "$DEFAULT", "FunctionVersion": "1"}),
    );
    assert_eq!(get(&h, "$DEFAULT")["FunctionVersion"], "1");
}

#[test]
fn create_errors() {
    let h = with_versions();
    let create = |params: Value| h.code("CreateAlias", params);
    for bad in ["", "1abc", "has space", "$LATEST", &"a".repeat(65)] {
        assert_eq!(
            create(json!({"FunctionName": "demo", "Name": bad, "FunctionVersion": "1"})),
            "InvalidParameterValue.Name",
            "{bad}"
        );
    }
    assert_eq!(
        create(json!({"FunctionName": "nope", "Name": "a", "FunctionVersion": "1"})),
        "ResourceNotFound.Function"
    );
    assert_eq!(
        create(
            json!({"FunctionName": "demo", "Name": "a", "FunctionVersion": "1",
                      "Namespace": "nope"})
        ),
        "ResourceNotFound.Function"
    );
    for missing in ["3", "01", "prod", ""] {
        assert_eq!(
            create(json!({"FunctionName": "demo", "Name": "a", "FunctionVersion": missing})),
            "ResourceNotFound.FunctionVersion",
            "{missing}"
        );
    }
    h.ok(
        "CreateAlias",
        json!({"FunctionName": "demo", "Name": "a", "FunctionVersion": "1"}),
    );
    assert_eq!(
        create(json!({"FunctionName": "demo", "Name": "a", "FunctionVersion": "2"})),
        "ResourceInUse.Alias"
    );
}

#[test]
fn routing_config_errors() {
    let h = with_versions();
    let create = |routing: Value| {
        h.code(
            "CreateAlias",
            json!({"FunctionName": "demo", "Name": "a", "FunctionVersion": "1",
                   "RoutingConfig": routing}),
        )
    };
    let weight = |version: &str, weight: f64| json!({"Version": version, "Weight": weight});
    let rule = |method: &str, expression: &str| {
        json!({"Version": "2", "Key": "invoke.headers.User", "Method": method,
               "Expression": expression})
    };
    for (routing, code) in [
        (
            json!({"AdditionalVersionWeights": [weight("2", 0.5)],
                   "AddtionVersionMatchs": [rule("exact", "u")]}),
            "InvalidParameterValue.RoutingConfig",
        ),
        (
            json!({"AdditionalVersionWeights": [weight("2", 0.5), weight("$LATEST", 0.1)]}),
            "InvalidParameterValue.AdditionalVersionWeights",
        ),
        (
            json!({"AdditionalVersionWeights": [weight("2", 1.5)]}),
            "InvalidParameterValue.AdditionalVersionWeights",
        ),
        (
            json!({"AdditionalVersionWeights": [weight("2", -0.1)]}),
            "InvalidParameterValue.AdditionalVersionWeights",
        ),
        (
            json!({"AdditionalVersionWeights": [weight("1", 0.5)]}),
            "InvalidParameterValue.RoutingConfig",
        ),
        (
            json!({"AdditionalVersionWeights": [weight("9", 0.5)]}),
            "ResourceNotFound.FunctionVersion",
        ),
        (
            json!({"AddtionVersionMatchs": [rule("exact", "u"), rule("exact", "v")]}),
            "InvalidParameterValue.RoutingConfig",
        ),
        (
            json!({"AddtionVersionMatchs": [rule("regex", "u")]}),
            "InvalidParameterValue.RoutingConfig",
        ),
        (
            json!({"AddtionVersionMatchs": [rule("exact", "")]}),
            "InvalidParameterValue.RoutingConfig",
        ),
        (
            json!({"AddtionVersionMatchs": [rule("range", "[10,1]")]}),
            "InvalidParameterValue.RoutingConfig",
        ),
        (
            json!({"AddtionVersionMatchs": [rule("range", "1-10")]}),
            "InvalidParameterValue.RoutingConfig",
        ),
        (
            json!({"AddtionVersionMatchs": [
                {"Version": "2", "Key": "", "Method": "exact", "Expression": "u"}]}),
            "InvalidParameterValue.RoutingConfig",
        ),
    ] {
        assert_eq!(create(routing.clone()), code, "{routing}");
    }
    // Boundary weights and an empty configuration are accepted.
    for (name, routing) in [
        (
            "zero",
            json!({"AdditionalVersionWeights": [weight("2", 0.0)]}),
        ),
        (
            "one",
            json!({"AdditionalVersionWeights": [weight("$LATEST", 1.0)]}),
        ),
        ("empty", json!({})),
    ] {
        h.ok(
            "CreateAlias",
            json!({"FunctionName": "demo", "Name": name, "FunctionVersion": "1",
                   "RoutingConfig": routing}),
        );
    }
}

#[test]
fn get_errors() {
    let h = Harness::new();
    assert_eq!(
        h.code("GetAlias", json!({"FunctionName": "demo", "Name": "nope"})),
        "ResourceNotFound.Alias"
    );
    assert_eq!(
        h.code("GetAlias", json!({"FunctionName": "nope", "Name": "a"})),
        "ResourceNotFound.Function"
    );
    assert_eq!(
        h.code(
            "GetAlias",
            json!({"FunctionName": "demo", "Name": "a", "Namespace": "nope"})
        ),
        "ResourceNotFound.Namespace"
    );
}

#[test]
fn list_filters_and_pages() {
    let h = with_versions();
    for (name, version, extra) in [
        ("b", "1", None),
        ("a", "2", None),
        ("c", "$LATEST", Some("1")),
    ] {
        let mut params = json!({"FunctionName": "demo", "Name": name, "FunctionVersion": version});
        if let Some(extra) = extra {
            params["RoutingConfig"] =
                json!({"AdditionalVersionWeights": [{"Version": extra, "Weight": 0.5}]});
        }
        h.ok("CreateAlias", params);
    }
    let list = |params: Value| h.ok("ListAliases", params);
    let out = list(json!({"FunctionName": "demo"}));
    assert_eq!(names(&out), ["$DEFAULT", "a", "b", "c"]);
    assert_eq!(out["TotalCount"], 4);
    assert_eq!(out["Aliases"][1]["FunctionVersion"], "2");

    let out = list(json!({"FunctionName": "demo", "FunctionVersion": "1"}));
    assert_eq!(names(&out), ["b", "c"]);
    assert_eq!(out["TotalCount"], 2);
    let out = list(json!({"FunctionName": "demo", "FunctionVersion": "$LATEST"}));
    assert_eq!(names(&out), ["$DEFAULT", "c"]);

    let out = list(json!({"FunctionName": "demo", "Offset": "1", "Limit": "2"}));
    assert_eq!(names(&out), ["a", "b"]);
    assert_eq!(out["TotalCount"], 4);
    let out = list(json!({"FunctionName": "demo", "Offset": "4"}));
    assert!(names(&out).is_empty());
    let out = list(json!({"FunctionName": "demo", "Offset": "", "Limit": "0"}));
    assert!(names(&out).is_empty());
    assert_eq!(out["TotalCount"], 4);
    let out = list(json!({"FunctionName": "demo", "Offset": "99999999999999999999"}));
    assert!(out["Aliases"].as_array().is_some_and(Vec::is_empty));
}

#[test]
fn list_errors() {
    let h = Harness::new();
    for (member, value) in [
        ("Offset", "-1"),
        ("Limit", "ten"),
        ("Limit", "1.5"),
        ("Limit", "+1"),
    ] {
        assert_eq!(
            h.code(
                "ListAliases",
                json!({"FunctionName": "demo", member: value})
            ),
            "InvalidParameterValue",
            "{member}={value}"
        );
    }
    assert_eq!(
        h.code("ListAliases", json!({"FunctionName": "nope"})),
        "ResourceNotFound.Function"
    );
    assert_eq!(
        h.code(
            "ListAliases",
            json!({"FunctionName": "demo", "Namespace": "nope"})
        ),
        "ResourceNotFound.Namespace"
    );
}

#[test]
fn update_repoints_and_replaces_routing() {
    let h = with_versions();
    let created = h.next_time();
    h.ok(
        "CreateAlias",
        json!({"FunctionName": "demo", "Name": "prod", "FunctionVersion": "1",
               "Description": "kept",
               "RoutingConfig": {"AdditionalVersionWeights": [{"Version": "2", "Weight": 0.5}]}}),
    );
    let updated = h.next_time();
    h.ok(
        "UpdateAlias",
        json!({"FunctionName": "demo", "Name": "prod", "FunctionVersion": "2"}),
    );
    let out = get(&h, "prod");
    assert_eq!(out["FunctionVersion"], "2");
    assert_eq!(out["Description"], "kept");
    assert_eq!(out["RoutingConfig"]["AdditionalVersionWeights"], json!([]));
    assert_eq!(out["AddTime"], datetime(created));
    assert_eq!(out["ModTime"], datetime(updated));
    // Version 1 is free again.
    h.ok(
        "UpdateAlias",
        json!({"FunctionName": "demo", "Name": "prod", "FunctionVersion": "$LATEST",
               "Description": "",
               "RoutingConfig": {"AdditionalVersionWeights": [{"Version": "2", "Weight": 0.1}]}}),
    );
    let out = get(&h, "prod");
    assert_eq!(out["Description"], "");
    assert_eq!(
        out["RoutingConfig"]["AdditionalVersionWeights"][0]["Weight"],
        0.1
    );
    h.ok(
        "DeleteFunctionVersion",
        json!({"FunctionName": "demo", "Qualifier": "1"}),
    );
}

#[test]
fn update_errors() {
    let h = with_versions();
    h.ok(
        "CreateAlias",
        json!({"FunctionName": "demo", "Name": "prod", "FunctionVersion": "1"}),
    );
    let update = |params: Value| h.code("UpdateAlias", params);
    assert_eq!(
        update(json!({"FunctionName": "demo", "Name": "nope", "FunctionVersion": "1"})),
        "ResourceNotFound.Alias"
    );
    assert_eq!(
        update(json!({"FunctionName": "demo", "Name": "prod", "FunctionVersion": "5"})),
        "ResourceNotFound.FunctionVersion"
    );
    assert_eq!(
        update(
            json!({"FunctionName": "demo", "Name": "prod", "FunctionVersion": "1",
                      "RoutingConfig": {"AdditionalVersionWeights": [
                          {"Version": "1", "Weight": 0.5}]}})
        ),
        "InvalidParameterValue.RoutingConfig"
    );
    assert_eq!(
        update(json!({"FunctionName": "nope", "Name": "prod", "FunctionVersion": "1"})),
        "ResourceNotFound.Function"
    );
    assert_eq!(
        update(
            json!({"FunctionName": "demo", "Name": "prod", "FunctionVersion": "1",
                      "Namespace": "nope"})
        ),
        "ResourceNotFound.Namespace"
    );
    // A failed update changes nothing.
    assert_eq!(get(&h, "prod")["FunctionVersion"], "1");
}

#[test]
fn delete_drops_the_alias_and_its_triggers() {
    let h = with_versions();
    h.ok(
        "CreateAlias",
        json!({"FunctionName": "demo", "Name": "prod", "FunctionVersion": "1"}),
    );
    for qualifier in ["prod", "$LATEST"] {
        h.ok(
            "CreateTrigger",
            json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer",
                   "TriggerDesc": "0 0 * * * * *", "Qualifier": qualifier}),
        );
    }
    h.ok(
        "DeleteAlias",
        json!({"FunctionName": "demo", "Name": "prod"}),
    );
    assert_eq!(
        h.code("GetAlias", json!({"FunctionName": "demo", "Name": "prod"})),
        "ResourceNotFound.Alias"
    );
    let store = h.store();
    let function = &store.namespaces["default"].functions["demo"];
    let qualifiers: Vec<&str> = function
        .triggers
        .values()
        .map(|t| t.qualifier.as_str())
        .collect();
    assert_eq!(qualifiers, ["$LATEST"]);
    assert_eq!(function.versions.len(), 2);
}

#[test]
fn delete_errors() {
    let h = Harness::new();
    let delete = |params: Value| h.code("DeleteAlias", params);
    assert_eq!(
        delete(json!({"FunctionName": "demo", "Name": "nope"})),
        "ResourceNotFound.Alias"
    );
    assert_eq!(
        delete(json!({"FunctionName": "nope", "Name": "a"})),
        "ResourceNotFound.Function"
    );
    assert_eq!(
        delete(json!({"FunctionName": "demo", "Name": "a", "Namespace": "nope"})),
        "ResourceNotFound.Function"
    );
}
