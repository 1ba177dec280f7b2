//! Response bodies the bench server sends and the serde benchmarks decode.
//!
//! `fixtures/*.json` hold objects with every member the spec documents filled in, nested types
//! and lists included (the unit tests below check that none is missing), so decoding them costs
//! what the largest real answers cost.

use serde_json::{Value, json};

/// `GetFunction`'s answer with every member set, envelope included.
pub const GET_FUNCTION: &str = include_str!("../fixtures/get_function.json");
/// One `Function` of a `ListFunctions` answer, every member set.
const FUNCTION: &str = include_str!("../fixtures/function.json");
/// One `RequestStatus` of a `GetRequestStatus` answer, every member set.
const REQUEST_STATUS: &str = include_str!("../fixtures/request_status.json");

fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("fixtures are valid JSON")
}

fn envelope(mut response: Value, request_id: &str) -> String {
    response["RequestId"] = json!(request_id);
    json!({ "Response": response }).to_string()
}

/// `Invoke`'s answer: the function returned a short string.
pub fn invoke() -> String {
    envelope(
        json!({
            "Result": {
                "Log": "",
                "RetMsg": "\"hello from scf\"",
                "ErrMsg": "",
                "MemUsage": 3_207_168,
                "Duration": 0.826,
                "BillDuration": 1,
                "FunctionRequestId": "6add56fa-58f1-11e8-89a9-5254005d5fdb",
                "InvokeResult": 0
            }
        }),
        "c2af8a64-c922-4d55-aee0-bd86a5c2cd12",
    )
}

/// `GetFunction`'s answer, compact.
pub fn get_function() -> String {
    parse(GET_FUNCTION).to_string()
}

/// `ListFunctions`' answer with `n` functions.
pub fn list_functions(n: usize) -> String {
    let template = parse(FUNCTION);
    let functions: Vec<Value> = (0..n)
        .map(|i| {
            let mut f = template.clone();
            f["FunctionName"] = json!(format!("function-{i:04}"));
            f["FunctionId"] = json!(format!("lam-{i:08x}"));
            f
        })
        .collect();
    envelope(
        json!({ "Functions": functions, "TotalCount": n }),
        "f5a6c8b4-2a1e-4f53-9f3e-0c6f7e9f3a10",
    )
}

/// `GetRequestStatus`' answer with `n` records.
pub fn get_request_status(n: usize) -> String {
    let template = parse(REQUEST_STATUS);
    let records: Vec<Value> = (0..n)
        .map(|i| {
            let mut r = template.clone();
            r["RequestId"] = json!(format!("96d91886-f49b-4962-825e-{i:012x}"));
            r
        })
        .collect();
    envelope(
        json!({ "Data": records, "TotalCount": n }),
        "a63607c3-581f-4be9-8c4b-631c75909f07",
    )
}

/// The error envelope the service sends for an action it does not know.
pub fn invalid_action(action: &str) -> String {
    envelope(
        json!({ "Error": { "Code": "InvalidAction", "Message": format!("unknown action {action}") } }),
        "0d5b5b2c-1f55-4a0c-a1de-5b8e0d1c4b61",
    )
}

/// A `CreateFunction` request with the members a real deployment sets.
pub fn create_function_request() -> scf_api::actions::CreateFunctionRequest {
    use scf_api::types::{Code, Environment, Tag, Variable, VpcConfig};
    scf_api::actions::CreateFunctionRequest {
        function_name: Some("orders-api".into()),
        code: Some(Code {
            cos_bucket_name: Some("deployments-1250000000".into()),
            cos_object_name: Some("/orders-api/2024-12-25/code.zip".into()),
            cos_bucket_region: Some("ap-guangzhou".into()),
            ..Default::default()
        }),
        handler: Some("index.main_handler".into()),
        description: Some("Order intake API".into()),
        memory_size: Some(256),
        timeout: Some(15),
        environment: Some(Environment {
            variables: Some(
                (0..8)
                    .map(|i| Variable {
                        key: Some(format!("SETTING_{i}")),
                        value: Some(format!("value-{i}")),
                    })
                    .collect(),
            ),
        }),
        runtime: Some("Python3.9".into()),
        vpc_config: Some(VpcConfig {
            vpc_id: Some("vpc-0a1b2c3d".into()),
            subnet_id: Some("subnet-4e5f6a7b".into()),
        }),
        namespace: Some("production".into()),
        tags: Some(
            (0..4)
                .map(|i| Tag {
                    key: format!("team-{i}"),
                    value: format!("owner-{i}"),
                })
                .collect(),
        ),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scf_api::actions::{GetFunctionResponse, GetRequestStatusResponse, ListFunctionsResponse};
    use serde::Serialize;
    use std::collections::BTreeSet;

    /// Every member path (`A.B[].C`) in `v`.
    fn paths(v: &Value, prefix: &str, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    let p = format!("{prefix}.{k}");
                    out.insert(p.clone());
                    paths(x, &p, out);
                }
            }
            Value::Array(a) => {
                for x in a {
                    paths(x, &format!("{prefix}[]"), out);
                }
            }
            _ => {}
        }
    }

    /// Decodes `body` into `T` and checks that encoding the result again loses no member, and
    /// that every member `T` has at the top level is in the fixture.
    fn assert_full<T: serde::de::DeserializeOwned + Serialize + Default>(body: &str) {
        let response = &parse(body)["Response"];
        let decoded: T = serde_json::from_value(response.clone()).expect("fixture decodes");
        let mut want = BTreeSet::new();
        paths(response, "", &mut want);
        let mut got = BTreeSet::new();
        paths(&serde_json::to_value(&decoded).unwrap(), "", &mut got);
        let lost: Vec<_> = want.difference(&got).collect();
        assert!(lost.is_empty(), "members the model dropped: {lost:?}");
        let mut all = BTreeSet::new();
        paths(&serde_json::to_value(T::default()).unwrap(), "", &mut all);
        let missing: Vec<_> = all.difference(&want).collect();
        assert!(missing.is_empty(), "members the fixture lacks: {missing:?}");
    }

    #[test]
    fn get_function_sets_every_member() {
        assert_full::<GetFunctionResponse>(&get_function());
    }

    #[test]
    fn list_functions_sets_every_member() {
        assert_full::<ListFunctionsResponse>(&list_functions(100));
        let v = parse(&list_functions(100));
        assert_eq!(v["Response"]["Functions"].as_array().unwrap().len(), 100);
    }

    #[test]
    fn get_request_status_sets_every_member() {
        assert_full::<GetRequestStatusResponse>(&get_request_status(100));
    }
}
