//! A `Ctx` over a fresh server state, for the unit tests of the areas: requests go through the
//! same route table as [`dispatch`](super::dispatch).

use std::cell::Cell;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde_json::{Map, Value, json};

use super::{Answer, route};
use crate::CATALOG;
use crate::catalog::ActionDef;
use crate::context::{Ctx, Shared};
use crate::function::FunctionHandler;
use crate::history::HistoryLimits;
use crate::request_log::{RequestLog, RequestLogLimits};
use crate::runtime::{RuntimeSettings, Runtimes};
use crate::state::{Millis, Store};
use crate::validate::check_object;

/// 2024-12-25 11:50:07 UTC, the time of the first request.
pub(crate) const START: Millis = 1_735_127_407_000;

/// A server state and a clock that advances one second per request.
pub(crate) struct Harness {
    shared: Arc<Shared>,
    clock: Cell<Millis>,
    /// Runs the asynchronous handlers (and what they spawn) for the harness's lifetime.
    runtime: tokio::runtime::Runtime,
}

impl Harness {
    /// A fresh state holding the function `demo` in the `default` namespace.
    pub(crate) fn new() -> Self {
        let shared = Arc::new(Shared {
            secret_id: String::new(),
            secret_key: String::new(),
            token: None,
            clock_offset_secs: 0,
            catalog: &CATALOG,
            faults: Mutex::new(VecDeque::new()),
            requests: Mutex::new(RequestLog::new(RequestLogLimits::off())),
            store: Mutex::new(Store::new(START - 1000, HistoryLimits::default())),
            examples_only: false,
            function: Some(FunctionHandler::echo()),
            runtimes: Runtimes::new(RuntimeSettings::default()).expect("a runtime directory"),
            region: "ap-guangzhou".to_owned(),
            async_delay: Duration::ZERO,
            request_window: Duration::ZERO,
            throttle: None,
            body_timeout: Duration::ZERO,
        });
        let harness = Harness {
            shared,
            clock: Cell::new(START - 1000),
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .expect("a current-thread runtime"),
        };
        harness.ok(
            "CreateFunction",
            json!({"FunctionName": "demo", "Code": {"ZipFile": "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=="}}),
        );
        harness
    }

    /// The time the next request will carry.
    pub(crate) fn next_time(&self) -> Millis {
        self.clock.get() + 1000
    }

    /// Sends `action` with `params` (which must pass the spec's validation) and checks that
    /// an error's code is documented for the action.
    pub(crate) fn call(&self, action: &str, params: Value) -> Answer {
        let def = CATALOG
            .action(action)
            .unwrap_or_else(|| panic!("unknown action {action}"));
        let Value::Object(params) = params else {
            panic!("{action}: params must be a JSON object");
        };
        if let Err(e) = check_object(&CATALOG, def.input, &params, "") {
            panic!("{action}: the request is not valid per the spec: {e:?}");
        }
        let now = self.next_time();
        self.clock.set(now);
        let ctx = Ctx {
            shared: &self.shared,
            params: &params,
            now,
        };
        let route =
            route(action).unwrap_or_else(|| panic!("{action} is not answered from the state"));
        let answer = self.runtime.block_on(route.answer(&ctx));
        if let Err(e) = &answer {
            assert!(
                CATALOG.documents(def, &e.code),
                "{action} answered {}, which the spec does not document for it",
                e.code
            );
        }
        answer
    }

    /// The answer to a request that must succeed.
    pub(crate) fn ok(&self, action: &str, params: Value) -> Map<String, Value> {
        self.call(action, params)
            .unwrap_or_else(|e| panic!("{action} failed: {e:?}"))
    }

    /// The error code of a request that must fail.
    pub(crate) fn code(&self, action: &str, params: Value) -> String {
        match self.call(action, params) {
            Ok(out) => panic!("{action} succeeded: {out:?}"),
            Err(e) => e.code,
        }
    }

    /// Answers `action` as the server does ([`dispatch`](super::dispatch)), without validating
    /// the request first.
    pub(crate) fn dispatch(&self, action: &'static ActionDef, params: Value) -> Answer {
        let Value::Object(params) = params else {
            panic!("{}: params must be a JSON object", action.name);
        };
        self.runtime
            .block_on(super::dispatch(&self.shared, action, &params))
    }

    /// The store, locked.
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        self.shared
            .store
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}
