//! Write Tencent Cloud SCF (Serverless Cloud Function) functions in Rust.
//!
//! An SCF function with the `CustomRuntime` runtime is a zip holding an executable named
//! `bootstrap`. SCF starts it, and the program then talks to the platform over HTTP, through the
//! *runtime API* whose address SCF passes in `SCF_RUNTIME_API` and `SCF_RUNTIME_API_PORT`: it
//! says it is ready, then loops, fetching an event, running the function on it and posting
//! the result or an error. This crate is that program's loop: your `main` hands a handler to
//! [`run`] and the crate does the rest.
//!
//! ```no_run
//! use scf_runtime::{BoxError, Context};
//! use serde_json::{Value, json};
//!
//! async fn handler(event: Value, ctx: Context) -> Result<Value, BoxError> {
//!     Ok(json!({ "echo": event, "request": ctx.request_id }))
//! }
//!
//! #[tokio::main(flavor = "current_thread")]
//! async fn main() -> Result<(), scf_runtime::Error> {
//!     scf_runtime::run(handler).await
//! }
//! ```
//!
//! # Handlers
//!
//! A handler is an `async fn` or a closure returning a future, called with the event and a
//! [`Context`], one event at a time (SCF gives an instance one event at a time), and returning
//! `Result<T, E>`:
//!
//! - [`run`]: the event is decoded from JSON into any [`serde::de::DeserializeOwned`] type
//!   (`serde_json::Value` for anything), and the `Ok` value is posted as its JSON encoding,
//!   like the Python and Node.js runtimes do: returning `"text"` gives the caller `"text"`, with
//!   the quotes. An event that does not decode, or a value that does not encode, fails the
//!   invocation with a message saying so.
//! - [`run_raw`]: the event's bytes as they came, and a result posted as it is (any
//!   `Into<Vec<u8>>`: `String`, `Vec<u8>`, ...), for plain-text or binary protocols.
//!
//! The error type is anything that converts into [`BoxError`]: a `Box<dyn Error + Send +
//! Sync>`, any `Error + Send + Sync` type, a `String` or a `&str`, an `anyhow::Error`.
//!
//! # Failures
//!
//! A handler that returns `Err` or panics fails only that invocation: the crate posts SCF's
//! error object to `/runtime/invocation/error` and fetches the next event in the same process.
//! The object has the shape the Python runtime's errors have, keys in this order:
//!
//! ```json
//! {"errorCode":-1,"errorMessage":"<message>","requestId":"<id>","stackTrace":"<trace>","statusCode":430}
//! ```
//!
//! `errorMessage` is the error's `Display` (or the panic's message); `stackTrace` is the error's
//! chain of sources, one `caused by: ...` line each (or, for a panic, where it happened, plus a
//! backtrace when `RUST_BACKTRACE` is set). Catching panics needs `panic = "unwind"` (the
//! default); to name the panic's location the crate adds a panic hook in front of the existing
//! one, which still prints the usual message to stderr.
//!
//! [`run`] returns only when the function cannot go on: the runtime API is unreachable or
//! answers with an error, or the environment lacks its variables (the program was not started
//! by SCF). It then writes a message to stderr and returns the [`Error`], so a `main` that
//! returns it exits with a non-zero status.
//!
//! # Logs
//!
//! SCF (and `scf-local`) keep everything the process writes to stdout and stderr as the
//! function's log: `println!` works. Each invocation runs inside a [`tracing`] span named
//! `invocation` with a `request_id` field; with a subscriber installed (the `logging`
//! feature's `logging::init`, or your own), every event logged by the handler carries the
//! request id.
//!
//! # Features
//!
//! - `events`: typed events of SCF's triggers, in the `events` module (adds serde's derive
//!   macros to the build).
//! - `logging`: `logging::init`, a plain-text `tracing` subscriber writing to stdout.
//!
//! Both are off by default.

mod api;
mod context;
mod error;
#[cfg(feature = "events")]
pub mod events;
mod invocation;
#[cfg(feature = "logging")]
pub mod logging;
mod panic;

#[cfg(test)]
mod tests;

