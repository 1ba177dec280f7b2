//! The client: configuration, endpoints, and the one generic send path every action uses.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::action::{Action, ErrorCode, InputProblem, InvalidInput};
use crate::credentials::Credentials;
use crate::error::{
    DecodeError, DecodeErrorKind, Error, ErrorKind, HttpError, ServiceError, TimeoutError,
    TransportError, snippet,
};
use crate::generated as spec;
use crate::signer::{SigningInput, SigningKeyCache};

/// The content type of every request; signed exactly as sent.
const CONTENT_TYPE: &str = "application/json";
/// Default per-call timeout.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Largest part of a body quoted in an error.
const SNIPPET_BYTES: usize = 512;

/// Where requests go.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Endpoint {
    /// `scf.tencentcloudapi.com`, routed to the nearest region (the default).
    Nearest,
    /// `scf.<region>.tencentcloudapi.com` for the configured (or per-call) region.
    Regional,
    /// `scf.intl.tencentcloudapi.com`, the international site.
    Intl,
    /// Any base URL, e.g. `http://127.0.0.1:9000` for a local server. `http` is allowed.
    Url(String),
}

/// Language of the service's messages (`X-TC-Language`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Language {
    /// Simplified Chinese, `zh-CN`.
    ZhCn,
    /// English, `en-US`.
    EnUs,
}

impl Language {
    fn header(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::EnUs => "en-US",
        }
    }
}

/// Options of one call, separate from the action's inputs so that no input name can clash with
/// them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallOptions {
    /// Timeout of this call, instead of the client's.
    pub timeout: Option<Duration>,
    /// Region of this call, instead of the client's.
    pub region: Option<String>,
}

impl CallOptions {
    /// Default options: the client's timeout and region.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the timeout of this call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the region of this call.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }
}

/// A problem with the client's configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// No credentials were given.
    MissingCredentials,
    /// The endpoint URL is not a valid `http` or `https` URL.
    InvalidEndpoint(String),
    /// The HTTP client could not be built.
    Http(String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::MissingCredentials => f.write_str("no credentials configured"),
            ConfigError::InvalidEndpoint(msg) => write!(f, "invalid endpoint: {msg}"),
            ConfigError::Http(msg) => write!(f, "cannot build the HTTP client: {msg}"),
        }
    }
}

impl StdError for ConfigError {}

/// A client of the SCF API: cheap to clone (an `Arc` inside), `Send + Sync`.
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use scf_api::{Client, Credentials};
///
/// let client = Client::builder()
///     .credentials(Credentials::new("AKID...", "secret"))
///     .region("ap-guangzhou")
///     .build()?;
/// let out = client
///     .get_request_status()
///     .function_name("hello")
///     .function_request_id("a63607c3-581f-4be9-8c4b-631c75909f07")
///     .send()
///     .await?;
/// for status in out.data.unwrap_or_default() {
///     println!("{} -> {}", status.request_id, status.ret_code);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<ClientInner>,
}

struct ClientInner {
    http: reqwest::Client,
    credentials: Credentials,
    base: Base,
    region: Option<String>,
    language: Option<Language>,
    timeout: Duration,
    keys: SigningKeyCache,
}

