use super::provisioned::check_trigger_actions;
use super::*;

fn action(name: &str, num: u64, cron: &str) -> Value {
    json!({
        "TriggerName": name,
        "TriggerProvisionedConcurrencyNum": num,
        "TriggerCronConfig": cron,
    })
}

fn code(result: Result<Vec<Value>, ApiError>) -> String {
    result.map_or_else(|e| e.code, |_| "ok".into())
}

#[test]
fn trigger_actions() {
    let cron = "30 42 15 20 12 * 2024";
    let ok = check_trigger_actions(&[action("timer-1", 5, cron)], 10).unwrap();
    assert_eq!(ok[0]["ProvisionedType"], "Default");
    for (actions, expected) in [
        (
            vec![action("", 1, cron)],
            "InvalidParameterValue.ProvisionTriggerName",
        ),
        (
            vec![action("a b", 1, cron)],
            "InvalidParameterValue.ProvisionTriggerName",
        ),
        (
            vec![action("t", 1, cron), action("t", 2, "0 0 0 1 1 * 2030")],
            "InvalidParameterValue.ProvisionTriggerNameDuplicate",
        ),
        (
            vec![action("t", 1, "* * *")],
            "InvalidParameterValue.TriggerCronConfig",
        ),
        (
            vec![action("a", 1, cron), action("b", 2, cron)],
            "InvalidParameterValue.ProvisionTriggerCronConfigDuplicate",
        ),
        (
            vec![action("t", 11, cron)],
            "InvalidParameterValue.TriggerProvisionedConcurrencyNum",
        ),
    ] {
        assert_eq!(code(check_trigger_actions(&actions, 10)), expected);
    }
    let mut other_type = action("t", 1, cron);
    other_type["ProvisionedType"] = json!("Tracking");
    assert_eq!(
        code(check_trigger_actions(&[other_type], 10)),
        "InvalidParameterValue.ProvisionType"
    );
}

#[test]
fn memory_size_defaults_and_never_zero() {
    assert_eq!(memory_size(&Map::new()), DEFAULT_MEMORY_SIZE);
    let mut config = Map::new();
    config.insert("MemorySize".into(), json!(0));
    assert_eq!(memory_size(&config), 1);
    config.insert("MemorySize".into(), json!(512));
    assert_eq!(memory_size(&config), 512);
}
