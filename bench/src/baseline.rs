//! The floor: the SCF client a competent developer writes by hand on reqwest + hmac + sha2 +
//! serde_json, with nothing an SDK adds (no retries, timeouts, key cache, tracing or typed
//! errors). scf-api's per-call cost is budgeted against this client's.
//!
//! It signs like the official examples (TC3-HMAC-SHA256 over `content-type;host`), deriving the
//! signing key on every call, and decodes the answer with one typed `serde_json` pass.

use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, KeyInit, Mac};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A hand-written SCF client.
pub struct Baseline {
    http: reqwest::Client,
    url: String,
    host: String,
    secret_id: String,
    secret_key: String,
    region: String,
}

/// `Invoke`'s input.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct InvokeInput<'a> {
    /// The function.
    pub function_name: &'a str,
    /// The event.
    pub client_context: &'a str,
}

/// `Invoke`'s `Result`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InvokeResult {
    /// What the function returned.
    pub ret_msg: String,
    /// The function's error, if it failed.
    pub err_msg: String,
    /// The function's log.
    pub log: String,
    /// 0 when the function succeeded.
    pub invoke_result: i64,
    /// Run time in ms.
    pub duration: f64,
    /// Billed time in ms.
    pub bill_duration: i64,
    /// Memory used in bytes.
    pub mem_usage: i64,
    /// The invocation's id.
    pub function_request_id: String,
}

/// `Invoke`'s answer: the output, or the service's error. One struct, so the answer is decoded
/// in a single pass.
#[derive(Deserialize)]
pub struct InvokeOutput {
    /// The function's result.
    #[serde(rename = "Result")]
    pub result: Option<InvokeResult>,
    /// The service's error, if the call failed.
    #[serde(rename = "Error")]
    pub error: Option<ApiError>,
    /// The request's id.
    #[serde(rename = "RequestId")]
    pub request_id: String,
}

/// A service error.
#[derive(Deserialize)]
pub struct ApiError {
    /// The error code.
    #[serde(rename = "Code")]
    pub code: String,
    /// The message.
    #[serde(rename = "Message")]
    pub message: String,
}

#[derive(Deserialize)]
struct Envelope<O> {
    #[serde(rename = "Response")]
    response: O,
}

type HmacSha256 = Hmac<Sha256>;

fn hmac(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(msg);
    mac.finalize().into_bytes().into()
}

fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// `YYYY-MM-DD` (UTC) of a Unix timestamp.
fn utc_date(timestamp: u64) -> String {
    // Howard Hinnant's days-to-civil algorithm.
    let z = timestamp / 86_400 + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

impl Baseline {
    /// A client for the server at `port` of 127.0.0.1.
    pub fn new(port: u16, secret_id: &str, secret_key: &str, region: &str) -> Baseline {
        // reqwest is built without a default TLS crypto provider in this workspace (as in
        // scf-api); install the same one scf-api uses by default. Fails harmlessly if one is
        // installed. rustls deprecates the constructor for lacking post-quantum key exchange.
        #[allow(deprecated)]
        let _ = rustls::crypto::ring::default_provider().install_default();
        Baseline {
            http: reqwest::Client::new(),
            url: format!("http://127.0.0.1:{port}/"),
            host: format!("127.0.0.1:{port}"),
            secret_id: secret_id.to_owned(),
            secret_key: secret_key.to_owned(),
            region: region.to_owned(),
        }
    }

    /// Sends `action` with `input` and decodes the envelope's `Response` as `O`.
    pub async fn call<I: Serialize, O: DeserializeOwned>(
        &self,
        action: &str,
        input: &I,
    ) -> Result<O, String> {
        let body = serde_json::to_vec(input).map_err(|e| e.to_string())?;
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|e| e.to_string())?
            .as_secs();
        let date = utc_date(timestamp);
        let canonical = format!(
            "POST\n/\n\ncontent-type:application/json\nhost:{}\n\ncontent-type;host\n{}",
            self.host,
            sha256_hex(&body)
        );
        let scope = format!("{date}/scf/tc3_request");
        let to_sign = format!(
            "TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{}",
            sha256_hex(canonical.as_bytes())
        );
        let k_date = hmac(
            format!("TC3{}", self.secret_key).as_bytes(),
            date.as_bytes(),
        );
        let k_service = hmac(&k_date, b"scf");
        let k_signing = hmac(&k_service, b"tc3_request");
        let signature = hex::encode(hmac(&k_signing, to_sign.as_bytes()));
        let authorization = format!(
            "TC3-HMAC-SHA256 Credential={}/{scope}, SignedHeaders=content-type;host, Signature={signature}",
            self.secret_id
        );
        let response = self
            .http
            .post(&self.url)
            .header("Content-Type", "application/json")
            .header("Host", &self.host)
            .header("X-TC-Action", action)
            .header("X-TC-Timestamp", timestamp.to_string())
            .header("X-TC-Version", "2018-04-16")
            .header("X-TC-Region", &self.region)
            .header("Authorization", authorization)
            .body(body)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let bytes = response.bytes().await.map_err(|e| e.to_string())?;
        let envelope: Envelope<O> = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        Ok(envelope.response)
    }

    /// One `Invoke`; returns the function's answer.
    pub async fn invoke(&self, function: &str, event: &str) -> Result<String, String> {
        let input = InvokeInput {
            function_name: function,
            client_context: event,
        };
        let out: InvokeOutput = self.call("Invoke", &input).await?;
        match (out.error, out.result) {
            (Some(e), _) => Err(format!("{}: {} ({})", e.code, e.message, out.request_id)),
            (None, Some(result)) => Ok(result.ret_msg),
            (None, None) => Err(format!("no Result ({})", out.request_id)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::utc_date;

    #[test]
    fn dates() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(1_551_113_065), "2019-02-25");
        assert_eq!(utc_date(951_782_400), "2000-02-29");
    }
}
