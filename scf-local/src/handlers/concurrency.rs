//! Concurrency and async settings: reserved concurrency per function, provisioned concurrency
//! per published version, the account's total concurrency quota, the async retry configuration
//! of a function, and the account usage and limits (GetAccount).
//!
//! Quotas are memory in MB, as the service counts them:
//!
//! - The account quota defaults to 128000 MB (the documented default of GetAccount) and is
//!   changed with PutTotalConcurrencyConfig; it must stay at least 12800 MB above what is in use.
//! - The reservations of all functions may not exceed the account quota minus 12800 MB.
//! - A function's concurrency quota is its reservation, or else the account quota left over by
//!   all reservations. Its provisioned instances, summed over its versions, may not exceed that
//!   quota divided by its memory size, minus 100.
//!
//! Everything is kept in the free-form maps of the store: `Function::settings` holds
//! `ReservedConcurrencyMem` (a number), `ProvisionedConcurrency` (an object keyed by version
//! number) and `AsyncTriggerConfig`; `Store::account` holds `TotalConcurrencyMem`. Changes take
//! effect at once: provisioning tasks are `Done` immediately, so the `InProgress` errors never
//! occur.

use serde_json::{Map, Value, json};

use super::functions::{find, find_mut};
use super::namespaces::not_found as namespace_not_found;
use super::{Answer, Ctx, invalid_value};
use crate::error::{ApiError, codes};
use crate::state::{Function, LATEST, Store};

/// The actions this module answers.
pub(crate) const ACTIONS: &[&str] = &[
    "DeleteProvisionedConcurrencyConfig",
    "DeleteReservedConcurrencyConfig",
    "GetAccount",
    "GetFunctionEventInvokeConfig",
    "GetProvisionedConcurrencyConfig",
    "GetReservedConcurrencyConfig",
    "PutProvisionedConcurrencyConfig",
    "PutReservedConcurrencyConfig",
    "PutTotalConcurrencyConfig",
    "UpdateFunctionEventInvokeConfig",
];

/// Answers `action` when it is one of [`ACTIONS`].
pub(crate) fn handle(ctx: &Ctx<'_>, action: &str) -> Option<Answer> {
    Some(match action {
        "DeleteProvisionedConcurrencyConfig" => delete_provisioned(ctx),
        "DeleteReservedConcurrencyConfig" => delete_reserved(ctx),
        "GetAccount" => get_account(ctx),
        "GetFunctionEventInvokeConfig" => get_event_invoke_config(ctx),
        "GetProvisionedConcurrencyConfig" => get_provisioned(ctx),
        "GetReservedConcurrencyConfig" => get_reserved(ctx),
        "PutProvisionedConcurrencyConfig" => put_provisioned(ctx),
        "PutReservedConcurrencyConfig" => put_reserved(ctx),
        "PutTotalConcurrencyConfig" => put_total(ctx),
        "UpdateFunctionEventInvokeConfig" => update_event_invoke_config(ctx),
        _ => return None,
    })
}

/// The account's concurrency quota until PutTotalConcurrencyConfig changes it, in MB.
const DEFAULT_TOTAL_CONCURRENCY_MEM: u64 = 128_000;
/// The concurrency memory that must stay unreserved, in MB.
const UNRESERVED_MEM: u64 = 12_800;
/// How far below its concurrency quota (in instances) a function's provisioning must stay.
const PROVISIONED_HEADROOM: u64 = 100;
/// A function's memory size when its configuration names none, in MB.
const DEFAULT_MEMORY_SIZE: u64 = 128;

/// Setting names in `Function::settings` and `Store::account`.
const RESERVED: &str = "ReservedConcurrencyMem";
const PROVISIONED: &str = "ProvisionedConcurrency";
const ASYNC_TRIGGER_CONFIG: &str = "AsyncTriggerConfig";
const TOTAL: &str = "TotalConcurrencyMem";

