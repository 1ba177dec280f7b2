//! The Custom Runtime API of one instance, served on `127.0.0.1:<ephemeral port>` for that
//! instance's process (any local process could connect; nothing secret is served).
//!
//! Four routes, as SCF documents them; anything else is a 404:
//!
//! - `POST /runtime/init/ready`: the runtime has finished its init. Any body (read up to a small
//!   bound and ignored); always 200, and calling it again is harmless.
//! - `GET /runtime/invocation/next`: waits (no time limit) until an event is delivered, then
//!   answers 200 with the event bytes as the body and the headers `request_id`,
//!   `memory_limit_in_mb` and `time_limit_in_ms`. Asked again before the invocation has a result,
//!   it answers the same event; once the result is in, it waits for the next event.
//! - `POST /runtime/invocation/response` and `POST /runtime/invocation/error`: the result or the
//!   error text of the current invocation, which is the event the runtime last fetched from
//!   `/next`. The first push is final. Our choices where SCF is silent: a later push is
//!   acknowledged with 200 and ignored (clients expect 200 on every call), and so is a push
//!   made after the next event was delivered but before the runtime fetched it (it cannot be
//!   that event's result); a push while no event was ever delivered is a 400; a body over
//!   [`MAX_RESULT_BYTES`] is not read further, answered with 413 and makes the result
//!   [`Push::TooLarge`] (status 407 for the caller).
//!
//! The [`Channel`] is the meeting point between these routes and the code running invocations.

use std::convert::Infallible;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::{JoinHandle, JoinSet};

/// The largest result (or error text) an invocation may push: 6 MB, as SCF's synchronous
/// response limit.
pub(crate) const MAX_RESULT_BYTES: usize = 6 * 1024 * 1024;

/// How much of a `ready` body is read before the rest is ignored.
const MAX_READY_BYTES: usize = 64 * 1024;

/// Connections one instance may hold open at once; more are closed on accept.
const MAX_CONNECTIONS: usize = 64;

/// What the runtime pushed as the end of an invocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Push {
    /// `/runtime/invocation/response`.
    Response(Bytes),
    /// `/runtime/invocation/error`.
    Error(Bytes),
    /// A push whose body passed [`MAX_RESULT_BYTES`].
    TooLarge,
}

/// How a wait for the end of an invocation ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ended {
    /// The runtime pushed this at this instant.
    Pushed(Push, Instant),
    /// The process exited (the text describes its exit status).
    Exited(String),
}

/// The invocation the instance is running (or has just finished).
struct Invocation {
    request_id: String,
    event: Bytes,
    memory_mb: u64,
    time_limit_ms: u64,
    /// The runtime has fetched it from `/next`: pushes are now its result.
    fetched: bool,
    result: Option<(Push, Instant)>,
}

#[derive(Default)]
struct State {
    ready: bool,
    invocation: Option<Invocation>,
    exited: Option<String>,
}

/// Shared between an instance's runtime API and the code that delivers its events.
#[derive(Default)]
pub(crate) struct Channel {
    state: Mutex<State>,
    changed: Notify,
}

impl Channel {
    fn update<T>(&self, change: impl FnOnce(&mut State) -> T) -> T {
        let value = change(&mut self.state.lock().unwrap_or_else(PoisonError::into_inner));
        self.changed.notify_waiters();
        value
    }

    /// Waits until `check` finds what it looks for in the state.
    async fn wait_for<T>(&self, mut check: impl FnMut(&mut State) -> Option<T>) -> T {
        loop {
            let notified = self.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Some(found) =
                check(&mut self.state.lock().unwrap_or_else(PoisonError::into_inner))
            {
                return found;
            }
            notified.await;
        }
    }

    /// Makes an event available to `/next`, replacing the previous invocation.
    pub(crate) fn deliver(
        &self,
        request_id: &str,
        event: Bytes,
        memory_mb: u64,
        time_limit_ms: u64,
    ) {
        self.update(|state| {
            state.invocation = Some(Invocation {
                request_id: request_id.to_owned(),
                event,
                memory_mb,
                time_limit_ms,
                fetched: false,
                result: None,
            });
        });
    }

    /// Records that the process has exited.
    pub(crate) fn set_exited(&self, how: String) {
        self.update(|state| state.exited = Some(how));
    }

    /// Whether the process has exited.
    pub(crate) fn has_exited(&self) -> bool {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .exited
            .is_some()
    }

    /// Waits until the process has exited; the exit description.
    pub(crate) async fn exited(&self) -> String {
        self.wait_for(|state| state.exited.clone()).await
    }

