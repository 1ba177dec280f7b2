//! One instance: a directory, a process (in its own process group) and its runtime API.
//!
//! An instance directory holds `code/` (the package, the process's working directory), `opt/`
//! (the merged layers) and `tmp/` (what stands for `/tmp`: `HOME`, `TMPDIR` and `SCF_TMP_DIR`,
//! the last one ours). The process starts with a cleared environment: `PATH` (inherited),
//! `HOME`, `TMPDIR`, `LANG` (`C.UTF-8`, ours: present on nearly every Linux, where SCF sets
//! `en_US.UTF8`), the SCF variables (`SCF_RUNTIME_API`, `SCF_RUNTIME_API_PORT`, `_HANDLER`,
//! `SCF_RUNTIME`, `SCF_FUNCTIONNAME`, `SCF_FUNCTIONVERSION`, `SCF_NAMESPACE`,
//! `TENCENTCLOUD_REGION`, `TENCENTCLOUD_RUNENV`, `USER_CODE_ROOT`), then the function's own
//! variables, then the runtime's (`Launch::env`); stdin is null.
//!
//! Dropping an [`Instance`] kills its whole process group, ends its runtime API and removes its
//! directory; [`Instance::stop`] does the same and also waits (briefly) for the process to be
//! reaped. A watcher task owns the child: when the leader exits, the rest of its group is killed
//! at once and the exit is recorded, so a crash is noticed immediately (405 before ready, 439
//! during a run).

mod command;
mod output;
pub(crate) mod process;
pub(crate) mod web;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use tempfile::TempDir;
use tokio::net::unix::pipe::Receiver;
use tokio::process::Child;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::api::{self, Channel, Ended, Push};
use super::launch::{self, Launch};
use super::{FunctionSpec, Outcome, Work, package};
use command::{environment, start};
use output::Output;
use process::{Group, MemoryProbe};

/// How long a broken exchange with a web function's server waits for its process's exit to
/// explain it.
const EXIT_GRACE: Duration = Duration::from_millis(200);

/// How often the memory of a running instance is sampled.
const MEMORY_TICK: Duration = Duration::from_millis(20);

/// How an instance's code is put in place and its process chosen; tests replace both.
#[derive(Clone, Copy)]
pub(crate) struct Hooks {
    /// Fills `code` and `opt` (both exist and are empty).
    pub(crate) prepare: fn(&FunctionSpec, code: &Path, opt: &Path) -> Result<(), Outcome>,
    /// The process to start: [`launch::command`].
    pub(crate) command:
        fn(&FunctionSpec, code: &Path, opt: &Path, bootstraps: &Path) -> Result<Launch, Outcome>,
}

impl Default for Hooks {
    fn default() -> Hooks {
        Hooks {
            prepare: unpack,
            command: launch::command,
        }
    }
}

/// Unpacks the code package and the layers; a bad package is a 445.
fn unpack(spec: &FunctionSpec, code: &Path, opt: &Path) -> Result<(), Outcome> {
    let bad =
        |e: package::PackageError| failed(445, format!("the code package cannot be used: {}", e.0));
    package::extract(&spec.code, code).map_err(bad)?;
    package::merge_layers(&spec.layers, opt).map_err(bad)
}

pub(crate) fn failed(status: u16, message: impl Into<String>) -> Outcome {
    Outcome::Failed {
        status,
        message: message.into(),
    }
}

/// Where instances are made and how.
pub(crate) struct Setup<'a> {
    /// The directory instance directories are created in.
    pub(crate) instances: &'a Path,
    pub(crate) bootstraps: &'a Path,
    pub(crate) max_log_bytes: usize,
    pub(crate) hooks: Hooks,
}

/// An instance that did not start: the outcome and the output written before the failure.
pub(crate) struct StartFailure {
    pub(crate) outcome: Outcome,
    pub(crate) log: String,
}

