//! Sending a typed request and keeping the answer's JSON: [`RawJson`] (the JSON only),
//! [`AsJson`] and [`JsonAnswer`] (the JSON beside the typed output).
//!
//! A generic wrapper over any [`Action`]: the request is the typed one (so `validate()`, the
//! region rule, signing, retries and error mapping are the action's own), and the answer is
//! decoded twice from one parse: as the `Response` object's members exactly as the service sent
//! them, and as the action's typed output (so an answer of the wrong shape is still a
//! [`DecodeErrorKind::UnexpectedShape`](crate::DecodeErrorKind::UnexpectedShape) error). A
//! command-line client prints the first and pages with the second.

use std::fmt;

use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::action::{Action, ActionMeta, Api, InvalidInput, Signing};
use crate::paginate::Paged;

/// The request `A`, answered with the `Response` object's members exactly as the service sent
/// them (`RequestId` included; an answer with `Error` is an `Err` as usual), without decoding
/// the typed output: the lightest way to relay an answer. Use [`AsJson`] to have both.
///
/// ```
/// use scf_api::RawJson;
/// use scf_api::actions::ListNamespacesRequest;
///
/// let request = RawJson(ListNamespacesRequest::default());
/// assert_eq!(serde_json::to_string(&request).unwrap(), "{}");
/// // Sent with `client.execute(&request)`, it returns a `serde_json::Map<String, Value>`.
/// ```
#[derive(Clone, PartialEq)]
pub struct RawJson<A>(pub A);

impl<A: fmt::Debug> fmt::Debug for RawJson<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RawJson").field(&self.0).finish()
    }
}

impl<A: Serialize> Serialize for RawJson<A> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<A: Action> Action for RawJson<A> {
    type Output = Map<String, Value>;
    type Error = A::Error;
    const META: ActionMeta = A::META;
    const API: Api = A::API;
    const SIGNING: Signing = A::SIGNING;

    fn validate(&self) -> Result<(), InvalidInput> {
        self.0.validate()
    }
}

/// The request `A`, answered with a [`JsonAnswer`]: the members the service returned, as JSON,
/// beside the typed output.
///
/// ```
/// use scf_api::AsJson;
/// use scf_api::actions::GetFunctionRequest;
///
/// let request = AsJson(GetFunctionRequest { function_name: Some("orders".into()), ..Default::default() });
/// assert_eq!(serde_json::to_string(&request).unwrap(), r#"{"FunctionName":"orders"}"#);
/// // Sent with `client.execute(&request)`, it returns a `JsonAnswer<GetFunctionResponse>`.
/// ```
#[derive(Clone, PartialEq)]
pub struct AsJson<A>(pub A);

impl<A: fmt::Debug> fmt::Debug for AsJson<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The request's own `Debug` redacts its sensitive members.
        f.debug_tuple("AsJson").field(&self.0).finish()
    }
}

impl<A: Serialize> Serialize for AsJson<A> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<A: Action> Action for AsJson<A> {
    type Output = JsonAnswer<A::Output>;
    type Error = A::Error;
    const META: ActionMeta = A::META;
    const API: Api = A::API;
    const SIGNING: Signing = A::SIGNING;

    fn validate(&self) -> Result<(), InvalidInput> {
        self.0.validate()
    }
}

/// An answer of [`AsJson`]: the `Response` object's members as the service sent them
/// (`RequestId` included, `Error` never: an answer with an error is an `Err`), and the same
/// answer decoded as the action's typed output.
///
/// `Debug` shows the typed output (which redacts sensitive members) and only the names of the
/// JSON members, never their values.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct JsonAnswer<O> {
    /// The members the service returned, unchanged (absent members stay absent, `null` stays
    /// `null`). Printing them can show secrets the typed output redacts.
    pub json: Map<String, Value>,
    /// The same answer, decoded as the action's output.
    pub typed: O,
}

impl<O: fmt::Debug> fmt::Debug for JsonAnswer<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.json.keys().map(String::as_str).collect();
        f.debug_struct("JsonAnswer")
            .field("json_members", &names)
            .field("typed", &self.typed)
            .finish()
    }
}

impl<'de, O: DeserializeOwned> Deserialize<'de> for JsonAnswer<O> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::Object(Map::deserialize(deserializer)?);
        let typed = O::deserialize(&value).map_err(serde::de::Error::custom)?;
        let Value::Object(json) = value else {
            unreachable!("built as an object above")
        };
        Ok(JsonAnswer { json, typed })
    }
}

/// Pages like `A`: the same members, limits and window, through the typed output; the JSON of
/// each page is left whole.
impl<A: Paged> Paged for AsJson<A> {
    type Item = A::Item;
    const MAX_PAGE_SIZE: Option<u64> = A::MAX_PAGE_SIZE;
    const MAX_WINDOW: Option<u64> = A::MAX_WINDOW;

