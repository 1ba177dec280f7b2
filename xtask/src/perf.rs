//! `cargo xtask perf [codegen | instructions | build]`: measures what the SDK costs its users and
//! its maintainers, against the budgets the project set itself.
//!
//! - `codegen`: the whole code generation pipeline, in process.
//! - `instructions`: instructions per `Invoke` call, scf-api against a hand-written reqwest
//!   baseline, counted by valgrind (callgrind) on the `scf-bench-calls` binary.
//! - `build`: clean build times of scf-api and of hello-world binaries (one using scf-api, two
//!   calling the API by hand with reqwest), and the stripped size of those binaries.
//!
//! Figures are printed as Markdown tables; a budget that is exceeded is marked `OVER` but does
//! not fail the command, since timings depend on the machine.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// Budgets and settings
// ---------------------------------------------------------------------------------------------

/// Longest acceptable median time of the full code generation pipeline.
const CODEGEN_BUDGET: Duration = Duration::from_secs(2);
/// Timed runs of each codegen step.
const CODEGEN_RUNS: usize = 5;

/// Largest acceptable ratio of hello-scf's clean release build time, and of its stripped size,
/// to a hand-written reqwest floor's.
const BUILD_BUDGET: f64 = 1.3;
/// Log lines shown when a build fails.
const LOG_TAIL_LINES: usize = 40;

/// Largest acceptable ratio of scf-api's instructions per call to the baseline's.
const INSTRUCTIONS_BUDGET: f64 = 1.15;
/// Calls of the shorter and of the longer measured run; the difference between the two counts
/// cancels start-up and warm-up costs.
const SHORT_RUN_CALLS: u64 = 200;
const LONG_RUN_CALLS: u64 = 1200;
/// Clients `scf-bench-calls run` knows, the measured one first.
const BENCH_CLIENTS: [&str; 2] = ["scf-api", "baseline"];
/// Package and binary driven by `perf instructions`.
const BENCH_PACKAGE: &str = "scf-bench";
const BENCH_BIN: &str = "scf-bench-calls";
/// How long `scf-bench-calls serve` may take to print its port, and to exit once its stdin is
/// closed.
const SERVER_START_TIMEOUT: Duration = Duration::from_secs(60);
const SERVER_STOP_TIMEOUT: Duration = Duration::from_secs(5);

/// Endpoint compiled into the hello-world binaries: the discard port, never actually called.
const HELLO_ENDPOINT: &str = "http://127.0.0.1:9/";

// ---------------------------------------------------------------------------------------------
// perf (everything)
// ---------------------------------------------------------------------------------------------

/// `cargo xtask perf`: codegen, instructions, then build, stopping at the first failure.
pub fn all(root: &Path) -> Result<(), String> {
    codegen(root)?;
    println!();
    instructions(root)?;
    println!();
    build(root, &[])
}

// ---------------------------------------------------------------------------------------------
// perf codegen
// ---------------------------------------------------------------------------------------------

/// `cargo xtask perf codegen`: times `codegen::generate` and `codegen::load` in process.
pub fn codegen(root: &Path) -> Result<(), String> {
    let profile = if cfg!(debug_assertions) {
        "dev"
    } else {
        "release"
    };
    println!("perf codegen: xtask was built with the `{profile}` profile");
    if cfg!(debug_assertions) {
        println!(
            "perf codegen: for optimised figures run `cargo run --release --package xtask -- perf codegen`"
        );
    }

    let mut files = BTreeMap::new();
    let generate_times = time_runs(CODEGEN_RUNS, || {
        files = codegen::generate(root).map_err(|e| format!("perf codegen: generate: {e}"))?;
        Ok(())
    })?;
    let spec_dir = root.join("spec");
    let load_times = time_runs(CODEGEN_RUNS, || {
        codegen::load(&spec_dir)
            .map(drop)
            .map_err(|e| format!("perf codegen: load {}: {e}", spec_dir.display()))
    })?;

    println!();
    println!("| step | runs | min | median |");
    println!("|---|---:|---:|---:|");
    for (step, times) in [
        (
            "full codegen (load + validate + generate + format)",
            &generate_times,
        ),
        ("load `spec/` alone", &load_times),
    ] {
        println!(
            "| {step} | {} | {} | {} |",
            times.len(),
            format_duration(min(times)),
            format_duration(median(times)),
        );
    }
    println!();
    let bytes: usize = files.values().map(String::len).sum();
    println!(
        "generated: {} files, {} ({bytes} bytes)",
        files.len(),
        format_mib(bytes as u64)
    );
    let full = median(&generate_times);
    println!(
        "budget: full codegen < {}: median {} {}",
        format_duration(CODEGEN_BUDGET),
        format_duration(full),
        verdict(full < CODEGEN_BUDGET)
    );
    Ok(())
}

/// Runs `f` `runs` times and returns how long each run took.
fn time_runs(
    runs: usize,
    mut f: impl FnMut() -> Result<(), String>,
) -> Result<Vec<Duration>, String> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        f()?;
        times.push(started.elapsed());
    }
    Ok(times)
}

// ---------------------------------------------------------------------------------------------
// perf instructions
// ---------------------------------------------------------------------------------------------

/// Instructions counted for one client.
struct InstructionCount {
    /// The client, as `scf-bench-calls run` names it.
    client: &'static str,
    /// Instructions of the run with [`SHORT_RUN_CALLS`] calls.
    short: u64,
    /// Instructions of the run with [`LONG_RUN_CALLS`] calls.
    long: u64,
}

impl InstructionCount {
    /// Instructions per call: the difference between the long and the short run, divided by
    /// the difference in calls.
    fn per_call(&self) -> f64 {
        self.long.saturating_sub(self.short) as f64 / (LONG_RUN_CALLS - SHORT_RUN_CALLS) as f64
    }
}

