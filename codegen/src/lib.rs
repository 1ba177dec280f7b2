//! Loads and validates the SCF API spec (`spec/`) and generates Rust code from it.
//!
//! The pipeline is one-way: spec files → [`load::load`] (every problem reported at once, with
//! file and JSON path) → [`model::Spec`] → [`emit`] (token streams, formatted by prettyplease)
//! → files under `scf-api/src/generated/`, `scf-local/src/generated/` and
//! `scf-cli/src/generated/`.
//! `cargo xtask codegen` writes them; `cargo xtask codegen --check` compares.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

pub mod emit;
pub mod load;
pub mod model;
pub mod names;

pub use load::{SpecError, SpecErrors, load};

/// Why generation failed.
#[derive(Debug)]
pub enum Error {
    /// The spec is invalid.
    Spec(SpecErrors),
    /// The generator produced invalid Rust.
    Emit(emit::EmitError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Spec(e) => e.fmt(f),
            Error::Emit(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {}

/// Fixture specs under `tests/fixtures/<name>/spec`, each generated into
/// `tests/fixtures/<name>/src/generated` for a crate that compiles the output.
pub const FIXTURES: &[&str] = &["awkward"];

/// Loads the spec in `<root>/spec` and the fixture specs, and returns every generated file,
/// keyed by its path relative to the workspace root `root`.
pub fn generate(root: &Path) -> Result<BTreeMap<String, String>, Error> {
    let spec = load(&root.join("spec")).map_err(Error::Spec)?;
    let mut out = emit::workspace_files(&spec).map_err(Error::Emit)?;
    for name in FIXTURES {
        let spec = load(&root.join(format!("tests/fixtures/{name}/spec"))).map_err(Error::Spec)?;
        for f in emit::rust_files(&spec, &emit::Options::external()).map_err(Error::Emit)? {
            out.insert(
                format!("tests/fixtures/{name}/src/generated/{}", f.path),
                f.contents,
            );
        }
    }
    Ok(out)
}

/// Directories whose every file is generated; a file there that the spec does not produce is
/// stale.
pub fn generated_dirs() -> Vec<String> {
    let mut dirs = vec![
        "scf-api/src/generated".to_owned(),
        "scf-local/src/generated".to_owned(),
        "scf-cli/src/generated".to_owned(),
        "tests/tests/generated".to_owned(),
    ];
    dirs.extend(
        FIXTURES
            .iter()
            .map(|name| format!("tests/fixtures/{name}/src/generated")),
    );
    dirs
}

/// How a checked-in generated file differs from what the spec produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    /// The file exists with other contents.
    Changed(String),
    /// The spec produces the file but it does not exist.
    Missing(String),
    /// The file is in a generated directory but the spec does not produce it.
    Extra(String),
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Drift::Changed(p) => f.write_str(p),
            Drift::Missing(p) => write!(f, "{p} (missing)"),
            Drift::Extra(p) => write!(f, "{p} (not produced by the spec)"),
        }
    }
}

/// Compares `files` (from [`generate`]) with what is checked in under `root`.
pub fn drift(root: &Path, files: &BTreeMap<String, String>) -> Vec<Drift> {
    let mut out = Vec::new();
    for (path, contents) in files {
        match std::fs::read_to_string(root.join(path)) {
            Ok(current) if &current == contents => {}
            Ok(_) => out.push(Drift::Changed(path.clone())),
            Err(_) => out.push(Drift::Missing(path.clone())),
        }
    }
    let mut existing = BTreeSet::new();
    for dir in generated_dirs() {
        walk(&root.join(dir), root, &mut existing);
    }
    out.extend(
        existing
            .into_iter()
            .filter(|p| !files.contains_key(p))
            .map(Drift::Extra),
    );
    out
}

/// Collects the files below `dir` as paths relative to `root` with `/` separators.
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
