//! Quick start: calls GetRequestStatus and GetAsyncEventStatus, then shows how failures look.
//!
//! By default it starts scf-local, the in-process SCF emulator, on 127.0.0.1 and needs no
//! account:
//!
//! ```text
//! cargo run -p scf-api --example quickstart
//! ```
//!
//! With `TENCENTCLOUD_SECRET_ID` and `TENCENTCLOUD_SECRET_KEY` set (and optionally
//! `TENCENTCLOUD_REGION`, default `ap-guangzhou`, or `TENCENTCLOUD_ENDPOINT_URL`) it is configured
//! from the environment by `ClientBuilder::from_env` and calls Tencent Cloud instead; pass a
//! function name and a request ID to look up:
//! `cargo run -p scf-api --example quickstart -- NAME REQUEST_ID`.

use std::time::Duration;

use scf_api::{CallOptions, Client, ClientBuilder, Credentials, Endpoint, ErrorKind};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());

    // Keep the emulator alive for the whole run when we use it.
    let mut _local = None;
    let builder = if env("TENCENTCLOUD_SECRET_ID").is_some() {
        let builder = ClientBuilder::from_env();
        let region = env("TENCENTCLOUD_REGION").unwrap_or_else(|| "ap-guangzhou".to_owned());
        println!("Using the environment's credentials (region {region}).");
        builder.region(region)
    } else {
        let server = scf_local::Server::start().await?;
        println!(
            "Started scf-local at {} (no credentials in the environment).",
            server.url()
        );
        let builder = Client::builder()
            .credentials(Credentials::new(server.secret_id(), server.secret_key()))
            .endpoint(Endpoint::Url(server.url()))
            .region("ap-guangzhou");
        _local = Some(server);
        builder
    };
    let client = builder.attempt_timeout(Duration::from_secs(10)).build()?;
    let function = args.first().map(String::as_str).unwrap_or("function-demo");
    let request_id = args
        .get(1)
        .map(String::as_str)
        .unwrap_or("96d91886-f49b-4962-825e-1b4b8a2585f7");

    // 1. A successful call.
    println!("\nGetRequestStatus {function} {request_id}");
    match client
        .get_request_status()
        .function_name(function)
        .function_request_id(request_id)
        .send()
        .await
    {
        Ok(out) => {
            println!(
                "  request id {}: {} record(s)",
                out.request_id,
                out.total_count.unwrap_or(0)
            );
            for s in out.data.unwrap_or_default() {
                println!(
                    "  {} {} started {} -> RetCode {} in {} ms: {:?}",
                    s.function_name, s.request_id, s.start_time, s.ret_code, s.duration, s.ret_msg
                );
            }
        }
        Err(e) => println!("  failed: {e}"),
    }

    println!("\nGetAsyncEventStatus b379787f-8487-4bac-bd8c-17a20a9ce40e");
    match client
        .get_async_event_status()
        .invoke_request_id("b379787f-8487-4bac-bd8c-17a20a9ce40e")
        .send()
        .await
    {
        Ok(out) => println!(
            "  event {} is {} (status code {})",
            out.result.invoke_request_id, out.result.status, out.result.status_code
        ),
        Err(e) => println!("  failed: {e}"),
    }

    // 2. A missing input is a typed error before anything is sent.
    println!("\nGetRequestStatus with a start time but no end time and no request id");
    let err = client
        .get_request_status()
        .function_name(function)
        .start_time("2017-05-16 20:00:00")
        .send()
        .await
        .expect_err("inputs are incomplete");
    if let ErrorKind::InvalidInput(invalid) = err.kind() {
        for problem in invalid.problems() {
            println!("  not sent: {problem}");
        }
    }

    // 3. A region the action does not support, chosen per call.
    println!("\nGetAsyncEventStatus in a region it does not support");
    let err = client
        .get_async_event_status()
        .invoke_request_id("b379787f-8487-4bac-bd8c-17a20a9ce40e")
        .options(CallOptions::new().region("ap-xian-ec"))
        .send()
        .await
        .expect_err("unsupported region");
    println!("  not sent: {err}");

    // 4. A service error: an unknown secret id.
    println!("\nGetAsyncEventStatus with an unknown secret id");
    let wrong = Client::builder()
        .credentials(Credentials::new("AKIDnotarealsecretid0000", "not-the-key"))
        .endpoint(client.endpoint().clone())
        .build()?;
    match wrong
        .get_async_event_status()
        .invoke_request_id("x")
        .send()
        .await
    {
        Ok(_) => println!("  unexpectedly succeeded"),
        Err(e) => println!(
            "  code {:?}, request id {:?}\n  {e}",
            e.code().map(|c| c.to_string()),
            e.request_id()
        ),
    }
    Ok(())
}