/// `cargo xtask perf instructions`: instructions per `Invoke` call of scf-api and of the
/// baseline client, counted by callgrind against a local `scf-bench-calls serve`.
pub fn instructions(root: &Path) -> Result<(), String> {
    check_valgrind()?;
    let bin = build_bench(root)?;
    let server = BenchServer::start(&bin)?;
    println!(
        "perf instructions: {BENCH_BIN} serve listens on 127.0.0.1:{}",
        server.port
    );

    let mut counts = Vec::new();
    for client in BENCH_CLIENTS {
        let short = count_instructions(&bin, client, SHORT_RUN_CALLS, server.port)?;
        let long = count_instructions(&bin, client, LONG_RUN_CALLS, server.port)?;
        if long < short {
            return Err(format!(
                "perf instructions: {client}: {} calls counted fewer instructions ({long}) than {} calls ({short})",
                LONG_RUN_CALLS, SHORT_RUN_CALLS
            ));
        }
        counts.push(InstructionCount {
            client,
            short,
            long,
        });
    }
    drop(server);

    println!();
    println!(
        "| client | instructions, {} calls | instructions, {} calls | instructions per call |",
        SHORT_RUN_CALLS, LONG_RUN_CALLS
    );
    println!("|---|---:|---:|---:|");
    for c in &counts {
        println!(
            "| {} | {} | {} | {:.0} |",
            c.client,
            c.short,
            c.long,
            c.per_call()
        );
    }
    println!();
    if let [scf_api, baseline] = counts.as_slice() {
        match ratio(scf_api.per_call(), baseline.per_call()) {
            Some(r) => println!(
                "{} / {} per call: {}",
                scf_api.client,
                baseline.client,
                format_ratio(r, Some(INSTRUCTIONS_BUDGET))
            ),
            None => println!(
                "{} / {} per call: n/a (the baseline counted no instructions per call)",
                scf_api.client, baseline.client
            ),
        }
    }
    Ok(())
}

/// Fails with a clear message when valgrind cannot be run.
fn check_valgrind() -> Result<(), String> {
    match Command::new("valgrind")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
    {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!(
            "perf instructions: `valgrind --version` failed ({status})"
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(
            "perf instructions: valgrind is not installed; install it (e.g. `apt-get install valgrind`) to count instructions"
                .to_owned(),
        ),
        Err(e) => Err(format!("perf instructions: cannot run valgrind: {e}")),
    }
}

/// Builds `scf-bench-calls` with the `bench` profile and returns the path of the binary.
fn build_bench(root: &Path) -> Result<PathBuf, String> {
    let cargo = cargo_program();
    super::run(
        root,
        "perf instructions: build",
        &cargo,
        &[
            "build",
            "--profile",
            "bench",
            "--package",
            BENCH_PACKAGE,
            "--bin",
            BENCH_BIN,
            "--locked",
        ],
        &[],
    )
    .map_err(|e| {
        format!(
            "{e}; `perf instructions` needs the binary `{BENCH_BIN}` of the package `{BENCH_PACKAGE}`"
        )
    })?;
    // The `bench` profile inherits from `release` and shares its output directory.
    let bin = workspace_target_dir(root)
        .join("release")
        .join(format!("{BENCH_BIN}{}", std::env::consts::EXE_SUFFIX));
    if bin.is_file() {
        Ok(bin)
    } else {
        Err(format!(
            "perf instructions: the build succeeded but {} does not exist",
            bin.display()
        ))
    }
}

/// The workspace's target directory: `$CARGO_TARGET_DIR` (relative to the root) when set,
/// else `<root>/target`.
fn workspace_target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR").filter(|v| !v.is_empty()) {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

/// A running `scf-bench-calls serve`, stopped (stdin closed, then killed if it lingers) when
/// dropped.
struct BenchServer {
    child: Child,
    port: u16,
}

impl BenchServer {
    /// Starts the server and reads the port from its `PORT <n>` line.
    fn start(bin: &Path) -> Result<Self, String> {
        let mut child = Command::new(bin)
            .arg("serve")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("perf instructions: cannot run {} serve: {e}", bin.display()))?;
        match read_port(&mut child) {
            Ok(port) => Ok(BenchServer { child, port }),
            Err(e) => {
                stop(&mut child);
                Err(e)
            }
        }
    }
}

impl Drop for BenchServer {
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}

/// Waits for the server's first line, `PORT <n>`, and keeps draining its stdout afterwards so
/// that it never blocks on a full pipe.
fn read_port(child: &mut Child) -> Result<u16, String> {
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| format!("perf instructions: no stdout from {BENCH_BIN} serve"))?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        // The receiver may be gone after a timeout; nothing is left to report to then.
        let _ = tx.send(lines.next());
        lines.for_each(drop);
    });
    let line = match rx.recv_timeout(SERVER_START_TIMEOUT) {
        Ok(Some(Ok(line))) => line,
        Ok(Some(Err(e))) => {
            return Err(format!(
                "perf instructions: reading the stdout of {BENCH_BIN} serve: {e}"
            ));
        }
        Ok(None) | Err(RecvTimeoutError::Disconnected) => {
            return Err(format!(
                "perf instructions: {BENCH_BIN} serve exited without printing `PORT <n>`"
            ));
        }
        Err(RecvTimeoutError::Timeout) => {
            return Err(format!(
                "perf instructions: {BENCH_BIN} serve printed no `PORT <n>` line within {}",
                format_duration(SERVER_START_TIMEOUT)
            ));
        }
    };
    parse_port_line(&line).ok_or_else(|| {
        format!("perf instructions: {BENCH_BIN} serve printed `{line}`, expected `PORT <n>`")
    })
}

