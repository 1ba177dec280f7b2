//! Classifying what reqwest reports, without exposing its types: timeouts (connect or
//! attempt), connection failures, connections closed before a complete answer, TLS failures,
//! requests reqwest could not build (final), and answers that arrived from another URL than the
//! one requested (a followed redirect, final). Whether a kind is retried is decided in
//! `retry.rs`, not here.

use std::error::Error as StdError;
use std::time::Duration;

use crate::error::{ErrorKind, TimeoutError, TimeoutKind, TransportError};

/// Classifies a reqwest failure without exposing reqwest types.
///
/// A request that reqwest could not even build (`is_builder`) was never sent and sending it
/// again cannot help: it is marked so that it is neither retried nor reported retryable.
pub(crate) fn transport_kind<E>(
    e: reqwest::Error,
    timeout: Duration,
    connect: Duration,
) -> ErrorKind<E> {
    if e.is_timeout() {
        let (kind, timeout) = if e.is_connect() {
            (TimeoutKind::Connect, connect)
        } else {
            (TimeoutKind::Attempt, timeout)
        };
        return ErrorKind::Timeout(TimeoutError { kind, timeout });
    }
    let message = error_chain(&e);
    let causes = causes(&e);
    let closed = causes.iter().any(|c| is_connection_closed(*c));
    let tls = causes.iter().any(|c| c.is::<rustls::Error>());
    let connect = e.is_connect();
    let builder = e.is_builder();
    let mut err = TransportError::new(message, Some(Box::new(e)));
    if tls {
        err = err.tls();
    }
    if builder {
        err = err.not_retryable();
    }
    if connect {
        ErrorKind::Connect(err)
    } else if closed && !builder {
        ErrorKind::ConnectionClosed(err)
    } else {
        ErrorKind::Transport(err)
    }
}

/// The error for an answer that arrived from another URL than the one requested: the HTTP
/// client followed a redirect. The TC3 API never redirects, so the answer is not the service's
/// and is refused; the URL is shown without its path or query.
pub(crate) fn redirected<E>(requested: &str, answered: &reqwest::Url) -> Option<ErrorKind<E>> {
    if answered.as_str() == requested {
        return None;
    }
    // Equal after normalisation (a default port written out, for instance): not a redirect.
    if reqwest::Url::parse(requested).is_ok_and(|r| &r == answered) {
        return None;
    }
    let origin = answered.origin().ascii_serialization();
    Some(ErrorKind::Transport(
        TransportError::new(
            format!(
                "the HTTP client followed a redirect to {origin}; the API never redirects, so \
                 the answer was refused (a client passed to `http_client` must be built with \
                 `redirect(reqwest::redirect::Policy::none())`)"
            ),
            None,
        )
        .not_retryable(),
    ))
}

/// `e` and all its causes, looking inside `io::Error`s too (whose `source` skips the error they
/// wrap).
fn causes<'a>(e: &'a (dyn StdError + 'static)) -> Vec<&'a (dyn StdError + 'static)> {
    let mut out = Vec::new();
    let mut pending = vec![e];
    while let Some(err) = pending.pop() {
        out.push(err);
        if let Some(inner) = err
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            pending.push(inner);
        }
        if let Some(source) = err.source() {
            pending.push(source);
        }
    }
    out
}

/// Whether a cause says the connection ended before a complete response.
fn is_connection_closed(err: &(dyn StdError + 'static)) -> bool {
    if let Some(io) = err.downcast_ref::<std::io::Error>() {
        use std::io::ErrorKind as K;
        if matches!(
            io.kind(),
            K::ConnectionReset | K::ConnectionAborted | K::UnexpectedEof | K::BrokenPipe
        ) {
            return true;
        }
    }
    err.downcast_ref::<hyper::Error>()
        .is_some_and(|h| h.is_incomplete_message() || h.is_closed() || h.is_canceled())
}

/// `error: cause: cause`, as one line.
pub(crate) fn error_chain(e: &(dyn StdError + 'static)) -> String {
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
