//! What invocations leave behind, bounded: the records of finished runs (for
//! `GetRequestStatus` and `GetFunctionLogs`) and the async events (for `GetAsyncEventStatus`,
//! `ListAsyncEvents` and `TerminateAsyncEvent`).
//!
//! Both drop what no action can see any more (everything of a deleted function, events 72 hours
//! after they ended) and keep the rest within [`HistoryLimits`], the oldest going first.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::Duration;

use crate::generated::catalog::facts;
use crate::state::{AsyncEvent, InvocationRecord, Millis};

/// How much invocation history a server keeps, set with
/// [`ServerBuilder::history`](crate::ServerBuilder::history).
///
/// The defaults follow the service's documented windows: `GetFunctionLogs` pages through at
/// most its window of logs (the spec's `pagination.maxWindow`), so at most
/// [`DEFAULT_MAX_INVOCATIONS`](Self::DEFAULT_MAX_INVOCATIONS) records are kept in all, at most
/// [`DEFAULT_MAX_INVOCATIONS_PER_FUNCTION`](Self::DEFAULT_MAX_INVOCATIONS_PER_FUNCTION) per
/// function (so that one busy function does not push out the others' records) and at most
/// [`DEFAULT_MAX_INVOCATION_BYTES`](Self::DEFAULT_MAX_INVOCATION_BYTES) of logs and results;
/// `GetAsyncEventStatus` keeps an event's status for 72 hours after it ends
/// ([`DEFAULT_ASYNC_EVENT_TTL`](Self::DEFAULT_ASYNC_EVENT_TTL)), and at most
/// [`DEFAULT_MAX_ASYNC_EVENTS`](Self::DEFAULT_MAX_ASYNC_EVENTS) events are kept. Deleting a
/// function drops its records and events at once.
///
/// ```
/// # async fn demo() -> std::io::Result<()> {
/// let server = scf_local::Server::builder()
///     .history(scf_local::HistoryLimits::default().max_invocations_per_function(50))
///     .start()
///     .await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryLimits {
    max_invocations_per_function: usize,
    max_invocations: usize,
    max_invocation_bytes: usize,
    max_async_events: usize,
    async_event_ttl: Duration,
}

impl HistoryLimits {
    /// Invocation records kept per function by default: 1,000.
    pub const DEFAULT_MAX_INVOCATIONS_PER_FUNCTION: usize = 1_000;
    /// Invocation records kept in all by default: the deepest `GetFunctionLogs` pages (its
    /// window in the spec, `pagination.maxWindow`).
    pub const DEFAULT_MAX_INVOCATIONS: usize = match facts::GET_FUNCTION_LOGS.max_window {
        Some(window) => window as usize,
        None => panic!("the spec states GetFunctionLogs' window"),
    };
    /// Bytes of invocation records (results, error messages, logs) kept by default: 64 MiB.
    pub const DEFAULT_MAX_INVOCATION_BYTES: usize = 64 * 1024 * 1024;
    /// Async events kept by default: 10,000.
    pub const DEFAULT_MAX_ASYNC_EVENTS: usize = 10_000;
    /// How long an async event is kept after it ends by default: 72 hours, as
    /// `GetAsyncEventStatus` documents.
    pub const DEFAULT_ASYNC_EVENT_TTL: Duration = Duration::from_secs(72 * 3600);

    /// Keeps at most `n` invocation records per function, dropping its oldest first.
    pub const fn max_invocations_per_function(mut self, n: usize) -> Self {
        self.max_invocations_per_function = n;
        self
    }

    /// Keeps at most `n` invocation records in all, dropping the oldest first.
    pub const fn max_invocations(mut self, n: usize) -> Self {
        self.max_invocations = n;
        self
    }

    /// Keeps at most about `n` bytes of invocation records in all, dropping the oldest first;
    /// the newest record is always kept.
    pub const fn max_invocation_bytes(mut self, n: usize) -> Self {
        self.max_invocation_bytes = n;
        self
    }

    /// Keeps at most `n` async events, dropping the oldest first (a dropped event that is still
    /// running stops, as if terminated, and leaves no record).
    pub const fn max_async_events(mut self, n: usize) -> Self {
        self.max_async_events = n;
        self
    }

    /// Drops an async event about this long after it ended.
    pub const fn async_event_ttl(mut self, ttl: Duration) -> Self {
        self.async_event_ttl = ttl;
        self
    }
}

impl Default for HistoryLimits {
    fn default() -> Self {
        HistoryLimits {
            max_invocations_per_function: Self::DEFAULT_MAX_INVOCATIONS_PER_FUNCTION,
            max_invocations: Self::DEFAULT_MAX_INVOCATIONS,
            max_invocation_bytes: Self::DEFAULT_MAX_INVOCATION_BYTES,
            max_async_events: Self::DEFAULT_MAX_ASYNC_EVENTS,
            async_event_ttl: Self::DEFAULT_ASYNC_EVENT_TTL,
        }
    }
}

