//! The change reports of `cargo xtask codegen`, kept in the generated crate's `generated/CHANGELOG.md`.
//!
//! Every document of the manifest has, in the changelog, a report marked with the document's path
//! and a hash of its content (`<!-- change-report specs/x.json fnv1a64=… -->`). When a document has
//! no report for its current content, codegen writes one at the top of the `## Unreleased`
//! section: against git HEAD's copy of the document when it changed, else against the previous
//! version of the same service ("migrating from v2022_07_31": a new version, or a document seen for
//! the first time), else a first entry with nothing to compare it with. An earlier report for the same document whose
//! content is in neither HEAD nor the working tree (an edit never committed) is replaced.
//! `--check` fails when a document's current content has no report.

use std::process::Command;

use iot_rest_codegen::diff;
use iot_rest_codegen::manifest::{Entry, Manifest};

use crate::root;

/// The changelog, relative to the workspace root.
pub const PATH: &str = "generated/CHANGELOG.md";
const UNRELEASED: &str = "## Unreleased";
const MARKER: &str = "<!-- change-report ";

const HEADER: &str = "# Changelog of `iot-rest`

Each entry under **Unreleased** is the API change report of one document of `specs/`, written by
`cargo xtask codegen` (newest first); `cargo xtask codegen --check` fails when a document has none
for its current content. Impacts are on code written against the previous generated module; the
semver verdict is what replacing that module calls for.

## Unreleased
";

/// FNV-1a (64 bits) of the document with line endings made `\n`: the same on every checkout.
pub fn content_hash(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.replace("\r\n", "\n").bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

fn marker(spec: &str, hash: &str) -> String {
    format!("{MARKER}{spec} fnv1a64={hash} -->")
}

/// Whether the changelog has a report for `spec` with content hash `hash`.
pub fn has_report(changelog: &str, spec: &str, hash: &str) -> bool {
    changelog.lines().any(|l| l.trim() == marker(spec, hash))
}

/// The changelog with `entry` (for `spec`) at the top of `## Unreleased`, after removing that
/// section's earlier entries for `spec` whose hash is not in `keep`.
pub fn insert(changelog: &str, spec: &str, keep: &[String], entry: &str) -> String {
    let text = if changelog.contains(UNRELEASED) { changelog.to_string() } else { format!("{HEADER}{changelog}") };
    let start = text.find(UNRELEASED).map(|i| i + UNRELEASED.len()).unwrap_or(text.len());
    let (head, rest) = text.split_at(start);
    // The Unreleased section ends at the next `## ` heading.
    let end = rest.find("\n## ").map(|i| i + 1).unwrap_or(rest.len());
    let (section, tail) = rest.split_at(end);
    let mut entries: Vec<String> = Vec::new();
    for part in section.split("\n### ").skip(1) {
        entries.push(format!("### {}", part.trim_end()));
    }
    let stale = |e: &String| {
        e.lines().any(|l| l.trim().starts_with(&format!("{MARKER}{spec} "))) && !keep.iter().any(|h| e.contains(&marker(spec, h)))
    };
    entries.retain(|e| !stale(e));
    entries.insert(0, entry.trim_end().to_string());
    let mut out = format!("{head}\n");
    for e in entries {
        out.push_str(&format!("\n{e}\n"));
    }
    if !tail.is_empty() {
        out.push('\n');
        out.push_str(tail);
    }
    out
}

/// Git HEAD's copy of `path` (relative to the workspace root), if HEAD has it.
fn head_copy(path: &str) -> Option<String> {
    let output = Command::new("git").args(["show", &format!("HEAD:{path}")]).current_dir(root()).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The entry of the same service that `entry` follows: the highest version below it.
fn previous<'m>(manifest: &'m Manifest, entry: &Entry) -> Option<&'m Entry> {
    let key = |v: &str| -> Vec<(u64, String)> {
        v.split('_').map(|part| (part.trim_start_matches('v').parse().unwrap_or(u64::MAX), part.to_string())).collect()
    };
    manifest
        .apis
        .iter()
        .filter(|e| e.service == entry.service && key(&e.version) < key(&entry.version))
        .max_by_key(|e| key(&e.version))
}

/// The documents whose current content has no report.
pub fn missing(manifest: &Manifest) -> Result<Vec<String>, String> {
    let changelog = std::fs::read_to_string(root().join(PATH)).unwrap_or_default();
    let mut out = Vec::new();
    for e in &manifest.apis {
        let spec = format!("specs/{}", e.spec);
        let text = std::fs::read_to_string(root().join(&spec)).map_err(|err| format!("{spec}: {err}"))?;
        if !has_report(&changelog, &spec, &content_hash(&text)) {
            out.push(spec);
        }
    }
    Ok(out)
}

