//! Redaction: the one function ([`redact`]) through which every URL, path or caller-supplied value
//! passes before it appears in an error message, a `Debug` output or a tracing event.
//!
//! The rule: userinfo (`user:password@`) becomes `<redacted>@`; every query value becomes
//! `<redacted>` except those of [`KEPT_QUERY`] (`api-version`, never a secret and useful when
//! reading a log), names are kept; a fragment is dropped; the result is cut at [`MAX_SHOWN`]
//! characters (`…` marks the cut). So a SAS `sig=` or a token in a next link never reaches a log,
//! and a megabyte of path parameter never becomes a megabyte of message.

/// What replaces a secret.
pub(crate) const REDACTED: &str = "<redacted>";

/// Query parameters whose values are shown.
const KEPT_QUERY: &[&str] = &["api-version"];

/// The longest redacted text, in characters, before the `…` that marks a cut.
pub(crate) const MAX_SHOWN: usize = 256;

/// Shows its text [`redact`]ed, redacting only when formatted (a span field nobody records costs nothing).
pub(crate) struct Redacted<'a>(pub(crate) &'a str);

impl std::fmt::Display for Redacted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&redact(self.0))
    }
}

/// `text` (an absolute URL, a path with or without query, or a bare `userinfo@host`) as it may be shown.
pub(crate) fn redact(text: &str) -> String {
    // Nothing past the limit is shown, so nothing far past it is looked at; a query cut here is
    // still redacted, as its values come after their names.
    let looked_at = cut_at_boundary(text, MAX_SHOWN * 4);
    let without_fragment = looked_at.split('#').next().unwrap_or_default();
    let (before_query, query) = match without_fragment.split_once('?') {
        Some((before, query)) => (before, Some(query)),
        None => (without_fragment, None),
    };
    let mut out = String::with_capacity(without_fragment.len().min(MAX_SHOWN) + 16);
    redact_userinfo(before_query, &mut out);
    if let Some(query) = query {
        out.push('?');
        for (i, pair) in query.split('&').enumerate() {
            if i > 0 {
                out.push('&');
            }
            match pair.split_once('=') {
                Some((name, value)) => {
                    out.push_str(name);
                    out.push('=');
                    let kept = KEPT_QUERY.iter().any(|k| k.eq_ignore_ascii_case(name));
                    out.push_str(if kept { value } else { REDACTED });
                }
                None => out.push_str(pair),
            }
        }
    }
    let shown = cut_at_boundary(&out, MAX_SHOWN);
    if shown.len() < out.len() || looked_at.len() < text.len() {
        let mut shown = shown.to_string();
        shown.push('…');
        return shown;
    }
    out
}

/// Appends `text` (no query) with the userinfo of its authority replaced. A path (`/…`) has no
/// authority; a bare `user@host[/…]` has one at its start.
fn redact_userinfo(text: &str, out: &mut String) {
    let authority_start = text.find("://").map_or(0, |at| at + 3);
    let rest = &text[authority_start..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    out.push_str(&text[..authority_start]);
    let has_authority = authority_start > 0 || !text.starts_with('/');
    match authority.rfind('@').filter(|_| has_authority) {
        Some(at) => {
            out.push_str(REDACTED);
            out.push_str(&authority[at..]);
        }
        None => out.push_str(authority),
    }
    out.push_str(&rest[authority_end..]);
}

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
fn cut_at_boundary(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_and_userinfo_are_redacted_names_and_api_version_kept() {
        let cases = [
            (
                "https://h.example/x?sig=abc%3D&api-version=2022-07-31&se=1",
                "https://h.example/x?sig=<redacted>&api-version=2022-07-31&se=<redacted>",
            ),
            ("https://user:pass@h.example:8443/api", "https://<redacted>@h.example:8443/api"),
            ("http://u@h/p?Api-Version=1&flag", "http://<redacted>@h/p?Api-Version=1&flag"),
            ("/api/devices?$skiptoken=t0k", "/api/devices?$skiptoken=<redacted>"),
            ("/a@b/c", "/a@b/c"),
            ("user:pass@host", "<redacted>@host"),
            ("https://h/p#frag?x=1", "https://h/p"),
            ("https://h/p?", "https://h/p?"),
            ("", ""),
        ];
        for (text, shown) in cases {
            assert_eq!(redact(text), shown, "{text}");
        }
    }

    #[test]
    fn long_text_is_cut_with_a_mark() {
        let path = format!("/devices/{}", "é".repeat(1_000_000));
        let shown = redact(&path);
        assert!(shown.chars().count() <= MAX_SHOWN + 1, "{}", shown.len());
        assert!(shown.ends_with('…'));
        let query = format!("https://h/x?{}=1&sig=secret", "n".repeat(5000));
        let shown = redact(&query);
        assert!(!shown.contains("secret") && shown.ends_with('…'), "{shown}");
        assert!(shown.len() <= MAX_SHOWN + '…'.len_utf8());
    }
}
