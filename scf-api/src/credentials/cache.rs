//! [`CredentialsCache`]: a provider's credentials, refreshed before they expire.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant, SystemTime};

use super::{Credentials, CredentialsError, ProvideCredentials};

/// How long before their expiry credentials are refreshed, unless set otherwise.
const DEFAULT_REFRESH_WINDOW: Duration = Duration::from_secs(5 * 60);

/// After a failed refresh, how long cached credentials that have not expired yet are used
/// without asking the provider again.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(10);

/// The credentials of a provider, kept between calls and refreshed before they expire.
///
/// - Credentials without an expiry time are kept until [`invalidate`](Self::invalidate).
/// - Credentials that expire within the refresh window (5 minutes unless set with
///   [`with_refresh_window`](Self::with_refresh_window)), or have expired, are refreshed by
///   the next [`get`](Self::get). However many calls wait for the refresh, the provider is
///   called once, and they all get its result.
/// - When a refresh fails while the cached credentials have not expired yet, they are used
///   (with a warning in the log) and the refresh is retried after a few seconds; when nothing
///   usable is cached, the provider's error is returned.
///
/// Clones share the cached credentials.
///
/// `Debug` shows the provider and the cached credentials (with their secret id masked),
/// never a secret.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), scf_api::credentials::CredentialsError> {
/// use std::sync::Arc;
/// use std::time::Duration;
/// use scf_api::credentials::{Credentials, CredentialsCache};
///
/// let cache = CredentialsCache::new(Arc::new(Credentials::new("AKIDEXAMPLE", "secret")))
///     .with_refresh_window(Duration::from_secs(60));
/// let credentials = cache.get().await?;
/// assert_eq!(credentials.secret_id(), "AKIDEXAMPLE");
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct CredentialsCache {
    inner: Arc<Inner>,
    refresh_window: Duration,
}

struct Inner {
    provider: Arc<dyn ProvideCredentials>,
    /// The cached credentials; locked only to read or replace them, never across an await.
    cached: RwLock<Option<Credentials>>,
    /// Held while the provider is called; remembers the last failed refresh.
    refresh: tokio::sync::Mutex<Option<Failure>>,
    /// Number of finished calls to the provider; changed only while `refresh` is held.
    attempts: AtomicU64,
}

/// A failed refresh.
struct Failure {
    at: Instant,
    error: CredentialsError,
}

impl CredentialsCache {
    /// A cache of `provider`'s credentials, empty until the first [`get`](Self::get).
    pub fn new(provider: Arc<dyn ProvideCredentials>) -> Self {
        Self {
            inner: Arc::new(Inner {
                provider,
                cached: RwLock::new(None),
                refresh: tokio::sync::Mutex::new(None),
                attempts: AtomicU64::new(0),
            }),
            refresh_window: DEFAULT_REFRESH_WINDOW,
        }
    }

    /// Refreshes credentials when they expire within `window` (default 5 minutes).
    ///
    /// The window applies to this cache and the clones made from it afterwards.
    #[must_use]
    pub fn with_refresh_window(mut self, window: Duration) -> Self {
        self.refresh_window = window;
        self
    }

    /// The refresh window.
    pub fn refresh_window(&self) -> Duration {
        self.refresh_window
    }

    /// Returns the cached credentials, calling the provider first when there are none or they
    /// expire within the refresh window.
    ///
    /// # Errors
    ///
    /// The provider's error, when it fails and no unexpired credentials are cached.
    pub async fn get(&self) -> Result<Credentials, CredentialsError> {
        let seen_attempts = self.inner.attempts.load(Ordering::Acquire);
        if let Some(credentials) = self.cached_if(|c| self.is_fresh(c, SystemTime::now())) {
            return Ok(credentials);
        }
        self.refresh(seen_attempts).await
    }

