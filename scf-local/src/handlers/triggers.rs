//! Triggers: create, delete, list, update, enable or disable.
//!
//! A trigger is bound to a qualifier of its function (`$LATEST`, a published version or an
//! alias); its name is unique per function and qualifier, and it is stored in
//! [`Function::triggers`] under [`Trigger::key`]`(qualifier, name)`. A timer's `TriggerDesc` is
//! stored as `{"cron":"<expression>"}`, as the service shows it; other types keep the JSON text
//! they were given.

mod desc;

use serde_json::{Map, json};

use desc::{
    check_trigger_name, ckafka_desc, invalid_desc, json_object, new_desc, same_desc, timer_desc,
};

use super::{Answer, Route, not_found_as, paged};
use crate::context::Ctx;
use crate::error::ApiError;
use crate::state::{Function, LATEST, Trigger, trigger_json, version_number};

/// The actions this area answers, with their handlers.
pub(crate) const ROUTES: &[Route] = &[
    Route::sync("CreateTrigger", create),
    Route::sync("DeleteTrigger", delete),
    Route::sync("ListTriggers", list),
    Route::sync("UpdateTrigger", update),
    Route::sync("UpdateTriggerStatus", update_status),
];

/// Every trigger type the spec documents (CreateTrigger, DeleteTrigger and `TriggerInfo`).
const TYPES: &[&str] = &[
    "apigw", "ckafka", "clb", "cls", "cm", "cmq", "cos", "eb", "http", "mps", "timer", "vod",
];
/// The types UpdateTrigger changes.
const UPDATABLE_TYPES: &[&str] = &["ckafka", "http", "timer"];
/// The types UpdateTriggerStatus switches.
const SWITCHABLE_TYPES: &[&str] = &["ckafka", "cos", "timer"];

/// The `Qualifier` parameter, `$LATEST` when absent or empty.
fn qualifier<'c>(ctx: &'c Ctx<'_>) -> &'c str {
    ctx.str("Qualifier")
        .filter(|q| !q.is_empty())
        .unwrap_or(LATEST)
}

/// Whether `qualifier` names `$LATEST`, a published version (written canonically) or an alias of
/// `function`.
fn qualifier_exists(function: &Function, qualifier: &str) -> bool {
    qualifier == LATEST
        || version_number(qualifier).is_some_and(|n| function.versions.contains_key(&n))
        || function.aliases.contains_key(qualifier)
}

/// `ResourceNotFound.Qualifier` for `qualifier` of `function`.
fn qualifier_not_found(function: &str, qualifier: &str) -> ApiError {
    ApiError::new(
        "ResourceNotFound.Qualifier",
        format!("The function `{function}` has no version or alias `{qualifier}`."),
    )
}

/// Checks that `kind` is one of `allowed` (`InvalidParameterValue.Type` otherwise).
fn check_type(kind: &str, allowed: &[&str]) -> Result<(), ApiError> {
    if allowed.contains(&kind) {
        Ok(())
    } else {
        Err(ApiError::new(
            "InvalidParameterValue.Type",
            format!(
                "The trigger type `{kind}` is not supported here; use one of: {}.",
                allowed.join(", ")
            ),
        ))
    }
}

/// The `Enable` parameter: `OPEN` is true, `CLOSE` false, absent `None`;
/// `InvalidParameterValue.Enable` for anything else (an empty string included).
fn enable(ctx: &Ctx<'_>) -> Result<Option<bool>, ApiError> {
    match ctx.str("Enable") {
        None => Ok(None),
        Some("OPEN") => Ok(Some(true)),
        Some("CLOSE") => Ok(Some(false)),
        Some(other) => Err(ApiError::new(
            "InvalidParameterValue.Enable",
            format!("Enable must be OPEN or CLOSE, got `{other}`."),
        )),
    }
}

/// The key of the `kind` trigger `name` bound to `qualifier`, which must exist; a COS trigger is
/// identified by the request's `TriggerDesc` as well. When the trigger is missing and
/// `check_qualifier` is set, a missing qualifier is reported as `ResourceNotFound.Qualifier`.
fn locate(
    ctx: &Ctx<'_>,
    function: &Function,
    kind: &str,
    check_qualifier: bool,
) -> Result<String, ApiError> {
    let name = ctx.required("TriggerName");
    let qualifier = qualifier(ctx);
    let desc = ctx.str("TriggerDesc").filter(|d| !d.trim().is_empty());
    if kind == "cos" && desc.is_none() {
        return Err(invalid_desc(
            "A COS trigger is identified by its TriggerDesc as well; it is required.",
        ));
    }
    let key = Trigger::key(qualifier, name);
    let found = function.triggers.get(&key).is_some_and(|t| {
        t.kind == kind && (kind != "cos" || desc.is_some_and(|d| same_desc(&t.desc, d)))
    });
    if found {
        return Ok(key);
    }
    if check_qualifier && !qualifier_exists(function, qualifier) {
        return Err(qualifier_not_found(&function.name, qualifier));
    }
    Err(trigger_not_found(&function.name, kind, name, qualifier))
}

