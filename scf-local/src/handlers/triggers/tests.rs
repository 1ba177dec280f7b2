use serde_json::{Map, Value, json};

use crate::handlers::testing::Harness;
use crate::state::datetime;

/// Creates a trigger on function `demo` with `extra` members merged in.
fn create(h: &Harness, name: &str, kind: &str, desc: &str, extra: Value) -> Map<String, Value> {
    let mut params = json!({"FunctionName": "demo", "TriggerName": name, "Type": kind,
                            "TriggerDesc": desc});
    if let (Some(params), Value::Object(extra)) = (params.as_object_mut(), extra) {
        params.extend(extra);
    }
    h.ok("CreateTrigger", params)
}

/// The trigger `name` as ListTriggers shows it (on any qualifier).
fn listed(h: &Harness, name: &str) -> Value {
    let out = h.ok(
        "ListTriggers",
        json!({"FunctionName": "demo",
               "Filters": [{"Name": "TriggerName", "Values": [name]}]}),
    );
    assert_eq!(out["TotalCount"], 1, "{out:?}");
    out["Triggers"][0].clone()
}

/// The trigger names of a ListTriggers answer.
fn names(out: &Map<String, Value>) -> Vec<String> {
    out["Triggers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["TriggerName"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn create_answers_the_trigger() {
    let h = Harness::new();
    let now = h.next_time();
    let out = create(
        &h,
        "every-2-min",
        "timer",
        "0 */2 * * * * *",
        json!({"CustomArgument": "arg", "Description": "tick"}),
    );
    assert_eq!(
        out["TriggerInfo"],
        json!({
            "TriggerName": "every-2-min",
            "Type": "timer",
            "TriggerDesc": "{\"cron\":\"0 */2 * * * * *\"}",
            "Qualifier": "$LATEST",
            "Enable": 1,
            "CustomArgument": "arg",
            "Description": "tick",
            "AvailableStatus": "Available",
            "BindStatus": "",
            "ResourceId": "",
            "TriggerAttribute": "",
            "AddTime": datetime(now),
            "ModTime": datetime(now),
        })
    );
    assert_eq!(listed(&h, "every-2-min"), out["TriggerInfo"]);
    // GetFunction shows the triggers of the version it describes.
    let function = h.ok("GetFunction", json!({"FunctionName": "demo"}));
    assert_eq!(function["Triggers"][0]["TriggerName"], "every-2-min");

    // The JSON form of a timer description, month and weekday names, a closed trigger.
    let out = create(
        &h,
        "json",
        "timer",
        r#"{"cron": "0 0 12 ? JAN-jun MON,FRI 2030"}"#,
        json!({"Enable": "CLOSE"}),
    );
    assert_eq!(
        out["TriggerInfo"]["TriggerDesc"],
        r#"{"cron":"0 0 12 ? JAN-jun MON,FRI 2030"}"#
    );
    assert_eq!(out["TriggerInfo"]["Enable"], 0);
    // Other types keep their JSON text as given.
    let desc = r#"{"event":"cos:ObjectCreated:*"}"#;
    let out = create(
        &h,
        "bucket-1.cos.ap-shanghai.myqcloud.com",
        "cos",
        desc,
        json!({}),
    );
    assert_eq!(out["TriggerInfo"]["TriggerDesc"], desc);
    let out = h.ok(
        "CreateTrigger",
        json!({"FunctionName": "demo", "TriggerName": "url", "Type": "http"}),
    );
    assert_eq!(out["TriggerInfo"]["TriggerDesc"], "");
}

#[test]
fn names_are_unique_per_qualifier() {
    let h = Harness::new();
    h.ok("PublishVersion", json!({"FunctionName": "demo"}));
    create(&h, "t", "timer", "0 0 * * * * *", json!({}));
    assert_eq!(
        h.code(
            "CreateTrigger",
            json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer",
                   "TriggerDesc": "0 0 * * * * *", "Qualifier": "$LATEST"})
        ),
        "ResourceInUse.Trigger"
    );
    for qualifier in ["1", "$DEFAULT"] {
        let out = create(
            &h,
            "t",
            "timer",
            "0 0 * * * * *",
            json!({"Qualifier": qualifier}),
        );
        assert_eq!(out["TriggerInfo"]["Qualifier"], qualifier);
    }
    let out = h.ok("ListTriggers", json!({"FunctionName": "demo"}));
    assert_eq!(out["TotalCount"], 3);
}

