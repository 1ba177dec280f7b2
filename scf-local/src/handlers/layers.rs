//! Layers: publish, list and get layer versions, list layers, delete a layer version.
//!
//! Versions are numbered from 1 per layer name and numbers are never reused: deleting a layer's
//! last version hides the layer from ListLayers and ListLayerVersions, but the next
//! PublishLayerVersion with that name continues the numbering, so that a function still
//! pointing at a deleted version never silently gets another one.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::{Answer, Route, paged};
use crate::context::Ctx;
use crate::error::ApiError;
use crate::state::code::{
    Package, check_content, check_package, code_info, str_member, string_list,
};
use crate::state::names::is_resource_name;
use crate::state::render::layer_version_json;
use crate::state::{Layer, LayerVersion, datetime};

/// The actions this area answers, with their handlers.
pub(crate) const ROUTES: &[Route] = &[
    Route::sync("DeleteLayerVersion", delete_version),
    Route::sync("GetLayerVersion", get_version),
    Route::sync("ListLayerVersions", list_versions),
    Route::sync("ListLayers", list),
    Route::sync("PublishLayerVersion", publish),
];

/// The runtimes the spec documents for a function's `Runtime`, which `CompatibleRuntimes`
/// takes too.
const RUNTIMES: &[&str] = &[
    "Python2.7",
    "Python3.6",
    "Python3.7",
    "Python3.9",
    "Python3.10",
    "Nodejs6.10",
    "Nodejs8.9",
    "Nodejs10.15",
    "Nodejs12.16",
    "Nodejs14.18",
    "Nodejs16.13",
    "Nodejs18.15",
    "Php5.6",
    "Php7",
    "Php7.4",
    "Php8.0",
    "Go1",
    "Java8",
    "CustomRuntime",
];

/// The request members a layer version keeps (besides its name).
const VERSION_MEMBERS: &[&str] = &[
    "CompatibleRuntimes",
    "Content",
    "Description",
    "LicenseInfo",
    "Tags",
];

/// Whether `name` is a valid layer name: 1 to 64 letters, digits, `-` and `_`, starting with a
/// letter and not ending with `-` or `_`.
fn valid_name(name: &str) -> bool {
    is_resource_name(name, 1..=64, false)
}

/// Whether `version` lists `runtime` among its compatible runtimes.
fn compatible(version: &LayerVersion, runtime: &str) -> bool {
    string_list(&version.request, "CompatibleRuntimes").contains(&runtime)
}

/// Checks a runtime filter value.
fn check_runtime(runtime: &str) -> Result<(), ApiError> {
    if RUNTIMES.contains(&runtime) {
        Ok(())
    } else {
        Err(ApiError::new(
            "InvalidParameterValue.Runtime",
            format!("`{runtime}` is not a supported runtime."),
        ))
    }
}

fn publish(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("LayerName");
    if !valid_name(name) {
        return Err(ApiError::new(
            "InvalidParameterValue.LayerName",
            format!(
                "The layer name `{name}` is invalid: use 1 to 64 letters, digits, `-` or `_`, \
                 starting with a letter and not ending with `-` or `_`."
            ),
        ));
    }
    let runtimes = ctx.strings("CompatibleRuntimes");
    if runtimes.is_empty() {
        return Err(ApiError::new(
            "InvalidParameterValue.CompatibleRuntimes",
            "CompatibleRuntimes must name at least one runtime.",
        ));
    }
    if let Some(bad) = runtimes.iter().find(|r| !RUNTIMES.contains(r)) {
        return Err(ApiError::new(
            "InvalidParameterValue.CompatibleRuntimes",
            format!("CompatibleRuntimes names `{bad}`, which is not a supported runtime."),
        ));
    }
    let content = ctx
        .params
        .get("Content")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    check_content(&content)?;
    let package = Package::of(&content);
    if let Some(package) = &package {
        check_package(&package.zip, "Content.ZipFile")?;
    }
    let request: Map<String, Value> = VERSION_MEMBERS
        .iter()
        .filter_map(|m| ctx.params.get(*m).map(|v| ((*m).to_owned(), v.clone())))
        .collect();
    let mut store = ctx.store();
    let layer = store
        .layers
        .entry(name.to_owned())
        .or_insert_with(|| Layer {
            name: name.to_owned(),
            versions: BTreeMap::new(),
            next_version: 1,
        });
    let number = layer.next_version;
    layer.next_version += 1;
    layer.versions.insert(
        number,
        LayerVersion {
            number,
            request,
            package,
            added: ctx.now,
        },
    );
    let mut out = Map::new();
    out.insert("LayerVersion".into(), json!(number));
    Ok(out)
}

