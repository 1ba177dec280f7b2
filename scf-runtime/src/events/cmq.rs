//! The CMQ topic trigger's event: messages published to a topic the function subscribes to.

use serde::{Deserialize, Serialize};

/// `{"Records": [{"CMQ": {...}}, ...]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct CmqEvent {
    /// The messages.
    #[serde(rename = "Records")]
    pub records: Vec<CmqRecord>,
}

/// One record of a [`CmqEvent`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct CmqRecord {
    /// The message.
    #[serde(rename = "CMQ")]
    pub cmq: CmqMessage,
}

/// A message of a CMQ topic.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
#[non_exhaustive]
pub struct CmqMessage {
    /// `topic`.
    pub r#type: String,
    /// The topic owner's account id.
    pub topic_owner: i64,
    /// The topic's name.
    pub topic_name: String,
    /// The subscription that delivered the message.
    pub subscription_name: String,
    /// When the message was published (`1970-01-01T00:00:00.000Z` form).
    pub publish_time: String,
    /// The message id.
    pub msg_id: String,
    /// The id of the request that published it.
    pub request_id: String,
    /// The message body.
    pub msg_body: String,
    /// The message's tags, absent when it has none.
    pub msg_tag: Option<CmqTags>,
}

/// A message's tags: samples show both a list and one comma-separated string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CmqTags {
    /// `["tag1", "tag2"]`.
    List(Vec<String>),
    /// `"tag1,tag2"`, as sent.
    Text(String),
}

impl CmqTags {
    /// The tags one by one (a string is split at commas, each tag trimmed).
    ///
    /// ```
    /// use scf_runtime::events::cmq::CmqTags;
    ///
    /// let tags = CmqTags::Text("a, b".into());
    /// assert_eq!(tags.to_vec(), ["a", "b"]);
    /// ```
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            CmqTags::List(tags) => tags.clone(),
            CmqTags::Text(text) => text
                .split(',')
                .map(str::trim)
                .filter(|tag| !tag.is_empty())
                .map(str::to_owned)
                .collect(),
        }
    }
}