/// Documented per-namespace limits (GetAccount's example answer for a default account).
const NAMESPACES_LIMIT: u64 = 5;
const FUNCTIONS_LIMIT: u64 = 50;
const CONCURRENT_EXECUTIONS_LIMIT: u64 = 100;
const TIMEOUT_LIMIT: u64 = 900;
const TEST_MODEL_LIMIT: u64 = 20;
const INIT_TIMEOUT_LIMIT: u64 = 300;
/// Async retries: at most this many (also the default).
const RETRY_NUM_LIMIT: i64 = 2;
/// Async message retention bounds in seconds; the maximum is also the default.
const MIN_MSG_TTL: i64 = 60;
const MAX_MSG_TTL: i64 = 21_600;
/// Triggers per type per namespace, and in total.
const TRIGGERS_PER_TYPE: u64 = 10;
const TRIGGER_TYPES: &[&str] = &[
    "Cos", "Timer", "Cmq", "Ckafka", "Apigw", "Cls", "Clb", "Mps", "Cm", "Vod", "Eb",
];

/// The account's concurrency quota, in MB.
fn total_mem(store: &Store) -> u64 {
    store
        .account
        .get(TOTAL)
        .and_then(Value::as_u64)
        .unwrap_or(DEFAULT_TOTAL_CONCURRENCY_MEM)
}

/// Every function of the account, with its namespace.
fn functions(store: &Store) -> impl Iterator<Item = (&str, &Function)> {
    store
        .namespaces
        .values()
        .flat_map(|ns| ns.functions.values().map(|f| (ns.name.as_str(), f)))
}

/// The memory reserved for `f`, if any, in MB.
fn reserved_mem(f: &Function) -> Option<u64> {
    f.settings.get(RESERVED).and_then(Value::as_u64)
}

/// The memory reserved by all functions, in MB.
fn all_reserved_mem(store: &Store) -> u64 {
    functions(store)
        .filter_map(|(_, f)| reserved_mem(f))
        .fold(0, u64::saturating_add)
}

/// The `MemorySize` of a configuration, in MB (at least 1).
fn memory_size(config: &Map<String, Value>) -> u64 {
    config
        .get("MemorySize")
        .and_then(Value::as_u64)
        .unwrap_or(DEFAULT_MEMORY_SIZE)
        .max(1)
}

/// The provisioned concurrency settings of `f` by version number, skipping versions that no
/// longer exist.
fn provisioned(f: &Function) -> impl Iterator<Item = (u64, &Map<String, Value>)> {
    f.settings
        .get(PROVISIONED)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(qualifier, entry)| {
            let number = qualifier.parse::<u64>().ok()?;
            f.versions.contains_key(&number).then_some(())?;
            Some((number, entry.as_object()?))
        })
}

/// The number of instances a provisioned concurrency setting allocates.
fn allocated(entry: &Map<String, Value>) -> u64 {
    entry
        .get("AllocatedProvisionedConcurrencyNum")
        .and_then(Value::as_u64)
        .unwrap_or_default()
}

/// The memory `f`'s provisioned instances take, in MB.
fn provisioned_mem(f: &Function) -> u64 {
    provisioned(f)
        .map(|(number, entry)| {
            let memory = f
                .versions
                .get(&number)
                .map_or(DEFAULT_MEMORY_SIZE, |v| memory_size(&v.config));
            allocated(entry).saturating_mul(memory)
        })
        .fold(0, u64::saturating_add)
}

/// The concurrency memory `f` takes from the account: its reservation, or else what its
/// provisioned instances take from the unreserved quota.
fn used_mem(f: &Function) -> u64 {
    reserved_mem(f).unwrap_or_else(|| provisioned_mem(f))
}

/// How many instances `f` may provision over all its versions.
fn provisioned_cap(store: &Store, f: &Function) -> u64 {
    let quota =
        reserved_mem(f).unwrap_or_else(|| total_mem(store).saturating_sub(all_reserved_mem(store)));
    (quota / memory_size(&f.config)).saturating_sub(PROVISIONED_HEADROOM)
}

/// The published version `qualifier` of `f` (`$LATEST`, aliases and unknown versions refused).
fn published_version(f: &Function, qualifier: &str) -> Result<u64, ApiError> {
    if qualifier == LATEST {
        return Err(ApiError::new(
            "InvalidParameterValue.Qualifier",
            "Provisioned concurrency is not supported for `$LATEST`; publish a version and \
             name its number.",
        ));
    }
    let number = qualifier.parse::<u64>().map_err(|_| {
        ApiError::new(
            "InvalidParameterValue.Qualifier",
            format!("Qualifier must be the number of a published version, got `{qualifier}`."),
        )
    })?;
    if f.versions.contains_key(&number) {
        Ok(number)
    } else {
        Err(ApiError::new(
            "ResourceNotFound.Version",
            format!("The function `{}` has no version `{qualifier}`.", f.name),
        ))
    }
}

