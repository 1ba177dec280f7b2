//! Runs sequential `Invoke` calls of one client against the bench server, for instruction counts
//! under valgrind (`cargo xtask perf instructions`), with the server in another process so that
//! only the client's instructions are counted.
//!
//! ```text
//! scf-bench-calls serve                            # prints `PORT <n>`, serves until stdin closes
//! scf-bench-calls run <scf-api|baseline> <calls> <port>
//! ```
//!
//! `run` prints the allocations per counted call on stderr.

use std::io::{Read, Write};
use std::process::ExitCode;

use scf_bench::alloc::{self, CountingAlloc};
use scf_bench::baseline::Baseline;
use scf_bench::server::BenchServer;
use scf_bench::{FUNCTION, REGION, SECRET_ID, SECRET_KEY, event, scf_client, scf_invoke};

/// Calls made before the counted ones, so that connection setup is not counted.
const WARM_UP: usize = 20;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["serve"] => serve(),
        ["run", client, calls, port] => match (calls.parse(), port.parse()) {
            (Ok(calls), Ok(port)) => run(client, calls, port),
            _ => Err(format!("bad number in `{calls} {port}`")),
        },
        _ => Err("usage: scf-bench-calls serve | run <scf-api|baseline> <calls> <port>".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("scf-bench-calls: {e}");
            ExitCode::FAILURE
        }
    }
}

fn serve() -> Result<(), String> {
    let server = BenchServer::start().map_err(|e| format!("cannot start the server: {e}"))?;
    let mut out = std::io::stdout();
    writeln!(out, "PORT {}", server.port())
        .and_then(|()| out.flush())
        .map_err(|e| e.to_string())?;
    // Serve until the parent closes our stdin.
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
    Ok(())
}

fn run(client: &str, calls: usize, port: u16) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let event = event();
    match client {
        "scf-api" => {
            let client = scf_client(port);
            let call = || async {
                scf_invoke(&client, &event)
                    .await
                    .map(drop)
                    .map_err(|e| e.to_string())
            };
            counted(&runtime, calls, call)?;
        }
        "baseline" => {
            let client = Baseline::new(port, SECRET_ID, SECRET_KEY, REGION);
            let call = || async { client.invoke(FUNCTION, &event).await.map(drop) };
            counted(&runtime, calls, call)?;
        }
        other => return Err(format!("unknown client `{other}` (scf-api or baseline)")),
    }
    Ok(())
}

/// Makes [`WARM_UP`] calls, then `calls` counted ones, and reports their allocations.
fn counted<F, Fut>(runtime: &tokio::runtime::Runtime, calls: usize, call: F) -> Result<(), String>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<(), String>>,
{
    runtime.block_on(async {
        for _ in 0..WARM_UP {
            call().await?;
        }
        alloc::track(true);
        alloc::reset();
        for _ in 0..calls {
            call().await?;
        }
        alloc::track(false);
        Ok::<(), String>(())
    })?;
    let per_call = alloc::usage().allocations as f64 / calls.max(1) as f64;
    eprintln!("allocations per call: {per_call:.1}");
    Ok(())
}
