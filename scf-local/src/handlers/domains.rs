//! Custom domains: create, get, list, update, delete.
//!
//! Domains are keyed by their lower-cased name in `Store::domains`. Each entry keeps the
//! `DomainInfo` members (`Domain`, `Protocol`, `EndpointsConfig` with defaults filled in,
//! `CertConfig`, `WafConfig`, `Tags`) plus `AddTime` and `ModTime` in milliseconds, which only
//! ListCustomDomains' ordering uses and no answer shows.
//!
//! Every route must point at an existing function and version or alias. Several actions
//! document few specific error codes, so some failures use the common codes: a duplicate domain
//! is `ResourceInUse`, and a missing domain, function or qualifier is `ResourceNotFound` except
//! for GetCustomDomain (`FailedOperation.Domain.UnExist`).

use serde_json::{Map, Value, json};

use super::{Answer, Route, invalid_value, paged};
use crate::context::Ctx;
use crate::error::{ApiError, codes};
use crate::state::{DEFAULT_NAMESPACE, LATEST, Millis, Store};

/// The actions this area answers, with their handlers.
pub(crate) const ROUTES: &[Route] = &[
    Route::sync("CreateCustomDomain", create),
    Route::sync("DeleteCustomDomain", delete),
    Route::sync("GetCustomDomain", get),
    Route::sync("ListCustomDomains", list),
    Route::sync("UpdateCustomDomain", update),
];

/// The protocols a domain may serve.
const PROTOCOLS: &[&str] = &["HTTP", "HTTPS", "HTTP&HTTPS"];
/// Internal members of a stored domain: creation and last change, in milliseconds.
const ADD_TIME: &str = "AddTime";
const MOD_TIME: &str = "ModTime";
/// The most filters ListCustomDomains takes.
const MAX_FILTERS: usize = 10;

/// Checks a domain name (no wildcards; letters, digits and `-` in dot-separated labels, not an
/// IP address) and returns its key: the name in lower case.
fn check_domain(domain: &str) -> Result<String, ApiError> {
    let key = domain.to_ascii_lowercase();
    if key.contains('*') {
        return Err(ApiError::new(
            "InvalidParameterValue.Domain",
            format!("Wildcard domains such as `{domain}` are not supported."),
        ));
    }
    let labels: Vec<&str> = key.split('.').collect();
    let valid = key.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|label| {
            (1..=63).contains(&label.len())
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| !tld.chars().all(|c| c.is_ascii_digit()));
    if valid {
        Ok(key)
    } else {
        Err(ApiError::new(
            "InvalidParameterValue.Domain",
            format!("`{domain}` is not a valid domain name."),
        ))
    }
}

/// The `Domain` member of a request whose spec leaves it optional, as a store key.
fn requested_domain(ctx: &Ctx<'_>) -> Result<String, ApiError> {
    ctx.str("Domain")
        .filter(|d| !d.is_empty())
        .map(str::to_ascii_lowercase)
        .ok_or_else(|| {
            ApiError::new(
                codes::MISSING_PARAMETER,
                "The parameter `Domain` is missing.",
            )
        })
}

/// Checks a `Protocol` value.
fn check_protocol(protocol: &str) -> Result<(), ApiError> {
    if PROTOCOLS.contains(&protocol) {
        Ok(())
    } else {
        Err(invalid_value(format!(
            "Protocol must be HTTP, HTTPS or HTTP&HTTPS, got `{protocol}`."
        )))
    }
}

/// Whether a `CertConfig` names a certificate.
fn has_certificate(cert: Option<&Value>) -> bool {
    cert.and_then(|c| c.get("CertificateId"))
        .and_then(Value::as_str)
        .is_some_and(|id| !id.is_empty())
}