fn put_reserved(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("FunctionName");
    let namespace = ctx.namespace();
    let requested = ctx
        .params
        .get(RESERVED)
        .and_then(Value::as_u64)
        .unwrap_or_default();
    let mut store = ctx.store();
    let f = find(&store, namespace, name)?;
    let others = functions(&store)
        .filter(|(ns, other)| !(*ns == namespace && other.name == name))
        .filter_map(|(_, other)| reserved_mem(other))
        .fold(0, u64::saturating_add);
    let limit = total_mem(&store).saturating_sub(UNRESERVED_MEM);
    if others.saturating_add(requested) > limit {
        return Err(ApiError::new(
            "LimitExceeded.FunctionReservedConcurrencyMemory",
            format!(
                "Reserving {requested} MB for `{name}` would bring the reservations of all \
                 functions to more than {limit} MB (the account quota minus {UNRESERVED_MEM}); \
                 at most {} MB can be reserved for it.",
                limit.saturating_sub(others)
            ),
        ));
    }
    let provisioned = provisioned_mem(f);
    if provisioned > requested {
        return Err(ApiError::new(
            "FailedOperation.ProvisionedExceedReserved",
            format!(
                "The provisioned concurrency of `{name}` takes {provisioned} MB, more than the \
                 {requested} MB to reserve; lower it first."
            ),
        ));
    }
    let f = find_mut(&mut store, namespace, name)?;
    f.settings.insert(RESERVED.into(), json!(requested));
    Ok(Map::new())
}

fn get_reserved(ctx: &Ctx<'_>) -> Answer {
    let store = ctx.store();
    let f = find(&store, ctx.namespace(), ctx.required("FunctionName"))?;
    let mut out = Map::new();
    // Nullable: null when nothing is reserved.
    out.insert(
        "ReservedMem".into(),
        reserved_mem(f).map_or(Value::Null, Value::from),
    );
    Ok(out)
}

/// Removes the reservation; a function without one is left as it is.
fn delete_reserved(ctx: &Ctx<'_>) -> Answer {
    let mut store = ctx.store();
    let f = find_mut(&mut store, ctx.namespace(), ctx.required("FunctionName"))?;
    f.settings.remove(RESERVED);
    Ok(Map::new())
}

/// Checks the scheduled actions of a `Default` provisioning against `cap` instances; returns
/// them with `ProvisionedType` filled in.
fn check_trigger_actions(actions: &[Value], cap: u64) -> Result<Vec<Value>, ApiError> {
    let mut names = Vec::new();
    let mut crons = Vec::new();
    let mut out = Vec::new();
    for action in actions {
        let field = |member: &str| action.get(member).and_then(Value::as_str).unwrap_or("");
        let name = field("TriggerName");
        let cron = field("TriggerCronConfig");
        let num = action
            .get("TriggerProvisionedConcurrencyNum")
            .and_then(Value::as_u64)
            .unwrap_or_default();
        let kind = action
            .get("ProvisionedType")
            .and_then(Value::as_str)
            .unwrap_or("Default");
        if name.is_empty()
            || name.len() > 60
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(ApiError::new(
                "InvalidParameterValue.ProvisionTriggerName",
                format!(
                    "The scheduled action name `{name}` is invalid: use 1 to 60 letters, \
                     digits, `-` or `_`."
                ),
            ));
        }
        if names.contains(&name) {
            return Err(ApiError::new(
                "InvalidParameterValue.ProvisionTriggerNameDuplicate",
                format!("Two scheduled actions are named `{name}`."),
            ));
        }
        if cron.split_whitespace().count() != 7 {
            return Err(ApiError::new(
                "InvalidParameterValue.TriggerCronConfig",
                format!(
                    "The schedule `{cron}` of action `{name}` must have seven space-separated \
                     fields (second minute hour day month weekday year)."
                ),
            ));
        }
        let normalized = cron.split_whitespace().collect::<Vec<_>>().join(" ");
        if crons.contains(&normalized) {
            return Err(ApiError::new(
                "InvalidParameterValue.ProvisionTriggerCronConfigDuplicate",
                format!("Two scheduled actions use the schedule `{normalized}`."),
            ));
        }
        if kind != "Default" {
            return Err(ApiError::new(
                "InvalidParameterValue.ProvisionType",
                format!("The ProvisionedType of action `{name}` must be Default, got `{kind}`."),
            ));
        }
        if num > cap {
            return Err(ApiError::new(
                "InvalidParameterValue.TriggerProvisionedConcurrencyNum",
                format!(
                    "Action `{name}` provisions {num} instances, more than the {cap} the \
                     function may provision."
                ),
            ));
        }
        names.push(name);
        crons.push(normalized.clone());
        out.push(json!({
            "TriggerName": name,
            "TriggerProvisionedConcurrencyNum": num,
            "TriggerCronConfig": normalized,
            "ProvisionedType": "Default",
        }));
    }
    Ok(out)
}

