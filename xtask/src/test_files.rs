//! Files for tests that build a small spec or reference directory of their own.

use std::path::{Path, PathBuf};

/// Writes `v` as pretty JSON to `dir/name`, creating `dir`.
pub fn write(dir: &Path, name: &str, v: &serde_json::Value) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(name), serde_json::to_vec_pretty(v).unwrap()).unwrap();
}

/// An empty directory for `tag` under the system's temp dir, unique to this process.
pub fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("scf-xtask-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}
