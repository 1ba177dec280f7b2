//! The input problems only the helpers of this room find.

use std::fmt;

/// A problem with an input that a hand-written helper found before anything was sent (an
/// event too large or not encodable, a time range the service would refuse). It reaches the
/// caller as [`InputProblem::Helper`](crate::InputProblem::Helper), inside
/// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) like every other input problem.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HelperProblem {
    /// An input is longer than the service accepts (an invocation's event).
    InputTooLarge {
        /// Wire name of the input.
        member: &'static str,
        /// Its size in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// A value given for an input could not be encoded as JSON.
    EncodeInput {
        /// Wire name of the input.
        member: &'static str,
        /// The encoder's message.
        message: String,
    },
    /// The start of a time range is later than its end.
    StartAfterEnd {
        /// Wire name of the start input.
        start: &'static str,
        /// Wire name of the end input.
        end: &'static str,
    },
    /// A time range is wider than the action allows.
    RangeTooWide {
        /// Wire name of the start input.
        start: &'static str,
        /// Wire name of the end input.
        end: &'static str,
        /// The width of the range in seconds.
        span_secs: u64,
        /// The largest width the action allows, in seconds.
        limit_secs: u64,
    },
    /// A time cannot be written in the service's format (`YYYY-MM-DD HH:MM:SS`, years 1970 to
    /// 9999).
    TimeOutOfRange {
        /// Wire name of the input.
        member: &'static str,
    },
}

impl fmt::Display for HelperProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HelperProblem::InputTooLarge {
                member,
                size,
                limit,
            } => write!(
                f,
                "input `{member}` is {size} bytes, over the {limit}-byte limit"
            ),
            HelperProblem::EncodeInput { member, message } => {
                write!(f, "input `{member}` cannot be encoded as JSON: {message}")
            }
            HelperProblem::StartAfterEnd { start, end } => {
                write!(f, "input `{start}` is later than `{end}`")
            }
            HelperProblem::RangeTooWide {
                start,
                end,
                span_secs,
                limit_secs,
            } => write!(
                f,
                "inputs `{start}` and `{end}` are {span_secs} seconds apart, over the \
                 {limit_secs}-second limit"
            ),
            HelperProblem::TimeOutOfRange { member } => write!(
                f,
                "input `{member}` is outside the years 1970 to 9999 the service's time format covers"
            ),
        }
    }
}

impl std::error::Error for HelperProblem {}
