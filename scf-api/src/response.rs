//! Reading a response: the `{"Response": ...}` envelope, service errors, and everything that is
//! not what the action returns.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::action::ErrorCode;
use crate::error::{
    DecodeError, DecodeErrorKind, Error, ErrorKind, HttpError, ServiceError, snippet,
};

/// Largest part of a body quoted in an error.
pub(crate) const SNIPPET_BYTES: usize = 512;

/// Whether `code` is `RequestLimitExceeded` or one of its sub-codes (including ones the spec does
/// not list yet): the service refused the request because of a rate limit.
pub(crate) fn is_throttling_code(code: &str) -> bool {
    code.strip_prefix("RequestLimitExceeded")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
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

/// The first byte of `text` that is not whitespace. Checked before decoding, because serde's
/// derived deserializers would also accept a JSON array, member by member, as an object.
fn first_byte(text: &[u8]) -> Option<u8> {
    text.iter().copied().find(|b| !b.is_ascii_whitespace())
}

/// Turns a response into the action's output or error.
///
/// On success, returns the output and the request id (from the body, else the header).
pub(crate) fn decode<O: DeserializeOwned, E: ErrorCode>(
    action: &'static str,
    status: u16,
    content_type: Option<String>,
    header_request_id: Option<String>,
    bytes: &[u8],
) -> Result<(O, Option<String>), Error<E>> {
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
        let throttled = is_throttling_code(&err.code);
        let service = ServiceError {
            code: E::from_code(&err.code),
            message: err.message,
            status,
        };
        let kind = if throttled {
            ErrorKind::Throttled(service)
        } else {
            ErrorKind::Service(service)
        };
        return Err(Error::new(action, request_id, kind));
    }
    if !success {
        return Err(http_err(request_id));
    }
    match serde_json::from_str::<O>(raw.get()) {
        Ok(output) => Ok((output, request_id)),
        Err(e) => Err(decode_err(
            DecodeErrorKind::UnexpectedShape,
            e.to_string(),
            request_id,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttling_codes() {
        for code in [
            "RequestLimitExceeded",
            "RequestLimitExceeded.UinLimitExceeded",
            "RequestLimitExceeded.SomethingNew",
        ] {
            assert!(is_throttling_code(code), "{code}");
        }
        for code in [
            "RequestLimitExceededX",
            "LimitExceeded",
            "InternalError",
            "",
        ] {
            assert!(!is_throttling_code(code), "{code}");
        }
    }
}
