//! Answering one HTTP request: the checks in order, fault injection, and the response.

use std::convert::Infallible;
use std::sync::{Arc, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use hyper::http::request::Parts;
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use tokio::sync::Notify;

use crate::auth;
use crate::catalog::ActionDef;
use crate::error::{ApiError, codes};
use crate::handlers::{self, Answer};
use crate::record::{Outcome, RecordedRequest};
use crate::request_id;
use crate::server::Shared;
use crate::validate;
use crate::{BODY_LIMIT, Fault, MAX_TIMESTAMP_SKEW_SECS};

/// Bodies are read (hashed and discarded past [`BODY_LIMIT`]) up to this many bytes so that the
/// client sees the error answer instead of a reset connection; beyond it the server stops reading.
const DRAIN_LIMIT: u64 = 64 * 1024 * 1024;

/// The response body type.
pub(crate) type Body = Full<Bytes>;

/// A request body as read by the server.
struct ReadBody {
    /// The first [`BODY_LIMIT`] bytes.
    kept: Vec<u8>,
    /// How many bytes were read in total.
    len: u64,
    /// Hex SHA-256 of all bytes read.
    sha256_hex: String,
    /// The server stopped reading at [`DRAIN_LIMIT`].
    gave_up: bool,
    /// Reading failed (e.g. the client went away).
    error: Option<String>,
}

async fn read_body(mut incoming: Incoming) -> ReadBody {
    let mut kept = Vec::new();
    let mut len = 0u64;
    let mut hasher = Sha256::new();
    let mut gave_up = false;
    let mut error = None;
    while let Some(frame) = incoming.frame().await {
        let frame = match frame {
            Ok(frame) => frame,
            Err(e) => {
                error = Some(e.to_string());
                break;
            }
        };
        let Ok(data) = frame.into_data() else {
            continue; // trailers
        };
        len = len.saturating_add(data.len() as u64);
        hasher.update(&data);
        let room = BODY_LIMIT.saturating_sub(kept.len());
        kept.extend_from_slice(&data[..room.min(data.len())]);
        if len > DRAIN_LIMIT {
            gave_up = true;
            break;
        }
    }
    ReadBody {
        kept,
        len,
        sha256_hex: hex::encode(hasher.finalize()),
        gave_up,
        error,
    }
}

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

/// A header's value, if present and visible ASCII.
fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<Result<&'a str, ()>> {
    headers.get(name).map(|v| v.to_str().map_err(|_| ()))
}

/// Whether `s` has the shape `YYYY-MM-DD`.
fn looks_like_version(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// The server's notion of "now" in unix seconds, including the configured offset.
fn server_now(offset_secs: i64) -> i64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    now.saturating_add(offset_secs)
}