/// Stops a server: closes its stdin, waits a little for it to exit, then kills it.
fn stop(child: &mut Child) {
    drop(child.stdin.take());
    let deadline = Instant::now() + SERVER_STOP_TIMEOUT;
    while Instant::now() < deadline {
        match child.try_wait() {
            Ok(Some(_)) => return,
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => break,
        }
    }
    // Best effort: the process may have exited in the meantime.
    let _ = child.kill();
    let _ = child.wait();
}

/// Runs `scf-bench-calls run <client> <calls> <port>` under callgrind and returns the
/// instructions it collected.
fn count_instructions(bin: &Path, client: &str, calls: u64, port: u16) -> Result<u64, String> {
    let what = format!("{BENCH_BIN} run {client} {calls} {port}");
    let started = Instant::now();
    let output = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(bin)
        .args(["run", client, &calls.to_string(), &port.to_string()])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("perf instructions: cannot run valgrind ({what}): {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!(
            "perf instructions: `{what}` under valgrind failed ({}); end of its output:\n{}",
            output.status,
            tail(&stderr, LOG_TAIL_LINES)
        ));
    }
    let collected = parse_collected(&stderr).ok_or_else(|| {
        format!(
            "perf instructions: valgrind printed no `Collected : <n>` line for `{what}`; end of its output:\n{}",
            tail(&stderr, LOG_TAIL_LINES)
        )
    })?;
    println!(
        "perf instructions: {client}, {calls} calls: {collected} instructions ({})",
        format_duration(started.elapsed())
    );
    Ok(collected)
}

/// The port of a `PORT <n>` line.
fn parse_port_line(line: &str) -> Option<u16> {
    line.trim().strip_prefix("PORT ")?.trim().parse().ok()
}

/// The count of callgrind's `==<pid>== Collected : <n>` line (the last one, if several).
fn parse_collected(stderr: &str) -> Option<u64> {
    stderr.lines().rev().find_map(|line| {
        let rest = line.trim_start();
        // Skip the `==<pid>==` prefix valgrind puts on its own lines.
        let rest = match rest.strip_prefix("==") {
            Some(after) => after.split_once("==")?.1,
            None => rest,
        };
        let count = rest.trim_start().strip_prefix("Collected")?;
        let count = count.trim_start().strip_prefix(':')?.trim();
        count.replace(',', "").parse().ok()
    })
}

// ---------------------------------------------------------------------------------------------
// perf build
// ---------------------------------------------------------------------------------------------

/// What `perf build` measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Project {
    /// The workspace's `scf-api` crate alone.
    ScfApi,
    /// A hello-world binary making one `Invoke` call through scf-api.
    HelloScf,
    /// The same through scf-api with the `aws-lc-rs` TLS feature instead of `ring`: what
    /// post-quantum key exchange costs in build time and size.
    HelloScfAwsLc,
    /// The same call signed by hand, with reqwest's default features: the floor a user would
    /// write.
    HelloReqwest,
    /// The same call signed by hand, with reqwest on rustls and ring like scf-api: the floor
    /// on scf-api's TLS stack.
    HelloReqwestRing,
}

/// Every project, in the order they are measured and printed.
const PROJECTS: [Project; 5] = [
    Project::ScfApi,
    Project::HelloScf,
    Project::HelloScfAwsLc,
    Project::HelloReqwest,
    Project::HelloReqwestRing,
];

/// The floors hello-scf is compared with.
const FLOORS: [Project; 2] = [Project::HelloReqwest, Project::HelloReqwestRing];

impl Project {
    /// The name used on the command line, in tables and as the directory and binary name.
    fn name(self) -> &'static str {
        match self {
            Project::ScfApi => "scf-api",
            Project::HelloScf => "hello-scf",
            Project::HelloScfAwsLc => "hello-scf-aws-lc",
            Project::HelloReqwest => "hello-reqwest",
            Project::HelloReqwestRing => "hello-reqwest-ring",
        }
    }

    /// The project called `name`.
    fn from_name(name: &str) -> Option<Self> {
        PROJECTS.into_iter().find(|p| p.name() == name)
    }

    /// Whether the project is a generated binary (everything but the scf-api crate).
    fn is_binary(self) -> bool {
        self != Project::ScfApi
    }

    /// `<root>/target/perf/<name>`: generated sources, build logs and target directories.
    fn dir(self, root: &Path) -> PathBuf {
        root.join("target").join("perf").join(self.name())
    }

    /// The `Cargo.toml` and `src/main.rs` of a generated binary; `None` for the scf-api crate.
    fn sources(self, root: &Path) -> Result<Option<(String, String)>, String> {
        const TOKIO: &str = r#"tokio = { version = "1", features = ["rt", "macros"] }"#;
        const HAND_SIGNED: &str = "serde_json = \"1\"\nhmac = \"0.13\"\nsha2 = \"0.11\"\n";
        let (dependencies, main) = match self {
            Project::ScfApi => return Ok(None),
            Project::HelloScf | Project::HelloScfAwsLc => {
                let path = root.join("scf-api");
                let path = path
                    .to_str()
                    .ok_or_else(|| format!("perf build: {} is not valid UTF-8", path.display()))?;
                let tls = if self == Project::HelloScfAwsLc {
                    ", default-features = false, features = [\"aws-lc-rs\"]"
                } else {
                    ""
                };
                (
                    format!(
                        "scf-api = {{ path = {}{tls} }}\n{TOKIO}\n",
                        toml_string(path)
                    ),
                    HELLO_SCF_MAIN.replace("@ENDPOINT@", HELLO_ENDPOINT),
                )
            }
            Project::HelloReqwest => (
                format!("reqwest = \"0.13\"\n{TOKIO}\n{HAND_SIGNED}"),
                hand_signed_main(TLS_DEFAULT),
            ),
            Project::HelloReqwestRing => (
                format!(
                    "reqwest = {{ version = \"0.13\", default-features = false, features = [\"rustls-no-provider\"] }}\n\
                     rustls = {{ version = \"0.23\", default-features = false, features = [\"ring\", \"std\", \"tls12\"] }}\n\
                     {TOKIO}\n{HAND_SIGNED}"
                ),
                hand_signed_main(TLS_RING),
            ),
        };
        let manifest = format!(
            "# Generated by `cargo xtask perf build`; overwritten on each run.\n\
             [package]\n\
             name = \"{}\"\n\
             version = \"0.0.0\"\n\
             edition = \"2024\"\n\
             publish = false\n\
             \n\
             [dependencies]\n\
             {dependencies}\n\
             # Not part of the enclosing workspace.\n\
             [workspace]\n",
            self.name()
        );
        Ok(Some((manifest, main)))
    }
}

