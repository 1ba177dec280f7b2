//! Versions: publish, list, delete.
//!
//! A published version is a frozen copy of the `$LATEST` configuration, numbered from 1 by
//! [`publish`](super::publish). Versions live inside their [`Function`], so deleting the function
//! drops them.
//!
//! This module also holds the helpers the version, alias and trigger handlers share (paging with
//! unsigned `Offset`/`Limit`, `Order`, version numbers, not-found codes) and, for tests, a
//! harness that drives the handlers through a real [`Ctx`].

use serde_json::{Map, Value, json};

use super::functions::{find, find_mut};
use super::{Answer, Ctx, invalid_value, paged};
use crate::error::ApiError;
use crate::state::{Function, LATEST, Millis, Version, datetime};

/// The actions this module answers.
pub(crate) const ACTIONS: &[&str] = &[
    "DeleteFunctionVersion",
    "ListVersionByFunction",
    "PublishVersion",
];

/// Answers `action` if this module models it.
pub(crate) fn handle(ctx: &Ctx<'_>, action: &str) -> Option<Answer> {
    Some(match action {
        "DeleteFunctionVersion" => delete(ctx),
        "ListVersionByFunction" => list(ctx),
        "PublishVersion" => publish(ctx),
        _ => return None,
    })
}

/// The longest version description accepted, as for function descriptions.
const MAX_DESCRIPTION_CHARS: usize = 1000;

/// The number `qualifier` names when it is a version number written the canonical way (`2`, not
/// `02` or `+2`).
pub(crate) fn version_number(qualifier: &str) -> Option<u64> {
    qualifier
        .parse::<u64>()
        .ok()
        .filter(|n| n.to_string() == qualifier)
}

/// The size of the uploaded code: the decoded length of an inline `ZipFile`, 0 otherwise (as
/// GetFunction reports it).
fn code_size(function: &Function) -> usize {
    function
        .code
        .get("ZipFile")
        .and_then(Value::as_str)
        .map_or(0, |zip| zip.len() / 4 * 3)
}

/// PublishVersion: freezes the `$LATEST` configuration as the next version and describes it.
fn publish(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("FunctionName");
    let namespace = ctx.namespace();
    let description = ctx.str("Description").unwrap_or_default();
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(ApiError::new(
            "InvalidParameterValue.Description",
            format!("The version description must be at most {MAX_DESCRIPTION_CHARS} characters."),
        ));
    }
    let mut store = ctx.store();
    let function = find_mut(&mut store, namespace, name)?;
    let number = super::publish(function, description, ctx.now);
    let config = &function.config;
    let member = |key: &str| config.get(key).cloned().unwrap_or(Value::Null);
    let mut out = Map::new();
    for (key, value) in [
        ("FunctionVersion", json!(number.to_string())),
        ("CodeSize", json!(code_size(function))),
        ("MemorySize", member("MemorySize")),
        ("Description", json!(description)),
        ("Handler", member("Handler")),
        ("Timeout", member("Timeout")),
        ("Runtime", member("Runtime")),
        ("Namespace", json!(namespace)),
    ] {
        out.insert(key.to_owned(), value);
    }
    Ok(out)
}

/// One row of ListVersionByFunction.
struct Row {
    version: String,
    description: String,
    added: Millis,
    modified: Millis,
}

impl From<&Version> for Row {
    fn from(v: &Version) -> Self {
        Row {
            version: v.number.to_string(),
            description: v.description.clone(),
            added: v.added,
            modified: v.modified,
        }
    }
}

