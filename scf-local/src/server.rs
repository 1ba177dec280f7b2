//! The running server and its builder.

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, PoisonError};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tokio::task::{JoinHandle, JoinSet};

use crate::builder::ServerBuilder;
use crate::catalog::Catalog;
use crate::context::Shared;
use crate::record::RecordedRequest;
use crate::{Fault, service};

/// How connections are served: limits that protect the server from slow or idle clients.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ConnectionLimits {
    /// Connections served at once; more wait in the listen backlog.
    pub(crate) max_connections: usize,
    /// How long the headers of a request may take to arrive, counted from the end of the
    /// previous answer on a kept-alive connection (so it also closes idle connections).
    pub(crate) header_timeout: Duration,
}

/// A running scf-local server on `127.0.0.1`.
///
/// The server runs on the Tokio runtime that started it and stops when this value is dropped
/// (its tasks are aborted: the listener closes and open connections are cut).
///
/// ```
/// # async fn demo() -> std::io::Result<()> {
/// let server = scf_local::Server::start().await?;
/// println!("endpoint {} with SecretId {}", server.url(), server.secret_id());
/// # Ok(())
/// # }
/// ```
pub struct Server {
    pub(crate) addr: SocketAddr,
    pub(crate) shared: Arc<Shared>,
    pub(crate) task: Option<JoinHandle<()>>,
}

impl Server {
    /// Starts a server with the default settings on an ephemeral port
    /// (the same as `Server::builder().start()`).
    pub async fn start() -> io::Result<Server> {
        Self::builder().start().await
    }

    /// A builder for a server with non-default settings.
    pub fn builder() -> ServerBuilder {
        ServerBuilder::default()
    }

    /// The base URL, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The accepted SecretId.
    pub fn secret_id(&self) -> &str {
        &self.shared.secret_id
    }

    /// The SecretKey of [`secret_id`](Self::secret_id).
    pub fn secret_key(&self) -> &str {
        &self.shared.secret_key
    }

    /// The session token every request must carry in `X-TC-Token`, if one was configured.
    pub fn token(&self) -> Option<&str> {
        self.shared.token.as_deref()
    }

    /// The catalog the server validates requests against.
    pub fn catalog(&self) -> &'static Catalog {
        self.shared.catalog
    }

    /// Queues a fault: the next request that passes authentication gets it instead of the normal
    /// answer. Several queued faults are used in the order they were pushed.
    pub fn push_fault(&self, fault: Fault) {
        self.shared
            .faults
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push_back(fault);
    }

    /// The requests received so far, in the order the server decided their answers (for
    /// requests sent one after the other, the order they were sent), including rejected ones;
    /// only the newest, within the server's [`RequestLogLimits`](crate::RequestLogLimits)
    /// (by default the last 1,000, bodies cut at 64 KiB, 16 MiB in all).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared
            .requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .snapshot()
    }

    /// How many records were dropped (the oldest first) to keep the request log within its
    /// limits since the server started or [`clear_requests`](Self::clear_requests) was called.
    pub fn evicted_requests(&self) -> u64 {
        self.shared
            .requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .evicted()
    }

    /// Forgets all recorded requests.
    pub fn clear_requests(&self) {
        self.shared
            .requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// Stops the server and waits until its listener is closed and its connections are cut;
    /// every process running function code is stopped.
    pub async fn shutdown(mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            // The result is the cancellation error we just caused.
            let _ = task.await;
        }
        self.shared.runtimes.stop_all();
    }
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("addr", &self.addr)
            .field("secret_id", &self.shared.secret_id)
            .field("token", &self.shared.token)
            .field("clock_offset_secs", &self.shared.clock_offset_secs)
            .finish_non_exhaustive()
    }
}

impl Drop for Server {
    /// Stops serving and stops every process running function code (also when a test that
    /// started the server panics: unwinding drops it).
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
        self.shared.runtimes.stop_all();
    }
}

/// Accepts connections until aborted, at most `limits.max_connections` at once; aborting it
/// drops (and so aborts) all connection tasks.
pub(crate) async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    limits: ConnectionLimits,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let mut connections = JoinSet::new();
    loop {
        // Finished connections are reaped while waiting, both for a free slot and for a client.
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => return, // never closed
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
        };
        let accepted = loop {
            tokio::select! {
                accepted = listener.accept() => break accepted,
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
            }
        };
        match accepted {
            Ok((stream, _peer)) => {
                let connection = serve_connection(stream, Arc::clone(&shared), limits, slot);
                connections.spawn(connection);
            }
            // E.g. out of file descriptors: back off instead of spinning.
            Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}

/// Serves HTTP/1.1 on one connection until it ends, its client is too slow or idle, or a
/// request asks for it to be dropped. Holds `_slot` meanwhile.
async fn serve_connection(
    stream: TcpStream,
    shared: Arc<Shared>,
    limits: ConnectionLimits,
    _slot: OwnedSemaphorePermit,
) {
    let _ = stream.set_nodelay(true);
    let drop_connection = Arc::new(Notify::new());
    let signal = Arc::clone(&drop_connection);
    let service = service_fn(move |request| {
        service::handle(Arc::clone(&shared), Arc::clone(&signal), request)
    });
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        // Connection errors (client went away, malformed HTTP, header timeout) just end the
        // connection.
        _ = connection => {}
        // Dropping the connection future closes the socket without writing anything.
        () = drop_connection.notified() => {}
    }
}