/// The endpoint, resolved at build time as far as it can be.
#[derive(Debug, Clone)]
enum Base {
    /// Fixed scheme and authority.
    Fixed { url: String, host: String },
    /// `https://<prefix><region><suffix>/`, per call.
    Regional,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("credentials", &self.inner.credentials)
            .field("endpoint", &self.inner.base)
            .field("region", &self.inner.region)
            .field("language", &self.inner.language)
            .field("timeout", &self.inner.timeout)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`].
#[derive(Debug, Clone, Default)]
pub struct ClientBuilder {
    credentials: Option<Credentials>,
    endpoint: Option<Endpoint>,
    region: Option<String>,
    language: Option<Language>,
    timeout: Option<Duration>,
    http: Option<reqwest::Client>,
}

impl ClientBuilder {
    /// The credentials to sign with.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// The endpoint (default [`Endpoint::Nearest`]).
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = Some(endpoint);
        self
    }

    /// The region sent in `X-TC-Region` (none by default: the header is then omitted).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The language of service messages (the service's default when unset).
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// Timeout of each call (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Uses this HTTP client instead of building one (to share a connection pool or set a
    /// proxy).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, ConfigError> {
        let credentials = self.credentials.ok_or(ConfigError::MissingCredentials)?;
        let base = match self.endpoint.unwrap_or(Endpoint::Nearest) {
            Endpoint::Nearest => fixed("https", spec::ENDPOINT_NEAREST),
            Endpoint::Intl => fixed("https", spec::ENDPOINT_INTL),
            Endpoint::Regional => Base::Regional,
            Endpoint::Url(url) => parse_base(&url)?,
        };
        let http = match self.http {
            Some(http) => http,
            None => {
                // reqwest is built without a default TLS crypto provider; use ring unless the
                // application installed one.
                let _ = rustls::crypto::ring::default_provider().install_default();
                reqwest::Client::builder()
                    .build()
                    .map_err(|e| ConfigError::Http(error_chain(&e)))?
            }
        };
        Ok(Client {
            inner: Arc::new(ClientInner {
                http,
                credentials,
                base,
                region: self.region,
                language: self.language,
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                keys: SigningKeyCache::new(),
            }),
        })
    }
}

fn fixed(scheme: &str, host: &str) -> Base {
    Base::Fixed {
        url: format!("{scheme}://{host}/"),
        host: host.to_owned(),
    }
}

fn parse_base(url: &str) -> Result<Base, ConfigError> {
    let parsed = reqwest::Url::parse(url)
        .map_err(|e| ConfigError::InvalidEndpoint(format!("{url}: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(ConfigError::InvalidEndpoint(format!(
            "{url}: scheme must be http or https"
        )));
    }
    let Some(host) = parsed.host_str() else {
        return Err(ConfigError::InvalidEndpoint(format!("{url}: no host")));
    };
    if parsed.path() != "/" || parsed.query().is_some() {
        return Err(ConfigError::InvalidEndpoint(format!(
            "{url}: must not have a path or query"
        )));
    }
    let host = match parsed.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    Ok(Base::Fixed {
        url: format!("{}://{host}/", parsed.scheme()),
        host,
    })
}

/// The envelope: `{"Response": {...}}`. `Response` is kept raw so that it is checked to be an
/// object and then parsed once more into the action's output, with no intermediate tree.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(rename = "Response", borrow)]
    response: Option<&'a RawValue>,
}

/// The members of `Response` every response has.
#[derive(Deserialize)]
struct Head {
    #[serde(rename = "Error")]
    error: Option<ErrorBody>,
    #[serde(rename = "RequestId")]
    request_id: Option<String>,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(rename = "Code", default)]
    code: String,
    #[serde(rename = "Message", default)]
    message: String,
}

impl Client {
    /// A builder with no credentials, the nearest endpoint, no region and a 30 s timeout.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Sends any action's request with the client's options.
    pub async fn execute<A: Action>(&self, request: &A) -> Result<A::Output, Error<A::Error>> {
        self.execute_with(request, &CallOptions::default()).await
    }

    /// Sends any action's request with per-call options.
    pub async fn execute_with<A: Action>(
        &self,
        request: &A,
        options: &CallOptions,
    ) -> Result<A::Output, Error<A::Error>> {
        let meta = A::META;
        let fail = |kind| Error::new(meta.name, None, kind);
        let region = options.region.as_deref().or(self.inner.region.as_deref());
        let mut problems = match request.validate() {
            Ok(()) => Vec::new(),
            Err(e) => e.into_problems(),
        };
        match region {
            None if meta.region_required || matches!(self.inner.base, Base::Regional) => {
                problems.push(InputProblem::MissingRegion);
            }
            Some(r)
                if !meta.supported_regions.is_empty() && !meta.supported_regions.contains(&r) =>
            {
                problems.push(InputProblem::UnsupportedRegion {
                    region: r.to_owned(),
                    supported: meta.supported_regions,
                });
            }
            _ => {}
        }
        let body = match serde_json::to_vec(request) {
            Ok(b) => b,
            Err(e) => {
                problems.push(InputProblem::Encode(e.to_string()));
                Vec::new()
            }
        };
        if body.len() > spec::MAX_BODY_BYTES {
            problems.push(InputProblem::BodyTooLarge {
                size: body.len(),
                limit: spec::MAX_BODY_BYTES,
            });
        }
        if let Err(e) = InvalidInput::check(problems) {
            return Err(fail(ErrorKind::InvalidInput(e)));
        }

        let (url, host): (Cow<'_, str>, Cow<'_, str>) = match &self.inner.base {
            Base::Fixed { url, host } => (url.into(), host.into()),
            Base::Regional => {
                let host = format!(
                    "{}{}{}",
                    spec::ENDPOINT_REGIONAL_PREFIX,
                    region.unwrap_or_default(),
                    spec::ENDPOINT_REGIONAL_SUFFIX
                );
                (format!("https://{host}/").into(), host.into())
            }
        };
        let creds = &self.inner.credentials;
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let signature = self.inner.keys.sign(
            &SigningInput {
                method: "POST",
                host: &host,
                path: "/",
                query: "",
                content_type: CONTENT_TYPE,
                payload: &body,
                service: spec::SERVICE,
                timestamp,
                secret_id: creds.secret_id(),
            },
            creds.secret_key(),
        );
        let timeout = options.timeout.unwrap_or(self.inner.timeout);
        let mut req = self
            .inner
            .http
            .post(url.as_ref())
            .timeout(timeout)
            .header("Content-Type", CONTENT_TYPE)
            .header("Host", host.as_ref())
            .header("X-TC-Action", meta.name)
            .header("X-TC-Timestamp", timestamp.to_string())
            .header("X-TC-Version", spec::VERSION)
            .header("Authorization", signature.authorization);
        if let Some(region) = region {
            req = req.header("X-TC-Region", region);
        }
        if let Some(token) = creds.token() {
            req = req.header("X-TC-Token", token);
        }
        if let Some(lang) = self.inner.language {
            req = req.header("X-TC-Language", lang.header());
        }
        let response = match req.body(body).send().await {
            Ok(r) => r,
            Err(e) => return Err(fail(transport_kind(e, timeout))),
        };
        let status = response.status().as_u16();
        let header_request_id = response
            .headers()
            .get("X-TC-RequestId")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let content_type = response
            .headers()
            .get("Content-Type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = match response.bytes().await {
            Ok(b) => b,
            Err(e) => {
                return Err(Error::new(
                    meta.name,
                    header_request_id,
                    transport_kind(e, timeout),
                ));
            }
        };
        decode::<A::Output, A::Error>(meta.name, status, content_type, header_request_id, &bytes)
    }
}

/// The first byte of `text` that is not whitespace. Checked before decoding, because serde's
/// derived deserializers would also accept a JSON array, member by member, as an object.
fn first_byte(text: &[u8]) -> Option<u8> {
    text.iter().copied().find(|b| !b.is_ascii_whitespace())
}

/// Turns a response into the action's output or error.
fn decode<O: DeserializeOwned, E: ErrorCode>(
    action: &'static str,
    status: u16,
    content_type: Option<String>,
    header_request_id: Option<String>,
    bytes: &[u8],
) -> Result<O, Error<E>> {
    let success = (200..300).contains(&status);
    let http_err = |request_id| {
        Error::new(
            action,
            request_id,
            ErrorKind::Http(HttpError {
                status,
                content_type: content_type.clone(),
                body_snippet: snippet(bytes, SNIPPET_BYTES),
            }),
        )
    };
    let decode_err = |kind, message: String, request_id| {
        Error::new(
            action,
            request_id,
            ErrorKind::Decode(DecodeError {
                kind,
                status,
                message,
                body_snippet: snippet(bytes, SNIPPET_BYTES),
            }),
        )
    };
    let envelope = match first_byte(bytes) {
        Some(b'{') => serde_json::from_slice::<Envelope<'_>>(bytes),
        Some(b'[') if success => {
            return Err(decode_err(
                DecodeErrorKind::MissingEnvelope,
                "a JSON array, not the `Response` envelope".to_owned(),
                header_request_id,
            ));
        }
        _ if success => {
            return Err(decode_err(
                DecodeErrorKind::NotJson,
                "the body is not a JSON object".to_owned(),
                header_request_id,
            ));
        }
        _ => return Err(http_err(header_request_id)),
    };
    let raw = match envelope {
        Ok(Envelope {
            response: Some(raw),
        }) if first_byte(raw.get().as_bytes()) == Some(b'{') => raw,
        Ok(_) if success => {
            return Err(decode_err(
                DecodeErrorKind::MissingEnvelope,
                "no `Response` object".to_owned(),
                header_request_id,
            ));
        }
        Err(e) if success => {
            let kind = if e.is_eof() {
                DecodeErrorKind::Truncated
            } else {
                DecodeErrorKind::Malformed
            };
            return Err(decode_err(kind, e.to_string(), header_request_id));
        }
        _ => return Err(http_err(header_request_id)),
    };
    let head = match serde_json::from_str::<Head>(raw.get()) {
        Ok(head) => head,
        Err(e) if success => {
            return Err(decode_err(
                DecodeErrorKind::UnexpectedShape,
                e.to_string(),
                header_request_id,
            ));
        }
        Err(_) => return Err(http_err(header_request_id)),
    };
    let request_id = head.request_id.or(header_request_id);
    if let Some(err) = head.error {
        return Err(Error::new(
            action,
            request_id,
            ErrorKind::Service(ServiceError {
                code: E::from_code(&err.code),
                message: err.message,
                status,
            }),
        ));
    }
    if !success {
        return Err(http_err(request_id));
    }
    serde_json::from_str::<O>(raw.get())
        .map_err(|e| decode_err(DecodeErrorKind::UnexpectedShape, e.to_string(), request_id))
}

/// Classifies a reqwest failure without exposing reqwest types.
fn transport_kind<E>(e: reqwest::Error, timeout: Duration) -> ErrorKind<E> {
    if e.is_timeout() {
        return ErrorKind::Timeout(TimeoutError { timeout });
    }
    let message = error_chain(&e);
    let closed = is_connection_closed(&e);
    let connect = e.is_connect();
    let err = TransportError::new(message, Some(Box::new(e)));
    if connect {
        ErrorKind::Connect(err)
    } else if closed {
        ErrorKind::ConnectionClosed(err)
    } else {
        ErrorKind::Transport(err)
    }
}

fn is_connection_closed(e: &(dyn StdError + 'static)) -> bool {
    let mut cur: Option<&(dyn StdError + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind as K;
            if matches!(
                io.kind(),
                K::ConnectionReset | K::ConnectionAborted | K::UnexpectedEof | K::BrokenPipe
            ) {
                return true;
            }
        }
        if let Some(h) = err.downcast_ref::<hyper::Error>() {
            if h.is_incomplete_message() || h.is_closed() || h.is_canceled() {
                return true;
            }
        }
        cur = err.source();
    }
    false
}

/// `error: cause: cause`, as one line.
fn error_chain(e: &(dyn StdError + 'static)) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(err) = cur {
        let s = err.to_string();
        if !out.contains(&s) {
            out.push_str(": ");
            out.push_str(&s);
        }
        cur = err.source();
    }
    out
}
