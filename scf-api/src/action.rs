//! The contract between generated actions and the runtime.

use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::actions::CommonError;

/// Facts about an action that the runtime needs, taken from the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionMeta {
    /// Action name as sent in `X-TC-Action`.
    pub name: &'static str,
    /// Whether the action may be sent again after the service may have received it (reads).
    pub retry_safe: bool,
    /// Documented rate limit in requests per second.
    pub rate_limit: Option<u32>,
    /// How long the service may take to answer, in seconds, for actions that run user code
    /// before answering (synchronous invocations); `None` for ordinary calls.
    pub max_duration_secs: Option<u32>,
    /// Whether the action needs a region (`X-TC-Region`).
    pub region_required: bool,
    /// The only regions the action supports; empty when it supports every region.
    pub supported_regions: &'static [&'static str],
    /// The largest event the action carries, for actions that invoke a function (`Invoke`,
    /// `InvokeFunction`); `None` otherwise.
    pub event_limits: Option<EventLimits>,
    /// The time range two of the action's inputs bound (`GetFunctionLogs`' `StartTime` and
    /// `EndTime`); `None` for actions without one.
    pub time_range: Option<TimeRange>,
}

/// The largest event an action that invokes a function accepts (the spec's `eventLimits`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventLimits {
    /// Wire name of the string input holding the event (`ClientContext`, `Event`).
    pub member: &'static str,
    /// Largest event of a synchronous invocation, in bytes.
    pub max_sync_bytes: usize,
    /// Largest event of an asynchronous invocation, in bytes; `None` when the action cannot
    /// invoke asynchronously.
    pub max_async_bytes: Option<usize>,
}

/// A time range bounded by two `datetime` inputs (the spec's `timeRange`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    /// Wire name of the input holding the start (`StartTime`).
    pub start: &'static str,
    /// Wire name of the input holding the end (`EndTime`).
    pub end: &'static str,
    /// The widest range from start to end, in seconds.
    pub max_secs: u64,
}

/// The API an action belongs to: the service that answers it and the version it is part of.
///
/// Every generated action is SCF's ([`Api::SCF`]). Another Tencent Cloud service's action, such
/// as STS's `AssumeRole` used by [`AssumeRoleProvider`](crate::credentials::AssumeRoleProvider),
/// names its own; the client then signs it for that service and sends its version. Such a
/// client needs that service's endpoint ([`Endpoint::Url`](crate::Endpoint::Url)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Api {
    /// The service name: the scope of the TC3 signature and the first label of the service's
    /// host names (`scf`, `sts`).
    pub service: &'static str,
    /// The API version, sent in `X-TC-Version` (`2018-04-16`).
    pub version: &'static str,
}

impl Api {
    /// SCF, version 2018-04-16: the API of every generated action.
    pub const SCF: Api = Api {
        service: crate::generated::SERVICE,
        version: crate::generated::VERSION,
    };
}

/// How a request proves who sends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Signing {
    /// Signed with TC3-HMAC-SHA256 using the client's credentials; their session token goes in
    /// `X-TC-Token`. Every SCF action.
    Tc3,
    /// Not signed: `Authorization: SKIP`, no token, and no credentials are fetched. For the few
    /// actions that carry their own proof, such as STS's `AssumeRoleWithWebIdentity` (an OIDC
    /// token in the body).
    Skip,
}

/// A request of one action: implemented by every generated `*Request` type.
///
/// [`crate::Client::execute`] sends any `Action`, which lets generic code work with every
/// action alike.
pub trait Action: Serialize + Send + Sync {
    /// The decoded `Response` object.
    type Output: DeserializeOwned + Send;
    /// The action's error codes.
    type Error: ErrorCode;
    /// Facts from the spec.
    const META: ActionMeta;
    /// The API the action belongs to: SCF unless the action says otherwise.
    const API: Api = Api::SCF;
    /// How the request is authorised: signed unless the action says otherwise.
    const SIGNING: Signing = Signing::Tc3;

    /// Checks what the spec says can be checked before sending: required inputs and
    /// constraints between inputs. Reports every problem at once.
    fn validate(&self) -> Result<(), InvalidInput> {
        Ok(())
    }
}

