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

mod account;
mod async_config;
mod provisioned;
mod reserved;

use serde_json::{Map, Value, json};

use super::{Answer, Route, invalid_value};
use crate::context::Ctx;
use crate::error::{ApiError, codes};
use crate::state::Missing;
use crate::state::{Function, LATEST, Store};

/// The actions this area answers, with their handlers.
pub(crate) const ROUTES: &[Route] = &[
    Route::sync(
        "DeleteProvisionedConcurrencyConfig",
        provisioned::delete_provisioned,
    ),
    Route::sync("DeleteReservedConcurrencyConfig", reserved::delete_reserved),
    Route::sync("GetAccount", account::get_account),
    Route::sync(
        "GetFunctionEventInvokeConfig",
        async_config::get_event_invoke_config,
    ),
    Route::sync(
        "GetProvisionedConcurrencyConfig",
        provisioned::get_provisioned,
    ),
    Route::sync("GetReservedConcurrencyConfig", reserved::get_reserved),
    Route::sync(
        "PutProvisionedConcurrencyConfig",
        provisioned::put_provisioned,
    ),
    Route::sync("PutReservedConcurrencyConfig", reserved::put_reserved),
    Route::sync("PutTotalConcurrencyConfig", reserved::put_total),
    Route::sync(
        "UpdateFunctionEventInvokeConfig",
        async_config::update_event_invoke_config,
    ),
];

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

#[cfg(test)]
mod tests;
