//! What each action answers once a request has passed authentication and validation.
//!
//! The modelled actions live in one module per area; each module lists its actions in
//! `ACTIONS` and answers them in `handle`. Every other action answers with its documented
//! example response from the catalog ([`example_answer`]), as does every action when the server
//! runs in examples-only mode.

mod aliases;
mod concurrency;
mod domains;
mod functions;
mod invocations;
mod layers;
mod namespaces;
mod triggers;
mod versions;

pub(crate) use versions::version_number;

use std::sync::{Arc, MutexGuard, PoisonError};

use serde_json::{Map, Value, json};

use crate::catalog::ActionDef;
use crate::error::{ApiError, codes};
use crate::server::Shared;
use crate::state::{
    DEFAULT_NAMESPACE, Function, Millis, Store, Trigger, Version, datetime, now_millis,
};

/// The response fields (without `RequestId`) for a validated request, or an API error.
pub(crate) type Answer = Result<Map<String, Value>, ApiError>;

/// The actions answered from the emulator's state, by area.
const AREAS: &[&[&str]] = &[
    namespaces::ACTIONS,
    functions::ACTIONS,
    versions::ACTIONS,
    aliases::ACTIONS,
    triggers::ACTIONS,
    invocations::ACTIONS,
    layers::ACTIONS,
    concurrency::ACTIONS,
    domains::ACTIONS,
];

/// Whether scf-local answers `action` from its state (rather than with the spec example).
pub fn is_stateful(action: &str) -> bool {
    AREAS.iter().any(|actions| actions.contains(&action))
}

/// What a handler gets: the server, the validated parameters, and the time of the request.
pub(crate) struct Ctx<'a> {
    pub(crate) shared: &'a Arc<Shared>,
    pub(crate) params: &'a Map<String, Value>,
    pub(crate) now: Millis,
}

/// The store of `shared`, locked. Never hold the guard across an await.
pub(crate) fn lock_store(shared: &Shared) -> MutexGuard<'_, Store> {
    shared.store.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The strings of list member `member` of `object` (empty when absent).
pub(crate) fn string_list<'v>(object: &'v Map<String, Value>, member: &str) -> Vec<&'v str> {
    object
        .get(member)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

/// Maps any `ResourceNotFound.*` error (a missing namespace or function) to `code`, for actions
/// whose documented errors lack the specific code; the message still names what is missing.
pub(crate) fn not_found_as(code: &'static str) -> impl Fn(ApiError) -> ApiError {
    move |e| {
        if e.code.starts_with("ResourceNotFound") {
            ApiError::new(code, e.message)
        } else {
            e
        }
    }
}

impl<'p> Ctx<'p> {
    /// The store, locked. Never hold the guard across an await.
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        lock_store(self.shared)
    }

    /// The strings of a list parameter (empty when absent).
    pub(crate) fn strings(&self, name: &str) -> Vec<&'p str> {
        string_list(self.params, name)
    }

    /// The `Filters` parameter as (`Name`, `Values`) pairs, in request order.
    pub(crate) fn filters(&self) -> Vec<(&'p str, Vec<&'p str>)> {
        self.params
            .get("Filters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .map(|f| {
                let name = f.get("Name").and_then(Value::as_str).unwrap_or_default();
                (name, string_list(f, "Values"))
            })
            .collect()
    }

    /// Whether the `Order` parameter asks for descending order (`default_descending` when
    /// absent); `InvalidParameterValue.Order` for anything but `ASC` or `DESC` (in any case).
    pub(crate) fn descending(&self, default_descending: bool) -> Result<bool, ApiError> {
        match self.str("Order") {
            None => Ok(default_descending),
            Some(order) if order.eq_ignore_ascii_case("DESC") => Ok(true),
            Some(order) if order.eq_ignore_ascii_case("ASC") => Ok(false),
            Some(other) => Err(ApiError::new(
                "InvalidParameterValue.Order",
                format!("Order must be ASC or DESC, got `{other}`."),
            )),
        }
    }

    /// `Offset` and `Limit` for the actions that declare them unsigned (defaults 0 and
    /// `default_limit`; values beyond `usize` saturate and give an empty page).
    pub(crate) fn unsigned_page(&self, default_limit: usize) -> (usize, usize) {
        let member = |name: &str| {
            self.params
                .get(name)
                .and_then(Value::as_u64)
                .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
        };
        (
            member("Offset").unwrap_or(0),
            member("Limit").unwrap_or(default_limit),
        )
    }

    /// A string parameter, when present (validation already checked its type).
    pub(crate) fn str(&self, name: &str) -> Option<&str> {
        self.params.get(name).and_then(Value::as_str)
    }

    /// A string parameter that validation guarantees (a required member).
    pub(crate) fn required(&self, name: &str) -> &str {
        self.str(name).unwrap_or_default()
    }

    /// An integer parameter, when present.
    pub(crate) fn int(&self, name: &str) -> Option<i64> {
        self.params.get(name).and_then(Value::as_i64)
    }

    /// A boolean parameter, when present.
    pub(crate) fn bool(&self, name: &str) -> Option<bool> {
        self.params.get(name).and_then(Value::as_bool)
    }

    /// The `Namespace` parameter, `default` when absent or empty.
    pub(crate) fn namespace(&self) -> &str {
        self.str("Namespace")
            .filter(|s| !s.is_empty())
            .unwrap_or(DEFAULT_NAMESPACE)
    }

    /// `Offset` and `Limit` (defaults 0 and `default_limit`), checked to be non-negative and the
    /// limit at most `max_limit`.
    pub(crate) fn page(
        &self,
        default_limit: i64,
        max_limit: i64,
    ) -> Result<(usize, usize), ApiError> {
        let offset = self.int("Offset").unwrap_or(0);
        let limit = self.int("Limit").unwrap_or(default_limit);
        if offset < 0 {
            return Err(invalid_value(format!(
                "Offset must not be negative, got {offset}."
            )));
        }
        if !(0..=max_limit).contains(&limit) {
            return Err(invalid_value(format!(
                "Limit must be between 0 and {max_limit}, got {limit}."
            )));
        }
        Ok((offset as usize, limit as usize))
    }
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