fn list(ctx: &Ctx<'_>) -> Answer {
    let page = ctx.page(20, 100)?;
    let runtime = ctx.str("CompatibleRuntime").filter(|s| !s.is_empty());
    if let Some(runtime) = runtime {
        check_runtime(runtime)?;
    }
    let search = ctx
        .str("SearchKey")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let store = ctx.store();
    // Each layer shows its latest version (compatible with the runtime, when one is given).
    let latest: Vec<(&str, &LayerVersion)> = store
        .layers
        .values()
        .filter(|layer| layer.name.to_ascii_lowercase().contains(&search))
        .filter_map(|layer| {
            let version = layer
                .versions
                .values()
                .rev()
                .find(|v| runtime.is_none_or(|r| compatible(v, r)))?;
            Some((layer.name.as_str(), version))
        })
        .collect();
    let (page, total) = paged(latest, page);
    let mut out = Map::new();
    out.insert(
        "Layers".into(),
        page.into_iter()
            .map(|(name, v)| layer_version_json(name, v))
            .collect(),
    );
    out.insert("TotalCount".into(), json!(total));
    Ok(out)
}

fn list_versions(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("LayerName");
    if !valid_name(name) {
        return Err(ApiError::new(
            "InvalidParameterValue.Name",
            format!("`{name}` is not a valid layer name."),
        ));
    }
    let runtimes = ctx.strings("CompatibleRuntime");
    for runtime in &runtimes {
        check_runtime(runtime)?;
    }
    let store = ctx.store();
    let layer = store.layer(name)?;
    // Newest first, as the service lists them.
    let versions: Vec<Value> = layer
        .versions
        .values()
        .rev()
        .filter(|v| runtimes.is_empty() || runtimes.iter().any(|r| compatible(v, r)))
        .map(|v| layer_version_json(name, v))
        .collect();
    let mut out = Map::new();
    out.insert("LayerVersions".into(), Value::Array(versions));
    Ok(out)
}

fn get_version(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("LayerName");
    let number = ctx.int("LayerVersion").unwrap_or_default();
    let store = ctx.store();
    let version = store.layer_version(name, number)?;
    let request = &version.request;
    let content = request
        .get("Content")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let (sha256, location) = code_info(&content);
    let mut out = Map::new();
    for (key, value) in [
        (
            "CompatibleRuntimes",
            json!(string_list(request, "CompatibleRuntimes")),
        ),
        ("CodeSha256", json!(sha256)),
        ("Location", json!(location)),
        ("AddTime", json!(datetime(version.added))),
        ("Description", json!(str_member(request, "Description"))),
        ("LicenseInfo", json!(str_member(request, "LicenseInfo"))),
        ("LayerVersion", json!(version.number)),
        ("LayerName", json!(name)),
        ("Status", json!("Active")),
    ] {
        out.insert(key.to_owned(), value);
    }
    Ok(out)
}

/// Deletes a version. The docs say functions already using it are not affected, so a version
/// bound in some function's `Layers` is deleted all the same (never `ResourceInUse`).
fn delete_version(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("LayerName");
    let number = ctx.int("LayerVersion").unwrap_or_default();
    let mut store = ctx.store();
    store.layer_version(name, number)?;
    if let (Some(layer), Ok(n)) = (store.layers.get_mut(name), u64::try_from(number)) {
        layer.versions.remove(&n);
    }
    Ok(Map::new())
}

#[cfg(test)]
mod tests;
