//! The shape of the API as scf-local needs it: which actions exist, what each accepts, and what
//! it answers when no state is modelled. The data lives in `generated/catalog.rs`, written by
//! `cargo xtask codegen` from the spec; this file only defines its types.

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

impl Catalog {
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