/// ListVersionByFunction: `$LATEST` first, then the published versions sorted by `OrderBy`
/// (`AddTime` by default, or `ModTime`) in `Order` (`DESC` by default, newest first, as the
/// documented example lists `$LATEST, 3, 2, 1`), paged by `Offset` and `Limit` (default 20).
fn list(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("FunctionName");
    let namespace = ctx.namespace();
    let page = ctx.unsigned_page(20);
    let descending = ctx.descending(true)?;
    let by_mod_time = match ctx.str("OrderBy").unwrap_or("AddTime") {
        "AddTime" => false,
        "ModTime" => true,
        other => {
            return Err(invalid_value(format!(
                "OrderBy must be AddTime or ModTime, got `{other}`."
            )));
        }
    };
    let store = ctx.store();
    let function = find(&store, namespace, name)?;
    let mut published: Vec<&Version> = function.versions.values().collect();
    // Version numbers grow with creation time, so they break ties in creation order.
    published.sort_by_key(|v| (if by_mod_time { v.modified } else { v.added }, v.number));
    if descending {
        published.reverse();
    }
    let latest = Row {
        version: LATEST.to_owned(),
        description: function.config_str("Description").to_owned(),
        added: function.added,
        modified: function.modified,
    };
    let rows: Vec<Row> = std::iter::once(latest)
        .chain(published.into_iter().map(Row::from))
        .collect();
    let (rows, total) = paged(rows, page);
    let names: Vec<Value> = rows.iter().map(|row| json!(row.version)).collect();
    let versions: Vec<Value> = rows
        .iter()
        .map(|row| {
            json!({
                "Version": row.version,
                "Description": row.description,
                "AddTime": datetime(row.added),
                "ModTime": datetime(row.modified),
                "Status": "Active",
            })
        })
        .collect();
    let mut out = Map::new();
    out.insert("FunctionVersion".into(), Value::Array(names));
    out.insert("Versions".into(), Value::Array(versions));
    out.insert("TotalCount".into(), json!(total));
    Ok(out)
}

/// DeleteFunctionVersion: removes a published version and the triggers bound to it. `$LATEST`
/// and names that are not version numbers are refused, as is a version an alias still routes
/// to (as its primary or additional version).
fn delete(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("FunctionName");
    let namespace = ctx.namespace();
    let qualifier = ctx.required("Qualifier");
    let Some(number) = version_number(qualifier) else {
        return Err(ApiError::new(
            "InvalidParameterValue.Qualifier",
            format!(
                "Qualifier must be the number of a published version, got `{qualifier}`; \
                 `$LATEST` and aliases cannot be deleted with DeleteFunctionVersion."
            ),
        ));
    };
    let mut store = ctx.store();
    let function = find_mut(&mut store, namespace, name)?;
    remove_version(function, number)?;
    Ok(Map::new())
}

/// Deletes published version `number` of `function`, with the triggers bound to it and its
/// provisioned concurrency setting; refused while an alias routes to it. Shared by
/// DeleteFunctionVersion and DeleteFunction with a `Qualifier`.
pub(crate) fn remove_version(function: &mut Function, number: u64) -> Result<(), ApiError> {
    let name = &function.name;
    if !function.versions.contains_key(&number) {
        return Err(ApiError::new(
            "ResourceNotFound.Qualifier",
            format!("The function `{name}` has no version `{number}`."),
        ));
    }
    let version = number.to_string();
    if let Some(alias) = function
        .aliases
        .values()
        .find(|alias| super::aliases::routes_to(alias).any(|v| v == version))
    {
        return Err(ApiError::new(
            "UnsupportedOperation.AliasBind",
            format!(
                "Version `{version}` of function `{name}` is still used by alias `{}`; \
                 repoint or delete the alias first.",
                alias.name
            ),
        ));
    }
    function.versions.remove(&number);
    function.triggers.retain(|_, t| t.qualifier != version);
    if let Some(provisioned) = function
        .settings
        .get_mut("ProvisionedConcurrency")
        .and_then(Value::as_object_mut)
    {
        provisioned.remove(&version);
    }
    Ok(())
}

/// A `Ctx` over a fresh server state, for the unit tests of this and the sibling modules.
#[cfg(test)]
pub(crate) mod testing {
    use std::cell::Cell;
    use std::collections::VecDeque;
    use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
    use std::time::Duration;

    use serde_json::{Map, Value, json};

