//! Endpoint and origin rules: parsing the endpoint, joining it with the base path, checking host
//! parameters, resolving links the service sends, and which URLs count as the endpoint's origin.

use reqwest::Url;

use crate::redact::redact;
use crate::{Error, ErrorKind, Result};

/// Parses an endpoint (`https://host[:port][/prefix]`; a bare host means https).
pub(crate) fn parse_endpoint(text: &str) -> Result<Url> {
    let text = text.trim();
    let with_scheme = if text.contains("://") { text.to_string() } else { format!("https://{text}") };
    let invalid = |why: String| Error::not_built(format!("invalid endpoint \"{}\": {why}", redact(&with_scheme)));
    let url = Url::parse(&with_scheme).map_err(|e| invalid(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(invalid("expected http(s)://host[:port]".into()));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("no query or fragment allowed".into()));
    }
    Ok(url)
}

/// Checks a host parameter (`{subdomain}` of `https://{subdomain}.azureiotcentral.com`) before it
/// becomes part of the endpoint: one or more DNS labels (letters, digits, `-`, `.`), so a value like
/// `evil.example/` or `user@host` cannot move requests, and the credential, to another host.
#[doc(hidden)]
pub fn host_param<'a>(name: &str, value: &'a str) -> Result<&'a str> {
    if dns_labels(value) {
        Ok(value)
    } else {
        Err(invalid_host_param(name, value, "DNS labels (letters, digits, '-', '.')"))
    }
}

/// Like [`host_param`], for the last part of a host, which may end in a port (`localhost:3000`,
/// `azureiotcentral.com`).
#[doc(hidden)]
pub fn host_param_port<'a>(name: &str, value: &'a str) -> Result<&'a str> {
    let (host, port) = match value.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (value, None),
    };
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    // A port alone (`:3000`, after a parameter that ends the host name) is fine too.
    if port_ok && (dns_labels(host) || (host.is_empty() && port.is_some())) {
        Ok(value)
    } else {
        Err(invalid_host_param(name, value, "DNS labels (letters, digits, '-', '.'), optionally with ':port'"))
    }
}

/// A part of an endpoint whose template brings its own scheme (`{vaultBaseUrl}`, `useSchemePrefix:
/// false`): any text without whitespace or control characters; the endpoint it makes is then
/// parsed and must be an http(s) URL with a host.
#[doc(hidden)]
pub fn host_url_part<'a>(name: &str, value: &'a str) -> Result<&'a str> {
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Err(invalid_host_param(name, value, "URL text without spaces or control characters"))
    } else {
        Ok(value)
    }
}

