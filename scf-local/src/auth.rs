//! Independent verification of TC3-HMAC-SHA256 request signatures.
//!
//! This deliberately shares no code with the `scf-api` client: the point of scf-local is to check
//! the client's signing against a second, separately written implementation.

use hmac::{Hmac, KeyInit, Mac};
use hyper::HeaderMap;
use sha2::{Digest, Sha256};

use crate::error::{ApiError, codes};
use crate::state::utc_date;

/// The only signing algorithm API 3.0 defines for this scheme.
const ALGORITHM: &str = "TC3-HMAC-SHA256";
/// The fixed last element of the credential scope.
const TERMINATOR: &str = "tc3_request";

type HmacSha256 = Hmac<Sha256>;

/// What the server accepts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Expected<'a> {
    /// The only accepted SecretId.
    pub(crate) secret_id: &'a str,
    /// Its SecretKey.
    pub(crate) secret_key: &'a str,
    /// The service name of the credential scope, e.g. `scf`.
    pub(crate) service: &'a str,
}

/// The parts of a received request that the signature covers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Received<'a> {
    /// HTTP method, e.g. `POST`.
    pub(crate) method: &'a str,
    /// Request path, e.g. `/`.
    pub(crate) path: &'a str,
    /// Raw query string without `?` (empty for API 3.0 POST requests).
    pub(crate) query: &'a str,
    /// All request headers.
    pub(crate) headers: &'a HeaderMap,
    /// The already validated `X-TC-Timestamp`.
    pub(crate) timestamp: i64,
    /// Lowercase hex SHA-256 of the complete request body.
    pub(crate) payload_sha256_hex: &'a str,
}

/// The three fields of a parsed `Authorization` header.
#[derive(Debug, PartialEq, Eq)]
struct Authorization<'a> {
    secret_id: &'a str,
    date: &'a str,
    service: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

fn signature_failure(detail: impl std::fmt::Display) -> ApiError {
    ApiError::new(
        codes::SIGNATURE_FAILURE,
        format!(
            "The provided credentials could not be validated. Please check your signature is correct: {detail}"
        ),
    )
}

/// Parses `TC3-HMAC-SHA256 Credential=ID/DATE/SERVICE/tc3_request, SignedHeaders=a;b, Signature=hex`.
fn parse_authorization(value: &str) -> Result<Authorization<'_>, String> {
    let value = value.trim();
    let (algorithm, rest) = value
        .split_once(|c: char| c.is_ascii_whitespace())
        .ok_or_else(|| format!("the Authorization header must start with `{ALGORITHM} `"))?;
    if algorithm != ALGORITHM {
        return Err(format!(
            "unsupported signing algorithm `{algorithm}` (expected `{ALGORITHM}`)"
        ));
    }
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for field in rest.split(',') {
        let field = field.trim();
        let (key, val) = field
            .split_once('=')
            .ok_or_else(|| format!("malformed Authorization field `{field}`"))?;
        let slot = match key.trim() {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed_headers,
            "Signature" => &mut signature,
            other => return Err(format!("unknown Authorization field `{other}`")),
        };
        if slot.replace(val.trim()).is_some() {
            return Err(format!("duplicate Authorization field `{}`", key.trim()));
        }
    }
    let credential = credential.ok_or("the Authorization header has no `Credential`")?;
    let signed_headers = signed_headers.ok_or("the Authorization header has no `SignedHeaders`")?;
    let signature = signature.ok_or("the Authorization header has no `Signature`")?;
    let scope: Vec<&str> = credential.split('/').collect();
    let [secret_id, date, service, terminator] = scope[..] else {
        return Err(format!(
            "the Credential `{credential}` must have the form SecretId/YYYY-MM-DD/service/{TERMINATOR}"
        ));
    };
    if terminator != TERMINATOR {
        return Err(format!(
            "the credential scope must end in `{TERMINATOR}`, not `{terminator}`"
        ));
    }
    if secret_id.is_empty() {
        return Err("the Credential has an empty SecretId".to_owned());
    }
    Ok(Authorization {
        secret_id,
        date,
        service,
        signed_headers,
        signature,
    })
}

