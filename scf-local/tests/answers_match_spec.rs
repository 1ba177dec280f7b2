//! Every successful answer of the stateful scf-local matches the spec's output members: a whole
//! lifecycle over real TCP with signed requests (see `support/`), every answer checked with
//! [`Catalog::check_answer`] (the rules are in its docs), and every action of the spec answered
//! successfully at least once.
//!
//! [`Catalog::check_answer`]: scf_local::Catalog::check_answer

use std::collections::BTreeSet;
use std::time::Duration;

use scf_local::{CATALOG, Server};
use serde_json::{Value, json};

mod support;
use support::*;

/// The `ZipFile` of an empty ZIP archive.
const EMPTY_ZIP: &str = "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==";

/// Sends requests and checks their answers.
struct Checker<'s> {
    server: &'s Server,
    /// Actions answered successfully at least once.
    answered: BTreeSet<&'static str>,
    /// Every problem found, without repeats.
    problems: BTreeSet<String>,
}

impl Checker<'_> {
    /// Sends `action` with `body`; it must succeed. Checks the answer and returns it.
    async fn ok(&mut self, action: &'static str, body: Value) -> Value {
        let response = call(self.server, action, body).await;
        assert!(response.get("Error").is_none(), "{action}: {response}");
        let mut answer = response.as_object().unwrap().clone();
        assert!(answer.remove("RequestId").is_some_and(|id| id.is_string()));
        if let Err(problems) = CATALOG.check_answer(action, &answer) {
            self.problems.extend(problems);
        }
        self.answered.insert(action);
        response
    }
}

