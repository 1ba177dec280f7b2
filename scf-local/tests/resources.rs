//! End-to-end tests of the stateful layer, concurrency and custom-domain actions, over real TCP
//! with signed requests (see `support/`).

use std::time::Duration;

use scf_local::Server;
use serde_json::{Value, json};

mod support;
use support::*;

/// The `ZipFile` of an empty ZIP archive.
const EMPTY_ZIP: &str = "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==";

async fn create_function(server: &Server, name: &str, extra: Value) {
    let mut body = json!({"FunctionName": name, "Code": {"ZipFile": EMPTY_ZIP}});
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    ok(server, "CreateFunction", body).await;
}

/// Publishes the function's current configuration as a new version (through
/// UpdateFunctionConfiguration's `Publish`, which does not depend on PublishVersion).
async fn publish_version(server: &Server, name: &str) {
    ok(
        server,
        "UpdateFunctionConfiguration",
        json!({"FunctionName": name, "Publish": "TRUE"}),
    )
    .await;
}

fn is_datetime(value: &Value) -> bool {
    let text = value.as_str().unwrap_or_default();
    text.len() == 19 && text.as_bytes()[10] == b' ' && text.as_bytes()[13] == b':'
}

fn numbers(items: &Value, member: &str) -> Vec<i64> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i[member].as_i64().unwrap())
        .collect()
}

fn names(items: &Value, member: &str) -> Vec<String> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i[member].as_str().unwrap().to_owned())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Layers.

#[tokio::test]
async fn layers_publish_list_get_delete() {
    let server = Server::start().await.unwrap();
    let zip = |runtime: &str| {
        json!({
            "LayerName": "layer-a",
            "CompatibleRuntimes": [runtime],
            "Content": {"ZipFile": EMPTY_ZIP},
            "Description": format!("for {runtime}"),
            "LicenseInfo": "MIT",
        })
    };
    let r = ok(&server, "PublishLayerVersion", zip("Python3.9")).await;
    assert_eq!(r["LayerVersion"], 1);
    let r = ok(&server, "PublishLayerVersion", zip("Nodejs16.13")).await;
    assert_eq!(r["LayerVersion"], 2);
    let cos = json!({
        "LayerName": "Layer-B",
        "CompatibleRuntimes": ["Python3.9", "Go1"],
        "Content": {"CosBucketName": "bucket", "CosObjectName": "/l.zip", "CosBucketRegion": "ap-beijing"},
    });
    assert_eq!(
        ok(&server, "PublishLayerVersion", cos).await["LayerVersion"],
        1
    );

    // GetLayerVersion.
    let v = ok(
        &server,
        "GetLayerVersion",
        json!({"LayerName": "layer-a", "LayerVersion": 1}),
    )
    .await;
    assert_eq!(v["LayerName"], "layer-a");
    assert_eq!(v["LayerVersion"], 1);
    assert_eq!(v["CompatibleRuntimes"], json!(["Python3.9"]));
    assert_eq!(v["Description"], "for Python3.9");
    assert_eq!(v["LicenseInfo"], "MIT");
    assert_eq!(v["Status"], "Active");
    assert!(is_datetime(&v["AddTime"]), "{v}");
    let empty_zip = [
        80u8, 75, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];
    assert_eq!(v["CodeSha256"], sha256_hex(&empty_zip));
    assert_eq!(
        v["Location"],
        format!("data:application/zip;base64,{EMPTY_ZIP}")
    );
    let v = ok(
        &server,
        "GetLayerVersion",
        json!({"LayerName": "Layer-B", "LayerVersion": 1}),
    )
    .await;
    assert_eq!(
        v["Location"],
        "https://bucket.cos.ap-beijing.myqcloud.com/l.zip"
    );

    // ListLayers: the latest version of each layer, filtered and paged.
    let r = ok(&server, "ListLayers", json!({})).await;
    assert_eq!(r["TotalCount"], 2);
    assert_eq!(names(&r["Layers"], "LayerName"), ["Layer-B", "layer-a"]);
    assert_eq!(numbers(&r["Layers"], "LayerVersion"), [1, 2]);
    assert_eq!(r["Layers"][1]["Stamp"], "default");
    assert_eq!(r["Layers"][1]["Tags"], json!([]));
    let r = ok(
        &server,
        "ListLayers",
        json!({"CompatibleRuntime": "Python3.9"}),
    )
    .await;
    assert_eq!(numbers(&r["Layers"], "LayerVersion"), [1, 1]);
    let r = ok(&server, "ListLayers", json!({"CompatibleRuntime": "Go1"})).await;
    assert_eq!(names(&r["Layers"], "LayerName"), ["Layer-B"]);
    let r = ok(&server, "ListLayers", json!({"SearchKey": "-b"})).await;
    assert_eq!(names(&r["Layers"], "LayerName"), ["Layer-B"]);
    let r = ok(&server, "ListLayers", json!({"Offset": 1, "Limit": 1})).await;
    assert_eq!(
        (
            r["TotalCount"].as_i64(),
            r["Layers"].as_array().unwrap().len()
        ),
        (Some(2), 1)
    );
    assert_eq!(r["Layers"][0]["LayerName"], "layer-a");
    let r = ok(&server, "ListLayers", json!({"Offset": 5})).await;
    assert_eq!(
        (
            r["TotalCount"].as_i64(),
            r["Layers"].as_array().unwrap().len()
        ),
        (Some(2), 0)
    );
    let r = ok(&server, "ListLayers", json!({"Limit": 0})).await;
    assert_eq!(r["Layers"], json!([]));
    fails(
        &server,
        "ListLayers",
        json!({"Limit": 101}),
        "InvalidParameterValue",
    )
    .await;
    fails(
        &server,
        "ListLayers",
        json!({"Offset": -1}),
        "InvalidParameterValue",
    )
    .await;
    fails(
        &server,
        "ListLayers",
        json!({"CompatibleRuntime": "Cobol"}),
        "InvalidParameterValue.Runtime",
    )
    .await;

    // ListLayerVersions: newest first, optionally by runtime.
    let r = ok(
        &server,
        "ListLayerVersions",
        json!({"LayerName": "layer-a"}),
    )
    .await;
    assert_eq!(numbers(&r["LayerVersions"], "LayerVersion"), [2, 1]);
    let r = ok(
        &server,
        "ListLayerVersions",
        json!({"LayerName": "layer-a", "CompatibleRuntime": ["Nodejs16.13"]}),
    )
    .await;
    assert_eq!(numbers(&r["LayerVersions"], "LayerVersion"), [2]);
    fails(
        &server,
        "ListLayerVersions",
        json!({"LayerName": "nope"}),
        "ResourceNotFound.Layer",
    )
    .await;
    fails(
        &server,
        "ListLayerVersions",
        json!({"LayerName": "9 lives"}),
        "InvalidParameterValue.Name",
    )
    .await;
    fails(
        &server,
        "ListLayerVersions",
        json!({"LayerName": "layer-a", "CompatibleRuntime": ["Cobol"]}),
        "InvalidParameterValue.Runtime",
    )
    .await;

    // A version bound to a function can still be deleted (the docs: users are unaffected).
    create_function(
        &server,
        "uses-layer",
        json!({"Layers": [{"LayerName": "layer-a", "LayerVersion": 1}]}),
    )
    .await;
    ok(
        &server,
        "DeleteLayerVersion",
        json!({"LayerName": "layer-a", "LayerVersion": 1}),
    )
    .await;
    for action in ["GetLayerVersion", "DeleteLayerVersion"] {
        for (name, version) in [("layer-a", 1), ("layer-a", 0), ("layer-a", -3), ("nope", 1)] {
            fails(
                &server,
                action,
                json!({"LayerName": name, "LayerVersion": version}),
                "ResourceNotFound.LayerVersion",
            )
            .await;
        }
    }
    // Deleting the last version hides the layer; numbering goes on.
    ok(
        &server,
        "DeleteLayerVersion",
        json!({"LayerName": "layer-a", "LayerVersion": 2}),
    )
    .await;
    fails(
        &server,
        "ListLayerVersions",
        json!({"LayerName": "layer-a"}),
        "ResourceNotFound.Layer",
    )
    .await;
    let r = ok(&server, "ListLayers", json!({})).await;
    assert_eq!(names(&r["Layers"], "LayerName"), ["Layer-B"]);
    let r = ok(&server, "PublishLayerVersion", zip("Java8")).await;
    assert_eq!(r["LayerVersion"], 3);
}

