//! End-to-end tests of the scf-local server over real TCP, with a hand-written raw HTTP/1.1
//! client and an independent, hand-written TC3-HMAC-SHA256 signer.

use std::time::{Duration, Instant};

use scf_local::{
    ActionDef, Catalog, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, Fault, MemberDef, Outcome, Server,
    TypeDef, WireType,
};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

// ---------------------------------------------------------------------------------------------
// Signing primitives come from `support/` (deliberately independent of both scf-api and
// scf-local internals); this file adds a request builder whose every field can be tweaked.

mod support;
use support::{hmac_sha256, now, sha256_hex, utc_date};

/// A request to send; every field can be tweaked before sending.
#[derive(Clone)]
struct Req {
    method: String,
    path: String,
    action: Option<String>,
    version: Option<String>,
    timestamp: i64,
    timestamp_header: Option<String>,
    content_type: String,
    body: Vec<u8>,
    secret_id: String,
    secret_key: String,
    service: String,
    scope_date: Option<String>,
    signed_headers: Vec<&'static str>,
    token: Option<String>,
    authorization: Option<Option<String>>,
    extra_headers: Vec<(String, String)>,
}

impl Req {
    fn new(action: &str, body: Value) -> Req {
        Req {
            method: "POST".into(),
            path: "/".into(),
            action: Some(action.into()),
            version: Some("2018-04-16".into()),
            timestamp: now(),
            timestamp_header: None,
            content_type: "application/json; charset=utf-8".into(),
            body: serde_json::to_vec(&body).unwrap(),
            secret_id: DEFAULT_SECRET_ID.into(),
            secret_key: DEFAULT_SECRET_KEY.into(),
            service: "scf".into(),
            scope_date: None,
            signed_headers: vec!["content-type", "host"],
            token: None,
            authorization: None,
            extra_headers: Vec::new(),
        }
    }

    fn status() -> Req {
        Req::new(
            "GetRequestStatus",
            json!({"FunctionName": "function-demo", "FunctionRequestId": "abc"}),
        )
    }

    /// The request's bytes on the wire, signed unless `authorization` overrides it.
    fn to_bytes(&self, host: &str, close: bool) -> Vec<u8> {
        let mut headers: Vec<(String, String)> = vec![
            ("Host".into(), host.into()),
            ("Content-Type".into(), self.content_type.clone()),
        ];
        if let Some(a) = &self.action {
            headers.push(("X-TC-Action".into(), a.clone()));
        }
        if let Some(v) = &self.version {
            headers.push(("X-TC-Version".into(), v.clone()));
        }
        headers.push((
            "X-TC-Timestamp".into(),
            self.timestamp_header
                .clone()
                .unwrap_or_else(|| self.timestamp.to_string()),
        ));
        headers.push(("X-TC-Region".into(), "ap-guangzhou".into()));
        if let Some(t) = &self.token {
            headers.push(("X-TC-Token".into(), t.clone()));
        }
        headers.extend(self.extra_headers.iter().cloned());

        let authorization = match &self.authorization {
            Some(explicit) => explicit.clone(),
            None => {
                let date = self
                    .scope_date
                    .clone()
                    .unwrap_or_else(|| utc_date(self.timestamp));
                let mut canonical_headers = String::new();
                for name in &self.signed_headers {
                    let value = headers
                        .iter()
                        .find(|(n, _)| n.eq_ignore_ascii_case(name))
                        .map(|(_, v)| v.trim().to_string())
                        .unwrap_or_default();
                    // Values are lowercased, as documented (`x-tc-action:getrequeststatus`).
                    let value = value.to_lowercase();
                    canonical_headers.push_str(&format!("{name}:{value}\n"));
                }
                let signed = self.signed_headers.join(";");
                let canonical_request = format!(
                    "{}\n/\n\n{canonical_headers}\n{signed}\n{}",
                    self.method,
                    sha256_hex(&self.body)
                );
                let scope = format!("{date}/{}/tc3_request", self.service);
                let string_to_sign = format!(
                    "TC3-HMAC-SHA256\n{}\n{scope}\n{}",
                    self.timestamp,
                    sha256_hex(canonical_request.as_bytes())
                );
                let k_date = hmac_sha256(
                    format!("TC3{}", self.secret_key).as_bytes(),
                    date.as_bytes(),
                );
                let k_service = hmac_sha256(&k_date, self.service.as_bytes());
                let k_signing = hmac_sha256(&k_service, b"tc3_request");
                let signature = hex::encode(hmac_sha256(&k_signing, string_to_sign.as_bytes()));
                Some(format!(
                    "TC3-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed}, Signature={signature}",
                    self.secret_id
                ))
            }
        };
        if let Some(a) = authorization {
            headers.push(("Authorization".into(), a));
        }
        headers.push(("Content-Length".into(), self.body.len().to_string()));
        if close {
            headers.push(("Connection".into(), "close".into()));
        }

        let mut out = format!("{} {} HTTP/1.1\r\n", self.method, self.path).into_bytes();
        for (n, v) in headers {
            out.extend_from_slice(format!("{n}: {v}\r\n").as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&self.body);
        out
    }
}

// ---------------------------------------------------------------------------------------------
// Raw HTTP/1.1 client.

#[derive(Debug)]
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    /// `Response.Error.Code`, if the answer is an error envelope.
    fn error_code(&self) -> Option<String> {
        self.json()["Response"]["Error"]["Code"]
            .as_str()
            .map(str::to_owned)
    }

