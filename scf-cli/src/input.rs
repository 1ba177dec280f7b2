//! The input of an action's command as one JSON object: `--cli-input-json` first, then every
//! flag given on top of it (flags win; a dotted flag sets one member inside its object), then
//! checked against the member tables.

use clap::ArgMatches;
use serde_json::{Map, Value};

use crate::failure::Failure;
use crate::flags::{Flag, flags};
use crate::scalar::{member_value, parse_json, resolve_text};
use crate::table::CommandDef;

/// The checked input of `command` from its parsed flags.
pub fn assemble(
    command: &'static CommandDef,
    matches: &ArgMatches,
) -> Result<Map<String, Value>, Failure> {
    let mut input = match matches.get_one::<String>("cli-input-json") {
        Some(raw) => cli_input_json(raw)?,
        None => Map::new(),
    };
    let mut problems = Vec::new();
    for flag in flags(command) {
        let Some(raws) = matches.get_many::<String>(&flag.long) else {
            continue;
        };
        let raws: Vec<&str> = raws.map(String::as_str).collect();
        match member_value(&format!("--{}", flag.long), flag.member, &raws) {
            Ok(value) => {
                if let Err(problem) = set(&mut input, &flag, value) {
                    problems.push(problem);
                }
            }
            Err(failure) => problems.push(failure.message),
        }
    }
    problems.extend(crate::check::problems(&input, command.input));
    if problems.is_empty() {
        Ok(input)
    } else {
        Err(Failure::usage(format!(
            "invalid input for {}:\n  {}",
            command.name,
            problems.join("\n  ")
        )))
    }
}

/// `--cli-input-json`: inline JSON or `file://PATH`, an object.
fn cli_input_json(raw: &str) -> Result<Map<String, Value>, Failure> {
    let text = resolve_text("--cli-input-json", raw)?;
    match parse_json("--cli-input-json", &text, false)? {
        Value::Object(map) => Ok(map),
        _ => Err(Failure::usage("--cli-input-json: expected a JSON object")),
    }
}

/// Sets `value` at the flag's path, creating the objects on the way.
fn set(input: &mut Map<String, Value>, flag: &Flag, value: Value) -> Result<(), String> {
    let (last, parents) = flag
        .path
        .split_last()
        .ok_or_else(|| format!("--{}: empty path", flag.long))?;
    let mut here = input;
    for (depth, name) in parents.iter().enumerate() {
        let slot = here
            .entry((*name).to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        if slot.is_null() {
            *slot = Value::Object(Map::new());
        }
        here = match slot {
            Value::Object(map) => map,
            _ => {
                return Err(format!(
                    "--{}: `{}` is not a JSON object",
                    flag.long,
                    flag.path[..=depth].join(".")
                ));
            }
        };
    }
    here.insert((*last).to_owned(), value);
    Ok(())
}
