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
mod second_look;

use crate::error::{
    DecodeError, DecodeErrorKind, Error, ErrorKind, HttpError, ServiceError, snippet,
};
use second_look::second_look;

/// Largest part of a body quoted in an error.
pub(crate) const SNIPPET_BYTES: usize = 512;

/// Whether `code` is `RequestLimitExceeded` or one of its sub-codes (including ones the spec does
/// not list yet): the service refused the request because of a rate limit.
pub(crate) fn is_throttling_code(code: &str) -> bool {
    code.strip_prefix("RequestLimitExceeded")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
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
    // One fast pass: the parser checks UTF-8 only inside the strings it decodes, and would let
    // invalid bytes in skipped members through.
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) if !success => return Err(http_err(header_id())),
        Err(e) => {
            return Err(decode_err(
                DecodeErrorKind::InvalidUtf8,
                format!("invalid UTF-8 at byte {}", e.valid_up_to()),
                header_id(),
            ));
        }
    };
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
    let mut de = serde_json::Deserializer::from_str(text);
    let decoded = EnvelopeSeed::<O> {
        seen: &seen,
        output: PhantomData,
    }
    .deserialize(&mut de)
    .and_then(|output| de.end().map(|()| output));
    let request_id = seen.request_id.into_inner().or_else(header_id);
    let service_error = seen.error.into_inner();
    let output = match decoded {
        Ok(output) => output,
        Err(e) => {
            let category = e.classify();
            // A member of an unexpected type stopped the pass, perhaps before `Error` or
            // `RequestId` was reached: look again for what matters more than the output.
            let second = (category == Category::Data && seen.in_response.get())
                .then(|| second_look(text))
                .flatten()
                .unwrap_or_default();
            let request_id = request_id.or(second.request_id);
            if let Some(err) = service_error.or(second.error) {
                return Err(service(action, status, request_id, err));
            }
            if !success {
                return Err(http_err(request_id));
            }
            let kind = match category {
                Category::Eof => DecodeErrorKind::Truncated,
                Category::Syntax | Category::Io => DecodeErrorKind::Malformed,
                Category::Data if !seen.in_response.get() => DecodeErrorKind::MissingEnvelope,
                Category::Data => DecodeErrorKind::UnexpectedShape,
            };
            return Err(decode_err(kind, e.to_string(), request_id));
        }
    };
    if let Some(err) = service_error {
        return Err(service(action, status, request_id, err));
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

/// A service error as the typed error of the call (`Throttled` for the rate-limit family).
fn service<E: ErrorCode>(
    action: &'static str,
    status: u16,
    request_id: Option<String>,
    err: ErrorBody,
) -> Error<E> {
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
    Error::new(action, request_id, kind)
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
                    // With duplicate keys, the first non-null `Error` counts.
                    let error = self.map.next_value::<Option<ErrorBody>>()?;
                    let mut seen = self.seen.error.borrow_mut();
                    if seen.is_none() {
                        *seen = error;
                    }
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
mod tests;
