//! Invocations: synchronous and asynchronous runs of a function (`Invoke`, `InvokeFunction`),
//! the lifecycle of async events (`GetAsyncEventStatus`, `ListAsyncEvents`,
//! `TerminateAsyncEvent`), and what finished runs left behind (`GetRequestStatus`,
//! `GetFunctionLogs`).
//!
//! Functions run through the server's [`FunctionHandler`](crate::function::FunctionHandler),
//! always outside the store lock: a handler is looked up and its configuration copied under the
//! lock, the lock is released, the handler runs, and the outcome is recorded under a new lock.

mod events;
mod invoke;
mod logs;
mod run;

use std::sync::{MutexGuard, PoisonError};

use serde_json::{Map, Value};

use super::{Answer, Ctx};
use crate::error::ApiError;
use crate::server::Shared;
use crate::state::{Function, LATEST, Store};

/// The actions this module answers.
pub(crate) const ACTIONS: &[&str] = &[
    "GetAsyncEventStatus",
    "GetFunctionLogs",
    "GetRequestStatus",
    "Invoke",
    "InvokeFunction",
    "ListAsyncEvents",
    "TerminateAsyncEvent",
];

/// Answers `action` if this module models it.
pub(crate) async fn handle(ctx: &Ctx<'_>, action: &str) -> Option<Answer> {
    Some(match action {
        "GetAsyncEventStatus" => events::get_status(ctx),
        "GetFunctionLogs" => logs::function_logs(ctx),
        "GetRequestStatus" => logs::request_status(ctx),
        "Invoke" => invoke::invoke(ctx).await,
        "InvokeFunction" => invoke::invoke_function(ctx).await,
        "ListAsyncEvents" => events::list(ctx),
        "TerminateAsyncEvent" => events::terminate(ctx),
        _ => return None,
    })
}

/// The store of `shared`, locked (for the spawned tasks of async events, which have no `Ctx`).
/// Never hold the guard across an await.
fn lock(shared: &Shared) -> MutexGuard<'_, Store> {
    shared.store.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The function `name` of `namespace`, or `ResourceNotFound.Function`, also when the namespace
/// itself is missing: the actions that use this do not document `ResourceNotFound.Namespace`.
fn find_function<'s>(
    store: &'s Store,
    namespace: &str,
    name: &str,
) -> Result<&'s Function, ApiError> {
    store
        .namespaces
        .get(namespace)
        .and_then(|ns| ns.functions.get(name))
        .ok_or_else(|| super::functions::not_found(namespace, name))
}

/// The configuration `version` (`$LATEST` or a published version number) of `function` runs
/// with; the `$LATEST` configuration if the version has gone meanwhile.
fn version_config<'f>(function: &'f Function, version: &str) -> &'f Map<String, Value> {
    if version == LATEST {
        return &function.config;
    }
    version
        .parse::<u64>()
        .ok()
        .and_then(|n| function.versions.get(&n))
        .map_or(&function.config, |v| &v.config)
}

/// A sort order given as `ASC`/`DESC` in any case: `Ok(true)` for descending, `Err` with the
/// offending value otherwise.
fn descending(order: &str) -> Result<bool, String> {
    if order.eq_ignore_ascii_case("DESC") {
        Ok(true)
    } else if order.eq_ignore_ascii_case("ASC") {
        Ok(false)
    } else {
        Err(order.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_are_sorted() {
        assert!(ACTIONS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn orders() {
        assert_eq!(descending("DESC"), Ok(true));
        assert_eq!(descending("desc"), Ok(true));
        assert_eq!(descending("Asc"), Ok(false));
        assert_eq!(descending("up"), Err("up".to_owned()));
    }
}
