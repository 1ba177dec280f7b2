//! The shape of the API as scf-local needs it: which actions exist, what each accepts, and what
//! it answers when no state is modelled. The data lives in `generated/catalog.rs`, written by
//! `cargo xtask codegen` from the spec; this file only defines its types.
//!
//! [`Catalog`] describes requests. What answers look like and the limits the service states
//! (time zone, body and event sizes, time ranges, paging windows, waits) are in
//! [`ServiceFacts`], reached with [`Catalog::facts`] and [`ActionDef::facts`]: a separate table
//! so that the request-side types keep their fields.

/// The wire type of a member, as the spec describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireType {
    /// A JSON string.
    String,
    /// A JSON integer that fits in `i64`.
    Integer,
    /// A JSON integer that fits in `u64`.
    Unsigned,
    /// Any JSON number.
    Float,
    /// A JSON boolean.
    Boolean,
    /// A JSON string holding a date and time (`2017-05-16 20:00:00`).
    Datetime,
    /// A JSON object of the named shared type (see [`Catalog::types`]).
    Object(&'static str),
}

/// One member of an action's input or of a shared type.
#[derive(Debug, Clone, Copy)]
pub struct MemberDef {
    /// Wire name, e.g. `FunctionName`.
    pub name: &'static str,
    /// Element type (for lists, the type of each item).
    pub ty: WireType,
    /// Whether the member is a JSON array of `ty`.
    pub list: bool,
    /// Whether a request must carry this member.
    pub required: bool,
}

/// A shared data type.
#[derive(Debug, Clone, Copy)]
pub struct TypeDef {
    /// Type name, e.g. `RequestStatus`.
    pub name: &'static str,
    /// Its members.
    pub members: &'static [MemberDef],
}

/// One action of the API.
#[derive(Debug, Clone, Copy)]
pub struct ActionDef {
    /// Action name, e.g. `GetRequestStatus`.
    pub name: &'static str,
    /// Input members (the JSON body of the request).
    pub input: &'static [MemberDef],
    /// The documented example response's `Response` object (JSON text), without `RequestId`.
    pub example_output: Option<&'static str>,
    /// Documented rate limit in requests per second, when the docs give one.
    pub rate_limit: Option<u32>,
    /// The error codes documented for this action (besides [`Catalog::common_errors`]).
    pub errors: &'static [&'static str],
}

/// Everything scf-local knows about the API.
#[derive(Debug, Clone, Copy)]
pub struct Catalog {
    /// The service name used in the signature scope, `scf`.
    pub service: &'static str,
    /// The API version every request must name in `X-TC-Version`, `2018-04-16`.
    pub version: &'static str,
    /// All actions, sorted by name.
    pub actions: &'static [ActionDef],
    /// All shared types, sorted by name.
    pub types: &'static [TypeDef],
    /// The error codes every action may return.
    pub common_errors: &'static [&'static str],
}

/// One member of an answer: an action's output member, or a shared type's member as answers
/// carry it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputMemberDef {
    /// Wire name, e.g. `FunctionName`.
    pub name: &'static str,
    /// Element type (for lists, the type of each item).
    pub ty: WireType,
    /// Whether the member is a JSON array of `ty`.
    pub list: bool,
    /// Whether the spec documents it as always present in answers.
    pub required: bool,
    /// Whether the spec says the service may answer `null` for it.
    pub nullable: bool,
}

/// A shared data type as answers carry it (see [`ServiceFacts::types`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputTypeDef {
    /// Type name, e.g. `RequestStatus`.
    pub name: &'static str,
    /// Its members.
    pub members: &'static [OutputMemberDef],
}

/// The largest event an action that invokes a function accepts (the spec's `eventLimits`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventLimits {
    /// The string input holding the event (`ClientContext`, `Event`).
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
    /// The input holding the start (`StartTime`).
    pub start: &'static str,
    /// The input holding the end (`EndTime`).
    pub end: &'static str,
    /// The widest range from start to end, in seconds.
    pub max_secs: u64,
}

/// What the spec says about one action besides its inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionFacts {
    /// Action name, e.g. `Invoke`.
    pub name: &'static str,
    /// Members of a successful answer's `Response` object, without `RequestId`.
    pub output: &'static [OutputMemberDef],
    /// How long the service may take to answer, in seconds (`maxDurationSecs`: synchronous
    /// invocations); `None` for ordinary calls.
    pub max_duration_secs: Option<u32>,
    /// The bound of offset + limit of a paged listing (`pagination.maxWindow`).
    pub max_window: Option<u64>,
    /// The largest event, for actions that invoke a function.
    pub event_limits: Option<EventLimits>,
    /// The time range two inputs bound, for actions with one.
    pub time_range: Option<TimeRange>,
}

/// Facts of the service as a whole, and every action's [`ActionFacts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceFacts {
    /// The offset from UTC of every `datetime` value, as in RFC 3339 (`±HH:MM`).
    pub time_zone: &'static str,
    /// [`ServiceFacts::time_zone`] in seconds east of UTC.
    pub utc_offset_secs: i32,
    /// Largest request body the service accepts, in bytes.
    pub max_body_bytes: usize,
    /// Every action's facts, sorted by name.
    pub actions: &'static [ActionFacts],
    /// Every shared type as answers carry it, sorted by name.
    pub types: &'static [OutputTypeDef],
}

impl ServiceFacts {
    /// The facts of the action called `name`, if the API has one.
    pub fn action(&self, name: &str) -> Option<&'static ActionFacts> {
        self.actions
            .binary_search_by(|a| a.name.cmp(name))
            .ok()
            .map(|i| &self.actions[i])
    }

    /// The shared type called `name` as answers carry it, if the API has one.
    pub fn type_def(&self, name: &str) -> Option<&'static OutputTypeDef> {
        self.types
            .binary_search_by(|t| t.name.cmp(name))
            .ok()
            .map(|i| &self.types[i])
    }
}

