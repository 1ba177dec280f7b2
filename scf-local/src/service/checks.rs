//! Steps 0 to 6 of answering a request: everything up to and including authentication. One
//! function per check, composed in order by [`authenticate`].

use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use hyper::header::{HeaderMap, HeaderValue};
use hyper::http::request::Parts;
use hyper::{Method, StatusCode};

use super::{Reply, too_large};
use crate::MAX_TIMESTAMP_SKEW_SECS;
use crate::auth;
use crate::body::ReadBody;
use crate::catalog::ActionDef;
use crate::context::Shared;
use crate::error::codes;

/// Steps 0 to 6: the body's arrival, the request line, the body as read, the headers, the
/// signature, the timestamp window and the token. Returns the action, or the answer of the
/// first check that fails.
pub(super) fn authenticate(
    shared: &Shared,
    parts: &Parts,
    body: &ReadBody,
) -> Result<&'static ActionDef, Reply> {
    check_body_arrived(body)?;
    check_path_and_method(parts)?;
    check_body_read(body)?;
    let headers = &parts.headers;
    let timestamp = check_version_and_timestamp(shared, headers)?;
    let action = check_action(shared, headers)?;
    check_signature(shared, parts, body, timestamp)?;
    check_timestamp_window(shared, timestamp)?;
    check_token(shared, headers)?;
    Ok(action)
}

/// Step 0: the body arrived within the body timeout.
fn check_body_arrived(body: &ReadBody) -> Result<(), Reply> {
    if body.timed_out {
        return Err(Reply::Plain {
            status: StatusCode::REQUEST_TIMEOUT,
            content_type: Some(HeaderValue::from_static("text/plain; charset=utf-8")),
            body: Bytes::from_static(
                b"408 Request Timeout: the request body did not arrive in time\n",
            ),
        });
    }
    Ok(())
}

/// Step 1: the path is `/` and the method `POST`.
fn check_path_and_method(parts: &Parts) -> Result<(), Reply> {
    if parts.uri.path() != "/" {
        return Err(Reply::Plain {
            status: StatusCode::NOT_FOUND,
            content_type: Some(HeaderValue::from_static("text/plain; charset=utf-8")),
            body: Bytes::from(format!(
                "404 Not Found: scf-local serves the API at `/` and web functions under `/web/`, not `{}`\n",
                parts.uri.path()
            )),
        });
    }
    if parts.method != Method::POST {
        return Err(Reply::error(
            codes::UNSUPPORTED_OPERATION,
            format!(
                "scf-local only accepts POST requests with a JSON body, not {}.",
                parts.method
            ),
        ));
    }
    Ok(())
}

/// Step 1, continued: the body could be read whole (at most 64 MiB are read).
fn check_body_read(body: &ReadBody) -> Result<(), Reply> {
    if let Some(e) = &body.error {
        return Err(Reply::error(
            codes::INVALID_PARAMETER,
            format!("The request body could not be read: {e}"),
        ));
    }
    if body.gave_up {
        return Err(too_large(body.len));
    }
    Ok(())
}

/// Step 2: `X-TC-Version` and `X-TC-Timestamp`; returns the timestamp.
fn check_version_and_timestamp(shared: &Shared, headers: &HeaderMap) -> Result<i64, Reply> {
    let version = match header(headers, "x-tc-version") {
        None => {
            return Err(Reply::error(
                codes::INVALID_PARAMETER,
                "The header `X-TC-Version` is missing.",
            ));
        }
        Some(Ok(v)) if looks_like_version(v) => v,
        Some(_) => {
            return Err(Reply::error(
                codes::INVALID_PARAMETER,
                format!(
                    "The header `X-TC-Version` must be a version such as `{}`.",
                    shared.catalog.version
                ),
            ));
        }
    };
    if version != shared.catalog.version {
        return Err(Reply::error(
            codes::NO_SUCH_VERSION,
            format!(
                "The API version `{version}` does not exist; this API is version `{}`.",
                shared.catalog.version
            ),
        ));
    }
    match header(headers, "x-tc-timestamp") {
        None => Err(Reply::error(
            codes::INVALID_PARAMETER,
            "The header `X-TC-Timestamp` is missing.",
        )),
        Some(Ok(v)) if !v.is_empty() && v.bytes().all(|c| c.is_ascii_digit()) => {
            v.parse::<i64>().map_err(|_| bad_timestamp())
        }
        Some(_) => Err(bad_timestamp()),
    }
}

