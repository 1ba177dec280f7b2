//! No secret and no long payload in `Debug`: the generated test fills every sensitive member
//! (`"sensitive": true` in the spec) and every member printed as its length (`"debug":
//! "length"`) of every shared type, request, response and builder with a marker, and checks
//! that `Debug` shows none. The hand-written tests below check what redaction must not change.

#[path = "generated/redaction.rs"]
#[rustfmt::skip]
mod generated;

use scf_api::types::{Code, Variable};
use scf_api_tests::redaction::{PAYLOAD_BYTES, payload, secret};

#[test]
fn redaction_is_only_for_display_the_wire_keeps_every_value() {
    let code = Code {
        zip_file: Some(payload()),
        git_password: Some(secret("Code.GitPassword")),
        ..Code::default()
    };
    let json = serde_json::to_string(&code).unwrap();
    assert!(json.contains(&secret("Code.GitPassword")));
    assert!(json.contains(&payload()));
    let back: Code = serde_json::from_str(&json).unwrap();
    assert_eq!(back, code);
}

#[test]
fn debug_keeps_ordinary_members_and_tells_absent_payloads() {
    let variable = Variable {
        key: Some("DB_HOST".into()),
        value: Some(secret("Variable.Value")),
    };
    let shown = format!("{variable:?}");
    assert!(shown.contains("DB_HOST"), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");

    let code = Code {
        cos_bucket_name: Some("bucket".into()),
        ..Code::default()
    };
    let shown = format!("{code:?}");
    assert!(shown.contains("\"bucket\""), "{shown}");
    assert!(shown.contains("zip_file: None"), "{shown}");
    let code = Code {
        zip_file: Some(payload()),
        ..Code::default()
    };
    let shown = format!("{code:?}");
    assert!(
        shown.contains(&format!("zip_file: Some(<{PAYLOAD_BYTES} bytes>)")),
        "{shown}"
    );
}