#[test]
fn create_errors() {
    let h = Harness::new();
    let code = |params: Value| h.code("CreateTrigger", params);
    let timer = |desc: &str| {
        code(
            json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer",
                    "TriggerDesc": desc}),
        )
    };
    for bad in [
        "",
        "* * * * *",
        "0 */2 * * * *",
        "60 * * * * * *",
        "0 0 24 * * * *",
        "0 0 0 0 * * *",
        "0 0 0 * 13 * *",
        "0 0 0 * * 7 *",
        "0 0 0 * * * 1969",
        "0 0 0 * * * 2100",
        "0 */0 * * * * *",
        "0 5-1 * * * * *",
        "? * * * * * *",
        "0 a * * * * *",
        "0 +5 * * * * *",
        "0 1,,2 * * * * *",
        r#"{"schedule": "0 0 * * * * *"}"#,
        "{not json",
    ] {
        assert_eq!(timer(bad), "InvalidParameterValue.TriggerDesc", "{bad:?}");
    }
    assert_eq!(
        code(json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer"})),
        "InvalidParameterValue.TriggerDesc"
    );
    assert_eq!(
        code(json!({"FunctionName": "demo", "TriggerName": "b", "Type": "cos"})),
        "InvalidParameterValue.TriggerDesc"
    );
    assert_eq!(
        code(
            json!({"FunctionName": "demo", "TriggerName": "k", "Type": "ckafka",
                    "TriggerDesc": "[1]"})
        ),
        "InvalidParameterValue.TriggerDesc"
    );
    assert_eq!(
        code(
            json!({"FunctionName": "demo", "TriggerName": "t", "Type": "ftp",
                    "TriggerDesc": "{}"})
        ),
        "InvalidParameterValue.Type"
    );
    for bad in ["", "has space", "dot.ted", &"t".repeat(101)] {
        assert_eq!(
            code(
                json!({"FunctionName": "demo", "TriggerName": bad, "Type": "timer",
                        "TriggerDesc": "0 0 * * * * *"})
            ),
            "InvalidParameterValue.TriggerName",
            "{bad}"
        );
    }
    assert_eq!(
        code(json!({"FunctionName": "demo", "TriggerName": "a b", "Type": "ckafka"})),
        "InvalidParameterValue.TriggerName"
    );
    assert_eq!(
        code(
            json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer",
                    "TriggerDesc": "0 0 * * * * *", "Enable": "TRUE"})
        ),
        "InvalidParameterValue.Enable"
    );
    for missing in ["1", "prod", "01"] {
        assert_eq!(
            code(
                json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer",
                        "TriggerDesc": "0 0 * * * * *", "Qualifier": missing})
            ),
            "ResourceNotFound.Qualifier",
            "{missing}"
        );
    }
    assert_eq!(
        code(
            json!({"FunctionName": "nope", "TriggerName": "t", "Type": "timer",
                    "TriggerDesc": "0 0 * * * * *"})
        ),
        "ResourceNotFound.Function"
    );
    assert_eq!(
        code(
            json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer",
                    "TriggerDesc": "0 0 * * * * *", "Namespace": "nope"})
        ),
        "ResourceNotFound.Namespace"
    );
}

#[test]
fn delete_removes_the_trigger() {
    let h = Harness::new();
    create(&h, "t", "timer", "0 0 * * * * *", json!({}));
    let desc = r#"{"event":"cos:ObjectCreated:*"}"#;
    create(&h, "b", "cos", desc, json!({}));
    h.ok(
        "DeleteTrigger",
        json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer"}),
    );
    // COS triggers are matched by configuration, not by its spelling.
    h.ok(
        "DeleteTrigger",
        json!({"FunctionName": "demo", "TriggerName": "b", "Type": "cos",
               "TriggerDesc": "{ \"event\": \"cos:ObjectCreated:*\" }"}),
    );
    let out = h.ok("ListTriggers", json!({"FunctionName": "demo"}));
    assert_eq!(out["TotalCount"], 0);
}

