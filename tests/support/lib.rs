//! Shared helpers for the workspace tests: where the repository and `../shared` live.

use std::path::PathBuf;

/// The workspace root (the directory holding `specs/`, `generated/`, ...).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// The shared reference material beside the checkout (`../shared`).
pub fn shared_dir() -> PathBuf {
    workspace_root().parent().expect("workspace has a parent").join("shared")
}
