//! Reading the reference files as they are: the tccli API descriptions and examples (one
//! language at a time), the per-action error lists and the error-code table. No reconciling
//! here; the parent module does that.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use super::{ACTION_ERRORS, ERROR_CODES, RefType, Text, nonempty};

fn read_json(dir: &Path, name: &str) -> Result<Value, String> {
    let path = dir.join(name);
    let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn field<'v>(v: &'v Value, file: &str, path: &str, key: &str) -> Result<&'v Value, String> {
    v.get(key)
        .ok_or_else(|| format!("{file}: {path}: missing `{key}`"))
}

fn str_field(v: &Value, file: &str, path: &str, key: &str) -> Result<String, String> {
    field(v, file, path, key)?
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("{file}: {path}.{key}: expected a string"))
}

fn opt_bool(v: &Value, key: &str) -> Option<bool> {
    v.get(key).and_then(Value::as_bool)
}

/// Maps the reference's `(type, member)` pair to the spec's type.
fn ref_type(file: &str, path: &str, ty: &str, member: &str) -> Result<RefType, String> {
    let scalar = |m: &str| -> Option<&'static str> {
        Some(match m {
            "string" => "string",
            "int64" => "integer",
            "uint64" => "unsigned",
            "float" => "float",
            "bool" => "boolean",
            "datetime" => "datetime",
            _ => return None,
        })
    };
    match ty {
        "list" => Ok(RefType {
            spec: scalar(member).map_or_else(|| member.to_owned(), str::to_owned),
            list: true,
        }),
        "object" => Ok(RefType {
            spec: member.to_owned(),
            list: false,
        }),
        "string" | "int" | "bool" | "float" => scalar(member)
            .map(|s| RefType {
                spec: s.to_owned(),
                list: false,
            })
            .ok_or_else(|| format!("{file}: {path}: unknown member type `{ty}`/`{member}`")),
        other => Err(format!("{file}: {path}: unknown type `{other}`")),
    }
}

pub(super) struct RawMember {
    pub(super) name: String,
    pub(super) ty: RefType,
    pub(super) required: Option<bool>,
    pub(super) output_required: Option<bool>,
    pub(super) nullable: Option<bool>,
    pub(super) disabled: bool,
    pub(super) docs: String,
    pub(super) example: Option<String>,
}

pub(super) struct RawObject {
    pub(super) docs: String,
    pub(super) members: Vec<RawMember>,
}

pub(super) struct RawAction {
    pub(super) summary: String,
    pub(super) docs: String,
    pub(super) input: String,
    pub(super) output: String,
}

pub(super) struct RawApi {
    pub(super) version: String,
    pub(super) actions: BTreeMap<String, RawAction>,
    pub(super) objects: BTreeMap<String, RawObject>,
}

pub(super) fn read_api(dir: &Path, file: &str) -> Result<RawApi, String> {
    let v = read_json(dir, file)?;
    let version = field(&v, file, "$", "metadata")
        .and_then(|m| str_field(m, file, "$.metadata", "apiVersion"))?;
    let mut actions = BTreeMap::new();
    for (name, a) in field(&v, file, "$", "actions")?
        .as_object()
        .ok_or_else(|| format!("{file}: $.actions: expected an object"))?
    {
        let p = format!("$.actions.{name}");
        actions.insert(
            name.clone(),
            RawAction {
                summary: str_field(a, file, &p, "name")?,
                docs: str_field(a, file, &p, "document")?,
                input: str_field(a, file, &p, "input")?,
                output: str_field(a, file, &p, "output")?,
            },
        );
    }
    let mut objects = BTreeMap::new();
    for (name, o) in field(&v, file, "$", "objects")?
        .as_object()
        .ok_or_else(|| format!("{file}: $.objects: expected an object"))?
    {
        let p = format!("$.objects.{name}");
        let mut members = Vec::new();
        for (i, m) in field(o, file, &p, "members")?
            .as_array()
            .ok_or_else(|| format!("{file}: {p}.members: expected an array"))?
            .iter()
            .enumerate()
        {
            let mp = format!("{p}.members[{i}]");
            let ty = str_field(m, file, &mp, "type")?;
            let member = str_field(m, file, &mp, "member")?;
            members.push(RawMember {
                name: str_field(m, file, &mp, "name")?,
                ty: ref_type(file, &mp, &ty, &member)?,
                required: opt_bool(m, "required"),
                output_required: opt_bool(m, "output_required"),
                nullable: opt_bool(m, "value_allowed_null"),
                disabled: opt_bool(m, "disabled").unwrap_or(false),
                docs: str_field(m, file, &mp, "document")?,
                example: m.get("example").and_then(Value::as_str).map(str::to_owned),
            });
        }
        objects.insert(
            name.clone(),
            RawObject {
                docs: str_field(o, file, &p, "document")?,
                members,
            },
        );
    }
    Ok(RawApi {
        version,
        actions,
        objects,
    })
}

