//! Cache files in `.mkn/` beside the index: written whole by rename, so a
//! reader sees the old file or the new one, never half of one.

use std::fs;
use std::path::Path;

use serde::Serialize;

use crate::error::Error;

/// The folder, at the corpus root, that holds everything `mkn` derives.
pub const STATE_DIR: &str = ".mkn";

/// Writes `value` as JSON to `name` in `state_dir`, by rename; creates the
/// folder (ignored by git) if needed.
pub fn save_json(state_dir: &Path, name: &str, value: &impl Serialize) -> Result<(), Error> {
    fs::create_dir_all(state_dir).map_err(|e| Error::io(state_dir, e))?;
    let ignore = state_dir.join(".gitignore");
    if !ignore.exists() {
        fs::write(&ignore, "*\n").map_err(|e| Error::io(&ignore, e))?;
    }
    let bytes = serde_json::to_vec(value).map_err(std::io::Error::from)?;
    let path = state_dir.join(name);
    let tmp = state_dir.join(format!("{name}.{}.tmp", std::process::id()));
    fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, e))?;
    fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))
}
