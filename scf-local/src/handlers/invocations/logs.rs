//! What finished invocations left behind: `GetRequestStatus` and `GetFunctionLogs`.

use std::cmp::Ordering;

use serde_json::{Map, Value, json};

use super::run::{bill_duration, timed_out};
use super::{Ctx, find_function};
use crate::error::ApiError;
use crate::generated::catalog::facts;
use crate::handlers::{Answer, invalid_value, paged};
use crate::state::{InvocationRecord, Millis, Store, datetime, parse_datetime, status};

/// The widest `StartTime`..`EndTime` range of `GetFunctionLogs`, in milliseconds (the spec's
/// `timeRange`).
const RANGE_MILLIS: Millis = facts::GET_FUNCTION_LOGS
    .time_range
    .expect("the spec states GetFunctionLogs' time range")
    .max_secs as Millis
    * 1000;
/// The bound `Offset` + `Limit` of `GetFunctionLogs` may not exceed (the spec's `maxWindow`).
const LOG_WINDOW: i64 = facts::GET_FUNCTION_LOGS
    .max_window
    .expect("the spec states GetFunctionLogs' window") as i64;
/// The `Limit` of `GetFunctionLogs` when the request gives none.
const DEFAULT_LOG_LIMIT: i64 = 20;

/// `InvalidParameterValue.StartTimeOrEndTime` with `message`.
fn bad_range(message: impl Into<String>) -> ApiError {
    ApiError::new("InvalidParameterValue.StartTimeOrEndTime", message)
}

/// The time in member `member`, when present, as milliseconds; `end` makes a time given to the
/// second cover that whole second. A time that does not parse is
/// `InvalidParameterValue.DateTime`.
fn time(ctx: &Ctx<'_>, member: &str, end: bool) -> Result<Option<Millis>, ApiError> {
    let Some(text) = ctx.str(member) else {
        return Ok(None);
    };
    let millis = parse_datetime(text).ok_or_else(|| {
        ApiError::new(
            "InvalidParameterValue.DateTime",
            format!("{member} must be a time like `2017-05-16 20:00:00`, got `{text}`."),
        )
    })?;
    let whole_second = end && !text.contains('.');
    Ok(Some(if whole_second {
        millis.saturating_add(999)
    } else {
        millis
    }))
}

/// `GetRequestStatus`: the status of the request `FunctionRequestId` of the function, among
/// the runs that started between `StartTime` and `EndTime` (both inclusive, to the second), or
/// in the last `request_window` (15 minutes by default) when neither is given. An async event
/// that is still running shows with `RetCode` 1; a finished run with 0, or -1 when the function
/// failed (`RetMsg` then holds its error message). `MemUsage` is in MB.
///
/// Errors: `InvalidParameterValue.FunctionRequestId` (empty),
/// `InvalidParameterValue.StartTimeOrEndTime` (only one of the two, or `EndTime` not after
/// `StartTime`), `InvalidParameterValue.DateTime`, `ResourceNotFound.Function` (no such function
/// or namespace).
pub(super) fn request_status(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("FunctionName");
    let namespace = ctx.namespace();
    let id = ctx.required("FunctionRequestId");
    if id.is_empty() {
        return Err(ApiError::new(
            "InvalidParameterValue.FunctionRequestId",
            "FunctionRequestId must not be empty.",
        ));
    }
    let (from, to) = match (time(ctx, "StartTime", false)?, time(ctx, "EndTime", true)?) {
        (None, None) => {
            let window = ctx.shared.request_window.as_millis();
            let window = Millis::try_from(window).unwrap_or(Millis::MAX);
            (ctx.now.saturating_sub(window), ctx.now)
        }
        (Some(from), Some(to)) if to > from => (from, to),
        (Some(_), Some(_)) => return Err(bad_range("EndTime must be later than StartTime.")),
        _ => {
            return Err(bad_range(
                "StartTime and EndTime must be given together, or neither.",
            ));
        }
    };
    let store = ctx.store();
    find_function(&store, namespace, name)?;
    let within = |t: Millis| from <= t && t <= to;
    let mut data: Vec<Value> = store
        .invocations
        .iter()
        .filter(|r| r.namespace == namespace && r.function_name == name && r.request_id == id)
        .filter(|r| within(r.start))
        .map(|r| {
            let (ret_msg, ret_code) = match &r.result {
                Ok(value) => (value, 0),
                Err(message) => (message, -1),
            };
            request_status_json(
                name,
                ret_msg,
                id,
                r.start,
                ret_code,
                r.duration_ms,
                r.mem_usage,
            )
        })
        .collect();
    let running = store.events.get(id).filter(|e| {
        e.namespace == namespace
            && e.function_name == name
            && e.status == status::RUNNING
            && within(e.start)
    });
    if let Some(event) = running {
        data.push(request_status_json(name, "", id, event.start, 1, 0.0, 0));
    }
    let mut out = Map::new();
    out.insert("TotalCount".into(), json!(data.len()));
    out.insert("Data".into(), Value::Array(data));
    Ok(out)
}