#[test]
fn delete_errors() {
    let h = Harness::new();
    create(&h, "t", "timer", "0 0 * * * * *", json!({}));
    create(
        &h,
        "b",
        "cos",
        r#"{"event":"cos:ObjectCreated:*"}"#,
        json!({}),
    );
    let code = |params: Value| h.code("DeleteTrigger", params);
    assert_eq!(
        code(json!({"FunctionName": "demo", "TriggerName": "t", "Type": "cmq"})),
        "ResourceNotFound.Trigger"
    );
    assert_eq!(
        code(
            json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer",
                    "Qualifier": "1"})
        ),
        "ResourceNotFound.Trigger"
    );
    assert_eq!(
        code(json!({"FunctionName": "demo", "TriggerName": "nope", "Type": "timer"})),
        "ResourceNotFound.Trigger"
    );
    assert_eq!(
        code(json!({"FunctionName": "demo", "TriggerName": "b", "Type": "cos"})),
        "InvalidParameterValue.TriggerDesc"
    );
    assert_eq!(
        code(
            json!({"FunctionName": "demo", "TriggerName": "b", "Type": "cos",
                    "TriggerDesc": r#"{"event":"cos:ObjectRemove:*"}"#})
        ),
        "ResourceNotFound.Trigger"
    );
    assert_eq!(
        code(json!({"FunctionName": "demo", "TriggerName": "t", "Type": "ftp"})),
        "InvalidParameterValue.Type"
    );
    assert_eq!(
        code(json!({"FunctionName": "nope", "TriggerName": "t", "Type": "timer"})),
        "ResourceNotFound.Function"
    );
    assert_eq!(
        code(
            json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer",
                    "Namespace": "nope"})
        ),
        "ResourceNotFound.Function"
    );
    assert_eq!(
        h.ok("ListTriggers", json!({"FunctionName": "demo"}))["TotalCount"],
        2
    );
}

#[test]
fn list_sorts_filters_and_pages() {
    let h = Harness::new();
    h.ok("PublishVersion", json!({"FunctionName": "demo"}));
    // Created a, b, c in that order; then a is modified last.
    create(
        &h,
        "a",
        "timer",
        "0 0 * * * * *",
        json!({"Description": "nightly job"}),
    );
    create(&h, "b", "timer", "0 0 * * * * *", json!({"Qualifier": "1"}));
    create(&h, "c", "ckafka", "{}", json!({"Description": "queue"}));
    h.ok(
        "UpdateTriggerStatus",
        json!({"FunctionName": "demo", "TriggerName": "a", "Type": "timer", "Enable": "CLOSE"}),
    );
    let list = |params: Value| {
        let mut all = json!({"FunctionName": "demo"});
        if let (Some(all), Value::Object(params)) = (all.as_object_mut(), params) {
            all.extend(params);
        }
        h.ok("ListTriggers", all)
    };
    let out = list(json!({}));
    assert_eq!(names(&out), ["a", "c", "b"]);
    assert_eq!(out["TotalCount"], 3);
    assert_eq!(out["Triggers"][0]["Enable"], 0);
    assert_eq!(names(&list(json!({"Order": "ASC"}))), ["b", "c", "a"]);
    assert_eq!(
        names(&list(json!({"OrderBy": "add_time"}))),
        ["c", "b", "a"]
    );
    assert_eq!(
        names(&list(json!({"OrderBy": "add_time", "Order": "asc"}))),
        ["a", "b", "c"]
    );

    let filtered = |name: &str, values: Value| {
        names(&list(
            json!({"Filters": [{"Name": name, "Values": values}], "Order": "ASC",
                   "OrderBy": "add_time"}),
        ))
    };
    assert_eq!(filtered("Qualifier", json!(["$LATEST"])), ["a", "c"]);
    assert_eq!(filtered("Qualifier", json!(["1", "prod"])), ["b"]);
    assert_eq!(filtered("TriggerName", json!(["c", "a"])), ["a", "c"]);
    assert_eq!(filtered("Description", json!(["job", "queue"])), ["a", "c"]);
    assert_eq!(filtered("Description", json!(["night"])), ["a"]);
    let out = list(json!({"Filters": [
        {"Name": "Qualifier", "Values": ["$LATEST"]},
        {"Name": "Description", "Values": ["queue"]}]}));
    assert_eq!(names(&out), ["c"]);
    assert_eq!(out["TotalCount"], 1);

    let page = |offset: u64, limit: u64| {
        let out = list(json!({"Offset": offset, "Limit": limit, "Order": "ASC",
                              "OrderBy": "add_time"}));
        assert_eq!(out["TotalCount"], 3);
        names(&out)
    };
    assert_eq!(page(0, 2), ["a", "b"]);
    assert_eq!(page(2, 2), ["c"]);
    assert!(page(3, 2).is_empty());
    assert!(page(0, 0).is_empty());
    assert!(page(u64::MAX, u64::MAX).is_empty());
}