/// Runs the checks in order and decides the answer; also returns a delay to wait before
/// answering ([`Fault::Delay`]).
fn decide(shared: &Shared, parts: &Parts, body: &ReadBody) -> (Option<Duration>, Reply) {
    let headers = &parts.headers;

    // 1. Method and path.
    if parts.uri.path() != "/" {
        return (
            None,
            Reply::Plain {
                status: StatusCode::NOT_FOUND,
                content_type: Some(HeaderValue::from_static("text/plain; charset=utf-8")),
                body: Bytes::from(format!(
                    "404 Not Found: scf-local serves the API at `/` only, not `{}`\n",
                    parts.uri.path()
                )),
            },
        );
    }
    if parts.method != Method::POST {
        return (
            None,
            Reply::error(
                codes::UNSUPPORTED_OPERATION,
                format!(
                    "scf-local only accepts POST requests with a JSON body, not {}.",
                    parts.method
                ),
            ),
        );
    }
    if let Some(e) = &body.error {
        return (
            None,
            Reply::error(
                codes::INVALID_PARAMETER,
                format!("The request body could not be read: {e}"),
            ),
        );
    }
    if body.gave_up {
        return (None, too_large(body.len));
    }

    // 2. Version and timestamp headers.
    let version = match header(headers, "x-tc-version") {
        None => {
            return (
                None,
                Reply::error(
                    codes::INVALID_PARAMETER,
                    "The header `X-TC-Version` is missing.",
                ),
            );
        }
        Some(Ok(v)) if looks_like_version(v) => v,
        Some(_) => {
            return (
                None,
                Reply::error(
                    codes::INVALID_PARAMETER,
                    format!(
                        "The header `X-TC-Version` must be a version such as `{}`.",
                        shared.catalog.version
                    ),
                ),
            );
        }
    };
    if version != shared.catalog.version {
        return (
            None,
            Reply::error(
                codes::NO_SUCH_VERSION,
                format!(
                    "The API version `{version}` does not exist; this API is version `{}`.",
                    shared.catalog.version
                ),
            ),
        );
    }
    let timestamp = match header(headers, "x-tc-timestamp") {
        None => {
            return (
                None,
                Reply::error(
                    codes::INVALID_PARAMETER,
                    "The header `X-TC-Timestamp` is missing.",
                ),
            );
        }
        Some(Ok(v)) if !v.is_empty() && v.bytes().all(|c| c.is_ascii_digit()) => {
            match v.parse::<i64>() {
                Ok(ts) => ts,
                Err(_) => return (None, bad_timestamp()),
            }
        }
        Some(_) => return (None, bad_timestamp()),
    };

    // 3. Action.
    let action = match header(headers, "x-tc-action") {
        Some(Ok(name)) if !name.is_empty() => match shared.catalog.action(name) {
            Some(action) => action,
            None => {
                return (
                    None,
                    Reply::error(
                        codes::INVALID_ACTION,
                        format!("The action `{name}` does not exist."),
                    ),
                );
            }
        },
        Some(_) => {
            return (
                None,
                Reply::error(
                    codes::INVALID_ACTION,
                    "The header `X-TC-Action` is invalid.",
                ),
            );
        }
        None => {
            return (
                None,
                Reply::error(
                    codes::INVALID_ACTION,
                    "The header `X-TC-Action` is missing.",
                ),
            );
        }
    };

    // 4. Authorization and signature.
    let expected = auth::Expected {
        secret_id: &shared.secret_id,
        secret_key: &shared.secret_key,
        service: shared.catalog.service,
    };
    let received = auth::Received {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query: parts.uri.query().unwrap_or(""),
        headers,
        timestamp,
        payload_sha256_hex: &body.sha256_hex,
    };
    if let Err(e) = auth::verify(&expected, &received) {
        return (None, Reply::Envelope(Err(e)));
    }

    // 5. Timestamp window.
    let now = server_now(shared.clock_offset_secs);
    let skew = i128::from(timestamp) - i128::from(now);
    if skew.abs() > i128::from(MAX_TIMESTAMP_SKEW_SECS) {
        return (
            None,
            Reply::error(
                codes::SIGNATURE_EXPIRE,
                format!(
                    "The request timestamp {timestamp} is {} s away from the server time {now}; at most {MAX_TIMESTAMP_SKEW_SECS} s are allowed.",
                    skew.abs()
                ),
            ),
        );
    }

    // 6. Session token.
    let sent = match header(headers, "x-tc-token") {
        None => None,
        Some(Ok("")) => None,
        Some(Ok(v)) => Some(v),
        Some(Err(())) => {
            return (
                None,
                Reply::error(codes::TOKEN_FAILURE, "The header `X-TC-Token` is invalid."),
            );
        }
    };
    match (shared.token.as_deref(), sent) {
        (None, None) => {}
        (Some(want), Some(got)) if auth::constant_time_eq(want.as_bytes(), got.as_bytes()) => {}
        (None, Some(_)) => {
            return (
                None,
                Reply::error(
                    codes::TOKEN_FAILURE,
                    "The request carries an X-TC-Token, but these credentials are not temporary credentials.",
                ),
            );
        }
        (Some(_), None) => {
            return (
                None,
                Reply::error(
                    codes::TOKEN_FAILURE,
                    "The request carries no X-TC-Token, but these temporary credentials need one.",
                ),
            );
        }
        (Some(_), Some(_)) => {
            return (
                None,
                Reply::error(
                    codes::TOKEN_FAILURE,
                    "The X-TC-Token does not belong to these credentials.",
                ),
            );
        }
    }

    // 7. Injected fault.
    let fault = shared
        .faults
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .pop_front();
    let delay = match fault {
        None => None,
        Some(Fault::ServiceError { code, message }) => {
            return (None, Reply::Envelope(Err(ApiError::new(code, message))));
        }
        Some(Fault::Raw {
            status,
            content_type,
            body,
        }) => {
            return (
                None,
                Reply::Plain {
                    status: StatusCode::from_u16(status)
                        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                    content_type: if content_type.is_empty() {
                        None
                    } else {
                        HeaderValue::from_str(&content_type).ok()
                    },
                    body: Bytes::from(body),
                },
            );
        }
        Some(Fault::DropConnection) => return (None, Reply::Drop),
        Some(Fault::Delay(delay)) => Some(delay),
    };

    // 7b. Rate limits, when enforced.
    if let (Some(throttle), Some(limit)) = (&shared.throttle, action.rate_limit) {
        let now_secs = server_now(shared.clock_offset_secs);
        let admitted = throttle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .admit(action.name, limit, now_secs);
        if !admitted {
            return (
                delay,
                Reply::error(
                    codes::REQUEST_LIMIT_EXCEEDED,
                    format!(
                        "{} allows {limit} requests per second; try again later.",
                        action.name
                    ),
                ),
            );
        }
    }

    // 8. Body size, JSON, parameters.
    if body.len > BODY_LIMIT as u64 {
        return (delay, too_large(body.len));
    }
    let params = match serde_json::from_slice::<Value>(&body.kept) {
        Ok(Value::Object(params)) => params,
        Ok(_) => {
            return (
                delay,
                Reply::error(
                    codes::INVALID_PARAMETER,
                    "The request body must be a JSON object.",
                ),
            );
        }
        Err(e) => {
            return (
                delay,
                Reply::error(
                    codes::INVALID_PARAMETER,
                    format!("The request body must be a JSON object: {e}."),
                ),
            );
        }
    };
    if let Err(e) = validate::check_object(shared.catalog, action.input, &params, "") {
        return (delay, Reply::Envelope(Err(e)));
    }

    // 9. The action's answer.
    (delay, Reply::Dispatch(action, params))
}

