//! What each action answers once a request has passed authentication and validation.
//!
//! The modelled actions live in one module per area. Each area lists its actions with their
//! handlers in one route table, `ROUTES`; [`AREAS`] joins the tables, and everything that needs
//! to know which actions are answered from state reads it: [`dispatch`], [`is_stateful`], the
//! support-table test (through `is_stateful`) and the unit-test harness (`testing`).
//!
//! Areas use the model ([`crate::state`]), the request context ([`Ctx`]) and the error type,
//! never each other (`tests/layering.rs` checks it). What several areas share lives in the
//! model, or, for request-level helpers, in this module.
//!
//! Besides the actions, the invocations area answers the web front ([`serve_web`], under
//! [`WEB_PREFIX`]): HTTP requests for web functions, which are not API calls.
//!
//! Only [`EXAMPLE_ONLY`] actions, and every action in examples-only mode, answer with their
//! documented example response ([`example_answer`]). An action of the catalog that is in
//! neither list is a bug: the unit tests name it, and at runtime it answers `InternalError`.

mod aliases;
mod concurrency;
mod domains;
mod functions;
mod invocations;
mod layers;
mod namespaces;
mod triggers;
mod versions;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::catalog::ActionDef;
use crate::context::{Ctx, Shared};
use crate::error::{ApiError, codes};
use crate::state::now_millis;

/// The response fields (without `RequestId`) for a validated request, or an API error.
pub(crate) type Answer = Result<Map<String, Value>, ApiError>;

/// The answer of an asynchronous handler, still to be awaited.
pub(crate) type AnswerFuture<'a> = Pin<Box<dyn Future<Output = Answer> + Send + 'a>>;

/// How a route answers: right away, or after awaiting (invocations run the function).
#[derive(Clone, Copy)]
pub(crate) enum Handler {
    Sync(fn(&Ctx<'_>) -> Answer),
    Async(for<'a> fn(&'a Ctx<'_>) -> AnswerFuture<'a>),
}

/// One action and the handler that answers it from state.
#[derive(Clone, Copy)]
pub(crate) struct Route {
    pub(crate) action: &'static str,
    pub(crate) handler: Handler,
}

impl Route {
    /// A route to a handler that answers without awaiting.
    pub(crate) const fn sync(action: &'static str, handler: fn(&Ctx<'_>) -> Answer) -> Self {
        Route {
            action,
            handler: Handler::Sync(handler),
        }
    }

    /// A route to a handler that awaits (see [`AnswerFuture`]).
    pub(crate) const fn r#async(
        action: &'static str,
        handler: for<'a> fn(&'a Ctx<'_>) -> AnswerFuture<'a>,
    ) -> Self {
        Route {
            action,
            handler: Handler::Async(handler),
        }
    }

    /// Answers `ctx` with this route's handler.
    pub(crate) async fn answer(&self, ctx: &Ctx<'_>) -> Answer {
        match self.handler {
            Handler::Sync(handler) => handler(ctx),
            Handler::Async(handler) => handler(ctx).await,
        }
    }
}

pub(crate) use invocations::web::{PREFIX as WEB_PREFIX, serve as serve_web};

/// Every area's route table: the one place that lists what is answered from state.
pub(crate) const AREAS: &[&[Route]] = &[
    namespaces::ROUTES,
    functions::ROUTES,
    versions::ROUTES,
    aliases::ROUTES,
    triggers::ROUTES,
    invocations::ROUTES,
    layers::ROUTES,
    concurrency::ROUTES,
    domains::ROUTES,
];

/// Actions deliberately answered with their documented example even in stateful mode. None
/// today: every action of the spec is answered from state.
pub(crate) const EXAMPLE_ONLY: &[&str] = &[];

/// Every route of every area.
fn routes() -> impl Iterator<Item = &'static Route> {
    AREAS.iter().flat_map(|area| area.iter())
}

/// The route of `action`, if an area answers it.
pub(crate) fn route(action: &str) -> Option<&'static Route> {
    routes().find(|route| route.action == action)
}

/// Whether scf-local answers `action` from its state (rather than with the spec example).
pub fn is_stateful(action: &str) -> bool {
    route(action).is_some()
}

/// An `InvalidParameterValue` error.
pub(crate) fn invalid_value(message: impl Into<String>) -> ApiError {
    ApiError::new(codes::INVALID_PARAMETER_VALUE, message)
}

/// One page of `items` and the total count, as list actions answer.
pub(crate) fn paged<T>(items: Vec<T>, (offset, limit): (usize, usize)) -> (Vec<T>, usize) {
    let total = items.len();
    (items.into_iter().skip(offset).take(limit).collect(), total)
}

/// Maps any `ResourceNotFound.*` error (a missing namespace or function) to `code`, for actions
/// whose documented errors lack the specific code; the message still names what is missing.
pub(crate) fn not_found_as<E: Into<ApiError>>(code: &'static str) -> impl Fn(E) -> ApiError {
    move |e| {
        let e = e.into();
        if e.code.starts_with("ResourceNotFound") {
            ApiError::new(code, e.message)
        } else {
            e
        }
    }
}

/// Answers a validated request for `action` with parameters `params`.
pub(crate) async fn dispatch(
    shared: &Arc<Shared>,
    action: &'static ActionDef,
    params: &Map<String, Value>,
) -> Answer {
    if shared.examples_only || EXAMPLE_ONLY.contains(&action.name) {
        return example_answer(action);
    }
    let Some(route) = route(action.name) else {
        return Err(unrouted(action.name));
    };
    let ctx = Ctx {
        shared,
        params,
        now: now_millis(shared.clock_offset_secs),
    };
    let answer = route.answer(&ctx).await;
    if cfg!(debug_assertions) {
        assert_answer_matches_spec(shared, action, &answer);
    }
    answer
}

