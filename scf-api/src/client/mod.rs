//! The client and the one generic send path every action uses: validate, get credentials, sign,
//! send, decode, and retry what retrying can fix.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use tokio::time::Instant;
use tracing::Instrument;
use tracing::field::Empty;

use crate::action::{Action, ActionMeta, ErrorCode, InputProblem, InvalidInput, Signing};
use crate::config::{Base, CallOptions, ClientBuilder, Config, LONG_ACTION_MARGIN, RateLimit};
use crate::error::{Error, ErrorKind, TimeoutError, TimeoutKind};
use crate::generated as spec;
use crate::retry::verdict;
use crate::signer::SigningKeyCache;

mod attempt;
mod limiter;

use limiter::Limiter;

/// A client of the SCF API: cheap to clone (an `Arc` inside), `Send + Sync`.
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use scf_api::{Client, Credentials};
///
/// let client = Client::builder()
///     .credentials(Credentials::new("AKID...", "secret"))
///     .region("ap-guangzhou")
///     .build()?;
/// let out = client
///     .get_request_status()
///     .function_name("hello")
///     .function_request_id("a63607c3-581f-4be9-8c4b-631c75909f07")
///     .send()
///     .await?;
/// for status in out.data.unwrap_or_default() {
///     println!("{} -> {}", status.request_id, status.ret_code);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<ClientInner>,
}

struct ClientInner {
    config: Config,
    /// The starts of recent attempts per action, when the client keeps to the documented rate
    /// limits; shared by every clone.
    limiter: Option<Limiter>,
    keys: SigningKeyCache,
    /// Seconds to add to the local clock to get the service's, learned from
    /// `AuthFailure.SignatureExpire` answers.
    clock_offset: AtomicI64,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.inner.config;
        f.debug_struct("Client")
            .field("credentials", &p.credentials)
            .field("endpoint", p.base.endpoint())
            .field("region", &p.region)
            .field("language", &p.language)
            .field("request_client", &p.request_client)
            .field("connect_timeout", &p.connect_timeout)
            .field("attempt_timeout", &p.attempt_timeout)
            .field("total_timeout", &p.total_timeout)
            .field("retry_policy", &p.retry_policy)
            .field("max_response_bytes", &p.max_response_bytes)
            .field("rate_limit", &p.rate_limit)
            .field("clock_offset_secs", &self.clock_offset_secs())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder: default endpoint, no region, credentials from the
    /// [default chain](crate::credentials::ChainProvider::default_chain_with_env) (environment,
    /// profile files, tccli, TKE OIDC, CVM role) unless set.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The client running with `config`.
    pub(crate) fn from_config(config: Config) -> Client {
        Client {
            inner: Arc::new(ClientInner {
                limiter: match config.rate_limit {
                    RateLimit::Off => None,
                    RateLimit::Documented => Some(Limiter::default()),
                },
                config,
                keys: SigningKeyCache::new(),
                clock_offset: AtomicI64::new(0),
            }),
        }
    }

    /// The endpoint requests go to.
    pub fn endpoint(&self) -> &crate::Endpoint {
        self.inner.config.base.endpoint()
    }

    /// The configured region, if any.
    pub fn region(&self) -> Option<&str> {
        self.inner.config.region.as_deref()
    }

    /// The difference between the service's clock and this machine's, in seconds (positive when
    /// the service is ahead), as learned from `AuthFailure.SignatureExpire` answers; 0 until
    /// such an answer arrives. Requests are timestamped with the local clock plus this offset.
    pub fn clock_offset_secs(&self) -> i64 {
        self.inner.clock_offset.load(Ordering::Relaxed)
    }

    /// Sends any action's request with the client's options.
    pub async fn execute<A: Action>(&self, request: &A) -> Result<A::Output, Error<A::Error>> {
        self.execute_with(request, &CallOptions::default()).await
    }

    /// Sends any action's request with per-call options.
    ///
    /// Emits a `tracing` span `scf_api.call` (level INFO) with the fields `action`, `region`,
    /// and, when the call ends, `attempts`, `request_id`, `status` (`ok` or `error`) and
    /// `latency_ms`; inside it a DEBUG span `scf_api.attempt` per attempt, and DEBUG events for
    /// retries, clock corrections and the final error. None of them holds credentials or request
    /// or response bodies.
    pub async fn execute_with<A: Action>(
        &self,
        request: &A,
        options: &CallOptions,
    ) -> Result<A::Output, Error<A::Error>> {
        let region = options
            .region
            .as_deref()
            .or(self.inner.config.region.as_deref());
        let span = tracing::info_span!(
            "scf_api.call",
            action = A::META.name,
            region = region.unwrap_or(""),
            attempts = Empty,
            request_id = Empty,
            status = Empty,
            latency_ms = Empty,
        );
        let started = std::time::Instant::now();
        let result = self
            .call(request, options, region)
            .instrument(span.clone())
            .await;
        let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        span.record("latency_ms", latency_ms);
        match result {
            Ok((output, request_id, attempts)) => {
                span.record("attempts", attempts);
                if let Some(id) = &request_id {
                    span.record("request_id", id.as_str());
                }
                span.record("status", "ok");
                Ok(output)
            }
            Err(e) => {
                span.record("attempts", e.attempts());
                if let Some(id) = e.request_id() {
                    span.record("request_id", id);
                }
                span.record("status", "error");
                span.in_scope(|| tracing::debug!(error = %e, "call failed"));
                Err(e)
            }
        }
    }

