//! The invocation loop: `ready` once, then `next` → handler → `response` or `error`, forever.

use std::future::Future;
use std::time::{Duration, Instant};

use bytes::Bytes;
use hyper::header::HeaderMap;
use serde::ser::{Serialize, SerializeStruct, Serializer};
use tracing::Instrument;

use crate::api::RuntimeApi;
use crate::context::Environment;
use crate::{BoxError, Context, Error, panic};

/// The status code SCF gives an error raised by the function's code ("user code exception
/// caught"), carried in the error object.
const USER_ERROR_STATUS: u16 = 430;

/// A failed invocation, as reported to `/runtime/invocation/error`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    /// `errorMessage`.
    pub(crate) message: String,
    /// `stackTrace`: one string, lines separated by `\n`.
    pub(crate) stack_trace: String,
}

impl Failure {
    /// A failure with a message and no trace.
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            stack_trace: String::new(),
        }
    }

    /// A handler's error: its `Display` is the message, its chain of sources the trace.
    pub(crate) fn from_error(error: BoxError) -> Self {
        let mut stack_trace = String::new();
        let mut source = error.source();
        while let Some(cause) = source {
            if !stack_trace.is_empty() {
                stack_trace.push('\n');
            }
            stack_trace.push_str("caused by: ");
            stack_trace.push_str(&cause.to_string());
            source = cause.source();
        }
        Self {
            message: error.to_string(),
            stack_trace,
        }
    }

    /// The error object SCF documents for a failed invocation, JSON-encoded.
    pub(crate) fn to_json(&self, request_id: &str) -> Vec<u8> {
        let object = ErrorObject {
            failure: self,
            request_id,
        };
        // Strings and integers always encode.
        serde_json::to_vec(&object).unwrap_or_default()
    }
}

/// `{"errorCode": -1, "errorMessage", "requestId", "stackTrace", "statusCode": 430}`, keys in
/// this order.
struct ErrorObject<'a> {
    failure: &'a Failure,
    request_id: &'a str,
}

impl Serialize for ErrorObject<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut object = serializer.serialize_struct("ErrorObject", 5)?;
        object.serialize_field("errorCode", &-1)?;
        object.serialize_field("errorMessage", &self.failure.message)?;
        object.serialize_field("requestId", self.request_id)?;
        object.serialize_field("stackTrace", &self.failure.stack_trace)?;
        object.serialize_field("statusCode", &USER_ERROR_STATUS)?;
        object.end()
    }
}

/// Serves events with `handler` until the runtime API fails; the error is also written to
/// stderr.
pub(crate) async fn serve<F, Fut>(environment: Result<Environment, Error>, handler: F) -> Error
where
    F: FnMut(Bytes, Context) -> Fut,
    Fut: Future<Output = Result<Vec<u8>, Failure>>,
{
    let error = match environment {
        Ok(environment) => serve_events(&environment, handler).await,
        Err(error) => error,
    };
    eprintln!("{error}");
    error
}

async fn serve_events<F, Fut>(environment: &Environment, mut handler: F) -> Error
where
    F: FnMut(Bytes, Context) -> Fut,
    Fut: Future<Output = Result<Vec<u8>, Failure>>,
{
    panic::install_hook();
    let mut api = match RuntimeApi::new(&environment.api_host, environment.api_port) {
        Ok(api) => api,
        Err(error) => return error,
    };
    if let Err(error) = api.ready().await {
        return error;
    }
    loop {
        let event = match api.next().await {
            Ok(event) => event,
            Err(error) => return error,
        };
        let (failed, body) = match context_for(&environment.template, &event.headers) {
            Ok(ctx) => {
                let request_id = ctx.request_id.clone();
                let span = tracing::info_span!("invocation", request_id = %request_id);
                let outcome = panic::catch(|| handler(event.body, ctx))
                    .instrument(span)
                    .await;
                match outcome {
                    Ok(result) => (false, result),
                    Err(failure) => (true, failure.to_json(&request_id)),
                }
            }
            Err((request_id, problem)) => {
                eprintln!("scf-runtime: {problem}");
                (true, Failure::new(problem).to_json(&request_id))
            }
        };
        // What the handler printed belongs to this invocation's log: out before the result.
        let _ = std::io::Write::flush(&mut std::io::stdout());
        if let Err(error) = api.push(failed, body).await {
            return error;
        }
    }
}

/// The context of an event from the headers of `next` (the deadline counts from now), or the
/// request id (possibly empty) and what is wrong with the headers.
fn context_for(template: &Context, headers: &HeaderMap) -> Result<Context, (String, String)> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
    };
    let request_id = text("request_id").unwrap_or_default().to_owned();
    let number = |name: &str| {
        text(name)
            .and_then(|value| value.parse::<u64>().ok())
            .ok_or_else(|| {
                let problem = format!("the event came without a valid {name} header");
                (request_id.clone(), problem)
            })
    };
    let time_limit = Duration::from_millis(number("time_limit_in_ms")?);
    let memory_limit_in_mb = number("memory_limit_in_mb")?;
    if request_id.is_empty() {
        return Err((
            request_id,
            "the event came without a request_id header".to_owned(),
        ));
    }
    Ok(Context {
        deadline: Instant::now() + time_limit,
        request_id,
        time_limit,
        memory_limit_in_mb,
        ..template.clone()
    })
}
