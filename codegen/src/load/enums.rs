//! Enums of documented values: each member naming one, and the enums collected from all members.

use super::*;

/// A member naming an enum: its file, JSON path, the member and who uses it.
type EnumUse<'s> = (&'s str, String, &'s Member, EnumUser);

/// Enum name -> (its definition, the file and path of its first member).
type EnumDefs<'s> = BTreeMap<String, (EnumDef, &'s str, String)>;

impl Cx {
    /// Checks a member's `enum` key against the member alone: a PascalCase name, a string
    /// member, documented string values whose variants are valid and distinct.
    pub(super) fn enum_member(
        &mut self,
        file: &str,
        path: &str,
        name: &str,
        ty: &Ty,
        values: &[EnumValue],
    ) {
        if !names::is_pascal_case(name) {
            self.push(
                file,
                &format!("{path}.enum"),
                &format!("enum name `{name}` is not PascalCase (ASCII letters and digits, starting with an uppercase letter)"),
            );
        }
        if *ty != Ty::String {
            self.push(
                file,
                &format!("{path}.enum"),
                &format!(
                    "only `string` members can be enums, this one is `{}`",
                    ty.spec_name()
                ),
            );
            return;
        }
        if values.is_empty() {
            self.push(
                file,
                &format!("{path}.enum"),
                "an enum member needs documented `values`",
            );
        }
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        let mut seen_values: BTreeSet<&str> = BTreeSet::new();
        for (j, v) in values.iter().enumerate() {
            let Some(value) = v.value.as_str() else {
                // Reported as a value that does not fit the member type.
                continue;
            };
            let vpath = format!("{path}.values[{j}].value");
            if !seen_values.insert(value) {
                self.push(file, &vpath, &format!("duplicate value `{value}`"));
                continue;
            }
            let variant = names::enum_variant(value);
            if !variant.starts_with(|c: char| c.is_ascii_alphabetic()) {
                self.push(
                    file,
                    &vpath,
                    &format!("value `{value}` gives no Rust variant name (`{variant}` must start with a letter)"),
                );
            } else if variant == "Unknown" {
                self.push(
                    file,
                    &vpath,
                    &format!("value `{value}` would become the variant `Unknown`, which is reserved for values the spec does not list"),
                );
            } else if let Some(prev) = seen.insert(variant.clone(), value) {
                self.push(
                    file,
                    &vpath,
                    &format!("value `{value}` collides with `{prev}`: both become the Rust variant `{variant}`"),
                );
            }
        }
    }

    /// The enums named by members, checked across files: every member naming an enum documents
    /// the same set of values, and no enum is named (or filed) like a shared type or another
    /// enum, since both live in the `types` module.
    pub(super) fn enums(
        &mut self,
        actions: &[(String, Action)],
        types: &[(String, TypeDef)],
    ) -> Vec<EnumDef> {
        let defs = self.enum_defs(enum_uses(actions, types));
        self.check_enum_names(&defs, types);
        defs.into_values().map(|(def, _, _)| def).collect()
    }