/// Options of `perf build`.
#[derive(Debug, PartialEq)]
struct BuildOptions {
    /// Skip the debug builds.
    release_only: bool,
    /// Keep the target directories after measuring.
    keep: bool,
    /// The projects to measure, in [`PROJECTS`] order.
    projects: Vec<Project>,
}

impl BuildOptions {
    /// Parses `[--release-only] [--keep] [--only <name>[,<name>...]]...`.
    fn parse(args: &[&str]) -> Result<Self, String> {
        let mut release_only = false;
        let mut keep = false;
        let mut only = Vec::new();
        let mut args = args.iter();
        while let Some(&arg) = args.next() {
            let names = match arg {
                "--release-only" => {
                    release_only = true;
                    continue;
                }
                "--keep" => {
                    keep = true;
                    continue;
                }
                "--only" => *args
                    .next()
                    .ok_or("perf build: `--only` needs a project name")?,
                _ => arg.strip_prefix("--only=").ok_or_else(|| {
                    format!(
                        "perf build: unknown option `{arg}`; expected --release-only, --keep or --only <name>"
                    )
                })?,
            };
            for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                let project = Project::from_name(name).ok_or_else(|| {
                    let known: Vec<&str> = PROJECTS.iter().map(|p| p.name()).collect();
                    format!(
                        "perf build: unknown project `{name}`; known: {}",
                        known.join(", ")
                    )
                })?;
                only.push(project);
            }
        }
        let projects = if only.is_empty() {
            PROJECTS.to_vec()
        } else {
            PROJECTS.into_iter().filter(|p| only.contains(p)).collect()
        };
        Ok(BuildOptions {
            release_only,
            keep,
            projects,
        })
    }
}

/// Cargo profiles measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Profile {
    /// `dev`, cargo's default.
    Debug,
    /// `release`.
    Release,
}

impl Profile {
    /// Lowercase name, as in `target-<name>` and `build-<name>.log`.
    fn name(self) -> &'static str {
        match self {
            Profile::Debug => "debug",
            Profile::Release => "release",
        }
    }
}

/// What was measured for one project.
#[derive(Debug, Default)]
struct Figures {
    /// Wall-clock time of the clean debug build.
    debug: Option<Duration>,
    /// Wall-clock time of the clean release build.
    release: Option<Duration>,
    /// Bytes of the stripped release binary.
    stripped: Option<u64>,
}

/// `cargo xtask perf build [options]`: clean build times and stripped binary sizes.
pub fn build(root: &Path, args: &[&str]) -> Result<(), String> {
    let options = BuildOptions::parse(args)?;
    print_machine();
    let profiles: &[Profile] = if options.release_only {
        &[Profile::Release]
    } else {
        &[Profile::Debug, Profile::Release]
    };

    // Generate and fetch everything first, so that no download is timed.
    for &project in &options.projects {
        prepare(root, project)?;
    }

    let mut results = Vec::new();
    for &project in &options.projects {
        let mut figures = Figures::default();
        for &profile in profiles {
            let elapsed = timed_build(root, project, profile)?;
            println!(
                "perf build: {} {}: {}",
                project.name(),
                profile.name(),
                format_duration(elapsed)
            );
            match profile {
                Profile::Debug => figures.debug = Some(elapsed),
                Profile::Release => figures.release = Some(elapsed),
            }
        }
        if project.is_binary() {
            let size = stripped_size(root, project)?;
            println!(
                "perf build: {} stripped release binary: {}",
                project.name(),
                format_size(size)
            );
            figures.stripped = Some(size);
        }
        if !options.keep {
            for &profile in profiles {
                remove_dir(&target_dir(root, project, profile))?;
            }
        }
        results.push((project, figures));
    }

    print_build_table(&results);
    print_build_ratios(&results);
    Ok(())
}

/// Prints the machine the figures come from.
fn print_machine() {
    let cpus = std::thread::available_parallelism().map_or(0, usize::from);
    let model = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| cpu_model(&info))
        .unwrap_or_else(|| "unknown".to_owned());
    let rustc = command_line_output("rustc", &["-V"]);
    let cargo = command_line_output(&cargo_program(), &["-V"]);
    println!("perf build: machine: nproc {cpus}, CPU {model}");
    println!("perf build: toolchain: {rustc}; {cargo}");
}

/// The first line a command prints, or why there is none.
fn command_line_output(program: &str, args: &[&str]) -> String {
    match Command::new(program).args(args).output() {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned(),
        Ok(out) => format!("`{program} {}` failed ({})", args.join(" "), out.status),
        Err(e) => format!("cannot run {program}: {e}"),
    }
}

