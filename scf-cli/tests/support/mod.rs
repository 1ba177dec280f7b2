//! Running the real `scf` binary against an in-process scf-local on 127.0.0.1, with an
//! environment that holds only what the test gives it (no HOME, no TENCENTCLOUD_* of the
//! machine, the CVM metadata source pointed at a closed local port).

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use scf_local::Server;
use tokio::runtime::Runtime;

/// A port nothing listens on: connections are refused at once.
pub const CLOSED: &str = "http://127.0.0.1:1";

/// An scf-local server with the runtime that serves it.
pub struct Local {
    pub server: Server,
    _runtime: Runtime,
}

impl Local {
    /// A server whose functions echo their event and whose async events stay RUNNING for
    /// `async_delay`.
    pub fn start(async_delay: Duration) -> Local {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let server = runtime
            .block_on(
                Server::builder()
                    .echo_functions()
                    .async_delay(async_delay)
                    .start(),
            )
            .expect("scf-local starts");
        Local {
            server,
            _runtime: runtime,
        }
    }

    /// `scf --endpoint-url <server> ARGS` with the server's keys and a region.
    pub fn scf(&self, args: &[&str]) -> Run {
        self.scf_with(args, &[])
    }

    /// As [`scf`](Self::scf), with extra variables.
    pub fn scf_with(&self, args: &[&str], vars: &[(&str, &str)]) -> Run {
        let url = self.server.url();
        let mut all = vec!["--endpoint-url", url.as_str()];
        all.extend_from_slice(args);
        let mut env = vec![
            ("TENCENTCLOUD_SECRET_ID", self.server.secret_id()),
            ("TENCENTCLOUD_SECRET_KEY", self.server.secret_key()),
            ("TENCENTCLOUD_REGION", "ap-guangzhou"),
        ];
        env.extend_from_slice(vars);
        scf_in(&all, &env)
    }
}

/// What one run of `scf` did.
#[derive(Debug)]
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts the exit status, showing both streams otherwise.
    #[track_caller]
    pub fn expect(self, status: i32) -> Run {
        assert_eq!(
            self.status, status,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Stdout as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", self.stdout))
    }
}

/// `scf ARGS` with only `vars` in its environment (and the metadata source closed).
pub fn scf_in(args: &[&str], vars: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_scf"));
    command
        .args(args)
        .env_clear()
        .env("TENCENTCLOUD_METADATA_ENDPOINT", CLOSED)
        .envs(vars.iter().copied());
    finish(command.output().expect("scf runs"))
}

fn finish(output: Output) -> Run {
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `text` with request ids and times replaced by placeholders of the same length, so that
/// tables keep their alignment.
pub fn normalize(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if let Some(len) = match_at(&chars[i..], "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", |c| {
            c.is_ascii_hexdigit()
        }) {
            out.push_str(&format!("<request-id{}>", "-".repeat(len - 12)));
            i += len;
        } else if let Some(len) =
            match_at(&chars[i..], "dddd-dd-dd dd:dd:dd", |c| c.is_ascii_digit())
        {
            out.push_str(&format!("<time{}>", "-".repeat(len - 6)));
            i += len;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The length of `pattern` when `chars` starts with it (`x`/`d`: a char passing `class`).
fn match_at(chars: &[char], pattern: &str, class: impl Fn(char) -> bool) -> Option<usize> {
    let n = pattern.chars().count();
    if chars.len() < n {
        return None;
    }
    pattern
        .chars()
        .zip(chars)
        .all(|(p, &c)| {
            if p == 'x' || p == 'd' {
                class(c)
            } else {
                p == c
            }
        })
        .then_some(n)
}

/// Compares `actual` (normalized) with `tests/golden/<name>`; `SCF_UPDATE_GOLDEN=1` rewrites it.
#[track_caller]
pub fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    // A request id starting with a digit is quoted in YAML, one starting with a letter is not.
    let id = format!("<request-id{}>", "-".repeat(24));
    let actual = normalize(actual).replace(&format!("\"{id}\""), &id);
    if std::env::var_os("SCF_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("golden dir");
        std::fs::write(&path, &actual).expect("golden written");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with SCF_UPDATE_GOLDEN=1)", path.display()));
    assert_eq!(actual, expected, "golden {name} differs");
}