/// One `RequestStatus`.
fn request_status_json(
    name: &str,
    ret_msg: &str,
    id: &str,
    start: Millis,
    ret_code: i64,
    duration_ms: f64,
    mem_usage: i64,
) -> Value {
    let mem_mb = (mem_usage as f64 / (1024.0 * 1024.0) * 1000.0).round() / 1000.0;
    json!({
        "FunctionName": name,
        "RetMsg": ret_msg,
        "RequestId": id,
        "StartTime": datetime(start),
        "RetCode": ret_code,
        "Duration": duration_ms,
        "MemUsage": mem_mb,
        "RetryNum": 0,
    })
}

/// The outcomes `Filter.RetCode` selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RetCodeFilter {
    /// Every log.
    All,
    /// `is0`: successful runs.
    Success,
    /// `not0`: failed runs.
    Failure,
    /// `TimeLimitExceeded`: runs that timed out.
    Timeout,
    /// `ResourceLimitExceeded`: never, as emulated functions have no resource limits.
    ResourceLimit,
    /// `UserCodeException`: failures other than timeouts.
    UserCode,
}

impl RetCodeFilter {
    /// The filter `Filter.RetCode` asks for.
    fn of(ctx: &Ctx<'_>) -> Result<Self, ApiError> {
        let code = ctx
            .params
            .get("Filter")
            .and_then(|f| f.get("RetCode"))
            .and_then(Value::as_str);
        Ok(match code {
            None => RetCodeFilter::All,
            Some("is0") => RetCodeFilter::Success,
            Some("not0") => RetCodeFilter::Failure,
            Some("TimeLimitExceeded") => RetCodeFilter::Timeout,
            Some("ResourceLimitExceeded") => RetCodeFilter::ResourceLimit,
            Some("UserCodeException") => RetCodeFilter::UserCode,
            Some(other) => {
                return Err(ApiError::new(
                    "InvalidParameterValue.RetCode",
                    format!(
                        "Filter.RetCode must be is0, not0, TimeLimitExceeded, \
                         ResourceLimitExceeded or UserCodeException, got `{other}`."
                    ),
                ));
            }
        })
    }

    /// Whether the log of `record` passes.
    fn passes(self, record: &InvocationRecord) -> bool {
        match (self, &record.result) {
            (RetCodeFilter::All, _) => true,
            (RetCodeFilter::Success, result) => result.is_ok(),
            (RetCodeFilter::Failure, result) => result.is_err(),
            (RetCodeFilter::Timeout, Err(e)) => timed_out(e),
            (RetCodeFilter::UserCode, Err(e)) => !timed_out(e),
            (RetCodeFilter::Timeout | RetCodeFilter::UserCode, Ok(_)) => false,
            (RetCodeFilter::ResourceLimit, _) => false,
        }
    }
}

/// The field `OrderBy` sorts logs by.
#[derive(Debug, Clone, Copy)]
enum LogOrder {
    FunctionName,
    Duration,
    MemUsage,
    StartTime,
}

impl LogOrder {
    /// Compares two logs by this field.
    fn compare(self, a: &InvocationRecord, b: &InvocationRecord) -> Ordering {
        match self {
            LogOrder::FunctionName => a.function_name.cmp(&b.function_name),
            LogOrder::Duration => a.duration_ms.total_cmp(&b.duration_ms),
            LogOrder::MemUsage => a.mem_usage.cmp(&b.mem_usage),
            LogOrder::StartTime => a.start.cmp(&b.start),
        }
    }
}