/// Checks the target-tracking members against `cap` instances; returns the stored setting
/// members (the minimum capacity is what is allocated).
fn check_tracking(ctx: &Ctx<'_>, cap: u64) -> Result<Map<String, Value>, ApiError> {
    let missing = |member: &str| {
        ApiError::new(
            codes::MISSING_PARAMETER,
            format!("{member} is required with ConcurrencyUtilizationTracking."),
        )
    };
    let target = ctx
        .params
        .get("TrackingTarget")
        .and_then(Value::as_f64)
        .ok_or_else(|| missing("TrackingTarget"))?;
    let min = ctx
        .params
        .get("MinCapacity")
        .and_then(Value::as_u64)
        .ok_or_else(|| missing("MinCapacity"))?;
    let max = ctx
        .params
        .get("MaxCapacity")
        .and_then(Value::as_u64)
        .ok_or_else(|| missing("MaxCapacity"))?;
    let hundredths = target * 100.0;
    if !(target > 0.0 && target < 1.0) || (hundredths - hundredths.round()).abs() > 1e-9 {
        return Err(ApiError::new(
            "InvalidParameterValue.TrackingTarget",
            format!(
                "TrackingTarget must lie strictly between 0 and 1 with at most two decimal \
                 places, got {target}."
            ),
        ));
    }
    if min < 1 || min > max {
        return Err(ApiError::new(
            "InvalidParameterValue.MinCapacity",
            format!("MinCapacity must be at least 1 and at most MaxCapacity ({max}), got {min}."),
        ));
    }
    if max > cap {
        return Err(ApiError::new(
            "LimitExceeded.MaxCapacity",
            format!("MaxCapacity {max} exceeds the {cap} instances the function may provision."),
        ));
    }
    if ctx
        .params
        .get("VersionProvisionedConcurrencyNum")
        .and_then(Value::as_u64)
        .is_some_and(|n| n != 0)
    {
        return Err(invalid_value(
            "VersionProvisionedConcurrencyNum must be 0 with ConcurrencyUtilizationTracking.",
        ));
    }
    let mut setting = Map::new();
    setting.insert("TrackingTarget".into(), json!(target));
    setting.insert("MinCapacity".into(), json!(min));
    setting.insert("MaxCapacity".into(), json!(max));
    setting.insert("AllocatedProvisionedConcurrencyNum".into(), json!(min));
    Ok(setting)
}