/// Step 3: `X-TC-Action` names an action of the catalog.
fn check_action(shared: &Shared, headers: &HeaderMap) -> Result<&'static ActionDef, Reply> {
    match header(headers, "x-tc-action") {
        Some(Ok(name)) if !name.is_empty() => shared.catalog.action(name).ok_or_else(|| {
            Reply::error(
                codes::INVALID_ACTION,
                format!("The action `{name}` does not exist."),
            )
        }),
        Some(_) => Err(Reply::error(
            codes::INVALID_ACTION,
            "The header `X-TC-Action` is invalid.",
        )),
        None => Err(Reply::error(
            codes::INVALID_ACTION,
            "The header `X-TC-Action` is missing.",
        )),
    }
}

/// Step 4: the `Authorization` signature.
fn check_signature(
    shared: &Shared,
    parts: &Parts,
    body: &ReadBody,
    timestamp: i64,
) -> Result<(), Reply> {
    let expected = auth::Expected {
        secret_id: &shared.secret_id,
        secret_key: &shared.secret_key,
        service: shared.catalog.service,
    };
    let received = auth::Received {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query: parts.uri.query().unwrap_or(""),
        headers: &parts.headers,
        timestamp,
        payload_sha256_hex: &body.sha256_hex,
    };
    auth::verify(&expected, &received).map_err(|e| Reply::Envelope(Err(e)))
}

/// Step 5: `X-TC-Timestamp` within [`MAX_TIMESTAMP_SKEW_SECS`] of the server's clock.
fn check_timestamp_window(shared: &Shared, timestamp: i64) -> Result<(), Reply> {
    let now = server_now(shared.clock_offset_secs);
    let skew = i128::from(timestamp) - i128::from(now);
    if skew.abs() > i128::from(MAX_TIMESTAMP_SKEW_SECS) {
        return Err(Reply::error(
            codes::SIGNATURE_EXPIRE,
            format!(
                "The request timestamp {timestamp} is {} s away from the server time {now}; at most {MAX_TIMESTAMP_SKEW_SECS} s are allowed.",
                skew.abs()
            ),
        ));
    }
    Ok(())
}

/// Step 6: the session token.
fn check_token(shared: &Shared, headers: &HeaderMap) -> Result<(), Reply> {
    let sent = match header(headers, "x-tc-token") {
        None | Some(Ok("")) => None,
        Some(Ok(v)) => Some(v),
        Some(Err(())) => {
            return Err(Reply::error(
                codes::TOKEN_FAILURE,
                "The header `X-TC-Token` is invalid.",
            ));
        }
    };
    let message = match (shared.token.as_deref(), sent) {
        (None, None) => return Ok(()),
        (Some(want), Some(got)) if auth::constant_time_eq(want.as_bytes(), got.as_bytes()) => {
            return Ok(());
        }
        (None, Some(_)) => {
            "The request carries an X-TC-Token, but these credentials are not temporary credentials."
        }
        (Some(_), None) => {
            "The request carries no X-TC-Token, but these temporary credentials need one."
        }
        (Some(_), Some(_)) => "The X-TC-Token does not belong to these credentials.",
    };
    Err(Reply::error(codes::TOKEN_FAILURE, message))
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
pub(super) fn server_now(offset_secs: i64) -> i64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    now.saturating_add(offset_secs)
}

fn bad_timestamp() -> Reply {
    Reply::error(
        codes::INVALID_PARAMETER,
        "The header `X-TC-Timestamp` must be a unix time in seconds.",
    )
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
}
