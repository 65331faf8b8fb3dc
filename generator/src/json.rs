//! JSON plumbing every stage shares: reading a JSON file (a leading UTF-8 BOM is ignored; a `.yaml`
//! or `.yml` file is read as YAML, see [`crate::yaml`]) with located errors, and RFC 6901
//! JSON-pointer tokens (`~0` for `~`, `~1` for `/`; no percent-decoding).
//!
//! Input files are read only when they are regular files (not a device, pipe or directory) of at
//! most [`MAX_INPUT_BYTES`]: a document, or a `$ref` in it, cannot make the generator read forever.

use std::io::Read;
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

/// The largest input file, and the most that a document and the files it references may add up
/// to: 32 MiB, several times the largest public Azure documents.
pub const MAX_INPUT_BYTES: u64 = 32 << 20;

/// Reads the JSON file at `path`; `file` names it in errors.
pub fn read(path: &Path, file: &str) -> Result<Value, ReadError> {
    read_limited(path, file, MAX_INPUT_BYTES).map(|(value, _)| value)
}

/// Reads the JSON file at `path` if it is a regular file of at most `limit` bytes (never more than
/// [`MAX_INPUT_BYTES`]); returns the value and the file's size.
pub fn read_limited(path: &Path, file: &str, limit: u64) -> Result<(Value, u64), ReadError> {
    let limit = limit.min(MAX_INPUT_BYTES);
    let too_large = || {
        let what = if limit < MAX_INPUT_BYTES { "together with the files read before it, more" } else { "more" };
        ReadError::Io(std::io::Error::other(format!("{what} than the input limit of {} MiB", MAX_INPUT_BYTES >> 20)))
    };
    // Checked before opening: opening a pipe would wait for a writer.
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::Io(std::io::Error::other("not a regular file")));
    }
    if meta.len() > limit {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    // The file may grow after the check: never read more than the limit allows.
    std::fs::File::open(path).and_then(|f| f.take(limit + 1).read_to_end(&mut bytes)).map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    let text = std::str::from_utf8(&bytes)
        .map_err(|e| ReadError::Located(Error::new(file, "", format!("not valid UTF-8: {e}"))))?;
    let value = if crate::yaml::is_yaml(path) { crate::yaml::parse(file, text) } else { parse(file, text) };
    Ok((value.map_err(ReadError::Located)?, bytes.len() as u64))
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
    fn only_regular_files_within_the_limit_are_read() {
        let dir = std::env::temp_dir().join(format!("iot-rest-json-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let small = dir.join("small.json");
        std::fs::write(&small, "{}").expect("written");
        let message = |e: ReadError| e.into_error("f.json", "/x").to_string();
        assert_eq!(read_limited(&small, "f.json", 2).ok(), Some((serde_json::json!({}), 2)));
        assert_eq!(
            message(read_limited(&small, "f.json", 1).unwrap_err()),
            "f.json#/x: cannot read the file: together with the files read before it, more than the input limit of 32 MiB"
        );
        assert_eq!(message(read(&dir, "f.json").unwrap_err()), "f.json#/x: cannot read the file: not a regular file");
        #[cfg(unix)]
        assert_eq!(
            message(read(Path::new("/dev/zero"), "f.json").unwrap_err()),
            "f.json#/x: cannot read the file: not a regular file"
        );
        let large = dir.join("large.json");
        let file = std::fs::File::create(&large).expect("created");
        file.set_len(MAX_INPUT_BYTES + 1).expect("sparse file");
        assert_eq!(message(read(&large, "f.json").unwrap_err()), "f.json#/x: cannot read the file: more than the input limit of 32 MiB");
        let _ = std::fs::remove_dir_all(&dir);
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