/// The `model name` of `/proc/cpuinfo`'s first processor.
fn cpu_model(cpuinfo: &str) -> Option<String> {
    cpuinfo.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        (key.trim() == "model name").then(|| value.trim().to_owned())
    })
}

/// Writes a generated project (manifest, `src/main.rs`, the workspace's `Cargo.lock`) and
/// fetches its dependencies, untimed.
fn prepare(root: &Path, project: Project) -> Result<(), String> {
    let dir = project.dir(root);
    create_dir(&dir)?;
    if let Some((manifest, main)) = project.sources(root)? {
        create_dir(&dir.join("src"))?;
        write(&dir.join("Cargo.toml"), &manifest)?;
        write(&dir.join("src").join("main.rs"), &main)?;
        // Start from the workspace's versions; cargo adds and prunes entries as needed.
        let lock = dir.join("Cargo.lock");
        fs::copy(root.join("Cargo.lock"), &lock).map_err(|e| {
            format!(
                "perf build: cannot copy {} to {}: {e}",
                root.join("Cargo.lock").display(),
                lock.display()
            )
        })?;
    }
    let mut fetch = cargo_command(&source_dir(root, project));
    fetch.arg("fetch");
    if !project.is_binary() {
        fetch.arg("--locked");
    }
    let what = format!("perf build: cargo fetch for {}", project.name());
    run_logged(fetch, &what, &dir.join("fetch.log"))?;
    Ok(())
}

/// Where cargo runs for `project`: the workspace root, or the generated project.
fn source_dir(root: &Path, project: Project) -> PathBuf {
    if project.is_binary() {
        project.dir(root)
    } else {
        root.to_path_buf()
    }
}

/// The fresh target directory of one measured build.
fn target_dir(root: &Path, project: Project, profile: Profile) -> PathBuf {
    project.dir(root).join(format!("target-{}", profile.name()))
}

/// Builds `project` from scratch with `profile` into an emptied target directory, and returns
/// the wall-clock time.
fn timed_build(root: &Path, project: Project, profile: Profile) -> Result<Duration, String> {
    let target = target_dir(root, project, profile);
    remove_dir(&target)?;
    let mut cmd = cargo_command(&source_dir(root, project));
    cmd.args(["build", "--locked"]);
    if !project.is_binary() {
        cmd.args(["--package", project.name()]);
    }
    if profile == Profile::Release {
        cmd.arg("--release");
    }
    cmd.arg("--target-dir").arg(&target);
    let log = project
        .dir(root)
        .join(format!("build-{}.log", profile.name()));
    let what = format!("perf build: {} {} build", project.name(), profile.name());
    run_logged(cmd, &what, &log)
}

/// Copies the release binary of `project`, strips the copy and returns its size in bytes.
fn stripped_size(root: &Path, project: Project) -> Result<u64, String> {
    let exe = format!("{}{}", project.name(), std::env::consts::EXE_SUFFIX);
    let built = target_dir(root, project, Profile::Release)
        .join("release")
        .join(&exe);
    let copy = project.dir(root).join(format!("{exe}.stripped"));
    fs::copy(&built, &copy).map_err(|e| {
        format!(
            "perf build: cannot copy {} to {}: {e}",
            built.display(),
            copy.display()
        )
    })?;
    let status = Command::new("strip")
        .arg(&copy)
        .status()
        .map_err(|e| format!("perf build: cannot run strip: {e}"))?;
    if !status.success() {
        return Err(format!(
            "perf build: `strip {}` failed ({status})",
            copy.display()
        ));
    }
    fs::metadata(&copy)
        .map(|m| m.len())
        .map_err(|e| format!("perf build: {}: {e}", copy.display()))
}

/// Prints the build times and sizes.
fn print_build_table(results: &[(Project, Figures)]) {
    println!();
    println!("| project | clean debug build | clean release build | stripped release binary |");
    println!("|---|---:|---:|---:|");
    for (project, f) in results {
        let name = if project.is_binary() {
            project.name().to_owned()
        } else {
            format!("{} (crate)", project.name())
        };
        println!(
            "| {name} | {} | {} | {} |",
            cell(f.debug.map(format_duration)),
            cell(f.release.map(format_duration)),
            cell(f.stripped.map(format_size)),
        );
    }
}

