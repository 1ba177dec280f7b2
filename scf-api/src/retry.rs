//! Retries: which failures are worth another attempt, and how long to wait before it.

use std::time::Duration;

use crate::error::{ErrorKind, TimeoutKind};
use crate::generated as spec;

/// Whether retrying can help with a service error code, as the spec's `errors.json` says
/// (see [`crate::service::retry_class`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetryClass {
    /// The same request fails the same way again.
    Never,
    /// The service rejected the request without processing it (throttling): any action may be
    /// sent again.
    Always,
    /// The service may have processed the request: only actions safe to repeat (reads) may be
    /// sent again.
    SafeActionsOnly,
}

/// How many attempts a call may take and how long to wait between them.
///
/// The wait before retry `n` (1 for the second attempt) is drawn uniformly from
/// `0..=min(max_backoff, initial_backoff * 2^(n-1))` ("full jitter"), which spreads the retries
/// of many clients hitting the same limit. The default allows 3 attempts with an initial backoff
/// of 200 ms and at most 5 s.
///
/// What is retried does not depend on the policy: connection failures before the request was
/// sent, throttling (`RequestLimitExceeded` and its sub-codes, HTTP 429) and signature expiry
/// always; timeouts, dropped connections, HTTP 5xx and `InternalError`-like codes only for
/// actions the spec marks safe to repeat (reads). An action such as `Invoke` or
/// `CreateFunction` is never sent again once the service may have received it.
///
/// ```
/// use std::time::Duration;
/// use scf_api::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .with_max_attempts(5)
///     .with_initial_backoff(Duration::from_millis(50));
/// assert_eq!(policy.max_attempts(), 5);
/// assert!(policy.backoff(1) <= Duration::from_millis(50));
/// assert!(policy.backoff(10) <= policy.max_backoff());
/// assert_eq!(RetryPolicy::disabled().max_attempts(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// A policy of one attempt: nothing is retried (except a request rejected because of clock
    /// skew, which is corrected and sent once more).
    pub fn disabled() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Sets the largest number of attempts, the first included (at least 1).
    #[must_use]
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// Sets the upper bound of the wait before the first retry; it doubles for each further
    /// retry.
    #[must_use]
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Sets the largest wait between two attempts.
    #[must_use]
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The largest number of attempts, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The upper bound of the wait before the first retry.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The largest wait between two attempts.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The upper bound of the wait before retry `retry` (1 for the second attempt).
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        let doublings = retry.saturating_sub(1).min(31);
        self.initial_backoff
            .saturating_mul(1u32 << doublings)
            .min(self.max_backoff)
    }

    /// A random wait before retry `retry` (1 for the second attempt), uniform in
    /// `0..=backoff_ceiling(retry)`.
    pub fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self.backoff_ceiling(retry);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }
}

/// Whether another attempt may help after a failure, given what is known about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// No: the same request fails the same way, or re-sending it could repeat its effect.
    Stop,
    /// Yes: the request did not reach the service, or it was rejected unprocessed.
    Retry,
    /// Yes, but only for actions safe to repeat: the service may have processed the request.
    RetryIfSafe,
}

impl Verdict {
    /// The verdict for an action that is (or is not) safe to repeat.
    pub(crate) fn allows(self, retry_safe: bool) -> bool {
        match self {
            Verdict::Stop => false,
            Verdict::Retry => true,
            Verdict::RetryIfSafe => retry_safe,
        }
    }
}

impl From<RetryClass> for Verdict {
    fn from(class: RetryClass) -> Self {
        match class {
            RetryClass::Never => Verdict::Stop,
            RetryClass::Always => Verdict::Retry,
            RetryClass::SafeActionsOnly => Verdict::RetryIfSafe,
        }
    }
}

/// What retrying can do about a failure, before considering whether the action is safe to
/// repeat.
pub(crate) fn verdict<E>(kind: &ErrorKind<E>, code: Option<&str>) -> Verdict {
    match kind {
        // Refused unprocessed.
        ErrorKind::Throttled(_) => Verdict::Retry,
        ErrorKind::Service(_) => Verdict::from(spec::retry_class(code.unwrap_or_default())),
        // A certificate the client refuses stays refused; a request that could not be built
        // stays unbuildable; an answer through a redirect is refused again.
        ErrorKind::Connect(t) | ErrorKind::Transport(t) if t.is_final() => Verdict::Stop,
        // Never sent.
        ErrorKind::Connect(_) => Verdict::Retry,
        ErrorKind::Timeout(t) => match t.kind {
            TimeoutKind::Connect => Verdict::Retry,
            TimeoutKind::Attempt => Verdict::RetryIfSafe,
            TimeoutKind::Total => Verdict::Stop,
        },
        // Sent, and maybe processed.
        ErrorKind::ConnectionClosed(_) | ErrorKind::Transport(_) => Verdict::RetryIfSafe,
        ErrorKind::Http(h) if h.status == 429 => Verdict::Retry,
        ErrorKind::Http(h) if h.status >= 500 => Verdict::RetryIfSafe,
        ErrorKind::Http(_)
        | ErrorKind::Decode(_)
        | ErrorKind::InvalidInput(_)
        | ErrorKind::Credentials(_)
        | ErrorKind::Paging(_) => Verdict::Stop,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceiling_doubles_and_is_capped() {
        let p = RetryPolicy::default()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(1000));
        let ceilings: Vec<u128> = (1..=6).map(|n| p.backoff_ceiling(n).as_millis()).collect();
        assert_eq!(ceilings, [100, 200, 400, 800, 1000, 1000]);
        assert_eq!(p.backoff_ceiling(u32::MAX), Duration::from_millis(1000));
    }

    #[test]
    fn jitter_stays_in_range_and_varies() {
        let p = RetryPolicy::default();
        let waits: Vec<Duration> = (0..200).map(|_| p.backoff(2)).collect();
        assert!(waits.iter().all(|w| *w <= p.backoff_ceiling(2)));
        let distinct: std::collections::HashSet<_> = waits.iter().collect();
        assert!(distinct.len() > 100, "full jitter must spread the waits");
    }

    #[test]
    fn at_least_one_attempt() {
        assert_eq!(
            RetryPolicy::default().with_max_attempts(0).max_attempts(),
            1
        );
    }

    #[test]
    fn verdicts() {
        assert!(Verdict::Retry.allows(false));
        assert!(!Verdict::RetryIfSafe.allows(false));
        assert!(Verdict::RetryIfSafe.allows(true));
        assert!(!Verdict::Stop.allows(true));
        assert_eq!(Verdict::from(RetryClass::Always), Verdict::Retry);
    }
}
