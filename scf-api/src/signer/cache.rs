//! The client's signing path: [`SigningKeyCache`] keeps the keyed MAC of the derived key per
//! secret and UTC date, and streams the canonical request into the hashers.

use std::fmt;
use std::sync::{Mutex, MutexGuard, TryLockError};

use super::{
    DateBuf, HmacSha256, Signature, SigningInput, SigningKey, authorization_with, keyed_mac,
    sign_with_key, utc_date,
};

/// One cached derivation.
pub(super) struct CacheEntry {
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
    pub(super) entries: Mutex<Vec<CacheEntry>>,
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

    /// Signs `input` like [`sign`](super::sign), taking the derived key from the cache.
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
    pub(super) fn lock(&self) -> MutexGuard<'_, Vec<CacheEntry>> {
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
