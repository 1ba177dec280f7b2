//! `cargo bench --bench real_code`: scf-local running uploaded function code for real.
//!
//! Every call goes through scf-api (the client of `scf_bench::scf_client`) to an in-process
//! `scf_local::Server` built without a function handler, on one current-thread Tokio runtime,
//! as the `scf-local` binary runs. Client and server share that thread; function code runs in
//! its own processes. Criterion groups:
//!
//! - `warm`: one `Invoke` of a function whose instance is already running (median per call).
//!   First the floor: the same call on a second server whose in-process echo handler answers
//!   (client, HTTP, signature check, store; no process). Then a Custom Runtime with three
//!   bootstraps: this benchmark's own executable (a Rust function written with scf-runtime,
//!   started through a `/bin/sh` `exec` line: scf-local's own overhead plus scf-runtime's),
//!   `python3` with one persistent
//!   `http.client` connection, and `sh` + `curl` (three process spawns per event: it measures
//!   curl more than scf-local). Then a `Python3.9` event handler (`index.main_handler`) run by
//!   scf-local's shipped Python bootstrap.
//! - `cold`: `Invoke` right after `UpdateFunctionConfiguration` changed the `Description`: the
//!   update stops the function's instance (outside the timing), so each timed call unpacks the
//!   package, spawns the process, waits for `/runtime/init/ready`, delivers the event and takes
//!   the result. One function updated in place, rather than a new one per iteration: no
//!   `CreateFunction` in between, and no idle instances pile up to be evicted (at the server's
//!   cap of 128) inside a timed call.
//! - `concurrency`: 100 `Invoke` calls at once of a function that sleeps 100 ms; wall time until
//!   all 100 have answered without error. The Python handler (`time.sleep(0.1)`) pre-warmed (100
//!   idle instances before each batch), and the compiled Custom Runtime from cold (the 100
//!   instances stopped by an update before each batch). The Python pre-warming batch itself is
//!   reported once as Python from cold.
//!
//! With `--bench` (what `cargo bench` passes), a table of per-call medians follows, recorded
//! from every timed call of the groups above (criterion's warm-up calls included: they are the
//! same kind of call), with the bare start of the `python3` scf-local runs and a replica of the
//! `/proc/*/stat` scan scf-local's memory probe makes at most every 100 ms of a run (a warm run
//! shorter than that makes none). A variant whose tool (`python3`, `curl`) is not
//! on `PATH` is skipped with a message.

use std::cell::{Cell, RefCell};
use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode};
use futures_util::future::join_all;
use scf_api::Client;
use scf_bench::{SECRET_ID, SECRET_KEY, scf_client};
use scf_local::{CodePackage, Server};

/// The argument that makes this executable a Custom Runtime bootstrap instead of a benchmark.
const BOOTSTRAP_ARG: &str = "--scf-local-bench-bootstrap";

/// Invocations at once in the `concurrency` group.
const IN_FLIGHT: usize = 100;

/// How long each function of the `concurrency` group sleeps.
const SLEEP_MS: u64 = 100;

/// The event every benchmark `Invoke` sends.
const EVENT: &str = r#"{"bench":"real code","n":1}"#;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some(BOOTSTRAP_ARG) {
        let sleep_ms = args.get(2).and_then(|ms| ms.parse().ok()).unwrap_or(0);
        if let Err(err) = runtime_loop(sleep_ms) {
            eprintln!("bench bootstrap: {err}");
            std::process::exit(1);
        }
        return;
    }
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(20)
        .configure_from_args();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let server = rt
        .block_on(
            Server::builder()
                .secret_id(SECRET_ID)
                .secret_key(SECRET_KEY)
                .start(),
        )
        .expect("scf-local starts");
    // The floor: the same Invoke answered by an in-process echo handler (no process, no
    // runtime API), on a second server.
    let floor = rt
        .block_on(
            Server::builder()
                .secret_id(SECRET_ID)
                .secret_key(SECRET_KEY)
                .echo_functions()
                .start(),
        )
        .expect("the floor server starts");
    let bench = Bench {
        client: scf_client(server.addr().port()),
        floor: scf_client(floor.addr().port()),
        rt,
        records: RefCell::new(Vec::new()),
        notes: RefCell::new(Vec::new()),
        updates: Cell::new(0),
    };
    let python = on_path("python3");
    let curl = on_path("curl");
    warm_and_cold(&mut c, &bench, python.is_some(), curl.is_some());
    concurrency(&mut c, &bench, python.is_some());
    c.final_summary();

    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and only checks that
    // every benchmark runs.
    if args.iter().any(|a| a == "--bench") {
        if let Some(python) = &python {
            python_startup(&bench, python);
        }
        proc_scan(&bench);
        report(&bench);
    }
    bench.rt.block_on(async {
        server.shutdown().await;
        floor.shutdown().await;
    });
}

