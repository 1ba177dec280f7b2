//! A fake metadata service for the tests: HTTP/1.1 on 127.0.0.1, one answer per connection,
//! scripted per path, remembering the paths it was asked.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// The path of the role name request.
pub(super) const ROLES: &str = "/latest/meta-data/cam/security-credentials/";

/// The largest request head read.
const MAX_HEAD: usize = 16 * 1024;

/// What the fake service does with one request.
pub(super) enum Reply {
    /// Answers with a status, extra headers and a body.
    Answer {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
    /// Reads the request and never answers, keeping the connection open.
    Hang,
    /// Answers `200 OK` with `len` bytes of body, announced in `Content-Length` when
    /// `declared`, else delimited by the end of the connection.
    Long { len: usize, declared: bool },
}

impl Reply {
    /// `status` with a plain-text body.
    pub(super) fn text(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self::Answer {
            status,
            headers: vec![("Content-Type", "text/plain".to_owned())],
            body: body.into(),
        }
    }

    /// `200 OK` with a JSON body.
    pub(super) fn json(body: &serde_json::Value) -> Self {
        Self::Answer {
            status: 200,
            headers: vec![("Content-Type", "application/json".to_owned())],
            body: body.to_string().into_bytes(),
        }
    }

    /// `302 Found` to `location`.
    pub(super) fn redirect(location: &str) -> Self {
        Self::Answer {
            status: 302,
            headers: vec![("Location", location.to_owned())],
            body: Vec::new(),
        }
    }
}

/// Decides the reply to a request for a path, given how many earlier requests asked for it.
type Script = dyn Fn(&str, usize) -> Reply + Send + Sync;

/// A running fake metadata service, stopped when dropped.
pub(super) struct FakeMetadata {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<String>>>,
    task: JoinHandle<()>,
}

impl FakeMetadata {
    /// Starts a service answering with `script`.
    pub(super) async fn start(
        script: impl Fn(&str, usize) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let script: Arc<Script> = Arc::new(script);
        let seen = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            // Dropped with the task: the connections end with the service.
            let mut connections = JoinSet::new();
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                connections.spawn(serve(stream, Arc::clone(&script), Arc::clone(&seen)));
                while connections.try_join_next().is_some() {}
            }
        });
        Self {
            addr,
            requests,
            task,
        }
    }

    /// The service's base URL, `http://127.0.0.1:<port>`.
    pub(super) fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The paths asked so far, in order.
    pub(super) fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    /// How many times `path` was asked.
    pub(super) fn count(&self, path: &str) -> usize {
        self.requests().iter().filter(|p| *p == path).count()
    }
}

impl Drop for FakeMetadata {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A base URL on which nothing listens: a port that was just free.
pub(super) async fn closed_port_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

/// Answers one request on `stream`.
async fn serve(mut stream: TcpStream, script: Arc<Script>, requests: Arc<Mutex<Vec<String>>>) {
    let Some(path) = read_path(&mut stream).await else {
        return;
    };
    let earlier = {
        let mut requests = requests.lock().unwrap();
        let earlier = requests.iter().filter(|p| **p == path).count();
        requests.push(path.clone());
        earlier
    };
    match script(&path, earlier) {
        Reply::Hang => std::future::pending::<()>().await,
        Reply::Answer {
            status,
            headers,
            body,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status} {}\r\nContent-Length: {}\r\nConnection: close\r\n",
                reason(status),
                body.len()
            );
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&body).await;
        }
        Reply::Long { len, declared } => {
            let length = if declared {
                format!("Content-Length: {len}\r\n")
            } else {
                String::new()
            };
            let head = format!("HTTP/1.1 200 OK\r\n{length}Connection: close\r\n\r\n");
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let chunk = vec![b'x'; 16 * 1024];
            let mut left = len;
            while left > 0 {
                let n = left.min(chunk.len());
                // The client hangs up once it has had enough.
                if stream.write_all(&chunk[..n]).await.is_err() {
                    return;
                }
                left -= n;
            }
        }
    }
    let _ = stream.shutdown().await;
}

/// Reads a request head and returns the path of its request line.
async fn read_path(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 || head.len() + n > MAX_HEAD {
            return None;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8(head).ok()?;
    let line = head.lines().next()?;
    line.split_whitespace().nth(1).map(str::to_owned)
}

/// The reason phrase of the statuses the tests use.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Other",
    }
}
