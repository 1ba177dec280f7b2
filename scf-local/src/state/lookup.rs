//! Typed lookups in the [`Store`]: each returns what it found or [`Missing`], which says what was
//! not there. `Missing` converts into the documented `ResourceNotFound.*` error, so handlers use
//! `?`; a handler whose action documents other codes maps it first (e.g. with
//! [`Missing::into_function`]).

use super::{Alias, Function, Layer, LayerVersion, Namespace, Store};
use crate::error::ApiError;

/// What a lookup did not find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Missing {
    /// No namespace of this name.
    Namespace(String),
    /// No function of this name in an existing namespace.
    Function { namespace: String, name: String },
    /// No alias of this name for the function.
    Alias { function: String, name: String },
    /// No layer of this name with a version left.
    Layer(String),
    /// No such version of the layer (as requested: it may be negative).
    LayerVersion { layer: String, version: i64 },
}

impl Missing {
    /// The missing function `name` of `namespace`.
    pub(crate) fn function(namespace: &str, name: &str) -> Self {
        Missing::Function {
            namespace: namespace.to_owned(),
            name: name.to_owned(),
        }
    }

    /// Reports a missing namespace as the function `name` missing from it, for actions that
    /// document `ResourceNotFound.Function` but not `ResourceNotFound.Namespace`.
    pub(crate) fn into_function(self, name: &str) -> Self {
        match self {
            Missing::Namespace(namespace) => Missing::function(&namespace, name),
            function => function,
        }
    }
}

/// `ResourceNotFound.<what>` (`Namespace`, `Function`, `Alias`, `Layer`, `LayerVersion`),
/// naming what is missing.
impl From<Missing> for ApiError {
    fn from(missing: Missing) -> Self {
        match missing {
            Missing::Namespace(name) => ApiError::new(
                "ResourceNotFound.Namespace",
                format!("The namespace `{name}` does not exist."),
            ),
            Missing::Function { namespace, name } => ApiError::new(
                "ResourceNotFound.Function",
                format!("The function `{name}` does not exist in namespace `{namespace}`."),
            ),
            Missing::Alias { function, name } => ApiError::new(
                "ResourceNotFound.Alias",
                format!("The function `{function}` has no alias `{name}`."),
            ),
            Missing::Layer(name) => ApiError::new(
                "ResourceNotFound.Layer",
                format!("The layer `{name}` does not exist."),
            ),
            Missing::LayerVersion { layer, version } => ApiError::new(
                "ResourceNotFound.LayerVersion",
                format!("The layer `{layer}` has no version {version}."),
            ),
        }
    }
}

impl Store {
    /// The namespace `name`.
    pub(crate) fn namespace(&self, name: &str) -> Result<&Namespace, Missing> {
        self.namespaces
            .get(name)
            .ok_or_else(|| Missing::Namespace(name.to_owned()))
    }

    /// The namespace `name`, for changing it.
    pub(crate) fn namespace_mut(&mut self, name: &str) -> Result<&mut Namespace, Missing> {
        self.namespaces
            .get_mut(name)
            .ok_or_else(|| Missing::Namespace(name.to_owned()))
    }

    /// The function `name` of `namespace`; whichever of the two is missing otherwise.
    pub(crate) fn function(&self, namespace: &str, name: &str) -> Result<&Function, Missing> {
        self.namespace(namespace)?
            .functions
            .get(name)
            .ok_or_else(|| Missing::function(namespace, name))
    }

    /// Like [`Store::function`], for changing the function.
    pub(crate) fn function_mut(
        &mut self,
        namespace: &str,
        name: &str,
    ) -> Result<&mut Function, Missing> {
        self.namespace_mut(namespace)?
            .functions
            .get_mut(name)
            .ok_or_else(|| Missing::function(namespace, name))
    }

    /// The layer `name`; a layer whose versions were all deleted counts as missing (it is
    /// kept only to continue its numbering).
    pub(crate) fn layer(&self, name: &str) -> Result<&Layer, Missing> {
        self.layers
            .get(name)
            .filter(|layer| !layer.versions.is_empty())
            .ok_or_else(|| Missing::Layer(name.to_owned()))
    }

    /// Version `number` of layer `name`.
    pub(crate) fn layer_version(&self, name: &str, number: i64) -> Result<&LayerVersion, Missing> {
        u64::try_from(number)
            .ok()
            .and_then(|n| self.layers.get(name)?.versions.get(&n))
            .ok_or_else(|| Missing::LayerVersion {
                layer: name.to_owned(),
                version: number,
            })
    }
}

impl Function {
    fn missing_alias(&self, name: &str) -> Missing {
        Missing::Alias {
            function: self.name.clone(),
            name: name.to_owned(),
        }
    }

    /// The alias `name`.
    pub(crate) fn alias(&self, name: &str) -> Result<&Alias, Missing> {
        self.aliases
            .get(name)
            .ok_or_else(|| self.missing_alias(name))
    }

    /// The alias `name`, for changing it.
    pub(crate) fn alias_mut(&mut self, name: &str) -> Result<&mut Alias, Missing> {
        let missing = self.missing_alias(name);
        self.aliases.get_mut(name).ok_or(missing)
    }

    /// Removes the alias `name` and the triggers bound to it; the versions it routes to stay.
    pub(crate) fn remove_alias(&mut self, name: &str) -> Result<Alias, Missing> {
        let alias = self
            .aliases
            .remove(name)
            .ok_or_else(|| self.missing_alias(name))?;
        self.triggers.retain(|_, t| t.qualifier != name);
        Ok(alias)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::HistoryLimits;

    #[test]
    fn lookups_name_what_is_missing() {
        let mut store = Store::new(0, HistoryLimits::default());
        assert_eq!(
            store.function("nope", "f").unwrap_err(),
            Missing::Namespace("nope".into())
        );
        assert_eq!(
            store.function_mut("default", "f").unwrap_err(),
            Missing::function("default", "f")
        );
        let missing = Missing::Namespace("nope".into()).into_function("f");
        assert_eq!(ApiError::from(missing).code, "ResourceNotFound.Function");
    }
}