    /// Waits for `ready`; `Err` with the exit description when the process exits first.
    pub(crate) async fn ready(&self) -> Result<(), String> {
        self.wait_for(|state| match (&state.exited, state.ready) {
            (_, true) => Some(Ok(())),
            (Some(how), false) => Some(Err(how.clone())),
            (None, false) => None,
        })
        .await
    }

    /// Waits for the current invocation's result (a push wins over an exit that follows it).
    pub(crate) async fn ended(&self) -> Ended {
        self.wait_for(|state| {
            if let Some((push, at)) = state.invocation.as_ref().and_then(|i| i.result.clone()) {
                return Some(Ended::Pushed(push, at));
            }
            state.exited.clone().map(Ended::Exited)
        })
        .await
    }

    /// The event of the current invocation while it has no result, as `/next` answers it.
    fn pending(state: &mut State) -> Option<Response<Full<Bytes>>> {
        let invocation = state.invocation.as_mut().filter(|i| i.result.is_none())?;
        invocation.fetched = true;
        let mut response = Response::new(Full::new(invocation.event.clone()));
        let headers = response.headers_mut();
        headers.insert("request_id", header_value(&invocation.request_id));
        headers.insert("memory_limit_in_mb", invocation.memory_mb.into());
        headers.insert("time_limit_in_ms", invocation.time_limit_ms.into());
        Some(response)
    }

    /// Records a push; the status code to answer with.
    fn push(&self, push: Push) -> StatusCode {
        let too_large = push == Push::TooLarge;
        self.update(|state| match &mut state.invocation {
            None => StatusCode::BAD_REQUEST,
            Some(invocation) => {
                if invocation.fetched && invocation.result.is_none() {
                    invocation.result = Some((push, Instant::now()));
                }
                if too_large {
                    StatusCode::PAYLOAD_TOO_LARGE
                } else {
                    StatusCode::OK
                }
            }
        })
    }
}

/// A request id is a UUID we made; anything else would be a bug, shown rather than panicking.
fn header_value(text: &str) -> hyper::header::HeaderValue {
    hyper::header::HeaderValue::from_str(text)
        .unwrap_or_else(|_| hyper::header::HeaderValue::from_static("invalid"))
}

/// Serves the runtime API on `listener` until the returned task is aborted (which also closes
/// every open connection).
pub(crate) fn serve(listener: TcpListener, channel: Arc<Channel>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut connections = JoinSet::new();
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                continue;
            };
            while connections.try_join_next().is_some() {}
            if connections.len() >= MAX_CONNECTIONS {
                continue; // dropping the stream closes it
            }
            let _ = stream.set_nodelay(true);
            let channel = Arc::clone(&channel);
            let service = service_fn(move |request| route(Arc::clone(&channel), request));
            connections.spawn(async move {
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    })
}

async fn route(
    channel: Arc<Channel>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (method, path) = (request.method().clone(), request.uri().path().to_owned());
    let response = match (method, path.as_str()) {
        (Method::POST, "/runtime/init/ready") => {
            let _ = read_bounded(request.into_body(), MAX_READY_BYTES).await;
            channel.update(|state| state.ready = true);
            text(StatusCode::OK, "")
        }
        (Method::GET, "/runtime/invocation/next") => channel.wait_for(Channel::pending).await,
        (Method::POST, "/runtime/invocation/response" | "/runtime/invocation/error") => {
            let push = match read_bounded(request.into_body(), MAX_RESULT_BYTES).await {
                Err(Oversized) => Push::TooLarge,
                Ok(body) if path.ends_with("/response") => Push::Response(body),
                Ok(body) => Push::Error(body),
            };
            match channel.push(push) {
                StatusCode::BAD_REQUEST => {
                    text(StatusCode::BAD_REQUEST, "no invocation in progress")
                }
                StatusCode::PAYLOAD_TOO_LARGE => {
                    text(StatusCode::PAYLOAD_TOO_LARGE, "the result exceeds 6 MB")
                }
                status => text(status, ""),
            }
        }
        _ => text(StatusCode::NOT_FOUND, "not found"),
    };
    Ok(response)
}

fn text(status: StatusCode, body: &'static str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(body.as_bytes())));
    *response.status_mut() = status;
    response
}

/// A body longer than the bound (reading stopped there).
struct Oversized;

/// Reads a body up to `limit` bytes; a body cut short by the client counts as what arrived.
async fn read_bounded(mut body: Incoming, limit: usize) -> Result<Bytes, Oversized> {
    let mut kept = Vec::new();
    while let Some(Ok(frame)) = body.frame().await {
        let Ok(data) = frame.into_data() else {
            continue; // trailers
        };
        if kept.len() + data.len() > limit {
            return Err(Oversized);
        }
        kept.extend_from_slice(&data);
    }
    Ok(Bytes::from(kept))
}