    /// Drops the cached credentials, so that the next [`get`](Self::get) calls the provider.
    ///
    /// For when the service rejects the credentials (rotated or revoked).
    pub fn invalidate(&self) {
        *self
            .inner
            .cached
            .write()
            .unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// The slow path of [`get`](Self::get): one caller calls the provider, the others wait
    /// and share its outcome. `seen_attempts` is the attempt count seen before waiting.
    async fn refresh(&self, seen_attempts: u64) -> Result<Credentials, CredentialsError> {
        let mut last_failure = self.inner.refresh.lock().await;
        let now = SystemTime::now();
        // Someone else may have refreshed while this call waited.
        if let Some(credentials) = self.cached_if(|c| self.is_fresh(c, now)) {
            return Ok(credentials);
        }
        let usable = self.cached_if(|c| is_usable(c, now));
        let someone_tried = self.inner.attempts.load(Ordering::Acquire) != seen_attempts;
        match (&usable, &*last_failure) {
            // Another caller's refresh ended while this one waited: share its outcome.
            (Some(credentials), _) if someone_tried => return Ok(credentials.clone()),
            (None, Some(failure)) if someone_tried => return Err(failure.error.clone()),
            // A recent refresh failed: keep using the cached credentials for a while.
            (Some(credentials), Some(failure)) if failure.at.elapsed() < RETRY_AFTER_FAILURE => {
                return Ok(credentials.clone());
            }
            _ => {}
        }

        let result = self.inner.provider.provide_credentials().await;
        self.inner.attempts.fetch_add(1, Ordering::AcqRel);
        match result {
            Ok(credentials) => {
                *last_failure = None;
                if !self.is_fresh(&credentials, SystemTime::now()) {
                    tracing::warn!(
                        refresh_window = ?self.refresh_window,
                        "new credentials already expire within the refresh window; \
                         they will be refreshed on every use"
                    );
                }
                *self
                    .inner
                    .cached
                    .write()
                    .unwrap_or_else(PoisonError::into_inner) = Some(credentials.clone());
                Ok(credentials)
            }
            Err(error) => {
                *last_failure = Some(Failure {
                    at: Instant::now(),
                    error: error.clone(),
                });
                match usable {
                    Some(credentials) => {
                        tracing::warn!(
                            error = %error,
                            "refreshing credentials failed; using the cached credentials \
                             until they expire"
                        );
                        Ok(credentials)
                    }
                    None => Err(error),
                }
            }
        }
    }

    /// A clone of the cached credentials, when there are some and they satisfy `keep`.
    fn cached_if(&self, keep: impl FnOnce(&Credentials) -> bool) -> Option<Credentials> {
        self.inner
            .cached
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .filter(|c| keep(c))
            .cloned()
    }

    /// Whether `credentials` can be used without a refresh at `now`: they never expire, or
    /// expire after the refresh window.
    fn is_fresh(&self, credentials: &Credentials, now: SystemTime) -> bool {
        credentials.expires_at().is_none_or(|at| {
            at.duration_since(now)
                .is_ok_and(|left| left > self.refresh_window)
        })
    }
}

/// Whether `credentials` have not expired at `now`.
fn is_usable(credentials: &Credentials, now: SystemTime) -> bool {
    credentials.expires_at().is_none_or(|at| at > now)
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self.cached_if(|_| true);
        f.debug_struct("CredentialsCache")
            .field("provider", &self.inner.provider)
            .field("refresh_window", &self.refresh_window)
            .field("cached", &cached)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::sync::atomic::AtomicUsize;

    use super::super::test_support::{Fixed, SECRET_ID, SECRET_KEY, TOKEN, assert_no_secrets};
    use super::super::{CredentialsErrorKind, ProvideFuture};
    use super::*;

    /// A provider that answers with queued results (the last one repeated), optionally after
    /// a delay, and counts its calls.
    #[derive(Debug, Clone)]
    struct Scripted {
        results: Arc<Mutex<Vec<Result<Credentials, CredentialsError>>>>,
        delay: Duration,
        calls: Arc<AtomicUsize>,
    }

    impl Scripted {
        fn new(results: impl IntoIterator<Item = Result<Credentials, CredentialsError>>) -> Self {
            let mut results: Vec<_> = results.into_iter().collect();
            results.reverse();
            Self {
                results: Arc::new(Mutex::new(results)),
                delay: Duration::ZERO,
                calls: Arc::default(),
            }
        }

        fn delayed(mut self, delay: Duration) -> Self {
            self.delay = delay;
            self
        }

        fn calls(&self) -> usize {
            self.calls.load(Ordering::SeqCst)
        }
    }

    impl ProvideCredentials for Scripted {
        fn provide_credentials(&self) -> ProvideFuture<'_> {
            Box::pin(async move {
                self.calls.fetch_add(1, Ordering::SeqCst);
                if !self.delay.is_zero() {
                    tokio::time::sleep(self.delay).await;
                }
                let mut results = self.results.lock().unwrap();
                if results.len() > 1 {
                    results.pop().unwrap()
                } else {
                    results[0].clone()
                }
            })
        }
    }

