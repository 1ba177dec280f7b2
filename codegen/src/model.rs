//! The validated model of the spec: what the loader produces and the emitters consume.

use serde_json::Value;

/// The whole API.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// `service.json`.
    pub service: Service,
    /// `errors.json`, sorted by code.
    pub errors: Vec<ErrorDef>,
    /// `actions/*.json`, sorted by name.
    pub actions: Vec<Action>,
    /// `types/*.json`, sorted by name.
    pub types: Vec<TypeDef>,
    /// The enums named by members' `enum` keys, sorted by name.
    pub enums: Vec<EnumDef>,
    /// SHA-256 (hex) over every spec file's relative path and bytes, in path order.
    pub hash: String,
}

impl Spec {
    /// The error definition for `code`.
    pub fn error(&self, code: &str) -> Option<&ErrorDef> {
        self.errors
            .binary_search_by(|e| e.code.as_str().cmp(code))
            .ok()
            .map(|i| &self.errors[i])
    }

    /// The enum called `name`.
    pub fn enum_def(&self, name: &str) -> Option<&EnumDef> {
        self.enums
            .binary_search_by(|e| e.name.as_str().cmp(name))
            .ok()
            .map(|i| &self.enums[i])
    }

    /// The shared type called `name`.
    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.types
            .binary_search_by(|t| t.name.as_str().cmp(name))
            .ok()
            .map(|i| &self.types[i])
    }

    /// The error codes of `action` that are its own: those it documents that are not common to
    /// every action, sorted. Its enum lists these; the common ones are in `CommonError`.
    pub fn own_error_codes<'a>(&'a self, action: &'a Action) -> Vec<&'a str> {
        let mut codes: Vec<&str> = action
            .errors
            .iter()
            .map(String::as_str)
            .filter(|c| !self.service.common_errors.iter().any(|common| common == c))
            .collect();
        codes.sort_unstable();
        codes.dedup();
        codes
    }

    /// The codes common to every action (`commonErrors`), sorted.
    pub fn common_error_codes(&self) -> Vec<&str> {
        let mut codes: Vec<&str> = self
            .service
            .common_errors
            .iter()
            .map(String::as_str)
            .collect();
        codes.sort_unstable();
        codes.dedup();
        codes
    }

    /// The common codes `action` documents among its own errors, sorted.
    pub fn documented_common_codes<'a>(&'a self, action: &'a Action) -> Vec<&'a str> {
        let mut codes: Vec<&str> = action
            .errors
            .iter()
            .map(String::as_str)
            .filter(|c| self.service.common_errors.iter().any(|common| common == c))
            .collect();
        codes.sort_unstable();
        codes.dedup();
        codes
    }
}

/// `service.json`: facts shared by every action.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// Service name used in the signature scope and host names, `scf`.
    pub service: String,
    /// Human title.
    pub title: String,
    /// API version, `2018-04-16`.
    pub version: String,
    /// Description of the service.
    pub docs: String,
    /// Nearest-region host.
    pub endpoint_nearest: String,
    /// Regional host pattern with `{region}`.
    pub endpoint_regional: String,
    /// International-site host.
    pub endpoint_intl: String,
    /// Largest request body the service accepts, in bytes.
    pub max_body_bytes: u64,
    /// The offset from UTC of the service's `datetime` values (`timeZone`), when the spec
    /// states it.
    pub time_zone: Option<TimeZone>,
    /// Codes any action may return.
    pub common_errors: Vec<String>,
}

/// The fixed offset from UTC in which the service reads and writes `datetime` values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeZone {
    /// As the spec writes it, `±HH:MM`.
    pub text: String,
    /// The offset in seconds east of UTC.
    pub offset_secs: i32,
}

/// The largest event an invoking action accepts (`eventLimits`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventLimits {
    /// The string input member holding the event (`ClientContext`, `Event`).
    pub member: String,
    /// Largest event of a synchronous invocation, in bytes.
    pub max_sync_bytes: u64,
    /// Largest event of an asynchronous invocation, in bytes, when the action can invoke
    /// asynchronously.
    pub max_async_bytes: Option<u64>,
}

/// A pair of `datetime` inputs bounding a time range, and its widest span (`timeRange`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeRange {
    /// The input member holding the start (`StartTime`).
    pub start: String,
    /// The input member holding the end (`EndTime`).
    pub end: String,
    /// The widest range from start to end, in seconds.
    pub max_secs: u64,
}

