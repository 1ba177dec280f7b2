//! `cargo bench`: the scf-api benchmark suite.
//!
//! Criterion groups: `signing` (TC3 with the derived key cached and uncached), `serde` (encoding
//! requests, decoding the largest representative answers), `calls` (whole `Invoke` calls over
//! 127.0.0.1, sequential and 64 in flight, scf-api and the hand-written baseline; measured in
//! client CPU time). Then a report measures scf-api against the baseline in interleaved rounds
//! and prints the ratios next to their budgets.

use std::hint::black_box;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use criterion::{BenchmarkId, Criterion, Throughput};
use futures_util::future::join_all;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use scf_api::actions::{
    GetFunctionResponse, GetRequestStatusResponse, InvokeRequest, ListFunctionsResponse,
};
use scf_api::signer::{SigningInput, SigningKeyCache, authorization, sign};
use scf_bench::alloc::CountingAlloc;
use scf_bench::baseline::Baseline;
use scf_bench::measure::{Round, median, round, thread_cpu};
use scf_bench::server::BenchServer;
use scf_bench::{FUNCTION, REGION, SECRET_ID, SECRET_KEY, event, fixtures, scf_client, scf_invoke};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// Calls in flight at once in the concurrent benchmarks.
const IN_FLIGHT: usize = 64;

