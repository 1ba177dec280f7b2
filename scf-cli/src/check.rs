//! Checks an assembled input against the member tables before anything is sent: unknown
//! members, JSON types, date formats, and values outside a closed vocabulary (the spec's
//! `enum`). Every problem is reported at once; a sensitive member's value is never quoted.

use serde_json::{Map, Value};

use crate::scalar::is_datetime;
use crate::table::{Kind, MemberDef};

/// Every problem of `input` against `members`, each naming the member's path.
pub fn problems(input: &Map<String, Value>, members: &'static [MemberDef]) -> Vec<String> {
    let mut out = Vec::new();
    object(input, members, "", &mut out);
    out
}

fn object(map: &Map<String, Value>, members: &[MemberDef], path: &str, out: &mut Vec<String>) {
    for (key, value) in map {
        let at = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        match members.iter().find(|m| m.name == key) {
            None => {
                let known: Vec<&str> = members.iter().map(|m| m.name).collect();
                out.push(format!(
                    "unknown member `{at}` (members here: {})",
                    known.join(", ")
                ));
            }
            Some(_) if value.is_null() => {}
            Some(m) if m.list => match value {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        element(m, item, &format!("{at}[{i}]"), out);
                    }
                }
                _ => out.push(format!("`{at}` must be a JSON array")),
            },
            Some(m) => element(m, value, &at, out),
        }
    }
}

fn element(m: &MemberDef, value: &Value, at: &str, out: &mut Vec<String>) {
    let expected = match (m.kind, value) {
        (Kind::String, Value::String(s)) => return closed_value(m, s, at, out),
        (Kind::Datetime, Value::String(s)) if is_datetime(s) => return,
        (Kind::Integer, Value::Number(n)) if n.is_i64() => return,
        (Kind::Unsigned, Value::Number(n)) if n.is_u64() => return,
        (Kind::Float, Value::Number(_)) | (Kind::Boolean, Value::Bool(_)) => return,
        (Kind::Object(t), Value::Object(map)) => return object(map, t.members, at, out),
        (Kind::String, _) => "a string",
        (Kind::Datetime, _) => "a date and time `YYYY-MM-DD HH:MM:SS`",
        (Kind::Integer, _) => "an integer",
        (Kind::Unsigned, _) => "a non-negative integer",
        (Kind::Float, _) => "a number",
        (Kind::Boolean, _) => "`true` or `false`",
        (Kind::Object(_), _) => "a JSON object",
    };
    out.push(format!("`{at}` must be {expected}"));
}

fn closed_value(m: &MemberDef, s: &str, at: &str, out: &mut Vec<String>) {
    if !m.closed || m.values.contains(&s) {
        return;
    }
    let shown = if m.sensitive {
        String::new()
    } else {
        format!(" `{s}`")
    };
    out.push(format!(
        "`{at}`: the value{shown} is not one of the documented values ({})",
        m.values.join(", ")
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generated::actions::list_functions::COMMAND;

    fn check(json: &str) -> Vec<String> {
        let Value::Object(map) = serde_json::from_str(json).unwrap() else {
            panic!("not an object")
        };
        problems(&map, COMMAND.input)
    }

    #[test]
    fn finds_every_problem() {
        assert!(
            check(r#"{"Order":"ASC","Limit":2,"Filters":[{"Name":"a","Values":["b"]}]}"#)
                .is_empty()
        );
        let found = check(r#"{"Order":"asc","Limit":"2","Bogus":1,"Filters":[{"Nom":"a"}]}"#);
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(
            found.iter().any(|p| p.contains("`Order`: the value `asc`")),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|p| p.contains("`Limit` must be an integer")),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|p| p.starts_with("unknown member `Bogus`")),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|p| p.starts_with("unknown member `Filters[0].Nom`")),
            "{found:?}"
        );
    }
}
