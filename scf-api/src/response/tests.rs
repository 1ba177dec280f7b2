//! Decoding bodies: the envelope, errors, request ids and what is not JSON.

use super::*;
use crate::actions::{GetFunctionAddressError, GetFunctionAddressResponse};

type Decoded = Result<(GetFunctionAddressResponse, Option<String>), Error<GetFunctionAddressError>>;

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

#[test]
fn the_service_error_wins_over_a_member_of_the_wrong_type() {
    for body in [
        r#"{"Response": {"Url": 5, "Error": {"Code": "ResourceNotFound.Function", "Message": "m"}, "RequestId": "r"}}"#,
        r#"{"Response": {"Url": [], "RequestId": "r", "Error": {"Code": "ResourceNotFound.Function", "Message": "m"}}}"#,
        r#"{"Response": {"Error": {"Code": "ResourceNotFound.Function", "Message": "m"}, "Url": {}, "RequestId": "r"}}"#,
    ] {
        for status in [200, 404] {
            let err = run(status, None, body).unwrap_err();
            assert_eq!(
                err.code(),
                Some(&GetFunctionAddressError::ResourceNotFoundFunction),
                "{status} {body}"
            );
            assert_eq!(err.request_id(), Some("r"), "{body}");
        }
    }
    // An `Error` that is not an error object does not count.
    let d = run(
        200,
        None,
        r#"{"Response": {"Url": 5, "Error": "x", "RequestId": "r"}}"#,
    );
    assert_eq!(decode_kind(&d), Some(DecodeErrorKind::UnexpectedShape));
}

#[test]
fn the_first_non_null_error_counts() {
    for body in [
        r#"{"Response": {"Error": {"Code": "ResourceNotFound.Function"}, "Error": null}}"#,
        r#"{"Response": {"Error": null, "Error": {"Code": "ResourceNotFound.Function"}}}"#,
        r#"{"Response": {"Error": {"Code": "ResourceNotFound.Function"}, "Error": {"Code": "InternalError"}}}"#,
    ] {
        let err = run(200, None, body).unwrap_err();
        assert_eq!(
            err.code(),
            Some(&GetFunctionAddressError::ResourceNotFoundFunction),
            "{body}"
        );
    }
}

#[test]
fn invalid_utf8_anywhere_is_refused() {
    let mut body = br#"{"Response": {"Skipped": ""#.to_vec();
    body.push(0xc3); // a lead byte without its continuation
    body.extend_from_slice(br#"", "Url": "u"}}"#);
    let d = decode::<GetFunctionAddressResponse, GetFunctionAddressError>(
        "GetFunctionAddress",
        200,
        None,
        None,
        &body,
    );
    assert_eq!(decode_kind(&d), Some(DecodeErrorKind::InvalidUtf8));
    let err = d.unwrap_err();
    assert!(
        err.to_string().contains("invalid UTF-8 at byte 26"),
        "{err}"
    );
    // Not a success: an HTTP error, as for any other body without a readable envelope.
    let d = decode::<GetFunctionAddressResponse, GetFunctionAddressError>(
        "GetFunctionAddress",
        502,
        None,
        None,
        &body,
    );
    assert!(matches!(d.unwrap_err().kind(), ErrorKind::Http(h) if h.status == 502));
}
