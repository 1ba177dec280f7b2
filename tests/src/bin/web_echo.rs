//! A web function's server for the tests: started by a web function's `scf_bootstrap` under
//! scf-local, it listens on `0.0.0.0:$PORT` and answers each request with what it received, so
//! that tests need no interpreter.
//!
//! - `GET /sleep/<ms>`: answers after that many milliseconds.
//! - `GET /big/<bytes>`: answers a body of that many bytes.
//! - `GET /exit`: exits with status 7 without answering.
//! - anything else: a JSON object with the method, the path and query, the body's length, the
//!   `x-*` headers, this process's id, `PORT` and the SCF variables; it also prints
//!   `web-echo handling <method> <path>` on stdout.

use std::collections::BTreeMap;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The largest request (head and body) read.
const MAX_REQUEST: usize = 16 * 1024 * 1024;

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .ok_or_else(|| std::io::Error::other("PORT is not set"))?;
    let listener = TcpListener::bind(("0.0.0.0", port)).await?;
    loop {
        let (stream, _) = listener.accept().await?;
        tokio::spawn(serve(stream, port));
    }
}

/// One request as read: method, target, lowercase headers, body.
struct Received {
    method: String,
    target: String,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

/// Reads one request (with a `Content-Length` body, if any).
async fn read_request(stream: &mut TcpStream) -> Option<Received> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 || buf.len() > MAX_REQUEST {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, target) = (first.next()?.to_owned(), first.next()?.to_owned());
    let headers: BTreeMap<String, String> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length: usize = headers
        .get("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length.min(MAX_REQUEST) {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Received {
        method,
        target,
        headers,
        body,
    })
}

async fn serve(mut stream: TcpStream, port: u16) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let path = request.target.split('?').next().unwrap_or("/").to_owned();
    let body = if let Some(ms) = path.strip_prefix("/sleep/") {
        tokio::time::sleep(Duration::from_millis(ms.parse().unwrap_or(0))).await;
        describe(&request, port)
    } else if let Some(bytes) = path.strip_prefix("/big/") {
        vec![b'x'; bytes.parse().unwrap_or(0)]
    } else if path == "/exit" {
        std::process::exit(7);
    } else {
        println!("web-echo handling {} {}", request.method, request.target);
        describe(&request, port)
    };
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-echo: yes\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(&body).await;
    let _ = stream.shutdown().await;
}

/// The JSON description of a request.
fn describe(request: &Received, port: u16) -> Vec<u8> {
    let headers: BTreeMap<&String, &String> = request
        .headers
        .iter()
        .filter(|(name, _)| name.starts_with("x-") || *name == "host")
        .collect();
    let env: BTreeMap<String, String> = std::env::vars()
        .filter(|(name, _)| name.starts_with("SCF_") || name == "TENCENTCLOUD_REGION")
        .collect();
    let description = serde_json::json!({
        "method": request.method,
        "target": request.target,
        "body_len": request.body.len(),
        "headers": headers,
        "pid": std::process::id(),
        "port": port,
        "env": env,
    });
    description.to_string().into_bytes()
}