fn put_provisioned(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("FunctionName");
    let namespace = ctx.namespace();
    let qualifier = ctx.required("Qualifier");
    let kind = ctx.str("ProvisionedType").unwrap_or("Default");
    let mut store = ctx.store();
    let f = find(&store, namespace, name)?;
    let number = published_version(f, qualifier)?;
    let cap = provisioned_cap(&store, f);
    let actions = ctx
        .params
        .get("TriggerActions")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut setting = match kind {
        "Default" => {
            let num = ctx
                .params
                .get("VersionProvisionedConcurrencyNum")
                .and_then(Value::as_u64)
                .unwrap_or_default();
            let mut setting = Map::new();
            setting.insert("AllocatedProvisionedConcurrencyNum".into(), json!(num));
            setting
        }
        "ConcurrencyUtilizationTracking" => {
            if !actions.is_empty() {
                return Err(invalid_value(
                    "TriggerActions apply to Default provisioning only, not to \
                     ConcurrencyUtilizationTracking.",
                ));
            }
            check_tracking(ctx, cap)?
        }
        other => {
            return Err(ApiError::new(
                "InvalidParameterValue.ProvisionType",
                format!(
                    "ProvisionedType must be Default or ConcurrencyUtilizationTracking, got \
                     `{other}`."
                ),
            ));
        }
    };
    let trigger_actions = check_trigger_actions(actions, cap)?;
    let wanted = allocated(&setting);
    let others = provisioned(f)
        .filter(|(n, _)| *n != number)
        .map(|(_, entry)| allocated(entry))
        .fold(0, u64::saturating_add);
    if others.saturating_add(wanted) > cap {
        return Err(ApiError::new(
            "LimitExceeded.FunctionTotalProvisionedConcurrencyNum",
            format!(
                "Provisioning {wanted} instances for version {number} of `{name}` would bring \
                 its versions to more than {cap} instances (its concurrency quota minus \
                 {PROVISIONED_HEADROOM}); at most {} are left.",
                cap.saturating_sub(others)
            ),
        ));
    }
    if let Some(reserved) = reserved_mem(f) {
        let version_mem = f
            .versions
            .get(&number)
            .map_or(DEFAULT_MEMORY_SIZE, |v| memory_size(&v.config));
        let others_mem = provisioned(f)
            .filter(|(n, _)| *n != number)
            .map(|(n, entry)| {
                let memory = f
                    .versions
                    .get(&n)
                    .map_or(DEFAULT_MEMORY_SIZE, |v| memory_size(&v.config));
                allocated(entry).saturating_mul(memory)
            })
            .fold(0, u64::saturating_add);
        let total = others_mem.saturating_add(wanted.saturating_mul(version_mem));
        if total > reserved {
            return Err(ApiError::new(
                "FailedOperation.ProvisionedExceedReserved",
                format!(
                    "The provisioned concurrency of `{name}` would take {total} MB, more than \
                     its {reserved} MB reservation."
                ),
            ));
        }
    }
    setting.insert("ProvisionedType".into(), json!(kind));
    setting.insert("TriggerActions".into(), Value::Array(trigger_actions));
    let f = find_mut(&mut store, namespace, name)?;
    let entries = f
        .settings
        .entry(PROVISIONED)
        .or_insert_with(|| Value::Object(Map::new()));
    if !entries.is_object() {
        *entries = Value::Object(Map::new());
    }
    if let Value::Object(entries) = entries {
        entries.insert(number.to_string(), Value::Object(setting));
    }
    Ok(Map::new())
}

fn get_provisioned(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("FunctionName");
    let store = ctx.store();
    let f = find(&store, ctx.namespace(), name)?;
    let only = match ctx.str("Qualifier").filter(|q| !q.is_empty()) {
        Some(qualifier) => Some(published_version(f, qualifier)?),
        None => None,
    };
    let cap = provisioned_cap(&store, f);
    let total = provisioned(f)
        .map(|(_, entry)| allocated(entry))
        .fold(0, u64::saturating_add);
    let items: Vec<Value> = provisioned(f)
        .filter(|(number, _)| only.is_none_or(|n| n == *number))
        .map(|(number, entry)| {
            json!({
                "AllocatedProvisionedConcurrencyNum": allocated(entry),
                "AvailableProvisionedConcurrencyNum": allocated(entry),
                "Status": "Done",
                "StatusReason": "",
                "Qualifier": number.to_string(),
                "TriggerActions": entry.get("TriggerActions").cloned().unwrap_or_else(|| json!([])),
            })
        })
        .collect();
    let mut out = Map::new();
    out.insert(
        "UnallocatedConcurrencyNum".into(),
        json!(cap.saturating_sub(total)),
    );
    out.insert("Allocated".into(), Value::Array(items));
    Ok(out)
}

fn delete_provisioned(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("FunctionName");
    let qualifier = ctx.required("Qualifier");
    let mut store = ctx.store();
    let f = find_mut(&mut store, ctx.namespace(), name)?;
    let number = published_version(f, qualifier)?;
    let removed = f
        .settings
        .get_mut(PROVISIONED)
        .and_then(Value::as_object_mut)
        .and_then(|entries| entries.remove(&number.to_string()));
    if removed.is_none() {
        return Err(ApiError::new(
            "ResourceNotFound",
            format!("Version {number} of `{name}` has no provisioned concurrency to delete."),
        ));
    }
    Ok(Map::new())
}

