//! `cargo xtask spec import <reference dir>`: brings `spec/` in line with the upstream reference.
//!
//! Facts (members, types, required and nullable flags, error lists, codes) come from the
//! reference. Everything written by hand is kept: docs, documented values and the enums named
//! for them, examples, rate limits, retry safety, region rules, constraints, `maxDurationSecs`,
//! `eventLimits`, `timeRange`, `pagination`, `waiters`, and `service.json` (with `maxBodyBytes`
//! and `timeZone`), which the importer only reads. New items get the reference's text (English
//! where upstream has it, else Chinese, which the spec loader rejects until someone translates
//! it), so a sync with upstream shows up as a reviewable diff plus a list of texts to write.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::{Map, Value};

use crate::json::J;
use crate::reference::{
    RefExample, RefMember, Reference, Sites, Usage, expected_member, is_named, parse_json_tail,
};

/// What an import changed.
#[derive(Debug, Default)]
pub struct Report {
    pub written: Vec<String>,
    pub removed: Vec<String>,
    /// Problems in converted examples that need a hand fix.
    pub warnings: Vec<String>,
    /// When the import changes something: the compatibility report (`spec diff`) from the spec
    /// before the import to the spec as the import leaves it, or why there is none.
    pub diff: Option<String>,
}

fn read_existing(dir: &Path) -> Result<BTreeMap<String, Value>, String> {
    let mut out = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(out);
    };
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.extension().is_some_and(|e| e == "json") {
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_owned();
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let v =
                serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
            out.insert(stem, v);
        }
    }
    Ok(out)
}

fn get<'v>(v: Option<&'v Value>, key: &str) -> Option<&'v Value> {
    v.and_then(|v| v.get(key))
}

fn get_str(v: Option<&Value>, key: &str) -> Option<String> {
    get(v, key).and_then(Value::as_str).map(str::to_owned)
}

/// The existing member called `name` in `list`.
fn find_member<'v>(list: Option<&'v Value>, name: &str) -> Option<&'v Value> {
    list?
        .as_array()?
        .iter()
        .find(|m| m.get("name").and_then(Value::as_str) == Some(name))
}

/// Default rate limits (requests per second) where the action pages document one other than
/// the service-wide 20.
fn default_rate_limit(action: &str) -> u64 {
    match action {
        "Invoke" => 100,
        "InvokeFunction" => 10000,
        "GetFunctionLogs" => 5,
        _ => 20,
    }
}

/// Reads may be re-sent; anything that changes state may not.
fn default_retry_safe(action: &str) -> bool {
    action.starts_with("Get") || action.starts_with("List")
}

/// Actions documented as taking no region.
fn default_region_required(action: &str) -> bool {
    !matches!(
        action,
        "InvokeFunction" | "GetAsyncEventStatus" | "ListAsyncEvents"
    )
}

fn default_retry(code: &str) -> Option<&'static str> {
    if code == "RequestLimitExceeded" || code.starts_with("RequestLimitExceeded.") {
        Some("always")
    } else if code == "InternalError" || code.starts_with("InternalError.") {
        Some("safeActionsOnly")
    } else {
        None
    }
}

/// Parses text (a query-string value or an upstream member example) as a scalar of spec type
/// `ty`; `None` when it is not one.
fn parse_scalar(ty: &str, s: &str) -> Option<Value> {
    match ty {
        "string" | "datetime" => Some(Value::String(s.to_owned())),
        "integer" => s.parse::<i64>().ok().map(Value::from),
        "unsigned" => s.parse::<u64>().ok().map(Value::from),
        "float" => s
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number),
        "boolean" => match s.to_ascii_lowercase().as_str() {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        _ => None,
    }
}

/// Converts a reference member example to a typed JSON value, or drops it.
fn member_example(m: &RefMember) -> Option<Value> {
    let raw = m.example.as_deref()?.trim();
    if raw.is_empty() || raw == "无" || raw.eq_ignore_ascii_case("null") || has_cjk(raw) {
        return None;
    }
    if is_named(&m.ty.spec) {
        return None;
    }
    if m.ty.list {
        let parsed: Value = serde_json::from_str(raw).ok()?;
        let fits = parsed.as_array()?.iter().all(|v| fits(&m.ty.spec, v));
        return fits.then_some(parsed);
    }
    match m.ty.spec.as_str() {
        // String examples stay as written (quotes included when upstream quotes the value).
        "string" | "datetime" => Some(Value::String(raw.to_owned())),
        ty => parse_scalar(ty, raw.trim_matches('"').trim()),
    }
}

