//! Model objects as the API's wire JSON shows them, where more than one action shows them.

use serde_json::{Value, json};

use super::code::{str_member, string_list};
use super::layer::LayerVersion;
use super::{Trigger, datetime};

/// A layer version as the `LayerVersionInfo` type shows it.
pub(crate) fn layer_version_json(name: &str, version: &LayerVersion) -> Value {
    let request = &version.request;
    json!({
        "CompatibleRuntimes": string_list(request, "CompatibleRuntimes"),
        "AddTime": datetime(version.added),
        "Description": str_member(request, "Description"),
        "LicenseInfo": str_member(request, "LicenseInfo"),
        "LayerVersion": version.number,
        "LayerName": name,
        "Status": "Active",
        "Stamp": "default",
        "Tags": request.get("Tags").cloned().unwrap_or_else(|| json!([])),
    })
}

/// A trigger as the `Trigger` type shows it.
pub(crate) fn trigger_json(t: &Trigger) -> Value {
    json!({
        "TriggerName": t.name,
        "Type": t.kind,
        "TriggerDesc": t.desc,
        "Qualifier": t.qualifier,
        "Enable": i64::from(t.enabled),
        "CustomArgument": t.custom_argument,
        "Description": t.description,
        "AvailableStatus": "Available",
        "BindStatus": "",
        "ResourceId": "",
        "TriggerAttribute": "",
        "AddTime": datetime(t.added),
        "ModTime": datetime(t.modified),
    })
}
