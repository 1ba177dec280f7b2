//! Versions: publish, list, delete.
//!
//! A published version is a frozen copy of the `$LATEST` configuration, numbered from 1 by
//! [`Function::publish`]. Versions live inside their [`Function`], so deleting the function
//! drops them.

use serde_json::{Map, Value, json};

use super::{Answer, Route, invalid_value, paged};
use crate::context::Ctx;
use crate::error::ApiError;
use crate::state::{LATEST, Millis, Version, datetime, version_number};

/// The actions this area answers, with their handlers.
pub(crate) const ROUTES: &[Route] = &[
    Route::sync("DeleteFunctionVersion", delete),
    Route::sync("ListVersionByFunction", list),
    Route::sync("PublishVersion", publish),
];

/// The longest version description accepted, as for function descriptions.
const MAX_DESCRIPTION_CHARS: usize = 1000;

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
    let function = store.function_mut(namespace, name)?;
    let number = function.publish(description, ctx.now);
    let config = &function.config;
    let member = |key: &str| config.get(key).cloned().unwrap_or(Value::Null);
    let mut out = Map::new();
    for (key, value) in [
        ("FunctionVersion", json!(number.to_string())),
        ("CodeSize", json!(function.code_size())),
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
    let function = store.function(namespace, name)?;
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
    let function = store.function_mut(namespace, name)?;
    function.remove_version(number)?;
    Ok(Map::new())
}

#[cfg(test)]
mod tests;
