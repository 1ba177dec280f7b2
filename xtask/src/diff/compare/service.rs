//! `service.json`: how every call is addressed and signed, the service's limits, its texts.
//! (The common error codes are compared in `errors.rs`.)

use codegen::model::Service;

use super::super::change::{Change, Location};
use super::super::rules;
use super::{Ctx, or};

/// Reads one text of the service.
type Field = fn(&Service) -> &String;

pub(super) fn compare(ctx: &Ctx<'_>, out: &mut Vec<Change>) {
    let (o, n) = (&ctx.old.service, &ctx.new.service);
    let addressing: [(&str, Field); 5] = [
        ("service name", |s| &s.service),
        ("API version", |s| &s.version),
        ("nearest endpoint", |s| &s.endpoint_nearest),
        ("regional endpoint", |s| &s.endpoint_regional),
        ("international endpoint", |s| &s.endpoint_intl),
    ];
    for (what, get) in addressing {
        if get(o) != get(n) {
            let message = format!("{what} `{}` → `{}`", get(o), get(n));
            out.push(Change::new(
                &rules::SERVICE_CHANGED,
                Location::default(),
                message,
            ));
        }
    }
    if o.max_body_bytes != n.max_body_bytes {
        let message = format!(
            "largest request body {} → {} bytes",
            o.max_body_bytes, n.max_body_bytes
        );
        out.push(Change::new(
            &rules::SERVICE_LIMIT_CHANGED,
            Location::default(),
            message,
        ));
    }
    if o.time_zone != n.time_zone {
        let zone = |s: &Service| or(s.time_zone.as_ref().map(|z| &z.text), "not stated");
        let message = format!("time zone {} → {}", zone(o), zone(n));
        out.push(Change::new(
            &rules::SERVICE_LIMIT_CHANGED,
            Location::default(),
            message,
        ));
    }
    let mut texts = Vec::new();
    if o.title != n.title {
        texts.push("title");
    }
    if o.docs != n.docs {
        texts.push("docs");
    }
    if !texts.is_empty() {
        let message = format!("service {} edited", texts.join(" and "));
        out.push(Change::new(
            &rules::DOCS_CHANGED,
            Location::default(),
            message,
        ));
    }
}
