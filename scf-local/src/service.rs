//! Answering one HTTP request: the checks in order, fault injection, and the response; requests
//! under `/web/` go to the web front instead (web functions, see `handlers::serve_web`).

use std::convert::Infallible;
use std::sync::{Arc, PoisonError};
use std::time::{Duration, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{CONNECTION, CONTENT_TYPE, HeaderValue};
use hyper::http::request::Parts;
use hyper::{Request, Response, StatusCode};
use serde_json::{Map, Value, json};
use tokio::sync::Notify;

use crate::BODY_LIMIT;
use crate::body::{ReadBody, read_body};
use crate::catalog::ActionDef;
use crate::context::Shared;
use crate::error::{ApiError, codes};
use crate::handlers::{self, Answer};
use crate::record::Outcome;
use crate::request_id;
use crate::request_log::{self, BodySeen};

mod admission;
mod checks;

use admission::{Admission, admit};
use checks::{authenticate, server_now};

/// The response body type.
pub(crate) type Body = Full<Bytes>;

/// The answer decided for a request.
enum Reply {
    /// A response envelope.
    Envelope(Answer),
    /// A response that is not an envelope.
    Plain {
        status: StatusCode,
        content_type: Option<HeaderValue>,
        body: Bytes,
    },
    /// Close the connection without answering.
    Drop,
    /// A valid request, to be answered by the action's handler.
    Dispatch(&'static ActionDef, Map<String, Value>),
}

impl Reply {
    fn error(code: &str, message: impl Into<String>) -> Self {
        Reply::Envelope(Err(ApiError::new(code, message)))
    }

    fn outcome(&self) -> Outcome {
        match self {
            Reply::Envelope(Ok(_)) => Outcome::Ok,
            Reply::Envelope(Err(e)) => Outcome::Error {
                code: e.code.clone(),
            },
            Reply::Plain { status, .. } => Outcome::Raw {
                status: status.as_u16(),
            },
            Reply::Drop => Outcome::Dropped,
            Reply::Dispatch(..) => Outcome::Ok,
        }
    }
}

/// What was decided for a request.
struct Decision {
    /// How long to wait before answering ([`Fault::Delay`](crate::Fault::Delay)).
    delay: Option<Duration>,
    reply: Reply,
    /// Whether the request passed the signature, timestamp and token checks.
    authenticated: bool,
}

/// Runs the checks in order and decides the answer: steps 0 to 6 ([`authenticate`]), 7 to 11
/// ([`admit`]), then 12, the action's answer (dispatched by [`handle`]).
fn decide(shared: &Shared, parts: &Parts, body: &ReadBody) -> Decision {
    let action = match authenticate(shared, parts, body) {
        Ok(action) => action,
        Err(reply) => {
            return Decision {
                delay: None,
                reply,
                authenticated: false,
            };
        }
    };
    let Admission { delay, params } = admit(shared, action, body);
    let reply = match params {
        Ok(params) => Reply::Dispatch(action, params),
        Err(reply) => reply,
    };
    Decision {
        delay,
        reply,
        authenticated: true,
    }
}

/// `RequestSizeLimitExceeded` for a body of at least `len` bytes.
fn too_large(len: u64) -> Reply {
    Reply::error(
        codes::REQUEST_SIZE_LIMIT_EXCEEDED,
        format!("The request body has at least {len} bytes; at most {BODY_LIMIT} are allowed."),
    )
}

/// The JSON text of an envelope.
fn envelope_bytes(answer: Answer, request_id: &str) -> Vec<u8> {
    let response = match answer {
        Ok(mut fields) => {
            fields.insert("RequestId".to_owned(), Value::String(request_id.to_owned()));
            Value::Object(fields)
        }
        Err(e) => {
            let mut fields = Map::new();
            fields.insert(
                "Error".to_owned(),
                json!({ "Code": e.code, "Message": e.message }),
            );
            fields.insert("RequestId".to_owned(), Value::String(request_id.to_owned()));
            Value::Object(fields)
        }
    };
    serde_json::to_vec(&json!({ "Response": response })).unwrap_or_else(|_| {
        format!(
            r#"{{"Response":{{"Error":{{"Code":"InternalError","Message":"could not serialize the response"}},"RequestId":"{request_id}"}}}}"#
        )
        .into_bytes()
    })
}

fn response(status: StatusCode, content_type: Option<HeaderValue>, body: Bytes) -> Response<Body> {
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    if let Some(content_type) = content_type {
        response.headers_mut().insert(CONTENT_TYPE, content_type);
    }
    response
}

/// Adds the record of a request to the server's log, when it keeps one.
fn remember(
    shared: &Shared,
    parts: &Parts,
    body: &ReadBody,
    authenticated: bool,
    request_id: &Option<String>,
    reply: &Reply,
) {
    let max_body_bytes = {
        let log = shared
            .requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if !log.enabled() {
            return;
        }
        log.max_body_bytes()
    };
    let seen = BodySeen {
        kept: &body.kept,
        len: body.len,
        sha256_hex: &body.sha256_hex,
    };
    let record = request_log::record(
        parts,
        &seen,
        max_body_bytes,
        authenticated,
        request_id.clone(),
        reply.outcome(),
    );
    shared
        .requests
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(record);
}

/// Answers one request. Records it, waits for a [`Fault::Delay`](crate::Fault::Delay), and for
/// [`Fault::DropConnection`](crate::Fault::DropConnection) signals `drop_connection` and never completes (the connection task
/// then drops the connection).
pub(crate) async fn handle(
    shared: Arc<Shared>,
    drop_connection: Arc<Notify>,
    request: Request<Incoming>,
) -> Result<Response<Body>, Infallible> {
    let (parts, incoming) = request.into_parts();
    let body = read_body(incoming, shared.body_timeout).await;
    if parts.uri.path().starts_with(handlers::WEB_PREFIX) {
        // Web functions' requests: not API calls (no signature, no envelope, not recorded in
        // the request log; each becomes an invocation of its function).
        return Ok(handlers::serve_web(&shared, parts, body).await);
    }
    let Decision {
        delay,
        reply,
        authenticated,
    } = decide(&shared, &parts, &body);
    let reply = match reply {
        Reply::Dispatch(action, params) => {
            Reply::Envelope(handlers::dispatch(&shared, action, &params).await)
        }
        other => other,
    };

    let request_id = matches!(reply, Reply::Envelope(_)).then(request_id::fresh);
    remember(&shared, &parts, &body, authenticated, &request_id, &reply);
    // Free the body (up to 10 MiB) before any delay.
    let timed_out = body.timed_out;
    drop(body);

    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    let mut response = match reply {
        Reply::Envelope(answer) => {
            let id = request_id.unwrap_or_else(request_id::fresh);
            let mut response = response(
                StatusCode::OK,
                Some(HeaderValue::from_static("application/json")),
                Bytes::from(envelope_bytes(answer, &id)),
            );
            if let Ok(value) = HeaderValue::from_str(&id) {
                response.headers_mut().insert("x-tc-requestid", value);
            }
            response
        }
        Reply::Plain {
            status,
            content_type,
            body,
        } => response(status, content_type, body),
        Reply::Drop => {
            drop_connection.notify_one();
            return std::future::pending().await;
        }
        Reply::Dispatch(..) => unreachable!("dispatched above"),
    };
    if timed_out {
        // The rest of the body is never read: the connection cannot serve another request.
        response
            .headers_mut()
            .insert(CONNECTION, HeaderValue::from_static("close"));
    }
    // `Date` shows the server's clock, offset included (hyper only adds its own when absent).
    let now = u64::try_from(server_now(shared.clock_offset_secs)).unwrap_or(0);
    let date = httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(now));
    if let Ok(value) = HeaderValue::from_str(&date) {
        response.headers_mut().insert(hyper::header::DATE, value);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes() {
        let ok: Value = serde_json::from_slice(&envelope_bytes(Ok(Map::new()), "id-1")).unwrap();
        assert_eq!(ok, json!({"Response": {"RequestId": "id-1"}}));
        let err: Value = serde_json::from_slice(&envelope_bytes(
            Err(ApiError::new("InvalidAction", "nope")),
            "id-2",
        ))
        .unwrap();
        assert_eq!(
            err,
            json!({"Response": {"Error": {"Code": "InvalidAction", "Message": "nope"}, "RequestId": "id-2"}})
        );
    }
}
