//! Why a command failed, and the exit status it ends with (aws-cli's): 252 invalid usage or
//! input, 253 configuration or credentials, 254 a service error, 255 anything else.

use std::fmt;

use scf_api::{AnyError, ErrorCode, ErrorKind, InputProblem};

/// Invalid usage or input: a bad flag, a missing required member, an undocumented value, bad
/// JSON. Reported before anything is sent.
pub const EXIT_USAGE: u8 = 252;
/// No credentials, or a bad configuration (region, endpoint, profile).
pub const EXIT_CONFIG: u8 = 253;
/// The service answered with an error.
pub const EXIT_SERVICE: u8 = 254;
/// Anything else: network, timeout, an undecodable answer, a waiter that failed or timed out.
pub const EXIT_OTHER: u8 = 255;

/// A failed command: its exit status and the message printed on stderr (never a secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The exit status.
    pub exit: u8,
    /// What went wrong, one or more lines.
    pub message: String,
}

impl Failure {
    /// Invalid usage or input (252).
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            exit: EXIT_USAGE,
            message: message.into(),
        }
    }

    /// No credentials or bad configuration (253).
    pub fn config(message: impl Into<String>) -> Failure {
        Failure {
            exit: EXIT_CONFIG,
            message: message.into(),
        }
    }

    /// Anything else (255).
    pub fn other(message: impl Into<String>) -> Failure {
        Failure {
            exit: EXIT_OTHER,
            message: message.into(),
        }
    }

    /// A name the generated dispatch does not know: the table and the dispatch disagree.
    pub fn unknown_command(name: &str) -> Failure {
        Failure::usage(format!("unknown command `{name}`"))
    }

    /// A failed call of scf-api, with the exit status its kind calls for.
    pub fn call<E: ErrorCode>(error: scf_api::Error<E>) -> Failure {
        Failure::from_any(&error.into_any())
    }

    fn from_any(error: &AnyError) -> Failure {
        let action = error.action();
        let request_id = error
            .request_id()
            .map(|id| format!("\nRequestId: {id}"))
            .unwrap_or_default();
        match error.kind() {
            ErrorKind::Service(e) | ErrorKind::Throttled(e) => Failure {
                exit: EXIT_SERVICE,
                message: format!(
                    "An error occurred ({}) when calling the {action} operation: {}{request_id}",
                    e.code.as_str(),
                    e.message
                ),
            },
            ErrorKind::InvalidInput(input) => {
                let config = input.problems().iter().any(|p| {
                    matches!(
                        p,
                        InputProblem::MissingRegion
                            | InputProblem::InvalidRegion { .. }
                            | InputProblem::UnsupportedRegion { .. }
                    )
                });
                let hint = if config {
                    " (pass --region or set TENCENTCLOUD_REGION)"
                } else {
                    ""
                };
                Failure {
                    exit: if config { EXIT_CONFIG } else { EXIT_USAGE },
                    message: format!("{action}: {input}{hint}"),
                }
            }
            ErrorKind::Credentials(e) => Failure::config(format!("no credentials: {e}")),
            // The body snippet is left out: it may hold members the output would redact.
            ErrorKind::Decode(d) => Failure::other(format!(
                "{action}: the answer could not be decoded ({:?}, HTTP {}): {}{request_id}",
                d.kind, d.status, d.message
            )),
            _ => Failure::other(error.to_string()),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}