/// A typed error code: one generated enum per action, with a variant per code of its own,
/// `Common(CommonError)` for the codes common to every action
/// ([`CommonError`](crate::actions::CommonError)), and `Unknown(String)` for any other.
pub trait ErrorCode:
    fmt::Debug + fmt::Display + Clone + PartialEq + Eq + Send + Sync + Sized + 'static
{
    /// The variant for a code as sent by the service (`Unknown` when not documented).
    fn from_code(code: &str) -> Self;
    /// The code as sent on the wire, e.g. `ResourceNotFound.Function`.
    fn code(&self) -> &str;

    /// The code common to every action, when this is one (the `Common` variant).
    fn common(&self) -> Option<CommonError> {
        CommonError::from_code(self.code())
    }
}

/// One problem with a request's inputs, found before anything was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputProblem {
    /// A required input is not set.
    Missing {
        /// Wire name of the input.
        member: &'static str,
    },
    /// An input is required because another one is set.
    RequiredWith {
        /// Wire name of the input that is missing.
        member: &'static str,
        /// Wire name of the input whose presence requires it.
        when: &'static str,
    },
    /// The action needs a region and none is configured.
    MissingRegion,
    /// The region set for the call is not a region name (lowercase letters, digits and `-`):
    /// it would have become part of the endpoint's host name.
    InvalidRegion {
        /// The region as given.
        region: String,
    },
    /// The action is not available in the configured region.
    UnsupportedRegion {
        /// The configured region.
        region: String,
        /// The regions the action supports.
        supported: &'static [&'static str],
    },
    /// The encoded request exceeds the service's body size limit.
    BodyTooLarge {
        /// Size of the encoded body in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// The request could not be encoded as JSON.
    Encode(String),
    /// A problem found by a hand-written helper of one action (`invoke()`, `json_event()`,
    /// `time_range()`): an event too large or not encodable, a time range the service would
    /// refuse.
    Helper(crate::ext::HelperProblem),
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputProblem::Missing { member } => write!(f, "required input `{member}` is not set"),
            InputProblem::RequiredWith { member, when } => {
                write!(f, "input `{member}` is required when `{when}` is set")
            }
            InputProblem::MissingRegion => f.write_str("the action needs a region and none is set"),
            InputProblem::InvalidRegion { region } => write!(
                f,
                "region {region:?} is not a region name (lowercase letters, digits and `-`)"
            ),
            InputProblem::UnsupportedRegion { region, supported } => write!(
                f,
                "region `{region}` is not supported by the action (supported: {})",
                supported.join(", ")
            ),
            InputProblem::BodyTooLarge { size, limit } => {
                write!(
                    f,
                    "request body is {size} bytes, over the {limit}-byte limit"
                )
            }
            InputProblem::Encode(msg) => write!(f, "request cannot be encoded as JSON: {msg}"),
            InputProblem::Helper(problem) => problem.fmt(f),
        }
    }
}

impl From<crate::ext::HelperProblem> for InputProblem {
    fn from(problem: crate::ext::HelperProblem) -> Self {
        InputProblem::Helper(problem)
    }
}

/// Every problem with a request's inputs, found before anything was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidInput {
    problems: Vec<InputProblem>,
}

impl InvalidInput {
    /// `Ok` when `problems` is empty, otherwise an error holding all of them.
    pub fn check(problems: Vec<InputProblem>) -> Result<(), InvalidInput> {
        if problems.is_empty() {
            Ok(())
        } else {
            Err(InvalidInput { problems })
        }
    }

    /// An error with a single problem.
    pub fn single(problem: InputProblem) -> InvalidInput {
        InvalidInput {
            problems: vec![problem],
        }
    }

    /// The problems, in the order they were found.
    pub fn problems(&self) -> &[InputProblem] {
        &self.problems
    }

    /// The problems, by value.
    pub fn into_problems(self) -> Vec<InputProblem> {
        self.problems
    }
}

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            p.fmt(f)?;
        }
        Ok(())
    }
}

impl std::error::Error for InvalidInput {}
