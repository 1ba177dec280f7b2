//! Warm instances: reused one event at a time, started when none is idle, bounded, and stopped.
//!
//! - An idle instance is reused only for the same namespace, name, version and digest (the most
//!   recently used first); anything else starts a new one (a cold start), whose init output goes
//!   into that first invocation's log.
//! - After `Success` or `UserError` the instance goes back to the idle list; after any platform
//!   failure (timeout 433, memory 434, exit 439, result too large 407, init failures) it is
//!   stopped. An idle instance whose process has exited is dropped when next looked at.
//! - Limits: at most `concurrency` busy instances per function (namespace and name, all
//!   versions) when one is given, and at most [`RuntimeSettings::max_instances`] instances in all
//!   (busy, starting or idle; the oldest idle one is stopped to make room). Beyond either, the
//!   invocation fails at once with 432 (`ResourceLimitReached`).
//! - Keep-alive (ours: SCF does not document how long it keeps instances): an instance idle
//!   longer than [`RuntimeSettings::keep_alive`] is stopped by a reaper task, started with the
//!   [`Runtimes`] when a Tokio runtime is present, otherwise by the first invocation.
//! - [`Runtimes::stop_function`] stops the idle instances of a function now; busy ones finish
//!   their event and are then stopped instead of going back to the idle list.
//!   [`Runtimes::stop_all`] kills every instance, busy ones included (their invocations end with
//!   439). Dropping the [`Runtimes`] stops all; its directory is removed once the last running
//!   invocation has returned.
//! - Cancel safety: if an `invoke` future is dropped, the instance it was running (or starting)
//!   is killed and removed.
//! - Durations are measured from event delivery to the push, in ms with microsecond precision;
//!   `mem_usage` is the peak resident memory of the instance's process group during the run.

#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

use bytes::Bytes;
use tempfile::TempDir;
use tokio::task::JoinHandle;

use super::instance::process::{Group, kill_groups};
use super::instance::{Hooks, Instance, Setup, StartFailure, failed};
use super::{Execution, FunctionSpec, Outcome, Work, launch};

/// How instances are kept and bounded.
#[derive(Debug, Clone)]
pub(crate) struct RuntimeSettings {
    /// How long an idle instance is kept warm (ours; default 60 s).
    pub(crate) keep_alive: Duration,
    /// Output kept per invocation (the newest bytes; older output is dropped with a marker).
    pub(crate) max_log_bytes: usize,
    /// Instances at once, across all functions.
    pub(crate) max_instances: usize,
}

impl Default for RuntimeSettings {
    fn default() -> RuntimeSettings {
        RuntimeSettings {
            keep_alive: Duration::from_secs(60),
            max_log_bytes: 1024 * 1024,
            max_instances: 128,
        }
    }
}

/// The instances of one server, and the directory they live in.
pub(crate) struct Runtimes {
    inner: Arc<Inner>,
    reaper: Mutex<Option<JoinHandle<()>>>,
}

struct Inner {
    settings: RuntimeSettings,
    hooks: Hooks,
    bootstraps: PathBuf,
    instances: PathBuf,
    pool: Mutex<Pool>,
    /// Removed when the last invocation holding this has returned.
    _root: TempDir,
}

/// What an instance may be reused for.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    namespace: String,
    name: String,
    version: String,
    digest: String,
}

impl Key {
    fn of(spec: &FunctionSpec) -> Key {
        Key {
            namespace: spec.namespace.clone(),
            name: spec.name.clone(),
            version: spec.version.clone(),
            digest: spec.digest.clone(),
        }
    }
}

struct Idle {
    key: Key,
    instance: Instance,
    since: Instant,
}

/// An instance running (or starting for) an invocation.
struct Busy {
    namespace: String,
    name: String,
    group: Option<Arc<Group>>,
    /// Stop it when the invocation ends instead of keeping it.
    retire: bool,
}

#[derive(Default)]
struct Pool {
    /// Oldest first.
    idle: Vec<Idle>,
    busy: HashMap<u64, Busy>,
    next: u64,
}

