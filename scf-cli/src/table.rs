//! The types the generated command table is made of (`crate::generated`): plain data, one
//! static per action and per shared type, read by the rest of the crate.

/// The command of one action.
#[derive(Debug)]
pub struct CommandDef {
    /// Wire name, PascalCase (`ListFunctions`): the command as tccli writes it.
    pub name: &'static str,
    /// Kebab-case alias (`list-functions`).
    pub kebab: &'static str,
    /// One-line summary.
    pub summary: &'static str,
    /// The action's description.
    pub docs: &'static str,
    /// The input members, in spec order.
    pub input: &'static [MemberDef],
    /// How the action pages, for listing actions.
    pub paging: Option<PagingDef>,
    /// The waiters polling this action.
    pub waiters: &'static [WaiterDef],
    /// The first documented example's input, as JSON text.
    pub example_input: Option<&'static str>,
}

impl CommandDef {
    /// Whether `word` names this command (either spelling).
    pub fn is_named(&self, word: &str) -> bool {
        self.name == word || self.kebab == word
    }
}

/// A member of an action's input or of a shared type.
#[derive(Debug)]
pub struct MemberDef {
    /// Wire name, PascalCase (`FunctionName`): the flag as tccli writes it.
    pub name: &'static str,
    /// Kebab-case flag alias (`function-name`).
    pub flag: &'static str,
    /// The element type.
    pub kind: Kind,
    /// Whether the member is a list of `kind`.
    pub list: bool,
    /// Whether the member must be set.
    pub required: bool,
    /// Whether `values` is the member's whole vocabulary (the spec's `enum`): any other value
    /// is refused before sending.
    pub closed: bool,
    /// The documented values, as the command line writes them.
    pub values: &'static [&'static str],
    /// Whether the value is a secret: never echoed in messages.
    pub sensitive: bool,
    /// Whether the service no longer uses the member.
    pub deprecated: bool,
    /// The first sentence of the member's description.
    pub docs: &'static str,
    /// The documented example value, as JSON text.
    pub example: Option<&'static str>,
}

/// The element type of a member.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A string.
    String,
    /// A signed 64-bit integer.
    Integer,
    /// An unsigned 64-bit integer.
    Unsigned,
    /// A 64-bit float.
    Float,
    /// `true` or `false`.
    Boolean,
    /// A date and time, `YYYY-MM-DD HH:MM:SS`.
    Datetime,
    /// A shared type: a JSON object with its members.
    Object(&'static TypeDef),
}

impl Kind {
    /// The placeholder shown in help for a value of this kind.
    pub fn value_name(self, list: bool) -> &'static str {
        match (self, list) {
            (Kind::Object(_), _) => "JSON",
            (Kind::String, false) => "STRING",
            (Kind::String, true) => "STRING|JSON",
            (Kind::Integer | Kind::Unsigned, false) => "INT",
            (Kind::Integer | Kind::Unsigned, true) => "INT|JSON",
            (Kind::Float, false) => "NUMBER",
            (Kind::Float, true) => "NUMBER|JSON",
            (Kind::Boolean, _) => "true|false",
            (Kind::Datetime, _) => "YYYY-MM-DD HH:MM:SS",
        }
    }
}

/// A shared type's members.
#[derive(Debug)]
pub struct TypeDef {
    /// Type name, PascalCase.
    pub name: &'static str,
    /// Its members, in spec order.
    pub members: &'static [MemberDef],
}

/// How a listing action pages (the spec's `pagination`). The page size and window limits are
/// taken from scf-api's `Paged` implementation of the request.
#[derive(Debug, Clone, Copy)]
pub struct PagingDef {
    /// The input holding the number of items to skip.
    pub offset: &'static str,
    /// The input holding the page size.
    pub limit: &'static str,
    /// The output holding a page's items.
    pub items: &'static str,
    /// The output holding the number of items in the whole listing.
    pub total: &'static str,
    /// The bound of offset + limit, when the service has one.
    pub max_window: Option<u64>,
}

/// A waiter: `scf wait <name>`.
#[derive(Debug)]
pub struct WaiterDef {
    /// Kebab-case name (`function-active`).
    pub name: &'static str,
    /// The action it polls (`GetFunction`).
    pub action: &'static str,
    /// The first sentence of what it waits for.
    pub docs: &'static str,
    /// Where the state is in the answer (`Result.Status`).
    pub state_path: &'static str,
    /// Final states, delays and default timeout, as scf-api's generic waiter takes them.
    pub poll: scf_api::__private::WaiterDef,
}