/// Publishes the current configuration of `function` as its next version; returns the number.
pub(crate) fn publish(function: &mut Function, description: &str, now: Millis) -> u64 {
    let number = function.next_version;
    function.next_version += 1;
    function.versions.insert(
        number,
        Version {
            number,
            description: description.to_owned(),
            config: function.config.clone(),
            added: now,
            modified: now,
        },
    );
    number
}

/// A trigger as the `Trigger` type shows it.
pub(crate) fn trigger_json(t: &Trigger) -> Value {
    json!({
        "TriggerName": t.name,
        "Type": t.kind,
        "TriggerDesc": t.desc,
        "Qualifier": t.qualifier,
        "Enable": i64::from(t.enabled),
        "CustomArgument": t.custom_argument,
        "Description": t.description,
        "AvailableStatus": "Available",
        "BindStatus": "",
        "ResourceId": "",
        "TriggerAttribute": "",
        "AddTime": datetime(t.added),
        "ModTime": datetime(t.modified),
    })
}

/// Answers a validated request for `action` with parameters `params`.
pub(crate) async fn dispatch(
    shared: &Arc<Shared>,
    action: &'static ActionDef,
    params: &Map<String, Value>,
) -> Answer {
    if shared.examples_only || !is_stateful(action.name) {
        return example_answer(action);
    }
    let ctx = Ctx {
        shared,
        params,
        now: now_millis(shared.clock_offset_secs),
    };
    let name = action.name;
    let sync = namespaces::handle(&ctx, name)
        .or_else(|| functions::handle(&ctx, name))
        .or_else(|| versions::handle(&ctx, name))
        .or_else(|| aliases::handle(&ctx, name))
        .or_else(|| triggers::handle(&ctx, name))
        .or_else(|| layers::handle(&ctx, name))
        .or_else(|| concurrency::handle(&ctx, name))
        .or_else(|| domains::handle(&ctx, name));
    let answer = match sync {
        Some(answer) => answer,
        None => match invocations::handle(&ctx, name).await {
            Some(answer) => answer,
            None => example_answer(action),
        },
    };
    if let Err(e) = &answer {
        debug_assert!(
            shared.catalog.documents(action, &e.code),
            "scf-local answered {} with {}, which the spec does not document for it",
            action.name,
            e.code
        );
    }
    answer
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

#[cfg(test)]
mod tests {
    use super::*;

    fn action(example_output: Option<&'static str>) -> ActionDef {
        ActionDef {
            name: "Demo",
            input: &[],
            example_output,
            rate_limit: None,
            errors: &[],
        }
    }

    #[test]
    fn order_is_asc_or_desc_in_any_case() {
        let h = versions::testing::Harness::new();
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