fn fits(ty: &str, v: &Value) -> bool {
    match ty {
        "string" | "datetime" => v.is_string(),
        "integer" => v.is_i64(),
        "unsigned" => v.is_u64(),
        "float" => v.is_number(),
        "boolean" => v.is_boolean(),
        _ => v.is_object(),
    }
}

/// Whether `s` contains CJK characters (untranslated text).
pub fn has_cjk(s: &str) -> bool {
    s.chars().any(codegen::load::is_cjk)
}

/// `v` with the object keys `order` lists first, in that order, then any others (which the
/// loader will reject) sorted; anything but an object as it is.
fn ordered(v: &Value, order: &[&str]) -> J {
    let Some(map) = v.as_object() else {
        return J::from_value(v);
    };
    let mut o = J::obj();
    for key in order {
        if let Some(x) = map.get(*key) {
            o.put(key, J::from_value(x));
        }
    }
    for (key, x) in map {
        if !order.contains(&key.as_str()) {
            o.put(key, J::from_value(x));
        }
    }
    o
}

/// A spec member: the reference's facts plus the hand-written parts of `old`.
fn member(m: &RefMember, usage: Usage, old: Option<&Value>, parent_sites: Sites) -> J {
    let f = expected_member(m, usage);
    let mut o = J::obj();
    o.put("name", J::str(&f.name));
    o.put("type", J::str(&f.ty));
    o.put_flag("list", f.list);
    o.put_flag("required", f.required);
    o.put_flag("nullable", f.nullable);
    o.put_flag(
        "sensitive",
        get(old, "sensitive").and_then(Value::as_bool) == Some(true),
    );
    o.put_opt("debug", get(old, "debug").map(J::from_value));
    o.put_flag("deprecated", f.deprecated);
    // Record members only one site documents (when the parent itself is on both).
    if parent_sites.both() && !m.sites.both() {
        o.put("site", J::str(m.sites.label()));
    }
    o.put(
        "docs",
        J::str(get_str(old, "docs").unwrap_or_else(|| m.docs.best())),
    );
    o.put_opt("enum", get(old, "enum").map(J::from_value));
    if let Some(values) = get(old, "values").and_then(Value::as_array) {
        let values = values
            .iter()
            .map(|v| {
                let mut e = J::obj();
                e.put_opt("value", v.get("value").map(J::from_value));
                e.put_opt("docs", v.get("docs").map(J::from_value));
                e
            })
            .collect();
        o.put("values", J::Arr(values));
    }
    let example = get(old, "example").cloned().or_else(|| member_example(m));
    o.put_opt("example", example.as_ref().map(J::from_value));
    o
}

/// Context for ordering and typing example values: member lists by object.
struct Shapes<'r> {
    reference: &'r Reference,
}

impl Shapes<'_> {
    fn members(&self, object: &str) -> &[RefMember] {
        self.reference
            .objects
            .get(object)
            .map_or(&[], |o| o.members.as_slice())
    }

    /// One spec example: keys ordered like the members of the request and response objects
    /// (`objects`), `RequestId` last as the service sends it.
    #[allow(clippy::too_many_arguments)]
    fn example(
        &self,
        title: J,
        docs: J,
        input: &Value,
        output: &Value,
        objects: (&str, &str),
        coerce: bool,
        at: &str,
        warn: &mut Vec<String>,
    ) -> J {
        let mut o = J::obj();
        o.put("title", title);
        o.put("docs", docs);
        let input = self.shape(input, objects.0, coerce, &format!("{at}.input"), warn);
        o.put("input", input);
        let mut out = self.shape(output, objects.1, false, &format!("{at}.output"), warn);
        if let J::Obj(entries) = &mut out {
            if let Some(pos) = entries.iter().position(|(k, _)| k == "RequestId") {
                let rid = entries.remove(pos);
                entries.push(rid);
            }
        }
        o.put("output", out);
        o
    }

    /// Orders keys like the members (unknown keys last, as they come) and coerces strings from
    /// query-string examples to the member types.
    fn shape(
        &self,
        v: &Value,
        object: &str,
        coerce: bool,
        path: &str,
        warn: &mut Vec<String>,
    ) -> J {
        let Some(map) = v.as_object() else {
            warn.push(format!("{path}: expected an object"));
            return J::from_value(v);
        };
        let members = self.members(object);
        let mut out = J::obj();
        for m in members {
            if let Some(x) = map.get(&m.name) {
                out.put(
                    &m.name,
                    self.value(x, m, coerce, &format!("{path}.{}", m.name), warn),
                );
            }
        }
        for (k, x) in map {
            if !members.iter().any(|m| &m.name == k) {
                if k != "RequestId" {
                    warn.push(format!("{path}.{k}: not a member of {object}"));
                }
                out.put(k, J::from_value(x));
            }
        }
        out
    }

    fn value(
        &self,
        v: &Value,
        m: &RefMember,
        coerce: bool,
        path: &str,
        warn: &mut Vec<String>,
    ) -> J {
        if v.is_null() {
            return J::Null;
        }
        if m.ty.list {
            let Some(items) = v.as_array() else {
                warn.push(format!("{path}: expected a list"));
                return J::from_value(v);
            };
            return J::Arr(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| self.item(x, m, coerce, &format!("{path}[{i}]"), warn))
                    .collect(),
            );
        }
        self.item(v, m, coerce, path, warn)
    }

    fn item(
        &self,
        v: &Value,
        m: &RefMember,
        coerce: bool,
        path: &str,
        warn: &mut Vec<String>,
    ) -> J {
        let ty = m.ty.spec.as_str();
        if is_named(ty) {
            return self.shape(v, ty, coerce, path, warn);
        }
        let coerced = match (coerce, v) {
            (true, Value::String(text)) if !matches!(ty, "string" | "datetime") => {
                parse_scalar(ty, text)
            }
            _ => None,
        };
        let v = coerced.unwrap_or_else(|| v.clone());
        if !fits(ty, &v) {
            warn.push(format!("{path}: expected {ty}, found {v}"));
        }
        J::from_value(&v)
    }
}

