//! The CKafka trigger's event: a batch of messages consumed from a topic.

use serde::{Deserialize, Serialize};

/// `{"Records": [{"Ckafka": {...}}, ...]}`: one to the trigger's maximum number of messages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct CkafkaEvent {
    /// The messages, in the order they were consumed.
    #[serde(rename = "Records")]
    pub records: Vec<CkafkaRecord>,
}

/// One record of a [`CkafkaEvent`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct CkafkaRecord {
    /// The message.
    #[serde(rename = "Ckafka")]
    pub ckafka: CkafkaMessage,
}

/// A Kafka message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
#[non_exhaustive]
pub struct CkafkaMessage {
    /// The topic.
    pub topic: String,
    /// The partition it was read from.
    pub partition: i64,
    /// Its offset in the partition.
    pub offset: i64,
    /// Its key (the documentation's sample shows `"None"` for a message without one).
    pub msg_key: String,
    /// Its value, as text.
    pub msg_body: String,
}
