//! Typed events of SCF's triggers (feature `events`), to use as a handler's event type with
//! [`run`](crate::run):
//!
//! ```no_run
//! use scf_runtime::events::timer::TimerEvent;
//! use scf_runtime::{BoxError, Context};
//!
//! async fn tick(event: TimerEvent, _ctx: Context) -> Result<String, BoxError> {
//!     Ok(format!("{} fired at {}", event.trigger_name, event.time))
//! }
//!
//! #[tokio::main(flavor = "current_thread")]
//! async fn main() -> Result<(), scf_runtime::Error> {
//!     scf_runtime::run(tick).await
//! }
//! ```
//!
//! The field names are those of Tencent's trigger documentation ("trigger event message
//! structures") and of Tencent's Go runtime library (`tencentyun/scf-go-lib`, package
//! `events`). Every type is lenient: a field the event lacks takes its default value, and
//! fields the type does not know are ignored, so a platform that adds fields breaks nothing.
//! Where a shape is documented only by a sample, the type keeps to what the sample shows;
//! deserialize into `serde_json::Value` for anything else.

pub mod api_gateway;
pub mod ckafka;
pub mod cls;
pub mod cmq;
pub mod cos;
pub mod timer;

#[cfg(test)]
mod tests;