#[test]
fn list_errors() {
    let h = Harness::new();
    let code = |params: Value| h.code("ListTriggers", params);
    assert_eq!(
        code(json!({"FunctionName": "demo", "Order": "UP"})),
        "InvalidParameterValue.Order"
    );
    assert_eq!(
        code(json!({"FunctionName": "demo", "OrderBy": "AddTime"})),
        "InvalidParameterValue.OrderBy"
    );
    assert_eq!(
        code(json!({"FunctionName": "demo", "Filters": [{"Name": "Type", "Values": ["timer"]}]})),
        "InvalidParameterValue.Filters"
    );
    assert_eq!(
        code(json!({"FunctionName": "demo", "Filters": [{"Name": "Qualifier", "Values": []}]})),
        "InvalidParameterValue.Filters"
    );
    let eleven: Vec<Value> = (0..11)
        .map(|_| json!({"Name": "Qualifier", "Values": ["$LATEST"]}))
        .collect();
    assert_eq!(
        code(json!({"FunctionName": "demo", "Filters": eleven})),
        "InvalidParameterValue.Filters"
    );
    assert_eq!(code(json!({"FunctionName": "nope"})), "ResourceNotFound");
    assert_eq!(
        code(json!({"FunctionName": "demo", "Namespace": "nope"})),
        "ResourceNotFound"
    );
}

#[test]
fn update_changes_given_members_only() {
    let h = Harness::new();
    create(
        &h,
        "t",
        "timer",
        "0 0 * * * * *",
        json!({"Description": "d", "CustomArgument": "c"}),
    );
    let now = h.next_time();
    h.ok(
        "UpdateTrigger",
        json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer",
               "TriggerDesc": "*/5 * * * *"}),
    );
    let t = listed(&h, "t");
    assert_eq!(t["TriggerDesc"], r#"{"cron":"*/5 * * * *"}"#);
    assert_eq!(t["Description"], "d");
    assert_eq!(t["CustomArgument"], "c");
    assert_eq!(t["Enable"], 1);
    assert_eq!(t["ModTime"], datetime(now));
    h.ok(
        "UpdateTrigger",
        json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer",
               "Enable": "CLOSE", "Description": "", "CustomArgument": "new"}),
    );
    let t = listed(&h, "t");
    assert_eq!(t["TriggerDesc"], r#"{"cron":"*/5 * * * *"}"#);
    assert_eq!(t["Description"], "");
    assert_eq!(t["CustomArgument"], "new");
    assert_eq!(t["Enable"], 0);
}

