//! Web functions (`Type` `HTTP`): the HTTP server an instance's `scf_bootstrap` starts, reached
//! on a port of the instance's own.
//!
//! SCF fixes port 9000 for that server. Here several instances (of one function or of several)
//! run at once on one machine, so each gets a port of its own: scf-local picks a free port on
//! 127.0.0.1 and passes it in `PORT` (ours). SCF's own templates set `PORT=9000` in their
//! `scf_bootstrap`; one written as `export PORT=${PORT:-9000}` runs unchanged on both. The server
//! may listen on `0.0.0.0` (as SCF requires) or on `127.0.0.1`.
//!
//! - Ready: as soon as a TCP connection to `127.0.0.1:PORT` succeeds, within `InitTimeout`.
//!   The bootstrap exiting first is a 405 (`ContainerStateExited`); nothing listening by the
//!   deadline is a 446 (`PortBindingFailed`).
//! - One request: a new HTTP/1.1 connection carrying the caller's method, path, query, headers
//!   and body, plus the platform's headers ([`platform_headers`]). The answer's status, headers
//!   (hop-by-hop ones removed) and body come back as they are; a body over
//!   [`MAX_BODY_BYTES`] is not read further and makes the request a 410 (SCF's code for a web
//!   function's response body that is too large). A server that no longer accepts connections
//!   is a 446; one that closes the connection without answering is a 502-like failure, status
//!   500 of SCF's table.

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1;
use hyper::header::{HOST, HeaderMap, HeaderName, HeaderValue};
use hyper::{Request, Uri};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use super::failed;
use crate::runtime::api::Channel;
use crate::runtime::{FunctionSpec, Outcome, WebRequest, WebResponse};

/// The largest request or response body of a web function: 6 MB ([WEB] in SCF's docs).
pub(crate) const MAX_BODY_BYTES: usize = 6 * 1024 * 1024;

/// Status `ContainerStateExited`: the bootstrap process exited.
const CONTAINER_STATE_EXITED: u16 = 405;
/// Status `PortBindingFailed`: the server does not listen on its port.
const PORT_BINDING_FAILED: u16 = 446;
/// Status for a response body over [`MAX_BODY_BYTES`] (SCF's web function table).
const BODY_TOO_LARGE: u16 = 410;
/// Status `InternalError`: the server broke the exchange (closed it, answered garbage).
const INTERNAL_ERROR: u16 = 500;

/// The headers hop-by-hop by HTTP/1.1's rules: never passed on, in either direction.
pub(crate) const HOP_BY_HOP: [&str; 8] = [
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

/// A free port on 127.0.0.1 for an instance's server. The port is released before the process
/// binds it; another program taking it in between makes that instance fail with 446.
pub(crate) fn reserve_port() -> std::io::Result<u16> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
    Ok(listener.local_addr()?.port())
}

/// Waits until something accepts connections on `127.0.0.1:port`, within `init_timeout`.
pub(crate) async fn wait_listening(
    channel: &Channel,
    port: u16,
    init_timeout: Duration,
) -> Result<(), Outcome> {
    let probe = async {
        let mut pause = Duration::from_millis(1);
        while TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_millis(20));
        }
    };
    let waited = tokio::time::timeout(init_timeout, async {
        tokio::select! {
            () = probe => Ok(()),
            how = channel.exited() => Err(failed(
                CONTAINER_STATE_EXITED,
                format!("scf_bootstrap exited before its server listened on port {port} ({how})"),
            )),
        }
    })
    .await;
    waited.unwrap_or_else(|_| {
        Err(failed(
            PORT_BINDING_FAILED,
            format!(
                "nothing listened on port {port} (the port in PORT) within the init timeout \
                 ({} s); scf-local gives each instance its own port in PORT instead of 9000",
                init_timeout.as_secs_f64()
            ),
        ))
    })
}