fn main() {
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let server = BenchServer::start().expect("the bench server starts");
    signing(&mut c);
    serde(&mut c);
    calls(&mut c, server.port());
    c.final_summary();
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and only checks that
    // every benchmark runs.
    if std::env::args().any(|a| a == "--bench") {
        report(server.port());
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

fn signing_input(payload: &[u8]) -> SigningInput<'_> {
    SigningInput {
        method: "POST",
        host: "scf.tencentcloudapi.com",
        path: "/",
        query: "",
        content_type: "application/json",
        payload,
        service: "scf",
        timestamp: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        secret_id: SECRET_ID,
    }
}

fn signing(c: &mut Criterion) {
    let body = event();
    let input = signing_input(body.as_bytes());
    let cache = SigningKeyCache::new();
    let mut g = c.benchmark_group("signing");
    // What the client does per request: the `Authorization` value only.
    g.bench_function("authorization/uncached", |b| {
        b.iter(|| authorization(black_box(&input), black_box(SECRET_KEY)))
    });
    g.bench_function("authorization/cached", |b| {
        b.iter(|| cache.authorization(black_box(&input), black_box(SECRET_KEY)))
    });
    // The full `Signature`, with every intermediate string, for debugging.
    g.bench_function("full signature/uncached", |b| {
        b.iter(|| sign(black_box(&input), black_box(SECRET_KEY)))
    });
    g.finish();
}

/// `{"Response": T}`, decoded in one pass like the client does.
#[derive(Deserialize)]
struct Envelope<T> {
    #[serde(rename = "Response")]
    #[allow(dead_code)]
    response: T,
}

fn decode<T: DeserializeOwned>(body: &str) -> Envelope<T> {
    serde_json::from_str(body).expect("fixtures decode")
}

fn serde(c: &mut Criterion) {
    let mut g = c.benchmark_group("serde");
    let create = fixtures::create_function_request();
    g.bench_function("encode/CreateFunction", |b| {
        b.iter(|| serde_json::to_vec(black_box(&create)).expect("encodes"))
    });
    let invoke = InvokeRequest {
        function_name: Some(FUNCTION.into()),
        client_context: Some(event()),
        ..Default::default()
    };
    g.bench_function("encode/Invoke", |b| {
        b.iter(|| serde_json::to_vec(black_box(&invoke)).expect("encodes"))
    });
    /// A decoding benchmark: name, body, and the decoding to measure.
    type Case = (&'static str, String, fn(&str));
    let cases: [Case; 3] = [
        (
            "decode/GetFunction (every member)",
            fixtures::get_function(),
            |s| {
                black_box(decode::<GetFunctionResponse>(s));
            },
        ),
        (
            "decode/ListFunctions (100)",
            fixtures::list_functions(100),
            |s| {
                black_box(decode::<ListFunctionsResponse>(s));
            },
        ),
        (
            "decode/GetRequestStatus (100)",
            fixtures::get_request_status(100),
            |s| {
                black_box(decode::<GetRequestStatusResponse>(s));
            },
        ),
    ];
    for (name, body, run) in cases {
        g.throughput(Throughput::Bytes(body.len() as u64));
        g.bench_function(name, |b| b.iter(|| run(black_box(&body))));
    }
    g.finish();
}

/// The two clients under comparison and the event they send.
struct Clients {
    scf: scf_api::Client,
    baseline: Baseline,
    event: String,
}

impl Clients {
    fn new(port: u16) -> Clients {
        Clients {
            scf: scf_client(port),
            baseline: Baseline::new(port, SECRET_ID, SECRET_KEY, REGION),
            event: event(),
        }
    }

    /// One `Invoke` through scf-api.
    async fn scf(&self) {
        scf_invoke(&self.scf, &self.event)
            .await
            .expect("scf-api call");
    }

    /// One `Invoke` through the baseline.
    async fn baseline(&self) {
        self.baseline
            .invoke(FUNCTION, &self.event)
            .await
            .expect("baseline call");
    }
}

/// Criterion's measurement is wall time; these benchmarks report the client thread's CPU time
/// instead (`iter_custom`), so that the server's work is not counted.
fn calls(c: &mut Criterion, port: u16) {
    let rt = runtime();
    let clients = Clients::new(port);
    let scf_call = || clients.scf();
    let base_call = || clients.baseline();
    let mut g = c.benchmark_group("calls");
    g.throughput(Throughput::Elements(1));
    g.bench_function(BenchmarkId::new("scf-api", "sequential"), |b| {
        b.iter_custom(|iters| cpu_of(&rt, iters, 1, scf_call))
    });
    g.bench_function(BenchmarkId::new("baseline", "sequential"), |b| {
        b.iter_custom(|iters| cpu_of(&rt, iters, 1, base_call))
    });
    g.throughput(Throughput::Elements(IN_FLIGHT as u64));
    g.bench_function(BenchmarkId::new("scf-api", "64 in flight"), |b| {
        b.iter_custom(|iters| cpu_of(&rt, iters, IN_FLIGHT, scf_call))
    });
    g.bench_function(BenchmarkId::new("baseline", "64 in flight"), |b| {
        b.iter_custom(|iters| cpu_of(&rt, iters, IN_FLIGHT, base_call))
    });
    g.finish();
}

/// Client CPU time of `iters` batches of `in_flight` concurrent calls.
fn cpu_of<F, Fut>(rt: &tokio::runtime::Runtime, iters: u64, in_flight: usize, call: F) -> Duration
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()>,
{
    let started = thread_cpu();
    rt.block_on(async {
        for _ in 0..iters {
            join_all((0..in_flight).map(|_| call())).await;
        }
    });
    thread_cpu().saturating_sub(started)
}

/// Rounds of the report; scf-api and the baseline alternate so that both see the same machine.
const ROUNDS: usize = 9;
/// Sequential calls per round.
const SEQUENTIAL_CALLS: usize = 2_000;
/// Calls per round at 64 in flight (50 batches).
const CONCURRENT_CALLS: usize = 50 * IN_FLIGHT;

/// One line of the report.
struct Line {
    metric: &'static str,
    scf: String,
    baseline: String,
    ratio: f64,
    budget: &'static str,
    ok: bool,
}

fn report(port: u16) {
    let rt = runtime();
    let clients = Clients::new(port);
    let scf_call = || clients.scf();
    let base_call = || clients.baseline();
    // Warm up both: connections, pools, caches.
    round(&rt, IN_FLIGHT * 4, IN_FLIGHT, scf_call);
    round(&rt, IN_FLIGHT * 4, IN_FLIGHT, base_call);

    let (mut scf_seq, mut base_seq, mut scf_par, mut base_par) = (vec![], vec![], vec![], vec![]);
    for _ in 0..ROUNDS {
        scf_seq.push(round(&rt, SEQUENTIAL_CALLS, 1, scf_call));
        base_seq.push(round(&rt, SEQUENTIAL_CALLS, 1, base_call));
        scf_par.push(round(&rt, CONCURRENT_CALLS, IN_FLIGHT, scf_call));
        base_par.push(round(&rt, CONCURRENT_CALLS, IN_FLIGHT, base_call));
    }
    let cpu =
        |rounds: &[Round]| median(&rounds.iter().map(|r| r.cpu_ns_per_call).collect::<Vec<_>>());
    let allocs = |rounds: &[Round]| {
        median(
            &rounds
                .iter()
                .map(|r| r.allocations_per_call)
                .collect::<Vec<_>>(),
        )
    };
    let peak = |rounds: &[Round]| {
        median(
            &rounds
                .iter()
                .map(|r| r.peak_bytes as f64)
                .collect::<Vec<_>>(),
        )
    };

    let (uncached, cached) = signing_cpu();

    let mut lines = Vec::new();
    for (metric, s, b) in [
        (
            "client CPU per call, sequential",
            cpu(&scf_seq),
            cpu(&base_seq),
        ),
        (
            "client CPU per call, 64 in flight",
            cpu(&scf_par),
            cpu(&base_par),
        ),
    ] {
        let ratio = s / b;
        lines.push(Line {
            metric,
            scf: micros(s),
            baseline: micros(b),
            ratio,
            budget: "<= 1.15x",
            ok: ratio <= 1.15,
        });
    }
    let (s, b) = (peak(&scf_par), peak(&base_par));
    lines.push(Line {
        metric: "peak heap, 64 in flight",
        scf: kib(s),
        baseline: kib(b),
        ratio: s / b,
        budget: "<= 1.2x",
        ok: s / b <= 1.2,
    });
    let (s, b) = (allocs(&scf_seq), allocs(&base_seq));
    lines.push(Line {
        metric: "allocations per call",
        scf: format!("{s:.1}"),
        baseline: format!("{b:.1}"),
        ratio: s / b,
        budget: "<= baseline + 10",
        ok: s <= b + 10.0,
    });
    lines.push(Line {
        metric: "signing: cached / uncached key",
        scf: micros(cached),
        baseline: micros(uncached),
        ratio: cached / uncached,
        budget: "<= 0.60x",
        ok: cached / uncached <= 0.60,
    });

    println!();
    println!(
        "scf-api against the hand-written baseline: medians of {ROUNDS} interleaved rounds of {SEQUENTIAL_CALLS} sequential and {CONCURRENT_CALLS} concurrent Invoke calls; client-thread CPU time"
    );
    println!(
        "(signing: scf-api's cached signing in the scf-api column, uncached in the baseline column)"
    );
    println!();
    println!(
        "| {:<34} | {:>12} | {:>12} | {:>6} | {:<16} | {:<4} |",
        "metric", "scf-api", "baseline", "ratio", "budget", ""
    );
    println!(
        "|{:-<36}|{:->14}|{:->14}|{:->8}|{:-<18}|{:-<6}|",
        "", "", "", "", "", ""
    );
    for l in &lines {
        println!(
            "| {:<34} | {:>12} | {:>12} | {:>6.2} | {:<16} | {:<4} |",
            l.metric,
            l.scf,
            l.baseline,
            l.ratio,
            l.budget,
            if l.ok { "ok" } else { "OVER" }
        );
    }
    let over = lines.iter().filter(|l| !l.ok).count();
    println!();
    println!("{} of {} budgets met", lines.len() - over, lines.len());
}

/// Median CPU time of one uncached and one cached `Authorization` value, interleaved.
fn signing_cpu() -> (f64, f64) {
    const SIGNATURES: u32 = 20_000;
    let body = event();
    let input = signing_input(body.as_bytes());
    let cache = SigningKeyCache::new();
    let (mut uncached, mut cached) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let t = thread_cpu();
        for _ in 0..SIGNATURES {
            black_box(authorization(black_box(&input), SECRET_KEY));
        }
        uncached.push(thread_cpu().saturating_sub(t).as_nanos() as f64 / f64::from(SIGNATURES));
        let t = thread_cpu();
        for _ in 0..SIGNATURES {
            black_box(cache.authorization(black_box(&input), SECRET_KEY));
        }
        cached.push(thread_cpu().saturating_sub(t).as_nanos() as f64 / f64::from(SIGNATURES));
    }
    (median(&uncached), median(&cached))
}

fn micros(ns: f64) -> String {
    format!("{:.2} µs", ns / 1000.0)
}

fn kib(bytes: f64) -> String {
    format!("{:.0} KiB", bytes / 1024.0)
}
