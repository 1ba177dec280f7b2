//! The running server and its builder.

use std::collections::VecDeque;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::{JoinHandle, JoinSet};

use crate::catalog::Catalog;
use crate::function::{FunctionHandler, FunctionResult, Invocation};
use crate::record::RecordedRequest;
use crate::state::{Store, now_millis};
use crate::throttle::Throttle;
use crate::{CATALOG, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, Fault, service};

/// State shared by the server handle and all connection tasks.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) secret_id: String,
    pub(crate) secret_key: String,
    pub(crate) token: Option<String>,
    pub(crate) clock_offset_secs: i64,
    pub(crate) catalog: &'static Catalog,
    pub(crate) faults: Mutex<VecDeque<Fault>>,
    pub(crate) requests: Mutex<Vec<RecordedRequest>>,
    /// The emulated account: namespaces, functions, invocations, async events.
    pub(crate) store: Mutex<Store>,
    /// Answer every action with its spec example instead of from the store.
    pub(crate) examples_only: bool,
    /// What invoked functions do.
    pub(crate) function: FunctionHandler,
    /// How long an asynchronous invocation waits before its function runs.
    pub(crate) async_delay: Duration,
    /// How far back GetRequestStatus looks when the request gives no time range.
    pub(crate) request_window: Duration,
    /// Per-action request counts of the current second, when rate limits are enforced.
    pub(crate) throttle: Option<Mutex<Throttle>>,
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
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: Option<JoinHandle<()>>,
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

    /// Every request received so far, in the order the server decided their answers (for
    /// requests sent one after the other, the order they were sent), including rejected ones.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared
            .requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Forgets all recorded requests.
    pub fn clear_requests(&self) {
        self.shared
            .requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// Stops the server and waits until its listener is closed and its connections are cut.
    pub async fn shutdown(mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            // The result is the cancellation error we just caused.
            let _ = task.await;
        }
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
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

/// Settings for a [`Server`].
///
/// ```
/// # async fn demo() -> std::io::Result<()> {
/// let server = scf_local::Server::builder()
///     .secret_id("AKIDmyid")
///     .secret_key("my-key")
///     .token(Some("session-token".to_owned()))
///     .clock_offset_secs(-120)
///     .start()
///     .await?;
/// assert_eq!(server.token(), Some("session-token"));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct ServerBuilder {
    port: u16,
    secret_id: String,
    secret_key: String,
    token: Option<String>,
    clock_offset_secs: i64,
    catalog: &'static Catalog,
    examples_only: bool,
    function: FunctionHandler,
    async_delay: Duration,
    request_window: Duration,
    rate_limits: bool,
}

impl Default for ServerBuilder {
    fn default() -> Self {
        ServerBuilder {
            port: 0,
            secret_id: DEFAULT_SECRET_ID.to_owned(),
            secret_key: DEFAULT_SECRET_KEY.to_owned(),
            token: None,
            clock_offset_secs: 0,
            catalog: &CATALOG,
            examples_only: false,
            function: FunctionHandler::echo(),
            async_delay: DEFAULT_ASYNC_DELAY,
            request_window: DEFAULT_REQUEST_WINDOW,
            rate_limits: false,
        }
    }
}

/// How long an asynchronous invocation stays `RUNNING` before its function runs, unless set
/// with [`ServerBuilder::async_delay`].
pub const DEFAULT_ASYNC_DELAY: Duration = Duration::from_millis(200);

/// How far back `GetRequestStatus` looks when the request names no time range: 15 minutes.
pub const DEFAULT_REQUEST_WINDOW: Duration = Duration::from_secs(15 * 60);

impl ServerBuilder {
    /// The port to listen on; 0 (the default) picks a free ephemeral port.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The accepted SecretId (default [`DEFAULT_SECRET_ID`]). It must be non-empty and contain no
    /// `/`, `,` or whitespace.
    pub fn secret_id(mut self, secret_id: impl Into<String>) -> Self {
        self.secret_id = secret_id.into();
        self
    }

    /// The SecretKey requests must be signed with (default [`DEFAULT_SECRET_KEY`]).
    pub fn secret_key(mut self, secret_key: impl Into<String>) -> Self {
        self.secret_key = secret_key.into();
        self
    }

    /// The session token of temporary credentials. With `Some`, every request must carry exactly
    /// this `X-TC-Token`; with `None` (the default), any non-empty `X-TC-Token` is rejected with
    /// `AuthFailure.TokenFailure`.
    pub fn token(mut self, token: Option<String>) -> Self {
        self.token = token;
        self
    }

