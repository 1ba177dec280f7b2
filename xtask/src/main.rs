//! Maintainer tasks, run as `cargo xtask <task>`:
//!
//! - `codegen`: regenerate `scf-api/src/generated/`, `scf-local/src/generated/` and
//!   `scf-cli/src/generated/` from `spec/`.
//! - `codegen --check`: fail, naming each file, when the checked-in code differs from what the
//!   spec produces.
//! - `spec import [--check] <reference dir>`: sync `spec/` with the upstream reference files
//!   (tccli API descriptions, examples, error lists), keeping every hand-written text; with
//!   `--check`, only report what would change. Either way it also prints the compatibility
//!   report (`spec diff`) from the spec before the import to the spec after it.
//! - `spec diff BASE [HEAD] [--format text|json|markdown]`: what changed between two specs and
//!   what it means for callers on the wire and for the generated crate's version. BASE and HEAD
//!   are spec directories or git revisions (their `spec/`); HEAD defaults to the working tree.
//!   Exits with 1 when a change is breaking, 2 when the sides cannot be compared.
//!   `spec diff --rules` prints the rule catalogue, `docs/spec-diff-rules.md`.
//! - `spec check [<reference dir>]`: load and validate the spec and, given the reference, prove
//!   that it states the same facts and that `spec import --check` passes. Without a directory it
//!   uses `$SCF_REFERENCE_DIR`, and skips the comparison when neither is set.
//! - `ci`: everything CI runs: the codegen check, the spec check, `cargo fmt --check`, clippy
//!   with warnings denied, the tests, scf-api's TLS tests with the `aws-lc-rs` provider, and the
//!   docs.
//! - `perf [codegen | instructions | build [--release-only] [--only <name>,...] [--keep]]`:
//!   measure code generation time, instructions per call against a hand-written baseline
//!   (valgrind), and clean build times and binary sizes against hand-written reqwest floors;
//!   without a subcommand, all three.
//! - `perf emulator-memory [--pairs N] [--record-requests N]`: the resident memory of the
//!   `scf-local` binary over CreateFunction/DeleteFunction pairs with a 1 MiB `ZipFile`
//!   (10,000 by default); fails when it grew by more than 100 MB.
//! - `perf cli [--keep]`: the `scf` client's clean release build time (in `target/perf-cli`;
//!   `--keep` reuses it), stripped size, `scf --version` and one call against `scf local`
//!   (medians); fails over the budgets (10 MB, 5 ms, 20 ms).
//! - `package-function <bin> [--example] [--features <list>] [--target <triple>] [--out <zip>]`:
//!   build a Rust SCF function (a binary, or with `--example` an example, using `scf-runtime`;
//!   `--features` is passed to cargo) in release mode
//!   for Linux and write its Custom Runtime code package, a zip with the binary as an
//!   executable `bootstrap` at its root (default `target/function-packages/<bin>.zip`); prints
//!   the path and size. Without `--target` the host must be Linux.

