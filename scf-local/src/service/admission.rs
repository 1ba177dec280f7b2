//! Steps 7 to 11 of answering a request: what an authenticated request goes through before its
//! action answers it. One function per check, composed in order by [`admit`].

use std::sync::PoisonError;
use std::time::Duration;

use bytes::Bytes;
use hyper::StatusCode;
use hyper::header::HeaderValue;
use serde_json::{Map, Value};

use super::checks::server_now;
use super::{Reply, too_large};
use crate::body::ReadBody;
use crate::catalog::ActionDef;
use crate::context::Shared;
use crate::error::{ApiError, codes};
use crate::{BODY_LIMIT, Fault, validate};

/// What an authenticated request is admitted with: a delay to wait before answering
/// ([`Fault::Delay`]) and its validated parameters, or the answer of the first check that fails.
pub(super) struct Admission {
    pub(super) delay: Option<Duration>,
    pub(super) params: Result<Map<String, Value>, Reply>,
}

/// Steps 7 to 11, in order: a queued fault, the rate limit, the body size, the body as a JSON
/// object, the parameters against the catalog.
pub(super) fn admit(shared: &Shared, action: &'static ActionDef, body: &ReadBody) -> Admission {
    let delay = match take_fault(shared) {
        Ok(delay) => delay,
        Err(reply) => {
            return Admission {
                delay: None,
                params: Err(reply),
            };
        }
    };
    let params = check_rate_limit(shared, action)
        .and_then(|()| check_body_size(body))
        .and_then(|()| parse_body(body))
        .and_then(|params| check_params(shared, action, params));
    Admission { delay, params }
}

/// Step 7: the next queued [`Fault`]: a delay to wait before answering normally, or the answer
/// that replaces the rest.
fn take_fault(shared: &Shared) -> Result<Option<Duration>, Reply> {
    let fault = shared
        .faults
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .pop_front();
    fault.map(injected).transpose()
}

/// What an injected fault does: wait this long and answer normally ([`Fault::Delay`]), or
/// answer this instead.
fn injected(fault: Fault) -> Result<Duration, Reply> {
    match fault {
        Fault::Delay(delay) => Ok(delay),
        Fault::ServiceError { code, message } => {
            Err(Reply::Envelope(Err(ApiError::new(code, message))))
        }
        Fault::Raw {
            status,
            content_type,
            body,
        } => Err(Reply::Plain {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            content_type: if content_type.is_empty() {
                None
            } else {
                HeaderValue::from_str(&content_type).ok()
            },
            body: Bytes::from(body),
        }),
        Fault::DropConnection => Err(Reply::Drop),
    }
}

/// Step 8: the action's documented rate limit, when the server enforces rate limits.
fn check_rate_limit(shared: &Shared, action: &ActionDef) -> Result<(), Reply> {
    let (Some(throttle), Some(limit)) = (&shared.throttle, action.rate_limit) else {
        return Ok(());
    };
    let now_secs = server_now(shared.clock_offset_secs);
    let admitted = throttle
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .admit(action.name, limit, now_secs);
    if admitted {
        return Ok(());
    }
    Err(Reply::error(
        codes::REQUEST_LIMIT_EXCEEDED,
        format!(
            "{} allows {limit} requests per second; try again later.",
            action.name
        ),
    ))
}

/// Step 9: the body is at most [`BODY_LIMIT`] bytes.
fn check_body_size(body: &ReadBody) -> Result<(), Reply> {
    if body.len > BODY_LIMIT as u64 {
        return Err(too_large(body.len));
    }
    Ok(())
}

/// Step 10: the body is a JSON object; returns its members.
fn parse_body(body: &ReadBody) -> Result<Map<String, Value>, Reply> {
    match serde_json::from_slice::<Value>(&body.kept) {
        Ok(Value::Object(params)) => Ok(params),
        Ok(_) => Err(Reply::error(
            codes::INVALID_PARAMETER,
            "The request body must be a JSON object.",
        )),
        Err(e) => Err(Reply::error(
            codes::INVALID_PARAMETER,
            format!("The request body must be a JSON object: {e}."),
        )),
    }
}

/// Step 11: the members against the action's inputs in the catalog.
fn check_params(
    shared: &Shared,
    action: &ActionDef,
    params: Map<String, Value>,
) -> Result<Map<String, Value>, Reply> {
    match validate::check_object(shared.catalog, action.input, &params, "") {
        Ok(()) => Ok(params),
        Err(e) => Err(Reply::Envelope(Err(e))),
    }
}
