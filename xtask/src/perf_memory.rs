//! `cargo xtask perf emulator-memory [--pairs N] [--record-requests N]`: the resident memory of
//! the `scf-local` binary under CreateFunction/DeleteFunction pairs with a 1 MiB `ZipFile`.
//!
//! Builds `scf-local` and the driver `scf-local-memory` (package `scf-bench`) in release, starts
//! `scf-local` on 127.0.0.1 with a free port, reads its `VmRSS` from `/proc/<pid>/status`, lets
//! the driver send the pairs through scf-api, and reads `VmRSS` and the peak `VmHWM` again.
//! Fails when the resident memory grew by more than [`BUDGET_BYTES`]. Linux only. Every child
//! process is killed on every way out.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Pairs sent unless `--pairs` says otherwise.
const DEFAULT_PAIRS: u64 = 10_000;
/// The most the resident memory may grow over the pairs: 100 MB.
const BUDGET_BYTES: u64 = 100 * 1000 * 1000;
/// Credentials the server is started with and the driver signs with (test values).
const SECRET_ID: &str = "AKIDperfmemory00000000000000000000000";
const SECRET_KEY: &str = "perf-memory-secret-key-00000000000";
/// How long the server may take to print its address.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// How often the server's memory is sampled while the driver runs.
const SAMPLE_EVERY: Duration = Duration::from_millis(250);
/// The driver's time limit: a fixed allowance plus this much per pair.
const DRIVER_BASE_TIMEOUT: Duration = Duration::from_secs(120);
const DRIVER_TIMEOUT_PER_PAIR: Duration = Duration::from_millis(100);

/// The command line of `perf emulator-memory`.
#[derive(Debug, PartialEq, Eq)]
struct Options {
    pairs: u64,
    /// Passed to `scf-local --record-requests` when set.
    record_requests: Option<u64>,
}

fn parse_options(options: &[&str]) -> Result<Options, String> {
    let mut parsed = Options {
        pairs: DEFAULT_PAIRS,
        record_requests: None,
    };
    let mut rest = options.iter();
    while let Some(option) = rest.next() {
        let mut value = |name: &str| -> Result<u64, String> {
            let text = rest
                .next()
                .ok_or_else(|| format!("perf emulator-memory: `{name}` needs a number"))?;
            text.parse()
                .map_err(|_| format!("perf emulator-memory: `{name}` needs a number, got `{text}`"))
        };
        match *option {
            "--pairs" => parsed.pairs = value("--pairs")?,
            "--record-requests" => parsed.record_requests = Some(value("--record-requests")?),
            other => {
                return Err(format!(
                    "perf emulator-memory: unknown option `{other}` (--pairs N, --record-requests N)"
                ));
            }
        }
    }
    Ok(parsed)
}

/// A child process, killed (and reaped) when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        // Best effort: the process may have exited already.
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `cargo xtask perf emulator-memory`.
pub fn emulator_memory(root: &Path, options: &[&str]) -> Result<(), String> {
    let options = parse_options(options)?;
    if !Path::new("/proc/self/status").is_file() {
        return Err("perf emulator-memory: needs Linux (/proc/<pid>/status)".to_owned());
    }
    let (server_bin, driver_bin) = build(root)?;

    let mut server = Command::new(&server_bin);
    server.args([
        "--port",
        "0",
        "--secret-id",
        SECRET_ID,
        "--secret-key",
        SECRET_KEY,
    ]);
    if let Some(n) = options.record_requests {
        server.args(["--record-requests", &n.to_string()]);
    }
    let mut server = Running(
        server
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| {
                format!(
                    "perf emulator-memory: cannot run {}: {e}",
                    server_bin.display()
                )
            })?,
    );
    let pid = server.0.id();
    let port = read_port(&mut server.0)?;
    // Let the server settle before the first reading.
    std::thread::sleep(Duration::from_millis(500));
    let start = memory(pid)?;
    println!(
        "perf emulator-memory: scf-local (pid {pid}) listens on 127.0.0.1:{port}; {} resident; sending {} pairs{}",
        mib(start.rss),
        options.pairs,
        options
            .record_requests
            .map_or_else(String::new, |n| format!(" (--record-requests {n})"))
    );

    let (seconds, highest) = drive(&driver_bin, port, options.pairs, pid)?;
    let end = memory(pid)?;
    drop(server);
    report(&options, start, end, highest, seconds)
}

/// Builds both binaries in release and returns their paths.
fn build(root: &Path) -> Result<(PathBuf, PathBuf), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let args = [
        "build",
        "--release",
        "--locked",
        "--package",
        "scf-local",
        "--bin",
        "scf-local",
        "--package",
        "scf-bench",
        "--bin",
        "scf-local-memory",
    ];
    super::run(root, "perf emulator-memory: build", &cargo, &args, &[])?;
    let dir = match std::env::var_os("CARGO_TARGET_DIR").filter(|v| !v.is_empty()) {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
    .join("release");
    let exe = |name: &str| dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let (server, driver) = (exe("scf-local"), exe("scf-local-memory"));
    for bin in [&server, &driver] {
        if !bin.is_file() {
            return Err(format!(
                "perf emulator-memory: the build succeeded but {} does not exist",
                bin.display()
            ));
        }
    }
    Ok((server, driver))
}

