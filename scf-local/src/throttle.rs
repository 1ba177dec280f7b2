//! Optional enforcement of the spec's per-action rate limits.

use std::collections::HashMap;

/// Requests per action in the current one-second window.
#[derive(Debug, Default)]
pub(crate) struct Throttle {
    /// Action → (window start in whole seconds, requests in it).
    counts: HashMap<&'static str, (i64, u32)>,
}

impl Throttle {
    /// Counts a request of `action` at `now_secs`; `false` when it is over `limit` per second.
    pub(crate) fn admit(&mut self, action: &'static str, limit: u32, now_secs: i64) -> bool {
        let entry = self.counts.entry(action).or_insert((now_secs, 0));
        if entry.0 != now_secs {
            *entry = (now_secs, 0);
        }
        if entry.1 >= limit {
            return false;
        }
        entry.1 += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_action_and_second() {
        let mut t = Throttle::default();
        assert!(t.admit("A", 2, 10));
        assert!(t.admit("A", 2, 10));
        assert!(!t.admit("A", 2, 10));
        assert!(t.admit("B", 2, 10), "another action has its own budget");
        assert!(t.admit("A", 2, 11), "a new second starts afresh");
    }
}