    fn error_message(&self) -> String {
        self.json()["Response"]["Error"]["Message"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

/// Parses one response from the front of `raw`; returns it and the rest.
fn parse_response(raw: &[u8]) -> (Resp, &[u8]) {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("no end of headers");
    let head = std::str::from_utf8(&raw[..end]).unwrap();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status: u16 = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .map(|l| {
            let (n, v) = l.split_once(':').unwrap();
            (n.trim().to_ascii_lowercase(), v.trim().to_owned())
        })
        .collect();
    let len: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .map(|(_, v)| v.parse().unwrap())
        .expect("no content-length");
    let rest = &raw[end + 4..];
    (
        Resp {
            status,
            headers,
            body: rest[..len].to_vec(),
        },
        &rest[len..],
    )
}

/// Sends raw bytes on a fresh connection and reads until the server closes it.
async fn exchange(server: &Server, bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut stream = TcpStream::connect(server.addr()).await?;
    stream.write_all(bytes).await?;
    let mut out = Vec::new();
    stream.read_to_end(&mut out).await?;
    Ok(out)
}

async fn send(server: &Server, req: &Req) -> Resp {
    let host = server.addr().to_string();
    let raw = tokio::time::timeout(
        Duration::from_secs(10),
        exchange(server, &req.to_bytes(&host, true)),
    )
    .await
    .expect("timed out")
    .unwrap();
    let (resp, rest) = parse_response(&raw);
    assert!(rest.is_empty());
    resp
}

async fn expect_error(server: &Server, req: &Req, code: &str) -> Resp {
    let resp = send(server, req).await;
    assert_eq!(resp.status, 200);
    assert_eq!(
        resp.error_code().as_deref(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&resp.body)
    );
    resp
}

fn assert_request_id_shape(id: &str) {
    let parts: Vec<&str> = id.split('-').collect();
    assert_eq!(
        parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
        [8, 4, 4, 4, 12],
        "{id}"
    );
    assert!(
        id.chars().all(|c| c == '-' || c.is_ascii_hexdigit()),
        "{id}"
    );
}

// ---------------------------------------------------------------------------------------------
// A catalog with nested types, for validation tests.

static TEST_TYPES: &[TypeDef] = &[
    TypeDef {
        name: "Filter",
        members: &[
            MemberDef {
                name: "Name",
                ty: WireType::String,
                list: false,
                required: true,
            },
            MemberDef {
                name: "Values",
                ty: WireType::String,
                list: true,
                required: false,
            },
        ],
    },
    TypeDef {
        name: "Limits",
        members: &[
            MemberDef {
                name: "Memory",
                ty: WireType::Unsigned,
                list: false,
                required: false,
            },
            MemberDef {
                name: "Timeout",
                ty: WireType::Integer,
                list: false,
                required: false,
            },
        ],
    },
];

static TEST_ACTIONS: &[ActionDef] = &[
    ActionDef {
        name: "CreateThing",
        input: &[
            MemberDef {
                name: "Name",
                ty: WireType::String,
                list: false,
                required: true,
            },
            MemberDef {
                name: "Enabled",
                ty: WireType::Boolean,
                list: false,
                required: false,
            },
            MemberDef {
                name: "Filters",
                ty: WireType::Object("Filter"),
                list: true,
                required: false,
            },
            MemberDef {
                name: "Limits",
                ty: WireType::Object("Limits"),
                list: false,
                required: false,
            },
            MemberDef {
                name: "Weight",
                ty: WireType::Float,
                list: false,
                required: false,
            },
            MemberDef {
                name: "At",
                ty: WireType::Datetime,
                list: false,
                required: false,
            },
        ],
        example_output: None,
        rate_limit: None,
        errors: &[],
    },
    ActionDef {
        name: "DescribeThing",
        input: &[],
        example_output: Some(r#"{"Thing":{"Name":"x"}}"#),
        rate_limit: None,
        errors: &[],
    },
];

static TEST_CATALOG: Catalog = Catalog {
    service: "scf",
    version: "2018-04-16",
    actions: TEST_ACTIONS,
    types: TEST_TYPES,
    common_errors: &[],
};

// ---------------------------------------------------------------------------------------------
// Tests.

#[tokio::test]
async fn signed_get_request_status_gets_example_answer() {
    let server = Server::builder().examples_only().start().await.unwrap();
    assert_eq!(
        server.url(),
        format!("http://127.0.0.1:{}", server.addr().port())
    );
    assert_eq!(server.secret_id(), DEFAULT_SECRET_ID);
    assert_eq!(server.secret_key(), DEFAULT_SECRET_KEY);

    let resp = send(&server, &Req::status()).await;
    assert_eq!(resp.status, 200);
    assert_eq!(resp.header("content-type"), Some("application/json"));
    let body = resp.json();
    let response = &body["Response"];
    assert!(response.get("Error").is_none(), "{body}");
    assert_eq!(response["TotalCount"], 1);
    assert_eq!(response["Data"][0]["FunctionName"], "function-demo");
    let id = response["RequestId"].as_str().unwrap();
    assert_request_id_shape(id);
    assert_eq!(resp.header("x-tc-requestid"), Some(id));

    // A fresh RequestId every time; `application/json` without charset works too.
    let mut req = Req::status();
    req.content_type = "application/json".into();
    let again = send(&server, &req).await;
    assert!(again.error_code().is_none());
    assert_ne!(again.json()["Response"]["RequestId"].as_str().unwrap(), id);
}

#[tokio::test]
async fn action_without_example_answers_request_id_only() {
    let server = Server::builder()
        .examples_only()
        .catalog(&TEST_CATALOG)
        .start()
        .await
        .unwrap();
    let resp = send(&server, &Req::new("CreateThing", json!({"Name": "a"}))).await;
    let response = resp.json()["Response"].clone();
    assert_eq!(response.as_object().unwrap().len(), 1, "{response}");
    assert_request_id_shape(response["RequestId"].as_str().unwrap());

    let resp = send(&server, &Req::new("DescribeThing", json!({}))).await;
    assert_eq!(resp.json()["Response"]["Thing"]["Name"], "x");
}

#[tokio::test]
async fn keep_alive_connection_serves_several_requests() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let host = server.addr().to_string();
    let mut bytes = Req::status().to_bytes(&host, false);
    bytes.extend(Req::new("NoSuchAction", json!({})).to_bytes(&host, true));
    let raw = exchange(&server, &bytes).await.unwrap();
    let (first, rest) = parse_response(&raw);
    let (second, rest) = parse_response(rest);
    assert!(rest.is_empty());
    assert!(first.error_code().is_none());
    assert_eq!(second.error_code().as_deref(), Some("InvalidAction"));
}

#[tokio::test]
async fn wrong_secret_key_is_signature_failure() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let mut req = Req::status();
    req.secret_key = "not-the-key".into();
    expect_error(&server, &req, "AuthFailure.SignatureFailure").await;

    // Tampering with the body after signing is caught too.
    let mut req = Req::status();
    let host = server.addr().to_string();
    let mut bytes = req.to_bytes(&host, true);
    let at = bytes.len() - 3;
    bytes[at] = b'X';
    let (resp, _) = parse_response(&exchange(&server, &bytes).await.unwrap());
    assert_eq!(
        resp.error_code().as_deref(),
        Some("AuthFailure.SignatureFailure")
    );

    // Malformed Authorization headers.
    for bad in [
        "TC3-HMAC-SHA256",
        "Basic abc",
        "TC3-HMAC-SHA256 Credential=x",
    ] {
        req.authorization = Some(Some(bad.into()));
        expect_error(&server, &req, "AuthFailure.SignatureFailure").await;
    }
}

#[tokio::test]
async fn wrong_scope_is_signature_failure() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let mut req = Req::status();
    req.service = "cvm".into();
    let resp = expect_error(&server, &req, "AuthFailure.SignatureFailure").await;
    assert!(resp.error_message().contains("cvm"));

    let mut req = Req::status();
    req.scope_date = Some(utc_date(req.timestamp - 86_400));
    expect_error(&server, &req, "AuthFailure.SignatureFailure").await;

    let mut req = Req::status();
    req.signed_headers = vec!["content-type"];
    expect_error(&server, &req, "AuthFailure.SignatureFailure").await;
}

#[tokio::test]
async fn extra_signed_headers_are_supported() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let mut req = Req::status();
    req.signed_headers = vec!["content-type", "host", "x-tc-action"];
    let resp = send(&server, &req).await;
    assert!(
        resp.error_code().is_none(),
        "{}",
        String::from_utf8_lossy(&resp.body)
    );

