//! The API Gateway trigger (event functions): the HTTP request the gateway received, and the
//! response shape the gateway turns back into HTTP when "integration response" is enabled.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// An HTTP request received by API Gateway.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
#[non_exhaustive]
pub struct ApiGatewayRequest {
    /// The gateway's side of the request.
    pub request_context: ApiGatewayRequestContext,
    /// The request's headers.
    pub headers: HashMap<String, String>,
    /// The request's body, as text (empty when there is none).
    pub body: String,
    /// The values of the API path's parameters (`{name}` segments).
    pub path_parameters: HashMap<String, String>,
    /// Query parameters declared in the API's configuration.
    pub query_string_parameters: HashMap<String, String>,
    /// Header parameters declared in the API's configuration.
    pub header_parameters: HashMap<String, String>,
    /// The stage's variables.
    pub stage_variables: HashMap<String, String>,
    /// The path requested, e.g. `/test/value`.
    pub path: String,
    /// Every query parameter of the request.
    pub query_string: HashMap<String, QueryValue>,
    /// The HTTP method, e.g. `POST`.
    pub http_method: String,
}

/// The gateway's side of an [`ApiGatewayRequest`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
#[non_exhaustive]
pub struct ApiGatewayRequestContext {
    /// The API Gateway service's id, e.g. `service-f94sy04v`.
    pub service_id: String,
    /// The API's path as configured, e.g. `/test/{path}`.
    pub path: String,
    /// The HTTP method.
    pub http_method: String,
    /// The gateway's request id.
    pub request_id: String,
    /// Who called, when the API uses key-pair authentication.
    pub identity: ApiGatewayIdentity,
    /// The caller's IP address.
    pub source_ip: String,
    /// The stage (`test`, `prepub` or `release`).
    pub stage: String,
}

/// The caller of an API using key-pair authentication.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
#[non_exhaustive]
pub struct ApiGatewayIdentity {
    /// The SecretId the caller signed with.
    pub secret_id: Option<String>,
}

/// A query parameter's value: a parameter given once, several times, or without a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum QueryValue {
    /// `?a=1`.
    One(String),
    /// `?a=1&a=2`.
    Many(Vec<String>),
    /// `?a` (no value): `true`.
    Flag(bool),
}

/// A function's answer to API Gateway, for an API with "integration response" enabled: the
/// gateway sends the client this status, these headers and this body. Return it from a
/// handler run with [`run`](crate::run).
///
/// ```
/// use scf_runtime::events::api_gateway::ApiGatewayResponse;
///
/// let response = ApiGatewayResponse::new(200, r#"{"ok":true}"#)
///     .header("Content-Type", "application/json");
/// let json = serde_json::to_string(&response).unwrap();
/// assert!(json.starts_with(r#"{"isBase64Encoded":false,"statusCode":200,"#));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ApiGatewayResponse {
    /// Whether [`body`](Self::body) is base64 that the gateway decodes (binary bodies).
    pub is_base64_encoded: bool,
    /// The HTTP status code.
    pub status_code: u16,
    /// The response's headers.
    pub headers: HashMap<String, String>,
    /// The response's body.
    pub body: String,
}

impl ApiGatewayResponse {
    /// A response with this status and text body, no headers.
    pub fn new(status_code: u16, body: impl Into<String>) -> Self {
        Self {
            is_base64_encoded: false,
            status_code,
            headers: HashMap::new(),
            body: body.into(),
        }
    }

    /// Adds (or replaces) a header.
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.insert(name.into(), value.into());
        self
    }
}
