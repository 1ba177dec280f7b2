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
use std::sync::{Mutex, MutexGuard, TryLockError};

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

/// One cached derivation.
struct CacheEntry {
    secret_key: String,
    date: String,
    service: String,
    key: SigningKey,
    /// HMAC-SHA256 keyed with `key`: its inner and outer pads are hashed once per
    /// derivation instead of once per signature.
    mac: HmacSha256,
}

/// Caches derived [`SigningKey`]s.
///
/// The key depends only on (secret key, UTC date, service), so a client needs
/// one derivation per service per UTC day. The cache keeps one entry per
/// service and replaces it when the date changes or when the secret key it was
/// derived from differs (a rotated key invalidates the entry). The secret key
/// is kept privately for that comparison and never printed.
///
/// The cache is thread-safe (a [`std::sync::Mutex`] inside) and cheap to share
/// behind an [`Arc`](std::sync::Arc). A poisoned mutex is recovered, never
/// propagated as a panic.
///
/// ```
/// use scf_api::signer::{SigningInput, SigningKeyCache, sign};
///
/// let cache = SigningKeyCache::new();
/// let input = SigningInput {
///     method: "POST",
///     host: "scf.tencentcloudapi.com",
///     path: "/",
///     query: "",
///     content_type: "application/json",
///     payload: b"{}",
///     service: "scf",
///     timestamp: 1_700_000_000,
///     secret_id: "AKIDEXAMPLE",
/// };
/// assert_eq!(cache.sign(&input, "secret-key"), sign(&input, "secret-key"));
/// ```
#[derive(Default)]
pub struct SigningKeyCache {
    entries: Mutex<Vec<CacheEntry>>,
    /// Number of key derivations performed, for tests.
    #[cfg(test)]
    derivations: std::sync::atomic::AtomicUsize,
}

impl SigningKeyCache {
    /// Creates an empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Returns the signing key for (`secret_key`, `date`, `service`), deriving
    /// it only if the cached entry for `service` is missing, for another date,
    /// or for another secret key.
    pub fn key(&self, secret_key: &str, date: &str, service: &str) -> SigningKey {
        self.with_entry(secret_key, date, service, |e| e.key.clone())
    }

    /// Signs `input` like [`sign`], taking the derived key from the cache.
    pub fn sign(&self, input: &SigningInput<'_>, secret_key: &str) -> Signature {
        let date = utc_date(input.timestamp);
        let key = self.key(secret_key, &date, input.service);
        sign_with_key(input, &key)
    }

    /// The value of the `Authorization` header for `input`: the same as
    /// `self.sign(input, secret_key).authorization`, computed without building the
    /// intermediate strings (the canonical request and the string to sign are hashed as
    /// they are produced), so that the only allocation is the returned header value.
    ///
    /// ```
    /// use scf_api::signer::{SigningInput, SigningKeyCache, sign};
    ///
    /// let input = SigningInput {
    ///     method: "POST",
    ///     host: "scf.tencentcloudapi.com",
    ///     path: "/",
    ///     query: "",
    ///     content_type: "application/json",
    ///     payload: br#"{"FunctionName":"hello"}"#,
    ///     service: "scf",
    ///     timestamp: 1_700_000_000,
    ///     secret_id: "AKIDEXAMPLE",
    /// };
    /// let cache = SigningKeyCache::new();
    /// assert_eq!(
    ///     cache.authorization(&input, "secret-key"),
    ///     sign(&input, "secret-key").authorization
    /// );
    /// ```
    pub fn authorization(&self, input: &SigningInput<'_>, secret_key: &str) -> String {
        let date = DateBuf::new(input.timestamp);
        let mac = self.with_entry(secret_key, date.as_str(), input.service, |e| e.mac.clone());
        authorization_with(input, date.as_str(), mac)
    }

