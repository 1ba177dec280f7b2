//! The emulator's in-memory world: namespaces, functions with their versions, aliases and
//! triggers, invocation records and async events. One `Mutex<Store>` guards it; handlers hold
//! the lock only while they read or change the store, never across an await.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use crate::history::{AsyncEvents, HistoryLimits, Invocations};

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

/// Milliseconds since the unix epoch, on the server's (possibly offset) clock.
pub(crate) type Millis = i64;

/// The server's clock, in milliseconds, shifted by `offset_secs`.
pub(crate) fn now_millis(offset_secs: i64) -> Millis {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO);
    i64::try_from(now.as_millis())
        .unwrap_or(i64::MAX)
        .saturating_add(offset_secs.saturating_mul(1000))
}

/// Offset of the service's datetimes from UTC: they are China Standard Time (UTC+8), as the
/// time-based request ids in the documentation's examples show.
const SERVICE_UTC_OFFSET_MILLIS: Millis = 8 * 3600 * 1000;

/// `YYYY-MM-DD HH:MM:SS` (UTC+8), the service's datetime format.
pub(crate) fn datetime(millis: Millis) -> String {
    let secs = (millis + SERVICE_UTC_OFFSET_MILLIS).div_euclid(1000);
    let of_day = secs.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02}:{:02}",
        crate::auth::utc_date(secs),
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

/// `YYYY-MM-DD HH:MM:SS.mmm` (UTC+8), the format of async event times.
pub(crate) fn datetime_millis(millis: Millis) -> String {
    format!("{}.{:03}", datetime(millis), millis.rem_euclid(1000))
}

