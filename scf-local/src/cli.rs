//! The `scf-local` command line: its options ([`Options`], a clap parser that other programs
//! can embed, as `scf local` does) and [`run`], which serves until Ctrl-C.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use clap::error::ErrorKind;

use crate::{
    DEFAULT_ASYNC_DELAY, DEFAULT_BODY_TIMEOUT, DEFAULT_KEEP_ALIVE, DEFAULT_MAX_CONNECTIONS,
    DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, RecordedRequest, RequestLogLimits, Server,
};

/// Runs a local emulator of the Tencent Cloud SCF API (version 2018-04-16) on 127.0.0.1.
///
/// Requests must be signed with TC3-HMAC-SHA256 using the accepted keys. State (namespaces,
/// functions, versions, aliases, triggers, invocations) lives in memory; invoked functions run
/// their uploaded code (Custom Runtime, Python 3, Node.js) as processes on this machine, without a
/// sandbox, unless --echo is given.
#[derive(Debug, Clone, PartialEq, Eq, Parser)]
#[command(name = "scf-local")]
pub struct Options {
    /// Port to listen on (0: pick a free port)
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub port: u16,
    /// Accepted SecretId
    #[arg(long, value_name = "ID", default_value = DEFAULT_SECRET_ID)]
    pub secret_id: String,
    /// Its SecretKey
    #[arg(long, value_name = "KEY", default_value = DEFAULT_SECRET_KEY)]
    pub secret_key: String,
    /// Require this X-TC-Token (temporary credentials); default: none accepted
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,
    /// How long async invocations stay RUNNING, in milliseconds
    #[arg(long, value_name = "N", default_value_t = default_async_delay_ms())]
    pub async_delay_ms: u64,
    /// Enforce the documented per-action rate limits (RequestLimitExceeded)
    #[arg(long)]
    pub rate_limits: bool,
    /// Answer every action with its documented example instead of state
    #[arg(long)]
    pub examples_only: bool,
    /// Keep the last N requests (bodies cut at 64 KiB, none for requests that fail
    /// authentication) and list them on exit; 0: keep none
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub record_requests: usize,
    /// Answer 408 and close the connection when a request body takes longer, in seconds
    #[arg(long, value_name = "N", default_value_t = DEFAULT_BODY_TIMEOUT.as_secs())]
    pub body_timeout_secs: u64,
    /// Serve at most N connections at once
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_CONNECTIONS)]
    pub max_connections: usize,
    /// Functions return their event instead of running their uploaded code
    #[arg(long)]
    pub echo: bool,
    /// Stop a function instance after it has been idle this long, in seconds
    #[arg(long, value_name = "N", default_value_t = DEFAULT_KEEP_ALIVE.as_secs())]
    pub keep_alive_secs: u64,
}

/// [`DEFAULT_ASYNC_DELAY`] in milliseconds.
fn default_async_delay_ms() -> u64 {
    u64::try_from(DEFAULT_ASYNC_DELAY.as_millis()).unwrap_or(200)
}

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    /// Run the server with these options.
    Run(Options),
    /// Print the help.
    Help,
}

/// The command line `args` (without the program name): settings, a request for help, or the
/// error message clap renders (with the usage line).
pub fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let argv = std::iter::once("scf-local".to_owned()).chain(args);
    match Options::try_parse_from(argv) {
        Ok(options) => Ok(Command::Run(options)),
        Err(e) if e.kind() == ErrorKind::DisplayHelp => Ok(Command::Help),
        Err(e) => Err(e.render().to_string()),
    }
}

/// The request log the command line asks for: none unless `--record-requests N`.
fn request_log(records: usize) -> RequestLogLimits {
    match records {
        0 => RequestLogLimits::off(),
        n => RequestLogLimits::default().max_records(n),
    }
}