/// Decodes `%XX` escapes and `+` in a query-string component.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Inserts `value` at a dotted query-string path such as `Filters.0.Values.1`.
fn insert_path(target: &mut Value, path: &[&str], value: Value) -> Result<(), String> {
    let Some((head, rest)) = path.split_first() else {
        *target = value;
        return Ok(());
    };
    if let Ok(index) = head.parse::<usize>() {
        if target.is_null() {
            *target = Value::Array(Vec::new());
        }
        let arr = target
            .as_array_mut()
            .ok_or_else(|| format!("`{head}` indexes a non-list"))?;
        while arr.len() <= index {
            arr.push(Value::Null);
        }
        insert_path(&mut arr[index], rest, value)
    } else {
        if target.is_null() {
            *target = Value::Object(Map::new());
        }
        let obj = target
            .as_object_mut()
            .ok_or_else(|| format!("`{head}` names a field of a non-object"))?;
        let slot = obj.entry((*head).to_owned()).or_insert(Value::Null);
        insert_path(slot, rest, value)
    }
}

/// The request body of a reference example: a POST's JSON body or a GET's query parameters.
/// Returns the body and whether its scalars are untyped strings (query form).
pub fn example_input(raw: &str) -> Result<(Value, bool), String> {
    let trimmed = raw.trim_start();
    if trimmed.starts_with("POST") {
        return match trimmed.split_once("\n\n").map(|(_, body)| body.trim()) {
            Some(body) if !body.is_empty() => {
                serde_json::from_str(body).map(|v| (v, false)).or_else(|e| {
                    parse_json_tail(raw)
                        .map(|v| (v, false))
                        .ok_or(e.to_string())
                })
            }
            _ => Ok((Value::Object(Map::new()), false)),
        };
    }
    let joined: String = raw.lines().map(str::trim).collect();
    let query = joined
        .split_once('?')
        .map(|(_, q)| q)
        .ok_or("neither a POST body nor a URL with a query string")?;
    let mut body = Value::Object(Map::new());
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        if pair.starts_with('<') {
            continue; // the "<common request parameters>" placeholder
        }
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let k = percent_decode(k);
        if matches!(k.as_str(), "Action" | "Version" | "Region") {
            continue;
        }
        let segments: Vec<&str> = k.split('.').collect();
        insert_path(&mut body, &segments, Value::String(percent_decode(v)))
            .map_err(|e| format!("parameter `{k}`: {e}"))?;
    }
    Ok((body, true))
}

fn convert_example(
    shapes: &Shapes<'_>,
    action: &str,
    input_obj: &str,
    output_obj: &str,
    ex: &RefExample,
    index: usize,
    warn: &mut Vec<String>,
) -> Option<J> {
    let at = format!("{action} example {index}");
    let (input, coerce) = match example_input(&ex.input) {
        Ok(x) => x,
        Err(e) => {
            warn.push(format!("{at}: input: {e}; example skipped"));
            return None;
        }
    };
    let output: Value = match serde_json::from_str::<Value>(&ex.output) {
        Ok(v) => match v.get("Response") {
            Some(r) => r.clone(),
            None => {
                warn.push(format!("{at}: output has no `Response`; example skipped"));
                return None;
            }
        },
        Err(e) => {
            warn.push(format!("{at}: output is not JSON ({e}); example skipped"));
            return None;
        }
    };
    let title = ex.title.best();
    let docs = ex.docs.best();
    let docs = if docs.is_empty() { title.clone() } else { docs };
    let names = (input_obj, output_obj);
    Some(shapes.example(
        J::str(title),
        J::str(docs),
        &input,
        &output,
        names,
        coerce,
        &at,
        warn,
    ))
}

