//! `Invoke` and `InvokeFunction`: running a function now, or queueing an async event that runs
//! it after the server's `async_delay`.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value, json};

use super::run::{self, Limits, Run};
use super::{Ctx, code, find_function, version_config};
use crate::catalog::EventLimits;
use crate::context::Shared;
use crate::context::lock_store;
use crate::error::{ApiError, codes};
use crate::function::Invocation;
use crate::generated::catalog::facts;
use crate::handlers::{Answer, invalid_value};
use crate::request_id;
use crate::state::{AsyncEvent, InvocationRecord, LATEST, Millis, now_millis, status};

/// Invoke's and InvokeFunction's facts from the spec.
const INVOKE_LIMITS: EventLimits = facts::INVOKE
    .event_limits
    .expect("the spec states Invoke's event limits");
/// The largest event of a synchronous invocation (the spec's `eventLimits`).
const SYNC_EVENT_LIMIT: usize = INVOKE_LIMITS.max_sync_bytes;
/// The largest event of an asynchronous invocation (the spec's `eventLimits`).
const ASYNC_EVENT_LIMIT: usize = INVOKE_LIMITS
    .max_async_bytes
    .expect("the spec states Invoke's asynchronous event limit");
/// The largest event of InvokeFunction, which only runs synchronously.
const INVOKE_FUNCTION_EVENT_LIMIT: usize = facts::INVOKE_FUNCTION
    .event_limits
    .expect("the spec states InvokeFunction's event limit")
    .max_sync_bytes;
/// The largest `RoutingKey`: 1024 bytes.
const ROUTING_KEY_LIMIT: usize = 1024;
/// How long a synchronous call waits for its function at most (the spec's `maxDurationSecs`).
const SYNC_WAIT: Duration = Duration::from_secs(
    facts::INVOKE
        .max_duration_secs
        .expect("the spec states how long Invoke may run") as u64,
);
/// How often a running async event checks whether it was terminated.
const ABORT_POLL: Duration = Duration::from_millis(10);
/// The qualifier `InvokeFunction` defaults to; it stands for `$LATEST` here.
const DEFAULT_QUALIFIER: &str = "$DEFAULT";
/// The function status in which a function can be invoked.
const ACTIVE: &str = "Active";
/// The `InvokeType` of events created by `Invoke`.
pub(super) const INVOKE_TYPE: &str = "API";

/// A resolved invocation target: what the handler and the records need, copied out of the
/// store.
#[derive(Debug, Clone)]
struct Target {
    namespace: String,
    function_name: String,
    /// The qualifier as called.
    qualifier: String,
    /// `$LATEST` or the published version the qualifier stands for.
    version: String,
    limits: Limits,
    /// What running the code needs, when the server runs code (it has no in-process handler).
    code: Option<code::Code>,
}

impl Target {
    /// The handler's view of one invocation of this target.
    fn invocation(&self, request_id: &str, event: &str, asynchronous: bool) -> Invocation {
        Invocation {
            namespace: self.namespace.clone(),
            function_name: self.function_name.clone(),
            version: self.version.clone(),
            request_id: request_id.to_owned(),
            event: event.to_owned(),
            asynchronous,
        }
    }

    /// The record of a finished run of this target.
    fn record(&self, request_id: String, start: Millis, run: Run) -> InvocationRecord {
        let log = run::log_text(&request_id, &run, self.limits);
        InvocationRecord {
            namespace: self.namespace.clone(),
            function_name: self.function_name.clone(),
            qualifier: self.qualifier.clone(),
            request_id,
            start,
            duration_ms: run.duration_ms,
            result: run.result,
            log,
            mem_usage: run.mem_usage,
        }
    }
}

