//! Functions: create, get, list, update code and configuration, copy, delete.

use serde_json::{Map, Value, json};

mod config;

use config::{apply_config, check_limits, check_name, fill_empty_objects};

use super::{Answer, Route, invalid_value, paged};
use crate::context::Ctx;
use crate::error::ApiError;
use crate::state::code::{check_code, code_info};
use crate::state::function::default_config;
use crate::state::render::layer_version_json;
use crate::state::shape::{fill, project};
use crate::state::{Function, LATEST, Missing, Store, datetime, trigger_json, version_number};

/// The actions this area answers, with their handlers.
pub(crate) const ROUTES: &[Route] = &[
    Route::sync("CopyFunction", copy),
    Route::sync("CreateFunction", create),
    Route::sync("DeleteFunction", delete),
    Route::sync("GetFunction", get),
    Route::sync("GetFunctionAddress", address),
    Route::sync("ListFunctions", list),
    Route::sync("UpdateFunctionCode", update_code),
    Route::sync("UpdateFunctionConfiguration", update_configuration),
];

fn create(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("FunctionName");
    let namespace = ctx.namespace();
    check_name(name)?;
    check_limits(ctx)?;
    let mut config = default_config().clone();
    apply_config(ctx, "CreateFunction", &mut config);
    let code = ctx
        .params
        .get("Code")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    check_code(&code)?;
    let mut store = ctx.store();
    let id = store.function_id();
    let ns = store
        .namespaces
        .get_mut(namespace)
        .ok_or_else(|| Missing::Namespace(namespace.to_owned()))?;
    if ns.functions.contains_key(name) {
        return Err(ApiError::new(
            "ResourceInUse.Function",
            format!("The function `{name}` already exists in namespace `{namespace}`."),
        ));
    }
    let mut function = Function::new(name, id, config, code, ctx.now);
    function.ensure_default_alias();
    ns.functions.insert(name.to_owned(), function);
    Ok(Map::new())
}

/// The layers a configuration names, as `LayerVersionInfo`s of the stored layer versions (a
/// layer deleted since shows as named).
fn attached_layers(store: &Store, config: &Map<String, Value>) -> Value {
    let named = config
        .get("Layers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    let layers = named.map(|layer| {
        let name = layer
            .get("LayerName")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let number = layer
            .get("LayerVersion")
            .and_then(Value::as_i64)
            .unwrap_or_default();
        match store.layer_version(name, number) {
            Ok(version) => layer_version_json(name, version),
            Err(_) => layer.clone(),
        }
    });
    Value::Array(layers.collect())
}

fn get(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("FunctionName");
    let namespace = ctx.namespace();
    let qualifier = ctx.str("Qualifier").unwrap_or(LATEST);
    let store = ctx.store();
    let function = store.function(namespace, name)?;
    let (config, version, added, modified) = if qualifier == LATEST {
        (
            &function.config,
            LATEST.to_owned(),
            function.added,
            function.modified,
        )
    } else {
        let number = qualifier.parse::<u64>().ok();
        let version = number
            .and_then(|n| function.versions.get(&n))
            .ok_or_else(|| {
                ApiError::new(
                    "ResourceNotFound.Version",
                    format!("The function `{name}` has no version `{qualifier}`."),
                )
            })?;
        (
            &version.config,
            qualifier.to_owned(),
            version.added,
            version.modified,
        )
    };
    let facts = ctx.shared.catalog.facts();
    let output = facts
        .action("GetFunction")
        .map(|a| a.output)
        .unwrap_or_default();
    // The configuration holds what clients sent; GetFunction shows what its output documents.
    let mut out = config.clone();
    project(&mut out, output, facts);
    fill_empty_objects(&mut out);
    let layers = attached_layers(&store, &out);
    out.insert("Layers".to_owned(), layers);
    let triggers: Vec<Value> = function
        .triggers
        .values()
        .filter(|t| t.qualifier == version)
        .map(trigger_json)
        .collect();
    let code_info = if ctx.str("ShowCode") == Some("TRUE") {
        function
            .code
            .get("ZipFile")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    } else {
        String::new()
    };
    for (key, value) in [
        ("FunctionName", json!(function.name)),
        ("FunctionId", json!(function.id)),
        ("Namespace", json!(namespace)),
        ("FunctionVersion", json!(version)),
        ("Qualifier", json!(version)),
        ("Status", json!(function.status)),
        ("StatusDesc", json!("")),
        ("StatusReasons", json!([])),
        ("AvailableStatus", json!("Available")),
        ("AddTime", json!(datetime(added))),
        ("ModTime", json!(datetime(modified))),
        ("Triggers", Value::Array(triggers)),
        ("CodeInfo", json!(code_info)),
        ("CodeSize", json!(function.code_size())),
        ("CodeResult", json!("success")),
        ("CodeError", json!("")),
        ("ErrNo", json!(0)),
        ("UseGpu", json!("FALSE")),
        ("OnsEnable", json!("FALSE")),
    ] {
        out.insert(key.to_owned(), value);
    }
    fill(&mut out, output, facts);
    Ok(out)
}

