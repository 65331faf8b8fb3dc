//! Writing generated files without damaging anything else: [`write_tree`] replaces a folder only
//! when it is absent, empty, or an earlier output of this generator (it lists what it wrote in a
//! [`MARKER`] file), or when told to; [`write_file`] replaces one file.
//!
//! A tree is written to a hidden staging folder beside the target, files of the old folder that
//! are kept are moved into it, and then it takes the target's place; the old folder is removed only
//! once the new one is in place. On any failure the target is as it was and no staging or old
//! folder is left behind (short of the process being killed).

use std::collections::BTreeSet;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::Files;

/// The file in every folder the CLI generates that lists the files it wrote there, one path per line.
pub const MARKER: &str = ".iot-rest-codegen";

/// A marker larger than this is not one of ours.
const MAX_MARKER_BYTES: u64 = 16 << 20;

/// What [`write_tree`] may do to what is at the target already.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replace {
    /// Write into an absent or empty folder, or over an earlier output of this generator: the files
    /// its marker lists are replaced or removed, every other file in it is kept. Anything else is
    /// refused. A marker is written.
    Generated,
    /// Like [`Replace::Generated`], but a folder or file the generator did not write is replaced as
    /// a whole, and files in an earlier output that are in the way are overwritten (`--force`).
    Force,
    /// The caller owns the folder completely (`cargo xtask codegen`'s module folders, scratch trees
    /// under `target/`): it is replaced as a whole and no marker is written.
    Owned,
}

/// Why a tree was not written. Nothing was changed at the target.
#[derive(Debug)]
pub enum OutputError {
    /// The target holds something this generator did not write.
    NotOurs { path: PathBuf, what: &'static str },
    /// A file an earlier output does not list is where a generated file goes.
    InTheWay { path: PathBuf },
    Io { path: PathBuf, error: io::Error },
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutputError::NotOurs { path, what } => {
                let why = if what.contains("folder") { format!(" (it has no {MARKER} file)") } else { String::new() };
                write!(
                    f,
                    "{} is {what} that iot-rest-codegen did not write{why}; nothing was written. \
                     Choose another --out, empty it, or pass --force to replace it",
                    path.display()
                )
            }
            OutputError::InTheWay { path } => write!(
                f,
                "{} was not written by iot-rest-codegen but is where a generated file goes; nothing was written. \
                 Move it away, or pass --force to overwrite it",
                path.display()
            ),
            OutputError::Io { path, error } => write!(f, "cannot write {}: {error}", path.display()),
        }
    }
}

impl std::error::Error for OutputError {}

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |error| OutputError::Io { path: path.to_path_buf(), error }
}

/// What is at the target before writing.
enum Prior {
    Absent,
    /// A folder, and the paths in it that may be replaced (`None`: all of them).
    Folder(Option<BTreeSet<String>>),
    /// A file or link, replaced as a whole.
    Other,
}

/// Writes `files` (paths relative to `out`, `/`-separated) as the folder `out`; see [`Replace`].
pub fn write_tree(out: &Path, files: &Files, replace: Replace) -> Result<(), OutputError> {
    let prior = inspect(out, replace)?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
    let kept = match &prior {
        Prior::Folder(Some(listed)) => kept_entries(out, listed, files, replace)?,
        _ => Vec::new(),
    };
    let created = create_parents(&parent).map_err(io_at(&parent))?;
    let staging = unused_sibling(&parent, &name, "tmp");
    let result = stage(&staging, files, replace != Replace::Owned).and_then(|()| swap(out, &staging, &parent, &name, &prior, &kept));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
        if let Some(top) = created {
            let _ = std::fs::remove_dir_all(top);
        }
    }
    result
}

/// Whether `out` may be written, and what of it may be replaced.
fn inspect(out: &Path, replace: Replace) -> Result<Prior, OutputError> {
    let meta = match std::fs::symlink_metadata(out) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Prior::Absent),
        Err(e) => return Err(io_at(out)(e)),
    };
    let refuse = |what| if replace == Replace::Generated { Err(OutputError::NotOurs { path: out.to_path_buf(), what }) } else { Ok(Prior::Other) };
    if meta.file_type().is_symlink() {
        return refuse("a symbolic link");
    }
    if !meta.is_dir() {
        return refuse("a file");
    }
    if replace == Replace::Owned {
        return Ok(Prior::Folder(None));
    }
    if let Some(listed) = read_marker(&out.join(MARKER)) {
        return Ok(Prior::Folder(Some(listed)));
    }
    let empty = std::fs::read_dir(out).map_err(io_at(out))?.next().is_none();
    match (empty, replace) {
        (true, _) => Ok(Prior::Folder(Some(BTreeSet::new()))),
        (false, Replace::Force) => Ok(Prior::Folder(None)),
        (false, _) => Err(OutputError::NotOurs { path: out.to_path_buf(), what: "a folder with files in it" }),
    }
}