/// Runs the import into `spec_dir`; with `dry_run`, only reports what it would change.
pub fn import(spec_dir: &Path, r: &Reference, dry_run: bool) -> Result<Report, String> {
    let mut report = Report::default();
    let before = crate::diff::source::spec_files(spec_dir);
    let old_actions = read_existing(&spec_dir.join("actions"))?;
    let old_types = read_existing(&spec_dir.join("types"))?;
    let service_path = spec_dir.join("service.json");
    let service: Value = serde_json::from_slice(
        &std::fs::read(&service_path).map_err(|e| format!("{}: {e}", service_path.display()))?,
    )
    .map_err(|e| format!("{}: {e}", service_path.display()))?;
    let old_errors: Value = std::fs::read(spec_dir.join("errors.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(Value::Object(Map::new()));
    let usage = r.type_usage()?;
    let shapes = Shapes { reference: r };
    let mut files: BTreeMap<String, String> = BTreeMap::new();

    for (name, a) in &r.actions {
        let old = old_actions.get(name);
        let req = r.object(&a.input)?;
        let resp = r.object(&a.output)?;
        let mut o = J::obj();
        o.put("name", J::str(name));
        o.put(
            "summary",
            J::str(get_str(old, "summary").unwrap_or_else(|| a.summary.best())),
        );
        o.put(
            "docs",
            J::str(get_str(old, "docs").unwrap_or_else(|| a.docs.best())),
        );
        if !a.sites.both() {
            o.put("site", J::str(a.sites.label()));
        }
        o.put(
            "rateLimit",
            J::from_value(
                &get(old, "rateLimit")
                    .cloned()
                    .unwrap_or_else(|| Value::from(default_rate_limit(name))),
            ),
        );
        o.put_opt(
            "maxDurationSecs",
            get(old, "maxDurationSecs").map(J::from_value),
        );
        o.put(
            "retrySafe",
            J::Bool(
                get(old, "retrySafe")
                    .and_then(Value::as_bool)
                    .unwrap_or_else(|| default_retry_safe(name)),
            ),
        );
        let region = get(old, "region")
            .cloned()
            .unwrap_or_else(|| serde_json::json!({ "required": default_region_required(name) }));
        let mut rj = J::obj();
        rj.put(
            "required",
            J::Bool(region.get("required").and_then(Value::as_bool) == Some(true)),
        );
        rj.put_opt("supported", region.get("supported").map(J::from_value));
        o.put("region", rj);
        let old_in = get(old, "input");
        o.put(
            "input",
            J::Arr(
                req.members
                    .iter()
                    .map(|m| member(m, Usage::IN, find_member(old_in, &m.name), a.sites))
                    .collect(),
            ),
        );
        let old_out = get(old, "output");
        o.put(
            "output",
            J::Arr(
                resp.members
                    .iter()
                    .filter(|m| m.name != "RequestId")
                    .map(|m| member(m, Usage::OUT, find_member(old_out, &m.name), a.sites))
                    .collect(),
            ),
        );
        if let Some(c) = get(old, "constraints") {
            o.put("constraints", J::from_value(c));
        }
        // Event limits, time ranges, paging and waiters are hand-written facts: kept, their keys
        // in the canonical order.
        if let Some(e) = get(old, "eventLimits") {
            o.put("eventLimits", ordered(e, codegen::load::keys::EVENT_LIMITS));
        }
        if let Some(t) = get(old, "timeRange") {
            o.put("timeRange", ordered(t, codegen::load::keys::TIME_RANGE));
        }
        if let Some(p) = get(old, "pagination") {
            o.put("pagination", ordered(p, codegen::load::keys::PAGINATION));
        }
        if let Some(Value::Array(waiters)) = get(old, "waiters") {
            o.put(
                "waiters",
                J::Arr(
                    waiters
                        .iter()
                        .map(|w| ordered(w, codegen::load::keys::WAITER))
                        .collect(),
                ),
            );
        }
        let errors: Vec<J> = r
            .action_errors
            .get(name)
            .into_iter()
            .flatten()
            .map(J::str)
            .collect();
        o.put("errors", J::Arr(errors));
        let examples = match get(old, "examples").and_then(Value::as_array) {
            Some(list) if !list.is_empty() => {
                // Keep hand-kept examples, re-ordered like the members.
                let mut ignored = Vec::new();
                list.iter()
                    .map(|e| {
                        let part = |k: &str| e.get(k).unwrap_or(&Value::Null);
                        shapes.example(
                            J::from_value(part("title")),
                            J::from_value(part("docs")),
                            part("input"),
                            part("output"),
                            (&a.input, &a.output),
                            false,
                            name,
                            &mut ignored,
                        )
                    })
                    .collect()
            }
            _ => r
                .examples
                .get(name)
                .into_iter()
                .flatten()
                .enumerate()
                .filter_map(|(i, ex)| {
                    convert_example(
                        &shapes,
                        name,
                        &a.input,
                        &a.output,
                        ex,
                        i,
                        &mut report.warnings,
                    )
                })
                .collect(),
        };
        o.put("examples", J::Arr(examples));
        files.insert(format!("actions/{name}.json"), o.pretty());
    }

    for (name, u) in &usage {
        let t = r.object(name)?;
        let old = old_types.get(name);
        let mut o = J::obj();
        o.put("name", J::str(name));
        o.put(
            "docs",
            J::str(get_str(old, "docs").unwrap_or_else(|| t.docs.best())),
        );
        let old_members = get(old, "members");
        o.put(
            "members",
            J::Arr(
                t.members
                    .iter()
                    .map(|m| member(m, *u, find_member(old_members, &m.name), t.sites))
                    .collect(),
            ),
        );
        files.insert(format!("types/{name}.json"), o.pretty());
    }

    // errors.json: every reference code plus the common ones.
    let mut codes: BTreeSet<String> = r.codes.keys().cloned().collect();
    for c in service
        .get("commonErrors")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        codes.insert(c.to_owned());
    }
    let mut errors = J::obj();
    for code in &codes {
        let old = old_errors.get(code);
        let docs = get_str(old, "docs")
            .or_else(|| r.codes.get(code).map(|t| t.best()))
            .unwrap_or_default();
        let mut e = J::obj();
        e.put("docs", J::str(docs));
        let retry = match old {
            Some(o) => o.get("retry").and_then(Value::as_str).map(str::to_owned),
            None => default_retry(code).map(str::to_owned),
        };
        e.put_opt("retry", retry.map(J::Str));
        errors.put(code, e);
    }
    files.insert("errors.json".to_owned(), errors.pretty());

    // Write what changed; remove actions and types upstream no longer has.
    for (rel, text) in &files {
        let path = spec_dir.join(rel);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            report.written.push(rel.clone());
            if dry_run {
                continue;
            }
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("{}: {e}", parent.display()))?;
            }
            std::fs::write(&path, text).map_err(|e| format!("{rel}: {e}"))?;
        }
    }
    for (dir, old) in [("actions", &old_actions), ("types", &old_types)] {
        for stem in old.keys() {
            let rel = format!("{dir}/{stem}.json");
            if !files.contains_key(&rel) {
                report.removed.push(rel.clone());
                if dry_run {
                    continue;
                }
                std::fs::remove_file(spec_dir.join(&rel)).map_err(|e| format!("{rel}: {e}"))?;
            }
        }
    }
    if !(report.written.is_empty() && report.removed.is_empty()) {
        // The spec as the import leaves it, whether written (dry run or not).
        let mut after = before.clone();
        after.extend(
            files
                .into_iter()
                .map(|(rel, text)| (rel, text.into_bytes())),
        );
        for rel in &report.removed {
            after.remove(rel);
        }
        report.diff = Some(crate::diff::import_report(spec_dir, &before, &after));
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_string_examples_become_nested_json() {
        let raw = "https://scf.tencentcloudapi.com/?Action=ListFunctions\n&Filters.0.Name=tag-status\n&Filters.0.Values.0=dev%20x\n&Filters.0.Values.1=a+b\n&Limit=2\n&FunctionName=<FunctionName>\n&<Common request parameters>";
        let (v, typed) = example_input(raw).unwrap();
        assert!(typed);
        assert_eq!(
            v,
            serde_json::json!({"Filters": [{"Name": "tag-status", "Values": ["dev x", "a b"]}], "Limit": "2", "FunctionName": "<FunctionName>"})
        );
    }

    #[test]
    fn post_examples_keep_their_json_body() {
        let raw = "POST / HTTP/1.1\nHost: scf.tencentcloudapi.com\nX-TC-Action: CreateFunction\n<common>\n\n{\n  \"Code\": {\"CosBucketName\": \"b\"},\n  \"Timeout\": 3\n}";
        let (v, typed) = example_input(raw).unwrap();
        assert!(!typed);
        assert_eq!(
            v,
            serde_json::json!({"Code": {"CosBucketName": "b"}, "Timeout": 3})
        );
    }

    #[test]
    fn bad_query_paths_are_errors() {
        let raw = "https://x/?A=1&A.0=2";
        assert!(example_input(raw).is_err());
    }

    #[test]
    fn detects_untranslated_text() {
        assert!(has_cjk("函数名称"));
        assert!(!has_cjk("Function name — “quoted” é"));
    }
}

