//! A fake CVM instance metadata service on 127.0.0.1 with one role attached, and the URL of a
//! closed port: for the CVM role provider and the default chain, so that no test reaches the
//! real metadata service.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use scf_api::Credentials;
use serde_json::json;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::raw::{Received, read_request};

/// The path answering the name of the instance's role.
pub const ROLES_PATH: &str = "/latest/meta-data/cam/security-credentials/";

/// A running fake metadata service; stops when dropped.
pub struct FakeMetadata {
    addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    task: JoinHandle<()>,
}

/// What the fake answers.
struct Role {
    name: String,
    credentials: Credentials,
    lifetime: Duration,
}

impl FakeMetadata {
    /// Starts a fake whose instance has role `name`, answering `credentials` (with their token)
    /// expiring `lifetime` after each answer. `GET` [`ROLES_PATH`] answers the name, `GET`
    /// [`ROLES_PATH`]`<name>` the credentials document; anything else is `404 Not Found`.
    pub async fn start(name: &str, credentials: Credentials, lifetime: Duration) -> FakeMetadata {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        let role = Arc::new(Role {
            name: name.to_owned(),
            credentials,
            lifetime,
        });
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, role.clone(), log.clone()));
            }
        });
        FakeMetadata {
            addr,
            received,
            task,
        }
    }

    /// `http://127.0.0.1:PORT`, the value for `TENCENTCLOUD_METADATA_ENDPOINT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Received> {
        self.received
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Drop for FakeMetadata {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut stream: TcpStream, role: Arc<Role>, log: Arc<Mutex<Vec<Received>>>) {
    let mut buf = Vec::new();
    while let Some(received) = read_request(&mut stream, &mut buf).await {
        let credentials_path = format!("{ROLES_PATH}{}", role.name);
        let (status, content_type, body) = match received.request_line.as_str() {
            line if line == format!("GET {ROLES_PATH} HTTP/1.1") => {
                ("200 OK", "text/plain", role.name.clone())
            }
            line if line == format!("GET {credentials_path} HTTP/1.1") => {
                ("200 OK", "application/json", document(&role))
            }
            _ => ("404 Not Found", "text/plain", "not found".to_owned()),
        };
        log.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(received);
        let answer = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        if stream.write_all(answer.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// The credentials document of `role`, expiring `role.lifetime` from now.
fn document(role: &Role) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970");
    let expired_time = (now + role.lifetime).as_secs();
    json!({
        "TmpSecretId": role.credentials.secret_id(),
        "TmpSecretKey": role.credentials.secret_key(),
        "Token": role.credentials.token().unwrap_or_default(),
        "ExpiredTime": expired_time,
        "Expiration": format!("{}T00:00:00Z", crate::utc_date(expired_time)),
        "Code": "Success",
    })
    .to_string()
}

/// `http://127.0.0.1:PORT` of a port nothing listens on (bound, then released): connecting
/// is refused at once.
pub async fn closed_port_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local address");
    drop(listener);
    format!("http://{addr}")
}
