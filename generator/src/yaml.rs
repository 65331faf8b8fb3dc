//! YAML input: a YAML document (`.yaml`, `.yml`) becomes the JSON value the rest of the pipeline
//! reads, so loading, bundling, normalising and lowering are the same for both. Mistakes are located
//! errors with the line and column (`error: api.yaml#: invalid YAML at line 3, column 7: …`).
//!
//! The conversion follows the YAML 1.2 core schema, as OpenAPI documents are written: plain `null`,
//! `~` and empty values are `null`; `true`/`false` booleans; decimal, `0x` and `0o` integers and
//! decimal floats numbers; every other scalar, and every quoted one, a string. Mapping keys are
//! strings (`200:` is the key `"200"`); a key that is a mapping or sequence, a repeated key, a
//! non-finite number, a second document, nesting deeper than [`MAX_DEPTH`] or a value whose aliases
//! expand beyond [`MAX_NODES`] is an error. Anchors and aliases are expanded.

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::error::Error;

/// The most values (every scalar, sequence and mapping, aliases counted as what they expand to) one
/// YAML document may make: a few aliases of aliases could otherwise expand to gigabytes.
pub const MAX_NODES: usize = 4_000_000;

/// How deep collections may nest: serde_json's limit for JSON input, so both read the same documents.
pub const MAX_DEPTH: usize = 128;

/// Whether a file is YAML by its name (`.yaml`, `.yml`).
pub fn is_yaml(path: &std::path::Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// Parses YAML text (a leading BOM is ignored) into a JSON value; `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<Value, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    let scanned = parser.load(&mut builder, true);
    let located = |line: usize, column: usize, what: &str| Error::new(file, "", format!("invalid YAML at line {line}, column {column}: {what}"));
    if let Some((mark, what)) = builder.error {
        return Err(located(mark.line(), mark.col() + 1, &what));
    }
    if let Err(e) = scanned {
        return Err(located(e.marker().line(), e.marker().col() + 1, e.info()));
    }
    builder.document.ok_or_else(|| Error::new(file, "", "the YAML file holds no document"))
}

/// A collection being built.
enum Open {
    Sequence { anchor: usize, items: Vec<Value>, nodes: usize },
    /// `key` is the key whose value comes next.
    Mapping { anchor: usize, map: Map<String, Value>, key: Option<String>, nodes: usize },
}

/// Builds the JSON value from the parser's events; the first mistake is kept with its place and
/// every later event ignored.
#[derive(Default)]
struct Builder {
    stack: Vec<Open>,
    /// Anchored values by anchor id, with their node counts.
    anchors: std::collections::HashMap<usize, (Value, usize)>,
    nodes: usize,
    document: Option<Value>,
    documents: usize,
    error: Option<(Marker, String)>,
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        if let Err(what) = self.event(event) {
            self.error = Some((mark, what));
        }
    }
}

impl Builder {
    fn event(&mut self, event: Event) -> Result<(), String> {
        match event {
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err("expected one document, found a second".into());
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                let value = scalar(&text, style, tag.as_ref())?;
                self.value(value, 1, anchor)?;
            }
            Event::Alias(id) => {
                let (value, nodes) = self.anchors.get(&id).cloned().ok_or("an alias of an unknown anchor")?;
                self.value(value, nodes, 0)?;
            }
            Event::SequenceStart(..) | Event::MappingStart(..) if self.stack.len() >= MAX_DEPTH => {
                return Err(format!("collections nest deeper than {MAX_DEPTH} levels"));
            }
            Event::SequenceStart(anchor, _) => self.stack.push(Open::Sequence { anchor, items: Vec::new(), nodes: 1 }),
            Event::MappingStart(anchor, _) => self.stack.push(Open::Mapping { anchor, map: Map::new(), key: None, nodes: 1 }),
            Event::SequenceEnd | Event::MappingEnd => {
                let (value, anchor, nodes) = match self.stack.pop() {
                    Some(Open::Sequence { anchor, items, nodes }) => (Value::Array(items), anchor, nodes),
                    Some(Open::Mapping { anchor, map, nodes, .. }) => (Value::Object(map), anchor, nodes),
                    None => return Err("a collection ends that never started".into()),
                };
                // Its nodes were counted as they were added.
                self.nodes -= nodes - 1;
                self.value(value, nodes, anchor)?;
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
        }
        Ok(())
    }

    /// Adds a finished value of `nodes` nodes to its parent (or makes it the document).
    fn value(&mut self, value: Value, nodes: usize, anchor: usize) -> Result<(), String> {
        self.nodes = self.nodes.saturating_add(nodes);
        if self.nodes > MAX_NODES {
            return Err(format!("the document makes more than {MAX_NODES} values (aliases expanded)"));
        }
        if anchor > 0 {
            self.anchors.insert(anchor, (value.clone(), nodes));
        }
        match self.stack.last_mut() {
            None => self.document = Some(value),
            Some(Open::Sequence { items, nodes: total, .. }) => {
                items.push(value);
                *total += nodes;
            }
            Some(Open::Mapping { map, key, nodes: total, .. }) => match key.take() {
                None => match value {
                    Value::String(k) => *key = Some(k),
                    Value::Null => *key = Some("null".into()),
                    Value::Bool(b) => *key = Some(b.to_string()),
                    Value::Number(n) => *key = Some(n.to_string()),
                    _ => return Err("a mapping key must be a scalar".into()),
                },
                Some(k) => {
                    if map.contains_key(&k) {
                        return Err(format!("the key \"{k}\" is repeated"));
                    }
                    map.insert(k, value);
                    *total += nodes;
                }
            },
        }
        Ok(())
    }
}