/// The `StartTime`..`EndTime` range of `GetFunctionLogs`: both inclusive (to the second), one
/// given alone extends the widest range from it, neither means no time limit.
fn log_range(ctx: &Ctx<'_>) -> Result<Option<(Millis, Millis)>, ApiError> {
    let range = match (time(ctx, "StartTime", false)?, time(ctx, "EndTime", true)?) {
        (None, None) => return Ok(None),
        (Some(from), None) => (from, from.saturating_add(RANGE_MILLIS)),
        (None, Some(to)) => (to.saturating_sub(RANGE_MILLIS), to),
        (Some(from), Some(to)) => (from, to),
    };
    if range.1 < range.0 {
        return Err(bad_range("EndTime must not be earlier than StartTime."));
    }
    // The inclusive end second adds 999 ms that do not count towards the range.
    if range.1.saturating_sub(range.0) > RANGE_MILLIS + 999 {
        return Err(bad_range(format!(
            "StartTime and EndTime may be at most {} seconds apart.",
            RANGE_MILLIS / 1000
        )));
    }
    Ok(Some(range))
}

/// The `SearchContext` to answer: the request's, echoed with absent members empty, or an empty
/// one.
fn search_context(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let given = ctx.params.get("SearchContext");
    let member = |name: &str| given.and_then(|c| c.get(name)).and_then(Value::as_str);
    let kind = member("Type").unwrap_or_default();
    if !matches!(kind, "" | "Application" | "Platform") {
        return Err(invalid_value(format!(
            "SearchContext.Type must be Application or Platform, got `{kind}`."
        )));
    }
    Ok(json!({
        "Offset": member("Offset").unwrap_or_default(),
        "Limit": given.and_then(|c| c.get("Limit")).and_then(Value::as_u64).unwrap_or(0),
        "Keyword": member("Keyword").unwrap_or_default(),
        "Type": kind,
    }))
}

/// Whether `record` ran `qualifier` of its function: called with it, or with a qualifier that
/// resolves to the same version now.
fn ran_qualifier(store: &Store, record: &InvocationRecord, qualifier: &str) -> bool {
    if record.qualifier == qualifier {
        return true;
    }
    let function = find_function(store, &record.namespace, &record.function_name);
    function.is_ok_and(|f| {
        let wanted = f.resolve(qualifier);
        wanted.is_some() && wanted == f.resolve(&record.qualifier)
    })
}

/// GetFunctionLogs' `Offset` and `Limit`: non-negative, within the window of [`LOG_WINDOW`]
/// records.
fn log_page(ctx: &Ctx<'_>) -> Result<(usize, usize), ApiError> {
    let offset = ctx.int("Offset").unwrap_or(0);
    let limit = ctx.int("Limit").unwrap_or(DEFAULT_LOG_LIMIT);
    if offset < 0 {
        return Err(ApiError::new(
            "InvalidParameterValue.Offset",
            format!("Offset must not be negative, got {offset}."),
        ));
    }
    if limit < 0 {
        return Err(invalid_value(format!(
            "Limit must not be negative, got {limit}."
        )));
    }
    if offset.saturating_add(limit) > LOG_WINDOW {
        return Err(ApiError::new(
            "LimitExceeded.Offset",
            format!("Offset + Limit may be at most {LOG_WINDOW}, got {offset} + {limit}."),
        ));
    }
    // Both were checked to be non-negative; an offset past `usize` is past every item anyway.
    Ok((
        usize::try_from(offset).unwrap_or(usize::MAX),
        usize::try_from(limit).unwrap_or(usize::MAX),
    ))
}

/// GetFunctionLogs' `OrderBy` (`start_time` by default).
fn log_order(ctx: &Ctx<'_>) -> Result<LogOrder, ApiError> {
    match ctx.str("OrderBy").unwrap_or("start_time") {
        "function_name" => Ok(LogOrder::FunctionName),
        "duration" => Ok(LogOrder::Duration),
        "mem_usage" => Ok(LogOrder::MemUsage),
        "start_time" => Ok(LogOrder::StartTime),
        other => Err(ApiError::new(
            "InvalidParameterValue.OrderBy",
            format!(
                "OrderBy must be function_name, duration, mem_usage or start_time, \
                 got `{other}`."
            ),
        )),
    }
}