/// GetFunctionAddress: where the code package can be downloaded, and its digest. An inline
/// ZIP is offered back as a `data:` URL with the SHA-256 of its bytes; for COS code the URL is
/// the object's (the emulator never fetches it). Versions share the function's code.
fn address(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("FunctionName");
    let namespace = ctx.namespace();
    let qualifier = ctx.str("Qualifier").unwrap_or(LATEST);
    let store = ctx.store();
    let function = store.function(namespace, name)?;
    if function.resolve(qualifier).is_none() {
        return Err(ApiError::new(
            "ResourceNotFound.Version",
            format!("The function `{name}` has no version or alias `{qualifier}`."),
        ));
    }
    let (sha256, url) = code_info(&function.code);
    let mut out = Map::new();
    out.insert("Url".into(), json!(url));
    out.insert("CodeSha256".into(), json!(sha256));
    Ok(out)
}

/// The `Function` summary ListFunctions returns.
fn summary(namespace: &str, f: &Function) -> Value {
    json!({
        "FunctionName": f.name,
        "FunctionId": f.id,
        "Namespace": namespace,
        "Runtime": f.config_str("Runtime"),
        "Status": f.status,
        "StatusDesc": "",
        "StatusReasons": [],
        "Description": f.config_str("Description"),
        "Tags": f.config.get("Tags").cloned().unwrap_or_else(|| json!([])),
        "Type": f.config_str("Type"),
        "AddTime": datetime(f.added),
        "ModTime": datetime(f.modified),
        "TotalProvisionedConcurrencyMem": 0,
        "ReservedConcurrencyMem": 0,
        "AsyncRunEnable": f.config_str("AsyncRunEnable"),
        "TraceEnable": f.config_str("TraceEnable"),
    })
}

/// Whether `f` passes one `Filters` entry (`Name` and any of `Values`).
fn passes(f: &Function, name: &str, values: &[&str]) -> Result<bool, ApiError> {
    let attribute = match name {
        "Runtime" | "Type" | "Role" | "ClsTopicId" | "ClsLogsetId" | "AsyncRunEnable"
        | "TraceEnable" => f.config_str(name).to_owned(),
        "Status" => f.status.clone(),
        "VpcId" | "SubnetId" => f
            .config
            .get("VpcConfig")
            .and_then(|v| v.get(name))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        tag if tag.starts_with("tag-") => {
            let key = &tag[4..];
            let tags = f.config.get("Tags").and_then(Value::as_array);
            return Ok(tags.into_iter().flatten().any(|t| {
                t.get("Key").and_then(Value::as_str) == Some(key)
                    && values.contains(&t.get("Value").and_then(Value::as_str).unwrap_or_default())
            }));
        }
        other => {
            return Err(ApiError::new(
                "InvalidParameterValue.Name",
                format!("Filters.Name `{other}` is not supported."),
            ));
        }
    };
    Ok(values.contains(&attribute.as_str()))
}

fn list(ctx: &Ctx<'_>) -> Answer {
    let page = ctx.page(20, 100)?;
    let namespace = ctx.namespace();
    let descending = ctx.descending(false)?;
    let order_by = ctx.str("Orderby").unwrap_or("AddTime");
    if !matches!(order_by, "AddTime" | "ModTime" | "FunctionName") {
        return Err(invalid_value(format!(
            "Orderby must be AddTime, ModTime or FunctionName, got `{order_by}`."
        )));
    }
    let search = ctx.str("SearchKey").unwrap_or_default();
    let description = ctx.str("Description").unwrap_or_default();
    let filters = ctx.filters();
    let store = ctx.store();
    let ns = store
        .namespaces
        .get(namespace)
        .ok_or_else(|| Missing::Namespace(namespace.to_owned()))?;
    let mut functions = Vec::new();
    for f in ns.functions.values() {
        if !f.name.contains(search) || !f.config_str("Description").contains(description) {
            continue;
        }
        let mut keep = true;
        for (name, values) in &filters {
            keep &= passes(f, name, values)?;
        }
        if keep {
            functions.push(f);
        }
    }
    functions.sort_by(|a, b| match order_by {
        "FunctionName" => a.name.cmp(&b.name),
        "ModTime" => (a.modified, &a.name).cmp(&(b.modified, &b.name)),
        _ => (a.added, &a.name).cmp(&(b.added, &b.name)),
    });
    if descending {
        functions.reverse();
    }
    let (page, total) = paged(functions, page);
    let mut out = Map::new();
    out.insert(
        "Functions".into(),
        Value::Array(page.into_iter().map(|f| summary(namespace, f)).collect()),
    );
    out.insert("TotalCount".into(), json!(total));
    Ok(out)
}