/// `Invoke`: `InvocationType` `RequestResponse` (default) runs the function and answers its
/// result; `Event` queues an async event and answers its request id at once.
///
/// Errors: `InvalidParameterValue` (bad `InvocationType`, `LogType` or `RoutingKey`, an event
/// over 6 MB synchronous / 128 KB asynchronous), `InvalidParameterValue.Param` (the event is not
/// JSON), `ResourceNotFound.Function` (no such function, namespace, version or alias),
/// `FailedOperation.FunctionStatusError` (the function is not `Active`).
pub(super) async fn invoke(ctx: &Ctx<'_>) -> Answer {
    let asynchronous = match ctx.str("InvocationType").unwrap_or("RequestResponse") {
        "RequestResponse" => false,
        "Event" => true,
        other => {
            return Err(invalid_value(format!(
                "InvocationType must be RequestResponse or Event, got `{other}`."
            )));
        }
    };
    let tail = tail_log(ctx)?;
    check_routing_key(ctx)?;
    let limit = if asynchronous {
        ASYNC_EVENT_LIMIT
    } else {
        SYNC_EVENT_LIMIT
    };
    let event = event(ctx, "ClientContext", limit, codes::INVALID_PARAMETER_VALUE)?;
    let qualifier = ctx.str("Qualifier").filter(|q| !q.is_empty());
    let target = target(
        ctx,
        qualifier.unwrap_or(LATEST),
        codes::INVALID_PARAMETER_VALUE,
        |name, qualifier| {
            ApiError::new(
                "ResourceNotFound.Function",
                format!("The function `{name}` has no version or alias `{qualifier}`."),
            )
        },
    )?;
    if asynchronous {
        Ok(queue(ctx, target, event))
    } else {
        Ok(run_now(ctx, target, event, tail).await)
    }
}

/// `InvokeFunction`: runs the function synchronously with `Event` and answers its result.
///
/// Errors: `InvalidParameterValue` (bad `LogType` or `RoutingKey`),
/// `InvalidParameter.RequestTooLarge` (an event over the spec's limit), `InvalidParameterValue.Param` (the
/// event is not JSON), `ResourceNotFound.Function` (no such function or namespace),
/// `ResourceNotFound.Qualifier` (no such version or alias), `FailedOperation.FunctionStatusError`.
pub(super) async fn invoke_function(ctx: &Ctx<'_>) -> Answer {
    let tail = tail_log(ctx)?;
    check_routing_key(ctx)?;
    let event = event(
        ctx,
        "Event",
        INVOKE_FUNCTION_EVENT_LIMIT,
        "InvalidParameter.RequestTooLarge",
    )?;
    let qualifier = ctx.str("Qualifier").filter(|q| !q.is_empty());
    let target = target(
        ctx,
        qualifier.unwrap_or(DEFAULT_QUALIFIER),
        "InvalidParameterValue.FunctionType",
        |name, qualifier| {
            ApiError::new(
                "ResourceNotFound.Qualifier",
                format!("The function `{name}` has no version or alias `{qualifier}`."),
            )
        },
    )?;
    Ok(run_now(ctx, target, event, tail).await)
}

/// Whether `LogType` asks for the log (`Tail`); `None` (the default) does not.
fn tail_log(ctx: &Ctx<'_>) -> Result<bool, ApiError> {
    match ctx.str("LogType").unwrap_or("None") {
        "None" => Ok(false),
        "Tail" => Ok(true),
        other => Err(invalid_value(format!(
            "LogType must be None or Tail, got `{other}`."
        ))),
    }
}

/// Checks `RoutingKey`, when present: a JSON object of strings of at most 1024 bytes.
fn check_routing_key(ctx: &Ctx<'_>) -> Result<(), ApiError> {
    let Some(key) = ctx.str("RoutingKey") else {
        return Ok(());
    };
    if key.len() > ROUTING_KEY_LIMIT {
        return Err(invalid_value(format!(
            "RoutingKey may be at most {ROUTING_KEY_LIMIT} bytes, got {}.",
            key.len()
        )));
    }
    match serde_json::from_str::<Value>(key) {
        Ok(Value::Object(map)) if map.values().all(Value::is_string) => Ok(()),
        _ => Err(invalid_value(
            "RoutingKey must be a JSON object whose values are all strings.",
        )),
    }
}

