//! Typed helpers for `Invoke` and `InvokeFunction`: a JSON event from any `Serialize` value,
//! the documented event size limits checked before sending, the tail log, and an
//! [`Invocation`] that keeps a function's own failure ([`FunctionError`]) apart from a failed
//! API call ([`Error`]).
//!
//! The builders' plain `send()` stays as generated: it returns the raw `Result` and does not
//! check the event's size (the service does).

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::HelperProblem;
use crate::action::{Action, EventLimits, InputProblem, InvalidInput};
use crate::actions::{
    InvokeBuilder, InvokeError, InvokeFunctionBuilder, InvokeFunctionError, InvokeFunctionRequest,
    InvokeRequest,
};
use crate::error::Error;
use crate::types;

/// `Invoke`'s event limits, from the spec (`eventLimits`).
const INVOKE_EVENT: EventLimits = match <InvokeRequest as Action>::META.event_limits {
    Some(limits) => limits,
    None => panic!("the spec gives Invoke no eventLimits"),
};

/// `InvokeFunction`'s event limits, from the spec (`eventLimits`).
const INVOKE_FUNCTION_EVENT: EventLimits =
    match <InvokeFunctionRequest as Action>::META.event_limits {
        Some(limits) => limits,
        None => panic!("the spec gives InvokeFunction no eventLimits"),
    };

/// The largest event of a synchronous invocation, in bytes: 6 MB (`ClientContext` of `Invoke`
/// with `InvocationType` `RequestResponse`, `Event` of `InvokeFunction`). The spec's
/// `eventLimits.maxSyncBytes` of `Invoke`, also in [`ActionMeta::event_limits`].
///
/// [`ActionMeta::event_limits`]: crate::ActionMeta::event_limits
pub const MAX_SYNC_EVENT_BYTES: usize = INVOKE_EVENT.max_sync_bytes;

/// The largest event of an asynchronous invocation, in bytes: 128 KB (`ClientContext` of
/// `Invoke` with `InvocationType` `Event`). The spec's `eventLimits.maxAsyncBytes` of `Invoke`,
/// also in [`ActionMeta::event_limits`].
///
/// [`ActionMeta::event_limits`]: crate::ActionMeta::event_limits
pub const MAX_ASYNC_EVENT_BYTES: usize = match INVOKE_EVENT.max_async_bytes {
    Some(bytes) => bytes,
    None => panic!("the spec gives Invoke no eventLimits.maxAsyncBytes"),
};

/// The outcome of one invocation of a function, from [`InvokeBuilder::invoke`] or
/// [`InvokeFunctionBuilder::invoke`]: the API call succeeded, and the function either returned
/// a value or failed with a [`FunctionError`].
///
/// ```no_run
/// # async fn demo(client: scf_api::Client) -> Result<(), Box<dyn std::error::Error>> {
/// let run = client.invoke_function().function_name("hello").tail_log().invoke().await?;
/// match run.result() {
///     Ok(value) => println!("returned {value} in {:?}", run.duration()),
///     Err(e) => println!("{e}\n{}", run.log().unwrap_or_default()),
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Invocation {
    request_id: String,
    function_request_id: String,
    outcome: Result<String, FunctionError>,
    log: Option<String>,
    duration_ms: f64,
    billed_duration_ms: i64,
    mem_usage: i64,
    asynchronous: bool,
}

impl Invocation {
    /// Reads the `Result` of an answer; `tail` when the request asked for the log,
    /// `asynchronous` when it queued the event.
    fn new(result: types::Result, request_id: String, tail: bool, asynchronous: bool) -> Self {
        // `InvokeResult` is no longer maintained upstream, so an error message counts too.
        let failed = result.invoke_result != 0 || !result.err_msg.trim().is_empty();
        let outcome = if failed {
            let message = if result.err_msg.is_empty() {
                result.ret_msg
            } else {
                result.err_msg
            };
            Err(FunctionError {
                invoke_result: result.invoke_result,
                message,
            })
        } else {
            Ok(result.ret_msg)
        };
        Invocation {
            request_id,
            function_request_id: result.function_request_id,
            outcome,
            log: tail.then_some(result.log),
            duration_ms: result.duration,
            billed_duration_ms: result.bill_duration,
            mem_usage: result.mem_usage,
            asynchronous,
        }
    }

