//! The client of SCF's Custom Runtime API: plain HTTP/1.1 on one kept-alive connection to
//! `SCF_RUNTIME_API:SCF_RUNTIME_API_PORT`, no timeouts (the `next` request waits as long as it
//! takes for an event).
//!
//! A request that fails because the connection broke is sent once more on a new connection:
//! `next` is safe to repeat (the platform answers the same event until it has a result), and so
//! are the result pushes (the first one is final, a repeat is ignored).

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::header::{HOST, HeaderMap, HeaderValue, USER_AGENT};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::Error;

const READY: &str = "/runtime/init/ready";
const NEXT: &str = "/runtime/invocation/next";
const RESPONSE: &str = "/runtime/invocation/response";
const ERROR: &str = "/runtime/invocation/error";

/// How much of an unexpected answer's body is kept for the error message.
const SHOWN_BODY: usize = 200;

/// An answer of the runtime API.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

/// The runtime API of this function instance.
pub(crate) struct RuntimeApi {
    host: String,
    port: u16,
    authority: HeaderValue,
    connection: Option<SendRequest<Full<Bytes>>>,
}

impl RuntimeApi {
    pub(crate) fn new(host: &str, port: u16) -> Result<Self, Error> {
        let authority =
            HeaderValue::from_str(&format!("{host}:{port}")).map_err(|_| Error::Environment {
                variable: "SCF_RUNTIME_API",
                problem: format!("is not a host name ({host:?})"),
            })?;
        Ok(Self {
            host: host.to_owned(),
            port,
            authority,
            connection: None,
        })
    }

    fn address(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }

    fn unreachable(&self, detail: impl std::fmt::Display) -> Error {
        Error::Unreachable {
            address: self.address(),
            detail: detail.to_string(),
        }
    }

    /// `POST /runtime/init/ready` with a one-space body (the platform refuses an empty one).
    pub(crate) async fn ready(&mut self) -> Result<(), Error> {
        let answer = self
            .exchange(Method::POST, READY, Bytes::from_static(b" "))
            .await?;
        expect_success("POST /runtime/init/ready", answer).map(drop)
    }

    /// `GET /runtime/invocation/next`: waits for the next event.
    pub(crate) async fn next(&mut self) -> Result<Answer, Error> {
        let answer = self.exchange(Method::GET, NEXT, Bytes::new()).await?;
        expect_success("GET /runtime/invocation/next", answer)
    }

    /// `POST /runtime/invocation/response` (or `/error` when `failed`). A refusal is reported
    /// on stderr and otherwise ignored: the invocation is over either way.
    pub(crate) async fn push(&mut self, failed: bool, body: Vec<u8>) -> Result<(), Error> {
        let (path, request) = if failed {
            (ERROR, "POST /runtime/invocation/error")
        } else {
            (RESPONSE, "POST /runtime/invocation/response")
        };
        let answer = self.exchange(Method::POST, path, Bytes::from(body)).await?;
        if let Err(refused) = expect_success(request, answer) {
            eprintln!("{refused}");
        }
        Ok(())
    }

    /// Sends a request, on a new connection when there is none or the kept one broke.
    async fn exchange(
        &mut self,
        method: Method,
        path: &'static str,
        body: Bytes,
    ) -> Result<Answer, Error> {
        let mut last_error = String::new();
        for _attempt in 0..2 {
            let mut sender = match self.connection.take() {
                Some(sender) if !sender.is_closed() => sender,
                _ => self.connect().await?,
            };
            let request = Request::builder()
                .method(method.clone())
                .uri(path)
                .header(HOST, self.authority.clone())
                .header(
                    USER_AGENT,
                    concat!("scf-runtime/", env!("CARGO_PKG_VERSION")),
                )
                .body(Full::new(body.clone()))
                .map_err(|e| self.unreachable(e))?;
            match send(&mut sender, request).await {
                Ok(answer) => {
                    self.connection = Some(sender);
                    return Ok(answer);
                }
                Err(error) => last_error = format!("{method} {path}: {error}"),
            }
        }
        Err(self.unreachable(last_error))
    }

    async fn connect(&self) -> Result<SendRequest<Full<Bytes>>, Error> {
        let stream = TcpStream::connect((self.host.as_str(), self.port))
            .await
            .map_err(|e| self.unreachable(e))?;
        let _ = stream.set_nodelay(true);
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| self.unreachable(e))?;
        // Drives the connection; it ends when the sender is dropped or the peer closes it.
        tokio::spawn(async move {
            let _ = connection.await;
        });
        Ok(sender)
    }
}

async fn send(
    sender: &mut SendRequest<Full<Bytes>>,
    request: Request<Full<Bytes>>,
) -> Result<Answer, hyper::Error> {
    sender.ready().await?;
    let response = sender.send_request(request).await?;
    let (parts, body) = response.into_parts();
    let body = body.collect().await?.to_bytes();
    Ok(Answer {
        status: parts.status,
        headers: parts.headers,
        body,
    })
}

/// The answer when its status is 2xx, else [`Error::Status`].
fn expect_success(request: &'static str, answer: Answer) -> Result<Answer, Error> {
    if answer.status.is_success() {
        return Ok(answer);
    }
    let shown = &answer.body[..answer.body.len().min(SHOWN_BODY)];
    Err(Error::Status {
        request,
        status: answer.status.as_u16(),
        body: String::from_utf8_lossy(shown).trim().to_owned(),
    })
}
