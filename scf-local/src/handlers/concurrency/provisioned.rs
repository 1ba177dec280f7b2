//! Provisioned concurrency per published version (Put/Get/DeleteProvisionedConcurrencyConfig).

use super::*;

/// Checks the scheduled actions of a `Default` provisioning against `cap` instances; returns
/// them with `ProvisionedType` filled in.
pub(super) fn check_trigger_actions(actions: &[Value], cap: u64) -> Result<Vec<Value>, ApiError> {
    let mut names = Vec::new();
    let mut crons = Vec::new();
    let mut out = Vec::new();
    for action in actions {
        let field = |member: &str| action.get(member).and_then(Value::as_str).unwrap_or("");
        let name = field("TriggerName");
        let cron = field("TriggerCronConfig");
        let num = action
            .get("TriggerProvisionedConcurrencyNum")
            .and_then(Value::as_u64)
            .unwrap_or_default();
        let kind = action
            .get("ProvisionedType")
            .and_then(Value::as_str)
            .unwrap_or("Default");
        if name.is_empty()
            || name.len() > 60
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(ApiError::new(
                "InvalidParameterValue.ProvisionTriggerName",
                format!(
                    "The scheduled action name `{name}` is invalid: use 1 to 60 letters, \
                     digits, `-` or `_`."
                ),
            ));
        }
        if names.contains(&name) {
            return Err(ApiError::new(
                "InvalidParameterValue.ProvisionTriggerNameDuplicate",
                format!("Two scheduled actions are named `{name}`."),
            ));
        }
        if cron.split_whitespace().count() != 7 {
            return Err(ApiError::new(
                "InvalidParameterValue.TriggerCronConfig",
                format!(
                    "The schedule `{cron}` of action `{name}` must have seven space-separated \
                     fields (second minute hour day month weekday year)."
                ),
            ));
        }
        let normalized = cron.split_whitespace().collect::<Vec<_>>().join(" ");
        if crons.contains(&normalized) {
            return Err(ApiError::new(
                "InvalidParameterValue.ProvisionTriggerCronConfigDuplicate",
                format!("Two scheduled actions use the schedule `{normalized}`."),
            ));
        }
        if kind != "Default" {
            return Err(ApiError::new(
                "InvalidParameterValue.ProvisionType",
                format!("The ProvisionedType of action `{name}` must be Default, got `{kind}`."),
            ));
        }
        if num > cap {
            return Err(ApiError::new(
                "InvalidParameterValue.TriggerProvisionedConcurrencyNum",
                format!(
                    "Action `{name}` provisions {num} instances, more than the {cap} the \
                     function may provision."
                ),
            ));
        }
        names.push(name);
        crons.push(normalized.clone());
        out.push(json!({
            "TriggerName": name,
            "TriggerProvisionedConcurrencyNum": num,
            "TriggerCronConfig": normalized,
            "ProvisionedType": "Default",
        }));
    }
    Ok(out)
}

/// Checks the target-tracking members against `cap` instances; returns the stored setting
/// members (the minimum capacity is what is allocated).
fn check_tracking(ctx: &Ctx<'_>, cap: u64) -> Result<Map<String, Value>, ApiError> {
    let missing = |member: &str| {
        ApiError::new(
            codes::MISSING_PARAMETER,
            format!("{member} is required with ConcurrencyUtilizationTracking."),
        )
    };
    let target = ctx
        .params
        .get("TrackingTarget")
        .and_then(Value::as_f64)
        .ok_or_else(|| missing("TrackingTarget"))?;
    let min = ctx
        .params
        .get("MinCapacity")
        .and_then(Value::as_u64)
        .ok_or_else(|| missing("MinCapacity"))?;
    let max = ctx
        .params
        .get("MaxCapacity")
        .and_then(Value::as_u64)
        .ok_or_else(|| missing("MaxCapacity"))?;
    let hundredths = target * 100.0;
    if !(target > 0.0 && target < 1.0) || (hundredths - hundredths.round()).abs() > 1e-9 {
        return Err(ApiError::new(
            "InvalidParameterValue.TrackingTarget",
            format!(
                "TrackingTarget must lie strictly between 0 and 1 with at most two decimal \
                 places, got {target}."
            ),
        ));
    }
    if min < 1 || min > max {
        return Err(ApiError::new(
            "InvalidParameterValue.MinCapacity",
            format!("MinCapacity must be at least 1 and at most MaxCapacity ({max}), got {min}."),
        ));
    }
    if max > cap {
        return Err(ApiError::new(
            "LimitExceeded.MaxCapacity",
            format!("MaxCapacity {max} exceeds the {cap} instances the function may provision."),
        ));
    }
    if ctx
        .params
        .get("VersionProvisionedConcurrencyNum")
        .and_then(Value::as_u64)
        .is_some_and(|n| n != 0)
    {
        return Err(invalid_value(
            "VersionProvisionedConcurrencyNum must be 0 with ConcurrencyUtilizationTracking.",
        ));
    }
    let mut setting = Map::new();
    setting.insert("TrackingTarget".into(), json!(target));
    setting.insert("MinCapacity".into(), json!(min));
    setting.insert("MaxCapacity".into(), json!(max));
    setting.insert("AllocatedProvisionedConcurrencyNum".into(), json!(min));
    Ok(setting)
}

