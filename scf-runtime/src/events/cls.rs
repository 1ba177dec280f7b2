//! The CLS (log service) trigger's event: logs of a topic, compressed.
//!
//! The event carries one base64 string, [`ClsLogs::data`]; decoded from base64 and then
//! gunzipped it is the JSON of a [`ClsLogData`]. This crate leaves the decoding to you (a
//! base64 crate and a gzip crate such as `flate2`) to stay small:
//!
//! ```text
//! let compressed = base64::engine::general_purpose::STANDARD.decode(&event.clslogs.data)?;
//! let json = std::io::read_to_string(flate2::read::GzDecoder::new(&compressed[..]))?;
//! let logs: ClsLogData = serde_json::from_str(&json)?;
//! ```

use serde::{Deserialize, Serialize};

/// `{"clslogs": {"data": "<base64 of gzip of JSON>"}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ClsEvent {
    /// The logs.
    pub clslogs: ClsLogs,
}

/// The compressed logs of a [`ClsEvent`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ClsLogs {
    /// Base64 of the gzip of the JSON of a [`ClsLogData`].
    pub data: String,
}

/// The decoded logs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ClsLogData {
    /// The log topic's id.
    pub topic_id: String,
    /// The log topic's name.
    pub topic_name: String,
    /// The log records.
    pub records: Vec<ClsRecord>,
}

/// One log record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ClsRecord {
    /// When it was logged, as the documentation's sample writes it: a string of
    /// microseconds since the Unix epoch (`"1605578090000000"`).
    pub timestamp: String,
    /// The log line.
    pub content: String,
}
