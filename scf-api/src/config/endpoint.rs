//! Where requests go: the public [`Endpoint`] and the base URL it resolves to.

use reqwest::header::HeaderValue;

use super::ConfigError;
use crate::generated as spec;

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

/// The endpoint, resolved at build time as far as it can be: the one representation of where
/// requests go that the client keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Base {
    /// A fixed scheme and authority.
    Fixed(Fixed),
    /// `https://<prefix><region><suffix>/`, per call ([`Endpoint::Regional`]).
    Regional,
}

/// A fixed base URL, the endpoint it came from, and its `Host` header value (validated once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fixed {
    /// The endpoint as configured, for [`Client::endpoint`](crate::Client::endpoint).
    endpoint: Endpoint,
    /// `scheme://host[:port]/`.
    url: String,
    /// Where the authority starts in `url`.
    host_start: usize,
    /// `Host`, built once: every request shares its bytes.
    host: HeaderValue,
}

impl Fixed {
    fn new(endpoint: Endpoint, scheme: &str, host: &str) -> Result<Fixed, ConfigError> {
        let header = HeaderValue::from_str(host)
            .ok()
            .filter(|h| h.to_str().is_ok())
            .ok_or_else(|| {
                ConfigError::InvalidEndpoint(format!("{host:?} is not a valid Host header"))
            })?;
        Ok(Fixed {
            endpoint,
            url: format!("{scheme}://{host}/"),
            host_start: scheme.len() + 3,
            host: header,
        })
    }

    /// The base URL requests are posted to.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// The authority (`host[:port]`), as signed.
    pub(crate) fn host(&self) -> &str {
        &self.url[self.host_start..self.url.len() - 1]
    }

    /// The authority as a header value.
    pub(crate) fn host_header(&self) -> &HeaderValue {
        &self.host
    }
}

impl Base {
    /// Resolves `endpoint`; fails on a URL that is not a valid base URL.
    pub(crate) fn resolve(endpoint: Endpoint) -> Result<Base, ConfigError> {
        let fixed = match &endpoint {
            Endpoint::Regional => return Ok(Base::Regional),
            Endpoint::Nearest => Fixed::new(endpoint, "https", spec::ENDPOINT_NEAREST)?,
            Endpoint::Intl => Fixed::new(endpoint, "https", spec::ENDPOINT_INTL)?,
            Endpoint::Url(url) => {
                let (scheme, host) = parse_base(url)?;
                Fixed::new(endpoint, &scheme, &host)?
            }
        };
        Ok(Base::Fixed(fixed))
    }

    /// The endpoint this was resolved from.
    pub(crate) fn endpoint(&self) -> &Endpoint {
        static REGIONAL: Endpoint = Endpoint::Regional;
        match self {
            Base::Fixed(fixed) => &fixed.endpoint,
            Base::Regional => &REGIONAL,
        }
    }
}

/// The scheme and authority of an endpoint URL.
fn parse_base(url: &str) -> Result<(String, String), ConfigError> {
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
    Ok((parsed.scheme().to_owned(), host))
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

    fn fixed(endpoint: &str) -> Fixed {
        match Base::resolve(Endpoint::Url(endpoint.into())).unwrap() {
            Base::Fixed(fixed) => fixed,
            Base::Regional => panic!("regional"),
        }
    }

    #[test]
    fn endpoint_urls() {
        let local = fixed("http://127.0.0.1:9000");
        assert_eq!(local.url(), "http://127.0.0.1:9000/");
        assert_eq!(local.host(), "127.0.0.1:9000");
        assert_eq!(local.host_header(), "127.0.0.1:9000");
        assert_eq!(
            local.endpoint,
            Endpoint::Url("http://127.0.0.1:9000".into())
        );
        let bare = fixed("scf.ap-guangzhou.tencentcloudapi.com");
        assert_eq!(bare.url(), "https://scf.ap-guangzhou.tencentcloudapi.com/");
        assert_eq!(bare.host(), "scf.ap-guangzhou.tencentcloudapi.com");
        let Base::Fixed(nearest) = Base::resolve(Endpoint::Nearest).unwrap() else {
            panic!("nearest is fixed")
        };
        assert_eq!(nearest.host(), spec::ENDPOINT_NEAREST);
        assert_eq!(nearest.endpoint, Endpoint::Nearest);
        let regional = Base::resolve(Endpoint::Regional).unwrap();
        assert_eq!(regional, Base::Regional);
        assert_eq!(regional.endpoint(), &Endpoint::Regional);
        for bad in [
            "ftp://x",
            "http://x/path",
            "http://x/?q=1",
            "http://",
            "http://user:pw@x",
        ] {
            let err = Base::resolve(Endpoint::Url(bad.into())).unwrap_err();
            assert!(matches!(err, ConfigError::InvalidEndpoint(_)), "{bad}");
            assert!(!err.to_string().contains("pw@"), "{err}");
        }
    }
}
