//! JSON plumbing every stage shares: reading a JSON file (a leading UTF-8 BOM is ignored) with located
//! errors, and RFC 6901 JSON-pointer tokens (`~0` for `~`, `~1` for `/`; no percent-decoding).

use std::path::Path;

use serde_json::Value;

use crate::error::Error;

/// Appends one reference token to a JSON pointer, escaping `~` and `/` as RFC 6901 requires.
pub fn push_pointer(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape(token))
}

/// Escapes one reference token (`a/b` → `a~1b`).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Undoes [`escape`] (`a~1b` → `a/b`).
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The unescaped reference tokens of a pointer (`/a/b~1c` → `a`, `b/c`).
pub fn tokens(pointer: &str) -> Vec<String> {
    pointer.split('/').skip(1).map(unescape).collect()
}

/// Why a JSON file could not be read, before it is known where to report an I/O failure.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    /// The file was read but is not UTF-8 JSON; located in the file itself.
    Located(Error),
}

impl ReadError {
    /// Reports an I/O failure at `file#pointer` (what needed the file).
    pub fn into_error(self, file: &str, pointer: &str) -> Error {
        match self {
            ReadError::Io(e) => Error::new(file, pointer, format!("cannot read the file: {e}")),
            ReadError::Located(e) => e,
        }
    }
}

/// Reads the JSON file at `path`; `file` names it in errors.
pub fn read(path: &Path, file: &str) -> Result<Value, ReadError> {
    let bytes = std::fs::read(path).map_err(ReadError::Io)?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|e| ReadError::Located(Error::new(file, "", format!("not valid UTF-8: {e}"))))?;
    parse(file, text).map_err(ReadError::Located)
}

/// Parses JSON text (a leading BOM is ignored); a syntax error is reported with its line and column.
pub fn parse(file: &str, text: &str) -> Result<Value, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        let position = format!(" at line {} column {}", e.line(), e.column());
        let what = message.strip_suffix(&position).unwrap_or(&message);
        Error::new(file, "", format!("invalid JSON at line {}, column {}: {what}", e.line(), e.column()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_escape_and_unescape() {
        let cases = [("plain", "plain"), ("/devices/{id}", "~1devices~1{id}"), ("a~b", "a~0b"), ("~1", "~01")];
        for (token, escaped) in cases {
            assert_eq!(escape(token), escaped, "escape({token:?})");
            assert_eq!(unescape(escaped), token, "unescape({escaped:?})");
        }
        assert_eq!(push_pointer("/paths", "/a/{b}"), "/paths/~1a~1{b}");
        assert_eq!(tokens("/paths/~1a~1{b}/get"), ["paths", "/a/{b}", "get"]);
    }

    #[test]
    fn a_leading_bom_is_ignored_and_syntax_errors_say_where() {
        assert_eq!(parse("f.json", "\u{feff}{\"a\": 1}"), Ok(serde_json::json!({ "a": 1 })));
        assert_eq!(
            parse("f.json", "{\n  \"a\": 1\n  \"b\": 2\n}").unwrap_err().to_string(),
            "f.json#: invalid JSON at line 3, column 3: expected `,` or `}`"
        );
    }
}
