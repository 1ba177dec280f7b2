//! Layers: publish, list and get layer versions, list layers, delete a layer version.
//!
//! Versions are numbered from 1 per layer name and numbers are never reused: deleting a layer's
//! last version hides the layer from ListLayers and ListLayerVersions, but the next
//! PublishLayerVersion with that name continues the numbering, so that a function still
//! pointing at a deleted version never silently gets another one.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::{Answer, Ctx, paged, string_list};
use crate::error::ApiError;
use crate::state::{Layer, LayerVersion, datetime};

/// The actions this module answers.
pub(crate) const ACTIONS: &[&str] = &[
    "DeleteLayerVersion",
    "GetLayerVersion",
    "ListLayerVersions",
    "ListLayers",
    "PublishLayerVersion",
];

/// Answers `action` when it is one of [`ACTIONS`].
pub(crate) fn handle(ctx: &Ctx<'_>, action: &str) -> Option<Answer> {
    Some(match action {
        "DeleteLayerVersion" => delete_version(ctx),
        "GetLayerVersion" => get_version(ctx),
        "ListLayerVersions" => list_versions(ctx),
        "ListLayers" => list(ctx),
        "PublishLayerVersion" => publish(ctx),
        _ => return None,
    })
}

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
    (1..=64).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && !name.ends_with(['-', '_'])
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// `ResourceNotFound.Layer` for `name`.
fn layer_not_found(name: &str) -> ApiError {
    ApiError::new(
        "ResourceNotFound.Layer",
        format!("The layer `{name}` does not exist."),
    )
}

/// `ResourceNotFound.LayerVersion` for version `version` of `name`.
fn version_not_found(name: &str, version: i64) -> ApiError {
    ApiError::new(
        "ResourceNotFound.LayerVersion",
        format!("The layer `{name}` has no version {version}."),
    )
}

/// A string member of a stored request (`""` when absent).
fn string<'v>(request: &'v Map<String, Value>, member: &str) -> &'v str {
    request.get(member).and_then(Value::as_str).unwrap_or("")
}

/// Where a layer version's files come from, as checked by [`check_content`].
#[derive(Debug, PartialEq, Eq)]
enum Source<'a> {
    /// A base64-encoded ZIP file, decoded.
    Zip(Vec<u8>),
    /// A COS object: bucket, object, optional region.
    Cos(&'a str, &'a str, Option<&'a str>),
    /// A temporary COS object.
    TempCos(&'a str),
}

/// Checks that `content` names exactly one source of files: `ZipFile`, the pair
/// `CosBucketName` + `CosObjectName`, or `TempCosObjectName`.
fn check_content(content: &Map<String, Value>) -> Result<Source<'_>, ApiError> {
    let member = |name: &str| {
        content
            .get(name)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let zip = member("ZipFile");
    let bucket = member("CosBucketName");
    let object = member("CosObjectName");
    let temp = member("TempCosObjectName");
    let cos = bucket.is_some() || object.is_some();
    let sources = usize::from(zip.is_some()) + usize::from(cos) + usize::from(temp.is_some());
    if sources != 1 {
        return Err(ApiError::new(
            "InvalidParameterValue.Content",
            "Content must give exactly one source of layer files: ZipFile, CosBucketName with \
             CosObjectName, or TempCosObjectName.",
        ));
    }
    if let Some(zip) = zip {
        return decode_base64(zip).map(Source::Zip).ok_or_else(|| {
            ApiError::new(
                "InvalidParameterValue.ZipFileBase64BinasciiError",
                "Content.ZipFile is not valid base64.",
            )
        });
    }
    if let Some(temp) = temp {
        return Ok(Source::TempCos(temp));
    }
    match (bucket, object) {
        (Some(bucket), Some(object)) => Ok(Source::Cos(bucket, object, member("CosBucketRegion"))),
        (None, _) => Err(ApiError::new(
            "InvalidParameterValue.CosBucketName",
            "Content.CosBucketName is required with Content.CosObjectName.",
        )),
        (_, None) => Err(ApiError::new(
            "InvalidParameterValue.CosObjectName",
            "Content.CosObjectName is required with Content.CosBucketName.",
        )),
    }
}

/// Decodes standard base64 (with or without `=` padding; ASCII whitespace is ignored).
pub(crate) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    const ENGINE: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    ENGINE.decode(compact).ok()
}

/// `CodeSha256` and `Location` of a stored version's content.
///
/// A ZIP file is hashed as decoded and offered back as a `data:` URL. The emulator never
/// fetches COS objects, so for those the hash is of `bucket/object` and the location is the
/// object's COS URL (`cos://bucket/object` when no region was given).
pub(crate) fn code_info(content: &Map<String, Value>) -> (String, String) {
    match check_content(content) {
        Ok(Source::Zip(bytes)) => (
            hex::encode(Sha256::digest(&bytes)),
            format!("data:application/zip;base64,{}", string(content, "ZipFile")),
        ),
        Ok(Source::Cos(bucket, object, region)) => {
            let object = object.trim_start_matches('/');
            let hash = hex::encode(Sha256::digest(format!("{bucket}/{object}").as_bytes()));
            let location = match region {
                Some(region) => format!("https://{bucket}.cos.{region}.myqcloud.com/{object}"),
                None => format!("cos://{bucket}/{object}"),
            };
            (hash, location)
        }
        Ok(Source::TempCos(name)) => (
            hex::encode(Sha256::digest(name.as_bytes())),
            format!("cos://temp/{}", name.trim_start_matches('/')),
        ),
        // Stored content was checked when published.
        Err(_) => (String::new(), String::new()),
    }
}

