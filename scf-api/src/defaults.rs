//! What a client uses when nothing else is configured: the default credentials chain, and the
//! two entry points that apply it ([`ClientBuilder::build`], [`Client::from_env`]).
//!
//! This sits at the top of the crate: the chain holds the STS-based TKE source, which calls
//! STS through a client, so it can live neither in `credentials` nor in `config`.

use std::sync::Arc;

use crate::client::Client;
use crate::config::{ClientBuilder, ConfigError};
use crate::credentials::{
    ChainProvider, CvmRoleProvider, EnvironmentProvider, ProfileProvider, TccliProvider,
};
use crate::env::Environment;
use crate::sts::WebIdentityProvider;

impl ChainProvider {
    /// The default chain, reading the process environment; see
    /// [`default_chain_with_env`](Self::default_chain_with_env).
    pub fn default_chain() -> Self {
        Self::default_chain_with_env(Environment::process())
    }

    /// The default chain, reading the given environment. The sources, in order:
    ///
    /// 1. [`EnvironmentProvider`]: `TENCENTCLOUD_SECRET_ID`/`_KEY` (+ token), else the
    ///    variables SCF sets inside a function (`TENCENTCLOUD_SECRETID`/`SECRETKEY`/
    ///    `SESSIONTOKEN`);
    /// 2. [`ProfileProvider`]: `TENCENTCLOUD_CREDENTIALS_FILE`, else
    ///    `~/.tencentcloud/credentials`, else `/etc/tencentcloud/credentials`;
    /// 3. [`TccliProvider`]: `~/.tccli/<profile>.credential`, as tccli writes it;
    /// 4. [`WebIdentityProvider`]: TKE's OIDC token, when the `TKE_*` variables are set;
    /// 5. [`CvmRoleProvider`]: the CVM instance role, from the metadata service (short
    ///    timeouts, so off CVM it gives up quickly).
    ///
    /// A source that has nothing passes to the next; one that is present but broken (half of a
    /// key pair, a malformed file, three of the four `TKE_*` variables) stops the chain with an
    /// error naming it; when no source has credentials, the error lists what each one said.
    pub fn default_chain_with_env(env: Environment) -> Self {
        Self::new()
            .push(EnvironmentProvider::with_env(env.clone()))
            .push(ProfileProvider::with_env(env.clone()))
            .push(TccliProvider::with_env(env.clone()))
            .push(WebIdentityProvider::with_env(env.clone()))
            .push(CvmRoleProvider::with_env(env))
    }
}

/// The default credentials of a client: the default chain over the builder's environment.
fn default_credentials(env: Environment) -> Arc<dyn crate::credentials::ProvideCredentials> {
    Arc::new(ChainProvider::default_chain_with_env(env))
}

impl ClientBuilder {
    /// Builds the client. Nothing is sent and no credentials are fetched yet: credential
    /// problems show in the first call's error. Without
    /// [`credentials`](Self::credentials) or [`credentials_provider`](Self::credentials_provider),
    /// the client uses [`ChainProvider::default_chain_with_env`] over the builder's
    /// environment.
    pub fn build(self) -> Result<Client, ConfigError> {
        Ok(Client::from_config(self.resolve(default_credentials)?))
    }
}

impl Client {
    /// A client configured from the process environment: region, endpoint override and
    /// credentials (see [`ClientBuilder::from_env`] and [`ChainProvider::default_chain`]).
    ///
    /// ```no_run
    /// # fn demo() -> Result<(), scf_api::ConfigError> {
    /// // TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY, TENCENTCLOUD_REGION are set, or the
    /// // code runs where a source of the default chain has credentials (an SCF function, a
    /// // TKE pod with a role, a CVM with a role).
    /// let client = scf_api::Client::from_env()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn from_env() -> Result<Client, ConfigError> {
        ClientBuilder::from_env().build()
    }
}