/// Checks a `WafConfig`: `WafOpen` is `OPEN` or `CLOSE`, and `OPEN` needs a `WafInstanceId`.
fn check_waf(waf: &Value) -> Result<(), ApiError> {
    let field = |name: &str| waf.get(name).and_then(Value::as_str).unwrap_or("");
    match field("WafOpen") {
        "" | "CLOSE" => Ok(()),
        "OPEN" if !field("WafInstanceId").is_empty() => Ok(()),
        "OPEN" => Err(invalid_value(
            "WafConfig.WafInstanceId is required when WafOpen is OPEN.",
        )),
        other => Err(invalid_value(format!(
            "WafConfig.WafOpen must be OPEN or CLOSE, got `{other}`."
        ))),
    }
}

/// Whether `path` has one of the documented forms `/`, `/*`, `/xxx`, `/xxx/a`, `/xxx/*`: it
/// starts with `/`, has no whitespace, and `*` only as its whole last segment.
fn valid_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.chars().any(char::is_whitespace)
        && (!path.contains('*') || (path.ends_with("/*") && path.matches('*').count() == 1))
}

/// Checks the routes of a domain against the functions in `store`; returns them with defaults
/// filled in (`Namespace` `default`, `Qualifier` `$LATEST`, `PathMatch` `/`, no rewrites).
fn check_endpoints(store: &Store, endpoints: &[Value]) -> Result<Vec<Value>, ApiError> {
    if endpoints.is_empty() {
        return Err(invalid_value(
            "EndpointsConfig must hold at least one route.",
        ));
    }
    let mut out: Vec<Value> = Vec::with_capacity(endpoints.len());
    for (index, endpoint) in endpoints.iter().enumerate() {
        let field = |name: &str| {
            endpoint
                .get(name)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
        };
        let namespace = field("Namespace").unwrap_or(DEFAULT_NAMESPACE);
        let qualifier = field("Qualifier").unwrap_or(LATEST);
        let path_match = field("PathMatch").unwrap_or("/");
        let Some(name) = field("FunctionName") else {
            return Err(invalid_value(format!(
                "EndpointsConfig.{index}.FunctionName is required."
            )));
        };
        let function = store.function(namespace, name).map_err(|missing| {
            ApiError::new("ResourceNotFound", ApiError::from(missing).message)
        })?;
        if !function.has_qualifier(qualifier) {
            return Err(ApiError::new(
                "ResourceNotFound",
                format!("The function `{name}` has no version or alias `{qualifier}`."),
            ));
        }
        if !valid_path(path_match) {
            return Err(invalid_value(format!(
                "EndpointsConfig.{index}.PathMatch `{path_match}` must have one of the forms \
                 /, /*, /xxx, /xxx/a or /xxx/*."
            )));
        }
        if out.iter().any(|e| e["PathMatch"] == path_match) {
            return Err(invalid_value(format!(
                "Two routes match the path `{path_match}`."
            )));
        }
        let mut rewrites = Vec::new();
        for (i, rule) in endpoint
            .get("PathRewrite")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let member = |name: &str| rule.get(name).and_then(Value::as_str).unwrap_or("");
            let (path, kind, rewrite) = (member("Path"), member("Type"), member("Rewrite"));
            let at = format!("EndpointsConfig.{index}.PathRewrite.{i}");
            if !valid_path(path) {
                return Err(invalid_value(format!(
                    "{at}.Path `{path}` must have one of the forms /, /*, /xxx, /xxx/a or /xxx/*."
                )));
            }
            if !matches!(kind, "WildcardRules" | "ExactRules") {
                return Err(invalid_value(format!(
                    "{at}.Type must be WildcardRules or ExactRules, got `{kind}`."
                )));
            }
            if !rewrite.starts_with('/') {
                return Err(invalid_value(format!(
                    "{at}.Rewrite `{rewrite}` must start with `/`."
                )));
            }
            rewrites.push(json!({ "Path": path, "Type": kind, "Rewrite": rewrite }));
        }
        out.push(json!({
            "Namespace": namespace,
            "FunctionName": name,
            "Qualifier": qualifier,
            "PathMatch": path_match,
            "PathRewrite": rewrites,
        }));
    }
    Ok(out)
}

/// The `EndpointsConfig` list of the request, if given.
fn requested_endpoints<'c>(ctx: &'c Ctx<'_>) -> Option<&'c [Value]> {
    ctx.params
        .get("EndpointsConfig")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
}

