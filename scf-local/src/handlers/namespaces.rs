//! Namespaces: create, update, list, delete.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::{Answer, Route, invalid_value, paged};
use crate::context::Ctx;
use crate::error::ApiError;
use crate::state::names::is_resource_name;
use crate::state::{DEFAULT_NAMESPACE, Namespace, datetime};

/// The actions this area answers, with their handlers.
pub(crate) const ROUTES: &[Route] = &[
    Route::sync("CreateNamespace", create),
    Route::sync("DeleteNamespace", delete),
    Route::sync("ListNamespaces", list),
    Route::sync("UpdateNamespace", update),
];

/// Namespace names: 1 to 30 characters, letters, digits, `-` and `_`, starting with a letter.
fn check_name(name: &str) -> Result<(), ApiError> {
    let valid = is_resource_name(name, 1..=30, true);
    if valid {
        Ok(())
    } else {
        Err(ApiError::new(
            "InvalidParameterValue.Namespace",
            format!(
                "The namespace name `{name}` is invalid: use 1 to 30 letters, digits, `-` or `_`, \
                 starting with a letter."
            ),
        ))
    }
}

fn create(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("Namespace");
    check_name(name)?;
    let mut store = ctx.store();
    if store.namespaces.contains_key(name) {
        return Err(ApiError::new(
            "ResourceInUse.Namespace",
            format!("The namespace `{name}` already exists."),
        ));
    }
    store.namespaces.insert(
        name.to_owned(),
        Namespace {
            name: name.to_owned(),
            description: ctx.str("Description").unwrap_or_default().to_owned(),
            kind: "custom".to_owned(),
            added: ctx.now,
            modified: ctx.now,
            functions: BTreeMap::new(),
        },
    );
    Ok(Map::new())
}

fn update(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("Namespace");
    let mut store = ctx.store();
    let namespace = store.namespace_mut(name)?;
    namespace.description = ctx.required("Description").to_owned();
    namespace.modified = ctx.now;
    Ok(Map::new())
}

fn delete(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("Namespace");
    if name == DEFAULT_NAMESPACE {
        return Err(ApiError::new(
            "FailedOperation.DeleteNamespace",
            "The default namespace cannot be deleted.",
        ));
    }
    let mut store = ctx.store();
    let namespace = store.namespace(name)?;
    if !namespace.functions.is_empty() {
        return Err(ApiError::new(
            "ResourceInUse.Namespace",
            format!(
                "The namespace `{name}` still holds {} function(s); delete them first.",
                namespace.functions.len()
            ),
        ));
    }
    store.namespaces.remove(name);
    Ok(Map::new())
}

fn list(ctx: &Ctx<'_>) -> Answer {
    let page = ctx.page(20, 100)?;
    let descending = ctx.descending(false)?;
    let order_by = ctx.str("Orderby").unwrap_or("AddTime");
    if !matches!(order_by, "Name" | "AddTime" | "ModTime") {
        return Err(invalid_value(format!(
            "Orderby must be Name, AddTime or ModTime, got `{order_by}`."
        )));
    }
    // SearchKey: [{Key: Namespace|Description, Value}], matched as substrings.
    let mut searches = Vec::new();
    for key in ctx
        .params
        .get("SearchKey")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let k = key.get("Key").and_then(Value::as_str).unwrap_or_default();
        let v = key.get("Value").and_then(Value::as_str).unwrap_or_default();
        if !matches!(k, "Namespace" | "Description") {
            return Err(ApiError::new(
                "InvalidParameterValue.SearchKey",
                format!("SearchKey.Key must be Namespace or Description, got `{k}`."),
            ));
        }
        searches.push((k.to_owned(), v.to_owned()));
    }
    let store = ctx.store();
    let mut namespaces: Vec<&Namespace> = store
        .namespaces
        .values()
        .filter(|ns| {
            searches.iter().all(|(k, v)| match k.as_str() {
                "Namespace" => ns.name.contains(v.as_str()),
                _ => ns.description.contains(v.as_str()),
            })
        })
        .collect();
    namespaces.sort_by(|a, b| match order_by {
        "Name" => a.name.cmp(&b.name),
        "ModTime" => (a.modified, &a.name).cmp(&(b.modified, &b.name)),
        _ => (a.added, &a.name).cmp(&(b.added, &b.name)),
    });
    if descending {
        namespaces.reverse();
    }
    let (page, total) = paged(namespaces, page);
    let items: Vec<Value> = page
        .into_iter()
        .map(|ns| {
            json!({
                "Name": ns.name,
                "Description": ns.description,
                "Type": ns.kind,
                "AddTime": datetime(ns.added),
                "ModTime": datetime(ns.modified),
            })
        })
        .collect();
    let mut out = Map::new();
    out.insert("Namespaces".into(), Value::Array(items));
    out.insert("TotalCount".into(), json!(total));
    Ok(out)
}