    // A signed header that is not sent cannot be verified.
    req.signed_headers = vec!["content-type", "host", "x-tc-missing"];
    expect_error(&server, &req, "AuthFailure.SignatureFailure").await;
}

#[tokio::test]
async fn unknown_secret_id_is_secret_id_not_found() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let mut req = Req::status();
    req.secret_id = "AKIDsomeoneelse".into();
    expect_error(&server, &req, "AuthFailure.SecretIdNotFound").await;

    let custom = Server::builder()
        .examples_only()
        .secret_id("AKIDcustom")
        .secret_key("custom-key")
        .start()
        .await
        .unwrap();
    expect_error(&custom, &Req::status(), "AuthFailure.SecretIdNotFound").await;
    let mut req = Req::status();
    req.secret_id = "AKIDcustom".into();
    req.secret_key = "custom-key".into();
    assert!(send(&custom, &req).await.error_code().is_none());
}

#[tokio::test]
async fn missing_authorization_is_invalid_authorization() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let mut req = Req::status();
    req.authorization = Some(None);
    expect_error(&server, &req, "AuthFailure.InvalidAuthorization").await;
}

#[tokio::test]
async fn timestamp_ten_minutes_off_is_signature_expire_unless_clock_offset() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let mut ahead = Req::status();
    ahead.timestamp += 600;
    expect_error(&server, &ahead, "AuthFailure.SignatureExpire").await;
    let mut behind = Req::status();
    behind.timestamp -= 600;
    expect_error(&server, &behind, "AuthFailure.SignatureExpire").await;
    let mut near = Req::status();
    near.timestamp -= 200;
    assert!(send(&server, &near).await.error_code().is_none());

    let shifted = Server::builder()
        .examples_only()
        .clock_offset_secs(600)
        .start()
        .await
        .unwrap();
    assert!(send(&shifted, &ahead).await.error_code().is_none());
    expect_error(&shifted, &Req::status(), "AuthFailure.SignatureExpire").await;
}

