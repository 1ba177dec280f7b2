//! Layers and their published versions.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::Millis;

/// A layer and its versions.
#[derive(Debug, Clone)]
pub(crate) struct Layer {
    pub(crate) name: String,
    /// Versions by number; each keeps the PublishLayerVersion members and its times.
    pub(crate) versions: BTreeMap<u64, LayerVersion>,
    /// The number the next PublishLayerVersion gets.
    pub(crate) next_version: u64,
}

/// One published layer version.
#[derive(Debug, Clone)]
pub(crate) struct LayerVersion {
    pub(crate) number: u64,
    /// The PublishLayerVersion request members (`Description`, `CompatibleRuntimes`,
    /// `LicenseInfo`, `Content`, `Tags`).
    pub(crate) request: Map<String, Value>,
    /// The inline zip of `Content`, decoded once; `None` for content from COS.
    pub(crate) package: Option<super::code::Package>,
    pub(crate) added: Millis,
}