/// A function, as (namespace, name).
type FunctionKey = (String, String);

/// Records of finished runs, oldest first.
#[derive(Debug)]
pub(crate) struct Invocations {
    limits: HistoryLimits,
    records: VecDeque<InvocationRecord>,
    /// The sum of [`InvocationRecord::footprint`] over `records`.
    bytes: usize,
    /// Records per function (functions without records have no entry).
    per_function: HashMap<FunctionKey, usize>,
}

impl Invocations {
    /// No records yet.
    pub(crate) fn new(limits: HistoryLimits) -> Self {
        Invocations {
            limits,
            records: VecDeque::new(),
            bytes: 0,
            per_function: HashMap::new(),
        }
    }

    /// The records, oldest first.
    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = &InvocationRecord> {
        self.records.iter()
    }

    /// How many records are kept.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.records.len()
    }

    /// Appends `record`, then drops the oldest records of its function and overall until the
    /// limits hold.
    pub(crate) fn push(&mut self, record: InvocationRecord) {
        let key = (record.namespace.clone(), record.function_name.clone());
        let count = self.per_function.entry(key).or_insert(0);
        *count += 1;
        let over = *count > self.limits.max_invocations_per_function;
        self.bytes += record.footprint();
        self.records.push_back(record);
        if over {
            let newest = &self.records[self.records.len() - 1];
            let oldest = self.records.iter().position(|r| {
                r.namespace == newest.namespace && r.function_name == newest.function_name
            });
            if let Some(old) = oldest.and_then(|i| self.records.remove(i)) {
                self.forget(&old);
            }
        }
        while self.records.len() > self.limits.max_invocations
            || (self.bytes > self.limits.max_invocation_bytes && self.records.len() > 1)
        {
            let Some(old) = self.records.pop_front() else {
                break;
            };
            self.forget(&old);
        }
    }

    /// Drops every record of the function `name` of `namespace`.
    pub(crate) fn remove_function(&mut self, namespace: &str, name: &str) {
        let mut dropped = 0;
        self.records.retain(|r| {
            let keep = r.namespace != namespace || r.function_name != name;
            if !keep {
                dropped += r.footprint();
            }
            keep
        });
        self.bytes -= dropped;
        self.per_function
            .remove(&(namespace.to_owned(), name.to_owned()));
    }

    /// Updates the totals for a record that was taken out.
    fn forget(&mut self, old: &InvocationRecord) {
        self.bytes -= old.footprint();
        let key = (old.namespace.clone(), old.function_name.clone());
        if let Some(count) = self.per_function.get_mut(&key) {
            *count -= 1;
            if *count == 0 {
                self.per_function.remove(&key);
            }
        }
    }
}

/// Async events by invoke request id, with their order of creation.
#[derive(Debug)]
pub(crate) struct AsyncEvents {
    limits: HistoryLimits,
    by_id: BTreeMap<String, AsyncEvent>,
    /// Ids in the order the events were created; may hold ids of events already dropped,
    /// never more than about twice as many as `by_id`.
    order: VecDeque<String>,
    /// When ended events were last checked against the time to live.
    last_sweep: Millis,
}

impl AsyncEvents {
    /// No events yet.
    pub(crate) fn new(limits: HistoryLimits) -> Self {
        AsyncEvents {
            limits,
            by_id: BTreeMap::new(),
            order: VecDeque::new(),
            last_sweep: Millis::MIN,
        }
    }

    /// The event `id`.
    pub(crate) fn get(&self, id: &str) -> Option<&AsyncEvent> {
        self.by_id.get(id)
    }

    /// The event `id`, to change it.
    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut AsyncEvent> {
        self.by_id.get_mut(id)
    }

    /// Every event, by id.
    pub(crate) fn values(&self) -> impl Iterator<Item = &AsyncEvent> {
        self.by_id.values()
    }

    /// How many events are kept.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Adds a new event at `now`, dropping expired events and then the oldest ones beyond the
    /// limit.
    pub(crate) fn insert(&mut self, event: AsyncEvent, now: Millis) {
        self.expire(now);
        self.order.push_back(event.invoke_request_id.clone());
        self.by_id.insert(event.invoke_request_id.clone(), event);
        while self.by_id.len() > self.limits.max_async_events {
            let Some(id) = self.order.pop_front() else {
                break;
            };
            self.by_id.remove(&id);
        }
        self.compact();
    }

