//! Test support shared by scf-local's end-to-end tests: requests signed with TC3-HMAC-SHA256
//! by hand (independent of scf-local's own signature code) and sent over a raw HTTP/1.1
//! connection.

#![allow(dead_code)] // Each test file uses its own subset.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, KeyInit, Mac};
use scf_local::{DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, Server};
use serde_json::Value;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

// ---------------------------------------------------------------------------------------------
// Signed requests over a raw HTTP/1.1 connection (independent of scf-local's internals).

pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

pub fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// `YYYY-MM-DD` (UTC) of a unix time in seconds.
pub fn utc_date(secs: i64) -> String {
    let mut days = secs.div_euclid(86_400);
    let mut year = 1970;
    loop {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let len = if leap { 366 } else { 365 };
        if days < len {
            let february = if leap { 29 } else { 28 };
            let months = [31, february, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
            let mut month = 0;
            while days >= months[month] {
                days -= months[month];
                month += 1;
            }
            return format!("{year:04}-{:02}-{:02}", month + 1, days + 1);
        }
        days -= len;
        year += 1;
    }
}

/// `YYYY-MM-DD HH:MM:SS` (UTC+8) of a unix time in seconds, the API's datetime format.
pub fn datetime(secs: i64) -> String {
    // The service writes times in China Standard Time (UTC+8).
    let secs = secs + 8 * 3600;
    let of_day = secs.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02}:{:02}",
        utc_date(secs),
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The bytes of a signed `POST /` for `action` with `body`.
pub fn signed_request(host: &str, action: &str, body: &[u8]) -> Vec<u8> {
    signed_request_with(host, action, body, DEFAULT_SECRET_KEY, None)
}

/// The bytes of a `POST /` for `action` with `body`, signed with `secret_key` (a key other
/// than the server's makes a wrong signature) and carrying `token` as `X-TC-Token` when given.
pub fn signed_request_with(
    host: &str,
    action: &str,
    body: &[u8],
    secret_key: &str,
    token: Option<&str>,
) -> Vec<u8> {
    let timestamp = now();
    let date = utc_date(timestamp);
    let content_type = "application/json; charset=utf-8";
    let canonical_request = format!(
        "POST\n/\n\ncontent-type:{content_type}\nhost:{host}\n\ncontent-type;host\n{}",
        sha256_hex(body)
    );
    let scope = format!("{date}/scf/tc3_request");
    let string_to_sign = format!(
        "TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    let k_date = hmac_sha256(format!("TC3{secret_key}").as_bytes(), date.as_bytes());
    let k_service = hmac_sha256(&k_date, b"scf");
    let k_signing = hmac_sha256(&k_service, b"tc3_request");
    let signature = hex::encode(hmac_sha256(&k_signing, string_to_sign.as_bytes()));
    let token = token.map_or_else(String::new, |t| format!("X-TC-Token: {t}\r\n"));
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\n\
         X-TC-Action: {action}\r\nX-TC-Version: 2018-04-16\r\nX-TC-Timestamp: {timestamp}\r\n\
         X-TC-Region: ap-guangzhou\r\n{token}Authorization: TC3-HMAC-SHA256 \
         Credential={DEFAULT_SECRET_ID}/{scope}, SignedHeaders=content-type;host, \
         Signature={signature}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let mut out = head.into_bytes();
    out.extend_from_slice(body);
    out
}

/// Sends `bytes` on a new connection and returns all the server wrote until it closed the
/// connection (at most 10 s).
pub async fn exchange(server: &Server, bytes: &[u8]) -> Vec<u8> {
    let exchange = async {
        let mut stream = TcpStream::connect(server.addr()).await?;
        stream.write_all(bytes).await?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await?;
        std::io::Result::Ok(raw)
    };
    tokio::time::timeout(Duration::from_secs(10), exchange)
        .await
        .expect("timed out")
        .expect("the server closed the connection (did a handler panic?)")
}

/// The `Response` object of a raw HTTP answer with status 200.
pub fn response_of(raw: &[u8]) -> Value {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("no end of headers");
    assert!(raw.starts_with(b"HTTP/1.1 200 "), "{raw:?}");
    let answer: Value = serde_json::from_slice(&raw[end + 4..]).unwrap();
    answer["Response"].clone()
}

/// Sends `action` with `body` and returns the `Response` object of the answer.
pub async fn call(server: &Server, action: &str, body: Value) -> Value {
    let host = server.addr().to_string();
    let bytes = signed_request(&host, action, &serde_json::to_vec(&body).unwrap());
    response_of(&exchange(server, &bytes).await)
}

/// Sends `action` and asserts that it succeeds; returns the `Response` object.
pub async fn ok(server: &Server, action: &str, body: Value) -> Value {
    let response = call(server, action, body).await;
    assert!(response.get("Error").is_none(), "{action}: {response}");
    response
}

/// Sends `action` and asserts that it fails with `code`; returns the message.
pub async fn fails(server: &Server, action: &str, body: Value, code: &str) -> String {
    let response = call(server, action, body).await;
    assert_eq!(
        response["Error"]["Code"], code,
        "{action} should fail with {code}: {response}"
    );
    let message = response["Error"]["Message"].as_str().unwrap().to_owned();
    assert!(!message.is_empty());
    message
}