/// Prints hello-scf's ratios to each measured floor, release time and size against
/// [`BUILD_BUDGET`].
fn print_build_ratios(results: &[(Project, Figures)]) {
    let figures = |project| results.iter().find(|(p, _)| *p == project).map(|(_, f)| f);
    let Some(scf) = figures(Project::HelloScf) else {
        return;
    };
    let floors: Vec<(Project, &Figures)> = FLOORS
        .into_iter()
        .filter_map(|p| figures(p).map(|f| (p, f)))
        .collect();
    if floors.is_empty() {
        return;
    }
    let seconds = |d: Option<Duration>| d.map(|d| d.as_secs_f64());
    let bytes = |b: Option<u64>| b.map(|b| b as f64);
    let compare = |value: Option<f64>, floor: Option<f64>, budget: Option<f64>| {
        cell(
            value
                .zip(floor)
                .and_then(|(v, f)| ratio(v, f))
                .map(|r| format_ratio(r, budget)),
        )
    };
    println!();
    println!(
        "| {} vs | debug build | release build (budget ≤ {BUILD_BUDGET}×) | stripped size (budget ≤ {BUILD_BUDGET}×) |",
        Project::HelloScf.name()
    );
    println!("|---|---:|---:|---:|");
    for (floor, f) in floors {
        println!(
            "| {} | {} | {} | {} |",
            floor.name(),
            compare(seconds(scf.debug), seconds(f.debug), None),
            compare(seconds(scf.release), seconds(f.release), Some(BUILD_BUDGET)),
            compare(bytes(scf.stripped), bytes(f.stripped), Some(BUILD_BUDGET)),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Processes and files
// ---------------------------------------------------------------------------------------------

/// The cargo running this task (`$CARGO`), else `cargo` from the `PATH`.
fn cargo_program() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// A cargo command run in `dir` without the inherited settings that would change what a plain
/// clean build does (target directory, flags, wrappers, profile and build overrides).
fn cargo_command(dir: &Path) -> Command {
    let mut cmd = Command::new(cargo_program());
    cmd.current_dir(dir);
    for (name, _) in std::env::vars_os() {
        if name.to_str().is_some_and(changes_build) {
            cmd.env_remove(&name);
        }
    }
    cmd
}

/// Whether the environment variable `name` changes how cargo builds.
fn changes_build(name: &str) -> bool {
    matches!(
        name,
        "RUSTFLAGS"
            | "CARGO_ENCODED_RUSTFLAGS"
            | "RUSTC_WRAPPER"
            | "RUSTC_WORKSPACE_WRAPPER"
            | "CARGO_INCREMENTAL"
    ) || ["CARGO_TARGET_", "CARGO_BUILD_", "CARGO_PROFILE_"]
        .iter()
        .any(|prefix| name.starts_with(prefix))
}

/// Runs `cmd` with its output going to `log`, and returns the wall-clock time; on failure the
/// error shows the end of the log.
fn run_logged(mut cmd: Command, what: &str, log: &Path) -> Result<Duration, String> {
    let out = fs::File::create(log)
        .map_err(|e| format!("{what}: cannot create {}: {e}", log.display()))?;
    let err = out
        .try_clone()
        .map_err(|e| format!("{what}: {}: {e}", log.display()))?;
    cmd.stdin(Stdio::null()).stdout(out).stderr(err);
    let program = cmd.get_program().to_string_lossy().into_owned();
    let started = Instant::now();
    let status = cmd
        .status()
        .map_err(|e| format!("{what}: cannot run {program}: {e}"))?;
    let elapsed = started.elapsed();
    if status.success() {
        return Ok(elapsed);
    }
    let text = fs::read(log)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default();
    Err(format!(
        "{what} failed ({status}); end of {}:\n{}",
        log.display(),
        tail(&text, LOG_TAIL_LINES)
    ))
}

/// Creates `dir` and its parents.
fn create_dir(dir: &Path) -> Result<(), String> {
    fs::create_dir_all(dir).map_err(|e| format!("perf build: cannot create {}: {e}", dir.display()))
}

/// Removes `dir` and everything in it; a missing directory is fine.
fn remove_dir(dir: &Path) -> Result<(), String> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(format!("perf build: cannot remove {}: {e}", dir.display()))
        }
        _ => Ok(()),
    }
}

/// Writes `contents` to `path`.
fn write(path: &Path, contents: &str) -> Result<(), String> {
    fs::write(path, contents)
        .map_err(|e| format!("perf build: cannot write {}: {e}", path.display()))
}

// ---------------------------------------------------------------------------------------------
// Pure helpers
// ---------------------------------------------------------------------------------------------

/// The shortest of `times` (zero when empty).
fn min(times: &[Duration]) -> Duration {
    times.iter().copied().min().unwrap_or_default()
}

/// The median of `times`: the middle value, or the mean of the two middle ones (zero when
/// empty).
fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort_unstable();
    let mid = sorted.len() / 2;
    match sorted.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => sorted[mid],
        _ => (sorted[mid - 1] + sorted[mid]) / 2,
    }
}

/// `value / floor`, when the floor is positive.
fn ratio(value: f64, floor: f64) -> Option<f64> {
    (floor > 0.0).then(|| value / floor)
}

/// A ratio as `1.23×`, followed by `OK` or `OVER` when there is a budget.
fn format_ratio(ratio: f64, budget: Option<f64>) -> String {
    match budget {
        Some(budget) => format!("{ratio:.2}× {}", verdict(ratio <= budget)),
        None => format!("{ratio:.2}×"),
    }
}

/// `OK` when within budget, else `OVER`.
fn verdict(within: bool) -> &'static str {
    if within { "OK" } else { "OVER" }
}

/// A duration in milliseconds below one second, else in seconds.
fn format_duration(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{:.1} ms", d.as_secs_f64() * 1e3)
    } else {
        format!("{:.2} s", d.as_secs_f64())
    }
}

/// A size as `<bytes> B (<MiB> MiB)`.
fn format_size(bytes: u64) -> String {
    format!("{bytes} B ({})", format_mib(bytes))
}