/// A stored domain as the `DomainInfo` type (and GetCustomDomain) shows it.
fn info(stored: &Map<String, Value>) -> Map<String, Value> {
    let member = |name: &str, default: Value| stored.get(name).cloned().unwrap_or(default);
    let mut out = Map::new();
    for (key, value) in [
        ("Domain", member("Domain", json!(""))),
        ("Protocol", member("Protocol", json!("HTTP"))),
        ("EndpointsConfig", member("EndpointsConfig", json!([]))),
        (
            "CertConfig",
            member("CertConfig", json!({ "CertificateId": "" })),
        ),
        (
            "WafConfig",
            member(
                "WafConfig",
                json!({ "WafOpen": "CLOSE", "WafInstanceId": "" }),
            ),
        ),
        ("Tags", member("Tags", json!([]))),
    ] {
        out.insert(key.to_owned(), value);
    }
    out
}

/// A time member of a stored domain.
fn time(stored: &Map<String, Value>, member: &str) -> Millis {
    stored
        .get(member)
        .and_then(Value::as_i64)
        .unwrap_or_default()
}

fn create(ctx: &Ctx<'_>) -> Answer {
    let domain = ctx.required("Domain");
    let key = check_domain(domain)?;
    let protocol = ctx.required("Protocol");
    check_protocol(protocol)?;
    let cert = ctx.params.get("CertConfig");
    if protocol.contains("HTTPS") && !has_certificate(cert) {
        return Err(invalid_value(format!(
            "The domain `{domain}` serves HTTPS, so CertConfig.CertificateId is required."
        )));
    }
    if let Some(waf) = ctx.params.get("WafConfig") {
        check_waf(waf)?;
    }
    let mut store = ctx.store();
    if store.domains.contains_key(&key) {
        return Err(ApiError::new(
            "ResourceInUse",
            format!("The custom domain `{key}` already exists."),
        ));
    }
    let endpoints = check_endpoints(&store, requested_endpoints(ctx).unwrap_or_default())?;
    let mut stored = Map::new();
    stored.insert("Domain".into(), json!(key));
    stored.insert("Protocol".into(), json!(protocol));
    stored.insert("EndpointsConfig".into(), Value::Array(endpoints));
    for member in ["CertConfig", "WafConfig", "Tags"] {
        if let Some(value) = ctx.params.get(member) {
            stored.insert(member.into(), value.clone());
        }
    }
    stored.insert(ADD_TIME.into(), json!(ctx.now));
    stored.insert(MOD_TIME.into(), json!(ctx.now));
    store.domains.insert(key, stored);
    Ok(Map::new())
}

fn get(ctx: &Ctx<'_>) -> Answer {
    let key = requested_domain(ctx)?;
    let store = ctx.store();
    let stored = store.domains.get(&key).ok_or_else(|| {
        ApiError::new(
            "FailedOperation.Domain.UnExist",
            format!("The custom domain `{key}` does not exist."),
        )
    })?;
    Ok(info(stored))
}

/// `ResourceNotFound` for the custom domain `key`.
fn not_found(key: &str) -> ApiError {
    ApiError::new(
        "ResourceNotFound",
        format!("The custom domain `{key}` does not exist."),
    )
}

