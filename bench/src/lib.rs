//! Benchmark support for `scf-api`: a small HTTP server on 127.0.0.1 that answers like the SCF
//! API, a baseline client written by hand on reqwest + hmac + sha2 + serde_json (the floor
//! scf-api is measured against), representative response bodies, a counting allocator and CPU
//! time measurement.
//!
//! Used by `benches/suite.rs` (`cargo bench`) and by the `scf-bench-calls` binary, which
//! `cargo xtask perf instructions` runs under valgrind.

pub mod alloc;
pub mod baseline;
pub mod fixtures;
pub mod measure;
pub mod server;

/// The secret id every benchmark client signs with.
pub const SECRET_ID: &str = "AKIDbenchmark0000000000000000000000";
/// The secret key every benchmark client signs with.
pub const SECRET_KEY: &str = "benchmark-secret-key-0000000000000";
/// The region every benchmark call names.
pub const REGION: &str = "ap-guangzhou";
/// The function every benchmark call invokes.
pub const FUNCTION: &str = "bench-function";

/// The event each benchmark `Invoke` sends: a 200-byte JSON document.
pub fn event() -> String {
    let mut event = String::from(r#"{"orderId":"ord-0001","items":["a","b","c"],"note":""#);
    while event.len() < 198 {
        event.push('x');
    }
    event.push_str(r#""}"#);
    event
}

/// An scf-api client for the server at `port`: retries and timeouts as a user gets them by
/// default.
pub fn scf_client(port: u16) -> scf_api::Client {
    scf_api::Client::builder()
        .credentials(scf_api::Credentials::new(SECRET_ID, SECRET_KEY))
        .endpoint(scf_api::Endpoint::Url(format!("http://127.0.0.1:{port}/")))
        .region(REGION)
        .build()
        .expect("a valid client configuration")
}

/// One `Invoke` through scf-api's builder, as a user writes it; returns the function's answer.
pub async fn scf_invoke(
    client: &scf_api::Client,
    event: &str,
) -> Result<String, scf_api::Error<scf_api::actions::InvokeError>> {
    let out = client
        .invoke()
        .function_name(FUNCTION)
        .client_context(event)
        .send()
        .await?;
    Ok(out.result.ret_msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_is_200_bytes_of_json() {
        let e = event();
        assert_eq!(e.len(), 200);
        serde_json::from_str::<serde_json::Value>(&e).expect("valid JSON");
    }
}
