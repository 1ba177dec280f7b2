//! Model objects as the API's wire JSON shows them, where more than one action shows them.

use serde_json::{Value, json};

use super::code::str_member;
use super::layer::LayerVersion;
use super::{Trigger, datetime};

/// A layer version as the `LayerVersionInfo` type shows it.
pub(crate) fn layer_version_json(name: &str, version: &LayerVersion) -> Value {
    let request = &version.request;
    json!({
        "CompatibleRuntimes": strings(request.get("CompatibleRuntimes")),
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

/// The strings of a stored list member (`[]` when absent).
fn strings(list: Option<&Value>) -> Value {
    let items = list.and_then(Value::as_array).into_iter().flatten();
    Value::Array(items.filter(|v| v.is_string()).cloned().collect())
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