#[cfg(test)]
mod round_trip {
    //! Import from a tiny synthetic reference into a temporary spec directory, then: the spec
    //! loads once texts are English, `spec check` agrees, hand-written texts survive a second
    //! import, and a second import changes nothing else.

    use std::path::{Path, PathBuf};

    use serde_json::json;

    use crate::reference::Reference;
    use crate::test_files::{temp_dir, write};

    fn member(name: &str, ty: &str, member: &str, extra: serde_json::Value) -> serde_json::Value {
        let mut m = json!({"name": name, "type": ty, "member": member, "document": format!("{name} doc"), "disabled": false, "example": ""});
        for (k, v) in extra.as_object().unwrap() {
            m[k] = v.clone();
        }
        m
    }

    fn reference(dir: &Path) {
        let objects = |with_extra: bool| {
            let mut req = vec![
                member(
                    "Name",
                    "string",
                    "string",
                    json!({"required": true, "example": "demo"}),
                ),
                member(
                    "Limit",
                    "int",
                    "int64",
                    json!({"required": false, "example": "20"}),
                ),
                member("Tags", "list", "Tag", json!({"required": false})),
            ];
            if with_extra {
                req.push(member(
                    "Extra",
                    "string",
                    "string",
                    json!({"required": false}),
                ));
            }
            for name in ["From", "To"] {
                req.push(member(
                    name,
                    "string",
                    "datetime",
                    json!({"required": false}),
                ));
            }
            json!({
                "GetThingRequest": {"document": "req", "members": req, "type": "object"},
                "GetThingResponse": {"document": "resp", "type": "object", "members": [
                    member("Size", "int", "uint64", json!({"output_required": true, "value_allowed_null": false})),
                    member("Tags", "list", "Tag", json!({"output_required": true, "value_allowed_null": true})),
                    {"name": "RequestId", "type": "string", "member": "string", "document": "id"}
                ]},
                "Tag": {"document": "A tag.", "usage": "both", "members": [
                    member("Key", "string", "string", json!({"required": true, "output_required": true})),
                    member("Value", "string", "string", json!({"required": false, "output_required": true}))
                ]}
            })
        };
        let api = |objects: serde_json::Value| {
            json!({"version": "1.0", "metadata": {"apiVersion": "2018-04-16"},
                   "actions": {"GetThing": {"name": "Gets a thing", "document": "Gets it.", "input": "GetThingRequest", "output": "GetThingResponse", "status": "online"}},
                   "objects": objects})
        };
        write(dir, "tccli-scf-api.zh.json", &api(objects(true)));
        write(dir, "tccli-scf-api.en.json", &api(objects(false)));
        let examples = json!({"actions": {"GetThing": [{
            "title": "Get", "document": "",
            "input": "https://scf.tencentcloudapi.com/?Action=GetThing\n&Name=<Name>\n&Limit=5\n&Tags.0.Key=k\n&<Common request parameters>",
            "output": "{\"Response\": {\"Size\": 3, \"Tags\": null, \"RequestId\": \"r\"}}"
        }]}});
        write(dir, "tccli-scf-examples.zh.json", &examples);
        write(dir, "tccli-scf-examples.en.json", &examples);
        write(
            dir,
            "scf-action-errors.json",
            &json!({"actions": {"GetThing": ["ResourceNotFound.Thing"]}}),
        );
        write(
            dir,
            "scf-error-codes.json",
            &json!({"codes": {"ResourceNotFound.Thing": {"en": "No thing.", "zh": "无"}}}),
        );
    }

