//! A misbehaving HTTP/1.1 server on 127.0.0.1, on a thread and runtime of its own: it answers
//! each request as a handler says, including bodies that never end, bodies larger than
//! announced, and redirects. Running apart from the test's runtime keeps its allocations off
//! the client thread's count when a test measures memory.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

use crate::raw::{Received, read_request};

/// How a body is sent.
#[derive(Debug, Clone)]
pub enum Body {
    /// These bytes, with their `Content-Length` unless the answer declares another.
    Bytes(Vec<u8>),
    /// `head`, then `repeat` again and again until the client goes away: chunked, unless the
    /// answer declares a `Content-Length` (which the body then overruns or never reaches).
    Endless {
        /// Sent first.
        head: Vec<u8>,
        /// Sent forever after.
        repeat: Vec<u8>,
    },
}

/// One answer.
#[derive(Debug, Clone)]
pub struct Answer {
    /// Status code and reason, e.g. `200 OK`.
    pub status: &'static str,
    /// Extra headers (framing headers are added).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Body,
    /// A `Content-Length` to announce instead of the true one.
    pub declared_length: Option<u64>,
}

impl Answer {
    /// A `200 OK` JSON answer with this body.
    pub fn json(body: impl Into<Vec<u8>>) -> Answer {
        Answer {
            status: "200 OK",
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: Body::Bytes(body.into()),
            declared_length: None,
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Answer {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

type Handler = dyn Fn(usize, &Received) -> Answer + Send + Sync;

/// A running server; stops (and closes every connection) when dropped.
pub struct HostileServer {
    addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl HostileServer {
    /// Starts a server that answers the `n`th request (from 0, over all connections) with
    /// `handler(n, request)`.
    pub fn start(handler: impl Fn(usize, &Received) -> Answer + Send + Sync + 'static) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("local address");
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        let handler: Arc<Handler> = Arc::new(handler);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("server runtime");
            runtime.block_on(async move {
                let listener = TcpListener::from_std(listener).expect("tokio listener");
                let accept = async {
                    while let Ok((stream, _)) = listener.accept().await {
                        tokio::spawn(serve(stream, handler.clone(), log.clone()));
                    }
                };
                tokio::select! {
                    _ = accept => {}
                    _ = stopped => {}
                }
            });
        });
        HostileServer {
            addr,
            received,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Received> {
        self.received
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(mut stream: TcpStream, handler: Arc<Handler>, log: Arc<Mutex<Vec<Received>>>) {
    let mut buf = Vec::new();
    while let Some(request) = read_request(&mut stream, &mut buf).await {
        let n = {
            let mut log = log.lock().unwrap_or_else(PoisonError::into_inner);
            log.push(request.clone());
            log.len() - 1
        };
        let answer = handler(n, &request);
        if write_answer(&mut stream, &answer).await.is_err() {
            return;
        }
    }
}

async fn write_answer(stream: &mut TcpStream, answer: &Answer) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {}\r\n", answer.status);
    for (n, v) in &answer.headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    let chunked = matches!(answer.body, Body::Endless { .. }) && answer.declared_length.is_none();
    match (&answer.body, answer.declared_length) {
        (_, Some(n)) => head.push_str(&format!("Content-Length: {n}\r\n")),
        (Body::Bytes(b), None) => head.push_str(&format!("Content-Length: {}\r\n", b.len())),
        (Body::Endless { .. }, None) => head.push_str("Transfer-Encoding: chunked\r\n"),
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    match &answer.body {
        Body::Bytes(b) => stream.write_all(b).await,
        Body::Endless { head, repeat } => {
            write_piece(stream, head, chunked).await?;
            loop {
                write_piece(stream, repeat, chunked).await?;
            }
        }
    }
}

async fn write_piece(stream: &mut TcpStream, bytes: &[u8], chunked: bool) -> std::io::Result<()> {
    if bytes.is_empty() {
        return Ok(());
    }
    if chunked {
        stream
            .write_all(format!("{:x}\r\n", bytes.len()).as_bytes())
            .await?;
        stream.write_all(bytes).await?;
        stream.write_all(b"\r\n").await
    } else {
        stream.write_all(bytes).await
    }
}