/// `GetFunctionLogs`: the logs of the function's finished runs (of every function of the
/// namespace without `FunctionName`), filtered by `Qualifier`, `FunctionRequestId`,
/// `Filter.RetCode` and `StartTime`..`EndTime` (at most a day apart), sorted by `OrderBy`
/// (`start_time` default, `function_name`, `duration`, `mem_usage`) in `Order` (`desc`
/// default), paged by `Offset` and `Limit` (20 default; `Offset` + `Limit` at most the spec's window).
/// `SearchContext` is accepted and echoed.
///
/// Errors: `InvalidParameterValue.Offset`, `InvalidParameterValue` (negative `Limit`, bad
/// `SearchContext.Type`), `LimitExceeded.Offset`, `InvalidParameterValue.Order`, `.OrderBy`,
/// `.RetCode`, `.DateTime`, `.StartTimeOrEndTime`, `ResourceNotFound.Function`, and
/// `ResourceNotFound` for a missing namespace without `FunctionName`.
pub(super) fn function_logs(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.str("FunctionName").filter(|n| !n.is_empty());
    let namespace = ctx.namespace();
    let page_bounds = log_page(ctx)?;
    let descending = ctx.descending(true)?;
    let order = log_order(ctx)?;
    let filter = RetCodeFilter::of(ctx)?;
    let range = log_range(ctx)?;
    let search_context = search_context(ctx)?;
    let qualifier = ctx.str("Qualifier").filter(|q| !q.is_empty());
    let request_id = ctx.str("FunctionRequestId").filter(|id| !id.is_empty());

    let store = ctx.store();
    match name {
        Some(name) => {
            find_function(&store, namespace, name)?;
        }
        None if !store.namespaces.contains_key(namespace) => {
            return Err(ApiError::new(
                "ResourceNotFound",
                format!("The namespace `{namespace}` does not exist."),
            ));
        }
        None => {}
    }
    let mut logs: Vec<&InvocationRecord> = store
        .invocations
        .iter()
        .filter(|r| r.namespace == namespace && name.is_none_or(|n| n == r.function_name))
        .filter(|r| request_id.is_none_or(|id| id == r.request_id))
        .filter(|r| range.is_none_or(|(from, to)| from <= r.start && r.start <= to))
        .filter(|r| filter.passes(r))
        .filter(|r| qualifier.is_none_or(|q| ran_qualifier(&store, r, q)))
        .collect();
    // A stable sort keeps runs with equal keys oldest first.
    logs.sort_by(|a, b| order.compare(a, b));
    if descending {
        logs.reverse();
    }
    let (page, total) = paged(logs, page_bounds);
    let mut out = Map::new();
    out.insert("TotalCount".into(), json!(total));
    out.insert(
        "Data".into(),
        page.into_iter().map(function_log_json).collect::<Value>(),
    );
    out.insert("SearchContext".into(), search_context);
    Ok(out)
}

/// A run as the `FunctionLog` type shows it.
fn function_log_json(record: &InvocationRecord) -> Value {
    let ret_msg = match &record.result {
        Ok(value) | Err(value) => value,
    };
    json!({
        "FunctionName": record.function_name,
        "RetMsg": ret_msg,
        "RequestId": record.request_id,
        "StartTime": datetime(record.start),
        "RetCode": record.ret_code(),
        "InvokeFinished": 1,
        "Duration": record.duration_ms,
        "BillDuration": bill_duration(record.duration_ms),
        "MemUsage": record.mem_usage,
        "Log": record.log,
        "Level": "",
        "Source": "",
        "RetryNum": 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::LATEST;

    fn record(result: Result<&str, &str>) -> InvocationRecord {
        InvocationRecord {
            namespace: "default".into(),
            function_name: "f".into(),
            qualifier: LATEST.into(),
            request_id: "id".into(),
            start: 0,
            duration_ms: 1.0,
            result: result.map(str::to_owned).map_err(str::to_owned),
            log: String::new(),
            mem_usage: 0,
        }
    }

    #[test]
    fn ret_code_filters() {
        let ok = record(Ok("fine"));
        let failed = record(Err("boom"));
        let slow = record(Err("Invoking task timed out after 3 seconds."));
        let cases = [
            (RetCodeFilter::All, [true, true, true]),
            (RetCodeFilter::Success, [true, false, false]),
            (RetCodeFilter::Failure, [false, true, true]),
            (RetCodeFilter::Timeout, [false, false, true]),
            (RetCodeFilter::UserCode, [false, true, false]),
            (RetCodeFilter::ResourceLimit, [false, false, false]),
        ];
        for (filter, expected) in cases {
            let got = [&ok, &failed, &slow].map(|r| filter.passes(r));
            assert_eq!(got, expected, "{filter:?}");
        }
    }
}
