//! Where requests go: the public [`Endpoint`] and the base URL it resolves to.

use super::ConfigError;

/// Where requests go.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Endpoint {
    /// `scf.tencentcloudapi.com`, routed to the nearest region (the default).
    Nearest,
    /// `scf.<region>.tencentcloudapi.com` for the configured (or per-call) region: the lowest
    /// latency, and the only way to reach isolated (finance) regions.
    Regional,
    /// `scf.intl.tencentcloudapi.com`, the international site.
    Intl,
    /// Any base URL, e.g. `http://127.0.0.1:9000` for a local server. `http` is allowed; a value
    /// without a scheme is taken as an `https` host.
    Url(String),
}

/// The endpoint, resolved at build time as far as it can be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Base {
    /// Fixed scheme and authority.
    Fixed { url: String, host: String },
    /// `https://<prefix><region><suffix>/`, per call.
    Regional,
}

pub(super) fn fixed(scheme: &str, host: &str) -> Base {
    Base::Fixed {
        url: format!("{scheme}://{host}/"),
        host: host.to_owned(),
    }
}

pub(super) fn parse_base(url: &str) -> Result<Base, ConfigError> {
    let with_scheme;
    let url = if url.contains("://") {
        url
    } else {
        with_scheme = format!("https://{url}");
        &with_scheme
    };
    let shown = redact_url(url);
    let parsed = reqwest::Url::parse(url)
        .map_err(|e| ConfigError::InvalidEndpoint(format!("{shown}: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(ConfigError::InvalidEndpoint(format!(
            "{shown}: scheme must be http or https"
        )));
    }
    let Some(host) = parsed.host_str() else {
        return Err(ConfigError::InvalidEndpoint(format!("{shown}: no host")));
    };
    if parsed.path() != "/" || parsed.query().is_some() {
        return Err(ConfigError::InvalidEndpoint(format!(
            "{shown}: must not have a path or query"
        )));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(ConfigError::InvalidEndpoint(format!(
            "{shown}: must not hold a user or password"
        )));
    }
    let host = match parsed.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    Ok(Base::Fixed {
        url: format!("{}://{host}/", parsed.scheme()),
        host,
    })
}

/// `url` with any password replaced, for messages and `Debug`.
pub(super) fn redact_url(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("<redacted>"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_urls() {
        assert_eq!(
            parse_base("http://127.0.0.1:9000").unwrap(),
            Base::Fixed {
                url: "http://127.0.0.1:9000/".into(),
                host: "127.0.0.1:9000".into()
            }
        );
        assert_eq!(
            parse_base("scf.ap-guangzhou.tencentcloudapi.com").unwrap(),
            Base::Fixed {
                url: "https://scf.ap-guangzhou.tencentcloudapi.com/".into(),
                host: "scf.ap-guangzhou.tencentcloudapi.com".into()
            }
        );
        for bad in [
            "ftp://x",
            "http://x/path",
            "http://x/?q=1",
            "http://",
            "http://user:pw@x",
        ] {
            let err = parse_base(bad).unwrap_err();
            assert!(matches!(err, ConfigError::InvalidEndpoint(_)), "{bad}");
            assert!(!err.to_string().contains("pw@"), "{err}");
        }
    }
}