/// Writes a report for every document without one; returns each report's summary line.
pub fn update(manifest: &Manifest) -> Result<Vec<String>, String> {
    let path = root().join(PATH);
    let mut changelog = std::fs::read_to_string(&path).unwrap_or_default();
    let mut summaries = Vec::new();
    for e in &manifest.apis {
        let spec = format!("specs/{}", e.spec);
        let text = std::fs::read_to_string(root().join(&spec)).map_err(|err| format!("{spec}: {err}"))?;
        let hash = content_hash(&text);
        if has_report(&changelog, &spec, &hash) {
            continue;
        }
        let head = head_copy(&spec);
        let module = format!("{}::{}", e.service, e.version);
        let (intro, report) = match &head {
            Some(old) if content_hash(old) != hash => {
                let old_path = root().join("target/changelog").join(&e.spec);
                std::fs::create_dir_all(old_path.parent().unwrap_or(&old_path)).map_err(|err| err.to_string())?;
                std::fs::write(&old_path, old).map_err(|err| format!("{}: {err}", old_path.display()))?;
                let report = diff::compare_files(&old_path, &format!("{spec} (HEAD)"), &root().join(&spec), &spec).map_err(|err| err.to_string())?;
                ("Changes against the committed document.".to_string(), Some(report))
            }
            _ => match previous(manifest, e) {
                Some(p) => {
                    let old = format!("specs/{}", p.spec);
                    let report = diff::compare_files(&root().join(&old), &old, &root().join(&spec), &spec).map_err(|err| err.to_string())?;
                    (format!("A new version: migrating from `{}`.", p.version), Some(report))
                }
                None => ("A new API: no earlier version to compare with.".to_string(), None),
            },
        };
        let mut entry = format!("### `{module}` ({spec})\n\n{}\n\n{intro}\n", marker(&spec, &hash));
        if let Some(report) = &report {
            entry.push('\n');
            entry.push_str(&report.markdown());
            summaries.push(format!("{module}: {}", report.summary()));
        } else {
            summaries.push(format!("{module}: {intro}"));
        }
        let keep: Vec<String> = head.iter().map(|h| content_hash(h)).collect();
        changelog = insert(&changelog, &spec, &keep, &entry);
    }
    if !summaries.is_empty() {
        iot_rest_codegen::output::write_file(&path, &changelog).map_err(|err| format!("writing {PATH}: {err}"))?;
    }
    Ok(summaries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_hash_ignores_line_endings_and_sees_any_other_change() {
        assert_eq!(content_hash("{\r\n}\r\n"), content_hash("{\n}\n"));
        assert_ne!(content_hash("{\n}\n"), content_hash("{ }\n"));
        assert_eq!(content_hash(""), "cbf29ce484222325");
    }

    #[test]
    fn a_report_goes_on_top_of_unreleased_and_replaces_an_uncommitted_one() {
        let entry = |spec: &str, hash: &str, text: &str| format!("### `{spec}`\n\n{}\n\n{text}\n", marker(spec, hash));
        let first = insert("", "a.json", &[], &entry("a.json", "1", "one"));
        assert!(first.starts_with(HEADER), "{first}");
        assert!(has_report(&first, "a.json", "1"));
        let second = insert(&first, "b.json", &[], &entry("b.json", "2", "two"));
        // An uncommitted edit of a.json (hash 3) replaces its report unless HEAD has hash 1.
        let third = insert(&second, "a.json", &["9".to_string()], &entry("a.json", "3", "three"));
        assert_eq!(
            third,
            format!("{HEADER}\n{}\n{}", entry("a.json", "3", "three"), entry("b.json", "2", "two"))
        );
        let kept = insert(&second, "a.json", &["1".to_string()], &entry("a.json", "3", "three"));
        assert!(has_report(&kept, "a.json", "1") && has_report(&kept, "a.json", "3"));
    }

    #[test]
    fn released_sections_stay_below_unreleased() {
        let changelog = format!("{HEADER}\n## 0.1.0\n\nReleased.\n");
        let out = insert(&changelog, "a.json", &[], "### `a`\n\nnew\n");
        assert_eq!(out, format!("{HEADER}\n### `a`\n\nnew\n\n## 0.1.0\n\nReleased.\n"));
    }
}