    /// The function's return value (`RetMsg`), or its failure (`ErrMsg` with a non-zero
    /// `InvokeResult`, or a non-empty `ErrMsg`). Empty for an asynchronous invocation, whose
    /// outcome is not known yet.
    pub fn result(&self) -> Result<&str, &FunctionError> {
        self.outcome.as_ref().map(String::as_str)
    }

    /// [`Invocation::result`] by value.
    pub fn into_result(self) -> Result<String, FunctionError> {
        self.outcome
    }

    /// The function's return value deserialized from JSON.
    ///
    /// ```no_run
    /// # async fn demo(client: scf_api::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// #[derive(serde::Deserialize)]
    /// struct Receipt {
    ///     total: u64,
    /// }
    ///
    /// let run = client.invoke().function_name("checkout").invoke().await?;
    /// let receipt: Receipt = run.json()?;
    /// println!("total {}", receipt.total);
    /// # Ok(())
    /// # }
    /// ```
    pub fn json<'a, T: Deserialize<'a>>(&'a self) -> Result<T, ReturnError> {
        if self.asynchronous {
            return Err(ReturnError::Asynchronous);
        }
        let value = self
            .result()
            .map_err(|e| ReturnError::Function(e.clone()))?;
        serde_json::from_str(value).map_err(|e| ReturnError::Decode {
            message: e.to_string(),
        })
    }

    /// Unique ID of the API call (`RequestId`), needed when asking Tencent Cloud about it.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// ID of this execution of the function (`FunctionRequestId`); for an asynchronous
    /// invocation, the ID to pass to `GetAsyncEventStatus` as `InvokeRequestId`.
    pub fn function_request_id(&self) -> &str {
        &self.function_request_id
    }

    /// The tail of the execution log (`Log`, at most 4 KB) when the request asked for it with
    /// `LogType` `Tail` (see [`InvokeBuilder::tail_log`]); `None` otherwise and for asynchronous
    /// invocations.
    pub fn log(&self) -> Option<&str> {
        self.log.as_deref()
    }

    /// How long the function ran (`Duration`); zero for an asynchronous invocation.
    pub fn duration(&self) -> Duration {
        millis(self.duration_ms)
    }

    /// The billed duration (`BillDuration`); zero for an asynchronous invocation.
    pub fn billed_duration(&self) -> Duration {
        Duration::from_millis(u64::try_from(self.billed_duration_ms).unwrap_or(0))
    }

    /// Memory used by the execution (`MemUsage`), in bytes; zero for an asynchronous
    /// invocation.
    pub fn memory_usage(&self) -> u64 {
        u64::try_from(self.mem_usage).unwrap_or(0)
    }

    /// Whether the invocation was asynchronous (`InvocationType` `Event`): the event was queued
    /// and the function's outcome is not known yet.
    pub fn is_asynchronous(&self) -> bool {
        self.asynchronous
    }
}

/// `ms` milliseconds as a `Duration`; zero for a negative or non-finite value.
fn millis(ms: f64) -> Duration {
    Duration::try_from_secs_f64(ms / 1000.0).unwrap_or(Duration::ZERO)
}

/// A function that ran and failed (it raised an error, panicked, or timed out). The API call
/// itself succeeded: this is never an [`Error`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionError {
    invoke_result: i64,
    message: String,
}

impl FunctionError {
    /// The status code of the execution (`InvokeResult`); `0` when the service reported the
    /// failure only through the message.
    pub fn invoke_result(&self) -> i64 {
        self.invoke_result
    }

    /// The error message (`ErrMsg`, or `RetMsg` when `ErrMsg` is empty).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for FunctionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "function failed (InvokeResult {}): {}",
            self.invoke_result, self.message
        )
    }
}

impl std::error::Error for FunctionError {}

