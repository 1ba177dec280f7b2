//! Examples (action examples and member examples) against the members they show.

use super::*;

impl Cx {
    /// Checks an example object against members, recursively.
    pub(super) fn check_value(
        &mut self,
        file: &str,
        path: &str,
        value: &Value,
        members: &[Member],
        types: &BTreeMap<&str, &TypeDef>,
        side: Side,
    ) {
        let output = side != Side::Input;
        let Some(map) = value.as_object() else {
            self.push(
                file,
                path,
                &format!("expected an object, found {}", kind(value)),
            );
            return;
        };
        for (k, v) in map {
            let p = format!("{path}.{k}");
            if side == Side::Response && k == "RequestId" {
                if !v.is_string() {
                    self.push(file, &p, "`RequestId` must be a string");
                }
                continue;
            }
            let Some(m) = members.iter().find(|m| &m.name == k) else {
                self.push(file, &p, &format!("`{k}` is not a member here"));
                continue;
            };
            if v.is_null() {
                if !m.nullable && !output {
                    self.push(file, &p, "null is only allowed for nullable members");
                }
                continue;
            }
            let items: Vec<(String, &Value)> = if m.list {
                match v.as_array() {
                    Some(a) => a
                        .iter()
                        .enumerate()
                        .map(|(i, x)| (format!("{p}[{i}]"), x))
                        .collect(),
                    None => {
                        self.push(file, &p, &format!("expected a list, found {}", kind(v)));
                        continue;
                    }
                }
            } else {
                vec![(p.clone(), v)]
            };
            for (ip, item) in items {
                match &m.ty {
                    Ty::Named(t) => {
                        if let Some(td) = types.get(t.as_str()) {
                            let nested = if output { Side::Nested } else { Side::Input };
                            self.check_value(file, &ip, item, &td.members, types, nested);
                        }
                    }
                    ty => {
                        if !value_fits(ty, item) {
                            self.push(
                                file,
                                &ip,
                                &format!("expected {}, found {}", ty.spec_name(), kind(item)),
                            );
                        }
                    }
                }
            }
        }
    }
}

pub(super) fn value_fits(ty: &Ty, v: &Value) -> bool {
    match ty {
        Ty::String | Ty::Datetime => v.is_string(),
        Ty::Integer => v.is_i64(),
        Ty::Unsigned => v.is_u64(),
        Ty::Float => v.is_number(),
        Ty::Boolean => v.is_boolean(),
        Ty::Named(_) => v.is_object(),
    }
}