    /// Runs `f` on the up-to-date entry for (`secret_key`, `date`, `service`), deriving it
    /// first if it is missing or stale.
    fn with_entry<T>(
        &self,
        secret_key: &str,
        date: &str,
        service: &str,
        f: impl FnOnce(&CacheEntry) -> T,
    ) -> T {
        let mut entries = self.lock();
        if let Some(entry) = entries.iter_mut().find(|e| e.service == service) {
            if entry.date != date || entry.secret_key != secret_key {
                *entry = self.entry(secret_key, date, service);
            }
            return f(entry);
        }
        let entry = self.entry(secret_key, date, service);
        let out = f(&entry);
        entries.push(entry);
        out
    }

    /// A new entry for (`secret_key`, `date`, `service`).
    fn entry(&self, secret_key: &str, date: &str, service: &str) -> CacheEntry {
        let key = self.derive(secret_key, date, service);
        CacheEntry {
            secret_key: secret_key.to_owned(),
            date: date.to_owned(),
            service: service.to_owned(),
            mac: keyed_mac(&key.0),
            key,
        }
    }

    /// Derives a key, counting derivations under `cfg(test)`.
    fn derive(&self, secret_key: &str, date: &str, service: &str) -> SigningKey {
        #[cfg(test)]
        self.derivations
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        SigningKey::derive(secret_key, date, service)
    }