/// Why [`Invocation::json`] has no value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReturnError {
    /// The function failed.
    Function(FunctionError),
    /// The invocation was asynchronous: the function's return value is not known.
    Asynchronous,
    /// The return value is not JSON of the expected shape.
    Decode {
        /// The decoder's message.
        message: String,
    },
}

impl fmt::Display for ReturnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReturnError::Function(e) => e.fmt(f),
            ReturnError::Asynchronous => f.write_str(
                "the invocation was asynchronous: the function's return value is not known",
            ),
            ReturnError::Decode { message } => {
                write!(
                    f,
                    "the function's return value is not the expected JSON: {message}"
                )
            }
        }
    }
}

impl std::error::Error for ReturnError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReturnError::Function(e) => Some(e),
            _ => None,
        }
    }
}

/// `value` as a JSON string, or the problem for input `member`.
fn encode<T: Serialize + ?Sized>(member: &'static str, value: &T) -> Result<String, InvalidInput> {
    serde_json::to_string(value).map_err(|e| {
        InvalidInput::single(InputProblem::Helper(HelperProblem::EncodeInput {
            member,
            message: e.to_string(),
        }))
    })
}

/// Checks that the event in `member` fits `limit`; when it does not, the error lists the
/// request's other problems too (what `send()` would report), so all are reported at once.
fn check_event<A: Action>(
    request: &A,
    member: &'static str,
    event: Option<&str>,
    limit: usize,
) -> Result<(), Error<A::Error>> {
    let size = event.map_or(0, str::len);
    if size <= limit {
        return Ok(());
    }
    let mut problems = request
        .validate()
        .err()
        .map(InvalidInput::into_problems)
        .unwrap_or_default();
    problems.push(InputProblem::Helper(HelperProblem::InputTooLarge {
        member,
        size,
        limit,
    }));
    InvalidInput::check(problems).map_err(|e| Error::invalid_input(A::META.name, e))
}

impl InvokeBuilder {
    /// Sets the event (`ClientContext`) to `event` encoded as JSON. A `&str` is encoded as a
    /// JSON string; to send JSON text as it is, use [`client_context`](Self::client_context).
    ///
    /// Fails, before anything is sent, with [`ErrorKind::InvalidInput`] holding
    /// [`HelperProblem::EncodeInput`] when `event` cannot be encoded (a map with non-string
    /// keys, or a `Serialize` implementation that fails).
    ///
    /// ```no_run
    /// # async fn demo(client: scf_api::Client) -> Result<(), scf_api::Error<scf_api::actions::InvokeError>> {
    /// #[derive(serde::Serialize)]
    /// struct Order {
    ///     id: u64,
    ///     items: Vec<String>,
    /// }
    ///
    /// let order = Order { id: 7, items: vec!["tea".into()] };
    /// let run = client.invoke().function_name("orders").json_event(&order)?.invoke().await?;
    /// println!("{:?}", run.result());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// [`ErrorKind::InvalidInput`]: crate::ErrorKind::InvalidInput
    pub fn json_event<T: Serialize + ?Sized>(self, event: &T) -> Result<Self, Error<InvokeError>> {
        let json = encode("ClientContext", event)
            .map_err(|e| Error::invalid_input(<InvokeRequest as Action>::META.name, e))?;
        Ok(self.client_context(json))
    }

    /// Asks for the tail of the execution log (`LogType` `Tail`), returned by
    /// [`Invocation::log`]. Synchronous invocations only.
    pub fn tail_log(self) -> Self {
        self.log_type(types::LogType::Tail)
    }

    /// Makes the invocation asynchronous (`InvocationType` `Event`): the event is queued and
    /// the call returns at once; [`Invocation::function_request_id`] identifies the event.
    pub fn asynchronous(self) -> Self {
        self.invocation_type(types::InvocationType::Event)
    }