    fn creds(n: u32) -> Credentials {
        Credentials::new(format!("AKIDnumber{n}"), format!("key-{n}"))
    }

    fn expiring_in(n: u32, secs: u64) -> Credentials {
        creds(n).with_expiry(SystemTime::now() + Duration::from_secs(secs))
    }

    fn failure() -> CredentialsError {
        CredentialsError::provider("sts: service unavailable")
    }

    fn cache_of(provider: &Scripted) -> CredentialsCache {
        CredentialsCache::new(Arc::new(provider.clone()))
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_gets_call_the_provider_once() {
        let provider = Scripted::new([Ok(expiring_in(1, 3600)), Ok(creds(2))])
            .delayed(Duration::from_millis(50));
        let cache = cache_of(&provider);
        let tasks: Vec<_> = (0..100)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.get().await })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.unwrap().unwrap().secret_id(), "AKIDnumber1");
        }
        assert_eq!(provider.calls(), 1);
        // Still cached afterwards.
        assert_eq!(cache.get().await.unwrap().secret_id(), "AKIDnumber1");
        assert_eq!(provider.calls(), 1);
    }

    #[tokio::test]
    async fn credentials_without_expiry_are_kept() {
        let provider = Fixed::new(Ok(creds(1)));
        let calls = provider.calls.clone();
        let cache = CredentialsCache::new(Arc::new(provider)).with_refresh_window(Duration::MAX);
        for _ in 0..10 {
            assert_eq!(cache.get().await.unwrap(), creds(1));
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn credentials_inside_the_window_are_refreshed_once() {
        // The first credentials expire in 1 minute, inside the default 5-minute window.
        let provider = Scripted::new([Ok(expiring_in(1, 60)), Ok(expiring_in(2, 3600))]);
        let cache = cache_of(&provider);
        assert_eq!(cache.get().await.unwrap().secret_id(), "AKIDnumber1");
        assert_eq!(provider.calls(), 1);
        for _ in 0..5 {
            assert_eq!(cache.get().await.unwrap().secret_id(), "AKIDnumber2");
        }
        assert_eq!(provider.calls(), 2);

        // With a 30-second window, the same 1-minute credentials are fresh.
        let provider = Scripted::new([Ok(expiring_in(1, 60)), Ok(expiring_in(2, 3600))]);
        let cache = cache_of(&provider).with_refresh_window(Duration::from_secs(30));
        for _ in 0..5 {
            assert_eq!(cache.get().await.unwrap().secret_id(), "AKIDnumber1");
        }
        assert_eq!(provider.calls(), 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_refresh_of_expiring_credentials_calls_the_provider_once() {
        let provider = Scripted::new([Ok(expiring_in(1, 60)), Ok(expiring_in(2, 3600))])
            .delayed(Duration::from_millis(50));
        let cache = cache_of(&provider);
        assert_eq!(cache.get().await.unwrap().secret_id(), "AKIDnumber1");
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.get().await })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.unwrap().unwrap().secret_id(), "AKIDnumber2");
        }
        assert_eq!(provider.calls(), 2);
    }

    #[tokio::test]
    async fn failed_refresh_with_unexpired_cache_returns_the_cached_credentials() {
        let provider = Scripted::new([Ok(expiring_in(1, 60)), Err(failure())]);
        let cache = cache_of(&provider);
        let first = cache.get().await.unwrap();
        assert_eq!(cache.get().await.unwrap(), first);
        assert_eq!(provider.calls(), 2);
        // The failed refresh is not retried right away.
        assert_eq!(cache.get().await.unwrap(), first);
        assert_eq!(provider.calls(), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_callers_share_a_failed_refresh() {
        let provider = Scripted::new([Err(failure())]).delayed(Duration::from_millis(200));
        let cache = cache_of(&provider);
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.get().await })
            })
            .collect();
        for task in tasks {
            let e = task.await.unwrap().unwrap_err();
            assert_eq!(e.kind(), CredentialsErrorKind::Provider);
        }
        assert_eq!(provider.calls(), 1);
        // A later call tries again: there is nothing to fall back on.
        assert!(cache.get().await.is_err());
        assert_eq!(provider.calls(), 2);
    }

    #[tokio::test]
    async fn failed_refresh_with_expired_cache_returns_the_error() {
        let expired = creds(1).with_expiry(SystemTime::now() - Duration::from_secs(1));
        let provider = Scripted::new([Ok(expired.clone()), Err(failure())]);
        let cache = cache_of(&provider).with_refresh_window(Duration::ZERO);
        // The provider's answer is returned as is, even when already expired.
        assert_eq!(cache.get().await.unwrap(), expired);
        let e = cache.get().await.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Provider);
        assert_eq!(e.to_string(), "sts: service unavailable");
        // And again: with nothing usable cached, every call asks the provider.
        assert!(cache.get().await.is_err());
        assert_eq!(provider.calls(), 3);
    }

    #[tokio::test]
    async fn failure_without_cache_returns_the_error_then_recovers() {
        let provider = Scripted::new([Err(failure()), Ok(creds(2))]);
        let cache = cache_of(&provider);
        assert!(cache.get().await.is_err());
        assert_eq!(cache.get().await.unwrap(), creds(2));
        assert_eq!(provider.calls(), 2);
    }

    #[tokio::test]
    async fn invalidate_forces_a_refresh() {
        let provider = Scripted::new([Ok(creds(1)), Ok(creds(2))]);
        let cache = cache_of(&provider);
        assert_eq!(cache.get().await.unwrap(), creds(1));
        assert_eq!(cache.get().await.unwrap(), creds(1));
        cache.clone().invalidate();
        assert_eq!(cache.get().await.unwrap(), creds(2));
        assert_eq!(cache.get().await.unwrap(), creds(2));
        assert_eq!(provider.calls(), 2);
    }

    #[tokio::test]
    async fn debug_shows_no_secrets() {
        let secret = Credentials::new(SECRET_ID, SECRET_KEY).with_token(TOKEN);
        let cache = CredentialsCache::new(Arc::new(secret));
        let empty = format!("{cache:?}");
        assert!(empty.contains("cached: None"), "{empty}");
        cache.get().await.unwrap();
        let out = format!("{cache:?} {cache:#?}");
        assert_no_secrets(&out);
        assert!(out.contains("AKID****MPLE"), "{out}");
    }

    #[test]
    fn freshness() {
        let cache = CredentialsCache::new(Arc::new(creds(0)));
        let now = SystemTime::now();
        let window = DEFAULT_REFRESH_WINDOW;
        assert!(cache.is_fresh(&creds(1), now));
        assert!(cache.is_fresh(
            &creds(1).with_expiry(now + window + Duration::from_secs(1)),
            now
        ));
        assert!(!cache.is_fresh(&creds(1).with_expiry(now + window), now));
        assert!(!cache.is_fresh(&creds(1).with_expiry(now - Duration::from_secs(1)), now));
        assert!(is_usable(&creds(1), now));
        assert!(is_usable(
            &creds(1).with_expiry(now + Duration::from_secs(1)),
            now
        ));
        assert!(!is_usable(&creds(1).with_expiry(now), now));
    }
}