/// A function to create: name, runtime, handler and package.
struct Fixture {
    name: &'static str,
    runtime: &'static str,
    handler: &'static str,
    zip: String,
}

impl Fixture {
    fn custom(name: &'static str, bootstrap: &str) -> Fixture {
        Self::custom_package(name, &CodePackage::new().executable("bootstrap", bootstrap))
    }

    fn custom_package(name: &'static str, package: &CodePackage) -> Fixture {
        Fixture {
            name,
            runtime: "CustomRuntime",
            handler: "bootstrap",
            zip: package.to_base64(),
        }
    }

    fn python(name: &'static str, index_py: &str) -> Fixture {
        Fixture {
            name,
            runtime: "Python3.9",
            handler: "index.main_handler",
            zip: CodePackage::new().file("index.py", index_py).to_base64(),
        }
    }
}

/// A package whose `bootstrap` runs this very executable as a compiled Custom Runtime (see
/// [`runtime_loop`]), sleeping `sleep_ms` per event when given.
fn own_package(sleep_ms: Option<u64>) -> CodePackage {
    let exe = std::env::current_exe().expect("the benchmark's own path");
    let sleep = sleep_ms.map(|ms| ms.to_string());
    let mut args = vec![BOOTSTRAP_ARG];
    args.extend(sleep.as_deref());
    CodePackage::new().exec_bootstrap(exe, &args)
}

/// A Custom Runtime `bootstrap` in Python: one persistent `http.client` connection, echoing
/// each event.
const PYTHON_BOOTSTRAP: &str = r#"#!/usr/bin/env python3
import http.client, os, socket, sys

conn = http.client.HTTPConnection(os.environ["SCF_RUNTIME_API"], int(os.environ["SCF_RUNTIME_API_PORT"]))
conn.connect()
conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

def call(method, path, body=b""):
    conn.request(method, path, body=body)
    reply = conn.getresponse()
    data = reply.read()
    if reply.status // 100 != 2:
        sys.exit("%s %s answered HTTP %d" % (method, path, reply.status))
    return data

call("POST", "/runtime/init/ready")
while True:
    event = call("GET", "/runtime/invocation/next")
    call("POST", "/runtime/invocation/response", event)
"#;

/// A Custom Runtime `bootstrap` in `sh` with `curl`, echoing each event.
const CURL_BOOTSTRAP: &str = r#"#!/bin/sh
api="http://$SCF_RUNTIME_API:$SCF_RUNTIME_API_PORT/runtime"
curl -sSf -X POST -d '' "$api/init/ready" >/dev/null || exit 1
while :; do
  event=$(curl -sSf "$api/invocation/next") || exit 1
  curl -sSf -X POST --data-binary "$event" "$api/invocation/response" >/dev/null || exit 1
done
"#;

/// A Python event handler answering a small dict.
const PYTHON_HANDLER: &str =
    "def main_handler(event, context):\n    return {\"ok\": True, \"n\": event.get(\"n\")}\n";

/// A Python event handler that sleeps [`SLEEP_MS`].
const PYTHON_SLEEPER: &str = "import time\n\n\ndef main_handler(event, context):\n    time.sleep(0.1)\n    return {\"slept_ms\": 100}\n";

/// The client, the runtime it runs on, and what was measured.
struct Bench {
    client: Client,
    /// A client of the echo server.
    floor: Client,
    rt: tokio::runtime::Runtime,
    /// Per-call (or per-batch) wall times by metric, in the order first recorded.
    records: RefCell<Vec<(String, Vec<Duration>)>>,
    /// Lines printed under the table (skipped variants, baselines).
    notes: RefCell<Vec<String>>,
    /// Counts `UpdateFunctionConfiguration` calls, for fresh descriptions.
    updates: Cell<u64>,
}

impl Bench {
    fn record(&self, metric: &str, took: Duration) {
        let mut records = self.records.borrow_mut();
        match records.iter_mut().find(|(m, _)| m == metric) {
            Some((_, times)) => times.push(took),
            None => records.push((metric.to_owned(), vec![took])),
        }
    }

