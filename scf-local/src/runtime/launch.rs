//! How an instance's process is started for each runtime: a Custom Runtime's own `bootstrap`,
//! or the interpreter on this machine running the bootstrap program scf-local ships for Python
//! and Node.js event functions (`bootstraps/python.py`, `bootstraps/node.js`).
//!
//! Every process speaks the Custom Runtime API; the shipped bootstraps turn it into SCF's event
//! handler model (`handler(event, context)`, results JSON-encoded, errors as SCF's error object
//! with status 430, 400 for an event that is not JSON, 437 for every event when the handler
//! cannot be loaded: they still report ready so each invocation explains what is wrong).
//!
//! What the instance must give the process (this module adds only the runtime's own variables):
//! the working directory = the code directory (Node requires the handler's file relative to it);
//! `SCF_RUNTIME_API` and `SCF_RUNTIME_API_PORT` (without them the bootstraps exit with status
//! 2); `_HANDLER` (`module.function` for Python, where `/` in the module part separates
//! directories; `file.function` for Node); `SCF_FUNCTIONNAME`, `SCF_FUNCTIONVERSION`,
//! `SCF_NAMESPACE`, `TENCENTCLOUD_REGION`, and optionally `TENCENTCLOUD_APPID` and
//! `TENCENTCLOUD_UIN` (empty strings in `context` when unset). Bootstraps exit with status 1 and
//! a line on stderr when the API cannot be reached or answers with a non-2xx status.
//!
//! A web function (`Type` `HTTP`) of any runtime starts its package's own `scf_bootstrap`, which
//! starts an HTTP server (see `instance::web`); it does not speak the runtime API.
//!
//! Interpreters are whatever `python3` and `node` come first on `PATH` (a version manager's shim
//! is asked once for the interpreter it stands for, see `direct`): a function declared as
//! `Python3.9` or `Nodejs16.13` runs on the local version, which may differ (the difference is
//! not reported). `Python2.7` and runtimes without an event bootstrap here (Go, Java, PHP) are
//! refused with 445.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::{FunctionSpec, Outcome};

/// The process to start for an instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Launch {
    pub(crate) program: PathBuf,
    pub(crate) args: Vec<String>,
    /// Variables this runtime adds (e.g. `PYTHONPATH`, `NODE_PATH`), besides the common ones.
    pub(crate) env: Vec<(String, String)>,
}

/// A Custom Runtime's start program.
const CUSTOM_BOOTSTRAP: &str = "bootstrap";
/// A web function's start program, which starts its HTTP server.
const WEB_BOOTSTRAP: &str = "scf_bootstrap";

/// Status `ContainerInitError`: the process cannot be started.
const CONTAINER_INIT_ERROR: u16 = 445;

/// The Python bootstrap's file name in the bootstraps directory.
const PYTHON_FILE: &str = "python.py";
/// The Node.js bootstrap's file name in the bootstraps directory.
const NODE_FILE: &str = "node.js";

/// The shipped bootstraps: file name and text.
const BOOTSTRAPS: [(&str, &str); 2] = [
    (PYTHON_FILE, include_str!("bootstraps/python.py")),
    (NODE_FILE, include_str!("bootstraps/node.js")),
];

/// Writes the bootstrap programs into `dir` (once per server), creating it if needed.
pub(crate) fn install(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, text) in BOOTSTRAPS {
        std::fs::write(dir.join(name), text)?;
    }
    Ok(())
}

/// The process for `spec`, with its code unpacked in `code_dir`, its layers in `opt_dir` and the
/// shipped bootstraps in `bootstraps`; an `Outcome::Failed` when it cannot be started (no
/// `bootstrap` in the package: 445; the interpreter missing from this machine: 445, naming it;
/// a runtime scf-local does not run: 445). Interpreters are looked up on this process's `PATH`.
pub(crate) fn command(
    spec: &FunctionSpec,
    code_dir: &Path,
    opt_dir: &Path,
    bootstraps: &Path,
) -> Result<Launch, Outcome> {
    let path = std::env::var_os("PATH");
    command_with_path(spec, code_dir, opt_dir, bootstraps, path.as_deref())
}

/// The runtimes scf-local can start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Custom,
    Python,
    Node,
}

/// Sorts a `Runtime` value, or says why scf-local does not run it.
fn kind(runtime: &str) -> Result<Kind, Outcome> {
    if runtime == "CustomRuntime" {
        return Ok(Kind::Custom);
    }
    if let Some(version) = runtime.strip_prefix("Python") {
        if version.starts_with('3') {
            return Ok(Kind::Python);
        }
        if version.starts_with('2') {
            return Err(failed(format!(
                "runtime {runtime} is not supported locally: scf-local runs Python 3 functions only"
            )));
        }
    }
    if runtime.starts_with("Nodejs") {
        return Ok(Kind::Node);
    }
    Err(failed(format!(
        "runtime {runtime} is not run by scf-local (supported: CustomRuntime, Python 3, Node.js)"
    )))
}

