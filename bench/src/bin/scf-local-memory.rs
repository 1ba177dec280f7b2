//! Drives CreateFunction/DeleteFunction pairs with a 1 MiB `ZipFile` through scf-api against a
//! running scf-local, for `cargo xtask perf emulator-memory`, which reads the server's resident
//! memory before and after.
//!
//! ```text
//! scf-local-memory <port> <pairs> <secret id> <secret key>
//! ```
//!
//! Prints progress on stderr and, when done, `DONE <pairs> <seconds>` on stdout.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use scf_api::types::Code;
use scf_bench::REGION;

/// The function every pair creates and deletes.
const FUNCTION: &str = "memory-probe";
/// The base64 of an empty ZIP archive (its end-of-central-directory record alone).
const EMPTY_ZIP: &str = "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==";
/// The length of the `ZipFile` text sent: 1 MiB.
const ZIP_TEXT_LEN: usize = 1024 * 1024;
/// Pairs between two progress lines.
const PROGRESS_EVERY: usize = 1000;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [port, pairs, id, key] => match (port.parse(), pairs.parse()) {
            (Ok(port), Ok(pairs)) => run(port, pairs, id, key),
            _ => Err(format!("bad number in `{port} {pairs}`")),
        },
        _ => Err("usage: scf-local-memory <port> <pairs> <secret id> <secret key>".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("scf-local-memory: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A 1 MiB base64 `ZipFile`: zero padding before an empty archive's end record, as a
/// self-extracting archive has its stub (the padding is a whole number of base64 quads, so the
/// two texts join into the base64 of the joined bytes).
fn padded_zip() -> String {
    let mut zip = "A".repeat(ZIP_TEXT_LEN - EMPTY_ZIP.len());
    zip.push_str(EMPTY_ZIP);
    zip
}

fn run(port: u16, pairs: usize, id: &str, key: &str) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let client = scf_api::Client::builder()
        .credentials(scf_api::Credentials::new(id, key))
        .endpoint(scf_api::Endpoint::Url(format!("http://127.0.0.1:{port}/")))
        .region(REGION)
        .build()
        .map_err(|e| e.to_string())?;
    let zip = padded_zip();
    let started = Instant::now();
    runtime.block_on(async {
        for n in 1..=pairs {
            let code = Code {
                zip_file: Some(zip.clone()),
                ..Code::default()
            };
            client
                .create_function()
                .function_name(FUNCTION)
                .code(code)
                .send()
                .await
                .map_err(|e| format!("pair {n}: CreateFunction: {e}"))?;
            client
                .delete_function()
                .function_name(FUNCTION)
                .send()
                .await
                .map_err(|e| format!("pair {n}: DeleteFunction: {e}"))?;
            if n % PROGRESS_EVERY == 0 {
                eprintln!("scf-local-memory: {n} pairs in {:.1?}", started.elapsed());
            }
        }
        Ok::<(), String>(())
    })?;
    let mut out = std::io::stdout();
    writeln!(out, "DONE {pairs} {:.3}", started.elapsed().as_secs_f64())
        .and_then(|()| out.flush())
        .map_err(|e| e.to_string())
}
