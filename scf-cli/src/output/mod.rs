//! Printing an answer: `--filter` (JMESPath) first, then one of the formats.
//!
//! - `json` (default): pretty JSON, two-space indent, members in name order.
//! - `jsonl`: compact JSON, one value per line: for a listing (unfiltered), one item per line;
//!   for a filter whose result is an array, one element per line; otherwise the whole answer.
//! - `yaml`: block YAML (a small emitter: [`yaml`]).
//! - `table`: boxed tables, aws-cli style ([`table`]).
//! - `text`: tab-separated values, aws-cli style ([`text`]).

use std::io::{self, Write};

use clap::ValueEnum;
use serde_json::Value;

use crate::failure::Failure;

pub mod table;
pub mod text;
pub mod yaml;

/// An output format (`--output`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    /// Pretty JSON.
    #[default]
    Json,
    /// One compact JSON value per line.
    Jsonl,
    /// YAML.
    Yaml,
    /// Boxed tables.
    Table,
    /// Tab-separated values.
    Text,
}

/// A compiled `--filter` expression.
pub struct Filter(jmespath::Expression<'static>);

impl std::fmt::Debug for Filter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Filter").field(&self.0.as_str()).finish()
    }
}

impl Filter {
    /// Compiles `expression`; a syntax error is invalid usage (252), reported before sending.
    pub fn compile(expression: &str) -> Result<Filter, Failure> {
        jmespath::compile(expression)
            .map(Filter)
            .map_err(|e| Failure::usage(format!("--filter: {e}")))
    }

    /// The expression applied to `value`.
    pub fn apply(&self, value: &Value) -> Result<Value, Failure> {
        let result = self
            .0
            .search(value)
            .map_err(|e| Failure::usage(format!("--filter: {e}")))?;
        serde_json::to_value(&*result).map_err(|e| Failure::other(format!("--filter: {e}")))
    }
}

/// Prints `answer` (a listing's items in `items`) as `format` after `filter`.
pub fn print(
    out: &mut impl Write,
    answer: &Value,
    items: Option<&str>,
    filter: Option<&Filter>,
    format: Format,
    title: &str,
) -> Result<(), Failure> {
    let filtered;
    let (value, items) = match filter {
        Some(f) => {
            filtered = f.apply(answer)?;
            (&filtered, None)
        }
        None => (answer, items),
    };
    write(out, value, items, format, title)
        .or_else(ignore_broken_pipe)
        .map_err(|e| Failure::other(format!("output: {e}")))
}

/// A reader that stopped reading (`scf ... | head`) is no failure.
pub fn ignore_broken_pipe(error: io::Error) -> io::Result<()> {
    if error.kind() == io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(error)
    }
}

fn write(
    out: &mut impl Write,
    value: &Value,
    items: Option<&str>,
    format: Format,
    title: &str,
) -> io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, value)?;
            writeln!(out)
        }
        Format::Jsonl => {
            let lines = match (items, value) {
                (Some(member), _) => value.get(member).and_then(Value::as_array),
                (None, Value::Array(all)) => Some(all),
                _ => None,
            };
            match lines {
                Some(lines) => lines.iter().try_for_each(|v| line(out, v)),
                None => line(out, value),
            }
        }
        Format::Yaml => out.write_all(yaml::to_yaml(value).as_bytes()),
        Format::Table => out.write_all(table::to_table(value, title).as_bytes()),
        Format::Text => out.write_all(text::to_text(value).as_bytes()),
    }
}

fn line(out: &mut impl Write, value: &Value) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)
}

/// A scalar as text and table cells show it.
pub(crate) fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "None".to_owned(),
        other => other.to_string(),
    }
}

/// Whether `value` is shown in a cell (not an object or array).
pub(crate) fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Object(_) | Value::Array(_))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn printed(value: &Value, items: Option<&str>, filter: Option<&str>, format: Format) -> String {
        let filter = filter.map(|f| Filter::compile(f).unwrap());
        let mut out = Vec::new();
        print(&mut out, value, items, filter.as_ref(), format, "T").unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn jsonl_prints_items_or_filtered_arrays_one_per_line() {
        let v = json!({"Functions": [{"A": 1}, {"A": 2}], "TotalCount": 2});
        assert_eq!(
            printed(&v, Some("Functions"), None, Format::Jsonl),
            "{\"A\":1}\n{\"A\":2}\n"
        );
        assert_eq!(
            printed(&v, Some("Functions"), Some("Functions[].A"), Format::Jsonl),
            "1\n2\n"
        );
        assert_eq!(printed(&v, None, Some("TotalCount"), Format::Jsonl), "2\n");
        assert_eq!(printed(&v, None, Some("TotalCount"), Format::Json), "2\n");
    }

    #[test]
    fn bad_filters_are_usage_errors() {
        assert_eq!(Filter::compile("Functions[").unwrap_err().exit, 252);
    }
}
