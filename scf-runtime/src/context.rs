//! [`Context`]: what a handler knows about the invocation and the function, and the
//! environment it is read from.

use std::fmt;
use std::time::{Duration, Instant};

use crate::Error;

/// The invocation being handled and the function it belongs to: the second argument of every
/// handler.
///
/// The invocation fields come from the headers of the runtime API's `next` answer; the function
/// fields from the environment SCF sets for the `bootstrap` process (read once, at start).
/// A field the environment lacks is empty.
///
/// `Debug` shows everything but the secrets of [`credentials`](Self::credentials).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Context {
    /// The invocation's request id (header `request_id`).
    pub request_id: String,
    /// When the invocation times out: the moment the event was received plus
    /// [`time_limit`](Self::time_limit). SCF starts its clock when it delivers the event, a
    /// little earlier, so treat this as an upper bound.
    pub deadline: Instant,
    /// The function's `Timeout` (header `time_limit_in_ms`).
    pub time_limit: Duration,
    /// The function's `MemorySize` in MB (header `memory_limit_in_mb`).
    pub memory_limit_in_mb: u64,
    /// The function's name (`SCF_FUNCTIONNAME`).
    pub function_name: String,
    /// The version running: `$LATEST` or a number (`SCF_FUNCTIONVERSION`).
    pub function_version: String,
    /// The function's namespace (`SCF_NAMESPACE`).
    pub namespace: String,
    /// The region the function runs in, e.g. `ap-guangzhou` (`TENCENTCLOUD_REGION`).
    pub region: String,
    /// The temporary credentials of the function's execution role, when it has one
    /// (`TENCENTCLOUD_SECRETID`, `TENCENTCLOUD_SECRETKEY`, `TENCENTCLOUD_SESSIONTOKEN`).
    pub credentials: Option<Credentials>,
}

impl Context {
    /// A context for calling a handler directly, in tests or tools: the given request id and
    /// time limit (the deadline starts now), every other field empty.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let ctx = scf_runtime::Context::new("test-request", Duration::from_secs(3));
    /// assert_eq!(ctx.request_id, "test-request");
    /// assert!(ctx.remaining() <= Duration::from_secs(3));
    /// ```
    pub fn new(request_id: impl Into<String>, time_limit: Duration) -> Self {
        Self {
            request_id: request_id.into(),
            deadline: Instant::now() + time_limit,
            time_limit,
            memory_limit_in_mb: 0,
            function_name: String::new(),
            function_version: String::new(),
            namespace: String::new(),
            region: String::new(),
            credentials: None,
        }
    }

    /// The time left before the [`deadline`](Self::deadline) (zero once it has passed).
    ///
    /// ```
    /// # use std::time::Duration;
    /// let ctx = scf_runtime::Context::new("id", Duration::ZERO);
    /// assert_eq!(ctx.remaining(), Duration::ZERO);
    /// ```
    pub fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }
}

/// Temporary credentials of the function's execution role, as SCF passes them in the
/// environment. Use them to call other Tencent Cloud APIs from the function.
///
/// `Debug` redacts all three values:
///
/// ```
/// let creds = scf_runtime::Credentials::new("AKIDexample", "secret", Some("token".into()));
/// let shown = format!("{creds:?}");
/// assert!(!shown.contains("AKIDexample") && !shown.contains("secret\"") && !shown.contains("token\""));
/// assert_eq!(creds.secret_key(), "secret");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    secret_id: String,
    secret_key: String,
    session_token: Option<String>,
}

impl Credentials {
    /// Credentials from their parts.
    pub fn new(
        secret_id: impl Into<String>,
        secret_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self {
            secret_id: secret_id.into(),
            secret_key: secret_key.into(),
            session_token,
        }
    }

    /// The SecretId (`TENCENTCLOUD_SECRETID`).
    pub fn secret_id(&self) -> &str {
        &self.secret_id
    }

    /// The SecretKey (`TENCENTCLOUD_SECRETKEY`).
    pub fn secret_key(&self) -> &str {
        &self.secret_key
    }

    /// The session token (`TENCENTCLOUD_SESSIONTOKEN`), required with temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const REDACTED: &str = "<redacted>";
        f.debug_struct("Credentials")
            .field("secret_id", &REDACTED)
            .field("secret_key", &REDACTED)
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| REDACTED),
            )
            .finish()
    }
}

/// What the process environment says: where the runtime API is and which function this is.
#[derive(Debug, Clone)]
pub(crate) struct Environment {
    pub(crate) api_host: String,
    pub(crate) api_port: u16,
    /// A context with the function's fields filled in; each invocation copies it.
    pub(crate) template: Context,
}

impl Environment {
    /// Reads the environment through `lookup` (a variable's value, `None` when unset).
    pub(crate) fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let present = |name: &str| lookup(name).filter(|value| !value.is_empty());
        let api_host = present("SCF_RUNTIME_API").ok_or(Error::Environment {
            variable: "SCF_RUNTIME_API",
            problem: "is not set".to_owned(),
        })?;
        let port = present("SCF_RUNTIME_API_PORT").ok_or(Error::Environment {
            variable: "SCF_RUNTIME_API_PORT",
            problem: "is not set".to_owned(),
        })?;
        let api_port = port.parse().map_err(|_| Error::Environment {
            variable: "SCF_RUNTIME_API_PORT",
            problem: format!("is not a port number ({port:?})"),
        })?;
        let credentials = match (
            present("TENCENTCLOUD_SECRETID"),
            present("TENCENTCLOUD_SECRETKEY"),
        ) {
            (Some(id), Some(key)) => Some(Credentials::new(
                id,
                key,
                present("TENCENTCLOUD_SESSIONTOKEN"),
            )),
            _ => None,
        };
        let text = |name: &str| lookup(name).unwrap_or_default();
        let template = Context {
            function_name: text("SCF_FUNCTIONNAME"),
            function_version: text("SCF_FUNCTIONVERSION"),
            namespace: text("SCF_NAMESPACE"),
            region: text("TENCENTCLOUD_REGION"),
            credentials,
            ..Context::new(String::new(), Duration::ZERO)
        };
        Ok(Self {
            api_host,
            api_port,
            template,
        })
    }

    /// Reads the process environment.
    pub(crate) fn from_process() -> Result<Self, Error> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }
}