pub(super) fn put_provisioned(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("FunctionName");
    let namespace = ctx.namespace();
    let qualifier = ctx.required("Qualifier");
    let kind = ctx.str("ProvisionedType").unwrap_or("Default");
    let mut store = ctx.store();
    let f = store.function(namespace, name)?;
    let number = published_version(f, qualifier)?;
    let cap = provisioned_cap(&store, f);
    let actions = ctx
        .params
        .get("TriggerActions")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut setting = requested_setting(ctx, kind, actions, cap)?;
    let trigger_actions = check_trigger_actions(actions, cap)?;
    check_within_quota(f, number, allocated(&setting), cap)?;
    setting.insert("ProvisionedType".into(), json!(kind));
    setting.insert("TriggerActions".into(), Value::Array(trigger_actions));
    let f = store.function_mut(namespace, name)?;
    let entries = f
        .settings
        .entry(PROVISIONED)
        .or_insert_with(|| Value::Object(Map::new()));
    if !entries.is_object() {
        *entries = Value::Object(Map::new());
    }
    if let Value::Object(entries) = entries {
        entries.insert(number.to_string(), Value::Object(setting));
    }
    Ok(Map::new())
}

/// The provisioning PutProvisionedConcurrencyConfig asks for, by `ProvisionedType` (`kind`):
/// a fixed number of instances (`Default`) or tracking bounds.
fn requested_setting(
    ctx: &Ctx<'_>,
    kind: &str,
    actions: &[Value],
    cap: u64,
) -> Result<Map<String, Value>, ApiError> {
    match kind {
        "Default" => {
            let num = ctx
                .params
                .get("VersionProvisionedConcurrencyNum")
                .and_then(Value::as_u64)
                .unwrap_or_default();
            let mut setting = Map::new();
            setting.insert("AllocatedProvisionedConcurrencyNum".into(), json!(num));
            Ok(setting)
        }
        "ConcurrencyUtilizationTracking" => {
            if !actions.is_empty() {
                return Err(invalid_value(
                    "TriggerActions apply to Default provisioning only, not to \
                     ConcurrencyUtilizationTracking.",
                ));
            }
            check_tracking(ctx, cap)
        }
        other => Err(ApiError::new(
            "InvalidParameterValue.ProvisionType",
            format!(
                "ProvisionedType must be Default or ConcurrencyUtilizationTracking, got \
                 `{other}`."
            ),
        )),
    }
}

/// Checks that `wanted` instances for version `number` keep the versions of `f` within `cap`
/// instances and, when `f` has a reservation, within its reserved memory.
fn check_within_quota(f: &Function, number: u64, wanted: u64, cap: u64) -> Result<(), ApiError> {
    let name = &f.name;
    let others = provisioned(f)
        .filter(|(n, _)| *n != number)
        .map(|(_, entry)| allocated(entry))
        .fold(0, u64::saturating_add);
    if others.saturating_add(wanted) > cap {
        return Err(ApiError::new(
            "LimitExceeded.FunctionTotalProvisionedConcurrencyNum",
            format!(
                "Provisioning {wanted} instances for version {number} of `{name}` would bring \
                 its versions to more than {cap} instances (its concurrency quota minus \
                 {PROVISIONED_HEADROOM}); at most {} are left.",
                cap.saturating_sub(others)
            ),
        ));
    }
    let Some(reserved) = reserved_mem(f) else {
        return Ok(());
    };
    let version_memory = |n: u64| {
        f.versions
            .get(&n)
            .map_or(DEFAULT_MEMORY_SIZE, |v| memory_size(&v.config))
    };
    let others_mem = provisioned(f)
        .filter(|(n, _)| *n != number)
        .map(|(n, entry)| allocated(entry).saturating_mul(version_memory(n)))
        .fold(0, u64::saturating_add);
    let total = others_mem.saturating_add(wanted.saturating_mul(version_memory(number)));
    if total > reserved {
        return Err(ApiError::new(
            "FailedOperation.ProvisionedExceedReserved",
            format!(
                "The provisioned concurrency of `{name}` would take {total} MB, more than \
                 its {reserved} MB reservation."
            ),
        ));
    }
    Ok(())
}

pub(super) fn get_provisioned(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("FunctionName");
    let store = ctx.store();
    let f = store.function(ctx.namespace(), name)?;
    let only = match ctx.str("Qualifier").filter(|q| !q.is_empty()) {
        Some(qualifier) => Some(published_version(f, qualifier)?),
        None => None,
    };
    let cap = provisioned_cap(&store, f);
    let total = provisioned(f)
        .map(|(_, entry)| allocated(entry))
        .fold(0, u64::saturating_add);
    let items: Vec<Value> = provisioned(f)
        .filter(|(number, _)| only.is_none_or(|n| n == *number))
        .map(|(number, entry)| {
            json!({
                "AllocatedProvisionedConcurrencyNum": allocated(entry),
                "AvailableProvisionedConcurrencyNum": allocated(entry),
                "Status": "Done",
                "StatusReason": "",
                "Qualifier": number.to_string(),
                "TriggerActions": entry.get("TriggerActions").cloned().unwrap_or_else(|| json!([])),
            })
        })
        .collect();
    let mut out = Map::new();
    out.insert(
        "UnallocatedConcurrencyNum".into(),
        json!(cap.saturating_sub(total)),
    );
    out.insert("Allocated".into(), Value::Array(items));
    Ok(out)
}

pub(super) fn delete_provisioned(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("FunctionName");
    let qualifier = ctx.required("Qualifier");
    let mut store = ctx.store();
    let f = store.function_mut(ctx.namespace(), name)?;
    let number = published_version(f, qualifier)?;
    let removed = f
        .settings
        .get_mut(PROVISIONED)
        .and_then(Value::as_object_mut)
        .and_then(|entries| entries.remove(&number.to_string()));
    if removed.is_none() {
        return Err(ApiError::new(
            "ResourceNotFound",
            format!("Version {number} of `{name}` has no provisioned concurrency to delete."),
        ));
    }
    Ok(Map::new())
}