    fn note(&self, line: String) {
        println!("{line}");
        self.notes.borrow_mut().push(line);
    }

    async fn create(&self, f: &Fixture) {
        self.client
            .create_function()
            .function_name(f.name)
            .runtime(f.runtime)
            .handler(f.handler)
            .memory_size(128)
            .timeout(30)
            .code(scf_api::types::Code {
                zip_file: Some(f.zip.clone()),
                ..Default::default()
            })
            .send()
            .await
            .expect("CreateFunction");
    }

    async fn delete(&self, name: &str) {
        self.client
            .delete_function()
            .function_name(name)
            .send()
            .await
            .expect("DeleteFunction");
    }

    /// Changes the function's description, which stops its instances: the next call is cold.
    async fn stop_instances(&self, name: &str) {
        let n = self.updates.get() + 1;
        self.updates.set(n);
        self.client
            .update_function_configuration()
            .function_name(name)
            .description(format!("cold start {n}"))
            .send()
            .await
            .expect("UpdateFunctionConfiguration");
    }

    /// One synchronous `Invoke` that must succeed; its result.
    async fn invoke(&self, name: &str) -> String {
        Self::invoke_on(&self.client, name).await
    }

    /// [`invoke`](Self::invoke) through `client`.
    async fn invoke_on(client: &Client, name: &str) -> String {
        let out = client
            .invoke()
            .function_name(name)
            .client_context(EVENT)
            .send()
            .await
            .expect("Invoke");
        let result = out.result;
        assert_eq!(
            result.invoke_result, 0,
            "{name} failed: {} {}",
            result.err_msg, result.ret_msg
        );
        result.ret_msg
    }

    /// [`IN_FLIGHT`] invocations at once; the wall time until all have answered.
    async fn batch(&self, name: &str) -> Duration {
        let started = Instant::now();
        join_all((0..IN_FLIGHT).map(|_| self.invoke(name))).await;
        started.elapsed()
    }
}

fn warm_and_cold(c: &mut Criterion, bench: &Bench, python: bool, curl: bool) {
    const COMPILED: &str = "rt-custom-compiled";
    let mut warm: Vec<(&str, Fixture)> = vec![(
        "Custom Runtime, Rust on scf-runtime",
        Fixture::custom_package(COMPILED, &own_package(None)),
    )];
    if python {
        warm.push((
            "Custom Runtime, python3 http.client bootstrap",
            Fixture::custom("rt-custom-python", PYTHON_BOOTSTRAP),
        ));
    } else {
        bench.note(
            "skipped: Custom Runtime with a python3 bootstrap (python3 is not on PATH)".into(),
        );
    }
    if curl {
        warm.push((
            "Custom Runtime, sh + curl bootstrap",
            Fixture::custom("rt-custom-curl", CURL_BOOTSTRAP),
        ));
    } else {
        bench.note(
            "skipped: Custom Runtime with an sh + curl bootstrap (curl is not on PATH)".into(),
        );
    }
    if python {
        warm.push((
            "Python3.9 event handler",
            Fixture::python("rt-python", PYTHON_HANDLER),
        ));
    } else {
        bench.note("skipped: Python3.9 event handler (python3 is not on PATH)".into());
    }

    for (_, f) in &warm {
        bench.rt.block_on(async {
            bench.create(f).await;
            let answer = bench.invoke(f.name).await;
            if f.runtime == "CustomRuntime" {
                assert_eq!(answer, EVENT, "{} echoes the event", f.name);
            } else {
                assert_eq!(answer, r#"{"ok": true, "n": 1}"#);
            }
        });
    }

    let floor = Fixture {
        name: "rt-echo",
        runtime: "CustomRuntime",
        handler: "bootstrap",
        zip: CodePackage::new().to_base64(),
    };
    bench.rt.block_on(async {
        bench
            .floor
            .create_function()
            .function_name(floor.name)
            .code(scf_api::types::Code {
                zip_file: Some(floor.zip.clone()),
                ..Default::default()
            })
            .send()
            .await
            .expect("CreateFunction on the floor server");
    });

    let mut g = c.benchmark_group("warm");
    let metric = "warm invoke, floor: in-process echo handler (no process)";
    g.bench_function("floor: in-process echo handler", |b| {
        b.iter_custom(|iters| {
            bench.rt.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let started = Instant::now();
                    Bench::invoke_on(&bench.floor, floor.name).await;
                    let took = started.elapsed();
                    bench.record(metric, took);
                    total += took;
                }
                total
            })
        })
    });
    for (label, f) in &warm {
        let metric = format!("warm invoke, {label}");
        g.bench_function(*label, |b| {
            b.iter_custom(|iters| {
                bench.rt.block_on(async {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        let started = Instant::now();
                        bench.invoke(f.name).await;
                        let took = started.elapsed();
                        bench.record(&metric, took);
                        total += took;
                    }
                    total
                })
            })
        });
    }
    g.finish();

    // Cold starts of the compiled Custom Runtime (scf-local's own cold path) and of the Python
    // event handler (plus the interpreter's start and the shipped bootstrap's imports).
    let cold: Vec<(&str, &Fixture)> = warm
        .iter()
        .filter(|(_, f)| f.name == COMPILED || f.runtime != "CustomRuntime")
        .map(|(label, f)| (*label, f))
        .collect();
    let mut g = c.benchmark_group("cold");
    g.sampling_mode(SamplingMode::Flat).sample_size(10);
    for (label, f) in cold {
        let metric = format!("cold start, {label}");
        g.bench_function(label, |b| {
            b.iter_custom(|iters| {
                bench.rt.block_on(async {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        bench.stop_instances(f.name).await;
                        let started = Instant::now();
                        bench.invoke(f.name).await;
                        let took = started.elapsed();
                        bench.record(&metric, took);
                        total += took;
                    }
                    total
                })
            })
        });
    }
    g.finish();

    bench.rt.block_on(async {
        for (_, f) in &warm {
            bench.delete(f.name).await;
        }
    });
}

