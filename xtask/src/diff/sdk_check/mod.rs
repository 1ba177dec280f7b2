//! Checks the diff's `sdk` verdicts against the compiler.
//!
//! Each [case](cases::CASES) mutates a copy of the awkward fixture's spec, asks
//! [`compare`](super::compare::compare) what changed, generates the new spec's code into a
//! throwaway crate laid out like the fixture, and adds examples (separate crates, as a user's
//! code is: `#[non_exhaustive]` applies) that use the *old* API: the probe, and for some cases a
//! robust use written as the catalogue advises (`..Default::default()`, `..` in patterns). One
//! `cargo check --offline` of all the crates, into the shared target directory so that
//! scf-api's artifacts are reused, then decides:
//! - the control: every probe and robust use compiles against the code of the OLD spec;
//! - a `major` verdict comes with a probe that fails against the new code, a `minor` or
//!   `patch` one with a probe that still compiles, for the catalogue's rules and the diff's;
//! - robust uses compile against the new code too.

mod cases;
mod crates;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use codegen::model::Spec;

use super::change::{Bump, Change, semver};
use super::compare::compare;
use super::rules;
use cases::{CASES, Case, Files};
use crates::{Outcome, Outcomes, TempDir};

/// The workspace root, derived from this crate's manifest directory.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// The shared target directory: `$CARGO_TARGET_DIR` when absolute, else the workspace's.
fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .unwrap_or_else(|| root.join("target"))
}

/// Every JSON file under `dir`, parsed, by relative path with `/` separators.
fn read_spec(dir: &Path, rel: &str, out: &mut Files) {
    for entry in std::fs::read_dir(dir.join(rel)).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        if entry.file_type().unwrap().is_dir() {
            read_spec(dir, &path, out);
        } else if path.ends_with(".json") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            out.insert(path, serde_json::from_str(&text).unwrap());
        }
    }
}

