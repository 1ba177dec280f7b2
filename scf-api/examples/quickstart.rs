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
//! scf-local runs the function's code for real. So that this works on a machine with nothing
//! but the Rust toolchain, the function uploaded there is a Custom Runtime whose `bootstrap`
//! starts this very program again: with `SCF_RUNTIME_API` set (as scf-local sets it for the
//! function's process), the program serves the function instead ([`greet`], through
//! `scf_runtime::run`). Its answers therefore come from another process, the function, not from
//! the emulator.
//!
//! With `TENCENTCLOUD_SECRET_ID` and `TENCENTCLOUD_SECRET_KEY` set (and optionally
//! `TENCENTCLOUD_REGION`, default `ap-guangzhou`, or `TENCENTCLOUD_ENDPOINT_URL`) it is configured
//! from the environment by `ClientBuilder::from_env` and runs the same steps against that
//! endpoint: on Tencent Cloud it creates (and at the end deletes) a Python function called
//! `scf-api-quickstart` in the `default` namespace.

use std::time::Duration;

use scf_api::types::{AsyncEventState, Code, FunctionStatus, InvocationType, LogType};
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

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Runtime::new()?;
    // Started by scf-local as the function's process: be the function.
    if std::env::var_os("SCF_RUNTIME_API").is_some() {
        return Ok(runtime.block_on(scf_runtime::run(greet))?);
    }
    runtime.block_on(run())
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());

    // Keep the emulator alive for the whole run when we use it.
    let mut _local = None;
    // What to upload and how to run it: the Python code on Tencent Cloud, this program as a
    // Custom Runtime on scf-local.
    let (code, runtime) = if env("TENCENTCLOUD_SECRET_ID").is_some() {
        (CODE_ZIP.to_owned(), "Python3.9")
    } else {
        (self_bootstrap()?, "CustomRuntime")
    };
    let builder = if env("TENCENTCLOUD_SECRET_ID").is_some() {
        let region = env("TENCENTCLOUD_REGION").unwrap_or_else(|| "ap-guangzhou".to_owned());
        println!("Using the environment's credentials (region {region}).");
        ClientBuilder::from_env().region(region)
    } else {
        let server = scf_local::Server::builder().start().await?;
        println!(
            "Started scf-local at {} (no credentials in the environment); the function is this \
             program, run by scf-local as a Custom Runtime.",
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
            zip_file: Some(code),
            ..Code::default()
        })
        .runtime(runtime)
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
        .log_type(LogType::Tail)
        .send()
        .await?;
    let result = &sync.result;
    println!(
        "  request {} returned {} (InvokeResult {}, {:.1} ms)",
        result.function_request_id, result.ret_msg, result.invoke_result, result.duration
    );
    // What the function printed while it ran (the platform's START/END/Report lines left out).
    for line in result.log.lines().filter(|l| !l.contains("RequestId:")) {
        println!("  function log: {line}");
    }

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

/// A code package whose `bootstrap` starts this program again (for scf-local only: the path is
/// this machine's).
fn self_bootstrap() -> Result<String, Box<dyn std::error::Error>> {
    Ok(scf_local::CodePackage::new()
        .exec_bootstrap(std::env::current_exe()?, &[])
        .to_base64())
}

/// The function, written with scf-runtime: what the Python handler does, in Rust.
async fn greet(
    event: serde_json::Value,
    ctx: scf_runtime::Context,
) -> Result<String, scf_runtime::BoxError> {
    let name = event["name"].as_str().unwrap_or("world");
    println!(
        "computing a greeting for {name} in process {} (request {})",
        std::process::id(),
        ctx.request_id
    );
    Ok(format!("hello {name}"))
}