/// `ResourceNotFound.Trigger` for the `kind` trigger `name` on `qualifier` of `function`.
fn trigger_not_found(function: &str, kind: &str, name: &str, qualifier: &str) -> ApiError {
    ApiError::new(
        "ResourceNotFound.Trigger",
        format!("The function `{function}` has no {kind} trigger `{name}` on `{qualifier}`."),
    )
}

/// The trigger [`locate`] finds, for changing it.
fn locate_mut<'f>(
    ctx: &Ctx<'_>,
    function: &'f mut Function,
    kind: &str,
) -> Result<&'f mut Trigger, ApiError> {
    let key = locate(ctx, function, kind, true)?;
    let function_name = function.name.clone();
    function.triggers.get_mut(&key).ok_or_else(|| {
        trigger_not_found(
            &function_name,
            kind,
            ctx.required("TriggerName"),
            qualifier(ctx),
        )
    })
}

/// CreateTrigger: binds a new trigger to a qualifier (default `$LATEST`), enabled unless
/// `Enable` is `CLOSE`, and answers it as the `Trigger` type.
fn create(ctx: &Ctx<'_>) -> Answer {
    let function_name = ctx.required("FunctionName");
    let name = ctx.required("TriggerName");
    let kind = ctx.required("Type");
    let qualifier = qualifier(ctx);
    check_type(kind, TYPES)?;
    check_trigger_name(kind, name)?;
    let desc = new_desc(kind, ctx.str("TriggerDesc"))?;
    let enabled = enable(ctx)?.unwrap_or(true);
    let mut store = ctx.store();
    let function = store.function_mut(ctx.namespace(), function_name)?;
    function.ensure_default_alias();
    if !qualifier_exists(function, qualifier) {
        return Err(qualifier_not_found(function_name, qualifier));
    }
    let key = Trigger::key(qualifier, name);
    if function.triggers.contains_key(&key) {
        return Err(ApiError::new(
            "ResourceInUse.Trigger",
            format!(
                "The function `{function_name}` already has a trigger `{name}` on `{qualifier}`."
            ),
        ));
    }
    let trigger = Trigger {
        name: name.to_owned(),
        kind: kind.to_owned(),
        desc,
        qualifier: qualifier.to_owned(),
        enabled,
        custom_argument: ctx.str("CustomArgument").unwrap_or_default().to_owned(),
        description: ctx.str("Description").unwrap_or_default().to_owned(),
        added: ctx.now,
        modified: ctx.now,
    };
    let info = trigger_json(&trigger);
    function.triggers.insert(key, trigger);
    let mut out = Map::new();
    out.insert("TriggerInfo".into(), info);
    Ok(out)
}

/// DeleteTrigger: removes a trigger of the given type (COS triggers matched by `TriggerDesc`).
fn delete(ctx: &Ctx<'_>) -> Answer {
    let kind = ctx.required("Type");
    check_type(kind, TYPES)?;
    let mut store = ctx.store();
    // DeleteTrigger does not document `ResourceNotFound.Namespace`.
    let function = store
        .function_mut(ctx.namespace(), ctx.required("FunctionName"))
        .map_err(not_found_as("ResourceNotFound.Function"))?;
    let key = locate(ctx, function, kind, false)?;
    function.triggers.remove(&key);
    Ok(Map::new())
}

/// One `Filters` entry of ListTriggers: the field and the values any of which must match.
enum Filter<'p> {
    /// The qualifier equals a value.
    Qualifier(Vec<&'p str>),
    /// The name equals a value.
    TriggerName(Vec<&'p str>),
    /// The description contains a value.
    Description(Vec<&'p str>),
}

impl Filter<'_> {
    /// Whether `t` passes this filter.
    fn matches(&self, t: &Trigger) -> bool {
        match self {
            Filter::Qualifier(values) => values.contains(&t.qualifier.as_str()),
            Filter::TriggerName(values) => values.contains(&t.name.as_str()),
            Filter::Description(values) => values.iter().any(|v| t.description.contains(v)),
        }
    }
}

/// The most filters a request may carry.
const MAX_FILTERS: usize = 10;

/// The `Filters` of ListTriggers; `InvalidParameterValue.Filters` for more than ten, an unknown
/// name or an empty list of values.
fn filters<'p>(ctx: &Ctx<'p>) -> Result<Vec<Filter<'p>>, ApiError> {
    let invalid = |message: String| ApiError::new("InvalidParameterValue.Filters", message);
    let entries = ctx.filters();
    if entries.len() > MAX_FILTERS {
        return Err(invalid(format!(
            "At most {MAX_FILTERS} filters are accepted, got {}.",
            entries.len()
        )));
    }
    entries
        .into_iter()
        .map(|(name, values)| {
            if values.is_empty() {
                return Err(invalid(format!("The filter `{name}` has no values.")));
            }
            match name {
                "Qualifier" => Ok(Filter::Qualifier(values)),
                "TriggerName" => Ok(Filter::TriggerName(values)),
                "Description" => Ok(Filter::Description(values)),
                other => Err(invalid(format!(
                    "Filters.Name must be Qualifier, TriggerName or Description, got `{other}`."
                ))),
            }
        })
        .collect()
}

