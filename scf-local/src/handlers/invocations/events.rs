//! Async events: `GetAsyncEventStatus`, `ListAsyncEvents`, `TerminateAsyncEvent`.

use serde_json::{Map, Value, json};

use super::Ctx;
use super::invoke::INVOKE_TYPE;
use crate::error::ApiError;
use crate::handlers::{Answer, invalid_value, paged};
use crate::state::{AsyncEvent, Millis, datetime_millis, parse_datetime, status};

/// `ResourceNotFound.AsyncEvent` for the invoke request id `id`.
fn not_found(id: &str) -> ApiError {
    ApiError::new(
        "ResourceNotFound.AsyncEvent",
        format!("There is no async event with InvokeRequestId `{id}`."),
    )
}

/// The `StatusCode` of an event: 0 while it runs or once terminated (there is no result), 200
/// once finished, and for a failure the service's function error codes: 433 when the function
/// timed out, 430 otherwise (an error in the user code).
fn status_code(event: &AsyncEvent) -> i64 {
    match event.status {
        status::FINISHED => 200,
        status::FAILED if event.timed_out => 433,
        status::FAILED => 430,
        _ => 0,
    }
}

/// `GetAsyncEventStatus`: the `Status`, `StatusCode` and id of the event `InvokeRequestId`.
///
/// Errors: `ResourceNotFound.AsyncEvent`.
pub(super) fn get_status(ctx: &Ctx<'_>) -> Answer {
    let id = ctx.required("InvokeRequestId");
    let mut store = ctx.store();
    store.events.expire(ctx.now);
    let event = store.events.get(id).ok_or_else(|| not_found(id))?;
    let mut out = Map::new();
    out.insert(
        "Result".into(),
        json!({
            "Status": event.status,
            "StatusCode": status_code(event),
            "InvokeRequestId": event.invoke_request_id,
        }),
    );
    Ok(out)
}

/// An event as the `AsyncEvent` type shows it.
fn event_json(event: &AsyncEvent) -> Value {
    json!({
        "InvokeRequestId": event.invoke_request_id,
        "InvokeType": INVOKE_TYPE,
        "Qualifier": event.qualifier,
        "Status": event.status,
        "StartTime": datetime_millis(event.start),
        "EndTime": event.end.map(datetime_millis).unwrap_or_default(),
    })
}

/// A `TimeInterval` member as `[start, end)` in milliseconds, when present.
fn interval(ctx: &Ctx<'_>, member: &str) -> Result<Option<(Millis, Millis)>, ApiError> {
    let Some(range) = ctx.params.get(member) else {
        return Ok(None);
    };
    let bound = |name: &str| {
        let text = range.get(name).and_then(Value::as_str).unwrap_or_default();
        parse_datetime(text).ok_or_else(|| {
            invalid_value(format!(
                "{member}.{name} must be a time like `2024-12-14 00:00:00`, got `{text}`."
            ))
        })
    };
    let (start, end) = (bound("Start")?, bound("End")?);
    if end < start {
        return Err(invalid_value(format!(
            "{member}.End must not be earlier than {member}.Start."
        )));
    }
    Ok(Some((start, end)))
}

/// `ListAsyncEvents`: the function's events, filtered by `Qualifier` (the version that handled
/// them), `InvokeType`, `Status`, `InvokeRequestId` and the half-open `StartTimeInterval` /
/// `EndTimeInterval` (a running event has no end time and matches no end interval), sorted by
/// `Orderby` (`StartTime` default, or `EndTime`, running events last) in `Order` (`DESC`
/// default), paged by `Offset` and `Limit` (20 default, at most 100).
///
/// Errors: `InvalidParameterValue` (negative `Offset`, bad `Orderby` or time interval),
/// `InvalidParameterValue.Limit`, `.Order`, `.Status`, `.InvokeType`, and
/// `ResourceNotFound.Namespace`, `.Function`, `.Version`.
pub(super) fn list(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("FunctionName");
    let namespace = ctx.namespace();
    let query = EventQuery::of(ctx)?;
    let mut store = ctx.store();
    store.events.expire(ctx.now);
    let function = store.function(namespace, name)?;
    let version = match ctx.str("Qualifier").filter(|q| !q.is_empty()) {
        Some(qualifier) => Some(function.resolve(qualifier).ok_or_else(|| {
            ApiError::new(
                "ResourceNotFound.Version",
                format!("The function `{name}` has no version or alias `{qualifier}`."),
            )
        })?),
        None => None,
    };
    let mut events: Vec<&AsyncEvent> = store
        .events
        .values()
        .filter(|e| e.namespace == namespace && e.function_name == name)
        .filter(|e| version.as_ref().is_none_or(|v| *v == e.qualifier))
        .filter(|e| query.matches(e))
        .collect();
    events.sort_by(|a, b| {
        let key = |e: &AsyncEvent| {
            let time = if query.by_end {
                e.end.unwrap_or(Millis::MAX)
            } else {
                e.start
            };
            (time, e.start)
        };
        key(a)
            .cmp(&key(b))
            .then_with(|| a.invoke_request_id.cmp(&b.invoke_request_id))
    });
    if query.descending {
        events.reverse();
    }
    let (page, total) = paged(events, query.page);
    let mut out = Map::new();
    out.insert("TotalCount".into(), json!(total));
    out.insert(
        "EventList".into(),
        page.into_iter().map(event_json).collect::<Value>(),
    );
    Ok(out)
}