    fn offset(&self) -> Option<u64> {
        self.0.offset()
    }

    fn set_offset(&mut self, offset: u64) {
        self.0.set_offset(offset);
    }

    fn limit(&self) -> Option<u64> {
        self.0.limit()
    }

    fn set_limit(&mut self, limit: u64) {
        self.0.set_limit(limit);
    }

    fn items(output: &Self::Output) -> &[Self::Item] {
        A::items(&output.typed)
    }

    fn item_count(output: &Self::Output) -> usize {
        A::item_count(&output.typed)
    }

    fn take_items(output: &mut Self::Output) -> Vec<Self::Item> {
        A::take_items(&mut output.typed)
    }

    fn total(output: &Self::Output) -> Option<u64> {
        A::total(&output.typed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::{GetAliasRequest, ListFunctionsRequest, ListFunctionsResponse};
    use crate::error::{DecodeErrorKind, ErrorKind};
    use crate::response::decode;

    type Answer = JsonAnswer<ListFunctionsResponse>;

    fn decode_answer(
        body: &str,
    ) -> Result<Answer, crate::Error<crate::actions::ListFunctionsError>> {
        decode::<Answer, _>("ListFunctions", 200, None, None, body.as_bytes()).map(|(a, _)| a)
    }

    #[test]
    fn keeps_exactly_the_members_sent_beside_the_typed_output() {
        let answer = decode_answer(
            r#"{"Response":{"TotalCount":1,"Functions":[{"FunctionName":"f","Description":"secret-value"}],"Extra":null,"RequestId":"r-1"}}"#,
        )
        .unwrap();
        let names: Vec<&str> = answer.json.keys().map(String::as_str).collect();
        assert_eq!(names, ["Extra", "Functions", "RequestId", "TotalCount"]);
        assert_eq!(answer.json["Extra"], Value::Null);
        assert_eq!(answer.typed.functions[0].function_name, "f");
        assert_eq!(answer.typed.request_id, "r-1");
        let debug = format!(
            "{:?}",
            JsonAnswer {
                json: answer.json.clone(),
                typed: ()
            }
        );
        assert!(!debug.contains("secret-value"), "{debug}");
        assert!(debug.contains("json_members"), "{debug}");
    }

    #[test]
    fn service_errors_and_wrong_shapes_stay_errors() {
        let e = decode_answer(
            r#"{"Response":{"Error":{"Code":"ResourceNotFound.Function","Message":"no"},"RequestId":"r-2"}}"#,
        )
        .unwrap_err();
        assert_eq!(e.request_id(), Some("r-2"));
        assert!(matches!(e.kind(), ErrorKind::Service(_)), "{e:?}");
        let e = decode_answer(r#"{"Response":{"Functions":5,"RequestId":"r-3"}}"#).unwrap_err();
        match e.kind() {
            ErrorKind::Decode(d) => assert_eq!(d.kind, DecodeErrorKind::UnexpectedShape),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn raw_json_keeps_the_members_without_a_typed_decode() {
        let body = r#"{"Response":{"Functions":"not a list","RequestId":"r-4"}}"#;
        let (json, id) = decode::<
            <RawJson<ListFunctionsRequest> as Action>::Output,
            crate::actions::ListFunctionsError,
        >("ListFunctions", 200, None, None, body.as_bytes())
        .unwrap();
        assert_eq!(id.as_deref(), Some("r-4"));
        assert_eq!(json["Functions"], "not a list");
        assert_eq!(<RawJson<GetAliasRequest> as Action>::META.name, "GetAlias");
        assert!(RawJson(GetAliasRequest::default()).validate().is_err());
    }

    #[test]
    fn pages_and_validates_like_the_wrapped_request() {
        let mut request = AsJson(ListFunctionsRequest::default());
        request.set_offset(40);
        request.set_limit(20);
        assert_eq!((request.offset(), request.limit()), (Some(40), Some(20)));
        assert_eq!(request.0.offset, Some(40));
        assert_eq!(
            <AsJson<ListFunctionsRequest> as Action>::META.name,
            "ListFunctions"
        );
        assert!(AsJson(GetAliasRequest::default()).validate().is_err());
        let page: Answer = serde_json::from_str(
            r#"{"Functions":[{"FunctionName":"a"},{"FunctionName":"b"}],"TotalCount":3}"#,
        )
        .unwrap();
        assert_eq!(AsJson::<ListFunctionsRequest>::item_count(&page), 2);
        assert_eq!(AsJson::<ListFunctionsRequest>::total(&page), Some(3));
    }
}
