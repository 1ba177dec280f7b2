//! One attempt of a call: sign with a fresh timestamp, send, read the answer within the size
//! limit, and decode it.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use reqwest::header::{
    AUTHORIZATION, CONTENT_TYPE as CONTENT_TYPE_NAME, DATE, HOST, HeaderName, HeaderValue,
};

use super::Client;
use crate::action::Action;
use crate::config::Base;
use crate::credentials::Credentials;
use crate::error::{DecodeError, DecodeErrorKind, Error, ErrorKind};
use crate::response::{SNIPPET_BYTES, decode};
use crate::signer::SigningInput;
use crate::transport::{BodyError, read_limited, redirected, transport_kind};

/// The content type of every request; signed exactly as sent.
const CONTENT_TYPE: &str = "application/json";
/// The `Authorization` value of an unsigned request.
const UNSIGNED: &str = "SKIP";

// Header names, lowercase so that they are used as they are, without parsing or copying.
const X_TC_ACTION: HeaderName = HeaderName::from_static("x-tc-action");
const X_TC_TIMESTAMP: HeaderName = HeaderName::from_static("x-tc-timestamp");
const X_TC_VERSION: HeaderName = HeaderName::from_static("x-tc-version");
const X_TC_REGION: HeaderName = HeaderName::from_static("x-tc-region");
const X_TC_TOKEN: HeaderName = HeaderName::from_static("x-tc-token");
const X_TC_LANGUAGE: HeaderName = HeaderName::from_static("x-tc-language");
const X_TC_REQUEST_CLIENT: HeaderName = HeaderName::from_static("x-tc-requestclient");
const X_TC_REQUEST_ID: HeaderName = HeaderName::from_static("x-tc-requestid");

/// How one attempt failed, with what the retry loop needs to know.
pub(super) struct Failure<E> {
    pub(super) error: Error<E>,
    /// The response's `Date`, when there was a response.
    pub(super) date: Option<SystemTime>,
}

impl Client {
    /// Signs (unless `credentials` is `None`: an unsigned action) and sends the request once,
    /// and reads and decodes the answer.
    pub(super) async fn attempt<A: Action>(
        &self,
        body: &Bytes,
        credentials: Option<&Credentials>,
        url: &str,
        host: &str,
        region: Option<&str>,
        timeout: Duration,
    ) -> Result<(A::Output, Option<String>), Failure<A::Error>> {
        let meta = A::META;
        let p = &self.inner.config;
        let fail = |kind| Failure {
            error: Error::new(meta.name, None, kind),
            date: None,
        };
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let timestamp = now.saturating_add_signed(self.clock_offset_secs());
        let mut req = p.http.post(url);
        req = match &p.base {
            Base::Fixed(fixed) => req.header(HOST, fixed.host_header().clone()),
            Base::Regional => req.header(HOST, host),
        };
        req = req
            .timeout(timeout)
            .header(CONTENT_TYPE_NAME, HeaderValue::from_static(CONTENT_TYPE))
            .header(X_TC_ACTION, HeaderValue::from_static(meta.name))
            .header(X_TC_TIMESTAMP, timestamp)
            .header(X_TC_VERSION, HeaderValue::from_static(A::API.version))
            .header(X_TC_REQUEST_CLIENT, p.request_client.clone());
        req = self.authorize::<A>(req, credentials, host, body, timestamp);
        if let Some(region) = region {
            req = req.header(X_TC_REGION, region);
        }
        if let Some(lang) = p.language {
            req = req.header(X_TC_LANGUAGE, HeaderValue::from_static(lang.header()));
        }
        let response = match req.body(body.clone()).send().await {
            Ok(r) => r,
            Err(e) => return Err(fail(transport_kind(e, timeout, p.connect_timeout))),
        };
        if let Some(kind) = redirected(url, response.url()) {
            return Err(fail(kind));
        }
        let status = response.status().as_u16();
        // Header values share the response's buffer: keeping them costs no copy.
        let headers = response.headers();
        let request_id = headers.get(X_TC_REQUEST_ID).cloned();
        let content_type = headers.get(CONTENT_TYPE_NAME).cloned();
        let date = headers
            .get(DATE)
            .and_then(|d| d.to_str().ok())
            .and_then(|d| httpdate::parse_http_date(d).ok());
        let header_id = || header_text(request_id.as_ref()).map(str::to_owned);
        let bytes = match read_limited(response, p.max_response_bytes).await {
            Ok(b) => b,
            Err(e) => {
                let kind = match e {
                    BodyError::Transport(e) => transport_kind(e, timeout, p.connect_timeout),
                    BodyError::TooLarge {
                        limit,
                        declared,
                        received,
                        head,
                    } => too_large(status, limit, declared, received, &head),
                };
                let error = Error::new(meta.name, header_id(), kind);
                return Err(Failure { error, date });
            }
        };
        decode::<A::Output, A::Error>(
            meta.name,
            status,
            header_text(content_type.as_ref()),
            header_text(request_id.as_ref()),
            &bytes,
        )
        .map_err(|error| Failure { error, date })
    }
}

impl Client {
    /// Adds the request's proof of identity: the TC3 signature for the action's service and the
    /// session token, or for an unsigned action (`credentials` is `None`) the documented marker
    /// and no token.
    fn authorize<A: Action>(
        &self,
        req: reqwest::RequestBuilder,
        credentials: Option<&Credentials>,
        host: &str,
        body: &Bytes,
        timestamp: u64,
    ) -> reqwest::RequestBuilder {
        let Some(credentials) = credentials else {
            return req.header(AUTHORIZATION, HeaderValue::from_static(UNSIGNED));
        };
        let input = SigningInput {
            method: "POST",
            host,
            path: "/",
            query: "",
            content_type: CONTENT_TYPE,
            payload: body,
            service: A::API.service,
            timestamp,
            secret_id: credentials.secret_id(),
        };
        let authorization = self
            .inner
            .keys
            .authorization(&input, credentials.secret_key());
        let req = req.header(AUTHORIZATION, authorization);
        match credentials.token() {
            Some(token) => req.header(X_TC_TOKEN, token),
            None => req,
        }
    }
}

/// The error of a body over the limit.
fn too_large<E>(
    status: u16,
    limit: usize,
    declared: Option<u64>,
    received: usize,
    head: &[u8],
) -> ErrorKind<E> {
    let message = match declared {
        Some(n) if n > limit as u64 => {
            format!("Content-Length {n} is over the client's {limit}-byte limit")
        }
        _ => format!("more than the client's {limit}-byte limit arrived ({received} bytes read)"),
    };
    ErrorKind::Decode(DecodeError {
        kind: DecodeErrorKind::TooLarge,
        status,
        message,
        body_snippet: crate::error::snippet(head, SNIPPET_BYTES),
    })
}

/// A header value as text, if it is visible ASCII.
fn header_text(value: Option<&HeaderValue>) -> Option<&str> {
    value.and_then(|v| v.to_str().ok())
}
