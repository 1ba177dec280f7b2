//! Invocations: synchronous and asynchronous runs of a function (`Invoke`, `InvokeFunction`),
//! the lifecycle of async events (`GetAsyncEventStatus`, `ListAsyncEvents`,
//! `TerminateAsyncEvent`), and what finished runs left behind (`GetRequestStatus`,
//! `GetFunctionLogs`).
//!
//! Functions run through the server's [`FunctionHandler`](crate::function::FunctionHandler),
//! always outside the store lock: a handler is looked up and its configuration copied under the
//! lock, the lock is released, the handler runs, and the outcome is recorded under a new lock.

mod code;
mod events;
mod invoke;
mod logs;
mod run;
pub(crate) mod web;

use serde_json::{Map, Value};

use super::{AnswerFuture, Route};
use crate::context::Ctx;
use crate::state::{Function, LATEST, Missing, Store};

/// The actions this area answers, with their handlers.
pub(crate) const ROUTES: &[Route] = &[
    Route::sync("GetAsyncEventStatus", events::get_status),
    Route::sync("GetFunctionLogs", logs::function_logs),
    Route::sync("GetRequestStatus", logs::request_status),
    Route::r#async("Invoke", invoke_boxed),
    Route::r#async("InvokeFunction", invoke_function_boxed),
    Route::sync("ListAsyncEvents", events::list),
    Route::sync("TerminateAsyncEvent", events::terminate),
];

/// [`invoke::invoke`], boxed for the route table.
fn invoke_boxed<'a>(ctx: &'a Ctx<'_>) -> AnswerFuture<'a> {
    Box::pin(invoke::invoke(ctx))
}

/// [`invoke::invoke_function`], boxed for the route table.
fn invoke_function_boxed<'a>(ctx: &'a Ctx<'_>) -> AnswerFuture<'a> {
    Box::pin(invoke::invoke_function(ctx))
}

/// The function `name` of `namespace`, or `ResourceNotFound.Function`, also when the namespace
/// itself is missing: the actions that use this do not document `ResourceNotFound.Namespace`.
fn find_function<'s>(
    store: &'s Store,
    namespace: &str,
    name: &str,
) -> Result<&'s Function, Missing> {
    store
        .function(namespace, name)
        .map_err(|missing| missing.into_function(name))
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
        assert!(ROUTES.windows(2).all(|w| w[0].action < w[1].action));
    }
}
