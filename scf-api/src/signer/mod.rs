//! Tencent Cloud API 3.0 request signing (`TC3-HMAC-SHA256`).
//!
//! This module is a pure, I/O-free implementation of the signature v3
//! algorithm. It never reads the clock: the caller supplies the request
//! timestamp in [`SigningInput::timestamp`].
//!
//! The signature is computed in four steps:
//!
//! 1. build the [canonical request](canonical_request) from the HTTP method,
//!    path, query string, the signed headers (`content-type` and `host`) and
//!    the SHA-256 of the payload;
//! 2. build the string to sign from [`ALGORITHM`], the timestamp, the
//!    credential scope (`<date>/<service>/tc3_request`) and the SHA-256 of the
//!    canonical request;
//! 3. derive the [`SigningKey`] from the secret key, the UTC date and the
//!    service through a chain of HMAC-SHA256 operations;
//! 4. compute `hex(HMAC-SHA256(signing key, string to sign))` and assemble the
//!    `Authorization` header value.
//!
//! Because the derived key depends only on the secret key, the UTC date and
//! the service, [`SigningKeyCache`] can reuse it for every request of a day.
//!
//! # Example
//!
//! ```
//! use scf_api::signer::{SigningInput, sign};
//!
//! let input = SigningInput {
//!     method: "POST",
//!     host: "scf.tencentcloudapi.com",
//!     path: "/",
//!     query: "",
//!     content_type: "application/json; charset=utf-8",
//!     payload: br#"{"FunctionName":"hello"}"#,
//!     service: "scf",
//!     timestamp: 1_551_113_065,
//!     secret_id: "AKIDEXAMPLE",
//! };
//! let signature = sign(&input, "secret-key");
//! assert_eq!(signature.credential_scope, "2019-02-25/scf/tc3_request");
//! assert!(signature.authorization.starts_with(
//!     "TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2019-02-25/scf/tc3_request, \
//!      SignedHeaders=content-type;host, Signature="
//! ));
//! assert_eq!(signature.signature.len(), 64);
//! ```

use std::fmt;

use hmac::digest::Key;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// Name of the signature algorithm, the first token of the `Authorization`
/// header and the first line of the string to sign.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";

/// The headers covered by the signature, lowercase and `;`-separated, in the
/// order they appear in the canonical request.
pub const SIGNED_HEADERS: &str = "content-type;host";

/// Terminator of the credential scope and message of the last key-derivation
/// step.
const TERMINATOR: &str = "tc3_request";

/// Seconds in a UTC day (leap seconds are ignored, as in Unix time).
const SECONDS_PER_DAY: u64 = 86_400;

type HmacSha256 = Hmac<Sha256>;

/// Length in bytes of a SHA-256 digest and of an HMAC-SHA256 tag.
const DIGEST_LEN: usize = 32;

/// Everything that goes into a signature except the secret.
///
/// All string fields are borrowed so that building an input is free; the
/// struct is `Copy`.
#[derive(Debug, Clone, Copy)]
pub struct SigningInput<'a> {
    /// HTTP method, e.g. `"POST"` (upper-cased in the canonical request).
    pub method: &'a str,
    /// Value of the `Host` header, e.g. `"scf.tencentcloudapi.com"`
    /// (trimmed and lower-cased in the canonical request).
    pub host: &'a str,
    /// Canonical URI; Tencent Cloud API 3.0 always uses `"/"`. An empty path
    /// is treated as `"/"`.
    pub path: &'a str,
    /// Canonical query string, already URL-encoded, without the leading `?`;
    /// empty for `POST` requests.
    pub query: &'a str,
    /// Value of the `Content-Type` header exactly as sent (only surrounding
    /// whitespace is trimmed).
    pub content_type: &'a str,
    /// The exact request body bytes (empty for `GET`).
    pub payload: &'a [u8],
    /// Service name, the first label of the endpoint host, e.g. `"scf"`.
    pub service: &'a str,
    /// Request time in seconds since the Unix epoch, sent as
    /// `X-TC-Timestamp`; its UTC date is part of the credential scope.
    pub timestamp: u64,
    /// The public secret id (`AKID...`) placed in the `Authorization` header.
    pub secret_id: &'a str,
}

