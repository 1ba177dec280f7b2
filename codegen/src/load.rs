//! Loading and validating the spec directory.
//!
//! Every problem is collected, not just the first: a spec author sees one line per problem with
//! the file, the JSON path inside it and what is wrong.
//!
//! # What generated `Debug` may show
//!
//! The sensitive-member rule: a member is marked `"sensitive": true` when its value is a secret
//! or grants access by itself: passwords, secret keys, tokens, encrypted credentials
//! (`Code.GitPasswordSecret`), pre-signed download URLs, and values that commonly hold secrets
//! such as environment variable values (`Variable.Value`). Names, IDs, user names and map keys
//! are not sensitive. Generated `Debug` prints `<redacted>` for a sensitive member, in shared
//! types, requests, responses and builders alike; `spec import` keeps the flag.
//!
//! A long opaque payload (a base64-encoded zip file, a function's source) is marked
//! `"debug": "length"`, and `Debug` prints only its size, `<3145728 bytes>`. A member both
//! sensitive and long is just redacted. Both keys are for `string` members only (lists of
//! strings included): the generated redaction test fills every marked member with a marker
//! string and checks that no `Debug` output shows it.
//!
//! # Limits stated once
//!
//! Facts that both the client (`scf-api`) and the emulator (`scf-local`) need are spec keys,
//! reaching both through generated code; all are hand-written and survive `spec import`:
//!
//! - `service.json` `maxBodyBytes`: the largest request body, in bytes.
//! - `service.json` `timeZone` (optional): the fixed offset from UTC of every `datetime` value
//!   the service reads and writes, `+HH:MM` or `-HH:MM` between -12:00 and +14:00 (SCF:
//!   China Standard Time).
//! - action `maxDurationSecs`: how long the service may take to answer (synchronous
//!   invocations).
//! - action `eventLimits`: `member` (a string input holding the event), `maxSyncBytes` (the
//!   largest event of a synchronous invocation) and, when the action can invoke
//!   asynchronously, `maxAsyncBytes`; positive byte counts.
//! - action `timeRange`: `start` and `end` (two different `datetime` inputs) and `maxSecs`
//!   (the widest range from start to end, in seconds, positive).
//! - action `pagination.maxWindow`: the bound of offset + limit.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::model::{
    Action, Constraint, DebugAs, EnumDef, EnumUser, EnumValue, EnumVariant, ErrorDef, EventLimits,
    Example, Member, Pagination, PathSegment, RegionRule, Retry, Service, Site, Spec, TimeRange,
    TimeZone, Ty, TypeDef, Waiter,
};
use crate::names;

/// One problem found in the spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SpecError {
    /// File, relative to the spec directory, e.g. `actions/GetRequestStatus.json`.
    pub file: String,
    /// JSON path inside the file, e.g. `$.input[2].type`.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.path, self.message)
    }
}

/// Every problem found in the spec, sorted by file and path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecErrors(pub Vec<SpecError>);

impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "the spec has {} problem(s):", self.0.len())?;
        for e in &self.0 {
            writeln!(f, "  {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecErrors {}

/// The spec format's known keys, per kind of object. `schema.json` must list the same keys (a
/// test checks it).
pub mod keys {
    /// Keys of `service.json`.
    pub const SERVICE: &[&str] = &[
        "service",
        "title",
        "version",
        "docs",
        "endpoints",
        "maxBodyBytes",
        "timeZone",
        "commonErrors",
    ];
    /// Keys of `service.json` `endpoints`.
    pub const ENDPOINTS: &[&str] = &["nearest", "regional", "intl"];
    /// Keys of one `errors.json` entry.
    pub const ERROR: &[&str] = &["docs", "retry"];
    /// Keys of an action file.
    pub const ACTION: &[&str] = &[
        "name",
        "summary",
        "docs",
        "site",
        "rateLimit",
        "maxDurationSecs",
        "retrySafe",
        "region",
        "input",
        "output",
        "constraints",
        "eventLimits",
        "timeRange",
        "pagination",
        "waiters",
        "errors",
        "examples",
    ];
    /// Keys of an action's `eventLimits`, in the order spec files write them.
    pub const EVENT_LIMITS: &[&str] = &["member", "maxSyncBytes", "maxAsyncBytes"];
    /// Keys of an action's `timeRange`, in the order spec files write them.
    pub const TIME_RANGE: &[&str] = &["start", "end", "maxSecs"];
    /// Keys of an action's `pagination`, in the order spec files write them.
    pub const PAGINATION: &[&str] = &[
        "offset",
        "limit",
        "items",
        "total",
        "maxPageSize",
        "maxWindow",
    ];
    /// Keys of one waiter, in the order spec files write them.
    pub const WAITER: &[&str] = &[
        "name",
        "docs",
        "state",
        "success",
        "failure",
        "minDelayMs",
        "maxDelayMs",
        "defaultTimeoutSecs",
    ];
    /// Keys of an action's `region`.
    pub const REGION: &[&str] = &["required", "supported"];
    /// Keys of one constraint.
    pub const CONSTRAINT: &[&str] = &["requiredWith"];
    /// Keys of `requiredWith`.
    pub const REQUIRED_WITH: &[&str] = &["member", "when"];
    /// Keys of one example.
    pub const EXAMPLE: &[&str] = &["title", "docs", "input", "output"];
    /// Keys of a type file.
    pub const TYPE: &[&str] = &["name", "docs", "members"];
    /// Keys of a member.
    pub const MEMBER: &[&str] = &[
        "name",
        "type",
        "list",
        "required",
        "nullable",
        "sensitive",
        "debug",
        "deprecated",
        "site",
        "docs",
        "example",
        "enum",
        "values",
    ];
    /// Keys of a documented value.
    pub const VALUE: &[&str] = &["value", "docs"];
}

/// Loads the spec in `dir` (holding `service.json`, `errors.json`, `actions/`, `types/`) and
/// validates it.
pub fn load(dir: &Path) -> Result<Spec, SpecErrors> {
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut errs = Vec::new();
    for name in ["service.json", "errors.json"] {
        read_into(dir, name, &mut files, &mut errs);
    }
    for sub in ["actions", "types"] {
        match std::fs::read_dir(dir.join(sub)) {
            Ok(entries) => {
                let mut names: Vec<String> = entries
                    .filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect();
                names.sort();
                for n in names {
                    let rel = format!("{sub}/{n}");
                    if n.ends_with(".json") {
                        read_into(dir, &rel, &mut files, &mut errs);
                    } else {
                        errs.push(err(&rel, "$", "unexpected file: spec files end in `.json`"));
                    }
                }
            }
            Err(e) => errs.push(err(sub, "$", &format!("cannot read directory: {e}"))),
        }
    }
    if !errs.is_empty() {
        return Err(finish(errs));
    }
    load_files(&files)
}

/// Validates spec files given as (relative path, bytes); the in-memory form of [`load`], used by
/// tests and tools.
pub fn load_files(files: &BTreeMap<String, Vec<u8>>) -> Result<Spec, SpecErrors> {
    let mut errs = Vec::new();
    let mut hasher = Sha256::new();
    let mut parsed: BTreeMap<&str, Value> = BTreeMap::new();
    for (path, bytes) in files {
        hasher.update(path.as_bytes());
        hasher.update([0]);
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
        match serde_json::from_slice::<Value>(bytes) {
            Ok(v) => {
                parsed.insert(path, v);
            }
            Err(e) => errs.push(err(
                path,
                "$",
                &format!(
                    "invalid JSON at line {} column {}: {e}",
                    e.line(),
                    e.column()
                ),
            )),
        }
    }
    if !errs.is_empty() {
        // Checks across files would only repeat what the unreadable files hide.
        return Err(finish(errs));
    }
    let hash = hex::encode(hasher.finalize());
    let mut cx = Cx { errs };

    let service = match parsed.get("service.json") {
        Some(v) => cx.service(v),
        None => {
            cx.push("service.json", "$", "missing file");
            None
        }
    };
    let errors = match parsed.get("errors.json") {
        Some(v) => cx.errors(v),
        None => {
            cx.push("errors.json", "$", "missing file");
            Vec::new()
        }
    };
    let mut actions = Vec::new();
    let mut types = Vec::new();
    for (path, v) in &parsed {
        if let Some(stem) = path
            .strip_prefix("actions/")
            .and_then(|p| p.strip_suffix(".json"))
        {
            if let Some(a) = cx.action(path, stem, v) {
                actions.push((path.to_string(), a));
            }
        } else if let Some(stem) = path
            .strip_prefix("types/")
            .and_then(|p| p.strip_suffix(".json"))
        {
            if let Some(t) = cx.type_def(path, stem, v) {
                types.push((path.to_string(), t));
            }
        }
    }
    if let Some(service) = &service {
        cx.cross_check(service, &errors, &actions, &types);
    }
    let enums = cx.enums(&actions, &types);
    if !cx.errs.is_empty() {
        return Err(finish(cx.errs));
    }
    let Some(service) = service else {
        return Err(finish(cx.errs));
    };
    let mut actions: Vec<Action> = actions.into_iter().map(|(_, a)| a).collect();
    actions.sort_by(|a, b| a.name.cmp(&b.name));
    let mut types: Vec<TypeDef> = types.into_iter().map(|(_, t)| t).collect();
    types.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Spec {
        service,
        errors,
        actions,
        types,
        enums,
        hash,
    })
}

fn read_into(
    dir: &Path,
    rel: &str,
    files: &mut BTreeMap<String, Vec<u8>>,
    errs: &mut Vec<SpecError>,
) {
    match std::fs::read(dir.join(rel)) {
        Ok(b) => {
            files.insert(rel.to_owned(), b);
        }
        Err(e) => errs.push(err(rel, "$", &format!("cannot read file: {e}"))),
    }
}

fn err(file: &str, path: &str, message: &str) -> SpecError {
    SpecError {
        file: file.to_owned(),
        path: path.to_owned(),
        message: message.to_owned(),
    }
}

fn finish(mut errs: Vec<SpecError>) -> SpecErrors {
    errs.sort();
    errs.dedup();
    SpecErrors(errs)
}

/// Which part of an example a value belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// The request, at any depth.
    Input,
    /// The top level of the response, where `RequestId` is allowed.
    Response,
    /// An object nested in the response.
    Nested,
}