/// ListTriggers: the function's triggers passing every filter, sorted by `OrderBy` (`mod_time`
/// by default, or `add_time`) in `Order` (`DESC` by default), paged by `Offset` and `Limit`
/// (default 20), as `TriggerInfo` objects.
fn list(ctx: &Ctx<'_>) -> Answer {
    let page = ctx.unsigned_page(20);
    let descending = ctx.descending(true)?;
    let by_add_time = match ctx.str("OrderBy").unwrap_or("mod_time") {
        "add_time" => true,
        "mod_time" => false,
        other => {
            return Err(ApiError::new(
                "InvalidParameterValue.OrderBy",
                format!("OrderBy must be add_time or mod_time, got `{other}`."),
            ));
        }
    };
    let filters = filters(ctx)?;
    let store = ctx.store();
    // ListTriggers documents no `ResourceNotFound.*` code, only the common `ResourceNotFound`.
    let function = store
        .function(ctx.namespace(), ctx.required("FunctionName"))
        .map_err(not_found_as("ResourceNotFound"))?;
    let mut triggers: Vec<&Trigger> = function
        .triggers
        .values()
        .filter(|t| filters.iter().all(|f| f.matches(t)))
        .collect();
    triggers.sort_by(|a, b| {
        let time = |t: &Trigger| if by_add_time { t.added } else { t.modified };
        (time(a), &a.qualifier, &a.name).cmp(&(time(b), &b.qualifier, &b.name))
    });
    if descending {
        triggers.reverse();
    }
    let (triggers, total) = paged(triggers, page);
    let mut out = Map::new();
    // `trigger_json` renders every required member of `TriggerInfo` (whose `Enable` is the
    // same 0 or 1); the optional `BoundResources` is left out.
    out.insert(
        "Triggers".into(),
        triggers.into_iter().map(trigger_json).collect(),
    );
    out.insert("TotalCount".into(), json!(total));
    Ok(out)
}

/// UpdateTrigger: changes `Enable`, `TriggerDesc`, `Description` and `CustomArgument` of a timer,
/// CKafka or http trigger; members left out keep their values.
fn update(ctx: &Ctx<'_>) -> Answer {
    let kind = ctx.required("Type");
    check_type(kind, UPDATABLE_TYPES)?;
    let enabled = enable(ctx)?;
    let mut store = ctx.store();
    let function = store.function_mut(ctx.namespace(), ctx.required("FunctionName"))?;
    function.ensure_default_alias();
    let trigger = locate_mut(ctx, function, kind)?;
    // Check the new configuration before changing anything.
    let desc = match ctx.str("TriggerDesc") {
        None => None,
        Some(given) => Some(match kind {
            "timer" => timer_desc(given, true)?,
            "ckafka" => ckafka_desc(&trigger.desc, given)?,
            _ => json_object(kind, given).map(|_| given.to_owned())?,
        }),
    };
    if let Some(desc) = desc {
        trigger.desc = desc;
    }
    if let Some(enabled) = enabled {
        trigger.enabled = enabled;
    }
    if let Some(description) = ctx.str("Description") {
        description.clone_into(&mut trigger.description);
    }
    if let Some(argument) = ctx.str("CustomArgument") {
        argument.clone_into(&mut trigger.custom_argument);
    }
    trigger.modified = ctx.now;
    Ok(Map::new())
}

/// UpdateTriggerStatus: enables (`OPEN`) or disables (`CLOSE`) a timer, COS or CKafka trigger.
fn update_status(ctx: &Ctx<'_>) -> Answer {
    let kind = ctx.required("Type");
    check_type(kind, SWITCHABLE_TYPES)?;
    let Some(enabled) = enable(ctx)? else {
        return Err(ApiError::new(
            "InvalidParameterValue.Enable",
            "Enable must be OPEN or CLOSE.",
        ));
    };
    let mut store = ctx.store();
    let function = store.function_mut(ctx.namespace(), ctx.required("FunctionName"))?;
    function.ensure_default_alias();
    let trigger = locate_mut(ctx, function, kind)?;
    trigger.enabled = enabled;
    trigger.modified = ctx.now;
    Ok(Map::new())
}

#[cfg(test)]
mod tests;