use std::future::Future;

use bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use context::{Context, Credentials};
pub use error::Error;

use context::Environment;
use invocation::Failure;

/// The error type handlers can always return: any error, boxed.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Serves SCF events with a handler taking and returning JSON values: the event is decoded into
/// `E`, the `Ok` value is encoded as JSON and posted as the result.
///
/// Returns only on failure (see [`Error`]); the error has already been written to stderr.
///
/// ```no_run
/// use scf_runtime::{BoxError, Context};
///
/// #[derive(serde::Deserialize)]
/// struct Order { quantity: u32 }
///
/// #[tokio::main(flavor = "current_thread")]
/// async fn main() -> Result<(), scf_runtime::Error> {
///     let price = 3;
///     scf_runtime::run(move |order: Order, _ctx: Context| async move {
///         if order.quantity == 0 {
///             return Err(BoxError::from("nothing ordered"));
///         }
///         Ok(order.quantity * price)
///     })
///     .await
/// }
/// ```
pub async fn run<E, T, HE, F, Fut>(handler: F) -> Result<(), Error>
where
    F: FnMut(E, Context) -> Fut,
    Fut: Future<Output = Result<T, HE>>,
    E: DeserializeOwned,
    T: Serialize,
    HE: Into<BoxError>,
{
    run_in(Environment::from_process(), handler).await
}

/// [`run`] in a given environment.
async fn run_in<E, T, HE, F, Fut>(
    environment: Result<Environment, Error>,
    mut handler: F,
) -> Result<(), Error>
where
    F: FnMut(E, Context) -> Fut,
    Fut: Future<Output = Result<T, HE>>,
    E: DeserializeOwned,
    T: Serialize,
    HE: Into<BoxError>,
{
    let json_handler = move |body: Bytes, ctx: Context| {
        let call = serde_json::from_slice::<E>(&body).map(|event| handler(event, ctx));
        async move {
            let future = call.map_err(|e| {
                Failure::new(format!(
                    "the event does not match the handler's event type: {e}"
                ))
            })?;
            let value = future.await.map_err(|e| Failure::from_error(e.into()))?;
            serde_json::to_vec(&value).map_err(|e| {
                Failure::new(format!(
                    "the handler's result cannot be encoded as JSON: {e}"
                ))
            })
        }
    };
    Err(invocation::serve(environment, json_handler).await)
}

/// Serves SCF events with a handler on raw bytes: the event's body exactly as the runtime API
/// delivered it, and a result posted as it is (no JSON encoding).
///
/// Returns only on failure, like [`run`].
///
/// ```no_run
/// use scf_runtime::{BoxError, Context};
///
/// async fn shout(event: Vec<u8>, _ctx: Context) -> Result<String, BoxError> {
///     Ok(String::from_utf8(event)?.to_uppercase())
/// }
///
/// #[tokio::main(flavor = "current_thread")]
/// async fn main() -> Result<(), scf_runtime::Error> {
///     scf_runtime::run_raw(shout).await
/// }
/// ```
pub async fn run_raw<T, HE, F, Fut>(handler: F) -> Result<(), Error>
where
    F: FnMut(Vec<u8>, Context) -> Fut,
    Fut: Future<Output = Result<T, HE>>,
    T: Into<Vec<u8>>,
    HE: Into<BoxError>,
{
    run_raw_in(Environment::from_process(), handler).await
}

/// [`run_raw`] in a given environment.
async fn run_raw_in<T, HE, F, Fut>(
    environment: Result<Environment, Error>,
    mut handler: F,
) -> Result<(), Error>
where
    F: FnMut(Vec<u8>, Context) -> Fut,
    Fut: Future<Output = Result<T, HE>>,
    T: Into<Vec<u8>>,
    HE: Into<BoxError>,
{
    let raw_handler = move |body: Bytes, ctx: Context| {
        let future = handler(Vec::from(body), ctx);
        async move {
            match future.await {
                Ok(result) => Ok(result.into()),
                Err(error) => Err(Failure::from_error(error.into())),
            }
        }
    };
    Err(invocation::serve(environment, raw_handler).await)
}