/// When retrying a failed call with this code can help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Never: the same request fails the same way.
    Never,
    /// Always: throttling; the request was not processed.
    Always,
    /// Only for actions marked safe to retry (reads): the request may have been processed.
    SafeActionsOnly,
}

/// One error code.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorDef {
    /// Wire code, e.g. `ResourceNotFound.Function`.
    pub code: String,
    /// English description.
    pub docs: String,
    /// Retry classification.
    pub retry: Retry,
}

/// Where an action may be called.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RegionRule {
    /// Whether a region must be given.
    pub required: bool,
    /// The only regions the action supports; empty means every region of the service.
    pub supported: Vec<String>,
}

/// A client-side constraint between inputs.
#[derive(Debug, Clone, PartialEq)]
pub enum Constraint {
    /// `member` must be set whenever `when` is set.
    RequiredWith {
        /// The member that becomes required.
        member: String,
        /// The member whose presence requires it.
        when: String,
    },
}

/// A documented example call.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// Short title.
    pub title: String,
    /// What it shows.
    pub docs: String,
    /// Request body.
    pub input: Value,
    /// The `Response` object, including `RequestId`.
    pub output: Value,
}

/// One action (`actions/<Name>.json`).
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    /// Action name, PascalCase as on the wire.
    pub name: String,
    /// One-line summary.
    pub summary: String,
    /// Longer description.
    pub docs: String,
    /// Set when only one site's description documents the action.
    pub site: Option<Site>,
    /// Documented rate limit, requests per second.
    pub rate_limit: Option<u32>,
    /// How long the service may take to answer, in seconds, when that is longer than an
    /// ordinary API call (a synchronous invocation runs the function before answering).
    pub max_duration_secs: Option<u32>,
    /// Whether the action may be re-sent after the server may have received it.
    pub retry_safe: bool,
    /// Region requirements.
    pub region: RegionRule,
    /// Request members.
    pub input: Vec<Member>,
    /// Response members (without `RequestId`, which every response has).
    pub output: Vec<Member>,
    /// Constraints checked before sending.
    pub constraints: Vec<Constraint>,
    /// The size limits of the event the action carries, when it invokes a function.
    pub event_limits: Option<EventLimits>,
    /// The time range the action's inputs bound, when they bound one.
    pub time_range: Option<TimeRange>,
    /// How the action pages through a listing, when it does.
    pub pagination: Option<Pagination>,
    /// Waiters: states of the output worth polling for.
    pub waiters: Vec<Waiter>,
    /// Action-specific error codes.
    pub errors: Vec<String>,
    /// Documented examples.
    pub examples: Vec<Example>,
}

/// How a listing action pages: the members that carry the position and the page, and the
/// service's documented bounds.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Input member holding the number of items to skip (`Offset`).
    pub offset: String,
    /// Input member holding the page size (`Limit`).
    pub limit: String,
    /// Output member holding the page's items: a list of a shared type.
    pub items: String,
    /// Output member holding the number of items in the whole listing.
    pub total: String,
    /// The largest page size the service accepts, when documented.
    pub max_page_size: Option<u64>,
    /// The bound `offset + limit` may not exceed, when the service has one: items past it
    /// cannot be listed.
    pub max_window: Option<u64>,
}

/// One segment of a waiter's state path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathSegment {
    /// Wire name of the member.
    pub member: String,
    /// `Member[]`: the first element of a list member.
    pub first: bool,
}

/// A state of an action's output to poll for until it is final.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiter {
    /// PascalCase name; the builder method is `wait_until_<snake name>`.
    pub name: String,
    /// What the waiter waits for.
    pub docs: String,
    /// The path as written in the spec, e.g. `Result.Status` or `Allocated[].Status`.
    pub state_path: String,
    /// The path, resolved to a string member of the output.
    pub state: Vec<PathSegment>,
    /// Final states that mean success.
    pub success: Vec<String>,
    /// Final states that mean failure.
    pub failure: Vec<String>,
    /// Shortest wait between two polls, in milliseconds.
    pub min_delay_ms: u64,
    /// Longest wait between two polls, in milliseconds.
    pub max_delay_ms: u64,
    /// How long the waiter waits when the caller gives no limit, in seconds.
    pub default_timeout_secs: u64,
}

/// A shared data type (`types/<Name>.json`).
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Type name, PascalCase.
    pub name: String,
    /// Description.
    pub docs: String,
    /// Members.
    pub members: Vec<Member>,
}

