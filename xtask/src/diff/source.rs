//! The two sides of a diff: a directory holding a spec, or a git revision of this repository
//! whose `spec/` is read straight from git (`git ls-tree`, `git show`), without a checkout.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::model::Spec;

use super::overrides;

/// Spec files by path relative to the spec directory, as `codegen::load::load_files` takes them.
pub type Files = BTreeMap<String, Vec<u8>>;

/// Where a side comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A directory holding a spec.
    Dir(PathBuf),
    /// A git revision of the repository at the workspace root.
    Rev(String),
}

impl Origin {
    /// `arg` is a directory when one exists at that path, otherwise a revision.
    pub fn of(arg: &str) -> Origin {
        let path = Path::new(arg);
        if path.is_dir() {
            Origin::Dir(path.to_path_buf())
        } else {
            Origin::Rev(arg.to_owned())
        }
    }
}

/// One side, loaded.
#[derive(Debug)]
pub struct Side {
    /// How the side is named in reports: the argument as given, or `working tree`.
    pub label: String,
    pub spec: Spec,
    /// The side's overrides file, when it has one.
    pub overrides: Option<Vec<u8>>,
}

/// Reads and loads the side `arg` (`None`: the working tree's `spec/`); `name` (`BASE`, `HEAD`)
/// starts every error message.
pub fn read(root: &Path, name: &str, arg: Option<&str>) -> Result<Side, String> {
    let (label, origin) = match arg {
        Some(a) => (a.to_owned(), Origin::of(a)),
        None => ("working tree".to_owned(), Origin::Dir(root.join("spec"))),
    };
    let at = format!("{name} ({label})");
    let (files, overrides) = match &origin {
        Origin::Dir(dir) => {
            if !dir.join("service.json").is_file() {
                return Err(format!("{at}: {} holds no service.json", dir.display()));
            }
            let o = read_overrides(dir).map_err(|e| format!("{at}: {e}"))?;
            (spec_files(dir), o)
        }
        Origin::Rev(rev) => read_rev(root, rev).map_err(|e| format!("{at}: {e}"))?,
    };
    // Facts are compared; texts not yet translated (a spec fresh from `spec import`, an old
    // revision) are accepted and counted, since codegen will refuse them anyway.
    match codegen::load::load_files_with(&files, codegen::load::Texts::AnyLanguage) {
        Ok((spec, tolerated)) => {
            if !tolerated.is_empty() {
                eprintln!(
                    "spec diff: {at}: {} untranslated text(s) accepted for the comparison \
                     (codegen refuses them)",
                    tolerated.len()
                );
            }
            Ok(Side {
                label,
                spec,
                overrides,
            })
        }
        Err(e) => Err(format!("{at} does not load: {}", e.to_string().trim_end())),
    }
}

/// The overrides file of a spec directory, if it has one.
fn read_overrides(dir: &Path) -> Result<Option<Vec<u8>>, String> {
    let path = dir.join(overrides::FILE);
    match std::fs::read(&path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", overrides::FILE)),
    }
}

/// Whether the loader reads `rel` (a path relative to the spec directory).
pub fn is_spec_file(rel: &str) -> bool {
    rel == "service.json"
        || rel == "errors.json"
        || rel
            .strip_prefix("actions/")
            .or_else(|| rel.strip_prefix("types/"))
            .is_some_and(|name| !name.contains('/') && name.ends_with(".json"))
}

/// The spec files of `dir` the loader reads; unreadable files are left out (the loader then
/// names them as missing).
pub fn spec_files(dir: &Path) -> Files {
    let mut files = Files::new();
    let mut names = vec!["service.json".to_owned(), "errors.json".to_owned()];
    for sub in ["actions", "types"] {
        for entry in std::fs::read_dir(dir.join(sub))
            .into_iter()
            .flatten()
            .flatten()
        {
            names.push(format!("{sub}/{}", entry.file_name().to_string_lossy()));
        }
    }
    for rel in names.into_iter().filter(|n| is_spec_file(n)) {
        if let Ok(bytes) = std::fs::read(dir.join(&rel)) {
            files.insert(rel, bytes);
        }
    }
    files
}

