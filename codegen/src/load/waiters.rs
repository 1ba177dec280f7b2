//! An action's `waiters` and the state paths they poll.

use super::*;

impl Cx {
    /// The `waiters` key. Every entry yields a waiter (with empty parts where it is broken), so
    /// that `cross_check` can name them by index when it resolves their state paths.
    pub(super) fn waiters(&mut self, file: &str, o: &Obj<'_>, input: &[Member]) -> Vec<Waiter> {
        let mut out: Vec<Waiter> = Vec::new();
        for (i, wv) in self.array(o, "waiters", false).iter().enumerate() {
            let wpath = format!("$.waiters[{i}]");
            let Some(wo) = self.obj(file, &wpath, wv, keys::WAITER) else {
                out.push(Waiter {
                    name: String::new(),
                    docs: String::new(),
                    state_path: String::new(),
                    state: Vec::new(),
                    success: Vec::new(),
                    failure: Vec::new(),
                    min_delay_ms: 0,
                    max_delay_ms: 0,
                    default_timeout_secs: 0,
                });
                continue;
            };
            let waiter = self.waiter(file, &wpath, &wo, &out, input);
            out.push(waiter);
        }
        out
    }

    /// One waiter object.
    fn waiter(
        &mut self,
        file: &str,
        wpath: &str,
        wo: &Obj<'_>,
        earlier: &[Waiter],
        input: &[Member],
    ) -> Waiter {
        let name = self.pascal_name(wo, "waiter").unwrap_or_default();
        let docs = self.docs(wo, "docs");
        let state_path = self.string(wo, "state", true).unwrap_or_default();
        let state = match parse_state_path(&state_path) {
            Some(segments) => segments,
            None => {
                if wo.map.contains_key("state") {
                    self.push(
                        file,
                        &format!("{wpath}.state"),
                        &format!("state path `{state_path}` must be PascalCase member names separated by `.`, each optionally followed by `[]` (the first element of a list)"),
                    );
                }
                Vec::new()
            }
        };
        let success = self.strings(wo, "success", true);
        let failure = self.strings(wo, "failure", false);
        self.check_states(file, wpath, wo, &success, &failure);
        let min_delay_ms = self.uint(wo, "minDelayMs", true).unwrap_or_default();
        let max_delay_ms = self.uint(wo, "maxDelayMs", true).unwrap_or_default();
        let default_timeout_secs = self
            .uint(wo, "defaultTimeoutSecs", true)
            .unwrap_or_default();
        if min_delay_ms > 0 && max_delay_ms > 0 && max_delay_ms < min_delay_ms {
            self.push(
                file,
                &format!("{wpath}.maxDelayMs"),
                &format!("maxDelayMs {max_delay_ms} is smaller than minDelayMs {min_delay_ms}"),
            );
        }
        self.check_waiter_name(file, wpath, &name, earlier, input);
        Waiter {
            name,
            docs,
            state_path,
            state,
            success,
            failure,
            min_delay_ms,
            max_delay_ms,
            default_timeout_secs,
        }
    }

    /// Success and failure states: at least one success, no empty list of failures, no empty
    /// or repeated state.
    fn check_states(
        &mut self,
        file: &str,
        wpath: &str,
        wo: &Obj<'_>,
        success: &[String],
        failure: &[String],
    ) {
        if wo.map.contains_key("success") && success.is_empty() {
            self.push(
                file,
                &format!("{wpath}.success"),
                "a waiter needs at least one success state",
            );
        }
        if wo.map.contains_key("failure") && failure.is_empty() {
            self.push(
                file,
                &format!("{wpath}.failure"),
                "an empty list of failure states: leave the key out instead",
            );
        }
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for (key, states) in [("success", success), ("failure", failure)] {
            for (j, s) in states.iter().enumerate() {
                if s.is_empty() {
                    self.push(
                        file,
                        &format!("{wpath}.{key}[{j}]"),
                        "a state must not be empty",
                    );
                } else if !seen.insert(s) {
                    self.push(
                        file,
                        &format!("{wpath}.{key}[{j}]"),
                        &format!("state `{s}` is listed twice"),
                    );
                }
            }
        }
    }

