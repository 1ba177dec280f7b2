//! Web functions (`Type` `HTTP`) under scf-local: real `scf_bootstrap` processes serving HTTP
//! on a port of their own, reached through the server's web front (`/web/...`). The server is
//! this crate's `web_echo` program, so no interpreter is needed; the Python test skips without
//! python3.

use std::net::SocketAddr;
use std::time::Duration;

use scf_api::Client;
use scf_api::types::Code;
use scf_api_tests::client_for_code;
use scf_local::{CodePackage, Server};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// An answer as the test client read it.
#[derive(Debug)]
struct Reply {
    status: u16,
    /// Lowercase names.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

/// Sends one HTTP/1.1 request to the server and reads the whole answer.
async fn http(
    server: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    let mut stream = TcpStream::connect(server).await.expect("connects");
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nhost: {}\r\nconnection: close\r\ncontent-length: {}\r\n",
        server,
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .await
        .expect("reads the answer");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete answer");
    let text = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = text.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Reply {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

async fn get(server: SocketAddr, path: &str) -> Reply {
    http(server, "GET", path, &[], b"").await
}

/// Creates the web function `name` with `package`, a 2 s timeout and a 2 s init timeout.
async fn create_web(client: &Client, name: &str, package: &CodePackage) {
    client
        .create_function()
        .function_name(name)
        .r#type("HTTP")
        .runtime("CustomRuntime")
        .timeout(2)
        .init_timeout(2)
        .code(Code {
            zip_file: Some(package.to_base64()),
            ..Code::default()
        })
        .send()
        .await
        .expect("CreateFunction succeeds");
}

fn echo_package() -> CodePackage {
    CodePackage::new().exec_web_bootstrap(env!("CARGO_BIN_EXE_web_echo"), &[])
}

async fn start() -> (Server, Client) {
    let server = Server::builder().start().await.expect("the server starts");
    let client = client_for_code(&server);
    (server, client)
}

#[tokio::test]
async fn requests_reach_the_function_server_with_the_platform_headers() {
    let (server, client) = start().await;
    create_web(&client, "site", &echo_package()).await;
    let reply = http(
        server.addr(),
        "POST",
        "/web/default/site/items/7?full=1",
        &[("x-custom", "kept"), ("x-scf-name", "forged")],
        b"payload",
    )
    .await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.header("x-echo"), Some("yes"));
    let request_id = reply
        .header("x-scf-request-id")
        .expect("a request id")
        .to_owned();
    let seen = reply.json();
    assert_eq!(seen["method"], "POST");
    assert_eq!(seen["target"], "/items/7?full=1");
    assert_eq!(seen["body_len"], 7);
    let headers = &seen["headers"];
    assert_eq!(headers["x-custom"], "kept");
    assert_eq!(
        headers["x-scf-name"], "site",
        "the caller cannot forge X-Scf-*"
    );
    assert_eq!(headers["x-scf-namespace"], "default");
    assert_eq!(headers["x-scf-version"], "$LATEST");
    assert_eq!(headers["x-scf-memory"], "128");
    assert_eq!(headers["x-scf-timeout"], "2000");
    assert_eq!(headers["x-scf-request-id"], request_id.as_str());
    assert!(headers["x-scf-region"].is_string());
    assert_eq!(seen["env"]["SCF_FUNCTIONNAME"], "site");

    // The same (warm) instance serves the next request; its output is that request's log.
    let again = get(server.addr(), "/web/default/site/").await;
    assert_eq!(again.json()["pid"], seen["pid"]);
    let again_id = again.header("x-scf-request-id").unwrap().to_owned();
    let logs = client
        .get_function_logs()
        .function_name("site")
        .function_request_id(&again_id)
        .send()
        .await
        .unwrap();
    let log = &logs.data[0];
    assert!(log.log.contains("web-echo handling GET /"), "{}", log.log);
    assert_eq!(log.ret_code, 0);
}

#[tokio::test]
async fn concurrent_requests_get_instances_on_distinct_ports() {
    let (server, client) = start().await;
    create_web(&client, "busy", &echo_package()).await;
    let addr = server.addr();
    let requests = (0..3).map(|_| get(addr, "/web/default/busy/sleep/300"));
    let replies = futures_join(requests).await;
    let mut ports: Vec<u64> = replies
        .iter()
        .map(|r| {
            assert_eq!(r.status, 200, "{r:?}");
            r.json()["port"].as_u64().unwrap()
        })
        .collect();
    ports.sort_unstable();
    ports.dedup();
    assert_eq!(ports.len(), 3, "one instance per request at a time");
}

/// Runs the futures concurrently, answers in order.
async fn futures_join<F: std::future::Future<Output = Reply> + Send + 'static>(
    futures: impl Iterator<Item = F>,
) -> Vec<Reply> {
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
}

#[tokio::test]
async fn failures_have_their_status_codes() {
    let (server, client) = start().await;
    create_web(&client, "echo", &echo_package()).await;

    let slow = get(server.addr(), "/web/default/echo/sleep/5000").await;
    assert_eq!(slow.status, 504, "{slow:?}");
    assert_eq!(slow.json()["errorCode"], 433);

    let big = get(
        server.addr(),
        &format!("/web/default/echo/big/{}", 7 * 1024 * 1024),
    )
    .await;
    assert_eq!(big.status, 502, "{big:?}");
    assert_eq!(big.json()["errorCode"], 410);

    let exit = get(server.addr(), "/web/default/echo/exit").await;
    assert_eq!(exit.status, 502, "{exit:?}");
    assert_eq!(exit.json()["errorCode"], 439);
    // A new instance replaces the one that exited.
    assert_eq!(get(server.addr(), "/web/default/echo/").await.status, 200);

    let huge = http(
        server.addr(),
        "PUT",
        "/web/default/echo/",
        &[],
        &vec![b'y'; 6 * 1024 * 1024 + 1],
    )
    .await;
    assert_eq!(huge.status, 413, "{huge:?}");
    assert_eq!(huge.json()["errorCode"], 406);

    let missing = get(server.addr(), "/web/default/nothing/").await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["errorCode"], 435);
    let no_alias = get(server.addr(), "/web/default/echo@prod/").await;
    assert_eq!(no_alias.status, 404);
    assert_eq!(no_alias.json()["errorCode"], 442);
    assert_eq!(get(server.addr(), "/web/default").await.status, 400);

