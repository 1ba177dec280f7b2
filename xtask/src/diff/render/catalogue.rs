//! The rule catalogue as a markdown document: `cargo xtask spec diff --rules` prints it, and
//! `docs/spec-diff-rules.md` is that output, checked in (a test keeps the two equal).

use std::fmt::Write as _;

use super::cell;
use crate::diff::change::Severity;
use crate::diff::rules::RULES;

/// The command that regenerates the document.
pub const REGENERATE: &str = "cargo xtask spec diff --rules > docs/spec-diff-rules.md";

const INTRO: &str = "\
# Spec diff rules

<!-- Generated from the catalogue in xtask/src/diff/rules.rs; do not edit by hand.
     Regenerate with: REGENERATE -->

`cargo xtask spec diff BASE [HEAD] [--format text|json|markdown]` compares two versions of the
spec and reports every difference it finds as a change found by one of the rules below. BASE
and HEAD are each a directory holding a spec or a git revision of this repository (its `spec/`
is read from git); HEAD defaults to the working tree's `spec/`. The command exits with 0 when
no change is breaking, 1 when at least one is, and 2 when a side cannot be read or does not
load, or the arguments or the overrides file are wrong. `cargo xtask spec import` prints the
same report (as text) for what it changed.

This file is generated from the catalogue in `xtask/src/diff/rules.rs`; a test fails when the
two differ. Regenerate it with:

```sh
REGENERATE
```

## Two verdicts per change

Every rule gives a change two verdicts, because what matters to a caller on the wire and what
matters to Rust code built against the generated crate are different questions.

- **severity**: what the change does to existing callers of the API, whatever their language.
  `breaking`: calls that worked may now fail or mean something else. `dangerous`: calls keep
  working but may see something new (a value they do not handle, a member now absent, a lower
  rate limit). `compatible`: nothing that worked stops working. `docs`: only texts changed.
  Breaking changes decide the exit status; an override may change a severity.
- **sdk**: the version bump `scf-api` needs under the Cargo SemVer rules, applied to the code
  the generator writes: `major`, `minor` or `patch`. The report's verdict is the largest bump
  among its changes. Overrides never change it: the generated code is what it is.

The two often disagree. Adding a member is compatible on the wire but a major bump for the
crate: generated request, response and type structs have only public fields and are not
`#[non_exhaustive]`, so a struct literal or a pattern that names every field stops compiling
when a field is added (code that builds requests with `..Default::default()` or the builders
is unaffected, but SemVer counts every program that compiled before). The other way round,
an input that becomes required breaks callers that leave it out, while the crate only needs a
minor bump: the field's type stays `Option` and `validate()` starts refusing the request.

## Overrides

`spec/diff-overrides.json` holds the maintainers' verdicts on single changes:

```json
{\"overrides\": [{\"rule\": \"input-removed\", \"action\": \"CreateFunction\", \"member\": \"Stamp\",
                \"severity\": \"compatible\", \"reason\": \"the console never sent it\"}]}
```

`rule` is an id below, `severity` is one of the four severities or `ignore` (the change is
left out of the report), and `reason` is required; `action`, `type`, `member` and `code`
narrow the match, and a field left out matches anything. The first override matching a change
applies, and the report shows its reason. An override that matches no change is reported as
stale. The file is read from the HEAD side (from the revision when HEAD is one).

## Rules

";

/// The document, ending in a newline.
pub fn render() -> String {
    let mut out = INTRO.replace("REGENERATE", REGENERATE);
    let _ = writeln!(
        out,
        "{} rules; by severity: {}.\n",
        RULES.len(),
        Severity::ALL
            .into_iter()
            .map(|s| format!("{} {s}", RULES.iter().filter(|r| r.severity == s).count()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    out.push_str(
        "| id | change | severity | sdk | on the wire | in Rust |\n\
         | --- | --- | --- | --- | --- | --- |\n",
    );
    for r in RULES {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} |",
            r.id,
            cell(r.title),
            r.severity,
            r.sdk,
            cell(r.wire),
            cell(r.rust)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_file_is_up_to_date() {
        let path = crate::workspace_root().join("docs/spec-diff-rules.md");
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == render(),
            "docs/spec-diff-rules.md differs from the rule catalogue; regenerate it with `{REGENERATE}`"
        );
    }

    #[test]
    fn every_rule_has_a_row() {
        let doc = render();
        for r in RULES {
            assert!(doc.contains(&format!("| `{}` |", r.id)), "{}", r.id);
        }
    }
}
