//! What git knows about the corpus. No git2 type leaves this module.

use std::collections::{BTreeSet, HashMap};
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
    let (repo, prefix) = repository(root)?;
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
    let relative =
        |p: Option<&Path>| p.and_then(|p| p.strip_prefix(&prefix).ok().map(Path::to_path_buf));
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

/// A commit of the first-parent history, with the files it changed under the
/// folders asked for and their contents before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// Full commit id.
    pub id: String,
    /// Commit date (committer time, in the committer's time zone), YYYY-MM-DD.
    pub date: String,
    /// First line of the message.
    pub summary: String,
    /// The files it changed.
    pub files: Vec<FileChange>,
}

/// One file a commit changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Path relative to the corpus root (the new path for a rename).
    pub path: PathBuf,
    /// Text before the commit (None when the commit added the file).
    pub before: Option<String>,
    /// Text after the commit (None when the commit deleted the file).
    pub after: Option<String>,
}

/// The commits reachable from HEAD along first parents (so a merged branch
/// counts once, at its merge), newest first, that changed files under
/// `folders` (relative to `root`), dated on or after `since` (YYYY-MM-DD).
/// A repository without commits has no history.
pub fn history(
    root: &Path,
    folders: &[PathBuf],
    since: Option<&str>,
) -> Result<Vec<Commit>, Error> {
    let (repo, prefix) = repository(root)?;
    let text = |id: git2::Oid| -> Option<String> {
        if id.is_zero() {
            return None;
        }
        repo.find_blob(id)
            .ok()
            .map(|b| String::from_utf8_lossy(b.content()).into_owned())
    };
    let mut commits = Vec::new();
    let dated = |commit: &git2::Commit| date_of(&commit.committer().when());
    let wanted = |commit: &git2::Commit| since.is_none_or(|s| dated(commit).as_str() >= s);
    each_first_parent(&repo, &prefix, folders, wanted, |commit, diff| {
        let files: Vec<FileChange> = diff
            .deltas()
            .filter_map(|delta| {
                let path = delta.new_file().path().or(delta.old_file().path())?;
                Some(FileChange {
                    path: path.strip_prefix(&prefix).ok()?.to_path_buf(),
                    before: text(delta.old_file().id()),
                    after: text(delta.new_file().id()),
                })
            })
            .collect();
        if !files.is_empty() {
            commits.push(Commit {
                id: commit.id().to_string(),
                date: dated(commit),
                summary: String::from_utf8_lossy(commit.summary_bytes().unwrap_or_default())
                    .into_owned(),
                files,
            });
        }
        Ok(())
    })?;
    Ok(commits)
}

/// When a file was first and last changed, and by whom, along the
/// first-parent history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDates {
    /// The oldest commit that added or changed it: time (seconds since 1970) and id.
    pub created: (i64, String),
    /// The newest commit that changed it.
    pub updated: (i64, String),
    /// Authors of the commits that changed it, by name, in name order.
    pub authors: Vec<String>,
}

/// For every file under `folders` (relative to `root`) that HEAD's
/// first-parent history changed, when and by whom; paths relative to `root`.
/// Reads trees only, never file contents. A repository without commits, or
/// no repository, has no history.
pub fn file_dates(root: &Path, folders: &[PathBuf]) -> Result<HashMap<PathBuf, FileDates>, Error> {
    let mut dates: HashMap<PathBuf, (FileDates, BTreeSet<String>)> = HashMap::new();
    let Ok((repo, prefix)) = repository(root) else {
        return Ok(HashMap::new());
    };
    each_first_parent(
        &repo,
        &prefix,
        folders,
        |_| true,
        |commit, diff| {
            let stamp = (commit.time().seconds(), commit.id().to_string());
            let author = String::from_utf8_lossy(commit.author().name_bytes()).into_owned();
            for delta in diff.deltas().filter(|d| d.status() != Delta::Deleted) {
                let Some(path) = delta
                    .new_file()
                    .path()
                    .and_then(|p| p.strip_prefix(&prefix).ok())
                else {
                    continue;
                };
                let (entry, authors) = dates.entry(path.to_path_buf()).or_insert_with(|| {
                    let dates = FileDates {
                        created: stamp.clone(),
                        updated: stamp.clone(),
                        authors: Vec::new(),
                    };
                    (dates, BTreeSet::new())
                });
                entry.created = stamp.clone();
                authors.insert(author.clone());
            }
            Ok(())
        },
    )?;
    Ok(dates
        .into_iter()
        .map(|(path, (mut dates, authors))| {
            dates.authors = authors.into_iter().collect();
            (path, dates)
        })
        .collect())
}

