//! What an emulated function does when it is invoked: a user-supplied async handler, echo by
//! default.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// One invocation of an emulated function, as its handler sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Invocation {
    /// The function's namespace.
    pub namespace: String,
    /// The function's name.
    pub function_name: String,
    /// The version the call resolved to: `$LATEST` or a published version number (an alias is
    /// resolved to its version).
    pub version: String,
    /// The request id of this invocation (`FunctionRequestId`).
    pub request_id: String,
    /// The event: `ClientContext` of `Invoke`, `Event` of `InvokeFunction` (`{}` when absent).
    pub event: String,
    /// Whether the invocation is asynchronous (`InvocationType` `Event`).
    pub asynchronous: bool,
}

/// What a handler returns: the function's return value (`RetMsg`), or its error message
/// (`ErrMsg`, with `InvokeResult` 1 and the async event `FAILED`).
pub type FunctionResult = Result<String, String>;

/// The future a handler returns.
pub type FunctionFuture = Pin<Box<dyn Future<Output = FunctionResult> + Send>>;

/// A function's behaviour, shared by every emulated function of a server (look at
/// [`Invocation::function_name`] to tell them apart).
#[derive(Clone)]
pub(crate) struct FunctionHandler(Arc<dyn Fn(Invocation) -> FunctionFuture + Send + Sync>);

impl FunctionHandler {
    /// Wraps an async closure.
    pub(crate) fn new<F, Fut>(handler: F) -> Self
    where
        F: Fn(Invocation) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = FunctionResult> + Send + 'static,
    {
        FunctionHandler(Arc::new(move |invocation| Box::pin(handler(invocation))))
    }

    /// Echoes the event back as the return value.
    pub(crate) fn echo() -> Self {
        Self::new(|invocation: Invocation| async move { Ok(invocation.event) })
    }

    pub(crate) fn call(&self, invocation: Invocation) -> FunctionFuture {
        (self.0)(invocation)
    }
}

impl fmt::Debug for FunctionHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FunctionHandler")
    }
}