impl From<Outcome> for StartFailure {
    fn from(outcome: Outcome) -> StartFailure {
        StartFailure {
            outcome,
            log: String::new(),
        }
    }
}

/// One invocation as the instance ran it.
pub(crate) struct Run {
    pub(crate) outcome: Outcome,
    pub(crate) log: String,
    pub(crate) duration_ms: f64,
    pub(crate) mem_usage: u64,
    /// Whether the instance may take another event.
    pub(crate) reusable: bool,
}

/// A started instance. Fields drop in order: the directory goes last.
pub(crate) struct Instance {
    group: Arc<Group>,
    channel: Arc<Channel>,
    output: Arc<Output>,
    tasks: Vec<JoinHandle<()>>,
    watcher: Option<JoinHandle<()>>,
    /// Dropping it tells the watcher to kill the leader and reap it.
    stop: Option<oneshot::Sender<()>>,
    /// The group's memory probe, kept between runs so that a warm run does not rescan every
    /// process of the machine to find the group's members (it rescans every 100 ms).
    probe: std::sync::Mutex<MemoryProbe>,
    /// A web function's port (`PORT`), where its server listens.
    web_port: Option<u16>,
    _dir: TempDir,
}

impl Instance {
    /// Creates the instance directory, puts the code in place and starts the process (without
    /// waiting for it to be ready).
    pub(crate) async fn spawn(
        spec: &FunctionSpec,
        setup: &Setup<'_>,
    ) -> Result<Instance, StartFailure> {
        let internal = |e: std::io::Error| failed(500, format!("cannot prepare an instance: {e}"));
        let dir = tempfile::Builder::new()
            .prefix("instance-")
            .tempdir_in(setup.instances)
            .map_err(internal)?;
        let (code, opt, tmp) = (
            dir.path().join("code"),
            dir.path().join("opt"),
            dir.path().join("tmp"),
        );
        for sub in [&code, &opt, &tmp] {
            std::fs::create_dir(sub).map_err(internal)?;
        }
        // Unpacking, and choosing the program (which may ask a shim once), may take a while:
        // off the async threads. If this future is dropped, the directory is removed once that
        // has finished.
        let (hooks, owned) = (setup.hooks, spec.clone());
        let bootstraps = setup.bootstraps.to_path_buf();
        let (dir, prepared) = tokio::task::spawn_blocking(move || {
            let (code, opt) = (dir.path().join("code"), dir.path().join("opt"));
            let prepared = (hooks.prepare)(&owned, &code, &opt)
                .and_then(|()| (hooks.command)(&owned, &code, &opt, &bootstraps));
            (dir, prepared)
        })
        .await
        .map_err(|e| failed(500, format!("cannot prepare an instance: {e}")))?;
        let launch = prepared?;
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0))
            .and_then(|l| l.set_nonblocking(true).map(|()| l))
            .and_then(tokio::net::TcpListener::from_std)
            .map_err(internal)?;
        let port = listener.local_addr().map_err(internal)?.port();
        let web_port = match spec.web {
            true => Some(web::reserve_port().map_err(internal)?),
            false => None,
        };
        let channel = Arc::new(Channel::default());
        let api = api::serve(listener, Arc::clone(&channel));
        let mut env = environment(spec, &launch, &code, &tmp, port);
        env.extend(web_port.map(|web_port| ("PORT".to_owned(), web_port.to_string())));
        let mut child = start(&launch, &code, env).await.map_err(|e| {
            api.abort();
            failed(
                445,
                format!("cannot start {}: {e}", launch.program.display()),
            )
        })?;
        let group = Arc::new(Group::new(child.id().unwrap_or(0)));
        let pipes = [
            child.stdout.take().map(|p| p.into_owned_fd()),
            child.stderr.take().map(|p| p.into_owned_fd()),
        ];
        let pipes: Vec<Receiver> = pipes
            .into_iter()
            .flatten()
            .filter_map(|fd| fd.ok().and_then(|fd| Receiver::from_owned_fd(fd).ok()))
            .collect();
        let (output, mut tasks) = Output::start(pipes, setup.max_log_bytes);
        tasks.push(api);
        let (stop, stopped) = oneshot::channel();
        let watcher = tokio::spawn(watch(
            child,
            Arc::clone(&group),
            Arc::clone(&channel),
            stopped,
        ));
        Ok(Instance {
            probe: std::sync::Mutex::new(MemoryProbe::new(group.pgid())),
            web_port,
            group,
            channel,
            output,
            tasks,
            watcher: Some(watcher),
            stop: Some(stop),
            _dir: dir,
        })
    }

    /// Waits until the runtime reports ready (a web function's server listens), within
    /// `init_timeout`.
    pub(crate) async fn wait_ready(&self, init_timeout: Duration) -> Result<(), StartFailure> {
        if let Some(port) = self.web_port {
            let listening = web::wait_listening(&self.channel, port, init_timeout).await;
            return listening.map_err(|outcome| {
                self.group.kill();
                StartFailure {
                    outcome,
                    log: self.output.take(),
                }
            });
        }
        let outcome = match tokio::time::timeout(init_timeout, self.channel.ready()).await {
            Ok(Ok(())) => return Ok(()),
            Ok(Err(how)) => failed(
                405,
                format!("the bootstrap exited before reporting ready ({how})"),
            ),
            Err(_) => {
                self.group.kill();
                let secs = init_timeout.as_secs_f64();
                failed(
                    450,
                    format!(
                        "the bootstrap did not report ready within the init timeout ({secs} s)"
                    ),
                )
            }
        };
        Err(StartFailure {
            outcome,
            log: self.output.take(),
        })
    }

    /// The instance's process group id (its leader's pid).
    pub(crate) fn group(&self) -> &Arc<Group> {
        &self.group
    }

    /// Whether the process is still running.
    pub(crate) fn is_alive(&self) -> bool {
        !self.channel.has_exited()
    }

    /// Does `work` (delivers an event and waits for its result, or passes an HTTP request to a
    /// web function's server and reads its answer) within the function's timeout.
    pub(crate) async fn run(&self, spec: &FunctionSpec, request_id: &str, work: Work) -> Run {
        let delivered = Instant::now();
        let (outcome, at, peak) = match (work, self.web_port) {
            (Work::Event(event), _) => {
                let timeout_ms = u64::try_from(spec.timeout.as_millis()).unwrap_or(u64::MAX);
                let channel = &self.channel;
                channel.deliver(request_id, event, spec.memory_mb, timeout_ms);
                let ended = async { end_outcome(channel.ended().await) };
                self.supervise(spec, delivered, ended).await
            }
            (Work::Http(request), Some(port)) => {
                let platform = web::platform_headers(spec, request_id);
                let answered = async {
                    tokio::select! {
                        answer = web::exchange(port, request, platform) => {
                            let at = Instant::now();
                            match answer {
                                Ok(response) => (Outcome::Answered(Box::new(response)), at),
                                Err(failure) => (self.exit_explains(failure).await, at),
                            }
                        }
                        how = self.channel.exited() => (exited(&how), Instant::now()),
                    }
                };
                self.supervise(spec, delivered, answered).await
            }
            (Work::Http(_), None) => {
                let message = "an HTTP request reached an event function's instance";
                (failed(500, message), Instant::now(), 0)
            }
        };
        let reusable = matches!(
            outcome,
            Outcome::Success(_) | Outcome::UserError(_) | Outcome::Answered(_)
        ) && self.is_alive();
        let micros = at.saturating_duration_since(delivered).as_micros();
        Run {
            outcome,
            log: self.output.take(),
            duration_ms: micros as f64 / 1000.0,
            mem_usage: peak,
            reusable,
        }
    }

    /// A broken exchange with a web function's server is usually its process exiting: 439 when
    /// the exit follows within [`EXIT_GRACE`], else `failure` as it is.
    async fn exit_explains(&self, failure: Outcome) -> Outcome {
        match tokio::time::timeout(EXIT_GRACE, self.channel.exited()).await {
            Ok(how) => exited(&how),
            Err(_) => failure,
        }
    }

    /// Waits for `ended` until the function's timeout (433) while sampling the memory of the
    /// process group (434 past the function's memory); kills the group on either. The outcome,
    /// when it came, and the peak memory.
    async fn supervise(
        &self,
        spec: &FunctionSpec,
        delivered: Instant,
        ended: impl Future<Output = (Outcome, Instant)>,
    ) -> (Outcome, Instant, u64) {
        let limit = spec.memory_mb.saturating_mul(1024 * 1024);
        let probe = || {
            self.probe
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        // The first figure uses the members already known: a warm run does not pay for a scan.
        let mut peak = probe().sample_known();
        let deadline = tokio::time::Instant::from_std(delivered) + spec.timeout;
        tokio::pin!(ended);
        loop {
            let tick = (tokio::time::Instant::now() + MEMORY_TICK).min(deadline);
            tokio::select! {
                biased;
                (outcome, at) = &mut ended => return (outcome, at, peak),
                () = tokio::time::sleep_until(tick) => {}
            }
            peak = peak.max(probe().sample());
            if limit > 0 && peak > limit {
                self.group.kill();
                let message = format!(
                    "memory limit exceeded: the function used more than {} MB",
                    spec.memory_mb
                );
                return (failed(434, message), Instant::now(), peak);
            }
            if tokio::time::Instant::now() >= deadline {
                self.group.kill();
                let message = format!(
                    "Invoking task timed out after {} seconds",
                    spec.timeout.as_secs_f64()
                );
                return (failed(433, message), Instant::now(), peak);
            }
        }
    }

    /// Kills the process group, waits (at most a second) for the leader to be reaped, and
    /// removes the directory.
    pub(crate) async fn stop(mut self) {
        self.group.kill();
        let watcher = self.watcher.take();
        drop(self);
        if let Some(watcher) = watcher {
            let _ = tokio::time::timeout(Duration::from_secs(1), watcher).await;
        }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.group.kill();
        self.stop.take();
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// The outcome of an ended invocation, and when it ended.
fn end_outcome(ended: Ended) -> (Outcome, Instant) {
    match ended {
        Ended::Pushed(Push::Response(body), at) => (Outcome::Success(lossy(body)), at),
        Ended::Pushed(Push::Error(body), at) => (Outcome::UserError(lossy(body)), at),
        Ended::Pushed(Push::TooLarge, at) => {
            let limit_mb = api::MAX_RESULT_BYTES / (1024 * 1024);
            (
                failed(
                    407,
                    format!("the size of the response exceeds the upper limit ({limit_mb}MB)"),
                ),
                at,
            )
        }
        Ended::Exited(how) => (exited(&how), Instant::now()),
    }
}

/// Status 439: the process exited while it was running an invocation.
fn exited(how: &str) -> Outcome {
    failed(
        439,
        format!("the function's process exited during the invocation ({how})"),
    )
}

fn lossy(body: Bytes) -> String {
    String::from_utf8(body.to_vec())
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Owns the child: waits for it to exit (or for the instance to be dropped, then kills it),
/// reaps it, kills what is left of its group and records the exit.
async fn watch(
    mut child: Child,
    group: Arc<Group>,
    channel: Arc<Channel>,
    stopped: oneshot::Receiver<()>,
) {
    let status = tokio::select! {
        status = child.wait() => status,
        _ = stopped => {
            let _ = child.start_kill();
            child.wait().await
        }
    };
    group.kill();
    let how = match status {
        Ok(status) => status.to_string(),
        Err(e) => format!("cannot wait for it: {e}"),
    };
    channel.set_exited(how);
}