    /// Drops the events that ended more than the time to live before `now`. Checks at most
    /// once a minute (or once per time to live, when shorter).
    pub(crate) fn expire(&mut self, now: Millis) {
        let ttl = Millis::try_from(self.limits.async_event_ttl.as_millis()).unwrap_or(Millis::MAX);
        let every = ttl.min(60_000);
        if now.saturating_sub(self.last_sweep) < every {
            return;
        }
        self.last_sweep = now;
        self.by_id
            .retain(|_, e| e.end.is_none_or(|end| now.saturating_sub(end) <= ttl));
        self.compact();
    }

    /// Drops every event of the function `name` of `namespace`; their tasks see them gone and
    /// stop.
    pub(crate) fn remove_function(&mut self, namespace: &str, name: &str) {
        self.by_id
            .retain(|_, e| e.namespace != namespace || e.function_name != name);
        self.compact();
    }

    /// Forgets the ids of dropped events once they are as many as the kept ones.
    fn compact(&mut self) {
        if self.order.len() > 2 * self.by_id.len() + 16 {
            let by_id = &self.by_id;
            self.order.retain(|id| by_id.contains_key(id));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::status;

    fn record(function: &str, result: &str) -> InvocationRecord {
        InvocationRecord {
            namespace: "default".into(),
            function_name: function.into(),
            qualifier: "$LATEST".into(),
            request_id: format!("{function}-{result}"),
            start: 0,
            duration_ms: 1.0,
            result: Ok(result.into()),
            log: String::new(),
            mem_usage: 0,
        }
    }

    fn results(invocations: &Invocations) -> Vec<String> {
        invocations
            .iter()
            .map(|r| r.request_id.clone())
            .collect::<Vec<_>>()
    }

    #[test]
    fn invocations_keep_the_newest_per_function_and_overall() {
        let limits = HistoryLimits::default()
            .max_invocations_per_function(2)
            .max_invocations(4);
        let mut inv = Invocations::new(limits);
        for n in 0..3 {
            inv.push(record("a", &n.to_string()));
        }
        assert_eq!(results(&inv), ["a-1", "a-2"]);
        for n in 0..2 {
            inv.push(record("b", &n.to_string()));
        }
        inv.push(record("c", "0"));
        assert_eq!(results(&inv), ["a-2", "b-0", "b-1", "c-0"]);
        inv.remove_function("default", "b");
        assert_eq!(results(&inv), ["a-2", "c-0"]);
        assert_eq!(
            inv.bytes,
            inv.iter().map(InvocationRecord::footprint).sum::<usize>()
        );
        assert_eq!(inv.per_function.len(), 2);
    }

    #[test]
    fn invocations_stay_within_their_bytes() {
        let one = record("a", &"x".repeat(1000)).footprint();
        let mut inv = Invocations::new(HistoryLimits::default().max_invocation_bytes(3 * one));
        for _ in 0..10 {
            inv.push(record("a", &"x".repeat(1000)));
        }
        assert_eq!(inv.len(), 3);
        inv.push(record("a", &"x".repeat(10 * one)));
        assert_eq!(inv.len(), 1, "the newest record stays, whatever its size");
    }

    fn event(id: &str, function: &str, end: Option<Millis>) -> AsyncEvent {
        AsyncEvent {
            invoke_request_id: id.into(),
            namespace: "default".into(),
            function_name: function.into(),
            qualifier: "$LATEST".into(),
            status: if end.is_some() {
                status::FINISHED
            } else {
                status::RUNNING
            },
            start: 0,
            end,
            timed_out: false,
        }
    }

    #[test]
    fn events_expire_are_capped_and_go_with_their_function() {
        let limits = HistoryLimits::default()
            .max_async_events(3)
            .async_event_ttl(Duration::from_secs(10));
        let mut events = AsyncEvents::new(limits);
        events.insert(event("1", "a", Some(1_000)), 1_000);
        events.insert(event("2", "a", None), 2_000);
        events.insert(event("3", "b", Some(3_000)), 3_000);
        events.insert(event("4", "b", None), 4_000);
        assert!(events.get("1").is_none(), "the oldest went first");
        assert_eq!(events.len(), 3);
        // Event 3 ended at 3 s: gone after 13 s; running event 2 stays.
        events.expire(14_000);
        assert!(events.get("3").is_none());
        assert!(events.get("2").is_some());
        events.remove_function("default", "a");
        assert_eq!(
            events
                .values()
                .map(|e| e.invoke_request_id.as_str())
                .collect::<Vec<_>>(),
            ["4"]
        );
        for n in 0..100 {
            events.insert(event(&format!("x{n}"), "c", None), 20_000);
            events.remove_function("default", "c");
        }
        assert!(
            events.order.len() <= 2 * events.len() + 16,
            "{}",
            events.order.len()
        );
    }
}