    async fn call<A: Action>(
        &self,
        request: &A,
        options: &CallOptions,
        region: Option<&str>,
    ) -> Result<(A::Output, Option<String>, u32), Error<A::Error>> {
        let meta = A::META;
        let p = &self.inner.config;
        let body = prepare(request, &meta, region, &p.base).map_err(|e| {
            Error::new(meta.name, None, ErrorKind::InvalidInput(e)).with_attempts(0, false, None)
        })?;
        // An unsigned action needs no credentials: none are fetched.
        let credentials = match A::SIGNING {
            Signing::Tc3 => Some(p.credentials.get().await.map_err(|e| {
                Error::new(meta.name, None, ErrorKind::Credentials(e)).with_attempts(0, false, None)
            })?),
            Signing::Skip => None,
        };

        let (url, host) = target(&p.base, region);
        let policy = options.retry_policy.as_ref().unwrap_or(&p.retry_policy);
        let attempt_timeout = options
            .attempt_timeout
            .unwrap_or_else(|| default_attempt_timeout(&meta, p.attempt_timeout));
        let total = options.total_timeout.or(p.total_timeout);
        let deadline = total.map(|t| (Instant::now() + t, t));

        let mut attempt: u32 = 0;
        // Attempts that count against the policy (a clock correction does not).
        let mut counted: u32 = 0;
        let mut skew_corrected = false;
        let mut previous: Option<String> = None;
        loop {
            attempt += 1;
            counted += 1;
            let (timeout, clamped) = match self.turn(&meta, deadline, attempt_timeout).await {
                Ok(turn) => turn,
                Err(total) => {
                    let retryable = meta.retry_safe;
                    return Err(total_timeout(
                        meta.name,
                        total,
                        attempt - 1,
                        retryable,
                        previous,
                    ));
                }
            };
            let failure = match self
                .attempt::<A>(&body, credentials.as_ref(), &url, &host, region, timeout)
                .instrument(tracing::debug_span!("scf_api.attempt", attempt))
                .await
            {
                Ok((output, request_id)) => return Ok((output, request_id, attempt)),
                Err(failure) => failure,
            };
            if let (Some(total), ErrorKind::Timeout(t)) = (clamped, failure.error.kind()) {
                if t.kind == TimeoutKind::Attempt {
                    let retryable = meta.retry_safe;
                    return Err(total_timeout(
                        meta.name, total, attempt, retryable, previous,
                    ));
                }
            }
            let code = failure.error.service_error().map(|e| e.code.code());

            // Credentials the service no longer accepts may have been rotated: fetch them anew
            // on the next call.
            if matches!(
                code,
                Some("AuthFailure.TokenFailure" | "AuthFailure.SecretIdNotFound")
            ) {
                p.credentials.invalidate();
            }

            // The service refused the timestamp: learn its clock from `Date` and send once more.
            // The request was rejected before being processed, so this is safe for any action.
            if code == Some("AuthFailure.SignatureExpire")
                && !skew_corrected
                && self.learn_clock(failure.date, attempt, failure.error.request_id())
            {
                skew_corrected = true;
                counted -= 1;
                previous = Some(failure.error.kind_display());
                continue;
            }

            let verdict = verdict(failure.error.kind(), code);
            let retryable = verdict.allows(meta.retry_safe);
            let give_up = |error: Error<A::Error>, previous: Option<String>| {
                let previous = previous.filter(|p| *p != error.kind_display());
                error.with_attempts(attempt, retryable, previous)
            };
            if !retryable || counted >= policy.max_attempts() {
                return Err(give_up(failure.error, previous));
            }
            let wait = policy.backoff(counted);
            if let Some((at, total)) = deadline {
                // Waiting would reach the deadline: the total timeout ends the call, with this
                // attempt's error as the previous one.
                if Instant::now() + wait >= at {
                    let last = Some(failure.error.kind_display());
                    return Err(total_timeout(meta.name, total, attempt, retryable, last));
                }
            }
            tracing::debug!(
                attempt,
                request_id = failure.error.request_id(),
                backoff_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                error = %failure.error.kind_display(),
                "retrying"
            );
            previous = Some(failure.error.kind_display());
            tokio::time::sleep(wait).await;
        }
    }
}