/// Parses `YYYY-MM-DD HH:MM:SS` (UTC+8, optionally with `.fff`) into milliseconds since the
/// epoch.
pub(crate) fn parse_datetime(text: &str) -> Option<Millis> {
    let (date, time) = text.trim().split_once(' ')?;
    let mut d = date.split('-').map(str::parse::<i64>);
    let (year, month, day) = (d.next()?.ok()?, d.next()?.ok()?, d.next()?.ok()?);
    let (time, frac) = match time.split_once('.') {
        Some((t, f)) => (t, f),
        None => (time, ""),
    };
    let mut t = time.split(':').map(str::parse::<i64>);
    let (h, m, s) = (t.next()?.ok()?, t.next()?.ok()?, t.next()?.ok()?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let millis = if frac.is_empty() {
        0
    } else {
        let digits: String = frac.chars().take(3).collect();
        format!("{digits:0<3}").parse::<i64>().ok()?
    };
    // Days from civil date (the inverse of `auth::utc_date`).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 86_400 + h * 3600 + m * 60 + s) * 1000) + millis - SERVICE_UTC_OFFSET_MILLIS)
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

/// A function: its `$LATEST` configuration and everything attached to it.
#[derive(Debug, Clone)]
pub(crate) struct Function {
    pub(crate) name: String,
    pub(crate) id: String,
    /// Configuration members as sent by CreateFunction / UpdateFunctionConfiguration
    /// (`Runtime`, `Handler`, `MemorySize`, `Timeout`, `Description`, `Environment`, ...).
    pub(crate) config: Map<String, Value>,
    /// The `Code` object of the last code upload.
    pub(crate) code: Map<String, Value>,
    /// `Active` once created.
    pub(crate) status: String,
    pub(crate) added: Millis,
    pub(crate) modified: Millis,
    /// Published versions by number.
    pub(crate) versions: BTreeMap<u64, Version>,
    /// The number the next PublishVersion gets.
    pub(crate) next_version: u64,
    pub(crate) aliases: BTreeMap<String, Alias>,
    /// Triggers by `"{qualifier}/{name}"` (a name is unique per function and qualifier).
    pub(crate) triggers: BTreeMap<String, Trigger>,
    /// Other per-function settings by name, e.g. `ReservedConcurrencyMem`,
    /// `ProvisionedConcurrency` (by qualifier), `AsyncTriggerConfig`.
    pub(crate) settings: Map<String, Value>,
}

impl Function {
    /// A new `Active` function created at `now`, with no versions, aliases, triggers or
    /// settings yet.
    pub(crate) fn new(
        name: &str,
        id: String,
        config: Map<String, Value>,
        code: Map<String, Value>,
        now: Millis,
    ) -> Self {
        Function {
            name: name.to_owned(),
            id,
            config,
            code,
            status: "Active".to_owned(),
            added: now,
            modified: now,
            versions: BTreeMap::new(),
            next_version: 1,
            aliases: BTreeMap::new(),
            triggers: BTreeMap::new(),
            settings: Map::new(),
        }
    }

    /// A configuration member as a string (`""` when absent).
    pub(crate) fn config_str(&self, name: &str) -> &str {
        self.config.get(name).and_then(Value::as_str).unwrap_or("")
    }

    /// Whether `qualifier` names `$LATEST`, a published version, or an alias of this function.
    pub(crate) fn has_qualifier(&self, qualifier: &str) -> bool {
        self.resolve(qualifier).is_some()
    }

    /// The version `qualifier` stands for: `$LATEST`, a published version, or the version an
    /// alias points to.
    pub(crate) fn resolve(&self, qualifier: &str) -> Option<String> {
        if qualifier == LATEST {
            return Some(LATEST.to_owned());
        }
        if let Some(n) = crate::handlers::version_number(qualifier) {
            return self.versions.contains_key(&n).then(|| qualifier.to_owned());
        }
        self.aliases
            .get(qualifier)
            .map(|alias| alias.function_version.clone())
    }
}

/// A layer and its versions.
#[derive(Debug, Clone)]
pub(crate) struct Layer {
    pub(crate) name: String,
    /// Versions by number; each keeps the PublishLayerVersion members and its times.
    pub(crate) versions: BTreeMap<u64, LayerVersion>,
    /// The number the next PublishLayerVersion gets.
    pub(crate) next_version: u64,
}

/// One published layer version.
#[derive(Debug, Clone)]
pub(crate) struct LayerVersion {
    pub(crate) number: u64,
    /// The PublishLayerVersion request members (`Description`, `CompatibleRuntimes`,
    /// `LicenseInfo`, `Content`, `Tags`).
    pub(crate) request: Map<String, Value>,
    pub(crate) added: Millis,
}

/// A published version: a frozen copy of the configuration.
#[derive(Debug, Clone)]
pub(crate) struct Version {
    pub(crate) number: u64,
    pub(crate) description: String,
    pub(crate) config: Map<String, Value>,
    pub(crate) added: Millis,
    pub(crate) modified: Millis,
}

/// An alias: a name for a version, with optional weighted routing to others.
#[derive(Debug, Clone)]
pub(crate) struct Alias {
    pub(crate) name: String,
    pub(crate) function_version: String,
    pub(crate) description: String,
    /// `RoutingConfig` as sent, if any.
    pub(crate) routing_config: Option<Value>,
    pub(crate) added: Millis,
    pub(crate) modified: Millis,
}

/// A trigger.
#[derive(Debug, Clone)]
pub(crate) struct Trigger {
    pub(crate) name: String,
    pub(crate) kind: String,
    pub(crate) desc: String,
    pub(crate) qualifier: String,
    pub(crate) enabled: bool,
    pub(crate) custom_argument: String,
    pub(crate) description: String,
    pub(crate) added: Millis,
    pub(crate) modified: Millis,
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_round_trip() {
        // 2024-12-25 11:50:07 UTC is 19:50:07 in the service's UTC+8.
        let t = 1_735_127_407_123;
        assert_eq!(datetime(t), "2024-12-25 19:50:07");
        assert_eq!(datetime_millis(t), "2024-12-25 19:50:07.123");
        assert_eq!(parse_datetime("2024-12-25 19:50:07"), Some(t - 123));
        assert_eq!(parse_datetime("2024-12-25 19:50:07.123"), Some(t));
        let hours8 = 8 * 3_600_000;
        assert_eq!(parse_datetime("2000-02-29 08:00:00"), Some(951_782_400_000));
        assert_eq!(parse_datetime("1970-01-01 08:00:00"), Some(0));
        assert_eq!(datetime(0), "1970-01-01 08:00:00");
        assert_eq!(parse_datetime("1970-01-01 00:00:00"), Some(-hours8));
        for bad in [
            "",
            "2024-12-25",
            "2024-13-01 00:00:00",
            "x y",
            "2024-12-25 25:00:00",
        ] {
            assert_eq!(parse_datetime(bad), None, "{bad}");
        }
    }
}