/// The derived signing key: the result of the HMAC chain over
/// (secret key, date, service); 32 bytes.
///
/// Its `Debug` output is `SigningKey(<redacted>)`, so it never leaks the key
/// material into logs.
///
/// ```
/// use scf_api::signer::SigningKey;
///
/// let key = SigningKey::derive("secret-key", "2019-02-25", "scf");
/// assert_eq!(format!("{key:?}"), "SigningKey(<redacted>)");
/// ```
#[derive(Clone)]
pub struct SigningKey([u8; DIGEST_LEN]);

impl SigningKey {
    /// Derives the signing key for `secret_key` on the UTC `date`
    /// (`YYYY-MM-DD`) for `service`:
    ///
    /// ```text
    /// secret_date    = HMAC-SHA256("TC3" + secret_key, date)
    /// secret_service = HMAC-SHA256(secret_date, service)
    /// secret_signing = HMAC-SHA256(secret_service, "tc3_request")
    /// ```
    pub fn derive(secret_key: &str, date: &str, service: &str) -> SigningKey {
        let mut initial = Vec::with_capacity(3 + secret_key.len());
        initial.extend_from_slice(b"TC3");
        initial.extend_from_slice(secret_key.as_bytes());
        let secret_date = hmac_sha256(&initial, date.as_bytes());
        let secret_service = hmac_sha256(&secret_date, service.as_bytes());
        SigningKey(hmac_sha256(&secret_service, TERMINATOR.as_bytes()))
    }

    /// The raw key bytes, for tests inside the crate.
    #[cfg(test)]
    pub(crate) fn as_bytes(&self) -> &[u8; DIGEST_LEN] {
        &self.0
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(<redacted>)")
    }
}

/// The full result of signing a request, every intermediate value exposed
/// for debugging and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The canonical request (see [`canonical_request`]).
    pub canonical_request: String,
    /// `ALGORITHM + "\n" + timestamp + "\n" + credential_scope + "\n" +
    /// hex(sha256(canonical_request))`.
    pub string_to_sign: String,
    /// `<YYYY-MM-DD>/<service>/tc3_request`.
    pub credential_scope: String,
    /// The signature, 64 lowercase hexadecimal digits.
    pub signature: String,
    /// The complete value of the `Authorization` header.
    pub authorization: String,
}

/// Formats the UTC calendar date (`YYYY-MM-DD`) of a Unix timestamp in
/// seconds.
///
/// Uses the proleptic Gregorian calendar; correct for every `u64` input
/// (years beyond 9999 are printed with more digits).
///
/// ```
/// use scf_api::signer::utc_date;
///
/// assert_eq!(utc_date(0), "1970-01-01");
/// assert_eq!(utc_date(1_551_113_065), "2019-02-25");
/// ```
pub fn utc_date(timestamp: u64) -> String {
    DateBuf::new(timestamp).as_str().to_owned()
}

/// Converts a count of days since 1970-01-01 into a (year, month, day)
/// Gregorian date.
///
/// The computation shifts the epoch to 0000-03-01 so that the leap day is the
/// last day of the (March-based) year, then splits the day count into 400-year
/// eras of 146 097 days, the year of the era, and the day of the year. All
/// arithmetic is unsigned because the input cannot precede the epoch, and it
/// cannot overflow: `u64::MAX / 86 400` plus the shift is far below `u64::MAX`.
fn civil_from_days(days_since_epoch: u64) -> (u64, u64, u64) {
    /// Days from 0000-03-01 to 1970-01-01.
    const EPOCH_SHIFT: u64 = 719_468;
    /// Days in a 400-year Gregorian cycle.
    const DAYS_PER_ERA: u64 = 146_097;

    let days = days_since_epoch + EPOCH_SHIFT;
    let era = days / DAYS_PER_ERA;
    // Day of the era, in [0, 146096].
    let day_of_era = days - era * DAYS_PER_ERA;
    // Year of the era, in [0, 399]: remove the leap days accumulated so far
    // (one every 4 years, none every 100, one every 400; the last day of the
    // era is the extra leap day) before dividing by 365.
    let year_of_era = (day_of_era - day_of_era / 1_460 + day_of_era / 36_524
        - day_of_era / (DAYS_PER_ERA - 1))
        / 365;
    // Day of the March-based year, in [0, 365].
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    // Month index starting at March = 0, in [0, 11]; months follow the
    // 31/30/31/30/31 pattern, which (153 * m + 2) / 5 reproduces.
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    // January and February belong to the next calendar year.
    let year = era * 400 + year_of_era + u64::from(month <= 2);
    (year, month, day)
}