/// The paths a marker lists; `None` when there is no readable marker. Entries that could leave the
/// folder are ignored.
fn read_marker(path: &Path) -> Option<BTreeSet<String>> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_MARKER_BYTES {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let safe = |p: &&str| !p.is_empty() && !p.starts_with('#') && !p.starts_with('/') && p.split('/').all(|c| !c.is_empty() && c != "." && c != "..");
    Some(text.lines().filter(safe).map(str::to_string).collect())
}

fn marker_text(files: &Files) -> String {
    let mut text = String::from(
        "# Written by iot-rest-codegen: the files it generated in this folder. The next run replaces or\n\
         # removes them and keeps every other file.\n",
    );
    for path in files.keys() {
        text.push_str(path);
        text.push('\n');
    }
    text
}

/// The entries of `out` (relative paths, outermost) that are kept: everything neither listed nor
/// the marker, taken whole where nothing listed or generated lies below. An unlisted file where a
/// generated one goes is in the way, unless forced.
fn kept_entries(out: &Path, listed: &BTreeSet<String>, files: &Files, replace: Replace) -> Result<Vec<String>, OutputError> {
    let folders_of = |paths: &mut dyn Iterator<Item = &String>| -> BTreeSet<String> {
        paths.flat_map(|p| p.match_indices('/').map(move |(i, _)| p[..i].to_string())).collect()
    };
    let listed_folders = folders_of(&mut listed.iter());
    let generated_folders = folders_of(&mut files.keys());
    let mut kept = Vec::new();
    let mut folders = vec![String::new()];
    while let Some(dir) = folders.pop() {
        let path = if dir.is_empty() { out.to_path_buf() } else { out.join(&dir) };
        let mut entries: Vec<_> = std::fs::read_dir(&path)
            .map_err(io_at(&path))?
            .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect::<Result<_, _>>()
            .map_err(io_at(&path))?;
        entries.sort();
        for entry in entries {
            let rel = if dir.is_empty() { entry } else { format!("{dir}/{entry}") };
            if (dir.is_empty() && rel == MARKER) || listed.contains(&rel) {
                continue;
            }
            let is_dir = std::fs::symlink_metadata(out.join(&rel)).map_err(io_at(&out.join(&rel)))?.is_dir();
            if is_dir && (listed_folders.contains(&rel) || generated_folders.contains(&rel)) {
                folders.push(rel);
            } else if files.contains_key(&rel) || generated_folders.contains(&rel) {
                if replace != Replace::Force {
                    return Err(OutputError::InTheWay { path: out.join(&rel) });
                }
            } else {
                kept.push(rel);
            }
        }
    }
    Ok(kept)
}

/// Creates `dir` and its missing ancestors; returns the outermost one created, to remove on failure.
fn create_parents(dir: &Path) -> io::Result<Option<PathBuf>> {
    let mut missing = None;
    let mut at = Some(dir);
    while let Some(p) = at.filter(|p| !p.as_os_str().is_empty() && !p.exists()) {
        missing = Some(p.to_path_buf());
        at = p.parent();
    }
    std::fs::create_dir_all(dir)?;
    Ok(missing)
}

/// `.<name>.<kind>-<pid>` beside the target, with a counter if that is taken.
fn unused_sibling(parent: &Path, name: &str, kind: &str) -> PathBuf {
    let pid = std::process::id();
    (0..)
        .map(|n| if n == 0 { format!(".{name}.{kind}-{pid}") } else { format!(".{name}.{kind}-{pid}-{n}") })
        .map(|candidate| parent.join(candidate))
        .find(|p| std::fs::symlink_metadata(p).is_err())
        .unwrap_or_else(|| parent.join(format!(".{name}.{kind}")))
}

fn stage(staging: &Path, files: &Files, marker: bool) -> Result<(), OutputError> {
    std::fs::create_dir(staging).map_err(io_at(staging))?;
    for (path, content) in files {
        let target = staging.join(path);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(io_at(dir))?;
        }
        std::fs::write(&target, content).map_err(io_at(&target))?;
    }
    if marker {
        let target = staging.join(MARKER);
        std::fs::write(&target, marker_text(files)).map_err(io_at(&target))?;
    }
    Ok(())
}

