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

use serde_json::{Map, Value};

use super::{Answer, Ctx};
use crate::error::ApiError;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_are_sorted() {
        assert!(ACTIONS.windows(2).all(|w| w[0] < w[1]));
    }
}
