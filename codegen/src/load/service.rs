//! `service.json` and `errors.json`.

use super::*;

impl Cx {
    pub(super) fn service(&mut self, v: &Value) -> Option<Service> {
        let f = "service.json";
        let o = self.obj(f, "$", v, keys::SERVICE)?;
        let service = self.string(&o, "service", true).unwrap_or_default();
        let title = self.docs(&o, "title");
        let version = self.string(&o, "version", true).unwrap_or_default();
        let docs = self.docs(&o, "docs");
        let max_body_bytes = self.uint(&o, "maxBodyBytes", true).unwrap_or_default();
        let time_zone = self
            .string(&o, "timeZone", false)
            .and_then(|text| match parse_time_zone(&text) {
                Some(offset_secs) => Some(TimeZone { text, offset_secs }),
                None => {
                    self.push(
                        f,
                        "$.timeZone",
                        &format!("time zone `{text}` must be an offset from UTC written `+HH:MM` or `-HH:MM`, from -12:00 to +14:00"),
                    );
                    None
                }
            });
        let common_errors = self.strings(&o, "commonErrors", true);
        let (mut nearest, mut regional, mut intl) = Default::default();
        match o.map.get("endpoints") {
            Some(ev) => {
                if let Some(e) = self.obj(f, "$.endpoints", ev, keys::ENDPOINTS) {
                    nearest = self.string(&e, "nearest", true).unwrap_or_default();
                    regional = self.string(&e, "regional", true).unwrap_or_default();
                    intl = self.string(&e, "intl", true).unwrap_or_default();
                    if !regional.contains("{region}") {
                        self.push(f, "$.endpoints.regional", "must contain `{region}`");
                    }
                }
            }
            None => self.push(f, "$", "missing required key `endpoints`"),
        }
        if service.is_empty() || !service.bytes().all(|b| b.is_ascii_lowercase()) {
            self.push(
                f,
                "$.service",
                "service name must be non-empty lowercase ASCII",
            );
        }
        Some(Service {
            service,
            title,
            version,
            docs,
            endpoint_nearest: nearest,
            endpoint_regional: regional,
            endpoint_intl: intl,
            max_body_bytes,
            time_zone,
            common_errors,
        })
    }

    pub(super) fn errors(&mut self, v: &Value) -> Vec<ErrorDef> {
        let f = "errors.json";
        let Some(map) = v.as_object() else {
            self.push(
                f,
                "$",
                &format!("expected an object of error codes, found {}", kind(v)),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (code, ev) in map {
            let path = format!("$.{code}");
            if !names::is_error_code(code) {
                self.push(
                    f,
                    &path,
                    &format!("error code `{code}` must be dot-separated PascalCase segments"),
                );
            }
            let Some(o) = self.obj(f, &path, ev, keys::ERROR) else {
                continue;
            };
            let docs = self.docs(&o, "docs");
            let retry = match self.string(&o, "retry", false).as_deref() {
                None => Retry::Never,
                Some("always") => Retry::Always,
                Some("safeActionsOnly") => Retry::SafeActionsOnly,
                Some(other) => {
                    self.push(
                        f,
                        &format!("{path}.retry"),
                        &format!(
                            "unknown retry class `{other}` (expected `always` or `safeActionsOnly`)"
                        ),
                    );
                    Retry::Never
                }
            };
            out.push(ErrorDef {
                code: code.clone(),
                docs,
                retry,
            });
        }
        out.sort_by(|a, b| a.code.cmp(&b.code));
        out
    }
}