/// One raw example: title, document, input, output.
pub(super) type RawExample = (String, String, String, String);

pub(super) fn read_examples(
    dir: &Path,
    file: &str,
) -> Result<BTreeMap<String, Vec<RawExample>>, String> {
    let v = read_json(dir, file)?;
    let mut out = BTreeMap::new();
    for (name, list) in field(&v, file, "$", "actions")?
        .as_object()
        .ok_or_else(|| format!("{file}: $.actions: expected an object"))?
    {
        let mut items = Vec::new();
        for (i, e) in list
            .as_array()
            .ok_or_else(|| format!("{file}: $.actions.{name}: expected an array"))?
            .iter()
            .enumerate()
        {
            let p = format!("$.actions.{name}[{i}]");
            items.push((
                str_field(e, file, &p, "title")?,
                str_field(e, file, &p, "document")?,
                str_field(e, file, &p, "input")?,
                str_field(e, file, &p, "output")?,
            ));
        }
        out.insert(name.clone(), items);
    }
    Ok(out)
}

/// Action → documented error codes, the mainland (`actions`) and international-only
/// (`intl_only`) lists merged.
pub(super) fn read_action_errors(dir: &Path) -> Result<BTreeMap<String, BTreeSet<String>>, String> {
    let ae = read_json(dir, ACTION_ERRORS)?;
    let mut action_errors: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for key in ["actions", "intl_only"] {
        let Some(map) = ae.get(key).and_then(Value::as_object) else {
            if key == "actions" {
                return Err(format!("{ACTION_ERRORS}: $.actions: expected an object"));
            }
            continue;
        };
        for (action, codes) in map {
            let set = action_errors.entry(action.clone()).or_default();
            for (i, c) in codes
                .as_array()
                .ok_or_else(|| format!("{ACTION_ERRORS}: $.{key}.{action}: expected an array"))?
                .iter()
                .enumerate()
            {
                set.insert(
                    c.as_str()
                        .ok_or_else(|| {
                            format!("{ACTION_ERRORS}: $.{key}.{action}[{i}]: expected a string")
                        })?
                        .to_owned(),
                );
            }
        }
    }
    Ok(action_errors)
}

/// Error code → description.
pub(super) fn read_codes(dir: &Path) -> Result<BTreeMap<String, Text>, String> {
    let ec = read_json(dir, ERROR_CODES)?;
    let mut codes = BTreeMap::new();
    for (code, t) in field(&ec, ERROR_CODES, "$", "codes")?
        .as_object()
        .ok_or_else(|| format!("{ERROR_CODES}: $.codes: expected an object"))?
    {
        codes.insert(
            code.clone(),
            Text {
                en: t.get("en").and_then(Value::as_str).and_then(nonempty),
                zh: t.get("zh").and_then(Value::as_str).and_then(nonempty),
            },
        );
    }
    Ok(codes)
}