fn concurrency(c: &mut Criterion, bench: &Bench, python: bool) {
    let mut g = c.benchmark_group("concurrency");
    g.sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .measurement_time(Duration::from_secs(3));

    // The compiled Custom Runtime, every batch from cold.
    let sleeper = Fixture::custom_package("rt-custom-sleep", &own_package(Some(SLEEP_MS)));
    bench.rt.block_on(async {
        bench.create(&sleeper).await;
        reserve(bench, sleeper.name).await;
    });
    let metric = format!("{IN_FLIGHT} x {SLEEP_MS} ms, Custom Runtime (Rust), from cold");
    g.bench_function("100 x 100 ms, Custom Runtime (Rust), from cold", |b| {
        b.iter_custom(|iters| {
            bench.rt.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    bench.stop_instances(sleeper.name).await;
                    let took = bench.batch(sleeper.name).await;
                    bench.record(&metric, took);
                    total += took;
                }
                total
            })
        })
    });
    bench.rt.block_on(bench.delete(sleeper.name));

    // The Python handler, pre-warmed.
    if python {
        let sleeper = Fixture::python("rt-python-sleep", PYTHON_SLEEPER);
        bench.rt.block_on(async {
            bench.create(&sleeper).await;
            reserve(bench, sleeper.name).await;
            // All 100 start at once, each on a new instance: the pre-warming batch is the
            // Python from-cold figure.
            let took = bench.batch(sleeper.name).await;
            bench.record(
                &format!("{IN_FLIGHT} x {SLEEP_MS} ms, Python3.9, from cold (1 batch)"),
                took,
            );
        });
        let metric = format!("{IN_FLIGHT} x {SLEEP_MS} ms, Python3.9, pre-warmed");
        g.bench_function("100 x 100 ms, Python3.9, pre-warmed", |b| {
            b.iter_custom(|iters| {
                bench.rt.block_on(async {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        let took = bench.batch(sleeper.name).await;
                        bench.record(&metric, took);
                        total += took;
                    }
                    total
                })
            })
        });
        bench.rt.block_on(bench.delete(sleeper.name));
    } else {
        bench.note("skipped: 100 x 100 ms with Python3.9 (python3 is not on PATH)".into());
    }
    g.finish();
}

/// Reserves concurrency for all 100 at 128 MB each (what Invoke would count against, should it
/// apply the function's quota).
async fn reserve(bench: &Bench, name: &str) {
    bench
        .client
        .put_reserved_concurrency_config()
        .function_name(name)
        .reserved_concurrency_mem(128 * 128)
        .send()
        .await
        .expect("PutReservedConcurrencyConfig");
}