/// Builds the canonical request of `input`:
///
/// ```text
/// METHOD \n
/// path \n
/// query \n
/// content-type:<content type>\nhost:<host>\n \n
/// content-type;host \n
/// hex(sha256(payload))
/// ```
///
/// ```
/// use scf_api::signer::{SigningInput, canonical_request};
///
/// let input = SigningInput {
///     method: "GET",
///     host: "cvm.tencentcloudapi.com",
///     path: "/",
///     query: "Limit=10&Offset=0",
///     content_type: "application/x-www-form-urlencoded",
///     payload: b"",
///     service: "cvm",
///     timestamp: 1_539_084_154,
///     secret_id: "AKIDEXAMPLE",
/// };
/// assert_eq!(
///     canonical_request(&input),
///     "GET\n/\nLimit=10&Offset=0\n\
///      content-type:application/x-www-form-urlencoded\n\
///      host:cvm.tencentcloudapi.com\n\n\
///      content-type;host\n\
///      e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
/// );
/// ```
pub fn canonical_request(input: &SigningInput<'_>) -> String {
    let path = if input.path.is_empty() {
        "/"
    } else {
        input.path
    };
    format!(
        "{method}\n{path}\n{query}\ncontent-type:{content_type}\nhost:{host}\n\n{SIGNED_HEADERS}\n{payload_hash}",
        method = input.method.trim().to_ascii_uppercase(),
        query = input.query,
        content_type = input.content_type.trim(),
        host = input.host.trim().to_ascii_lowercase(),
        payload_hash = sha256_hex(input.payload),
    )
}

/// Signs `input` with `secret_key`: derives the [`SigningKey`] for the UTC
/// date of the timestamp and the service, then calls [`sign_with_key`].
///
/// Prefer [`SigningKeyCache::sign`] when signing many requests.
pub fn sign(input: &SigningInput<'_>, secret_key: &str) -> Signature {
    let date = utc_date(input.timestamp);
    let key = SigningKey::derive(secret_key, &date, input.service);
    sign_with_key(input, &key)
}

/// The value of the `Authorization` header for `input`, deriving the signing key: the same as
/// `sign(input, secret_key).authorization`, without the intermediate strings.
///
/// Prefer [`SigningKeyCache::authorization`] when signing many requests.
pub fn authorization(input: &SigningInput<'_>, secret_key: &str) -> String {
    let date = DateBuf::new(input.timestamp);
    let key = SigningKey::derive(secret_key, date.as_str(), input.service);
    authorization_with(input, date.as_str(), keyed_mac(&key.0))
}

/// Signs `input` with an already derived key.
///
/// The key must have been derived for the UTC date of `input.timestamp` (see
/// [`utc_date`]) and for `input.service`, otherwise the server rejects the
/// signature.
pub fn sign_with_key(input: &SigningInput<'_>, key: &SigningKey) -> Signature {
    let date = utc_date(input.timestamp);
    let credential_scope = format!("{date}/{service}/{TERMINATOR}", service = input.service);
    let canonical_request = canonical_request(input);
    let string_to_sign = format!(
        "{ALGORITHM}\n{timestamp}\n{credential_scope}\n{hash}",
        timestamp = input.timestamp,
        hash = sha256_hex(canonical_request.as_bytes()),
    );
    let signature = hex::encode(hmac_sha256(&key.0, string_to_sign.as_bytes()));
    let authorization = format!(
        "{ALGORITHM} Credential={secret_id}/{credential_scope}, SignedHeaders={SIGNED_HEADERS}, Signature={signature}",
        secret_id = input.secret_id,
    );
    Signature {
        canonical_request,
        string_to_sign,
        credential_scope,
        signature,
        authorization,
    }
}

/// `hex(sha256(data))`, lowercase.
fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// HMAC-SHA256 of `msg` under `key`.
///
/// The key is pre-processed as RFC 2104 specifies (hashed when longer than the
/// 64-byte block, then zero-padded to the block size), which lets the MAC be
/// built from a block-sized key without any fallible call.
fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; DIGEST_LEN] {
    let mut mac = keyed_mac(key);
    Mac::update(&mut mac, msg);
    mac.finalize().into_bytes().into()
}

