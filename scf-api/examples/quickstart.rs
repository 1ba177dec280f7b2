//! Quick start: creates a function, invokes it synchronously and asynchronously, follows the
//! asynchronous event to its final state, looks up the request's status, shows a typed error,
//! and deletes the function.
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
//! from the environment by `ClientBuilder::from_env` and runs the same steps against that
//! endpoint: on Tencent Cloud it creates (and at the end deletes) a Python function called
//! `scf-api-quickstart` in the `default` namespace.

use std::time::Duration;

use scf_api::types::{AsyncEventState, Code, FunctionStatus, InvocationType};
use scf_api::{Client, ClientBuilder, Credentials, Endpoint, ErrorKind};

/// The function's name.
const FUNCTION: &str = "scf-api-quickstart";

/// A zip archive (base64) holding `index.py`:
///
/// ```python
/// def main_handler(event, context):
///     name = event.get("name", "world") if isinstance(event, dict) else "world"
///     return "hello " + name
/// ```
const CODE_ZIP: &str = "UEsDBBQAAAAIAAAAIVyZSsuTcgAAAJkAAAAIAAAAaW5kZXgucHk1zEEKwjAUBNB9TjFk1WDxAIJnkdBM7ZfkR5Kv9vhqoLOcGZ6UZ22GR6/qnEtcUaLobYuaMtvEN9VmLFWNu4WLwy8aC3HF2M532uT/jZ/hP7Xl5ANkhXTRblEXHkiSxQKYO4/j0Brt1RR+Y84VHqfhuy9QSwECFAMUAAAACAAAACFcmUrLk3IAAACZAAAACAAAAAAAAAAAAAAApAEAAAAAaW5kZXgucHlQSwUGAAAAAAEAAQA2AAAAmAAAAAAA";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());

    // Keep the emulator alive for the whole run when we use it.
    let mut _local = None;
    let builder = if env("TENCENTCLOUD_SECRET_ID").is_some() {
        let region = env("TENCENTCLOUD_REGION").unwrap_or_else(|| "ap-guangzhou".to_owned());
        println!("Using the environment's credentials (region {region}).");
        ClientBuilder::from_env().region(region)
    } else {
        // The emulated function does what the Python code above does.
        let server = scf_local::Server::builder()
            .function_handler(|invocation: scf_local::Invocation| async move {
                let event: serde_json::Value =
                    serde_json::from_str(&invocation.event).unwrap_or_default();
                let name = event["name"].as_str().unwrap_or("world");
                Ok(format!("\"hello {name}\""))
            })
            .start()
            .await?;
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
    let client = builder.build()?;

    // 1. Create the function and wait until it is Active.
    println!("\nCreateFunction {FUNCTION}");
    client
        .create_function()
        .function_name(FUNCTION)
        .code(Code {
            zip_file: Some(CODE_ZIP.to_owned()),
            ..Code::default()
        })
        .runtime("Python3.9")
        .handler("index.main_handler")
        .memory_size(128)
        .timeout(10)
        .description("Created by the scf-api quick start")
        .send()
        .await?;
    loop {
        let f = client.get_function().function_name(FUNCTION).send().await?;
        println!("  status {}", f.status);
        match f.status {
            FunctionStatus::Active => break,
            FunctionStatus::Creating | FunctionStatus::Updating => {
                tokio::time::sleep(Duration::from_secs(1)).await
            }
            other => return Err(format!("the function ended up {other}").into()),
        }
    }

    // 2. A synchronous invocation returns the function's result.
    println!("\nInvoke (synchronous)");
    let sync = client
        .invoke()
        .function_name(FUNCTION)
        .client_context(r#"{"name":"scf-api"}"#)
        .send()
        .await?;
    let result = &sync.result;
    println!(
        "  request {} returned {} (InvokeResult {}, {:.1} ms)",
        result.function_request_id, result.ret_msg, result.invoke_result, result.duration
    );

    // 3. An asynchronous invocation returns at once; its event is followed to a final state.
    println!("\nInvoke (asynchronous), then GetAsyncEventStatus until it ends");
    let event_id = client
        .invoke()
        .function_name(FUNCTION)
        .invocation_type(InvocationType::Event)
        .client_context(r#"{"name":"async"}"#)
        .send()
        .await?
        .result
        .function_request_id;
    let status = loop {
        let status = client
            .get_async_event_status()
            .invoke_request_id(&event_id)
            .send()
            .await?
            .result;
        println!("  event {event_id}: {}", status.status);
        if status.status != AsyncEventState::Running {
            break status.status;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    println!("  final state: {status}");

    // 4. The request's status, as recorded by the service.
    println!("\nGetRequestStatus {}", result.function_request_id);
    let records = client
        .get_request_status()
        .function_name(FUNCTION)
        .function_request_id(&result.function_request_id)
        .send()
        .await?;
    for r in records.data.unwrap_or_default() {
        println!(
            "  {} started {}: RetCode {}, {} ms, {:?}",
            r.request_id, r.start_time, r.ret_code, r.duration, r.ret_msg
        );
    }

    // 5. Failures are typed: a missing function has its own code.
    println!("\nGetFunction of a function that does not exist");
    let err = client
        .get_function()
        .function_name("no-such-function")
        .send()
        .await
        .expect_err("the function does not exist");
    match err.kind() {
        ErrorKind::Service(e) => println!("  {} (request id {:?})", e.code, err.request_id()),
        _ => println!("  {err}"),
    }

    // 6. Clean up.
    println!("\nDeleteFunction {FUNCTION}");
    client
        .delete_function()
        .function_name(FUNCTION)
        .send()
        .await?;
    println!("  deleted");
    Ok(())
}