#[tokio::test]
async fn publish_layer_version_errors() {
    let server = Server::start().await.unwrap();
    let publish = |name: &str, runtimes: Value, content: Value| json!({"LayerName": name, "CompatibleRuntimes": runtimes, "Content": content});
    let zip = json!({"ZipFile": EMPTY_ZIP});
    for (body, code) in [
        (
            publish("1layer", json!(["Go1"]), zip.clone()),
            "InvalidParameterValue.LayerName",
        ),
        (
            publish("layer-", json!(["Go1"]), zip.clone()),
            "InvalidParameterValue.LayerName",
        ),
        (
            publish(&"a".repeat(65), json!(["Go1"]), zip.clone()),
            "InvalidParameterValue.LayerName",
        ),
        (
            publish("l", json!([]), zip.clone()),
            "InvalidParameterValue.CompatibleRuntimes",
        ),
        (
            publish("l", json!(["Go1", "Cobol"]), zip.clone()),
            "InvalidParameterValue.CompatibleRuntimes",
        ),
        (
            publish("l", json!(["Go1"]), json!({})),
            "InvalidParameterValue.Content",
        ),
        (
            publish(
                "l",
                json!(["Go1"]),
                json!({"ZipFile": EMPTY_ZIP, "TempCosObjectName": "t"}),
            ),
            "InvalidParameterValue.Content",
        ),
        (
            publish("l", json!(["Go1"]), json!({"ZipFile": "not base64!"})),
            "InvalidParameterValue.ZipFileBase64BinasciiError",
        ),
        (
            publish("l", json!(["Go1"]), json!({"CosBucketName": "b"})),
            "InvalidParameterValue.CosObjectName",
        ),
        (
            publish("l", json!(["Go1"]), json!({"CosObjectName": "o"})),
            "InvalidParameterValue.CosBucketName",
        ),
    ] {
        fails(&server, "PublishLayerVersion", body, code).await;
    }
    // Nothing was created by the failures.
    let r = ok(&server, "ListLayers", json!({})).await;
    assert_eq!(r["TotalCount"], 0);
}