fn hmac(key: &[u8], data: &[u8]) -> Result<HmacSha256, ApiError> {
    let mut mac = HmacSha256::new_from_slice(key).map_err(|e| {
        ApiError::new(
            codes::INTERNAL_ERROR,
            format!("could not key HMAC-SHA256: {e}"),
        )
    })?;
    mac.update(data);
    Ok(mac)
}

/// The value of a signed header as it enters the canonical request: trimmed and lowercased, as
/// the signature documentation says for every signed header (so `x-tc-action:invoke`).
fn canonical_header_value(headers: &HeaderMap, name: &str) -> Result<String, ApiError> {
    let value = headers
        .get(name)
        .ok_or_else(|| signature_failure(format!("the signed header `{name}` is not present")))?;
    let value = std::str::from_utf8(value.as_bytes())
        .map_err(|_| signature_failure(format!("the signed header `{name}` is not valid UTF-8")))?;
    Ok(value.trim().to_ascii_lowercase())
}

/// Checks the `Authorization` header of a request.
///
/// Order: presence (`AuthFailure.InvalidAuthorization`), syntax (`AuthFailure.SignatureFailure`),
/// SecretId (`AuthFailure.SecretIdNotFound`), credential scope service and date
/// (`AuthFailure.SignatureFailure`), signed header list and finally the signature itself
/// (`AuthFailure.SignatureFailure`, compared in constant time).
pub(crate) fn verify(expected: &Expected<'_>, request: &Received<'_>) -> Result<(), ApiError> {
    let raw = match request.headers.get("authorization") {
        Some(v) if !v.as_bytes().iter().all(u8::is_ascii_whitespace) => v,
        _ => {
            return Err(ApiError::new(
                codes::INVALID_AUTHORIZATION,
                "The request has no Authorization header.",
            ));
        }
    };
    let raw = std::str::from_utf8(raw.as_bytes())
        .map_err(|_| signature_failure("the Authorization header is not valid UTF-8"))?;
    let auth = parse_authorization(raw).map_err(signature_failure)?;

    if auth.secret_id != expected.secret_id {
        return Err(ApiError::new(
            codes::SECRET_ID_NOT_FOUND,
            format!(
                "The SecretId `{}` is not found; this scf-local server accepts `{}`.",
                auth.secret_id, expected.secret_id
            ),
        ));
    }
    if auth.service != expected.service {
        return Err(signature_failure(format!(
            "the credential scope names service `{}`, expected `{}`",
            auth.service, expected.service
        )));
    }
    let date = utc_date(request.timestamp);
    if auth.date != date {
        return Err(signature_failure(format!(
            "the credential scope date `{}` is not the UTC date of X-TC-Timestamp {} ({date})",
            auth.date, request.timestamp
        )));
    }

    let names: Vec<String> = auth
        .signed_headers
        .split(';')
        .map(|n| n.trim().to_ascii_lowercase())
        .collect();
    if names.iter().any(String::is_empty) {
        return Err(signature_failure(format!(
            "SignedHeaders `{}` contains an empty header name",
            auth.signed_headers
        )));
    }
    for required in ["content-type", "host"] {
        if !names.iter().any(|n| n == required) {
            return Err(signature_failure(format!(
                "SignedHeaders `{}` must include `{required}`",
                auth.signed_headers
            )));
        }
    }
    let mut canonical_headers = String::new();
    for name in &names {
        let value = canonical_header_value(request.headers, name)?;
        canonical_headers.push_str(name);
        canonical_headers.push(':');
        canonical_headers.push_str(&value);
        canonical_headers.push('\n');
    }

    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        request.method,
        request.path,
        request.query,
        canonical_headers,
        auth.signed_headers,
        request.payload_sha256_hex
    );
    let scope = format!("{date}/{}/{TERMINATOR}", expected.service);
    let string_to_sign = format!(
        "{ALGORITHM}\n{}\n{scope}\n{}",
        request.timestamp,
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    );

    let k_date = hmac(
        format!("TC3{}", expected.secret_key).as_bytes(),
        date.as_bytes(),
    )?
    .finalize()
    .into_bytes();
    let k_service = hmac(&k_date, expected.service.as_bytes())?
        .finalize()
        .into_bytes();
    let k_signing = hmac(&k_service, TERMINATOR.as_bytes())?
        .finalize()
        .into_bytes();
    let mac = hmac(&k_signing, string_to_sign.as_bytes())?;

    let mismatch = || {
        signature_failure(format!(
            "the signature does not match. The server computed its signature over the string to sign {string_to_sign:?}, built from the canonical request {canonical_request:?}"
        ))
    };
    let given = hex::decode(auth.signature).map_err(|_| mismatch())?;
    // `verify_slice` compares in constant time (and rejects a wrong length).
    mac.verify_slice(&given).map_err(|_| mismatch())
}

