//! A hostile server cannot make the client buffer without bound: bodies that never end, bodies
//! announced as huge, compression bombs and redirect loops, each with the client thread's peak
//! heap measured by a counting allocator.

use std::future::Future;
use std::sync::Mutex;

use scf_api::actions::GetFunctionAddressError;
use scf_api::{Client, Credentials, DecodeErrorKind, Endpoint, ErrorKind, RetryPolicy};
use scf_api_tests::hostile::{Answer, Body, HostileServer};
use scf_bench::alloc::{self, CountingAlloc, Usage};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// Measurements share the allocator's counters: one at a time.
static MEASURING: Mutex<()> = Mutex::new(());

/// The limit the tests set: small, so that a test that overruns it shows at once.
const LIMIT: usize = 1024 * 1024;

/// Runs `call` on a current-thread runtime on this thread (so the client's connection tasks are
/// counted too) and returns its result with this thread's allocations.
fn measured<T>(call: impl Future<Output = T>) -> (T, Usage) {
    let _one = MEASURING.lock().unwrap_or_else(|e| e.into_inner());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    alloc::reset();
    alloc::track(true);
    let out = runtime.block_on(call);
    alloc::track(false);
    let usage = alloc::usage();
    drop(runtime);
    (out, usage)
}

fn client(server: &HostileServer, limit: Option<usize>) -> Client {
    let mut builder = Client::builder()
        .credentials(Credentials::new("AKIDtest", "key"))
        .endpoint(Endpoint::Url(server.url()))
        .region("ap-guangzhou")
        .attempt_timeout(std::time::Duration::from_secs(20))
        .retry_policy(RetryPolicy::disabled());
    if let Some(limit) = limit {
        builder = builder.max_response_bytes(limit);
    }
    builder.build().unwrap()
}

/// The call every test makes: any action would do; this one has a small answer.
async fn address(client: &Client) -> Result<(), scf_api::Error<GetFunctionAddressError>> {
    client
        .get_function_address()
        .function_name("f")
        .send()
        .await
        .map(drop)
}

/// Asserts a `TooLarge` decode error with the status, the header's request id and a snippet
/// of the first bytes; returns its message.
fn assert_too_large<E: scf_api::ErrorCode>(
    result: Result<impl Sized, scf_api::Error<E>>,
) -> String {
    let Err(err) = result else {
        panic!("an oversized body was accepted")
    };
    let ErrorKind::Decode(d) = err.kind() else {
        panic!("not a decode error: {err}")
    };
    assert_eq!(d.kind, DecodeErrorKind::TooLarge, "{err}");
    assert_eq!(d.status, 200);
    assert_eq!(err.request_id(), Some("hostile-1"), "{err}");
    assert!(
        d.body_snippet.starts_with("{\"Response\""),
        "{}",
        d.body_snippet
    );
    assert!(d.body_snippet.len() <= 520, "the snippet is bounded");
    assert!(!err.is_retryable());
    assert_eq!(err.attempts(), 1);
    d.message.clone()
}

/// The start of a JSON envelope, then an endless string.
fn endless_json() -> Body {
    Body::Endless {
        head: br#"{"Response":{"RequestId":"r","Url":""#.to_vec(),
        repeat: vec![b'x'; 16 * 1024],
    }
}

#[test]
fn an_endless_body_stops_at_the_limit() {
    let server = HostileServer::start(|_, _| Answer {
        body: endless_json(),
        ..Answer::json("").header("X-TC-RequestId", "hostile-1")
    });
    let client = client(&server, Some(LIMIT));
    let (result, usage) = measured(address(&client));
    let message = assert_too_large(result);
    assert!(message.contains(&LIMIT.to_string()), "{message}");
    // The body is held once, plus the growth of its buffer: within a small multiple of the limit.
    assert!(
        usage.peak_bytes < 4 * LIMIT as u64,
        "peak {} bytes for a {LIMIT}-byte limit",
        usage.peak_bytes
    );
}

#[test]
fn an_announced_length_over_the_limit_is_refused_before_reading() {
    // Announces 10 GB and sends forever: the client reads one piece, for the snippet.
    let server = HostileServer::start(|_, _| Answer {
        body: endless_json(),
        declared_length: Some(10_000_000_000),
        ..Answer::json("").header("X-TC-RequestId", "hostile-1")
    });
    let client = client(&server, Some(LIMIT));
    let (result, usage) = measured(address(&client));
    let message = assert_too_large(result);
    assert!(message.contains("Content-Length 10000000000"), "{message}");
    assert!(
        usage.peak_bytes < LIMIT as u64,
        "peak {} bytes: the body was not read",
        usage.peak_bytes
    );
}