    /// Shifts the server's clock by this many seconds (positive: the server is ahead) for the
    /// `X-TC-Timestamp` window check (±300 s, `AuthFailure.SignatureExpire`) and the `Date`
    /// header of every answer.
    pub fn clock_offset_secs(mut self, offset: i64) -> Self {
        self.clock_offset_secs = offset;
        self
    }

    /// Answers every action with its documented example response instead of from the emulated
    /// account (the first version's behaviour). For testing a client's wire format against every
    /// action, not the service's behaviour.
    pub fn examples_only(mut self) -> Self {
        self.examples_only = true;
        self
    }

    /// What invoked functions do: `handler` gets each [`Invocation`] and returns the function's
    /// return value (`Ok`) or error message (`Err`). The default echoes the event.
    ///
    /// ```
    /// # async fn demo() -> std::io::Result<()> {
    /// let server = scf_local::Server::builder()
    ///     .function_handler(|invocation: scf_local::Invocation| async move {
    ///         match invocation.function_name.as_str() {
    ///             "fails" => Err("boom".to_owned()),
    ///             _ => Ok(format!("hello {}", invocation.event)),
    ///         }
    ///     })
    ///     .start()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn function_handler<F, Fut>(mut self, handler: F) -> Self
    where
        F: Fn(Invocation) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = FunctionResult> + Send + 'static,
    {
        self.function = FunctionHandler::new(handler);
        self
    }

    /// How long an asynchronous invocation stays `RUNNING` before its function runs and the
    /// event becomes `FINISHED` or `FAILED` (default [`DEFAULT_ASYNC_DELAY`]).
    pub fn async_delay(mut self, delay: Duration) -> Self {
        self.async_delay = delay;
        self
    }

    /// How far back `GetRequestStatus` looks when the request gives no `StartTime`
    /// (default [`DEFAULT_REQUEST_WINDOW`], 15 minutes).
    pub fn request_window(mut self, window: Duration) -> Self {
        self.request_window = window;
        self
    }

    /// Enforces each action's documented rate limit (requests per second, from the spec):
    /// requests over it get `RequestLimitExceeded`. Off by default.
    pub fn enforce_rate_limits(mut self, enforce: bool) -> Self {
        self.rate_limits = enforce;
        self
    }

    /// The API description to emulate (default: [`CATALOG`]).
    pub fn catalog(mut self, catalog: &'static Catalog) -> Self {
        self.catalog = catalog;
        self
    }

    /// Binds `127.0.0.1:port` and starts serving on the current Tokio runtime.
    ///
    /// Fails if the port cannot be bound, if there is no current Tokio runtime, or
    /// (`InvalidInput`) if the SecretId is unusable.
    pub async fn start(self) -> io::Result<Server> {
        if self.secret_id.is_empty()
            || self
                .secret_id
                .chars()
                .any(|c| c == '/' || c == ',' || c.is_whitespace())
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the SecretId must be non-empty and contain no '/', ',' or whitespace",
            ));
        }
        let runtime = tokio::runtime::Handle::try_current().map_err(io::Error::other)?;
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, self.port)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            secret_id: self.secret_id,
            secret_key: self.secret_key,
            token: self.token,
            clock_offset_secs: self.clock_offset_secs,
            catalog: self.catalog,
            faults: Mutex::new(VecDeque::new()),
            requests: Mutex::new(Vec::new()),
            store: Mutex::new(Store::new(now_millis(self.clock_offset_secs))),
            examples_only: self.examples_only,
            function: self.function,
            async_delay: self.async_delay,
            request_window: self.request_window,
            throttle: self.rate_limits.then(|| Mutex::new(Throttle::default())),
        });
        let task = runtime.spawn(accept_loop(listener, Arc::clone(&shared)));
        Ok(Server {
            addr,
            shared,
            task: Some(task),
        })
    }
}

/// Accepts connections until aborted; aborting it drops (and so aborts) all connection tasks.
async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => {
                    connections.spawn(serve_connection(stream, Arc::clone(&shared)));
                }
                // E.g. out of file descriptors: back off instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// Serves HTTP/1.1 on one connection until it ends or a request asks for it to be dropped.
async fn serve_connection(stream: TcpStream, shared: Arc<Shared>) {
    let _ = stream.set_nodelay(true);
    let drop_connection = Arc::new(Notify::new());
    let signal = Arc::clone(&drop_connection);
    let service = service_fn(move |request| {
        service::handle(Arc::clone(&shared), Arc::clone(&signal), request)
    });
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        // Connection errors (client went away, malformed HTTP) just end the connection.
        _ = connection => {}
        // Dropping the connection future closes the socket without writing anything.
        () = drop_connection.notified() => {}
    }
}