/// What ListAsyncEvents asks for besides the function: the page, the order and the filters.
struct EventQuery<'p> {
    page: (usize, usize),
    descending: bool,
    /// Sort by end time (`Orderby` `EndTime`) rather than start time.
    by_end: bool,
    statuses: Vec<&'p str>,
    /// Whether the `InvokeType` filter admits the events `Invoke` creates.
    type_matches: bool,
    started: Option<(Millis, Millis)>,
    ended: Option<(Millis, Millis)>,
    request_id: Option<&'p str>,
}

impl<'p> EventQuery<'p> {
    /// The query of `ctx`, checked in request order.
    fn of(ctx: &'p Ctx<'_>) -> Result<Self, ApiError> {
        let offset = ctx.int("Offset").unwrap_or(0);
        if offset < 0 {
            return Err(invalid_value(format!(
                "Offset must not be negative, got {offset}."
            )));
        }
        let limit = ctx.int("Limit").unwrap_or(20);
        if !(0..=100).contains(&limit) {
            return Err(ApiError::new(
                "InvalidParameterValue.Limit",
                format!("Limit must be between 0 and 100, got {limit}."),
            ));
        }
        let descending = ctx.descending(true)?;
        let by_end = match ctx.str("Orderby").unwrap_or("StartTime") {
            "StartTime" => false,
            "EndTime" => true,
            other => {
                return Err(invalid_value(format!(
                    "Orderby must be StartTime or EndTime, got `{other}`."
                )));
            }
        };
        let statuses = ctx.strings("Status");
        let known = [
            status::RUNNING,
            status::FINISHED,
            status::FAILED,
            status::ABORTED,
        ];
        if let Some(bad) = statuses.iter().find(|s| !known.contains(s)) {
            return Err(ApiError::new(
                "InvalidParameterValue.Status",
                format!("Status must be RUNNING, FINISHED, FAILED or ABORTED, got `{bad}`."),
            ));
        }
        let invoke_types = ctx.strings("InvokeType");
        if invoke_types.iter().any(|t| t.is_empty()) {
            return Err(ApiError::new(
                "InvalidParameterValue.InvokeType",
                "InvokeType values must not be empty.",
            ));
        }
        Ok(EventQuery {
            // Both were checked to be non-negative; an offset past `usize` is past every item.
            page: (
                usize::try_from(offset).unwrap_or(usize::MAX),
                usize::try_from(limit).unwrap_or(usize::MAX),
            ),
            descending,
            by_end,
            statuses,
            // Every event here was created by `Invoke`, so they all have the same type.
            type_matches: invoke_types.is_empty() || invoke_types.contains(&INVOKE_TYPE),
            started: interval(ctx, "StartTimeInterval")?,
            ended: interval(ctx, "EndTimeInterval")?,
            request_id: ctx.str("InvokeRequestId").filter(|id| !id.is_empty()),
        })
    }

    /// Whether `e` passes every filter.
    fn matches(&self, e: &AsyncEvent) -> bool {
        let within = |t: Millis, (from, to): (Millis, Millis)| from <= t && t < to;
        self.type_matches
            && (self.statuses.is_empty() || self.statuses.contains(&e.status))
            && self.request_id.is_none_or(|id| id == e.invoke_request_id)
            && self.started.is_none_or(|range| within(e.start, range))
            && self
                .ended
                .is_none_or(|range| e.end.is_some_and(|end| within(end, range)))
    }
}

/// `TerminateAsyncEvent`: a `RUNNING` event of the function becomes `ABORTED` with an end time;
/// its function never runs, or is stopped and its outcome discarded. `GraceShutdown` is
/// accepted; handlers cannot receive signals, so it changes nothing.
///
/// Errors: `ResourceNotFound.Namespace`, `.Function`, `.AsyncEvent` (no such event of this
/// function), `FailedOperation.AsyncEventStatus` (the event is no longer running).
pub(super) fn terminate(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("FunctionName");
    let namespace = ctx.namespace();
    let id = ctx.required("InvokeRequestId");
    let mut store = ctx.store();
    store.function(namespace, name)?;
    let event = store
        .events
        .get_mut(id)
        .filter(|e| e.namespace == namespace && e.function_name == name)
        .ok_or_else(|| not_found(id))?;
    if event.status != status::RUNNING {
        return Err(ApiError::new(
            "FailedOperation.AsyncEventStatus",
            format!(
                "The async event `{id}` is {} and can no longer be terminated.",
                event.status
            ),
        ));
    }
    event.status = status::ABORTED;
    event.end = Some(ctx.now);
    Ok(Map::new())
}