    #[test]
    fn import_check_and_reimport() {
        let refdir = temp_dir("ref");
        let spec = temp_dir("spec");
        reference(&refdir);
        write(
            &spec,
            "service.json",
            &json!({"service": "scf", "title": "T", "version": "2018-04-16", "docs": "D.",
                    "endpoints": {"nearest": "a", "regional": "b.{region}", "intl": "c"},
                    "maxBodyBytes": 10, "commonErrors": ["InternalError"]}),
        );
        write(
            &spec,
            "errors.json",
            &json!({"InternalError": {"docs": "Internal.", "retry": "safeActionsOnly"}}),
        );
        let r = Reference::load(&refdir).unwrap();
        let report = super::import(&spec, &r, false).unwrap();
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
        assert_eq!(report.written.len(), 3, "{:?}", report.written);

        let action: serde_json::Value =
            serde_json::from_slice(&std::fs::read(spec.join("actions/GetThing.json")).unwrap())
                .unwrap();
        // The query-string example became typed, nested JSON in member order.
        assert_eq!(
            action["examples"][0]["input"],
            json!({"Name": "<Name>", "Limit": 5, "Tags": [{"Key": "k"}]})
        );
        // The member only the mainland documents is marked; outputs carry nullability.
        assert_eq!(action["input"][3]["site"], json!("mainland"));
        assert_eq!(action["output"][1]["nullable"], json!(true));
        assert_eq!(action["input"][1]["example"], json!(20));
        // `Tag` is used on both sides: `Value` is optional as an input, so not required.
        let tag: serde_json::Value =
            serde_json::from_slice(&std::fs::read(spec.join("types/Tag.json")).unwrap()).unwrap();
        assert_eq!(tag["members"][0]["required"], json!(true));
        assert_eq!(tag["members"][1].get("required"), None);

        let loaded = codegen::load(&spec).unwrap();
        let summary = crate::check::check(&loaded, &r).unwrap();
        assert_eq!((summary.actions, summary.types, summary.codes), (1, 1, 2));

        // Hand edits (the `sensitive` and `debug` keys, texts, documented values and their enum,
        // written where the importer puts them) survive; a second import changes nothing.
        let path = spec.join("actions/GetThing.json");
        let text = std::fs::read_to_string(&path).unwrap();
        let values = "\"sensitive\": true,\n      \"docs\": \"Name of the thing.\",\n      \"enum\": \"ThingName\",\n      \"values\": [\n        {\n          \"value\": \"demo\",\n          \"docs\": \"The demo thing.\"\n        }\n      ],";
        let payload = "\"debug\": \"length\",\n      \"site\": \"mainland\",";
        let text = text
            .replace("\"docs\": \"Name doc\",", values)
            .replace("\"site\": \"mainland\",", payload);
        std::fs::write(&path, text).unwrap();
        let again = super::import(&spec, &r, false).unwrap();
        assert!(again.written.is_empty(), "{:?}", again.written);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(values) && text.contains(payload), "{text}");
        let loaded = codegen::load(&spec).unwrap();
        assert_eq!(
            loaded.actions[0].input[0].enum_name.as_deref(),
            Some("ThingName")
        );
        assert!(loaded.actions[0].input[0].sensitive);
        assert_eq!(loaded.actions[0].input[3].name, "Extra");
        assert_eq!(
            loaded.actions[0].input[3].debug,
            codegen::model::DebugAs::Length
        );