#[tokio::test]
async fn every_answer_of_a_whole_lifecycle_matches_the_spec() {
    let server = Server::builder()
        .async_delay(Duration::from_millis(50))
        .start()
        .await
        .unwrap();
    let mut c = Checker {
        server: &server,
        answered: BTreeSet::new(),
        problems: BTreeSet::new(),
    };
    let f = json!({"FunctionName": "hello"});
    let with = |extra: Value| {
        let mut body = f.clone();
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };

    // Account and namespaces.
    c.ok("GetAccount", json!({})).await;
    c.ok(
        "CreateNamespace",
        json!({"Namespace": "team", "Description": "A team."}),
    )
    .await;
    c.ok(
        "UpdateNamespace",
        json!({"Namespace": "team", "Description": "The team."}),
    )
    .await;
    c.ok("ListNamespaces", json!({})).await;

    // Functions.
    c.ok(
        "CreateFunction",
        with(json!({
            "Code": {"ZipFile": EMPTY_ZIP},
            "Handler": "index.main",
            "Runtime": "Python3.9",
            "Description": "Says hello.",
            "MemorySize": 256,
            "Timeout": 10,
            "Environment": {"Variables": [{"Key": "MODE", "Value": "test"}]},
            "Tags": [{"Key": "team", "Value": "a"}],
        })),
    )
    .await;
    c.ok("GetFunction", f.clone()).await;
    c.ok("ListFunctions", json!({})).await;
    c.ok(
        "ListFunctions",
        json!({"Filters": [{"Name": "Runtime", "Values": ["Python3.9"]}], "Limit": 5}),
    )
    .await;
    c.ok(
        "UpdateFunctionConfiguration",
        with(json!({"Description": "Says hello again.", "Timeout": 20})),
    )
    .await;
    c.ok(
        "UpdateFunctionCode",
        with(json!({"ZipFile": EMPTY_ZIP, "Handler": "index.main"})),
    )
    .await;
    c.ok("GetFunctionAddress", f.clone()).await;
    c.ok(
        "CopyFunction",
        with(json!({"NewFunctionName": "copy", "TargetNamespace": "team",
                     "CopyConfiguration": true})),
    )
    .await;

    // Versions and aliases.
    c.ok("PublishVersion", with(json!({"Description": "v1"})))
        .await;
    c.ok("PublishVersion", with(json!({"Description": "v2"})))
        .await;
    c.ok("ListVersionByFunction", f.clone()).await;
    c.ok("GetFunction", with(json!({"Qualifier": "1"}))).await;
    c.ok(
        "CreateAlias",
        with(json!({"Name": "prod", "FunctionVersion": "1", "Description": "Production."})),
    )
    .await;
    c.ok(
        "UpdateAlias",
        with(json!({"Name": "prod", "FunctionVersion": "1",
                     "RoutingConfig": {"AdditionalVersionWeights": [{"Version": "2", "Weight": 0.5}]}})),
    )
    .await;
    c.ok("GetAlias", with(json!({"Name": "prod"}))).await;
    c.ok("ListAliases", f.clone()).await;

    // Triggers.
    let timer = with(json!({"TriggerName": "every-minute", "Type": "timer"}));
    let mut create = timer.clone();
    create["TriggerDesc"] = json!("0 */1 * * * * *");
    c.ok("CreateTrigger", create).await;
    c.ok("ListTriggers", f.clone()).await;
    let mut update = timer.clone();
    update["TriggerDesc"] = json!("0 */2 * * * * *");
    update["Enable"] = json!("CLOSE");
    c.ok("UpdateTrigger", update).await;
    let mut status = timer.clone();
    status["Enable"] = json!("OPEN");
    c.ok("UpdateTriggerStatus", status).await;
    c.ok("GetFunction", f.clone()).await;

    // Invocations, their records and logs.
    let run = c
        .ok(
            "Invoke",
            with(json!({"ClientContext": "{\"a\":1}", "LogType": "Tail"})),
        )
        .await;
    let request_id = run["Result"]["FunctionRequestId"]
        .as_str()
        .unwrap()
        .to_owned();
    c.ok(
        "InvokeFunction",
        with(json!({"Event": "{\"b\":2}", "LogType": "Tail"})),
    )
    .await;
    c.ok(
        "GetRequestStatus",
        with(json!({"FunctionRequestId": request_id})),
    )
    .await;
    c.ok("GetFunctionLogs", f.clone()).await;
    c.ok(
        "GetFunctionLogs",
        with(json!({"FunctionRequestId": request_id, "Limit": 1})),
    )
    .await;
    c.ok(
        "UpdateFunctionEventInvokeConfig",
        with(json!({"AsyncTriggerConfig": {"RetryConfig": [{"RetryNum": 1}], "MsgTTL": 3600}})),
    )
    .await;
    c.ok("GetFunctionEventInvokeConfig", f.clone()).await;
    let queued = c
        .ok("Invoke", with(json!({"InvocationType": "Event"})))
        .await;
    let event = queued["Result"]["FunctionRequestId"]
        .as_str()
        .unwrap()
        .to_owned();
    c.ok("GetAsyncEventStatus", json!({"InvokeRequestId": event}))
        .await;
    c.ok("ListAsyncEvents", f.clone()).await;
    c.ok(
        "TerminateAsyncEvent",
        with(json!({"InvokeRequestId": event})),
    )
    .await;
    let later = c
        .ok("Invoke", with(json!({"InvocationType": "Event"})))
        .await;
    let later = later["Result"]["FunctionRequestId"]
        .as_str()
        .unwrap()
        .to_owned();
    tokio::time::sleep(Duration::from_millis(300)).await;
    c.ok("GetAsyncEventStatus", json!({"InvokeRequestId": later}))
        .await;
    c.ok("ListAsyncEvents", with(json!({"Limit": 10}))).await;
    c.ok(
        "GetRequestStatus",
        with(json!({"FunctionRequestId": later})),
    )
    .await;

    // Concurrency.
    c.ok(
        "PutTotalConcurrencyConfig",
        json!({"TotalConcurrencyMem": 128_000}),
    )
    .await;
    c.ok(
        "PutReservedConcurrencyConfig",
        with(json!({"ReservedConcurrencyMem": 51_200})),
    )
    .await;
    c.ok("GetReservedConcurrencyConfig", f.clone()).await;
    c.ok(
        "PutProvisionedConcurrencyConfig",
        with(json!({"Qualifier": "1", "VersionProvisionedConcurrencyNum": 2})),
    )
    .await;
    c.ok("GetProvisionedConcurrencyConfig", f.clone()).await;
    c.ok(
        "GetProvisionedConcurrencyConfig",
        with(json!({"Qualifier": "1"})),
    )
    .await;
    c.ok("GetAccount", json!({})).await;
    c.ok(
        "DeleteProvisionedConcurrencyConfig",
        with(json!({"Qualifier": "1"})),
    )
    .await;
    c.ok("DeleteReservedConcurrencyConfig", f.clone()).await;

    // Layers.
    let layer = json!({"LayerName": "tools", "CompatibleRuntimes": ["Python3.9"],
                       "Content": {"ZipFile": EMPTY_ZIP}, "Description": "Tools."});
    c.ok("PublishLayerVersion", layer.clone()).await;
    c.ok("PublishLayerVersion", layer).await;
    c.ok("ListLayers", json!({})).await;
    c.ok("ListLayerVersions", json!({"LayerName": "tools"}))
        .await;
    c.ok(
        "GetLayerVersion",
        json!({"LayerName": "tools", "LayerVersion": 1}),
    )
    .await;
    c.ok(
        "UpdateFunctionConfiguration",
        with(json!({"Layers": [{"LayerName": "tools", "LayerVersion": 2}]})),
    )
    .await;
    c.ok("GetFunction", f.clone()).await;
    c.ok(
        "DeleteLayerVersion",
        json!({"LayerName": "tools", "LayerVersion": 1}),
    )
    .await;

    // Custom domains.
    c.ok(
        "CreateCustomDomain",
        json!({"Domain": "www.example.com", "Protocol": "HTTP",
               "EndpointsConfig": [{"Namespace": "default", "FunctionName": "hello",
                                    "Qualifier": "$LATEST", "PathMatch": "/hello/*"}]}),
    )
    .await;
    c.ok("GetCustomDomain", json!({"Domain": "www.example.com"}))
        .await;
    c.ok(
        "UpdateCustomDomain",
        json!({"Domain": "www.example.com", "Protocol": "HTTP&HTTPS",
               "CertConfig": {"CertificateId": "cert-1"}}),
    )
    .await;
    c.ok("ListCustomDomains", json!({})).await;
    c.ok("DeleteCustomDomain", json!({"Domain": "www.example.com"}))
        .await;

    // Tearing down.
    c.ok("DeleteTrigger", timer).await;
    c.ok("DeleteAlias", with(json!({"Name": "prod"}))).await;
    c.ok("DeleteFunctionVersion", with(json!({"Qualifier": "2"})))
        .await;
    c.ok("DeleteFunction", f.clone()).await;
    c.ok(
        "DeleteFunction",
        json!({"FunctionName": "copy", "Namespace": "team"}),
    )
    .await;
    c.ok("DeleteNamespace", json!({"Namespace": "team"})).await;
    c.ok("ListFunctions", json!({})).await;

    let unanswered: Vec<&str> = CATALOG
        .actions
        .iter()
        .map(|a| a.name)
        .filter(|name| !c.answered.contains(name))
        .collect();
    assert!(
        unanswered.is_empty(),
        "actions never answered successfully: {unanswered:?}"
    );
    let found: Vec<&str> = c.problems.iter().map(String::as_str).collect();
    assert!(
        found.is_empty(),
        "answers that do not match the spec:\n{}",
        found.join("\n")
    );
}
