//! A function's configuration: what CreateFunction and UpdateFunctionConfiguration take as
//! configuration (their spec inputs), its documented defaults and ranges, and the objects
//! GetFunction always shows.

use serde_json::{Map, Value, json};

use super::super::invalid_value;
use crate::context::Ctx;
use crate::error::ApiError;
use crate::state::names::is_resource_name;

/// Inputs of CreateFunction and UpdateFunctionConfiguration that are not configuration: the
/// function's identity, its code, and what to do after the update. Every other input of the
/// action, as the spec lists them, is configuration that GetFunction shows.
const NOT_CONFIG: &[&str] = &["FunctionName", "Namespace", "Code", "Publish"];

/// Function names: 2 to 60 letters, digits, `-` and `_`, starting with a letter and not ending
/// with `-` or `_`.
pub(super) fn check_name(name: &str) -> Result<(), ApiError> {
    let valid = is_resource_name(name, 2..=60, false);
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
pub(super) fn check_limits(ctx: &Ctx<'_>) -> Result<(), ApiError> {
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

/// Copies the configuration members of `action` present in the request over `config`.
pub(super) fn apply_config(ctx: &Ctx<'_>, action: &str, config: &mut Map<String, Value>) {
    let Some(def) = ctx.shared.catalog.action(action) else {
        return;
    };
    for name in def.input_names().filter(|n| !NOT_CONFIG.contains(n)) {
        if let Some(value) = ctx.params.get(name) {
            config.insert(name.to_owned(), value.clone());
        }
    }
}

/// Adds the objects GetFunction always answers with, empty, where `config` has none.
pub(super) fn fill_empty_objects(config: &mut Map<String, Value>) {
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
        if config.get(key).is_none_or(Value::is_null) {
            config.insert(key.to_owned(), empty);
        }
    }
}