/// Compares two byte strings in time that depends only on their lengths.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderValue;

    /// The worked example from the Tencent Cloud API 3.0 signature documentation (CVM
    /// `DescribeInstances`), which fixes the algorithm independently of any client.
    const DOC_BODY: &str =
        r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
    const DOC_SIGNATURE: &str = "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168";

    fn doc_headers(signature: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            "content-type",
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        h.insert("host", HeaderValue::from_static("cvm.tencentcloudapi.com"));
        let auth = format!(
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature={signature}"
        );
        h.insert("authorization", HeaderValue::from_str(&auth).unwrap());
        h
    }

    fn check(headers: &HeaderMap, timestamp: i64) -> Result<(), ApiError> {
        let hash = hex::encode(Sha256::digest(DOC_BODY.as_bytes()));
        verify(
            &Expected {
                secret_id: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
                secret_key: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
                service: "cvm",
            },
            &Received {
                method: "POST",
                path: "/",
                query: "",
                headers,
                timestamp,
                payload_sha256_hex: &hash,
            },
        )
    }

    #[test]
    fn documented_example_verifies() {
        check(&doc_headers(DOC_SIGNATURE), 1_551_113_065).unwrap();
    }

    #[test]
    fn altered_signature_or_timestamp_fails() {
        let mut bad = DOC_SIGNATURE.to_owned();
        bad.replace_range(0..1, "8");
        let err = check(&doc_headers(&bad), 1_551_113_065).unwrap_err();
        assert_eq!(err.code, codes::SIGNATURE_FAILURE);
        let err = check(&doc_headers(DOC_SIGNATURE), 1_551_113_066).unwrap_err();
        assert_eq!(err.code, codes::SIGNATURE_FAILURE);
        let err = check(&doc_headers("zz"), 1_551_113_065).unwrap_err();
        assert_eq!(err.code, codes::SIGNATURE_FAILURE);
    }

    #[test]
    fn missing_authorization_is_invalid_authorization() {
        let mut h = doc_headers(DOC_SIGNATURE);
        h.remove("authorization");
        assert_eq!(
            check(&h, 1_551_113_065).unwrap_err().code,
            codes::INVALID_AUTHORIZATION
        );
    }

    #[test]
    fn parses_authorization() {
        let a = parse_authorization(
            "TC3-HMAC-SHA256 Credential=ID/2024-01-02/scf/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=abcd",
        )
        .unwrap();
        assert_eq!(
            a,
            Authorization {
                secret_id: "ID",
                date: "2024-01-02",
                service: "scf",
                signed_headers: "content-type;host;x-tc-action",
                signature: "abcd",
            }
        );
        for bad in [
            "TC3-HMAC-SHA256",
            "HMAC Credential=ID/2024-01-02/scf/tc3_request, SignedHeaders=host, Signature=ab",
            "TC3-HMAC-SHA256 Credential=ID/2024-01-02/scf, SignedHeaders=host, Signature=ab",
            "TC3-HMAC-SHA256 Credential=ID/2024-01-02/scf/tc3, SignedHeaders=host, Signature=ab",
            "TC3-HMAC-SHA256 Credential=ID/2024-01-02/scf/tc3_request, Signature=ab",
            "TC3-HMAC-SHA256 Credential=ID/2024-01-02/scf/tc3_request, SignedHeaders=host, Signature=ab, Signature=cd",
            "TC3-HMAC-SHA256 Credential=ID/2024-01-02/scf/tc3_request, SignedHeaders=host, Other=1, Signature=ab",
            "TC3-HMAC-SHA256 Credential=/2024-01-02/scf/tc3_request, SignedHeaders=host, Signature=ab",
        ] {
            assert!(parse_authorization(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn constant_time_eq_works() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
