//! Reading primitives: objects, strings, docs, numbers, lists and names, each problem
//! recorded with its file and JSON path.

use super::*;

impl Cx {
    pub(super) fn push(&mut self, file: &str, path: &str, message: &str) {
        self.errs.push(err(file, path, message));
    }

    pub(super) fn obj<'v>(
        &mut self,
        file: &str,
        path: &str,
        v: &'v Value,
        allowed: &[&str],
    ) -> Option<Obj<'v>> {
        let Some(map) = v.as_object() else {
            self.push(
                file,
                path,
                &format!("expected an object, found {}", kind(v)),
            );
            return None;
        };
        for k in map.keys() {
            if !allowed.contains(&k.as_str()) {
                self.push(
                    file,
                    &format!("{path}.{k}"),
                    &format!(
                        "unknown key `{k}` (expected one of: {})",
                        allowed.join(", ")
                    ),
                );
            }
        }
        Some(Obj {
            file: file.to_owned(),
            path: path.to_owned(),
            map,
        })
    }

    pub(super) fn string(&mut self, o: &Obj<'_>, key: &str, required: bool) -> Option<String> {
        match o.map.get(key) {
            None if required => {
                self.push(&o.file, &o.path, &format!("missing required key `{key}`"));
                None
            }
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(v) => {
                self.push(
                    &o.file,
                    &format!("{}.{key}", o.path),
                    &format!("expected a string, found {}", kind(v)),
                );
                None
            }
        }
    }

    /// A required, non-empty documentation string.
    pub(super) fn docs(&mut self, o: &Obj<'_>, key: &str) -> String {
        let s = self.string(o, key, true).unwrap_or_default();
        if o.map.contains_key(key) && s.trim().is_empty() {
            self.push(
                &o.file,
                &format!("{}.{key}", o.path),
                "documentation must not be empty",
            );
        }
        if let Some(c) = s.chars().find(|c| is_cjk(*c)) {
            let path = format!("{}.{key}", o.path);
            let message = format!("untranslated text (`{c}`): documentation must be English");
            match self.texts {
                Texts::English => self.push(&o.file, &path, &message),
                Texts::AnyLanguage => self.tolerated.push(err(&o.file, &path, &message)),
            }
        }
        s
    }

    /// The optional `site` key: which description alone documents the item.
    pub(super) fn site(&mut self, o: &Obj<'_>) -> Option<Site> {
        let s = self.string(o, "site", false)?;
        match s.as_str() {
            "mainland" => Some(Site::Mainland),
            "international" => Some(Site::International),
            other => {
                self.push(
                    &o.file,
                    &format!("{}.site", o.path),
                    &format!("unknown site `{other}` (expected `mainland` or `international`)"),
                );
                None
            }
        }
    }

    /// A member's `debug` key (only `"length"`), and the rules that `debug` and `sensitive` are
    /// for string members only and `debug` not for enum members.
    pub(super) fn debug_as(
        &mut self,
        o: &Obj<'_>,
        ty: &Ty,
        sensitive: bool,
        is_enum: bool,
    ) -> DebugAs {
        let debug = match self.string(o, "debug", false).as_deref() {
            None => DebugAs::Value,
            Some("length") => DebugAs::Length,
            Some(other) => {
                self.push(
                    &o.file,
                    &format!("{}.debug", o.path),
                    &format!("unknown debug format `{other}` (expected `length`)"),
                );
                DebugAs::Value
            }
        };
        if *ty != Ty::String {
            for (key, set) in [("sensitive", sensitive), ("debug", debug != DebugAs::Value)] {
                if set {
                    self.push(
                        &o.file,
                        &format!("{}.{key}", o.path),
                        &format!(
                            "`{key}` is for `string` members only, this one is `{}`",
                            ty.spec_name()
                        ),
                    );
                }
            }
        }
        if is_enum && debug != DebugAs::Value {
            self.push(
                &o.file,
                &format!("{}.debug", o.path),
                "an enum member's values are short: `debug` is for free-form payloads",
            );
        }
        debug
    }

    pub(super) fn boolean(&mut self, o: &Obj<'_>, key: &str) -> bool {
        match o.map.get(key) {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(v) => {
                self.push(
                    &o.file,
                    &format!("{}.{key}", o.path),
                    &format!("expected a boolean, found {}", kind(v)),
                );
                false
            }
        }
    }

    pub(super) fn uint(&mut self, o: &Obj<'_>, key: &str, required: bool) -> Option<u64> {
        match o.map.get(key) {
            None if required => {
                self.push(&o.file, &o.path, &format!("missing required key `{key}`"));
                None
            }
            None => None,
            Some(v) => match v.as_u64() {
                Some(n) if n > 0 => Some(n),
                _ => {
                    self.push(
                        &o.file,
                        &format!("{}.{key}", o.path),
                        &format!("expected a positive integer, found {}", kind(v)),
                    );
                    None
                }
            },
        }
    }

    pub(super) fn array<'v>(&mut self, o: &Obj<'v>, key: &str, required: bool) -> &'v [Value] {
        match o.map.get(key) {
            None => {
                if required {
                    self.push(&o.file, &o.path, &format!("missing required key `{key}`"));
                }
                &[]
            }
            Some(Value::Array(a)) => a,
            Some(v) => {
                self.push(
                    &o.file,
                    &format!("{}.{key}", o.path),
                    &format!("expected an array, found {}", kind(v)),
                );
                &[]
            }
        }
    }

    pub(super) fn strings(&mut self, o: &Obj<'_>, key: &str, required: bool) -> Vec<String> {
        let arr = self.array(o, key, required);
        let mut out = Vec::new();
        for (i, v) in arr.iter().enumerate() {
            match v.as_str() {
                Some(s) => out.push(s.to_owned()),
                None => self.push(
                    &o.file,
                    &format!("{}.{key}[{i}]", o.path),
                    &format!("expected a string, found {}", kind(v)),
                ),
            }
        }
        out
    }

    pub(super) fn pascal_name(&mut self, o: &Obj<'_>, what: &str) -> Option<String> {
        let name = self.string(o, "name", true)?;
        if !names::is_pascal_case(&name) {
            self.push(
                &o.file,
                &format!("{}.name", o.path),
                &format!("{what} name `{name}` is not PascalCase (ASCII letters and digits, starting with an uppercase letter)"),
            );
        }
        Some(name)
    }
}

/// Whether `c` is a CJK character or CJK/full-width punctuation: the mark of untranslated
/// upstream text, which the loader rejects in docs, summaries and titles.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

pub(super) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