/// The event in member `member` (`{}` when absent or empty), checked to be at most `limit`
/// bytes (else `too_large`) and JSON (else `InvalidParameterValue.Param`).
fn event(ctx: &Ctx<'_>, member: &str, limit: usize, too_large: &str) -> Result<String, ApiError> {
    let event = ctx.str(member).filter(|e| !e.is_empty()).unwrap_or("{}");
    if event.len() > limit {
        return Err(ApiError::new(
            too_large,
            format!(
                "{member} is {} bytes, more than the {limit} bytes this invocation allows.",
                event.len()
            ),
        ));
    }
    if serde_json::from_str::<serde::de::IgnoredAny>(event).is_err() {
        return Err(ApiError::new(
            "InvalidParameterValue.Param",
            format!("{member} must be a JSON document."),
        ));
    }
    Ok(event.to_owned())
}

/// Looks up `FunctionName` in `Namespace` and resolves `qualifier` (`$DEFAULT` meaning
/// `$LATEST`); `unknown_qualifier(name, qualifier)` is the error for a qualifier it does not
/// have.
fn target(
    ctx: &Ctx<'_>,
    qualifier: &str,
    web_code: &str,
    unknown_qualifier: impl FnOnce(&str, &str) -> ApiError,
) -> Result<Target, ApiError> {
    let name = ctx.required("FunctionName");
    let namespace = ctx.namespace();
    let store = ctx.store();
    let function = find_function(&store, namespace, name)?;
    let called = if qualifier == DEFAULT_QUALIFIER {
        LATEST
    } else {
        qualifier
    };
    let version = function
        .resolve(called)
        .ok_or_else(|| unknown_qualifier(name, qualifier))?;
    if function.status != ACTIVE {
        return Err(ApiError::new(
            "FailedOperation.FunctionStatusError",
            format!(
                "The function `{name}` is {}, not Active, and cannot be invoked now.",
                function.status
            ),
        ));
    }
    let config = version_config(function, &version);
    if config.get("Type").and_then(Value::as_str) == Some("HTTP") {
        return Err(ApiError::new(
            web_code,
            format!(
                "The function `{name}` is a web function: it is invoked over HTTP (through API \
                 Gateway), not with Invoke or InvokeFunction."
            ),
        ));
    }
    let limits = Limits::of(config);
    let code = ctx.shared.function.is_none().then(|| {
        code::code(
            &store,
            namespace,
            function,
            &version,
            config,
            limits,
            &ctx.shared.region,
        )
    });
    Ok(Target {
        namespace: namespace.to_owned(),
        function_name: name.to_owned(),
        qualifier: called.to_owned(),
        version,
        limits,
        code,
    })
}

/// Runs `target` with `event` now, records the run and answers its `Result`.
async fn run_now(ctx: &Ctx<'_>, target: Target, event: String, tail: bool) -> Map<String, Value> {
    let request_id = request_id::fresh();
    let invocation = target.invocation(&request_id, &event, false);
    let run = run::run(
        ctx.shared,
        invocation,
        target.limits,
        SYNC_WAIT,
        target.code.as_ref(),
    )
    .await;
    let error_object = run.error_object.clone();
    let record = target.record(request_id, ctx.now, run);
    let (ret_msg, err_msg) = match &record.result {
        Ok(value) => (value.as_str(), ""),
        // Real code's failures carry the documented error object in `RetMsg`.
        Err(message) => (error_object.as_deref().unwrap_or(""), message.as_str()),
    };
    let log = if tail {
        run::tail(&record.log, run::TAIL_LIMIT)
    } else {
        ""
    };
    let result = json!({
        "FunctionRequestId": record.request_id,
        "RetMsg": ret_msg,
        "ErrMsg": err_msg,
        "InvokeResult": record.ret_code(),
        "Duration": record.duration_ms,
        "BillDuration": run::bill_duration(record.duration_ms),
        "MemUsage": record.mem_usage,
        "Log": log,
    });
    let mut store = ctx.store();
    // A function deleted while it ran leaves no record: nothing could look it up.
    if find_function(&store, &target.namespace, &target.function_name).is_ok() {
        store.invocations.push(record);
    }
    drop(store);
    let mut out = Map::new();
    out.insert("Result".into(), result);
    out
}

