//! The COS (object storage) trigger's event: objects created or deleted in a bucket.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// `{"Records": [{"cos": {...}, "event": {...}}, ...]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct CosEvent {
    /// The object events.
    #[serde(rename = "Records")]
    pub records: Vec<CosRecord>,
}

/// One record of a [`CosEvent`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct CosRecord {
    /// The bucket and the object.
    pub cos: CosEntity,
    /// What happened.
    pub event: CosEventInfo,
}

/// The bucket and object of a [`CosRecord`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
#[non_exhaustive]
pub struct CosEntity {
    /// The event schema's version, e.g. `1.0`.
    pub cos_schema_version: String,
    /// The object.
    pub cos_object: CosObject,
    /// The bucket.
    pub cos_bucket: CosBucket,
    /// The notification's id.
    pub cos_notification_id: String,
}

/// An object of a bucket.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct CosObject {
    /// Its URL.
    pub url: String,
    /// Its metadata (`Content-Type`, `x-cos-request-id`, `x-cos-meta-*`, ...).
    pub meta: HashMap<String, String>,
    /// Its version id, empty when versioning is off.
    pub vid: String,
    /// Its key, in the form `/<appid>/<bucket>/<path>`.
    pub key: String,
    /// Its size in bytes.
    pub size: i64,
}

/// A bucket.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct CosBucket {
    /// Its region, as COS names it (`cd`, `gz`, or `ap-chengdu` forms appear in samples).
    pub region: String,
    /// Its name, without the appid suffix.
    pub name: String,
    /// The owner's APPID.
    pub appid: String,
}

/// What happened to the object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
#[non_exhaustive]
pub struct CosEventInfo {
    /// E.g. `cos:ObjectCreated:Put`, `cos:ObjectRemove:Delete`.
    pub event_name: String,
    /// The event's version, e.g. `1.0`.
    pub event_version: String,
    /// `qcs::cos`.
    pub event_source: String,
    /// When it happened, seconds since the Unix epoch.
    pub event_time: i64,
    /// The queue that delivered the event.
    pub event_queue: String,
    /// The request that caused the event.
    pub request_parameters: CosRequestParameters,
    /// Reserved.
    pub reserved_info: String,
    /// The COS request's id.
    pub reqid: i64,
}

/// The request that caused a COS event.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct CosRequestParameters {
    /// The caller's IP address.
    #[serde(rename = "requestSourceIP")]
    pub request_source_ip: String,
    /// Some of the request's headers (e.g. `Authorization`).
    #[serde(rename = "requestHeaders")]
    pub request_headers: HashMap<String, String>,
}
