//! Functions: create, get, list, update code and configuration, copy, delete.

use serde_json::{Map, Value, json};

use super::namespaces::not_found as namespace_not_found;
use super::{Answer, Ctx, invalid_value, paged};
use crate::error::ApiError;
use crate::state::{Function, LATEST, Store, datetime};

/// The actions this module answers.
pub(crate) const ACTIONS: &[&str] = &[
    "CopyFunction",
    "CreateFunction",
    "DeleteFunction",
    "GetFunction",
    "GetFunctionAddress",
    "ListFunctions",
    "UpdateFunctionCode",
    "UpdateFunctionConfiguration",
];

pub(crate) fn handle(ctx: &Ctx<'_>, action: &str) -> Option<Answer> {
    Some(match action {
        "CopyFunction" => copy(ctx),
        "CreateFunction" => create(ctx),
        "DeleteFunction" => delete(ctx),
        "GetFunction" => get(ctx),
        "GetFunctionAddress" => address(ctx),
        "ListFunctions" => list(ctx),
        "UpdateFunctionCode" => update_code(ctx),
        "UpdateFunctionConfiguration" => update_configuration(ctx),
        _ => return None,
    })
}

/// Configuration members CreateFunction takes that are not the name, namespace or code.
const CONFIG_MEMBERS: &[&str] = &[
    "Handler",
    "Description",
    "MemorySize",
    "Timeout",
    "Environment",
    "Runtime",
    "VpcConfig",
    "Role",
    "InstallDependency",
    "ClsLogsetId",
    "ClsTopicId",
    "Type",
    "CodeSource",
    "Layers",
    "DeadLetterConfig",
    "PublicNetConfig",
    "CfsConfig",
    "InitTimeout",
    "Tags",
    "AsyncRunEnable",
    "TraceEnable",
    "ProtocolType",
    "ProtocolParams",
    "InstanceConcurrencyConfig",
    "DnsCache",
    "IntranetConfig",
    "L5Enable",
];

/// Defaults the docs give for members CreateFunction leaves out.
fn defaults() -> Map<String, Value> {
    let Value::Object(map) = json!({
        "Handler": "index.main_handler",
        "Description": "",
        "MemorySize": 128,
        "Timeout": 3,
        "Runtime": "Python2.7",
        "Type": "Event",
        "InitTimeout": 65,
        "Environment": { "Variables": [] },
        "Tags": [],
        "AsyncRunEnable": "FALSE",
        "TraceEnable": "FALSE",
        "InstallDependency": "FALSE",
        "L5Enable": "FALSE",
    }) else {
        unreachable!("a JSON object literal")
    };
    map
}

/// `ResourceNotFound.Function` for `name` in `namespace`.
pub(crate) fn not_found(namespace: &str, name: &str) -> ApiError {
    ApiError::new(
        "ResourceNotFound.Function",
        format!("The function `{name}` does not exist in namespace `{namespace}`."),
    )
}

/// The function `name` of `namespace`, or the documented error for whichever is missing.
pub(crate) fn find<'s>(
    store: &'s Store,
    namespace: &str,
    name: &str,
) -> Result<&'s Function, ApiError> {
    store
        .namespaces
        .get(namespace)
        .ok_or_else(|| namespace_not_found(namespace))?
        .functions
        .get(name)
        .ok_or_else(|| not_found(namespace, name))
}

/// Like [`find`], for changing the function.
pub(crate) fn find_mut<'s>(
    store: &'s mut Store,
    namespace: &str,
    name: &str,
) -> Result<&'s mut Function, ApiError> {
    store
        .namespaces
        .get_mut(namespace)
        .ok_or_else(|| namespace_not_found(namespace))?
        .functions
        .get_mut(name)
        .ok_or_else(|| not_found(namespace, name))
}

/// Function names: 2 to 60 letters, digits, `-` and `_`, starting with a letter and not ending
/// with `-` or `_`.
fn check_name(name: &str) -> Result<(), ApiError> {
    let valid = (2..=60).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && !name.ends_with(['-', '_'])
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(())
    } else {
        Err(ApiError::new(
            "InvalidParameterValue.FunctionName",
            format!(
                "The function name `{name}` is invalid: use 2 to 60 letters, digits, `-` or `_`, \
                 starting with a letter and not ending with `-` or `_`."
            ),
        ))
    }
}

/// Checks the documented ranges of `MemorySize` and `Timeout` when present.
fn check_limits(ctx: &Ctx<'_>) -> Result<(), ApiError> {
    if let Some(memory) = ctx.int("MemorySize") {
        if !(memory == 64 || (128..=3072).contains(&memory) && memory % 128 == 0) {
            return Err(ApiError::new(
                "InvalidParameterValue.MemorySize",
                format!("MemorySize must be 64, or 128 to 3072 in steps of 128; got {memory}."),
            ));
        }
    }
    if let Some(timeout) = ctx.int("Timeout") {
        if !(1..=900).contains(&timeout) {
            return Err(invalid_value(format!(
                "Timeout must be 1 to 900 seconds, got {timeout}."
            )));
        }
    }
    Ok(())
}