// ---------------------------------------------------------------------------------------------
// Concurrency.

#[tokio::test]
async fn reserved_and_total_concurrency() {
    let server = Server::start().await.unwrap();
    create_function(&server, "f1", json!({})).await;
    create_function(&server, "f2", json!({})).await;
    let f1 = json!({"FunctionName": "f1"});

    let r = ok(&server, "GetReservedConcurrencyConfig", f1.clone()).await;
    assert_eq!(r["ReservedMem"], Value::Null);
    ok(
        &server,
        "PutReservedConcurrencyConfig",
        json!({"FunctionName": "f1", "ReservedConcurrencyMem": 12800}),
    )
    .await;
    let r = ok(&server, "GetReservedConcurrencyConfig", f1.clone()).await;
    assert_eq!(r["ReservedMem"], 12800);

    // All reservations together: at most 128000 - 12800 = 115200 MB.
    fails(
        &server,
        "PutReservedConcurrencyConfig",
        json!({"FunctionName": "f2", "ReservedConcurrencyMem": 102_401}),
        "LimitExceeded.FunctionReservedConcurrencyMemory",
    )
    .await;
    fails(
        &server,
        "PutReservedConcurrencyConfig",
        json!({"FunctionName": "f2", "ReservedConcurrencyMem": u64::MAX}),
        "LimitExceeded.FunctionReservedConcurrencyMemory",
    )
    .await;
    ok(
        &server,
        "PutReservedConcurrencyConfig",
        json!({"FunctionName": "f2", "ReservedConcurrencyMem": 102_400}),
    )
    .await;
    // Changing one's own reservation does not count it twice.
    ok(
        &server,
        "PutReservedConcurrencyConfig",
        json!({"FunctionName": "f2", "ReservedConcurrencyMem": 102_400}),
    )
    .await;

    // The account quota cannot go below what is reserved plus 12800.
    fails(
        &server,
        "PutTotalConcurrencyConfig",
        json!({"TotalConcurrencyMem": 127_999}),
        "FailedOperation.ReservedExceedTotal",
    )
    .await;
    ok(
        &server,
        "PutTotalConcurrencyConfig",
        json!({"TotalConcurrencyMem": 128_000}),
    )
    .await;
    fails(
        &server,
        "PutTotalConcurrencyConfig",
        json!({"TotalConcurrencyMem": 200_000, "Namespace": "nope"}),
        "ResourceNotFound.Namespace",
    )
    .await;

    let account = ok(&server, "GetAccount", json!({})).await;
    let usage = &account["AccountUsage"];
    assert_eq!(usage["NamespacesCount"], 1);
    assert_eq!(usage["TotalConcurrencyMem"], 128_000);
    assert_eq!(usage["UserConcurrencyMemLimit"], 128_000);
    assert_eq!(usage["TotalAllocatedConcurrencyMem"], 115_200);
    let ns = &usage["Namespace"][0];
    assert_eq!(ns["Namespace"], "default");
    assert_eq!(ns["Functions"], json!(["f1", "f2"]));
    assert_eq!(ns["FunctionsCount"], 2);
    assert_eq!(ns["TotalAllocatedConcurrencyMem"], 115_200);
    assert_eq!(ns["TotalAllocatedProvisionedMem"], 0);
    let limit = &account["AccountLimit"];
    assert_eq!(limit["NamespacesCount"], 5);
    let ns = &limit["Namespace"][0];
    assert_eq!(ns["Namespace"], "default");
    assert_eq!(ns["FunctionsCount"], 50);
    assert_eq!(ns["TimeoutLimit"], 900);
    assert_eq!(ns["RetryNumLimit"], 2);
    assert_eq!(
        (ns["MinMsgTTL"].as_i64(), ns["MaxMsgTTL"].as_i64()),
        (Some(60), Some(21_600))
    );
    assert_eq!(ns["Trigger"]["Total"], 110);
    assert_eq!(ns["Trigger"]["Eb"], 10);

    ok(
        &server,
        "DeleteReservedConcurrencyConfig",
        json!({"FunctionName": "f2"}),
    )
    .await;
    // Deleting again is harmless.
    ok(
        &server,
        "DeleteReservedConcurrencyConfig",
        json!({"FunctionName": "f2"}),
    )
    .await;
    let r = ok(
        &server,
        "GetReservedConcurrencyConfig",
        json!({"FunctionName": "f2"}),
    )
    .await;
    assert_eq!(r["ReservedMem"], Value::Null);
    ok(
        &server,
        "PutTotalConcurrencyConfig",
        json!({"TotalConcurrencyMem": 25_600, "Namespace": "default"}),
    )
    .await;
    let account = ok(&server, "GetAccount", json!({})).await;
    assert_eq!(account["AccountUsage"]["TotalConcurrencyMem"], 25_600);
    assert_eq!(
        account["AccountUsage"]["TotalAllocatedConcurrencyMem"],
        12_800
    );

    // Missing functions and namespaces.
    for action in [
        "GetReservedConcurrencyConfig",
        "DeleteReservedConcurrencyConfig",
    ] {
        fails(
            &server,
            action,
            json!({"FunctionName": "nope"}),
            "ResourceNotFound.Function",
        )
        .await;
        fails(
            &server,
            action,
            json!({"FunctionName": "f1", "Namespace": "nope"}),
            "ResourceNotFound.Namespace",
        )
        .await;
    }
    fails(
        &server,
        "PutReservedConcurrencyConfig",
        json!({"FunctionName": "nope", "ReservedConcurrencyMem": 128}),
        "ResourceNotFound.Function",
    )
    .await;
}