/// [`command`] with the `PATH` to search given (tests use one without interpreters).
fn command_with_path(
    spec: &FunctionSpec,
    code_dir: &Path,
    opt_dir: &Path,
    bootstraps: &Path,
    path: Option<&OsStr>,
) -> Result<Launch, Outcome> {
    if spec.web {
        return own_bootstrap(code_dir, WEB_BOOTSTRAP, "A web function");
    }
    match kind(&spec.runtime)? {
        Kind::Custom => own_bootstrap(code_dir, CUSTOM_BOOTSTRAP, "A Custom Runtime"),
        Kind::Python => {
            let program = interpreter("python3", "Python 3", "Python", path)?;
            let program = direct::direct(program, direct::PYTHON_ASK);
            Ok(Launch {
                program,
                args: vec![text(&bootstraps.join(PYTHON_FILE))?],
                env: vec![
                    ("PYTHONPATH".to_owned(), search_path(&[code_dir, opt_dir])?),
                    ("PYTHONDONTWRITEBYTECODE".to_owned(), "x".to_owned()),
                ],
            })
        }
        Kind::Node => {
            let program = interpreter("node", "Node.js", "Node.js", path)?;
            let program = direct::direct(program, direct::NODE_ASK);
            let dirs = [
                code_dir,
                &code_dir.join("node_modules"),
                opt_dir,
                &opt_dir.join("node_modules"),
            ];
            Ok(Launch {
                program,
                args: vec![text(&bootstraps.join(NODE_FILE))?],
                env: vec![("NODE_PATH".to_owned(), search_path(&dirs)?)],
            })
        }
    }
}

/// The package's own start program `name` (a Custom Runtime's `bootstrap`, a web function's
/// `scf_bootstrap`), which must be an executable regular file at its root; `who` needs it.
fn own_bootstrap(code_dir: &Path, name: &str, who: &str) -> Result<Launch, Outcome> {
    let bootstrap = code_dir.join(name);
    let needs = format!("{who} package needs an executable file named {name} at its root");
    let Ok(meta) = std::fs::metadata(&bootstrap) else {
        return Err(failed(format!("{name} does not exist: {needs}")));
    };
    if !meta.is_file() {
        return Err(failed(format!("{name} is not a regular file: {needs}")));
    }
    if !is_executable(&meta) {
        return Err(failed(format!(
            "{name} is not executable: give it the execute permission (chmod 755 {name}) \
             before packaging"
        )));
    }
    Ok(Launch {
        program: bootstrap,
        args: Vec::new(),
        env: Vec::new(),
    })
}

/// The first executable `name` in the absolute directories of `path` (empty and relative entries
/// are skipped: they would depend on the instance's working directory, the function's code).
fn find_program(name: &str, path: Option<&OsStr>) -> Option<PathBuf> {
    std::env::split_paths(path?)
        .filter(|dir| dir.is_absolute())
        .map(|dir| dir.join(name))
        .find(|candidate| {
            std::fs::metadata(candidate).is_ok_and(|meta| meta.is_file() && is_executable(&meta))
        })
}

/// `name` found on `path`, or a 445 naming it (`language`: what to install; `functions`: what
/// kind of functions need it).
fn interpreter(
    name: &str,
    language: &str,
    functions: &str,
    path: Option<&OsStr>,
) -> Result<PathBuf, Outcome> {
    find_program(name, path).ok_or_else(|| {
        failed(format!(
            "{name} was not found on PATH: install {language} to run {functions} functions locally"
        ))
    })
}

#[cfg(unix)]
fn is_executable(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_meta: &std::fs::Metadata) -> bool {
    true
}

/// `dirs` joined as a search path (`a:b:c`).
fn search_path(dirs: &[&Path]) -> Result<String, Outcome> {
    let joined = std::env::join_paths(dirs).map_err(|err| {
        failed(format!(
            "cannot build a search path from the function's directories: {err}"
        ))
    })?;
    joined
        .into_string()
        .map_err(|_| failed("the function's directories are not valid UTF-8".to_owned()))
}

/// A path as text for an argument.
fn text(path: &Path) -> Result<String, Outcome> {
    path.to_str()
        .map(str::to_owned)
        .ok_or_else(|| failed(format!("{} is not valid UTF-8", path.display())))
}

fn failed(message: String) -> Outcome {
    Outcome::Failed {
        status: CONTAINER_INIT_ERROR,
        message,
    }
}

mod direct;
#[cfg(test)]
mod tests;