/// The repository holding `root`, and `root`'s path inside its working tree.
fn repository(root: &Path) -> Result<(Repository, PathBuf), Error> {
    let repo = Repository::discover(root).map_err(git_error)?;
    let workdir = repo
        .workdir()
        .ok_or_else(|| Error::Git("the repository has no working tree".into()))?
        .canonicalize()
        .map_err(|e| Error::io(root, e))?;
    let root = root.canonicalize().map_err(|e| Error::io(root, e))?;
    let prefix = root
        .strip_prefix(&workdir)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    Ok((repo, prefix))
}

/// Visits the commits reachable from HEAD along first parents, newest first,
/// that `wanted` accepts, each with its diff against its first parent limited
/// to `folders` of the root at `prefix`. Without commits there is nothing to visit.
fn each_first_parent(
    repo: &Repository,
    prefix: &Path,
    folders: &[PathBuf],
    wanted: impl Fn(&git2::Commit) -> bool,
    mut visit: impl FnMut(&git2::Commit, &git2::Diff) -> Result<(), Error>,
) -> Result<(), Error> {
    let Ok(head) = repo.head().and_then(|h| h.peel_to_commit()) else {
        return Ok(());
    };
    let mut walk = repo.revwalk().map_err(git_error)?;
    walk.push(head.id()).map_err(git_error)?;
    walk.simplify_first_parent().map_err(git_error)?;
    let mut options = DiffOptions::new();
    for folder in folders {
        options.pathspec(prefix.join(folder));
    }
    for id in walk {
        let commit = repo
            .find_commit(id.map_err(git_error)?)
            .map_err(git_error)?;
        if !wanted(&commit) {
            continue;
        }
        let tree = commit.tree().map_err(git_error)?;
        let parent = commit
            .parent(0)
            .ok()
            .map(|p| p.tree())
            .transpose()
            .map_err(git_error)?;
        let diff = repo
            .diff_tree_to_tree(parent.as_ref(), Some(&tree), Some(&mut options))
            .map_err(git_error)?;
        visit(&commit, &diff)?;
    }
    Ok(())
}

/// The first twelve characters of a commit id, as pages and reports show it.
pub fn short_id(commit: &str) -> &str {
    commit.get(..12).unwrap_or(commit)
}

/// The calendar date of a git time, in its own time zone.
fn date_of(time: &git2::Time) -> String {
    let local = time.seconds() + i64::from(time.offset_minutes()) * 60;
    crate::clock::Date::from_days(local.div_euclid(86_400)).to_string()
}

/// The commit id HEAD points at in the repository holding `root`, if any.
pub fn head(root: &Path) -> Option<String> {
    let repo = Repository::discover(root).ok()?;
    let commit = repo.head().ok()?.peel_to_commit().ok()?;
    Some(commit.id().to_string())
}

/// The date of the commit HEAD points at (committer time, in the committer's
/// time zone), YYYY-MM-DD, if any.
pub fn head_date(root: &Path) -> Option<String> {
    let repo = Repository::discover(root).ok()?;
    let commit = repo.head().ok()?.peel_to_commit().ok()?;
    Some(date_of(&commit.committer().when()))
}
