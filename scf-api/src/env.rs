//! Where configuration is read from: the process environment, or a fixed set of variables.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// Variables naming the home directory, in the order they are tried (`USERPROFILE` on Windows).
pub(crate) const HOME_VARS: [&str; 2] = ["HOME", "USERPROFILE"];

/// A source of environment variables.
///
/// [`Environment::process`] reads the real process environment each time a variable is looked
/// up; [`Environment::from_vars`] holds a fixed set, so that configuration can be built from
/// values that do not live in the process environment (and tested without changing it).
///
/// `Debug` shows variable names only, never values.
///
/// ```
/// use scf_api::Environment;
///
/// let env = Environment::from_vars([("TENCENTCLOUD_REGION", "ap-guangzhou")]);
/// assert_eq!(env.get("TENCENTCLOUD_REGION").as_deref(), Some("ap-guangzhou"));
/// assert_eq!(env.get("TENCENTCLOUD_SECRET_ID"), None);
/// ```
#[derive(Clone, Default)]
pub struct Environment {
    vars: Option<Arc<HashMap<String, String>>>,
}

impl Environment {
    /// The process environment.
    pub fn process() -> Self {
        Environment { vars: None }
    }

    /// A fixed set of variables; nothing else is visible.
    pub fn from_vars<K, V>(vars: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        Environment {
            vars: Some(Arc::new(
                vars.into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect(),
            )),
        }
    }

    /// The value of `name`, when it is set and valid Unicode. An empty value counts as set.
    pub fn get(&self, name: &str) -> Option<String> {
        match &self.vars {
            None => std::env::var(name).ok(),
            Some(vars) => vars.get(name).cloned(),
        }
    }

    /// The home directory: the first of [`HOME_VARS`] that is set and not blank.
    pub(crate) fn home_dir(&self) -> Option<PathBuf> {
        HOME_VARS
            .iter()
            .find_map(|name| self.get_trimmed(name))
            .map(PathBuf::from)
    }

    /// The value of `name` with surrounding whitespace trimmed, or `None` when it is unset or
    /// blank.
    pub fn get_trimmed(&self, name: &str) -> Option<String> {
        let value = self.get(name)?;
        let trimmed = value.trim();
        (!trimmed.is_empty()).then(|| trimmed.to_owned())
    }
}

impl fmt::Debug for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.vars {
            None => f.write_str("Environment::process()"),
            Some(vars) => {
                let mut names: Vec<&str> = vars.keys().map(String::as_str).collect();
                names.sort_unstable();
                f.debug_struct("Environment")
                    .field("names", &names)
                    .finish()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_vars_and_trimming() {
        let env = Environment::from_vars([("A", "  x \n"), ("B", "   "), ("C", "")]);
        assert_eq!(env.get("A").as_deref(), Some("  x \n"));
        assert_eq!(env.get_trimmed("A").as_deref(), Some("x"));
        assert_eq!(env.get_trimmed("B"), None);
        assert_eq!(env.get("C").as_deref(), Some(""));
        assert_eq!(env.get_trimmed("C"), None);
        assert_eq!(env.get("D"), None);
    }

    #[test]
    fn debug_shows_names_not_values() {
        let env = Environment::from_vars([("TENCENTCLOUD_SECRET_KEY", "very-secret")]);
        let out = format!("{env:?}");
        assert!(out.contains("TENCENTCLOUD_SECRET_KEY"), "{out}");
        assert!(!out.contains("very-secret"), "{out}");
    }
}