fn update_code(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("FunctionName");
    let namespace = ctx.namespace();
    let mut code = ctx
        .params
        .get("Code")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    // The top-level code members are the older way to pass the same things.
    for member in [
        "CosBucketName",
        "CosObjectName",
        "ZipFile",
        "CosBucketRegion",
    ] {
        if let Some(value) = ctx.params.get(member) {
            code.insert(member.to_owned(), value.clone());
        }
    }
    check_code(&code)?;
    let mut store = ctx.store();
    let function = store.function_mut(namespace, name)?;
    if !code.is_empty() {
        function.set_code(code);
    }
    if let Some(handler) = ctx.str("Handler") {
        function
            .config
            .insert("Handler".into(), Value::String(handler.to_owned()));
    }
    function.modified = ctx.now;
    if ctx.str("Publish") == Some("TRUE") {
        function.publish("", ctx.now);
    }
    drop(store);
    // Instances run the code and configuration they started with: new ones take the change.
    ctx.shared.runtimes.stop_function(namespace, name);
    Ok(Map::new())
}

fn update_configuration(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("FunctionName");
    let namespace = ctx.namespace();
    check_limits(ctx)?;
    let mut store = ctx.store();
    let function = store.function_mut(namespace, name)?;
    let mut config = function.config.clone();
    apply_config(ctx, "UpdateFunctionConfiguration", &mut config);
    function.config = config;
    function.modified = ctx.now;
    if ctx.str("Publish") == Some("TRUE") {
        function.publish("", ctx.now);
    }
    drop(store);
    // Instances run the code and configuration they started with: new ones take the change.
    ctx.shared.runtimes.stop_function(namespace, name);
    Ok(Map::new())
}

fn copy(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("FunctionName");
    let new_name = ctx.required("NewFunctionName");
    let namespace = ctx.namespace();
    let target_namespace = ctx
        .str("TargetNamespace")
        .filter(|s| !s.is_empty())
        .unwrap_or(namespace)
        .to_owned();
    check_name(new_name)?;
    let overwrite = ctx.bool("Override").unwrap_or(false);
    let copy_configuration = ctx.bool("CopyConfiguration").unwrap_or(true);
    let mut store = ctx.store();
    let source = store.function(namespace, name)?.clone();
    let id = store.function_id();
    let target = store
        .namespaces
        .get_mut(&target_namespace)
        .ok_or_else(|| Missing::Namespace(target_namespace.to_owned()))?;
    if target.functions.contains_key(new_name) && !overwrite {
        return Err(ApiError::new(
            "ResourceInUse.FunctionName",
            format!(
                "The function `{new_name}` already exists in namespace `{target_namespace}`; \
                 set Override to replace it."
            ),
        ));
    }
    let mut config = if copy_configuration {
        source.config.clone()
    } else {
        let mut config = default_config().clone();
        for member in ["Handler", "Runtime", "Type"] {
            if let Some(value) = source.config.get(member) {
                config.insert(member.to_owned(), value.clone());
            }
        }
        config
    };
    if let Some(description) = ctx.str("Description") {
        config.insert("Description".into(), Value::String(description.to_owned()));
    }
    let mut function = Function::new(new_name, id, config, source.code.clone(), ctx.now);
    function.ensure_default_alias();
    target.functions.insert(new_name.to_owned(), function);
    Ok(Map::new())
}

fn delete(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("FunctionName");
    let namespace = ctx.namespace();
    let mut store = ctx.store();
    let function = store.function_mut(namespace, name)?;
    match ctx.str("Qualifier").filter(|q| !q.is_empty()) {
        // Without a qualifier the whole function goes, with every version.
        None => {
            if let Some(ns) = store.namespaces.get_mut(namespace) {
                ns.functions.remove(name);
            }
            store.forget_function(namespace, name);
        }
        Some(LATEST) => {
            return Err(ApiError::new(
                "InvalidParameterValue.Qualifier",
                "`$LATEST` cannot be deleted on its own; leave Qualifier out to delete the \
                 function.",
            ));
        }
        Some(qualifier) => match version_number(qualifier) {
            Some(number) => function.remove_version(number)?,
            None => {
                return Err(ApiError::new(
                    "InvalidParameterValue.Qualifier",
                    format!(
                        "Qualifier must be the number of a published version, got `{qualifier}`."
                    ),
                ));
            }
        },
    }
    drop(store);
    // Its processes go with it (a deleted version's instances too: all are restarted cold).
    ctx.shared.runtimes.stop_function(namespace, name);
    Ok(Map::new())
}
