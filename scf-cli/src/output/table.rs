//! `--output table`, in the manner of aws-cli: boxed sections, nested ones inside their parent's
//! borders.
//!
//! An object is a section titled with its member name (the action's name at the top): a header
//! row of its scalar members' names (in name order) above a row of their values, then one
//! section per nested member. A list of objects is one section with a column per scalar member
//! any of them has and a row per object (their nested members follow as sections); a list of
//! scalars is a section with a row per value.

use serde_json::{Map, Value};

use super::{is_scalar, scalar_text};

/// One boxed section.
#[derive(Debug, Default)]
struct Section {
    title: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    children: Vec<Section>,
}

/// `value` as boxed tables titled `title`.
pub fn to_table(value: &Value, title: &str) -> String {
    let section = build(title, value);
    let width = section.width(0).max(title.chars().count() + 4);
    let mut out = String::new();
    section.render(&mut out, 0, width);
    out
}

fn build(title: &str, value: &Value) -> Section {
    let mut section = Section {
        title: title.to_owned(),
        ..Section::default()
    };
    match value {
        Value::Object(map) => {
            let (headers, row) = scalar_row(map);
            if !headers.is_empty() {
                section.headers = headers;
                section.rows.push(row);
            }
            section.children = nested(map);
        }
        Value::Array(items) if items.iter().all(is_scalar) => {
            section.rows = items.iter().map(|v| vec![scalar_text(v)]).collect();
        }
        Value::Array(items) => {
            let mut headers: Vec<String> = Vec::new();
            for item in items.iter().filter_map(Value::as_object) {
                for (k, _) in item.iter().filter(|(_, v)| is_scalar(v)) {
                    if !headers.contains(k) {
                        headers.push(k.clone());
                    }
                }
            }
            headers.sort();
            for item in items {
                match item {
                    Value::Object(map) => {
                        let row = headers
                            .iter()
                            .map(|h| map.get(h).map(scalar_text).unwrap_or_default())
                            .collect();
                        if !headers.is_empty() {
                            section.rows.push(row);
                        }
                        section.children.extend(nested(map));
                    }
                    other => section.children.push(build(title, other)),
                }
            }
            section.headers = headers;
        }
        scalar => section.rows.push(vec![scalar_text(scalar)]),
    }
    section
}

fn scalar_row(map: &Map<String, Value>) -> (Vec<String>, Vec<String>) {
    map.iter()
        .filter(|(_, v)| is_scalar(v))
        .map(|(k, v)| (k.clone(), scalar_text(v)))
        .unzip()
}

/// The sections of `map`'s nested members; empty objects and lists have none.
fn nested(map: &Map<String, Value>) -> Vec<Section> {
    let empty = |v: &Value| match v {
        Value::Object(m) => m.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => true,
    };
    map.iter()
        .filter(|(_, v)| !empty(v))
        .map(|(k, v)| build(k, v))
        .collect()
}

fn cells_width(cells: &[usize]) -> usize {
    // `|  cell  |  cell  |`: two spaces each side, one bar between.
    cells.iter().map(|w| w + 4).sum::<usize>() + cells.len() + 1
}

impl Section {
    fn columns(&self) -> Vec<usize> {
        let n = self
            .headers
            .len()
            .max(self.rows.iter().map(Vec::len).max().unwrap_or(0));
        (0..n)
            .map(|i| {
                let header = self.headers.get(i).map_or(0, |h| h.chars().count());
                let cells = self
                    .rows
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|c| c.chars().count());
                cells.chain([header]).max().unwrap_or(0)
            })
            .collect()
    }

    /// The inner width this section and its children need at `depth`.
    fn width(&self, depth: usize) -> usize {
        let own = cells_width(&self.columns()).max(self.title.chars().count() + 4) + 2 * depth;
        self.children
            .iter()
            .map(|c| c.width(depth + 1))
            .fold(own, usize::max)
    }

    fn render(&self, out: &mut String, depth: usize, width: usize) {
        let inner = width - 2 * depth;
        let line = |out: &mut String, body: &str| {
            out.push_str(&"|".repeat(depth));
            out.push_str(body);
            out.push_str(&"|".repeat(depth));
            out.push('\n');
        };
        line(out, &"-".repeat(inner));
        line(out, &format!("|{:^w$}|", self.title, w = inner - 2));
        let mut columns = self.columns();
        let spare = inner - cells_width(&columns);
        if let Some(last) = columns.last_mut() {
            // Stretch the last column to the section's width.
            *last += spare;
        }
        let separator = |out: &mut String| {
            let parts: Vec<String> = columns.iter().map(|w| "-".repeat(w + 4)).collect();
            line(out, &format!("+{}+", parts.join("+")));
        };
        let row = |out: &mut String, cells: &[String]| {
            let parts: Vec<String> = columns
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    let cell = cells.get(i).map(String::as_str).unwrap_or("");
                    format!("  {cell:<w$}  ")
                })
                .collect();
            line(out, &format!("|{}|", parts.join("|")));
        };
        if columns.is_empty() {
            line(out, &"-".repeat(inner));
        } else {
            separator(out);
            if !self.headers.is_empty() {
                row(out, &self.headers);
                separator(out);
            }
            for r in &self.rows {
                row(out, r);
            }
            separator(out);
        }
        for child in &self.children {
            child.render(out, depth + 1, width);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_sections() {
        let v = json!({"TotalCount": 1, "Functions": [{"Name": "a", "Status": "Active"}]});
        let expected = "\
-----------------------
|    ListFunctions    |
+---------------------+
|  TotalCount         |
+---------------------+
|  1                  |
+---------------------+
|---------------------|
||     Functions     ||
|+--------+----------+|
||  Name  |  Status  ||
|+--------+----------+|
||  a     |  Active  ||
|+--------+----------+|
";
        assert_eq!(to_table(&v, "ListFunctions"), expected);
    }
}
