//! The client-side rate limiter ([`RateLimit::Documented`](crate::RateLimit::Documented)): per
//! action, at most its documented number of attempts start within any [`RATE_LIMIT_WINDOW`].
//!
//! A sliding log: for each action, the start times of its last `limit` attempts, oldest first
//! (times already handed out, possibly in the future). An attempt may start now while fewer
//! than `limit` have started; otherwise one window after the oldest of the last `limit`. The
//! start is reserved when it is handed out, so concurrent calls queue in order without holding
//! the lock while they wait. A bucket refilled at a steady rate would let a burst and its
//! refill meet within one second and exceed the limit; the log never does, and still lets a
//! quiet client send a burst of `limit` at once, which matters for high limits (sleeping
//! between calls of InvokeFunction, 10,000/s, would be bound by the timer's millisecond).

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};

use tokio::time::Instant;

use crate::config::RATE_LIMIT_WINDOW;

/// The start times handed out per action. One per client, shared by its clones.
#[derive(Debug, Default)]
pub(crate) struct Limiter {
    starts: Mutex<HashMap<&'static str, VecDeque<Instant>>>,
}

impl Limiter {
    /// Reserves the earliest start at or after `now` that keeps `action` within `limit`
    /// attempts per window; `None`, reserving nothing, when that start is not before
    /// `deadline`.
    pub(crate) fn reserve(
        &self,
        action: &'static str,
        limit: u32,
        now: Instant,
        deadline: Option<Instant>,
    ) -> Option<Instant> {
        let limit = usize::try_from(limit.max(1)).unwrap_or(usize::MAX);
        let mut starts = self.starts.lock().unwrap_or_else(PoisonError::into_inner);
        let log = starts.entry(action).or_default();
        let full = log.len() >= limit;
        let at = match log.front() {
            Some(oldest) if full => now.max(*oldest + RATE_LIMIT_WINDOW),
            _ => now,
        };
        if deadline.is_some_and(|d| at >= d) {
            return None;
        }
        if full {
            log.pop_front();
        }
        log.push_back(at);
        Some(at)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    const W: Duration = RATE_LIMIT_WINDOW;

    #[tokio::test(start_paused = true)]
    async fn a_burst_then_one_window_after_each_start() {
        let l = Limiter::default();
        let t0 = Instant::now();
        let starts: Vec<Instant> = (0..7)
            .map(|_| l.reserve("A", 3, t0, None).unwrap())
            .collect();
        assert_eq!(
            starts,
            [t0, t0, t0, t0 + W, t0 + W, t0 + W, t0 + 2 * W],
            "three at once, then three per window"
        );
        // Another action has its own log.
        assert_eq!(l.reserve("B", 3, t0, None), Some(t0));
        // Later, a start one window after the oldest of the last three is free again.
        let later = t0 + 10 * W;
        assert_eq!(l.reserve("A", 3, later, None), Some(later));
    }

    #[tokio::test(start_paused = true)]
    async fn never_more_than_the_limit_in_any_window() {
        let l = Limiter::default();
        let t0 = Instant::now();
        let mut starts = Vec::new();
        // Calls arriving irregularly, some in bursts.
        for i in 0u64..200 {
            let now = t0 + Duration::from_millis(i * i % 97 + i * 13);
            starts.push(l.reserve("A", 5, now, None).unwrap());
        }
        starts.sort();
        for (i, s) in starts.iter().enumerate() {
            let within = starts[i..].iter().take_while(|t| **t < *s + W).count();
            assert!(within <= 5, "{within} starts within a window from {s:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_start_past_the_deadline_is_refused_and_not_reserved() {
        let l = Limiter::default();
        let t0 = Instant::now();
        assert_eq!(l.reserve("A", 1, t0, None), Some(t0));
        let deadline = Some(t0 + Duration::from_millis(500));
        assert_eq!(l.reserve("A", 1, t0, deadline), None);
        // Nothing was reserved: the next start is still one window after the first.
        assert_eq!(l.reserve("A", 1, t0, None), Some(t0 + W));
        // A start before the deadline is granted.
        let deadline = Some(t0 + 3 * W);
        assert_eq!(l.reserve("A", 1, t0, deadline), Some(t0 + 2 * W));
    }

    #[tokio::test(start_paused = true)]
    async fn a_zero_limit_counts_as_one() {
        let l = Limiter::default();
        let t0 = Instant::now();
        assert_eq!(l.reserve("A", 0, t0, None), Some(t0));
        assert_eq!(l.reserve("A", 0, t0, None), Some(t0 + W));
    }
}
