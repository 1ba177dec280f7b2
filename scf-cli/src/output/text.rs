//! `--output text`, as aws-cli writes it: tab-separated values for `cut`, `awk` and `while
//! read`.
//!
//! An object's scalar members print on one line, in member-name order, after the upper-case
//! name of the member holding the object (none at the top); its nested objects and lists follow,
//! each under its own name. A list of scalars prints on one line; a list of objects prints one
//! line per object. `null` prints as `None`.

use serde_json::{Map, Value};

use super::{is_scalar, scalar_text};

/// `value` as tab-separated lines.
pub fn to_text(value: &Value) -> String {
    let mut out = String::new();
    emit(&mut out, value, None);
    out
}

fn emit(out: &mut String, value: &Value, label: Option<&str>) {
    match value {
        Value::Object(map) => object(out, map, label),
        Value::Array(items) if items.iter().all(is_scalar) => {
            if !items.is_empty() {
                line(out, label, items.iter().map(scalar_text));
            }
        }
        Value::Array(items) => {
            for item in items {
                emit(out, item, label);
            }
        }
        scalar => line(out, label, std::iter::once(scalar_text(scalar))),
    }
}

fn object(out: &mut String, map: &Map<String, Value>, label: Option<&str>) {
    let scalars: Vec<String> = map
        .values()
        .filter(|v| is_scalar(v))
        .map(scalar_text)
        .collect();
    if !scalars.is_empty() {
        line(out, label, scalars.into_iter());
    }
    for (key, value) in map.iter().filter(|(_, v)| !is_scalar(v)) {
        emit(out, value, Some(&key.to_uppercase()));
    }
}

fn line(out: &mut String, label: Option<&str>, cells: impl Iterator<Item = String>) {
    let mut fields: Vec<String> = label.map(str::to_owned).into_iter().collect();
    fields.extend(cells);
    out.push_str(&fields.join("\t"));
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn aws_style_lines() {
        let v = json!({
            "Functions": [{"Name": "a", "Tags": ["x", "y"]}, {"Name": "b", "Tags": []}],
            "TotalCount": 2,
            "RequestId": "r",
        });
        assert_eq!(
            to_text(&v),
            "r\t2\nFUNCTIONS\ta\nTAGS\tx\ty\nFUNCTIONS\tb\n"
        );
        assert_eq!(to_text(&json!(["a", "b"])), "a\tb\n");
        assert_eq!(to_text(&json!(null)), "None\n");
    }
}
