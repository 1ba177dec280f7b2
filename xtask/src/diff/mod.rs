//! `cargo xtask spec diff BASE [HEAD] [--format text|json|markdown]`: what a spec change means
//! for callers on the wire and for the generated crate.
//!
//! The two sides are read by [`source`] (a spec directory, or a git revision's `spec/`), the
//! engine ([`compare`]) lists the [`change`]s by the [`rules`] of the catalogue, the HEAD
//! side's [`overrides`] adjust severities, and [`render`] shows the result. The exit status is
//! 0 when no change is breaking, 1 when one is, and 2 when the command could not compare:
//! bad arguments, a side that cannot be read or does not load, a wrong overrides file.
//! `cargo xtask spec diff --rules` prints the catalogue (`docs/spec-diff-rules.md`).

pub mod change;
pub mod compare;
pub mod overrides;
pub mod render;
pub mod rules;
#[cfg(test)]
mod sdk_check;
pub mod source;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use codegen::model::Spec;

use overrides::Override;
use render::Report;
use source::{Files, Side};

/// The command's usage, printed with argument errors.
pub const USAGE: &str = "usage: cargo xtask spec diff BASE [HEAD] [--format text|json|markdown]
       cargo xtask spec diff --rules
BASE and HEAD: a directory holding a spec, or a git revision of this repository (its spec/);
HEAD defaults to the working tree's spec/. Exit status: 0 no breaking change, 1 breaking
changes, 2 could not compare.";

/// How the report is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Json,
    Markdown,
}

/// What the arguments ask for.
#[derive(Debug, PartialEq, Eq)]
enum Command<'a> {
    /// Print the rule catalogue.
    Rules,
    Diff {
        base: &'a str,
        head: Option<&'a str>,
        format: Format,
    },
}

fn parse<'a>(args: &[&'a str]) -> Result<Command<'a>, String> {
    if args == ["--rules"] {
        return Ok(Command::Rules);
    }
    let mut format = Format::Text;
    let mut sides = Vec::new();
    let mut rest = args.iter();
    while let Some(&arg) = rest.next() {
        let name = match arg.strip_prefix("--format") {
            Some("") => *rest.next().ok_or("`--format` needs a value")?,
            Some(tail) if tail.starts_with('=') => &tail[1..],
            _ if arg.starts_with('-') => return Err(format!("unknown option `{arg}`")),
            _ => {
                sides.push(arg);
                continue;
            }
        };
        format = match name {
            "text" => Format::Text,
            "json" => Format::Json,
            "markdown" => Format::Markdown,
            other => return Err(format!("unknown format `{other}`")),
        };
    }
    match sides[..] {
        [base] => Ok(Command::Diff {
            base,
            head: None,
            format,
        }),
        [base, head] => Ok(Command::Diff {
            base,
            head: Some(head),
            format,
        }),
        [] => Err("BASE is missing".to_owned()),
        _ => Err("more than two sides given".to_owned()),
    }
}

