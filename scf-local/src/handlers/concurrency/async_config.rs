//! The async retry configuration of a function (Get/UpdateFunctionEventInvokeConfig).

use super::*;

/// The async retry configuration a function has until one is set.
fn default_async_trigger_config() -> Value {
    json!({ "RetryConfig": [{ "RetryNum": RETRY_NUM_LIMIT }], "MsgTTL": MAX_MSG_TTL })
}

pub(super) fn get_event_invoke_config(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("FunctionName");
    let store = ctx.store();
    let f = store.function(ctx.namespace(), name)?;
    let qualifier = ctx
        .str("Qualifier")
        .filter(|q| !q.is_empty())
        .unwrap_or(LATEST);
    if !f.has_qualifier(qualifier) {
        return Err(ApiError::new(
            "ResourceNotFound.Version",
            format!("The function `{name}` has no version or alias `{qualifier}`."),
        ));
    }
    let config = f
        .settings
        .get(ASYNC_TRIGGER_CONFIG)
        .cloned()
        .unwrap_or_else(default_async_trigger_config);
    let mut out = Map::new();
    out.insert(ASYNC_TRIGGER_CONFIG.into(), config);
    Ok(out)
}

pub(super) fn update_event_invoke_config(ctx: &Ctx<'_>) -> Answer {
    let config = ctx.params.get(ASYNC_TRIGGER_CONFIG);
    let invalid =
        |message: String| ApiError::new("InvalidParameterValue.AsyncTriggerConfig", message);
    let retries: Vec<i64> = config
        .and_then(|c| c.get("RetryConfig"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|r| {
            r.get("RetryNum")
                .and_then(Value::as_i64)
                .unwrap_or_default()
        })
        .collect();
    let ttl = config
        .and_then(|c| c.get("MsgTTL"))
        .and_then(Value::as_i64)
        .unwrap_or_default();
    if retries.is_empty() {
        return Err(invalid(
            "AsyncTriggerConfig.RetryConfig must hold at least one entry.".into(),
        ));
    }
    for &retry in &retries {
        if retry < 0 {
            return Err(invalid(format!(
                "RetryNum must not be negative, got {retry}."
            )));
        }
        if retry > RETRY_NUM_LIMIT {
            return Err(ApiError::new(
                "LimitExceeded.RetryNum",
                format!("RetryNum may be at most {RETRY_NUM_LIMIT}, got {retry}."),
            ));
        }
    }
    if ttl < MIN_MSG_TTL {
        return Err(invalid(format!(
            "MsgTTL must be at least {MIN_MSG_TTL} seconds, got {ttl}."
        )));
    }
    if ttl > MAX_MSG_TTL {
        return Err(ApiError::new(
            "LimitExceeded.MsgTTL",
            format!("MsgTTL may be at most {MAX_MSG_TTL} seconds, got {ttl}."),
        ));
    }
    let mut store = ctx.store();
    let f = store.function_mut(ctx.namespace(), ctx.required("FunctionName"))?;
    let retry_config: Vec<Value> = retries.iter().map(|r| json!({ "RetryNum": r })).collect();
    f.settings.insert(
        ASYNC_TRIGGER_CONFIG.into(),
        json!({ "RetryConfig": retry_config, "MsgTTL": ttl }),
    );
    Ok(Map::new())
}
