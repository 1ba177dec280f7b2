//! An ordered JSON value and a pretty printer, so spec files keep a fixed, hand-like key order
//! (`serde_json::Value` without `preserve_order` sorts keys) and diff cleanly.

use serde_json::Value;

/// JSON with object keys in insertion order.
#[derive(Debug, Clone, PartialEq)]
pub enum J {
    Null,
    Bool(bool),
    Num(serde_json::Number),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    /// An empty object to push keys into.
    pub fn obj() -> J {
        J::Obj(Vec::new())
    }

    /// Appends `key: value` to an object.
    pub fn put(&mut self, key: &str, value: J) {
        if let J::Obj(entries) = self {
            entries.push((key.to_owned(), value));
        }
    }

    /// Appends `key: value` unless `value` is `None`.
    pub fn put_opt(&mut self, key: &str, value: Option<J>) {
        if let Some(v) = value {
            self.put(key, v);
        }
    }

    /// Appends `key: true` when `flag` is set.
    pub fn put_flag(&mut self, key: &str, flag: bool) {
        if flag {
            self.put(key, J::Bool(true));
        }
    }

    pub fn str(s: impl Into<String>) -> J {
        J::Str(s.into())
    }

    /// Converts a `serde_json::Value` (whose object keys come sorted).
    pub fn from_value(v: &Value) -> J {
        match v {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Number(n) => J::Num(n.clone()),
            Value::String(s) => J::Str(s.clone()),
            Value::Array(a) => J::Arr(a.iter().map(J::from_value).collect()),
            Value::Object(m) => J::Obj(
                m.iter()
                    .map(|(k, v)| (k.clone(), J::from_value(v)))
                    .collect(),
            ),
        }
    }

    /// Pretty-printed text with two-space indents and a final newline, like
    /// `serde_json::to_string_pretty`.
    pub fn pretty(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, 0);
        out.push('\n');
        out
    }

    fn write(&self, out: &mut String, indent: usize) {
        match self {
            J::Null => out.push_str("null"),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Num(n) => out.push_str(&n.to_string()),
            J::Str(s) => out.push_str(&Value::String(s.clone()).to_string()),
            J::Arr(items) if items.is_empty() => out.push_str("[]"),
            J::Obj(entries) if entries.is_empty() => out.push_str("{}"),
            J::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    pad(out, indent + 1);
                    item.write(out, indent + 1);
                }
                out.push('\n');
                pad(out, indent);
                out.push(']');
            }
            J::Obj(entries) => {
                out.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    pad(out, indent + 1);
                    out.push_str(&Value::String(k.clone()).to_string());
                    out.push_str(": ");
                    v.write(out, indent + 1);
                }
                out.push('\n');
                pad(out, indent);
                out.push('}');
            }
        }
    }
}

fn pad(out: &mut String, indent: usize) {
    for _ in 0..indent {
        out.push_str("  ");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_like_serde_json_pretty() {
        let v: Value = serde_json::from_str(
            r#"{"a":[1,{"b":null,"c":[]}],"d":{},"e":"x\"y\u00e9","f":-1.5,"g":true}"#,
        )
        .unwrap();
        assert_eq!(
            J::from_value(&v).pretty(),
            serde_json::to_string_pretty(&v).unwrap() + "\n"
        );
    }

    #[test]
    fn keeps_insertion_order() {
        let mut o = J::obj();
        o.put("z", J::str("1"));
        o.put("a", J::Bool(false));
        assert_eq!(o.pretty(), "{\n  \"z\": \"1\",\n  \"a\": false\n}\n");
    }
}