impl Inner {
    fn pool(&self) -> std::sync::MutexGuard<'_, Pool> {
        self.pool.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes a warm instance for `spec`, or a slot to start one in; the instances to stop
    /// (dead or evicted) come along.
    fn checkout(
        self: &Arc<Self>,
        spec: &FunctionSpec,
        concurrency: Option<u64>,
    ) -> Result<(Lease, Option<Instance>, Vec<Instance>), Outcome> {
        let mut pool = self.pool();
        let running = pool
            .busy
            .values()
            .filter(|b| b.namespace == spec.namespace && b.name == spec.name);
        if let Some(limit) = concurrency.filter(|&limit| running.count() as u64 >= limit) {
            let message =
                format!("ResourceLimitReached: the function's concurrency ({limit}) is in use");
            return Err(failed(432, message));
        }
        let key = Key::of(spec);
        let mut stale = Vec::new();
        let mut warm = None;
        while let Some(index) = pool.idle.iter().rposition(|idle| idle.key == key) {
            let instance = pool.idle.remove(index).instance;
            if instance.is_alive() {
                warm = Some(instance);
                break;
            }
            stale.push(instance);
        }
        if warm.is_none() {
            let max = self.settings.max_instances;
            while pool.idle.len() + pool.busy.len() >= max && !pool.idle.is_empty() {
                stale.push(pool.idle.remove(0).instance);
            }
            if pool.busy.len() >= max {
                let message = format!("ResourceLimitReached: all {max} instances are busy");
                return Err(failed(432, message));
            }
        }
        pool.next += 1;
        let id = pool.next;
        let group = warm
            .as_ref()
            .map(|instance: &Instance| Arc::clone(instance.group()));
        let busy = Busy {
            namespace: spec.namespace.clone(),
            name: spec.name.clone(),
            group,
            retire: false,
        };
        pool.busy.insert(id, busy);
        let lease = Lease {
            inner: Arc::clone(self),
            id,
            key,
            instance: None,
        };
        Ok((lease, warm, stale))
    }

    /// Takes the idle instances `which` selects and marks the busy ones it selects to be
    /// retired; kills all of their groups (busy ones too when `kill_busy`) with one `kill`.
    fn stop_where(&self, which: impl Fn(&str, &str) -> bool, kill_busy: bool) {
        let mut groups = Vec::new();
        let stopped: Vec<Instance> = {
            let mut pool = self.pool();
            for busy in pool
                .busy
                .values_mut()
                .filter(|b| which(&b.namespace, &b.name))
            {
                busy.retire = true;
                if kill_busy {
                    groups.extend(busy.group.as_ref().and_then(|group| group.claim()));
                }
            }
            let (stop, keep) = std::mem::take(&mut pool.idle)
                .into_iter()
                .partition(|idle: &Idle| which(&idle.key.namespace, &idle.key.name));
            pool.idle = keep;
            stop.into_iter().map(|idle| idle.instance).collect()
        };
        groups.extend(
            stopped
                .iter()
                .filter_map(|instance| instance.group().claim()),
        );
        kill_groups(&groups);
        drop(stopped);
    }

    /// Takes the idle instances past their keep-alive, or whose process has exited.
    fn expired(&self) -> Vec<Instance> {
        let keep_alive = self.settings.keep_alive;
        let mut pool = self.pool();
        let (expired, keep) =
            std::mem::take(&mut pool.idle)
                .into_iter()
                .partition(|idle: &Idle| {
                    idle.since.elapsed() >= keep_alive || !idle.instance.is_alive()
                });
        pool.idle = keep;
        expired.into_iter().map(|idle| idle.instance).collect()
    }
}

/// One invocation's hold on an instance (or on a slot to start one). Dropped without
/// [`finish`](Lease::finish), it kills and removes the instance.
struct Lease {
    inner: Arc<Inner>,
    id: u64,
    key: Key,
    instance: Option<Instance>,
}

impl Lease {
    fn attach(&mut self, instance: Instance) -> &Instance {
        if let Some(busy) = self.inner.pool().busy.get_mut(&self.id) {
            busy.group = Some(Arc::clone(instance.group()));
        }
        self.instance.insert(instance)
    }

    /// Ends the invocation: the instance goes back to the idle list when `reusable` (and not
    /// retired meanwhile), or is stopped.
    async fn finish(mut self, reusable: bool) {
        let Some(instance) = self.instance.take() else {
            return;
        };
        let leftover = {
            let mut pool = self.inner.pool();
            let retired = pool.busy.remove(&self.id).is_none_or(|busy| busy.retire);
            if reusable && !retired && instance.is_alive() {
                let idle = Idle {
                    key: self.key.clone(),
                    instance,
                    since: Instant::now(),
                };
                pool.idle.push(idle);
                None
            } else {
                Some(instance)
            }
        };
        if let Some(instance) = leftover {
            instance.stop().await;
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        self.inner.pool().busy.remove(&self.id);
        self.instance.take(); // kills it, if still here
    }
}

impl Runtimes {
    /// Creates the private directory (with the shipped bootstraps) and starts the keep-alive
    /// reaper when called inside a Tokio runtime.
    pub(crate) fn new(settings: RuntimeSettings) -> std::io::Result<Runtimes> {
        Self::with_hooks(settings, Hooks::default())
    }