    /// Checks the inputs and the event's size, sends the request, and returns the
    /// [`Invocation`], whose [`result`](Invocation::result) tells the function's return value
    /// from its failure.
    ///
    /// The event may have at most [`MAX_SYNC_EVENT_BYTES`] for a synchronous invocation and
    /// [`MAX_ASYNC_EVENT_BYTES`] for an asynchronous one; a larger event is refused before
    /// anything is sent, with [`ErrorKind::InvalidInput`] holding
    /// [`HelperProblem::InputTooLarge`]. An `Err` is always a failed API call: a function that
    /// fails gives `Ok`.
    ///
    /// ```no_run
    /// # async fn demo(client: scf_api::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let run = client
    ///     .invoke()
    ///     .function_name("resize")
    ///     .json_event(&serde_json::json!({ "image": "cat.png", "width": 320 }))?
    ///     .tail_log()
    ///     .invoke()
    ///     .await?;
    /// match run.result() {
    ///     Ok(value) => println!("{value}"),
    ///     Err(failure) => eprintln!("{failure}\n{}", run.log().unwrap_or_default()),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// [`ErrorKind::InvalidInput`]: crate::ErrorKind::InvalidInput
    pub async fn invoke(self) -> Result<Invocation, Error<InvokeError>> {
        let request = self.as_request();
        let asynchronous = request.invocation_type == Some(types::InvocationType::Event);
        let limit = if asynchronous {
            MAX_ASYNC_EVENT_BYTES
        } else {
            MAX_SYNC_EVENT_BYTES
        };
        check_event(
            request,
            INVOKE_EVENT.member,
            request.client_context.as_deref(),
            limit,
        )?;
        let tail = !asynchronous && request.log_type == Some(types::LogType::Tail);
        let out = self.send().await?;
        Ok(Invocation::new(
            out.result,
            out.request_id,
            tail,
            asynchronous,
        ))
    }
}

impl InvokeFunctionBuilder {
    /// Sets the event (`Event`) to `event` encoded as JSON. A `&str` is encoded as a JSON
    /// string; to send JSON text as it is, use [`event`](Self::event).
    ///
    /// Fails, before anything is sent, with [`ErrorKind::InvalidInput`] holding
    /// [`HelperProblem::EncodeInput`] when `event` cannot be encoded.
    ///
    /// ```no_run
    /// # async fn demo(client: scf_api::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let run = client
    ///     .invoke_function()
    ///     .function_name("greet")
    ///     .json_event(&serde_json::json!({ "name": "Ada" }))?
    ///     .invoke()
    ///     .await?;
    /// let greeting: String = run.json()?;
    /// println!("{greeting}");
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// [`ErrorKind::InvalidInput`]: crate::ErrorKind::InvalidInput
    pub fn json_event<T: Serialize + ?Sized>(
        self,
        event: &T,
    ) -> Result<Self, Error<InvokeFunctionError>> {
        let json = encode("Event", event)
            .map_err(|e| Error::invalid_input(<InvokeFunctionRequest as Action>::META.name, e))?;
        Ok(self.event(json))
    }

    /// Asks for the tail of the execution log (`LogType` `Tail`), returned by
    /// [`Invocation::log`].
    pub fn tail_log(self) -> Self {
        self.log_type(types::LogType::Tail)
    }

    /// Checks the inputs and the event's size (at most [`MAX_SYNC_EVENT_BYTES`]), sends the
    /// request, and returns the [`Invocation`]; see [`InvokeBuilder::invoke`].
    ///
    /// ```no_run
    /// # async fn demo(client: scf_api::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let run = client.invoke_function().function_name("hello").invoke().await?;
    /// if let Err(failure) = run.result() {
    ///     eprintln!("the function failed: {}", failure.message());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn invoke(self) -> Result<Invocation, Error<InvokeFunctionError>> {
        let request = self.as_request();
        check_event(
            request,
            INVOKE_FUNCTION_EVENT.member,
            request.event.as_deref(),
            INVOKE_FUNCTION_EVENT.max_sync_bytes,
        )?;
        let tail = request.log_type == Some(types::LogType::Tail);
        let out = self.send().await?;
        Ok(Invocation::new(out.result, out.request_id, tail, false))
    }
}

#[cfg(test)]
#[path = "invoke_tests.rs"]
mod tests;
