//! The web front: HTTP requests for web functions (`Type` `HTTP`), passed to the function's own
//! server as API Gateway or a function URL would pass them (ours: the path scheme, the answers
//! when the function fails, and the absence of authentication are choices of scf-local).
//!
//! `ANY /web/{namespace}/{function}[@{qualifier}][/{path}][?{query}]` runs on an instance of
//! the function (`$LATEST`, or the version or alias after `@`), which receives
//! `/{path}[?{query}]` with the caller's method, headers and body, plus SCF's `X-Scf-*` headers
//! (any the caller sent are removed: only the platform sets them). The function's answer comes
//! back as it is, with `X-Scf-Request-Id` added. Each request becomes an invocation of the
//! function: its output is the invocation's log, for `GetFunctionLogs` and `GetRequestStatus`
//! (the bodies are not logged, as on SCF).
//!
//! When no answer comes from the function, the front answers with JSON
//! `{"errorCode": <SCF status>, "errorMessage": "...", "requestId": "..."}` and an HTTP status
//! standing for it: 404 (no such namespace, function, version or alias), 400 (not a web
//! function; a path that names no function), 503 (the function is not `Active`), 501 (the
//! server runs in-process handlers, which cannot serve HTTP), 413 (a body over 6 MB: status
//! 406), 429 (the function's concurrency is in use: 432), 504 (its timeout: 433), 502 (the
//! function's process or server failed: 405, 410, 434, 439, 445, 446, 450, 500).

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::http::request::Parts;
use hyper::{Response, StatusCode};
use serde_json::{Value, json};

use super::code::{self, Code};
use super::run::{self, Limits, Run};
use super::{find_function, version_config};
use crate::body::ReadBody;
use crate::context::{Shared, lock_store};
use crate::request_id;
use crate::runtime::{
    MAX_WEB_BODY_BYTES as MAX_BODY_BYTES, Outcome, WebRequest, WebResponse, Work, strip_hop_by_hop,
};
use crate::state::{InvocationRecord, LATEST, now_millis};

/// The path prefix the front answers under.
pub(crate) const PREFIX: &str = "/web/";

/// The function status in which a function can be invoked.
const ACTIVE: &str = "Active";

/// A web function's instance to run a request on, resolved under the store lock.
struct Target {
    namespace: String,
    function_name: String,
    /// The qualifier as called.
    qualifier: String,
    limits: Limits,
    code: Code,
}

/// An answer of the front itself: an HTTP status, the SCF status it stands for, a message.
struct Refusal {
    http: StatusCode,
    status: u16,
    message: String,
}

impl Refusal {
    fn new(http: StatusCode, status: u16, message: impl Into<String>) -> Refusal {
        Refusal {
            http,
            status,
            message: message.into(),
        }
    }
}

/// Answers one request under [`PREFIX`].
pub(crate) async fn serve(
    shared: &Arc<Shared>,
    parts: Parts,
    body: ReadBody,
) -> Response<Full<Bytes>> {
    let request_id = request_id::fresh();
    let answer = match prepare(shared, &parts, body) {
        Ok((target, request)) => run(shared, target, request, &request_id).await,
        Err(refusal) => Err(refusal),
    };
    let mut response = match answer {
        Ok(answer) => {
            let mut response = Response::new(Full::new(answer.body));
            *response.status_mut() = answer.status;
            *response.headers_mut() = answer.headers;
            response
        }
        Err(refusal) => refused(&refusal, &request_id),
    };
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("x-scf-request-id", value);
    }
    response
}

/// The target and the request to pass on, or why there is none.
fn prepare(
    shared: &Shared,
    parts: &Parts,
    body: ReadBody,
) -> Result<(Target, WebRequest), Refusal> {
    if body.timed_out || body.error.is_some() {
        let why = body.error.as_deref().unwrap_or("it did not arrive in time");
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            400,
            format!("the request body could not be read: {why}"),
        ));
    }
    if body.len > MAX_BODY_BYTES as u64 {
        let limit_mb = MAX_BODY_BYTES / (1024 * 1024);
        return Err(Refusal::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            406,
            format!("the request body is over {limit_mb} MB"),
        ));
    }
    let route = Route::parse(parts.uri.path())?;
    let target = target(shared, &route)?;
    let path_and_query = match parts.uri.query() {
        Some(query) => format!("{}?{query}", route.path),
        None => route.path,
    };
    let mut headers = parts.headers.clone();
    strip_hop_by_hop(&mut headers);
    let platform: Vec<_> = headers
        .keys()
        .filter(|name| name.as_str().starts_with("x-scf-"))
        .cloned()
        .collect();
    for name in platform {
        headers.remove(name);
    }
    let request = WebRequest {
        method: parts.method.clone(),
        path_and_query,
        headers,
        body: Bytes::from(body.kept),
    };
    Ok((target, request))
}

/// A request path taken apart.
struct Route {
    namespace: String,
    function: String,
    qualifier: Option<String>,
    /// What the function's server sees: `/` and the rest.
    path: String,
}

