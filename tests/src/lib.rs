//! Shared helpers for the cross-crate tests: clients pointed at an [`scf_local::Server`], a
//! clock, an independent UTC date function, and accessors for what the server recorded.

pub mod examples;
pub mod fake_metadata;
pub mod fake_sts;
pub mod hostile;
pub mod raw;
pub mod redaction;
pub mod secrets;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use scf_api::{Client, ClientBuilder, Credentials, Endpoint, RetryPolicy};
use scf_local::{RecordedRequest, Server};

/// A small valid zip archive (empty), base64: scf-local stores code without unpacking it.
pub const EMPTY_ZIP: &str = "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==";

/// Function code holding [`EMPTY_ZIP`], for creating functions on scf-local.
pub fn empty_code() -> scf_api::types::Code {
    scf_api::types::Code {
        zip_file: Some(EMPTY_ZIP.to_owned()),
        ..scf_api::types::Code::default()
    }
}

/// The region most tests configure.
pub const REGION: &str = "ap-guangzhou";

/// The timeout of test clients unless a test sets its own: long enough never to fire on a
/// healthy local server, short enough that a hang fails the test quickly.
pub const TEST_TIMEOUT: Duration = Duration::from_secs(5);

/// A client builder pointed at `server` with its credentials and [`TEST_TIMEOUT`], without a
/// region, and with retries disabled: each test then sees exactly the wire exchange it sets up
/// (retries have their own tests in `tests/runtime.rs`).
pub fn builder_for(server: &Server) -> ClientBuilder {
    Client::builder()
        .credentials(Credentials::new(server.secret_id(), server.secret_key()))
        .endpoint(Endpoint::Url(server.url()))
        .attempt_timeout(TEST_TIMEOUT)
        .retry_policy(RetryPolicy::disabled())
}

/// A client of `server` with the region [`REGION`].
pub fn client_for(server: &Server) -> Client {
    builder_for(server)
        .region(REGION)
        .build()
        .expect("client configuration is valid")
}

/// How long one attempt of a test client of real code may take: enough for a cold start
/// (unpacking, starting an interpreter) on a loaded machine.
pub const CODE_TIMEOUT: Duration = Duration::from_secs(30);

/// A client of `server` with the region [`REGION`] and [`CODE_TIMEOUT`], for servers that run
/// functions' real code.
pub fn client_for_code(server: &Server) -> Client {
    builder_for(server)
        .region(REGION)
        .attempt_timeout(CODE_TIMEOUT)
        .build()
        .expect("client configuration is valid")
}

/// A client of `server` without a region.
pub fn client_without_region(server: &Server) -> Client {
    builder_for(server)
        .build()
        .expect("client configuration is valid")
}

/// Seconds since the unix epoch, now.
pub fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs()
}

/// The UTC calendar date `YYYY-MM-DD` of a unix timestamp, by walking the calendar (written
/// independently of both the client's and the server's date code).
pub fn utc_date(timestamp: u64) -> String {
    let mut days = timestamp / 86_400;
    let mut year = 1970u64;
    loop {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let year_len = if leap { 366 } else { 365 };
        if days < year_len {
            let february = if leap { 29 } else { 28 };
            let months = [31, february, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
            let mut month = 0;
            while days >= months[month] {
                days -= months[month];
                month += 1;
            }
            return format!("{year:04}-{:02}-{:02}", month + 1, days + 1);
        }
        days -= year_len;
        year += 1;
    }
}

/// The single request `server` recorded; panics when it recorded none or several.
#[track_caller]
pub fn only_request(server: &Server) -> RecordedRequest {
    let mut requests = server.requests();
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request on the wire, got {requests:#?}"
    );
    requests.remove(0)
}

/// How many times header `name` (case-insensitive) appears in `request`.
pub fn header_count(request: &RecordedRequest, name: &str) -> usize {
    request
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .count()
}

/// The recorded `X-TC-RequestId` of `request`; panics when the server sent none.
#[track_caller]
pub fn recorded_id(request: &RecordedRequest) -> String {
    request
        .request_id
        .clone()
        .expect("the server answered with an envelope and a request id")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_date_known_values() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(86_399), "1970-01-01");
        assert_eq!(utc_date(86_400), "1970-01-02");
        // 2000-02-29 00:00:00 UTC (a leap day of a year divisible by 400).
        assert_eq!(utc_date(951_782_400), "2000-02-29");
        assert_eq!(utc_date(951_782_400 - 1), "2000-02-28");
        // 2024-12-25 11:50:07 UTC.
        assert_eq!(utc_date(1_735_127_407), "2024-12-25");
        // 2023-12-31 23:59:59 UTC and the next second.
        assert_eq!(utc_date(1_704_067_199), "2023-12-31");
        assert_eq!(utc_date(1_704_067_200), "2024-01-01");
    }
}
