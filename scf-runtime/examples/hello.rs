//! A small SCF function: a typed event in, a typed result out, an error and a panic on request,
//! and logs carrying the request id.
//!
//! Build and package it as a Custom Runtime function (the zip holds the binary as `bootstrap`):
//!
//! ```text
//! cargo xtask package-function hello --example --features scf-runtime/logging
//! ```
//!
//! Events it understands (every field optional but `name`):
//!
//! ```json
//! {"name": "scf", "fail": false, "panic": false, "sleep_ms": 0}
//! ```

use std::time::Duration;

use scf_runtime::{BoxError, Context};
use serde::{Deserialize, Serialize};

/// The event.
#[derive(Debug, Deserialize)]
struct Greeting {
    name: String,
    /// Return an error instead of a result.
    #[serde(default)]
    fail: bool,
    /// Panic instead of returning.
    #[serde(default)]
    panic: bool,
    /// Sleep this long before answering.
    #[serde(default)]
    sleep_ms: u64,
}

/// The result, returned to the caller as JSON.
#[derive(Debug, Serialize)]
struct Reply {
    message: String,
    request_id: String,
    function: String,
    /// Milliseconds left before the invocation's deadline, when the handler started.
    remaining_ms: u128,
    /// The process serving the event: the same one serves the next events.
    pid: u32,
}

async fn hello(event: Greeting, ctx: Context) -> Result<Reply, BoxError> {
    let remaining_ms = ctx.remaining().as_millis();
    tracing::info!(name = %event.name, remaining_ms, "greeting");
    if event.fail {
        return Err(format!("cannot greet {}", event.name).into());
    }
    if event.panic {
        panic!("asked to panic while greeting {}", event.name);
    }
    if event.sleep_ms > 0 {
        tokio::time::sleep(Duration::from_millis(event.sleep_ms)).await;
    }
    Ok(Reply {
        message: format!("hello, {}", event.name),
        request_id: ctx.request_id,
        function: ctx.function_name,
        remaining_ms,
        pid: std::process::id(),
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), scf_runtime::Error> {
    scf_runtime::logging::init();
    scf_runtime::run(hello).await
}