/// Moves the kept entries into the staging folder, puts it in place of `out`, and removes the old
/// one; on failure everything moves back.
fn swap(out: &Path, staging: &Path, parent: &Path, name: &str, prior: &Prior, kept: &[String]) -> Result<(), OutputError> {
    let mut moved: Vec<&String> = Vec::new();
    let undo = |moved: &[&String]| {
        for rel in moved.iter().rev() {
            let _ = std::fs::rename(staging.join(rel), out.join(rel));
        }
    };
    for rel in kept {
        let to = staging.join(rel);
        let result = to.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| std::fs::rename(out.join(rel), &to));
        if let Err(e) = result {
            undo(&moved);
            return Err(io_at(&out.join(rel))(e));
        }
        moved.push(rel);
    }
    let old = unused_sibling(parent, name, "old");
    if !matches!(prior, Prior::Absent) {
        if let Err(e) = std::fs::rename(out, &old) {
            undo(&moved);
            return Err(io_at(out)(e));
        }
    }
    if let Err(e) = std::fs::rename(staging, out) {
        if !matches!(prior, Prior::Absent) {
            let _ = std::fs::rename(&old, out);
        }
        undo(&moved);
        return Err(io_at(out)(e));
    }
    let removed = match prior {
        Prior::Absent => Ok(()),
        Prior::Folder(_) => std::fs::remove_dir_all(&old),
        Prior::Other => std::fs::remove_file(&old),
    };
    removed.map_err(io_at(&old))
}

/// Writes one file through a temporary sibling and a rename, so that no reader sees half of it;
/// the temporary file is removed on failure.
pub fn write_file(path: &Path, content: &str) -> io::Result<()> {
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = unused_sibling(parent, &name, "tmp");
    let result = std::fs::write(&tmp, content).and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("iot-rest-output-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch folder");
        dir
    }

    fn files(entries: &[(&str, &str)]) -> Files {
        entries.iter().map(|(p, c)| (p.to_string(), c.to_string())).collect()
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir).expect("readable").map(|e| e.expect("entry").file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    #[test]
    fn a_failed_write_leaves_the_target_as_it_was_and_nothing_beside_it() {
        let parent = scratch("failed");
        let out = parent.join("out");
        write_tree(&out, &files(&[("a.rs", "old")]), Replace::Generated).expect("first write");
        // A file and a folder of the same name cannot both be staged.
        let error = write_tree(&out, &files(&[("a.rs", "new"), ("b", "x"), ("b/c.rs", "y")]), Replace::Generated).expect_err("fails");
        assert!(matches!(error, OutputError::Io { .. }), "{error}");
        assert_eq!(std::fs::read_to_string(out.join("a.rs")).expect("kept"), "old");
        assert_eq!(names(&parent), ["out"]);
        // Nor when the target's parent had to be created.
        let nested = parent.join("x/y/out");
        write_tree(&nested, &files(&[("b", "x"), ("b/c.rs", "y")]), Replace::Generated).expect_err("fails");
        assert_eq!(names(&parent), ["out"]);
        let _ = std::fs::remove_dir_all(&parent);
    }

    #[test]
    fn owned_folders_are_replaced_whole_without_a_marker() {
        let parent = scratch("owned");
        let out = parent.join("module");
        std::fs::create_dir_all(&out).expect("folder");
        std::fs::write(out.join("stale.rs"), "old").expect("stale");
        write_tree(&out, &files(&[("mod.rs", "new")]), Replace::Owned).expect("written");
        assert_eq!(names(&out), ["mod.rs"]);
        assert_eq!(names(&parent), ["module"]);
        let _ = std::fs::remove_dir_all(&parent);
    }

    #[test]
    fn marker_entries_that_could_leave_the_folder_are_ignored() {
        let parent = scratch("marker");
        let marker = parent.join(MARKER);
        std::fs::write(&marker, "# comment\nsrc/lib.rs\n../outside.rs\n/etc/passwd\nsrc/./x\n\nCargo.toml\n").expect("marker");
        let listed: Vec<String> = read_marker(&marker).expect("readable").into_iter().collect();
        assert_eq!(listed, ["Cargo.toml", "src/lib.rs"]);
        let _ = std::fs::remove_dir_all(&parent);
    }

    #[test]
    fn write_file_replaces_a_file_and_leaves_no_temporary_file() {
        let parent = scratch("file");
        let path = parent.join("Cargo.toml");
        write_file(&path, "one").expect("written");
        write_file(&path, "two").expect("written");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "two");
        write_file(&parent.join("missing/Cargo.toml"), "x").expect_err("no such folder");
        assert_eq!(names(&parent), ["Cargo.toml"]);
        let _ = std::fs::remove_dir_all(&parent);
    }
}