        // A fact changed by hand is caught by the check.
        std::fs::write(
            &path,
            std::fs::read_to_string(&path)
                .unwrap()
                .replacen("\"required\": true,", "", 1),
        )
        .unwrap();
        let problems = crate::check::check(&codegen::load(&spec).unwrap(), &r).unwrap_err();
        assert!(
            problems
                .iter()
                .any(|p| p.contains("Name: required is false")),
            "{problems:?}"
        );

        // Waiters (and paging) are hand-written facts: kept, their keys put in canonical order.
        let mut action: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        action["waiters"] = json!([{"defaultTimeoutSecs": 5, "maxDelayMs": 20, "minDelayMs": 10,
            "success": ["k"], "state": "Tags[].Key", "docs": "First tag.", "name": "FirstTag"}]);
        write(&spec, "actions/GetThing.json", &action);
        let report = super::import(&spec, &r, false).unwrap();
        assert_eq!(report.written, ["actions/GetThing.json"]);
        let text = std::fs::read_to_string(&path).unwrap();
        let keys: Vec<&str> = [
            "\"name\": \"FirstTag\"",
            "\"docs\"",
            "\"state\"",
            "\"success\"",
            "\"minDelayMs\"",
            "\"maxDelayMs\"",
            "\"defaultTimeoutSecs\"",
        ]
        .into_iter()
        .collect();
        let (start, end) = (
            text.find("\"waiters\"").unwrap(),
            text.find("\"errors\"").unwrap(),
        );
        let waiters = &text[start..end];
        let positions: Vec<usize> = keys.iter().map(|k| waiters.find(k).unwrap()).collect();
        assert!(positions.is_sorted(), "{waiters}");
        let loaded = codegen::load(&spec).unwrap();
        assert_eq!(loaded.actions[0].waiters[0].state_path, "Tags[].Key");
        assert!(super::import(&spec, &r, false).unwrap().written.is_empty());

