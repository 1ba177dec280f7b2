//! Shared values and checks for the credentials tests.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};

/// A secret id long enough to be shown masked (`AKID****MPLE`).
pub(crate) const SECRET_ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
/// A secret key.
pub(crate) const SECRET_KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
/// A session token.
pub(crate) const TOKEN: &str = "temporary-session-token-value";

/// Panics when `out` contains the secret key, the token or the full secret id.
#[track_caller]
pub(crate) fn assert_no_secrets(out: &str) {
    assert!(!out.contains(SECRET_KEY), "secret key in {out}");
    assert!(!out.contains(TOKEN), "token in {out}");
    assert!(!out.contains(SECRET_ID), "secret id in {out}");
}

/// A provider that counts its calls and answers with a fixed result.
#[derive(Debug, Clone)]
pub(crate) struct Fixed {
    pub(crate) result: Result<Credentials, CredentialsError>,
    pub(crate) calls: Arc<AtomicUsize>,
}

impl Fixed {
    pub(crate) fn new(result: Result<Credentials, CredentialsError>) -> Self {
        Self {
            result,
            calls: Arc::default(),
        }
    }

    pub(crate) fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl ProvideCredentials for Fixed {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Box::pin(std::future::ready(self.result.clone()))
    }
}