impl Client {
    /// Learns the service's clock from an answer's `Date`, when it has one.
    fn learn_clock(
        &self,
        date: Option<SystemTime>,
        attempt: u32,
        request_id: Option<&str>,
    ) -> bool {
        let Some(server) = date else {
            return false;
        };
        let offset = signed_secs_between(SystemTime::now(), server);
        self.inner.clock_offset.store(offset, Ordering::Relaxed);
        tracing::debug!(
            attempt,
            request_id,
            clock_offset_secs = offset,
            "service clock differs; corrected the offset and retrying"
        );
        true
    }

    /// Waits for the attempt's turn under the client's rate limit, then gives the attempt's
    /// timeout: the attempt timeout, or what is left of the total timeout when that is shorter
    /// (with the total). `Err(total)` when the total timeout ends the call before the attempt
    /// could start.
    async fn turn(
        &self,
        meta: &ActionMeta,
        deadline: Option<(Instant, Duration)>,
        attempt_timeout: Duration,
    ) -> Result<(Duration, Option<Duration>), Duration> {
        let total = deadline.map_or(Duration::ZERO, |(_, total)| total);
        if let (Some(limiter), Some(limit)) = (&self.inner.limiter, meta.rate_limit) {
            let now = Instant::now();
            let Some(at) = limiter.reserve(meta.name, limit, now, deadline.map(|(at, _)| at))
            else {
                return Err(total);
            };
            if at > now {
                let wait_ms = u64::try_from((at - now).as_millis()).unwrap_or(u64::MAX);
                tracing::debug!(wait_ms, limit, "waiting for the action's rate limit");
                tokio::time::sleep_until(at).await;
            }
        }
        let Some((at, total)) = deadline else {
            return Ok((attempt_timeout, None));
        };
        let left = at.saturating_duration_since(Instant::now());
        if left.is_zero() {
            Err(total)
        } else if left < attempt_timeout {
            Ok((left, Some(total)))
        } else {
            Ok((attempt_timeout, None))
        }
    }
}

/// The URL and the `Host` (as signed) of a call in `region`.
fn target<'a>(base: &'a Base, region: Option<&str>) -> (Cow<'a, str>, Cow<'a, str>) {
    match base {
        Base::Fixed(fixed) => (fixed.url().into(), fixed.host().into()),
        Base::Regional => {
            let host = format!(
                "{}{}{}",
                spec::ENDPOINT_REGIONAL_PREFIX,
                region.unwrap_or_default(),
                spec::ENDPOINT_REGIONAL_SUFFIX
            );
            (format!("https://{host}/").into(), host.into())
        }
    }
}

/// The attempt timeout of an action when the call does not set one: the client's, raised for
/// actions that run user code before answering to their documented maximum duration plus
/// [`LONG_ACTION_MARGIN`].
pub(crate) fn default_attempt_timeout(meta: &ActionMeta, configured: Duration) -> Duration {
    match meta.max_duration_secs {
        Some(secs) => configured.max(Duration::from_secs(u64::from(secs)) + LONG_ACTION_MARGIN),
        None => configured,
    }
}

/// Checks the request and the region, and encodes the body; every problem at once.
fn prepare<A: Action>(
    request: &A,
    meta: &ActionMeta,
    region: Option<&str>,
    base: &Base,
) -> Result<Bytes, InvalidInput> {
    let mut problems = match request.validate() {
        Ok(()) => Vec::new(),
        Err(e) => e.into_problems(),
    };
    match region {
        None if meta.region_required || matches!(base, Base::Regional) => {
            problems.push(InputProblem::MissingRegion);
        }
        Some(r) if crate::region::check(r).is_err() => {
            problems.push(InputProblem::InvalidRegion {
                region: r.to_owned(),
            });
        }
        Some(r) if !meta.supported_regions.is_empty() && !meta.supported_regions.contains(&r) => {
            problems.push(InputProblem::UnsupportedRegion {
                region: r.to_owned(),
                supported: meta.supported_regions,
            });
        }
        _ => {}
    }
    let body = match serde_json::to_vec(request) {
        Ok(b) => b,
        Err(e) => {
            problems.push(InputProblem::Encode(e.to_string()));
            Vec::new()
        }
    };
    if body.len() > spec::MAX_BODY_BYTES {
        problems.push(InputProblem::BodyTooLarge {
            size: body.len(),
            limit: spec::MAX_BODY_BYTES,
        });
    }
    InvalidInput::check(problems)?;
    Ok(body.into())
}

fn total_timeout<E>(
    action: &'static str,
    total: Duration,
    attempts: u32,
    retryable: bool,
    previous: Option<String>,
) -> Error<E> {
    Error::new(
        action,
        None,
        ErrorKind::Timeout(TimeoutError {
            kind: TimeoutKind::Total,
            timeout: total,
        }),
    )
    .with_attempts(attempts, retryable, previous)
}

/// `to - from` in whole seconds, negative when `to` is earlier.
fn signed_secs_between(from: SystemTime, to: SystemTime) -> i64 {
    match to.duration_since(from) {
        Ok(ahead) => i64::try_from(ahead.as_secs()).unwrap_or(i64::MAX),
        Err(behind) => -i64::try_from(behind.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

#[cfg(test)]
mod tests;