    /// Enum name -> (its definition, the file and path of its first member), merged from every
    /// member naming it; members of one enum must document the same values.
    fn enum_defs<'s>(&mut self, uses: Vec<EnumUse<'s>>) -> EnumDefs<'s> {
        let string_values = |m: &Member| -> Vec<String> {
            m.values
                .iter()
                .filter_map(|v| v.value.as_str().map(str::to_owned))
                .collect()
        };
        let mut defs: BTreeMap<String, (EnumDef, &str, String)> = BTreeMap::new();
        for (file, path, m, user) in uses {
            let Some(name) = m.enum_name.clone() else {
                continue;
            };
            if m.ty != Ty::String {
                continue;
            }
            let values = string_values(m);
            match defs.get_mut(&name) {
                None => {
                    let variants = m
                        .values
                        .iter()
                        .filter_map(|v| {
                            let value = v.value.as_str()?.to_owned();
                            Some(EnumVariant {
                                variant: names::enum_variant(&value),
                                value,
                                docs: Some(v.docs.clone()),
                            })
                        })
                        .collect();
                    let def = EnumDef {
                        name: name.clone(),
                        variants,
                        users: vec![user],
                    };
                    defs.insert(name, (def, file, path));
                }
                Some((def, first_file, first_path)) => {
                    let mut have: Vec<&str> =
                        def.variants.iter().map(|v| v.value.as_str()).collect();
                    let mut want: Vec<&str> = values.iter().map(String::as_str).collect();
                    have.sort_unstable();
                    want.sort_unstable();
                    if have != want {
                        self.push(
                            file,
                            &format!("{path}.enum"),
                            &format!(
                                "enum `{name}` has the values [{}] at {first_file} {first_path} but [{}] here: members sharing an enum must document the same values (name a different enum)",
                                have.join(", "),
                                want.join(", ")
                            ),
                        );
                        continue;
                    }
                    // A value keeps its docs only while every member documents it alike.
                    for variant in &mut def.variants {
                        let docs = m
                            .values
                            .iter()
                            .find(|v| v.value.as_str() == Some(variant.value.as_str()))
                            .map(|v| v.docs.as_str());
                        if variant.docs.as_deref() != docs {
                            variant.docs = None;
                        }
                    }
                    def.users.push(user);
                }
            }
        }

        defs
    }

    /// Enums share the `types` module with the shared types: no name or module may collide.
    fn check_enum_names(&mut self, defs: &EnumDefs<'_>, types: &[(String, TypeDef)]) {
        let mut modules: BTreeMap<String, String> = types
            .iter()
            .map(|(_, t)| (names::module_file(&t.name), format!("type `{}`", t.name)))
            .collect();
        for (name, (_, file, path)) in defs {
            if names::BARE_STD_NAMES.contains(&name.as_str()) {
                self.push(
                    file,
                    &format!("{path}.enum"),
                    &format!(
                        "enum `{name}` would hide the standard `{name}` that generated code uses"
                    ),
                );
                continue;
            }
            if let Some((_, t)) = types.iter().find(|(_, t)| &t.name == name) {
                self.push(
                    file,
                    &format!("{path}.enum"),
                    &format!("enum `{name}` is named like the shared type `{}`: both would be `types::{name}`", t.name),
                );
                continue;
            }
            let module = names::module_file(name);
            if let Some(prev) = modules.insert(module.clone(), format!("enum `{name}`")) {
                self.push(
                    file,
                    &format!("{path}.enum"),
                    &format!("enum `{name}` collides with {prev}: both become the Rust module `types::{module}`"),
                );
            }
        }
    }
}

/// Every member with an `enum` key, in spec order, with its file, path and user.
fn enum_uses<'s>(
    actions: &'s [(String, Action)],
    types: &'s [(String, TypeDef)],
) -> Vec<EnumUse<'s>> {
    let mut uses: Vec<(&str, String, &Member, EnumUser)> = Vec::new();
    for (file, a) in actions {
        for (side, members) in [("input", &a.input), ("output", &a.output)] {
            for (i, m) in members.iter().enumerate() {
                if m.enum_name.is_none() {
                    continue;
                }
                let (action, member) = (a.name.clone(), m.name.clone());
                let user = if side == "input" {
                    EnumUser::Input { action, member }
                } else {
                    EnumUser::Output { action, member }
                };
                uses.push((file, format!("$.{side}[{i}]"), m, user));
            }
        }
    }
    for (file, t) in types {
        for (i, m) in t.members.iter().enumerate() {
            if m.enum_name.is_some() {
                let user = EnumUser::Type {
                    type_name: t.name.clone(),
                    member: m.name.clone(),
                };
                uses.push((file, format!("$.members[{i}]"), m, user));
            }
        }
    }

    uses
}