#[tokio::test]
async fn token_mismatch_is_token_failure() {
    let server = Server::builder()
        .examples_only()
        .token(Some("session-token".into()))
        .start()
        .await
        .unwrap();
    assert_eq!(server.token(), Some("session-token"));
    let mut req = Req::status();
    expect_error(&server, &req, "AuthFailure.TokenFailure").await;
    req.token = Some("other-token".into());
    expect_error(&server, &req, "AuthFailure.TokenFailure").await;
    req.token = Some("session-token".into());
    assert!(send(&server, &req).await.error_code().is_none());

    // A server without a token rejects any token.
    let plain = Server::builder().examples_only().start().await.unwrap();
    expect_error(&plain, &req, "AuthFailure.TokenFailure").await;
}

#[tokio::test]
async fn version_and_timestamp_headers_are_checked() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let mut req = Req::status();
    req.version = Some("2017-03-12".into());
    let resp = expect_error(&server, &req, "NoSuchVersion").await;
    assert!(resp.error_message().contains("2017-03-12"));
    req.version = Some("latest".into());
    expect_error(&server, &req, "InvalidParameter").await;
    req.version = None;
    expect_error(&server, &req, "InvalidParameter").await;

    let mut req = Req::status();
    req.timestamp_header = Some("yesterday".into());
    expect_error(&server, &req, "InvalidParameter").await;
}

