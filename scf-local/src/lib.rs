//! scf-local: a local emulator of the Tencent Cloud Serverless Cloud Function (SCF) API 3.0.
//!
//! [`Server`] listens on `127.0.0.1` and speaks the API's wire protocol: `POST /` with a JSON
//! body and `X-TC-*` headers, signed with TC3-HMAC-SHA256. It verifies each request's signature
//! with its own, independent implementation, validates the body against the [`Catalog`], and
//! answers in the standard envelope. It is meant for end-to-end tests of clients and for trying
//! a client without a Tencent Cloud account.
//!
//! ```
//! # async fn demo() -> std::io::Result<()> {
//! let server = scf_local::Server::start().await?;
//! // Point a client at server.url() with these credentials:
//! assert_eq!(server.secret_id(), scf_local::DEFAULT_SECRET_ID);
//! assert_eq!(server.secret_key(), scf_local::DEFAULT_SECRET_KEY);
//! // Make the next authenticated request fail:
//! server.push_fault(scf_local::Fault::service_error("InternalError", "injected"));
//! # Ok(())
//! # }
//! ```
//!
//! # Answers
//!
//! Every answer to `POST /` is HTTP 200 with `Content-Type: application/json` and an
//! `X-TC-RequestId` header holding the same fresh id as the body's `RequestId`:
//! `{"Response": {..., "RequestId": "..."}}` on success and
//! `{"Response": {"Error": {"Code": "...", "Message": "..."}, "RequestId": "..."}}` on failure.
//! A valid request is answered from the emulated account: namespaces, functions, versions,
//! aliases, triggers, layers, concurrency settings and custom domains live in memory, with the
//! error codes the spec documents for missing resources and conflicts
//! (`ResourceNotFound.Function`, `ResourceInUse.Namespace`, ...). Invoked functions run their
//! uploaded code as processes on this machine (Custom Runtime `bootstrap`s, Python and Node.js
//! event handlers; see the README's "Running your code"), unless the server was built with
//! [`ServerBuilder::function_handler`] or [`ServerBuilder::echo_functions`], whose in-process
//! handler then runs for every function; asynchronous
//! invocations become events that go from `RUNNING` to `FINISHED` or `FAILED` after
//! [`ServerBuilder::async_delay`], or to `ABORTED` when terminated. [`is_stateful`] tells which
//! actions are modelled (today every action of the spec). In [`ServerBuilder::examples_only`]
//! mode every action answers with its documented example response
//! ([`ActionDef::example_output`]), as do, in the normal mode, only actions deliberately listed
//! as example-only (none today); an action that is neither modelled nor listed is a bug, which
//! the unit tests name and which answers `InternalError`, never a made-up success.
//!
//! ```
//! # async fn demo() -> std::io::Result<()> {
//! let server = scf_local::Server::builder()
//!     .function_handler(|call: scf_local::Invocation| async move {
//!         Ok(format!("{} got {}", call.function_name, call.event))
//!     })
//!     .start()
//!     .await?;
//! assert!(scf_local::is_stateful("Invoke"));
//! # Ok(())
//! # }
//! ```
//!
//! # Checks, in order
//!
//! Each check is one function of the service, run in this order; the first that fails answers.
//!
//! 0. `check_body_arrived`: the body must arrive within [`ServerBuilder::body_timeout`] (30 s by
//!    default) of the headers, else the answer is a plain-text HTTP `408 Request Timeout` and the
//!    connection is closed.
//! 1. `check_path_and_method`: the path must be `/`: any other path gets a plain-text HTTP 404
//!    (not an envelope, as there is no API there). A method other than `POST` gets the envelope
//!    error `UnsupportedOperation`. Then `check_body_read`: a body that could not be read →
//!    `InvalidParameter`; one over 64 MiB → `RequestSizeLimitExceeded` (see below).
//! 2. `check_version_and_timestamp`: `X-TC-Version` missing or not shaped like `YYYY-MM-DD` →
//!    `InvalidParameter`; a different version → `NoSuchVersion`. `X-TC-Timestamp`: missing or
//!    not a non-negative integer → `InvalidParameter`.
//! 3. `check_action`: `X-TC-Action` missing or unknown → `InvalidAction`.
//! 4. `check_signature`: `Authorization` missing → `AuthFailure.InvalidAuthorization`;
//!    malformed → `AuthFailure.SignatureFailure`; another SecretId →
//!    `AuthFailure.SecretIdNotFound`; a credential scope with another service or a date that is
//!    not the UTC date of `X-TC-Timestamp`, signed headers without `content-type` and `host`, or
//!    a wrong signature → `AuthFailure.SignatureFailure` (the message shows the server's string
//!    to sign and canonical request).
//! 5. `check_timestamp_window`: `X-TC-Timestamp` more than [`MAX_TIMESTAMP_SKEW_SECS`] away
//!    from the server's clock (see [`ServerBuilder::clock_offset_secs`]) →
//!    `AuthFailure.SignatureExpire`.
//! 6. `check_token`: `X-TC-Token` (an empty value counts as absent): if the server has a token,
//!    the request must carry exactly it; if not, it must carry none → otherwise
//!    `AuthFailure.TokenFailure`.
//! 7. `take_fault`: a queued [`Fault`], if any, replaces the rest ([`Fault::Delay`] waits, then
//!    lets the request go on).
//! 8. `check_rate_limit`: with [`ServerBuilder::enforce_rate_limits`], a request over its
//!    action's documented rate limit gets `RequestLimitExceeded`.
//! 9. `check_body_size`: a body over [`BODY_LIMIT`] → `RequestSizeLimitExceeded`.
//! 10. `parse_body`: a body that is not a JSON object → `InvalidParameter`.
//! 11. `check_params`: the members: a missing required member → `MissingParameter`, a member
//!     the action (or nested type) does not have → `UnknownParameter`, a value of the wrong JSON
//!     type (including `null`) → `InvalidParameterValue`; messages name the member, nested ones
//!     as `Outer.0.Inner`.
//! 12. `dispatch`: the action's answer, from the handler its route names (or, in examples-only
//!     mode, its documented example).
//!
//! The signature covers the SHA-256 of the whole body, so the server reads every body before
//! checking anything, keeping at most [`BODY_LIMIT`] bytes in memory and only hashing the rest.
//! It stops reading at 64 MiB and then answers `RequestSizeLimitExceeded` at once, before the
//! header checks.
//!
//! # What the server keeps
//!
//! Nothing grows without bound with the number of requests:
//!
//! - [`Server::requests`] holds the newest requests within [`RequestLogLimits`] (by default
//!   1,000 records, the first 64 KiB of each body with the length and SHA-256 of all of it,
//!   16 MiB in all). A request that does not pass authentication (steps 0 to 6) is recorded
//!   without its body and with its `Authorization` signature masked.
//! - Invocation records and async events stay within [`HistoryLimits`] (1,000 records per
//!   function, 10,000 and 64 MiB in all, 10,000 events, each kept 72 hours after it ends), and
//!   go with their function when it is deleted.
//! - Connections: at most [`ServerBuilder::max_connections`] (256) are served at once, and one
//!   whose client sends no complete request head for [`ServerBuilder::header_timeout`] (30 s),
//!   idle kept-alive connections included, is closed.
//!
//! What clients create (functions with their code, layer versions, ...) is kept until they
//! delete it, as in a real account.

