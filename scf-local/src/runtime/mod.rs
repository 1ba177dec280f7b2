//! Running uploaded function code for real: code packages unpacked safely (`package`), one
//! process per instance speaking SCF's Custom Runtime API on 127.0.0.1 (`api`, `instance`),
//! bootstrap programs that run Python and Node.js event handlers through the same API
//! (`launch`, `bootstraps/`), and warm instances reused, bounded and stopped (`pool`).
//!
//! The handlers know only [`Runtimes`], [`FunctionSpec`] and [`Execution`]; nothing here knows
//! the handlers or the store.

use std::sync::Arc;
use std::time::Duration;

/// What a function is, as far as running it goes: copied out of the store for one invocation.
#[derive(Debug, Clone)]
pub(crate) struct FunctionSpec {
    pub(crate) namespace: String,
    pub(crate) name: String,
    /// `$LATEST` or a published version number.
    pub(crate) version: String,
    /// `Runtime` (`CustomRuntime`, `Python3.9`, `Nodejs16.13`, ...).
    pub(crate) runtime: String,
    /// `Handler` (`index.main_handler`); free-form for a Custom Runtime.
    pub(crate) handler: String,
    /// `MemorySize` in MB.
    pub(crate) memory_mb: u64,
    /// `Timeout`.
    pub(crate) timeout: Duration,
    /// `InitTimeout`.
    pub(crate) init_timeout: Duration,
    /// The function's own environment variables (`Environment.Variables`).
    pub(crate) env: Vec<(String, String)>,
    /// The region the server reports (`TENCENTCLOUD_REGION`).
    pub(crate) region: String,
    /// The code package (zip bytes) of this version.
    pub(crate) code: Arc<[u8]>,
    /// A digest of the code and configuration: instances started for another digest are
    /// never reused (an update replaces them).
    pub(crate) digest: String,
    /// The bound layers' packages, in binding order (a later layer's file wins).
    pub(crate) layers: Vec<Arc<[u8]>>,
}

/// How a run ended, with the status code of SCF's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The function's result, as text (`RetMsg`).
    Success(String),
    /// The function failed in a way its code decided: an exception, an `/error` push (430).
    /// The text is the error as the runtime reported it (for Python/Node, the §4.4 JSON object).
    UserError(String),
    /// The platform ended the run: timeout (433), memory (434), process exit (439), result too
    /// large (407), init failures (405, 445, 450, 437), a missing interpreter (445). The message
    /// is short and says what happened.
    Failed { status: u16, message: String },
}

/// One run of a function: the outcome and what was measured.
#[derive(Debug, Clone)]
pub(crate) struct Execution {
    pub(crate) outcome: Outcome,
    /// What the process wrote to stdout and stderr during this invocation (and, on the first
    /// invocation of an instance, during its init), bounded.
    pub(crate) log: String,
    /// From event delivery to result, in ms (with microseconds).
    pub(crate) duration_ms: f64,
    /// Peak resident memory of the instance's processes, in bytes.
    pub(crate) mem_usage: u64,
    /// Whether this run started a new instance (read by the tests; the handlers do not show it).
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) cold_start: bool,
}

pub(crate) mod launch;
pub(crate) mod package;

mod api;
mod instance;
mod pool;

pub(crate) use pool::{RuntimeSettings, Runtimes};
