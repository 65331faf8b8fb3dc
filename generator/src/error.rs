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

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}: {}", self.file, self.pointer, self.message)
    }
}

impl std::error::Error for Error {}
