//! Spec prose → safe rustdoc: no doctests, no broken intra-doc links, no bare URLs, no stray HTML,
//! no control or bidirectional-text characters (see [`crate::text`]). Every doc comment the emitters
//! write goes through [`attrs`], [`sanitize`] or [`line()`].

use proc_macro2::TokenStream;
use quote::quote;

use crate::text;

/// A one-line doc comment's text (with the leading space of `/// …`): `text` on one line, with
/// invisible characters escaped.
pub fn line(text: &str) -> String {
    format!(" {}", text::one_line(text))
}

/// `#[doc = "…"]` attributes for `text` (nothing for `None` or blank text).
pub fn attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return TokenStream::new();
    };
    let lines = sanitize(text);
    let attrs = lines.iter().map(|line| {
        let line = if line.is_empty() { String::new() } else { format!(" {line}") };
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
}

/// Joins optional paragraphs into one doc text.
pub fn paragraphs(parts: &[Option<&str>]) -> Option<String> {
    let parts: Vec<&str> = parts.iter().flatten().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
    if parts.is_empty() {
        None
    } else {
        let mut unique: Vec<&str> = Vec::new();
        for p in parts {
            if !unique.contains(&p) {
                unique.push(p);
            }
        }
        Some(unique.join("\n\n"))
    }
}

/// Rewrites prose line by line. Code fences become `text` blocks; outside them, indentation is
/// dropped (so nothing turns into an indented code block), brackets that are not Markdown links are
/// escaped, `<`/`>` are escaped, bare URLs are wrapped in `<…>`, and a list item followed by a plain
/// line gets a blank line so the continuation is not lazy.
pub fn sanitize(text: &str) -> Vec<String> {
    let text = text::prose(text);
    let mut out: Vec<String> = Vec::new();
    let mut in_fence = false;
    let mut previous_was_item = false;
    for raw in text.lines() {
        let trimmed = raw.trim();
        if trimmed.starts_with("```") {
            out.push(if in_fence { "```".to_string() } else { "```text".to_string() });
            in_fence = !in_fence;
            previous_was_item = false;
            continue;
        }
        if in_fence {
            out.push(raw.trim_end().to_string());
            continue;
        }
        let is_item = is_list_item(trimmed);
        if previous_was_item && !is_item && !trimmed.is_empty() {
            out.push(String::new());
        }
        previous_was_item = is_item;
        out.push(outside_code_spans(trimmed, |text| wrap_urls(&escape_brackets(&escape_html(text)))));
    }
    if in_fence {
        out.push("```".to_string());
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

/// Applies `f` to the parts of `line` outside inline code spans (`` `…` ``), which render verbatim.
/// An unmatched backtick is escaped so it cannot open a span across lines.
fn outside_code_spans(line: &str, f: impl Fn(&str) -> String) -> String {
    let parts: Vec<&str> = line.split('`').collect();
    let closed = parts.len() % 2 == 1;
    let mut out = String::with_capacity(line.len());
    for (i, part) in parts.iter().enumerate() {
        let last = i == parts.len() - 1;
        if i % 2 == 1 && (closed || !last) {
            out.push('`');
            out.push_str(part);
            out.push('`');
        } else {
            if i % 2 == 1 {
                out.push_str("\\`");
            }
            out.push_str(&f(part));
        }
    }
    out
}

fn is_list_item(line: &str) -> bool {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return true;
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
}

fn escape_html(line: &str) -> String {
    line.replace('<', "&lt;").replace('>', "&gt;")
}

/// Escapes `[` and `]` unless they form a Markdown link `[text](target)`.
fn escape_brackets(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut keep = vec![false; chars.len()];
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '[' {
            if let Some(close) = (i + 1..chars.len()).find(|&j| chars[j] == ']') {
                let inner_has_open = chars[i + 1..close].contains(&'[');
                if !inner_has_open && chars.get(close + 1) == Some(&'(') {
                    if let Some(end) = (close + 2..chars.len()).find(|&j| chars[j] == ')') {
                        keep[i] = true;
                        keep[close] = true;
                        i = end + 1;
                        continue;
                    }
                }
            }
        }
        i += 1;
    }
    let mut out = String::with_capacity(line.len());
    for (i, c) in chars.iter().enumerate() {
        if (*c == '[' || *c == ']') && !keep[i] {
            out.push('\\');
        }
        out.push(*c);
    }
    out
}

/// Wraps bare `http(s)://` URLs in `<…>`; URLs that are a Markdown link target stay as they are.
fn wrap_urls(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while let Some(pos) = find_url(rest) {
        let (before, from) = rest.split_at(pos);
        out.push_str(before);
        let in_link_target = before.ends_with("](");
        let mut end = from.find(|c: char| c.is_whitespace() || c == '"' || c == '\'').unwrap_or(from.len());
        if in_link_target {
            end = from.find(')').unwrap_or(end);
            out.push_str(&from[..end]);
        } else {
            while end > 0 && from[..end].ends_with(['.', ',', ';', ':', ')', '!', '?']) {
                end -= 1;
            }
            out.push('<');
            out.push_str(&from[..end]);
            out.push('>');
        }
        rest = &from[end..];
    }
    out.push_str(rest);
    out
}

fn find_url(s: &str) -> Option<usize> {
    match (s.find("http://"), s.find("https://")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn sanitizes_prose() {
        let cases: &[(&str, &[&str])] = &[
            ("Plain text.", &["Plain text."]),
            ("Rule[AccessRightsDescription] name", &["Rule\\[AccessRightsDescription\\] name"]),
            ("See [details](https://aka.ms/x).", &["See [details](https://aka.ms/x)."]),
            ("Visit https://example.com/a.", &["Visit <https://example.com/a>."]),
            ("a <b> tag", &["a &lt;b&gt; tag"]),
            ("    indented code", &["indented code"]),
            ("```json\n{\"a\": 1}\n```", &["```text", "{\"a\": 1}", "```"]),
            ("- item\nmore", &["- item", "", "more"]),
            ("for `https://{host}/api` or [x]", &["for `https://{host}/api` or \\[x\\]"]),
            ("a `b` and `c", &["a `b` and \\`c"]),
        ];
        for (input, expected) in cases {
            assert_eq!(sanitize(input), *expected, "sanitize({input:?})");
        }
    }
}