    /// Number of key derivations performed so far.
    #[cfg(test)]
    pub(crate) fn derivation_count(&self) -> usize {
        self.derivations.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Locks the entries, recovering from poisoning: the entries are always
    /// left consistent, so a panic elsewhere cannot corrupt them.
    fn lock(&self) -> MutexGuard<'_, Vec<CacheEntry>> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        /// Prints the (date, service) pairs of the cached entries only.
        struct Entries<'a>(&'a [CacheEntry]);
        impl fmt::Debug for Entries<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_list()
                    .entries(self.0.iter().map(|e| (e.date.as_str(), e.service.as_str())))
                    .finish()
            }
        }

        let mut s = f.debug_struct("SigningKeyCache");
        match self.entries.try_lock() {
            Ok(entries) => s.field("entries", &Entries(&entries)),
            Err(TryLockError::Poisoned(poisoned)) => {
                s.field("entries", &Entries(&poisoned.into_inner()))
            }
            Err(TryLockError::WouldBlock) => s.field("entries", &format_args!("<locked>")),
        };
        s.finish_non_exhaustive()
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    const SECRET_ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
    const SECRET_KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";

    const POST_BODY: &str =
        r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;

    fn post_input() -> SigningInput<'static> {
        SigningInput {
            method: "POST",
            host: "cvm.tencentcloudapi.com",
            path: "/",
            query: "",
            content_type: "application/json; charset=utf-8",
            payload: POST_BODY.as_bytes(),
            service: "cvm",
            timestamp: 1_551_113_065,
            secret_id: SECRET_ID,
        }
    }

    fn get_input() -> SigningInput<'static> {
        SigningInput {
            method: "GET",
            host: "cvm.tencentcloudapi.com",
            path: "/",
            query: "Limit=10&Offset=0",
            content_type: "application/x-www-form-urlencoded",
            payload: b"",
            service: "cvm",
            timestamp: 1_539_084_154,
            secret_id: SECRET_ID,
        }
    }

    #[test]
    fn official_post_vector() {
        let input = post_input();
        // The body's backslash-u sequences are literal ASCII characters.
        assert!(POST_BODY.is_ascii());
        assert!(POST_BODY.contains(r"\u672a"));
        assert_eq!(
            sha256_hex(input.payload),
            "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
        );

        let expected_canonical = [
            "POST",
            "/",
            "",
            "content-type:application/json; charset=utf-8",
            "host:cvm.tencentcloudapi.com",
            "",
            "content-type;host",
            "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064",
        ]
        .join("\n");
        assert_eq!(canonical_request(&input), expected_canonical);
        assert_eq!(
            sha256_hex(expected_canonical.as_bytes()),
            "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );

        let sig = sign(&input, SECRET_KEY);
        assert_eq!(sig.canonical_request, expected_canonical);
        assert_eq!(sig.credential_scope, "2019-02-25/cvm/tc3_request");
        assert_eq!(
            sig.string_to_sign,
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n\
             5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
        assert_eq!(
            sig.signature,
            "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
        assert_eq!(
            sig.authorization,
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, \
             SignedHeaders=content-type;host, \
             Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
    }

    #[test]
    fn official_get_vector() {
        let input = get_input();
        let expected_canonical = [
            "GET",
            "/",
            "Limit=10&Offset=0",
            "content-type:application/x-www-form-urlencoded",
            "host:cvm.tencentcloudapi.com",
            "",
            "content-type;host",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ]
        .join("\n");
        assert_eq!(canonical_request(&input), expected_canonical);
        assert_eq!(
            sha256_hex(expected_canonical.as_bytes()),
            "91c9c192c14460df6c1ffc69e34e6c5e90708de2a6d282cccf957dbf1aa7f3a7"
        );

        let sig = sign(&input, SECRET_KEY);
        assert_eq!(sig.canonical_request, expected_canonical);
        assert_eq!(sig.credential_scope, "2018-10-09/cvm/tc3_request");
        assert_eq!(
            sig.string_to_sign,
            "TC3-HMAC-SHA256\n1539084154\n2018-10-09/cvm/tc3_request\n\
             91c9c192c14460df6c1ffc69e34e6c5e90708de2a6d282cccf957dbf1aa7f3a7"
        );
        assert_eq!(
            sig.signature,
            "5da7a33f6993f0614b047e5df4582db9e9bf4672ba50567dba16c6ccf174c474"
        );
        assert_eq!(
            sig.authorization,
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2018-10-09/cvm/tc3_request, \
             SignedHeaders=content-type;host, \
             Signature=5da7a33f6993f0614b047e5df4582db9e9bf4672ba50567dba16c6ccf174c474"
        );
    }

    #[test]
    fn sign_with_key_matches_sign() {
        let input = post_input();
        let key = SigningKey::derive(SECRET_KEY, "2019-02-25", "cvm");
        assert_eq!(sign_with_key(&input, &key), sign(&input, SECRET_KEY));
    }

    #[test]
    fn canonical_request_normalizes_headers() {
        let input = SigningInput {
            method: "post",
            host: "  CVM.TencentCloudAPI.com ",
            path: "",
            content_type: " application/json; charset=utf-8\t",
            ..post_input()
        };
        assert_eq!(canonical_request(&input), canonical_request(&post_input()));
    }

    #[test]
    fn hmac_matches_rfc4231_vectors() {
        // RFC 4231 test case 2 (short key).
        assert_eq!(
            hex::encode(hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // RFC 4231 test case 6 (131-byte key, longer than the block size).
        assert_eq!(
            hex::encode(hmac_sha256(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn utc_date_known_instants() {
        let cases: &[(u64, &str)] = &[
            (0, "1970-01-01"),
            (86_399, "1970-01-01"),
            (86_400, "1970-01-02"),
            (951_782_400, "2000-02-29"),
            (951_868_799, "2000-02-29"),
            (951_868_800, "2000-03-01"),
            (1_539_084_154, "2018-10-09"),
            (1_551_113_065, "2019-02-25"),
            // 2019-12-31T23:59:59Z and 2020-01-01T00:00:00Z.
            (1_577_836_799, "2019-12-31"),
            (1_577_836_800, "2020-01-01"),
            // 2024-02-29T23:59:59Z and 2024-03-01T00:00:00Z.
            (1_709_251_199, "2024-02-29"),
            (1_709_251_200, "2024-03-01"),
            // 2038-01-19T03:14:08Z, just past i32::MAX.
            (2_147_483_648, "2038-01-19"),
            // 2100 is not a leap year.
            (4_107_456_000, "2100-02-28"),
            (4_107_542_400, "2100-03-01"),
            (4_102_444_800, "2100-01-01"),
            (4_102_444_799, "2099-12-31"),
            // 9999-12-31T23:59:59Z and 10000-01-01T00:00:00Z.
            (253_402_300_799, "9999-12-31"),
            (253_402_300_800, "10000-01-01"),
        ];
        for &(timestamp, expected) in cases {
            assert_eq!(utc_date(timestamp), expected, "timestamp {timestamp}");
        }
    }

    #[test]
    fn utc_date_does_not_overflow() {
        // Must not panic on the largest input.
        let date = utc_date(u64::MAX);
        assert!(date.len() >= 10);
    }

    /// Checks `civil_from_days` against a simple day-by-day walk of the
    /// calendar over more than a full 400-year era.
    #[test]
    fn civil_from_days_matches_naive_calendar() {
        fn is_leap(y: u64) -> bool {
            (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        }
        let (mut y, mut m, mut d) = (1970u64, 1u64, 1u64);
        for days in 0..(146_097 * 2) {
            assert_eq!(civil_from_days(days), (y, m, d), "day {days}");
            let month_len = match m {
                2 if is_leap(y) => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            d += 1;
            if d > month_len {
                d = 1;
                m += 1;
                if m > 12 {
                    m = 1;
                    y += 1;
                }
            }
        }
    }

    #[test]
    fn cache_matches_uncached_signing() {
        let cache = SigningKeyCache::new();
        for input in [post_input(), get_input()] {
            assert_eq!(cache.sign(&input, SECRET_KEY), sign(&input, SECRET_KEY));
        }
        let post = cache.sign(&post_input(), SECRET_KEY);
        assert_eq!(
            post.signature,
            "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
    }

    #[test]
    fn streamed_authorization_matches_the_full_signature() {
        let cache = SigningKeyCache::new();
        let long_host = format!("  {}.Example.COM ", "Sub".repeat(40));
        let payload = "x".repeat(1000);
        let inputs = [
            post_input(),
            get_input(),
            SigningInput {
                method: " post ",
                host: &long_host,
                path: "",
                content_type: "  application/json ",
                payload: payload.as_bytes(),
                ..post_input()
            },
            SigningInput {
                timestamp: 0,
                payload: b"",
                ..post_input()
            },
            SigningInput {
                timestamp: 300_000_000_000,
                ..post_input()
            },
            SigningInput {
                timestamp: u64::MAX,
                ..get_input()
            },
        ];
        for input in inputs {
            for secret in [SECRET_KEY, "another-secret"] {
                let full = sign(&input, secret).authorization;
                assert_eq!(cache.authorization(&input, secret), full, "{input:?}");
                assert_eq!(authorization(&input, secret), full, "{input:?}");
            }
        }
        assert_eq!(
            cache.authorization(&post_input(), SECRET_KEY),
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, \
             SignedHeaders=content-type;host, \
             Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
    }

    #[test]
    fn decimal_buffer() {
        for n in [0, 7, 10, 1_551_113_065, u64::MAX] {
            let mut buf = [0u8; 20];
            assert_eq!(decimal(n, &mut buf), n.to_string().as_bytes());
        }
    }

    #[test]
    fn cache_derives_once_per_day_service_and_secret() {
        let cache = SigningKeyCache::new();
        let input = post_input();
        let first = cache.sign(&input, SECRET_KEY);
        assert_eq!(cache.derivation_count(), 1);

        // Same day (last second of 2019-02-25), same service: no derivation.
        let later = SigningInput {
            timestamp: 1_551_139_199,
            ..input
        };
        assert_eq!(utc_date(later.timestamp), "2019-02-25");
        assert_eq!(cache.sign(&later, SECRET_KEY), sign(&later, SECRET_KEY));
        assert_eq!(cache.sign(&input, SECRET_KEY), first);
        assert_eq!(cache.derivation_count(), 1);

        // Another service gets its own entry and keeps the first one.
        let scf = SigningInput {
            service: "scf",
            ..input
        };
        assert_eq!(cache.sign(&scf, SECRET_KEY), sign(&scf, SECRET_KEY));
        assert_eq!(cache.derivation_count(), 2);
        cache.sign(&input, SECRET_KEY);
        cache.sign(&scf, SECRET_KEY);
        assert_eq!(cache.derivation_count(), 2);
    }

    #[test]
    fn cache_invalidated_by_date_change() {
        let cache = SigningKeyCache::new();
        let input = post_input();
        cache.sign(&input, SECRET_KEY);
        assert_eq!(cache.derivation_count(), 1);

        // First second of 2019-02-26.
        let next_day = SigningInput {
            timestamp: 1_551_139_200,
            ..input
        };
        assert_eq!(utc_date(next_day.timestamp), "2019-02-26");
        assert_eq!(
            cache.sign(&next_day, SECRET_KEY),
            sign(&next_day, SECRET_KEY)
        );
        assert_eq!(cache.derivation_count(), 2);
        cache.sign(&next_day, SECRET_KEY);
        assert_eq!(cache.derivation_count(), 2);

        let key = cache.key(SECRET_KEY, "2019-02-26", "cvm");
        assert_eq!(
            key.as_bytes(),
            SigningKey::derive(SECRET_KEY, "2019-02-26", "cvm").as_bytes()
        );
        assert_ne!(
            key.as_bytes(),
            SigningKey::derive(SECRET_KEY, "2019-02-25", "cvm").as_bytes()
        );
    }

    #[test]
    fn cache_invalidated_by_secret_rotation() {
        let cache = SigningKeyCache::new();
        let input = post_input();
        let old = cache.sign(&input, SECRET_KEY);
        let rotated_secret = "rotated-secret-key-EXAMPLE";
        let new = cache.sign(&input, rotated_secret);
        assert_eq!(cache.derivation_count(), 2);
        assert_ne!(old.signature, new.signature);
        assert_eq!(new, sign(&input, rotated_secret));
        // Switching back derives again; the old key was replaced.
        assert_eq!(cache.sign(&input, SECRET_KEY), old);
        assert_eq!(cache.derivation_count(), 3);
    }

    #[test]
    fn cache_is_shareable_across_threads() {
        let cache = Arc::new(SigningKeyCache::new());
        let expected = sign(&post_input(), SECRET_KEY);
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let cache = Arc::clone(&cache);
                std::thread::spawn(move || cache.sign(&post_input(), SECRET_KEY))
            })
            .collect();
        for handle in handles {
            assert_eq!(handle.join().ok(), Some(expected.clone()));
        }
        assert_eq!(cache.derivation_count(), 1);
    }

    #[test]
    fn cache_recovers_from_poisoned_mutex() {
        let cache = Arc::new(SigningKeyCache::new());
        cache.sign(&post_input(), SECRET_KEY);
        let poisoner = Arc::clone(&cache);
        let result = std::thread::spawn(move || {
            let _guard = poisoner.entries.lock();
            panic!("poison the cache mutex");
        })
        .join();
        assert!(result.is_err());
        assert!(cache.entries.is_poisoned());

        assert_eq!(
            cache.sign(&post_input(), SECRET_KEY),
            sign(&post_input(), SECRET_KEY)
        );
        assert_eq!(cache.derivation_count(), 1);
        assert!(format!("{cache:?}").contains("2019-02-25"));
    }

    #[test]
    fn debug_output_never_contains_secrets() {
        let key = SigningKey::derive(SECRET_KEY, "2019-02-25", "cvm");
        let key_hex = hex::encode(key.as_bytes());
        let key_debug = format!("{key:?}");
        assert_eq!(key_debug, "SigningKey(<redacted>)");
        assert!(!key_debug.contains(SECRET_KEY));
        assert!(!key_debug.contains(&key_hex));

        let cache = SigningKeyCache::new();
        cache.sign(&post_input(), SECRET_KEY);
        for debug in [format!("{cache:?}"), format!("{cache:#?}")] {
            assert!(!debug.contains(SECRET_KEY), "{debug}");
            assert!(!debug.contains(&key_hex), "{debug}");
            assert!(debug.contains("SigningKeyCache"), "{debug}");
        }

        // Debug while the lock is held does not deadlock.
        let guard = cache.lock();
        assert!(format!("{cache:?}").contains("<locked>"));
        drop(guard);
    }
}
