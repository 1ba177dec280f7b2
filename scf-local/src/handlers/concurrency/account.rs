//! The account's usage and limits (GetAccount).

use super::*;

pub(super) fn get_account(ctx: &Ctx<'_>) -> Answer {
    let store = ctx.store();
    let total = total_mem(&store);
    let mut usage = Vec::new();
    let mut limits = Vec::new();
    for ns in store.namespaces.values() {
        let names: Vec<&str> = ns.functions.keys().map(String::as_str).collect();
        let allocated_mem = ns
            .functions
            .values()
            .map(used_mem)
            .fold(0, u64::saturating_add);
        let provisioned = ns
            .functions
            .values()
            .map(provisioned_mem)
            .fold(0, u64::saturating_add);
        usage.push(json!({
            "Functions": names,
            "Namespace": ns.name,
            "FunctionsCount": names.len(),
            // Namespaces have no quota of their own; the account quota applies.
            "TotalConcurrencyMem": 0,
            "TotalAllocatedConcurrencyMem": allocated_mem,
            "TotalAllocatedProvisionedMem": provisioned,
        }));
        let mut triggers: Map<String, Value> = TRIGGER_TYPES
            .iter()
            .map(|t| ((*t).to_owned(), json!(TRIGGERS_PER_TYPE)))
            .collect();
        triggers.insert(
            "Total".into(),
            json!(TRIGGERS_PER_TYPE * TRIGGER_TYPES.len() as u64),
        );
        limits.push(json!({
            "FunctionsCount": FUNCTIONS_LIMIT,
            "Trigger": triggers,
            "Namespace": ns.name,
            "ConcurrentExecutions": CONCURRENT_EXECUTIONS_LIMIT,
            "TimeoutLimit": TIMEOUT_LIMIT,
            "TestModelLimit": TEST_MODEL_LIMIT,
            "InitTimeoutLimit": INIT_TIMEOUT_LIMIT,
            "RetryNumLimit": RETRY_NUM_LIMIT,
            "MinMsgTTL": MIN_MSG_TTL,
            "MaxMsgTTL": MAX_MSG_TTL,
        }));
    }
    let allocated = functions(&store)
        .map(|(_, f)| used_mem(f))
        .fold(0, u64::saturating_add);
    let mut out = Map::new();
    out.insert(
        "AccountUsage".into(),
        json!({
            "NamespacesCount": store.namespaces.len(),
            "Namespace": usage,
            "TotalConcurrencyMem": total,
            "TotalAllocatedConcurrencyMem": allocated,
            "UserConcurrencyMemLimit": total,
        }),
    );
    out.insert(
        "AccountLimit".into(),
        json!({ "NamespacesCount": NAMESPACES_LIMIT, "Namespace": limits }),
    );
    Ok(out)
}