impl ActionDef {
    /// The wire names of the action's inputs, in spec order.
    pub fn input_names(&self) -> impl Iterator<Item = &'static str> + use<> {
        let input: &'static [MemberDef] = self.input;
        input.iter().map(|m| m.name)
    }

    /// What the spec says about this action besides its inputs (from the generated
    /// [`ServiceFacts`]); `None` for an action the spec does not have.
    pub fn facts(&self) -> Option<&'static ActionFacts> {
        crate::generated::catalog::FACTS.action(self.name)
    }
}

impl Catalog {
    /// The facts of the service the spec states (time zone, limits, answer shapes), generated
    /// from the same spec as [`crate::CATALOG`].
    pub fn facts(&self) -> &'static ServiceFacts {
        &crate::generated::catalog::FACTS
    }

    /// Checks a successful answer's `Response` object (without `RequestId`) for `action`
    /// against the spec's output members: every problem as `<Action>: <path>: <message>`.
    ///
    /// A problem is a member the spec does not have (at any depth), a value of the wrong JSON
    /// type (`datetime` is a string; `unsigned` a non-negative integer; `float` any number),
    /// or a missing member the spec documents as always present. `null` is accepted where
    /// the member is nullable or not documented as always present.
    pub fn check_answer(
        &self,
        action: &str,
        answer: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), Vec<String>> {
        let facts = self.facts();
        match facts.action(action) {
            Some(def) => crate::answer_check::check_answer(def, facts, answer),
            None => Err(vec![format!("{action}: $: the spec has no such action")]),
        }
    }

    /// The action called `name`, if the API has one.
    pub fn action(&self, name: &str) -> Option<&'static ActionDef> {
        self.actions
            .binary_search_by(|a| a.name.cmp(name))
            .ok()
            .map(|i| &self.actions[i])
    }

    /// Whether `code` is documented for `action` (its own codes or the common ones).
    pub fn documents(&self, action: &ActionDef, code: &str) -> bool {
        action.errors.contains(&code) || self.common_errors.contains(&code)
    }

    /// The shared type called `name`, if the API has one.
    pub fn type_def(&self, name: &str) -> Option<&'static TypeDef> {
        self.types
            .binary_search_by(|t| t.name.cmp(name))
            .ok()
            .map(|i| &self.types[i])
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use crate::CATALOG;
    use crate::generated::catalog::{MAX_BODY_BYTES, TIME_ZONE, UTC_OFFSET_SECS, facts};

    // The generated facts work in constants, as handlers need them.
    const SYNC_EVENT_LIMIT: usize = facts::INVOKE.event_limits.unwrap().max_sync_bytes;
    const SYNC_WAIT: Duration =
        Duration::from_secs(facts::INVOKE.max_duration_secs.unwrap() as u64);
    const LOG_WINDOW: u64 = facts::GET_FUNCTION_LOGS.max_window.unwrap();
    const LOG_RANGE_SECS: u64 = facts::GET_FUNCTION_LOGS.time_range.unwrap().max_secs;

    #[test]
    fn generated_facts_in_constants() {
        // The constants agree with the facts table (the values themselves live in the spec, and
        // codegen's tests compare the generated code with it).
        let service = CATALOG.facts();
        let invoke = service.action("Invoke").unwrap();
        let logs = service.action("GetFunctionLogs").unwrap();
        assert_eq!(
            Some(SYNC_EVENT_LIMIT),
            invoke.event_limits.map(|l| l.max_sync_bytes)
        );
        assert_eq!(
            Some(SYNC_WAIT),
            invoke
                .max_duration_secs
                .map(|s| Duration::from_secs(u64::from(s)))
        );
        assert_eq!(Some(LOG_WINDOW), logs.max_window);
        assert_eq!(Some(LOG_RANGE_SECS), logs.time_range.map(|r| r.max_secs));
        assert_eq!(
            (TIME_ZONE, UTC_OFFSET_SECS, MAX_BODY_BYTES),
            (
                service.time_zone,
                service.utc_offset_secs,
                service.max_body_bytes
            )
        );
        // InvokeFunction runs synchronously only.
        assert_eq!(
            facts::INVOKE_FUNCTION.event_limits.unwrap().max_async_bytes,
            None
        );
    }

    #[test]
    fn the_generated_facts_cover_every_action_and_type() {
        let service = CATALOG.facts();
        let names: Vec<&str> = CATALOG.actions.iter().map(|a| a.name).collect();
        let fact_names: Vec<&str> = service.actions.iter().map(|a| a.name).collect();
        assert_eq!(names, fact_names);
        let types: Vec<&str> = CATALOG.types.iter().map(|t| t.name).collect();
        let fact_types: Vec<&str> = service.types.iter().map(|t| t.name).collect();
        assert_eq!(types, fact_types);
        for a in CATALOG.actions {
            assert_eq!(a.facts().map(|f| f.name), Some(a.name));
        }
        let invoke = CATALOG.action("Invoke").and_then(|a| a.facts()).unwrap();
        assert_eq!(invoke.event_limits.map(|l| l.member), Some("ClientContext"));
        let range = service
            .action("GetFunctionLogs")
            .unwrap()
            .time_range
            .unwrap();
        assert_eq!((range.start, range.end), ("StartTime", "EndTime"));
        let create = CATALOG.action("CreateFunction").unwrap();
        let inputs: Vec<&str> = create.input_names().collect();
        assert!(
            inputs.contains(&"AutoCreateClsTopic") && inputs.contains(&"AutoDeployClsTopicIndex")
        );
        assert!(!inputs.contains(&"L5Enable"));
    }
}
