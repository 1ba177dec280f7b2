//! Checks across files: names, references, collisions and unused items.

use super::*;

impl Cx {
    /// Checks that need the whole spec: references, usage, collisions, examples.
    pub(super) fn cross_check(
        &mut self,
        service: &Service,
        errors: &[ErrorDef],
        actions: &[(String, Action)],
        types: &[(String, TypeDef)],
    ) {
        let type_names: BTreeMap<&str, &TypeDef> =
            types.iter().map(|(_, t)| (t.name.as_str(), t)).collect();
        let mut used_codes = self.check_error_codes(service, errors);
        let mut used_types: BTreeSet<String> = BTreeSet::new();
        self.check_actions(
            errors,
            actions,
            &type_names,
            &mut used_codes,
            &mut used_types,
        );
        self.check_types(types, &type_names);
        self.check_unused(errors, types, &type_names, &used_codes, used_types);
    }

    /// `commonErrors` defined in errors.json, and error codes whose variants collide or take a
    /// reserved name. Returns the common codes, the first codes in use.
    fn check_error_codes<'s>(
        &mut self,
        service: &'s Service,
        errors: &[ErrorDef],
    ) -> BTreeSet<&'s str> {
        let error_codes: BTreeSet<&str> = errors.iter().map(|e| e.code.as_str()).collect();
        let mut used_codes: BTreeSet<&str> = BTreeSet::new();
        for (i, c) in service.common_errors.iter().enumerate() {
            used_codes.insert(c);
            if !error_codes.contains(c.as_str()) {
                self.push(
                    "service.json",
                    &format!("$.commonErrors[{i}]"),
                    &format!("error code `{c}` is not defined in errors.json"),
                );
            }
        }
        // Error variant collisions: codes that map to the same Rust identifier.
        let mut variants: BTreeMap<String, &str> = BTreeMap::new();
        for e in errors {
            let ident = names::error_variant(&e.code);
            if let Some(prev) = variants.insert(ident.clone(), &e.code) {
                self.push("errors.json", &format!("$.{}", e.code), &format!("error code `{}` collides with `{prev}`: both become the Rust variant `{ident}`", e.code));
            }
            if ident == "Unknown" || ident == "Common" {
                self.push(
                    "errors.json",
                    &format!("$.{}", e.code),
                    &format!("the variant name `{ident}` is reserved: `Unknown` for codes the spec does not list, `Common` for the common codes"),
                );
            }
        }

        used_codes
    }

    /// One list of members: types named exist, examples and documented values fit the type.
    fn check_members(
        &mut self,
        file: &str,
        base: &str,
        members: &[Member],
        type_names: &BTreeMap<&str, &TypeDef>,
        used: &mut BTreeSet<String>,
    ) {
        for (i, m) in members.iter().enumerate() {
            if let Ty::Named(t) = &m.ty {
                used.insert(t.clone());
                if !type_names.contains_key(t.as_str()) {
                    self.push(
                        file,
                        &format!("{base}[{i}].type"),
                        &format!("unknown type `{t}` (not a primitive and no file types/{t}.json)"),
                    );
                }
            }
            if let Some(ex) = &m.example {
                let ok = match (&m.ty, ex) {
                    (Ty::Named(_), _) => ex.is_object() || (m.list && ex.is_array()),
                    (ty, Value::Array(items)) if m.list => items.iter().all(|x| value_fits(ty, x)),
                    (ty, x) => !m.list && value_fits(ty, x),
                };
                if !ok {
                    self.push(
                        file,
                        &format!("{base}[{i}].example"),
                        &format!(
                            "example does not fit the member type `{}{}`",
                            if m.list { "list of " } else { "" },
                            m.ty.spec_name()
                        ),
                    );
                }
            }
            if !m.values.is_empty() {
                for (j, v) in m.values.iter().enumerate() {
                    if !value_fits(&m.ty, &v.value) {
                        self.push(
                            file,
                            &format!("{base}[{i}].values[{j}].value"),
                            &format!("value does not fit the member type `{}`", m.ty.spec_name()),
                        );
                    }
                }
            }
        }
    }

    /// Every action: its members, error codes, waiters, method name and examples.
    fn check_actions<'s>(
        &mut self,
        errors: &[ErrorDef],
        actions: &'s [(String, Action)],
        type_names: &BTreeMap<&str, &TypeDef>,
        used_codes: &mut BTreeSet<&'s str>,
        used_types: &mut BTreeSet<String>,
    ) {
        let error_codes: BTreeSet<&str> = errors.iter().map(|e| e.code.as_str()).collect();
        let mut methods: BTreeMap<String, &str> = BTreeMap::new();
        for (file, a) in actions {
            self.check_members(file, "$.input", &a.input, type_names, used_types);
            self.check_members(file, "$.output", &a.output, type_names, used_types);
            for (i, c) in a.errors.iter().enumerate() {
                used_codes.insert(c);
                if !error_codes.contains(c.as_str()) {
                    self.push(
                        file,
                        &format!("$.errors[{i}]"),
                        &format!("error code `{c}` is not defined in errors.json"),
                    );
                }
            }
            for (i, w) in a.waiters.iter().enumerate() {
                self.check_waiter(file, i, w, &a.output, type_names);
            }
            if names::module_file(&a.name) == "common_error" {
                self.push(
                    file,
                    "$.name",
                    "the module `actions::common_error` is reserved for the common error codes",
                );
            }
            let method = names::method(&a.name);
            if let Some(prev) = methods.insert(method.clone(), &a.name) {
                self.push(file, "$.name", &format!("action `{}` collides with `{prev}`: both become the Rust method `{method}`", a.name));
            }
            for (i, ex) in a.examples.iter().enumerate() {
                if ex.input.is_object() {
                    self.check_value(
                        file,
                        &format!("$.examples[{i}].input"),
                        &ex.input,
                        &a.input,
                        type_names,
                        Side::Input,
                    );
                }
                if ex.output.is_object() {
                    self.check_value(
                        file,
                        &format!("$.examples[{i}].output"),
                        &ex.output,
                        &a.output,
                        type_names,
                        Side::Response,
                    );
                }
            }
        }
    }

    /// Every shared type: its members, and module names that collide.
    fn check_types(&mut self, types: &[(String, TypeDef)], type_names: &BTreeMap<&str, &TypeDef>) {
        let mut type_files: BTreeMap<String, &str> = BTreeMap::new();
        for (file, t) in types {
            self.check_members(
                file,
                "$.members",
                &t.members,
                type_names,
                &mut BTreeSet::new(),
            );
            let ident = names::type_ident(&t.name).to_string();
            if names::BARE_STD_NAMES.contains(&ident.as_str()) {
                self.push(
                    file,
                    "$.name",
                    &format!(
                        "type `{}` would hide the standard `{ident}` that generated code uses",
                        t.name
                    ),
                );
            }
            let module = names::module_file(&t.name);
            if let Some(prev) = type_files.insert(module.clone(), &t.name) {
                self.push(
                    file,
                    "$.name",
                    &format!(
                        "type `{}` collides with `{prev}`: both become the Rust module `{module}`",
                        t.name
                    ),
                );
            }
        }
    }

    /// Types no action reaches, transitively, and error codes neither common nor returned.
    fn check_unused(
        &mut self,
        errors: &[ErrorDef],
        types: &[(String, TypeDef)],
        type_names: &BTreeMap<&str, &TypeDef>,
        used_codes: &BTreeSet<&str>,
        mut used_types: BTreeSet<String>,
    ) {
        // Types reachable from actions, transitively.
        let mut stack: Vec<String> = used_types.iter().cloned().collect();
        while let Some(t) = stack.pop() {
            if let Some(td) = type_names.get(t.as_str()) {
                for m in &td.members {
                    if let Ty::Named(n) = &m.ty {
                        if used_types.insert(n.clone()) {
                            stack.push(n.clone());
                        }
                    }
                }
            }
        }
        for (file, t) in types {
            if !used_types.contains(&t.name) {
                self.push(
                    file,
                    "$.name",
                    &format!("type `{}` is not used by any action", t.name),
                );
            }
        }
        for e in errors {
            if !used_codes.contains(e.code.as_str()) {
                self.push(
                    "errors.json",
                    &format!("$.{}", e.code),
                    &format!(
                        "error code `{}` is not returned by any action nor common",
                        e.code
                    ),
                );
            }
        }
    }
}
