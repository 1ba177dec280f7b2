//! The endpoints end to end over 127.0.0.1: for each [`Endpoint`], the URL the client connects
//! to, the TLS server name (SNI) it asks for, and the `Host` header it signs and sends.
//!
//! The https endpoints are reached through a small TLS terminator on 127.0.0.1 that presents a
//! certificate made at test time (by a test CA) for the four service names used here, records the
//! SNI of every connection, and pipes the decrypted bytes to an [`scf_local::Server`]. The client
//! gets a `reqwest::Client` that resolves those names to the terminator and trusts only the test
//! CA. scf-local verifies the TC3 signature, which covers `host`, so a call that succeeds also
//! proves the `Host` it received is the one the client signed.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use scf_api::{
    CallOptions, Client, ClientBuilder, Credentials, Endpoint, Environment, ErrorKind,
    InputProblem, RetryPolicy,
};
use scf_api_tests::{TEST_TIMEOUT, header_count, only_request};
use scf_local::{Outcome, RecordedRequest, Server};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// [`Endpoint::Nearest`]'s host.
const NEAREST: &str = "scf.tencentcloudapi.com";
/// [`Endpoint::Intl`]'s host.
const INTL: &str = "scf.intl.tencentcloudapi.com";
/// [`Endpoint::Regional`]'s host for `ap-guangzhou`.
const GUANGZHOU: &str = "scf.ap-guangzhou.tencentcloudapi.com";
/// [`Endpoint::Regional`]'s host for `ap-shanghai`.
const SHANGHAI: &str = "scf.ap-shanghai.tencentcloudapi.com";
/// Every name the test certificate is valid for and the test HTTP client resolves to the
/// terminator.
const HOSTS: [&str; 4] = [NEAREST, INTL, GUANGZHOU, SHANGHAI];

/// Installs the process-wide rustls crypto provider (reqwest is built without one).
fn install_crypto() {
    let _ = ring().install_default();
}

/// The ring provider, scf-api's default. rustls deprecates its constructor for lacking
/// post-quantum key exchange, which a test CA on 127.0.0.1 does not need.
fn ring() -> rustls::crypto::CryptoProvider {
    #[allow(deprecated)]
    rustls::crypto::ring::default_provider()
}

/// A test CA and a server certificate it issued for [`HOSTS`].
struct Pki {
    /// The CA certificate, PEM, for the client to trust.
    ca_pem: String,
    /// The server's chain: its certificate, then the CA's.
    chain: Vec<CertificateDer<'static>>,
    /// The server's private key, PKCS#8 DER.
    key: Vec<u8>,
}

impl Pki {
    fn generate(ca_name: &str) -> Pki {
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, ca_name);
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_key = KeyPair::generate().unwrap();
        let ca_cert = ca_params.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca_params, ca_key);

        let names: Vec<String> = HOSTS.iter().map(|h| (*h).to_owned()).collect();
        let mut params = CertificateParams::new(names).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, "scf test server");
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &issuer).unwrap();

        Pki {
            ca_pem: ca_cert.pem(),
            chain: vec![cert.der().clone(), ca_cert.der().clone()],
            key: key.serialize_der(),
        }
    }

    fn server_config(&self) -> rustls::ServerConfig {
        let provider = Arc::new(ring());
        rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                self.chain.clone(),
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key.clone())),
            )
            .unwrap()
    }

    fn ca(&self) -> reqwest::Certificate {
        reqwest::Certificate::from_pem(self.ca_pem.as_bytes()).unwrap()
    }
}

/// One TLS connection the terminator saw.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TlsConnection {
    /// The SNI of the ClientHello.
    server_name: Option<String>,
    /// `None` while the handshake runs, then how it ended.
    handshake: Option<Result<(), String>>,
}

#[derive(Default)]
struct Seen {
    /// TCP connections accepted, whatever came of them.
    accepted: AtomicUsize,
    /// Connections that sent a ClientHello, in order.
    tls: Mutex<Vec<TlsConnection>>,
}

/// A TLS terminator on 127.0.0.1 in front of `backend`.
struct Terminator {
    addr: SocketAddr,
    seen: Arc<Seen>,
    task: JoinHandle<()>,
}

