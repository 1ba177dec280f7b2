//! What invocations leave behind: finished runs and asynchronous events.

use super::Millis;

/// A finished (or, for async events, started) invocation.
#[derive(Debug, Clone)]
pub(crate) struct InvocationRecord {
    pub(crate) namespace: String,
    pub(crate) function_name: String,
    /// The qualifier as called (`$LATEST`, a version, an alias).
    pub(crate) qualifier: String,
    pub(crate) request_id: String,
    pub(crate) start: Millis,
    pub(crate) duration_ms: f64,
    /// `Ok(return value)` or `Err(error message)`.
    pub(crate) result: Result<String, String>,
    /// The function log.
    pub(crate) log: String,
    /// Bytes of memory used.
    pub(crate) mem_usage: i64,
}

impl InvocationRecord {
    /// `0` for success, `1` for a function error (`RetCode`, `InvokeResult`).
    pub(crate) fn ret_code(&self) -> i64 {
        i64::from(self.result.is_err())
    }

    /// The bytes the record holds, roughly: its strings plus the record itself.
    pub(crate) fn footprint(&self) -> usize {
        let result = match &self.result {
            Ok(text) | Err(text) => text.len(),
        };
        size_of::<Self>()
            + self.namespace.len()
            + self.function_name.len()
            + self.qualifier.len()
            + self.request_id.len()
            + result
            + self.log.len()
    }
}

/// An asynchronous invocation's lifecycle.
#[derive(Debug, Clone)]
pub(crate) struct AsyncEvent {
    pub(crate) invoke_request_id: String,
    pub(crate) namespace: String,
    pub(crate) function_name: String,
    /// The version that runs (an alias resolved), as `AsyncEvent.Qualifier` shows it.
    pub(crate) qualifier: String,
    /// `RUNNING`, `FINISHED`, `FAILED` or `ABORTED`.
    pub(crate) status: &'static str,
    pub(crate) start: Millis,
    pub(crate) end: Option<Millis>,
    /// Whether the run failed by running out of time (`StatusCode` 433 rather than 430).
    pub(crate) timed_out: bool,
}

/// Async event states.
pub(crate) mod status {
    pub(crate) const RUNNING: &str = "RUNNING";
    pub(crate) const FINISHED: &str = "FINISHED";
    pub(crate) const FAILED: &str = "FAILED";
    pub(crate) const ABORTED: &str = "ABORTED";
}
