//! Checks behind the generated redaction test (`tests/tests/generated/redaction.rs`): every
//! shared type, request, response and builder that reaches a sensitive or length-printed member
//! is built with marker values there, and its `Debug` must show none of them.

use std::fmt::Debug;

use scf_api::{Client, Credentials};

/// Prefix of every marker value; `Debug` output must never contain it.
pub const MARKER: &str = "-MARKER-";

/// Size of the payload put in members printed as their length: 1 MiB.
pub const PAYLOAD_BYTES: usize = 1 << 20;

/// Longest acceptable `Debug` output of a marked value (which holds 1 MiB payloads).
pub const MAX_DEBUG_BYTES: usize = 16 * 1024;

/// The value put in the sensitive member `label` (`Type.Member`).
pub fn secret(label: &str) -> String {
    format!("SECRET{MARKER}{label}")
}

/// The value put in members printed as their length: [`PAYLOAD_BYTES`] bytes starting with a
/// marker.
pub fn payload() -> String {
    let mut s = format!("PAYLOAD{MARKER}");
    s.extend(std::iter::repeat_n('x', PAYLOAD_BYTES - s.len()));
    s
}

/// A client for building requests; it never sends anything.
pub fn test_client() -> Client {
    Client::builder()
        .credentials(Credentials::new("AKIDredaction", "redaction-key"))
        .build()
        .expect("client configuration is valid")
}

/// Asserts that `value`'s `Debug` (plain and pretty) shows no marker, says `<redacted>` at least
/// `redacted` times, names the payload's length exactly `lengths` times, and stays short.
#[track_caller]
pub fn check_debug(label: &str, value: &dyn Debug, redacted: usize, lengths: usize) {
    let length = format!("<{PAYLOAD_BYTES} bytes>");
    for shown in [format!("{value:?}"), format!("{value:#?}")] {
        assert!(
            !shown.contains(MARKER),
            "{label}: Debug shows a marked value:\n{}",
            excerpt(&shown)
        );
        assert!(
            shown.len() <= MAX_DEBUG_BYTES,
            "{label}: Debug is {} bytes long:\n{}",
            shown.len(),
            excerpt(&shown)
        );
        let seen = shown.matches("<redacted>").count();
        assert!(
            seen >= redacted,
            "{label}: {seen} `<redacted>`, expected at least {redacted}:\n{shown}"
        );
        assert_eq!(
            shown.matches(&length).count(),
            lengths,
            "{label}: expected {lengths} `{length}`:\n{shown}"
        );
    }
}

/// Up to 200 characters either side of the first marker (or of the start), for failure
/// messages.
fn excerpt(shown: &str) -> String {
    let at = shown.find(MARKER).unwrap_or(0);
    let mut before: Vec<char> = shown[..at].chars().rev().take(200).collect();
    before.reverse();
    let after: String = shown[at..].chars().take(200).collect();
    format!("…{}{after}…", before.into_iter().collect::<String>())
}
