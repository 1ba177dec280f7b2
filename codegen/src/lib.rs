//! Loads and validates the SCF API spec (`spec/`) and generates Rust code from it.
//!
//! The pipeline is one-way: spec files → [`load::load`] (every problem reported at once, with
//! file and JSON path) → [`model::Spec`] → [`emit`] (token streams, formatted by prettyplease)
//! → files under `scf-api/src/generated/` and `scf-local/src/generated/`.
//! `cargo xtask codegen` writes them; `cargo xtask codegen --check` compares.

use std::collections::BTreeMap;
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
pub const GENERATED_DIRS: &[&str] = &[
    "scf-api/src/generated",
    "scf-local/src/generated",
    "tests/fixtures/awkward/src/generated",
];
