//! A small YAML emitter for JSON values (block style). A maintained YAML crate was not worth a
//! dependency for emitting only: every JSON value has a plain YAML form, and a string that is
//! not safe to leave plain is written as a JSON string, which is valid double-quoted YAML.

use serde_json::Value;

/// `value` as a YAML document.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => mapping(&mut out, map, 0),
        Value::Array(items) if !items.is_empty() => sequence(&mut out, items, 0),
        scalar => {
            out.push_str(&inline(scalar));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn mapping(out: &mut String, map: &serde_json::Map<String, Value>, depth: usize) {
    for (i, (key, value)) in map.iter().enumerate() {
        // The first key of a sequence item follows its `- `.
        if i > 0 || depth == 0 || !out.ends_with("- ") {
            indent(out, depth);
        }
        out.push_str(&string(key));
        out.push(':');
        value_after_key(out, value, depth);
    }
}

fn value_after_key(out: &mut String, value: &Value, depth: usize) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            mapping(out, map, depth + 2);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            sequence(out, items, depth + 2);
        }
        scalar => {
            out.push(' ');
            out.push_str(&inline(scalar));
            out.push('\n');
        }
    }
}

fn sequence(out: &mut String, items: &[Value], depth: usize) {
    for item in items {
        indent(out, depth);
        match item {
            Value::Object(map) if !map.is_empty() => {
                out.push_str("- ");
                mapping(out, map, depth + 2);
            }
            Value::Array(inner) if !inner.is_empty() => {
                out.push_str("-\n");
                sequence(out, inner, depth + 2);
            }
            scalar => {
                out.push_str("- ");
                out.push_str(&inline(scalar));
                out.push('\n');
            }
        }
    }
}

/// A scalar or an empty collection on one line.
fn inline(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s),
        Value::Array(_) => "[]".to_owned(),
        Value::Object(_) => "{}".to_owned(),
    }
}

/// Words YAML 1.1 or 1.2 readers take for something other than a string.
const SPECIAL_WORDS: &[&str] = &[
    "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n",
];

/// A string, plain when no YAML reader can take it for anything else, else double-quoted.
fn string(s: &str) -> String {
    let plain = s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == '/')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || " _-./@()".contains(c))
        && !s.ends_with(' ')
        && !SPECIAL_WORDS.contains(&s.to_ascii_lowercase().as_str());
    if plain {
        s.to_owned()
    } else {
        Value::String(s.to_owned()).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn block_style_with_safe_quoting() {
        let v = json!({
            "A": {"B": [1, {"C": "x", "D": []}], "E": {}},
            "F": ["yes", "2024-01-01 00:00:00", "a: b", "plain text", ""],
            "G": null,
            "H": [[1, 2]],
        });
        let expected = "\
A:
  B:
    - 1
    - C: x
      D: []
  E: {}
F:
  - \"yes\"
  - \"2024-01-01 00:00:00\"
  - \"a: b\"
  - plain text
  - \"\"
G: null
H:
  -
    - 1
    - 2
";
        assert_eq!(to_yaml(&v), expected);
        assert_eq!(to_yaml(&json!("x\ny")), "\"x\\ny\"\n");
        assert_eq!(to_yaml(&json!([])), "[]\n");
    }
}
