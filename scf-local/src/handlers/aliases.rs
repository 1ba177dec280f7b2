//! Aliases: create, get, list, update, delete.
//!
//! An alias names `$LATEST` or a published version (its primary version) and may route part of
//! its requests to one additional version, by weight or by rule (`RoutingConfig`). Every function
//! has the built-in alias `$DEFAULT`, pointing to `$LATEST`; it cannot be deleted.

use serde_json::{Map, Value, json};

use super::{Answer, Route, invalid_value, not_found_as, paged};
use crate::context::Ctx;
use crate::error::ApiError;
use crate::state::function::{MATCHES, WEIGHTS, routing_list};
use crate::state::names::is_resource_name;
use crate::state::{Alias, DEFAULT_ALIAS, Function, LATEST, datetime, version_number};

/// The actions this area answers, with their handlers.
pub(crate) const ROUTES: &[Route] = &[
    Route::sync("CreateAlias", create),
    Route::sync("DeleteAlias", delete),
    Route::sync("GetAlias", get),
    Route::sync("ListAliases", list),
    Route::sync("UpdateAlias", update),
];

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

/// Alias names: 1 to 64 letters, digits, `_` and `-`, starting with a letter.
fn check_name(name: &str) -> Result<(), ApiError> {
    let valid = is_resource_name(name, 1..=64, true);
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

/// Checks the key, method and expression of a rule of `AddtionVersionMatchs`.
fn check_match_rule(entry: &Value) -> Result<(), ApiError> {
    let text = |member: &str| {
        entry
            .get(member)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    if text("Key").is_empty() {
        return Err(invalid_routing(
            "The Key of a version match rule must not be empty.",
        ));
    }
    let expression = text("Expression");
    match text("Method").as_str() {
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
    Ok(())
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
        check_match_rule(entry)?;
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
    let function = store
        .function_mut(namespace, function_name)
        .map_err(not_found_as("ResourceNotFound.Function"))?;
    function.ensure_default_alias();
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
    let function = store.function_mut(ctx.namespace(), function_name)?;
    function.ensure_default_alias();
    Ok(alias_json(function.alias(name)?))
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
    let function = store.function_mut(ctx.namespace(), function_name)?;
    function.ensure_default_alias();
    let aliases: Vec<&Alias> = function
        .aliases
        .values()
        .filter(|alias| version.is_none_or(|v| alias.routes_to().any(|r| r == v)))
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
    let function = store.function_mut(ctx.namespace(), function_name)?;
    function.ensure_default_alias();
    function.alias(name)?;
    check_version(function, version)?;
    let routing_config = ctx.params.get("RoutingConfig").cloned();
    if let Some(routing) = &routing_config {
        check_routing(function, version, routing)?;
    }
    let alias = function.alias_mut(name)?;
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
    let function = store
        .function_mut(ctx.namespace(), function_name)
        .map_err(not_found_as("ResourceNotFound.Function"))?;
    function.remove_alias(name)?;
    Ok(Map::new())
}

#[cfg(test)]
mod tests;
