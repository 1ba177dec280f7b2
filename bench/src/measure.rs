//! Measuring one client: CPU time of the calling thread, allocations, and medians over rounds.

use std::future::Future;
use std::time::Duration;

use cpu_time::ThreadTime;
use futures_util::future::join_all;

use crate::alloc;

/// CPU time the current thread has used so far. The client under measurement runs on a
/// current-thread tokio runtime, so its connection tasks run on this thread too, while the bench
/// server has a thread of its own.
pub fn thread_cpu() -> Duration {
    ThreadTime::now().as_duration()
}

/// What one round of calls cost the client.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Round {
    /// Client CPU time per call, in nanoseconds.
    pub cpu_ns_per_call: f64,
    /// Allocations per call.
    pub allocations_per_call: f64,
    /// The most heap bytes live at once during the round, above the level at its start.
    pub peak_bytes: u64,
}

/// Runs `calls` calls of `call` on `runtime`, `in_flight` at a time (1: one after another),
/// counting this thread's CPU time and allocations.
pub fn round<F, Fut>(
    runtime: &tokio::runtime::Runtime,
    calls: usize,
    in_flight: usize,
    call: F,
) -> Round
where
    F: Fn() -> Fut,
    Fut: Future,
{
    let in_flight = in_flight.max(1);
    let batches = calls.div_ceil(in_flight);
    alloc::track(true);
    alloc::reset();
    let started = thread_cpu();
    runtime.block_on(async {
        for _ in 0..batches {
            if in_flight == 1 {
                call().await;
            } else {
                join_all((0..in_flight).map(|_| call())).await;
            }
        }
    });
    let cpu = thread_cpu().saturating_sub(started);
    let usage = alloc::usage();
    alloc::track(false);
    let done = (batches * in_flight) as f64;
    Round {
        cpu_ns_per_call: cpu.as_nanos() as f64 / done,
        allocations_per_call: usage.allocations as f64 / done,
        peak_bytes: usage.peak_bytes,
    }
}

/// The median of `values` (the mean of the middle two for an even count); 0 for none.
pub fn median(values: &[f64]) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    if v.len() % 2 == 0 {
        (v[mid - 1] + v[mid]) / 2.0
    } else {
        v[mid]
    }
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn medians() {
        assert_eq!(median(&[]), 0.0);
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(&[f64::NAN, 1.0]), 1.0);
    }
}