#[tokio::test]
async fn provisioned_concurrency() {
    let server = Server::start().await.unwrap();
    create_function(&server, "f1", json!({})).await;
    publish_version(&server, "f1").await;
    publish_version(&server, "f1").await;
    let put = |qualifier: &str, num: u64| json!({"FunctionName": "f1", "Qualifier": qualifier, "VersionProvisionedConcurrencyNum": num});

    // Only published versions.
    for (qualifier, code) in [
        ("$LATEST", "InvalidParameterValue.Qualifier"),
        ("prod", "InvalidParameterValue.Qualifier"),
        ("7", "ResourceNotFound.Version"),
    ] {
        fails(
            &server,
            "PutProvisionedConcurrencyConfig",
            put(qualifier, 1),
            code,
        )
        .await;
        fails(
            &server,
            "DeleteProvisionedConcurrencyConfig",
            json!({"FunctionName": "f1", "Qualifier": qualifier}),
            code,
        )
        .await;
        fails(
            &server,
            "GetProvisionedConcurrencyConfig",
            json!({"FunctionName": "f1", "Qualifier": qualifier}),
            code,
        )
        .await;
    }
    fails(
        &server,
        "PutProvisionedConcurrencyConfig",
        json!({"FunctionName": "nope", "Qualifier": "1", "VersionProvisionedConcurrencyNum": 1}),
        "ResourceNotFound.Function",
    )
    .await;

    // Nothing provisioned yet: the quota is 128000 / 128 - 100 = 900 instances.
    let r = ok(
        &server,
        "GetProvisionedConcurrencyConfig",
        json!({"FunctionName": "f1"}),
    )
    .await;
    assert_eq!(r["UnallocatedConcurrencyNum"], 900);
    assert_eq!(r["Allocated"], json!([]));

    let mut body = put("1", 10);
    body["TriggerActions"] = json!([{
        "TriggerName": "timer-1",
        "TriggerProvisionedConcurrencyNum": 20,
        "TriggerCronConfig": "30 42 15 20 12 * 2030",
    }]);
    ok(&server, "PutProvisionedConcurrencyConfig", body.clone()).await;
    let r = ok(
        &server,
        "GetProvisionedConcurrencyConfig",
        json!({"FunctionName": "f1", "Qualifier": "1"}),
    )
    .await;
    assert_eq!(r["UnallocatedConcurrencyNum"], 890);
    assert_eq!(
        r["Allocated"],
        json!([{
            "AllocatedProvisionedConcurrencyNum": 10,
            "AvailableProvisionedConcurrencyNum": 10,
            "Status": "Done",
            "StatusReason": "",
            "Qualifier": "1",
            "TriggerActions": [{
                "TriggerName": "timer-1",
                "TriggerProvisionedConcurrencyNum": 20,
                "TriggerCronConfig": "30 42 15 20 12 * 2030",
                "ProvisionedType": "Default",
            }],
        }])
    );

    // The sum over versions stays within the quota.
    fails(
        &server,
        "PutProvisionedConcurrencyConfig",
        put("2", 891),
        "LimitExceeded.FunctionTotalProvisionedConcurrencyNum",
    )
    .await;
    fails(
        &server,
        "PutProvisionedConcurrencyConfig",
        put("2", u64::MAX),
        "LimitExceeded.FunctionTotalProvisionedConcurrencyNum",
    )
    .await;
    ok(&server, "PutProvisionedConcurrencyConfig", put("2", 890)).await;
    let r = ok(
        &server,
        "GetProvisionedConcurrencyConfig",
        json!({"FunctionName": "f1"}),
    )
    .await;
    assert_eq!(r["UnallocatedConcurrencyNum"], 0);
    assert_eq!(names(&r["Allocated"], "Qualifier"), ["1", "2"]);
    // Replacing a version's setting does not count the old one.
    ok(&server, "PutProvisionedConcurrencyConfig", put("1", 10)).await;
    let account = ok(&server, "GetAccount", json!({})).await;
    assert_eq!(
        account["AccountUsage"]["Namespace"][0]["TotalAllocatedProvisionedMem"],
        900 * 128
    );
    assert_eq!(
        account["AccountUsage"]["TotalAllocatedConcurrencyMem"],
        900 * 128
    );
    // The account quota must cover the provisioned memory.
    fails(
        &server,
        "PutTotalConcurrencyConfig",
        json!({"TotalConcurrencyMem": 900 * 128 + 12_799}),
        "FailedOperation.ReservedExceedTotal",
    )
    .await;

    // A reservation below the provisioned memory is refused.
    fails(
        &server,
        "PutReservedConcurrencyConfig",
        json!({"FunctionName": "f1", "ReservedConcurrencyMem": 12_800}),
        "FailedOperation.ProvisionedExceedReserved",
    )
    .await;

    // Delete.
    ok(
        &server,
        "DeleteProvisionedConcurrencyConfig",
        json!({"FunctionName": "f1", "Qualifier": "2"}),
    )
    .await;
    fails(
        &server,
        "DeleteProvisionedConcurrencyConfig",
        json!({"FunctionName": "f1", "Qualifier": "2"}),
        "ResourceNotFound",
    )
    .await;

    // With a reservation of 25600 MB the quota is 25600 / 128 - 100 = 100 instances.
    ok(
        &server,
        "PutReservedConcurrencyConfig",
        json!({"FunctionName": "f1", "ReservedConcurrencyMem": 25_600}),
    )
    .await;
    let r = ok(
        &server,
        "GetProvisionedConcurrencyConfig",
        json!({"FunctionName": "f1"}),
    )
    .await;
    assert_eq!(r["UnallocatedConcurrencyNum"], 90);
    fails(
        &server,
        "PutProvisionedConcurrencyConfig",
        put("2", 91),
        "LimitExceeded.FunctionTotalProvisionedConcurrencyNum",
    )
    .await;
    ok(&server, "PutProvisionedConcurrencyConfig", put("2", 90)).await;
}

