//! The command line and environment of an instance's process, and starting it.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use tokio::process::Child;

use super::super::FunctionSpec;
use super::super::launch::Launch;

/// The process's environment, in order (a later entry of the same name wins).
pub(super) fn environment(
    spec: &FunctionSpec,
    launch: &Launch,
    code: &Path,
    tmp: &Path,
    port: u16,
) -> Vec<(String, String)> {
    let path = std::env::var("PATH").unwrap_or_else(|_| "/usr/local/bin:/usr/bin:/bin".to_owned());
    let text = |p: &Path| p.to_string_lossy().into_owned();
    let mut env: Vec<(String, String)> = [
        ("PATH", path),
        ("HOME", text(tmp)),
        ("TMPDIR", text(tmp)),
        ("LANG", "C.UTF-8".to_owned()),
        ("SCF_RUNTIME_API", "127.0.0.1".to_owned()),
        ("SCF_RUNTIME_API_PORT", port.to_string()),
        ("_HANDLER", spec.handler.clone()),
        ("SCF_RUNTIME", spec.runtime.clone()),
        ("SCF_FUNCTIONNAME", spec.name.clone()),
        ("SCF_FUNCTIONVERSION", spec.version.clone()),
        ("SCF_NAMESPACE", spec.namespace.clone()),
        ("TENCENTCLOUD_REGION", spec.region.clone()),
        ("TENCENTCLOUD_RUNENV", "SCF".to_owned()),
        ("USER_CODE_ROOT", format!("{}/", text(code))),
        ("SCF_TMP_DIR", text(tmp)),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect();
    env.extend(spec.env.iter().cloned());
    env.extend(launch.env.iter().cloned());
    env
}

/// Starts the process in its own process group, output piped.
///
/// A program unpacked a moment ago can fail to start with `ETXTBSY` ("Text file busy"): while
/// the unpacking thread had it open for writing, another thread of this process may have forked
/// to start some other program, and that child holds a copy of the descriptor until it execs.
/// The start is then tried again, a few times, a few milliseconds apart.
pub(super) async fn start(
    launch: &Launch,
    code: &Path,
    env: Vec<(String, String)>,
) -> std::io::Result<Child> {
    /// `ETXTBSY` on Linux and the BSDs.
    const TEXT_FILE_BUSY: i32 = 26;
    let mut command = tokio::process::Command::new(&launch.program);
    command
        .args(&launch.args)
        .env_clear()
        .envs(env)
        .current_dir(code)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true);
    let mut tries = 0;
    loop {
        match command.spawn() {
            Err(e) if e.raw_os_error() == Some(TEXT_FILE_BUSY) && tries < 20 => {
                tries += 1;
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            started => return started,
        }
    }
}
