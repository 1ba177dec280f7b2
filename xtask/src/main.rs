//! Maintainer tasks, run as `cargo xtask <task>`:
//!
//! - `codegen`: regenerate `scf-api/src/generated/` and `scf-local/src/generated/` from `spec/`.
//! - `codegen --check`: fail, naming each file, when the checked-in code differs from what the
//!   spec produces.
//! - `ci`: everything CI runs: the codegen check, `cargo fmt --check`, clippy with warnings
//!   denied, the tests and the docs.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let root = workspace_root();
    let result = match args.as_slice() {
        ["codegen"] => codegen(&root, false),
        ["codegen", "--check"] => codegen(&root, true),
        ["ci"] => ci(&root),
        _ => {
            eprintln!("usage: cargo xtask codegen [--check] | cargo xtask ci");
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

/// Files currently under the generated directories, relative to the root.
fn existing_generated(root: &Path) -> BTreeSet<String> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeSet<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, root, out);
            } else if let Ok(rel) = p.strip_prefix(root) {
                out.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = BTreeSet::new();
    for d in codegen::GENERATED_DIRS {
        walk(&root.join(d), root, &mut out);
    }
    out
}

fn codegen(root: &Path, check: bool) -> Result<(), String> {
    let started = std::time::Instant::now();
    let files = codegen::generate(root).map_err(|e| e.to_string())?;
    let existing = existing_generated(root);
    let mut stale = Vec::new();
    for (path, contents) in &files {
        let full = root.join(path);
        let current = std::fs::read_to_string(&full).ok();
        if current.as_deref() != Some(contents.as_str()) {
            stale.push(if current.is_none() {
                format!("{path} (missing)")
            } else {
                path.clone()
            });
            if !check {
                if let Some(parent) = full.parent() {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| format!("{}: {e}", parent.display()))?;
                }
                std::fs::write(&full, contents).map_err(|e| format!("{path}: {e}"))?;
            }
        }
    }
    for path in existing.iter().filter(|p| !files.contains_key(*p)) {
        stale.push(format!("{path} (not produced by the spec)"));
        if !check {
            std::fs::remove_file(root.join(path)).map_err(|e| format!("{path}: {e}"))?;
        }
    }
    let elapsed = started.elapsed();
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
                stale.join("\n  ")
            ))
        }
    } else {
        println!(
            "codegen: {} files generated, {} changed ({elapsed:.2?})",
            files.len(),
            stale.len()
        );
        for s in &stale {
            println!("  {s}");
        }
        Ok(())
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
