//! Running uploaded function code for real: code packages unpacked safely (`package`), one
//! process per instance speaking SCF's Custom Runtime API on 127.0.0.1 (`api`, `instance`),
//! bootstrap programs that run Python and Node.js event handlers through the same API
//! (`launch`, `bootstraps/`), web functions' own HTTP servers reached through a port of their
//! own (`instance::web`), and warm instances reused, bounded and stopped (`pool`).
//!
//! The handlers know only [`Runtimes`], [`FunctionSpec`], [`Work`] and [`Execution`]; nothing here knows
//! the handlers or the store.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use hyper::http;

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
    /// A web function (`Type` `HTTP`): its `scf_bootstrap` starts an HTTP server, which gets
    /// [`Work::Http`] requests instead of events.
    pub(crate) web: bool,
}

/// What an instance is asked to do.
#[derive(Debug)]
pub(crate) enum Work {
    /// Run an event function's handler on this event (through the runtime API).
    Event(Bytes),
    /// Pass this request to a web function's HTTP server.
    Http(WebRequest),
}

/// An HTTP request for a web function, as its server will see it (the platform's `X-Scf-*`
/// headers are added by the instance).
#[derive(Debug, Clone)]
pub(crate) struct WebRequest {
    pub(crate) method: http::Method,
    /// The path and query the function's server sees (the front's prefix removed).
    pub(crate) path_and_query: String,
    /// The caller's headers, hop-by-hop and `X-Scf-*` ones already removed.
    pub(crate) headers: http::HeaderMap,
    pub(crate) body: Bytes,
}

/// A web function's answer, passed back as it is (hop-by-hop headers removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WebResponse {
    pub(crate) status: http::StatusCode,
    pub(crate) headers: http::HeaderMap,
    pub(crate) body: Bytes,
}

/// How a run ended, with the status code of SCF's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The function's result, as text (`RetMsg`).
    Success(String),
    /// A web function's server answered (whatever its status).
    Answered(Box<WebResponse>),
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

pub(crate) use instance::web::{MAX_BODY_BYTES as MAX_WEB_BODY_BYTES, strip_hop_by_hop};
pub(crate) use pool::{RuntimeSettings, Runtimes};
