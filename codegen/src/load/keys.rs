//! The spec format's known keys, per kind of object. `schema.json` must list the same keys (a
//! test checks it).

/// Keys of `service.json`.
pub const SERVICE: &[&str] = &[
    "service",
    "title",
    "version",
    "docs",
    "endpoints",
    "maxBodyBytes",
    "timeZone",
    "commonErrors",
];
/// Keys of `service.json` `endpoints`.
pub const ENDPOINTS: &[&str] = &["nearest", "regional", "intl"];
/// Keys of one `errors.json` entry.
pub const ERROR: &[&str] = &["docs", "retry"];
/// Keys of an action file.
pub const ACTION: &[&str] = &[
    "name",
    "summary",
    "docs",
    "site",
    "rateLimit",
    "maxDurationSecs",
    "retrySafe",
    "region",
    "input",
    "output",
    "constraints",
    "eventLimits",
    "timeRange",
    "pagination",
    "waiters",
    "errors",
    "examples",
];
/// Keys of an action's `eventLimits`, in the order spec files write them.
pub const EVENT_LIMITS: &[&str] = &["member", "maxSyncBytes", "maxAsyncBytes"];
/// Keys of an action's `timeRange`, in the order spec files write them.
pub const TIME_RANGE: &[&str] = &["start", "end", "maxSecs"];
/// Keys of an action's `pagination`, in the order spec files write them.
pub const PAGINATION: &[&str] = &[
    "offset",
    "limit",
    "items",
    "total",
    "maxPageSize",
    "maxWindow",
];
/// Keys of one waiter, in the order spec files write them.
pub const WAITER: &[&str] = &[
    "name",
    "docs",
    "state",
    "success",
    "failure",
    "minDelayMs",
    "maxDelayMs",
    "defaultTimeoutSecs",
];
/// Keys of an action's `region`.
pub const REGION: &[&str] = &["required", "supported"];
/// Keys of one constraint.
pub const CONSTRAINT: &[&str] = &["requiredWith"];
/// Keys of `requiredWith`.
pub const REQUIRED_WITH: &[&str] = &["member", "when"];
/// Keys of one example.
pub const EXAMPLE: &[&str] = &["title", "docs", "input", "output"];
/// Keys of a type file.
pub const TYPE: &[&str] = &["name", "docs", "members"];
/// Keys of a member.
pub const MEMBER: &[&str] = &[
    "name",
    "type",
    "list",
    "required",
    "nullable",
    "sensitive",
    "debug",
    "deprecated",
    "site",
    "docs",
    "example",
    "enum",
    "values",
];
/// Keys of a documented value.
pub const VALUE: &[&str] = &["value", "docs"];
