//! Loading an input document: read the JSON (a leading UTF-8 BOM is ignored), bundle `$ref`s to sibling
//! files into it, check its internal `$ref`s, and detect its dialect. Nothing else: the document comes
//! out as written, bundled ([`crate::normalise`] turns Swagger 2.0 into OpenAPI 3.0).
//!
//! Bundling rules:
//! - A `$ref` to another file (`./common.json#/definitions/Foo`, relative to the referring file) must
//!   point into a definition, parameter or response of that file (`/definitions/<name>`,
//!   `/parameters/<name>`, `/responses/<name>`; `/components/<kind>/<name>` for OpenAPI 3.0), or below
//!   one. The definition is copied into the same section of this document under its own name and the
//!   `$ref` becomes local (`#/definitions/Foo`). References inside the copy are bundled the same way;
//!   a reference back into this document just becomes local.
//! - Name clash: when this document (or an earlier bundled file) already has a definition of that name,
//!   an identical definition is shared and a different one is an error naming both.
//! - A chain of `$ref`s that leads back to itself is an error naming the chain.
//! - Files are named by paths relative to the referring file; absolute paths and URLs are errors.
//!   Every file is read under the input limits of [`crate::json`] (regular files; the document and
//!   the files it references at most [`json::MAX_INPUT_BYTES`] together).
//! - A `$ref` is a reference only where the document has keywords: under `example`, `default`,
//!   `enum`, `const`, `x-ms-examples` (its `$ref`s name example files, read separately), Swagger
//!   2.0 `examples` and OpenAPI 3.0 example `value`s it is data. Members of `properties`,
//!   `definitions`, `paths`, `responses` and other maps of names are names, so a property called
//!   `default` is a schema like any other.
//! - Fragments are plain JSON pointers (`~0`, `~1` escapes; no percent-decoding).

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::Error;
use crate::extensions;
use crate::json::{self, push_pointer, ReadError};

/// The dialect a document is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Swagger2,
    OpenApi3,
}

/// A loaded input document.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// The path as the user gave it, `/`-separated; used in error messages.
    pub file: String,
    /// The document as written, with other files' definitions bundled in.
    pub value: Value,
    pub dialect: Dialect,
}

/// Reads and bundles the document at `path`.
pub fn load(path: &Path) -> Result<Document, Error> {
    let file = display_path(path);
    let (value, size) = json::read_limited(path, &file, json::MAX_INPUT_BYTES).map_err(|e| e.into_error(&file, ""))?;
    let dialect = detect_dialect(&file, &value)?;
    let value = Bundler::new(path, &file, dialect, value, size).run()?;
    Ok(Document { file, value, dialect })
}

/// The dialect from the `swagger` or `openapi` field.
pub fn detect_dialect(file: &str, value: &Value) -> Result<Dialect, Error> {
    let root = value
        .as_object()
        .ok_or_else(|| Error::new(file, "", "expected a JSON object at the top level"))?;
    if let Some(version) = root.get("swagger") {
        return match version.as_str() {
            Some("2.0") => Ok(Dialect::Swagger2),
            _ => Err(Error::new(
                file,
                "/swagger",
                format!("expected \"2.0\", found {version}"),
            )),
        };
    }
    if let Some(version) = root.get("openapi") {
        return match version.as_str() {
            Some(v) if v == "3.0" || v.starts_with("3.0.") => Ok(Dialect::OpenApi3),
            _ => Err(Error::new(
                file,
                "/openapi",
                format!("expected a 3.0.x version, found {version}"),
            )),
        };
    }
    Err(Error::new(
        file,
        "",
        "expected a \"swagger\": \"2.0\" or \"openapi\": \"3.0.x\" field",
    ))
}

/// The path as the user wrote it, with `/` separators.
fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '\\' {
        text.replace('\\', "/")
    } else {
        text.into_owned()
    }
}