    // Bootstraps that never listen or exit at once.
    let quiet = CodePackage::new().executable("scf_bootstrap", "#!/bin/sh\nexec sleep 30\n");
    create_web(&client, "quiet", &quiet).await;
    let reply = get(server.addr(), "/web/default/quiet/").await;
    assert_eq!(reply.status, 502, "{reply:?}");
    assert_eq!(reply.json()["errorCode"], 446);
    let quitter = CodePackage::new().executable("scf_bootstrap", "#!/bin/sh\necho bye; exit 3\n");
    create_web(&client, "quitter", &quitter).await;
    let reply = get(server.addr(), "/web/default/quitter/").await;
    assert_eq!(reply.json()["errorCode"], 405, "{reply:?}");
    let none = CodePackage::new().file("index.html", "no bootstrap");
    create_web(&client, "none", &none).await;
    let reply = get(server.addr(), "/web/default/none/").await;
    assert_eq!(reply.json()["errorCode"], 445, "{reply:?}");
    assert!(
        reply.json()["errorMessage"]
            .as_str()
            .unwrap()
            .contains("scf_bootstrap")
    );

    // An event function is not served over HTTP.
    client
        .create_function()
        .function_name("event")
        .code(Code {
            zip_file: Some(echo_package().to_base64()),
            ..Code::default()
        })
        .send()
        .await
        .unwrap();
    assert_eq!(get(server.addr(), "/web/default/event/").await.status, 400);
    // The server kept serving through all of it.
    assert_eq!(get(server.addr(), "/web/default/echo/").await.status, 200);
}

#[tokio::test]
async fn versions_are_reached_by_qualifier_and_updates_restart_instances() {
    let (server, client) = start().await;
    create_web(&client, "versioned", &echo_package()).await;
    let first = get(server.addr(), "/web/default/versioned/").await.json();
    client
        .publish_version()
        .function_name("versioned")
        .send()
        .await
        .unwrap();
    let published = get(server.addr(), "/web/default/versioned@1/").await.json();
    assert_eq!(published["headers"]["x-scf-version"], "1");
    client
        .update_function_code()
        .function_name("versioned")
        .zip_file(echo_package().to_base64())
        .send()
        .await
        .unwrap();
    // Give the update's stop a moment, then the next request starts a new process.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let after = get(server.addr(), "/web/default/versioned/").await.json();
    assert_ne!(after["pid"], first["pid"]);
}

#[tokio::test]
async fn a_python_web_server_runs() {
    let have = std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|dir| dir.join("python3").is_file())
    });
    if !have {
        eprintln!("skipped: `python3` is not on PATH");
        return;
    }
    let (server, client) = start().await;
    let package = CodePackage::new()
        .executable(
            "scf_bootstrap",
            "#!/bin/sh\nexport PORT=${PORT:-9000}\nexec python3 -m http.server --bind 0.0.0.0 \"$PORT\"\n",
        )
        .file("hello.txt", "hello from python\n");
    create_web(&client, "py", &package).await;
    let reply = get(server.addr(), "/web/default/py/hello.txt").await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.body, b"hello from python\n");
}
