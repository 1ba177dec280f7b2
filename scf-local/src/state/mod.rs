//! The model: the emulator's in-memory world and everything about it that more than one action
//! needs. Namespaces, functions with their versions, aliases and triggers, layers, invocation
//! records and async events live in the [`Store`]; one `Mutex<Store>` guards it, and handlers
//! hold the lock only while they read or change the store, never across an await.
//!
//! The model depends on nothing above it (handlers, the service, the server): handlers use the
//! model, never each other, and `tests/layering.rs` holds both rules.
//!
//! - [`lookup`]: typed lookups (`Store::function`, ...) returning [`Missing`].
//! - [`function`]: functions, versions, aliases and their routing, triggers, qualifiers.
//! - [`layer`], [`invocation`]: layers; invocation records and async events.
//! - [`code`]: code packages (base64, digest, location, size).
//! - [`time`]: the server's clock and the service's UTC+8 datetime format.
//! - [`render`]: model objects as wire JSON, where several actions show them.

pub(crate) mod code;
pub(crate) mod function;
pub(crate) mod invocation;
pub(crate) mod layer;
pub(crate) mod lookup;
pub(crate) mod names;
pub(crate) mod render;
pub(crate) mod shape;
pub(crate) mod time;

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::history::{AsyncEvents, HistoryLimits, Invocations};

pub(crate) use function::{Alias, DEFAULT_ALIAS, Function, Trigger, Version, version_number};
pub(crate) use invocation::{AsyncEvent, InvocationRecord, status};
pub(crate) use layer::{Layer, LayerVersion};
pub(crate) use lookup::Missing;
pub(crate) use render::trigger_json;
pub(crate) use time::{Millis, datetime, datetime_millis, now_millis, parse_datetime, utc_date};

/// The namespace every account has and requests use when they name none.
pub(crate) const DEFAULT_NAMESPACE: &str = "default";
/// The version every function has: the editable head.
pub(crate) const LATEST: &str = "$LATEST";

/// Everything the emulator remembers.
#[derive(Debug)]
pub(crate) struct Store {
    /// Namespaces by name, `default` included.
    pub(crate) namespaces: BTreeMap<String, Namespace>,
    /// Finished invocations, oldest first, within the history limits (for GetRequestStatus and
    /// GetFunctionLogs).
    pub(crate) invocations: Invocations,
    /// Async events by invoke request id, within the history limits.
    pub(crate) events: AsyncEvents,
    /// Layers by name.
    pub(crate) layers: BTreeMap<String, Layer>,
    /// Custom domains by lower-cased domain name: the Create/UpdateCustomDomain request members,
    /// plus `AddTime`/`ModTime` in milliseconds for sorting (never shown in answers).
    pub(crate) domains: BTreeMap<String, Map<String, Value>>,
    /// Account-wide settings (e.g. `TotalConcurrencyMem` from PutTotalConcurrencyConfig).
    pub(crate) account: Map<String, Value>,
    /// Source of function ids.
    pub(crate) next_id: u64,
}

impl Store {
    /// A store with the `default` namespace only, created at `now`, keeping invocation history
    /// within `history`.
    pub(crate) fn new(now: Millis, history: HistoryLimits) -> Self {
        let mut namespaces = BTreeMap::new();
        namespaces.insert(
            DEFAULT_NAMESPACE.to_owned(),
            Namespace {
                name: DEFAULT_NAMESPACE.to_owned(),
                description: "Default namespace".to_owned(),
                kind: "default".to_owned(),
                added: now,
                modified: now,
                functions: BTreeMap::new(),
            },
        );
        Store {
            namespaces,
            invocations: Invocations::new(history),
            events: AsyncEvents::new(history),
            layers: BTreeMap::new(),
            domains: BTreeMap::new(),
            account: Map::new(),
            next_id: 1,
        }
    }

    /// A fresh function id, shaped like the service's (`lam-xxxxxxxx`).
    pub(crate) fn function_id(&mut self) -> String {
        let id = self.next_id;
        self.next_id += 1;
        format!("lam-{id:08x}")
    }

    /// Forgets what the invocations of a deleted function left: its records and async events
    /// (a running event stops, as if terminated).
    pub(crate) fn forget_function(&mut self, namespace: &str, name: &str) {
        self.invocations.remove_function(namespace, name);
        self.events.remove_function(namespace, name);
    }
}

/// A namespace.
#[derive(Debug, Clone)]
pub(crate) struct Namespace {
    pub(crate) name: String,
    pub(crate) description: String,
    /// `default` for the built-in namespace, `custom` for the others.
    pub(crate) kind: String,
    pub(crate) added: Millis,
    pub(crate) modified: Millis,
    pub(crate) functions: BTreeMap<String, Function>,
}
