//! A ready-made `tracing` subscriber for functions (feature `logging`).
//!
//! SCF keeps what a function writes to stdout and stderr as its log, line by line; this
//! subscriber writes one plain-text line per event to stdout (no colours), with the time, the
//! level, the spans (so the invocation's `request_id`) and the fields:
//!
//! ```text
//! 2024-05-01T08:00:00.123456Z  INFO invocation{request_id=3f1c...}: hello: greeting name="scf"
//! ```

use tracing::level_filters::LevelFilter;

/// The environment variable read for the level: `error`, `warn`, `info`, `debug`, `trace` or
/// `off` (set it in the function's environment variables). Anything else means `info`.
pub const LEVEL_VARIABLE: &str = "RUST_LOG";

/// Installs the subscriber as the global default, at the level [`LEVEL_VARIABLE`] names
/// (`info` when unset). Does nothing when a global subscriber is already installed.
///
/// ```
/// scf_runtime::logging::init();
/// tracing::info!("visible in the function's log");
/// ```
pub fn init() {
    let level = std::env::var(LEVEL_VARIABLE)
        .ok()
        .and_then(|value| value.trim().parse::<LevelFilter>().ok())
        .unwrap_or(LevelFilter::INFO);
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_ansi(false)
        .with_writer(std::io::stdout)
        .try_init();
}
