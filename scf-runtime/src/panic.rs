//! Keeping a panicking handler from taking the process down: the handler is called, and its
//! future polled, inside `catch_unwind`; a panic becomes a [`Failure`].
//!
//! To say where the panic happened, a panic hook (installed once, in front of whatever hook was
//! there, which still runs and prints the usual message to stderr) notes the location, and a
//! backtrace when `RUST_BACKTRACE` asks for one, in a thread-local slot read right after the
//! unwind is caught on the same thread.

use std::any::Any;
use std::cell::RefCell;
use std::future::{Future, poll_fn};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use crate::invocation::Failure;

thread_local! {
    /// Where the last panic on this thread happened (and its backtrace, when captured).
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs the location-noting hook (once per process).
pub(crate) fn install_hook() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let mut trace = match info.location() {
                Some(location) => format!("panicked at {location}"),
                None => "panicked".to_owned(),
            };
            let backtrace = std::backtrace::Backtrace::capture();
            if backtrace.status() == std::backtrace::BacktraceStatus::Captured {
                trace.push('\n');
                trace.push_str(&backtrace.to_string());
            }
            LAST_PANIC.with(|slot| *slot.borrow_mut() = Some(trace));
            previous(info);
        }));
    });
}

/// Calls `call` and awaits the future it returns; a panic in either becomes a [`Failure`].
pub(crate) async fn catch<T, Fut>(call: impl FnOnce() -> Fut) -> Result<T, Failure>
where
    Fut: Future<Output = Result<T, Failure>>,
{
    let future = match catch_unwind(AssertUnwindSafe(call)) {
        Ok(future) => future,
        Err(payload) => return Err(failure(payload.as_ref())),
    };
    let mut future = Box::pin(future);
    let polled = poll_fn(
        |cx| match catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx))) {
            Ok(poll) => poll.map(Ok),
            Err(payload) => std::task::Poll::Ready(Err(payload)),
        },
    )
    .await;
    // Dropping a future that panicked may panic again; that must not escape either.
    let _ = catch_unwind(AssertUnwindSafe(move || drop(future)));
    match polled {
        Ok(result) => result,
        Err(payload) => Err(failure(payload.as_ref())),
    }
}

fn failure(payload: &(dyn Any + Send)) -> Failure {
    let message = if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "the handler panicked".to_owned()
    };
    let trace = LAST_PANIC.with(|slot| slot.borrow_mut().take());
    Failure {
        message,
        stack_trace: trace.unwrap_or_default(),
    }
}
