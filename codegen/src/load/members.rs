//! Members (inputs, outputs, fields of shared types) and shared types.

use super::*;

impl Cx {
    pub(super) fn member(&mut self, file: &str, path: &str, v: &Value) -> Option<Member> {
        let o = self.obj(file, path, v, keys::MEMBER)?;
        let name = self.pascal_name(&o, "member")?;
        let ty = self
            .string(&o, "type", true)
            .map(|t| Ty::parse(&t))
            .unwrap_or(Ty::String);
        let list = self.boolean(&o, "list");
        let required = self.boolean(&o, "required");
        let nullable = self.boolean(&o, "nullable");
        let sensitive = self.boolean(&o, "sensitive");
        let debug = self.debug_as(&o, &ty, sensitive, o.map.contains_key("enum"));
        let deprecated = self.boolean(&o, "deprecated");
        let site = self.site(&o);
        let docs = self.docs(&o, "docs");
        let example = o.map.get("example").cloned();
        let enum_name = self.string(&o, "enum", false);
        let mut values = Vec::new();
        for (i, vv) in self.array(&o, "values", false).iter().enumerate() {
            let vpath = format!("{path}.values[{i}]");
            if let Some(vo) = self.obj(file, &vpath, vv, keys::VALUE) {
                let docs = self.docs(&vo, "docs");
                match vo.map.get("value") {
                    Some(value @ (Value::String(_) | Value::Number(_))) => values.push(EnumValue {
                        value: value.clone(),
                        docs,
                    }),
                    Some(other) => self.push(
                        file,
                        &format!("{vpath}.value"),
                        &format!("expected a string or number, found {}", kind(other)),
                    ),
                    None => self.push(file, &vpath, "missing required key `value`"),
                }
            }
        }
        if let Some(e) = &enum_name {
            self.enum_member(file, path, e, &ty, &values);
        }
        Some(Member {
            name,
            ty,
            list,
            required,
            nullable,
            sensitive,
            debug,
            deprecated,
            site,
            docs,
            example,
            enum_name,
            values,
        })
    }

    pub(super) fn members(&mut self, o: &Obj<'_>, key: &str) -> Vec<Member> {
        let arr = self.array(o, key, true);
        let mut out: Vec<Member> = Vec::new();
        for (i, v) in arr.iter().enumerate() {
            let path = format!("{}.{key}[{i}]", o.path);
            if let Some(m) = self.member(&o.file, &path, v) {
                if let Some(prev) = out.iter().position(|p| p.name == m.name) {
                    self.push(
                        &o.file,
                        &format!("{path}.name"),
                        &format!(
                            "duplicate member `{}` (also at {}.{key}[{prev}])",
                            m.name, o.path
                        ),
                    );
                } else if let Some(prev) = out
                    .iter()
                    .position(|p| names::field(&p.name) == names::field(&m.name))
                {
                    self.push(&o.file, &format!("{path}.name"), &format!(
                        "member `{}` collides with `{}` ({}.{key}[{prev}]): both become the Rust name `{}`",
                        m.name, out[prev].name, o.path, names::field(&m.name)
                    ));
                }
                out.push(m);
            }
        }
        out
    }

    pub(super) fn type_def(&mut self, file: &str, stem: &str, v: &Value) -> Option<TypeDef> {
        let o = self.obj(file, "$", v, keys::TYPE)?;
        let name = self.pascal_name(&o, "type").unwrap_or_default();
        if !name.is_empty() && name != stem {
            self.push(
                file,
                "$.name",
                &format!("type name `{name}` does not match the file name `{stem}.json`"),
            );
        }
        let docs = self.docs(&o, "docs");
        let members = self.members(&o, "members");
        Some(TypeDef {
            name,
            docs,
            members,
        })
    }
}
