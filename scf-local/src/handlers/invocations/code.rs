//! What running a function's real code needs from the store: its [`FunctionSpec`], copied out
//! under the lock (cheaply: packages are shared, not copied).

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value};

use super::run::Limits;
use crate::runtime::FunctionSpec;
use crate::state::code::Package;
use crate::state::function::{config_value, default_config};
use crate::state::{Function, LATEST, Store};

/// The function setting holding its reserved concurrency, in MB of instances.
const RESERVED_MEMORY: &str = "ReservedConcurrencyMem";

/// What running one invocation's code needs.
#[derive(Debug, Clone)]
pub(super) struct Code {
    pub(super) spec: FunctionSpec,
    /// How many instances of the function may run at once, from its reserved concurrency
    /// (reserved memory divided by the function's memory); `None`: only the server's cap.
    pub(super) concurrency: Option<u64>,
}

/// The [`Code`] of `version` of `function`: its spec and its concurrency limit.
pub(super) fn code(
    store: &Store,
    namespace: &str,
    function: &Function,
    version: &str,
    config: &Map<String, Value>,
    limits: Limits,
    region: &str,
) -> Code {
    let spec = spec(store, namespace, function, version, config, limits, region);
    let concurrency = function
        .settings
        .get(RESERVED_MEMORY)
        .and_then(Value::as_u64)
        .map(|reserved| reserved / spec.memory_mb.max(1));
    Code { spec, concurrency }
}

/// The spec of `version` of `function` (`$LATEST` or a published number), configured by
/// `config`, in `region`.
fn spec(
    store: &Store,
    namespace: &str,
    function: &Function,
    version: &str,
    config: &Map<String, Value>,
    limits: Limits,
    region: &str,
) -> FunctionSpec {
    // A member the configuration leaves out takes its documented default.
    let str_of = |key: &str| {
        config_value(config, key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let (package, stamp) = match version
        .parse::<u64>()
        .ok()
        .and_then(|n| function.versions.get(&n))
    {
        Some(published) if version != LATEST => (published.package.clone(), published.added),
        _ => (function.package.clone(), function.modified),
    };
    let code = package
        .as_ref()
        .map_or_else(|| Arc::from(&[][..]), |p| Arc::clone(&p.zip));
    let sha = package.as_ref().map_or("", |p| p.sha256.as_str());
    FunctionSpec {
        namespace: namespace.to_owned(),
        name: function.name.clone(),
        version: version.to_owned(),
        runtime: str_of("Runtime"),
        handler: str_of("Handler"),
        memory_mb: u64::try_from(limits.memory_mb).unwrap_or(128),
        timeout: limits.timeout,
        init_timeout: Duration::from_secs(
            config_value(config, "InitTimeout")
                .and_then(Value::as_u64)
                .filter(|t| *t > 0)
                .or_else(|| default_config().get("InitTimeout").and_then(Value::as_u64))
                .unwrap_or_default(),
        ),
        env: variables(config),
        region: region.to_owned(),
        code,
        // A new upload or configuration (a new modification time) or another published
        // version never reuses an instance started for this one.
        digest: format!("{sha}/{version}/{stamp}"),
        layers: layers(store, config),
        web: str_of("Type") == "HTTP",
    }
}

/// `Environment.Variables`: `[{"Key": .., "Value": ..}]`.
fn variables(config: &Map<String, Value>) -> Vec<(String, String)> {
    config
        .get("Environment")
        .and_then(|e| e.get("Variables"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| {
            let key = v.get("Key")?.as_str()?;
            let value = v.get("Value").and_then(Value::as_str).unwrap_or("");
            Some((key.to_owned(), value.to_owned()))
        })
        .collect()
}

/// The packages of the bound `Layers`, in binding order; layers without an inline zip (COS)
/// or gone meanwhile are skipped.
fn layers(store: &Store, config: &Map<String, Value>) -> Vec<Arc<[u8]>> {
    config
        .get("Layers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|layer| {
            let name = layer.get("LayerName")?.as_str()?;
            let number = layer.get("LayerVersion")?.as_i64()?;
            let version = store.layer_version(name, number).ok()?;
            version
                .package
                .as_ref()
                .map(|p: &Package| Arc::clone(&p.zip))
        })
        .collect()
}
