//! Slow and idle clients cannot hold connections and buffers forever: a body that trickles is
//! cut off after the body timeout, headers that trickle or never come after the header timeout,
//! and the server serves a bounded number of connections at once.

mod support;

use std::time::{Duration, Instant};

use scf_local::{Outcome, Server};
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The most any of these tests waits for the server; far below the 30 s defaults.
const PATIENCE: Duration = Duration::from_secs(5);

/// Reads until the server closes the connection; `None` if it does not within [`PATIENCE`].
async fn read_until_closed(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut raw = Vec::new();
    match tokio::time::timeout(PATIENCE, stream.read_to_end(&mut raw)).await {
        Ok(_) => Some(raw), // a reset counts as closed too
        Err(_) => None,
    }
}

#[tokio::test]
async fn a_trickling_body_is_cut_off_after_the_body_timeout() {
    let server = Server::builder()
        .body_timeout(Duration::from_millis(300))
        .examples_only()
        .start()
        .await
        .unwrap();
    let host = server.addr().to_string();
    let body = br#"{"FunctionName":"f","FunctionRequestId":"id"}"#;
    let request = signed_request(&host, "GetRequestStatus", body);
    let head_len = request.len() - body.len();

    let started = Instant::now();
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream.write_all(&request[..head_len + 1]).await.unwrap();
    // One more byte every 100 ms, until the server answers (the whole body would take 4 s).
    let mut answer = Vec::new();
    let mut sent = 1;
    let mut chunk = [0u8; 1024];
    loop {
        tokio::select! {
            read = stream.read(&mut chunk) => match read {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&chunk[..n]),
            },
            () = tokio::time::sleep(Duration::from_millis(100)), if answer.is_empty() => {
                let byte = head_len + sent;
                if byte < request.len() && stream.write_all(&request[byte..=byte]).await.is_ok() {
                    sent += 1;
                }
            }
        }
        assert!(
            started.elapsed() < PATIENCE,
            "the server waited for the body"
        );
    }
    let elapsed = started.elapsed();
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 408 "), "{text}");
    assert!(
        text.to_ascii_lowercase().contains("connection: close"),
        "{text}"
    );
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");

    let record = server.requests().pop().unwrap();
    assert_eq!(record.outcome, Outcome::Raw { status: 408 });
    assert!(record.body.is_empty());
    assert!(record.body_len >= 1 && record.body_len < body.len() as u64);
}

#[tokio::test]
async fn trickling_headers_and_idle_connections_are_closed() {
    let server = Server::builder()
        .header_timeout(Duration::from_millis(300))
        .examples_only()
        .start()
        .await
        .unwrap();

    // Headers that never end.
    let started = Instant::now();
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream
        .write_all(b"POST / HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    assert!(
        read_until_closed(&mut stream).await.is_some(),
        "the connection stayed open"
    );
    assert!(started.elapsed() >= Duration::from_millis(300));

    // A kept-alive connection that goes quiet after one exchange.
    let host = server.addr().to_string();
    let request = String::from_utf8(signed_request(
        &host,
        "GetRequestStatus",
        br#"{"FunctionName":"f","FunctionRequestId":"id"}"#,
    ))
    .unwrap()
    .replace("Connection: close\r\n", "");
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let answer = read_until_closed(&mut stream)
        .await
        .expect("the idle connection stayed open");
    assert!(answer.starts_with(b"HTTP/1.1 200 "), "{answer:?}");
}

#[tokio::test]
async fn connections_beyond_the_limit_wait_for_a_free_one() {
    let server = Server::builder()
        .max_connections(2)
        .examples_only()
        .start()
        .await
        .unwrap();
    // Two clients that connect and say nothing hold both connections.
    let first = TcpStream::connect(server.addr()).await.unwrap();
    let _second = TcpStream::connect(server.addr()).await.unwrap();
    // Let the server take them before the third.
    tokio::time::sleep(Duration::from_millis(100)).await;

    let host = server.addr().to_string();
    let request = signed_request(
        &host,
        "GetRequestStatus",
        br#"{"FunctionName":"f","FunctionRequestId":"id"}"#,
    );
    let mut third = TcpStream::connect(server.addr()).await.unwrap();
    third.write_all(&request).await.unwrap();
    let mut answer = Vec::new();
    let early =
        tokio::time::timeout(Duration::from_millis(300), third.read_to_end(&mut answer)).await;
    assert!(early.is_err(), "served beyond the limit: {answer:?}");

    drop(first);
    let answer = read_until_closed(&mut third)
        .await
        .expect("not served once a connection was free");
    assert!(answer.starts_with(b"HTTP/1.1 200 "), "{answer:?}");
}