/// Loads `files` as a spec, panicking with the loader's problems.
fn load(files: &Files, what: &str) -> Spec {
    let bytes: BTreeMap<String, Vec<u8>> = files
        .iter()
        .map(|(path, v)| (path.clone(), serde_json::to_vec_pretty(v).unwrap()))
        .collect();
    codegen::load::load_files(&bytes).unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// The old and new specs of `case`.
fn specs(base: &Files, case: &Case) -> (Spec, Spec) {
    let mut old = base.clone();
    (case.before)(&mut old);
    let mut new = old.clone();
    (case.mutate)(&mut new);
    let old = load(&old, &format!("{}: the old spec", case.name));
    let new = load(&new, &format!("{}: the new spec", case.name));
    (old, new)
}

/// The bump the catalogue gives the rules `ids`.
fn catalogue_bump(ids: &[&str]) -> Bump {
    ids.iter()
        .map(|id| {
            rules::find(id)
                .unwrap_or_else(|| panic!("no rule `{id}`"))
                .sdk
        })
        .max()
        .unwrap_or(Bump::Patch)
}

/// Whether a target compiled, or why it did not.
fn compiled(outcome: Option<&Outcome>) -> Result<bool, String> {
    match outcome {
        None => Err("was not checked (its library failed?)".to_owned()),
        Some(o) => Ok(o.compiled && o.errors.is_empty()),
    }
}

/// One case, prepared: what the diff found and where its code is checked.
struct Run {
    case: &'static Case,
    changes: Vec<Change>,
    /// The crate generated from the case's old spec, whose examples are the case's uses.
    old_crate: String,
}

impl Run {
    /// The name of the case's `use_` (`probe`, `robust`) among the old crate's examples.
    fn old_example(&self, use_: &str) -> String {
        format!("{}_{use_}", self.case.name.replace('-', "_"))
    }
}

/// A crate generated from an old spec, holding the uses of every case starting from it.
struct OldCrate {
    name: String,
    spec: Spec,
    /// (example name, body).
    uses: Vec<(String, String)>,
}

/// Generates every case's new crate, with its uses as examples, and one crate per distinct old
/// spec holding the same uses (the control: they must compile there); writes the workspace.
fn prepare(dir: &Path, root: &Path, base: &Files) -> Vec<Run> {
    let mut olds: BTreeMap<String, OldCrate> = BTreeMap::new();
    let mut runs = Vec::new();
    for case in CASES {
        let (old, new) = specs(base, case);
        let changes = compare(&old, &new);
        let uses: Vec<(String, String)> = [("probe", Some(case.probe)), ("robust", case.robust)]
            .into_iter()
            .filter_map(|(name, body)| Some((name.to_owned(), cases::expand(body?))))
            .collect();
        crates::write_crate(dir, root, case.name, &new, &uses);
        let n = olds.len();
        let crate_of_old = olds.entry(old.hash.clone()).or_insert_with(|| OldCrate {
            name: format!("old-{n}"),
            spec: old,
            uses: Vec::new(),
        });
        let run = Run {
            case,
            changes,
            old_crate: crate_of_old.name.clone(),
        };
        let renamed = uses
            .into_iter()
            .map(|(u, body)| (run.old_example(&u), body));
        crate_of_old.uses.extend(renamed);
        runs.push(run);
    }
    let mut members: Vec<&str> = CASES.iter().map(|c| c.name).collect();
    for old in olds.values() {
        crates::write_crate(dir, root, &old.name, &old.spec, &old.uses);
        members.push(&old.name);
    }
    crates::write_workspace(dir, root, &members);
    runs
}

/// The errors of a target, on one line.
fn errors(outcome: Option<&Outcome>) -> String {
    outcome.map(|o| o.errors.join(" | ")).unwrap_or_default()
}

/// What is wrong with the control of `run`: its old crate and its uses must compile.
fn control(run: &Run, outcomes: &Outcomes) -> Vec<String> {
    let get = |target: String| outcomes.get(&(run.old_crate.clone(), target));
    let mut wrong = Vec::new();
    let uses = ["probe"]
        .into_iter()
        .chain(run.case.robust.map(|_| "robust"));
    for target in std::iter::once("lib".to_owned()).chain(uses.map(|u| run.old_example(u))) {
        if compiled(get(target.clone())) != Ok(true) {
            wrong.push(format!(
                "{} does not compile against the OLD spec: {}",
                target,
                errors(get(target.clone()))
            ));
        }
    }
    wrong
}

/// What is wrong with `run`, one line each; also appends its row to `table`.
fn judge(run: &Run, outcomes: &Outcomes, table: &mut String) -> Vec<String> {
    let case = run.case;
    let get = |target: &str| outcomes.get(&(case.name.to_owned(), target.to_owned()));
    let mut wrong = control(run, outcomes);
    if let Some(lib) = get("lib").filter(|o| !o.errors.is_empty()) {
        wrong.push(format!("the new code does not compile: {:?}", lib.errors));
    }
    let found: BTreeSet<&str> = run.changes.iter().map(|c| c.rule.id).collect();
    let expected: BTreeSet<&str> = case.rules.iter().copied().collect();
    if found != expected {
        wrong.push(format!("the diff reports {found:?}, expected {expected:?}"));
    }
    let catalogue = catalogue_bump(case.rules);
    let engine = semver(&run.changes);
    let probe = compiled(get("probe"));
    let shown = match &probe {
        Ok(true) => "compiles".to_owned(),
        Ok(false) => "fails".to_owned(),
        Err(e) => e.clone(),
    };
    match probe {
        Err(e) => wrong.push(format!("the probe {e}")),
        Ok(compiles) => {
            for (whose, bump) in [("catalogue", Some(catalogue)), ("diff", engine)] {
                if (bump == Some(Bump::Major)) == compiles {
                    let bump = bump.map_or("no bump".to_owned(), |b| b.to_string());
                    let why = errors(get("probe"));
                    wrong.push(format!(
                        "the {whose} says {bump} but the probe {shown}: {why}"
                    ));
                }
            }
        }
    }
    if case.robust.is_some() && compiled(get("robust")) != Ok(true) {
        let why = errors(get("robust"));
        wrong.push(format!("the robust use does not compile: {why}"));
    }
    let engine = engine.map_or("-".to_owned(), |b| b.to_string());
    let verdict = if wrong.is_empty() { "ok" } else { "WRONG" };
    let rules = case.rules.join(",");
    let _ = writeln!(
        table,
        "{:<26} {rules:<32} {:<7} {engine:<7} {shown:<9} {verdict}",
        case.name,
        catalogue.to_string(),
    );
    wrong
}

#[test]
fn sdk_verdicts_match_the_compiler() {
    let Ok(cargo) = std::env::var("CARGO") else {
        eprintln!("sdk_check skipped: `CARGO` is not set (run it with `cargo test`)");
        return;
    };
    let started = Instant::now();
    let root = root();
    let mut base = Files::new();
    read_spec(&root.join("tests/fixtures/awkward/spec"), "", &mut base);
    let tmp = TempDir(crate::test_files::temp_dir("sdk-check"));
    std::fs::create_dir_all(&tmp.0).unwrap();
    let dir = tmp.0.canonicalize().unwrap();
    let runs = prepare(&dir, &root, &base);
    let generated = started.elapsed();
    let outcomes = crates::check(&cargo, &dir, &target_dir(&root));

    let mut table = format!(
        "{:<26} {:<32} {:<7} {:<7} {:<9} verdict\n",
        "case", "rules expected", "catalog", "diff", "probe"
    );
    let mut failures = Vec::new();
    for run in &runs {
        for w in judge(run, &outcomes, &mut table) {
            failures.push(format!("{}: {w}", run.case.name));
        }
    }
    eprintln!(
        "{table}\n{} cases: generated in {:.1?}, checked in {:.1?}",
        runs.len(),
        generated,
        started.elapsed() - generated
    );
    for ((krate, target), o) in &outcomes {
        for w in o.warnings.iter().filter(|_| target != "lib") {
            eprintln!("warning in {krate}/{target}: {w}");
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
