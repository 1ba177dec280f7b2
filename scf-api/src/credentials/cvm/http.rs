//! The HTTP side of the CVM role provider: its client, one `GET`, and describing what failed.

use std::fmt::Write as _;
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;

use super::CredentialsError;
use crate::transport::{BodyError, error_chain, read_limited};

/// Why a `GET` gave no usable body.
pub(super) enum Failure {
    /// No HTTP answer: the connection failed, timed out or closed first (or the request could
    /// not be made).
    NoAnswer(reqwest::Error),
    /// An answer with a status other than 2xx (a redirect included: none is followed).
    Status(StatusCode),
    /// A 2xx answer whose body is larger than `limit` bytes.
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// A 2xx answer whose body could not be read.
    Read(reqwest::Error),
}

/// A client for the metadata service: no proxy, no redirects, the given timeouts.
pub(super) fn build_client(
    connect_timeout: Duration,
    timeout: Duration,
) -> Result<reqwest::Client, CredentialsError> {
    // reqwest is built without a TLS crypto provider of its own, even for a plain-HTTP client.
    if !crate::tls::ensure_provider() {
        return Err(CredentialsError::provider(
            "cvm role: cannot build the HTTP client: no TLS crypto provider is installed and \
             this build has none (enable the `ring` or `aws-lc-rs` feature)",
        ));
    }
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .connect_timeout(connect_timeout)
        .timeout(timeout)
        .user_agent(concat!("scf-api-rust/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| {
            CredentialsError::provider(format!(
                "cvm role: cannot build the HTTP client: {}",
                error_chain(&e)
            ))
            .with_source(e)
        })
}

/// `GET url`, reading at most `limit` bytes of a 2xx answer's body.
pub(super) async fn get(
    client: &reqwest::Client,
    url: &str,
    limit: usize,
) -> Result<Bytes, Failure> {
    let response = client.get(url).send().await.map_err(Failure::NoAnswer)?;
    let status = response.status();
    if !status.is_success() {
        return Err(Failure::Status(status));
    }
    read_limited(response, limit).await.map_err(|e| match e {
        BodyError::TooLarge { limit, .. } => Failure::TooLarge { limit },
        BodyError::Transport(e) => Failure::Read(e),
    })
}

/// What went wrong, in a few words, without reqwest's own sentence (which repeats the URL) or
/// the HTTP client's generic wrapper (`client error (Connect)`).
pub(super) fn describe(e: &reqwest::Error, connect_timeout: Duration, timeout: Duration) -> String {
    if e.is_timeout() {
        return if e.is_connect() {
            format!("could not connect within {connect_timeout:?}")
        } else {
            format!("timed out after {timeout:?}")
        };
    }
    let mut parts: Vec<String> = Vec::new();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        let text = c.to_string();
        if !text.starts_with("client error (") && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        cause = c.source();
    }
    if parts.is_empty() {
        parts.push(e.to_string());
    }
    if e.is_connect() {
        parts.insert(0, "could not connect".to_owned());
    }
    parts.join(": ")
}

/// `segment` percent-encoded for use as one path segment: every byte but letters, digits and
/// `-._~!$&'()*+,;=:@` is encoded.
pub(super) fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}