/// The bare start of the interpreter scf-local runs (`-c pass`, spawn to exit), to read the
/// Python cold start against: the `python3` first on PATH, or, when that is a version manager's
/// shim (a script), the interpreter it stands for, which scf-local asks it for once and starts
/// directly.
fn python_startup(bench: &Bench, python: &std::path::Path) {
    let direct = Command::new(python)
        .args(["-c", "import sys; print(sys.executable)"])
        .stdin(Stdio::null())
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .map(|text| PathBuf::from(text.trim()))
        .filter(|path| path.is_absolute())
        .unwrap_or_else(|| python.to_path_buf());
    let mut times = Vec::new();
    for _ in 0..7 {
        let started = Instant::now();
        let status = Command::new(&direct)
            .args(["-c", "pass"])
            .stdin(Stdio::null())
            .status()
            .expect("python3 runs");
        assert!(status.success());
        times.push(started.elapsed());
    }
    for took in times {
        bench.record("python3 -c pass (interpreter start alone)", took);
    }
    bench.note(format!(
        "python3 on PATH is {}; the interpreter started is {}",
        python.display(),
        direct.display()
    ));
}

/// What scf-local's memory probe does first on every run (`group_members`): read the `stat`
/// file of every process in `/proc`. Replicated here to size its share of a warm invoke.
fn proc_scan(bench: &Bench) {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return;
    };
    let pids: Vec<u32> = entries
        .flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse().ok()))
        .collect();
    for _ in 0..50 {
        let started = Instant::now();
        let mut bytes = 0;
        for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
            if let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<u32>().ok())
            {
                bytes +=
                    std::fs::read_to_string(format!("/proc/{pid}/stat")).map_or(0, |s| s.len());
            }
        }
        std::hint::black_box(bytes);
        bench.record(
            "replica: one scan of /proc/*/stat (see notes)",
            started.elapsed(),
        );
    }
    bench.note(format!(
        "replica: scf-local's memory probe scans /proc/*/stat at most every 100 ms of a run; {} processes here",
        pids.len()
    ));
}

fn report(bench: &Bench) {
    let records = bench.records.borrow();
    println!();
    println!(
        "scf-local running real code, through scf-api on one current-thread runtime: medians of every timed call (or batch)"
    );
    println!();
    println!(
        "| {:<66} | {:>10} | {:>10} | {:>5} | {:<8} |",
        "metric", "median", "p90", "n", "target"
    );
    println!(
        "|{:-<68}|{:->12}|{:->12}|{:->7}|{:-<10}|",
        "", "", "", "", ""
    );
    for (metric, times) in records.iter() {
        let mut sorted = times.clone();
        sorted.sort();
        let median = sorted[sorted.len() / 2];
        let p90 = sorted[(sorted.len() * 9 / 10).min(sorted.len() - 1)];
        let target = if metric.starts_with("warm invoke, Custom Runtime, compiled")
            || metric.starts_with("warm invoke, Custom Runtime, python3")
        {
            verdict(median < Duration::from_millis(1), "< 1 ms")
        } else if metric.contains("pre-warmed") || metric.contains("from cold") {
            verdict(median < Duration::from_secs(1), "< 1 s")
        } else {
            String::new()
        };
        println!(
            "| {:<66} | {:>10} | {:>10} | {:>5} | {:<8} |",
            metric,
            show(median),
            show(p90),
            sorted.len(),
            target
        );
    }
    println!();
    for line in bench.notes.borrow().iter() {
        println!("{line}");
    }
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        println!("load average at the end: {}", load.trim());
    }
}

fn verdict(ok: bool, target: &str) -> String {
    format!("{target} {}", if ok { "ok" } else { "OVER" })
}

fn show(d: Duration) -> String {
    if d < Duration::from_millis(10) {
        format!("{:.0} µs", d.as_secs_f64() * 1e6)
    } else {
        format!("{:.1} ms", d.as_secs_f64() * 1e3)
    }
}

/// The first executable `name` on `PATH` (absolute directories only, as scf-local looks).
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .filter(|dir| dir.is_absolute())
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate.as_os_str()))
}

#[cfg(unix)]
fn is_executable(path: &OsStr) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &OsStr) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

/// This executable as a Custom Runtime written with scf-runtime: each event echoed as the result
/// after `sleep_ms`.
fn runtime_loop(sleep_ms: u64) -> Result<(), scf_runtime::Error> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(scf_runtime::run_raw(|event: Vec<u8>, _ctx| async move {
        if sleep_ms > 0 {
            tokio::time::sleep(Duration::from_millis(sleep_ms)).await;
        }
        Ok::<_, scf_runtime::BoxError>(event)
    }))
}
