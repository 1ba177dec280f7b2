//! `--generate-cli-skeleton`: every input member as JSON, filled from the spec (the member's
//! example, else the action's first example, else its first documented value, else a
//! placeholder of its type), and the example command line shown in `--help`.

use serde_json::{Map, Value};

use crate::table::{CommandDef, Kind, MemberDef};

/// How deep nested types are expanded (types may refer to each other).
const MAX_DEPTH: usize = 6;

/// The skeleton of `command`'s input.
pub fn skeleton(command: &'static CommandDef) -> Value {
    let example = command
        .example_input
        .and_then(|text| serde_json::from_str::<Map<String, Value>>(text).ok())
        .unwrap_or_default();
    let mut out = Map::new();
    for m in command.input {
        // The action's example, where the member has none of its own and the example's value
        // passes the input check (an example may use a value outside a closed vocabulary).
        let from_example = example.get(m.name).filter(|value| {
            let one = Map::from_iter([(m.name.to_owned(), (*value).clone())]);
            m.example.is_none() && crate::check::problems(&one, command.input).is_empty()
        });
        let value = from_example.cloned().unwrap_or_else(|| member(m, 0));
        out.insert(m.name.to_owned(), value);
    }
    Value::Object(out)
}

fn member(m: &MemberDef, depth: usize) -> Value {
    let one = element(m, depth);
    if m.list && !one.is_array() {
        Value::Array(vec![one])
    } else {
        one
    }
}

fn element(m: &MemberDef, depth: usize) -> Value {
    if let Some(example) = m.example.and_then(|t| serde_json::from_str(t).ok()) {
        return example;
    }
    match (m.kind, m.values.first()) {
        (Kind::String, Some(v)) => Value::String((*v).to_owned()),
        (Kind::Integer | Kind::Unsigned | Kind::Float, Some(v)) => {
            serde_json::from_str(v).unwrap_or(Value::from(0))
        }
        (Kind::String, None) => Value::String(String::new()),
        (Kind::Integer | Kind::Unsigned | Kind::Float, None) => Value::from(0),
        (Kind::Boolean, _) => Value::Bool(false),
        (Kind::Datetime, _) => Value::String("YYYY-MM-DD HH:MM:SS".to_owned()),
        (Kind::Object(t), _) if depth < MAX_DEPTH => Value::Object(
            t.members
                .iter()
                .map(|c| (c.name.to_owned(), member(c, depth + 1)))
                .collect(),
        ),
        (Kind::Object(_), _) => Value::Object(Map::new()),
    }
}

/// The first example as a command line (`scf ListFunctions --Order ASC --Limit 2`), when the
/// spec has one.
pub fn example_command_line(command: &CommandDef) -> Option<String> {
    let example: Map<String, Value> = serde_json::from_str(command.example_input?).ok()?;
    let mut line = format!("scf {}", command.name);
    for m in command.input {
        let Some(value) = example.get(m.name) else {
            continue;
        };
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(_) | Value::Bool(_) => value.to_string(),
            _ => value.to_string(),
        };
        line.push_str(&format!(" --{} {}", m.name, shell_quote(&text)));
    }
    Some(line)
}

/// `text` as one POSIX shell word.
fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@=,".contains(c));
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generated::COMMANDS;

    #[test]
    fn every_skeleton_passes_the_input_check() {
        for command in COMMANDS {
            let Value::Object(map) = skeleton(command) else {
                panic!("{}: not an object", command.name)
            };
            let names: Vec<&str> = map.keys().map(String::as_str).collect();
            assert_eq!(names.len(), command.input.len(), "{}", command.name);
            let found = crate::check::problems(&map, command.input);
            assert!(found.is_empty(), "{}: {found:?}", command.name);
        }
    }

    #[test]
    fn quoting() {
        assert_eq!(shell_quote("ASC"), "ASC");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }
}