impl Route {
    fn parse(path: &str) -> Result<Route, Refusal> {
        let rest = path.strip_prefix(PREFIX).unwrap_or_default();
        let (namespace, rest) = rest.split_once('/').unwrap_or((rest, ""));
        let (function, path) = match rest.find('/') {
            Some(slash) => (&rest[..slash], &rest[slash..]),
            None => (rest, "/"),
        };
        let (function, qualifier) = match function.split_once('@') {
            Some((function, qualifier)) => (function, Some(qualifier.to_owned())),
            None => (function, None),
        };
        if namespace.is_empty() || function.is_empty() {
            return Err(Refusal::new(
                StatusCode::BAD_REQUEST,
                400,
                format!(
                    "web functions are served at {PREFIX}{{namespace}}/{{function}}[@{{qualifier}}]/{{path}}, not at `{path}`"
                ),
            ));
        }
        Ok(Route {
            namespace: namespace.to_owned(),
            function: function.to_owned(),
            qualifier,
            path: path.to_owned(),
        })
    }
}

/// Resolves the route to a runnable web function, under the store lock.
fn target(shared: &Shared, route: &Route) -> Result<Target, Refusal> {
    let not_found = |status, message: String| Refusal::new(StatusCode::NOT_FOUND, status, message);
    let store = lock_store(shared);
    let name = &route.function;
    let function = find_function(&store, &route.namespace, name).map_err(|_| {
        let namespace = &route.namespace;
        not_found(
            435,
            format!("no function `{name}` in namespace `{namespace}`"),
        )
    })?;
    let qualifier = route.qualifier.as_deref().unwrap_or(LATEST);
    let version = function.resolve(qualifier).ok_or_else(|| {
        not_found(
            442,
            format!("the function `{name}` has no version or alias `{qualifier}`"),
        )
    })?;
    if function.status != ACTIVE {
        let status = &function.status;
        return Err(Refusal::new(
            StatusCode::SERVICE_UNAVAILABLE,
            438,
            format!("the function `{name}` is {status}, not Active"),
        ));
    }
    let config = version_config(function, &version);
    if config.get("Type").and_then(Value::as_str) != Some("HTTP") {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            436,
            format!(
                "the function `{name}` is an event function: invoke it with Invoke or InvokeFunction"
            ),
        ));
    }
    if shared.function.is_some() {
        return Err(Refusal::new(
            StatusCode::NOT_IMPLEMENTED,
            500,
            "this server runs functions as in-process handlers, which cannot serve HTTP; start it without one to run web functions",
        ));
    }
    let limits = Limits::of(config);
    let code = code::code(
        &store,
        &route.namespace,
        function,
        &version,
        config,
        limits,
        &shared.region,
    );
    Ok(Target {
        namespace: route.namespace.clone(),
        function_name: name.clone(),
        qualifier: qualifier.to_owned(),
        limits,
        code,
    })
}

/// Runs the request on an instance and records the invocation.
async fn run(
    shared: &Shared,
    target: Target,
    request: WebRequest,
    request_id: &str,
) -> Result<WebResponse, Refusal> {
    let start = now_millis(shared.clock_offset_secs);
    let execution = shared
        .runtimes
        .invoke_limited(
            &target.code.spec,
            target.code.concurrency,
            request_id,
            Work::Http(request),
        )
        .await;
    let answer = match execution.outcome {
        Outcome::Answered(response) => Ok(*response),
        Outcome::Failed { status, message } => {
            Err(Refusal::new(gateway_status(status), status, message))
        }
        Outcome::Success(_) | Outcome::UserError(_) => Err(Refusal::new(
            StatusCode::BAD_GATEWAY,
            500,
            "the instance answered an event instead of an HTTP request",
        )),
    };
    let run = Run {
        result: answer
            .as_ref()
            .map(|_| String::new())
            .map_err(|r| r.message.clone()),
        duration_ms: execution.duration_ms,
        mem_usage: i64::try_from(execution.mem_usage).unwrap_or(i64::MAX),
        output: execution.log,
        error_object: None,
    };
    let record = InvocationRecord {
        namespace: target.namespace.clone(),
        function_name: target.function_name.clone(),
        qualifier: target.qualifier.clone(),
        request_id: request_id.to_owned(),
        start,
        duration_ms: run.duration_ms,
        log: run::log_text(request_id, &run, target.limits),
        result: run.result,
        mem_usage: run.mem_usage,
    };
    let mut store = lock_store(shared);
    // A function deleted while it ran leaves no record: nothing could look it up.
    if find_function(&store, &target.namespace, &target.function_name).is_ok() {
        store.invocations.push(record);
    }
    answer
}

/// The HTTP status that stands for a failed request's SCF status.
fn gateway_status(status: u16) -> StatusCode {
    match status {
        432 => StatusCode::TOO_MANY_REQUESTS,
        433 => StatusCode::GATEWAY_TIMEOUT,
        406 => StatusCode::PAYLOAD_TOO_LARGE,
        _ => StatusCode::BAD_GATEWAY,
    }
}

/// The front's own answer.
fn refused(refusal: &Refusal, request_id: &str) -> Response<Full<Bytes>> {
    let body = json!({
        "errorCode": refusal.status,
        "errorMessage": refusal.message,
        "requestId": request_id,
    });
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = refusal.http;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}