/// A size in MiB, two decimals.
fn format_mib(bytes: u64) -> String {
    format!("{:.2} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// A table cell: the value, or `n/a`.
fn cell(value: Option<String>) -> String {
    value.unwrap_or_else(|| "n/a".to_owned())
}

/// The last `n` lines of `text`.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// `s` as a TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ---------------------------------------------------------------------------------------------
// Generated sources
// ---------------------------------------------------------------------------------------------

/// `src/main.rs` of hello-scf; `@ENDPOINT@` is replaced by [`HELLO_ENDPOINT`].
const HELLO_SCF_MAIN: &str = r##"//! Generated by `cargo xtask perf build`: one Invoke call through scf-api.

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = scf_api::Client::builder()
        .credentials(scf_api::Credentials::new("AKIDEXAMPLE", "secret"))
        .endpoint(scf_api::Endpoint::Url("@ENDPOINT@".to_owned()))
        .region("ap-guangzhou")
        .build()?;
    match client
        .invoke()
        .function_name("hello")
        .client_context("{\"hello\":\"world\"}")
        .send()
        .await
    {
        Ok(output) => println!("{output:?}"),
        Err(error) => eprintln!("{error}"),
    }
    Ok(())
}
"##;

/// `install_tls` of hello-reqwest: reqwest's default TLS needs no setup.
const TLS_DEFAULT: &str = r##"
/// Nothing to do: reqwest's default TLS backend brings its crypto provider.
fn install_tls() {}
"##;

/// `install_tls` of hello-reqwest-ring: rustls with ring, as scf-api does it.
const TLS_RING: &str = r##"
/// Installs ring as the rustls crypto provider, as scf-api does.
fn install_tls() {
    // Fails only when a provider is already installed, which is fine. rustls deprecates this
    // constructor (ring lacks post-quantum key exchange); the floor matches scf-api's default.
    #[allow(deprecated)]
    let _ = rustls::crypto::ring::default_provider().install_default();
}
"##;

/// The body of the hand-signed floors, before their `install_tls`; `@ENDPOINT@` and `@HOST@`
/// are replaced by [`HELLO_ENDPOINT`] and its host.
const HAND_SIGNED_MAIN: &str = r##"//! Generated by `cargo xtask perf build`: one Invoke call signed by hand with
//! TC3-HMAC-SHA256, the floor scf-api is compared with.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

const ENDPOINT: &str = "@ENDPOINT@";
const HOST: &str = "@HOST@";
const SECRET_ID: &str = "AKIDEXAMPLE";
const SECRET_KEY: &str = "secret";
const SIGNED_HEADERS: &str = "content-type;host;x-tc-action";

#[tokio::main(flavor = "current_thread")]
async fn main() {
    install_tls();
    match invoke().await {
        Ok(response) => println!("{response}"),
        Err(error) => eprintln!("{error}"),
    }
}

/// Signs and sends the call, and parses the response.
async fn invoke() -> Result<serde_json::Value, Box<dyn std::error::Error>> {
    let body = serde_json::json!({
        "FunctionName": "hello",
        "ClientContext": "{\"hello\":\"world\"}",
    })
    .to_string();
    let timestamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs();
    let date = utc_date(timestamp);
    let scope = format!("{date}/scf/tc3_request");
    let canonical_request = format!(
        "POST\n/\n\ncontent-type:application/json\nhost:{HOST}\nx-tc-action:invoke\n\n{SIGNED_HEADERS}\n{}",
        hex(&Sha256::digest(body.as_bytes()))
    );
    let string_to_sign = format!(
        "TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{}",
        hex(&Sha256::digest(canonical_request.as_bytes()))
    );
    let key = hmac_sha256(format!("TC3{SECRET_KEY}").as_bytes(), date.as_bytes());
    let key = hmac_sha256(&key, b"scf");
    let key = hmac_sha256(&key, b"tc3_request");
    let signature = hex(&hmac_sha256(&key, string_to_sign.as_bytes()));
    let authorization = format!(
        "TC3-HMAC-SHA256 Credential={SECRET_ID}/{scope}, SignedHeaders={SIGNED_HEADERS}, Signature={signature}"
    );
    let response = reqwest::Client::builder()
        .build()?
        .post(ENDPOINT)
        .header("Authorization", authorization)
        .header("Content-Type", "application/json")
        .header("X-TC-Action", "Invoke")
        .header("X-TC-Timestamp", timestamp.to_string())
        .header("X-TC-Version", "2018-04-16")
        .header("X-TC-Region", "ap-guangzhou")
        .body(body)
        .send()
        .await?;
    let bytes = response.bytes().await?;
    Ok(serde_json::from_slice::<serde_json::Value>(&bytes)?)
}

/// HMAC-SHA256 of `message` under `key`.
fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    Mac::update(&mut mac, message);
    mac.finalize().into_bytes().to_vec()
}

/// Lowercase hexadecimal.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes
        .iter()
        .flat_map(|b| [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 0x0f)]])
        .map(char::from)
        .collect()
}

/// The UTC date (`YYYY-MM-DD`) of a Unix timestamp, by Howard Hinnant's days-to-civil.
fn utc_date(timestamp: u64) -> String {
    let days = timestamp / 86_400 + 719_468;
    let era = days / 146_097;
    let day_of_era = days % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 };
    let year = era * 400 + year_of_era + u64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
"##;

