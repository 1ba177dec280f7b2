//! Aliases: create, get, list, update, delete.
//!
//! An alias names `$LATEST` or a published version (its primary version) and may route part of
//! its requests to one additional version, by weight or by rule (`RoutingConfig`). Every function
//! has the built-in alias `$DEFAULT`, pointing to `$LATEST`; it cannot be deleted.

use serde_json::{Map, Value, json};

use super::functions::find_mut;
use super::not_found_as;
use super::versions::version_number;
use super::{Answer, Ctx, invalid_value, paged};
use crate::error::ApiError;
use crate::state::{Alias, Function, LATEST, datetime};

/// The actions this module answers.
pub(crate) const ACTIONS: &[&str] = &[
    "CreateAlias",
    "DeleteAlias",
    "GetAlias",
    "ListAliases",
    "UpdateAlias",
];

/// Answers `action` if this module models it.
pub(crate) fn handle(ctx: &Ctx<'_>, action: &str) -> Option<Answer> {
    Some(match action {
        "CreateAlias" => create(ctx),
        "DeleteAlias" => delete(ctx),
        "GetAlias" => get(ctx),
        "ListAliases" => list(ctx),
        "UpdateAlias" => update(ctx),
        _ => return None,
    })
}

/// The alias every function has, pointing to `$LATEST` unless updated.
pub(crate) const DEFAULT_ALIAS: &str = "$DEFAULT";

/// Adds the built-in `$DEFAULT` alias (to `$LATEST`, dated like the function) to a function
/// that does not have it yet. CreateFunction and CopyFunction call it; the alias and trigger
/// handlers call it too, which keeps functions from older states consistent.
pub(crate) fn ensure_default_alias(function: &mut Function) {
    let created = function.added;
    function
        .aliases
        .entry(DEFAULT_ALIAS.to_owned())
        .or_insert_with(|| Alias {
            name: DEFAULT_ALIAS.to_owned(),
            function_version: LATEST.to_owned(),
            description: String::new(),
            routing_config: None,
            added: created,
            modified: created,
        });
}

/// The versions `alias` sends requests to: its primary version, then the additional versions
/// of its `RoutingConfig`.
pub(crate) fn routes_to(alias: &Alias) -> impl Iterator<Item = &str> {
    let additional = alias
        .routing_config
        .iter()
        .flat_map(|routing| {
            routing_list(routing, WEIGHTS)
                .iter()
                .chain(routing_list(routing, MATCHES))
        })
        .filter_map(|entry| entry.get("Version").and_then(Value::as_str));
    std::iter::once(alias.function_version.as_str()).chain(additional)
}

/// The `RoutingConfig` member with weight-based routing.
const WEIGHTS: &str = "AdditionalVersionWeights";
/// The `RoutingConfig` member with rule-based routing (spelled as the API spells it).
const MATCHES: &str = "AddtionVersionMatchs";

/// The list `member` of a `RoutingConfig` (empty when absent).
fn routing_list<'v>(routing: &'v Value, member: &str) -> &'v [Value] {
    routing
        .get(member)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// An alias as the `Alias` type (and GetAlias) shows it; `RoutingConfig` always has both lists.
fn alias_json(alias: &Alias) -> Map<String, Value> {
    let list = |member: &str| {
        Value::Array(
            alias
                .routing_config
                .as_ref()
                .map(|routing| routing_list(routing, member).to_vec())
                .unwrap_or_default(),
        )
    };
    let mut out = Map::new();
    for (key, value) in [
        ("FunctionVersion", json!(alias.function_version)),
        ("Name", json!(alias.name)),
        (
            "RoutingConfig",
            json!({ WEIGHTS: list(WEIGHTS), MATCHES: list(MATCHES) }),
        ),
        ("Description", json!(alias.description)),
        ("AddTime", json!(datetime(alias.added))),
        ("ModTime", json!(datetime(alias.modified))),
    ] {
        out.insert(key.to_owned(), value);
    }
    out
}

/// `ResourceNotFound.Alias` for alias `name` of function `function`.
fn not_found(function: &str, name: &str) -> ApiError {
    ApiError::new(
        "ResourceNotFound.Alias",
        format!("The function `{function}` has no alias `{name}`."),
    )
}

