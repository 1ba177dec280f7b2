//! The upstream reference: the tccli API descriptions (mainland `zh` and international `en`),
//! their examples, the per-action error lists and the error-code table, reconciled into one model.
//!
//! Both `spec import` and `spec check` derive the spec's facts from this model through the same
//! rules (`expected_*`), so a hand edit that contradicts upstream is caught by `spec check`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

/// File names inside the reference directory.
pub const API_ZH: &str = "tccli-scf-api.zh.json";
pub const API_EN: &str = "tccli-scf-api.en.json";
pub const EXAMPLES_ZH: &str = "tccli-scf-examples.zh.json";
pub const EXAMPLES_EN: &str = "tccli-scf-examples.en.json";
pub const ACTION_ERRORS: &str = "scf-action-errors.json";
pub const ERROR_CODES: &str = "scf-error-codes.json";

/// Text in both languages; either may be missing.
#[derive(Debug, Clone, Default)]
pub struct Text {
    pub en: Option<String>,
    pub zh: Option<String>,
}

impl Text {
    /// The English text, else the Chinese one (which the spec loader rejects until translated).
    pub fn best(&self) -> String {
        self.en
            .clone()
            .filter(|s| !s.trim().is_empty())
            .or_else(|| self.zh.clone())
            .unwrap_or_default()
            .trim()
            .to_owned()
    }
}

/// Where an action or member is described.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sites {
    pub mainland: bool,
    pub intl: bool,
}

impl Sites {
    pub fn both(self) -> bool {
        self.mainland && self.intl
    }
    pub fn label(self) -> &'static str {
        match (self.mainland, self.intl) {
            (true, false) => "mainland",
            (false, true) => "international",
            _ => "both",
        }
    }
}

/// One action.
#[derive(Debug, Clone)]
pub struct RefAction {
    pub summary: Text,
    pub docs: Text,
    pub input: String,
    pub output: String,
    pub sites: Sites,
}

/// The element type of a member as the reference gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefType {
    /// `string`, `integer`, `unsigned`, `float`, `boolean`, `datetime` or a type name.
    pub spec: String,
    pub list: bool,
}

/// One member, reconciled over both descriptions.
#[derive(Debug, Clone)]
pub struct RefMember {
    pub name: String,
    pub ty: RefType,
    /// Required as an input.
    pub required: bool,
    /// Documented as always present in outputs.
    pub output_required: bool,
    /// The service may answer `null`.
    pub nullable: bool,
    /// Marked disabled (no longer served) upstream.
    pub deprecated: bool,
    pub docs: Text,
    pub example: Option<String>,
    pub sites: Sites,
}

/// One object (request, response or shared type).
#[derive(Debug, Clone)]
pub struct RefObject {
    pub docs: Text,
    pub members: Vec<RefMember>,
}

/// One documented example.
#[derive(Debug, Clone)]
pub struct RefExample {
    pub title: Text,
    pub docs: Text,
    /// The raw input: a GET URL with query parameters or a POST request with a JSON body.
    pub input: String,
    /// The raw output: `{"Response": {...}}`.
    pub output: String,
}

/// The whole reference.
#[derive(Debug, Clone)]
pub struct Reference {
    pub version: String,
    pub actions: BTreeMap<String, RefAction>,
    pub objects: BTreeMap<String, RefObject>,
    pub examples: BTreeMap<String, Vec<RefExample>>,
    /// Action → documented error codes (mainland and international lists merged).
    pub action_errors: BTreeMap<String, BTreeSet<String>>,
    /// Code → description.
    pub codes: BTreeMap<String, Text>,
}

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

struct RawMember {
    name: String,
    ty: RefType,
    required: Option<bool>,
    output_required: Option<bool>,
    nullable: Option<bool>,
    disabled: bool,
    docs: String,
    example: Option<String>,
}

struct RawObject {
    docs: String,
    members: Vec<RawMember>,
}

struct RawAction {
    summary: String,
    docs: String,
    input: String,
    output: String,
}

struct RawApi {
    version: String,
    actions: BTreeMap<String, RawAction>,
    objects: BTreeMap<String, RawObject>,
}

