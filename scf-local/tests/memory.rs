//! The heap stays flat under CreateFunction/DeleteFunction pairs with a 1 MiB `ZipFile`:
//! measured with a counting global allocator (scf-bench's, counting every thread), not assumed.
//! In its own test binary, so that no other test allocates meanwhile.

mod support;

use std::time::{Duration, Instant};

use base64::Engine as _;
use scf_bench::alloc::{self, CountingAlloc};
use scf_local::{RequestLogLimits, Server};
use serde_json::json;
use support::*;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// Pairs before counting: the request log fills up to its byte budget.
const WARM_UP_PAIRS: usize = 16;
/// Counted pairs: without bounds they would keep more than 64 MiB.
const PAIRS: usize = 64;
/// The most the heap may grow over the counted pairs.
const MAX_GROWTH: i64 = 2 * 1024 * 1024;

/// The base64 of a 768 KiB ZIP (1 MiB of text): an empty archive (only its end-of-central-
/// directory record) after zero padding, as a self-extracting archive has its stub.
fn padded_zip() -> String {
    let mut zip = vec![0u8; 768 * 1024 - 22];
    zip.extend_from_slice(&[0x50, 0x4b, 0x05, 0x06]);
    zip.extend_from_slice(&[0; 18]);
    base64::engine::general_purpose::STANDARD.encode(zip)
}

#[test]
fn create_delete_pairs_with_a_1_mib_zip_keep_the_heap_flat() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let server = Server::builder()
            .request_log(RequestLogLimits::default().max_bytes(512 * 1024))
            .start()
            .await
            .unwrap();
        let host = server.addr().to_string();
        let zip = padded_zip();
        assert_eq!(zip.len(), 1024 * 1024);
        let create = json!({"FunctionName": "big", "Code": {"ZipFile": zip}});
        // Signed once and sent again and again (a timestamp stays valid for 5 minutes): signing
        // 1 MiB is slow in a debug build.
        let create = signed_request(&host, "CreateFunction", &serde_json::to_vec(&create).unwrap());
        let delete = signed_request(&host, "DeleteFunction", br#"{"FunctionName":"big"}"#);
        drop(zip);
        let pair = || async {
            for request in [&create, &delete] {
                let response = response_of(&exchange(&server, request).await);
                assert!(response.get("Error").is_none(), "{response}");
            }
        };
        for _ in 0..WARM_UP_PAIRS {
            pair().await;
        }

        let started = Instant::now();
        alloc::reset();
        alloc::track_all_threads(true);
        for _ in 0..PAIRS {
            pair().await;
        }
        let grown = alloc::live_bytes();
        alloc::track_all_threads(false);
        let peak = alloc::usage().peak_bytes;
        eprintln!(
            "{PAIRS} pairs in {:.2?}: heap grew by {grown} bytes (peak {peak} bytes above the start)",
            started.elapsed()
        );
        assert!(
            grown < MAX_GROWTH,
            "the heap grew by {grown} bytes over {PAIRS} pairs"
        );
        assert!(started.elapsed() < Duration::from_secs(60));
    });
}