#[tokio::test]
async fn unknown_or_missing_action_is_invalid_action() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let resp = expect_error(
        &server,
        &Req::new("DeleteEverything", json!({})),
        "InvalidAction",
    )
    .await;
    assert!(resp.error_message().contains("DeleteEverything"));
    let mut req = Req::status();
    req.action = None;
    expect_error(&server, &req, "InvalidAction").await;
}

#[tokio::test]
async fn method_and_path_are_checked() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let mut req = Req::status();
    req.method = "PUT".into();
    expect_error(&server, &req, "UnsupportedOperation").await;

    let mut req = Req::status();
    req.path = "/v2/functions".into();
    let resp = send(&server, &req).await;
    assert_eq!(resp.status, 404);
    assert!(
        resp.header("content-type")
            .unwrap()
            .starts_with("text/plain")
    );
}

#[tokio::test]
async fn missing_required_member_is_missing_parameter() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let req = Req::new("GetRequestStatus", json!({"FunctionRequestId": "abc"}));
    let resp = expect_error(&server, &req, "MissingParameter").await;
    assert_eq!(
        resp.error_message(),
        "The parameter `FunctionName` is missing."
    );

    let nested = Server::builder()
        .examples_only()
        .catalog(&TEST_CATALOG)
        .start()
        .await
        .unwrap();
    let req = Req::new(
        "CreateThing",
        json!({"Name": "a", "Filters": [{"Values": ["v"]}]}),
    );
    let resp = expect_error(&nested, &req, "MissingParameter").await;
    assert!(resp.error_message().contains("`Filters.0.Name`"));
}

#[tokio::test]
async fn unknown_member_is_unknown_parameter() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let req = Req::new(
        "GetRequestStatus",
        json!({"FunctionName": "f", "FunctionRequestId": "abc", "Colour": "red"}),
    );
    let resp = expect_error(&server, &req, "UnknownParameter").await;
    assert!(resp.error_message().contains("`Colour`"));

    let nested = Server::builder()
        .examples_only()
        .catalog(&TEST_CATALOG)
        .start()
        .await
        .unwrap();
    let req = Req::new("CreateThing", json!({"Name": "a", "Limits": {"Cpu": 1}}));
    let resp = expect_error(&nested, &req, "UnknownParameter").await;
    assert!(resp.error_message().contains("`Limits.Cpu`"));
}

#[tokio::test]
async fn wrong_type_is_invalid_parameter_value() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let req = Req::new(
        "GetRequestStatus",
        json!({"FunctionName": 42, "FunctionRequestId": "abc"}),
    );
    let resp = expect_error(&server, &req, "InvalidParameterValue").await;
    let message = resp.error_message();
    assert!(
        message.contains("`FunctionName`") && message.contains("String"),
        "{message}"
    );

    let nested = Server::builder()
        .examples_only()
        .catalog(&TEST_CATALOG)
        .start()
        .await
        .unwrap();
    for (body, name) in [
        (json!({"Name": "a", "Enabled": "yes"}), "`Enabled`"),
        (json!({"Name": "a", "Filters": {"Name": "x"}}), "`Filters`"),
        (
            json!({"Name": "a", "Filters": [{"Name": "x", "Values": "v"}]}),
            "`Filters.0.Values`",
        ),
        (
            json!({"Name": "a", "Limits": {"Memory": -128}}),
            "`Limits.Memory`",
        ),
        (
            json!({"Name": "a", "Limits": {"Timeout": 1.5}}),
            "`Limits.Timeout`",
        ),
        (json!({"Name": "a", "Weight": "heavy"}), "`Weight`"),
        (json!({"Name": "a", "At": 0}), "`At`"),
        (json!({"Name": null}), "`Name`"),
    ] {
        let resp = expect_error(
            &nested,
            &Req::new("CreateThing", body),
            "InvalidParameterValue",
        )
        .await;
        assert!(
            resp.error_message().contains(name),
            "{}",
            resp.error_message()
        );
    }
    let ok = json!({
        "Name": "a", "Enabled": true, "Filters": [{"Name": "x", "Values": ["1", "2"]}],
        "Limits": {"Memory": 128, "Timeout": -1}, "Weight": 0.5, "At": "2024-01-01 00:00:00"
    });
    assert!(
        send(&nested, &Req::new("CreateThing", ok))
            .await
            .error_code()
            .is_none()
    );
}