/// A scalar as JSON, by the YAML 1.2 core schema (quoted and block scalars are strings; so is any
/// scalar tagged `!!str`).
fn scalar(text: &str, style: TScalarStyle, tag: Option<&Tag>) -> Result<Value, String> {
    let tag = tag.map(|t| t.suffix.as_str());
    if style != TScalarStyle::Plain || tag == Some("str") {
        return Ok(Value::String(text.to_string()));
    }
    Ok(match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "-.inf" | ".nan" | ".NaN" | ".NAN" => {
            return Err(format!("{text} is not a JSON number"));
        }
        _ => number(text).unwrap_or_else(|| Value::String(text.to_string())),
    })
}

/// A plain scalar that is a core-schema number: `12`, `-3`, `0x1F`, `0o17`, `1.5`, `2e3`.
fn number(text: &str) -> Option<Value> {
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => (-1i128, rest),
        None => (1, text.strip_prefix('+').unwrap_or(text)),
    };
    let radix = |prefix: &str, radix: u32| digits.strip_prefix(prefix).and_then(|d| i128::from_str_radix(d, radix).ok());
    let integer = if digits.bytes().all(|b| b.is_ascii_digit()) && !digits.is_empty() {
        digits.parse::<i128>().ok()
    } else {
        radix("0x", 16).or_else(|| radix("0o", 8))
    };
    if let Some(n) = integer.map(|n| sign * n) {
        return i64::try_from(n).ok().map(Value::from).or_else(|| u64::try_from(n).ok().map(Value::from));
    }
    let float_chars = digits.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    let starts_well = digits.starts_with(|c: char| c.is_ascii_digit()) || (digits.starts_with('.') && digits.len() > 1);
    match (float_chars && starts_well).then(|| text.parse::<f64>().ok()).flatten() {
        Some(f) => Number::from_f64(f).map(Value::Number),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn yaml(text: &str) -> Value {
        parse("t.yaml", text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn error(text: &str) -> String {
        parse("t.yaml", text).expect_err("an error").to_string()
    }

    #[test]
    fn core_schema_scalars_become_json() {
        let value = yaml(
            "a: ~\nb:\nc: true\nd: False\ne: 12\nf: -0x1F\ng: 0o17\nh: 1.5\ni: 2e3\nj: '12'\nk: \"true\"\nl: 1.2.3\nm: !!str 7\nn: 18446744073709551615\n",
        );
        let expected = json!({
            "a": null, "b": null, "c": true, "d": false, "e": 12, "f": -31, "g": 15, "h": 1.5, "i": 2000.0,
            "j": "12", "k": "true", "l": "1.2.3", "m": "7", "n": 18446744073709551615u64
        });
        assert_eq!(value, expected);
    }

    #[test]
    fn keys_are_strings_and_order_is_kept() {
        let value = yaml("responses:\n  200:\n    description: ok\n  default: {}\n  true: x\n");
        assert_eq!(value, json!({ "responses": { "200": { "description": "ok" }, "default": {}, "true": "x" } }));
        let keys: Vec<&String> = value["responses"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["200", "default", "true"]);
    }

    #[test]
    fn block_scalars_flow_collections_and_aliases() {
        let value = yaml("d: |\n  line one\n  line two\nlist: [1, two]\nbase: &b {x: 1}\ncopy: *b\n");
        assert_eq!(value, json!({ "d": "line one\nline two\n", "list": [1, "two"], "base": { "x": 1 }, "copy": { "x": 1 } }));
    }

    #[test]
    fn mistakes_are_located_by_line_and_column() {
        let cases = [
            ("a: [1, 2\n", "t.yaml#: invalid YAML at line 2, column 1: "),
            ("a: 1\na: 2\n", "t.yaml#: invalid YAML at line 2, column 4: the key \"a\" is repeated"),
            ("? [1]\n: x\n", "t.yaml#: invalid YAML at line 1, column 5: a mapping key must be a scalar"),
            ("a: .nan\n", "t.yaml#: invalid YAML at line 1, column 4: .nan is not a JSON number"),
            ("a: 1\n---\nb: 2\n", "t.yaml#: invalid YAML at line 2, column 1: expected one document, found a second"),
            ("a: *nope\n", "t.yaml#: invalid YAML at line 1, column 4: "),
        ];
        for (text, expected) in cases {
            let message = error(text);
            assert!(message.starts_with(expected), "{text:?}: {message}");
            assert!(!message.contains('\n'), "one line: {message}");
        }
        assert_eq!(error(""), "t.yaml#: the YAML file holds no document");
    }

    #[test]
    fn aliases_that_expand_beyond_the_limit_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let prev = format!("*a{}", i - 1);
            text.push_str(&format!("a{i}: &a{i} [{}]\n", [prev.as_str(); 10].join(", ")));
        }
        assert!(error(&text).contains("more than 4000000 values"), "{}", error(&text));
    }

    #[test]
    fn nesting_is_limited_as_for_json() {
        let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(parse("t.yaml", &nested(MAX_DEPTH)).is_ok());
        assert_eq!(error(&nested(MAX_DEPTH + 1)), "t.yaml#: invalid YAML at line 1, column 129: collections nest deeper than 128 levels");
        assert!(crate::json::parse("t.json", &nested(MAX_DEPTH + 1)).is_err(), "as JSON input");
    }
}