impl Terminator {
    async fn start(pki: &Pki, backend: SocketAddr) -> Terminator {
        let config = Arc::new(pki.server_config());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Seen::default());
        let task = tokio::spawn({
            let seen = Arc::clone(&seen);
            async move {
                while let Ok((tcp, _)) = listener.accept().await {
                    seen.accepted.fetch_add(1, Ordering::SeqCst);
                    tokio::spawn(terminate(
                        tcp,
                        Arc::clone(&config),
                        backend,
                        Arc::clone(&seen),
                    ));
                }
            }
        });
        Terminator { addr, seen, task }
    }

    fn accepted(&self) -> usize {
        self.seen.accepted.load(Ordering::SeqCst)
    }

    fn connections(&self) -> Vec<TlsConnection> {
        self.seen.tls.lock().unwrap().clone()
    }

    /// The SNI of every connection, in order.
    fn server_names(&self) -> Vec<Option<String>> {
        self.connections()
            .into_iter()
            .map(|c| c.server_name)
            .collect()
    }

    /// The connections, once every handshake has ended (or after two seconds).
    async fn settled_connections(&self) -> Vec<TlsConnection> {
        let deadline = Instant::now() + Duration::from_secs(2);
        loop {
            let connections = self.connections();
            if connections.iter().all(|c| c.handshake.is_some()) || Instant::now() > deadline {
                return connections;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

impl Drop for Terminator {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads the ClientHello, records its SNI, completes the handshake, and pipes the plaintext
/// to `backend`.
async fn terminate(
    tcp: TcpStream,
    config: Arc<rustls::ServerConfig>,
    backend: SocketAddr,
    seen: Arc<Seen>,
) {
    let acceptor = tokio_rustls::LazyConfigAcceptor::new(rustls::server::Acceptor::default(), tcp);
    let Ok(start) = acceptor.await else {
        return;
    };
    let index = {
        let mut tls = seen.tls.lock().unwrap();
        tls.push(TlsConnection {
            server_name: start.client_hello().server_name().map(str::to_owned),
            handshake: None,
        });
        tls.len() - 1
    };
    let result = start.into_stream(config).await;
    seen.tls.lock().unwrap()[index].handshake = Some(match &result {
        Ok(_) => Ok(()),
        Err(e) => Err(e.to_string()),
    });
    let Ok(mut tls) = result else {
        return;
    };
    let Ok(mut plain) = TcpStream::connect(backend).await else {
        return;
    };
    // Ends when either side closes; an unclean TLS close is no concern here.
    let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
}

/// A reqwest client that resolves every name of [`HOSTS`] to `terminator`, uses no proxy, and
/// trusts only `root`.
fn http_client(terminator: SocketAddr, root: reqwest::Certificate) -> reqwest::Client {
    install_crypto();
    let mut builder = reqwest::Client::builder()
        .no_proxy()
        .connect_timeout(TEST_TIMEOUT);
    for host in HOSTS {
        builder = builder.resolve(host, terminator);
    }
    builder.tls_certs_only([root]).build().unwrap()
}

/// A client builder with `server`'s credentials, the given HTTP client, and no retries.
fn builder(server: &Server, http: reqwest::Client) -> ClientBuilder {
    Client::builder()
        .credentials(Credentials::new(server.secret_id(), server.secret_key()))
        .http_client(http)
        .attempt_timeout(TEST_TIMEOUT)
        .retry_policy(RetryPolicy::disabled())
}

/// scf-local, a terminator in front of it, and an HTTP client trusting the terminator.
struct Setup {
    server: Server,
    terminator: Terminator,
    http: reqwest::Client,
}

async fn setup() -> Setup {
    install_crypto();
    let server = Server::builder().examples_only().start().await.unwrap();
    let pki = Pki::generate("scf-api endpoints test CA");
    let terminator = Terminator::start(&pki, server.addr()).await;
    let http = http_client(terminator.addr, pki.ca());
    Setup {
        server,
        terminator,
        http,
    }
}

async fn async_event_status(client: &Client) -> Result<(), String> {
    client
        .get_async_event_status()
        .invoke_request_id("e")
        .send()
        .await
        .map(drop)
        .map_err(|e| format!("{e:?}"))
}

async fn request_status(client: &Client, options: CallOptions) -> Result<(), String> {
    client
        .get_request_status()
        .function_name("f")
        .function_request_id("r")
        .options(options)
        .send()
        .await
        .map(drop)
        .map_err(|e| format!("{e:?}"))
}

/// Asserts that `rec` was accepted by scf-local (so its signature, which covers `host`, checks
/// out), and that it was a `POST /` with exactly one `Host`, equal to `host`.
#[track_caller]
fn assert_reached(rec: &RecordedRequest, host: &str, region: Option<&str>) {
    assert_eq!(rec.outcome, Outcome::Ok, "scf-local refused {rec:#?}");
    assert_eq!((rec.method.as_str(), rec.path.as_str()), ("POST", "/"));
    assert_eq!(
        rec.header("Host"),
        Some(host),
        "the Host header: {:?}",
        rec.headers
    );
    assert_eq!(header_count(rec, "host"), 1, "{:?}", rec.headers);
    assert_eq!(rec.header("X-TC-Region"), region, "{:?}", rec.headers);
    let authorization = rec.header("Authorization").unwrap_or_default();
    assert!(
        authorization.contains("SignedHeaders=content-type;host,"),
        "the signature covers host: {authorization:?}"
    );
}

#[tokio::test]
async fn nearest_and_intl_use_their_hosts_for_sni_and_host() {
    let s = setup().await;
    for (endpoint, host) in [(Endpoint::Nearest, NEAREST), (Endpoint::Intl, INTL)] {
        s.server.clear_requests();
        let before = s.terminator.connections().len();
        let client = builder(&s.server, s.http.clone())
            .endpoint(endpoint.clone())
            .build()
            .unwrap();
        async_event_status(&client)
            .await
            .unwrap_or_else(|e| panic!("{endpoint:?}: the call fails: {e}"));

        let connections = s.terminator.connections();
        assert_eq!(
            connections[before..],
            [TlsConnection {
                server_name: Some(host.to_owned()),
                handshake: Some(Ok(())),
            }],
            "{endpoint:?}: one TLS connection, for {host}"
        );
        // The default https port is implied, so the Host header has none.
        assert_reached(&only_request(&s.server), host, None);
    }
}

#[tokio::test]
async fn regional_uses_the_client_region_or_the_call_region() {
    let s = setup().await;
    let client = builder(&s.server, s.http.clone())
        .endpoint(Endpoint::Regional)
        .region("ap-guangzhou")
        .build()
        .unwrap();

    request_status(&client, CallOptions::new())
        .await
        .expect("the client's region");
    assert_eq!(s.terminator.server_names(), [Some(GUANGZHOU.to_owned())]);
    assert_reached(&only_request(&s.server), GUANGZHOU, Some("ap-guangzhou"));

    // A per-call region picks that region's host: a new connection, with its own SNI.
    s.server.clear_requests();
    request_status(&client, CallOptions::new().region("ap-shanghai"))
        .await
        .expect("the call's region");
    assert_eq!(
        s.terminator.server_names(),
        [Some(GUANGZHOU.to_owned()), Some(SHANGHAI.to_owned())]
    );
    assert_reached(&only_request(&s.server), SHANGHAI, Some("ap-shanghai"));

    // A call that needs no region still goes to the regional host when it has one.
    s.server.clear_requests();
    let no_region = builder(&s.server, s.http.clone())
        .endpoint(Endpoint::Regional)
        .build()
        .unwrap();
    no_region
        .get_async_event_status()
        .invoke_request_id("e")
        .options(CallOptions::new().region("ap-shanghai"))
        .send()
        .await
        .expect("a region given per call");
    assert_reached(&only_request(&s.server), SHANGHAI, Some("ap-shanghai"));
    assert!(
        s.terminator
            .connections()
            .iter()
            .all(|c| c.handshake == Some(Ok(()))),
        "{:?}",
        s.terminator.connections()
    );
}

/// Asserts that a call failed before sending because no region was given.
#[track_caller]
fn assert_missing_region<O: std::fmt::Debug, E: scf_api::ErrorCode>(
    action: &str,
    result: Result<O, scf_api::Error<E>>,
) {
    let err = result.expect_err("no region, no host");
    assert_eq!(err.request_id(), None, "{action}: {err:?}");
    assert_eq!(err.attempts(), 0, "{action}: nothing was sent: {err:?}");
    match err.kind() {
        ErrorKind::InvalidInput(invalid) => assert!(
            invalid.problems().contains(&InputProblem::MissingRegion),
            "{action}: {invalid:?}"
        ),
        other => panic!("{action}: expected InvalidInput(MissingRegion), got {other:?}"),
    }
}

#[tokio::test]
async fn regional_without_a_region_fails_before_connecting() {
    let s = setup().await;
    let client = builder(&s.server, s.http.clone())
        .endpoint(Endpoint::Regional)
        .build()
        .unwrap();

    // Neither an action that needs a region nor one that does not can pick a host.
    assert_missing_region(
        "GetAsyncEventStatus",
        client
            .get_async_event_status()
            .invoke_request_id("e")
            .send()
            .await,
    );
    assert_missing_region(
        "GetRequestStatus",
        client
            .get_request_status()
            .function_name("f")
            .function_request_id("r")
            .send()
            .await,
    );
    assert_eq!(
        s.terminator.accepted(),
        0,
        "the terminator saw no connection"
    );
    assert!(s.server.requests().is_empty(), "{:#?}", s.server.requests());
}

#[tokio::test]
async fn url_endpoint_sends_its_host_and_port() {
    let s = setup().await;
    let port = s.server.addr().port();

    // Plain http straight to scf-local: the Host carries the port.
    let client = builder(&s.server, s.http.clone())
        .endpoint(Endpoint::Url(format!("http://127.0.0.1:{port}")))
        .build()
        .unwrap();
    async_event_status(&client).await.expect("http URL");
    assert_reached(&only_request(&s.server), &format!("127.0.0.1:{port}"), None);
    assert_eq!(s.terminator.accepted(), 0, "nothing went through TLS");

    // An https URL with an explicit port: SNI is the bare name, Host carries the port.
    s.server.clear_requests();
    let tls_port = s.terminator.addr.port();
    let client = builder(&s.server, s.http.clone())
        .endpoint(Endpoint::Url(format!("https://{NEAREST}:{tls_port}")))
        .build()
        .unwrap();
    async_event_status(&client)
        .await
        .expect("https URL with a port");
    assert_eq!(s.terminator.server_names(), [Some(NEAREST.to_owned())]);
    assert_reached(
        &only_request(&s.server),
        &format!("{NEAREST}:{tls_port}"),
        None,
    );

    // A bare host is taken as https on the default port.
    s.server.clear_requests();
    let client = builder(&s.server, s.http.clone())
        .endpoint(Endpoint::Url(GUANGZHOU.to_owned()))
        .build()
        .unwrap();
    async_event_status(&client).await.expect("bare host");
    assert_eq!(
        s.terminator.server_names(),
        [Some(NEAREST.to_owned()), Some(GUANGZHOU.to_owned())]
    );
    assert_reached(&only_request(&s.server), GUANGZHOU, None);
}

#[tokio::test]
async fn endpoint_url_variable_is_overridden_by_the_builder() {
    let s = setup().await;
    let env = || {
        Environment::from_vars([
            ("TENCENTCLOUD_SECRET_ID", s.server.secret_id().to_owned()),
            ("TENCENTCLOUD_SECRET_KEY", s.server.secret_key().to_owned()),
            ("TENCENTCLOUD_ENDPOINT_URL", s.server.url()),
        ])
    };
    let from_env = || {
        ClientBuilder::from_environment(env())
            .http_client(s.http.clone())
            .attempt_timeout(TEST_TIMEOUT)
            .retry_policy(RetryPolicy::disabled())
    };

    // The variable replaces the default endpoint (Nearest): straight to scf-local.
    let client = from_env().build().unwrap();
    assert_eq!(client.endpoint(), &Endpoint::Url(s.server.url()));
    async_event_status(&client)
        .await
        .expect("the variable's endpoint");
    let port = s.server.addr().port();
    assert_reached(&only_request(&s.server), &format!("127.0.0.1:{port}"), None);
    assert_eq!(
        s.terminator.accepted(),
        0,
        "nothing went to the default host"
    );

    // An endpoint set on the builder wins over the variable.
    s.server.clear_requests();
    let client = from_env().endpoint(Endpoint::Intl).build().unwrap();
    assert_eq!(client.endpoint(), &Endpoint::Intl);
    async_event_status(&client)
        .await
        .expect("the builder's endpoint");
    assert_eq!(s.terminator.server_names(), [Some(INTL.to_owned())]);
    assert_reached(&only_request(&s.server), INTL, None);
}

#[tokio::test]
async fn untrusted_certificate_is_a_connect_error() {
    let s = setup().await;
    let other_ca = Pki::generate("another CA").ca();
    let clients = [(
        "trusting another CA only",
        http_client(s.terminator.addr, other_ca),
    )];
    for (i, (what, http)) in clients.into_iter().enumerate() {
        let client = builder(&s.server, http).build().unwrap();
        let started = Instant::now();
        let err = client
            .get_async_event_status()
            .invoke_request_id("e")
            .send()
            .await
            .expect_err("the certificate is not trusted");
        assert!(
            matches!(err.kind(), ErrorKind::Connect(t) if t.is_tls()),
            "{what}: expected a TLS Connect error, got {err:?}"
        );
        assert!(
            !err.is_retryable(),
            "{what}: a refused certificate stays refused"
        );
        assert_eq!(err.request_id(), None, "{what}");
        assert!(err.code().is_none(), "{what}");
        assert_eq!(err.attempts(), 1, "{what}");
        assert!(
            err.to_string().to_lowercase().contains("certificate"),
            "{what}: the message names the cause: {err}"
        );
        assert!(
            err.to_string().contains(&format!("https://{NEAREST}/")),
            "{what}: the message names the URL: {err}"
        );
        assert!(started.elapsed() < Duration::from_secs(2), "{what}");

        // The client asked for the right name, then refused what it was shown.
        let connections = s.terminator.settled_connections().await;
        assert_eq!(connections.len(), i + 1, "{what}: {connections:?}");
        let connection = &connections[i];
        assert_eq!(connection.server_name.as_deref(), Some(NEAREST), "{what}");
        assert!(
            matches!(connection.handshake, Some(Err(_))),
            "{what}: the handshake failed: {connection:?}"
        );
    }
    assert!(
        s.server.requests().is_empty(),
        "nothing reached scf-local: {:#?}",
        s.server.requests()
    );
}
