//! `cargo xtask spec check <reference dir>`: proves that the spec states the reference's facts:
//! the same actions, request and response objects, member names, types, list-ness, required and
//! nullable flags, disabled markers, site-only markers, shared types, per-action error codes and
//! the error-code table.

use std::collections::BTreeSet;

use codegen::model::{Member, Site, Spec};

use crate::reference::{RefMember, Reference, Sites, Usage, expected_member};

/// Counts of what was compared.
#[derive(Debug, Default)]
pub struct Summary {
    pub actions: usize,
    pub types: usize,
    pub members: usize,
    pub action_errors: usize,
    pub codes: usize,
}

fn site_of(s: Sites) -> Option<Site> {
    match (s.mainland, s.intl) {
        (true, false) => Some(Site::Mainland),
        (false, true) => Some(Site::International),
        _ => None,
    }
}

fn compare_members(
    at: &str,
    spec: &[Member],
    reference: &[&RefMember],
    usage: Usage,
    parent_on_both: bool,
    problems: &mut Vec<String>,
) -> usize {
    let spec_names: Vec<&str> = spec.iter().map(|m| m.name.as_str()).collect();
    let ref_names: Vec<&str> = reference.iter().map(|m| m.name.as_str()).collect();
    for n in &ref_names {
        if !spec_names.contains(n) {
            problems.push(format!("{at}: member `{n}` is missing"));
        }
    }
    for n in &spec_names {
        if !ref_names.contains(n) {
            problems.push(format!("{at}: member `{n}` is not in the reference"));
        }
    }
    let mut compared = 0;
    for rm in reference {
        let Some(sm) = spec.iter().find(|m| m.name == rm.name) else {
            continue;
        };
        compared += 1;
        let want = expected_member(rm, usage);
        let got_ty = sm.ty.spec_name();
        let mut diff = |what: &str, got: String, want: String| {
            if got != want {
                problems.push(format!(
                    "{at}.{}: {what} is {got}, the reference says {want}",
                    rm.name
                ));
            }
        };
        diff("type", got_ty, want.ty.clone());
        diff("list", sm.list.to_string(), want.list.to_string());
        diff(
            "required",
            sm.required.to_string(),
            want.required.to_string(),
        );
        diff(
            "nullable",
            sm.nullable.to_string(),
            want.nullable.to_string(),
        );
        diff(
            "deprecated",
            sm.deprecated.to_string(),
            want.deprecated.to_string(),
        );
        let want_site = if parent_on_both {
            site_of(rm.sites)
        } else {
            None
        };
        diff(
            "site",
            format!("{:?}", sm.site.map(Site::as_str)),
            format!("{:?}", want_site.map(Site::as_str)),
        );
    }
    compared
}

/// Compares `spec` with `r`; returns what was compared, or every difference.
pub fn check(spec: &Spec, r: &Reference) -> Result<Summary, Vec<String>> {
    let mut problems = Vec::new();
    let mut summary = Summary::default();
    if spec.service.version != r.version {
        problems.push(format!(
            "service.json: version {} but the reference describes {}",
            spec.service.version, r.version
        ));
    }

    let spec_actions: BTreeSet<&str> = spec.actions.iter().map(|a| a.name.as_str()).collect();
    for name in r.actions.keys() {
        if !spec_actions.contains(name.as_str()) {
            problems.push(format!("action `{name}` is missing from spec/actions"));
        }
    }
    for a in &spec.actions {
        let Some(ra) = r.actions.get(&a.name) else {
            problems.push(format!("actions/{}.json: not in the reference", a.name));
            continue;
        };
        summary.actions += 1;
        let file = format!("actions/{}.json", a.name);
        if a.site != site_of(ra.sites) {
            problems.push(format!(
                "{file}: site is {:?}, the reference documents the action on {}",
                a.site.map(Site::as_str),
                ra.sites.label()
            ));
        }
        let (Ok(req), Ok(resp)) = (r.object(&ra.input), r.object(&ra.output)) else {
            problems.push(format!(
                "{file}: the reference lacks its request or response object"
            ));
            continue;
        };
        let req_members: Vec<&RefMember> = req.members.iter().collect();
        let resp_members: Vec<&RefMember> = resp
            .members
            .iter()
            .filter(|m| m.name != "RequestId")
            .collect();
        if resp.members.iter().all(|m| m.name != "RequestId") {
            problems.push(format!(
                "{}: the reference response has no RequestId",
                ra.output
            ));
        }
        summary.members += compare_members(
            &format!("{file} input"),
            &a.input,
            &req_members,
            Usage::IN,
            ra.sites.both(),
            &mut problems,
        );
        summary.members += compare_members(
            &format!("{file} output"),
            &a.output,
            &resp_members,
            Usage::OUT,
            ra.sites.both(),
            &mut problems,
        );
        let want: BTreeSet<&str> = r
            .action_errors
            .get(&a.name)
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        let got: BTreeSet<&str> = a.errors.iter().map(String::as_str).collect();
        for c in want.difference(&got) {
            problems.push(format!("{file}: error code `{c}` is missing"));
        }
        for c in got.difference(&want) {
            problems.push(format!("{file}: error code `{c}` is not in the reference"));
        }
        summary.action_errors += got.len();
    }

    let usage = match r.type_usage() {
        Ok(u) => u,
        Err(e) => {
            problems.push(e);
            return Err(problems);
        }
    };
    for name in usage.keys() {
        if spec.type_def(name).is_none() {
            problems.push(format!("type `{name}` is missing from spec/types"));
        }
    }
    for t in &spec.types {
        let Some(u) = usage.get(&t.name) else {
            problems.push(format!("types/{}.json: not used by the reference", t.name));
            continue;
        };
        let Ok(rt) = r.object(&t.name) else {
            problems.push(format!("types/{}.json: not in the reference", t.name));
            continue;
        };
        summary.types += 1;
        let members: Vec<&RefMember> = rt.members.iter().collect();
        summary.members += compare_members(
            &format!("types/{}.json", t.name),
            &t.members,
            &members,
            *u,
            rt.sites.both(),
            &mut problems,
        );
    }

    let mut want_codes: BTreeSet<&str> = r.codes.keys().map(String::as_str).collect();
    want_codes.extend(spec.service.common_errors.iter().map(String::as_str));
    let got_codes: BTreeSet<&str> = spec.errors.iter().map(|e| e.code.as_str()).collect();
    for c in want_codes.difference(&got_codes) {
        problems.push(format!("errors.json: code `{c}` is missing"));
    }
    for c in got_codes.difference(&want_codes) {
        problems.push(format!(
            "errors.json: code `{c}` is neither in the reference nor common"
        ));
    }
    summary.codes = got_codes.len();

    if problems.is_empty() {
        Ok(summary)
    } else {
        Err(problems)
    }
}