    use crate::CATALOG;
    use crate::function::FunctionHandler;
    use crate::handlers::{Answer, Ctx, aliases, functions, namespaces, triggers, versions};
    use crate::history::HistoryLimits;
    use crate::request_log::{RequestLog, RequestLogLimits};
    use crate::server::Shared;
    use crate::state::{Millis, Store};
    use crate::validate::check_object;

    /// 2024-12-25 11:50:07 UTC, the time of the first request.
    pub(crate) const START: Millis = 1_735_127_407_000;

    /// A server state and a clock that advances one second per request.
    pub(crate) struct Harness {
        shared: Arc<Shared>,
        clock: Cell<Millis>,
    }

    impl Harness {
        /// A fresh state holding the function `demo` in the `default` namespace.
        pub(crate) fn new() -> Self {
            let shared = Arc::new(Shared {
                secret_id: String::new(),
                secret_key: String::new(),
                token: None,
                clock_offset_secs: 0,
                catalog: &CATALOG,
                faults: Mutex::new(VecDeque::new()),
                requests: Mutex::new(RequestLog::new(RequestLogLimits::off())),
                store: Mutex::new(Store::new(START - 1000, HistoryLimits::default())),
                examples_only: false,
                function: FunctionHandler::echo(),
                async_delay: Duration::ZERO,
                request_window: Duration::ZERO,
                throttle: None,
                body_timeout: Duration::ZERO,
            });
            let harness = Harness {
                shared,
                clock: Cell::new(START - 1000),
            };
            harness.ok(
                "CreateFunction",
                json!({"FunctionName": "demo", "Code": {"ZipFile": "UEsDBA=="}}),
            );
            harness
        }

        /// The time the next request will carry.
        pub(crate) fn next_time(&self) -> Millis {
            self.clock.get() + 1000
        }

        /// Sends `action` with `params` (which must pass the spec's validation) and checks that
        /// an error's code is documented for the action.
        pub(crate) fn call(&self, action: &str, params: Value) -> Answer {
            let def = CATALOG
                .action(action)
                .unwrap_or_else(|| panic!("unknown action {action}"));
            let Value::Object(params) = params else {
                panic!("{action}: params must be a JSON object");
            };
            if let Err(e) = check_object(&CATALOG, def.input, &params, "") {
                panic!("{action}: the request is not valid per the spec: {e:?}");
            }
            let now = self.next_time();
            self.clock.set(now);
            let ctx = Ctx {
                shared: &self.shared,
                params: &params,
                now,
            };
            let answer = namespaces::handle(&ctx, action)
                .or_else(|| functions::handle(&ctx, action))
                .or_else(|| versions::handle(&ctx, action))
                .or_else(|| aliases::handle(&ctx, action))
                .or_else(|| triggers::handle(&ctx, action))
                .unwrap_or_else(|| panic!("{action} is not answered from the state"));
            if let Err(e) = &answer {
                assert!(
                    CATALOG.documents(def, &e.code),
                    "{action} answered {}, which the spec does not document for it",
                    e.code
                );
            }
            answer
        }

        /// The answer to a request that must succeed.
        pub(crate) fn ok(&self, action: &str, params: Value) -> Map<String, Value> {
            self.call(action, params)
                .unwrap_or_else(|e| panic!("{action} failed: {e:?}"))
        }

        /// The error code of a request that must fail.
        pub(crate) fn code(&self, action: &str, params: Value) -> String {
            match self.call(action, params) {
                Ok(out) => panic!("{action} succeeded: {out:?}"),
                Err(e) => e.code,
            }
        }

        /// The store, locked.
        pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
            self.shared
                .store
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::testing::{Harness, START};
    use crate::state::datetime;