fn dns_labels(value: &str) -> bool {
    !value.is_empty()
        && value.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

fn invalid_host_param(name: &str, value: &str, expected: &str) -> Error {
    Error::not_built(format!("invalid host parameter {name} = \"{}\": expected {expected}", redact(value)))
}

/// `endpoint` + `base_path` with exactly one `/` between them and none at the end.
pub(crate) fn join_base(endpoint: &Url, base_path: &str) -> String {
    let mut base = endpoint.as_str().trim_end_matches('/').to_string();
    let path = base_path.trim_matches('/');
    if !path.is_empty() {
        base.push('/');
        base.push_str(path);
    }
    base
}

/// Resolves `link` (absolute, or relative to `base`); only http(s) URLs are followed.
pub(crate) fn resolve_against(base: &Url, link: &str) -> Result<Url> {
    let url = base
        .join(link.trim())
        .map_err(|e| Error::new(ErrorKind::Decode, format!("the service sent an invalid link: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::new(ErrorKind::Decode, format!("the service sent a non-HTTP link ({})", url.scheme())));
    }
    Ok(url)
}

/// Same scheme, host and port: the only URLs that get `Authorization`.
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme() && a.host_str() == b.host_str() && a.port_or_known_default() == b.port_or_known_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(endpoint: &str, base_path: &str) -> String {
        join_base(&parse_endpoint(endpoint).unwrap(), base_path)
    }

    #[test]
    fn endpoint_and_base_path_are_joined_with_one_slash() {
        assert_eq!(joined("https://app.azureiotcentral.com", "/api"), "https://app.azureiotcentral.com/api");
        assert_eq!(joined("https://app.azureiotcentral.com/", "api/"), "https://app.azureiotcentral.com/api");
        assert_eq!(joined("app.azureiotcentral.com", ""), "https://app.azureiotcentral.com");
        assert_eq!(joined("http://127.0.0.1:3000/prefix/", "/api"), "http://127.0.0.1:3000/prefix/api");
    }

    #[test]
    fn invalid_endpoints_are_not_built_errors() {
        for endpoint in ["", "ftp://x", "http://", "https://x?y=1", "https://exa mple.com"] {
            let err = parse_endpoint(endpoint).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::NotBuilt, "{endpoint:?}");
        }
        let err = parse_endpoint("https://user:hunter2@h.example/?sig=abc").unwrap_err();
        assert!(!err.to_string().contains("hunter2") && !err.to_string().contains("abc"), "{err}");
        let long = parse_endpoint(&format!("https://h.example/{}?x", "a".repeat(1_000_000))).unwrap_err();
        assert!(long.to_string().len() < 400, "{}", long.to_string().len());
    }

    #[test]
    fn host_parameters_must_be_dns_labels() {
        assert_eq!(host_param("subdomain", "myapp").unwrap(), "myapp");
        assert_eq!(host_param("subdomain", "my-app.eu").unwrap(), "my-app.eu");
        for bad in ["", "evil.example/", "user@host", "a..b", "-x", "x:80", "a b", "a/b?c"] {
            let err = host_param("subdomain", bad).unwrap_err();
            assert!(!err.was_sent(), "{bad:?}");
            assert!(err.to_string().contains("subdomain"), "{err}");
        }
    }

    #[test]
    fn the_last_host_part_may_carry_a_port() {
        for good in ["localhost:3000", "host", "azureiotcentral.com", ":3000", "a.b:1"] {
            assert_eq!(host_param_port("host", good).unwrap(), good);
        }
        for bad in ["", "x:", "x:port", "x:123456", "evil.example/:80", "user@h:1", ":"] {
            let err = host_param_port("host", bad).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::NotBuilt, "{bad:?}");
        }
    }

    #[test]
    fn url_parts_are_checked_as_a_whole_endpoint() {
        assert_eq!(host_url_part("vault", "https://myvault").unwrap(), "https://myvault");
        for bad in ["a b", "a\nb", "\u{7f}"] {
            assert_eq!(host_url_part("vault", bad).unwrap_err().kind(), ErrorKind::NotBuilt, "{bad:?}");
        }
        // The endpoint the parts make is then parsed: a whole URL passes, a hostless one does not.
        assert!(parse_endpoint("https://myvault.vault.azure.net").is_ok());
        assert!(parse_endpoint("https://").is_err());
    }

    #[test]
    fn links_resolve_against_a_base_and_only_http_is_followed() {
        let base = Url::parse("https://h.example/api/").unwrap();
        let resolve = |link: &str| resolve_against(&base, link).map(|u| u.to_string());
        assert_eq!(resolve("https://other.example/x?a=1").unwrap(), "https://other.example/x?a=1");
        assert_eq!(resolve("/api/devices?skip=2").unwrap(), "https://h.example/api/devices?skip=2");
        assert_eq!(resolve(" devices?skip=2 ").unwrap(), "https://h.example/api/devices?skip=2");
        assert_eq!(resolve("file:///etc/passwd").unwrap_err().kind(), ErrorKind::Decode);
    }

    #[test]
    fn same_origin_compares_scheme_host_and_port() {
        let base = Url::parse("https://h.example/api").unwrap();
        let same = |s: &str| same_origin(&base, &Url::parse(s).unwrap());
        assert!(same("https://h.example:443/other"));
        assert!(same("https://H.EXAMPLE/x"));
        assert!(!same("http://h.example/api"));
        assert!(!same("https://h.example:8443/api"));
        assert!(!same("https://h.example.evil.com/api"));
    }
}
