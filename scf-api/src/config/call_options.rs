//! Options of one call.

use std::time::Duration;

use crate::retry::RetryPolicy;

/// Options of one call, separate from the action's inputs so that no input name can clash with
/// them. Unset options take the client's value.
///
/// ```no_run
/// # async fn demo(client: scf_api::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// use scf_api::{CallOptions, RetryPolicy};
///
/// let out = client
///     .list_functions()
///     .options(
///         CallOptions::new()
///             .region("ap-shanghai")
///             .total_timeout(Duration::from_secs(10))
///             .retry_policy(RetryPolicy::default().with_max_attempts(5)),
///     )
///     .send()
///     .await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallOptions {
    /// Timeout of each attempt of this call.
    pub attempt_timeout: Option<Duration>,
    /// Timeout of the whole call, all attempts and waits included.
    pub total_timeout: Option<Duration>,
    /// Region of this call.
    pub region: Option<String>,
    /// Retry policy of this call.
    pub retry_policy: Option<RetryPolicy>,
}

impl CallOptions {
    /// Default options: everything as the client says.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the timeout of each attempt of this call.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// Sets the timeout of the whole call.
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.total_timeout = Some(timeout);
        self
    }

    /// Sets the region of this call.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sets the retry policy of this call.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = Some(policy);
        self
    }
}
