//! Running the function handler once, and the synthetic figures and log of a run.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use bytes::Bytes;
use serde_json::{Map, Value};
use tokio::task::JoinHandle;

use super::code::Code;
use crate::context::Shared;
use crate::function::{FunctionHandler, FunctionResult, Invocation};
use crate::runtime::{Execution, Outcome, Work};
use crate::state::function::{config_value, default_config};

/// How an invocation that ran out of time starts its error message; [`timed_out`] recognises
/// it (for `TimeLimitExceeded` log filters and the async status code 433).
const TIMEOUT_PREFIX: &str = "Invoking task timed out after";

/// The memory a run is reported to use before counting its event and result: 3 MiB.
const BASE_MEMORY: i64 = 3 * 1024 * 1024;

/// The most of a log `Result.Log` carries with `LogType` `Tail`: 4 KB.
pub(super) const TAIL_LIMIT: usize = 4 * 1024;

/// What a function runs with, taken from the configuration of the version it resolved to.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    /// `MemorySize`, in MB (128 when unset).
    pub(super) memory_mb: i64,
    /// `Timeout`, at least one second (3 s when unset).
    pub(super) timeout: Duration,
}

impl Limits {
    /// The limits a configuration sets.
    pub(super) fn of(config: &Map<String, Value>) -> Self {
        // A value left out, or not a positive number, is the documented default.
        let number = |key: &str| {
            config_value(config, key)
                .and_then(Value::as_i64)
                .filter(|n| *n > 0)
                .or_else(|| default_config().get(key).and_then(Value::as_i64))
                .unwrap_or_default()
        };
        let memory_mb = number("MemorySize");
        let timeout = u64::try_from(number("Timeout"))
            .unwrap_or_default()
            .clamp(1, 900);
        Limits {
            memory_mb,
            timeout: Duration::from_secs(timeout),
        }
    }
}

/// The outcome of one run of a function.
#[derive(Debug)]
pub(super) struct Run {
    /// The return value or error message.
    pub(super) result: FunctionResult,
    /// Wall-clock duration in milliseconds, to the microsecond.
    pub(super) duration_ms: f64,
    /// Memory use in bytes: measured for real code, synthetic for an in-process handler.
    pub(super) mem_usage: i64,
    /// What the function's process wrote during the run (empty for an in-process handler).
    pub(super) output: String,
    /// For a failed run of real code: the error object `RetMsg` carries (`errorCode`,
    /// `errorMessage`, `requestId`, `stackTrace`, `statusCode`).
    pub(super) error_object: Option<String>,
}

