//! A throwaway cargo workspace of generated crates laid out like the awkward fixture, each with
//! examples that use its old API, checked by one `cargo check`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::emit::{self, Options};
use codegen::model::Spec;
use serde_json::Value;

/// A directory removed when dropped, also when the test panics.
pub struct TempDir(pub PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// The workspace's root `Cargo.toml`. The profile repeats the repository's, with scf-api (a
/// member there, a path dependency here) given the members' settings, so that the check
/// artifacts of scf-api and its dependencies in the shared target directory are reused.
const WORKSPACE_MANIFEST: &str = r#"[workspace]
resolver = "3"
members = [MEMBERS]

[profile.dev]
debug = "line-tables-only"

[profile.dev.package."*"]
debug = false

[profile.dev.package.scf-api]
debug = "line-tables-only"
"#;

/// `src/lib.rs` of a generated crate: the awkward fixture's, without its tests.
const LIB_RS: &str = "//! Generated from a mutated copy of the awkward fixture's spec.

/// The client generated action methods are added to.
#[derive(Debug, Clone)]
pub struct Client(pub scf_api::Client);

impl std::ops::Deref for Client {
    type Target = scf_api::Client;

    fn deref(&self) -> &scf_api::Client {
        &self.0
    }
}

pub mod generated;

pub use generated::{actions, types};
";

/// Writes the workspace's manifest and lockfile (the repository's, so that nothing is
/// resolved anew) for the crates in `members`.
pub fn write_workspace(dir: &Path, root: &Path, members: &[&str]) {
    fs::create_dir_all(dir).unwrap();
    let list: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    let manifest = WORKSPACE_MANIFEST.replace("MEMBERS", &list.join(", "));
    fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
}

/// Writes crate `name` under `dir`: `spec`'s code generated as for the fixture, and one
/// example per entry of `examples` (example name, body), each preceded by imports of the
/// crate's actions and types and a `client()`.
pub fn write_crate(
    dir: &Path,
    root: &Path,
    name: &str,
    spec: &Spec,
    examples: &[(String, String)],
) {
    let krate = dir.join(name);
    let scf_api = root.join("scf-api").display().to_string();
    let manifest = format!(
        "[package]\nname = \"sdk-check-{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
         publish = false\n\n[dependencies]\nscf-api = {{ path = {scf_api:?} }}\n\
         serde = {{ version = \"1\", features = [\"derive\"] }}\n"
    );
    write(&krate.join("Cargo.toml"), &manifest);
    write(&krate.join("src/lib.rs"), LIB_RS);
    let files = emit::rust_files(spec, &Options::external())
        .unwrap_or_else(|e| panic!("{name}: generating its code: {e}"));
    for f in files {
        write(&krate.join("src/generated").join(&f.path), &f.contents);
    }
    let lib = format!("sdk_check_{}", name.replace('-', "_"));
    for (example, body) in examples {
        let source = format!(
            "//! Code written against the old API, checked against `{name}`.\n#![allow(unused)]\n\
             use {lib}::actions::*;\nuse {lib}::types::*;\n\n\
             fn client() -> {lib}::Client {{\n    {lib}::Client(scf_api::Client::builder()\n        \
             .credentials(scf_api::Credentials::new(\"id\", \"key\")).build().unwrap())\n}}\n\n\
             {body}\n"
        );
        write(&krate.join(format!("examples/{example}.rs")), &source);
    }
}

fn write(path: &Path, contents: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
}

/// What the compiler said about one target.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Whether it was checked without errors.
    pub compiled: bool,
    /// Its errors, one line each (short format).
    pub errors: Vec<String>,
    /// Its warnings, one line each.
    pub warnings: Vec<String>,
}

/// The outcome of every target that produced output, keyed by (crate directory, target name;
/// `lib` for the generated code).
pub type Outcomes = BTreeMap<(String, String), Outcome>;

/// Runs one `cargo check` of every crate's library and examples in `dir`, offline, into
/// `target`, continuing past failures.
pub fn check(cargo: &str, dir: &Path, target: &Path) -> Outcomes {
    let out = Command::new(cargo)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .args([
            "check",
            "--workspace",
            "--examples",
            "--keep-going",
            "--offline",
        ])
        .arg("--message-format=json-diagnostic-short")
        .output()
        .expect("running cargo");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut outcomes = Outcomes::new();
    for line in stdout.lines() {
        let Ok(msg) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        record(&msg, dir, &mut outcomes);
    }
    let any_error = outcomes.values().any(|o| !o.errors.is_empty());
    if !out.status.success() && !any_error {
        panic!(
            "cargo check failed without a compiler error:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    outcomes
}

/// Adds one JSON message of cargo to `outcomes`, when it is about a crate under `dir`.
fn record(msg: &Value, dir: &Path, outcomes: &mut Outcomes) {
    let Some(manifest) = msg["manifest_path"].as_str().map(Path::new) else {
        return;
    };
    let Ok(rel) = manifest.strip_prefix(dir) else {
        return;
    };
    let krate = rel.parent().unwrap().display().to_string();
    let target = &msg["target"];
    let name = if target["kind"][0] == "lib" {
        "lib".to_owned()
    } else {
        target["name"].as_str().unwrap_or_default().to_owned()
    };
    let outcome = outcomes.entry((krate, name)).or_default();
    match msg["reason"].as_str() {
        Some("compiler-artifact") => outcome.compiled = true,
        Some("compiler-message") => {
            let m = &msg["message"];
            let text = m["rendered"].as_str().unwrap_or_default().trim().to_owned();
            match m["level"].as_str() {
                Some("error") => outcome.errors.push(text),
                Some("warning") => outcome.warnings.push(text),
                _ => {}
            }
        }
        _ => {}
    }
}
