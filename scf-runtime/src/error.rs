//! [`Error`]: why the runtime stopped serving events.

use std::fmt;

/// Why [`run`](crate::run) or [`run_raw`](crate::run_raw) returned: the function cannot go on
/// serving events. A handler's own failures are never this type; they are reported to the
/// platform and the loop goes on.
///
/// `Display` is a full sentence meant for stderr (the function's log), e.g.
/// `scf-runtime: SCF_RUNTIME_API is not set: this program must be started by SCF as a Custom
/// Runtime bootstrap`.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// An environment variable the platform sets for a Custom Runtime is missing or invalid.
    Environment {
        /// The variable (`SCF_RUNTIME_API` or `SCF_RUNTIME_API_PORT`).
        variable: &'static str,
        /// What is wrong with it.
        problem: String,
    },
    /// The runtime API could not be reached, or the connection to it failed.
    Unreachable {
        /// The address tried, `host:port`.
        address: String,
        /// The underlying error, as text.
        detail: String,
    },
    /// The runtime API answered a request with an unexpected status.
    Status {
        /// The request, e.g. `POST /runtime/init/ready`.
        request: &'static str,
        /// The HTTP status code.
        status: u16,
        /// The start of the answer's body, as text.
        body: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Environment { variable, problem } => write!(
                f,
                "scf-runtime: {variable} {problem}: this program must be started by SCF as a \
                 Custom Runtime bootstrap (it reads the runtime API address from \
                 SCF_RUNTIME_API and SCF_RUNTIME_API_PORT)"
            ),
            Error::Unreachable { address, detail } => write!(
                f,
                "scf-runtime: the runtime API at {address} cannot be reached: {detail}"
            ),
            Error::Status {
                request,
                status,
                body,
            } => {
                write!(f, "scf-runtime: {request} answered HTTP {status}")?;
                if !body.is_empty() {
                    write!(f, ": {body}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {}