#[tokio::test]
async fn body_that_is_not_a_json_object_is_invalid_parameter() {
    let server = Server::builder().examples_only().start().await.unwrap();
    for body in [&b"[1, 2]"[..], b"not json", b""] {
        let mut req = Req::status();
        req.body = body.to_vec();
        expect_error(&server, &req, "InvalidParameter").await;
    }
}

#[tokio::test]
async fn oversized_body_is_request_size_limit_exceeded() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let mut req = Req::status();
    let limit = scf_local::BODY_LIMIT;
    assert_eq!(limit, 10 * 1024 * 1024);
    // A syntactically fine JSON object one byte over the limit.
    let mut body = br#"{"FunctionName":""#.to_vec();
    body.resize(limit - 2, b'a');
    body.extend_from_slice(br#""}"#);
    body.push(b' ');
    assert_eq!(body.len(), limit + 1);
    let sha256 = sha256_hex(&body);
    req.body = body;
    expect_error(&server, &req, "RequestSizeLimitExceeded").await;
    let recorded = server.requests();
    assert_eq!(recorded[0].body_len, limit as u64 + 1);
    // The log keeps a prefix of the body and the hash of all of it.
    let kept = scf_local::RequestLogLimits::DEFAULT_MAX_BODY_BYTES;
    assert_eq!(recorded[0].body, req.body[..kept]);
    assert_eq!(recorded[0].body_sha256.as_deref(), Some(sha256.as_str()));
    assert!(recorded[0].body_truncated());
    assert_eq!(recorded[0].json(), None);
}

#[tokio::test]
async fn fault_service_error_replaces_answer() {
    let server = Server::builder().examples_only().start().await.unwrap();
    server.push_fault(Fault::service_error("RequestLimitExceeded", "slow down"));
    let resp = expect_error(&server, &Req::status(), "RequestLimitExceeded").await;
    assert_eq!(resp.error_message(), "slow down");
    assert_request_id_shape(resp.json()["Response"]["RequestId"].as_str().unwrap());
    // Consumed: the next request is normal.
    assert!(send(&server, &Req::status()).await.error_code().is_none());
}

