//! A small HTTP/1.1 server on 127.0.0.1 answering like the SCF API, on its own thread and tokio
//! runtime so that the client under measurement has the benchmark thread to itself.
//!
//! It reads each request body in full and answers by `X-TC-Action` with a fixed body (see
//! [`crate::fixtures`]); it does not check signatures, since it must cost the same for every
//! client (the signature checks live in the tests: `tests/tests/*.rs`, and this crate's
//! `tests/baseline.rs` against scf-local).

use std::convert::Infallible;
use std::net::{SocketAddr, TcpListener as StdListener};
use std::sync::Arc;
use std::thread::JoinHandle;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::fixtures;

/// The bodies the server answers with, encoded once.
struct Answers {
    invoke: Bytes,
    get_function: Bytes,
    list_functions: Bytes,
    get_request_status: Bytes,
}

impl Answers {
    fn new() -> Answers {
        Answers {
            invoke: fixtures::invoke().into(),
            get_function: fixtures::get_function().into(),
            list_functions: fixtures::list_functions(100).into(),
            get_request_status: fixtures::get_request_status(100).into(),
        }
    }

    fn for_action(&self, action: &str) -> Bytes {
        match action {
            "Invoke" => self.invoke.clone(),
            "GetFunction" => self.get_function.clone(),
            "ListFunctions" => self.list_functions.clone(),
            "GetRequestStatus" => self.get_request_status.clone(),
            other => fixtures::invalid_action(other).into(),
        }
    }
}

/// A running bench server; stops when dropped.
pub struct BenchServer {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl BenchServer {
    /// Starts a server on a free port of 127.0.0.1.
    pub fn start() -> std::io::Result<BenchServer> {
        let listener = StdListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()?;
        let (stop, stopped) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name("bench-server".into())
            .spawn(move || runtime.block_on(serve(listener, stopped)))?;
        Ok(BenchServer {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }
}

impl Drop for BenchServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(listener: StdListener, mut stopped: oneshot::Receiver<()>) {
    let Ok(listener) = TcpListener::from_std(listener) else {
        return;
    };
    let answers = Arc::new(Answers::new());
    loop {
        let stream = tokio::select! {
            _ = &mut stopped => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => continue,
            },
        };
        let _ = stream.set_nodelay(true);
        let answers = Arc::clone(&answers);
        tokio::spawn(async move {
            let service = service_fn(move |req: Request<Incoming>| {
                let answers = Arc::clone(&answers);
                async move { Ok::<_, Infallible>(answer(&answers, req).await) }
            });
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn answer(answers: &Answers, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let action = req
        .headers()
        .get("X-TC-Action")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    // Read the whole request, as a real server does.
    let _ = req.into_body().collect().await;
    let mut response = Response::new(Full::new(answers.for_action(&action)));
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json"),
    );
    response
}