/// Resolves `.` and `..` without touching the file system, so the same file always gets the same key.
fn normalise_path(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Splits `file#fragment`; the fragment is `""` when absent.
fn split_ref(reference: &str) -> (&str, &str) {
    reference.split_once('#').unwrap_or((reference, ""))
}

/// Why the file part of a `$ref` names no file this loader reads, if it does not.
fn unsupported_file(file_part: &str) -> Option<&'static str> {
    let bytes = file_part.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    if file_part.starts_with(['/', '\\']) || drive || Path::new(file_part).is_absolute() {
        return Some("absolute paths are not supported; write the path relative to this file");
    }
    let scheme = file_part.split_once(':').map(|(s, _)| s).filter(|s| {
        s.starts_with(|c: char| c.is_ascii_alphabetic()) && s.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    scheme.map(|_| "references to URLs are not supported")
}

/// Whether a member of an object is a keyword or a name (of a property, path, status code, …).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Position {
    Keywords,
    Names,
}

/// Members whose value maps names to objects (with keywords again).
const NAME_MAPS: &[&str] = &[
    "properties", "patternProperties", "definitions", "parameters", "responses", "paths", extensions::PATHS,
    "securityDefinitions", "headers", "content", "schemas", "requestBodies", "securitySchemes", "links", "callbacks",
    "variables", "encoding", "examples",
];

/// Whether the member `key` (with value `value`) of a keyword object holds data rather than schema.
fn is_data(key: &str, value: &Value, dialect: Dialect) -> bool {
    match key {
        "example" | "default" | "enum" | "const" | extensions::EXAMPLES => true,
        // Swagger 2.0: examples by media type; OpenAPI 3.0: named Example objects, whose `value` is data.
        "examples" => dialect == Dialect::Swagger2 || !value.is_object(),
        "value" => dialect == Dialect::OpenApi3,
        _ => false,
    }
}

/// Every `$ref` (its object's pointer, relative to `base`, and its text) below `value` in document
/// order, skipping data (see the module docs). `value` is in keyword position.
fn ref_sites(value: &Value, base: &str, dialect: Dialect, sites: &mut Vec<(String, String)>) {
    walk(value, base, Position::Keywords, dialect, sites);
}

fn walk(value: &Value, base: &str, position: Position, dialect: Dialect, sites: &mut Vec<(String, String)>) {
    match value {
        Value::Object(obj) if position == Position::Names => {
            for (name, child) in obj {
                walk(child, &push_pointer(base, name), Position::Keywords, dialect, sites);
            }
        }
        Value::Object(obj) => {
            if let Some(Value::String(reference)) = obj.get("$ref") {
                sites.push((base.to_owned(), reference.clone()));
            }
            for (key, child) in obj {
                if key == "$ref" || is_data(key, child, dialect) {
                    continue;
                }
                let names = NAME_MAPS.contains(&key.as_str()) && child.is_object();
                let position = if names { Position::Names } else { Position::Keywords };
                walk(child, &push_pointer(base, key), position, dialect, sites);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, &push_pointer(base, &i.to_string()), Position::Keywords, dialect, sites);
            }
        }
        _ => {}
    }
}

/// A definition copied from another file, to be added to the document.
struct Addition {
    /// Where it goes in the document (`/definitions/Foo`).
    pointer: String,
    /// The definition as written in its file, to tell an identical clash from a different one.
    original: Value,
    /// The definition with its references rewritten.
    value: Value,
    /// `file#pointer` it came from, for clash errors.
    origin: String,
}

/// A file taking part in bundling.
struct Source {
    display: String,
    value: Value,
}

struct Bundler {
    version: Dialect,
    root: PathBuf,
    files: HashMap<PathBuf, Source>,
    /// (file, definition pointer) → the local pointer it was bundled as.
    bundled: HashMap<(PathBuf, String), String>,
    additions: Vec<Addition>,
    /// Where each addition goes → its index in `additions`.
    added: HashMap<String, usize>,
    /// Links of `$ref` chains already followed to their end without a cycle.
    acyclic: HashSet<(PathBuf, String)>,
    /// Bytes of input still allowed (see [`json::MAX_INPUT_BYTES`]).
    budget: u64,
}

impl Bundler {
    fn new(path: &Path, file: &str, version: Dialect, value: Value, size: u64) -> Self {
        let root = normalise_path(path);
        let mut files = HashMap::new();
        files.insert(
            root.clone(),
            Source {
                display: file.to_owned(),
                value,
            },
        );
        Bundler {
            version,
            root,
            files,
            bundled: HashMap::new(),
            additions: Vec::new(),
            added: HashMap::new(),
            acyclic: HashSet::new(),
            budget: json::MAX_INPUT_BYTES.saturating_sub(size),
        }
    }