#[tokio::test]
async fn provisioned_concurrency_modes_and_schedules() {
    let server = Server::start().await.unwrap();
    create_function(&server, "f1", json!({})).await;
    publish_version(&server, "f1").await;
    let with = |extra: Value| {
        let mut body =
            json!({"FunctionName": "f1", "Qualifier": "1", "VersionProvisionedConcurrencyNum": 0});
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        body
    };
    let tracking = |target: f64, min: u64, max: u64| {
        with(json!({
            "ProvisionedType": "ConcurrencyUtilizationTracking",
            "TrackingTarget": target, "MinCapacity": min, "MaxCapacity": max,
        }))
    };
    let action = |name: &str, num: u64, cron: &str| json!({"TriggerName": name, "TriggerProvisionedConcurrencyNum": num, "TriggerCronConfig": cron});
    let cron = "0 0 8 * * * *";
    for (body, code) in [
        (
            with(json!({"ProvisionedType": "Dynamic"})),
            "InvalidParameterValue.ProvisionType",
        ),
        (tracking(1.0, 1, 10), "InvalidParameterValue.TrackingTarget"),
        (
            tracking(0.555, 1, 10),
            "InvalidParameterValue.TrackingTarget",
        ),
        (tracking(0.5, 0, 10), "InvalidParameterValue.MinCapacity"),
        (tracking(0.5, 11, 10), "InvalidParameterValue.MinCapacity"),
        (tracking(0.5, 1, 901), "LimitExceeded.MaxCapacity"),
        (
            with(
                json!({"ProvisionedType": "ConcurrencyUtilizationTracking", "TrackingTarget": 0.5}),
            ),
            "MissingParameter",
        ),
        (
            with(
                json!({"TriggerActions": [action("a", 1, cron), action("a", 1, "0 0 9 * * * *")]}),
            ),
            "InvalidParameterValue.ProvisionTriggerNameDuplicate",
        ),
        (
            with(json!({"TriggerActions": [action("a", 1, cron), action("b", 1, cron)]})),
            "InvalidParameterValue.ProvisionTriggerCronConfigDuplicate",
        ),
        (
            with(json!({"TriggerActions": [action("a", 1, "0 8 * * *")]})),
            "InvalidParameterValue.TriggerCronConfig",
        ),
        (
            with(json!({"TriggerActions": [action("", 1, cron)]})),
            "InvalidParameterValue.ProvisionTriggerName",
        ),
        (
            with(json!({"TriggerActions": [action("a", 901, cron)]})),
            "InvalidParameterValue.TriggerProvisionedConcurrencyNum",
        ),
    ] {
        fails(&server, "PutProvisionedConcurrencyConfig", body, code).await;
    }
    let mut nonzero = tracking(0.5, 1, 10);
    nonzero["VersionProvisionedConcurrencyNum"] = json!(3);
    fails(
        &server,
        "PutProvisionedConcurrencyConfig",
        nonzero,
        "InvalidParameterValue",
    )
    .await;

    // Target tracking allocates the minimum capacity.
    ok(
        &server,
        "PutProvisionedConcurrencyConfig",
        tracking(0.75, 4, 10),
    )
    .await;
    let r = ok(
        &server,
        "GetProvisionedConcurrencyConfig",
        json!({"FunctionName": "f1"}),
    )
    .await;
    assert_eq!(r["Allocated"][0]["AllocatedProvisionedConcurrencyNum"], 4);
    assert_eq!(r["Allocated"][0]["TriggerActions"], json!([]));
    assert_eq!(r["UnallocatedConcurrencyNum"], 896);

    // Deleting the function version drops its provisioning from the sums.
    ok(
        &server,
        "DeleteFunction",
        json!({"FunctionName": "f1", "Qualifier": "1"}),
    )
    .await;
    let r = ok(
        &server,
        "GetProvisionedConcurrencyConfig",
        json!({"FunctionName": "f1"}),
    )
    .await;
    assert_eq!(r["Allocated"], json!([]));
    assert_eq!(r["UnallocatedConcurrencyNum"], 900);
}

