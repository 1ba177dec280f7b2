//! The upstream reference, reconciled into one model.
//!
//! Files read from the reference directory, and what each decides:
//!
//! - `tccli-scf-api.zh.json` (mainland tccli description): the actions, objects and members
//!   the mainland site has, their types, required, nullable and disabled flags, and texts.
//! - `tccli-scf-api.en.json` (international tccli description): the same for the international
//!   site; its texts are preferred. Both must describe the same API version and agree on types.
//! - `gosdk-scf-facts.json` (optional; its `intl` key: facts from the international-site Go
//!   SDK, read by [`gosdk`]): corroborates international presence. When it is there, an action,
//!   object or member counts as international only if the international description *and* this
//!   SDK have it; the international tccli description also lists some mainland-only inputs.
//!   Without the file (or its `intl` key) the international description alone decides.
//! - `tccli-scf-examples.{zh,en}.json`: examples, merged (international ones first).
//! - `scf-action-errors.json`: each action's error codes (`actions`, plus `intl_only`).
//! - `scf-error-codes.json`: the error-code table and its descriptions.
//!
//! `raw` reads the tccli files, error lists and codes as they are, [`gosdk`] the Go SDK facts;
//! this module reconciles them. Both `spec import` and `spec check` derive the spec's facts from
//! this model through the same rules (`sites` for where an item is documented,
//! `expected_member` for a member's flags), so a hand edit that contradicts upstream is caught
//! by `spec check`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

pub mod gosdk;
mod raw;

use gosdk::{GOSDK_FACTS, IntlSdk};
use raw::{
    RawAction, RawApi, RawExample, RawMember, read_action_errors, read_api, read_codes,
    read_examples,
};

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
    /// Where the object itself is described. A shared type's members are marked with the one
    /// site that has them only when the type is on both sites (as an action's members are).
    pub sites: Sites,
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

fn nonempty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// Where an item is documented. The mainland description alone decides mainland presence.
/// International presence needs the international description and, when its facts are in the
/// reference directory, the international Go SDK (`sdk_has`): both must have the item. An item
/// only the international description has and the SDK lacks is documented nowhere: an error.
fn sites(
    at: &str,
    zh: bool,
    en: bool,
    sdk: Option<&IntlSdk>,
    sdk_has: impl FnOnce(&IntlSdk) -> bool,
) -> Result<Sites, String> {
    let intl = en && sdk.is_none_or(sdk_has);
    if !zh && !intl {
        return Err(format!(
            "{at}: only {API_EN} describes it, and the international Go SDK ({GOSDK_FACTS}) lacks it"
        ));
    }
    Ok(Sites { mainland: zh, intl })
}

fn reconcile_actions(
    zh: &RawApi,
    en: &RawApi,
    sdk: Option<&IntlSdk>,
) -> Result<BTreeMap<String, RefAction>, String> {
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
        let text = |f: fn(&RawAction) -> &str| Text {
            en: e.and_then(|a| nonempty(f(a))),
            zh: z.and_then(|a| nonempty(f(a))),
        };
        actions.insert(
            name.clone(),
            RefAction {
                summary: text(|a| &a.summary),
                docs: text(|a| &a.docs),
                input: any.input.clone(),
                output: any.output.clone(),
                sites: sites(
                    &format!("action {name}"),
                    z.is_some(),
                    e.is_some(),
                    sdk,
                    |s| s.has_action(name),
                )?,
            },
        );
    }
    Ok(actions)
}

fn reconcile_objects(
    zh: &RawApi,
    en: &RawApi,
    sdk: Option<&IntlSdk>,
) -> Result<BTreeMap<String, RefObject>, String> {
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
            let at = format!("{name}.{mname}");
            let sites = sites(&at, zm.is_some(), em.is_some(), sdk, |s| {
                s.has_member(name, mname)
            })?;
            members.push(reconcile_member(&at, zm, em, sites)?);
        }
        let sites = sites(name, z.is_some(), e.is_some(), sdk, |s| s.has_object(name))?;
        objects.insert(
            name.clone(),
            RefObject {
                docs: Text {
                    en: e.and_then(|o| nonempty(&o.docs)),
                    zh: z.and_then(|o| nonempty(&o.docs)),
                },
                members,
                sites,
            },
        );
    }
    Ok(objects)
}

/// One member from its mainland (`zm`) and international (`em`) descriptions, at least one.
fn reconcile_member(
    at: &str,
    zm: Option<&RawMember>,
    em: Option<&RawMember>,
    sites: Sites,
) -> Result<RefMember, String> {
    let primary = zm.or(em).expect("the member comes from one of the lists");
    if let (Some(a), Some(b)) = (zm, em) {
        if a.ty != b.ty {
            return Err(format!(
                "{at}: the descriptions disagree on the type ({:?} vs {:?})",
                a.ty, b.ty
            ));
        }
    }
    // The newer mainland description says `output_required` where the older international one
    // says `required` for output members.
    let out_req = |m: &RawMember| m.output_required.or(m.required);
    Ok(RefMember {
        name: primary.name.clone(),
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
        sites,
    })
}

/// Each action's examples: the international ones first (English titles), then mainland ones
/// not already present (compared by their parsed input and output).
fn merge_examples(
    actions: &BTreeMap<String, RefAction>,
    ex_zh: &BTreeMap<String, Vec<RawExample>>,
    ex_en: &BTreeMap<String, Vec<RawExample>>,
) -> BTreeMap<String, Vec<RefExample>> {
    let mut examples: BTreeMap<String, Vec<RefExample>> = BTreeMap::new();
    for name in actions.keys() {
        let mut list: Vec<RefExample> = Vec::new();
        for (lang, src) in [("en", ex_en), ("zh", ex_zh)] {
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
    examples
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
        let sdk = IntlSdk::load(dir)?;
        let actions = reconcile_actions(&zh, &en, sdk.as_ref())?;
        let objects = reconcile_objects(&zh, &en, sdk.as_ref())?;
        let ex_zh = read_examples(dir, EXAMPLES_ZH)?;
        let ex_en = read_examples(dir, EXAMPLES_EN)?;
        let examples = merge_examples(&actions, &ex_zh, &ex_en);
        Ok(Reference {
            version: zh.version,
            actions,
            objects,
            examples,
            action_errors: read_action_errors(dir)?,
            codes: read_codes(dir)?,
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
