//! A scripted Custom Runtime API for the bootstrap tests, and a helper that runs a bootstrap
//! against it with the real interpreter.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response};
use hyper_util::rt::TokioIo;
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;
use tokio::sync::mpsc;

use super::super::Launch;

/// What the bootstrap pushed: `ready`, `response` or `error`, for which event, with what body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Posted {
    pub(super) kind: String,
    pub(super) request_id: String,
    pub(super) body: String,
}

/// The outcome of one run: the pushes in order (ready first) and the process's output.
#[derive(Debug)]
pub(super) struct Run {
    pub(super) posted: Vec<Posted>,
    pub(super) stdout: String,
    pub(super) stderr: String,
}

impl Run {
    /// The answer to event `index` (0-based), checking it answers that event.
    pub(super) fn answer(&self, index: usize) -> &Posted {
        let posted = &self.posted[index + 1];
        assert_eq!(posted.request_id, request_id(index), "{:#?}", self.posted);
        posted
    }
}

/// The request id the fake API gives event `index`.
pub(super) fn request_id(index: usize) -> String {
    format!("req-{index}")
}

struct Api {
    events: Mutex<VecDeque<(String, Vec<u8>)>>,
    current: Mutex<String>,
    posted: mpsc::UnboundedSender<Posted>,
}

type Reply = Response<Full<Bytes>>;

async fn serve(api: Arc<Api>, request: Request<Incoming>) -> Result<Reply, Infallible> {
    let method = request.method().clone();
    let route = request.uri().path().to_owned();
    let body = match request.into_body().collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => Bytes::new(),
    };
    let push = |kind: &str, request_id: String| {
        let body = String::from_utf8_lossy(&body).into_owned();
        let kind = kind.to_owned();
        let _ = api.posted.send(Posted {
            kind,
            request_id,
            body,
        });
    };
    match (method, route.as_str()) {
        (Method::POST, "/runtime/init/ready") => push("ready", String::new()),
        (Method::GET, "/runtime/invocation/next") => {
            let next = api.events.lock().unwrap().pop_front();
            // No more events: hold the request open, as the real API does between events.
            let Some((id, event)) = next else {
                return std::future::pending().await;
            };
            *api.current.lock().unwrap() = id.clone();
            let reply = Response::builder()
                .header("request_id", id)
                .header("memory_limit_in_mb", "128")
                .header("time_limit_in_ms", "3000")
                .body(Full::new(Bytes::from(event)))
                .unwrap();
            return Ok(reply);
        }
        (Method::POST, "/runtime/invocation/response") => {
            push("response", api.current.lock().unwrap().clone());
        }
        (Method::POST, "/runtime/invocation/error") => {
            push("error", api.current.lock().unwrap().clone());
        }
        _ => {
            let reply = Response::builder().status(404).body(Full::default());
            return Ok(reply.unwrap());
        }
    }
    Ok(Response::new(Full::default()))
}

/// Starts the fake API on 127.0.0.1 with `events`; returns its port and the pushes.
async fn start(events: &[&[u8]]) -> (u16, mpsc::UnboundedReceiver<Posted>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let events = events
        .iter()
        .enumerate()
        .map(|(i, event)| (request_id(i), event.to_vec()))
        .collect();
    let api = Arc::new(Api {
        events: Mutex::new(events),
        current: Mutex::new(String::new()),
        posted: tx,
    });
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let api = Arc::clone(&api);
            let service = service_fn(move |request| serve(Arc::clone(&api), request));
            tokio::spawn(http1::Builder::new().serve_connection(TokioIo::new(stream), service));
        }
    });
    (port, rx)
}

/// Starts `launch` in `code_dir` with `handler` and the API on `port`, output piped.
fn spawn(launch: &Launch, code_dir: &Path, handler: &str, port: u16) -> tokio::process::Child {
    tokio::process::Command::new(&launch.program)
        .args(&launch.args)
        // A cleared environment, as instances have: only what the bootstraps are documented
        // to read, plus PATH (the interpreter may be a wrapper script) and a UTF-8 locale.
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("LANG", "C.UTF-8")
        .envs(launch.env.iter().map(|(k, v)| (k, v)))
        .env("SCF_RUNTIME_API", "127.0.0.1")
        .env("SCF_RUNTIME_API_PORT", port.to_string())
        .env("_HANDLER", handler)
        .env("SCF_FUNCTIONNAME", "hello")
        .env("SCF_FUNCTIONVERSION", "$LATEST")
        .env("SCF_NAMESPACE", "ns1")
        .env("TENCENTCLOUD_REGION", "ap-guangzhou")
        .env("TENCENTCLOUD_APPID", "1250000000")
        .current_dir(code_dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap()
}

/// Runs `launch` with an API port nobody listens on: returns its exit code and stderr.
pub(super) async fn unreachable(launch: &Launch, code_dir: &Path) -> (Option<i32>, String) {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap().port()
    };
    let child = spawn(launch, code_dir, "index.main_handler", port);
    let output = tokio::time::timeout(Duration::from_secs(8), child.wait_with_output());
    let output = output.await.expect("the bootstrap kept running").unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code(), stderr)
}

/// Runs `launch` in `code_dir` with `handler` against a fake API handing out `events`, until it
/// has answered them all (or 8 s passed), then kills it.
pub(super) async fn run(launch: &Launch, code_dir: &Path, handler: &str, events: &[&[u8]]) -> Run {
    let (port, mut pushes) = start(events).await;
    let mut child = spawn(launch, code_dir, handler, port);
    let stdout = tokio::spawn(read_all(child.stdout.take().unwrap()));
    let stderr = tokio::spawn(read_all(child.stderr.take().unwrap()));
    let mut posted = Vec::new();
    let wanted = events.len() + 1;
    let collect = async {
        while posted.len() < wanted {
            match pushes.recv().await {
                Some(push) => posted.push(push),
                None => break,
            }
        }
    };
    let finished = tokio::time::timeout(Duration::from_secs(8), collect)
        .await
        .is_ok();
    let _ = child.start_kill();
    let _ = child.wait().await;
    let stdout = stdout.await.unwrap();
    let stderr = stderr.await.unwrap();
    assert!(
        finished,
        "{} of {wanted} pushes: {posted:#?}\nstdout: {stdout}\nstderr: {stderr}",
        posted.len()
    );
    assert_eq!(posted[0].kind, "ready", "{posted:#?}");
    Run {
        posted,
        stdout,
        stderr,
    }
}

async fn read_all(mut stream: impl tokio::io::AsyncRead + Unpin) -> String {
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes).await;
    String::from_utf8_lossy(&bytes).into_owned()
}
