//! `service.json`.

use codegen::model::TimeZone;

use super::*;

#[test]
fn addressing() {
    let changes = diff(|s| s.service.version = "2025-01-01".into());
    let c = only(&changes, "service-changed");
    assert_eq!(c.message, "API version `2018-04-16` → `2025-01-01`");
    assert_eq!(c.location.to_string(), "service");
    let changes = diff(|s| s.service.endpoint_intl = "scf.example.com".into());
    only(&changes, "service-changed");
}

#[test]
fn limits() {
    let changes = diff(|s| s.service.max_body_bytes /= 2);
    only(&changes, "service-limit-changed");
    let changes = diff(|s| {
        s.service.time_zone = Some(TimeZone {
            text: "+00:00".into(),
            offset_secs: 0,
        });
    });
    let c = only(&changes, "service-limit-changed");
    assert_eq!(c.message, "time zone +08:00 → +00:00");
}

#[test]
fn texts() {
    let changes = diff(|s| {
        s.service.title.push_str(" (SCF)");
        s.service.docs.push_str(" Also.");
    });
    assert_eq!(
        only(&changes, "docs-changed").message,
        "service title and docs edited"
    );
}
