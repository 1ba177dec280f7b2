//! A fake runtime API on 127.0.0.1 for the unit tests: hand-written HTTP/1.1 (independent of
//! the hyper client under test), a script of events, and a record of every request.
//!
//! It answers `ready` and the pushes with 200 (or the status a test sets for `ready`), and
//! `next` with the next scripted event. When the script is exhausted it closes the connection
//! and stops listening, so the runtime's loop ends with [`Error::Unreachable`](crate::Error).

use std::net::SocketAddr;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A request the fake received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Recorded {
    pub(super) method: String,
    pub(super) path: String,
    pub(super) body: Vec<u8>,
}

impl Recorded {
    /// The body as text.
    pub(super) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// An event to deliver: its headers and body.
pub(super) struct Event {
    pub(super) headers: Vec<(&'static str, String)>,
    pub(super) body: Vec<u8>,
}

impl Event {
    /// An event with the three documented headers.
    pub(super) fn new(request_id: &str, time_limit_ms: u64, body: &str) -> Self {
        Self {
            headers: vec![
                ("request_id", request_id.to_owned()),
                ("memory_limit_in_mb", "256".to_owned()),
                ("time_limit_in_ms", time_limit_ms.to_string()),
            ],
            body: body.as_bytes().to_vec(),
        }
    }
}

/// Starts the fake; the task ends, with the requests it got, once the events are used up.
pub(super) async fn start(
    events: Vec<Event>,
    ready_status: u16,
) -> (SocketAddr, JoinHandle<Vec<Recorded>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        let mut events = events.into_iter();
        let mut recorded = Vec::new();
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let exhausted = serve(stream, &mut events, ready_status, &mut recorded).await;
            if exhausted {
                return recorded; // drops the listener: the next connect is refused
            }
        }
    });
    (address, task)
}

/// Serves one connection until the client closes it (`false`) or the events run out (`true`).
async fn serve(
    stream: TcpStream,
    events: &mut impl Iterator<Item = Event>,
    ready_status: u16,
    recorded: &mut Vec<Recorded>,
) -> bool {
    let mut stream = BufReader::new(stream);
    while let Some(request) = read_request(&mut stream).await {
        let path = request.path.clone();
        recorded.push(request);
        let (status, headers, body) = match path.as_str() {
            "/runtime/init/ready" => (ready_status, Vec::new(), b"no".to_vec()),
            "/runtime/invocation/next" => match events.next() {
                Some(event) => (200, event.headers, event.body),
                None => return true,
            },
            _ => (200, Vec::new(), Vec::new()),
        };
        let mut answer = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", body.len());
        for (name, value) in headers {
            answer.push_str(&format!("{name}: {value}\r\n"));
        }
        answer.push_str("\r\n");
        let stream = stream.get_mut();
        stream.write_all(answer.as_bytes()).await.unwrap();
        stream.write_all(&body).await.unwrap();
    }
    false
}

/// Reads one request (with a `content-length` body); `None` at the end of the connection.
async fn read_request(stream: &mut BufReader<TcpStream>) -> Option<Recorded> {
    let mut line = String::new();
    stream.read_line(&mut line).await.ok()?;
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next()?.to_owned(), parts.next()?.to_owned());
    let mut length = 0;
    loop {
        let mut header = String::new();
        stream.read_line(&mut header).await.ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok()?;
            }
        }
    }
    let mut body = vec![0; length];
    stream.read_exact(&mut body).await.ok()?;
    Some(Recorded { method, path, body })
}
