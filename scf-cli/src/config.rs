//! The client, configured exactly as scf-api's `ClientBuilder::from_env` (`TENCENTCLOUD_*`
//! variables, profile files, tccli's files, the default credentials chain), with `--profile`,
//! `--region` and `--endpoint-url` on top. Credentials are looked up before anything is sent,
//! so that their absence is reported (253) with every place the chain looked.

use std::sync::Arc;

use scf_api::credentials::{ChainProvider, ProvideCredentials};
use scf_api::{Client, ClientBuilder, Endpoint, Environment};

use crate::failure::Failure;

/// The connection settings given on the command line.
#[derive(Debug, Clone, Default)]
pub struct Connection {
    /// `--region`.
    pub region: Option<String>,
    /// `--profile`: the profile of `~/.tencentcloud/credentials` and of tccli's files.
    pub profile: Option<String>,
    /// `--endpoint-url`.
    pub endpoint_url: Option<String>,
}

/// The variables naming the profile, for scf-api's profile and tccli sources.
const PROFILE_VARS: [&str; 2] = ["TENCENTCLOUD_PROFILE", "TCCLI_PROFILE"];

impl Connection {
    /// The environment the client reads: the process's, with `--profile` in the variables that
    /// name a profile.
    fn environment(&self) -> Environment {
        let Some(profile) = &self.profile else {
            return Environment::process();
        };
        let vars = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .filter(|(k, _)| !PROFILE_VARS.contains(&k.as_str()))
            .chain(PROFILE_VARS.map(|k| (k.to_owned(), profile.clone())));
        Environment::from_vars(vars)
    }

    /// A client with credentials found, or the failure saying why there is none.
    pub async fn client(&self) -> Result<Client, Failure> {
        let env = self.environment();
        let chain = Arc::new(ChainProvider::default_chain_with_env(env.clone()));
        let credentials = chain
            .provide_credentials()
            .await
            .map_err(|e| Failure::config(format!("no credentials: {e}")))?;
        let mut builder = ClientBuilder::from_environment(env);
        builder = if credentials.expires_at().is_some() {
            // Temporary credentials: let the client refresh them through the chain.
            builder.credentials_provider(chain)
        } else {
            builder.credentials(credentials)
        };
        if let Some(region) = &self.region {
            builder = builder.region(region.clone());
        }
        if let Some(url) = &self.endpoint_url {
            builder = builder.endpoint(Endpoint::Url(url.clone()));
        }
        builder
            .build()
            .map_err(|e| Failure::config(format!("bad configuration: {e}")))
    }
}
