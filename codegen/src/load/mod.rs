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

mod actions;
mod cross_checks;
mod enums;
mod examples;
mod facts;
pub mod keys;
mod members;
mod pagination;
mod read;
mod service;
mod waiters;

use examples::value_fits;
use facts::parse_time_zone;
pub use read::is_cjk;
use read::kind;

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
    load_files_with(files, Texts::English).map(|(spec, _)| spec)
}

/// What [`load_files_with`] accepts in documentation texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Texts {
    /// Every text must be English (what generating code needs).
    English,
    /// Untranslated (CJK) texts are accepted and returned as warnings: for tools that compare
    /// facts, such as `spec diff` right after an import, before the English texts are written.
    AnyLanguage,
}

/// Like [`load_files`], with a choice of how strictly texts are checked; also returns the
/// problems it tolerated.
pub fn load_files_with(
    files: &BTreeMap<String, Vec<u8>>,
    texts: Texts,
) -> Result<(Spec, Vec<SpecError>), SpecErrors> {
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
    let mut cx = Cx {
        errs,
        texts,
        tolerated: Vec::new(),
    };

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
    let spec = Spec {
        service,
        errors,
        actions,
        types,
        enums,
        hash,
    };
    Ok((spec, cx.tolerated))
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
    /// How strictly texts are checked.
    texts: Texts,
    /// Problems accepted under [`Texts::AnyLanguage`].
    tolerated: Vec<SpecError>,
}

/// A JSON object being read, with its location.
struct Obj<'v> {
    file: String,
    path: String,
    map: &'v Map<String, Value>,
}