/// Runs the command with `args` (after `spec diff`) on the process's stdout and stderr.
pub fn main(root: &Path, args: &[&str]) -> ExitCode {
    let code = run(
        root,
        args,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    ExitCode::from(code)
}

/// Runs the command, writing the report to `out` and messages to `err`; returns the exit
/// status.
pub fn run(root: &Path, args: &[&str], out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let result = match parse(args) {
        Err(e) => Err(format!("spec diff: {e}\n{USAGE}")),
        Ok(Command::Rules) => out
            .write_all(render::catalogue::render().as_bytes())
            .map(|()| 0)
            .map_err(|e| format!("spec diff: {e}")),
        Ok(Command::Diff { base, head, format }) => diff(root, base, head, format, out, err),
    };
    result.unwrap_or_else(|msg| {
        let _ = writeln!(err, "{msg}");
        2
    })
}

fn diff(
    root: &Path,
    base: &str,
    head: Option<&str>,
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, String> {
    let (base, head) = match (
        source::read(root, "BASE", Some(base)),
        source::read(root, "HEAD", head),
    ) {
        (Ok(b), Ok(h)) => (b, h),
        (b, h) => {
            let problems: Vec<String> = [b.err(), h.err()].into_iter().flatten().collect();
            return Err(format!("spec diff: {}", problems.join("\nspec diff: ")));
        }
    };
    let overrides = head_overrides(&head)?;
    let at = format!("HEAD ({})", head.label);
    let (report, stale) = build(base.label, head.label, &base.spec, &head.spec, &overrides);
    for w in stale {
        let _ = writeln!(err, "spec diff: warning: {at}: {w}");
    }
    let text = match format {
        Format::Text => render::text::render(&report),
        Format::Json => render::json::render(&report),
        Format::Markdown => render::markdown::render(&report),
    };
    out.write_all(text.as_bytes())
        .map_err(|e| format!("spec diff: {e}"))?;
    Ok(u8::from(report.is_breaking()))
}

/// The overrides of the HEAD side, or why they cannot be used.
fn head_overrides(head: &Side) -> Result<Vec<Override>, String> {
    match &head.overrides {
        None => Ok(Vec::new()),
        Some(bytes) => overrides::parse(bytes).map_err(|e| {
            format!(
                "spec diff: HEAD ({}): {}:\n  {}",
                head.label,
                overrides::FILE,
                e.replace('\n', "\n  ")
            )
        }),
    }
}

/// The report from `old` to `new` with `overrides` applied, and a warning per stale override.
fn build(
    base: String,
    head: String,
    old: &Spec,
    new: &Spec,
    overrides: &[Override],
) -> (Report, Vec<String>) {
    let applied = overrides::apply(compare::compare(old, new), overrides);
    let report = Report {
        base,
        head,
        changes: applied.changes,
        ignored: applied.ignored,
    };
    (report, applied.stale)
}

/// The text report of an import: from the spec files as they were (`before`) to the files as
/// the import leaves them (`after`), with the overrides of `spec_dir`; or why there is none.
pub fn import_report(spec_dir: &Path, before: &Files, after: &Files) -> String {
    let none = "compatibility report: none";
    let old = match codegen::load::load_files(before) {
        Ok(s) => s,
        Err(e) => {
            return format!(
                "{none}: the spec did not load before the import ({} problem(s))\n",
                e.0.len()
            );
        }
    };
    let new = match codegen::load::load_files(after) {
        Ok(s) => s,
        Err(e) => {
            return format!(
                "{none} yet: the imported spec does not load ({} problem(s)); once it does, \
                 `cargo xtask spec diff <revision before the import>` (usually `HEAD`) gives it\n",
                e.0.len()
            );
        }
    };
    let overrides = match std::fs::read(spec_dir.join(overrides::FILE)) {
        Ok(bytes) => match overrides::parse(&bytes) {
            Ok(o) => o,
            Err(e) => return format!("{none}: {}: {e}\n", overrides::FILE),
        },
        Err(_) => Vec::new(),
    };
    let labels = (
        "before the import".to_owned(),
        "after the import".to_owned(),
    );
    let (report, stale) = build(labels.0, labels.1, &old, &new, &overrides);
    let mut text = render::text::render(&report);
    for w in stale {
        text.push_str(&format!("warning: {w}\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    //! The command end to end, through [`run`](super::run).

    use std::path::{Path, PathBuf};

    use serde_json::Value;

    use super::*;

    /// Exit status, stdout and stderr of the command with `args`.
    fn cmd(args: &[&str]) -> (u8, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run(&crate::workspace_root(), args, &mut out, &mut err);
        let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
        (code, text(out), text(err))
    }

    fn path(p: &Path) -> String {
        p.to_string_lossy().into_owned()
    }

    fn spec_dir() -> PathBuf {
        crate::workspace_root().join("spec")
    }

    #[test]
    fn the_same_spec_on_both_sides_has_no_changes() {
        let (code, out, err) = cmd(&[&path(&spec_dir()), "--format", "json"]);
        assert_eq!(code, 0, "{err}");
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["changes"], Value::Array(Vec::new()));
        assert_eq!(v["semver"], "none");
        assert_eq!(v["head"], "working tree");
        assert_eq!(v["base"], path(&spec_dir()));
        let (code, out, _) = cmd(&[&path(&spec_dir())]);
        assert_eq!(code, 0);
        assert!(
            out.contains("no changes; scf-api needs no release"),
            "{out}"
        );
        let (code, out, _) = cmd(&["--format=markdown", &path(&spec_dir())]);
        assert_eq!(code, 0);
        assert!(out.starts_with("No changes"), "{out}");
    }

    #[test]
    fn revisions_are_read_from_git() {
        let (code, out, err) = cmd(&["HEAD", "HEAD", "--format", "json"]);
        assert_eq!(code, 0, "{err}");
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            (&v["base"], &v["head"]),
            (&Value::from("HEAD"), &Value::from("HEAD"))
        );
        assert_eq!(v["changes"], Value::Array(Vec::new()));
    }

    #[test]
    fn sides_that_cannot_be_read_exit_with_2() {
        let (code, out, err) = cmd(&["no-such-revision-5c1d"]);
        assert_eq!(code, 2);
        assert!(out.is_empty(), "{out}");
        assert!(
            err.contains("BASE (no-such-revision-5c1d): no such directory"),
            "{err}"
        );

        let broken = source::copy_spec("diff-broken");
        std::fs::write(broken.join("service.json"), "{").unwrap();
        let (code, _, err) = cmd(&["no-such-revision-5c1d", &path(&broken)]);
        assert_eq!(code, 2);
        assert!(err.contains("BASE (no-such-revision-5c1d)"), "{err}");
        assert!(
            err.contains(&format!("HEAD ({}) does not load", path(&broken))),
            "{err}"
        );
        assert!(err.contains("service.json: $: invalid JSON"), "{err}");
        let _ = std::fs::remove_dir_all(&broken);
    }

    #[test]
    fn bad_arguments_exit_with_2_and_the_usage() {
        for args in [
            &[][..],
            &["HEAD", "--format", "yaml"],
            &["HEAD", "--format"],
            &["a", "b", "c"],
            &["HEAD", "--colour"],
            &["--rules", "HEAD"],
        ] {
            let (code, out, err) = cmd(args);
            assert_eq!(code, 2, "{args:?}");
            assert!(out.is_empty(), "{args:?}: {out}");
            assert!(err.contains(USAGE), "{args:?}: {err}");
        }
    }

    #[test]
    fn rules_prints_the_catalogue() {
        let (code, out, _) = cmd(&["--rules"]);
        assert_eq!(code, 0);
        assert_eq!(out, render::catalogue::render());
    }

    #[test]
    fn overrides_come_from_the_head_side() {
        let head = source::copy_spec("diff-overrides");
        let file = head.join(overrides::FILE);
        let base = path(&spec_dir());
        std::fs::write(
            &file,
            r#"{"overrides": [{"rule": "input-removed", "action": "Nope", "severity": "ignore", "reason": "r"}]}"#,
        )
        .unwrap();
        let (code, out, err) = cmd(&[&base, &path(&head), "--format", "json"]);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str::<Value>(&out).unwrap();
        let stale = format!(
            "warning: HEAD ({}): diff-overrides.json: overrides[0] (rule `input-removed`, action `Nope`) matches no change",
            path(&head)
        );
        assert!(err.contains(&stale), "{err}");

        std::fs::write(
            &file,
            r#"{"overrides": [{"rule": "no-such-rule", "severity": "docs", "reason": "r"}]}"#,
        )
        .unwrap();
        let (code, out, err) = cmd(&[&base, &path(&head)]);
        assert_eq!(code, 2);
        assert!(out.is_empty(), "{out}");
        assert!(
            err.contains("diff-overrides.json:\n  overrides[0]: unknown rule `no-such-rule`"),
            "{err}"
        );

        // The BASE side's overrides play no part.
        let (code, _, err) = cmd(&[&path(&head), &base]);
        assert_eq!(code, 0, "{err}");
        let _ = std::fs::remove_dir_all(&head);
    }

    #[test]
    fn an_override_decides_the_exit_status() {
        // Removing an input is breaking whatever the rule that reports it.
        let head = source::copy_spec("diff-removed-input");
        let file = head.join("actions/GetFunction.json");
        let mut action: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        let removed = action["input"].as_array_mut().unwrap().pop().unwrap();
        std::fs::write(&file, serde_json::to_vec_pretty(&action).unwrap()).unwrap();
        let args = [&*path(&spec_dir()), &*path(&head), "--format", "json"];
        let (code, out, err) = cmd(&args);
        assert_eq!(code, 1, "{err}");
        let v: Value = serde_json::from_str(&out).unwrap();
        let breaking: Vec<&Value> = v["changes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["severity"] == "breaking")
            .collect();
        assert_eq!(breaking.len(), 1, "{out}");
        let c = breaking[0];
        assert_eq!(
            (&c["action"], &c["member"]),
            (&Value::from("GetFunction"), &removed["name"])
        );

        let o = serde_json::json!({"overrides": [{"rule": c["rule"], "action": "GetFunction",
            "member": removed["name"], "severity": "dangerous", "reason": "nobody sends it"}]});
        std::fs::write(head.join(overrides::FILE), o.to_string()).unwrap();
        let (code, out, err) = cmd(&args);
        assert_eq!(code, 0, "{err}");
        assert!(err.is_empty(), "{err}");
        let v: Value = serde_json::from_str(&out).unwrap();
        let c = v["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["member"] == removed["name"])
            .unwrap();
        assert_eq!(
            (&c["severity"], &c["overridden"]),
            (&Value::from("dangerous"), &Value::from("nobody sends it"))
        );
        let (_, text, _) = cmd(&args[..2]);
        assert!(
            text.contains("overridden (the rule says breaking): nobody sends it"),
            "{text}"
        );
        let _ = std::fs::remove_dir_all(&head);
    }

    #[test]
    fn an_import_report_needs_both_sides_to_load() {
        let files = source::spec_files(&spec_dir());
        let text = import_report(&spec_dir(), &files, &files);
        assert!(
            text.starts_with("spec diff: before the import -> after the import\nno changes"),
            "{text}"
        );
        let mut broken = files.clone();
        broken.insert("service.json".to_owned(), b"{".to_vec());
        assert!(import_report(&spec_dir(), &files, &broken).contains("none yet"));
        assert!(import_report(&spec_dir(), &broken, &files).contains("did not load before"));
    }

    #[test]
    fn arguments_parse() {
        assert_eq!(
            parse(&["a", "--format=json", "b"]),
            Ok(Command::Diff {
                base: "a",
                head: Some("b"),
                format: Format::Json
            })
        );
        assert_eq!(
            parse(&["--format", "markdown", "a"]),
            Ok(Command::Diff {
                base: "a",
                head: None,
                format: Format::Markdown
            })
        );
        assert_eq!(parse(&["--rules"]), Ok(Command::Rules));
    }
}
