//! Polling an action until a state of its output is final: the runtime of the generated
//! `wait_until_*` builder methods, which only say where the state is and which values end the
//! wait.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

use crate::action::{Action, ErrorCode};
use crate::client::Client;
use crate::config::CallOptions;
use crate::error::Error;

/// How long a waiter may wait and how often it polls. Unset values take the waiter's defaults
/// from the spec (they are listed in each `wait_until_*` method's documentation).
///
/// A [`Duration`] converts into a config that only limits the wait.
///
/// ```
/// use std::time::Duration;
/// use scf_api::WaiterConfig;
///
/// let config = WaiterConfig::new()
///     .max_wait(Duration::from_secs(120))
///     .min_delay(Duration::from_millis(500))
///     .max_delay(Duration::from_secs(5));
/// assert_eq!(config, WaiterConfig::from(Duration::from_secs(120))
///     .min_delay(Duration::from_millis(500))
///     .max_delay(Duration::from_secs(5)));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WaiterConfig {
    max_wait: Option<Duration>,
    min_delay: Option<Duration>,
    max_delay: Option<Duration>,
}

impl WaiterConfig {
    /// The waiter's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// The longest time to wait, polls included: past it the waiter gives up with
    /// [`WaitError::Timeout`].
    #[must_use]
    pub fn max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = Some(max_wait);
        self
    }

    /// The wait after the first poll; later waits grow exponentially from it.
    #[must_use]
    pub fn min_delay(mut self, delay: Duration) -> Self {
        self.min_delay = Some(delay);
        self
    }

    /// The longest wait between two polls (raised to the minimum delay if below it).
    #[must_use]
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = Some(delay);
        self
    }
}

impl From<Duration> for WaiterConfig {
    fn from(max_wait: Duration) -> Self {
        WaiterConfig::new().max_wait(max_wait)
    }
}

/// A waiter that reached a final state: the last output, the state, whether it is a success
/// state, and what it took.
///
/// ```no_run
/// # async fn demo(client: scf_api::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// use scf_api::WaiterConfig;
///
/// let waited = client
///     .get_function()
///     .function_name("orders")
///     .wait_until_function_active(
///         WaiterConfig::new()
///             .max_wait(Duration::from_secs(120))
///             .max_delay(Duration::from_secs(2)),
///     )
///     .await?;
/// if !waited.success {
///     println!("{}: {:?}", waited.state, waited.output.status_reasons);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Waited<O> {
    /// The output of the last poll, which showed the final state.
    pub output: O,
    /// The final state, e.g. `FINISHED`.
    pub state: String,
    /// Whether `state` is a success state (otherwise it is a failure state, e.g. `FAILED`).
    pub success: bool,
    /// How many calls were made.
    pub polls: u32,
    /// How long the wait took.
    pub elapsed: Duration,
}

/// Why a waiter ended without reaching a final state.
///
/// ```no_run
/// # async fn demo(client: scf_api::Client, id: &str) {
/// use std::time::Duration;
/// use scf_api::WaitError;
///
/// match client
///     .get_async_event_status()
///     .invoke_request_id(id)
///     .wait_until_async_event_done(Duration::from_secs(60))
///     .await
/// {
///     Ok(done) if done.success => println!("finished after {} polls", done.polls),
///     Ok(done) => println!("ended as {}", done.state),
///     Err(WaitError::Timeout { last_state, .. }) => println!("still {last_state:?}"),
///     Err(e) => println!("failed: {e}"),
/// }
/// # }
/// ```
#[non_exhaustive]
pub enum WaitError<E> {
    /// The time allowed passed before a final state was seen.
    Timeout {
        /// The waiter's name from the spec, e.g. `AsyncEventDone`.
        waiter: &'static str,
        /// The last state seen, e.g. `RUNNING`; `None` when no poll showed one.
        last_state: Option<String>,
        /// How many calls were made.
        polls: u32,
        /// How long the waiter waited.
        waited: Duration,
    },
    /// A call failed (after the client's own retries of retryable failures).
    Call(Error<E>),
}

impl<E> WaitError<E> {
    /// The last state seen before the time ran out, if any.
    pub fn last_state(&self) -> Option<&str> {
        match self {
            WaitError::Timeout { last_state, .. } => last_state.as_deref(),
            WaitError::Call(_) => None,
        }
    }

    /// Whether the time allowed passed.
    pub fn is_timeout(&self) -> bool {
        matches!(self, WaitError::Timeout { .. })
    }

    /// The failed call's error, when a call failed.
    pub fn call_error(&self) -> Option<&Error<E>> {
        match self {
            WaitError::Call(e) => Some(e),
            WaitError::Timeout { .. } => None,
        }
    }
}

