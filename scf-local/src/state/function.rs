//! Functions and what hangs off them: published versions, aliases (with their routing) and
//! triggers, and qualifiers (`$LATEST`, a version number, an alias name).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde_json::{Map, Value, json};

use super::code::Package;
use super::{LATEST, Millis};
use crate::error::ApiError;

/// The number `qualifier` names when it is a version number written the canonical way (`2`, not
/// `02` or `+2`).
pub(crate) fn version_number(qualifier: &str) -> Option<u64> {
    qualifier
        .parse::<u64>()
        .ok()
        .filter(|n| n.to_string() == qualifier)
}

/// The alias every function has, pointing to `$LATEST` unless updated.
/// Defaults the docs give for configuration members CreateFunction leaves out: what a new
/// function's configuration starts from, and what running a function falls back to.
static DEFAULT_CONFIG: LazyLock<Map<String, Value>> = LazyLock::new(|| {
    let Value::Object(map) = json!({
        "Handler": "index.main_handler",
        "Description": "",
        "MemorySize": 128,
        "Timeout": 3,
        "Runtime": "Python2.7",
        "Type": "Event",
        "InitTimeout": 65,
        "Environment": { "Variables": [] },
        "Tags": [],
        "AsyncRunEnable": "FALSE",
        "TraceEnable": "FALSE",
        "InstallDependency": "FALSE",
        "L5Enable": "FALSE",
    }) else {
        unreachable!("a JSON object literal")
    };
    map
});

/// The documented defaults of a function's configuration (see [`DEFAULT_CONFIG`]).
pub(crate) fn default_config() -> &'static Map<String, Value> {
    &DEFAULT_CONFIG
}

/// Configuration member `key` of `config`, or its documented default when the configuration
/// leaves it out (absent, `null` or an empty string).
pub(crate) fn config_value<'c>(config: &'c Map<String, Value>, key: &str) -> Option<&'c Value> {
    match config.get(key) {
        None | Some(Value::Null) => DEFAULT_CONFIG.get(key),
        Some(Value::String(s)) if s.is_empty() => DEFAULT_CONFIG.get(key),
        given => given,
    }
}

pub(crate) const DEFAULT_ALIAS: &str = "$DEFAULT";

/// Why [`Function::remove_version`] refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum VersionRemoval {
    /// The function has no such version.
    Missing { function: String, number: u64 },
    /// An alias still routes to the version (as its primary or additional version).
    RoutedBy {
        function: String,
        number: u64,
        alias: String,
    },
}

