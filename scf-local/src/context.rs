//! What every layer below the server shares: the server's state ([`Shared`]) and what a handler
//! gets for one request ([`Ctx`]: the state, the validated parameters and the time), with the
//! typed access to parameters the handlers share.
//!
//! It sits below the handlers and the service and above the model: it uses the model and the
//! error type, and nothing above it.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde_json::{Map, Value};

use crate::catalog::Catalog;
use crate::error::{ApiError, codes};
use crate::fault::Fault;
use crate::function::FunctionHandler;
use crate::request_log::RequestLog;
use crate::runtime::Runtimes;
use crate::state::code::string_list;
use crate::state::{DEFAULT_NAMESPACE, Millis, Store};
use crate::throttle::Throttle;

/// State shared by the server handle and all connection tasks.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) secret_id: String,
    pub(crate) secret_key: String,
    pub(crate) token: Option<String>,
    pub(crate) clock_offset_secs: i64,
    pub(crate) catalog: &'static Catalog,
    pub(crate) faults: Mutex<VecDeque<Fault>>,
    /// The newest requests, within the configured limits.
    pub(crate) requests: Mutex<RequestLog>,
    /// The emulated account: namespaces, functions, invocations, async events.
    pub(crate) store: Mutex<Store>,
    /// Answer every action with its spec example instead of from the store.
    pub(crate) examples_only: bool,
    /// The in-process handler every function runs, when the server was built with one;
    /// `None`: functions run their uploaded code in `runtimes`.
    pub(crate) function: Option<FunctionHandler>,
    /// Instances running uploaded code.
    pub(crate) runtimes: Runtimes,
    /// The region functions see (`TENCENTCLOUD_REGION`).
    pub(crate) region: String,
    /// How long an asynchronous invocation waits before its function runs.
    pub(crate) async_delay: Duration,
    /// How far back GetRequestStatus looks when the request gives no time range.
    pub(crate) request_window: Duration,
    /// Per-action request counts of the current second, when rate limits are enforced.
    pub(crate) throttle: Option<Mutex<Throttle>>,
    /// How long a request body may take to arrive after the headers.
    pub(crate) body_timeout: Duration,
}

/// What a handler gets: the server, the validated parameters, and the time of the request.
pub(crate) struct Ctx<'a> {
    pub(crate) shared: &'a Arc<Shared>,
    pub(crate) params: &'a Map<String, Value>,
    pub(crate) now: Millis,
}

/// The store of `shared`, locked. Never hold the guard across an await.
pub(crate) fn lock_store(shared: &Shared) -> MutexGuard<'_, Store> {
    shared.store.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<'p> Ctx<'p> {
    /// The store, locked. Never hold the guard across an await.
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        lock_store(self.shared)
    }

    /// The strings of a list parameter (empty when absent).
    pub(crate) fn strings(&self, name: &str) -> Vec<&'p str> {
        string_list(self.params, name)
    }

    /// The `Filters` parameter as (`Name`, `Values`) pairs, in request order.
    pub(crate) fn filters(&self) -> Vec<(&'p str, Vec<&'p str>)> {
        self.params
            .get("Filters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .map(|f| {
                let name = f.get("Name").and_then(Value::as_str).unwrap_or_default();
                (name, string_list(f, "Values"))
            })
            .collect()
    }

    /// Whether the `Order` parameter asks for descending order (`default_descending` when
    /// absent); `InvalidParameterValue.Order` for anything but `ASC` or `DESC` (in any case).
    pub(crate) fn descending(&self, default_descending: bool) -> Result<bool, ApiError> {
        match self.str("Order") {
            None => Ok(default_descending),
            Some(order) if order.eq_ignore_ascii_case("DESC") => Ok(true),
            Some(order) if order.eq_ignore_ascii_case("ASC") => Ok(false),
            Some(other) => Err(ApiError::new(
                "InvalidParameterValue.Order",
                format!("Order must be ASC or DESC, got `{other}`."),
            )),
        }
    }

    /// `Offset` and `Limit` for the actions that declare them unsigned (defaults 0 and
    /// `default_limit`; values beyond `usize` saturate and give an empty page).
    pub(crate) fn unsigned_page(&self, default_limit: usize) -> (usize, usize) {
        let member = |name: &str| {
            self.params
                .get(name)
                .and_then(Value::as_u64)
                .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
        };
        (
            member("Offset").unwrap_or(0),
            member("Limit").unwrap_or(default_limit),
        )
    }

    /// A string parameter, when present (validation already checked its type).
    pub(crate) fn str(&self, name: &str) -> Option<&str> {
        self.params.get(name).and_then(Value::as_str)
    }

    /// A string parameter that validation guarantees (a required member).
    pub(crate) fn required(&self, name: &str) -> &str {
        self.str(name).unwrap_or_default()
    }

    /// An integer parameter, when present.
    pub(crate) fn int(&self, name: &str) -> Option<i64> {
        self.params.get(name).and_then(Value::as_i64)
    }

    /// A boolean parameter, when present.
    pub(crate) fn bool(&self, name: &str) -> Option<bool> {
        self.params.get(name).and_then(Value::as_bool)
    }

    /// The `Namespace` parameter, `default` when absent or empty.
    pub(crate) fn namespace(&self) -> &str {
        self.str("Namespace")
            .filter(|s| !s.is_empty())
            .unwrap_or(DEFAULT_NAMESPACE)
    }

    /// `Offset` and `Limit` (defaults 0 and `default_limit`), checked to be non-negative and the
    /// limit at most `max_limit`.
    pub(crate) fn page(
        &self,
        default_limit: i64,
        max_limit: i64,
    ) -> Result<(usize, usize), ApiError> {
        let offset = self.int("Offset").unwrap_or(0);
        let limit = self.int("Limit").unwrap_or(default_limit);
        if offset < 0 {
            return Err(ApiError::new(
                codes::INVALID_PARAMETER_VALUE,
                format!("Offset must not be negative, got {offset}."),
            ));
        }
        if !(0..=max_limit).contains(&limit) {
            return Err(ApiError::new(
                codes::INVALID_PARAMETER_VALUE,
                format!("Limit must be between 0 and {max_limit}, got {limit}."),
            ));
        }
        Ok((offset as usize, limit as usize))
    }
}
