//! The second look at a body whose output did not decode: its `Error` and `RequestId` matter
//! more than the output, wherever they are and whatever type the output's members have.

use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};

use super::{ErrorBody, Key};

/// What a second pass over a body whose output did not decode finds in its first `Response`:
/// the first string `RequestId` and the first well-formed `Error`, wherever they are.
#[derive(Default)]
pub(super) struct Head {
    pub(super) request_id: Option<String>,
    pub(super) error: Option<ErrorBody>,
}

/// Reads [`Head`] from `text`, when it is a JSON object with a `Response` object.
pub(super) fn second_look(text: &str) -> Option<Head> {
    struct Envelope;
    impl<'de> Visitor<'de> for Envelope {
        type Value = Option<Head>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("the `Response` envelope")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<Head>, A::Error> {
            let mut head = None;
            while let Some(key) = map.next_key::<Key<'de>>()? {
                if key.0 == "Response" && head.is_none() {
                    head = Some(map.next_value::<Head>()?);
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(head)
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    de.deserialize_map(Envelope).ok().flatten()
}

impl<'de> Deserialize<'de> for Head {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Head, D::Error> {
        struct HeadVisitor;
        impl<'de> Visitor<'de> for HeadVisitor {
            type Value = Head;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("the `Response` object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Head, A::Error> {
                let mut head = Head::default();
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    match &*key.0 {
                        "RequestId" if head.request_id.is_none() => {
                            // A value of another type is no request id.
                            let value = map.next_value::<serde_json::Value>()?;
                            head.request_id = value.as_str().map(str::to_owned);
                        }
                        "Error" if head.error.is_none() => {
                            let value = map.next_value::<serde_json::Value>()?;
                            head.error = Option::<ErrorBody>::deserialize(value).ok().flatten();
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(head)
            }
        }
        d.deserialize_map(HeadVisitor)
    }
}