        let _ = std::fs::remove_dir_all(&refdir);
        let _ = std::fs::remove_dir_all(&spec);
    }

    /// A fresh import of the synthetic reference into `spec`, with English texts.
    fn imported(tag: &str) -> (PathBuf, PathBuf, Reference) {
        let refdir = temp_dir(&format!("{tag}-ref"));
        let spec = temp_dir(&format!("{tag}-spec"));
        reference(&refdir);
        write(
            &spec,
            "service.json",
            &json!({"service": "scf", "title": "T", "version": "2018-04-16", "docs": "D.",
                    "endpoints": {"nearest": "a", "regional": "b.{region}", "intl": "c"},
                    "maxBodyBytes": 10, "timeZone": "+08:00", "commonErrors": ["InternalError"]}),
        );
        write(
            &spec,
            "errors.json",
            &json!({"InternalError": {"docs": "Internal.", "retry": "safeActionsOnly"}}),
        );
        let r = Reference::load(&refdir).unwrap();
        super::import(&spec, &r, false).unwrap();
        (refdir, spec, r)
    }

    #[test]
    fn limits_survive_import_in_canonical_order() {
        let (refdir, spec, r) = imported("limits");
        let path = spec.join("actions/GetThing.json");
        let mut action: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        // Keys written out of order, by hand.
        action["eventLimits"] = json!({"maxAsyncBytes": 4, "maxSyncBytes": 8, "member": "Name"});
        action["timeRange"] = json!({"maxSecs": 60, "end": "To", "start": "From"});
        write(&spec, "actions/GetThing.json", &action);
        let report = super::import(&spec, &r, false).unwrap();
        assert_eq!(report.written, ["actions/GetThing.json"]);
        let text = std::fs::read_to_string(&path).unwrap();
        for keys in [
            [
                "\"eventLimits\"",
                "\"member\"",
                "\"maxSyncBytes\"",
                "\"maxAsyncBytes\"",
            ],
            ["\"timeRange\"", "\"start\"", "\"end\"", "\"maxSecs\""],
        ] {
            let from = text.find(keys[0]).unwrap();
            let positions: Vec<usize> =
                keys.iter().map(|k| text[from..].find(k).unwrap()).collect();
            assert!(positions.is_sorted(), "{text}");
        }
        // The importer only reads service.json: the time zone stays.
        let service = std::fs::read_to_string(spec.join("service.json")).unwrap();
        assert!(service.contains("\"timeZone\": \"+08:00\""), "{service}");

        let loaded = codegen::load(&spec).unwrap_or_else(|e| panic!("{e}"));
        let a = &loaded.actions[0];
        assert_eq!(
            a.event_limits,
            Some(codegen::model::EventLimits {
                member: "Name".into(),
                max_sync_bytes: 8,
                max_async_bytes: Some(4),
            })
        );
        assert_eq!(
            a.time_range,
            Some(codegen::model::TimeRange {
                start: "From".into(),
                end: "To".into(),
                max_secs: 60,
            })
        );
        assert_eq!(
            loaded.service.time_zone.as_ref().map(|z| z.offset_secs),
            Some(8 * 3600)
        );
        crate::check::check(&loaded, &r).unwrap();
        // A second import changes nothing.
        assert!(super::import(&spec, &r, false).unwrap().written.is_empty());

        let _ = std::fs::remove_dir_all(&refdir);
        let _ = std::fs::remove_dir_all(&spec);
    }

    #[test]
    fn an_import_that_changes_the_spec_reports_the_diff() {
        let (refdir, spec, r) = imported("diff");
        let path = spec.join("actions/GetThing.json");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replacen("\"required\": true,", "", 1)).unwrap();
        let edited = std::fs::read_to_string(&path).unwrap();
        for dry_run in [true, false] {
            let report = super::import(&spec, &r, dry_run).unwrap();
            assert_eq!(report.written, ["actions/GetThing.json"]);
            let diff = report.diff.unwrap();
            assert!(
                diff.starts_with("spec diff: before the import -> after the import\n"),
                "{diff}"
            );
        }
        assert_ne!(std::fs::read_to_string(&path).unwrap(), edited);
        // Nothing to import, nothing to report.
        assert_eq!(super::import(&spec, &r, true).unwrap().diff, None);

        let _ = std::fs::remove_dir_all(&refdir);
        let _ = std::fs::remove_dir_all(&spec);
    }

    #[test]
    fn ordered_puts_known_keys_first() {
        let v = json!({"total": "T", "zeta": 1, "offset": "O", "alpha": 2, "limit": "L"});
        let o = super::ordered(&v, codegen::load::keys::PAGINATION);
        let crate::json::J::Obj(entries) = o else {
            panic!("{o:?}")
        };
        let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["offset", "limit", "total", "alpha", "zeta"]);
        assert_eq!(
            super::ordered(&json!(3), &[]),
            crate::json::J::from_value(&json!(3))
        );
    }
}
