//! What git knows about the corpus. No git2 type leaves this module.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use git2::{Delta, DiffFindOptions, DiffOptions, Repository};

use crate::error::Error;

/// Files that differ between a revision and the working tree.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Added, modified or renamed-to files (uncommitted and untracked included),
    /// relative to the corpus root.
    pub changed: BTreeSet<PathBuf>,
    /// Deleted or renamed-from files, relative to the corpus root.
    pub removed: BTreeSet<PathBuf>,
}

fn git_error(e: git2::Error) -> Error {
    Error::Git(e.message().to_string())
}

/// The files that changed between `rev` and the working tree of the repository
/// holding `root`, as paths relative to `root` (files outside it are left out).
pub fn changed_since(root: &Path, rev: &str) -> Result<Changes, Error> {
    let repo = Repository::discover(root).map_err(git_error)?;
    let workdir = repo
        .workdir()
        .ok_or_else(|| Error::Git("the repository has no working tree".into()))?
        .canonicalize()
        .map_err(|e| Error::io(root, e))?;
    let tree = repo
        .revparse_single(rev)
        .and_then(|o| o.peel_to_tree())
        .map_err(|e| Error::Git(format!("cannot read revision `{rev}`: {}", e.message())))?;
    let mut options = DiffOptions::new();
    options.include_untracked(true).recurse_untracked_dirs(true);
    let mut diff = repo
        .diff_tree_to_workdir_with_index(Some(&tree), Some(&mut options))
        .map_err(git_error)?;
    diff.find_similar(Some(
        DiffFindOptions::new().renames(true).for_untracked(true),
    ))
    .map_err(git_error)?;
    let root = root.canonicalize().map_err(|e| Error::io(root, e))?;
    let relative = |p: Option<&Path>| {
        p.and_then(|p| {
            workdir
                .join(p)
                .strip_prefix(&root)
                .ok()
                .map(Path::to_path_buf)
        })
    };
    let mut changes = Changes::default();
    for delta in diff.deltas() {
        let old = relative(delta.old_file().path());
        let new = relative(delta.new_file().path());
        match delta.status() {
            Delta::Deleted => changes.removed.extend(old),
            Delta::Renamed => {
                changes.removed.extend(old);
                changes.changed.extend(new);
            }
            _ => changes.changed.extend(new),
        }
    }
    Ok(changes)
}
