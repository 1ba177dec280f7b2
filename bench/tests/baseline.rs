//! The baseline client is a real SCF client: scf-local, which checks TC3 signatures, accepts its
//! calls, and the bench server answers both clients alike.

use scf_api::types::Code;
use scf_bench::baseline::Baseline;
use scf_bench::server::BenchServer;
use scf_bench::{FUNCTION, REGION, SECRET_ID, SECRET_KEY, event, scf_client, scf_invoke};
use scf_local::Server;

/// An empty zip archive, base64-encoded.
const EMPTY_ZIP: &str = "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==";

#[tokio::test]
async fn scf_local_accepts_the_baseline_signature_and_runs_the_function() {
    // Functions echo their event here: this test is about signatures, not about running code.
    let server = Server::builder()
        .echo_functions()
        .start()
        .await
        .expect("scf-local starts");
    let client = scf_api::Client::builder()
        .credentials(scf_api::Credentials::new(
            server.secret_id(),
            server.secret_key(),
        ))
        .endpoint(scf_api::Endpoint::Url(server.url()))
        .region(REGION)
        .build()
        .expect("client");
    client
        .create_function()
        .function_name(FUNCTION)
        .code(Code {
            zip_file: Some(EMPTY_ZIP.into()),
            ..Code::default()
        })
        .send()
        .await
        .expect("function created");

    let port = server.addr().port();
    let baseline = Baseline::new(port, server.secret_id(), server.secret_key(), REGION);
    let answer = baseline
        .invoke(FUNCTION, &event())
        .await
        .expect("signed call accepted");
    assert_eq!(answer, event());

    let wrong = Baseline::new(port, server.secret_id(), "wrong-key", REGION);
    let err = wrong
        .invoke(FUNCTION, &event())
        .await
        .expect_err("bad signature refused");
    assert!(err.starts_with("AuthFailure.SignatureFailure"), "{err}");
}

#[tokio::test]
async fn the_bench_server_answers_both_clients_alike() {
    let server = BenchServer::start().expect("bench server starts");
    let scf = scf_client(server.port());
    let base = Baseline::new(server.port(), SECRET_ID, SECRET_KEY, REGION);
    let a = scf_invoke(&scf, &event()).await.expect("scf-api call");
    let b = base
        .invoke(FUNCTION, &event())
        .await
        .expect("baseline call");
    assert_eq!(a, b);
    assert_eq!(a, "\"hello from scf\"");
}