/// Creates a `RUNNING` async event for `target` and spawns the task that runs it; answers the
/// `Result` of an async call (the request id, the execution details empty).
fn queue(ctx: &Ctx<'_>, target: Target, event: String) -> Map<String, Value> {
    let id = request_id::fresh();
    ctx.store().events.insert(
        AsyncEvent {
            invoke_request_id: id.clone(),
            namespace: target.namespace.clone(),
            function_name: target.function_name.clone(),
            qualifier: target.version.clone(),
            status: status::RUNNING,
            start: ctx.now,
            end: None,
            timed_out: false,
        },
        ctx.now,
    );
    tokio::spawn(run_event(Arc::clone(ctx.shared), target, event, id.clone()));
    let mut out = Map::new();
    out.insert(
        "Result".into(),
        json!({
            "FunctionRequestId": id,
            "RetMsg": "",
            "ErrMsg": "",
            "InvokeResult": 0,
            "Duration": 0.0,
            "BillDuration": 0,
            "MemUsage": 0,
            "Log": "",
        }),
    );
    out
}

/// The life of one async event: wait `async_delay`, run the function unless the event was
/// terminated, then mark it `FINISHED` or `FAILED` and record the run. A termination while the
/// function runs stops it and discards its outcome.
async fn run_event(shared: Arc<Shared>, target: Target, event: String, id: String) {
    tokio::time::sleep(shared.async_delay).await;
    if !begin(&shared, &target, &id) {
        return;
    }
    let start = now_millis(shared.clock_offset_secs);
    let invocation = target.invocation(&id, &event, true);
    let run = tokio::select! {
        run = run::run(&shared, invocation, target.limits, Duration::MAX, target.code.as_ref()) => run,
        () = terminated(&shared, &id) => return,
    };
    let end = now_millis(shared.clock_offset_secs);
    let mut store = lock_store(&shared);
    let Some(entry) = store.events.get_mut(&id) else {
        return;
    };
    if entry.status != status::RUNNING {
        return;
    }
    entry.status = if run.result.is_ok() {
        status::FINISHED
    } else {
        status::FAILED
    };
    entry.timed_out = run.result.as_ref().is_err_and(|e| run::timed_out(e));
    entry.end = Some(end);
    let record = target.record(id, start, run);
    store.invocations.push(record);
}

/// Whether the event `id` should run now: it is still `RUNNING` and its function still exists.
/// An event whose function was deleted meanwhile becomes `FAILED` without running.
fn begin(shared: &Shared, target: &Target, id: &str) -> bool {
    let mut store = lock_store(shared);
    let exists = find_function(&store, &target.namespace, &target.function_name).is_ok();
    let Some(event) = store.events.get_mut(id) else {
        return false;
    };
    if event.status != status::RUNNING {
        return false;
    }
    if !exists {
        event.status = status::FAILED;
        event.end = Some(now_millis(shared.clock_offset_secs));
    }
    exists
}

/// Completes once the event `id` is no longer `RUNNING` (it was terminated) or has gone.
async fn terminated(shared: &Shared, id: &str) {
    loop {
        tokio::time::sleep(ABORT_POLL).await;
        let running = lock_store(shared)
            .events
            .get(id)
            .is_some_and(|e| e.status == status::RUNNING);
        if !running {
            return;
        }
    }
}
