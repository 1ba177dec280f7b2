//! A fake STS (version 2018-08-13) on 127.0.0.1 for the role providers' tests: it answers
//! `AssumeRole` only when the TC3 signature checks out with the source's secret key (service
//! `sts`) and the source's token arrives in `X-TC-Token`, answers `AssumeRoleWithWebIdentity`
//! only when it is unsigned (`Authorization: SKIP`, no token), and hands out credentials that
//! expire after a set lifetime. Every request is recorded with what the fake made of it.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use scf_api::Credentials;
use scf_api::signer::{SigningInput, authorization};
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::raw::{Received, read_request};

/// The STS API version every request must name.
pub const STS_VERSION: &str = "2018-08-13";

/// How far `X-TC-Timestamp` may be from the fake's clock, as the real service allows.
const MAX_CLOCK_SKEW_SECS: u64 = 300;

/// What the fake hands out.
#[derive(Debug, Clone)]
enum Issue {
    /// Numbered credentials: `AKID<label>0001`, `<label>-key-1`, `<label>-token-1`, then 2...
    Numbered(String),
    /// The same credentials (with their token) every time.
    Fixed(Credentials),
}

/// Settings of a [`FakeSts`].
#[derive(Debug, Clone)]
pub struct FakeStsBuilder {
    source: Option<Credentials>,
    issue: Issue,
    lifetime: Duration,
}

/// One request the fake received, and what it answered.
#[derive(Debug, Clone)]
pub struct StsCall {
    /// The request as received.
    pub received: Received,
    /// The body parsed as JSON (`Null` when it is not JSON).
    pub body: Value,
    /// The error code answered, or `None` when credentials were handed out.
    pub rejected: Option<String>,
    /// The credentials handed out (with their expiry), when the request was accepted.
    pub issued: Option<Credentials>,
    /// The `ExpiredTime` sent with them, in Unix seconds.
    pub expired_time: Option<u64>,
}

impl StsCall {
    /// The `X-TC-Action` header.
    pub fn action(&self) -> Option<&str> {
        self.received.header("x-tc-action")
    }

    /// The `X-TC-Region` header.
    pub fn region(&self) -> Option<&str> {
        self.received.header("x-tc-region")
    }

    /// The string member `name` of the JSON body.
    pub fn member(&self, name: &str) -> Option<&str> {
        self.body.get(name).and_then(Value::as_str)
    }
}

/// A running fake STS; stops when dropped.
pub struct FakeSts {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

struct Shared {
    settings: FakeStsBuilder,
    calls: Mutex<Vec<StsCall>>,
}

impl FakeSts {
    /// Settings: no source credentials (every `AssumeRole` is refused), numbered credentials
    /// labelled `sts`, lasting an hour.
    pub fn builder() -> FakeStsBuilder {
        FakeStsBuilder {
            source: None,
            issue: Issue::Numbered("sts".to_owned()),
            lifetime: Duration::from_secs(3600),
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far, in order.
    pub fn calls(&self) -> Vec<StsCall> {
        self.shared
            .calls
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Drop for FakeSts {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeStsBuilder {
    /// The credentials `AssumeRole` requests must be signed with (and whose token, if any,
    /// must arrive in `X-TC-Token`).
    pub fn source(mut self, source: Credentials) -> Self {
        self.source = Some(source);
        self
    }

    /// Hands out numbered credentials whose secret id starts with `AKID<label>`.
    pub fn label(mut self, label: &str) -> Self {
        self.issue = Issue::Numbered(label.to_owned());
        self
    }

    /// Hands out these credentials (their token included) on every call.
    pub fn issue(mut self, credentials: Credentials) -> Self {
        self.issue = Issue::Fixed(credentials);
        self
    }

    /// How long the credentials handed out last: `ExpiredTime` is the first whole second at
    /// least this long after the answer.
    pub fn lifetime(mut self, lifetime: Duration) -> Self {
        self.lifetime = lifetime;
        self
    }

    /// Starts the fake on a free port of 127.0.0.1.
    pub async fn start(self) -> FakeSts {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let shared = Arc::new(Shared {
            settings: self,
            calls: Mutex::new(Vec::new()),
        });
        let state = shared.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, state.clone()));
            }
        });
        FakeSts { addr, shared, task }
    }
}

async fn serve(mut stream: TcpStream, shared: Arc<Shared>) {
    let mut buf = Vec::new();
    while let Some(received) = read_request(&mut stream, &mut buf).await {
        let body: Value = serde_json::from_slice(&received.body).unwrap_or(Value::Null);
        let mut call = StsCall {
            received,
            body,
            rejected: None,
            issued: None,
            expired_time: None,
        };
        let answer = {
            let mut calls = shared.calls.lock().unwrap_or_else(PoisonError::into_inner);
            let answer = match check(&call, &shared.settings) {
                Err((code, message)) => {
                    call.rejected = Some(code.to_owned());
                    error_answer(code, &message, calls.len())
                }
                Ok(()) => {
                    let number = 1 + calls.iter().filter(|c| c.issued.is_some()).count();
                    let (credentials, expired_time) = issue(&shared.settings, number);
                    let answer = credentials_answer(&credentials, expired_time, calls.len());
                    call.issued = Some(credentials);
                    call.expired_time = Some(expired_time);
                    answer
                }
            };
            calls.push(call);
            answer
        };
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            answer.len()
        );
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(answer.as_bytes());
        if stream.write_all(&bytes).await.is_err() {
            return;
        }
    }
}