    fn run(mut self) -> Result<Value, Error> {
        let mut sites = Vec::new();
        ref_sites(&self.files[&self.root].value, "", self.version, &mut sites);
        let mut rewrites = Vec::new();
        for (pointer, reference) in sites {
            if let Some(local) = self.resolve_site(&self.root.clone(), &pointer, &reference)? {
                rewrites.push((pointer, local));
            }
        }
        let root_display = self.display(&self.root);
        let mut value = self
            .files
            .remove(&self.root)
            .map(|source| source.value)
            .unwrap_or_default();
        for (pointer, local) in rewrites {
            if let Some(Value::Object(obj)) = value.pointer_mut(&pointer) {
                obj.insert("$ref".into(), local.into());
            }
        }
        for addition in std::mem::take(&mut self.additions) {
            insert_at(&mut value, &addition.pointer, addition.value)
                .map_err(|section| Error::new(&root_display, section, "expected an object"))?;
        }
        Ok(value)
    }

    fn display(&self, key: &Path) -> String {
        self.files
            .get(key)
            .map(|source| source.display.clone())
            .unwrap_or_else(|| display_path(key))
    }

    fn target_key(from: &Path, file_part: &str) -> PathBuf {
        normalise_path(&from.parent().unwrap_or(Path::new("")).join(file_part))
    }

    /// Makes sure `key` is read; an I/O failure is reported at the reference that needed it.
    fn ensure_loaded(&mut self, key: &Path, from: &Path, pointer: &str, reference: &str) -> Result<(), Error> {
        if self.files.contains_key(key) {
            return Ok(());
        }
        let display = display_path(key);
        let (value, size) = json::read_limited(key, &display, self.budget).map_err(|e| match e {
            ReadError::Io(e) => Error::new(
                self.display(from),
                pointer,
                format!("$ref \"{reference}\": cannot read {display}: {e}"),
            ),
            ReadError::Located(e) => e,
        })?;
        self.budget = self.budget.saturating_sub(size);
        self.files.insert(key.to_owned(), Source { display, value });
        Ok(())
    }

    /// Checks one `$ref` found at `from#pointer`; returns its local replacement when it changes.
    fn resolve_site(&mut self, from: &Path, pointer: &str, reference: &str) -> Result<Option<String>, Error> {
        let from_display = self.display(from);
        let located = |message: String| Error::new(&from_display, pointer, message);
        let (file_part, fragment) = split_ref(reference);
        if !fragment.is_empty() && !fragment.starts_with('/') {
            return Err(located(format!(
                "$ref \"{reference}\" does not end in a JSON pointer (#/…)"
            )));
        }
        if let Some(why) = unsupported_file(file_part) {
            return Err(located(format!("$ref \"{reference}\": {why}")));
        }
        let target = if file_part.is_empty() {
            from.to_owned()
        } else {
            Self::target_key(from, file_part)
        };
        self.ensure_loaded(&target, from, pointer, reference)?;
        if self.files[&target].value.pointer(fragment).is_none() {
            return Err(located(format!("$ref \"{reference}\" does not resolve")));
        }
        self.check_chain(from, pointer, reference)?;
        if target == self.root {
            // Into this document: already local, or becomes local.
            return Ok((!file_part.is_empty()).then(|| format!("#{fragment}")));
        }
        self.bundle(&target, fragment, from, pointer, reference).map(Some)
    }

    /// Follows a chain of `$ref`-only objects from `from#pointer`, failing if it comes back on itself.
    /// Links known to end without a cycle end the walk, so every link is followed once per document.
    fn check_chain(&mut self, from: &Path, pointer: &str, reference: &str) -> Result<(), Error> {
        let mut chain = vec![(from.to_owned(), pointer.to_owned())];
        let mut on_chain: HashSet<(PathBuf, String)> = chain.iter().cloned().collect();
        let (mut current, mut reference) = (from.to_owned(), reference.to_owned());
        loop {
            let (file_part, fragment) = split_ref(&reference);
            if unsupported_file(file_part).is_some() {
                // Reported where it is written.
                break;
            }
            let next = if file_part.is_empty() {
                current.clone()
            } else {
                Self::target_key(&current, file_part)
            };
            let link = (next.clone(), fragment.to_owned());
            if self.acyclic.contains(&link) {
                break;
            }
            if !on_chain.insert(link.clone()) {
                chain.push(link);
                let names: Vec<String> = chain
                    .iter()
                    .map(|(key, p)| format!("{}#{p}", self.display(key)))
                    .collect();
                return Err(Error::new(
                    self.display(from),
                    pointer,
                    format!("$ref cycle: {}", names.join(" -> ")),
                ));
            }
            chain.push(link);
            // Unreadable or dangling links are reported where they are written.
            if self.ensure_loaded(&next, &current, "", &reference).is_err() {
                break;
            }
            let target = self.files[&next].value.pointer(fragment);
            match target.and_then(|t| t.get("$ref")).and_then(Value::as_str) {
                Some(r) => reference = r.to_owned(),
                None => break,
            }
            current = next;
        }
        self.acyclic.extend(chain.into_iter().skip(1));
        Ok(())
    }