/// `src/main.rs` of a hand-signed floor with the given `install_tls`.
fn hand_signed_main(install_tls: &str) -> String {
    let host = HELLO_ENDPOINT
        .split_once("://")
        .map_or(HELLO_ENDPOINT, |(_, rest)| rest)
        .trim_end_matches('/');
    let main = HAND_SIGNED_MAIN
        .replace("@ENDPOINT@", HELLO_ENDPOINT)
        .replace("@HOST@", host);
    format!("{main}{install_tls}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_callgrind_collected_line() {
        let stderr = "==4242== Callgrind, a call-graph generating cache profiler\n\
                      ==4242== \n\
                      ==4242== Events    : Ir\n\
                      ==4242== Collected : 123456789\n\
                      ==4242== \n\
                      ==4242== I   refs:      123,456,789\n";
        assert_eq!(parse_collected(stderr), Some(123_456_789));
        assert_eq!(parse_collected("Collected : 1,000"), Some(1000));
        assert_eq!(parse_collected("==1== Events    : Ir\n"), None);
        assert_eq!(parse_collected("==1== Collected : many\n"), None);
        assert_eq!(parse_collected(""), None);
    }

    #[test]
    fn parses_port_line() {
        assert_eq!(parse_port_line("PORT 8080\n"), Some(8080));
        assert_eq!(parse_port_line("PORT 0"), Some(0));
        assert_eq!(parse_port_line("PORT 70000"), None);
        assert_eq!(parse_port_line("port 8080"), None);
        assert_eq!(parse_port_line("listening on 8080"), None);
    }

    #[test]
    fn min_and_median() {
        let ms = |v: &[u64]| {
            v.iter()
                .map(|&m| Duration::from_millis(m))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            median(&ms(&[50, 10, 40, 20, 30])),
            Duration::from_millis(30)
        );
        assert_eq!(median(&ms(&[40, 10, 20, 30])), Duration::from_millis(25));
        assert_eq!(median(&ms(&[7])), Duration::from_millis(7));
        assert_eq!(median(&[]), Duration::ZERO);
        assert_eq!(min(&ms(&[50, 10, 40])), Duration::from_millis(10));
        assert_eq!(min(&[]), Duration::ZERO);
    }

    #[test]
    fn formats_sizes_durations_and_ratios() {
        assert_eq!(format_size(3 * 1024 * 1024 / 2), "1572864 B (1.50 MiB)");
        assert_eq!(format_size(0), "0 B (0.00 MiB)");
        assert_eq!(format_duration(Duration::from_micros(12_345)), "12.3 ms");
        assert_eq!(format_duration(Duration::from_millis(83_456)), "83.46 s");
        assert_eq!(format_ratio(1.2, Some(1.3)), "1.20× OK");
        assert_eq!(format_ratio(1.3, Some(1.3)), "1.30× OK");
        assert_eq!(format_ratio(1.456, Some(1.3)), "1.46× OVER");
        assert_eq!(format_ratio(0.5, None), "0.50×");
        assert_eq!(ratio(3.0, 2.0), Some(1.5));
        assert_eq!(ratio(3.0, 0.0), None);
        assert_eq!(cell(None), "n/a");
    }

    #[test]
    fn per_call_cancels_fixed_costs() {
        let count = InstructionCount {
            client: "scf-api",
            short: 1_000_000 + SHORT_RUN_CALLS * 5_000,
            long: 1_000_000 + LONG_RUN_CALLS * 5_000,
        };
        assert_eq!(count.per_call(), 5_000.0);
    }

    #[test]
    fn parses_build_options() {
        let all = BuildOptions::parse(&[]).unwrap();
        assert_eq!(all.projects, PROJECTS.to_vec());
        assert!(!all.release_only && !all.keep);

        let some = BuildOptions::parse(&[
            "--only",
            "hello-reqwest,hello-scf",
            "--release-only",
            "--only=scf-api",
            "--keep",
        ])
        .unwrap();
        assert_eq!(
            some.projects,
            [Project::ScfApi, Project::HelloScf, Project::HelloReqwest]
        );
        assert!(some.release_only && some.keep);

        assert!(BuildOptions::parse(&["--only"]).is_err());
        assert!(BuildOptions::parse(&["--only", "hello"]).is_err());
        assert!(BuildOptions::parse(&["--fast"]).is_err());
    }

    #[test]
    fn only_build_settings_are_removed() {
        for name in [
            "CARGO_TARGET_DIR",
            "RUSTFLAGS",
            "CARGO_BUILD_JOBS",
            "CARGO_PROFILE_RELEASE_LTO",
            "CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER",
        ] {
            assert!(changes_build(name), "{name}");
        }
        for name in ["CARGO", "CARGO_HOME", "RUSTUP_TOOLCHAIN", "PATH"] {
            assert!(!changes_build(name), "{name}");
        }
    }

    #[test]
    fn extracts_cpu_model_and_log_tail() {
        let info = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\n";
        assert_eq!(cpu_model(info).as_deref(), Some("AMD EPYC 7B13"));
        assert_eq!(cpu_model("processor\t: 0\n"), None);
        assert_eq!(tail("a\nb\nc\n", 2), "b\nc");
        assert_eq!(tail("a", 5), "a");
    }

    #[test]
    fn generated_manifests_and_sources() {
        assert_eq!(toml_string(r#"C:\a "b""#), r#""C:\\a \"b\"""#);
        let root = Path::new("/w");
        assert_eq!(Project::ScfApi.sources(root), Ok(None));
        let sources = |p: Project| p.sources(root).ok().flatten().unwrap_or_default();

        let (manifest, main) = sources(Project::HelloScf);
        assert!(
            manifest.contains("scf-api = { path = \"/w/scf-api\" }\n"),
            "{manifest}"
        );
        assert!(manifest.ends_with("\n[workspace]\n"), "{manifest}");
        assert!(
            main.contains("Endpoint::Url(\"http://127.0.0.1:9/\""),
            "{main}"
        );

        let (aws_manifest, aws_main) = sources(Project::HelloScfAwsLc);
        assert!(
            aws_manifest.contains(r#"default-features = false, features = ["aws-lc-rs"] }"#),
            "{aws_manifest}"
        );
        assert_eq!(aws_main, main, "only the TLS feature differs");

        let (plain_manifest, plain) = sources(Project::HelloReqwest);
        let (ring_manifest, ring) = sources(Project::HelloReqwestRing);
        assert!(plain_manifest.contains("reqwest = \"0.13\"\n"));
        assert!(!plain_manifest.contains("rustls"));
        assert!(ring_manifest.contains("features = [\"rustls-no-provider\"]"));
        assert!(ring.contains("const HOST: &str = \"127.0.0.1:9\";"));
        assert!(ring.contains("default_provider().install_default()"));
        assert_eq!(
            plain.replace(TLS_DEFAULT, ""),
            ring.replace(TLS_RING, ""),
            "the floors differ only in their TLS set-up"
        );
    }
}
