//! `spec/schema.json` documents the format the loader reads; this keeps the two in step.

use std::path::Path;

use codegen::load::keys;
use serde_json::Value;

fn schema() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/schema.json");
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn property_names(v: &Value) -> Vec<String> {
    let mut names: Vec<String> = v["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("no properties in {v}"))
        .keys()
        .cloned()
        .collect();
    names.sort();
    names
}

fn sorted(keys: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = keys.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

#[test]
fn schema_lists_exactly_the_keys_the_loader_reads() {
    let s = schema();
    let defs = &s["$defs"];
    assert_eq!(property_names(&defs["service"]), sorted(keys::SERVICE));
    assert_eq!(
        property_names(&defs["service"]["properties"]["endpoints"]),
        sorted(keys::ENDPOINTS)
    );
    assert_eq!(
        property_names(&defs["errors"]["additionalProperties"]),
        sorted(keys::ERROR)
    );
    assert_eq!(property_names(&defs["action"]), sorted(keys::ACTION));
    assert_eq!(
        property_names(&defs["action"]["properties"]["region"]),
        sorted(keys::REGION)
    );
    let constraint = &defs["action"]["properties"]["constraints"]["items"];
    assert_eq!(property_names(constraint), sorted(keys::CONSTRAINT));
    assert_eq!(
        property_names(&constraint["properties"]["requiredWith"]),
        sorted(keys::REQUIRED_WITH)
    );
    assert_eq!(
        property_names(&defs["action"]["properties"]["examples"]["items"]),
        sorted(keys::EXAMPLE)
    );
    assert_eq!(
        property_names(&defs["action"]["properties"]["pagination"]),
        sorted(keys::PAGINATION)
    );
    assert_eq!(
        property_names(&defs["action"]["properties"]["eventLimits"]),
        sorted(keys::EVENT_LIMITS)
    );
    assert_eq!(
        property_names(&defs["action"]["properties"]["timeRange"]),
        sorted(keys::TIME_RANGE)
    );
    assert_eq!(
        property_names(&defs["action"]["properties"]["waiters"]["items"]),
        sorted(keys::WAITER)
    );
    assert_eq!(property_names(&defs["type"]), sorted(keys::TYPE));
    assert_eq!(property_names(&defs["member"]), sorted(keys::MEMBER));
    assert_eq!(
        property_names(&defs["member"]["properties"]["values"]["items"]),
        sorted(keys::VALUE)
    );
}