/// Checks a request as STS would; `Err((code, message))` when it must be refused.
fn check(call: &StsCall, settings: &FakeStsBuilder) -> Result<(), (&'static str, String)> {
    let request = &call.received;
    if request.request_line != "POST / HTTP/1.1" {
        return Err((
            "InvalidRequest",
            format!("unexpected request line `{}`", request.request_line),
        ));
    }
    if request.header("x-tc-version") != Some(STS_VERSION) {
        return Err((
            "NoSuchVersion",
            format!("X-TC-Version is {:?}", request.header("x-tc-version")),
        ));
    }
    if request.header("x-tc-region").is_none_or(str::is_empty) {
        return Err(("MissingParameter", "X-TC-Region is missing".to_owned()));
    }
    if !call.body.is_object() {
        return Err((
            "InvalidParameter",
            "the body is not a JSON object".to_owned(),
        ));
    }
    let required: &[&str] = match call.action() {
        Some("AssumeRole") => {
            check_signature(request, settings.source.as_ref())?;
            &["RoleArn", "RoleSessionName"]
        }
        Some("AssumeRoleWithWebIdentity") => {
            if request.header("authorization") != Some("SKIP") {
                return Err((
                    "AuthFailure.InvalidAuthorization",
                    "AssumeRoleWithWebIdentity must be sent unsigned".to_owned(),
                ));
            }
            if request.header("x-tc-token").is_some() {
                return Err((
                    "AuthFailure.InvalidAuthorization",
                    "AssumeRoleWithWebIdentity carries no X-TC-Token".to_owned(),
                ));
            }
            &[
                "ProviderId",
                "WebIdentityToken",
                "RoleArn",
                "RoleSessionName",
            ]
        }
        other => return Err(("InvalidAction", format!("unknown action {other:?}"))),
    };
    for name in required {
        if call.member(name).is_none_or(str::is_empty) {
            return Err(("MissingParameter", format!("{name} is missing")));
        }
    }
    Ok(())
}

/// Recomputes the `Authorization` of `request` with the source's secret key and compares.
fn check_signature(
    request: &Received,
    source: Option<&Credentials>,
) -> Result<(), (&'static str, String)> {
    let Some(source) = source else {
        return Err((
            "AuthFailure.SecretIdNotFound",
            "no source credentials are configured".to_owned(),
        ));
    };
    let got = request.header("authorization").unwrap_or_default();
    let prefix = format!("TC3-HMAC-SHA256 Credential={}/", source.secret_id());
    if !got.starts_with(&prefix) {
        return Err((
            "AuthFailure.SecretIdNotFound",
            "the request is not signed by the source's secret id".to_owned(),
        ));
    }
    let timestamp: u64 = request
        .header("x-tc-timestamp")
        .and_then(|t| t.parse().ok())
        .ok_or((
            "AuthFailure.SignatureFailure",
            "bad X-TC-Timestamp".to_owned(),
        ))?;
    if timestamp.abs_diff(crate::now_unix()) > MAX_CLOCK_SKEW_SECS {
        return Err((
            "AuthFailure.SignatureExpire",
            "X-TC-Timestamp is too far from now".to_owned(),
        ));
    }
    let input = SigningInput {
        method: "POST",
        host: request.header("host").unwrap_or_default(),
        path: "/",
        query: "",
        content_type: request.header("content-type").unwrap_or_default(),
        payload: &request.body,
        service: "sts",
        timestamp,
        secret_id: source.secret_id(),
    };
    if got != authorization(&input, source.secret_key()) {
        return Err((
            "AuthFailure.SignatureFailure",
            "the signature does not match".to_owned(),
        ));
    }
    if request.header("x-tc-token") != source.token() {
        return Err((
            "AuthFailure.TokenFailure",
            "X-TC-Token is not the source's token".to_owned(),
        ));
    }
    Ok(())
}

/// The credentials of answer `number` (from 1) and their `ExpiredTime`.
fn issue(settings: &FakeStsBuilder, number: usize) -> (Credentials, u64) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970");
    let expired_time = (now + settings.lifetime).as_secs_f64().ceil() as u64;
    let credentials = match &settings.issue {
        Issue::Fixed(credentials) => credentials.clone(),
        Issue::Numbered(label) => Credentials::new(
            format!("AKID{label}{number:04}"),
            format!("{label}-key-{number}"),
        )
        .with_token(format!("{label}-token-{number}")),
    };
    let expiry = UNIX_EPOCH + Duration::from_secs(expired_time);
    (credentials.with_expiry(expiry), expired_time)
}

/// A success envelope handing out `credentials`.
fn credentials_answer(credentials: &Credentials, expired_time: u64, seq: usize) -> String {
    json!({
        "Response": {
            "Credentials": {
                "TmpSecretId": credentials.secret_id(),
                "TmpSecretKey": credentials.secret_key(),
                "Token": credentials.token().unwrap_or_default(),
            },
            "ExpiredTime": expired_time,
            "Expiration": iso8601(expired_time),
            "RequestId": format!("fake-sts-{seq}"),
        }
    })
    .to_string()
}

/// An error envelope.
fn error_answer(code: &str, message: &str, seq: usize) -> String {
    json!({
        "Response": {
            "Error": { "Code": code, "Message": message },
            "RequestId": format!("fake-sts-{seq}"),
        }
    })
    .to_string()
}

/// `YYYY-MM-DDTHH:MM:SSZ` of a Unix timestamp.
fn iso8601(timestamp: u64) -> String {
    let secs = timestamp % 86_400;
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        crate::utc_date(timestamp),
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}
