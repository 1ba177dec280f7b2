//! Reading a response: the `{"Response": ...}` envelope, service errors, and everything that is
//! not what the action returns.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::value::MapAccessDeserializer;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, IntoDeserializer, MapAccess,
    Visitor,
};
use serde_json::error::Category;
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

/// The members of `Response` read for a second look, when decoding the output failed: the
/// request id, wherever it is in the object.
#[derive(Deserialize)]
struct HeadEnvelope {
    #[serde(rename = "Response")]
    response: Head,
}

#[derive(Deserialize)]
struct Head {
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

/// The first byte of `text` that is not whitespace. Checked before decoding, so that a body
/// that is not a JSON object is told apart from a malformed one.
fn first_byte(text: &[u8]) -> Option<u8> {
    text.iter().copied().find(|b| !b.is_ascii_whitespace())
}

/// What the single decoding pass saw besides the output.
#[derive(Default)]
struct Seen {
    /// `Response.Error`.
    error: RefCell<Option<ErrorBody>>,
    /// `Response.RequestId`.
    request_id: RefCell<Option<String>>,
    /// Whether `Response` was an object (set when the decoder enters it).
    in_response: Cell<bool>,
}

/// Turns a response into the action's output or error.
///
/// On success, returns the output and the request id (from the body, else the header).
///
/// The body is decoded in one pass: the envelope, the `Error` and `RequestId` members, and the
/// output together, without an intermediate tree. The output's decoder never sees `Error`.
pub(crate) fn decode<O: DeserializeOwned, E: ErrorCode>(
    action: &'static str,
    status: u16,
    content_type: Option<&str>,
    header_request_id: Option<&str>,
    bytes: &[u8],
) -> Result<(O, Option<String>), Error<E>> {
    let success = (200..300).contains(&status);
    let http_err = |request_id| {
        Error::new(
            action,
            request_id,
            ErrorKind::Http(HttpError {
                status,
                content_type: content_type.map(str::to_owned),
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
    let header_id = || header_request_id.map(str::to_owned);
    match first_byte(bytes) {
        Some(b'{') => {}
        Some(b'[') if success => {
            return Err(decode_err(
                DecodeErrorKind::MissingEnvelope,
                "a JSON array, not the `Response` envelope".to_owned(),
                header_id(),
            ));
        }
        _ if success => {
            return Err(decode_err(
                DecodeErrorKind::NotJson,
                "the body is not a JSON object".to_owned(),
                header_id(),
            ));
        }
        _ => return Err(http_err(header_id())),
    }

    let seen = Seen::default();
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let decoded = EnvelopeSeed::<O> {
        seen: &seen,
        output: PhantomData,
    }
    .deserialize(&mut de)
    .and_then(|output| de.end().map(|()| output));
    let request_id = seen.request_id.into_inner().or_else(header_id);
    let output = match decoded {
        Ok(output) => output,
        Err(_) if !success => {
            let request_id = request_id.or_else(|| request_id_of(bytes));
            return Err(http_err(request_id));
        }
        Err(e) => {
            let kind = match e.classify() {
                Category::Eof => DecodeErrorKind::Truncated,
                Category::Syntax | Category::Io => DecodeErrorKind::Malformed,
                Category::Data if !seen.in_response.get() => DecodeErrorKind::MissingEnvelope,
                Category::Data => DecodeErrorKind::UnexpectedShape,
            };
            let request_id = match kind {
                DecodeErrorKind::UnexpectedShape => request_id.or_else(|| request_id_of(bytes)),
                _ => request_id,
            };
            return Err(decode_err(kind, e.to_string(), request_id));
        }
    };
    if let Some(err) = seen.error.into_inner() {
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
    match output {
        Some(output) if success => Ok((output, request_id)),
        None if success => Err(decode_err(
            DecodeErrorKind::MissingEnvelope,
            "no `Response` object".to_owned(),
            request_id,
        )),
        _ => Err(http_err(request_id)),
    }
}

/// `Response.RequestId` of a JSON body whose output did not decode, if it can be found.
fn request_id_of(bytes: &[u8]) -> Option<String> {
    serde_json::from_slice::<HeadEnvelope>(bytes)
        .ok()
        .and_then(|e| e.response.request_id)
}

/// Decodes `{"Response": {...}}` into the output, if `Response` is present.
struct EnvelopeSeed<'s, O> {
    seen: &'s Seen,
    output: PhantomData<O>,
}

impl<'de, O: Deserialize<'de>> DeserializeSeed<'de> for EnvelopeSeed<'_, O> {
    type Value = Option<O>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<O>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, O: Deserialize<'de>> Visitor<'de> for EnvelopeSeed<'_, O> {
    type Value = Option<O>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the `Response` envelope")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<O>, A::Error> {
        let mut output = None;
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if key.0 == "Response" && output.is_none() {
                output = Some(map.next_value_seed(ResponseSeed::<O> {
                    seen: self.seen,
                    output: PhantomData,
                })?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(output)
    }
}

/// Decodes the `Response` object into the output, taking `Error` and `RequestId` aside.
struct ResponseSeed<'s, O> {
    seen: &'s Seen,
    output: PhantomData<O>,
}

impl<'de, O: Deserialize<'de>> DeserializeSeed<'de> for ResponseSeed<'_, O> {
    type Value = O;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<O, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, O: Deserialize<'de>> Visitor<'de> for ResponseSeed<'_, O> {
    type Value = O;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the `Response` object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<O, A::Error> {
        self.seen.in_response.set(true);
        O::deserialize(MapAccessDeserializer::new(Members {
            map,
            seen: self.seen,
            request_id_next: false,
        }))
    }
}

/// The members of `Response` as the output's decoder sees them: without `Error`, which is
/// stored aside, and with `RequestId` copied aside as it passes.
struct Members<'s, A> {
    map: A,
    seen: &'s Seen,
    /// The key just returned was `RequestId`.
    request_id_next: bool,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Members<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        while let Some(key) = self.map.next_key::<Key<'de>>()? {
            match &*key.0 {
                "Error" => {
                    let error = self.map.next_value::<Option<ErrorBody>>()?;
                    *self.seen.error.borrow_mut() = error;
                }
                name => {
                    self.request_id_next = name == "RequestId";
                    return seed.deserialize(key.0.into_deserializer()).map(Some);
                }
            }
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        if !std::mem::take(&mut self.request_id_next) {
            return self.map.next_value_seed(seed);
        }
        // Read the value once, raw, then decode it for the output and for the error path.
        let raw = self.map.next_value::<&'de RawValue>()?;
        let id = serde_json::from_str::<Option<String>>(raw.get()).map_err(de::Error::custom)?;
        *self.seen.request_id.borrow_mut() = id;
        seed.deserialize(raw).map_err(de::Error::custom)
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

/// A member name, borrowed from the body when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key<'de>, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::{GetFunctionAddressError, GetFunctionAddressResponse};

    type Decoded =
        Result<(GetFunctionAddressResponse, Option<String>), Error<GetFunctionAddressError>>;

    fn run(status: u16, header_id: Option<&str>, body: &str) -> Decoded {
        decode(
            "GetFunctionAddress",
            status,
            Some("application/json"),
            header_id,
            body.as_bytes(),
        )
    }

    fn decode_kind(d: &Decoded) -> Option<DecodeErrorKind> {
        match d.as_ref().err().map(Error::kind) {
            Some(ErrorKind::Decode(e)) => Some(e.kind),
            _ => None,
        }
    }

    #[test]
    fn one_pass_reads_output_request_id_and_error_in_any_order() {
        let (out, id) = run(
            200,
            Some("header-id"),
            r#"{"Response": {"Url": "u", "RequestId": "r1", "CodeSha256": "c", "Extra": [1, {"a": null}]}, "Other": 1}"#,
        )
        .unwrap();
        assert_eq!((out.url.as_str(), out.code_sha256.as_str()), ("u", "c"));
        assert_eq!(out.request_id, "r1");
        assert_eq!(id.as_deref(), Some("r1"));

        // An escaped member name is still recognised.
        let (out, id) = run(
            200,
            None,
            r#"{"Response": {"Request\u0049d": "r2", "Url": "u"}}"#,
        )
        .unwrap();
        assert_eq!((out.request_id.as_str(), id.as_deref()), ("r2", Some("r2")));

        // `RequestId: null` and a missing one fall back to the header.
        let (out, id) = run(200, Some("h"), r#"{"Response": {"RequestId": null}}"#).unwrap();
        assert_eq!((out.request_id.as_str(), id.as_deref()), ("", Some("h")));

        for body in [
            r#"{"Response": {"Error": {"Code": "ResourceNotFound.Function", "Message": "m"}, "RequestId": "r3"}}"#,
            r#"{"Response": {"RequestId": "r3", "Error": {"Code": "ResourceNotFound.Function", "Message": "m"}}}"#,
        ] {
            let err = run(404, Some("h"), body).unwrap_err();
            assert_eq!(
                err.code(),
                Some(&GetFunctionAddressError::ResourceNotFoundFunction),
                "{body}"
            );
            assert_eq!(err.request_id(), Some("r3"));
            assert_eq!(err.service_error().map(|e| e.message.as_str()), Some("m"));
        }
        let err = run(200, None, r#"{"Response": {"Error": {"Code": "RequestLimitExceeded", "Message": "slow"}, "RequestId": "r4"}}"#).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Throttled(_)), "{err:?}");

        // `Error: null` is no error; only the first `Response` counts.
        let (out, _) = run(
            200,
            None,
            r#"{"Response": {"Error": null, "Url": "first"}, "Response": {"Url": "second"}}"#,
        )
        .unwrap();
        assert_eq!(out.url, "first");
    }

    #[test]
    fn envelope_problems_are_classified() {
        for (body, want) in [
            (r#"{"Response": null}"#, DecodeErrorKind::MissingEnvelope),
            (r#"{"Response": [1]}"#, DecodeErrorKind::MissingEnvelope),
            (r#"{"Response": "x"}"#, DecodeErrorKind::MissingEnvelope),
            (r#"{"NotResponse": {}}"#, DecodeErrorKind::MissingEnvelope),
            (
                r#"{"Response": {"Url": 5, "RequestId": "late"}}"#,
                DecodeErrorKind::UnexpectedShape,
            ),
            (
                r#"{"Response": {"Url": "u"}} trailing"#,
                DecodeErrorKind::Malformed,
            ),
            (r#"{"Response": {"Url": "u""#, DecodeErrorKind::Truncated),
        ] {
            let d = run(200, None, body);
            assert_eq!(decode_kind(&d), Some(want), "{body}: {d:?}");
        }
        // A shape error still names the request id stated after the fault.
        let err = run(
            200,
            None,
            r#"{"Response": {"Url": 5, "RequestId": "late"}}"#,
        )
        .unwrap_err();
        assert_eq!(err.request_id(), Some("late"));
        // Not a success: an HTTP error, with the request id when it can be read.
        let err = run(502, None, r#"{"Response": {"Url": 5, "RequestId": "r5"}}"#).unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::Http(h) if h.status == 502),
            "{err:?}"
        );
        assert_eq!(err.request_id(), Some("r5"));
    }

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
