//! Interpreters behind version-manager shims (pyenv, nodenv, asdf and the like): the `python3`
//! or `node` found on `PATH` is then a script that works out which interpreter to run and execs
//! it, which costs about 100 ms per start on top of the interpreter's own. scf-local asks such a
//! shim once for the interpreter it stands for (`sys.executable`, `process.execPath`) and starts
//! that directly from then on: the one the shim picks in scf-local's own working directory.
//! A program that is not a script is used as it is; a shim that does not answer with an
//! executable file is used as it is too.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock, PoisonError};

use super::is_executable;

/// The arguments that make an interpreter print its own executable's path.
pub(super) const PYTHON_ASK: &[&str] = &["-c", "import sys; print(sys.executable)"];
/// The same for Node.js.
pub(super) const NODE_ASK: &[&str] = &["-e", "console.log(process.execPath)"];

/// The interpreter to start for `program`: the one it stands for when it is a script.
pub(super) fn direct(program: PathBuf, ask: &[&str]) -> PathBuf {
    if !is_script(&program) {
        return program;
    }
    static KNOWN: OnceLock<Mutex<HashMap<PathBuf, PathBuf>>> = OnceLock::new();
    let known = KNOWN.get_or_init(Mutex::default);
    let lock = || known.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(found) = lock().get(&program) {
        return found.clone();
    }
    let found = ask_for_executable(&program, ask).unwrap_or_else(|| program.clone());
    lock().insert(program, found.clone());
    found
}

/// Whether `program` starts with `#!`.
fn is_script(program: &Path) -> bool {
    let mut start = [0u8; 2];
    std::fs::File::open(program)
        .and_then(|mut file| file.read_exact(&mut start))
        .is_ok_and(|()| &start == b"#!")
}

/// What `program ask..` prints, when it is the absolute path of an executable file.
fn ask_for_executable(program: &Path, ask: &[&str]) -> Option<PathBuf> {
    let output = Command::new(program)
        .args(ask)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|output| output.status.success())?;
    let text = String::from_utf8(output.stdout).ok()?;
    let path = PathBuf::from(text.trim());
    let usable = path.is_absolute()
        && !is_script(&path)
        && std::fs::metadata(&path).is_ok_and(|meta| meta.is_file() && is_executable(&meta));
    usable.then_some(path)
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn write(path: &Path, text: &[u8]) {
        std::fs::write(path, text).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    #[test]
    fn a_shim_is_replaced_by_what_it_stands_for_and_a_binary_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        // A stand-in for a real interpreter: not a script (no `#!`).
        let real = dir.path().join("real-python");
        write(&real, b"\x7fELF not really");
        let shim = dir.path().join("python3");
        let script = format!("#!/bin/sh\necho '{}'\n", real.display());
        write(&shim, script.as_bytes());
        assert_eq!(direct(shim.clone(), PYTHON_ASK), real);
        assert_eq!(direct(real.clone(), PYTHON_ASK), real);

        // A shim that answers nothing usable is used as it is.
        let odd = dir.path().join("node");
        write(&odd, b"#!/bin/sh\necho relative/path\n");
        assert_eq!(direct(odd.clone(), NODE_ASK), odd);
    }
}
