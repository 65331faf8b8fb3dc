//! The report as text (one line per change), as Markdown ready to paste into a pull request, and as
//! JSON.

use std::fmt;

use serde_json::{json, Value};

use super::{Change, Impact, Report};

impl Report {
    /// One line: the documents, the verdict and the counts per impact.
    pub fn summary(&self) -> String {
        format!("{} → {}: semver {} ({})", self.old, self.new, self.semver().as_str(), self.counts())
    }

    fn counts(&self) -> String {
        Impact::ALL.iter().map(|i| format!("{} {}", self.count(*i), i.as_str())).collect::<Vec<_>>().join(", ")
    }

    /// The report as Markdown: the verdict and counts, then a table per section (`Client`, each
    /// operation group, `models`), the section with the most severe change first, then the
    /// docs-only changes folded away.
    pub fn markdown(&self) -> String {
        let mut out = format!(
            "**API changes** `{}` → `{}`: **semver {}** ({})\n",
            self.old,
            self.new,
            self.semver().as_str(),
            self.counts()
        );
        let (docs, rest): (Vec<&Change>, Vec<&Change>) = self.changes.iter().partition(|c| c.impact == Impact::DocsOnly);
        let mut sections: Vec<(&str, Vec<&Change>)> = Vec::new();
        for c in rest {
            match sections.iter_mut().find(|(s, _)| *s == c.section) {
                Some((_, list)) => list.push(c),
                None => sections.push((&c.section, vec![c])),
            }
        }
        // Changes arrive most severe first, so each section's first change is its most severe.
        sections.sort_by(|(a, x), (b, y)| (x[0].impact, *a).cmp(&(y[0].impact, *b)));
        for (section, changes) in sections {
            out.push_str(&format!("\n#### `{section}`\n\n| impact | kind | where | change | source |\n|---|---|---|---|---|\n"));
            for c in changes {
                out.push_str(&format!(
                    "| {} | {} | `{}` | {} — {} | {} |\n",
                    c.impact.as_str(),
                    c.kind.as_str(),
                    c.rust,
                    cell(&c.what),
                    cell(&c.why),
                    source(c)
                ));
            }
        }
        if !docs.is_empty() {
            out.push_str(&format!("\n<details><summary>{} docs-only changes</summary>\n\n", docs.len()));
            for c in docs {
                out.push_str(&format!("- `{}`: {} ({})\n", c.rust, cell(&c.what), source(c)));
            }
            out.push_str("\n</details>\n");
        }
        if self.changes.is_empty() {
            out.push_str("\nNo change to the generated API.\n");
        }
        out
    }

    /// The report as JSON: `old`, `new`, `semver` (`major`, `minor` or `patch`), `counts` per
    /// impact and `changes`.
    pub fn json(&self) -> Value {
        let counts: serde_json::Map<String, Value> =
            Impact::ALL.iter().map(|i| (i.as_str().to_string(), Value::from(self.count(*i)))).collect();
        let changes: Vec<Value> = self
            .changes
            .iter()
            .map(|c| {
                json!({
                    "kind": c.kind.as_str(),
                    "impact": c.impact.as_str(),
                    "semver": c.semver.as_str(),
                    "section": c.section,
                    "rust": c.rust,
                    "old": c.old,
                    "new": c.new,
                    "change": c.what,
                    "reason": c.why,
                })
            })
            .collect();
        json!({ "old": self.old, "new": self.new, "semver": self.semver().as_str(), "counts": counts, "changes": changes })
    }
}

/// Text safe inside a table cell: one line, pipes escaped.
fn cell(text: &str) -> String {
    crate::text::one_line(text).replace('|', "\\|")
}

/// The pointers of a change: `#/a` when both documents agree, `#/a → #/b` when they differ.
fn source(c: &Change) -> String {
    let p = |p: &str| format!("`#{}`", cell(p));
    match (&c.old, &c.new) {
        (Some(a), Some(b)) if a == b => p(a),
        (Some(a), Some(b)) => format!("{} → {}", p(a), p(b)),
        (Some(a), None) => format!("{} (old)", p(a)),
        (None, Some(b)) => p(b),
        (None, None) => String::new(),
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:<11} {:<14} {}: {} ({})", self.impact.as_str(), self.kind.as_str(), self.rust, self.what, self.why)
    }
}

/// The summary line, then one line per change.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.summary())?;
        for c in &self.changes {
            writeln!(f, "  {c}")?;
        }
        Ok(())
    }
}
