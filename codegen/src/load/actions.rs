//! Action files: name, texts, limits, region rule, members, constraints, error codes and
//! examples (the spec facts `eventLimits` and `timeRange` are read in `facts.rs`).

use super::*;

impl Cx {
    /// `actions/<stem>.json`.
    pub(super) fn action(&mut self, file: &str, stem: &str, v: &Value) -> Option<Action> {
        let o = self.obj(file, "$", v, keys::ACTION)?;
        let name = self.pascal_name(&o, "action").unwrap_or_default();
        if !name.is_empty() && name != stem {
            self.push(
                file,
                "$.name",
                &format!("action name `{name}` does not match the file name `{stem}.json`"),
            );
        }
        let summary = self.docs(&o, "summary");
        let docs = self.docs(&o, "docs");
        let site = self.site(&o);
        let rate_limit = self
            .uint(&o, "rateLimit", false)
            .map(|n| u32::try_from(n).unwrap_or(u32::MAX));
        let max_duration_secs = self
            .uint(&o, "maxDurationSecs", false)
            .map(|n| u32::try_from(n).unwrap_or(u32::MAX));
        let retry_safe = self.boolean(&o, "retrySafe");
        let region = self.region(file, &o);
        let input = self.members(&o, "input");
        let output = self.members(&o, "output");
        self.check_member_names(file, &input, &output);
        let constraints = self.constraints(file, &o, &input);
        let event_limits = o
            .map
            .get("eventLimits")
            .and_then(|v| self.event_limits(file, v, &input));
        let time_range = o
            .map
            .get("timeRange")
            .and_then(|v| self.time_range(file, v, &input));
        let pagination = o
            .map
            .get("pagination")
            .and_then(|pv| self.pagination(file, pv, &input, &output));
        let waiters = self.waiters(file, &o, &input);
        let errors = self.error_codes(file, &o);
        let examples = self.examples(file, &o);
        Some(Action {
            name,
            summary,
            docs,
            site,
            rate_limit,
            max_duration_secs,
            retry_safe,
            region,
            input,
            output,
            constraints,
            event_limits,
            time_range,
            pagination,
            waiters,
            errors,
            examples,
        })
    }

    /// The `region` rule: required, and the supported regions (sorted, unique).
    fn region(&mut self, file: &str, o: &Obj<'_>) -> RegionRule {
        let mut region = RegionRule::default();
        if let Some(rv) = o.map.get("region") {
            if let Some(ro) = self.obj(file, "$.region", rv, keys::REGION) {
                region.required = self.boolean(&ro, "required");
                region.supported = self.strings(&ro, "supported", false);
                let mut sorted = region.supported.clone();
                sorted.sort();
                sorted.dedup();
                if sorted != region.supported {
                    self.push(
                        file,
                        "$.region.supported",
                        "regions must be sorted and unique",
                    );
                }
            }
        }
        region
    }

    /// Outputs must not list `RequestId`; inputs must not take a builder method's name.
    fn check_member_names(&mut self, file: &str, input: &[Member], output: &[Member]) {
        for (i, m) in output.iter().enumerate() {
            if m.name == "RequestId" {
                self.push(
                    file,
                    &format!("$.output[{i}].name"),
                    "`RequestId` is part of every response and must not be listed",
                );
            }
        }
        for (i, m) in input.iter().enumerate() {
            for reserved in names::RESERVED_BUILDER_METHODS {
                if names::field(&m.name) == *reserved {
                    self.push(file, &format!("$.input[{i}].name"), &format!("input `{}` would collide with the request builder's own `{reserved}` method", m.name));
                }
            }
        }
    }

    /// The `constraints` between inputs.
    fn constraints(&mut self, file: &str, o: &Obj<'_>, input: &[Member]) -> Vec<Constraint> {
        let mut constraints = Vec::new();
        for (i, cv) in self.array(o, "constraints", false).iter().enumerate() {
            let cpath = format!("$.constraints[{i}]");
            let Some(co) = self.obj(file, &cpath, cv, keys::CONSTRAINT) else {
                continue;
            };
            match co.map.get("requiredWith") {
                Some(rw) => {
                    let rpath = format!("{cpath}.requiredWith");
                    if let Some(ro) = self.obj(file, &rpath, rw, keys::REQUIRED_WITH) {
                        let member = self.string(&ro, "member", true).unwrap_or_default();
                        let when = self.string(&ro, "when", true).unwrap_or_default();
                        for (k, n) in [("member", &member), ("when", &when)] {
                            if !n.is_empty() && !input.iter().any(|m| &m.name == n) {
                                self.push(
                                    file,
                                    &format!("{rpath}.{k}"),
                                    &format!("`{n}` is not an input member of this action"),
                                );
                            }
                        }
                        constraints.push(Constraint::RequiredWith { member, when });
                    }
                }
                None => self.push(file, &cpath, "a constraint needs one of: requiredWith"),
            }
        }
        constraints
    }

    /// The action's own error codes, without duplicates.
    fn error_codes(&mut self, file: &str, o: &Obj<'_>) -> Vec<String> {
        let errors = self.strings(o, "errors", true);
        let mut seen = BTreeSet::new();
        for (i, c) in errors.iter().enumerate() {
            if !seen.insert(c) {
                self.push(
                    file,
                    &format!("$.errors[{i}]"),
                    &format!("duplicate error code `{c}`"),
                );
            }
        }
        errors
    }

    /// The `examples`: title, docs, and input and output objects.
    fn examples(&mut self, file: &str, o: &Obj<'_>) -> Vec<Example> {
        let mut examples = Vec::new();
        for (i, ev) in self.array(o, "examples", false).iter().enumerate() {
            let epath = format!("$.examples[{i}]");
            let Some(eo) = self.obj(file, &epath, ev, keys::EXAMPLE) else {
                continue;
            };
            let title = self.docs(&eo, "title");
            let docs = self.docs(&eo, "docs");
            let get_obj = |cx: &mut Cx, key: &str| match eo.map.get(key) {
                Some(v @ Value::Object(_)) => v.clone(),
                Some(v) => {
                    cx.push(
                        file,
                        &format!("{epath}.{key}"),
                        &format!("expected an object, found {}", kind(v)),
                    );
                    Value::Null
                }
                None => {
                    cx.push(file, &epath, &format!("missing required key `{key}`"));
                    Value::Null
                }
            };
            let input = get_obj(self, "input");
            let output = get_obj(self, "output");
            examples.push(Example {
                title,
                docs,
                input,
                output,
            });
        }
        examples
    }
}