#[test]
fn update_ckafka_and_http() {
    let h = Harness::new();
    create(
        &h,
        "k",
        "ckafka",
        r#"{"maxMsgNum":"50","offset":"latest","Retry":1}"#,
        json!({}),
    );
    h.ok(
        "UpdateTrigger",
        json!({"FunctionName": "demo", "TriggerName": "k", "Type": "ckafka",
               "TriggerDesc": r#"{"Retry": 3, "TimeOut": 60, "offset": "latest"}"#}),
    );
    let t = listed(&h, "k");
    let desc: Value =
        serde_json::from_str(t["TriggerDesc"].as_str().unwrap_or_default()).unwrap_or_default();
    assert_eq!(
        desc,
        json!({"maxMsgNum": "50", "offset": "latest", "Retry": 3, "TimeOut": 60})
    );
    assert_eq!(
        h.code(
            "UpdateTrigger",
            json!({"FunctionName": "demo", "TriggerName": "k", "Type": "ckafka",
                   "TriggerDesc": r#"{"offset": "earliest"}"#})
        ),
        "InvalidParameterValue.TriggerDesc"
    );

    h.ok(
        "CreateTrigger",
        json!({"FunctionName": "demo", "TriggerName": "url", "Type": "http",
               "TriggerDesc": r#"{"AuthType":"NONE"}"#}),
    );
    h.ok(
        "UpdateTrigger",
        json!({"FunctionName": "demo", "TriggerName": "url", "Type": "http",
               "TriggerDesc": r#"{"AuthType":"CAM"}"#}),
    );
    assert_eq!(listed(&h, "url")["TriggerDesc"], r#"{"AuthType":"CAM"}"#);
}

#[test]
fn update_errors() {
    let h = Harness::new();
    create(&h, "t", "timer", "0 0 * * * * *", json!({}));
    let code = |extra: Value| {
        let mut params = json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer"});
        if let (Some(params), Value::Object(extra)) = (params.as_object_mut(), extra) {
            params.extend(extra);
        }
        h.code("UpdateTrigger", params)
    };
    assert_eq!(code(json!({"Type": "cos"})), "InvalidParameterValue.Type");
    assert_eq!(code(json!({"Enable": ""})), "InvalidParameterValue.Enable");
    assert_eq!(
        code(json!({"TriggerDesc": "0 0 * * *  * * *"})),
        "InvalidParameterValue.TriggerDesc"
    );
    assert_eq!(
        code(json!({"TriggerName": "nope"})),
        "ResourceNotFound.Trigger"
    );
    assert_eq!(code(json!({"Type": "ckafka"})), "ResourceNotFound.Trigger");
    assert_eq!(
        code(json!({"Qualifier": "9"})),
        "ResourceNotFound.Qualifier"
    );
    assert_eq!(
        code(json!({"FunctionName": "nope"})),
        "ResourceNotFound.Function"
    );
    assert_eq!(
        code(json!({"Namespace": "nope"})),
        "ResourceNotFound.Namespace"
    );
    // A failed update changes nothing.
    let t = listed(&h, "t");
    assert_eq!(t["TriggerDesc"], r#"{"cron":"0 0 * * * * *"}"#);
    assert_eq!(t["Enable"], 1);
}

#[test]
fn update_status_switches() {
    let h = Harness::new();
    create(&h, "t", "timer", "0 0 * * * * *", json!({}));
    let desc = r#"{"event":"cos:ObjectCreated:*"}"#;
    create(&h, "b", "cos", desc, json!({"Enable": "CLOSE"}));
    let switch = |name: &str, kind: &str, enable: &str| {
        h.ok(
            "UpdateTriggerStatus",
            json!({"FunctionName": "demo", "TriggerName": name, "Type": kind,
                   "Enable": enable, "TriggerDesc": desc}),
        )
    };
    switch("t", "timer", "CLOSE");
    assert_eq!(listed(&h, "t")["Enable"], 0);
    switch("t", "timer", "OPEN");
    assert_eq!(listed(&h, "t")["Enable"], 1);
    switch("b", "cos", "OPEN");
    assert_eq!(listed(&h, "b")["Enable"], 1);
}

#[test]
fn update_status_errors() {
    let h = Harness::new();
    create(&h, "t", "timer", "0 0 * * * * *", json!({}));
    create(
        &h,
        "b",
        "cos",
        r#"{"event":"cos:ObjectCreated:*"}"#,
        json!({}),
    );
    let code = |params: Value| {
        let mut all = json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer",
                             "Enable": "CLOSE"});
        if let (Some(all), Value::Object(params)) = (all.as_object_mut(), params) {
            all.extend(params);
        }
        h.code("UpdateTriggerStatus", all)
    };
    assert_eq!(
        code(json!({"Enable": "close"})),
        "InvalidParameterValue.Enable"
    );
    assert_eq!(code(json!({"Type": "http"})), "InvalidParameterValue.Type");
    assert_eq!(
        code(json!({"TriggerName": "b", "Type": "cos"})),
        "InvalidParameterValue.TriggerDesc"
    );
    assert_eq!(
        code(json!({"TriggerName": "b", "Type": "cos", "TriggerDesc": "{}"})),
        "ResourceNotFound.Trigger"
    );
    assert_eq!(
        code(json!({"TriggerName": "x"})),
        "ResourceNotFound.Trigger"
    );
    assert_eq!(
        code(json!({"Qualifier": "prod"})),
        "ResourceNotFound.Qualifier"
    );
    assert_eq!(
        code(json!({"FunctionName": "nope"})),
        "ResourceNotFound.Function"
    );
    assert_eq!(
        code(json!({"Namespace": "nope"})),
        "ResourceNotFound.Namespace"
    );
    assert_eq!(listed(&h, "t")["Enable"], 1);
}