/// A raw deflate stream that never ends: the first megabyte of zeros, then the bytes that each
/// further megabyte compresses to (the same every time once the window is all zeros).
fn endless_deflate() -> (Vec<u8>, Vec<u8>) {
    let zeros = vec![0u8; 1024 * 1024];
    let mut deflate = flate2::Compress::new(flate2::Compression::fast(), false);
    let mut block = || {
        let mut out = Vec::with_capacity(64 * 1024);
        let before = deflate.total_in();
        deflate
            .compress_vec(&zeros, &mut out, flate2::FlushCompress::Sync)
            .unwrap();
        assert_eq!(deflate.total_in() - before, zeros.len() as u64);
        out
    };
    let first = block();
    let _ = block();
    let repeat = block();
    assert_eq!(repeat, block(), "every further megabyte compresses alike");
    (first, repeat)
}

#[test]
fn compression_bombs_stop_at_the_limit_of_decoded_bytes() {
    let (first, repeat) = endless_deflate();
    // Sanity: the stream decodes to zeros, a thousand times larger than it is.
    let mut check = flate2::Decompress::new(false);
    let mut input = first.clone();
    input.extend_from_slice(&repeat);
    let mut out = Vec::with_capacity(3 * 1024 * 1024);
    check
        .decompress_vec(&input, &mut out, flate2::FlushDecompress::Sync)
        .unwrap();
    assert_eq!(out.len(), 2 * 1024 * 1024);
    assert!(out.iter().all(|&b| b == 0));
    assert!(repeat.len() < 8 * 1024, "{} bytes a megabyte", repeat.len());

    // gzip: a header, then the deflate stream; zlib ("deflate" in HTTP): its header likewise.
    let gzip_header = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    let zlib_header = vec![0x78, 0x01];
    for (encoding, header) in [("gzip", gzip_header), ("deflate", zlib_header)] {
        let mut head = header;
        head.extend_from_slice(&first);
        let repeat = repeat.clone();
        let server = HostileServer::start(move |_, _| Answer {
            body: Body::Endless {
                head: head.clone(),
                repeat: repeat.clone(),
            },
            ..Answer::json("")
                .header("X-TC-RequestId", "hostile-1")
                .header("Content-Encoding", encoding)
        });
        let client = client(&server, Some(LIMIT));
        let (result, usage) = measured(address(&client));
        let Err(err) = result else {
            panic!("{encoding}: a bomb was accepted")
        };
        let ErrorKind::Decode(d) = err.kind() else {
            panic!("{encoding}: not a decode error: {err}")
        };
        assert_eq!(d.kind, DecodeErrorKind::TooLarge, "{encoding}: {err}");
        assert_eq!(err.request_id(), Some("hostile-1"));
        assert!(
            usage.peak_bytes < 4 * LIMIT as u64,
            "{encoding}: peak {} bytes for a {LIMIT}-byte limit",
            usage.peak_bytes
        );
    }
}

#[test]
fn the_default_limit_is_32_mib() {
    assert_eq!(scf_api::DEFAULT_MAX_RESPONSE_BYTES, 32 * 1024 * 1024);
    let server = HostileServer::start(|_, _| Answer {
        body: endless_json(),
        declared_length: Some(32 * 1024 * 1024 + 1),
        ..Answer::json("").header("X-TC-RequestId", "hostile-1")
    });
    let message = assert_too_large(
        measured(async {
            client(&server, None)
                .get_function_address()
                .function_name("f")
                .send()
                .await
        })
        .0,
    );
    assert!(message.contains("33554432-byte limit"), "{message}");
}

#[test]
fn a_redirect_loop_is_one_request_and_bounded_memory() {
    // Every answer redirects to the same URL (a 307 keeps the method and the body).
    let server = HostileServer::start(|_, _| Answer {
        status: "307 Temporary Redirect",
        headers: vec![("Location".into(), "/".into())],
        body: Body::Bytes(b"moved".to_vec()),
        declared_length: None,
    });
    let client = client(&server, None);
    let (result, usage) = measured(async { client.invoke().function_name("f").send().await });
    let err = result.expect_err("a redirect is no answer");
    assert!(
        matches!(err.kind(), ErrorKind::Http(h) if h.status == 307 && h.body_snippet == "moved"),
        "{err}"
    );
    assert_eq!(server.received().len(), 1, "Invoke reached the server once");
    assert!(usage.peak_bytes < LIMIT as u64, "peak {}", usage.peak_bytes);
}
