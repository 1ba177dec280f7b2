//! Where shared types are used: reachable from some action's inputs, outputs, or both.

use std::collections::BTreeMap;

use codegen::model::{Member, Spec, Ty, TypeDef};

/// How a shared type is used by the actions of a spec.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Used {
    /// Reachable from some action's inputs (the type goes into requests).
    pub input: bool,
    /// Reachable from some action's outputs (the type comes back in responses).
    pub output: bool,
}

impl Used {
    /// Both sides at once: a type used by nothing (the loader rejects those) is judged as both,
    /// which gives the worse of the two verdicts.
    pub fn or_both(self) -> Used {
        if self.input || self.output {
            self
        } else {
            Used {
                input: true,
                output: true,
            }
        }
    }
}

/// For every shared type, whether it is reachable from actions' inputs and/or outputs,
/// transitively through members typed with shared types.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Usage {
    types: BTreeMap<String, Used>,
}

impl Usage {
    /// How the type called `name` is used; both flags false when nothing reaches it.
    pub fn of(&self, name: &str) -> Used {
        self.types.get(name).copied().unwrap_or_default()
    }
}

/// Computes [`Usage`] for every type of `spec`: which shared types a request or a response of
/// some action may carry.
pub fn usage(spec: &Spec) -> Usage {
    let types: BTreeMap<&str, &TypeDef> = spec.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut usage = Usage::default();
    for action in &spec.actions {
        mark(&types, &mut usage, &action.input, true);
        mark(&types, &mut usage, &action.output, false);
    }
    usage
}

/// Marks every type reachable from `members` as used on one side (`input` or output).
fn mark(types: &BTreeMap<&str, &TypeDef>, usage: &mut Usage, members: &[Member], input: bool) {
    let mut stack: Vec<&str> = named(members).collect();
    while let Some(name) = stack.pop() {
        let used = usage.types.entry(name.to_owned()).or_default();
        let flag = if input {
            &mut used.input
        } else {
            &mut used.output
        };
        if *flag {
            continue;
        }
        *flag = true;
        if let Some(t) = types.get(name) {
            stack.extend(named(&t.members));
        }
    }
}

/// The shared types `members` are typed with.
fn named(members: &[Member]) -> impl Iterator<Item = &str> {
    members.iter().filter_map(|m| match &m.ty {
        Ty::Named(n) => Some(n.as_str()),
        _ => None,
    })
}