fn put_total(ctx: &Ctx<'_>) -> Answer {
    let namespace = ctx.namespace();
    let requested = ctx
        .params
        .get(TOTAL)
        .and_then(Value::as_u64)
        .unwrap_or_default();
    let mut store = ctx.store();
    if !store.namespaces.contains_key(namespace) {
        return Err(namespace_not_found(namespace));
    }
    let in_use = functions(&store)
        .map(|(_, f)| used_mem(f))
        .fold(0, u64::saturating_add);
    let minimum = in_use.saturating_add(UNRESERVED_MEM);
    if requested < minimum {
        return Err(ApiError::new(
            "FailedOperation.ReservedExceedTotal",
            format!(
                "The account quota must be at least {minimum} MB: {in_use} MB are reserved or \
                 provisioned and {UNRESERVED_MEM} MB must stay unreserved; got {requested}."
            ),
        ));
    }
    store.account.insert(TOTAL.into(), json!(requested));
    Ok(Map::new())
}

/// The async retry configuration a function has until one is set.
fn default_async_trigger_config() -> Value {
    json!({ "RetryConfig": [{ "RetryNum": RETRY_NUM_LIMIT }], "MsgTTL": MAX_MSG_TTL })
}

fn get_event_invoke_config(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("FunctionName");
    let store = ctx.store();
    let f = find(&store, ctx.namespace(), name)?;
    let qualifier = ctx
        .str("Qualifier")
        .filter(|q| !q.is_empty())
        .unwrap_or(LATEST);
    if !f.has_qualifier(qualifier) {
        return Err(ApiError::new(
            "ResourceNotFound.Version",
            format!("The function `{name}` has no version or alias `{qualifier}`."),
        ));
    }
    let config = f
        .settings
        .get(ASYNC_TRIGGER_CONFIG)
        .cloned()
        .unwrap_or_else(default_async_trigger_config);
    let mut out = Map::new();
    out.insert(ASYNC_TRIGGER_CONFIG.into(), config);
    Ok(out)
}

fn update_event_invoke_config(ctx: &Ctx<'_>) -> Answer {
    let config = ctx.params.get(ASYNC_TRIGGER_CONFIG);
    let invalid =
        |message: String| ApiError::new("InvalidParameterValue.AsyncTriggerConfig", message);
    let retries: Vec<i64> = config
        .and_then(|c| c.get("RetryConfig"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|r| {
            r.get("RetryNum")
                .and_then(Value::as_i64)
                .unwrap_or_default()
        })
        .collect();
    let ttl = config
        .and_then(|c| c.get("MsgTTL"))
        .and_then(Value::as_i64)
        .unwrap_or_default();
    if retries.is_empty() {
        return Err(invalid(
            "AsyncTriggerConfig.RetryConfig must hold at least one entry.".into(),
        ));
    }
    for &retry in &retries {
        if retry < 0 {
            return Err(invalid(format!(
                "RetryNum must not be negative, got {retry}."
            )));
        }
        if retry > RETRY_NUM_LIMIT {
            return Err(ApiError::new(
                "LimitExceeded.RetryNum",
                format!("RetryNum may be at most {RETRY_NUM_LIMIT}, got {retry}."),
            ));
        }
    }
    if ttl < MIN_MSG_TTL {
        return Err(invalid(format!(
            "MsgTTL must be at least {MIN_MSG_TTL} seconds, got {ttl}."
        )));
    }
    if ttl > MAX_MSG_TTL {
        return Err(ApiError::new(
            "LimitExceeded.MsgTTL",
            format!("MsgTTL may be at most {MAX_MSG_TTL} seconds, got {ttl}."),
        ));
    }
    let mut store = ctx.store();
    let f = find_mut(&mut store, ctx.namespace(), ctx.required("FunctionName"))?;
    let retry_config: Vec<Value> = retries.iter().map(|r| json!({ "RetryNum": r })).collect();
    f.settings.insert(
        ASYNC_TRIGGER_CONFIG.into(),
        json!({ "RetryConfig": retry_config, "MsgTTL": ttl }),
    );
    Ok(Map::new())
}

fn get_account(ctx: &Ctx<'_>) -> Answer {
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

#[cfg(test)]
mod tests {
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
}