/// HMAC-SHA256 keyed with `key`, ready for a message.
fn keyed_mac(key: &[u8]) -> HmacSha256 {
    let mut block = Key::<HmacSha256>::default();
    if key.len() > block.len() {
        let hashed = Sha256::digest(key);
        block[..hashed.len()].copy_from_slice(&hashed);
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    <HmacSha256 as KeyInit>::new(&block)
}

/// Lowercase hex of a digest, on the stack.
fn hex_digest(digest: &[u8]) -> [u8; 2 * DIGEST_LEN] {
    let mut out = [0u8; 2 * DIGEST_LEN];
    // Digests are DIGEST_LEN bytes, so the output always fits.
    let _ = hex::encode_to_slice(digest, &mut out);
    out
}

/// Feeds `text` to `update`, with every byte passed through `map` first, without allocating.
fn update_mapped(update: &mut impl FnMut(&[u8]), text: &str, map: fn(&u8) -> u8) {
    let mut buf = [0u8; 64];
    for chunk in text.as_bytes().chunks(buf.len()) {
        for (b, c) in buf.iter_mut().zip(chunk) {
            *b = map(c);
        }
        update(&buf[..chunk.len()]);
    }
}

/// `hex(sha256(canonical request))`, hashing the canonical request as it is produced; equal
/// to hashing [`canonical_request`]'s output.
fn canonical_request_hash(input: &SigningInput<'_>) -> [u8; 2 * DIGEST_LEN] {
    let mut hasher = Sha256::new();
    let mut update = |bytes: &[u8]| Digest::update(&mut hasher, bytes);
    update_mapped(&mut update, input.method.trim(), u8::to_ascii_uppercase);
    update(b"\n");
    update(
        if input.path.is_empty() {
            "/"
        } else {
            input.path
        }
        .as_bytes(),
    );
    update(b"\n");
    update(input.query.as_bytes());
    update(b"\ncontent-type:");
    update(input.content_type.trim().as_bytes());
    update(b"\nhost:");
    update_mapped(&mut update, input.host.trim(), u8::to_ascii_lowercase);
    update(b"\n\n");
    update(SIGNED_HEADERS.as_bytes());
    update(b"\n");
    update(&hex_digest(&Sha256::digest(input.payload)));
    hex_digest(&hasher.finalize())
}

/// The `Authorization` value for `input`, signed by `mac` (keyed with the signing key of
/// `date`), streaming the string to sign into the MAC.
fn authorization_with(input: &SigningInput<'_>, date: &str, mut mac: HmacSha256) -> String {
    let canonical_hash = canonical_request_hash(input);
    let mut timestamp = [0u8; 20];
    let timestamp = decimal(input.timestamp, &mut timestamp);
    for part in [
        ALGORITHM.as_bytes(),
        b"\n",
        timestamp,
        b"\n",
        date.as_bytes(),
        b"/",
        input.service.as_bytes(),
        b"/",
        TERMINATOR.as_bytes(),
        b"\n",
        &canonical_hash,
    ] {
        Mac::update(&mut mac, part);
    }
    let signature = hex_digest(&mac.finalize().into_bytes());
    let signature = std::str::from_utf8(&signature).unwrap_or_default();
    let parts = [
        ALGORITHM,
        " Credential=",
        input.secret_id,
        "/",
        date,
        "/",
        input.service,
        "/",
        TERMINATOR,
        ", SignedHeaders=",
        SIGNED_HEADERS,
        ", Signature=",
        signature,
    ];
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// `n` in decimal, written into the end of `buf`.
fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut start = buf.len();
    loop {
        start -= 1;
        buf[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[start..];
        }
    }
}

/// A UTC date (`YYYY-MM-DD`, more digits after year 9999) formatted on the stack.
struct DateBuf {
    bytes: [u8; 32],
    len: usize,
}

impl DateBuf {
    fn new(timestamp: u64) -> DateBuf {
        use std::io::Write;
        let (year, month, day) = civil_from_days(timestamp / SECONDS_PER_DAY);
        let mut bytes = [0u8; 32];
        let mut rest = &mut bytes[..];
        // At most 15 year digits (u64::MAX seconds is in year ~5.8e11) plus 6: always fits.
        let _ = write!(rest, "{year:04}-{month:02}-{day:02}");
        let len = 32 - rest.len();
        DateBuf { bytes, len }
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

mod cache;

pub use cache::SigningKeyCache;

#[cfg(test)]
mod tests;
