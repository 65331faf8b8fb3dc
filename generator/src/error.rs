//! Located errors: every problem with an input document names the file and the JSON pointer.

use std::fmt;

/// A problem found while loading, normalising or lowering a document.
///
/// `Display` renders `<file>#<json-pointer>: <message>`, which is what the CLI prints after `error: `.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// The input file, as the user named it.
    pub file: String,
    /// JSON pointer into that file (`/definitions/Device/properties/id`); empty for the whole file.
    pub pointer: String,
    /// What was expected, or what went wrong.
    pub message: String,
}

impl Error {
    pub fn new(file: impl Into<String>, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error { file: file.into(), pointer: pointer.into(), message: message.into() }
    }
}

/// One line whatever the document put into the message (a `$ref` with a line break, a name with a
/// bidirectional-text control): control and invisible characters are written as `\u{…}`.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |text: &str| crate::text::escape_invisible(text);
        write!(f, "{}#{}: {}", shown(&self.file), shown(&self.pointer), shown(&self.message))
    }
}

impl std::error::Error for Error {}