/// Collects problems while reading.
struct Cx {
    errs: Vec<SpecError>,
}

/// A JSON object being read, with its location.
struct Obj<'v> {
    file: String,
    path: String,
    map: &'v Map<String, Value>,
}

impl Cx {
    fn push(&mut self, file: &str, path: &str, message: &str) {
        self.errs.push(err(file, path, message));
    }

    fn obj<'v>(
        &mut self,
        file: &str,
        path: &str,
        v: &'v Value,
        allowed: &[&str],
    ) -> Option<Obj<'v>> {
        let Some(map) = v.as_object() else {
            self.push(
                file,
                path,
                &format!("expected an object, found {}", kind(v)),
            );
            return None;
        };
        for k in map.keys() {
            if !allowed.contains(&k.as_str()) {
                self.push(
                    file,
                    &format!("{path}.{k}"),
                    &format!(
                        "unknown key `{k}` (expected one of: {})",
                        allowed.join(", ")
                    ),
                );
            }
        }
        Some(Obj {
            file: file.to_owned(),
            path: path.to_owned(),
            map,
        })
    }

    fn string(&mut self, o: &Obj<'_>, key: &str, required: bool) -> Option<String> {
        match o.map.get(key) {
            None if required => {
                self.push(&o.file, &o.path, &format!("missing required key `{key}`"));
                None
            }
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(v) => {
                self.push(
                    &o.file,
                    &format!("{}.{key}", o.path),
                    &format!("expected a string, found {}", kind(v)),
                );
                None
            }
        }
    }

    /// A required, non-empty documentation string.
    fn docs(&mut self, o: &Obj<'_>, key: &str) -> String {
        let s = self.string(o, key, true).unwrap_or_default();
        if o.map.contains_key(key) && s.trim().is_empty() {
            self.push(
                &o.file,
                &format!("{}.{key}", o.path),
                "documentation must not be empty",
            );
        }
        if let Some(c) = s.chars().find(|c| is_cjk(*c)) {
            self.push(
                &o.file,
                &format!("{}.{key}", o.path),
                &format!("untranslated text (`{c}`): documentation must be English"),
            );
        }
        s
    }

    /// The optional `site` key: which description alone documents the item.
    fn site(&mut self, o: &Obj<'_>) -> Option<Site> {
        let s = self.string(o, "site", false)?;
        match s.as_str() {
            "mainland" => Some(Site::Mainland),
            "international" => Some(Site::International),
            other => {
                self.push(
                    &o.file,
                    &format!("{}.site", o.path),
                    &format!("unknown site `{other}` (expected `mainland` or `international`)"),
                );
                None
            }
        }
    }

    /// A member's `debug` key (only `"length"`), and the rules that `debug` and `sensitive` are
    /// for string members only and `debug` not for enum members.
    fn debug_as(&mut self, o: &Obj<'_>, ty: &Ty, sensitive: bool, is_enum: bool) -> DebugAs {
        let debug = match self.string(o, "debug", false).as_deref() {
            None => DebugAs::Value,
            Some("length") => DebugAs::Length,
            Some(other) => {
                self.push(
                    &o.file,
                    &format!("{}.debug", o.path),
                    &format!("unknown debug format `{other}` (expected `length`)"),
                );
                DebugAs::Value
            }
        };
        if *ty != Ty::String {
            for (key, set) in [("sensitive", sensitive), ("debug", debug != DebugAs::Value)] {
                if set {
                    self.push(
                        &o.file,
                        &format!("{}.{key}", o.path),
                        &format!(
                            "`{key}` is for `string` members only, this one is `{}`",
                            ty.spec_name()
                        ),
                    );
                }
            }
        }
        if is_enum && debug != DebugAs::Value {
            self.push(
                &o.file,
                &format!("{}.debug", o.path),
                "an enum member's values are short: `debug` is for free-form payloads",
            );
        }
        debug
    }

    fn boolean(&mut self, o: &Obj<'_>, key: &str) -> bool {
        match o.map.get(key) {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(v) => {
                self.push(
                    &o.file,
                    &format!("{}.{key}", o.path),
                    &format!("expected a boolean, found {}", kind(v)),
                );
                false
            }
        }
    }

    fn uint(&mut self, o: &Obj<'_>, key: &str, required: bool) -> Option<u64> {
        match o.map.get(key) {
            None if required => {
                self.push(&o.file, &o.path, &format!("missing required key `{key}`"));
                None
            }
            None => None,
            Some(v) => match v.as_u64() {
                Some(n) if n > 0 => Some(n),
                _ => {
                    self.push(
                        &o.file,
                        &format!("{}.{key}", o.path),
                        &format!("expected a positive integer, found {}", kind(v)),
                    );
                    None
                }
            },
        }
    }

    fn array<'v>(&mut self, o: &Obj<'v>, key: &str, required: bool) -> &'v [Value] {
        match o.map.get(key) {
            None => {
                if required {
                    self.push(&o.file, &o.path, &format!("missing required key `{key}`"));
                }
                &[]
            }
            Some(Value::Array(a)) => a,
            Some(v) => {
                self.push(
                    &o.file,
                    &format!("{}.{key}", o.path),
                    &format!("expected an array, found {}", kind(v)),
                );
                &[]
            }
        }
    }

    fn strings(&mut self, o: &Obj<'_>, key: &str, required: bool) -> Vec<String> {
        let arr = self.array(o, key, required);
        let mut out = Vec::new();
        for (i, v) in arr.iter().enumerate() {
            match v.as_str() {
                Some(s) => out.push(s.to_owned()),
                None => self.push(
                    &o.file,
                    &format!("{}.{key}[{i}]", o.path),
                    &format!("expected a string, found {}", kind(v)),
                ),
            }
        }
        out
    }

    fn pascal_name(&mut self, o: &Obj<'_>, what: &str) -> Option<String> {
        let name = self.string(o, "name", true)?;
        if !names::is_pascal_case(&name) {
            self.push(
                &o.file,
                &format!("{}.name", o.path),
                &format!("{what} name `{name}` is not PascalCase (ASCII letters and digits, starting with an uppercase letter)"),
            );
        }
        Some(name)
    }

    fn service(&mut self, v: &Value) -> Option<Service> {
        let f = "service.json";
        let o = self.obj(f, "$", v, keys::SERVICE)?;
        let service = self.string(&o, "service", true).unwrap_or_default();
        let title = self.docs(&o, "title");
        let version = self.string(&o, "version", true).unwrap_or_default();
        let docs = self.docs(&o, "docs");
        let max_body_bytes = self.uint(&o, "maxBodyBytes", true).unwrap_or_default();
        let time_zone = self
            .string(&o, "timeZone", false)
            .and_then(|text| match parse_time_zone(&text) {
                Some(offset_secs) => Some(TimeZone { text, offset_secs }),
                None => {
                    self.push(
                        f,
                        "$.timeZone",
                        &format!("time zone `{text}` must be an offset from UTC written `+HH:MM` or `-HH:MM`, from -12:00 to +14:00"),
                    );
                    None
                }
            });
        let common_errors = self.strings(&o, "commonErrors", true);
        let (mut nearest, mut regional, mut intl) = Default::default();
        match o.map.get("endpoints") {
            Some(ev) => {
                if let Some(e) = self.obj(f, "$.endpoints", ev, keys::ENDPOINTS) {
                    nearest = self.string(&e, "nearest", true).unwrap_or_default();
                    regional = self.string(&e, "regional", true).unwrap_or_default();
                    intl = self.string(&e, "intl", true).unwrap_or_default();
                    if !regional.contains("{region}") {
                        self.push(f, "$.endpoints.regional", "must contain `{region}`");
                    }
                }
            }
            None => self.push(f, "$", "missing required key `endpoints`"),
        }
        if service.is_empty() || !service.bytes().all(|b| b.is_ascii_lowercase()) {
            self.push(
                f,
                "$.service",
                "service name must be non-empty lowercase ASCII",
            );
        }
        Some(Service {
            service,
            title,
            version,
            docs,
            endpoint_nearest: nearest,
            endpoint_regional: regional,
            endpoint_intl: intl,
            max_body_bytes,
            time_zone,
            common_errors,
        })
    }

    fn errors(&mut self, v: &Value) -> Vec<ErrorDef> {
        let f = "errors.json";
        let Some(map) = v.as_object() else {
            self.push(
                f,
                "$",
                &format!("expected an object of error codes, found {}", kind(v)),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (code, ev) in map {
            let path = format!("$.{code}");
            if !names::is_error_code(code) {
                self.push(
                    f,
                    &path,
                    &format!("error code `{code}` must be dot-separated PascalCase segments"),
                );
            }
            let Some(o) = self.obj(f, &path, ev, keys::ERROR) else {
                continue;
            };
            let docs = self.docs(&o, "docs");
            let retry = match self.string(&o, "retry", false).as_deref() {
                None => Retry::Never,
                Some("always") => Retry::Always,
                Some("safeActionsOnly") => Retry::SafeActionsOnly,
                Some(other) => {
                    self.push(
                        f,
                        &format!("{path}.retry"),
                        &format!(
                            "unknown retry class `{other}` (expected `always` or `safeActionsOnly`)"
                        ),
                    );
                    Retry::Never
                }
            };
            out.push(ErrorDef {
                code: code.clone(),
                docs,
                retry,
            });
        }
        out.sort_by(|a, b| a.code.cmp(&b.code));
        out
    }

    fn member(&mut self, file: &str, path: &str, v: &Value) -> Option<Member> {
        let o = self.obj(file, path, v, keys::MEMBER)?;
        let name = self.pascal_name(&o, "member")?;
        let ty = self
            .string(&o, "type", true)
            .map(|t| Ty::parse(&t))
            .unwrap_or(Ty::String);
        let list = self.boolean(&o, "list");
        let required = self.boolean(&o, "required");
        let nullable = self.boolean(&o, "nullable");
        let sensitive = self.boolean(&o, "sensitive");
        let debug = self.debug_as(&o, &ty, sensitive, o.map.contains_key("enum"));
        let deprecated = self.boolean(&o, "deprecated");
        let site = self.site(&o);
        let docs = self.docs(&o, "docs");
        let example = o.map.get("example").cloned();
        let enum_name = self.string(&o, "enum", false);
        let mut values = Vec::new();
        for (i, vv) in self.array(&o, "values", false).iter().enumerate() {
            let vpath = format!("{path}.values[{i}]");
            if let Some(vo) = self.obj(file, &vpath, vv, keys::VALUE) {
                let docs = self.docs(&vo, "docs");
                match vo.map.get("value") {
                    Some(value @ (Value::String(_) | Value::Number(_))) => values.push(EnumValue {
                        value: value.clone(),
                        docs,
                    }),
                    Some(other) => self.push(
                        file,
                        &format!("{vpath}.value"),
                        &format!("expected a string or number, found {}", kind(other)),
                    ),
                    None => self.push(file, &vpath, "missing required key `value`"),
                }
            }
        }
        if let Some(e) = &enum_name {
            self.enum_member(file, path, e, &ty, &values);
        }
        Some(Member {
            name,
            ty,
            list,
            required,
            nullable,
            sensitive,
            debug,
            deprecated,
            site,
            docs,
            example,
            enum_name,
            values,
        })
    }

    /// Checks a member's `enum` key against the member alone: a PascalCase name, a string
    /// member, documented string values whose variants are valid and distinct.
    fn enum_member(&mut self, file: &str, path: &str, name: &str, ty: &Ty, values: &[EnumValue]) {
        if !names::is_pascal_case(name) {
            self.push(
                file,
                &format!("{path}.enum"),
                &format!("enum name `{name}` is not PascalCase (ASCII letters and digits, starting with an uppercase letter)"),
            );
        }
        if *ty != Ty::String {
            self.push(
                file,
                &format!("{path}.enum"),
                &format!(
                    "only `string` members can be enums, this one is `{}`",
                    ty.spec_name()
                ),
            );
            return;
        }
        if values.is_empty() {
            self.push(
                file,
                &format!("{path}.enum"),
                "an enum member needs documented `values`",
            );
        }
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        let mut seen_values: BTreeSet<&str> = BTreeSet::new();
        for (j, v) in values.iter().enumerate() {
            let Some(value) = v.value.as_str() else {
                // Reported as a value that does not fit the member type.
                continue;
            };
            let vpath = format!("{path}.values[{j}].value");
            if !seen_values.insert(value) {
                self.push(file, &vpath, &format!("duplicate value `{value}`"));
                continue;
            }
            let variant = names::enum_variant(value);
            if !variant.starts_with(|c: char| c.is_ascii_alphabetic()) {
                self.push(
                    file,
                    &vpath,
                    &format!("value `{value}` gives no Rust variant name (`{variant}` must start with a letter)"),
                );
            } else if variant == "Unknown" {
                self.push(
                    file,
                    &vpath,
                    &format!("value `{value}` would become the variant `Unknown`, which is reserved for values the spec does not list"),
                );
            } else if let Some(prev) = seen.insert(variant.clone(), value) {
                self.push(
                    file,
                    &vpath,
                    &format!("value `{value}` collides with `{prev}`: both become the Rust variant `{variant}`"),
                );
            }
        }
    }

    /// The enums named by members, checked across files: every member naming an enum documents
    /// the same set of values, and no enum is named (or filed) like a shared type or another
    /// enum, since both live in the `types` module.
    fn enums(&mut self, actions: &[(String, Action)], types: &[(String, TypeDef)]) -> Vec<EnumDef> {
        // Every member with an `enum` key, in spec order, with where it is.
        let mut uses: Vec<(&str, String, &Member, EnumUser)> = Vec::new();
        for (file, a) in actions {
            for (side, members) in [("input", &a.input), ("output", &a.output)] {
                for (i, m) in members.iter().enumerate() {
                    if m.enum_name.is_none() {
                        continue;
                    }
                    let (action, member) = (a.name.clone(), m.name.clone());
                    let user = if side == "input" {
                        EnumUser::Input { action, member }
                    } else {
                        EnumUser::Output { action, member }
                    };
                    uses.push((file, format!("$.{side}[{i}]"), m, user));
                }
            }
        }
        for (file, t) in types {
            for (i, m) in t.members.iter().enumerate() {
                if m.enum_name.is_some() {
                    let user = EnumUser::Type {
                        type_name: t.name.clone(),
                        member: m.name.clone(),
                    };
                    uses.push((file, format!("$.members[{i}]"), m, user));
                }
            }
        }

        let string_values = |m: &Member| -> Vec<String> {
            m.values
                .iter()
                .filter_map(|v| v.value.as_str().map(str::to_owned))
                .collect()
        };
        // Enum name -> (its definition, the file and path of its first member).
        let mut defs: BTreeMap<String, (EnumDef, &str, String)> = BTreeMap::new();
        for (file, path, m, user) in uses {
            let Some(name) = m.enum_name.clone() else {
                continue;
            };
            if m.ty != Ty::String {
                continue;
            }
            let values = string_values(m);
            match defs.get_mut(&name) {
                None => {
                    let variants = m
                        .values
                        .iter()
                        .filter_map(|v| {
                            let value = v.value.as_str()?.to_owned();
                            Some(EnumVariant {
                                variant: names::enum_variant(&value),
                                value,
                                docs: Some(v.docs.clone()),
                            })
                        })
                        .collect();
                    let def = EnumDef {
                        name: name.clone(),
                        variants,
                        users: vec![user],
                    };
                    defs.insert(name, (def, file, path));
                }
                Some((def, first_file, first_path)) => {
                    let mut have: Vec<&str> =
                        def.variants.iter().map(|v| v.value.as_str()).collect();
                    let mut want: Vec<&str> = values.iter().map(String::as_str).collect();
                    have.sort_unstable();
                    want.sort_unstable();
                    if have != want {
                        self.push(
                            file,
                            &format!("{path}.enum"),
                            &format!(
                                "enum `{name}` has the values [{}] at {first_file} {first_path} but [{}] here: members sharing an enum must document the same values (name a different enum)",
                                have.join(", "),
                                want.join(", ")
                            ),
                        );
                        continue;
                    }
                    // A value keeps its docs only while every member documents it alike.
                    for variant in &mut def.variants {
                        let docs = m
                            .values
                            .iter()
                            .find(|v| v.value.as_str() == Some(variant.value.as_str()))
                            .map(|v| v.docs.as_str());
                        if variant.docs.as_deref() != docs {
                            variant.docs = None;
                        }
                    }
                    def.users.push(user);
                }
            }
        }

        // Enums share the `types` module with the shared types.
        let mut modules: BTreeMap<String, String> = types
            .iter()
            .map(|(_, t)| (names::module_file(&t.name), format!("type `{}`", t.name)))
            .collect();
        for (name, (_, file, path)) in &defs {
            if let Some((_, t)) = types.iter().find(|(_, t)| &t.name == name) {
                self.push(
                    file,
                    &format!("{path}.enum"),
                    &format!("enum `{name}` is named like the shared type `{}`: both would be `types::{name}`", t.name),
                );
                continue;
            }
            let module = names::module_file(name);
            if let Some(prev) = modules.insert(module.clone(), format!("enum `{name}`")) {
                self.push(
                    file,
                    &format!("{path}.enum"),
                    &format!("enum `{name}` collides with {prev}: both become the Rust module `types::{module}`"),
                );
            }
        }
        defs.into_values().map(|(def, _, _)| def).collect()
    }

    fn members(&mut self, o: &Obj<'_>, key: &str) -> Vec<Member> {
        let arr = self.array(o, key, true);
        let mut out: Vec<Member> = Vec::new();
        for (i, v) in arr.iter().enumerate() {
            let path = format!("{}.{key}[{i}]", o.path);
            if let Some(m) = self.member(&o.file, &path, v) {
                if let Some(prev) = out.iter().position(|p| p.name == m.name) {
                    self.push(
                        &o.file,
                        &format!("{path}.name"),
                        &format!(
                            "duplicate member `{}` (also at {}.{key}[{prev}])",
                            m.name, o.path
                        ),
                    );
                } else if let Some(prev) = out
                    .iter()
                    .position(|p| names::field(&p.name) == names::field(&m.name))
                {
                    self.push(&o.file, &format!("{path}.name"), &format!(
                        "member `{}` collides with `{}` ({}.{key}[{prev}]): both become the Rust name `{}`",
                        m.name, out[prev].name, o.path, names::field(&m.name)
                    ));
                }
                out.push(m);
            }
        }
        out
    }

    fn action(&mut self, file: &str, stem: &str, v: &Value) -> Option<Action> {
        let o = self.obj(file, "$", v, keys::ACTION)?;
        let name = self.pascal_name(&o, "action").unwrap_or_default();
        if !name.is_empty() && name != stem {
            self.push(
                file,
                "$.name",
                &format!("action name `{name}` does not match the file name `{stem}.json`"),
            );
        }
        let summary = self.docs(&o, "summary");
        let docs = self.docs(&o, "docs");
        let site = self.site(&o);
        let rate_limit = self
            .uint(&o, "rateLimit", false)
            .map(|n| u32::try_from(n).unwrap_or(u32::MAX));
        let max_duration_secs = self
            .uint(&o, "maxDurationSecs", false)
            .map(|n| u32::try_from(n).unwrap_or(u32::MAX));
        let retry_safe = self.boolean(&o, "retrySafe");
        let mut region = RegionRule::default();
        if let Some(rv) = o.map.get("region") {
            if let Some(ro) = self.obj(file, "$.region", rv, keys::REGION) {
                region.required = self.boolean(&ro, "required");
                region.supported = self.strings(&ro, "supported", false);
                let mut sorted = region.supported.clone();
                sorted.sort();
                sorted.dedup();
                if sorted != region.supported {
                    self.push(
                        file,
                        "$.region.supported",
                        "regions must be sorted and unique",
                    );
                }
            }
        }
        let input = self.members(&o, "input");
        let output = self.members(&o, "output");
        for (i, m) in output.iter().enumerate() {
            if m.name == "RequestId" {
                self.push(
                    file,
                    &format!("$.output[{i}].name"),
                    "`RequestId` is part of every response and must not be listed",
                );
            }
        }
        for (i, m) in input.iter().enumerate() {
            for reserved in names::RESERVED_BUILDER_METHODS {
                if names::field(&m.name) == *reserved {
                    self.push(file, &format!("$.input[{i}].name"), &format!("input `{}` would collide with the request builder's own `{reserved}` method", m.name));
                }
            }
        }
        let mut constraints = Vec::new();
        for (i, cv) in self.array(&o, "constraints", false).iter().enumerate() {
            let cpath = format!("$.constraints[{i}]");
            let Some(co) = self.obj(file, &cpath, cv, keys::CONSTRAINT) else {
                continue;
            };
            match co.map.get("requiredWith") {
                Some(rw) => {
                    let rpath = format!("{cpath}.requiredWith");
                    if let Some(ro) = self.obj(file, &rpath, rw, keys::REQUIRED_WITH) {
                        let member = self.string(&ro, "member", true).unwrap_or_default();
                        let when = self.string(&ro, "when", true).unwrap_or_default();
                        for (k, n) in [("member", &member), ("when", &when)] {
                            if !n.is_empty() && !input.iter().any(|m| &m.name == n) {
                                self.push(
                                    file,
                                    &format!("{rpath}.{k}"),
                                    &format!("`{n}` is not an input member of this action"),
                                );
                            }
                        }
                        constraints.push(Constraint::RequiredWith { member, when });
                    }
                }
                None => self.push(file, &cpath, "a constraint needs one of: requiredWith"),
            }
        }
        let event_limits = o
            .map
            .get("eventLimits")
            .and_then(|v| self.event_limits(file, v, &input));
        let time_range = o
            .map
            .get("timeRange")
            .and_then(|v| self.time_range(file, v, &input));
        let pagination = o
            .map
            .get("pagination")
            .and_then(|pv| self.pagination(file, pv, &input, &output));
        let waiters = self.waiters(file, &o, &input);
        let errors = self.strings(&o, "errors", true);
        let mut seen = BTreeSet::new();
        for (i, c) in errors.iter().enumerate() {
            if !seen.insert(c) {
                self.push(
                    file,
                    &format!("$.errors[{i}]"),
                    &format!("duplicate error code `{c}`"),
                );
            }
        }
        let mut examples = Vec::new();
        for (i, ev) in self.array(&o, "examples", false).iter().enumerate() {
            let epath = format!("$.examples[{i}]");
            let Some(eo) = self.obj(file, &epath, ev, keys::EXAMPLE) else {
                continue;
            };
            let title = self.docs(&eo, "title");
            let docs = self.docs(&eo, "docs");
            let get_obj = |cx: &mut Cx, key: &str| match eo.map.get(key) {
                Some(v @ Value::Object(_)) => v.clone(),
                Some(v) => {
                    cx.push(
                        file,
                        &format!("{epath}.{key}"),
                        &format!("expected an object, found {}", kind(v)),
                    );
                    Value::Null
                }
                None => {
                    cx.push(file, &epath, &format!("missing required key `{key}`"));
                    Value::Null
                }
            };
            let input = get_obj(self, "input");
            let output = get_obj(self, "output");
            examples.push(Example {
                title,
                docs,
                input,
                output,
            });
        }
        Some(Action {
            name,
            summary,
            docs,
            site,
            rate_limit,
            max_duration_secs,
            retry_safe,
            region,
            input,
            output,
            constraints,
            event_limits,
            time_range,
            pagination,
            waiters,
            errors,
            examples,
        })
    }

    /// The `eventLimits` key: the event must be a string input (not a list); the limits are
    /// positive byte counts.
    fn event_limits(&mut self, file: &str, v: &Value, input: &[Member]) -> Option<EventLimits> {
        let o = self.obj(file, "$.eventLimits", v, keys::EVENT_LIMITS)?;
        let member = self.string(&o, "member", true);
        let max_sync_bytes = self.uint(&o, "maxSyncBytes", true);
        let max_async_bytes = self.uint(&o, "maxAsyncBytes", false);
        let member = member?;
        match input.iter().find(|m| m.name == member) {
            None => self.push(
                file,
                "$.eventLimits.member",
                &format!("`{member}` is not an input member of this action"),
            ),
            Some(m) if m.list || m.ty != Ty::String => self.push(
                file,
                "$.eventLimits.member",
                &format!(
                    "the event member `{member}` must be a string input, not `{}{}`",
                    if m.list { "list of " } else { "" },
                    m.ty.spec_name()
                ),
            ),
            Some(_) => {}
        }
        Some(EventLimits {
            member,
            max_sync_bytes: max_sync_bytes?,
            max_async_bytes,
        })
    }

    /// The `timeRange` key: two different `datetime` inputs and a positive span in seconds.
    fn time_range(&mut self, file: &str, v: &Value, input: &[Member]) -> Option<TimeRange> {
        let o = self.obj(file, "$.timeRange", v, keys::TIME_RANGE)?;
        let mut ends = Vec::new();
        for key in ["start", "end"] {
            let Some(name) = self.string(&o, key, true) else {
                continue;
            };
            let path = format!("$.timeRange.{key}");
            match input.iter().find(|m| m.name == name) {
                None => self.push(
                    file,
                    &path,
                    &format!("`{name}` is not an input member of this action"),
                ),
                Some(m) if m.list || m.ty != Ty::Datetime => self.push(
                    file,
                    &path,
                    &format!(
                        "the {key} member `{name}` must be a `datetime` input, not `{}{}`",
                        if m.list { "list of " } else { "" },
                        m.ty.spec_name()
                    ),
                ),
                Some(_) => {}
            }
            ends.push(name);
        }
        let max_secs = self.uint(&o, "maxSecs", true);
        let [start, end] = <[String; 2]>::try_from(ends).ok()?;
        if start == end {
            self.push(
                file,
                "$.timeRange.end",
                "start and end must be different members",
            );
        }
        Some(TimeRange {
            start,
            end,
            max_secs: max_secs?,
        })
    }

    /// The `pagination` key: the members it names must exist with fitting types.
    fn pagination(
        &mut self,
        file: &str,
        v: &Value,
        input: &[Member],
        output: &[Member],
    ) -> Option<Pagination> {
        let o = self.obj(file, "$.pagination", v, keys::PAGINATION)?;
        let named = |cx: &mut Cx, key: &str, side: &str, members: &[Member]| {
            let name = cx.string(&o, key, true)?;
            let path = format!("$.pagination.{key}");
            let Some(m) = members.iter().find(|m| m.name == name) else {
                cx.push(
                    file,
                    &path,
                    &format!("`{name}` is not an {side} member of this action"),
                );
                return None;
            };
            let shown = format!(
                "{}{}",
                if m.list { "list of " } else { "" },
                m.ty.spec_name()
            );
            let fits = match key {
                "offset" | "limit" => {
                    !m.list && matches!(m.ty, Ty::Integer | Ty::Unsigned | Ty::String)
                }
                "items" => m.list && matches!(m.ty, Ty::Named(_)),
                _ => !m.list && matches!(m.ty, Ty::Integer | Ty::Unsigned),
            };
            if !fits {
                let expected = match key {
                    "offset" | "limit" => "an integer, unsigned or string (digits) input",
                    "items" => "a list of a shared type",
                    _ => "an integer or unsigned output",
                };
                cx.push(
                    file,
                    &path,
                    &format!("{key} member `{name}` must be {expected}, not `{shown}`"),
                );
            }
            Some(name)
        };
        let offset = named(self, "offset", "input", input);
        let limit = named(self, "limit", "input", input);
        let items = named(self, "items", "output", output);
        let total = named(self, "total", "output", output);
        let max_page_size = self.uint(&o, "maxPageSize", false);
        let max_window = self.uint(&o, "maxWindow", false);
        if offset.is_some() && offset == limit {
            self.push(
                file,
                "$.pagination.limit",
                "offset and limit must be different members",
            );
        }
        if let (Some(page), Some(window)) = (max_page_size, max_window) {
            if page > window {
                self.push(
                    file,
                    "$.pagination.maxPageSize",
                    &format!("maxPageSize {page} is larger than maxWindow {window}"),
                );
            }
        }
        Some(Pagination {
            offset: offset?,
            limit: limit?,
            items: items?,
            total: total?,
            max_page_size,
            max_window,
        })
    }

    /// The `waiters` key. Every entry yields a waiter (with empty parts where it is broken), so
    /// that `cross_check` can name them by index when it resolves their state paths.
    fn waiters(&mut self, file: &str, o: &Obj<'_>, input: &[Member]) -> Vec<Waiter> {
        let mut out: Vec<Waiter> = Vec::new();
        for (i, wv) in self.array(o, "waiters", false).iter().enumerate() {
            let wpath = format!("$.waiters[{i}]");
            let Some(wo) = self.obj(file, &wpath, wv, keys::WAITER) else {
                out.push(Waiter {
                    name: String::new(),
                    docs: String::new(),
                    state_path: String::new(),
                    state: Vec::new(),
                    success: Vec::new(),
                    failure: Vec::new(),
                    min_delay_ms: 0,
                    max_delay_ms: 0,
                    default_timeout_secs: 0,
                });
                continue;
            };
            let name = self.pascal_name(&wo, "waiter").unwrap_or_default();
            let docs = self.docs(&wo, "docs");
            let state_path = self.string(&wo, "state", true).unwrap_or_default();
            let state = match parse_state_path(&state_path) {
                Some(segments) => segments,
                None => {
                    if wo.map.contains_key("state") {
                        self.push(
                            file,
                            &format!("{wpath}.state"),
                            &format!("state path `{state_path}` must be PascalCase member names separated by `.`, each optionally followed by `[]` (the first element of a list)"),
                        );
                    }
                    Vec::new()
                }
            };
            let success = self.strings(&wo, "success", true);
            let failure = self.strings(&wo, "failure", false);
            if wo.map.contains_key("success") && success.is_empty() {
                self.push(
                    file,
                    &format!("{wpath}.success"),
                    "a waiter needs at least one success state",
                );
            }
            if wo.map.contains_key("failure") && failure.is_empty() {
                self.push(
                    file,
                    &format!("{wpath}.failure"),
                    "an empty list of failure states: leave the key out instead",
                );
            }
            let mut seen: BTreeSet<&str> = BTreeSet::new();
            for (key, states) in [("success", &success), ("failure", &failure)] {
                for (j, s) in states.iter().enumerate() {
                    if s.is_empty() {
                        self.push(
                            file,
                            &format!("{wpath}.{key}[{j}]"),
                            "a state must not be empty",
                        );
                    } else if !seen.insert(s) {
                        self.push(
                            file,
                            &format!("{wpath}.{key}[{j}]"),
                            &format!("state `{s}` is listed twice"),
                        );
                    }
                }
            }
            let min_delay_ms = self.uint(&wo, "minDelayMs", true).unwrap_or_default();
            let max_delay_ms = self.uint(&wo, "maxDelayMs", true).unwrap_or_default();
            let default_timeout_secs = self
                .uint(&wo, "defaultTimeoutSecs", true)
                .unwrap_or_default();
            if min_delay_ms > 0 && max_delay_ms > 0 && max_delay_ms < min_delay_ms {
                self.push(
                    file,
                    &format!("{wpath}.maxDelayMs"),
                    &format!("maxDelayMs {max_delay_ms} is smaller than minDelayMs {min_delay_ms}"),
                );
            }
            if !name.is_empty() {
                let method = names::waiter_method(&name);
                if let Some(prev) = out
                    .iter()
                    .position(|w| !w.name.is_empty() && names::waiter_method(&w.name) == method)
                {
                    self.push(
                        file,
                        &format!("{wpath}.name"),
                        &format!(
                            "waiter `{name}` collides with `{}` ($.waiters[{prev}]): both become the method `{method}`",
                            out[prev].name
                        ),
                    );
                }
                if let Some(m) = input.iter().find(|m| names::field(&m.name) == method) {
                    self.push(
                        file,
                        &format!("{wpath}.name"),
                        &format!(
                            "waiter `{name}` collides with the input `{}`: both become the builder method `{method}`",
                            m.name
                        ),
                    );
                }
            }
            out.push(Waiter {
                name,
                docs,
                state_path,
                state,
                success,
                failure,
                min_delay_ms,
                max_delay_ms,
                default_timeout_secs,
            });
        }
        out
    }

    /// Resolves a waiter's state path against the action's output: every segment must name a
    /// member, `[]` exactly on lists, objects until the last, which must be a string; listed
    /// states must be documented values of that member when it documents any.
    fn check_waiter(
        &mut self,
        file: &str,
        index: usize,
        waiter: &Waiter,
        output: &[Member],
        types: &BTreeMap<&str, &TypeDef>,
    ) {
        if waiter.state.is_empty() {
            return;
        }
        let path = format!("$.waiters[{index}].state");
        let mut members = output;
        let mut owner = "the output".to_owned();
        let mut found: Option<&Member> = None;
        for (k, seg) in waiter.state.iter().enumerate() {
            let Some(m) = members.iter().find(|m| m.name == seg.member) else {
                self.push(
                    file,
                    &path,
                    &format!("`{}` is not a member of {owner}", seg.member),
                );
                return;
            };
            if seg.first && !m.list {
                self.push(
                    file,
                    &path,
                    &format!("`{}` is not a list: drop the `[]`", m.name),
                );
                return;
            }
            if !seg.first && m.list {
                self.push(
                    file,
                    &path,
                    &format!(
                        "`{}` is a list: write `{}[]` for its first element",
                        m.name, m.name
                    ),
                );
                return;
            }
            let last = k + 1 == waiter.state.len();
            if last {
                found = Some(m);
                break;
            }
            let Ty::Named(t) = &m.ty else {
                self.push(
                    file,
                    &path,
                    &format!(
                        "`{}` is {}, not an object: it must end the path",
                        m.name,
                        m.ty.spec_name()
                    ),
                );
                return;
            };
            let Some(td) = types.get(t.as_str()) else {
                // The unknown type is reported with the member.
                return;
            };
            members = &td.members;
            owner = format!("type `{t}`");
        }
        let Some(m) = found else { return };
        if m.ty != Ty::String {
            self.push(
                file,
                &path,
                &format!(
                    "the state must be a string member; `{}` is {}",
                    m.name,
                    m.ty.spec_name()
                ),
            );
            return;
        }
        if m.values.is_empty() {
            return;
        }
        let documented: Vec<&str> = m.values.iter().filter_map(|v| v.value.as_str()).collect();
        for (key, states) in [("success", &waiter.success), ("failure", &waiter.failure)] {
            for (j, s) in states.iter().enumerate() {
                if !documented.contains(&s.as_str()) {
                    self.push(
                        file,
                        &format!("$.waiters[{index}].{key}[{j}]"),
                        &format!(
                            "`{s}` is not a documented value of `{}` (documented: {})",
                            waiter.state_path,
                            documented.join(", ")
                        ),
                    );
                }
            }
        }
    }

    fn type_def(&mut self, file: &str, stem: &str, v: &Value) -> Option<TypeDef> {
        let o = self.obj(file, "$", v, keys::TYPE)?;
        let name = self.pascal_name(&o, "type").unwrap_or_default();
        if !name.is_empty() && name != stem {
            self.push(
                file,
                "$.name",
                &format!("type name `{name}` does not match the file name `{stem}.json`"),
            );
        }
        let docs = self.docs(&o, "docs");
        let members = self.members(&o, "members");
        Some(TypeDef {
            name,
            docs,
            members,
        })
    }

    /// Checks that need the whole spec: references, usage, collisions, examples.
    fn cross_check(
        &mut self,
        service: &Service,
        errors: &[ErrorDef],
        actions: &[(String, Action)],
        types: &[(String, TypeDef)],
    ) {
        let error_codes: BTreeSet<&str> = errors.iter().map(|e| e.code.as_str()).collect();
        let type_names: BTreeMap<&str, &TypeDef> =
            types.iter().map(|(_, t)| (t.name.as_str(), t)).collect();
        let mut used_codes: BTreeSet<&str> = BTreeSet::new();
        for (i, c) in service.common_errors.iter().enumerate() {
            used_codes.insert(c);
            if !error_codes.contains(c.as_str()) {
                self.push(
                    "service.json",
                    &format!("$.commonErrors[{i}]"),
                    &format!("error code `{c}` is not defined in errors.json"),
                );
            }
        }
        // Error variant collisions: codes that map to the same Rust identifier.
        let mut variants: BTreeMap<String, &str> = BTreeMap::new();
        for e in errors {
            let ident = names::error_variant(&e.code);
            if let Some(prev) = variants.insert(ident.clone(), &e.code) {
                self.push("errors.json", &format!("$.{}", e.code), &format!("error code `{}` collides with `{prev}`: both become the Rust variant `{ident}`", e.code));
            }
            if ident == "Unknown" {
                self.push(
                    "errors.json",
                    &format!("$.{}", e.code),
                    "the variant name `Unknown` is reserved for codes the spec does not list",
                );
            }
        }

        let check_members = |cx: &mut Cx,
                             file: &str,
                             base: &str,
                             members: &[Member],
                             used: &mut BTreeSet<String>| {
            for (i, m) in members.iter().enumerate() {
                if let Ty::Named(t) = &m.ty {
                    used.insert(t.clone());
                    if !type_names.contains_key(t.as_str()) {
                        cx.push(
                            file,
                            &format!("{base}[{i}].type"),
                            &format!(
                                "unknown type `{t}` (not a primitive and no file types/{t}.json)"
                            ),
                        );
                    }
                }
                if let Some(ex) = &m.example {
                    let ok = match (&m.ty, ex) {
                        (Ty::Named(_), _) => ex.is_object() || (m.list && ex.is_array()),
                        (ty, Value::Array(items)) if m.list => {
                            items.iter().all(|x| value_fits(ty, x))
                        }
                        (ty, x) => !m.list && value_fits(ty, x),
                    };
                    if !ok {
                        cx.push(
                            file,
                            &format!("{base}[{i}].example"),
                            &format!(
                                "example does not fit the member type `{}{}`",
                                if m.list { "list of " } else { "" },
                                m.ty.spec_name()
                            ),
                        );
                    }
                }
                if !m.values.is_empty() {
                    for (j, v) in m.values.iter().enumerate() {
                        if !value_fits(&m.ty, &v.value) {
                            cx.push(
                                file,
                                &format!("{base}[{i}].values[{j}].value"),
                                &format!(
                                    "value does not fit the member type `{}`",
                                    m.ty.spec_name()
                                ),
                            );
                        }
                    }
                }
            }
        };

        let mut used_types: BTreeSet<String> = BTreeSet::new();
        let mut methods: BTreeMap<String, &str> = BTreeMap::new();
        for (file, a) in actions {
            check_members(self, file, "$.input", &a.input, &mut used_types);
            check_members(self, file, "$.output", &a.output, &mut used_types);
            for (i, c) in a.errors.iter().enumerate() {
                used_codes.insert(c);
                if !error_codes.contains(c.as_str()) {
                    self.push(
                        file,
                        &format!("$.errors[{i}]"),
                        &format!("error code `{c}` is not defined in errors.json"),
                    );
                }
            }
            for (i, w) in a.waiters.iter().enumerate() {
                self.check_waiter(file, i, w, &a.output, &type_names);
            }
            let method = names::method(&a.name);
            if let Some(prev) = methods.insert(method.clone(), &a.name) {
                self.push(file, "$.name", &format!("action `{}` collides with `{prev}`: both become the Rust method `{method}`", a.name));
            }
            for (i, ex) in a.examples.iter().enumerate() {
                if ex.input.is_object() {
                    self.check_value(
                        file,
                        &format!("$.examples[{i}].input"),
                        &ex.input,
                        &a.input,
                        &type_names,
                        Side::Input,
                    );
                }
                if ex.output.is_object() {
                    self.check_value(
                        file,
                        &format!("$.examples[{i}].output"),
                        &ex.output,
                        &a.output,
                        &type_names,
                        Side::Response,
                    );
                }
            }
        }
        let mut type_files: BTreeMap<String, &str> = BTreeMap::new();
        for (file, t) in types {
            check_members(self, file, "$.members", &t.members, &mut BTreeSet::new());
            let module = names::module_file(&t.name);
            if let Some(prev) = type_files.insert(module.clone(), &t.name) {
                self.push(
                    file,
                    "$.name",
                    &format!(
                        "type `{}` collides with `{prev}`: both become the Rust module `{module}`",
                        t.name
                    ),
                );
            }
        }
        // Types reachable from actions, transitively.
        let mut stack: Vec<String> = used_types.iter().cloned().collect();
        while let Some(t) = stack.pop() {
            if let Some(td) = type_names.get(t.as_str()) {
                for m in &td.members {
                    if let Ty::Named(n) = &m.ty {
                        if used_types.insert(n.clone()) {
                            stack.push(n.clone());
                        }
                    }
                }
            }
        }
        for (file, t) in types {
            if !used_types.contains(&t.name) {
                self.push(
                    file,
                    "$.name",
                    &format!("type `{}` is not used by any action", t.name),
                );
            }
        }
        for e in errors {
            if !used_codes.contains(e.code.as_str()) {
                self.push(
                    "errors.json",
                    &format!("$.{}", e.code),
                    &format!(
                        "error code `{}` is not returned by any action nor common",
                        e.code
                    ),
                );
            }
        }
    }

    /// Checks an example object against members, recursively.
    fn check_value(
        &mut self,
        file: &str,
        path: &str,
        value: &Value,
        members: &[Member],
        types: &BTreeMap<&str, &TypeDef>,
        side: Side,
    ) {
        let output = side != Side::Input;
        let Some(map) = value.as_object() else {
            self.push(
                file,
                path,
                &format!("expected an object, found {}", kind(value)),
            );
            return;
        };
        for (k, v) in map {
            let p = format!("{path}.{k}");
            if side == Side::Response && k == "RequestId" {
                if !v.is_string() {
                    self.push(file, &p, "`RequestId` must be a string");
                }
                continue;
            }
            let Some(m) = members.iter().find(|m| &m.name == k) else {
                self.push(file, &p, &format!("`{k}` is not a member here"));
                continue;
            };
            if v.is_null() {
                if !m.nullable && !output {
                    self.push(file, &p, "null is only allowed for nullable members");
                }
                continue;
            }
            let items: Vec<(String, &Value)> = if m.list {
                match v.as_array() {
                    Some(a) => a
                        .iter()
                        .enumerate()
                        .map(|(i, x)| (format!("{p}[{i}]"), x))
                        .collect(),
                    None => {
                        self.push(file, &p, &format!("expected a list, found {}", kind(v)));
                        continue;
                    }
                }
            } else {
                vec![(p.clone(), v)]
            };
            for (ip, item) in items {
                match &m.ty {
                    Ty::Named(t) => {
                        if let Some(td) = types.get(t.as_str()) {
                            let nested = if output { Side::Nested } else { Side::Input };
                            self.check_value(file, &ip, item, &td.members, types, nested);
                        }
                    }
                    ty => {
                        if !value_fits(ty, item) {
                            self.push(
                                file,
                                &ip,
                                &format!("expected {}, found {}", ty.spec_name(), kind(item)),
                            );
                        }
                    }
                }
            }
        }
    }
}

/// Parses a waiter's state path (`Result.Status`, `Allocated[].Status`); `None` when it is not
/// PascalCase names separated by dots, each optionally followed by `[]`.
fn parse_state_path(path: &str) -> Option<Vec<PathSegment>> {
    path.split('.')
        .map(|seg| {
            let (member, first) = match seg.strip_suffix("[]") {
                Some(m) => (m, true),
                None => (seg, false),
            };
            names::is_pascal_case(member).then(|| PathSegment {
                member: member.to_owned(),
                first,
            })
        })
        .collect()
}

/// The offset in seconds of a time zone written `+HH:MM` or `-HH:MM` (from -12:00 to +14:00,
/// minutes below 60); `None` when it is not written so.
fn parse_time_zone(text: &str) -> Option<i32> {
    let b = text.as_bytes();
    if b.len() != 6 || b[3] != b':' {
        return None;
    }
    let sign = match b[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let two = |i: usize| -> Option<i32> {
        let (h, l) = (b[i], b[i + 1]);
        (h.is_ascii_digit() && l.is_ascii_digit())
            .then(|| i32::from(h - b'0') * 10 + i32::from(l - b'0'))
    };
    let (hours, minutes) = (two(1)?, two(4)?);
    let secs = sign * (hours * 3600 + minutes * 60);
    (minutes < 60 && (-12 * 3600..=14 * 3600).contains(&secs)).then_some(secs)
}

/// Whether `c` is a CJK character or CJK/full-width punctuation: the mark of untranslated
/// upstream text, which the loader rejects in docs, summaries and titles.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

fn value_fits(ty: &Ty, v: &Value) -> bool {
    match ty {
        Ty::String | Ty::Datetime => v.is_string(),
        Ty::Integer => v.is_i64(),
        Ty::Unsigned => v.is_u64(),
        Ty::Float => v.is_number(),
        Ty::Boolean => v.is_boolean(),
        Ty::Named(_) => v.is_object(),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