/// Copies the configuration members present in the request over `config`.
fn apply_config(ctx: &Ctx<'_>, config: &mut Map<String, Value>) {
    for name in CONFIG_MEMBERS {
        if let Some(value) = ctx.params.get(*name) {
            config.insert((*name).to_owned(), value.clone());
        }
    }
}

fn create(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("FunctionName");
    let namespace = ctx.namespace();
    check_name(name)?;
    check_limits(ctx)?;
    let mut config = defaults();
    apply_config(ctx, &mut config);
    let code = ctx
        .params
        .get("Code")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut store = ctx.store();
    let id = store.function_id();
    let ns = store
        .namespaces
        .get_mut(namespace)
        .ok_or_else(|| namespace_not_found(namespace))?;
    if ns.functions.contains_key(name) {
        return Err(ApiError::new(
            "ResourceInUse.Function",
            format!("The function `{name}` already exists in namespace `{namespace}`."),
        ));
    }
    let mut function = Function::new(name, id, config, code, ctx.now);
    super::aliases::ensure_default_alias(&mut function);
    ns.functions.insert(name.to_owned(), function);
    Ok(Map::new())
}

fn get(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("FunctionName");
    let namespace = ctx.namespace();
    let qualifier = ctx.str("Qualifier").unwrap_or(LATEST);
    let store = ctx.store();
    let function = find(&store, namespace, name)?;
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
    let mut out = config.clone();
    // Objects GetFunction always answers with, empty when the function has none.
    for (key, empty) in [
        ("VpcConfig", json!({"VpcId": "", "SubnetId": ""})),
        ("Environment", json!({"Variables": []})),
        ("EipConfig", json!({"EipFixed": "FALSE", "Eips": []})),
        ("AccessInfo", json!({"Host": "", "Vip": ""})),
        (
            "DeadLetterConfig",
            json!({"Type": "", "Name": "", "FilterType": ""}),
        ),
        ("CfsConfig", json!({"CfsInsList": []})),
    ] {
        if out.get(key).is_none_or(Value::is_null) {
            out.insert(key.to_owned(), empty);
        }
    }
    let triggers: Vec<Value> = function
        .triggers
        .values()
        .filter(|t| t.qualifier == version)
        .map(super::trigger_json)
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
        ("CodeSize", json!(code_size(&function.code))),
        ("CodeResult", json!("success")),
        ("CodeError", json!("")),
        ("ErrNo", json!(0)),
        ("UseGpu", json!("FALSE")),
        ("OnsEnable", json!("FALSE")),
    ] {
        out.insert(key.to_owned(), value);
    }
    Ok(out)
}

/// The size of the uploaded code: the decoded length of an inline `ZipFile`, 0 otherwise.
fn code_size(code: &Map<String, Value>) -> usize {
    code.get("ZipFile")
        .and_then(Value::as_str)
        .and_then(super::layers::decode_base64)
        .map_or(0, |zip| zip.len())
}

/// GetFunctionAddress: where the code package can be downloaded, and its digest. An inline
/// ZIP is offered back as a `data:` URL with the SHA-256 of its bytes; for COS code the URL is
/// the object's (the emulator never fetches it). Versions share the function's code.
fn address(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("FunctionName");
    let namespace = ctx.namespace();
    let qualifier = ctx.str("Qualifier").unwrap_or(LATEST);
    let store = ctx.store();
    let function = find(&store, namespace, name)?;
    if function.resolve(qualifier).is_none() {
        return Err(ApiError::new(
            "ResourceNotFound.Version",
            format!("The function `{name}` has no version or alias `{qualifier}`."),
        ));
    }
    let (sha256, url) = super::layers::code_info(&function.code);
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
        .ok_or_else(|| namespace_not_found(namespace))?;
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
    let mut store = ctx.store();
    let function = find_mut(&mut store, namespace, name)?;
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
    if !code.is_empty() {
        function.code = code;
    }
    if let Some(handler) = ctx.str("Handler") {
        function
            .config
            .insert("Handler".into(), Value::String(handler.to_owned()));
    }
    function.modified = ctx.now;
    if ctx.str("Publish") == Some("TRUE") {
        super::publish(function, "", ctx.now);
    }
    Ok(Map::new())
}

fn update_configuration(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("FunctionName");
    let namespace = ctx.namespace();
    check_limits(ctx)?;
    let mut store = ctx.store();
    let function = find_mut(&mut store, namespace, name)?;
    let mut config = function.config.clone();
    apply_config(ctx, &mut config);
    function.config = config;
    function.modified = ctx.now;
    if ctx.str("Publish") == Some("TRUE") {
        super::publish(function, "", ctx.now);
    }
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
    let source = find(&store, namespace, name)?.clone();
    let id = store.function_id();
    let target = store
        .namespaces
        .get_mut(&target_namespace)
        .ok_or_else(|| namespace_not_found(&target_namespace))?;
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
        let mut config = defaults();
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
    super::aliases::ensure_default_alias(&mut function);
    target.functions.insert(new_name.to_owned(), function);
    Ok(Map::new())
}

fn delete(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("FunctionName");
    let namespace = ctx.namespace();
    let mut store = ctx.store();
    let function = find_mut(&mut store, namespace, name)?;
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
        Some(qualifier) => match super::versions::version_number(qualifier) {
            Some(number) => super::versions::remove_version(function, number)?,
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
    Ok(Map::new())
}