/// The headers SCF adds to every request of a web function (any the caller sent under these
/// names were removed before).
pub(crate) fn platform_headers(
    spec: &FunctionSpec,
    request_id: &str,
) -> Vec<(&'static str, String)> {
    vec![
        ("x-scf-request-id", request_id.to_owned()),
        ("x-scf-memory", spec.memory_mb.to_string()),
        ("x-scf-timeout", spec.timeout.as_millis().to_string()),
        ("x-scf-version", spec.version.clone()),
        ("x-scf-name", spec.name.clone()),
        ("x-scf-namespace", spec.namespace.clone()),
        ("x-scf-region", spec.region.clone()),
        ("x-scf-appid", String::new()),
        ("x-scf-uin", String::new()),
    ]
}

/// Sends `request` to the server on `127.0.0.1:port` and reads its answer.
pub(crate) async fn exchange(
    port: u16,
    request: WebRequest,
    platform: Vec<(&'static str, String)>,
) -> Result<WebResponse, Outcome> {
    let stream = TcpStream::connect(("127.0.0.1", port)).await.map_err(|e| {
        failed(
            PORT_BINDING_FAILED,
            format!("the function's server no longer accepts connections on port {port}: {e}"),
        )
    })?;
    let _ = stream.set_nodelay(true);
    let broken = |e: hyper::Error| {
        failed(
            INTERNAL_ERROR,
            format!("the function's server broke off the exchange: {e}"),
        )
    };
    let (mut sender, connection) = http1::handshake(TokioIo::new(stream))
        .await
        .map_err(broken)?;
    let driver = AbortOnDrop(tokio::spawn(async move {
        let _ = connection.await;
    }));
    let outgoing = outgoing(request, platform, port)?;
    let response = sender.send_request(outgoing).await.map_err(broken)?;
    let (parts, mut body) = response.into_parts();
    let mut read = BytesMut::new();
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame.map_err(broken)?.into_data() else {
            continue; // trailers
        };
        if read.len() + data.len() > MAX_BODY_BYTES {
            let limit_mb = MAX_BODY_BYTES / (1024 * 1024);
            return Err(failed(
                BODY_TOO_LARGE,
                format!("the response body of the function's server exceeds {limit_mb} MB"),
            ));
        }
        read.extend_from_slice(&data);
    }
    drop(driver);
    let mut headers = parts.headers;
    strip_hop_by_hop(&mut headers);
    // The length is the body's, set again when the answer is sent on.
    headers.remove(hyper::header::CONTENT_LENGTH);
    Ok(WebResponse {
        status: parts.status,
        headers,
        body: read.freeze(),
    })
}

/// The request as sent to the function's server.
fn outgoing(
    request: WebRequest,
    platform: Vec<(&'static str, String)>,
    port: u16,
) -> Result<Request<Full<Bytes>>, Outcome> {
    let uri: Uri = request.path_and_query.parse().map_err(|e| {
        failed(
            INTERNAL_ERROR,
            format!("the request path cannot be passed on: {e}"),
        )
    })?;
    let mut outgoing = Request::new(Full::new(request.body));
    *outgoing.method_mut() = request.method;
    *outgoing.uri_mut() = uri;
    let mut headers = request.headers;
    strip_hop_by_hop(&mut headers);
    if !headers.contains_key(HOST) {
        if let Ok(host) = HeaderValue::from_str(&format!("127.0.0.1:{port}")) {
            headers.insert(HOST, host);
        }
    }
    for (name, value) in platform {
        // Values are ours (names, numbers, ids); one that is not a header value is left out.
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    }
    *outgoing.headers_mut() = headers;
    Ok(outgoing)
}

/// Removes the hop-by-hop headers, and those `Connection` names.
pub(crate) fn strip_hop_by_hop(headers: &mut HeaderMap) {
    let named: Vec<HeaderName> = headers
        .get_all(hyper::header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|name| HeaderName::from_bytes(name.trim().as_bytes()).ok())
        .collect();
    for name in named {
        headers.remove(name);
    }
    for name in HOP_BY_HOP {
        headers.remove(name);
    }
}

/// Aborts the connection task when the exchange ends or is dropped.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