/// In debug builds (so in every test run): an error code must be documented for the action, and
/// a successful answer must have the shape of the action's output in the spec (no member the
/// spec lacks, the spec's JSON types, every member documented as always present).
fn assert_answer_matches_spec(shared: &Shared, action: &ActionDef, answer: &Answer) {
    match answer {
        Err(e) => assert!(
            shared.catalog.documents(action, &e.code),
            "scf-local answered {} with {}, which the spec does not document for it",
            action.name,
            e.code
        ),
        Ok(fields) => {
            if let Err(problems) = shared.catalog.check_answer(action.name, fields) {
                panic!(
                    "scf-local's answer to {} does not match the spec:\n{}",
                    action.name,
                    problems.join("\n")
                );
            }
        }
    }
}

/// The answer to an action that no area routes and that is not example-only: a bug in
/// scf-local, never a made-up success.
fn unrouted(action: &str) -> ApiError {
    ApiError::new(
        codes::INTERNAL_ERROR,
        format!(
            "scf-local has no handler for `{action}` and it is not listed as example-only; \
             add a route to its area's ROUTES."
        ),
    )
}

/// The catalog's documented example response for `action`, or `{}` when it has none.
pub(crate) fn example_answer(action: &ActionDef) -> Answer {
    let Some(text) = action.example_output else {
        return Ok(Map::new());
    };
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(fields)) => Ok(fields),
        _ => Err(ApiError::new(
            codes::INTERNAL_ERROR,
            format!(
                "scf-local's catalog has an example response for `{}` that is not a JSON object.",
                action.name
            ),
        )),
    }
}

/// A `Ctx` over a fresh server state, for the unit tests of the areas.
#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CATALOG;

    fn action(example_output: Option<&'static str>) -> ActionDef {
        ActionDef {
            name: "Demo",
            input: &[],
            example_output,
            rate_limit: None,
            errors: &[],
        }
    }

    /// What is wrong with `areas` and `example_only` for `catalog`: one message per action
    /// routed twice, routed and example-only, neither, or not in the catalog.
    fn routing_problems(
        catalog: &[ActionDef],
        areas: &[&[Route]],
        example_only: &[&str],
    ) -> Vec<String> {
        let routes: Vec<&str> = areas
            .iter()
            .flat_map(|a| a.iter())
            .map(|r| r.action)
            .collect();
        let mut problems = Vec::new();
        for action in catalog.iter().map(|a| a.name) {
            let routed = routes.iter().filter(|&&r| r == action).count();
            let listed = example_only.contains(&action);
            match (routed, listed) {
                (1, false) | (0, true) => {}
                (0, false) => problems.push(format!(
                    "{action}: no route and not example-only (add it to its area's ROUTES)"
                )),
                (_, true) => problems.push(format!("{action}: routed but listed as example-only")),
                (n, false) => problems.push(format!("{action}: routed {n} times")),
            }
        }
        for name in routes.iter().chain(example_only) {
            if !catalog.iter().any(|a| a.name == *name) {
                problems.push(format!("{name}: not an action of the catalog"));
            }
        }
        problems
    }

    #[test]
    fn every_action_has_exactly_one_route_or_is_example_only() {
        let problems = routing_problems(CATALOG.actions, AREAS, EXAMPLE_ONLY);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn routing_problems_name_the_action() {
        // A table without CreateAlias, one routing GetAlias twice, and a stray route.
        let without: Vec<Route> = aliases::ROUTES
            .iter()
            .copied()
            .filter(|r| r.action != "CreateAlias")
            .collect();
        let twice = [aliases::ROUTES[0], aliases::ROUTES[0]];
        let problems = routing_problems(
            CATALOG.actions,
            &[&without, namespaces::ROUTES],
            &["NoSuchAction"],
        );
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("CreateAlias: no route")),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("NoSuchAction: not an action"))
        );
        let problems = routing_problems(CATALOG.actions, &[&twice], &[]);
        let twice_name = aliases::ROUTES[0].action;
        assert!(
            problems.contains(&format!("{twice_name}: routed 2 times")),
            "{problems:?}"
        );
    }

    #[test]
    fn unrouted_actions_are_an_internal_error_naming_them() {
        static DEMO: ActionDef = ActionDef {
            name: "DemoAction",
            input: &[],
            example_output: Some(r#"{"Made": "up"}"#),
            rate_limit: None,
            errors: &[],
        };
        let h = testing::Harness::new();
        let e = h.dispatch(&DEMO, serde_json::json!({})).unwrap_err();
        assert_eq!(e.code, "InternalError");
        assert!(e.message.contains("`DemoAction`"), "{}", e.message);
        // A routed action is answered by its handler, not with its example.
        let listed = h.dispatch(
            CATALOG.action("ListNamespaces").unwrap(),
            serde_json::json!({}),
        );
        assert_eq!(listed.unwrap()["TotalCount"], 1);
    }

    #[test]
    fn order_is_asc_or_desc_in_any_case() {
        let h = testing::Harness::new();
        for order in ["ASC", "asc", "Asc", "DESC", "desc"] {
            h.ok("ListNamespaces", serde_json::json!({ "Order": order }));
        }
        assert_eq!(
            h.code("ListNamespaces", serde_json::json!({ "Order": "up" })),
            "InvalidParameterValue.Order"
        );
    }

    #[test]
    fn example_or_empty() {
        assert_eq!(example_answer(&action(Some(r#"{"A":1}"#))).unwrap()["A"], 1);
        assert!(example_answer(&action(None)).unwrap().is_empty());
        assert_eq!(
            example_answer(&action(Some("[1]"))).unwrap_err().code,
            "InternalError"
        );
    }
}