fn read_api(dir: &Path, file: &str) -> Result<RawApi, String> {
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
type RawExample = (String, String, String, String);

fn read_examples(dir: &Path, file: &str) -> Result<BTreeMap<String, Vec<RawExample>>, String> {
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

fn nonempty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

impl Reference {
    /// Reads and reconciles the reference files in `dir`.
    pub fn load(dir: &Path) -> Result<Reference, String> {
        let zh = read_api(dir, API_ZH)?;
        let en = read_api(dir, API_EN)?;
        if zh.version != en.version {
            return Err(format!(
                "{API_ZH} describes version {} but {API_EN} describes {}",
                zh.version, en.version
            ));
        }
        let mut actions = BTreeMap::new();
        let names: BTreeSet<&String> = zh.actions.keys().chain(en.actions.keys()).collect();
        for name in names {
            let z = zh.actions.get(name);
            let e = en.actions.get(name);
            let any = z.or(e).expect("name comes from one of the maps");
            if let (Some(z), Some(e)) = (z, e) {
                if z.input != e.input || z.output != e.output {
                    return Err(format!(
                        "action {name}: the two descriptions name different request/response objects"
                    ));
                }
            }
            actions.insert(
                name.clone(),
                RefAction {
                    summary: Text {
                        en: e.and_then(|a| nonempty(&a.summary)),
                        zh: z.and_then(|a| nonempty(&a.summary)),
                    },
                    docs: Text {
                        en: e.and_then(|a| nonempty(&a.docs)),
                        zh: z.and_then(|a| nonempty(&a.docs)),
                    },
                    input: any.input.clone(),
                    output: any.output.clone(),
                    sites: Sites {
                        mainland: z.is_some(),
                        intl: e.is_some(),
                    },
                },
            );
        }

        let mut objects = BTreeMap::new();
        let names: BTreeSet<&String> = zh.objects.keys().chain(en.objects.keys()).collect();
        for name in names {
            let z = zh.objects.get(name);
            let e = en.objects.get(name);
            // Member order: the mainland order, then members only the international one has.
            let mut order: Vec<&str> = Vec::new();
            for o in [z, e].into_iter().flatten() {
                for m in &o.members {
                    if !order.contains(&m.name.as_str()) {
                        order.push(&m.name);
                    }
                }
            }
            let mut members = Vec::new();
            for mname in order {
                let zm = z.and_then(|o| o.members.iter().find(|m| m.name == mname));
                let em = e.and_then(|o| o.members.iter().find(|m| m.name == mname));
                let primary = zm.or(em).expect("name comes from one of the lists");
                if let (Some(a), Some(b)) = (zm, em) {
                    if a.ty != b.ty {
                        return Err(format!(
                            "{name}.{mname}: the descriptions disagree on the type ({:?} vs {:?})",
                            a.ty, b.ty
                        ));
                    }
                }
                // The newer mainland description says `output_required` where the older
                // international one says `required` for output members.
                let out_req = |m: &RawMember| m.output_required.or(m.required);
                members.push(RefMember {
                    name: mname.to_owned(),
                    ty: primary.ty.clone(),
                    required: primary.required.or(em.and_then(|m| m.required)) == Some(true),
                    output_required: zm.and_then(out_req).or(em.and_then(out_req)) == Some(true),
                    nullable: [zm, em]
                        .into_iter()
                        .flatten()
                        .any(|m| m.nullable == Some(true)),
                    deprecated: [zm, em].into_iter().flatten().any(|m| m.disabled),
                    docs: Text {
                        en: em.and_then(|m| nonempty(&m.docs)),
                        zh: zm.and_then(|m| nonempty(&m.docs)),
                    },
                    example: em
                        .and_then(|m| m.example.clone())
                        .or_else(|| zm.and_then(|m| m.example.clone())),
                    sites: Sites {
                        mainland: zm.is_some(),
                        intl: em.is_some(),
                    },
                });
            }
            objects.insert(
                name.clone(),
                RefObject {
                    docs: Text {
                        en: e.and_then(|o| nonempty(&o.docs)),
                        zh: z.and_then(|o| nonempty(&o.docs)),
                    },
                    members,
                },
            );
        }

        let ex_zh = read_examples(dir, EXAMPLES_ZH)?;
        let ex_en = read_examples(dir, EXAMPLES_EN)?;
        let mut examples: BTreeMap<String, Vec<RefExample>> = BTreeMap::new();
        for name in actions.keys() {
            let mut list: Vec<RefExample> = Vec::new();
            // International examples first (English titles), then mainland ones not already
            // present (compared by their parsed input and output).
            for (lang, src) in [("en", &ex_en), ("zh", &ex_zh)] {
                for (title, docs, input, output) in src.get(name).into_iter().flatten() {
                    let key = example_key(input, output);
                    if let Some(prev) = list
                        .iter_mut()
                        .find(|x| example_key(&x.input, &x.output) == key)
                    {
                        if lang == "zh" {
                            prev.title.zh = nonempty(title);
                            prev.docs.zh = nonempty(docs);
                        }
                        continue;
                    }
                    let text = |s: &str| {
                        if lang == "en" {
                            Text {
                                en: nonempty(s),
                                zh: None,
                            }
                        } else {
                            Text {
                                en: None,
                                zh: nonempty(s),
                            }
                        }
                    };
                    list.push(RefExample {
                        title: text(title),
                        docs: text(docs),
                        input: input.clone(),
                        output: output.clone(),
                    });
                }
            }
            examples.insert(name.clone(), list);
        }

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

        Ok(Reference {
            version: zh.version,
            actions,
            objects,
            examples,
            action_errors,
            codes,
        })
    }

    /// The object called `name`.
    pub fn object(&self, name: &str) -> Result<&RefObject, String> {
        self.objects
            .get(name)
            .ok_or_else(|| format!("the reference names object `{name}` but does not describe it"))
    }

    /// Shared types (not request or response objects) reachable from the actions, with the
    /// sides they are used on.
    pub fn type_usage(&self) -> Result<BTreeMap<String, Usage>, String> {
        let mut usage: BTreeMap<String, Usage> = BTreeMap::new();
        for a in self.actions.values() {
            for (root, side) in [(&a.input, Usage::IN), (&a.output, Usage::OUT)] {
                let mut stack = vec![root.clone()];
                let mut seen = BTreeSet::new();
                while let Some(o) = stack.pop() {
                    if !seen.insert(o.clone()) {
                        continue;
                    }
                    for m in &self.object(&o)?.members {
                        if is_named(&m.ty.spec) {
                            let u = usage.entry(m.ty.spec.clone()).or_default();
                            *u = u.union(side);
                            stack.push(m.ty.spec.clone());
                        }
                    }
                }
            }
        }
        Ok(usage)
    }
}

/// Whether a spec type is a shared type rather than a primitive.
pub fn is_named(ty: &str) -> bool {
    !matches!(
        ty,
        "string" | "integer" | "unsigned" | "float" | "boolean" | "datetime"
    )
}

/// On which side(s) of the API a shared type appears.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub input: bool,
    pub output: bool,
}

impl Usage {
    pub const IN: Usage = Usage {
        input: true,
        output: false,
    };
    pub const OUT: Usage = Usage {
        input: false,
        output: true,
    };
    pub fn union(self, o: Usage) -> Usage {
        Usage {
            input: self.input || o.input,
            output: self.output || o.output,
        }
    }
}

/// The facts the spec must state for one member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberFacts {
    pub name: String,
    pub ty: String,
    pub list: bool,
    pub required: bool,
    pub nullable: bool,
    pub deprecated: bool,
}

