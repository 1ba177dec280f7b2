//! `cargo xtask perf cli`: the `scf` command-line client's clean build time in the `dist`
//! profile (release with LTO, stripped), its size, `scf --version` and one call against a local scf-local (the `scf local` of that build,
//! another process), against the budgets of issue 20.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `scf --version`: median budget.
const VERSION_BUDGET: Duration = Duration::from_millis(5);
/// One call against a local server: median budget.
const CALL_BUDGET: Duration = Duration::from_millis(20);
/// The distributed binary (profile `dist`: LTO, stripped): size budget, 10 MB (10^7 bytes).
const SIZE_BUDGET: u64 = 10_000_000;
/// Runs per timing.
const RUNS: usize = 41;

/// Runs the measurements; `--keep` reuses the previous build directory instead of a clean build.
pub fn cli(root: &Path, options: &[&str]) -> Result<(), String> {
    let keep = options.contains(&"--keep");
    if let Some(bad) = options.iter().find(|o| **o != "--keep") {
        return Err(format!("perf cli: unknown option {bad} (only --keep)"));
    }
    let target = root.join("target/perf-cli");
    if !keep && target.exists() {
        std::fs::remove_dir_all(&target).map_err(|e| format!("{}: {e}", target.display()))?;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let started = Instant::now();
    let status = Command::new(&cargo)
        .args([
            "build",
            "--profile",
            "dist",
            "--locked",
            "-p",
            "scf-cli",
            "--bin",
            "scf",
        ])
        .arg("--target-dir")
        .arg(&target)
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let build = started.elapsed();
    if !status.success() {
        return Err(format!("perf cli: the dist build failed ({status})"));
    }
    let scf = target.join("dist/scf");
    let size = stripped_size(&scf, &target)?;
    let version = median(RUNS, || run(&scf, &["--version"], &[]))?;
    let call = call_median(&scf)?;
    let fresh = if keep { "incremental" } else { "clean" };
    println!("perf cli: {fresh} dist build of scf (all dependencies): {build:.1?}");
    println!(
        "perf cli: stripped binary {:.2} MB ({size} bytes; budget {} MB)",
        mb(size),
        SIZE_BUDGET / 1_000_000
    );
    println!("perf cli: scf --version median {version:.2?} (budget {VERSION_BUDGET:?})");
    println!(
        "perf cli: scf ListNamespaces against scf-local median {call:.2?} (budget {CALL_BUDGET:?})"
    );
    let mut over = Vec::new();
    if size > SIZE_BUDGET {
        over.push("binary size");
    }
    if version > VERSION_BUDGET {
        over.push("--version");
    }
    if call > CALL_BUDGET {
        over.push("one call");
    }
    if over.is_empty() {
        Ok(())
    } else {
        Err(format!("perf cli: over budget: {}", over.join(", ")))
    }
}

/// Megabytes of 10^6 bytes.
fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1_000_000.0
}

fn stripped_size(scf: &Path, target: &Path) -> Result<u64, String> {
    let copy: PathBuf = target.join("scf-stripped");
    std::fs::copy(scf, &copy).map_err(|e| format!("{}: {e}", scf.display()))?;
    let status = Command::new("strip")
        .arg(&copy)
        .status()
        .map_err(|e| format!("cannot run strip: {e}"))?;
    if !status.success() {
        return Err(format!("strip failed ({status})"));
    }
    std::fs::metadata(&copy)
        .map(|m| m.len())
        .map_err(|e| format!("{}: {e}", copy.display()))
}

/// Runs `scf args` once and returns how long it took; a failed run is an error.
fn run(scf: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<Duration, String> {
    let started = Instant::now();
    let out = Command::new(scf)
        .args(args)
        .env_clear()
        .envs(env.iter().copied())
        .output()
        .map_err(|e| format!("cannot run scf: {e}"))?;
    let elapsed = started.elapsed();
    if !out.status.success() {
        return Err(format!(
            "scf {} failed ({}): {}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(elapsed)
}

fn median(
    runs: usize,
    mut once: impl FnMut() -> Result<Duration, String>,
) -> Result<Duration, String> {
    once()?; // warm the page cache
    let mut times = (0..runs).map(|_| once()).collect::<Result<Vec<_>, _>>()?;
    times.sort();
    Ok(times[times.len() / 2])
}

/// Stops the server process when the measurement ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn call_median(scf: &Path) -> Result<Duration, String> {
    let mut child = Command::new(scf)
        .args(["local", "--port", "0", "--echo"])
        .env_clear()
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start scf local: {e}"))?;
    let stdout = child.stdout.take().ok_or("scf local: no stdout")?;
    let server = Server(child);
    let mut lines = BufReader::new(stdout).lines().map_while(Result::ok);
    let mut field = |prefix: &str| -> Result<String, String> {
        let line = lines.next().ok_or("scf local stopped early")?;
        line.strip_prefix(prefix)
            .map(|v| v.trim().to_owned())
            .ok_or_else(|| format!("scf local: unexpected line {line:?}"))
    };
    let url = field("scf-local listening on ")?;
    let id = field("SecretId:")?;
    let key = field("SecretKey:")?;
    let env = [
        ("TENCENTCLOUD_SECRET_ID", id.as_str()),
        ("TENCENTCLOUD_SECRET_KEY", key.as_str()),
        ("TENCENTCLOUD_REGION", "ap-guangzhou"),
    ];
    let args = ["--endpoint-url", url.as_str(), "ListNamespaces"];
    let result = median(RUNS, || run(scf, &args, &env));
    drop(server);
    result
}