/// Alias names: 1 to 64 letters, digits, `_` and `-`, starting with a letter.
fn check_name(name: &str) -> Result<(), ApiError> {
    let valid = (1..=64).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(())
    } else {
        Err(ApiError::new(
            "InvalidParameterValue.Name",
            format!(
                "The alias name `{name}` is invalid: use 1 to 64 letters, digits, `_` or `-`, \
                 starting with a letter."
            ),
        ))
    }
}

/// Checks that `version` is `$LATEST` or a published version of `function`
/// (`ResourceNotFound.FunctionVersion` otherwise).
fn check_version(function: &Function, version: &str) -> Result<(), ApiError> {
    let exists = version == LATEST
        || version_number(version).is_some_and(|n| function.versions.contains_key(&n));
    if exists {
        Ok(())
    } else {
        Err(ApiError::new(
            "ResourceNotFound.FunctionVersion",
            format!(
                "The function `{}` has no version `{version}`; an alias points to `$LATEST` or \
                 a published version.",
                function.name
            ),
        ))
    }
}

/// An `InvalidParameterValue.RoutingConfig` error.
fn invalid_routing(message: impl Into<String>) -> ApiError {
    ApiError::new("InvalidParameterValue.RoutingConfig", message)
}

/// Checks a `RoutingConfig` for an alias whose primary version is `primary`: weights or rules
/// (not both), at most one additional version, which must exist and differ from `primary`;
/// weights from 0 to 1; rules with a key, a method of `exact` or `range`, and for `range` an
/// interval of integers such as `[1,10)`.
fn check_routing(function: &Function, primary: &str, routing: &Value) -> Result<(), ApiError> {
    let weights = routing_list(routing, WEIGHTS);
    let matches = routing_list(routing, MATCHES);
    if !weights.is_empty() && !matches.is_empty() {
        return Err(invalid_routing(
            "RoutingConfig cannot combine AdditionalVersionWeights and AddtionVersionMatchs.",
        ));
    }
    if weights.len() > 1 {
        return Err(ApiError::new(
            "InvalidParameterValue.AdditionalVersionWeights",
            format!(
                "AdditionalVersionWeights supports one additional version, got {}.",
                weights.len()
            ),
        ));
    }
    if matches.len() > 1 {
        return Err(invalid_routing(format!(
            "AddtionVersionMatchs supports one additional version, got {}.",
            matches.len()
        )));
    }
    let text = |entry: &Value, member: &str| {
        entry
            .get(member)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let check_additional = |version: &str| {
        if version == primary {
            return Err(invalid_routing(format!(
                "The additional version `{version}` must differ from FunctionVersion."
            )));
        }
        check_version(function, version)
    };
    for entry in weights {
        check_additional(&text(entry, "Version"))?;
        let weight = entry.get("Weight").and_then(Value::as_f64);
        if !weight.is_some_and(|w| (0.0..=1.0).contains(&w)) {
            return Err(ApiError::new(
                "InvalidParameterValue.AdditionalVersionWeights",
                format!(
                    "The weight of an additional version must be between 0 and 1, got {}.",
                    entry.get("Weight").unwrap_or(&Value::Null)
                ),
            ));
        }
    }
    for entry in matches {
        check_additional(&text(entry, "Version"))?;
        if text(entry, "Key").is_empty() {
            return Err(invalid_routing(
                "The Key of a version match rule must not be empty.",
            ));
        }
        let expression = text(entry, "Expression");
        match text(entry, "Method").as_str() {
            "exact" if !expression.is_empty() => {}
            "exact" => {
                return Err(invalid_routing(
                    "The Expression of an `exact` version match rule must not be empty.",
                ));
            }
            "range" if is_integer_interval(&expression) => {}
            "range" => {
                return Err(invalid_routing(format!(
                    "The Expression of a `range` version match rule must be an interval of \
                     integers such as `[1,10)`, got `{expression}`."
                )));
            }
            other => {
                return Err(invalid_routing(format!(
                    "The Method of a version match rule must be `exact` or `range`, got \
                     `{other}`."
                )));
            }
        }
    }
    Ok(())
}

/// Whether `text` is an open or closed interval of integers, `(a,b)`, `[a,b]`, `[a,b)` or
/// `(a,b]`, with `a <= b`.
fn is_integer_interval(text: &str) -> bool {
    let inner = text
        .strip_prefix(['(', '['])
        .and_then(|rest| rest.strip_suffix([')', ']']));
    let Some((low, high)) = inner.and_then(|inner| inner.split_once(',')) else {
        return false;
    };
    match (low.trim().parse::<i64>(), high.trim().parse::<i64>()) {
        (Ok(low), Ok(high)) => low <= high,
        _ => false,
    }
}

/// CreateAlias: a new alias to `$LATEST` or a published version, with an optional
/// `RoutingConfig`.
fn create(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("Name");
    let function_name = ctx.required("FunctionName");
    let namespace = ctx.namespace();
    let version = ctx.required("FunctionVersion");
    check_name(name)?;
    let mut store = ctx.store();
    // CreateAlias does not document `ResourceNotFound.Namespace`.
    let function = find_mut(&mut store, namespace, function_name)
        .map_err(not_found_as("ResourceNotFound.Function"))?;
    ensure_default_alias(function);
    if function.aliases.contains_key(name) {
        return Err(ApiError::new(
            "ResourceInUse.Alias",
            format!("The function `{function_name}` already has an alias `{name}`."),
        ));
    }
    check_version(function, version)?;
    let routing_config = ctx.params.get("RoutingConfig").cloned();
    if let Some(routing) = &routing_config {
        check_routing(function, version, routing)?;
    }
    function.aliases.insert(
        name.to_owned(),
        Alias {
            name: name.to_owned(),
            function_version: version.to_owned(),
            description: ctx.str("Description").unwrap_or_default().to_owned(),
            routing_config,
            added: ctx.now,
            modified: ctx.now,
        },
    );
    Ok(Map::new())
}

/// GetAlias: the stored alias.
fn get(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("Name");
    let function_name = ctx.required("FunctionName");
    let mut store = ctx.store();
    let function = find_mut(&mut store, ctx.namespace(), function_name)?;
    ensure_default_alias(function);
    function
        .aliases
        .get(name)
        .map(alias_json)
        .ok_or_else(|| not_found(function_name, name))
}

/// `Offset` and `Limit` of ListAliases, which takes them as strings of digits (an empty string
/// counts as absent; defaults 0 and 20); `InvalidParameterValue` for anything else.
fn string_page(ctx: &Ctx<'_>) -> Result<(usize, usize), ApiError> {
    let member = |name: &str, default: usize| match ctx.str(name).map(str::trim) {
        None | Some("") => Ok(default),
        // Digits only; a number too large for `usize` pages past the end anyway.
        Some(text) if text.bytes().all(|b| b.is_ascii_digit()) => {
            Ok(text.parse::<usize>().unwrap_or(usize::MAX))
        }
        Some(text) => Err(invalid_value(format!(
            "{name} must be a non-negative integer, got `{text}`."
        ))),
    };
    Ok((member("Offset", 0)?, member("Limit", 20)?))
}

/// ListAliases: the function's aliases by name, `$DEFAULT` first, optionally only those that
/// route to `FunctionVersion` (as primary or additional version), paged by `Offset` and `Limit`
/// (default 20).
fn list(ctx: &Ctx<'_>) -> Answer {
    let function_name = ctx.required("FunctionName");
    let page = string_page(ctx)?;
    let version = ctx.str("FunctionVersion").filter(|v| !v.is_empty());
    let mut store = ctx.store();
    let function = find_mut(&mut store, ctx.namespace(), function_name)?;
    ensure_default_alias(function);
    let aliases: Vec<&Alias> = function
        .aliases
        .values()
        .filter(|alias| version.is_none_or(|v| routes_to(alias).any(|r| r == v)))
        .collect();
    let (aliases, total) = paged(aliases, page);
    let mut out = Map::new();
    out.insert(
        "Aliases".into(),
        aliases
            .into_iter()
            .map(|alias| Value::Object(alias_json(alias)))
            .collect(),
    );
    out.insert("TotalCount".into(), json!(total));
    Ok(out)
}

/// UpdateAlias: repoints an alias. `RoutingConfig` is replaced (left out, all requests go to
/// `FunctionVersion`); `Description` is kept when left out.
fn update(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("Name");
    let function_name = ctx.required("FunctionName");
    let version = ctx.required("FunctionVersion");
    let mut store = ctx.store();
    let function = find_mut(&mut store, ctx.namespace(), function_name)?;
    ensure_default_alias(function);
    if !function.aliases.contains_key(name) {
        return Err(not_found(function_name, name));
    }
    check_version(function, version)?;
    let routing_config = ctx.params.get("RoutingConfig").cloned();
    if let Some(routing) = &routing_config {
        check_routing(function, version, routing)?;
    }
    let alias = function
        .aliases
        .get_mut(name)
        .ok_or_else(|| not_found(function_name, name))?;
    alias.function_version = version.to_owned();
    alias.routing_config = routing_config;
    if let Some(description) = ctx.str("Description") {
        description.clone_into(&mut alias.description);
    }
    alias.modified = ctx.now;
    Ok(Map::new())
}

/// DeleteAlias: removes an alias and the triggers bound to it; the versions it points to stay.
/// `$DEFAULT` cannot be deleted.
fn delete(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("Name");
    let function_name = ctx.required("FunctionName");
    if name == DEFAULT_ALIAS {
        return Err(ApiError::new(
            "InvalidParameterValue.Alias",
            "The default alias `$DEFAULT` cannot be deleted.",
        ));
    }
    let mut store = ctx.store();
    // DeleteAlias does not document `ResourceNotFound.Namespace`.
    let function = find_mut(&mut store, ctx.namespace(), function_name)
        .map_err(not_found_as("ResourceNotFound.Function"))?;
    if function.aliases.remove(name).is_none() {
        return Err(not_found(function_name, name));
    }
    function.triggers.retain(|_, t| t.qualifier != name);
    Ok(Map::new())
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value, json};

    use super::super::versions::testing::{Harness, START};
    use crate::state::datetime;

    /// A harness whose function `demo` has versions 1 and 2.
    fn with_versions() -> Harness {
        let h = Harness::new();
        h.ok("PublishVersion", json!({"FunctionName": "demo"}));
        h.ok("PublishVersion", json!({"FunctionName": "demo"}));
        h
    }

    fn get(h: &Harness, name: &str) -> Map<String, Value> {
        h.ok("GetAlias", json!({"FunctionName": "demo", "Name": name}))
    }

    /// The alias names of a ListAliases answer.
    fn names(out: &Map<String, Value>) -> Vec<String> {
        out["Aliases"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| a["Name"].as_str().map(str::to_owned))
            .collect()
    }

    #[test]
    fn create_and_get() {
        let h = with_versions();
        let created = h.next_time();
        h.ok(
            "CreateAlias",
            json!({"FunctionName": "demo", "Name": "prod", "FunctionVersion": "1",
                   "Description": "production",
                   "RoutingConfig": {"AdditionalVersionWeights": [{"Version": "2", "Weight": 0.25}]}}),
        );
        let out = get(&h, "prod");
        assert_eq!(
            Value::Object(out),
            json!({
                "FunctionVersion": "1",
                "Name": "prod",
                "RoutingConfig": {
                    "AdditionalVersionWeights": [{"Version": "2", "Weight": 0.25}],
                    "AddtionVersionMatchs": [],
                },
                "Description": "production",
                "AddTime": datetime(created),
                "ModTime": datetime(created),
            })
        );
        h.ok(
            "CreateAlias",
            json!({"FunctionName": "demo", "Name": "canary", "FunctionVersion": "$LATEST",
                   "RoutingConfig": {"AddtionVersionMatchs": [
                       {"Version": "2", "Key": "invoke.headers.User", "Method": "range",
                        "Expression": "[1, 10)"}]}}),
        );
        let out = get(&h, "canary");
        assert_eq!(out["RoutingConfig"]["AdditionalVersionWeights"], json!([]));
        assert_eq!(
            out["RoutingConfig"]["AddtionVersionMatchs"][0]["Method"],
            "range"
        );
        let out = h.ok(
            "CreateAlias",
            json!({"FunctionName": "demo", "Name": "plain", "FunctionVersion": "2"}),
        );
        assert!(out.is_empty());
        assert_eq!(get(&h, "plain")["Description"], "");
    }

    #[test]
    fn default_alias_is_built_in() {
        let h = Harness::new();
        let out = get(&h, "$DEFAULT");
        assert_eq!(out["FunctionVersion"], "$LATEST");
        assert_eq!(out["AddTime"], datetime(START));
        assert_eq!(
            h.code(
                "DeleteAlias",
                json!({"FunctionName": "demo", "Name": "$DEFAULT"})
            ),
            "InvalidParameterValue.Alias"
        );
        h.ok("PublishVersion", json!({"FunctionName": "demo"}));
        h.ok(
            "UpdateAlias",
            json!({"FunctionName": "demo", "Name": "$DEFAULT", "FunctionVersion": "1"}),
        );
        assert_eq!(get(&h, "$DEFAULT")["FunctionVersion"], "1");
    }

    #[test]
    fn create_errors() {
        let h = with_versions();
        let create = |params: Value| h.code("CreateAlias", params);
        for bad in ["", "1abc", "has space", "$LATEST", &"a".repeat(65)] {
            assert_eq!(
                create(json!({"FunctionName": "demo", "Name": bad, "FunctionVersion": "1"})),
                "InvalidParameterValue.Name",
                "{bad}"
            );
        }
        assert_eq!(
            create(json!({"FunctionName": "nope", "Name": "a", "FunctionVersion": "1"})),
            "ResourceNotFound.Function"
        );
        assert_eq!(
            create(
                json!({"FunctionName": "demo", "Name": "a", "FunctionVersion": "1",
                          "Namespace": "nope"})
            ),
            "ResourceNotFound.Function"
        );
        for missing in ["3", "01", "prod", ""] {
            assert_eq!(
                create(json!({"FunctionName": "demo", "Name": "a", "FunctionVersion": missing})),
                "ResourceNotFound.FunctionVersion",
                "{missing}"
            );
        }
        h.ok(
            "CreateAlias",
            json!({"FunctionName": "demo", "Name": "a", "FunctionVersion": "1"}),
        );
        assert_eq!(
            create(json!({"FunctionName": "demo", "Name": "a", "FunctionVersion": "2"})),
            "ResourceInUse.Alias"
        );
    }

    #[test]
    fn routing_config_errors() {
        let h = with_versions();
        let create = |routing: Value| {
            h.code(
                "CreateAlias",
                json!({"FunctionName": "demo", "Name": "a", "FunctionVersion": "1",
                       "RoutingConfig": routing}),
            )
        };
        let weight = |version: &str, weight: f64| json!({"Version": version, "Weight": weight});
        let rule = |method: &str, expression: &str| {
            json!({"Version": "2", "Key": "invoke.headers.User", "Method": method,
                   "Expression": expression})
        };
        for (routing, code) in [
            (
                json!({"AdditionalVersionWeights": [weight("2", 0.5)],
                       "AddtionVersionMatchs": [rule("exact", "u")]}),
                "InvalidParameterValue.RoutingConfig",
            ),
            (
                json!({"AdditionalVersionWeights": [weight("2", 0.5), weight("$LATEST", 0.1)]}),
                "InvalidParameterValue.AdditionalVersionWeights",
            ),
            (
                json!({"AdditionalVersionWeights": [weight("2", 1.5)]}),
                "InvalidParameterValue.AdditionalVersionWeights",
            ),
            (
                json!({"AdditionalVersionWeights": [weight("2", -0.1)]}),
                "InvalidParameterValue.AdditionalVersionWeights",
            ),
            (
                json!({"AdditionalVersionWeights": [weight("1", 0.5)]}),
                "InvalidParameterValue.RoutingConfig",
            ),
            (
                json!({"AdditionalVersionWeights": [weight("9", 0.5)]}),
                "ResourceNotFound.FunctionVersion",
            ),
            (
                json!({"AddtionVersionMatchs": [rule("exact", "u"), rule("exact", "v")]}),
                "InvalidParameterValue.RoutingConfig",
            ),
            (
                json!({"AddtionVersionMatchs": [rule("regex", "u")]}),
                "InvalidParameterValue.RoutingConfig",
            ),
            (
                json!({"AddtionVersionMatchs": [rule("exact", "")]}),
                "InvalidParameterValue.RoutingConfig",
            ),
            (
                json!({"AddtionVersionMatchs": [rule("range", "[10,1]")]}),
                "InvalidParameterValue.RoutingConfig",
            ),
            (
                json!({"AddtionVersionMatchs": [rule("range", "1-10")]}),
                "InvalidParameterValue.RoutingConfig",
            ),
            (
                json!({"AddtionVersionMatchs": [
                    {"Version": "2", "Key": "", "Method": "exact", "Expression": "u"}]}),
                "InvalidParameterValue.RoutingConfig",
            ),
        ] {
            assert_eq!(create(routing.clone()), code, "{routing}");
        }
        // Boundary weights and an empty configuration are accepted.
        for (name, routing) in [
            (
                "zero",
                json!({"AdditionalVersionWeights": [weight("2", 0.0)]}),
            ),
            (
                "one",
                json!({"AdditionalVersionWeights": [weight("$LATEST", 1.0)]}),
            ),
            ("empty", json!({})),
        ] {
            h.ok(
                "CreateAlias",
                json!({"FunctionName": "demo", "Name": name, "FunctionVersion": "1",
                       "RoutingConfig": routing}),
            );
        }
    }

    #[test]
    fn get_errors() {
        let h = Harness::new();
        assert_eq!(
            h.code("GetAlias", json!({"FunctionName": "demo", "Name": "nope"})),
            "ResourceNotFound.Alias"
        );
        assert_eq!(
            h.code("GetAlias", json!({"FunctionName": "nope", "Name": "a"})),
            "ResourceNotFound.Function"
        );
        assert_eq!(
            h.code(
                "GetAlias",
                json!({"FunctionName": "demo", "Name": "a", "Namespace": "nope"})
            ),
            "ResourceNotFound.Namespace"
        );
    }

    #[test]
    fn list_filters_and_pages() {
        let h = with_versions();
        for (name, version, extra) in [
            ("b", "1", None),
            ("a", "2", None),
            ("c", "$LATEST", Some("1")),
        ] {
            let mut params =
                json!({"FunctionName": "demo", "Name": name, "FunctionVersion": version});
            if let Some(extra) = extra {
                params["RoutingConfig"] =
                    json!({"AdditionalVersionWeights": [{"Version": extra, "Weight": 0.5}]});
            }
            h.ok("CreateAlias", params);
        }
        let list = |params: Value| h.ok("ListAliases", params);
        let out = list(json!({"FunctionName": "demo"}));
        assert_eq!(names(&out), ["$DEFAULT", "a", "b", "c"]);
        assert_eq!(out["TotalCount"], 4);
        assert_eq!(out["Aliases"][1]["FunctionVersion"], "2");

        let out = list(json!({"FunctionName": "demo", "FunctionVersion": "1"}));
        assert_eq!(names(&out), ["b", "c"]);
        assert_eq!(out["TotalCount"], 2);
        let out = list(json!({"FunctionName": "demo", "FunctionVersion": "$LATEST"}));
        assert_eq!(names(&out), ["$DEFAULT", "c"]);

        let out = list(json!({"FunctionName": "demo", "Offset": "1", "Limit": "2"}));
        assert_eq!(names(&out), ["a", "b"]);
        assert_eq!(out["TotalCount"], 4);
        let out = list(json!({"FunctionName": "demo", "Offset": "4"}));
        assert!(names(&out).is_empty());
        let out = list(json!({"FunctionName": "demo", "Offset": "", "Limit": "0"}));
        assert!(names(&out).is_empty());
        assert_eq!(out["TotalCount"], 4);
        let out = list(json!({"FunctionName": "demo", "Offset": "99999999999999999999"}));
        assert!(out["Aliases"].as_array().is_some_and(Vec::is_empty));
    }

    #[test]
    fn list_errors() {
        let h = Harness::new();
        for (member, value) in [
            ("Offset", "-1"),
            ("Limit", "ten"),
            ("Limit", "1.5"),
            ("Limit", "+1"),
        ] {
            assert_eq!(
                h.code(
                    "ListAliases",
                    json!({"FunctionName": "demo", member: value})
                ),
                "InvalidParameterValue",
                "{member}={value}"
            );
        }
        assert_eq!(
            h.code("ListAliases", json!({"FunctionName": "nope"})),
            "ResourceNotFound.Function"
        );
        assert_eq!(
            h.code(
                "ListAliases",
                json!({"FunctionName": "demo", "Namespace": "nope"})
            ),
            "ResourceNotFound.Namespace"
        );
    }

    #[test]
    fn update_repoints_and_replaces_routing() {
        let h = with_versions();
        let created = h.next_time();
        h.ok(
            "CreateAlias",
            json!({"FunctionName": "demo", "Name": "prod", "FunctionVersion": "1",
                   "Description": "kept",
                   "RoutingConfig": {"AdditionalVersionWeights": [{"Version": "2", "Weight": 0.5}]}}),
        );
        let updated = h.next_time();
        h.ok(
            "UpdateAlias",
            json!({"FunctionName": "demo", "Name": "prod", "FunctionVersion": "2"}),
        );
        let out = get(&h, "prod");
        assert_eq!(out["FunctionVersion"], "2");
        assert_eq!(out["Description"], "kept");
        assert_eq!(out["RoutingConfig"]["AdditionalVersionWeights"], json!([]));
        assert_eq!(out["AddTime"], datetime(created));
        assert_eq!(out["ModTime"], datetime(updated));
        // Version 1 is free again.
        h.ok(
            "UpdateAlias",
            json!({"FunctionName": "demo", "Name": "prod", "FunctionVersion": "$LATEST",
                   "Description": "",
                   "RoutingConfig": {"AdditionalVersionWeights": [{"Version": "2", "Weight": 0.1}]}}),
        );
        let out = get(&h, "prod");
        assert_eq!(out["Description"], "");
        assert_eq!(
            out["RoutingConfig"]["AdditionalVersionWeights"][0]["Weight"],
            0.1
        );
        h.ok(
            "DeleteFunctionVersion",
            json!({"FunctionName": "demo", "Qualifier": "1"}),
        );
    }

    #[test]
    fn update_errors() {
        let h = with_versions();
        h.ok(
            "CreateAlias",
            json!({"FunctionName": "demo", "Name": "prod", "FunctionVersion": "1"}),
        );
        let update = |params: Value| h.code("UpdateAlias", params);
        assert_eq!(
            update(json!({"FunctionName": "demo", "Name": "nope", "FunctionVersion": "1"})),
            "ResourceNotFound.Alias"
        );
        assert_eq!(
            update(json!({"FunctionName": "demo", "Name": "prod", "FunctionVersion": "5"})),
            "ResourceNotFound.FunctionVersion"
        );
        assert_eq!(
            update(
                json!({"FunctionName": "demo", "Name": "prod", "FunctionVersion": "1",
                          "RoutingConfig": {"AdditionalVersionWeights": [
                              {"Version": "1", "Weight": 0.5}]}})
            ),
            "InvalidParameterValue.RoutingConfig"
        );
        assert_eq!(
            update(json!({"FunctionName": "nope", "Name": "prod", "FunctionVersion": "1"})),
            "ResourceNotFound.Function"
        );
        assert_eq!(
            update(
                json!({"FunctionName": "demo", "Name": "prod", "FunctionVersion": "1",
                          "Namespace": "nope"})
            ),
            "ResourceNotFound.Namespace"
        );
        // A failed update changes nothing.
        assert_eq!(get(&h, "prod")["FunctionVersion"], "1");
    }

    #[test]
    fn delete_drops_the_alias_and_its_triggers() {
        let h = with_versions();
        h.ok(
            "CreateAlias",
            json!({"FunctionName": "demo", "Name": "prod", "FunctionVersion": "1"}),
        );
        for qualifier in ["prod", "$LATEST"] {
            h.ok(
                "CreateTrigger",
                json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer",
                       "TriggerDesc": "0 0 * * * * *", "Qualifier": qualifier}),
            );
        }
        h.ok(
            "DeleteAlias",
            json!({"FunctionName": "demo", "Name": "prod"}),
        );
        assert_eq!(
            h.code("GetAlias", json!({"FunctionName": "demo", "Name": "prod"})),
            "ResourceNotFound.Alias"
        );
        let store = h.store();
        let function = &store.namespaces["default"].functions["demo"];
        let qualifiers: Vec<&str> = function
            .triggers
            .values()
            .map(|t| t.qualifier.as_str())
            .collect();
        assert_eq!(qualifiers, ["$LATEST"]);
        assert_eq!(function.versions.len(), 2);
    }

    #[test]
    fn delete_errors() {
        let h = Harness::new();
        let delete = |params: Value| h.code("DeleteAlias", params);
        assert_eq!(
            delete(json!({"FunctionName": "demo", "Name": "nope"})),
            "ResourceNotFound.Alias"
        );
        assert_eq!(
            delete(json!({"FunctionName": "nope", "Name": "a"})),
            "ResourceNotFound.Function"
        );
        assert_eq!(
            delete(json!({"FunctionName": "demo", "Name": "a", "Namespace": "nope"})),
            "ResourceNotFound.Function"
        );
    }
}