    pub(crate) fn with_hooks(settings: RuntimeSettings, hooks: Hooks) -> std::io::Result<Runtimes> {
        let root = tempfile::Builder::new().prefix("scf-local-").tempdir()?;
        let bootstraps = root.path().join("bootstraps");
        launch::install(&bootstraps)?;
        let instances = root.path().join("instances");
        std::fs::create_dir(&instances)?;
        let pool = Mutex::new(Pool::default());
        let inner = Arc::new(Inner {
            settings,
            hooks,
            bootstraps,
            instances,
            pool,
            _root: root,
        });
        let runtimes = Runtimes {
            inner,
            reaper: Mutex::new(None),
        };
        runtimes.ensure_reaper();
        Ok(runtimes)
    }

    /// Runs `event` on an instance of `spec` (see the module documentation). The handlers use
    /// [`invoke_limited`](Self::invoke_limited); the tests use this.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) async fn invoke(
        &self,
        spec: &FunctionSpec,
        request_id: &str,
        event: &[u8],
    ) -> Execution {
        let work = Work::Event(Bytes::copy_from_slice(event));
        self.invoke_limited(spec, None, request_id, work).await
    }

    /// Has an instance of `spec` do `work` (run an event, or answer an HTTP request for a web
    /// function), with at most `concurrency` busy instances of this function.
    pub(crate) async fn invoke_limited(
        &self,
        spec: &FunctionSpec,
        concurrency: Option<u64>,
        request_id: &str,
        work: Work,
    ) -> Execution {
        self.ensure_reaper();
        let (mut lease, warm, stale) = match self.inner.checkout(spec, concurrency) {
            Ok(checkout) => checkout,
            Err(outcome) => return not_run(outcome, String::new(), false),
        };
        drop(stale);
        let cold_start = warm.is_none();
        let instance = match warm {
            Some(instance) => lease.attach(instance),
            None => match self.start(spec, &mut lease).await {
                Ok(instance) => instance,
                Err(failure) => {
                    lease.finish(false).await;
                    return not_run(failure.outcome, failure.log, true);
                }
            },
        };
        let run = instance.run(spec, request_id, work).await;
        lease.finish(run.reusable).await;
        Execution {
            outcome: run.outcome,
            log: run.log,
            duration_ms: run.duration_ms,
            mem_usage: run.mem_usage,
            cold_start,
        }
    }

    /// Starts an instance into `lease` and waits for it to be ready.
    async fn start<'l>(
        &self,
        spec: &FunctionSpec,
        lease: &'l mut Lease,
    ) -> Result<&'l Instance, StartFailure> {
        let setup = Setup {
            instances: &self.inner.instances,
            bootstraps: &self.inner.bootstraps,
            max_log_bytes: self.inner.settings.max_log_bytes,
            hooks: self.inner.hooks,
        };
        let instance = lease.attach(Instance::spawn(spec, &setup).await?);
        instance.wait_ready(spec.init_timeout).await?;
        Ok(instance)
    }

    /// Stops the instances of one function, all versions (after an update or a deletion).
    pub(crate) fn stop_function(&self, namespace: &str, name: &str) {
        self.inner
            .stop_where(|ns, n| ns == namespace && n == name, false);
    }

    /// Stops every instance, busy ones included.
    pub(crate) fn stop_all(&self) {
        self.inner.stop_where(|_, _| true, true);
    }

    /// Instances alive now: idle, busy and starting.
    pub(crate) fn instance_count(&self) -> usize {
        let pool = self.inner.pool();
        pool.idle.len() + pool.busy.len()
    }

    fn ensure_reaper(&self) {
        let mut reaper = self.reaper.lock().unwrap_or_else(PoisonError::into_inner);
        if reaper.is_none() {
            if let Ok(handle) = tokio::runtime::Handle::try_current() {
                *reaper = Some(handle.spawn(reap(Arc::downgrade(&self.inner))));
            }
        }
    }
}

impl std::fmt::Debug for Runtimes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtimes")
            .field("settings", &self.inner.settings)
            .field("instances", &self.instance_count())
            .finish_non_exhaustive()
    }
}

impl Drop for Runtimes {
    fn drop(&mut self) {
        if let Some(reaper) = self
            .reaper
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            reaper.abort();
        }
        self.stop_all();
    }
}

/// An invocation that never ran its event.
fn not_run(outcome: Outcome, log: String, cold_start: bool) -> Execution {
    Execution {
        outcome,
        log,
        duration_ms: 0.0,
        mem_usage: 0,
        cold_start,
    }
}

/// Stops idle instances past their keep-alive, until the [`Runtimes`] is gone.
async fn reap(inner: Weak<Inner>) {
    loop {
        let period = match inner.upgrade() {
            Some(inner) => (inner.settings.keep_alive / 4)
                .clamp(Duration::from_millis(10), Duration::from_secs(1)),
            None => return,
        };
        tokio::time::sleep(period).await;
        let Some(expired) = inner.upgrade().map(|inner| inner.expired()) else {
            return;
        };
        for instance in expired {
            instance.stop().await;
        }
    }
}