    /// The `FunctionVersion` names of a ListVersionByFunction answer.
    fn names(out: &serde_json::Map<String, Value>) -> Vec<&str> {
        out["FunctionVersion"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect()
    }

    #[test]
    fn publish_freezes_the_configuration() {
        let h = Harness::new();
        h.ok(
            "UpdateFunctionConfiguration",
            json!({"FunctionName": "demo", "MemorySize": 256, "Timeout": 9}),
        );
        let out = h.ok(
            "PublishVersion",
            json!({"FunctionName": "demo", "Description": "first"}),
        );
        assert_eq!(out["FunctionVersion"], "1");
        assert_eq!(out["MemorySize"], 256);
        assert_eq!(out["Timeout"], 9);
        assert_eq!(out["Description"], "first");
        assert_eq!(out["Handler"], "index.main_handler");
        assert_eq!(out["Runtime"], "Python2.7");
        assert_eq!(out["Namespace"], "default");
        // The base64 `ZipFile` of the test function decodes to 6 bytes.
        assert_eq!(out["CodeSize"], 6);
        h.ok(
            "UpdateFunctionConfiguration",
            json!({"FunctionName": "demo", "MemorySize": 512}),
        );
        let out = h.ok("PublishVersion", json!({"FunctionName": "demo"}));
        assert_eq!(out["FunctionVersion"], "2");
        assert_eq!(out["MemorySize"], 512);
        assert_eq!(out["Description"], "");
        let store = h.store();
        let function = &store.namespaces["default"].functions["demo"];
        assert_eq!(function.versions[&1].config["MemorySize"], 256);
        assert_eq!(function.versions[&2].config["MemorySize"], 512);
    }

    #[test]
    fn publish_errors() {
        let h = Harness::new();
        assert_eq!(
            h.code("PublishVersion", json!({"FunctionName": "nope"})),
            "ResourceNotFound.Function"
        );
        assert_eq!(
            h.code(
                "PublishVersion",
                json!({"FunctionName": "demo", "Namespace": "nope"})
            ),
            "ResourceNotFound.Namespace"
        );
        assert_eq!(
            h.code(
                "PublishVersion",
                json!({"FunctionName": "demo", "Description": "x".repeat(1001)})
            ),
            "InvalidParameterValue.Description"
        );
    }

    #[test]
    fn list_puts_latest_first_then_newest() {
        let h = Harness::new();
        let out = h.ok("ListVersionByFunction", json!({"FunctionName": "demo"}));
        assert_eq!(names(&out), ["$LATEST"]);
        assert_eq!(out["TotalCount"], 1);
        assert_eq!(out["Versions"][0]["Status"], "Active");
        assert_eq!(out["Versions"][0]["AddTime"], datetime(START));

        let third = h.next_time() + 2000;
        for description in ["one", "two", "three"] {
            h.ok(
                "PublishVersion",
                json!({"FunctionName": "demo", "Description": description}),
            );
        }
        let out = h.ok("ListVersionByFunction", json!({"FunctionName": "demo"}));
        assert_eq!(names(&out), ["$LATEST", "3", "2", "1"]);
        assert_eq!(out["TotalCount"], 4);
        let version = &out["Versions"][1];
        assert_eq!(version["Version"], "3");
        assert_eq!(version["Description"], "three");
        assert_eq!(version["AddTime"], datetime(third));
        assert_eq!(version["ModTime"], datetime(third));

        let out = h.ok(
            "ListVersionByFunction",
            json!({"FunctionName": "demo", "Order": "ASC", "OrderBy": "ModTime"}),
        );
        assert_eq!(names(&out), ["$LATEST", "1", "2", "3"]);
    }

    #[test]
    fn list_pages() {
        let h = Harness::new();
        for _ in 0..3 {
            h.ok("PublishVersion", json!({"FunctionName": "demo"}));
        }
        let page = |offset: u64, limit: u64| {
            let out = h.ok(
                "ListVersionByFunction",
                json!({"FunctionName": "demo", "Offset": offset, "Limit": limit, "Order": "ASC"}),
            );
            assert_eq!(out["TotalCount"], 4);
            assert_eq!(
                out["Versions"].as_array().map(Vec::len),
                Some(names(&out).len())
            );
            names(&out)
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(page(0, 2), ["$LATEST", "1"]);
        assert_eq!(page(2, 2), ["2", "3"]);
        assert_eq!(page(3, 20), ["3"]);
        assert!(page(4, 20).is_empty());
        assert!(page(u64::MAX, u64::MAX).is_empty());
        assert!(page(0, 0).is_empty());
    }

    #[test]
    fn list_errors() {
        let h = Harness::new();
        assert_eq!(
            h.code(
                "ListVersionByFunction",
                json!({"FunctionName": "demo", "Order": "UP"})
            ),
            "InvalidParameterValue.Order"
        );
        assert_eq!(
            h.code(
                "ListVersionByFunction",
                json!({"FunctionName": "demo", "OrderBy": "Name"})
            ),
            "InvalidParameterValue"
        );
        assert_eq!(
            h.code("ListVersionByFunction", json!({"FunctionName": "nope"})),
            "ResourceNotFound.Function"
        );
        assert_eq!(
            h.code(
                "ListVersionByFunction",
                json!({"FunctionName": "demo", "Namespace": "nope"})
            ),
            "ResourceNotFound.Namespace"
        );
    }

    #[test]
    fn delete_removes_the_version_and_its_triggers() {
        let h = Harness::new();
        h.ok("PublishVersion", json!({"FunctionName": "demo"}));
        h.ok("PublishVersion", json!({"FunctionName": "demo"}));
        h.ok(
            "CreateTrigger",
            json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer",
                   "TriggerDesc": "0 */5 * * * * *", "Qualifier": "1"}),
        );
        h.ok(
            "DeleteFunctionVersion",
            json!({"FunctionName": "demo", "Qualifier": "1", "ForceDelete": "true"}),
        );
        let out = h.ok("ListVersionByFunction", json!({"FunctionName": "demo"}));
        assert_eq!(names(&out), ["$LATEST", "2"]);
        assert!(
            h.store().namespaces["default"].functions["demo"]
                .triggers
                .is_empty()
        );
        // Numbers are not reused.
        let out = h.ok("PublishVersion", json!({"FunctionName": "demo"}));
        assert_eq!(out["FunctionVersion"], "3");
    }