#[tokio::test]
async fn fault_raw_sends_exact_response() {
    let server = Server::builder().examples_only().start().await.unwrap();
    server.push_fault(Fault::raw(502, "text/html", "<html>Bad Gateway</html>"));
    server.push_fault(Fault::Raw {
        status: 200,
        content_type: "application/json".into(),
        body: br#"{"Response": {"Req"#.to_vec(),
    });
    let resp = send(&server, &Req::status()).await;
    assert_eq!(resp.status, 502);
    assert_eq!(resp.header("content-type"), Some("text/html"));
    assert_eq!(resp.body, b"<html>Bad Gateway</html>");
    let resp = send(&server, &Req::status()).await;
    assert_eq!(resp.status, 200);
    assert_eq!(resp.body, br#"{"Response": {"Req"#);
}

#[tokio::test]
async fn fault_drop_connection_closes_without_response() {
    let server = Server::builder().examples_only().start().await.unwrap();
    server.push_fault(Fault::DropConnection);
    let host = server.addr().to_string();
    // Keep-alive request: the server would otherwise keep the connection open.
    let bytes = Req::status().to_bytes(&host, false);
    let raw = tokio::time::timeout(Duration::from_secs(5), exchange(&server, &bytes))
        .await
        .expect("connection was not closed")
        .unwrap();
    assert!(raw.is_empty(), "{}", String::from_utf8_lossy(&raw));
    assert_eq!(server.requests()[0].outcome, Outcome::Dropped);
    // The server keeps serving.
    assert!(send(&server, &Req::status()).await.error_code().is_none());
}

#[tokio::test]
async fn fault_delay_then_normal_answer() {
    let server = Server::builder().examples_only().start().await.unwrap();
    server.push_fault(Fault::Delay(Duration::from_millis(300)));
    let started = Instant::now();
    let resp = send(&server, &Req::status()).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert!(resp.error_code().is_none());
    assert_eq!(resp.json()["Response"]["TotalCount"], 1);

    // A delayed request is still validated.
    server.push_fault(Fault::Delay(Duration::from_millis(50)));
    expect_error(
        &server,
        &Req::new("GetRequestStatus", json!({})),
        "MissingParameter",
    )
    .await;
}

#[tokio::test]
async fn faults_are_fifo_and_skip_unauthenticated_requests() {
    let server = Server::builder().examples_only().start().await.unwrap();
    server.push_fault(Fault::service_error("First", "1"));
    server.push_fault(Fault::service_error("Second", "2"));
    let mut bad = Req::status();
    bad.secret_key = "wrong".into();
    expect_error(&server, &bad, "AuthFailure.SignatureFailure").await;
    expect_error(&server, &Req::status(), "First").await;
    expect_error(
        &server,
        &Req::new("NoSuchAction", json!({})),
        "InvalidAction",
    )
    .await;
    // Faults come before body validation.
    expect_error(&server, &Req::new("GetRequestStatus", json!({})), "Second").await;
    assert!(send(&server, &Req::status()).await.error_code().is_none());
}

#[tokio::test]
async fn requests_are_recorded_in_order() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let good = Req::status();
    let resp = send(&server, &good).await;
    let mut bad = Req::status();
    bad.secret_id = "AKIDnobody".into();
    send(&server, &bad).await;
    let mut path = Req::status();
    path.path = "/nowhere".into();
    send(&server, &path).await;

    let recorded = server.requests();
    assert_eq!(recorded.len(), 3);
    let first = &recorded[0];
    assert_eq!(first.method, "POST");
    assert_eq!(first.path, "/");
    assert_eq!(first.action.as_deref(), Some("GetRequestStatus"));
    assert_eq!(first.outcome, Outcome::Ok);
    assert_eq!(first.body, good.body);
    assert_eq!(first.body_len, good.body.len() as u64);
    assert_eq!(first.json().unwrap()["FunctionRequestId"], "abc");
    assert_eq!(
        first.request_id.as_deref(),
        resp.json()["Response"]["RequestId"].as_str()
    );
    assert!(
        first
            .headers
            .iter()
            .all(|(n, _)| *n == n.to_ascii_lowercase())
    );
    assert_eq!(first.header("X-TC-Version"), Some("2018-04-16"));
    assert!(
        first
            .header("authorization")
            .unwrap()
            .starts_with("TC3-HMAC-SHA256 ")
    );

    assert_eq!(
        recorded[1].outcome,
        Outcome::Error {
            code: "AuthFailure.SecretIdNotFound".into()
        }
    );
    assert_eq!(
        recorded[1].outcome.error_code(),
        Some("AuthFailure.SecretIdNotFound")
    );
    assert_eq!(recorded[2].outcome, Outcome::Raw { status: 404 });
    assert_eq!(recorded[2].path, "/nowhere");
    assert_eq!(recorded[2].request_id, None);

    server.clear_requests();
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn dropping_the_server_stops_it() {
    let server = Server::builder().examples_only().start().await.unwrap();
    let addr = server.addr();
    drop(server);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(TcpStream::connect(addr).await.is_err());

    let server = Server::builder().examples_only().start().await.unwrap();
    let addr = server.addr();
    server.shutdown().await;
    assert!(TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn invalid_secret_id_is_rejected_by_builder() {
    for id in ["", "a/b", "a b"] {
        let err = Server::builder()
            .examples_only()
            .secret_id(id)
            .start()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    }
}