    /// A waiter's method must not collide with an earlier waiter's or an input's setter.
    fn check_waiter_name(
        &mut self,
        file: &str,
        wpath: &str,
        name: &str,
        earlier: &[Waiter],
        input: &[Member],
    ) {
        if name.is_empty() {
            return;
        }
        let method = names::waiter_method(name);
        if let Some(prev) = earlier
            .iter()
            .position(|w| !w.name.is_empty() && names::waiter_method(&w.name) == method)
        {
            self.push(
                file,
                &format!("{wpath}.name"),
                &format!(
                    "waiter `{name}` collides with `{}` ($.waiters[{prev}]): both become the method `{method}`",
                    earlier[prev].name
                ),
            );
        }
        if let Some(m) = input.iter().find(|m| names::field(&m.name) == method) {
            self.push(
                file,
                &format!("{wpath}.name"),
                &format!(
                    "waiter `{name}` collides with the input `{}`: both become the builder method `{method}`",
                    m.name
                ),
            );
        }
    }

    /// Resolves a waiter's state path against the action's output: every segment must name a
    /// member, `[]` exactly on lists, objects until the last, which must be a string; listed
    /// states must be documented values of that member when it documents any.
    pub(super) fn check_waiter(
        &mut self,
        file: &str,
        index: usize,
        waiter: &Waiter,
        output: &[Member],
        types: &BTreeMap<&str, &TypeDef>,
    ) {
        if waiter.state.is_empty() {
            return;
        }
        let path = format!("$.waiters[{index}].state");
        let Some(m) = self.resolve_state(file, &path, waiter, output, types) else {
            return;
        };
        if m.ty != Ty::String {
            self.push(
                file,
                &path,
                &format!(
                    "the state must be a string member; `{}` is {}",
                    m.name,
                    m.ty.spec_name()
                ),
            );
            return;
        }
        if m.values.is_empty() {
            return;
        }
        let documented: Vec<&str> = m.values.iter().filter_map(|v| v.value.as_str()).collect();
        for (key, states) in [("success", &waiter.success), ("failure", &waiter.failure)] {
            for (j, s) in states.iter().enumerate() {
                if !documented.contains(&s.as_str()) {
                    self.push(
                        file,
                        &format!("$.waiters[{index}].{key}[{j}]"),
                        &format!(
                            "`{s}` is not a documented value of `{}` (documented: {})",
                            waiter.state_path,
                            documented.join(", ")
                        ),
                    );
                }
            }
        }
    }

    /// The member a waiter's state path ends at, or `None` (reported) when the path does not
    /// resolve.
    fn resolve_state<'m>(
        &mut self,
        file: &str,
        path: &str,
        waiter: &Waiter,
        output: &'m [Member],
        types: &BTreeMap<&str, &'m TypeDef>,
    ) -> Option<&'m Member> {
        let mut members = output;
        let mut owner = "the output".to_owned();
        for (k, seg) in waiter.state.iter().enumerate() {
            let Some(m) = members.iter().find(|m| m.name == seg.member) else {
                self.push(
                    file,
                    path,
                    &format!("`{}` is not a member of {owner}", seg.member),
                );
                return None;
            };
            if seg.first && !m.list {
                self.push(
                    file,
                    path,
                    &format!("`{}` is not a list: drop the `[]`", m.name),
                );
                return None;
            }
            if !seg.first && m.list {
                self.push(
                    file,
                    path,
                    &format!(
                        "`{}` is a list: write `{}[]` for its first element",
                        m.name, m.name
                    ),
                );
                return None;
            }
            if k + 1 == waiter.state.len() {
                return Some(m);
            }
            let Ty::Named(t) = &m.ty else {
                self.push(
                    file,
                    path,
                    &format!(
                        "`{}` is {}, not an object: it must end the path",
                        m.name,
                        m.ty.spec_name()
                    ),
                );
                return None;
            };
            let Some(td) = types.get(t.as_str()) else {
                // The unknown type is reported with the member.
                return None;
            };
            members = &td.members;
            owner = format!("type `{t}`");
        }
        None
    }
}

/// Parses a waiter's state path (`Result.Status`, `Allocated[].Status`); `None` when it is not
/// PascalCase names separated by dots, each optionally followed by `[]`.
pub(super) fn parse_state_path(path: &str) -> Option<Vec<PathSegment>> {
    path.split('.')
        .map(|seg| {
            let (member, first) = match seg.strip_suffix("[]") {
                Some(m) => (m, true),
                None => (seg, false),
            };
            names::is_pascal_case(member).then(|| PathSegment {
                member: member.to_owned(),
                first,
            })
        })
        .collect()
}