pub mod catalog;
pub mod cli;
#[rustfmt::skip]
mod generated;

mod answer_check;
mod auth;
mod body;
mod builder;
mod code_package;
mod context;
mod error;
mod fault;
mod function;
mod handlers;
mod history;
mod record;
mod request_id;
mod request_log;
mod runtime;
mod server;
mod service;
mod state;
mod throttle;
mod validate;

pub use builder::{
    DEFAULT_ASYNC_DELAY, DEFAULT_BODY_TIMEOUT, DEFAULT_HEADER_TIMEOUT, DEFAULT_KEEP_ALIVE,
    DEFAULT_MAX_CONNECTIONS, DEFAULT_REGION, DEFAULT_REQUEST_WINDOW, ServerBuilder,
};
pub use catalog::{ActionDef, Catalog, MemberDef, TypeDef, WireType};
pub use code_package::CodePackage;
pub use fault::Fault;
pub use function::{FunctionFuture, FunctionResult, Invocation};
pub use generated::catalog::CATALOG;
pub use handlers::is_stateful;
pub use history::HistoryLimits;
pub use record::{Outcome, RecordedRequest};
pub use request_log::RequestLogLimits;
pub use server::Server;

/// The SecretId a server accepts unless configured otherwise. A documented test value, not a
/// real credential.
pub const DEFAULT_SECRET_ID: &str = "AKIDLOCALTESTKEY00000000000000000000";

/// The SecretKey of [`DEFAULT_SECRET_ID`]. A documented test value, not a real credential.
pub const DEFAULT_SECRET_KEY: &str = "scf-local-test-secret-key-0000000";

/// The largest accepted request body (the spec's `maxBodyBytes`); larger ones get
/// `RequestSizeLimitExceeded`.
pub const BODY_LIMIT: usize = generated::catalog::MAX_BODY_BYTES;

/// How far `X-TC-Timestamp` may be from the server's clock, in seconds, before a request gets
/// `AuthFailure.SignatureExpire`.
pub const MAX_TIMESTAMP_SKEW_SECS: i64 = 300;
