//! Naming: the one place that turns wire names into Rust identifiers.
//!
//! Every emitted identifier comes from here, so a reader looking for "why is `@id` called `id`" or
//! "why did `certificate.name` become `certificate_name_query`" has one file to open. Names keep both
//! forms ([`crate::ir::Name`]): the Rust identifier and the wire name it came from.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords that can be used as raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop",
    "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "static",
    "struct", "trait", "true", "try", "type", "typeof", "union", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore.
const NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Splits a wire name into words: every character that is not alphanumeric separates words.
/// `@id` → `id`, `certificate.name` → `certificate name`, `X[Y]` → `X Y`, `$top` → `top`.
/// A plural acronym stays one word: `LROs` → `Lros` (not `LR` + `Os`), `IDs` → `Ids`.
fn words(wire: &str) -> String {
    let mut out = String::with_capacity(wire.len());
    for c in wire.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    plural_acronyms(out.trim())
}

/// Lower-cases the tail of every run of two or more capitals followed by a lone plural `s`
/// (end of name, or a capital, digit or space after it).
fn plural_acronyms(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_uppercase() {
            i += 1;
        }
        let plural = i - start >= 2
            && bytes.get(i) == Some(&b's')
            && bytes.get(i + 1).is_none_or(|b| !b.is_ascii_lowercase());
        if plural {
            out[start + 1..i].make_ascii_lowercase();
        }
        i = if i == start { i + 1 } else { i };
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Makes `candidate` a valid identifier start: a leading digit gets `prefix`; an empty name becomes
/// `empty`.
fn fix_start(candidate: String, prefix: &str, empty: &str) -> String {
    match candidate.chars().next() {
        None => empty.to_string(),
        Some(c) if c.is_ascii_digit() => format!("{prefix}{candidate}"),
        Some(_) => candidate,
    }
}

/// Escapes keywords: `type` → `r#type`, `self` → `self_`.
fn escape_keyword(ident: String) -> String {
    if NON_RAW_KEYWORDS.contains(&ident.as_str()) {
        format!("{ident}_")
    } else if RAW_KEYWORDS.contains(&ident.as_str()) {
        format!("r#{ident}")
    } else {
        ident
    }
}

/// A type name (struct, enum, alias): `UpperCamelCase`.
/// `SharedAccessSignatureAuthorizationRule[AccessRightsDescription]` →
/// `SharedAccessSignatureAuthorizationRuleAccessRightsDescription`; `ErrorMesssage` stays as given.
pub fn type_name(wire: &str) -> String {
    let camel = words(wire).to_upper_camel_case();
    escape_keyword(fix_start(camel, "T", "Unnamed"))
}

/// An enum variant name: `UpperCamelCase` of the value; `1.0` → `V1_0`-like `V10`, `""` → `Empty`.
pub fn variant_name(wire: &str) -> String {
    let camel = words(wire).to_upper_camel_case();
    escape_keyword(fix_start(camel, "V", "Empty"))
}

/// A field, parameter, method or module name: `snake_case`.
/// `@type` → `type` → `r#type`; `displayName` → `display_name`; `api-version` → `api_version`.
pub fn snake_name(wire: &str) -> String {
    let snake = words(wire).to_snake_case();
    escape_keyword(fix_start(snake, "n", "unnamed"))
}

/// The identifier text without a raw prefix, for building derived names.
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Names that generated builder methods on `Call<_>` must not take: the runtime's own methods.
pub const RESERVED_CALL_METHODS: &[&str] = &[
    "new", "send", "items", "pages", "into_poller", "into_future", "client_request_id", "set_query",
    "set_query_list", "set_header", "set_if_match", "set_if_none_match", "set_json_body", "resume_poller",
    "items_from_link", "pages_from_link",
];

/// Names that group accessors on the generated `Client` must not take.
pub const RESERVED_CLIENT_METHODS: &[&str] = &["new", "with_options", "pipeline", "clone", "fmt"];

/// Registers identifiers in one namespace and resolves clashes with a fixed rule: the first comer
/// keeps the name; a later one gets `suffix` appended (then `suffix2`, `suffix3`, … if needed).
#[derive(Debug, Default)]
pub struct Namespace {
    taken: std::collections::BTreeSet<String>,
}

impl Namespace {
    pub fn new(reserved: &[&str]) -> Self {
        Namespace { taken: reserved.iter().map(|s| s.to_string()).collect() }
    }

    pub fn is_taken(&self, ident: &str) -> bool {
        self.taken.contains(unraw(ident))
    }

    /// Claims `ident`, or `ident` + `suffix` (+ a counter) when it is taken. Returns the claimed name.
    pub fn claim(&mut self, ident: &str, suffix: &str) -> String {
        let base = unraw(ident);
        if self.taken.insert(base.to_string()) {
            return ident.to_string();
        }
        let mut n = 1;
        loop {
            let counter = if n == 1 { String::new() } else { n.to_string() };
            let candidate = format!("{base}{suffix}{counter}");
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        let cases = [
            ("Device", "Device"),
            ("deviceGroup", "DeviceGroup"),
            ("ADGroupUser", "AdGroupUser"),
            ("ErrorMesssage", "ErrorMesssage"),
            ("SharedAccessSignatureAuthorizationRule[AccessRightsDescription]", "SharedAccessSignatureAuthorizationRuleAccessRightsDescription"),
            ("X509Certificate", "X509Certificate"),
            ("2Fast", "T2fast"),
            ("LROs", "Lros"),
            ("Self", "Self_"),
            ("", "Unnamed"),
            ("some.dotted-name", "SomeDottedName"),
        ];
        for (wire, rust) in cases {
            assert_eq!(type_name(wire), rust, "type_name({wire:?})");
        }
    }

    #[test]
    fn snake_names() {
        let cases = [
            ("displayName", "display_name"),
            ("@id", "id"),
            ("@type", "r#type"),
            ("type", "r#type"),
            ("self", "self_"),
            ("api-version", "api_version"),
            ("certificate.name", "certificate_name"),
            ("certificateName", "certificate_name"),
            ("$top", "top"),
            ("x-ms-client-request-id", "x_ms_client_request_id"),
            ("If-Match", "if_match"),
            ("HttpStatusCode", "http_status_code"),
            ("1stItem", "n1st_item"),
            ("", "unnamed"),
            ("LROs", "lros"),
            ("LROsCustomHeader", "lros_custom_header"),
            ("LROSADs", "lrosads"),
            ("deviceIDs", "device_ids"),
            ("HTTPSProxy", "https_proxy"),
            ("ADGroupUser", "ad_group_user"),
        ];
        for (wire, rust) in cases {
            assert_eq!(snake_name(wire), rust, "snake_name({wire:?})");
        }
    }

    #[test]
    fn variant_names() {
        let cases = [
            ("primary", "Primary"),
            ("S1", "S1"),
            ("servicePrincipal", "ServicePrincipal"),
            ("x509", "X509"),
            ("1.0", "V10"),
            ("", "Empty"),
            ("Self", "Self_"),
            ("EnrollmentRead", "EnrollmentRead"),
        ];
        for (wire, rust) in cases {
            assert_eq!(variant_name(wire), rust, "variant_name({wire:?})");
        }
    }

    #[test]
    fn namespace_suffixes_later_claims() {
        let mut ns = Namespace::new(&["send"]);
        assert_eq!(ns.claim("certificate_name", "_query"), "certificate_name");
        assert_eq!(ns.claim("certificate_name", "_query"), "certificate_name_query");
        assert_eq!(ns.claim("certificate_name", "_query"), "certificate_name_query2");
        assert_eq!(ns.claim("send", "_param"), "send_param");
        assert_eq!(ns.claim("r#type", "_"), "r#type");
        assert_eq!(ns.claim("r#type", "_"), "type_");
    }
}