fn update(ctx: &Ctx<'_>) -> Answer {
    let key = ctx.required("Domain").to_ascii_lowercase();
    if let Some(protocol) = ctx.str("Protocol") {
        check_protocol(protocol)?;
    }
    if let Some(waf) = ctx.params.get("WafConfig") {
        check_waf(waf)?;
    }
    let mut store = ctx.store();
    let stored = store.domains.get(&key).ok_or_else(|| not_found(&key))?;
    let protocol = ctx
        .str("Protocol")
        .or_else(|| stored.get("Protocol").and_then(Value::as_str))
        .unwrap_or("HTTP")
        .to_owned();
    let cert = ctx
        .params
        .get("CertConfig")
        .or_else(|| stored.get("CertConfig"));
    if protocol.contains("HTTPS") && !has_certificate(cert) {
        return Err(ApiError::new(
            "FailedOperation.Ssl",
            format!(
                "The domain `{key}` would serve HTTPS without a certificate; set CertConfig.CertificateId."
            ),
        ));
    }
    let endpoints = match requested_endpoints(ctx) {
        Some(endpoints) => Some(check_endpoints(&store, endpoints)?),
        None => None,
    };
    let stored = store.domains.get_mut(&key).ok_or_else(|| not_found(&key))?;
    stored.insert("Protocol".into(), json!(protocol));
    if let Some(endpoints) = endpoints {
        stored.insert("EndpointsConfig".into(), Value::Array(endpoints));
    }
    for member in ["CertConfig", "WafConfig"] {
        if let Some(value) = ctx.params.get(member) {
            stored.insert(member.into(), value.clone());
        }
    }
    stored.insert(MOD_TIME.into(), json!(ctx.now));
    Ok(Map::new())
}

fn delete(ctx: &Ctx<'_>) -> Answer {
    let key = requested_domain(ctx)?;
    let mut store = ctx.store();
    store.domains.remove(&key).ok_or_else(|| not_found(&key))?;
    Ok(Map::new())
}

/// Whether a stored domain passes one filter (any of `values`), or an error for an
/// unsupported filter name.
fn passes(stored: &Map<String, Value>, name: &str, values: &[&str]) -> Result<bool, ApiError> {
    let text = |member: &str| stored.get(member).and_then(Value::as_str).unwrap_or("");
    let endpoint_has = |member: &str| {
        stored
            .get("EndpointsConfig")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|e| {
                let value = e.get(member).and_then(Value::as_str).unwrap_or("");
                values.contains(&value)
            })
    };
    Ok(match name {
        "Domain" => values
            .iter()
            .any(|v| text("Domain").contains(&v.to_ascii_lowercase())),
        "Protocol" => values.contains(&text("Protocol")),
        "Namespace" | "FunctionName" | "Qualifier" => endpoint_has(name),
        other => {
            return Err(invalid_value(format!(
                "Filters.Name `{other}` is not supported; use Domain, Protocol, Namespace, \
                 FunctionName or Qualifier."
            )));
        }
    })
}

fn list(ctx: &Ctx<'_>) -> Answer {
    let offset = ctx
        .params
        .get("Offset")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    let limit = ctx
        .params
        .get("Limit")
        .and_then(Value::as_u64)
        .unwrap_or(20);
    if limit > 100 {
        return Err(ApiError::new(
            "InvalidParameterValue.Limit",
            format!("Limit must be at most 100, got {limit}."),
        ));
    }
    let order_by = ctx.str("OrderBy").unwrap_or("AddTime");
    let time_member = match order_by {
        "AddTime" => ADD_TIME,
        "ModTime" => MOD_TIME,
        other => {
            return Err(invalid_value(format!(
                "OrderBy must be AddTime or ModTime, got `{other}`."
            )));
        }
    };
    let descending = ctx.descending(true)?;
    let filters = ctx.filters();
    if filters.len() > MAX_FILTERS {
        return Err(invalid_value(format!(
            "At most {MAX_FILTERS} filters are allowed, got {}.",
            filters.len()
        )));
    }
    let store = ctx.store();
    let mut domains = Vec::new();
    for stored in store.domains.values() {
        let mut keep = true;
        for (name, values) in &filters {
            keep &= passes(stored, name, values)?;
        }
        if keep {
            domains.push(stored);
        }
    }
    domains.sort_by_key(|d| {
        (
            time(d, time_member),
            d.get("Domain").and_then(Value::as_str),
        )
    });
    if descending {
        domains.reverse();
    }
    let page = (
        usize::try_from(offset).unwrap_or(usize::MAX),
        usize::try_from(limit).unwrap_or(usize::MAX),
    );
    let (page, total) = paged(domains, page);
    let mut out = Map::new();
    out.insert("Total".into(), json!(total));
    out.insert(
        "Domains".into(),
        page.into_iter().map(|d| Value::Object(info(d))).collect(),
    );
    Ok(out)
}

#[cfg(test)]
mod tests;
