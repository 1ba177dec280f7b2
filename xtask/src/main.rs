//! Maintainer tasks, run as `cargo xtask <task>`:
//!
//! - `codegen`: regenerate `scf-api/src/generated/` and `scf-local/src/generated/` from `spec/`.
//! - `codegen --check`: fail, naming each file, when the checked-in code differs from what the
//!   spec produces.
//! - `ci`: everything CI runs: the codegen check, `cargo fmt --check`, clippy with warnings
//!   denied, the tests and the docs.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use codegen::Drift;

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