/// The documented codes: `ResourceNotFound.Qualifier` and `UnsupportedOperation.AliasBind`.
impl From<VersionRemoval> for ApiError {
    fn from(refusal: VersionRemoval) -> Self {
        match refusal {
            VersionRemoval::Missing { function, number } => ApiError::new(
                "ResourceNotFound.Qualifier",
                format!("The function `{function}` has no version `{number}`."),
            ),
            VersionRemoval::RoutedBy {
                function,
                number,
                alias,
            } => ApiError::new(
                "UnsupportedOperation.AliasBind",
                format!(
                    "Version `{number}` of function `{function}` is still used by alias \
                     `{alias}`; repoint or delete the alias first."
                ),
            ),
        }
    }
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
    /// Its inline zip, decoded once ([`Package::of`]); what `$LATEST` runs.
    pub(crate) package: Option<Package>,
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
            package: Package::of(&code),
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
        if let Some(n) = version_number(qualifier) {
            return self.versions.contains_key(&n).then(|| qualifier.to_owned());
        }
        self.aliases
            .get(qualifier)
            .map(|alias| alias.function_version.clone())
    }
    /// Publishes the current configuration as the next version, described by `description`;
    /// returns its number.
    pub(crate) fn publish(&mut self, description: &str, now: Millis) -> u64 {
        let number = self.next_version;
        self.next_version += 1;
        self.versions.insert(
            number,
            Version {
                number,
                description: description.to_owned(),
                config: self.config.clone(),
                package: self.package.clone(),
                added: now,
                modified: now,
            },
        );
        number
    }

    /// `CodeSize`: the bytes of the current inline zip (0 for code from COS).
    pub(crate) fn code_size(&self) -> usize {
        self.package.as_ref().map_or(0, |p| p.zip.len())
    }

    /// Replaces the code with a new upload's `Code` object.
    pub(crate) fn set_code(&mut self, code: Map<String, Value>) {
        self.package = Package::of(&code);
        self.code = code;
    }

    /// Deletes published version `number`, with the triggers bound to it and its provisioned
    /// concurrency setting; refused while an alias routes to it.
    pub(crate) fn remove_version(&mut self, number: u64) -> Result<(), VersionRemoval> {
        if !self.versions.contains_key(&number) {
            return Err(VersionRemoval::Missing {
                function: self.name.clone(),
                number,
            });
        }
        let version = number.to_string();
        if let Some(alias) = self
            .aliases
            .values()
            .find(|alias| alias.routes_to().any(|v| v == version))
        {
            return Err(VersionRemoval::RoutedBy {
                function: self.name.clone(),
                number,
                alias: alias.name.clone(),
            });
        }
        self.versions.remove(&number);
        self.triggers.retain(|_, t| t.qualifier != version);
        if let Some(provisioned) = self
            .settings
            .get_mut("ProvisionedConcurrency")
            .and_then(Value::as_object_mut)
        {
            provisioned.remove(&version);
        }
        Ok(())
    }

    /// Adds the built-in `$DEFAULT` alias (to `$LATEST`, dated like the function) when the
    /// function does not have it yet. CreateFunction and CopyFunction call it; the alias and
    /// trigger handlers call it too, which keeps functions from older states consistent.
    pub(crate) fn ensure_default_alias(&mut self) {
        let created = self.added;
        self.aliases
            .entry(DEFAULT_ALIAS.to_owned())
            .or_insert_with(|| Alias {
                name: DEFAULT_ALIAS.to_owned(),
                function_version: LATEST.to_owned(),
                description: String::new(),
                routing_config: None,
                added: created,
                modified: created,
            });
    }
}
/// A published version: a frozen copy of the configuration.
#[derive(Debug, Clone)]
pub(crate) struct Version {
    pub(crate) number: u64,
    pub(crate) description: String,
    pub(crate) config: Map<String, Value>,
    /// The code published with it (a later `UpdateFunctionCode` does not change it).
    pub(crate) package: Option<Package>,
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

/// The `RoutingConfig` member with weight-based routing.
pub(crate) const WEIGHTS: &str = "AdditionalVersionWeights";
/// The `RoutingConfig` member with rule-based routing (spelled as the API spells it).
pub(crate) const MATCHES: &str = "AddtionVersionMatchs";

/// The list `member` of a `RoutingConfig` (empty when absent).
pub(crate) fn routing_list<'v>(routing: &'v Value, member: &str) -> &'v [Value] {
    routing
        .get(member)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

impl Alias {
    /// The versions this alias sends requests to: its primary version, then the additional
    /// versions of its `RoutingConfig`.
    pub(crate) fn routes_to(&self) -> impl Iterator<Item = &str> {
        let additional = self
            .routing_config
            .iter()
            .flat_map(|routing| {
                routing_list(routing, WEIGHTS)
                    .iter()
                    .chain(routing_list(routing, MATCHES))
            })
            .filter_map(|entry| entry.get("Version").and_then(Value::as_str));
        std::iter::once(self.function_version.as_str()).chain(additional)
    }
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

impl Trigger {
    /// The key of the trigger `name` bound to `qualifier` in [`Function::triggers`]. Qualifiers
    /// never contain `/`, so keys of different (qualifier, name) pairs differ.
    pub(crate) fn key(qualifier: &str, name: &str) -> String {
        format!("{qualifier}/{name}")
    }
}