/// Reads the port from the server's first line, `scf-local listening on http://127.0.0.1:N`,
/// and keeps draining its stdout afterwards.
fn read_port(child: &mut Child) -> Result<u16, String> {
    let stdout = child
        .stdout
        .take()
        .ok_or("perf emulator-memory: no stdout from scf-local")?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        // The receiver is gone after a timeout; nothing is left to report to then.
        let _ = tx.send(lines.next());
        lines.for_each(drop);
    });
    let line = match rx.recv_timeout(START_TIMEOUT) {
        Ok(Some(Ok(line))) => line,
        Ok(Some(Err(e))) => return Err(format!("perf emulator-memory: reading scf-local: {e}")),
        Ok(None) | Err(_) => {
            return Err("perf emulator-memory: scf-local printed no address".to_owned());
        }
    };
    line.trim()
        .rsplit_once(':')
        .and_then(|(_, port)| port.parse().ok())
        .ok_or_else(|| format!("perf emulator-memory: scf-local printed `{line}`, not its address"))
}

/// Runs the driver to the end, sampling the server's memory meanwhile. Returns the driver's
/// own timing (seconds) and the highest resident memory sampled.
fn drive(driver: &Path, port: u16, pairs: u64, pid: u32) -> Result<(f64, u64), String> {
    let mut child = Running(
        Command::new(driver)
            .args([&port.to_string(), &pairs.to_string(), SECRET_ID, SECRET_KEY])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("perf emulator-memory: cannot run {}: {e}", driver.display()))?,
    );
    let mut stdout = child
        .0
        .stdout
        .take()
        .ok_or("perf emulator-memory: no driver stdout")?;
    let output = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let timeout = DRIVER_BASE_TIMEOUT
        + DRIVER_TIMEOUT_PER_PAIR.saturating_mul(u32::try_from(pairs).unwrap_or(u32::MAX));
    let deadline = Instant::now() + timeout;
    let mut highest = 0;
    let status = loop {
        highest = highest.max(memory(pid)?.rss);
        match child.0.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(SAMPLE_EVERY),
            Ok(None) => {
                return Err(format!(
                    "perf emulator-memory: the driver did not finish within {timeout:?}"
                ));
            }
            Err(e) => return Err(format!("perf emulator-memory: waiting for the driver: {e}")),
        }
    };
    let text = output.join().unwrap_or_default();
    if !status.success() {
        return Err(format!(
            "perf emulator-memory: the driver failed ({status})"
        ));
    }
    let seconds = text
        .lines()
        .find_map(|line| line.strip_prefix("DONE "))
        .and_then(|rest| rest.split_whitespace().nth(1)?.parse().ok())
        .ok_or_else(|| format!("perf emulator-memory: the driver printed `{}`", text.trim()))?;
    Ok((seconds, highest))
}

/// Resident memory of a process, in bytes.
#[derive(Debug, Clone, Copy)]
struct Memory {
    /// `VmRSS`: resident now.
    rss: u64,
    /// `VmHWM`: the most resident so far.
    hwm: u64,
}

/// `VmRSS` and `VmHWM` of process `pid`.
fn memory(pid: u32) -> Result<Memory, String> {
    let path = format!("/proc/{pid}/status");
    let status =
        std::fs::read_to_string(&path).map_err(|e| format!("perf emulator-memory: {path}: {e}"))?;
    let field = |name: &str| {
        parse_kb(&status, name)
            .ok_or_else(|| format!("perf emulator-memory: no `{name}` in {path}"))
    };
    Ok(Memory {
        rss: field("VmRSS")?,
        hwm: field("VmHWM")?,
    })
}

/// The value of a `Name:   123 kB` line of `/proc/<pid>/status`, in bytes.
fn parse_kb(status: &str, name: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.split(':').next() == Some(name))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// `n` bytes in MiB, to one decimal.
fn mib(n: u64) -> String {
    format!("{:.1} MiB", n as f64 / (1024.0 * 1024.0))
}

/// Prints the figures and checks the budget.
fn report(
    options: &Options,
    start: Memory,
    end: Memory,
    highest: u64,
    seconds: f64,
) -> Result<(), String> {
    let growth = end.rss.saturating_sub(start.rss);
    println!();
    println!(
        "| pairs | seconds | VmRSS at start | VmRSS at end | growth | highest VmRSS sampled | VmHWM (peak) |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {} | {seconds:.1} | {} | {} | {} | {} | {} |",
        options.pairs,
        mib(start.rss),
        mib(end.rss),
        mib(growth),
        mib(highest),
        mib(end.hwm)
    );
    println!();
    let within = end.rss <= start.rss + BUDGET_BYTES;
    println!(
        "budget: VmRSS at end - at start <= 100 MB: {} {}",
        mib(growth),
        if within { "ok" } else { "OVER" }
    );
    if within {
        Ok(())
    } else {
        Err(format!(
            "perf emulator-memory: scf-local grew by {} over {} pairs, more than 100 MB",
            mib(growth),
            options.pairs
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_and_proc_status() {
        assert_eq!(
            parse_options(&[]).unwrap(),
            Options {
                pairs: 10_000,
                record_requests: None
            }
        );
        assert_eq!(
            parse_options(&["--pairs", "5", "--record-requests", "100"]).unwrap(),
            Options {
                pairs: 5,
                record_requests: Some(100)
            }
        );
        assert!(parse_options(&["--pairs"]).is_err());
        assert!(parse_options(&["--pairs", "x"]).is_err());
        assert!(parse_options(&["--other"]).is_err());
        let status = "Name:\tscf-local\nVmHWM:\t  20480 kB\nVmRSS:\t   10240 kB\n";
        assert_eq!(parse_kb(status, "VmRSS"), Some(10 * 1024 * 1024));
        assert_eq!(parse_kb(status, "VmHWM"), Some(20 * 1024 * 1024));
        assert_eq!(parse_kb(status, "VmSwap"), None);
    }
}