    #[test]
    fn delete_errors() {
        let h = Harness::new();
        h.ok("PublishVersion", json!({"FunctionName": "demo"}));
        h.ok("PublishVersion", json!({"FunctionName": "demo"}));
        let delete = |qualifier: &str| {
            h.code(
                "DeleteFunctionVersion",
                json!({"FunctionName": "demo", "Qualifier": qualifier}),
            )
        };
        assert_eq!(delete("$LATEST"), "InvalidParameterValue.Qualifier");
        assert_eq!(delete("prod"), "InvalidParameterValue.Qualifier");
        assert_eq!(delete("-1"), "InvalidParameterValue.Qualifier");
        assert_eq!(delete("01"), "InvalidParameterValue.Qualifier");
        assert_eq!(delete("7"), "ResourceNotFound.Qualifier");
        assert_eq!(
            h.code(
                "DeleteFunctionVersion",
                json!({"FunctionName": "nope", "Qualifier": "1"})
            ),
            "ResourceNotFound.Function"
        );
        assert_eq!(
            h.code(
                "DeleteFunctionVersion",
                json!({"FunctionName": "demo", "Qualifier": "1", "Namespace": "nope"})
            ),
            "ResourceNotFound.Namespace"
        );

        // Version 1 is an alias's primary version, version 2 its additional one.
        h.ok(
            "CreateAlias",
            json!({"FunctionName": "demo", "Name": "prod", "FunctionVersion": "1",
                   "RoutingConfig": {"AdditionalVersionWeights": [{"Version": "2", "Weight": 0.1}]}}),
        );
        assert_eq!(delete("1"), "UnsupportedOperation.AliasBind");
        assert_eq!(delete("2"), "UnsupportedOperation.AliasBind");
        h.ok(
            "DeleteAlias",
            json!({"FunctionName": "demo", "Name": "prod"}),
        );
        h.ok(
            "DeleteFunctionVersion",
            json!({"FunctionName": "demo", "Qualifier": "2"}),
        );
    }
}
