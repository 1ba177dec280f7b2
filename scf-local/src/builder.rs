//! [`ServerBuilder`]: a server's settings, and starting it.

use std::collections::VecDeque;
use std::io;
use std::net::Ipv4Addr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::TcpListener;

use crate::catalog::Catalog;
use crate::context::Shared;
use crate::function::{FunctionHandler, FunctionResult, Invocation};
use crate::history::HistoryLimits;
use crate::request_log::{RequestLog, RequestLogLimits};
use crate::runtime::{RuntimeSettings, Runtimes};
use crate::server::{ConnectionLimits, Server, accept_loop};
use crate::state::{Store, now_millis};
use crate::throttle::Throttle;
use crate::{CATALOG, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY};

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
    function: Option<FunctionHandler>,
    region: String,
    keep_alive: Duration,
    async_delay: Duration,
    request_window: Duration,
    rate_limits: bool,
    request_log: RequestLogLimits,
    history: HistoryLimits,
    body_timeout: Duration,
    header_timeout: Duration,
    max_connections: usize,
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
            function: None,
            region: DEFAULT_REGION.to_owned(),
            keep_alive: DEFAULT_KEEP_ALIVE,
            async_delay: DEFAULT_ASYNC_DELAY,
            request_window: DEFAULT_REQUEST_WINDOW,
            rate_limits: false,
            request_log: RequestLogLimits::default(),
            history: HistoryLimits::default(),
            body_timeout: DEFAULT_BODY_TIMEOUT,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
        }
    }
}

/// The region functions see unless set with [`ServerBuilder::region`].
pub const DEFAULT_REGION: &str = "ap-guangzhou";

/// How long an idle instance stays warm unless set with [`ServerBuilder::keep_alive`]: 60 s
/// (ours: the platform does not document its keep-alive).
pub const DEFAULT_KEEP_ALIVE: Duration = Duration::from_secs(60);

/// How long an asynchronous invocation stays `RUNNING` before its function runs, unless set
/// with [`ServerBuilder::async_delay`].
pub const DEFAULT_ASYNC_DELAY: Duration = Duration::from_millis(200);

/// How far back `GetRequestStatus` looks when the request names no time range: 15 minutes.
pub const DEFAULT_REQUEST_WINDOW: Duration = Duration::from_secs(15 * 60);

/// How long a request body may take to arrive after its headers, unless set with
/// [`ServerBuilder::body_timeout`]: 30 seconds.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// How long the headers of a request may take to arrive, unless set with
/// [`ServerBuilder::header_timeout`]: 30 seconds.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(30);

/// How many connections a server serves at once, unless set with
/// [`ServerBuilder::max_connections`]: 256.
pub const DEFAULT_MAX_CONNECTIONS: usize = 256;

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

    /// Makes every function run `handler` in this process instead of its uploaded code:
    /// `handler` gets each [`Invocation`] and returns the function's return value (`Ok`) or
    /// error message (`Err`). For tests that want no processes.
    ///
    /// The rule: a server built with a handler runs that handler for every function; a server
    /// without one runs each function's code (see the crate docs: Custom Runtime, Python,
    /// Node.js).
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
        self.function = Some(FunctionHandler::new(handler));
        self
    }

    /// Makes every function return its event unchanged, in this process, instead of running
    /// its code: the shortest [`function_handler`](Self::function_handler).
    pub fn echo_functions(mut self) -> Self {
        self.function = Some(FunctionHandler::echo());
        self
    }

    /// The region functions see in `TENCENTCLOUD_REGION` (default [`DEFAULT_REGION`]).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    /// How long an idle instance of a function is kept warm before its process is stopped
    /// (default [`DEFAULT_KEEP_ALIVE`]).
    pub fn keep_alive(mut self, keep_alive: Duration) -> Self {
        self.keep_alive = keep_alive;
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

    /// How much of the received requests [`Server::requests`] keeps (default
    /// [`RequestLogLimits::default`]: the last 1,000, bodies cut at 64 KiB, 16 MiB in all;
    /// [`RequestLogLimits::off`] keeps none).
    pub fn request_log(mut self, limits: RequestLogLimits) -> Self {
        self.request_log = limits;
        self
    }

    /// How much invocation history (records for `GetRequestStatus` and `GetFunctionLogs`, async
    /// events) the server keeps (default [`HistoryLimits::default`]).
    pub fn history(mut self, limits: HistoryLimits) -> Self {
        self.history = limits;
        self
    }

    /// How long a request body may take to arrive once the headers have (default
    /// [`DEFAULT_BODY_TIMEOUT`], 30 s). A request whose body is late gets a plain-text HTTP
    /// `408 Request Timeout` and the connection is closed.
    pub fn body_timeout(mut self, timeout: Duration) -> Self {
        self.body_timeout = timeout;
        self
    }

    /// How long the headers of a request may take to arrive (default
    /// [`DEFAULT_HEADER_TIMEOUT`], 30 s), counted on a kept-alive connection from the end of the
    /// previous answer: a connection whose client sends nothing for that long is closed.
    pub fn header_timeout(mut self, timeout: Duration) -> Self {
        self.header_timeout = timeout;
        self
    }

    /// How many connections are served at once (default [`DEFAULT_MAX_CONNECTIONS`], at least
    /// 1); further clients wait until one closes.
    pub fn max_connections(mut self, max: usize) -> Self {
        self.max_connections = max;
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
            requests: Mutex::new(RequestLog::new(self.request_log)),
            store: Mutex::new(Store::new(now_millis(self.clock_offset_secs), self.history)),
            examples_only: self.examples_only,
            function: self.function,
            runtimes: Runtimes::new(RuntimeSettings {
                keep_alive: self.keep_alive,
                ..RuntimeSettings::default()
            })?,
            region: self.region,
            async_delay: self.async_delay,
            request_window: self.request_window,
            throttle: self.rate_limits.then(|| Mutex::new(Throttle::default())),
            body_timeout: self.body_timeout,
        });
        let limits = ConnectionLimits {
            max_connections: self.max_connections,
            header_timeout: self.header_timeout,
        };
        let task = runtime.spawn(accept_loop(listener, Arc::clone(&shared), limits));
        Ok(Server {
            addr,
            shared,
            task: Some(task),
        })
    }
}