/// Facts of a member used on `usage` sides.
///
/// - Inputs: `required` as documented; never nullable.
/// - Outputs: `required` when documented as always present; nullable when either description
///   says the service may answer null.
/// - Types used on both sides: required only when required on both, so that a field the caller
///   may leave out is never serialized with a made-up default.
pub fn expected_member(m: &RefMember, usage: Usage) -> MemberFacts {
    let required = match (usage.input, usage.output) {
        (true, false) => m.required,
        (false, true) => m.output_required,
        _ => m.required && m.output_required,
    };
    MemberFacts {
        name: m.name.clone(),
        ty: m.ty.spec.clone(),
        list: m.ty.list,
        required,
        nullable: usage.output && m.nullable,
        deprecated: m.deprecated,
    }
}

/// Normalised identity of an example, to merge the two languages' copies of the same one.
fn example_key(input: &str, output: &str) -> (String, String) {
    let norm_out = serde_json::from_str::<Value>(output)
        .map(|v| v.to_string())
        .unwrap_or_else(|_| output.to_owned());
    let norm_in = if input.trim_start().starts_with("POST") {
        parse_json_tail(input).map_or_else(|| input.to_owned(), |v| v.to_string())
    } else {
        input
            .lines()
            .map(str::trim)
            // Drop placeholder lines: the localized "<common request parameters>" and values
            // such as `<FunctionName>`, which one language's copy sometimes omits.
            .filter(|l| !l.contains('<'))
            .collect::<Vec<_>>()
            .join("\n")
    };
    (norm_in, norm_out)
}

/// The JSON body of a POST example (text from the first `{`), if it parses.
pub fn parse_json_tail(input: &str) -> Option<Value> {
    let start = input.find('{')?;
    serde_json::from_str(&input[start..]).ok()
}