/// One line about a recorded request, for the list printed on exit.
fn summary(record: &RecordedRequest) -> String {
    let outcome = match &record.outcome {
        crate::Outcome::Ok => "ok".to_owned(),
        crate::Outcome::Error { code } => code.clone(),
        crate::Outcome::Raw { status } => format!("HTTP {status}"),
        crate::Outcome::Dropped => "dropped".to_owned(),
    };
    format!(
        "{} {} {} bytes {} {}",
        record.action.as_deref().unwrap_or("-"),
        outcome,
        record.body_len,
        record.request_id.as_deref().unwrap_or("-"),
        record.body_sha256.as_deref().unwrap_or("-"),
    )
}

/// Runs the server with `args` in the foreground until Ctrl-C, printing its URL and keys, and
/// on exit the requests it recorded. The `scf-local` binary and `scf local` both run this.
pub async fn run(args: Options) -> ExitCode {
    let mut builder = Server::builder()
        .port(args.port)
        .secret_id(args.secret_id)
        .secret_key(args.secret_key)
        .token(args.token)
        .async_delay(Duration::from_millis(args.async_delay_ms))
        .enforce_rate_limits(args.rate_limits)
        .request_log(request_log(args.record_requests))
        .body_timeout(Duration::from_secs(args.body_timeout_secs))
        .max_connections(args.max_connections)
        .keep_alive(Duration::from_secs(args.keep_alive_secs));
    if args.examples_only {
        builder = builder.examples_only();
    }
    if args.echo {
        builder = builder.echo_functions();
    }
    let server = match builder.start().await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("scf-local: could not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("scf-local listening on {}", server.url());
    println!("SecretId:  {}", server.secret_id());
    println!("SecretKey: {}", server.secret_key());
    if let Some(token) = server.token() {
        println!("Token:     {token}");
    }
    println!("Press Ctrl-C to stop.");

    let result = tokio::signal::ctrl_c().await;
    let recorded = server.requests();
    if !recorded.is_empty() {
        println!(
            "The last {} requests (action, outcome, body bytes, request id, body SHA-256):",
            recorded.len()
        );
        for record in &recorded {
            println!("  {}", summary(record));
        }
    }
    server.shutdown().await;
    match result {
        Ok(()) => {
            println!("scf-local stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("scf-local: could not wait for Ctrl-C: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, String> {
        parse_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn parses_arguments() {
        assert_eq!(
            parse(&[]).unwrap(),
            Command::Run(Options {
                port: 0,
                secret_id: DEFAULT_SECRET_ID.to_owned(),
                secret_key: DEFAULT_SECRET_KEY.to_owned(),
                token: None,
                async_delay_ms: 200,
                rate_limits: false,
                examples_only: false,
                record_requests: 0,
                body_timeout_secs: 30,
                max_connections: 256,
                echo: false,
                keep_alive_secs: DEFAULT_KEEP_ALIVE.as_secs(),
            })
        );
        assert_eq!(
            parse(&[
                "--port",
                "9000",
                "--secret-id=AKIDx",
                "--secret-key",
                "k",
                "--token",
                "t",
                "--async-delay-ms=50",
                "--rate-limits",
                "--examples-only",
                "--record-requests=5",
                "--body-timeout-secs",
                "2",
                "--max-connections",
                "8",
            ])
            .unwrap(),
            Command::Run(Options {
                port: 9000,
                secret_id: "AKIDx".to_owned(),
                secret_key: "k".to_owned(),
                token: Some("t".to_owned()),
                async_delay_ms: 50,
                rate_limits: true,
                examples_only: true,
                record_requests: 5,
                body_timeout_secs: 2,
                max_connections: 8,
                echo: false,
                keep_alive_secs: DEFAULT_KEEP_ALIVE.as_secs(),
            })
        );
        assert!(parse(&["--record-requests", "-1"]).is_err());
        assert_eq!(request_log(0), RequestLogLimits::off());
        assert_eq!(request_log(5).records(), 5);
        assert!(parse(&["--async-delay-ms", "soon"]).is_err());
        assert_eq!(parse(&["--port", "1", "--help"]).unwrap(), Command::Help);
        assert!(parse(&["--port"]).is_err());
        assert!(parse(&["--port", "70000"]).is_err());
        assert!(parse(&["--bogus"]).is_err());
        assert!(parse(&["extra"]).is_err());
    }
}