/// A layer version as the `LayerVersionInfo` type shows it.
fn info(name: &str, version: &LayerVersion) -> Value {
    let request = &version.request;
    json!({
        "CompatibleRuntimes": string_list(request, "CompatibleRuntimes"),
        "AddTime": datetime(version.added),
        "Description": string(request, "Description"),
        "LicenseInfo": string(request, "LicenseInfo"),
        "LayerVersion": version.number,
        "LayerName": name,
        "Status": "Active",
        "Stamp": "default",
        "Tags": request.get("Tags").cloned().unwrap_or_else(|| json!([])),
    })
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
        page.into_iter().map(|(name, v)| info(name, v)).collect(),
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
    let layer = store
        .layers
        .get(name)
        .filter(|layer| !layer.versions.is_empty())
        .ok_or_else(|| layer_not_found(name))?;
    // Newest first, as the service lists them.
    let versions: Vec<Value> = layer
        .versions
        .values()
        .rev()
        .filter(|v| runtimes.is_empty() || runtimes.iter().any(|r| compatible(v, r)))
        .map(|v| info(name, v))
        .collect();
    let mut out = Map::new();
    out.insert("LayerVersions".into(), Value::Array(versions));
    Ok(out)
}

/// The stored version `number` of layer `name`, or `ResourceNotFound.LayerVersion`.
fn find_version<'s>(
    layers: &'s BTreeMap<String, Layer>,
    name: &str,
    number: i64,
) -> Result<&'s LayerVersion, ApiError> {
    u64::try_from(number)
        .ok()
        .and_then(|n| layers.get(name)?.versions.get(&n))
        .ok_or_else(|| version_not_found(name, number))
}

fn get_version(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("LayerName");
    let number = ctx.int("LayerVersion").unwrap_or_default();
    let store = ctx.store();
    let version = find_version(&store.layers, name, number)?;
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
        ("Description", json!(string(request, "Description"))),
        ("LicenseInfo", json!(string(request, "LicenseInfo"))),
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
    find_version(&store.layers, name, number)?;
    if let (Some(layer), Ok(n)) = (store.layers.get_mut(name), u64::try_from(number)) {
        layer.versions.remove(&n);
    }
    Ok(Map::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layer_names() {
        for good in ["a", "layer-name1", "L_1", &"a".repeat(64)] {
            assert!(valid_name(good), "{good}");
        }
        for bad in ["", "1a", "-a", "a-", "a_", "a b", "ä", &"a".repeat(65)] {
            assert!(!valid_name(bad), "{bad}");
        }
    }

    #[test]
    fn base64() {
        assert_eq!(decode_base64("").unwrap(), b"");
        assert_eq!(decode_base64("Zg==").unwrap(), b"f");
        assert_eq!(decode_base64("Zm8=").unwrap(), b"fo");
        assert_eq!(decode_base64("Zm9v").unwrap(), b"foo");
        assert_eq!(decode_base64("Zm9vYg").unwrap(), b"foob");
        assert_eq!(decode_base64("Zm9v\nYmFy").unwrap(), b"foobar");
        assert_eq!(
            decode_base64("UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==")
                .unwrap()
                .len(),
            22
        );
        for bad in ["Z", "Zm9v!", "Zg=a", "Zg===", "Z===", "€"] {
            assert_eq!(decode_base64(bad), None, "{bad}");
        }
    }

    fn content(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn content_sources() {
        let code = |v: Value| check_content(&content(v)).map(|_| ()).map_err(|e| e.code);
        assert_eq!(code(json!({"ZipFile": "Zm9v"})), Ok(()));
        assert_eq!(
            code(json!({"CosBucketName": "b", "CosObjectName": "/o.zip"})),
            Ok(())
        );
        assert_eq!(code(json!({"TempCosObjectName": "t"})), Ok(()));
        for (value, expected) in [
            (json!({}), "InvalidParameterValue.Content"),
            (json!({"ZipFile": ""}), "InvalidParameterValue.Content"),
            (
                json!({"ZipFile": "Zm9v", "CosBucketName": "b", "CosObjectName": "o"}),
                "InvalidParameterValue.Content",
            ),
            (
                json!({"ZipFile": "**"}),
                "InvalidParameterValue.ZipFileBase64BinasciiError",
            ),
            (
                json!({"CosObjectName": "o"}),
                "InvalidParameterValue.CosBucketName",
            ),
            (
                json!({"CosBucketName": "b"}),
                "InvalidParameterValue.CosObjectName",
            ),
        ] {
            assert_eq!(code(value.clone()), Err(expected.to_owned()), "{value}");
        }
    }

    #[test]
    fn code_info_per_source() {
        let (hash, location) = code_info(&content(json!({"ZipFile": "Zm9v"})));
        assert_eq!(hash, hex::encode(Sha256::digest(b"foo")));
        assert_eq!(location, "data:application/zip;base64,Zm9v");
        let (_, location) = code_info(&content(json!({
            "CosBucketName": "b-125", "CosObjectName": "/dir/o.zip", "CosBucketRegion": "ap-beijing"
        })));
        assert_eq!(
            location,
            "https://b-125.cos.ap-beijing.myqcloud.com/dir/o.zip"
        );
        let (_, location) = code_info(&content(
            json!({"CosBucketName": "b", "CosObjectName": "o.zip"}),
        ));
        assert_eq!(location, "cos://b/o.zip");
    }
}