    /// Copies the definition holding `file#fragment` into the document; returns the local reference.
    fn bundle(
        &mut self,
        file: &Path,
        fragment: &str,
        from: &Path,
        pointer: &str,
        reference: &str,
    ) -> Result<String, Error> {
        let from_display = self.display(from);
        let located = |message: String| Error::new(&from_display, pointer, message);
        let tokens = json::tokens(fragment);
        let section_len = match (
            self.version,
            tokens.first().map(String::as_str),
            tokens.get(1).map(String::as_str),
        ) {
            (Dialect::Swagger2, Some("definitions" | "parameters" | "responses"), _) => 1,
            (
                Dialect::OpenApi3,
                Some("components"),
                Some(
                    "schemas" | "responses" | "parameters" | "examples" | "requestBodies" | "headers"
                    | "securitySchemes" | "links" | "callbacks",
                ),
            ) => 2,
            _ => 0,
        };
        if section_len == 0 || tokens.len() <= section_len {
            let expected = match self.version {
                Dialect::Swagger2 => "#/definitions/<name>, #/parameters/<name> or #/responses/<name>",
                Dialect::OpenApi3 => "#/components/<kind>/<name>",
            };
            return Err(located(format!(
                "$ref \"{reference}\" into another file must point to {expected}"
            )));
        }
        let definition = tokens[..=section_len]
            .iter()
            .fold(String::new(), |p, token| push_pointer(&p, token));
        let local = format!(
            "#{definition}{}",
            &fragment[rest_start(fragment, section_len + 1)..]
        );
        let key = (file.to_owned(), definition.clone());
        if self.bundled.contains_key(&key) {
            return Ok(local);
        }
        let original = self.files[file].value.pointer(&definition).cloned().unwrap_or_default();
        let origin = format!("{}#{definition}", self.display(file));
        if let Some(existing) = self.files[&self.root].value.pointer(&definition) {
            if existing != &original {
                let root = self.display(&self.root);
                return Err(located(format!(
                    "$ref \"{reference}\" cannot be bundled as \"#{definition}\": {root} already has a different definition there"
                )));
            }
            self.bundled.insert(key, definition);
            return Ok(local);
        }
        if let Some(earlier) = self.added.get(&definition).map(|&i| &self.additions[i]) {
            if earlier.original != original {
                return Err(located(format!(
                    "$ref \"{reference}\" cannot be bundled as \"#{definition}\": {} was already bundled there",
                    earlier.origin
                )));
            }
            self.bundled.insert(key, definition);
            return Ok(local);
        }
        // Registered before its own references are followed, so recursive definitions terminate.
        self.bundled.insert(key, definition.clone());
        let index = self.additions.len();
        self.added.insert(definition.clone(), index);
        self.additions.push(Addition {
            pointer: definition.clone(),
            original: original.clone(),
            value: Value::Null,
            origin,
        });
        let mut copy = original;
        let mut sites = Vec::new();
        ref_sites(&copy, "", self.version, &mut sites);
        for (relative, nested) in sites {
            let at = format!("{definition}{relative}");
            if let Some(rewritten) = self.resolve_site(file, &at, &nested)? {
                if let Some(Value::Object(obj)) = copy.pointer_mut(&relative) {
                    obj.insert("$ref".into(), rewritten.into());
                }
            }
        }
        self.additions[index].value = copy;
        Ok(local)
    }
}

/// Where the part of `fragment` after its first `tokens` reference tokens starts.
fn rest_start(fragment: &str, tokens: usize) -> usize {
    fragment
        .match_indices('/')
        .nth(tokens)
        .map(|(i, _)| i)
        .unwrap_or(fragment.len())
}

/// Inserts `value` at `pointer`, creating missing objects on the way; on a non-object in the way,
/// returns that section's pointer.
fn insert_at(root: &mut Value, pointer: &str, value: Value) -> Result<(), String> {
    let tokens = json::tokens(pointer);
    let Some((last, parents)) = tokens.split_last() else {
        return Ok(());
    };
    let mut current = root;
    let mut at = String::new();
    for token in parents {
        at = push_pointer(&at, token);
        let obj = current.as_object_mut().ok_or_else(|| at.clone())?;
        current = obj.entry(token.clone()).or_insert_with(|| Value::Object(Map::new()));
    }
    current.as_object_mut().ok_or(at)?.insert(last.clone(), value);
    Ok(())
}