#[tokio::test]
async fn function_event_invoke_config() {
    let server = Server::start().await.unwrap();
    create_function(&server, "f1", json!({})).await;
    let r = ok(
        &server,
        "GetFunctionEventInvokeConfig",
        json!({"FunctionName": "f1"}),
    )
    .await;
    assert_eq!(
        r["AsyncTriggerConfig"],
        json!({"RetryConfig": [{"RetryNum": 2}], "MsgTTL": 21_600})
    );
    let update = |retry: i64, ttl: i64| {
        json!({
            "FunctionName": "f1",
            "AsyncTriggerConfig": {"RetryConfig": [{"RetryNum": retry}], "MsgTTL": ttl},
        })
    };
    ok(&server, "UpdateFunctionEventInvokeConfig", update(0, 60)).await;
    ok(&server, "UpdateFunctionEventInvokeConfig", update(1, 3600)).await;
    let r = ok(
        &server,
        "GetFunctionEventInvokeConfig",
        json!({"FunctionName": "f1", "Qualifier": "$LATEST"}),
    )
    .await;
    assert_eq!(
        r["AsyncTriggerConfig"],
        json!({"RetryConfig": [{"RetryNum": 1}], "MsgTTL": 3600})
    );

    for (body, code) in [
        (update(3, 3600), "LimitExceeded.RetryNum"),
        (update(-1, 3600), "InvalidParameterValue.AsyncTriggerConfig"),
        (update(1, 21_601), "LimitExceeded.MsgTTL"),
        (update(1, 59), "InvalidParameterValue.AsyncTriggerConfig"),
        (
            json!({"FunctionName": "f1", "AsyncTriggerConfig": {"RetryConfig": [], "MsgTTL": 60}}),
            "InvalidParameterValue.AsyncTriggerConfig",
        ),
        (
            json!({"FunctionName": "nope", "AsyncTriggerConfig": {"RetryConfig": [{"RetryNum": 1}], "MsgTTL": 60}}),
            "ResourceNotFound.Function",
        ),
    ] {
        fails(&server, "UpdateFunctionEventInvokeConfig", body, code).await;
    }
    fails(
        &server,
        "GetFunctionEventInvokeConfig",
        json!({"FunctionName": "f1", "Qualifier": "5"}),
        "ResourceNotFound.Version",
    )
    .await;
    fails(
        &server,
        "GetFunctionEventInvokeConfig",
        json!({"FunctionName": "nope"}),
        "ResourceNotFound.Function",
    )
    .await;
    fails(
        &server,
        "GetFunctionEventInvokeConfig",
        json!({"FunctionName": "f1", "Namespace": "nope"}),
        "ResourceNotFound.Namespace",
    )
    .await;
    // Published versions are valid qualifiers.
    publish_version(&server, "f1").await;
    ok(
        &server,
        "GetFunctionEventInvokeConfig",
        json!({"FunctionName": "f1", "Qualifier": "1"}),
    )
    .await;
}

// ---------------------------------------------------------------------------------------------
// Custom domains.

fn route(function: &str, path: &str) -> Value {
    json!({"FunctionName": function, "PathMatch": path})
}

async fn create_domain(server: &Server, domain: &str) {
    ok(
        server,
        "CreateCustomDomain",
        json!({"Domain": domain, "Protocol": "HTTP", "EndpointsConfig": [route("test1", "/")]}),
    )
    .await;
    // Distinct creation times for the ordering checks.
    tokio::time::sleep(Duration::from_millis(5)).await;
}