fn bad_timestamp() -> Reply {
    Reply::error(
        codes::INVALID_PARAMETER,
        "The header `X-TC-Timestamp` must be a unix time in seconds.",
    )
}

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

/// Answers one request. Records it, waits for a [`Fault::Delay`], and for
/// [`Fault::DropConnection`] signals `drop_connection` and never completes (the connection task
/// then drops the connection).
pub(crate) async fn handle(
    shared: Arc<Shared>,
    drop_connection: Arc<Notify>,
    request: Request<Incoming>,
) -> Result<Response<Body>, Infallible> {
    let (parts, incoming) = request.into_parts();
    let body = read_body(incoming).await;
    let (delay, reply) = decide(&shared, &parts, &body);
    let reply = match reply {
        Reply::Dispatch(action, params) => {
            Reply::Envelope(handlers::dispatch(&shared, action, &params).await)
        }
        other => other,
    };

    let request_id = matches!(reply, Reply::Envelope(_)).then(request_id::fresh);
    let record = RecordedRequest {
        method: parts.method.to_string(),
        path: parts
            .uri
            .path_and_query()
            .map_or_else(|| parts.uri.path().to_owned(), |pq| pq.as_str().to_owned()),
        action: parts
            .headers
            .get("x-tc-action")
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: body.kept,
        body_len: body.len,
        request_id: request_id.clone(),
        outcome: reply.outcome(),
    };
    shared
        .requests
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(record);

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
    fn version_shape() {
        assert!(looks_like_version("2018-04-16"));
        assert!(!looks_like_version("2018-04-1"));
        assert!(!looks_like_version("2018/04/16"));
        assert!(!looks_like_version("abcd-ef-gh"));
    }

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