/// The element type of a member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// String.
    String,
    /// Signed 64-bit integer.
    Integer,
    /// Unsigned 64-bit integer.
    Unsigned,
    /// 64-bit float.
    Float,
    /// Boolean.
    Boolean,
    /// Date and time as a string, `YYYY-MM-DD HH:MM:SS`.
    Datetime,
    /// A shared type.
    Named(String),
}

impl Ty {
    /// Parses a spec type name.
    pub fn parse(s: &str) -> Ty {
        match s {
            "string" => Ty::String,
            "integer" => Ty::Integer,
            "unsigned" => Ty::Unsigned,
            "float" => Ty::Float,
            "boolean" => Ty::Boolean,
            "datetime" => Ty::Datetime,
            other => Ty::Named(other.to_owned()),
        }
    }

    /// The spec spelling of the type (the inverse of [`Ty::parse`]).
    pub fn spec_name(&self) -> String {
        match self {
            Ty::String => "string".into(),
            Ty::Integer => "integer".into(),
            Ty::Unsigned => "unsigned".into(),
            Ty::Float => "float".into(),
            Ty::Boolean => "boolean".into(),
            Ty::Datetime => "datetime".into(),
            Ty::Named(n) => n.clone(),
        }
    }
}

/// The one site whose API description documents an item (the other omits it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Site {
    /// The mainland China site (cloud.tencent.com).
    Mainland,
    /// The international site (tencentcloud.com).
    International,
}

impl Site {
    /// The spec spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Site::Mainland => "mainland",
            Site::International => "international",
        }
    }

    /// A sentence for generated docs.
    pub fn note(self) -> &'static str {
        match self {
            Site::Mainland => {
                "Available only on the mainland China site: the international site's API does not have it."
            }
            Site::International => {
                "Available only on the international site: the mainland China site's API does not have it."
            }
        }
    }
}

/// A documented value of a member.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    /// The value (string or number).
    pub value: Value,
    /// Its meaning.
    pub docs: String,
}

/// A member of an input, output or shared type.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// Wire name, PascalCase.
    pub name: String,
    /// Element type.
    pub ty: Ty,
    /// Whether it is a list of `ty`.
    pub list: bool,
    /// Whether it must be present (inputs) or is always documented as present (outputs).
    pub required: bool,
    /// Whether the service may return `null` for it.
    pub nullable: bool,
    /// Whether its value is secret (redacted in `Debug`).
    pub sensitive: bool,
    /// How `Debug` shows the value (`debug` key); a sensitive member is redacted whatever this
    /// says.
    pub debug: DebugAs,
    /// Whether upstream marks it disabled (no longer used by the service).
    pub deprecated: bool,
    /// Set when only one site's description documents the member.
    pub site: Option<Site>,
    /// Description.
    pub docs: String,
    /// Example value.
    pub example: Option<Value>,
    /// The Rust enum this string member is typed with (`enum`), named after its documented
    /// values; `None` keeps it a plain string.
    pub enum_name: Option<String>,
    /// Documented values.
    pub values: Vec<EnumValue>,
}

/// How generated `Debug` shows a member's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DebugAs {
    /// The value itself (the default).
    #[default]
    Value,
    /// Only its length in bytes, e.g. `<3145728 bytes>` (`"debug": "length"`): for long
    /// opaque payloads such as a base64-encoded zip file. String members only.
    Length,
}

/// A Rust enum generated for string members with documented values: one variant per value plus
/// `Unknown(String)`. Every member naming it documents the same set of values.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    /// Enum name, PascalCase (`InvocationType`).
    pub name: String,
    /// The variants, in the order the first member using the enum documents them.
    pub variants: Vec<EnumVariant>,
    /// The members typed with it, in spec order (actions by name, inputs then outputs, then
    /// types by name).
    pub users: Vec<EnumUser>,
}

/// One documented value of an enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    /// The wire value.
    pub value: String,
    /// The Rust variant name ([`crate::names::enum_variant`]).
    pub variant: String,
    /// Its meaning when every member using the enum documents it alike; `None` when members
    /// give it member-specific meanings (their own docs list them).
    pub docs: Option<String>,
}

/// Where a member typed with an enum lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnumUser {
    /// An input of the action.
    Input {
        /// Action name.
        action: String,
        /// Member name.
        member: String,
    },
    /// An output of the action.
    Output {
        /// Action name.
        action: String,
        /// Member name.
        member: String,
    },
    /// A member of a shared type.
    Type {
        /// Type name.
        type_name: String,
        /// Member name.
        member: String,
    },
}