/// Aborts the task it holds when dropped, so that a handler stops when its invocation is
/// cancelled (a terminated async event, a timeout, a client that went away).
struct AbortOnDrop(JoinHandle<FunctionResult>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Runs `invocation` for at most `limits.timeout` (`wait` caps it further for synchronous
/// calls): the server's in-process handler when it has one, else the function's code
/// (`code`, built by the caller when the server has no handler).
pub(super) async fn run(
    shared: &Shared,
    invocation: Invocation,
    limits: Limits,
    wait: Duration,
    code: Option<&Code>,
) -> Run {
    match (&shared.function, code) {
        (None, Some(code)) => run_code(shared, code, &invocation, wait).await,
        (handler, _) => {
            let handler = handler.clone().unwrap_or_else(FunctionHandler::echo);
            run_handler(&handler, invocation, limits, wait).await
        }
    }
}

/// Runs an in-process handler as its own task, so a panicking handler becomes a function
/// error (`The function handler panicked.`) instead of tearing down the connection, and a
/// handler that overruns becomes the error `Invoking task timed out after N seconds.`
async fn run_handler(
    handler: &FunctionHandler,
    invocation: Invocation,
    limits: Limits,
    wait: Duration,
) -> Run {
    let event_len = invocation.event.len();
    let timeout = limits.timeout.min(wait);
    let started = Instant::now();
    let mut task = AbortOnDrop(tokio::spawn(handler.call(invocation)));
    let result = match tokio::time::timeout(timeout, &mut task.0).await {
        Ok(Ok(result)) => result,
        Ok(Err(e)) if e.is_panic() => Err("The function handler panicked.".to_owned()),
        Ok(Err(_)) => Err("The function handler was cancelled.".to_owned()),
        Err(_) => Err(timeout_message(timeout)),
    };
    let duration_ms = millis(started.elapsed());
    let output_len = match &result {
        Ok(text) | Err(text) => text.len(),
    };
    let limit = limits.memory_mb.saturating_mul(1024 * 1024);
    let used = i64::try_from(event_len.saturating_add(output_len)).unwrap_or(i64::MAX);
    Run {
        result,
        duration_ms,
        mem_usage: BASE_MEMORY.saturating_add(used).min(limit),
        output: String::new(),
        error_object: None,
    }
}

/// Runs the function's code in an instance (see `crate::runtime`). A synchronous caller's
/// `wait` ending first drops the run, which stops its instance.
async fn run_code(shared: &Shared, code: &Code, invocation: &Invocation, wait: Duration) -> Run {
    // An async event has no caller waiting; a day stands for "no limit" (the function's own
    // timeout ends it long before).
    let wait = wait.min(Duration::from_secs(24 * 3600));
    let started = Instant::now();
    let running = shared.runtimes.invoke_limited(
        &code.spec,
        code.concurrency,
        &invocation.request_id,
        Work::Event(Bytes::copy_from_slice(invocation.event.as_bytes())),
    );
    let execution = match tokio::time::timeout(wait, running).await {
        Ok(execution) => execution,
        Err(_) => Execution {
            outcome: Outcome::Failed {
                status: 433,
                message: timeout_message(wait),
            },
            log: String::new(),
            duration_ms: millis(started.elapsed()),
            mem_usage: 0,
            cold_start: false,
        },
    };
    let request_id = &invocation.request_id;
    let (result, error_object) = match execution.outcome {
        Outcome::Success(value) => (Ok(value), None),
        // Only web functions answer HTTP, and they are never invoked with an event.
        Outcome::Answered(response) => (
            Ok(String::from_utf8_lossy(&response.body).into_owned()),
            None,
        ),
        Outcome::UserError(body) => user_error(&body, request_id),
        Outcome::Failed { status, message } => {
            let object = error_object(&message, request_id, "", status);
            (Err(message), Some(object))
        }
    };
    Run {
        result,
        duration_ms: execution.duration_ms,
        mem_usage: i64::try_from(execution.mem_usage).unwrap_or(i64::MAX),
        output: execution.log,
        error_object,
    }
}

/// A failure the function's code reported: the error object of the Python and Node.js
/// bootstraps as it is (its `errorMessage` is the message), or a Custom Runtime's `/error` body
/// wrapped into one (status 430).
fn user_error(body: &str, request_id: &str) -> (FunctionResult, Option<String>) {
    if let Ok(Value::Object(object)) = serde_json::from_str::<Value>(body) {
        if let Some(message) = object.get("errorMessage").and_then(Value::as_str) {
            return (Err(message.to_owned()), Some(body.to_owned()));
        }
    }
    let object = error_object(body, request_id, "", 430);
    (Err(body.to_owned()), Some(object))
}

/// The documented error object (keys in the documented order, which is also alphabetical).
fn error_object(message: &str, request_id: &str, stack: &str, status: u16) -> String {
    serde_json::json!({
        "errorCode": -1,
        "errorMessage": message,
        "requestId": request_id,
        "stackTrace": stack,
        "statusCode": status,
    })
    .to_string()
}

/// `Invoking task timed out after N seconds.`
fn timeout_message(timeout: Duration) -> String {
    let secs = timeout.as_secs().max(1);
    let unit = if secs == 1 { "second" } else { "seconds" };
    format!("{TIMEOUT_PREFIX} {secs} {unit}.")
}

/// A duration in milliseconds, to the microsecond.
fn millis(elapsed: Duration) -> f64 {
    (elapsed.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

/// Whether a function error is the timeout error [`run`] produces.
pub(super) fn timed_out(error: &str) -> bool {
    error.starts_with(TIMEOUT_PREFIX)
}

/// The billed duration: the duration rounded up to the next 100 ms, at least 100 ms.
pub(super) fn bill_duration(duration_ms: f64) -> i64 {
    // Durations are bounded by the 900 s timeout, so the cast cannot overflow.
    ((duration_ms / 100.0).ceil().max(1.0) * 100.0) as i64
}

/// The execution log of a run, in the service's shape: `START`, `Event`, the error if any,
/// `END` and `Report` lines.
pub(super) fn log_text(request_id: &str, run: &Run, limits: Limits) -> String {
    let mut log = format!("START RequestId: {request_id}\nEvent RequestId: {request_id}\n");
    log.push_str(&run.output);
    if !run.output.is_empty() && !run.output.ends_with('\n') {
        log.push('\n');
    }
    if let Err(message) = &run.result {
        log.push_str(message);
        log.push('\n');
    }
    let _ = writeln!(log, "END RequestId: {request_id}");
    let _ = writeln!(
        log,
        "Report RequestId: {request_id} Duration:{:.3}ms Memory:{}MB MemUsage:{:.6}MB",
        run.duration_ms,
        limits.memory_mb,
        run.mem_usage as f64 / (1024.0 * 1024.0)
    );
    log
}

/// The last at most `limit` bytes of `log`, starting on a character boundary.
pub(super) fn tail(log: &str, limit: usize) -> &str {
    let mut start = log.len().saturating_sub(limit);
    while !log.is_char_boundary(start) {
        start += 1;
    }
    &log[start..]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn limits_default_and_clamp() {
        let Value::Object(config) = json!({"MemorySize": 256, "Timeout": 5000}) else {
            unreachable!()
        };
        let limits = Limits::of(&config);
        assert_eq!(limits.memory_mb, 256);
        assert_eq!(limits.timeout, Duration::from_secs(900));
        let limits = Limits::of(&Map::new());
        assert_eq!(limits.memory_mb, 128);
        assert_eq!(limits.timeout, Duration::from_secs(3));
    }

    #[test]
    fn billing_rounds_up_to_100_ms() {
        assert_eq!(bill_duration(0.0), 100);
        assert_eq!(bill_duration(0.826), 100);
        assert_eq!(bill_duration(100.0), 100);
        assert_eq!(bill_duration(100.001), 200);
    }

    #[test]
    fn tail_respects_char_boundaries() {
        assert_eq!(tail("abc", 10), "abc");
        assert_eq!(tail("abcdef", 2), "ef");
        // `é` is two bytes: cutting inside it moves past it.
        assert_eq!(tail("aé", 1), "");
        assert_eq!(tail("aé", 2), "é");
    }

    #[test]
    fn log_has_start_end_report_and_error() {
        let run = Run {
            result: Err("boom".to_owned()),
            duration_ms: 1.5,
            mem_usage: BASE_MEMORY,
            output: String::new(),
            error_object: None,
        };
        let limits = Limits {
            memory_mb: 128,
            timeout: Duration::from_secs(3),
        };
        let log = log_text("id-1", &run, limits);
        assert!(log.starts_with("START RequestId: id-1\n"), "{log}");
        assert!(log.contains("\nboom\nEND RequestId: id-1\n"), "{log}");
        assert!(
            log.contains("Report RequestId: id-1 Duration:1.500ms Memory:128MB"),
            "{log}"
        );
        assert!(timed_out("Invoking task timed out after 3 seconds."));
        assert!(timed_out("Invoking task timed out after 1 second."));
        assert!(!timed_out("boom"));
    }
}
