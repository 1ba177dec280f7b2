//! The client-side rate limit setting.

use std::time::Duration;

/// The span within which a client starts at most an action's documented number of calls:
/// one second, plus a margin for the network, which can bring requests closer together on
/// arrival than they were when sent.
pub const RATE_LIMIT_WINDOW: Duration = Duration::from_millis(1_050);

/// Whether the client spaces its calls to stay within each action's documented rate limit
/// (see [`ClientBuilder::rate_limit`](crate::ClientBuilder::rate_limit)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RateLimit {
    /// Calls are sent as soon as they are made; a call over the service's limit is answered
    /// with `RequestLimitExceeded` ([`ErrorKind::Throttled`](crate::ErrorKind::Throttled)) and
    /// retried under the retry policy. The default.
    #[default]
    Off,
    /// Before every attempt (retries and clock-skew resends included), the client waits until
    /// the attempt keeps the action within its documented rate limit
    /// ([`ActionMeta::rate_limit`](crate::ActionMeta::rate_limit), from the spec): at most that
    /// many attempts of the action start within any [`RATE_LIMIT_WINDOW`]. Actions without a
    /// documented limit are not delayed.
    Documented,
}