#[tokio::test]
async fn custom_domains() {
    let server = Server::start().await.unwrap();
    create_function(&server, "test1", json!({})).await;
    ok(
        &server,
        "CreateCustomDomain",
        json!({
            "Domain": "WWW.Demo.com",
            "Protocol": "HTTP&HTTPS",
            "EndpointsConfig": [{
                "Namespace": "default", "FunctionName": "test1", "Qualifier": "$LATEST",
                "PathMatch": "/aa/*",
                "PathRewrite": [{"Path": "/aa/bb/*", "Type": "WildcardRules", "Rewrite": "/$"}],
            }, route("test1", "/")],
            "CertConfig": {"CertificateId": "cert-1"},
            "WafConfig": {"WafOpen": "OPEN", "WafInstanceId": "waf_1"},
            "Tags": [{"Key": "team", "Value": "a"}],
        }),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(5)).await;
    let r = ok(
        &server,
        "GetCustomDomain",
        json!({"Domain": "www.demo.com"}),
    )
    .await;
    assert_eq!(r["Domain"], "www.demo.com");
    assert_eq!(r["Protocol"], "HTTP&HTTPS");
    assert_eq!(r["CertConfig"], json!({"CertificateId": "cert-1"}));
    assert_eq!(
        r["WafConfig"],
        json!({"WafOpen": "OPEN", "WafInstanceId": "waf_1"})
    );
    assert_eq!(r["Tags"], json!([{"Key": "team", "Value": "a"}]));
    assert_eq!(r["EndpointsConfig"][0]["PathRewrite"][0]["Rewrite"], "/$");
    // Defaults are filled in.
    assert_eq!(
        r["EndpointsConfig"][1],
        json!({"Namespace": "default", "FunctionName": "test1", "Qualifier": "$LATEST", "PathMatch": "/", "PathRewrite": []})
    );
    assert!(r.get("AddTime").is_none(), "{r}");

    create_domain(&server, "b.demo.com").await;
    create_domain(&server, "c.demo.com").await;
    let r = ok(&server, "GetCustomDomain", json!({"Domain": "b.demo.com"})).await;
    assert_eq!(
        r["WafConfig"],
        json!({"WafOpen": "CLOSE", "WafInstanceId": ""})
    );
    assert_eq!(r["CertConfig"], json!({"CertificateId": ""}));
    assert_eq!(r["Tags"], json!([]));

    // Create errors.
    let create = |domain: &str, protocol: &str, endpoints: Value| json!({"Domain": domain, "Protocol": protocol, "EndpointsConfig": endpoints});
    let routes = json!([route("test1", "/")]);
    for (body, code) in [
        (
            create("www.DEMO.com", "HTTP", routes.clone()),
            "ResourceInUse",
        ),
        (
            create("*.demo.com", "HTTP", routes.clone()),
            "InvalidParameterValue.Domain",
        ),
        (
            create("demo", "HTTP", routes.clone()),
            "InvalidParameterValue.Domain",
        ),
        (
            create("x.demo.com", "FTP", routes.clone()),
            "InvalidParameterValue",
        ),
        (
            create("x.demo.com", "HTTPS", routes.clone()),
            "InvalidParameterValue",
        ),
        (
            create("x.demo.com", "HTTP", json!([])),
            "InvalidParameterValue",
        ),
        (
            create("x.demo.com", "HTTP", json!([route("nope", "/")])),
            "ResourceNotFound",
        ),
        (
            create(
                "x.demo.com",
                "HTTP",
                json!([{"FunctionName": "test1", "Namespace": "nope"}]),
            ),
            "ResourceNotFound",
        ),
        (
            create(
                "x.demo.com",
                "HTTP",
                json!([{"FunctionName": "test1", "Qualifier": "3"}]),
            ),
            "ResourceNotFound",
        ),
        (
            create("x.demo.com", "HTTP", json!([route("test1", "aa")])),
            "InvalidParameterValue",
        ),
        (
            create(
                "x.demo.com",
                "HTTP",
                json!([route("test1", "/a"), route("test1", "/a")]),
            ),
            "InvalidParameterValue",
        ),
        (
            create(
                "x.demo.com",
                "HTTP",
                json!([{"FunctionName": "test1", "PathRewrite": [{"Path": "/", "Type": "Regex", "Rewrite": "/"}]}]),
            ),
            "InvalidParameterValue",
        ),
        (
            create("x.demo.com", "HTTP", json!([{"PathMatch": "/"}])),
            "InvalidParameterValue",
        ),
    ] {
        fails(&server, "CreateCustomDomain", body, code).await;
    }
    let mut waf = create("x.demo.com", "HTTP", routes.clone());
    waf["WafConfig"] = json!({"WafOpen": "OPEN"});
    fails(&server, "CreateCustomDomain", waf, "InvalidParameterValue").await;

    // Get errors.
    fails(
        &server,
        "GetCustomDomain",
        json!({"Domain": "x.demo.com"}),
        "FailedOperation.Domain.UnExist",
    )
    .await;
    fails(&server, "GetCustomDomain", json!({}), "MissingParameter").await;

    // List: newest first by default, paged, sorted, filtered.
    let r = ok(&server, "ListCustomDomains", json!({})).await;
    assert_eq!(r["Total"], 3);
    assert_eq!(
        names(&r["Domains"], "Domain"),
        ["c.demo.com", "b.demo.com", "www.demo.com"]
    );
    assert!(r["Domains"][0].get("AddTime").is_none());
    let r = ok(&server, "ListCustomDomains", json!({"Order": "ASC"})).await;
    assert_eq!(
        names(&r["Domains"], "Domain"),
        ["www.demo.com", "b.demo.com", "c.demo.com"]
    );
    let r = ok(
        &server,
        "ListCustomDomains",
        json!({"Offset": 1, "Limit": 1}),
    )
    .await;
    assert_eq!(r["Total"], 3);
    assert_eq!(names(&r["Domains"], "Domain"), ["b.demo.com"]);
    let r = ok(&server, "ListCustomDomains", json!({"Offset": 3})).await;
    assert_eq!(
        (r["Total"].as_i64(), r["Domains"].as_array().unwrap().len()),
        (Some(3), 0)
    );
    let r = ok(&server, "ListCustomDomains", json!({"Limit": 100})).await;
    assert_eq!(r["Domains"].as_array().unwrap().len(), 3);
    let filter = |name: &str, values: Value| json!({"Filters": [{"Name": name, "Values": values}]});
    let r = ok(
        &server,
        "ListCustomDomains",
        filter("Domain", json!(["WWW"])),
    )
    .await;
    assert_eq!(names(&r["Domains"], "Domain"), ["www.demo.com"]);
    let r = ok(
        &server,
        "ListCustomDomains",
        filter("Protocol", json!(["HTTP"])),
    )
    .await;
    assert_eq!(r["Total"], 2);
    let r = ok(
        &server,
        "ListCustomDomains",
        filter("FunctionName", json!(["test1", "other"])),
    )
    .await;
    assert_eq!(r["Total"], 3);
    let r = ok(
        &server,
        "ListCustomDomains",
        filter("Namespace", json!(["other"])),
    )
    .await;
    assert_eq!(r["Total"], 0);
    for (body, code) in [
        (json!({"Limit": 101}), "InvalidParameterValue.Limit"),
        (json!({"Order": "UP"}), "InvalidParameterValue.Order"),
        (json!({"OrderBy": "Name"}), "InvalidParameterValue"),
        (filter("Color", json!(["red"])), "InvalidParameterValue"),
        (
            json!({"Filters": vec![json!({"Name": "Domain", "Values": ["a"]}); 11]}),
            "InvalidParameterValue",
        ),
    ] {
        fails(&server, "ListCustomDomains", body, code).await;
    }

    // Update.
    fails(
        &server,
        "UpdateCustomDomain",
        json!({"Domain": "b.demo.com", "Protocol": "HTTPS"}),
        "FailedOperation.Ssl",
    )
    .await;
    fails(
        &server,
        "UpdateCustomDomain",
        json!({"Domain": "x.demo.com", "Protocol": "HTTP"}),
        "ResourceNotFound",
    )
    .await;
    for body in [
        json!({"Domain": "b.demo.com", "Protocol": "FTP"}),
        json!({"Domain": "b.demo.com", "WafConfig": {"WafOpen": "maybe"}}),
        json!({"Domain": "b.demo.com", "EndpointsConfig": [route("test1", "/a b")]}),
    ] {
        fails(&server, "UpdateCustomDomain", body, "InvalidParameterValue").await;
    }
    fails(
        &server,
        "UpdateCustomDomain",
        json!({"Domain": "b.demo.com", "EndpointsConfig": [route("nope", "/")]}),
        "ResourceNotFound",
    )
    .await;
    ok(
        &server,
        "UpdateCustomDomain",
        json!({
            "Domain": "B.demo.com",
            "Protocol": "HTTPS",
            "CertConfig": {"CertificateId": "cert-2"},
            "EndpointsConfig": [route("test1", "/v2/*")],
        }),
    )
    .await;
    let r = ok(&server, "GetCustomDomain", json!({"Domain": "b.demo.com"})).await;
    assert_eq!(r["Protocol"], "HTTPS");
    assert_eq!(r["CertConfig"]["CertificateId"], "cert-2");
    assert_eq!(r["EndpointsConfig"][0]["PathMatch"], "/v2/*");
    // The certificate stays, so the HTTPS domain can be updated without naming it again.
    ok(
        &server,
        "UpdateCustomDomain",
        json!({"Domain": "b.demo.com", "WafConfig": {"WafOpen": "CLOSE"}}),
    )
    .await;
    let r = ok(&server, "ListCustomDomains", json!({"OrderBy": "ModTime"})).await;
    assert_eq!(names(&r["Domains"], "Domain")[0], "b.demo.com");

    // Delete.
    ok(
        &server,
        "DeleteCustomDomain",
        json!({"Domain": "www.demo.com"}),
    )
    .await;
    fails(
        &server,
        "DeleteCustomDomain",
        json!({"Domain": "www.demo.com"}),
        "ResourceNotFound",
    )
    .await;
    fails(&server, "DeleteCustomDomain", json!({}), "MissingParameter").await;
    let r = ok(&server, "ListCustomDomains", json!({})).await;
    assert_eq!(r["Total"], 2);
}