impl<E: ErrorCode> fmt::Debug for WaitError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::Timeout {
                waiter,
                last_state,
                polls,
                waited,
            } => f
                .debug_struct("Timeout")
                .field("waiter", waiter)
                .field("last_state", last_state)
                .field("polls", polls)
                .field("waited", waited)
                .finish(),
            WaitError::Call(e) => f.debug_tuple("Call").field(e).finish(),
        }
    }
}

impl<E: ErrorCode> fmt::Display for WaitError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::Timeout {
                waiter,
                last_state,
                polls,
                waited,
            } => {
                write!(
                    f,
                    "waiter {waiter} timed out after {waited:?} and {polls} poll(s)"
                )?;
                match last_state {
                    Some(state) => write!(f, "; the last state was `{state}`"),
                    None => f.write_str("; no state was seen"),
                }
            }
            WaitError::Call(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl<E: ErrorCode> StdError for WaitError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            WaitError::Call(e) => Some(e),
            WaitError::Timeout { .. } => None,
        }
    }
}

impl<E> From<Error<E>> for WaitError<E> {
    fn from(e: Error<E>) -> Self {
        WaitError::Call(e)
    }
}

/// A waiter as the spec describes it; generated code passes one to [`wait`].
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaiterDef {
    /// PascalCase name.
    pub name: &'static str,
    /// Final states meaning success.
    pub success: &'static [&'static str],
    /// Final states meaning failure.
    pub failure: &'static [&'static str],
    /// Default shortest wait between polls.
    pub min_delay: Duration,
    /// Default longest wait between polls.
    pub max_delay: Duration,
    /// Default time allowed.
    pub default_timeout: Duration,
}

/// The wait before poll `poll + 1`: uniform between `min` and `min * 2^(poll-1)` capped at `max`.
fn delay(min: Duration, max: Duration, poll: u32) -> Duration {
    let doublings = poll.saturating_sub(1).min(31);
    let ceiling = min.saturating_mul(1u32 << doublings).min(max).max(min);
    let span = u64::try_from((ceiling - min).as_nanos()).unwrap_or(u64::MAX);
    min + Duration::from_nanos(fastrand::u64(0..=span))
}

/// Polls `request` until `state` shows a final state of `def`, or the time allowed passes.
#[doc(hidden)]
pub async fn wait<A: Action>(
    client: &Client,
    request: &A,
    options: &CallOptions,
    def: &WaiterDef,
    config: WaiterConfig,
    state: fn(&A::Output) -> Option<&str>,
) -> Result<Waited<A::Output>, WaitError<A::Error>> {
    poll_until(def, config, state, || client.execute_with(request, options)).await
}

/// The waiting loop, over any way of polling.
pub(crate) async fn poll_until<O, E, F, Fut>(
    def: &WaiterDef,
    config: WaiterConfig,
    state: fn(&O) -> Option<&str>,
    mut poll: F,
) -> Result<Waited<O>, WaitError<E>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<O, Error<E>>>,
{
    let min_delay = config.min_delay.unwrap_or(def.min_delay);
    let max_delay = config.max_delay.unwrap_or(def.max_delay).max(min_delay);
    let max_wait = config.max_wait.unwrap_or(def.default_timeout);
    let started = Instant::now();
    let deadline = started + max_wait;
    let mut polls = 0u32;
    let mut last_state: Option<String> = None;
    let timeout = |last_state: Option<String>, polls: u32| WaitError::Timeout {
        waiter: def.name,
        last_state,
        polls,
        waited: started.elapsed(),
    };
    loop {
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err(timeout(last_state, polls));
        }
        // A call still running at the deadline is abandoned.
        let Ok(result) = tokio::time::timeout(remaining, poll()).await else {
            return Err(timeout(last_state, polls + 1));
        };
        polls += 1;
        let output = result.map_err(WaitError::Call)?;
        let current = state(&output).filter(|s| !s.is_empty());
        tracing::debug!(
            waiter = def.name,
            state = current.unwrap_or(""),
            polls,
            "waiter polled"
        );
        if let Some(s) = current {
            let success = def.success.contains(&s);
            if success || def.failure.contains(&s) {
                return Ok(Waited {
                    state: s.to_owned(),
                    output,
                    success,
                    polls,
                    elapsed: started.elapsed(),
                });
            }
        }
        last_state = current.map(str::to_owned).or(last_state);
        // Leave at least the minimum delay for a last poll before the deadline; when even that
        // does not fit, give up now rather than sleep until the deadline for nothing.
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining <= min_delay {
            return Err(timeout(last_state, polls));
        }
        let wait = delay(min_delay, max_delay, polls).min(remaining - min_delay);
        tokio::time::sleep(wait).await;
    }
}

#[cfg(test)]
mod tests;
