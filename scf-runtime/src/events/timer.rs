//! The timer trigger's event.

use serde::{Deserialize, Serialize};

/// What a timer trigger sends when it fires:
/// `{"Type": "Timer", "TriggerName": "...", "Time": "2019-02-21T11:49:00Z", "Message": "..."}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
#[non_exhaustive]
pub struct TimerEvent {
    /// Always `Timer`.
    pub r#type: String,
    /// The trigger's name.
    pub trigger_name: String,
    /// When it fired, UTC, RFC 3339 (`2019-02-21T11:49:00Z`).
    pub time: String,
    /// The message configured on the trigger ("trigger message"), possibly empty.
    pub message: String,
}
