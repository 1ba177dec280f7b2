//! The TLS crypto provider of the built-in HTTP client.
//!
//! reqwest is built without a provider of its own. The client uses the process-wide default
//! provider when the application installed one (a FIPS provider, for instance); otherwise it
//! installs the one its features select: *aws-lc-rs* with the `aws-lc-rs` feature (post-quantum
//! key exchange, FIPS-capable), else *ring* with the default `ring` feature (smaller and faster
//! to build, without post-quantum key exchange).

use rustls::crypto::CryptoProvider;

/// Makes sure a process-wide default provider is installed, installing this build's own only
/// when none is. Returns `false` when there is none and this build has none to offer (both
/// provider features disabled).
pub(crate) fn ensure_provider() -> bool {
    if CryptoProvider::get_default().is_some() {
        return true;
    }
    match own_provider() {
        // Losing a race with another thread's installation is fine: one provider is in place.
        Some(provider) => {
            let _ = provider.install_default();
            true
        }
        None => CryptoProvider::get_default().is_some(),
    }
}

/// The provider this build brings, by feature.
fn own_provider() -> Option<CryptoProvider> {
    #[cfg(feature = "aws-lc-rs")]
    {
        Some(rustls::crypto::aws_lc_rs::default_provider())
    }
    #[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
    {
        // rustls deprecates this constructor because ring has no post-quantum key exchange;
        // ring stays the lean default on purpose (see the README's performance section), and
        // the `aws-lc-rs` feature selects the provider that has it.
        #[allow(deprecated)]
        Some(rustls::crypto::ring::default_provider())
    }
    #[cfg(not(any(feature = "ring", feature = "aws-lc-rs")))]
    {
        None
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_provider_is_installed_and_kept() {
        assert!(super::ensure_provider());
        let first = rustls::crypto::CryptoProvider::get_default().cloned();
        assert!(first.is_some());
        assert!(super::ensure_provider());
        let again = rustls::crypto::CryptoProvider::get_default().cloned();
        assert!(std::sync::Arc::ptr_eq(&first.unwrap(), &again.unwrap()));
    }

    /// With the `aws-lc-rs` feature, the installed provider offers the hybrid post-quantum key
    /// exchange first.
    #[cfg(feature = "aws-lc-rs")]
    #[test]
    fn aws_lc_rs_offers_post_quantum_key_exchange() {
        assert!(super::ensure_provider());
        let provider = rustls::crypto::CryptoProvider::get_default().unwrap();
        let first = provider.kx_groups.first().map(|g| g.name());
        assert_eq!(first, Some(rustls::NamedGroup::X25519MLKEM768));
    }
}