mod check;
mod diff;
mod import;
mod json;
mod package;
mod perf;
mod perf_cli;
mod perf_memory;
mod reference;
#[cfg(test)]
mod test_files;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use codegen::Drift;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let root = workspace_root();
    if let ["spec", "diff", rest @ ..] = args.as_slice() {
        // Exits with 0, 1 (breaking changes) or 2 (cannot compare).
        return diff::main(&root, rest);
    }
    let result = match args.as_slice() {
        ["codegen"] => codegen(&root, false),
        ["codegen", "--check"] => codegen(&root, true),
        ["spec", "import", dir] => spec_import(&root, Path::new(dir)),
        ["spec", "import", "--check", dir] => spec_import_check(&root, Path::new(dir)),
        ["spec", "check", dir] => spec_check(&root, Some(PathBuf::from(dir))),
        ["spec", "check"] => spec_check(&root, reference_from_env()),
        ["ci"] => ci(&root),
        ["perf"] => perf::all(&root),
        ["perf", "codegen"] => perf::codegen(&root),
        ["perf", "instructions"] => perf::instructions(&root),
        ["perf", "build", options @ ..] => perf::build(&root, options),
        ["perf", "emulator-memory", options @ ..] => perf_memory::emulator_memory(&root, options),
        ["perf", "cli", options @ ..] => perf_cli::cli(&root, options),
        ["package-function", options @ ..] => package::package_function(&root, options),
        _ => {
            eprintln!(
                "usage: cargo xtask codegen [--check]\n       cargo xtask spec import [--check] <reference dir>\n       cargo xtask spec check [<reference dir>]\n       cargo xtask spec diff BASE [HEAD] [--format text|json|markdown]\n       cargo xtask spec diff --rules\n       cargo xtask ci\n       cargo xtask perf [codegen | instructions | build [--release-only] [--only <name>,...] [--keep]]\n       cargo xtask perf emulator-memory [--pairs N] [--record-requests N]\n       cargo xtask perf cli [--keep]\n       cargo xtask package-function <bin> [--example] [--features <list>] [--target <triple>] [--out <zip>]"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("{msg}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    // xtask/Cargo.toml sits one level below the workspace root.
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

fn codegen(root: &Path, check: bool) -> Result<(), String> {
    let started = std::time::Instant::now();
    let files = codegen::generate(root).map_err(|e| e.to_string())?;
    let stale = codegen::drift(root, &files);
    if !check {
        for d in &stale {
            match d {
                Drift::Changed(path) | Drift::Missing(path) => {
                    let full = root.join(path);
                    if let Some(parent) = full.parent() {
                        std::fs::create_dir_all(parent)
                            .map_err(|e| format!("{}: {e}", parent.display()))?;
                    }
                    std::fs::write(&full, &files[path]).map_err(|e| format!("{path}: {e}"))?;
                }
                Drift::Extra(path) => {
                    std::fs::remove_file(root.join(path)).map_err(|e| format!("{path}: {e}"))?;
                }
            }
        }
    }
    let elapsed = started.elapsed();
    let listed: Vec<String> = stale.iter().map(ToString::to_string).collect();
    if check {
        if stale.is_empty() {
            println!(
                "codegen --check: {} generated files are up to date ({elapsed:.2?})",
                files.len()
            );
            Ok(())
        } else {
            Err(format!(
                "codegen --check: {} file(s) differ from what the spec produces; run `cargo xtask codegen`:\n  {}",
                stale.len(),
                listed.join("\n  ")
            ))
        }
    } else {
        println!(
            "codegen: {} files generated, {} changed ({elapsed:.2?})",
            files.len(),
            stale.len()
        );
        for s in &listed {
            println!("  {s}");
        }
        Ok(())
    }
}

/// `$SCF_REFERENCE_DIR`, when set and non-empty.
fn reference_from_env() -> Option<PathBuf> {
    std::env::var_os("SCF_REFERENCE_DIR")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

fn spec_import(root: &Path, dir: &Path) -> Result<(), String> {
    let reference = reference::Reference::load(dir)?;
    let report = import::import(&root.join("spec"), &reference, false)?;
    println!(
        "spec import: {} actions, {} objects, {} error codes in the reference; {} file(s) written, {} removed",
        reference.actions.len(),
        reference.objects.len(),
        reference.codes.len(),
        report.written.len(),
        report.removed.len()
    );
    for f in &report.written {
        println!("  wrote {f}");
    }
    for f in &report.removed {
        println!("  removed {f}");
    }
    for w in &report.warnings {
        println!("  example needs a hand fix: {w}");
    }
    if let Some(diff) = &report.diff {
        print!("{diff}");
    }
    match codegen::load(&root.join("spec")) {
        Ok(_) => println!("spec import: the spec loads cleanly"),
        Err(e) => println!(
            "spec import: the spec does not load yet ({} problem(s)); fix them by hand, e.g. translate new texts:\n{e}",
            e.0.len()
        ),
    }
    Ok(())
}

/// Fails when `spec import` would change anything: the spec is in the importer's canonical
/// form and in sync with the reference.
fn spec_import_check(root: &Path, dir: &Path) -> Result<(), String> {
    let reference = reference::Reference::load(dir)?;
    let report = import::import(&root.join("spec"), &reference, true)?;
    if let Some(diff) = &report.diff {
        print!("{diff}");
    }
    if report.written.is_empty() && report.removed.is_empty() {
        println!(
            "spec import --check: the spec is in sync with the reference and canonically formatted"
        );
        Ok(())
    } else {
        Err(format!(
            "spec import --check: `cargo xtask spec import` would change:\n  {}",
            report
                .written
                .iter()
                .chain(&report.removed)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n  ")
        ))
    }
}

fn spec_check(root: &Path, dir: Option<PathBuf>) -> Result<(), String> {
    let spec = codegen::load(&root.join("spec")).map_err(|e| e.to_string())?;
    println!(
        "spec check: the spec loads: {} actions, {} types, {} error codes",
        spec.actions.len(),
        spec.types.len(),
        spec.errors.len()
    );
    let Some(dir) = dir else {
        println!(
            "spec check: no reference directory given (argument or SCF_REFERENCE_DIR); comparison skipped"
        );
        return Ok(());
    };
    let reference = reference::Reference::load(&dir)?;
    match check::check(&spec, &reference) {
        Ok(s) => {
            println!(
                "spec check: matches the reference: {} actions, {} types, {} members (name, type, list, required, nullable, deprecated, site), {} per-action error codes, {} codes",
                s.actions, s.types, s.members, s.action_errors, s.codes
            );
            spec_import_check(root, &dir)
        }
        Err(problems) => Err(format!(
            "spec check: {} difference(s) from the reference:\n  {}",
            problems.len(),
            problems.join("\n  ")
        )),
    }
}

fn run(
    root: &Path,
    what: &str,
    program: &str,
    args: &[&str],
    env: &[(&str, &str)],
) -> Result<(), String> {
    println!("==> {what}: {program} {}", args.join(" "));
    let started = std::time::Instant::now();
    let status = Command::new(program)
        .args(args)
        .current_dir(root)
        .envs(env.iter().copied())
        .status()
        .map_err(|e| format!("{what}: cannot run {program}: {e}"))?;
    println!("<== {what}: {status} in {:.1?}", started.elapsed());
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

fn ci(root: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    codegen(root, true)?;
    spec_check(root, reference_from_env())?;
    run(root, "format", &cargo, &["fmt", "--all", "--check"], &[])?;
    run(
        root,
        "clippy",
        &cargo,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )?;
    run(
        root,
        "tests",
        &cargo,
        &["test", "--workspace", "--locked"],
        &[],
    )?;
    // The workspace builds scf-api with its default TLS provider (ring); the opt-in aws-lc-rs
    // provider is proved by scf-api's own TLS tests built with it alone.
    run(
        root,
        "tests (aws-lc-rs)",
        &cargo,
        &[
            "test",
            "-p",
            "scf-api",
            "--no-default-features",
            "--features",
            "aws-lc-rs",
            "--locked",
            "--lib",
            "tls::",
        ],
        &[],
    )?;
    run(
        root,
        "docs",
        &cargo,
        &["doc", "--workspace", "--no-deps", "--locked"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    )?;
    println!("ci: all checks passed");
    Ok(())
}