/// The spec files and the overrides file of `spec/` at revision `rev`.
fn read_rev(root: &Path, rev: &str) -> Result<(Files, Option<Vec<u8>>), String> {
    let listing = git(
        root,
        &["ls-tree", "-r", "-z", "--name-only", rev, "--", "spec"],
    )
    .map_err(|e| format!("no such directory, and not a revision of this repository ({e})"))?;
    let mut files = Files::new();
    let mut overrides = None;
    for path in String::from_utf8_lossy(&listing).split('\0') {
        let Some(rel) = path.strip_prefix("spec/") else {
            continue;
        };
        let spec_file = is_spec_file(rel);
        if !spec_file && rel != overrides::FILE {
            continue;
        }
        let bytes = git(root, &["show", &format!("{rev}:./{path}")])?;
        if spec_file {
            files.insert(rel.to_owned(), bytes);
        } else {
            overrides = Some(bytes);
        }
    }
    if files.is_empty() {
        return Err(format!("revision `{rev}` has no spec files under spec/"));
    }
    Ok((files, overrides))
}

/// The standard output of `git args` run at `root`, or its error output.
fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        Err(format!("git {}: {}", args[0], err.trim()))
    }
}

/// A copy of the workspace's spec files in a fresh temp dir named for `tag`.
#[cfg(test)]
pub fn copy_spec(tag: &str) -> PathBuf {
    let dir = crate::test_files::temp_dir(tag);
    for (rel, bytes) in spec_files(&crate::workspace_root().join("spec")) {
        let path = dir.join(&rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_files_are_the_ones_the_loader_reads() {
        for yes in [
            "service.json",
            "errors.json",
            "actions/A.json",
            "types/T.json",
        ] {
            assert!(is_spec_file(yes), "{yes}");
        }
        for no in [
            "schema.json",
            "diff-overrides.json",
            "actions/x/A.json",
            "types/T.txt",
        ] {
            assert!(!is_spec_file(no), "{no}");
        }
    }

    #[test]
    fn a_directory_side_loads() {
        let dir = copy_spec("source-dir");
        let arg = dir.to_string_lossy().into_owned();
        let side = read(&crate::workspace_root(), "BASE", Some(&arg)).unwrap();
        assert_eq!(side.label, arg);
        assert!(!side.spec.actions.is_empty());
        assert_eq!(side.overrides, None);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_working_tree_is_the_default_side() {
        let root = crate::workspace_root();
        let side = read(&root, "HEAD", None).unwrap();
        assert_eq!(side.label, "working tree");
        assert_eq!(side.spec, codegen::load(&root.join("spec")).unwrap());
        assert!(
            side.overrides.is_some(),
            "spec/{} is checked in",
            overrides::FILE
        );
    }

    #[test]
    fn a_revision_side_loads_from_git() {
        let root = crate::workspace_root();
        let side = read(&root, "BASE", Some("HEAD")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(side.label, "HEAD");
        assert!(!side.spec.actions.is_empty());
        assert!(!side.spec.types.is_empty());
    }

    #[test]
    fn a_bad_revision_names_the_side() {
        let e = read(
            &crate::workspace_root(),
            "BASE",
            Some("no-such-revision-8f3a"),
        )
        .unwrap_err();
        assert!(
            e.starts_with("BASE (no-such-revision-8f3a): no such directory, and not a revision"),
            "{e}"
        );
    }

    #[test]
    fn a_side_that_does_not_load_gives_the_loader_messages() {
        let dir = copy_spec("source-broken");
        std::fs::write(dir.join("service.json"), "{").unwrap();
        let arg = dir.to_string_lossy().into_owned();
        let e = read(&crate::workspace_root(), "HEAD", Some(&arg)).unwrap_err();
        assert!(
            e.starts_with(&format!(
                "HEAD ({arg}) does not load: the spec has 1 problem(s)"
            )),
            "{e}"
        );
        assert!(e.contains("service.json: $: invalid JSON"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
