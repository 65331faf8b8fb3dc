//! `cargo xtask codegen [--check]`: regenerate `generated/` from `specs/` and write the change
//! report of every changed document into the changelog (see `changelog`), or check both.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;

use iot_rest_codegen::manifest::{diff, existing_files, expected_files, owned_dirs};
use iot_rest_codegen::output::write_file;
use iot_rest_codegen::{Files, Replace};

use crate::{changelog, root};

pub fn run(args: &[String]) -> Result<(), String> {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => return Err("usage: cargo xtask codegen [--check]".into()),
    };
    let started = Instant::now();
    let (manifest, expected, summary) = expected_files(&root())?;
    let elapsed = started.elapsed();
    let generated = root().join("generated");
    let owned = owned_dirs(&manifest);
    let actual = existing_files(&generated, &owned)?;
    if check {
        let diff = diff(&actual, &expected);
        if !diff.is_empty() {
            print!("{diff}");
            return Err("generated/ is out of date with specs/; run `cargo xtask codegen` and commit the result".into());
        }
        let missing = changelog::missing(&manifest)?;
        if !missing.is_empty() {
            return Err(format!(
                "{} has no change report for {} as it is now; run `cargo xtask codegen` and commit the result",
                changelog::PATH,
                missing.join(", ")
            ));
        }
        println!("generated/ is up to date with specs/ ({} files), and {} reports every document", expected.len(), changelog::PATH);
        return Ok(());
    }
    write(&generated, &owned, &expected)?;
    for line in &summary {
        println!("{line}");
    }
    for line in changelog::update(&manifest)? {
        println!("changes: {line}");
    }
    println!("generated {} files in {:.0} ms", expected.len(), elapsed.as_secs_f64() * 1000.0);
    Ok(())
}

/// Writes through the generator's output path: the owned directories (wholly generated, so earlier
/// output) are replaced through a staging copy each, so an interrupted run never leaves a
/// half-written module; single files go through a temporary file and a rename.
fn write(generated: &Path, owned: &BTreeSet<String>, files: &Files) -> Result<(), String> {
    for dir in owned {
        let prefix = format!("{dir}/");
        let subset: Files =
            files.iter().filter_map(|(p, c)| p.strip_prefix(&prefix).map(|rel| (rel.to_string(), c.clone()))).collect();
        iot_rest_codegen::write_tree(&generated.join(dir), &subset, Replace::Owned).map_err(|e| format!("writing generated/{dir}: {e}"))?;
    }
    for (path, content) in files.iter().filter(|(p, _)| !owned.iter().any(|d| p.starts_with(&format!("{d}/")))) {
        let target = generated.join(path);
        if std::fs::read_to_string(&target).ok().as_deref() == Some(content.as_str()) {
            continue;
        }
        write_file(&target, content).map_err(|e| format!("writing {}: {e}", target.display()))?;
    }
    Ok(())
}
